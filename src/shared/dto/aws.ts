/**
 * Profiles, identity, accounts and regions. The single source of these DTOs: src/main/aws/types.ts and
 * src/main/db/repos/accounts.ts re-export them (shared imports nothing from main). They hold no secrets (no keys, no
 * session tokens) and are safe to send over IPC and to log.
 */
import { z } from 'zod';
import type { AppErrorDto } from '../errors';
import { shortText } from './common';

export const PROFILE_KINDS = [
  'static',
  'sso',
  'assume-role',
  'credential-process',
  'web-identity',
  'environment',
  'unknown',
] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

export interface AwsProfileDto {
  name: string;
  kind: ProfileKind;
  /** The profile's own `region`, or null. */
  region: string | null;
  /** True when the profile has `mfa_serial` (assume-role then asks for a code). */
  mfaRequired: boolean;
  /** Files the profile was found in (absolute paths), or `['environment']` for the environment choice. */
  sources: string[];
  /** True when the profile sets `endpoint_url` or a `services` section (and does not ignore them). */
  customEndpoint: boolean;
  /** The choice selected by AWS_PROFILE (else environment credentials, else `default`). */
  isDefault: boolean;
}

export interface ProfileListDto {
  profiles: AwsProfileDto[];
  /** Malformed files / lines (`aws.config_malformed`) and similar; the rest of the list is still usable. */
  problems: AppErrorDto[];
  /** Name of the default choice, or null when there is none. */
  defaultProfile: string | null;
}

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface AwsIdentityDto {
  profile: string;
  accountId: string;
  arn: string;
  userId: string;
  partition: Partition;
  /** The IAM account alias, or null when there is none or listing it was denied. */
  accountAlias: string | null;
}

/** Asks the user for an MFA code. Reject (or resolve to an empty string) when the user cancels. */
export type MfaPrompt = (req: { profile: string; mfaSerial: string }) => Promise<string>;

export interface AccountDto {
  id: string;
  alias: string | null;
  partition: string;
  arn: string | null;
  lastProfile: string | null;
  firstSeen: string;
  lastSeen: string;
}

/** The selected profile, who it is, and the account behind it. */
export interface SessionDto {
  profile: string;
  identity: AwsIdentityDto;
  account: AccountDto;
}

export const selectProfileInput = z.strictObject({ profile: shortText });

export const mfaAnswerInput = z.strictObject({
  requestId: shortText,
  /** null: the user cancelled (the pending call fails with `aws.mfa_cancelled`). */
  code: z.string().regex(/^\d{6}$/, 'An MFA code has 6 digits').nullable(),
});

/** Event: main needs an MFA code for an assume-role profile; answer with auth:mfa-answer. */
export interface MfaRequestEvent {
  requestId: string;
  profile: string;
  mfaSerial: string;
}

export type RegionOptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface RegionDto {
  name: string;
  optInStatus: RegionOptInStatus;
  /** Usable by the account (opt-in not required, or opted in). Scans only cover enabled regions. */
  enabled: boolean;
}
