import { awsErrorCode } from '../aws/errors';
import type { AuditedCall, DeleteContext } from '../handlers/handler';
import { auditComplete, auditPending } from '../db/repos/deletions';
import type { DeletionCompletion, DeletionSubject } from '../db/repos/deletions';
import type { AppDb } from '../db/store';

const UNAUTHORIZED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** AWS's request id (to match a row with CloudTrail or a support case) and how many attempts the SDK made. */
function metadataOf(x: unknown): { requestId?: string; attempts?: number } {
  if (typeof x !== 'object' || x === null) return {};
  const meta = (x as { $metadata?: { requestId?: unknown; attempts?: unknown } }).$metadata;
  return {
    ...(typeof meta?.requestId === 'string' ? { requestId: meta.requestId } : {}),
    ...(typeof meta?.attempts === 'number' ? { attempts: meta.attempts } : {}),
  };
}

/** A non-empty string at `path` in `x`, else undefined. */
function stringAt(x: unknown, ...path: string[]): string | undefined {
  let v: unknown = x;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Where the answer names a resource the call created (a recovery point: the recovery list reads these), under the
 * name AWS gives the field. Each answer carries one of them; the service is told apart by the shape of its answer.
 */
const CREATED_IDS: readonly { key: string; path: string[] }[] = [
  { key: 'snapshotId', path: ['SnapshotId'] }, // EC2 CreateSnapshot: the safety snapshot of a volume
  { key: 'imageId', path: ['ImageId'] }, // EC2 CreateImage: the AMI made before an instance is terminated
  { key: 'dbSnapshotIdentifier', path: ['DBSnapshot', 'DBSnapshotIdentifier'] }, // RDS CreateDBSnapshot
  { key: 'dbClusterSnapshotIdentifier', path: ['DBClusterSnapshot', 'DBClusterSnapshotIdentifier'] }, // RDS CreateDBClusterSnapshot
  { key: 'snapshotIdentifier', path: ['Snapshot', 'SnapshotIdentifier'] }, // Redshift CreateClusterSnapshot
  { key: 'snapshotName', path: ['Snapshot', 'SnapshotName'] }, // ElastiCache CreateSnapshot
];

/**
 * What the call's answer says the log must keep: the id of a resource it created (where a safety copy went: see
 * CREATED_IDS) and the date a scheduled deletion happens (DeleteSecret, ScheduleKeyDeletion: restorable until then).
 */
export function createdIdOf(x: unknown): Record<string, string> {
  if (typeof x !== 'object' || x === null) return {};
  const out: Record<string, string> = {};
  for (const { key, path } of CREATED_IDS) {
    const id = stringAt(x, ...path);
    if (id !== undefined) out[key] = id;
  }
  const when = (x as { DeletionDate?: unknown }).DeletionDate;
  if (when instanceof Date && !Number.isNaN(when.getTime())) out['deletionDate'] = when.toISOString();
  return out;
}

/** What a failed call (or a dry run, which always "fails") means for the row. */
export function completionForError(call: AuditedCall, err: unknown): DeletionCompletion {
  const code = awsErrorCode(err);
  const details = metadataOf(err);
  if (call.dryRun && code === 'DryRunOperation') {
    return { outcome: 'dry-run-ok', dryRunResult: code, details };
  }
  return {
    outcome: UNAUTHORIZED.has(code) ? 'unauthorized' : 'failed',
    dryRunResult: call.dryRun ? code : null,
    errorCode: code,
    errorMessage: messageOf(err),
    details,
  };
}

/** What a call that returned normally means for the row. */
export function completionForResult(call: AuditedCall, value: unknown): DeletionCompletion {
  const details = { ...metadataOf(value), ...createdIdOf(value) };
  // A dry run that returns normally was not a dry run: the endpoint made the change. Say so; never `dry-run-ok`.
  return call.dryRun
    ? { outcome: 'succeeded', dryRunResult: 'DryRunIgnored', details: { ...details, note: 'The endpoint ignored DryRun and made the call' } }
    : { outcome: 'succeeded', details };
}

export interface AuditorOptions {
  /** The store the log is written to: SQLite (synchronous = FULL) or PostgreSQL (a commit per row). */
  db: AppDb;
  subject: DeletionSubject;
  now: () => Date;
  /** Recorded with every completed row (the plan action the call belongs to: `stop`, `delete`, …). */
  details?: Record<string, unknown>;
}

/**
 * `DeleteContext.audited` for one item: the `pending` row is committed before `fn` runs (awaited: the call waits
 * for the commit), and completed with the outcome after. A crash between the two leaves the pending row: a record
 * of a call that may have been made. Errors from `fn` are recorded and rethrown unchanged (the handler maps them to outcomes).
 */
export function createAudited(o: AuditorOptions): DeleteContext['audited'] {
  return async function audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
    const rowId = await auditPending(
      o.db,
      { ...o.subject, action: call.action, target: call.target, dryRun: call.dryRun },
      o.now().toISOString(),
    );
    let value: T;
    try {
      value = await fn();
    } catch (err) {
      const c = completionForError(call, err);
      await auditComplete(o.db, rowId, { ...c, details: { ...o.details, ...c.details } }, o.now().toISOString());
      throw err;
    }
    const c = completionForResult(call, value);
    await auditComplete(o.db, rowId, { ...c, details: { ...o.details, ...c.details } }, o.now().toISOString());
    return value;
  };
}
