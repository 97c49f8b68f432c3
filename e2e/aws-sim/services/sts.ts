/**
 * AWS STS over the AWS Query protocol (signing name `sts`, API 2011-06-15): GetCallerIdentity and AssumeRole.
 * The caller is the assumed-role session whose `ASIA…` key signed the request, else the fixture's user. Permissions
 * are checked inside AssumeRole (after its input is validated, naming the role as AWS does); GetCallerIdentity
 * needs none.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../api-error';
import type { CallContext } from '../protocols/protocol';
import { awsQueryService } from '../protocols/aws-query';
import type { QueryParams } from '../protocols/query-params';
import { el, node } from '../protocols/xml';
import { defaultRoleId } from '../resolve-fixture';
import type { SimAccount, SimAssumeRoleRequest, SimRole, SimSession } from '../state';

declare module '../protocols/protocol' {
  interface SimOptions {
    /**
     * Test-only: sessions AssumeRole issues expire this many ms (wall clock) after issue, whatever DurationSeconds
     * asked (the answered Expiration says so), so a client's refresh-before-expiry can be exercised in seconds.
     */
    assumeRoleSessionLifetimeMs?: number;
  }
}

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_VERSION = '2011-06-15';

/** The access key id of a SigV4 `Authorization` header (`Credential=AKID/20261125/…`). */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

interface Caller {
  arn: string;
  userId: string;
  accountId: string;
}

/** Who signed: a session AssumeRole issued, else the fixture's user (any other credentials work). */
function callerOf(ctx: CallContext): Caller {
  const { account } = ctx;
  const accessKeyId = accessKeyIdOf(ctx.authorization);
  const session = accessKeyId === undefined ? undefined : account.sessions.get(accessKeyId);
  if (!session) return { arn: account.arn, userId: account.userId, accountId: account.accountId };
  if (session.expiration.getTime() <= Date.now()) throw new ApiError('ExpiredToken', 'The security token included in the request is expired', 403);
  return session;
}

export const stsService = awsQueryService({
  name: 'STS',
  signingName: 'sts',
  version: STS_VERSION,
  xmlNamespace: STS_XMLNS,
  permissionCheck: 'in-operation',
  // An expired session fails every call, before the action is even looked up.
  guard: (ctx) => void callerOf(ctx),
  operations: {
    GetCallerIdentity: (ctx) => {
      const caller = callerOf(ctx);
      return el('Arn', caller.arn) + el('UserId', caller.userId) + el('Account', caller.accountId);
    },
    AssumeRole: (ctx, p) => assumeRole(ctx.account, p, callerOf(ctx), ctx.options.assumeRoleSessionLifetimeMs),
  },
});

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
function assumeRole(account: SimAccount, p: QueryParams, caller: Caller, lifetimeMs: number | undefined): string {
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
    const session = issueSession(account, p, caller, lifetimeMs);
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

/**
 * The role, looked up in the account the ARN names: an organization member's own roles (none in a suspended one);
 * for the management account or an account outside the organization, the management account's `roles` (null: any
 * role ARN is assumable, without MFA) — the simulator's single-account behaviour.
 */
function roleOf(account: SimAccount, roleAccount: string, roleArn: string, roleName: string): SimRole | undefined {
  const org = account.organization;
  const target = org?.get(roleAccount);
  let home = account;
  if (org && target) {
    if (target.accountId !== org.managementAccountId) {
      if (!target.account || target.status !== 'ACTIVE') return undefined;
      return target.account.roles === null ? anyRole(roleArn, roleName) : target.account.roles.get(roleArn);
    }
    home = target.account ?? account;
  } else if (org) {
    home = org.management.account ?? account;
  }
  return home.roles === null ? anyRole(roleArn, roleName) : home.roles.get(roleArn);
}

const anyRole = (roleArn: string, roleName: string): SimRole => ({ arn: roleArn, roleName, roleId: defaultRoleId(roleArn), requireMfa: false, maxSessionDurationSeconds: 3600 });

function issueSession(account: SimAccount, p: QueryParams, caller: Caller, lifetimeMs: number | undefined): SimSession {
  validate(p);
  const roleArn = p.get('RoleArn') ?? '';
  const sessionName = p.get('RoleSessionName') ?? '';
  const m = ROLE_ARN.exec(roleArn);
  if (!m?.[1] || !m[2] || !m[4]) throw new ApiError('ValidationError', 'Request ARN is invalid');
  const [, partition, roleAccount, , roleName] = m as unknown as [string, string, string, string, string];

  const notAuthorized = (): ApiError =>
    new ApiError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  if (account.isDenied('sts', 'AssumeRole')) throw notAuthorized();
  const role = roleOf(account, roleAccount, roleArn, roleName);
  if (!role) throw notAuthorized();
  // The role's trust policy names the accounts that may assume it (a member's: the management account).
  if (role.trustedAccountIds && !role.trustedAccountIds.includes(caller.accountId)) throw notAuthorized();

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

  const expiration =
    lifetimeMs === undefined ? new Date(Math.floor(Date.now() / 1000) * 1000 + durationSeconds * 1000) : new Date(Date.now() + lifetimeMs);
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
