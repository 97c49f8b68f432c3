/**
 * Resources and their tasks for "upload my history" (upload-history.ts). A resource is the same resource in both
 * stores when its (account, type, region, AWS id) is; its server id is the server's own.
 *
 * Which version wins: the one observed last — the later of its last seen (as readers see it: an active row of a task
 * that succeeded later was seen by that task, resource-writer.ts) and its status change (gone or deleted after it was
 * last seen). So another person's newer scan of a resource is never overwritten by an older local one, and a newer
 * local one replaces the server's (first seen: the earlier of the two).
 *
 * Tasks (resource_tasks) say "every active resource of this type and region was seen by this scan". Merging them must
 * keep that true both ways:
 * - a local resource that is active here but older than the server's task of its type and region was not seen by the
 *   server's later scan (had it been, the server would have it): it goes up as `gone` since that scan;
 * - a server resource that is active but older than a later local task was not seen by the local scan: it becomes
 *   `gone` since it (what markGone does at a task's end), then the local task replaces the server's.
 */
import { sql } from 'kysely';
import { EFFECTIVE_LAST_SCAN_SQL, EFFECTIVE_LAST_SEEN_SQL } from './repos/resource-writer';
import type { Run } from './upload-history';
import { big, counted, fromU, int, localChunks, localColumnChunks, localCount, names, real, text, unnest, unnestColumns, type Row } from './upload-pg';

const KEY = text('account_id', 'resource_type', 'region', 'resource_id');
const CONTENT = [
  ...text('service_code', 'name', 'state'), ...int('unused'), ...text('unused_reason', 'reason_category', 'unused_since'),
  ...real('monthly_cost', 'monthly_savings'), ...text('cost_basis'), ...int('protected'), ...text('protected_reason', 'tags', 'details', 'created_at'),
];
const SEEN = [...text('first_seen', 'last_seen'), ...big('last_scan_id')];
const STATUS = text('status', 'status_changed_at');
const COLS = [...KEY, ...CONTENT, ...SEEN, ...STATUS];

/** A local row as readers see it (last seen and last scan settled with its task's), in COLS order. */
const LOCAL_SELECT = [
  ...KEY.map((c) => c.name), ...CONTENT.map((c) => c.name), 'first_seen',
  `${EFFECTIVE_LAST_SEEN_SQL} AS last_seen`, `${EFFECTIVE_LAST_SCAN_SQL} AS last_scan_id`, 'status', 'status_changed_at',
].join(', ');
const LAST_SCAN = COLS.findIndex((c) => c.name === 'last_scan_id');

const observed = (row: string, lastSeen: string): string => `greatest(${lastSeen}, coalesce(${row}.status_changed_at, ''))`;
const LATER_TASK = `u.status = 'active' AND t.last_seen > u.last_seen`;

const UPSERT_TAIL = sql.raw(`
  LEFT JOIN resource_tasks t ON t.account_id = u.account_id AND t.resource_type = u.resource_type AND t.region = u.region
  ON CONFLICT (account_id, resource_type, region, resource_id) DO UPDATE SET
    ${[...CONTENT, ...SEEN.slice(1), ...STATUS].map((c) => `${c.name} = excluded.${c.name}`).join(', ')},
    first_seen = least(resources.first_seen, excluded.first_seen)
  WHERE ${observed('excluded', 'excluded.last_seen')} > ${observed('resources', EFFECTIVE_LAST_SEEN_SQL)}
  RETURNING (xmax = 0) AS inserted`);

export async function uploadResources(run: Run): Promise<void> {
  const sqlite = run.from.sqlite;
  const total = localCount(sqlite, 'resources');
  const head = [...KEY, ...CONTENT, ...SEEN];
  for (const columns of localColumnChunks(sqlite, { table: 'resources', select: LOCAL_SELECT }, run.chunk)) {
    columns[LAST_SCAN] = columns[LAST_SCAN]!.map((id) => (id === null ? null : (run.scanIds.get(id as number) ?? null)));
    await run.step('resources', columns[0]!.length, total, async (trx) => {
      const { rows: out } = await sql<{ inserted: boolean }>`
        INSERT INTO resources (${names(COLS)})
        SELECT ${fromU(head)},
          CASE WHEN ${sql.raw(LATER_TASK)} THEN 'gone' ELSE u.status END,
          CASE WHEN ${sql.raw(LATER_TASK)} THEN t.last_seen ELSE u.status_changed_at END
        FROM ${unnestColumns(COLS, columns)} ${UPSERT_TAIL}`.execute(trx);
      return counted(out);
    });
  }
}

const TASK_COLS = [...text('account_id', 'resource_type', 'region'), ...big('last_scan_id'), ...text('last_seen')];

export async function uploadResourceTasks(run: Run): Promise<void> {
  const total = localCount(run.from.sqlite, 'resource_tasks');
  const select = TASK_COLS.map((c) => c.name).join(', ');
  for (const local of localChunks(run.from.sqlite, { table: 'resource_tasks', select, withoutRowid: true }, run.chunk)) {
    const rows = local.map((r) => ({ ...r, last_scan_id: r['last_scan_id'] === null ? null : (run.scanIds.get(r['last_scan_id'] as number) ?? null) }));
    await run.step('resource_tasks', rows, total, async (trx) => {
      // Before the tasks change: what the server still has active but a later local scan of its task did not see.
      const gone = await sql`
        UPDATE resources SET status = 'gone', status_changed_at = u.last_seen,
          last_scan_id = ${sql.raw(EFFECTIVE_LAST_SCAN_SQL)}, last_seen = ${sql.raw(EFFECTIVE_LAST_SEEN_SQL)}
        FROM ${unnest(TASK_COLS, rows)}
        WHERE resources.account_id = u.account_id AND resources.resource_type = u.resource_type AND resources.region = u.region
          AND resources.status = 'active' AND ${sql.raw(EFFECTIVE_LAST_SEEN_SQL)} < u.last_seen`.execute(trx);
      run.report.markedGone += Number(gone.numAffectedRows ?? 0n);
      const { rows: out } = await sql<{ inserted: boolean }>`
        INSERT INTO resource_tasks (${names(TASK_COLS)}) SELECT ${fromU(TASK_COLS)} FROM ${unnest(TASK_COLS, rows)}
        ON CONFLICT (account_id, resource_type, region) DO UPDATE SET last_scan_id = excluded.last_scan_id, last_seen = excluded.last_seen
        WHERE excluded.last_seen > resource_tasks.last_seen
        RETURNING (xmax = 0) AS inserted`.execute(trx);
      return counted(out);
    });
  }
}

/** Local resource id → server resource id, for the ids given (by natural key; ids with no local row are left out). */
export async function resourceIdMap(run: Run, localIds: ReadonlySet<number>): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  const ids = [...localIds];
  const stmt = run.from.sqlite.prepare(`SELECT id, account_id, resource_type, region, resource_id FROM resources WHERE id IN (SELECT value FROM json_each(?))`);
  for (let i = 0; i < ids.length; i += run.chunk) {
    const local = stmt.all(JSON.stringify(ids.slice(i, i + run.chunk))) as Row[];
    if (local.length === 0) continue;
    const cols = [...big('id'), ...KEY];
    const { rows } = await sql<{ lid: number; id: number }>`
      SELECT u.id AS lid, r.id FROM ${unnest(cols, local)}
      JOIN resources r ON r.account_id = u.account_id AND r.resource_type = u.resource_type AND r.region = u.region AND r.resource_id = u.resource_id`.execute(
      run.to.db,
    );
    for (const r of rows) map.set(r.lid, r.id);
  }
  return map;
}
