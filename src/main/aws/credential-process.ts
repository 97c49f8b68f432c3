/**
 * `credential_process` profiles, run here rather than by the SDK for one reason: when the command fails, the SDK's
 * error is Node's `Command failed: <the command line>\n<its stderr>` — the command may carry a vault path or a
 * token in its arguments and its stderr may hold anything — and it drops the exit code. Here a failure says the
 * exit code and nothing the process printed. Success follows the SDK's rules exactly (Version 1, keys, expiry).
 */
import { exec } from 'node:child_process';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { AppError } from '../../shared/errors';

type ProfileData = Record<string, string | undefined>;

/**
 * True when the SDK would resolve this profile through its own `credential_process` (not an assume-role profile,
 * not static keys — those win over a process in the SDK's order; web identity needs role_arn too).
 */
export function resolvesByCredentialProcess(data: ProfileData | undefined): data is ProfileData & { credential_process: string } {
  if (data === undefined || typeof data.credential_process !== 'string') return false;
  if (data.role_arn !== undefined) return false;
  return !(typeof data.aws_access_key_id === 'string' && typeof data.aws_secret_access_key === 'string');
}

function run(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    exec(command, { windowsHide: true, maxBuffer: 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(String(stdout))));
  });
}

function failed(profile: string, what: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(
    'aws.credentials_missing',
    `The credential_process of profile "${profile}" ${what}; run it in a terminal to see why.`,
    { profile, ...details },
  );
}

/** Runs the profile's credential_process and returns its credentials. Errors never quote the command or its output. */
export async function credentialsFromProcess(profile: string, data: ProfileData & { credential_process: string }): Promise<AwsCredentialIdentity> {
  let stdout: string;
  try {
    stdout = await run(data.credential_process);
  } catch (err) {
    // No `cause`: Node's error holds the command line and the process's stderr.
    const e = err as { code?: unknown; signal?: unknown };
    if (typeof e.code === 'number') throw failed(profile, `failed with exit code ${e.code}`, { exitCode: e.code });
    if (typeof e.signal === 'string' && e.signal !== '') throw failed(profile, `was stopped by ${e.signal}`, { signal: e.signal });
    throw failed(profile, 'could not be run', { reason: typeof e.code === 'string' ? e.code : 'unknown' });
  }
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(stdout.trim()) as Record<string, unknown>;
  } catch {
    throw failed(profile, 'did not print JSON');
  }
  if (typeof out !== 'object' || out === null || out.Version !== 1) throw failed(profile, 'did not return Version 1 credentials');
  if (typeof out.AccessKeyId !== 'string' || typeof out.SecretAccessKey !== 'string') throw failed(profile, 'returned no access key');
  let expiration: Date | undefined;
  if (out.Expiration !== undefined && out.Expiration !== null && out.Expiration !== '') {
    expiration = new Date(String(out.Expiration));
    if (Number.isNaN(expiration.getTime())) throw failed(profile, 'returned an unreadable Expiration');
    if (expiration.getTime() < Date.now()) throw failed(profile, 'returned expired credentials');
  }
  const accountId = typeof out.AccountId === 'string' && out.AccountId !== '' ? out.AccountId : data.aws_account_id;
  return {
    accessKeyId: out.AccessKeyId,
    secretAccessKey: out.SecretAccessKey,
    ...(typeof out.SessionToken === 'string' && out.SessionToken !== '' ? { sessionToken: out.SessionToken } : {}),
    ...(expiration ? { expiration } : {}),
    ...(typeof out.CredentialScope === 'string' && out.CredentialScope !== '' ? { credentialScope: out.CredentialScope } : {}),
    ...(accountId ? { accountId } : {}),
  };
}
