/**
 * AWS Secrets Manager over JSON 1.1 (target prefix `secretsmanager`, signing name and IAM prefix `secretsmanager`),
 * answered from secretsmanager-state.ts:
 *
 * - ListSecrets: MaxResults 1–100 (default 100 here), NextToken (opaque, bound to the other parameters),
 *   IncludePlannedDeletion (default false: secrets scheduled for deletion are left out), Filters (Key name |
 *   description | tag-key | tag-value | owning-service | primary-region | all; values match as prefixes, a leading `!`
 *   negates), SortOrder asc | desc by CreatedDate (default desc). Entries carry what SecretListEntry has: no
 *   ReplicationStatus (only DescribeSecret has it).
 * - DescribeSecret: SecretId = ARN or name; not found → ResourceNotFoundException. A scheduled secret is described, with
 *   DeletedDate. A primary with replicas answers PrimaryRegion and ReplicationStatus.
 * - DeleteSecret: RecoveryWindowInDays 7–30 (default 30) or ForceDeleteWithoutRecovery (both, or a window out of
 *   bounds → InvalidParameterException); sets DeletedDate and answers DeletionDate. A secret already scheduled →
 *   InvalidRequestException; a primary with replicas → InvalidRequestException (remove the replicas first); a replica
 *   → InvalidRequestException (removed from its primary's Region with RemoveRegionsFromReplication).
 * - RestoreSecret: cancels a scheduled deletion.
 *
 * Timestamps are epoch seconds (JSON 1.1). Denied actions answer AccessDeniedException naming the action.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';
import type { SimSecret } from '../secretsmanager-state';

const DAY_MS = 86_400_000;
const invalidParam = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const invalidRequest = (message: string): ApiError => new ApiError('InvalidRequestException', message, 400);
const epoch = (d: Date): number => d.getTime() / 1000;
const FILTER_KEYS = new Set(['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all']);

function secretOf(ctx: CallContext, input: JsonObject): SimSecret {
  const id = input['SecretId'];
  if (typeof id !== 'string' || id.length < 1 || id.length > 2048) throw invalidParam('SecretId must be 1 to 2048 characters');
  const s = ctx.region.secretsManager.find(id);
  if (s === undefined) throw new ApiError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400);
  return s;
}

function versionsToStages(s: SimSecret): Record<string, string[]> {
  const v = createHash('sha256').update(s.arn).digest('hex');
  return { [`${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`]: ['AWSCURRENT'] };
}

function common(s: SimSecret): JsonObject {
  return {
    ARN: s.arn,
    Name: s.name,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    ...(s.rotationEnabled ? { RotationEnabled: true } : {}),
    LastChangedDate: epoch(s.lastChangedAt),
    ...(s.lastAccessedAt !== null ? { LastAccessedDate: epoch(s.lastAccessedAt) } : {}),
    ...(s.deletedAt !== null ? { DeletedDate: epoch(s.deletedAt) } : {}),
    Tags: s.tags.map((t) => ({ Key: t.key, Value: t.value })),
    ...(s.owningService !== undefined ? { OwningService: s.owningService } : {}),
    CreatedDate: epoch(s.createdAt),
    ...(s.primaryRegion !== undefined ? { PrimaryRegion: s.primaryRegion } : {}),
  };
}

interface Filter {
  key: string;
  values: string[];
}

function filters(v: unknown): Filter[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > 10) throw invalidParam('Filters must be a list of up to 10 filters');
  return v.map((x: unknown) => {
    const o = (x ?? {}) as JsonObject;
    const key = o['Key'];
    const values = o['Values'];
    if (typeof key !== 'string' || !FILTER_KEYS.has(key)) throw invalidParam(`Invalid filter key: ${String(key)}`);
    if (!Array.isArray(values) || values.length < 1 || values.length > 10 || values.some((s) => typeof s !== 'string')) {
      throw invalidParam('Each filter needs 1 to 10 string Values');
    }
    return { key, values: values as string[] };
  });
}

function fieldsOf(s: SimSecret, key: string): string[] {
  switch (key) {
    case 'name':
      return [s.name];
    case 'description':
      return s.description !== undefined ? [s.description] : [];
    case 'tag-key':
      return s.tags.map((t) => t.key);
    case 'tag-value':
      return s.tags.map((t) => t.value);
    case 'owning-service':
      return s.owningService !== undefined ? [s.owningService] : [];
    case 'primary-region':
      return s.primaryRegion !== undefined ? [s.primaryRegion] : [];
    default:
      return [s.name, ...(s.description !== undefined ? [s.description] : []), ...s.tags.flatMap((t) => [t.key, t.value])];
  }
}

function matches(s: SimSecret, f: Filter): boolean {
  const fields = fieldsOf(s, f.key);
  return f.values.some((v) => (v.startsWith('!') ? !fields.some((x) => x.startsWith(v.slice(1))) : fields.some((x) => x.startsWith(v))));
}

function listSecrets(ctx: CallContext, input: JsonObject): JsonObject {
  const max = input['MaxResults'];
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100)) {
    throw invalidParam('MaxResults must be an integer from 1 to 100');
  }
  const planned = input['IncludePlannedDeletion'] === true;
  const fs = filters(input['Filters']);
  const order = input['SortOrder'] ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidParam(`Invalid SortOrder: ${String(order)}`);
  const q = createHash('sha256')
    .update(JSON.stringify([max ?? null, planned, fs, order]))
    .digest('base64url')
    .slice(0, 12);
  const sorted = [...ctx.region.secretsManager.secrets.values()]
    .filter((s) => (planned || s.deletedAt === null) && fs.every((f) => matches(s, f)))
    .sort((a, b) => (a.createdAt.getTime() - b.createdAt.getTime() || (a.name < b.name ? -1 : 1)) * (order === 'asc' ? 1 : -1));
  let start = 0;
  const token = input['NextToken'];
  if (typeof token === 'string' && token !== '') {
    try {
      const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { i?: unknown; q?: unknown };
      if (typeof t.i !== 'number' || t.q !== q) throw new Error('bad');
      start = t.i;
    } catch {
      throw invalidParam('Invalid NextToken');
    }
  }
  const limit = typeof max === 'number' ? max : 100;
  const items = sorted.slice(start, start + limit);
  const more = start + limit < sorted.length;
  return {
    SecretList: items.map((s) => ({ ...common(s), SecretVersionsToStages: versionsToStages(s) })),
    ...(more ? { NextToken: Buffer.from(JSON.stringify({ i: start + limit, q })).toString('base64url') } : {}),
  };
}

function describeSecret(ctx: CallContext, input: JsonObject): JsonObject {
  const s = secretOf(ctx, input);
  return {
    ...common(s),
    VersionIdsToStages: versionsToStages(s),
    ...(s.replicaRegions.length > 0 ? { ReplicationStatus: s.replicaRegions.map((r) => ({ Region: r, KmsKeyId: 'alias/aws/secretsmanager', Status: 'InSync' })) } : {}),
  };
}

function deleteSecret(ctx: CallContext, input: JsonObject): JsonObject {
  const s = secretOf(ctx, input);
  const window = input['RecoveryWindowInDays'];
  const force = input['ForceDeleteWithoutRecovery'] === true;
  if (force && window !== undefined && window !== null) {
    throw invalidParam("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  if (window !== undefined && window !== null && (typeof window !== 'number' || !Number.isInteger(window) || window < 7 || window > 30)) {
    throw invalidParam('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  if (s.deletedAt !== null) throw invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
  if (s.replicaRegions.length > 0) {
    throw invalidRequest(`You can't delete secret ${s.name} because it is replicated to other Regions (${s.replicaRegions.join(', ')}). Remove the replicas first.`);
  }
  if (s.primaryRegion !== undefined && s.primaryRegion !== ctx.regionName) {
    throw invalidRequest(`Operation not permitted on a replica secret. Call must be made in primary secret's region ${s.primaryRegion}.`);
  }
  const now = ctx.account.currentTime();
  if (force) {
    ctx.region.secretsManager.secrets.delete(s.name);
    return { ARN: s.arn, Name: s.name, DeletionDate: epoch(now) };
  }
  const days = typeof window === 'number' ? window : 30;
  s.deletedAt = now;
  s.deletionDate = new Date(now.getTime() + days * DAY_MS);
  return { ARN: s.arn, Name: s.name, DeletionDate: epoch(s.deletionDate) };
}

function restoreSecret(ctx: CallContext, input: JsonObject): JsonObject {
  const s = secretOf(ctx, input);
  s.deletedAt = null;
  s.deletionDate = null;
  return { ARN: s.arn, Name: s.name };
}

export const secretsManagerService = jsonService({
  name: 'Secrets Manager',
  signingName: 'secretsmanager',
  rejectsAuthFailureRegions: true,
  version: '2017-10-17',
  jsonVersion: '1.1',
  targetPrefix: 'secretsmanager',
  faultErrors: {
    serverError: new ApiError('InternalServiceError', 'An error occurred on the server side.', 500),
  },
  operations: {
    ListSecrets: listSecrets,
    DescribeSecret: describeSecret,
    DeleteSecret: deleteSecret,
    RestoreSecret: restoreSecret,
  },
});
