/**
 * The cleanup actions of idle ElastiCache (elasticache-clusters.ts): delete keeping a final snapshot, and delete
 * without one.
 *
 * `delete` (default) keeps a final snapshot: CreateSnapshot (tagged with the plan), wait until it is
 * `available`, then DeleteReplicationGroup / DeleteCacheCluster with no FinalSnapshotIdentifier (the snapshot already
 * exists). Its cost is a part created and kept: ≈ the data (BytesUsedForCache, the largest member of each node group on
 * the latest day) × backup storage per GB-month — an upper bound, since the memory includes overhead; unknown when not
 * measured. `delete-without-snapshot` is an explicit choice. Memcached keeps no data on disk and ElastiCache refuses
 * any snapshot of it (SnapshotFeatureNotSupportedFault; so do cache.t1.micro nodes): `delete` is refused for them with
 * the reason, and only `delete-without-snapshot` applies — a cache holds nothing that a snapshot could keep.
 * ElastiCache has no DryRun: the cleanup verifies by the re-check and an IAM permission check.
 */
import { CreateSnapshotCommand, DeleteCacheClusterCommand, DeleteReplicationGroupCommand, DescribeSnapshotsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { finalSnapshotName, waitForSnapshot } from './final-snapshot';
import { protectionByTag } from './handler';
import type { DeleteContext, DeleteOutcome, Finding, StoredFinding } from './handler';

/** ElastiCache's not-found error codes (a group or cluster already gone). */
export const NOT_FOUND = /^(ReplicationGroupNotFound|CacheClusterNotFound)(Fault)?$/;

const DELETE_IAM = ['elasticache:DeleteReplicationGroup', 'elasticache:DeleteCacheCluster', 'elasticache:DescribeReplicationGroups', 'elasticache:DescribeCacheClusters', 'elasticache:ListTagsForResource'];
const SNAPSHOT_IAM = ['elasticache:CreateSnapshot', 'elasticache:AddTagsToResource', 'elasticache:DescribeSnapshots'];

export const ELASTICACHE_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'delete',
    label: 'Delete, keep a final snapshot',
    doneLabel: 'Deleted',
    description:
      'Takes a snapshot (tagged with the plan), waits until it is available, then deletes the replication group or cluster. The snapshot stays and bills as backup storage until you delete it.',
    removes: true,
    iam: [...SNAPSHOT_IAM, ...DELETE_IAM],
  },
  {
    id: 'delete-without-snapshot',
    label: 'Delete without a snapshot',
    doneLabel: 'Deleted',
    description: 'Deletes the replication group or cluster and its data; nothing is kept. The only choice for Memcached, which has no snapshots.',
    warning: 'The cached data is gone for good.',
    removes: true,
    iam: DELETE_IAM,
    explicit: true,
  },
];

export const MEMCACHED_REFUSAL =
  'ElastiCache cannot snapshot it (Memcached keeps no data on disk; cache.t1.micro nodes have no snapshots): choose "Delete without a snapshot" — a cache holds nothing a snapshot could keep';

async function deleteCall(ctx: DeleteContext, f: Finding): Promise<{ ok: true; label: string } | { ok: false; outcome: DeleteOutcome }> {
  const group = f.details['cacheKind'] === 'replication group';
  const call = { action: group ? 'DeleteReplicationGroup' : 'DeleteCacheCluster', target: f.resourceId, dryRun: false };
  const client = ctx.client(ElastiCacheClient);
  const result = await auditedMutation(ctx, call, () =>
    group
      ? client.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: f.resourceId, RetainPrimaryCluster: false }), { abortSignal: ctx.signal })
      : client.send(new DeleteCacheClusterCommand({ CacheClusterId: f.resourceId }), { abortSignal: ctx.signal }),
  );
  if (result.kind === 'error' && NOT_FOUND.test(result.code)) return { ok: true, label: `${callLabel(call)} (already gone)` };
  if (result.kind === 'unauthorized' || result.kind === 'error') return { ok: false, outcome: failureOutcome(result) };
  return { ok: true, label: callLabel(call, result) };
}

async function snapshotThenDelete(ctx: DeleteContext, f: Finding): Promise<DeleteOutcome> {
  const name = finalSnapshotName(f.resourceId, ctx.planId);
  const group = f.details['cacheKind'] === 'replication group';
  const client = ctx.client(ElastiCacheClient);
  const call = { action: 'CreateSnapshot', target: name, dryRun: false };
  const created = await auditedMutation(ctx, call, () =>
    client.send(
      new CreateSnapshotCommand({
        SnapshotName: name,
        ...(group ? { ReplicationGroupId: f.resourceId } : { CacheClusterId: f.resourceId }),
        Tags: [{ Key: 'cloud-cleaner:plan', Value: ctx.planId }],
      }),
      { abortSignal: ctx.signal },
    ),
  );
  const calls: string[] = [];
  const status = async (): Promise<{ status: string; source: string | undefined } | null> => {
    try {
      const s = (await client.send(new DescribeSnapshotsCommand({ SnapshotName: name }), { abortSignal: ctx.signal })).Snapshots?.[0];
      return s === undefined ? null : { status: s.SnapshotStatus ?? 'unknown', source: group ? s.ReplicationGroupId : s.CacheClusterId };
    } catch (err) {
      if (/^SnapshotNotFound(Fault)?$/.test(awsErrorCode(err))) return null;
      throw err;
    }
  };
  if (created.kind === 'error' && /^SnapshotAlreadyExists(Fault)?$/.test(created.code)) {
    // A retried cleanup of the same plan: its snapshot is reused when it is of this resource.
    const s = await status();
    if (s?.source !== f.resourceId) return { kind: 'failed', code: created.code, message: `A snapshot named ${name} exists and is not of ${f.resourceId}: nothing deleted` };
    calls.push(`${callLabel(call)} (exists: reused)`);
  } else if (created.kind === 'unauthorized' || created.kind === 'error') {
    return failureOutcome(created);
  } else {
    calls.push(callLabel(call, created));
  }
  const waited = await waitForSnapshot(ctx, async () => (await status())?.status ?? null);
  if (waited.kind !== 'available') {
    const why = waited.kind === 'timeout' ? `did not become available within ${Math.round((ctx.waitMs ?? 3_600_000) / 60_000)} min` : waited.why;
    return { kind: 'failed', code: 'FinalSnapshotNotAvailable', message: `Final snapshot ${name} ${why}: ${f.resourceId} was NOT deleted. Calls made: ${calls.join(', ')}` };
  }
  const del = await deleteCall(ctx, f);
  if (!del.ok) {
    const o = del.outcome;
    return o.kind === 'failed' ? { ...o, message: `${o.message} (final snapshot ${name} was taken and stays)` } : o;
  }
  return { kind: 'deleted', calls: [...calls, del.label], safetySnapshotId: name };
}

/** The kind's refusal of an action (its `actionRefusal`): Memcached and cache.t1.micro have no snapshot to keep. */
export function elastiCacheRefusal(finding: Finding, action: string): string | null {
  if (action === 'delete' && finding.details['snapshotSupported'] === false) return MEMCACHED_REFUSAL;
  return null;
}

/** The kind's `delete`: refuses a protected cluster, checks only on a dry run, else runs the chosen action. */
export async function deleteElastiCache(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean): Promise<DeleteOutcome> {
  const refusal = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (refusal !== null) return { kind: 'refused', reason: refusal };
  if (dryRun) return { kind: 'checked', calls: [], note: 'ElastiCache has no DryRun: verified by the re-check and an IAM permission check' };
  const action = ctx.action ?? 'delete';
  if (action === 'delete') {
    const no = elastiCacheRefusal(stored, action);
    if (no !== null) return { kind: 'refused', reason: no };
    return snapshotThenDelete(ctx, stored);
  }
  if (action === 'delete-without-snapshot') {
    const del = await deleteCall(ctx, stored);
    return del.ok ? { kind: 'deleted', calls: [del.label] } : del.outcome;
  }
  return { kind: 'failed', code: 'UnknownAction', message: `ElastiCache clusters have no action "${action}"` };
}
