/**
 * Credential providers, one per profile, resolved by the SDK (`fromIni` / `fromEnv`) and memoized across every
 * client of that profile — so an MFA code is asked for once per session, not once per client.
 */
import { fromEnv, fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { memoize, parseKnownFiles } from '@smithy/core/config';
import { AppError, isAppError } from '../../shared/errors';
import { credentialsFromProcess, resolvesByCredentialProcess } from './credential-process';
import { toAppError } from './errors';
import { ENVIRONMENT_PROFILE } from './types';
import type { MfaPrompt } from './types';

/** Settings for the SDK's inner STS/SSO clients (AssumeRole, GetRoleCredentials). */
export interface CredentialClientConfig {
  region?: string;
  endpoint?: string;
  ignoreConfiguredEndpointUrls?: boolean;
}

export interface CredentialProviderOptions {
  mfaPrompt?: MfaPrompt;
  clientConfig?: CredentialClientConfig;
}

// Refresh a little before expiry, as the SDK's own clients do.
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

const cache = new Map<string, AwsCredentialIdentityProvider>();

function mfaCodeProvider(profile: string, prompt: MfaPrompt | undefined): (mfaSerial: string) => Promise<string> {
  return async (mfaSerial) => {
    if (prompt === undefined) {
      throw new AppError('aws.mfa_required', `Profile "${profile}" requires an MFA code, and this session cannot ask for one.`, { profile });
    }
    let code: string;
    try {
      code = await prompt({ profile, mfaSerial });
    } catch (err) {
      if (isAppError(err)) throw err;
      throw new AppError('aws.mfa_cancelled', `MFA code entry was cancelled; profile "${profile}" was not used.`, { profile }, { cause: err });
    }
    const trimmed = typeof code === 'string' ? code.trim() : '';
    if (trimmed === '') {
      throw new AppError('aws.mfa_cancelled', `MFA code entry was cancelled; profile "${profile}" was not used.`, { profile });
    }
    if (!/^\d{6}$/.test(trimmed)) {
      throw new AppError('validation', 'An MFA code is the 6 digits shown by the MFA device; try again.', { profile });
    }
    return trimmed;
  };
}

async function profileExists(profile: string): Promise<boolean> {
  try {
    const profiles = await parseKnownFiles({ profile, ignoreCache: true });
    return profiles[profile] !== undefined;
  } catch {
    return false;
  }
}

async function mapCredentialError(err: unknown, profile: string): Promise<AppError> {
  if (isAppError(err)) return err;
  const message = err instanceof Error ? err.message : '';
  if (profile !== ENVIRONMENT_PROFILE && /Could not resolve credentials using profile/.test(message)) {
    if (!(await profileExists(profile))) {
      return new AppError('aws.profile_not_found', `Profile "${profile}" is not in the AWS config or credentials file.`, { profile }, { cause: err });
    }
    return new AppError(
      'aws.credentials_missing',
      `Profile "${profile}" has no credential settings (keys, SSO, role or credential_process); add them or pick another profile.`,
      { profile },
      { cause: err },
    );
  }
  if (profile === ENVIRONMENT_PROFILE && /environment variable/i.test(message)) {
    return new AppError(
      'aws.credentials_missing',
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set in the environment; set them or pick a profile.',
      { profile },
      { cause: err },
    );
  }
  return toAppError(err, { profile, service: 'sts' });
}

/**
 * The profile's credentials as the SDK resolves them (`fromIni`), except a profile that resolves by its own
 * credential_process: that one runs here, so a failure reports the exit code and never the command line or its
 * output (credential-process.ts). The files are read on every (re)resolution, as fromIni does with ignoreCache.
 */
function profileProvider(profile: string, options: CredentialProviderOptions): AwsCredentialIdentityProvider {
  const ini = fromIni({
    profile,
    // Re-read the files on every (re)resolution so edits made while the app runs are honoured.
    ignoreCache: true,
    mfaCodeProvider: mfaCodeProvider(profile, options.mfaPrompt),
    ...(options.clientConfig ? { clientConfig: options.clientConfig } : {}),
  });
  return async () => {
    let data: Record<string, string | undefined> | undefined;
    try {
      data = (await parseKnownFiles({ profile, ignoreCache: true }))[profile];
    } catch {
      data = undefined; // fromIni reports an unreadable file in its own words
    }
    return resolvesByCredentialProcess(data) ? credentialsFromProcess(profile, data) : ini();
  };
}

function buildProvider(profile: string, options: CredentialProviderOptions): AwsCredentialIdentityProvider {
  const base: AwsCredentialIdentityProvider = profile === ENVIRONMENT_PROFILE ? fromEnv() : profileProvider(profile, options);
  const guarded = async (): Promise<AwsCredentialIdentity> => {
    try {
      return await base();
    } catch (err) {
      // A failed resolution (MFA cancelled or timed out, SSO expired, a process that failed…) leaves nothing behind:
      // the next getCredentialProvider builds a fresh provider, reading the files and options again, and prompts again.
      if (cache.get(profile) === self) cache.delete(profile);
      throw await mapCredentialError(err, profile);
    }
  };
  const self: AwsCredentialIdentityProvider = memoize<AwsCredentialIdentity>(
    guarded,
    (c) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < REFRESH_MARGIN_MS,
    (c) => c.expiration !== undefined,
  );
  return self;
}

/**
 * The one credential provider of `profile` (or ENVIRONMENT_PROFILE). The first call's options win until
 * clearCredentialCache or a failed resolution: the same profile always resolves the same way within a session.
 * Failures are AppErrors: aws.profile_not_found, aws.credentials_missing, aws.sso_expired, aws.mfa_cancelled, …
 */
export function getCredentialProvider(profile: string, options: CredentialProviderOptions = {}): AwsCredentialIdentityProvider {
  let provider = cache.get(profile);
  if (provider === undefined) {
    provider = buildProvider(profile, options);
    cache.set(profile, provider);
  }
  return provider;
}

/** Forget cached credentials of one profile, or of all. The next request resolves (and may prompt) again. */
export function clearCredentialCache(profile?: string): void {
  if (profile === undefined) cache.clear();
  else cache.delete(profile);
}
