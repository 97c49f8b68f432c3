/** TEST-ONLY: the profiles app-host.ts writes into its AWS config (no imports: safe to load from specs). */
export const SIM_PROFILE = 'cloud-cleaner-sim';
export const MFA_PROFILE = 'sim-mfa-role';
export const SSO_PROFILE = 'sim-sso';
