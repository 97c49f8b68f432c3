/**
 * STS GetCallerIdentity and AssumeRole, IAM ListAccountAliases (awsQuery: `<XResponse><XResult>…</XResult><ResponseMetadata>`).
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './api-error';
import type { QueryParams } from './query-params';
import { defaultRoleId } from './resolve-fixture';
import type { SimAccount, SimAssumeRoleRequest, SimRole, SimSession } from './state';
import { el, esc, node, XML_DECL } from './xml';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

function wrap(action: string, xmlns: string, result: string, requestId: string): string {
  return `${XML_DECL}<${action}Response xmlns="${xmlns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The access key id of a SigV4 `Authorization` header (`Credential=AKID/20261125/…`). */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

interface Caller {
  arn: string;
  userId: string;
  accountId: string;
}

/** Who signed: a session AssumeRole issued, else the fixture's user (any other credentials work, as before). */
function callerOf(account: SimAccount, accessKeyId: string | undefined): Caller {
  const session = accessKeyId === undefined ? undefined : account.sessions.get(accessKeyId);
  if (!session) return { arn: account.arn, userId: account.userId, accountId: account.accountId };
  if (session.expiration.getTime() <= Date.now()) throw new ApiError('ExpiredToken', 'The security token included in the request is expired', 403);
  return session;
}

/** `authorization`: the request's Authorization header (picks the caller: base user or an assumed-role session). */
export function handleSts(account: SimAccount, p: QueryParams, requestId: string, authorization?: string): string {
  const action = p.get('Action') ?? '';
  const caller = callerOf(account, accessKeyIdOf(authorization));
  switch (action) {
    case 'GetCallerIdentity':
      return wrap(action, STS_XMLNS, el('Arn', caller.arn) + el('UserId', caller.userId) + el('Account', caller.accountId), requestId);
    case 'AssumeRole':
      return wrap(action, STS_XMLNS, assumeRole(account, p, caller), requestId);
    default:
      throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${p.get('Version') ?? ''}`);
  }
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** AWS's input validation message: `1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: …`. */
function validate(p: QueryParams): void {
  const problems: string[] = [];
  const value = (v: string | undefined): string => (v === undefined ? 'null' : `'${v}'`);
  const str = (param: string, member: string, required: boolean, min: number, max: number, pattern?: RegExp): void => {
    const v = p.get(param);
    const fail = (c: string): void => void problems.push(`Value ${value(v)} at '${member}' failed to satisfy constraint: Member must ${c}`);
    if (v === undefined) {
      if (required) fail('not be null');
      return;
    }
    if (v.length < min) fail(`have length greater than or equal to ${min}`);
    else if (v.length > max) fail(`have length less than or equal to ${max}`);
    if (pattern && !new RegExp(`^${pattern.source}$`).test(v)) fail(`satisfy regular expression pattern: ${pattern.source}`);
  };
  str('RoleArn', 'roleArn', true, 20, 2048);
  str('RoleSessionName', 'roleSessionName', true, 2, 64, /[\w+=,.@-]*/);
  str('SerialNumber', 'serialNumber', false, 9, 256, /[\w+=/:,.@-]*/);
  str('TokenCode', 'tokenCode', false, 6, 6, /[\d]*/);
  const d = p.int('DurationSeconds');
  if (d !== undefined) {
    const fail = (c: string): void => void problems.push(`Value '${p.get('DurationSeconds') ?? ''}' at 'durationSeconds' failed to satisfy constraint: Member must ${c}`);
    if (Number.isNaN(d)) fail('be an integer');
    else if (d < 900) fail('have value greater than or equal to 900');
    else if (d > 43_200) fail('have value less than or equal to 43200');
  }
  if (problems.length > 0) {
    const n = problems.length;
    throw new ApiError('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
}

/** https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
function assumeRole(account: SimAccount, p: QueryParams, caller: Caller): string {
  const duration = p.int('DurationSeconds');
  const record: SimAssumeRoleRequest = {
    roleArn: p.get('RoleArn'),
    roleSessionName: p.get('RoleSessionName'),
    serialNumber: p.get('SerialNumber'),
    tokenCode: p.get('TokenCode'),
    durationSeconds: duration === undefined || Number.isNaN(duration) ? undefined : duration,
    callerArn: caller.arn,
    outcome: 'pending',
  };
  account.assumeRoleRequests.push(record);
  try {
    const session = issueSession(account, p, caller);
    record.outcome = 'ok';
    record.accessKeyId = session.accessKeyId;
    return (
      node(
        'Credentials',
        el('AccessKeyId', session.accessKeyId),
        el('SecretAccessKey', session.secretAccessKey),
        el('SessionToken', session.sessionToken),
        el('Expiration', session.expiration),
      ) + node('AssumedRoleUser', el('AssumedRoleId', session.userId), el('Arn', session.arn))
    );
  } catch (e) {
    record.outcome = e instanceof ApiError ? e.code : 'InternalFailure';
    throw e;
  }
}

function issueSession(account: SimAccount, p: QueryParams, caller: Caller): SimSession {
  validate(p);
  const roleArn = p.get('RoleArn') ?? '';
  const sessionName = p.get('RoleSessionName') ?? '';
  const m = ROLE_ARN.exec(roleArn);
  if (!m?.[1] || !m[2] || !m[4]) throw new ApiError('ValidationError', 'Request ARN is invalid');
  const [, partition, roleAccount, , roleName] = m as unknown as [string, string, string, string, string];

  const notAuthorized = (): ApiError =>
    new ApiError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  if (account.isDenied('sts', 'AssumeRole')) throw notAuthorized();
  const role: SimRole | undefined =
    account.roles === null
      ? { arn: roleArn, roleName, roleId: defaultRoleId(roleArn), requireMfa: false, maxSessionDurationSeconds: 3600 }
      : account.roles.get(roleArn);
  if (!role) throw notAuthorized();

  // MFA: a named device must come with its current code; a role whose trust policy demands MFA needs both.
  const serial = p.get('SerialNumber');
  const code = p.get('TokenCode');
  if (serial !== undefined && code !== account.mfaCode) {
    throw new ApiError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403);
  }
  if (role.requireMfa && serial === undefined) throw notAuthorized();

  const durationSeconds = p.int('DurationSeconds') ?? 3600;
  if (durationSeconds > role.maxSessionDurationSeconds) {
    throw new ApiError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }

  const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + durationSeconds * 1000);
  const session: SimSession = {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `FwoGZXIvYXdzE${randomBytes(96).toString('base64')}`,
    expiration,
    accountId: roleAccount,
    arn: `arn:${partition}:sts::${roleAccount}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    roleArn,
  };
  account.sessions.set(session.accessKeyId, session);
  return session;
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccountAliases.html */
export function handleIam(account: SimAccount, p: QueryParams, requestId: string): string {
  const action = p.get('Action') ?? '';
  if (action !== 'ListAccountAliases') throw new ApiError('InvalidAction', `Could not find operation ${action} for version ${p.get('Version') ?? ''}`);
  if (account.isDenied('iam', action)) {
    throw new ApiError('AccessDenied', `User: ${account.arn} is not authorized to perform: iam:${action} on resource: * because no identity-based policy allows the iam:${action} action`, 403);
  }
  const aliases = account.alias ? `<AccountAliases><member>${esc(account.alias)}</member></AccountAliases>` : '<AccountAliases/>';
  return wrap(action, IAM_XMLNS, el('IsTruncated', false) + aliases, requestId);
}

/** awsQuery error body (STS, IAM): `<ErrorResponse><Error><Type>Sender|Receiver</Type>…`. */
export function queryErrorXml(xmlns: string, err: ApiError, requestId: string): string {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  return `${XML_DECL}<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>${el('Code', err.code)}${el('Message', err.message)}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
