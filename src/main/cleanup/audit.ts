import type BetterSqlite3 from 'better-sqlite3';
import { awsErrorCode } from '../aws/errors';
import type { AuditedCall, DeleteContext } from '../handlers/handler';
import { completeDeletion, insertPendingDeletion } from '../db/repos/deletions';
import type { DeletionCompletion, DeletionSubject } from '../db/repos/deletions';

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

/**
 * What the call's answer says the log must keep: a resource id it created (CreateSnapshot's SnapshotId: where a safety
 * copy went) and the date a scheduled deletion happens (DeleteSecret, ScheduleKeyDeletion: restorable until then).
 */
function createdIdOf(x: unknown): Record<string, string> {
  if (typeof x !== 'object' || x === null) return {};
  const out: Record<string, string> = {};
  const id = (x as { SnapshotId?: unknown }).SnapshotId;
  if (typeof id === 'string') out['snapshotId'] = id;
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
  sqlite: BetterSqlite3.Database;
  subject: DeletionSubject;
  now: () => Date;
  /** Recorded with every completed row (the plan action the call belongs to: `stop`, `delete`, …). */
  details?: Record<string, unknown>;
}

/**
 * `DeleteContext.audited` for one item: the `pending` row is committed before `fn` runs, and completed with
 * the outcome after. A crash between the two leaves the pending row: a record of a call that may have been made.
 * Errors from `fn` are recorded and rethrown unchanged (the handler maps them to outcomes).
 */
export function createAudited(o: AuditorOptions): DeleteContext['audited'] {
  return async function audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
    const rowId = insertPendingDeletion(
      o.sqlite,
      { ...o.subject, action: call.action, target: call.target, dryRun: call.dryRun },
      o.now().toISOString(),
    );
    let value: T;
    try {
      value = await fn();
    } catch (err) {
      const c = completionForError(call, err);
      completeDeletion(o.sqlite, rowId, { ...c, details: { ...o.details, ...c.details } }, o.now().toISOString());
      throw err;
    }
    const c = completionForResult(call, value);
    completeDeletion(o.sqlite, rowId, { ...c, details: { ...o.details, ...c.details } }, o.now().toISOString());
    return value;
  };
}
