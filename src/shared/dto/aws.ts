/**
 * Profiles, identity, accounts and regions. Mirrors src/main/aws/types.ts and src/main/db/repos/accounts.ts (shared
 * imports nothing from main; the compiler checks main's values against these shapes where they cross the contract).
 */
import { z } from 'zod';
import type { AppErrorDto } from '../errors';
import { shortText } from './common';

export type ProfileKind = 'static' | 'sso' | 'assume-role' | 'credential-process' | 'web-identity' | 'environment' | 'unknown';

export interface AwsProfileDto {
  name: string;
  kind: ProfileKind;
  region: string | null;
  mfaRequired: boolean;
  sources: string[];
  customEndpoint: boolean;
  isDefault: boolean;
}

export interface ProfileListDto {
  profiles: AwsProfileDto[];
  /** Malformed files / lines; the rest of the list is still usable. */
  problems: AppErrorDto[];
  defaultProfile: string | null;
}

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface AwsIdentityDto {
  profile: string;
  accountId: string;
  arn: string;
  userId: string;
  partition: Partition;
  accountAlias: string | null;
}

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
