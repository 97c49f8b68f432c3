/**
 * The cleanup actions of the Aurora cluster kind (rds-clusters.ts): their definitions and refusals, the final cluster
 * snapshot, deleting the DB instances (readers first) then the cluster, and the stop; with the live reads they make
 * (the kind's scan and re-check use them too).
 *
 * Deletion protection is reported, never switched off: the delete actions are refused for it (plan, re-check and the
 * delete's own live read), while `stop` — which deletes nothing — stays allowed (so it does not mark the finding
 * protected: a protected finding cannot be planned at all). A stopped cluster cannot be deleted
 * until it is started (AWS refuses to delete the DB instances of a stopped cluster): the delete actions are refused
 * with that reason.
 */
import {
  CreateDBClusterSnapshotCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  StopDBClusterCommand,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import type { KindActionDto } from '../../shared/dto/kinds';
import { ALREADY_GONE, auditedMutation, callLabel, failureOutcome, isMutationFailure } from './ec2-mutation';
import { protectionByTag } from './handler';
import type { AuditedCall, DeleteContext, DeleteOutcome, Finding, HandlerContext, StoredFinding } from './handler';
import {
  dbClusterPages,
  dbClusterSnapshotStatus,
  DELETION_PROTECTION_REASON,
  finalSnapshotId as rdsFinalSnapshotId,
  isDeletionProtectionRefusal,
  isRdsNotFound,
  PLAN_TAG_KEY,
  rdsErrorCode,
  rdsPageSize,
  regionDbInstancePages,
  STOP_WARNING,
  utcMinute,
  waitUntilAvailable,
} from './rds-common';
import { storedString } from './parts';

export const DELETE = 'delete';
export const DELETE_WITHOUT_SNAPSHOT = 'delete-without-snapshot';
export const STOP = 'stop';

/** DB cluster snapshot identifiers: 1–63 letters, digits or hyphens (DB snapshots allow 255). */
const CLUSTER_SNAPSHOT_ID_MAX = 63;
/** How long the delete waits for members still shutting down before it deletes the cluster (tests shorten it). */
const MEMBERS_WAIT_MS = 3_600_000;
const MEMBERS_POLL_MS = 15_000;

// ---- reading AWS (the scan and the re-check use these too) ----

/**
 * DB instances by identifier: the region's (one paged listing, in a scan the one the RDS kinds share), or one
 * cluster's (filtered by db-cluster-id).
 */
export async function instancesById(ctx: HandlerContext, clusterId?: string): Promise<Map<string, DBInstance>> {
  const out = new Map<string, DBInstance>();
  if (clusterId === undefined) {
    for await (const page of regionDbInstancePages(ctx)) for (const i of page) if (i.DBInstanceIdentifier) out.set(i.DBInstanceIdentifier, i);
    return out;
  }
  let marker: string | undefined;
  do {
    const res = await ctx.client(RDSClient).send(
      new DescribeDBInstancesCommand({
        Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }],
        MaxRecords: rdsPageSize(ctx),
        ...(marker ? { Marker: marker } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    for (const i of res.DBInstances ?? []) if (i.DBInstanceIdentifier) out.set(i.DBInstanceIdentifier, i);
    marker = res.Marker || undefined;
  } while (marker !== undefined);
  return out;
}

export async function liveCluster(ctx: HandlerContext, id: string): Promise<DBCluster | null> {
  try {
    for await (const page of dbClusterPages(ctx, id)) {
      const c = page.find((x) => x.DBClusterIdentifier === id) ?? page[0];
      if (c !== undefined) return c;
    }
    return null;
  } catch (err) {
    if (isRdsNotFound(err)) return null;
    throw err;
  }
}

// ---- actions ----

const READS = ['rds:DescribeDBClusters', 'rds:DescribeDBInstances', 'cloudwatch:GetMetricData'];

export const CLUSTER_ACTIONS: readonly KindActionDto[] = [
  {
    id: DELETE,
    label: 'Delete, keep a final snapshot',
    doneLabel: 'Deleted',
    description:
      'Takes a final cluster snapshot (tagged with the plan) and waits until it is available, then deletes the DB instances (readers first) and the cluster. The snapshot stays and bills its backup storage.',
    removes: true,
    iam: ['rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource', 'rds:DescribeDBClusterSnapshots', 'rds:DeleteDBInstance', 'rds:DeleteDBCluster', ...READS],
  },
  {
    id: DELETE_WITHOUT_SNAPSHOT,
    label: 'Delete without a final snapshot',
    doneLabel: 'Deleted',
    description: 'Deletes the DB instances (readers first) and the cluster with no final snapshot: its data cannot be restored afterwards.',
    warning: 'No final snapshot: the data is gone for good',
    removes: true,
    iam: ['rds:DeleteDBInstance', 'rds:DeleteDBCluster', ...READS],
    explicit: true,
  },
  {
    id: STOP,
    label: 'Stop',
    doneLabel: 'Stopped',
    description: 'Stops every DB instance of the cluster: no instance hours while stopped; the cluster storage and its backups still bill.',
    warning: STOP_WARNING,
    removes: false,
    iam: ['rds:StopDBCluster', ...READS],
  },
];

export const isDelete = (action: string | undefined): boolean => action === undefined || action === DELETE || action === DELETE_WITHOUT_SNAPSHOT;

/** Why `action` does not apply to a cluster as the finding shows it, or null. */
export function clusterActionRefusal(finding: Finding, action: string): string | null {
  const d = finding.details;
  if (d['engineMode'] === 'serverless') return 'Aurora Serverless v1 clusters are not handled by this kind';
  if (typeof d['engine'] === 'string' && !d['engine'].startsWith('aurora')) return 'Only Aurora clusters are handled by this kind';
  if (isDelete(action)) {
    if (d['deletionProtection'] === true) return DELETION_PROTECTION_REASON;
    if (finding.state === 'stopped') {
      const restart = storedString(d['automaticRestartTime']);
      return (
        'A stopped Aurora cluster cannot be deleted until it is started: AWS refuses to delete the DB instances of a stopped cluster. ' +
        `Start it yourself (it then bills its instances again) and plan again${restart ? `, or wait until AWS starts it on ${utcMinute(restart)}` : ''}`
      );
    }
    return null;
  }
  if (action === STOP) {
    if (finding.state === 'stopped') return 'Already stopped';
    if (finding.state !== 'available') return `Only an available cluster can be stopped (it is ${finding.state ?? 'in an unknown state'})`;
    if (storedString(d['globalCluster']) !== null) return 'AWS cannot stop a cluster that is part of a global database';
    if (d['engineMode'] === 'parallelquery') return 'AWS cannot stop a cluster that uses parallel query';
    return null;
  }
  return `Unknown action ${action}`;
}

/** The final snapshot's identifier (rds-common's rule), within the 63 characters of a DB cluster snapshot identifier. */
export function finalSnapshotId(resourceId: string, planId: string): string {
  return rdsFinalSnapshotId(resourceId, planId, CLUSTER_SNAPSHOT_ID_MAX);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the final snapshot is available: null, or the outcome that stops the delete (nothing deleted). */
async function waitSnapshotAvailable(ctx: DeleteContext, snapshotId: string): Promise<DeleteOutcome | null> {
  const w = await waitUntilAvailable(ctx, `Final snapshot ${snapshotId}`, () => dbClusterSnapshotStatus(ctx, snapshotId));
  if (w.status === 'available') return null;
  return {
    kind: 'failed',
    code: w.status === 'timeout' ? 'FinalSnapshotTimeout' : 'FinalSnapshotFailed',
    message: `${w.detail}: the cluster was not deleted`,
  };
}

/** An audited RDS call; a removing call answered "not found" is done (already gone). */
function rdsMutation<T>(ctx: DeleteContext, call: AuditedCall, send: () => Promise<T>) {
  return auditedMutation(ctx, call, async () => {
    try {
      return await send();
    } catch (err) {
      if (isRdsNotFound(err)) return ALREADY_GONE;
      throw err;
    }
  });
}

async function waitMembersGone(ctx: DeleteContext, clusterId: string): Promise<boolean> {
  const deadline = Date.now() + (ctx.waitMs ?? MEMBERS_WAIT_MS);
  for (;;) {
    const left = await instancesById(ctx, clusterId);
    if (left.size === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(ctx.pollMs ?? MEMBERS_POLL_MS);
  }
}

async function deleteCluster(ctx: DeleteContext, c: DBCluster, withSnapshot: boolean): Promise<DeleteOutcome> {
  const id = c.DBClusterIdentifier ?? '';
  const calls: string[] = [];
  let safetySnapshotId: string | undefined;
  const kept = (): string => (safetySnapshotId ? ` (final snapshot ${safetySnapshotId} was kept)` : '');
  if (withSnapshot) {
    const snapshotId = finalSnapshotId(id, ctx.planId);
    const call: AuditedCall = { action: 'CreateDBClusterSnapshot', target: id, dryRun: false };
    const created = await auditedMutation(ctx, call, async () => {
      try {
        return await ctx.client(RDSClient).send(
          new CreateDBClusterSnapshotCommand({
            DBClusterIdentifier: id,
            DBClusterSnapshotIdentifier: snapshotId,
            Tags: [
              { Key: PLAN_TAG_KEY, Value: ctx.planId },
              { Key: 'cloud-cleaner:final-snapshot-of', Value: id },
            ],
          }),
          { abortSignal: ctx.signal },
        );
      } catch (err) {
        // An earlier attempt of this plan took it already (the identifier is the plan's): use it, never take two.
        if (/^DBClusterSnapshotAlreadyExists(Fault)?$/.test(rdsErrorCode(err))) return 'exists' as const;
        throw err;
      }
    });
    if (isMutationFailure(created)) return failureOutcome(created);
    calls.push(created.kind === 'done' && created.value === 'exists' ? `${callLabel(call)} (not repeated: ${snapshotId} exists)` : callLabel(call));
    safetySnapshotId = snapshotId;
    const waited = await waitSnapshotAvailable(ctx, snapshotId);
    if (waited !== null) return waited;
  }
  // Readers first, the writer last (deleting the writer first would fail over to a reader about to go).
  const members = [...(c.DBClusterMembers ?? [])].filter((m) => m.DBInstanceIdentifier).sort((a, b) => Number(a.IsClusterWriter === true) - Number(b.IsClusterWriter === true));
  for (const m of members) {
    const mid = m.DBInstanceIdentifier!;
    const call: AuditedCall = { action: 'DeleteDBInstance', target: mid, dryRun: false };
    const r = await rdsMutation(ctx, call, () =>
      ctx.client(RDSClient).send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: mid, SkipFinalSnapshot: true }), { abortSignal: ctx.signal }),
    );
    if (isMutationFailure(r)) {
      const o = failureOutcome(r);
      return o.kind === 'failed' ? { ...o, message: `${o.message}. Calls made: ${[...calls].join(', ') || 'none'}${kept()}` } : o;
    }
    calls.push(callLabel(call, r));
  }
  const call: AuditedCall = { action: 'DeleteDBCluster', target: id, dryRun: false };
  const send = () =>
    rdsMutation(ctx, call, () =>
      ctx.client(RDSClient).send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true }), { abortSignal: ctx.signal }),
    );
  let r = await send();
  // Some members may still be shutting down: wait until they are gone, then ask once more.
  if (r.kind === 'error' && /^InvalidDBClusterState(Fault)?$/.test(r.code) && members.length > 0 && (await waitMembersGone(ctx, id))) r = await send();
  if (isMutationFailure(r)) {
    if (r.kind === 'error' && isDeletionProtectionRefusal(r.code, r.message)) return { kind: 'refused', reason: DELETION_PROTECTION_REASON };
    const o = failureOutcome(r);
    return o.kind === 'failed' ? { ...o, message: `${o.message}. Calls made: ${calls.join(', ')}${kept()}` } : o;
  }
  calls.push(callLabel(call, r));
  return safetySnapshotId === undefined ? { kind: 'deleted', calls } : { kind: 'deleted', calls, safetySnapshotId };
}

/** The handler's delete: the chosen action (delete by default) on the stored finding, after its refusals and a live read. */
export async function clusterAction(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean): Promise<DeleteOutcome> {
  const own = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (own !== null) return { kind: 'refused', reason: own };
  const action = ctx.action ?? DELETE;
  const reviewed = clusterActionRefusal(stored, action);
  if (reviewed !== null) return { kind: 'refused', reason: reviewed };
  if (dryRun) return { kind: 'checked', calls: [], note: 'RDS has no DryRun: verified by the re-check and an IAM permission check' };
  // What AWS shows now decides (deletion protection switched on, a stop since the review, the members to delete).
  const c = await liveCluster(ctx, stored.resourceId);
  if (c === null) return { kind: 'deleted', calls: [`DescribeDBClusters ${stored.resourceId} (already gone)`] };
  const live = clusterActionRefusal({ ...stored, state: c.Status ?? null, details: { ...stored.details, deletionProtection: c.DeletionProtection === true, globalCluster: c.GlobalClusterIdentifier ?? null } }, action);
  if (live !== null) return { kind: 'refused', reason: live };
  if (action === STOP) {
    const call: AuditedCall = { action: 'StopDBCluster', target: stored.resourceId, dryRun: false };
    const r = await auditedMutation(ctx, call, () =>
      ctx.client(RDSClient).send(new StopDBClusterCommand({ DBClusterIdentifier: stored.resourceId }), { abortSignal: ctx.signal }),
    );
    if (isMutationFailure(r)) return failureOutcome(r);
    return { kind: 'deleted', calls: [callLabel(call, r)] };
  }
  if (action !== DELETE && action !== DELETE_WITHOUT_SNAPSHOT) return { kind: 'refused', reason: `Unknown action ${action}` };
  return deleteCluster(ctx, c, action === DELETE);
}
