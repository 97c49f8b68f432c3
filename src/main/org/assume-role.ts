/**
 * Credentials for a member account: sts:AssumeRole into `arn:<partition>:iam::<id>:role/<name>` with the home
 * profile's STS client (its credentials, its endpoint). One provider per member, shared by every client of the
 * member's factory: one AssumeRole per session, not one per client. The session is renewed before it expires
 * (REFRESH_MARGIN_MS ahead, more than the SDK clients' own 5-minute window, so when a client asks again near the end
 * it gets a new session), so a long scan never runs on an expired one.
 *
 * A role whose trust policy demands MFA: when the home profile names an MFA device (mfa_serial), AssumeRole is asked
 * again with the device and a code from the prompt; otherwise the failure says what to configure.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { AppError, isAppError } from '../../shared/errors';
import { awsErrorCode, toAppError } from '../aws/errors';

/** Renew this long before the session ends (the SDK clients re-ask 5 minutes before). */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;
/** One hour: every role allows it (MaxSessionDuration is 1–12 hours; role chaining caps at 1 hour). */
export const DEFAULT_SESSION_SECONDS = 3600;

export interface AssumeRoleOptions {
  /** The home profile's STS client. */
  sts: () => STSClient;
  partition: string;
  accountId: string;
  roleName: string;
  /** The home profile's name, for messages. */
  profile: string;
  sessionName?: string;
  durationSeconds?: number;
  /** The home profile's MFA device, if it names one (used only when the role demands MFA). */
  mfaSerial?: string | null;
  /** Asks for a code (the app's MFA prompt); absent: a role that demands MFA fails with what to do. */
  mfaCode?: (mfaSerial: string) => Promise<string>;
  signal?: AbortSignal;
}

export interface AssumeRoleProvider extends AwsCredentialIdentityProvider {
  readonly roleArn: string;
  /** AssumeRole calls that returned a session. */
  sessionsIssued(): number;
}

export function roleArnOf(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** `cloud-cleaner-<time>`: shows in the member account's CloudTrail as who did what. */
function defaultSessionName(): string {
  return `cloud-cleaner-${Date.now()}`;
}

export function assumeRoleProvider(o: AssumeRoleOptions): AssumeRoleProvider {
  const roleArn = roleArnOf(o.partition, o.accountId, o.roleName);
  let current: AwsCredentialIdentity | null = null;
  let pending: Promise<AwsCredentialIdentity> | null = null;
  let issued = 0;
  let needsMfa = false;

  const fresh = (c: AwsCredentialIdentity | null): c is AwsCredentialIdentity =>
    c !== null && (c.expiration === undefined || c.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS);

  const call = async (mfa: { serial: string; code: string } | null): Promise<AwsCredentialIdentity> => {
    const out = await o.sts().send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: o.sessionName ?? defaultSessionName(),
        DurationSeconds: o.durationSeconds ?? DEFAULT_SESSION_SECONDS,
        ...(mfa ? { SerialNumber: mfa.serial, TokenCode: mfa.code } : {}),
      }),
      o.signal ? { abortSignal: o.signal } : {},
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AppError('aws.service_error', `STS answered AssumeRole for ${roleArn} without credentials.`);
    issued++;
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
    };
  };

  const withMfa = async (): Promise<AwsCredentialIdentity> => {
    const serial = o.mfaSerial;
    if (!serial || !o.mfaCode) {
      throw new AppError(
        'aws.mfa_required',
        `Role ${o.roleName} in account ${o.accountId} requires MFA: add mfa_serial (your MFA device) to profile "${o.profile}" and scan again.`,
        { accountId: o.accountId, roleArn, profile: o.profile, reason: 'assume_role_mfa' },
      );
    }
    return call({ serial, code: await o.mfaCode(serial) });
  };

  const assume = async (): Promise<AwsCredentialIdentity> => {
    try {
      if (needsMfa) return await withMfa();
      try {
        return await call(null);
      } catch (err) {
        // A role that demands MFA answers AccessDenied without one: ask again with the device, once.
        if (awsErrorCode(err) === 'AccessDenied' && o.mfaSerial && o.mfaCode) {
          needsMfa = true;
          return await withMfa();
        }
        throw err;
      }
    } catch (err) {
      throw describeFailure(err, o, roleArn);
    }
  };

  const provider = (async () => {
    if (fresh(current)) return current;
    pending ??= assume().finally(() => {
      pending = null;
    });
    current = await pending;
    return current;
  }) as AssumeRoleProvider;
  Object.defineProperty(provider, 'roleArn', { value: roleArn });
  provider.sessionsIssued = () => issued;
  return provider;
}

/** Which role, which account, what AWS said. */
function describeFailure(err: unknown, o: AssumeRoleOptions, roleArn: string): AppError {
  if (isAppError(err) && err.code !== 'aws.access_denied') return err;
  const code = awsErrorCode(err);
  const details = { accountId: o.accountId, roleArn, profile: o.profile, awsCode: code, reason: 'assume_role' };
  const msg = err instanceof Error ? err.message : '';
  if (code === 'AccessDenied' && !/MultiFactorAuthentication/i.test(msg)) {
    return new AppError(
      'aws.access_denied',
      `Could not assume role ${o.roleName} in account ${o.accountId} from profile "${o.profile}": the role does not exist there, does not trust this identity, or requires MFA (sts:AssumeRole denied on ${roleArn}).${o.mfaSerial ? '' : ` If the role requires MFA, add mfa_serial (your MFA device) to profile "${o.profile}".`}`,
      details,
      { cause: err },
    );
  }
  const app = toAppError(err, { profile: o.profile, service: 'sts' });
  return new AppError(app.code, `Could not assume role ${o.roleName} in account ${o.accountId}: ${app.message}`, { ...app.details, ...details }, { cause: err });
}
