/**
 * AWS KMS over JSON 1.1 (signing name `kms`, target prefix `TrentService`, API 2014-11-01): ListKeys, ListAliases,
 * DescribeKey, ListKeyRotations, ListResourceTags, ScheduleKeyDeletion and CancelKeyDeletion, with the member names of
 * the installed `@aws-sdk/client-kms` schema (timestamps as epoch seconds).
 *
 * - Paging: `Limit` + `Marker` → `NextMarker` and `Truncated`. Limits: ListKeys and ListKeyRotations 1–1000 (default
 *   100), ListAliases 1–100 (default 50), ListResourceTags 1–50 (default 50); out of range → ValidationException.
 *   Markers are opaque and bound to the operation (another one's → InvalidMarkerException).
 * - A key is named by its key id, key ARN, alias name or alias ARN (DescribeKey); an unknown one → NotFoundException.
 * - ScheduleKeyDeletion: PendingWindowInDays 7–30 (default 30; else ValidationException); a key already pending
 *   deletion → KMSInvalidStateException; an AWS managed key → AccessDeniedException (its key policy grants no one the
 *   call). A multi-Region primary whose replicas exist goes to PendingReplicaDeletion without a DeletionDate (the
 *   waiting period starts when its last replica is deleted: KMS ScheduleKeyDeletion API reference).
 * - CancelKeyDeletion: the key returns to Disabled (as KMS does); not pending deletion → KMSInvalidStateException.
 * - ListKeyRotations of a key whose material cannot rotate (asymmetric, HMAC, custom key stores) →
 *   UnsupportedOperationException.
 * All errors are 400 with `__type` the code, as KMS answers them.
 */
import { ApiError } from '../api-error';
import type { SimKmsKey, SimKmsRegion } from '../kms-state';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';

const invalid = (message: string): ApiError => new ApiError('ValidationException', message, 400);
const notFound = (what: string): ApiError => new ApiError('NotFoundException', `${what} does not exist`, 400);
const invalidState = (message: string): ApiError => new ApiError('KMSInvalidStateException', message, 400);

const epoch = (d: Date): number => d.getTime() / 1000;

function limitOf(input: JsonObject, min: number, max: number, dflt: number): number {
  const v = input['Limit'];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(`1 validation error detected: Value '${String(v)}' at 'limit' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return v;
}

/** One page of `items` after the marker (opaque: `<operation>:<index>`). */
function page<T>(op: string, items: readonly T[], input: JsonObject, limit: number): { items: T[]; more: JsonObject } {
  const raw = input['Marker'];
  let start = 0;
  if (typeof raw === 'string' && raw !== '') {
    const m = /^([A-Za-z]+):(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
    if (m === null || m[1] !== op) throw new ApiError('InvalidMarkerException', 'The request was rejected because the marker that specifies where pagination should next begin is not valid', 400);
    start = Number(m[2]);
  }
  const slice = items.slice(start, start + limit);
  const next = start + slice.length;
  return { items: slice, more: next < items.length ? { NextMarker: Buffer.from(`${op}:${next}`).toString('base64url'), Truncated: true } : { Truncated: false } };
}

function kmsOf(ctx: CallContext): SimKmsRegion {
  return ctx.region.kms;
}

/** The key a KeyId names: key id, key ARN, alias name or alias ARN. */
function resolveKey(ctx: CallContext, input: JsonObject): SimKmsKey {
  const id = input['KeyId'];
  if (typeof id !== 'string' || id === '') throw invalid("1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
  const kms = kmsOf(ctx);
  const prefix = `arn:aws:kms:${ctx.regionName}:${ctx.account.accountId}:`;
  let name = id.startsWith(prefix) ? id.slice(prefix.length) : id;
  if (name.startsWith('key/')) name = name.slice(4);
  if (name.startsWith('alias/')) {
    const a = kms.aliases.get(name);
    const k = a === undefined ? undefined : kms.keys.get(a.targetKeyId);
    if (k === undefined) throw notFound(`Alias ${id}`);
    return k;
  }
  const k = kms.keys.get(name);
  if (k === undefined) throw notFound(`Key '${id.startsWith('arn:') ? id : `${prefix}key/${id}`}'`);
  return k;
}

/** KeyMetadata as DescribeKey answers it. */
export function renderKeyMetadata(ctx: CallContext, k: SimKmsKey): JsonObject {
  const arnIn = (region: string): string => `arn:aws:kms:${region}:${ctx.account.accountId}:key/${k.keyId}`;
  const mr = k.multiRegion;
  return {
    AWSAccountId: ctx.account.accountId,
    KeyId: k.keyId,
    Arn: k.arn,
    CreationDate: epoch(k.createdAt),
    Enabled: k.state === 'Enabled',
    Description: k.description,
    KeyUsage: k.keyUsage,
    KeyState: k.state,
    ...(k.deletionDate && k.state === 'PendingDeletion' ? { DeletionDate: epoch(k.deletionDate) } : {}),
    ...(k.state === 'PendingReplicaDeletion' && k.pendingWindowInDays !== undefined ? { PendingDeletionWindowInDays: k.pendingWindowInDays } : {}),
    Origin: k.origin,
    KeyManager: k.manager,
    CustomerMasterKeySpec: k.keySpec,
    KeySpec: k.keySpec,
    ...(k.keyUsage === 'ENCRYPT_DECRYPT' && k.keySpec === 'SYMMETRIC_DEFAULT' ? { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } : {}),
    MultiRegion: mr !== null,
    ...(mr !== null
      ? {
          MultiRegionConfiguration: {
            MultiRegionKeyType: mr.role,
            PrimaryKey: { Arn: arnIn(mr.primaryRegion), Region: mr.primaryRegion },
            ReplicaKeys: mr.role === 'PRIMARY' ? mr.replicaRegions.map((r) => ({ Arn: arnIn(r), Region: r })) : [],
          },
        }
      : {}),
  };
}

function scheduleKeyDeletion(ctx: CallContext, input: JsonObject): JsonObject {
  const k = resolveKey(ctx, input);
  const w = input['PendingWindowInDays'];
  if (w !== undefined && w !== null && (typeof w !== 'number' || !Number.isInteger(w) || w < 7 || w > 30)) {
    throw invalid(`1 validation error detected: Value '${String(w)}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value ${Number(w) < 7 ? 'greater than or equal to 7' : 'less than or equal to 30'}`);
  }
  const days = typeof w === 'number' ? w : 30;
  if (k.manager === 'AWS') {
    throw new ApiError('AccessDeniedException', `User: ${ctx.account.arn} is not authorized to perform: kms:ScheduleKeyDeletion on resource: ${k.arn} because no resource-based policy allows the kms:ScheduleKeyDeletion action`, 400);
  }
  if (k.state === 'PendingDeletion' || k.state === 'PendingReplicaDeletion') throw invalidState(`${k.arn} is pending deletion.`);
  k.pendingWindowInDays = days;
  if (k.multiRegion?.role === 'PRIMARY' && k.multiRegion.replicaRegions.length > 0) {
    k.state = 'PendingReplicaDeletion';
    delete k.deletionDate;
    return { KeyId: k.arn, KeyState: k.state, PendingWindowInDays: days };
  }
  k.state = 'PendingDeletion';
  // The waiting period runs on the wall clock from the call, as KMS's does.
  k.deletionDate = new Date(Date.now() + days * 86_400_000);
  return { KeyId: k.arn, DeletionDate: epoch(k.deletionDate), KeyState: k.state, PendingWindowInDays: days };
}

function cancelKeyDeletion(ctx: CallContext, input: JsonObject): JsonObject {
  const k = resolveKey(ctx, input);
  if (k.state !== 'PendingDeletion' && k.state !== 'PendingReplicaDeletion') throw invalidState(`${k.arn} is not pending deletion.`);
  k.state = 'Disabled';
  delete k.deletionDate;
  delete k.pendingWindowInDays;
  return { KeyId: k.arn };
}

export const kmsService = jsonService({
  name: 'KMS',
  signingName: 'kms',
  version: '2014-11-01',
  jsonVersion: '1.1',
  targetPrefix: 'TrentService',
  rejectsAuthFailureRegions: true,
  faultErrors: { serverError: new ApiError('KMSInternalException', 'An internal error has occurred', 500) },
  operations: {
    ListKeys: (ctx, input) => {
      const keys = [...kmsOf(ctx).keys.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : 1));
      const p = page('ListKeys', keys, input, limitOf(input, 1, 1000, 100));
      return { Keys: p.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...p.more };
    },
    ListAliases: (ctx, input) => {
      const kms = kmsOf(ctx);
      let aliases = [...kms.aliases.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      if (input['KeyId'] !== undefined) {
        const k = resolveKey(ctx, input);
        aliases = aliases.filter((a) => a.targetKeyId === k.keyId);
      }
      const p = page('ListAliases', aliases, input, limitOf(input, 1, 100, 50));
      return {
        Aliases: p.items.map((a) => ({
          AliasName: a.name,
          AliasArn: `arn:aws:kms:${ctx.regionName}:${ctx.account.accountId}:${a.name}`,
          TargetKeyId: a.targetKeyId,
          CreationDate: epoch(a.createdAt),
          LastUpdatedDate: epoch(a.createdAt),
        })),
        ...p.more,
      };
    },
    DescribeKey: (ctx, input) => ({ KeyMetadata: renderKeyMetadata(ctx, resolveKey(ctx, input)) }),
    ListKeyRotations: (ctx, input) => {
      const k = resolveKey(ctx, input);
      if (k.keySpec !== 'SYMMETRIC_DEFAULT' || k.origin === 'AWS_CLOUDHSM' || k.origin === 'EXTERNAL_KEY_STORE') {
        throw new ApiError('UnsupportedOperationException', `${k.arn} key does not support key rotation.`, 400);
      }
      const p = page('ListKeyRotations', k.rotations, input, limitOf(input, 1, 1000, 100));
      return { Rotations: p.items.map((d) => ({ KeyId: k.keyId, RotationDate: epoch(d), RotationType: 'AUTOMATIC' })), ...p.more };
    },
    ListResourceTags: (ctx, input) => {
      const k = resolveKey(ctx, input);
      const p = page('ListResourceTags', k.tags, input, limitOf(input, 1, 50, 50));
      return { Tags: p.items.map((t) => ({ TagKey: t.key, TagValue: t.value })), ...p.more };
    },
    ScheduleKeyDeletion: scheduleKeyDeletion,
    CancelKeyDeletion: cancelKeyDeletion,
  },
});
