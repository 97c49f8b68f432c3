import { DataUnavailableException, LimitExceededException } from '@aws-sdk/client-cost-explorer';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import { awsErrorCode, missingAction, REQUEST_HOST, toAppError } from './errors';
import type { AwsErrorContext } from './errors';
import { redact } from './redacting-logger';

/** An error shaped like the SDK's service exceptions. */
function svc(name: string, message: string, status = 400, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status, requestId: 'r' }, ...extra });
}
function nodeErr(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

const DENIED_MSG =
  'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/bob is not authorized to perform: ec2:DescribeVolumes because no identity-based policy allows the ec2:DescribeVolumes action. Encoded authorization failure message: abc';

const table: Array<[string, unknown, AwsErrorContext, ErrorCode, RegExp]> = [
  ['EC2 UnauthorizedOperation', svc('UnauthorizedOperation', DENIED_MSG, 403), { service: 'ec2', region: 'eu-west-1' }, 'aws.access_denied', /ec2:DescribeVolumes/],
  ['STS AccessDenied', svc('AccessDenied', 'User is not authorized to perform: sts:AssumeRole on resource x', 403), {}, 'aws.access_denied', /sts:AssumeRole/],
  ['UnauthorizedAccess', svc('UnauthorizedAccess', 'nope', 403), {}, 'aws.access_denied', /IAM policy/],
  ['STS wrong MFA code', svc('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403), { profile: 'mfa-role' }, 'aws.mfa_invalid', /MFA code was rejected for profile mfa-role/],
  ['CE not enabled', svc('AccessDeniedException', 'User not enabled for cost explorer access', 400), { service: 'ce' }, 'ce.not_enabled', /Billing console/],
  ['CE denied', svc('AccessDeniedException', 'User: x is not authorized to perform: ce:GetCostAndUsage', 400), { service: 'ce' }, 'ce.access_denied', /ce:GetCostAndUsage/],
  ['AuthFailure in an opt-in region', svc('AuthFailure', 'AWS was not able to validate the provided access credentials', 401), { region: 'af-south-1', regionOptIn: true }, 'aws.region_disabled', /af-south-1 is an opt-in region/],
  ['AuthFailure with a region', svc('AuthFailure', 'x', 401), { region: 'me-south-1' }, 'aws.region_disabled', /me-south-1.*may be disabled/],
  ['AuthFailure without a region', svc('AuthFailure', 'x', 401), {}, 'aws.credentials_invalid', /validate the credentials/],
  ['InvalidClientTokenId', svc('InvalidClientTokenId', 'The security token included in the request is invalid.', 403), { profile: 'dev' }, 'aws.credentials_invalid', /profile "dev"/],
  ['UnrecognizedClientException', svc('UnrecognizedClientException', 'x', 400), {}, 'aws.credentials_invalid', /access key/],
  ['SignatureDoesNotMatch', svc('SignatureDoesNotMatch', 'x', 403), {}, 'aws.credentials_invalid', /clock/],
  ['ExpiredToken', svc('ExpiredToken', 'The security token included in the request is expired', 400), {}, 'aws.credentials_invalid', /expired/],
  ['Throttling', svc('Throttling', 'Rate exceeded', 400), { service: 'sts' }, 'aws.throttled', /throttling/],
  ['ThrottlingException', svc('ThrottlingException', 'Rate exceeded', 400), {}, 'aws.throttled', /wait/],
  ['RequestLimitExceeded', svc('RequestLimitExceeded', 'Request limit exceeded.', 503), { service: 'ec2', region: 'us-east-1' }, 'aws.throttled', /ec2 in us-east-1/],
  ['TooManyRequestsException', svc('TooManyRequestsException', 'x', 429), {}, 'aws.throttled', /throttling/],
  ['CE LimitExceededException', new LimitExceededException({ message: 'Rate exceeded', $metadata: {} }), { service: 'ce' }, 'ce.limit_exceeded', /Cost Explorer/],
  ['DataUnavailableException', new DataUnavailableException({ message: 'no data', $metadata: {} }), { service: 'ce' }, 'ce.data_unavailable', /24 hours/],
  ['BillExpirationException', svc('BillExpirationException', 'too old'), { service: 'ce' }, 'ce.bill_expired', /13 months/],
  ['ECONNREFUSED', nodeErr('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4566', { address: '127.0.0.1', port: 4566 }), {}, 'aws.network', /127\.0\.0\.1:4566/],
  ['ENOTFOUND', nodeErr('ENOTFOUND', 'getaddrinfo ENOTFOUND ec2.xx-fake-1.amazonaws.com', { hostname: 'ec2.xx-fake-1.amazonaws.com' }), {}, 'aws.network', /ec2\.xx-fake-1\.amazonaws\.com/],
  ['TimeoutError', Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }), {}, 'aws.network', /TimeoutError/],
  ['AbortError', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), {}, 'cancelled', /cancelled/],
  ['unknown service error', new EC2ServiceException({ name: 'VolumeInUse', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'vol-1 is attached' }), { service: 'ec2' }, 'aws.service_error', /VolumeInUse \(ec2\): vol-1 is attached\.$/],
  ['a bug, not AWS', new TypeError('x is undefined'), {}, 'internal', /Unexpected error/],
  ['SSO provider error', Object.assign(new Error('The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'), { name: 'CredentialsProviderError' }), { profile: 'corp' }, 'aws.sso_expired', /aws sso login --profile corp/],
  ['SSO token provider error', Object.assign(new Error('Token is expired. To refresh this SSO session run \'aws sso login\' with the corresponding profile.'), { name: 'TokenProviderError' }), { profile: 'corp' }, 'aws.sso_expired', /aws sso login --profile corp/],
  ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), {}, 'aws.credentials_missing', /No AWS credentials/],
];

describe('toAppError', () => {
  it.each(table)('%s', (_label, err, ctx, code, message) => {
    const mapped = toAppError(err, ctx);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
    expect(mapped.cause).toBe(err);
    // One sentence a user can act on, no stack or class noise.
    expect(mapped.message).toMatch(/^[A-Z].*[.]$/s);
  });

  it('keeps the raw AWS code and the missing action in details', () => {
    const mapped = toAppError(svc('UnauthorizedOperation', DENIED_MSG, 403), { service: 'ec2', region: 'eu-west-1', profile: 'p' });
    expect(mapped.details).toEqual({ awsCode: 'UnauthorizedOperation', action: 'ec2:DescribeVolumes', profile: 'p', service: 'ec2', region: 'eu-west-1' });
  });

  it('returns an AppError unchanged', () => {
    const e = new AppError('aws.mfa_cancelled', 'x');
    expect(toAppError(e)).toBe(e);
  });

  it('names the host the client factory tagged on a network error', () => {
    const e = nodeErr('ECONNRESET', 'socket hang up');
    Object.defineProperty(e, REQUEST_HOST, { value: 'ec2.eu-west-1.amazonaws.com' });
    expect(toAppError(e).message).toContain('ec2.eu-west-1.amazonaws.com');
  });

  it('looks inside an AggregateError for the host (Node 20 connection attempts)', () => {
    const inner = nodeErr('ECONNREFUSED', 'connect ECONNREFUSED ::1:4566', { address: '::1', port: 4566 });
    const agg = Object.assign(new AggregateError([inner], ''), { code: 'ECONNREFUSED' });
    expect(toAppError(agg)).toMatchObject({ code: 'aws.network', details: { host: '::1:4566' } });
  });

  it('maps an unmodelled 403 to access denied', () => {
    expect(toAppError(svc('Forbidden403', 'x', 403)).code).toBe('aws.access_denied');
  });
});

describe('awsErrorCode', () => {
  it('returns the raw code of service, Node and cancellation errors', () => {
    expect(awsErrorCode(svc('RequestLimitExceeded', 'x', 503))).toBe('RequestLimitExceeded');
    expect(awsErrorCode(svc('Whatever', 'x', 400, { Code: 'InvalidVolume.NotFound' }))).toBe('InvalidVolume.NotFound');
    expect(awsErrorCode(nodeErr('ECONNREFUSED', 'x'))).toBe('ECONNREFUSED');
    expect(awsErrorCode(Object.assign(new Error('a'), { name: 'AbortError', code: 20 }))).toBe('AbortError');
    expect(awsErrorCode(toAppError(svc('VolumeInUse', 'x')))).toBe('VolumeInUse');
    expect(awsErrorCode('a string')).toBe('Unknown');
  });
});

describe('missingAction', () => {
  it('finds the action in IAM denial messages', () => {
    expect(missingAction(DENIED_MSG)).toBe('ec2:DescribeVolumes');
    expect(missingAction('Access Denied')).toBeNull();
  });
});

describe('redact', () => {
  it('removes secret-looking keys and signed header fragments', () => {
    const out = redact({
      input: { SecretAccessKey: 's', nested: { sessionToken: 't', VolumeId: 'vol-1' } },
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/x, Signature=abc' },
      note: 'key AKIAABCDEFGHIJKLMNOP leaked; url ?X-Amz-Security-Token=zzz&a=1',
    });
    const text = JSON.stringify(out);
    expect(text).toContain('vol-1');
    for (const secret of ['"s"', '"t"', 'ABCDEFGHIJKLMNOP', 'Signature=abc', 'zzz']) expect(text).not.toContain(secret);
  });
});
