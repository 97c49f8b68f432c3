/**
 * Disabled customer managed KMS keys (AWS-FACTS-BEYOND-EC2.md, kind 15). A customer managed key bills $1/month while it
 * exists — enabled or disabled — plus $1/month for each of its first two rotated backing keys; keys pending deletion and
 * AWS managed keys are free (aws.amazon.com/kms/pricing; see pricing/keys/kms.ts).
 *
 * Unused: KeyManager CUSTOMER and KeyState `Disabled` (nothing can encrypt or decrypt with it, and it still bills).
 * Every other customer managed key is reported as in use (Enabled), or not judged (PendingDeletion: free and already on
 * its way out; PendingImport, Unavailable, …). AWS managed keys are never reported. Since when it is disabled is not
 * exposed by the API (CreationDate is not "disabled since"; only CloudTrail's DisableKey event says): unknown.
 *
 * Calls. ListKeys answers only ids and ARNs; KeyState and KeyManager need DescribeKey, one key at a time (KMS has no
 * batch describe). To make the fewest: ListAliases (one paged listing) first, and keys an `alias/aws/*` alias points
 * at (AWS managed) are dropped without a DescribeKey; DescribeKey then runs for the rest, at most 8 at a time. The cost
 * of a disabled key needs its rotations: ListKeyRotations for the disabled customer keys only, at most 8 at a time (a
 * key whose material cannot rotate answers UnsupportedOperationException: no rotations; a denied read leaves the cost
 * unknown). Tags: one paged tag:GetResources listing (`kms:key`), never ListResourceTags per key in a scan.
 *
 * Action `schedule-deletion` (the only one): ScheduleKeyDeletion with the longest waiting period, 30 days — never
 * shorter by default, never immediate. CancelKeyDeletion undoes it until the deletion date, which the outcome names. A
 * multi-Region primary key with replicas is refused: KMS does not delete a primary while replicas exist; it would sit
 * in PendingReplicaDeletion with no deletion date until they are deleted (KMS API reference, ScheduleKeyDeletion). KMS
 * has no DryRun: the cleanup verifies by the re-check (DescribeKey, ListResourceTags) and an IAM permission check.
 */
import {
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { KMS_KEY_MONTH, KMS_PRICE_KEYS } from '../pricing/keys/kms';
import { price } from '../pricing/price-key';
import type { RegionPrices } from '../pricing/types';
import { clampPageSize, isUnauthorized } from './ec2-common';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { protectionByTag, roundCost, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, RecheckResult, ResourceHandler } from './handler';
import { tagsByArn } from './tagging';
import { mapLimit } from '../scan/limiter';

export const KMS_KEY_TYPE = 'kms:key';
/** Cost Explorer's "AWS Key Management Service" (discovery catalog code). */
export const SERVICE_KMS = 'awskms';
export const PENDING_WINDOW_DAYS = 30;
/** At most this many DescribeKey / ListKeyRotations calls in flight. */
export const KMS_CONCURRENCY = 8;
/** Rotated backing keys that bill (the first and second rotation; later ones are free). */
const BILLED_ROTATIONS = 2;

export const KMS_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'schedule-deletion',
    label: `Schedule deletion in ${PENDING_WINDOW_DAYS} days`,
    doneLabel: 'Scheduled for deletion',
    description: `Schedules the key for deletion after a ${PENDING_WINDOW_DAYS}-day waiting period (the longest KMS allows). A key pending deletion is not billed.`,
    warning:
      'Data encrypted with this key (snapshots, objects, secrets) becomes unreadable once the key is deleted; CancelKeyDeletion undoes it until the deletion date, 30 days after the cleanup runs (the outcome names it)',
    removes: true,
    iam: ['kms:ScheduleKeyDeletion', 'kms:DescribeKey', 'kms:ListResourceTags'],
  },
];

export const MULTI_REGION_PRIMARY_REFUSAL = (regions: readonly string[]): string =>
  `A multi-Region primary key with replicas (${regions.join(', ')}): KMS does not delete it while its replicas exist (it would wait in PendingReplicaDeletion with no deletion date). Schedule the replicas' deletion first`;

const isNotFound = (err: unknown): boolean => awsErrorCode(err) === 'NotFoundException';

// ---- reading AWS ----

/** Aliases by target key id, and the ids of AWS managed keys (an `alias/aws/…` alias points at them). */
async function aliasIndex(ctx: HandlerContext): Promise<{ byKey: Map<string, string[]>; awsManaged: Set<string> }> {
  const byKey = new Map<string, string[]>();
  const awsManaged = new Set<string>();
  let marker: string | undefined;
  do {
    const out = await ctx.client(KMSClient).send(new ListAliasesCommand({ Limit: 100, ...(marker ? { Marker: marker } : {}) }), { abortSignal: ctx.signal });
    for (const a of out.Aliases ?? []) {
      if (!a.TargetKeyId || !a.AliasName) continue;
      if (a.AliasName.startsWith('alias/aws/')) awsManaged.add(a.TargetKeyId);
      byKey.set(a.TargetKeyId, [...(byKey.get(a.TargetKeyId) ?? []), a.AliasName]);
    }
    marker = out.Truncated ? out.NextMarker || undefined : undefined;
  } while (marker !== undefined);
  return { byKey, awsManaged };
}

async function keyIds(ctx: HandlerContext): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const out = await ctx
      .client(KMSClient)
      .send(new ListKeysCommand({ Limit: clampPageSize(ctx.pageSize, 1, 1000), ...(marker ? { Marker: marker } : {}) }), { abortSignal: ctx.signal });
    for (const k of out.Keys ?? []) if (k.KeyId) ids.push(k.KeyId);
    marker = out.Truncated ? out.NextMarker || undefined : undefined;
  } while (marker !== undefined);
  return ids;
}

async function describe(ctx: HandlerContext, keyId: string): Promise<KeyMetadata | null> {
  try {
    return (await ctx.client(KMSClient).send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal: ctx.signal })).KeyMetadata ?? null;
  } catch (err) {
    if (isNotFound(err)) return null; // deleted between the listing and the describe
    throw err;
  }
}

/** Completed rotations of the key material; 0 when it cannot rotate; null when the read was denied. */
async function rotationCount(ctx: HandlerContext, keyId: string): Promise<number | null> {
  let n = 0;
  let marker: string | undefined;
  try {
    do {
      const out = await ctx.client(KMSClient).send(new ListKeyRotationsCommand({ KeyId: keyId, Limit: 1000, ...(marker ? { Marker: marker } : {}) }), { abortSignal: ctx.signal });
      n += out.Rotations?.length ?? 0;
      marker = out.Truncated ? out.NextMarker || undefined : undefined;
    } while (marker !== undefined);
  } catch (err) {
    if (awsErrorCode(err) === 'UnsupportedOperationException') return 0;
    if (isUnauthorized(err)) return null;
    throw err;
  }
  return n;
}

async function resourceTags(ctx: HandlerContext, keyId: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const out = await ctx.client(KMSClient).send(new ListResourceTagsCommand({ KeyId: keyId, Limit: 50, ...(marker ? { Marker: marker } : {}) }), { abortSignal: ctx.signal });
    for (const t of out.Tags ?? []) if (t.TagKey !== undefined) tags[t.TagKey] = t.TagValue ?? '';
    marker = out.Truncated ? out.NextMarker || undefined : undefined;
  } while (marker !== undefined);
  return tags;
}

// ---- the finding ----

function costOf(m: KeyMetadata, rotations: number | null | undefined, prices: RegionPrices | null, region: string): { monthlyCost: number | null; costBasis: string } {
  if (m.KeyState === 'PendingDeletion' || m.KeyState === 'PendingReplicaDeletion') return { monthlyCost: 0, costBasis: 'No charge: keys scheduled for deletion are not billed (KMS pricing)' };
  if (m.KeyState !== 'Disabled') return { monthlyCost: null, costBasis: 'Not priced: only disabled keys are (its rotations are not read)' };
  const rate = prices === null ? null : price(prices, KMS_KEY_MONTH);
  if (rate === null) return { monthlyCost: null, costBasis: `Cost unknown: no KMS key-month price for ${region}` };
  if (rotations === null || rotations === undefined) {
    return { monthlyCost: null, costBasis: `Cost unknown: ${usd(rate)} per key-month plus ${usd(rate)} for each of its first two rotated backing keys, and its rotations could not be read (kms:ListKeyRotations)` };
  }
  const billed = Math.min(rotations, BILLED_ROTATIONS);
  const rot = rotations === 0 ? 'no rotated backing keys' : `${rotations} rotation${rotations === 1 ? '' : 's'}, ${billed} billed (only the first two rotations add a charge)`;
  return { monthlyCost: roundCost((1 + billed) * rate), costBasis: `${1 + billed} × ${usd(rate)} per key-month (the key; ${rot}) (${region})` };
}

function toFinding(ctx: HandlerContext, m: KeyMetadata, aliases: readonly string[], tags: Record<string, string>, rotations: number | null | undefined): Finding {
  const keyId = m.KeyId ?? '';
  const cost = costOf(m, rotations, ctx.prices, ctx.region);
  const protectedReason = protectionByTag(tags, ctx.settings.protectionTagKey);
  const mr = m.MultiRegionConfiguration;
  const replicaRegions = mr?.MultiRegionKeyType === 'PRIMARY' ? (mr.ReplicaKeys ?? []).map((r) => r.Region ?? '').filter((r) => r !== '') : [];
  const unused = m.KeyState === 'Disabled';
  return {
    resourceType: KMS_KEY_TYPE,
    resourceId: keyId,
    region: ctx.region,
    name: aliases[0] ?? tags['Name'] ?? null,
    state: m.KeyState ?? null,
    tags,
    createdAt: m.CreationDate ? new Date(m.CreationDate).toISOString() : null,
    unused,
    unusedReason: unused ? 'A customer managed key that is disabled: nothing can encrypt or decrypt with it, and it still bills' : null,
    unusedSince: null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      keyArn: m.Arn ?? null,
      aliases: aliases.length > 0 ? aliases.join(', ') : null,
      description: m.Description || null,
      keySpec: m.KeySpec ?? null,
      keyUsage: m.KeyUsage ?? null,
      origin: m.Origin ?? null,
      multiRegionRole: m.MultiRegion ? (mr?.MultiRegionKeyType ?? null) : null,
      replicaRegions,
      rotations: rotations ?? null,
      deletionDate: m.DeletionDate ? new Date(m.DeletionDate).toISOString() : null,
      disabledSince: 'Not exposed by the KMS API (CloudTrail DisableKey events say)',
    },
  };
}

/** The kind's refusal of its action. */
export function kmsRefusal(finding: Finding, _action: string): string | null {
  const replicas = finding.details['replicaRegions'];
  if (finding.details['multiRegionRole'] === 'PRIMARY' && Array.isArray(replicas) && replicas.length > 0) return MULTI_REGION_PRIMARY_REFUSAL(replicas as string[]);
  return null;
}

export const disabledKmsKeysHandler: ResourceHandler = {
  type: KMS_KEY_TYPE,
  label: 'Disabled KMS keys',
  noun: 'KMS key',
  consoleUrl: 'https://{host}/kms/home?region={region}#/kms/keys/{id}',
  iam: {
    scan: ['kms:ListAliases', 'kms:ListKeys', 'kms:DescribeKey', 'kms:ListKeyRotations', 'tag:GetResources'],
    action: [...KMS_ACTIONS[0]!.iam],
  },
  actionLabel: 'Schedule deletion',
  actions: KMS_ACTIONS,
  verification: {
    method: 'permission-check',
    description: 'KMS has no DryRun: each key is re-checked (still disabled, still customer managed, its tags) and IAM policy simulation says whether you may schedule its deletion',
  },
  priceKeys: KMS_PRICE_KEYS,
  detailFields: [
    { key: 'aliases', label: 'Aliases', emptyText: 'None' },
    { key: 'description', label: 'Description', emptyText: 'None' },
    { key: 'keySpec', label: 'Key spec' },
    { key: 'keyUsage', label: 'Key usage' },
    { key: 'origin', label: 'Key material origin' },
    { key: 'multiRegionRole', label: 'Multi-Region key', emptyText: 'No (single-Region)' },
    { key: 'rotations', label: 'Rotations of its key material', emptyText: 'Not read' },
    { key: 'deletionDate', label: 'Deletion date', emptyText: 'Not scheduled' },
    { key: 'disabledSince', label: 'Disabled since' },
  ],
  category: 'Security',
  serviceCodes: [SERVICE_KMS],
  billingServiceCode: SERVICE_KMS,
  deleteOrder: 90,
  tagTypes: [KMS_KEY_TYPE],
  actionRefusal: kmsRefusal,

  async *scan(ctx) {
    const { byKey, awsManaged } = await aliasIndex(ctx);
    const ids = (await keyIds(ctx)).filter((id) => !awsManaged.has(id));
    ctx.signal?.throwIfAborted();
    const metas = (await mapLimit(ids, KMS_CONCURRENCY, (id) => describe(ctx, id))).filter((m): m is KeyMetadata => m !== null && m.KeyManager === 'CUSTOMER');
    if (metas.length === 0) return;
    const disabled = metas.filter((m) => m.KeyState === 'Disabled');
    const [rotations, tags] = await Promise.all([
      mapLimit(disabled, KMS_CONCURRENCY, (m) => rotationCount(ctx, m.KeyId ?? '')),
      tagsByArn(ctx, [KMS_KEY_TYPE]),
    ]);
    const rotationsOf = new Map(disabled.map((m, i) => [m.KeyId ?? '', rotations[i] ?? null]));
    yield metas.map((m) => toFinding(ctx, m, byKey.get(m.KeyId ?? '') ?? [], tags.get(m.Arn ?? '') ?? {}, rotationsOf.get(m.KeyId ?? '')));
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    const m = await describe(ctx, stored.resourceId);
    if (m === null) return { status: 'gone', reason: 'The key no longer exists' };
    if (m.KeyState === 'PendingDeletion' || m.KeyState === 'PendingReplicaDeletion') return { status: 'gone', reason: `The key is already scheduled for deletion (${m.KeyState})` };
    const [tags, rotations] = await Promise.all([resourceTags(ctx, stored.resourceId), m.KeyState === 'Disabled' ? rotationCount(ctx, stored.resourceId) : Promise.resolve(undefined)]);
    const aliases = typeof stored.details['aliases'] === 'string' ? (stored.details['aliases'] as string).split(', ') : [];
    const current = toFinding(ctx, m, aliases, tags, rotations);
    if (m.KeyManager !== 'CUSTOMER') return { status: 'changed', reason: 'Not a customer managed key', current };
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (m.KeyState !== 'Disabled') return { status: 'changed', reason: `The key is ${m.KeyState ?? 'in an unknown state'} now, not Disabled`, current };
    const no = kmsRefusal(current, ctx.action ?? 'schedule-deletion');
    if (no !== null) return { status: 'changed', reason: no, current };
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    const protectedBy = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
    if (dryRun) return { kind: 'checked', calls: [], note: 'KMS has no DryRun: verified by the re-check and an IAM permission check' };
    const action = ctx.action ?? 'schedule-deletion';
    if (action !== 'schedule-deletion') return { kind: 'failed', code: 'UnknownAction', message: `KMS keys have no action "${action}"` };
    const no = kmsRefusal(stored, action);
    if (no !== null) return { kind: 'refused', reason: no };
    const call = { action: 'ScheduleKeyDeletion', target: stored.resourceId, dryRun: false };
    const result = await auditedMutation(ctx, call, async () => {
      try {
        const out = await ctx
          .client(KMSClient)
          .send(new ScheduleKeyDeletionCommand({ KeyId: stored.resourceId, PendingWindowInDays: PENDING_WINDOW_DAYS }), { abortSignal: ctx.signal });
        // DeletionDate stays in the answer: the audit row keeps it (restorable until then).
        return {
          note: out.DeletionDate ? `deletion on ${new Date(out.DeletionDate).toISOString()}; CancelKeyDeletion undoes it until then` : `key state ${out.KeyState ?? 'unknown'}, no deletion date`,
          ...(out.DeletionDate ? { DeletionDate: out.DeletionDate } : {}),
        };
      } catch (err) {
        // Gone, or scheduled by an earlier attempt: what the call was for.
        if (isNotFound(err)) return { note: 'already gone' };
        if (awsErrorCode(err) === 'KMSInvalidStateException' && (await describe(ctx, stored.resourceId))?.KeyState === 'PendingDeletion') return { note: 'already pending deletion' };
        throw err;
      }
    });
    if (result.kind === 'unauthorized' || result.kind === 'error') return failureOutcome(result);
    const note = result.kind === 'done' && typeof result.value === 'object' ? result.value.note : '';
    return { kind: 'deleted', calls: [`${callLabel(call)} (${PENDING_WINDOW_DAYS}-day window; ${note})`] };
  },

  parts(finding) {
    return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
  },
};
