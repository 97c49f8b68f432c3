/**
 * CloudWatch Logs over JSON 1.1 (signing name and IAM prefix `logs`, target prefix `Logs_20140328`), from the region's
 * log groups (logs-state.ts). Shapes as the SDK's LogGroup (`@aws-sdk/client-cloudwatch-logs`).
 *
 * - DescribeLogGroups: ordered by name; `logGroupNamePrefix` or `logGroupNamePattern` (case-sensitive substring; then
 *   only `arn`, `creationTime` and `logGroupName` are answered, as AWS documents), both → InvalidParameterException;
 *   `limit` 1–50 (default 50) else InvalidParameterException; `nextToken` opaque, bound to the request's filters (a
 *   foreign token → InvalidParameterException); the last page has no `nextToken`. `arn` carries the trailing `:*`,
 *   `logGroupArn` does not; `retentionInDays` only when set.
 * - PutRetentionPolicy: `retentionInDays` must be one of AWS's values (RETENTION_DAYS) else InvalidParameterException;
 *   DeleteRetentionPolicy: never expire again. Both change nothing else on the group.
 * - DeleteLogGroup: a group with deletion protection → ValidationException "Cannot delete log group with deletion
 *   protection enabled. Disable deletion protection first." (the CloudWatch Logs guide, "Protecting log groups from
 *   deletion", Error handling); a missing group → ResourceNotFoundException 400.
 * - ListTagsForResource: `resourceArn` is the group ARN without `:*` (AWS requires that form for the tagging calls);
 *   answers `tags` as a map.
 * - Denied (`deny: ['logs:DescribeLogGroups']`) → AccessDeniedException 400 naming the IAM action. Faults: throttling
 *   ThrottlingException 400, server errors ServiceUnavailableException 500 (the model's codes).
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import { LOG_GROUP_NAME, RETENTION_DAYS, type SimLogGroup } from '../logs-state';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';

const MAX_LIMIT = 50;

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const notFound = (): ApiError => new ApiError('ResourceNotFoundException', 'The specified log group does not exist.', 400);

function optString(input: JsonObject, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`${name} must be a string`);
  return v;
}

function groupName(input: JsonObject): string {
  const name = optString(input, 'logGroupName');
  if (name === undefined || !LOG_GROUP_NAME.test(name)) throw invalid('1 validation error detected: Value at \'logGroupName\' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
  return name;
}

function groupOf(ctx: CallContext, name: string): SimLogGroup {
  const g = ctx.region.logs.groups.get(name);
  if (g === undefined) throw notFound();
  return g;
}

function encodeToken(after: string, q: string): string {
  return Buffer.from(JSON.stringify({ after, q })).toString('base64url');
}

function decodeToken(s: string, q: string): string {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { after?: unknown; q?: unknown };
    if (typeof t.after === 'string' && t.q === q) return t.after;
  } catch {
    // fall through
  }
  throw invalid('The specified nextToken is invalid.');
}

function describeLogGroups(ctx: CallContext, input: JsonObject): JsonObject {
  const prefix = optString(input, 'logGroupNamePrefix');
  const pattern = optString(input, 'logGroupNamePattern');
  if (prefix !== undefined && pattern !== undefined) throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  const rawLimit = input['limit'];
  if (rawLimit !== undefined && rawLimit !== null && (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 1 || rawLimit > MAX_LIMIT)) {
    throw invalid(`1 validation error detected: Value '${String(rawLimit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIMIT}`);
  }
  const limit = typeof rawLimit === 'number' ? rawLimit : MAX_LIMIT;
  const q = createHash('sha256').update(JSON.stringify([prefix ?? null, pattern ?? null, limit])).digest('base64url').slice(0, 16);
  const token = optString(input, 'nextToken');
  const after = token === undefined || token === '' ? undefined : decodeToken(token, q);
  const all = ctx.region.logs
    .sorted()
    .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.includes(pattern)) && (after === undefined || g.name > after));
  const page = all.slice(0, limit);
  const more = all.length > page.length;
  return {
    logGroups: page.map((g) => (pattern !== undefined ? { logGroupName: g.name, creationTime: g.creationTime, arn: `${g.arn}:*` } : shape(g))),
    ...(more ? { nextToken: encodeToken(page.at(-1)!.name, q) } : {}),
  };
}

function shape(g: SimLogGroup): JsonObject {
  return {
    logGroupName: g.name,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: g.metricFilterCount,
    arn: `${g.arn}:*`,
    storedBytes: g.storedBytes,
    ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
    logGroupClass: g.logGroupClass,
    logGroupArn: g.arn,
    deletionProtectionEnabled: g.deletionProtectionEnabled,
  };
}

function putRetentionPolicy(ctx: CallContext, input: JsonObject): JsonObject {
  const name = groupName(input);
  const days = input['retentionInDays'];
  if (typeof days !== 'number' || !RETENTION_DAYS.includes(days)) {
    throw invalid(`1 validation error detected: Value '${String(days)}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
  }
  groupOf(ctx, name).retentionInDays = days;
  return {};
}

function deleteRetentionPolicy(ctx: CallContext, input: JsonObject): JsonObject {
  delete groupOf(ctx, groupName(input)).retentionInDays;
  return {};
}

function deleteLogGroup(ctx: CallContext, input: JsonObject): JsonObject {
  const name = groupName(input);
  const g = groupOf(ctx, name);
  if (g.deletionProtectionEnabled) throw new ApiError('ValidationException', 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.', 400);
  ctx.region.logs.groups.delete(name);
  return {};
}

function listTagsForResource(ctx: CallContext, input: JsonObject): JsonObject {
  const arn = optString(input, 'resourceArn');
  if (arn === undefined || !arn.startsWith('arn:')) throw invalid('resourceArn must be an ARN');
  const m = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+)$/.exec(arn);
  if (m === null || m[1] !== ctx.regionName || m[2] !== ctx.account.accountId) throw notFound();
  // The tagging calls take the ARN without `:*`; with it, AWS finds no such resource.
  const g = ctx.region.logs.groups.get(m[3]!);
  if (g === undefined || g.arn !== arn) throw notFound();
  return { tags: Object.fromEntries(g.tags.map((t) => [t.key, t.value])) };
}

export const logsService = jsonService({
  name: 'CloudWatch Logs',
  signingName: 'logs',
  rejectsAuthFailureRegions: true,
  version: '2014-03-28',
  jsonVersion: '1.1',
  targetPrefix: 'Logs_20140328',
  faultErrors: {
    throttling: new ApiError('ThrottlingException', 'Rate exceeded', 400),
    serverError: new ApiError('ServiceUnavailableException', 'The service cannot complete the request.', 500),
  },
  operations: {
    DescribeLogGroups: describeLogGroups,
    PutRetentionPolicy: putRetentionPolicy,
    DeleteRetentionPolicy: deleteRetentionPolicy,
    DeleteLogGroup: deleteLogGroup,
    ListTagsForResource: listTagsForResource,
  },
});
