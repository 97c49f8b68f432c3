/**
 * The cleanup actions of idle Redshift clusters (redshift-clusters.ts): delete keeping a final snapshot, delete
 * without one, and pause.
 *
 * `delete` (default): CreateClusterSnapshot (tagged with the plan), wait until it is `available`, then
 * DeleteCluster with SkipFinalClusterSnapshot (the snapshot already exists); the snapshot is a part created and kept
 * (RA3: RMS price; DC2: backup storage price, the free allowance of other clusters not counted). A paused cluster cannot
 * take a manual snapshot ("The cluster must be in the available state"), so `delete` is refused for it with the reason.
 * `delete-without-snapshot` is explicit. `pause` (PauseCluster): saves the node hours only; storage keeps billing;
 * AWS refuses it for clusters with automated snapshots off. Redshift has no DryRun: the cleanup verifies by the
 * re-check and an IAM permission check.
 */
import { CreateClusterSnapshotCommand, DeleteClusterCommand, DescribeClusterSnapshotsCommand, PauseClusterCommand, RedshiftClient, type Snapshot } from '@aws-sdk/client-redshift';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { finalSnapshotName, waitForSnapshot } from './final-snapshot';
import { protectionByTag } from './handler';
import type { DeleteContext, DeleteOutcome, Finding, StoredFinding } from './handler';

const READ_IAM = ['redshift:DescribeClusters', 'redshift:DescribeClusterSnapshots'];

export const REDSHIFT_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'delete',
    label: 'Delete, keep a final snapshot',
    doneLabel: 'Deleted',
    description: 'Takes a manual snapshot (tagged with the plan), waits until it is available, then deletes the cluster. The snapshot stays and bills as storage until you delete it.',
    removes: true,
    iam: ['redshift:CreateClusterSnapshot', 'redshift:CreateTags', 'redshift:DeleteCluster', ...READ_IAM],
  },
  {
    id: 'delete-without-snapshot',
    label: 'Delete without a snapshot',
    doneLabel: 'Deleted',
    description: 'Deletes the cluster and its data; only manual snapshots taken before stay.',
    warning: 'The data is gone for good: its automated snapshots are deleted with it.',
    removes: true,
    iam: ['redshift:DeleteCluster', ...READ_IAM],
    explicit: true,
  },
  {
    id: 'pause',
    label: 'Pause',
    doneLabel: 'Paused',
    description: 'Pauses the cluster: node hours stop billing; its storage (RA3 managed storage, or its backups) keeps billing. Resume it at any time.',
    warning: 'Nothing can connect while it is paused, and its scheduled actions do not run.',
    removes: false,
    iam: ['redshift:PauseCluster', ...READ_IAM],
  },
];

export const PAUSED_DELETE_REFUSAL =
  'A paused cluster cannot take a manual snapshot (CreateClusterSnapshot needs it available), and Cloud Cleaner deletes only once the final snapshot exists: resume it first, or choose "Delete without a snapshot"';

async function deleteCall(ctx: DeleteContext, id: string): Promise<{ ok: true; label: string } | { ok: false; outcome: DeleteOutcome }> {
  const call = { action: 'DeleteCluster', target: id, dryRun: false };
  const result = await auditedMutation(ctx, call, () =>
    ctx.client(RedshiftClient).send(new DeleteClusterCommand({ ClusterIdentifier: id, SkipFinalClusterSnapshot: true }), { abortSignal: ctx.signal }),
  );
  if (result.kind === 'error' && /^ClusterNotFound(Fault)?$/.test(result.code)) return { ok: true, label: `${callLabel(call)} (already gone)` };
  if (result.kind === 'unauthorized' || result.kind === 'error') return { ok: false, outcome: failureOutcome(result) };
  return { ok: true, label: callLabel(call, result) };
}

async function snapshotThenDelete(ctx: DeleteContext, f: Finding): Promise<DeleteOutcome> {
  const name = finalSnapshotName(f.resourceId, ctx.planId);
  const client = ctx.client(RedshiftClient);
  const call = { action: 'CreateClusterSnapshot', target: name, dryRun: false };
  const created = await auditedMutation(ctx, call, () =>
    client.send(
      new CreateClusterSnapshotCommand({ SnapshotIdentifier: name, ClusterIdentifier: f.resourceId, Tags: [{ Key: 'cloud-cleaner:plan', Value: ctx.planId }] }),
      { abortSignal: ctx.signal },
    ),
  );
  const read = async (): Promise<Snapshot | null> => {
    try {
      return (await client.send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: name }), { abortSignal: ctx.signal })).Snapshots?.[0] ?? null;
    } catch (err) {
      if (/^ClusterSnapshotNotFound(Fault)?$/.test(awsErrorCode(err))) return null;
      throw err;
    }
  };
  const calls: string[] = [];
  if (created.kind === 'error' && /^ClusterSnapshotAlreadyExists(Fault)?$/.test(created.code)) {
    // A retried cleanup of the same plan: its snapshot is reused when it is of this cluster.
    if ((await read())?.ClusterIdentifier !== f.resourceId) {
      return { kind: 'failed', code: created.code, message: `A snapshot named ${name} exists and is not of ${f.resourceId}: nothing deleted` };
    }
    calls.push(`${callLabel(call)} (exists: reused)`);
  } else if (created.kind === 'unauthorized' || created.kind === 'error') {
    return failureOutcome(created);
  } else {
    calls.push(callLabel(call, created));
  }
  const waited = await waitForSnapshot(ctx, async () => (await read())?.Status ?? null);
  if (waited.kind !== 'available') {
    const why = waited.kind === 'timeout' ? `did not become available within ${Math.round((ctx.waitMs ?? 3_600_000) / 60_000)} min` : waited.why;
    return { kind: 'failed', code: 'FinalSnapshotNotAvailable', message: `Final snapshot ${name} ${why}: ${f.resourceId} was NOT deleted. Calls made: ${calls.join(', ')}` };
  }
  const del = await deleteCall(ctx, f.resourceId);
  if (!del.ok) {
    const o = del.outcome;
    return o.kind === 'failed' ? { ...o, message: `${o.message} (final snapshot ${name} was taken and stays)` } : o;
  }
  return { kind: 'deleted', calls: [...calls, del.label], safetySnapshotId: name };
}

/** The kind's refusal of an action (its `actionRefusal`, and the re-check's). */
export function redshiftRefusal(finding: Finding, action: string): string | null {
  if (action === 'delete' && finding.state === 'paused') return PAUSED_DELETE_REFUSAL;
  if (action === 'pause') {
    if (finding.state === 'paused') return 'It is already paused';
    if (finding.state !== 'available') return `Only an available cluster can be paused (it is ${finding.state ?? 'in an unknown state'})`;
    if (finding.details['automatedSnapshotRetentionPeriod'] === 0) return 'AWS cannot pause a cluster whose automated snapshots are turned off';
  }
  return null;
}

/** The kind's `delete`: refuses a protected cluster, checks only on a dry run, else runs the chosen action. */
export async function deleteRedshift(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean): Promise<DeleteOutcome> {
  const protectedBy = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
  if (dryRun) return { kind: 'checked', calls: [], note: 'Redshift has no DryRun: verified by the re-check and an IAM permission check' };
  const action = ctx.action ?? 'delete';
  const no = redshiftRefusal(stored, action);
  if (no !== null) return { kind: 'refused', reason: no };
  if (action === 'delete') return snapshotThenDelete(ctx, stored);
  if (action === 'delete-without-snapshot') {
    const del = await deleteCall(ctx, stored.resourceId);
    return del.ok ? { kind: 'deleted', calls: [del.label] } : del.outcome;
  }
  if (action === 'pause') {
    const call = { action: 'PauseCluster', target: stored.resourceId, dryRun: false };
    const result = await auditedMutation(ctx, call, () =>
      ctx.client(RedshiftClient).send(new PauseClusterCommand({ ClusterIdentifier: stored.resourceId }), { abortSignal: ctx.signal }),
    );
    if (result.kind === 'unauthorized' || result.kind === 'error') return failureOutcome(result);
    return { kind: 'deleted', calls: [callLabel(call, result)] };
  }
  return { kind: 'failed', code: 'UnknownAction', message: `Redshift clusters have no action "${action}"` };
}
