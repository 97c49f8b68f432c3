/**
 * Maps SDK / Smithy / Node errors to AppErrors with stable codes and messages a user can act on.
 * The raw AWS code travels in `details.awsCode` (the scanner stores it in scan_failures).
 */
import { AppError, isAppError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';

export interface AwsErrorContext {
  profile?: string;
  /** A service id such as `ec2`, `ce` / `cost-explorer`, `sts`, `iam`, `pricing`. */
  service?: string;
  region?: string;
  /** True when the caller knows `region` is an opt-in region (DescribeRegions OptInStatus). */
  regionOptIn?: boolean;
}

/** Set on errors by the client factory's middleware: the host a failed request was sent to. */
export const REQUEST_HOST = Symbol.for('cloud-cleaner.requestHost');

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'Forbidden']);
const CREDENTIALS_INVALID = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'RequestExpired',
  'InvalidToken',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);
const PROVIDER_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError', 'ProviderError']);

type Loose = Record<string | symbol, unknown>;

function asRecord(err: unknown): Loose | null {
  return typeof err === 'object' && err !== null ? (err as Loose) : null;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The raw AWS (or Node) error code, e.g. `RequestLimitExceeded`, `ECONNREFUSED`, `AbortError`. */
export function awsErrorCode(err: unknown): string {
  const e = asRecord(err);
  if (e === null) return 'Unknown';
  if (isAppError(err)) return str(err.details?.awsCode) ?? err.code;
  // Service exceptions carry $metadata; their name is the AWS code (Code for some query-protocol errors).
  if (e.$metadata !== undefined || e.$fault !== undefined) {
    return str(e.Code) ?? str(e.code) ?? str(e.name) ?? 'Unknown';
  }
  const name = str(e.name);
  if (name === 'AbortError' || name === 'TimeoutError') return name;
  return str(e.code) ?? str(e.Code) ?? name ?? 'Unknown';
}

function messageOf(err: unknown): string {
  const e = asRecord(err);
  return str(e?.message) ?? str(e?.Message) ?? String(err);
}

function httpStatus(err: unknown): number | undefined {
  const meta = asRecord(asRecord(err)?.$metadata);
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

function isCostExplorer(service: string | undefined): boolean {
  const s = service?.toLowerCase().replace(/[\s_]/g, '-');
  return s === 'ce' || s === 'cost-explorer' || s === 'costexplorer';
}

/** `… is not authorized to perform: ec2:DescribeVolumes …` → `ec2:DescribeVolumes`. */
export function missingAction(message: string): string | null {
  const m = /not authorized to perform:?\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
  return m?.[1] ?? null;
}

function endpointHost(err: unknown): string | null {
  const e = asRecord(err);
  if (e === null) return null;
  const tagged = str(e[REQUEST_HOST]);
  if (tagged) return tagged;
  const host = str(e.hostname) ?? str(e.host) ?? str(e.address);
  if (host) return typeof e.port === 'number' ? `${host}:${e.port}` : host;
  // Node 20 (happy eyeballs) wraps connection failures in an AggregateError.
  const first = Array.isArray(e.errors) ? e.errors[0] : undefined;
  if (first !== undefined && first !== err) return endpointHost(first);
  const m = /(?:ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(messageOf(err));
  return m?.[1] ?? null;
}

function where(ctx: AwsErrorContext): string {
  const parts = [ctx.service ? `${ctx.service}` : null, ctx.region ? `in ${ctx.region}` : null].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

function make(code: ErrorCode, message: string, awsCode: string, ctx: AwsErrorContext, cause: unknown, extra: Record<string, unknown> = {}): AppError {
  const details: Record<string, unknown> = { awsCode, ...extra };
  if (ctx.profile !== undefined) details.profile = ctx.profile;
  if (ctx.service !== undefined) details.service = ctx.service;
  if (ctx.region !== undefined) details.region = ctx.region;
  return new AppError(code, message, details, { cause });
}

function ssoLogin(profile: string | undefined): string {
  return profile ? `aws sso login --profile ${profile}` : 'aws sso login --profile <profile>';
}

function fromProviderError(err: unknown, awsCode: string, ctx: AwsErrorContext): AppError {
  const msg = messageOf(err);
  const who = ctx.profile ? `profile "${ctx.profile}"` : 'this profile';
  if (/^Command failed:/.test(msg)) {
    // Node's exec error for a credential_process the SDK ran (one a source_profile names): the command line and its
    // stderr follow, and either may hold a secret. Neither is repeated, nor kept as the cause.
    return make('aws.credentials_missing', `A credential_process used by ${who} failed; run it in a terminal to see why.`, awsCode, ctx, undefined);
  }
  if (/\bSSO\b/i.test(msg) && /expired|not found|invalid|not present|refresh/i.test(msg)) {
    return make(
      'aws.sso_expired',
      `The AWS SSO session for ${who} has expired or was never started; run \`${ssoLogin(ctx.profile)}\` and try again.`,
      awsCode,
      ctx,
      err,
    );
  }
  if (/Token is expired|session token .* (was not found|is invalid)/i.test(msg)) {
    return make('aws.sso_expired', `The AWS SSO session for ${who} has expired; run \`${ssoLogin(ctx.profile)}\` and try again.`, awsCode, ctx, err);
  }
  if (/requires multi-factor authentication/i.test(msg)) {
    return make('aws.mfa_required', `${capitalize(who)} requires an MFA code, but none could be asked for.`, awsCode, ctx, err);
  }
  return make('aws.credentials_missing', `No AWS credentials could be loaded for ${who}: ${trimSentence(msg)}.`, awsCode, ctx, err);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function trimSentence(s: string): string {
  return s.trim().replace(/[.\s]+$/, '');
}

export function toAppError(err: unknown, context: AwsErrorContext = {}): AppError {
  if (isAppError(err)) return err;
  const ctx = context;
  const code = awsErrorCode(err);
  const name = str(asRecord(err)?.name);
  const msg = messageOf(err);
  const loc = where(ctx);

  if (name === 'AbortError' || code === 'AbortError') {
    return make('cancelled', 'The operation was cancelled.', code, ctx, err);
  }
  if (name !== undefined && PROVIDER_ERRORS.has(name)) return fromProviderError(err, code, ctx);

  if (ACCESS_DENIED.has(code)) {
    if (/not enabled for cost explorer/i.test(msg)) {
      return make(
        'ce.not_enabled',
        'Cost Explorer is not enabled for this account; enable it once in the AWS Billing console (data appears within 24 hours).',
        code,
        ctx,
        err,
      );
    }
    if (/MultiFactorAuthentication failed/i.test(msg)) {
      // STS rejected the one-time code of an assume-role profile with mfa_serial.
      return make('aws.mfa_invalid', `The MFA code was rejected${ctx.profile ? ` for profile ${ctx.profile}` : ''}; enter the current code from your MFA device and try again.`, code, ctx, err);
    }
    const action = missingAction(msg);
    const need = action ? ` Grant ${action} to this identity and try again.` : ' Check the IAM policy of this identity.';
    if (isCostExplorer(ctx.service)) {
      return make('ce.access_denied', `Access to Cost Explorer was denied.${need}`, code, ctx, err, { action });
    }
    return make('aws.access_denied', `AWS denied access${action ? ` to ${action}` : ''}${loc}.${need}`, code, ctx, err, { action });
  }

  if (code === 'AuthFailure' || code === 'RegionDisabledException') {
    if (ctx.region !== undefined) {
      const message = ctx.regionOptIn
        ? `Region ${ctx.region} is an opt-in region that is not enabled for this account; enable it in the AWS account settings or skip it.`
        : `Region ${ctx.region} rejected the credentials; the region may be disabled for this account (opt-in regions must be enabled first).`;
      return make('aws.region_disabled', message, code, ctx, err);
    }
    if (code === 'RegionDisabledException') {
      return make('aws.region_disabled', 'The region is not enabled for this account; enable it or choose another region.', code, ctx, err);
    }
    return make('aws.credentials_invalid', 'AWS could not validate the credentials; check the access key and the clock of this computer.', code, ctx, err);
  }

  if (CREDENTIALS_INVALID.has(code)) {
    const who = ctx.profile ? `profile "${ctx.profile}"` : 'these credentials';
    let message: string;
    if (code === 'ExpiredToken' || code === 'ExpiredTokenException') {
      message = `The session token of ${who} has expired; refresh the credentials and try again.`;
    } else if (code === 'SignatureDoesNotMatch' || code === 'RequestExpired') {
      message = `AWS rejected the request signature of ${who}; check the secret key and that this computer's clock is correct.`;
    } else {
      message = `AWS does not recognise the access key of ${who}; check that it exists and is active.`;
    }
    return make('aws.credentials_invalid', message, code, ctx, err);
  }

  if (code === 'LimitExceededException' && isCostExplorer(ctx.service)) {
    return make('ce.limit_exceeded', 'Cost Explorer is rate limiting requests; wait a minute and try again.', code, ctx, err);
  }
  if (THROTTLED.has(code) || httpStatus(err) === 429) {
    return make('aws.throttled', `AWS is throttling requests${loc}; wait a moment and try again.`, code, ctx, err);
  }
  if (code === 'DataUnavailableException') {
    return make('ce.data_unavailable', 'Cost Explorer has no data for this period yet; data appears about 24 hours after it is enabled.', code, ctx, err);
  }
  if (code === 'BillExpirationException') {
    return make('ce.bill_expired', 'Cost Explorer no longer has data this old; choose a period within the last 13 months.', code, ctx, err);
  }

  if (NETWORK_CODES.has(code) || name === 'TimeoutError') {
    const host = endpointHost(err);
    return make(
      'aws.network',
      `Could not reach ${host ?? 'the AWS endpoint'}${loc} (${code}); check the network connection, proxy or endpoint settings.`,
      code,
      ctx,
      err,
      { host },
    );
  }

  const e = asRecord(err);
  const fromService = e !== null && (e.$metadata !== undefined || e.$fault !== undefined);
  if (!fromService) {
    return make('internal', `Unexpected error${loc}: ${trimSentence(msg)}.`, code, ctx, err);
  }
  const status = httpStatus(err);
  if (status === 403) {
    return make('aws.access_denied', `AWS denied access${loc} (${code}); check the IAM policy of this identity.`, code, ctx, err, { action: null });
  }
  return make('aws.service_error', `AWS returned ${code}${loc}: ${trimSentence(msg)}.`, code, ctx, err, status === undefined ? {} : { httpStatus: status });
}
