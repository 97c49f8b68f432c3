/**
 * The cleanup actions of the RDS DB instance kind (rds-instances.ts): their definitions and refusals, the delete with
 * a final DB snapshot, the delete without one, and the stop.
 *
 * Actions: `delete` (default): a final snapshot is taken (tagged with the plan) and waited for until `available`, then
 * DeleteDBInstance with SkipFinalSnapshot (the snapshot already exists); the snapshot is a part created and kept, priced
 * as an upper bound (backup storage × allocated GiB). `delete-without-snapshot` (chosen per item). `stop` (available,
 * idle, not a replica nor a replica's source; AWS starts it again after seven days). A read replica gets no final
 * snapshot (AWS refuses one for replicas) and cannot be stopped: only delete-without-snapshot applies to it.
 * Deletion protection is reported (protected in the scan and the re-check) and never switched off: no Modify call.
 */
import { CreateDBSnapshotCommand, DeleteDBInstanceCommand, RDSClient, StopDBInstanceCommand } from '@aws-sdk/client-rds';
import type { KindActionDto } from '../../shared/dto/kinds';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { protectionByTag } from './handler';
import type { AuditedCall, DeleteContext, DeleteOutcome, Finding, StoredFinding } from './handler';
import { storedString } from './parts';
import {
  dbSnapshotStatus,
  DELETION_PROTECTION_REASON,
  describeDbInstance,
  finalSnapshotId,
  isDeletionProtectionRefusal,
  PLAN_TAG_KEY,
  STOP_WARNING,
  waitUntilAvailable,
} from './rds-common';

export const DELETE = 'delete';
export const DELETE_WITHOUT_SNAPSHOT = 'delete-without-snapshot';
export const STOP = 'stop';

const READ: string[] = ['rds:DescribeDBInstances'];

export const DB_INSTANCE_ACTIONS: readonly KindActionDto[] = [
  {
    id: DELETE,
    label: 'Delete, keep a final snapshot',
    doneLabel: 'Deleted',
    description:
      'Takes a final DB snapshot (tagged with the plan) and waits until it is available, then deletes the instance and its automated backups. The snapshot stays, and bills as backup storage.',
    removes: true,
    iam: ['rds:CreateDBSnapshot', 'rds:AddTagsToResource', 'rds:DescribeDBSnapshots', 'rds:DeleteDBInstance', ...READ],
  },
  {
    id: DELETE_WITHOUT_SNAPSHOT,
    label: 'Delete without a final snapshot',
    doneLabel: 'Deleted',
    description: 'Deletes the instance and its automated backups with no final snapshot: its data is gone for good (manual snapshots stay).',
    warning: 'No final snapshot: the data cannot be restored afterwards unless you have a manual snapshot of it',
    removes: true,
    iam: ['rds:DeleteDBInstance', ...READ],
    explicit: true,
  },
  {
    id: STOP,
    label: 'Stop',
    doneLabel: 'Stopped',
    description: 'Stops the instance: its compute stops billing; its storage (and any provisioned IOPS) and backups still bill.',
    warning: STOP_WARNING,
    removes: false,
    iam: ['rds:StopDBInstance', ...READ],
  },
];

export const isReplica = (f: Finding): boolean => storedString(f.details['readReplicaSource']) !== null;
const replicasOf = (f: Finding): string[] => {
  const v = f.details['readReplicas'];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

export function dbInstanceActionRefusal(finding: Finding, action: string): string | null {
  const source = storedString(finding.details['readReplicaSource']);
  if ((action === DELETE || action === DELETE_WITHOUT_SNAPSHOT) && finding.details['deletionProtection'] === true) {
    return `${DELETION_PROTECTION_REASON}: it can be stopped, not deleted`;
  }
  switch (action) {
    case DELETE:
      if (source !== null) {
        return `A read replica (of ${source}) gets no final snapshot: AWS refuses one for replicas. Choose "delete without a final snapshot" to delete it`;
      }
      if (finding.state !== 'available' && finding.state !== 'stopped') return `A final snapshot needs an available or stopped instance (it is ${finding.state ?? 'unknown'})`;
      return null;
    case DELETE_WITHOUT_SNAPSHOT:
      return finding.state === 'deleting' ? 'It is already being deleted' : null;
    case STOP:
      if (source !== null) return `A read replica (of ${source}) cannot be stopped: AWS refuses it`;
      if (replicasOf(finding).length > 0) return `It has read replicas (${replicasOf(finding).join(', ')}): AWS does not stop an instance with read replicas`;
      if (finding.state !== 'available') return `Only an available instance can be stopped (it is ${finding.state ?? 'unknown'})`;
      if (!finding.unused) return 'Only an idle instance is stopped';
      return null;
    default:
      return `Unknown action ${action}`;
  }
}

function deletionProtected(stored: Finding): boolean {
  return stored.details['deletionProtection'] === true;
}

async function stop(ctx: DeleteContext, stored: StoredFinding): Promise<DeleteOutcome> {
  const call: AuditedCall = { action: 'StopDBInstance', target: stored.resourceId, dryRun: false };
  const r = await auditedMutation(ctx, call, () =>
    ctx.client(RDSClient).send(new StopDBInstanceCommand({ DBInstanceIdentifier: stored.resourceId }), { abortSignal: ctx.signal }),
  );
  if (r.kind === 'unauthorized' || r.kind === 'error') return failureOutcome(r);
  return { kind: 'deleted', calls: [callLabel(call, r)] };
}

async function deleteInstance(ctx: DeleteContext, id: string, calls: string[], kept: string): Promise<DeleteOutcome> {
  const call: AuditedCall = { action: 'DeleteDBInstance', target: id, dryRun: false };
  const r = await auditedMutation(ctx, call, () =>
    ctx.client(RDSClient).send(
      // The final snapshot (when wanted) was taken and is available: AWS's own one is skipped.
      new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true }),
      { abortSignal: ctx.signal },
    ),
  );
  if (r.kind === 'error' && r.code === 'DBInstanceNotFound') return { kind: 'deleted', calls: [...calls, `${callLabel(call)} (already gone)`] };
  if (r.kind === 'error' && isDeletionProtectionRefusal(r.code, r.message)) return { kind: 'refused', reason: `${DELETION_PROTECTION_REASON}${kept}` };
  if (r.kind === 'unauthorized' || r.kind === 'error') {
    const o = failureOutcome(r);
    return o.kind === 'failed' ? { ...o, message: `${o.message}${kept}` } : o;
  }
  return { kind: 'deleted', calls: [...calls, callLabel(call, r)] };
}

async function deleteWithFinalSnapshot(ctx: DeleteContext, stored: StoredFinding): Promise<DeleteOutcome> {
  const id = stored.resourceId;
  const snapshotId = finalSnapshotId(id, ctx.planId);
  const calls: string[] = [];
  // A retried cleanup of the same plan finds the snapshot its first attempt took.
  const existing = await dbSnapshotStatus(ctx, snapshotId);
  if (existing === null) {
    const call: AuditedCall = { action: 'CreateDBSnapshot', target: id, dryRun: false };
    const r = await auditedMutation(ctx, call, () =>
      ctx.client(RDSClient).send(
        new CreateDBSnapshotCommand({ DBInstanceIdentifier: id, DBSnapshotIdentifier: snapshotId, Tags: [{ Key: PLAN_TAG_KEY, Value: ctx.planId }] }),
        { abortSignal: ctx.signal },
      ),
    );
    if (r.kind === 'error' && r.code === 'DBInstanceNotFound') return { kind: 'deleted', calls: [`${callLabel(call)} (instance already gone)`] };
    if (r.kind === 'unauthorized' || r.kind === 'error') {
      if (r.code !== 'DBSnapshotAlreadyExists') return failureOutcome(r);
    }
    calls.push(`CreateDBSnapshot ${snapshotId} of ${id}`);
  } else {
    calls.push(`CreateDBSnapshot ${id} (not repeated: ${snapshotId} was taken by an earlier attempt of this plan)`);
  }
  const kept = ` (final snapshot ${snapshotId} was kept)`;
  const wait = await waitUntilAvailable(ctx, `Final snapshot ${snapshotId}`, () => dbSnapshotStatus(ctx, snapshotId));
  if (wait.status !== 'available') {
    return {
      kind: 'failed',
      code: wait.status === 'timeout' ? 'FinalSnapshotTimeout' : 'FinalSnapshotFailed',
      message: `${wait.detail}: DB instance ${id} was NOT deleted. Calls made: ${calls.join(', ')}`,
    };
  }
  const out = await deleteInstance(ctx, id, calls, kept);
  return out.kind === 'deleted' ? { ...out, safetySnapshotId: snapshotId } : out;
}

/** The handler's delete: the chosen action (delete by default) on the stored finding, after its refusals and a live read. */
export async function dbInstanceAction(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean): Promise<DeleteOutcome> {
  const action = ctx.action ?? DELETE;
  const byTag = protectionByTag(stored.tags, ctx.settings.protectionTagKey);
  if (byTag !== null) return { kind: 'refused', reason: byTag };
  const refusal = dbInstanceActionRefusal(stored, action);
  if (refusal !== null) return { kind: 'refused', reason: refusal };
  if (action !== STOP && deletionProtected(stored)) return { kind: 'refused', reason: DELETION_PROTECTION_REASON };
  if (dryRun) {
    // The cleanup verifies permission-check kinds itself (re-check + IAM simulation); nothing is sent here.
    return { kind: 'checked', calls: [], note: 'RDS has no DryRun: verified by the re-check and an IAM permission check' };
  }
  if (action === STOP) return stop(ctx, stored);
  // Read again right before anything is made: a final snapshot is never taken of an instance AWS will not delete.
  const live = await describeDbInstance(ctx, stored.resourceId);
  if (live === null) return { kind: 'deleted', calls: [`DeleteDBInstance ${stored.resourceId} (already gone)`] };
  if (live.DeletionProtection === true) return { kind: 'refused', reason: DELETION_PROTECTION_REASON };
  if (action === DELETE_WITHOUT_SNAPSHOT) return deleteInstance(ctx, stored.resourceId, [], '');
  return deleteWithFinalSnapshot(ctx, stored);
}
