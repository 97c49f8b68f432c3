import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DeletionDto } from '../../../shared/dto/cleanup';
import { durably } from '../connection';
import type { Database, DeletionOutcome, DeletionRow } from '../schema';
import type { PostgresHandle } from '../postgres';
import { isSqlite, type AppDb } from '../store';

/**
 * The audit log of cleanups: one row per mutating AWS call (dry runs included), written BEFORE the call and
 * completed after it, plus one row per refusal. A row still `pending` is a call that may have reached AWS
 * while the app died: its result is unknown, never guessed.
 */
export type { DeletionDto };

export function toDeletionDto(r: DeletionRow): DeletionDto {
  return {
    id: r.id,
    accountId: r.account_id,
    planId: r.plan_id,
    resourcePk: r.resource_pk,
    resourceType: r.resource_type,
    region: r.region,
    resourceId: r.resource_id,
    action: r.action,
    target: r.target,
    dryRun: r.dry_run === 1,
    dryRunResult: r.dry_run_result,
    outcome: r.outcome,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    requestedAt: r.requested_at,
    completedAt: r.completed_at,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}

/** Which resource a row is about. */
export interface DeletionSubject {
  accountId: string;
  planId: string;
  /** `resources.id` of the finding, or null when it is not stored. */
  resourcePk: number | null;
  resourceType: string;
  region: string;
  resourceId: string;
}

export interface PendingCall extends DeletionSubject {
  action: string;
  target: string;
  dryRun: boolean;
}

/**
 * Writes the `pending` row of a call about to be made and returns its id. Synchronous on the raw connection, in
 * autocommit and with `synchronous = FULL` (see `durably`): when this returns, the row is on disk, power loss
 * included. Refuses to run inside an open transaction, whose rollback would erase the record of a call that was made.
 */
export function insertPendingDeletion(sqlite: BetterSqlite3.Database, call: PendingCall, requestedAt: string): number {
  if (sqlite.inTransaction) throw new Error('An audit row must be committed before the AWS call: called inside a transaction');
  const stmt = sqlite.prepare(
    `INSERT INTO deletions (account_id, plan_id, resource_pk, resource_type, region, resource_id, action, target,
       dry_run, outcome, requested_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  );
  const res = durably(sqlite, () =>
    stmt.run(
      call.accountId,
      call.planId,
      call.resourcePk,
      call.resourceType,
      call.region,
      call.resourceId,
      call.action,
      call.target,
      call.dryRun ? 1 : 0,
      requestedAt,
    ),
  );
  return Number(res.lastInsertRowid);
}

export interface DeletionCompletion {
  outcome: Exclude<DeletionOutcome, 'pending'>;
  dryRunResult?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Completes a pending row with what AWS answered (durably, as the pending row). Only a pending row changes: the
 * log is append-only otherwise.
 */
export function completeDeletion(
  sqlite: BetterSqlite3.Database,
  id: number,
  c: DeletionCompletion,
  completedAt: string,
): void {
  const stmt = sqlite.prepare(
    `UPDATE deletions SET outcome = ?, dry_run_result = ?, error_code = ?, error_message = ?, details = ?,
       completed_at = ?
     WHERE id = ? AND outcome = 'pending'`,
  );
  durably(sqlite, () =>
    stmt.run(
      c.outcome,
      c.dryRunResult ?? null,
      c.errorCode ?? null,
      c.errorMessage ?? null,
      JSON.stringify(c.details ?? {}),
      completedAt,
      id,
    ),
  );
}

/** A decision row (see `insertDecision`). */
export type Decision = DeletionSubject & {
  /**
   * `CheckPermissions`: the dry run of a kind whose API has no DryRun (re-check + IAM policy simulation).
   * `Outcome`: an execute's item that failed after its last call succeeded (a safety copy that timed out or failed,
   * a describe that failed): without it the item would read as done from that call.
   */
  action: 'Refuse' | 'Recheck' | 'CheckPermissions' | 'Outcome';
  dryRun: boolean;
  outcome: 'refused' | 'failed' | 'unauthorized' | 'dry-run-ok';
  errorCode?: string | null;
  message: string;
  details?: Record<string, unknown>;
};

/**
 * A complete row for something decided without a mutating call: a refusal (`Refuse`, outcome `refused`, the
 * reason in error_message) or a re-check that could not be made (`Recheck`, `failed` / `unauthorized`). Durable
 * like the other audit writes.
 */
export function insertDecision(
  sqlite: BetterSqlite3.Database,
  d: Decision,
  at: string,
): number {
  const stmt = sqlite.prepare(
    `INSERT INTO deletions (account_id, plan_id, resource_pk, resource_type, region, resource_id, action, target,
       dry_run, outcome, error_code, error_message, requested_at, completed_at, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const res = durably(sqlite, () =>
    stmt.run(
      d.accountId,
      d.planId,
      d.resourcePk,
      d.resourceType,
      d.region,
      d.resourceId,
      d.action,
      d.resourceId,
      d.dryRun ? 1 : 0,
      d.outcome,
      d.errorCode ?? null,
      d.message,
      at,
      at,
      JSON.stringify(d.details ?? {}),
    ),
  );
  return Number(res.lastInsertRowid);
}

/*
 * The audit writes on either store (issue #21). On SQLite they are the functions above, unchanged: synchronous on
 * the raw connection, `synchronous = FULL`, a pending row refused inside a transaction.
 *
 * On PostgreSQL each row is written in a transaction of its own, committed before the promise resolves (the AWS call
 * awaits it). A PostgreSQL commit is durable — its WAL flushed to disk before COMMIT returns — when
 * `synchronous_commit` is on, the server's default. A server, database or role may set it off (a team store tuned
 * for speed; the test server does): such a commit may be lost if the server crashes. So, as SQLite's FULL is
 * switched on for the audit writes only, an audit transaction raises `synchronous_commit` from off to on for itself
 * (set_config(…, true), i.e. SET LOCAL): every audit commit is durable whatever the server's default, and nothing
 * else pays for it. Any other setting (local, remote_write, remote_apply) flushes the WAL too and is left as it is.
 * As on SQLite, a pending row is refused inside a transaction (a Transaction passed as the handle's db): its
 * rollback would erase the record of a call that was made.
 */
function durablyOnPostgres<T>(h: PostgresHandle, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return h.db.transaction().execute(async (tx) => {
    await sql`SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') = 'off'`.execute(tx);
    return fn(tx);
  });
}

/** `insertPendingDeletion` on either store: resolves once the pending row is committed; the AWS call waits for it. */
export async function auditPending(h: AppDb, call: PendingCall, requestedAt: string): Promise<number> {
  if (isSqlite(h)) return insertPendingDeletion(h.sqlite, call, requestedAt);
  if (h.db.isTransaction) throw new Error('An audit row must be committed before the AWS call: called inside a transaction');
  const row = await durablyOnPostgres(h, (tx) =>
    tx
      .insertInto('deletions')
      .values({
        account_id: call.accountId,
        plan_id: call.planId,
        resource_pk: call.resourcePk,
        resource_type: call.resourceType,
        region: call.region,
        resource_id: call.resourceId,
        action: call.action,
        target: call.target,
        dry_run: call.dryRun ? 1 : 0,
        outcome: 'pending',
        requested_at: requestedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return Number(row.id);
}

/** `completeDeletion` on either store (only a pending row changes). */
export async function auditComplete(h: AppDb, id: number, c: DeletionCompletion, completedAt: string): Promise<void> {
  if (isSqlite(h)) return completeDeletion(h.sqlite, id, c, completedAt);
  await durablyOnPostgres(h, (tx) =>
    tx
      .updateTable('deletions')
      .set({
        outcome: c.outcome,
        dry_run_result: c.dryRunResult ?? null,
        error_code: c.errorCode ?? null,
        error_message: c.errorMessage ?? null,
        details: JSON.stringify(c.details ?? {}),
        completed_at: completedAt,
      })
      .where('id', '=', id)
      .where('outcome', '=', 'pending')
      .execute(),
  );
}

/** `insertDecision` on either store. */
export async function auditDecision(h: AppDb, d: Decision, at: string): Promise<number> {
  if (isSqlite(h)) return insertDecision(h.sqlite, d, at);
  const row = await durablyOnPostgres(h, (tx) =>
    tx
      .insertInto('deletions')
      .values({
        account_id: d.accountId,
        plan_id: d.planId,
        resource_pk: d.resourcePk,
        resource_type: d.resourceType,
        region: d.region,
        resource_id: d.resourceId,
        action: d.action,
        target: d.resourceId,
        dry_run: d.dryRun ? 1 : 0,
        outcome: d.outcome,
        error_code: d.errorCode ?? null,
        error_message: d.message,
        requested_at: at,
        completed_at: at,
        details: JSON.stringify(d.details ?? {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return Number(row.id);
}

export interface DeletionsQuery {
  accountId: string;
  planId?: string;
  resourcePk?: number;
  limit?: number;
  offset?: number;
}

/** The audit log, newest first (by id: several rows share a timestamp). */
export async function listDeletions(db: Kysely<Database>, q: DeletionsQuery): Promise<DeletionDto[]> {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  const offset = Math.max(q.offset ?? 0, 0);
  let query = db.selectFrom('deletions').selectAll().where('account_id', '=', q.accountId);
  if (q.planId !== undefined) query = query.where('plan_id', '=', q.planId);
  if (q.resourcePk !== undefined) query = query.where('resource_pk', '=', q.resourcePk);
  const rows = await query.orderBy('id', 'desc').limit(limit).offset(offset).execute();
  return rows.map(toDeletionDto);
}

/**
 * Calls written but never completed, oldest first: after a crash, these may or may not have reached AWS (the
 * next scan tells). Call at start-up, before any cleanup runs (a running cleanup has pending rows of its own).
 */
export async function pendingDeletions(db: Kysely<Database>, accountId?: string): Promise<DeletionDto[]> {
  let query = db.selectFrom('deletions').selectAll().where('outcome', '=', 'pending');
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  const rows = await query.orderBy('id', 'asc').execute();
  return rows.map(toDeletionDto);
}
