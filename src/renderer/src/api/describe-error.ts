/** Turns an API error into something a person can act on: a title, what happened, and what to do next. */
import type { IpcError } from '../../../shared/ipc/api-builder';

export interface ErrorAdvice {
  title: string;
  message: string;
  /** What to do, when the app knows. */
  action?: string;
  /** A shell command to copy (e.g. `aws sso login`). */
  command?: string;
  /** Where a malformed file is, when main says. */
  location?: string;
}

function detail(e: IpcError, key: string): string | undefined {
  const v = e.details?.[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

export interface ErrorContext {
  /** The call used a profile that assumes a role with an MFA code the user just typed. */
  mfa?: boolean;
}

export function describeError(e: IpcError, profile?: string, context: ErrorContext = {}): ErrorAdvice {
  const p = detail(e, 'profile') ?? profile;
  switch (e.code) {
    case 'aws.sso_expired':
      return {
        title: 'AWS SSO session expired',
        message: e.message,
        action: 'Sign in again in a terminal, then choose the profile again.',
        command: `aws sso login --profile ${p ?? 'PROFILE'}`,
      };
    case 'aws.access_denied':
      // STS answers a wrong or expired MFA code with AccessDenied on AssumeRole: that is not a missing permission.
      if (/MultiFactorAuthentication|one time pass ?code/i.test(e.message) || (context.mfa && detail(e, 'service') === 'sts')) {
        return {
          title: 'MFA code rejected',
          message: `AWS STS refused to assume the role of profile "${p ?? 'this profile'}" with that MFA code.`,
          action:
            'The code was mistyped or has expired (codes change every 30 seconds). Choose the profile again and enter the current code. If the code was right, the role\'s trust policy may not allow this identity.',
        };
      }
      return {
        title: 'Access denied',
        message: e.message,
        action: 'The profile lacks a permission Cloud Cleaner needs. Ask an administrator to grant it, or use another profile.',
      };
    case 'aws.config_malformed': {
      const file = detail(e, 'file');
      const line = detail(e, 'line');
      return {
        title: 'AWS configuration file is malformed',
        message: e.message,
        action: 'Fix the file (the rest of your profiles stay usable).',
        ...(file ? { location: line ? `${file}, line ${line}` : file } : {}),
      };
    }
    case 'aws.credentials_missing':
      return {
        title: 'No credentials for this profile',
        message: e.message,
        action: `Add keys for it to ~/.aws/credentials, or run \`aws configure --profile ${p ?? 'PROFILE'}\`.`,
      };
    case 'aws.credentials_invalid':
      return { title: 'Credentials rejected by AWS', message: e.message, action: 'The keys may be revoked or mistyped: check them with `aws sts get-caller-identity`.' };
    case 'aws.profile_not_found':
      return { title: 'Profile not found', message: e.message, action: 'Choose a profile from the list.' };
    case 'aws.mfa_required':
      return { title: 'MFA code needed', message: e.message, action: 'Enter the 6-digit code from your MFA device.' };
    case 'aws.mfa_invalid':
      return {
        title: 'MFA code rejected',
        message: e.message,
        action: 'The code was mistyped or has expired (codes change every 30 seconds). Choose the profile again and enter the current code.',
      };
    case 'aws.mfa_cancelled':
      return { title: 'MFA cancelled', message: e.message, action: 'Choose the profile again to enter a code.' };
    case 'aws.network':
      return { title: 'Cannot reach AWS', message: e.message, action: 'Check the network connection (and any proxy or custom endpoint), then retry.' };
    case 'aws.throttled':
      return { title: 'AWS is throttling requests', message: e.message, action: 'Wait a minute and retry.' };
    case 'aws.region_disabled':
      return { title: 'Region not enabled', message: e.message, action: 'Enable (opt in to) the region in the AWS account settings, or leave it out.' };
    case 'ce.not_enabled':
      return { title: 'Cost Explorer is not enabled', message: e.message, action: 'Enable it in the Billing console (data appears within 24 hours).' };
    case 'ce.access_denied':
      return { title: 'No access to Cost Explorer', message: e.message, action: 'Grant ce:GetCostAndUsage to this identity.' };
    case 'validation':
      return { title: 'Invalid input', message: e.message };
    case 'conflict':
      return { title: 'Not possible right now', message: e.message };
    case 'not_found':
      return { title: 'Not found', message: e.message };
    case 'cancelled':
      return { title: 'Cancelled', message: e.message };
    case 'db.busy':
      return { title: 'Database busy', message: e.message, action: 'Retry in a moment.' };
    case 'db.auth':
      return { title: 'Database login refused', message: e.message, action: 'Check the user name and password in the connection string.' };
    case 'db.unreachable':
      return { title: 'Cannot reach the database server', message: e.message };
    case 'db.tls':
      return { title: 'Secure connection failed', message: e.message, action: 'Check sslmode and the CA file (sslrootcert).' };
    case 'db.config':
      return { title: 'Connection string not usable', message: e.message };
    case 'db.newer_version':
      return { title: 'Database from a newer Cloud Cleaner', message: e.message, action: 'Update the app to use it.' };
    case 'db.needs_migration':
      return { title: 'Database needs an update', message: e.message };
    case 'store.keychain_unavailable':
      return { title: 'No keychain for the password', message: e.message };
    case 'store.config_unreadable':
      return { title: 'Saved store choice unreadable', message: e.message };
    default:
      return { title: 'Something went wrong', message: e.message };
  }
}
