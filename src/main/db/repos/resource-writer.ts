/**
 * The scan's side of `resources`: batched upserts of findings on the raw connection, and the status changes of a
 * task's end (gone) and of a delete (deleted). The read side (pages, totals, facets) is resources.ts.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Finding } from '../../handlers/handler';
import { reasonCategory } from '../../findings/reason-category';
import { inTransaction } from '../connection';

export const UPSERT_COLUMNS = [
  'account_id', 'resource_type', 'region', 'resource_id', 'service_code', 'name', 'state', 'unused', 'unused_reason',
  'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected', 'protected_reason', 'tags', 'details', 'created_at',
  'monthly_savings', 'first_seen', 'last_seen', 'last_scan_id',
] as const;
const UPDATED_ON_CONFLICT = UPSERT_COLUMNS.filter((c) => !['account_id', 'resource_type', 'region', 'resource_id', 'first_seen'].includes(c));

// The columns a scan reports. On a re-scan most resources come back unchanged: for those nothing is written at all.
// Their "last seen" moves with their task's (resource_tasks, written by markGone when the task succeeds): an active
// row of a task that succeeded was seen by it, or markGone would have marked it gone. See effectiveSeen (resources.ts).
export const CONTENT_COLUMNS = [
  'service_code', 'name', 'state', 'unused', 'unused_reason', 'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected',
  'protected_reason', 'tags', 'details', 'created_at', 'monthly_savings',
] as const;

// Positional parameters: binding by name costs a property lookup per column per row on the hot path.
// The update branch runs only when something changed (or the resource comes back from gone/deleted): an UPDATE that
// assigns an indexed column rewrites its index entries even when the value is the same.
export const UPSERT_SQL = `
INSERT INTO resources (${UPSERT_COLUMNS.join(', ')}, status)
VALUES (${UPSERT_COLUMNS.map(() => '?').join(', ')}, 'active')
ON CONFLICT (account_id, resource_type, region, resource_id) DO UPDATE SET
  ${UPDATED_ON_CONFLICT.map((c) => `${c} = excluded.${c}`).join(',\n  ')},
  status_changed_at = CASE WHEN resources.status <> 'active' THEN excluded.last_seen ELSE resources.status_changed_at END,
  status = 'active'
WHERE resources.status <> 'active' OR ${CONTENT_COLUMNS.map((c) => `resources.${c} IS NOT excluded.${c}`).join(' OR ')}`;

/** A finding's values in UPSERT_COLUMNS order, up to monthly_savings (the writer adds first/last seen and the scan). */
export type FindingValues = [
  string, string, string, string, string, string | null, string | null, number, string | null, string | null, string | null,
  number | null, string, number, string | null, string, string, string | null, number | null,
];

/** Finding → its row values, for both stores' writers. Most reasons repeat: each one's category is computed once. */
export function findingValues(accountId: string, serviceCodeFor: (f: Finding) => string): (f: Finding) => FindingValues {
  const categories = new Map<string, string | null>();
  const categoryOf = (f: Finding): string | null => {
    if (f.reasonCategory !== undefined) return f.reasonCategory;
    if (f.unusedReason === null) return null;
    let c = categories.get(f.unusedReason);
    if (c === undefined) {
      if (categories.size >= 10_000) categories.clear();
      c = reasonCategory(f.unusedReason);
      categories.set(f.unusedReason, c);
    }
    return c;
  };
  return (f) => [
    accountId, f.resourceType, f.region, f.resourceId,
    serviceCodeFor(f), f.name, f.state, f.unused ? 1 : 0, f.unusedReason, categoryOf(f), f.unusedSince, f.monthlyCost, f.costBasis,
    f.protected ? 1 : 0, f.protectedReason, JSON.stringify(f.tags), JSON.stringify(f.details), f.createdAt, f.monthlySavings ?? null,
  ];
}

/**
 * Upserts scan findings in batches on the raw connection: prepared statements, one transaction per batch.
 * (kysely builds SQL per call; at 100k rows a scan would spend more time compiling SQL than writing it.)
 *
 * Per finding: the upsert inserts a new resource, or updates one that changed or comes back from gone/deleted; an
 * unchanged resource is not written (its last seen is its task's: see markGone). A re-scan of an unchanged account
 * reads its rows and writes none of them.
 *
 * Foreign keys: the batch checks its two parents (the account, the scan) once, inside its transaction, then writes
 * with per-row foreign-key checks off — those checks would look up the same two rows 100,000 times. The connection's
 * setting is restored before write() returns, also when the batch throws.
 */
export class ResourceWriter {
  private readonly upsertStmt: BetterSqlite3.Statement;
  private readonly accountExists: BetterSqlite3.Statement;
  private readonly scanExists: BetterSqlite3.Statement;
  private readonly writeBatch: BetterSqlite3.Transaction<(rows: readonly Finding[], scanId: number | null, now: string) => void>;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly accountId: string,
    serviceCodeFor: (f: Finding) => string,
  ) {
    this.upsertStmt = sqlite.prepare(UPSERT_SQL);
    this.accountExists = sqlite.prepare('SELECT 1 FROM accounts WHERE id = ?').pluck();
    this.scanExists = sqlite.prepare('SELECT 1 FROM scans WHERE id = ?').pluck();
    const values = findingValues(accountId, serviceCodeFor);
    this.writeBatch = sqlite.transaction((rows: readonly Finding[], scanId: number | null, now: string) => {
      if (this.accountExists.get(this.accountId) === undefined) {
        throw new Error(`FOREIGN KEY constraint failed: no account ${this.accountId}`);
      }
      if (scanId !== null && this.scanExists.get(scanId) === undefined) {
        throw new Error(`FOREIGN KEY constraint failed: no scan ${scanId}`);
      }
      for (const f of rows) this.upsertStmt.run(...values(f), now, now, scanId);
    });
  }

  /** Writes one batch atomically. */
  write(rows: readonly Finding[], scanId: number | null, now = new Date().toISOString()): void {
    if (rows.length === 0) return;
    const fkOn = this.sqlite.pragma('foreign_keys', { simple: true }) === 1;
    if (fkOn && !this.sqlite.inTransaction) this.sqlite.pragma('foreign_keys = OFF');
    try {
      // IMMEDIATE: the write lock first (waiting for it, busy_timeout): another connection (the writer thread, another
      // process) may commit between a deferred transaction's first read and its first write, and that fails at once.
      this.writeBatch.immediate(rows, scanId, now);
    } finally {
      if (fkOn) this.sqlite.pragma('foreign_keys = ON');
    }
  }
}

/**
 * Last seen and last scan as a reader sees them: an active resource of a task that succeeded after the row was last
 * written was seen by that task (an unchanged re-scan writes no row). The one definition, in SQL: readers filter and
 * sort on it (resources.ts; withTaskSeen applies it to rows read whole), and a row that stops being active takes it
 * into its own columns (SETTLE_SEEN), since the task's values then no longer apply to it.
 */
const TASK_OF_ROW = `FROM resource_tasks t WHERE t.account_id = resources.account_id AND t.resource_type = resources.resource_type
  AND t.region = resources.region AND t.last_seen > resources.last_seen AND resources.status = 'active'`;
// CASE, not coalesce: a task whose scan record was removed (last_scan_id NULL) still wins over the row's older scan.
export const EFFECTIVE_LAST_SCAN_SQL = `CASE WHEN EXISTS (SELECT 1 ${TASK_OF_ROW}) THEN (SELECT t.last_scan_id ${TASK_OF_ROW}) ELSE resources.last_scan_id END`;
export const EFFECTIVE_LAST_SEEN_SQL = `coalesce((SELECT t.last_seen ${TASK_OF_ROW}), resources.last_seen)`;
const SETTLE_SEEN = `last_scan_id = ${EFFECTIVE_LAST_SCAN_SQL}, last_seen = ${EFFECTIVE_LAST_SEEN_SQL}`;

/** One SQL statement and its positional parameters: what the writer thread runs for other code (runStatements). */
export interface SqlStatement {
  sql: string;
  params: readonly unknown[];
}

/**
 * Runs statements in one IMMEDIATE transaction on `sqlite`, with its foreign-key setting; returns each one's changes.
 * The writer thread runs the same statements the same way (resource-writer-thread.ts), and may run them a second time
 * after it died unconfirmed: only idempotent statements are sent to it (the metrics cache's upsert).
 */
export function runStatements(sqlite: BetterSqlite3.Database, statements: readonly SqlStatement[]): number[] {
  return inTransaction(sqlite, () => statements.map((s) => sqlite.prepare(s.sql).run(...s.params).changes));
}

/**
 * After a task (region × type) succeeded: what it did not see in this scan (`seen`: the resource ids its pages had) is
 * `gone` (kept, never deleted); resources the app deleted stay `deleted`. Then the task is recorded as seen by this
 * scan, now: the last seen of every resource it still has active. One transaction; returns how many became gone.
 */
export function markGone(
  sqlite: BetterSqlite3.Database,
  q: { accountId: string; resourceType: string; region: string; scanId: number; seen: ReadonlySet<string> },
  now = new Date().toISOString(),
): number {
  return inTransaction(sqlite, () => {
    // The task's rows not seen are found in the unique key's index alone (it holds the resource id): only the rows
    // that become gone are read from the table, not every row of the task (35 tasks over 100,000 rows: 191–227 ms
    // against 232–257 ms, measured).
    const res = sqlite
      .prepare(
        `UPDATE resources SET status = 'gone', status_changed_at = ?, ${SETTLE_SEEN}
         WHERE id IN (
           SELECT id FROM resources WHERE account_id = ? AND resource_type = ? AND region = ?
             AND resource_id NOT IN (SELECT value FROM json_each(?))
         ) AND status = 'active'`,
      )
      .run(now, q.accountId, q.resourceType, q.region, JSON.stringify([...q.seen]));
    sqlite
      .prepare(
        `INSERT INTO resource_tasks (account_id, resource_type, region, last_scan_id, last_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id, resource_type, region) DO UPDATE SET last_scan_id = excluded.last_scan_id, last_seen = excluded.last_seen`,
      )
      .run(q.accountId, q.resourceType, q.region, q.scanId, now);
    return res.changes;
  });
}

export function markDeleted(sqlite: BetterSqlite3.Database, id: number, now = new Date().toISOString()): void {
  sqlite.prepare(`UPDATE resources SET status = 'deleted', status_changed_at = ?, ${SETTLE_SEEN} WHERE id = ?`).run(now, id);
}
