/**
 * Many accounts (issue #20): the accounts of an AWS Organization (or a list the user keeps), reached by assuming a
 * role in each from the selected profile, scanned together and rolled up. The profile's own account is the "home"
 * account; every other one is a member reached through `roleName`.
 */
import { z } from 'zod';
import type { AppErrorDto } from '../errors';
import { accountIdSchema, regionSchema, shortText } from './common';

/** The role AWS Organizations creates in every account it creates (the app's default). */
export const DEFAULT_ORG_ROLE_NAME = 'OrganizationAccountAccessRole';

/** An IAM role name (no path): 1–64 of letters, digits and `+=,.@_-` (IAM's own rule). */
export const roleNameSchema = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'A role name is 1 to 64 letters, digits or + = , . @ _ -');

export type OrgAccountSource = 'home' | 'organization' | 'manual';

export type OrgScanStatus = 'queued' | 'connecting' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

export interface OrgAccountDto {
  accountId: string;
  /** The organization's account name (or the name the user gave); null when unknown. */
  name: string | null;
  email: string | null;
  /** 'home': the selected profile's own account (no role assumed). */
  source: OrgAccountSource;
  /** The role assumed in this account: its override, else the default. Null for the home account. */
  roleName: string | null;
  /** The user's per-account role, if any. */
  roleOverride: string | null;
  /** The last resource scan of the account (from the scans table). */
  lastScan: {
    scanId: number;
    status: string;
    startedAt: string;
    completedAt: string | null;
    findings: number;
    monthlySavings: number;
  } | null;
  /** The last failure to reach the account (role not assumable, MFA, …), until a later success. */
  lastError: { code: string; message: string; at: string } | null;
}

export interface OrgAccountsDto {
  homeAccountId: string;
  /** The default role (settings), used where an account has no override. */
  defaultRoleName: string;
  /** When ListAccounts last answered for this profile's account (null: never). */
  listedAt: string | null;
  /** Why the organization could not be listed last time (not the management account, denied, not in an organization). */
  listError: AppErrorDto | null;
  /** The home account first, then by name. Only ACTIVE organization accounts are listed. */
  accounts: OrgAccountDto[];
  /** The account the pages show now (the home account or a member). */
  viewingAccountId: string;
}

export const orgAccountSaveInput = z.strictObject({
  accountId: accountIdSchema,
  /** A name for an account the user adds by hand (ignored for organization accounts, which keep AWS's name). */
  name: z.string().trim().min(1).max(128).nullable().optional(),
  /** Null: use the default role. */
  roleName: roleNameSchema.nullable(),
});

export const orgAccountInput = z.strictObject({ accountId: accountIdSchema });

export const orgDefaultRoleInput = z.strictObject({ roleName: roleNameSchema });

export const orgScanStartInput = z.strictObject({
  /** Default: every listed account (home included). */
  accountIds: z.array(accountIdSchema).min(1).max(1000).optional(),
  regions: z.union([z.literal('all'), z.array(regionSchema).min(1).max(64)]),
});

export const orgRunInput = z.strictObject({ runId: shortText });

/** One account's part of a many-account scan, as it changes. */
export interface OrgScanProgressEvent {
  runId: string;
  accountId: string;
  status: OrgScanStatus;
  /** The account's resource scan, once it started (its record in the scans history). */
  scanId: number | null;
  findings: number;
  monthlySavings: number;
  tasksDone: number;
  tasksTotal: number;
  error: AppErrorDto | null;
  /** The region task that changed last (progress per account and region). */
  lastTask: { region: string; resourceType: string; status: string } | null;
  /** True on each account's event sent when the whole run has ended. */
  done: boolean;
}

export interface OrgRollupAccountDto {
  accountId: string;
  name: string | null;
  source: OrgAccountSource;
  /** Unprotected findings not ignored, and their known savings (the account's own dashboard figures). */
  findings: number;
  monthlySavings: number;
  /** Findings among them whose savings are unknown (not in monthlySavings). */
  unknownCount: number;
  lastScanAt: string | null;
  lastScanStatus: string | null;
}

export interface OrgRollupDto {
  /** The sums of the accounts' rows. */
  total: { accounts: number; findings: number; monthlySavings: number; unknownCount: number };
  accounts: OrgRollupAccountDto[];
  byKind: { resourceType: string; findings: number; monthlySavings: number }[];
  byRegion: { region: string; findings: number; monthlySavings: number }[];
  /** The largest unprotected findings across the accounts (not ignored). */
  top: {
    accountId: string;
    accountName: string | null;
    id: number;
    resourceType: string;
    region: string;
    resourceId: string;
    name: string | null;
    monthlySavings: number;
  }[];
}
