/**
 * Plain DTOs of the AWS access layer. They hold no secrets (no keys, no session tokens) and are safe to send over
 * IPC and to log.
 */
import type { AppErrorDto } from '../../shared/errors';

/** The pseudo-profile that stands for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment. */
export const ENVIRONMENT_PROFILE = '(environment)';

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
