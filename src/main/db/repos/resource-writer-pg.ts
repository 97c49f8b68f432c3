/**
 * The scan's side of `resources` on a PostgreSQL team store (issue #21): the same upsert, gone and deleted rules as
 * resource-writer.ts (SQLite), written as set statements — one round trip per chunk of rows, not per row.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Finding } from '../../handlers/handler';
import type { PostgresHandle } from '../postgres';
import type { Database } from '../schema';
import { CONTENT_COLUMNS, EFFECTIVE_LAST_SCAN_SQL, EFFECTIVE_LAST_SEEN_SQL, UPSERT_COLUMNS, findingValues, type FindingValues } from './resource-writer';

/** Each upsert column's PostgreSQL type, for `unnest($n::type[])` (one array parameter per column). */
const PG_TYPES: Record<(typeof UPSERT_COLUMNS)[number], string> = {
  account_id: 'text', resource_type: 'text', region: 'text', resource_id: 'text', service_code: 'text', name: 'text', state: 'text',
  unused: 'integer', unused_reason: 'text', reason_category: 'text', unused_since: 'text', monthly_cost: 'double precision',
  cost_basis: 'text', protected: 'integer', protected_reason: 'text', tags: 'text', details: 'text', created_at: 'text',
  monthly_savings: 'double precision', first_seen: 'text', last_seen: 'text', last_scan_id: 'bigint',
};
const UPDATED_ON_CONFLICT = UPSERT_COLUMNS.filter((c) => !['account_id', 'resource_type', 'region', 'resource_id', 'first_seen'].includes(c));

// The SQLite statement's twin: insert, or update only a row that changed or comes back from gone/deleted. Rows come
// as one array per column (unnest): the statement's text and its 22 parameters do not grow with the rows.
const ON_CONFLICT = sql.raw(`
ON CONFLICT (account_id, resource_type, region, resource_id) DO UPDATE SET
  ${UPDATED_ON_CONFLICT.map((c) => `${c} = excluded.${c}`).join(',\n  ')},
  status_changed_at = CASE WHEN resources.status <> 'active' THEN excluded.last_seen ELSE resources.status_changed_at END,
  status = 'active'
WHERE resources.status <> 'active' OR ${CONTENT_COLUMNS.map((c) => `resources.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ')}`);
const INSERT_INTO = sql.raw(`INSERT INTO resources (${UPSERT_COLUMNS.join(', ')}, status)`);
const ARRAY_TYPES = UPSERT_COLUMNS.map((c) => sql.raw(`::${PG_TYPES[c]}[]`));

/** Rows per statement: large enough that round trips do not count, small enough to keep each statement's memory flat. */
const ROWS_PER_STATEMENT = 2000;

/**
 * Upserts scan findings in batches: one transaction per batch, one statement per 2,000 rows. The foreign keys are
 * checked by PostgreSQL per row (a missing account or scan fails the batch, which is rolled back whole).
 */
export class PostgresResourceWriter {
  private readonly values: (f: Finding) => FindingValues;

  constructor(
    private readonly handle: PostgresHandle,
    private readonly accountId: string,
    serviceCodeFor: (f: Finding) => string,
  ) {
    this.values = findingValues(accountId, serviceCodeFor);
  }

  async write(rows: readonly Finding[], scanId: number | null, now = new Date().toISOString()): Promise<void> {
    if (rows.length === 0) return;
    await this.handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await upsertChunk(trx, dedupe(rows.slice(i, i + ROWS_PER_STATEMENT)).map(this.values), scanId, now);
      }
    });
  }
}

/**
 * One statement may not update a row twice (ON CONFLICT … "cannot affect row a second time"); SQLite's row-by-row
 * upsert keeps the last of two findings of one resource, so keep the last here too.
 */
function dedupe(rows: readonly Finding[]): readonly Finding[] {
  const last = new Map<string, Finding>();
  for (const f of rows) last.set(`${f.resourceType}\u0000${f.region}\u0000${f.resourceId}`, f);
  return last.size === rows.length ? rows : [...last.values()];
}

async function upsertChunk(trx: Transaction<Database>, rows: readonly FindingValues[], scanId: number | null, now: string): Promise<void> {
  // Column arrays in UPSERT_COLUMNS order: the finding's 19 values, then first_seen, last_seen, last_scan_id.
  const columns: unknown[][] = UPSERT_COLUMNS.map(() => new Array<unknown>(rows.length));
  rows.forEach((v, r) => {
    for (let c = 0; c < v.length; c++) columns[c]![r] = v[c];
    columns[v.length]![r] = now;
    columns[v.length + 1]![r] = now;
    columns[v.length + 2]![r] = scanId;
  });
  const arrays = sql.join(columns.map((col, i) => sql`${col}${ARRAY_TYPES[i]!}`));
  await sql`${INSERT_INTO} SELECT *, 'active' FROM unnest(${arrays}) ${ON_CONFLICT}`.execute(trx);
}

const SETTLE_SEEN = `last_scan_id = ${EFFECTIVE_LAST_SCAN_SQL}, last_seen = ${EFFECTIVE_LAST_SEEN_SQL}`;

/**
 * markGone (resource-writer.ts) on PostgreSQL: the unseen active resources of a task that succeeded go `gone`.
 * `NOT IN (SELECT unnest(…))`, not `<> ALL(…)`: the subquery is hashed once; ALL compares each row with the whole
 * array (a task of 3,000 resources: 9 million comparisons; 35 such tasks took 1.6–2.1 s, measured).
 */
export async function markGonePostgres(
  db: Kysely<Database>,
  q: { accountId: string; resourceType: string; region: string; scanId: number; seen: ReadonlySet<string> },
  now = new Date().toISOString(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const res = await sql`UPDATE resources SET status = 'gone', status_changed_at = ${now}, ${sql.raw(SETTLE_SEEN)}
      WHERE account_id = ${q.accountId} AND resource_type = ${q.resourceType} AND region = ${q.region} AND status = 'active'
        AND resource_id NOT IN (SELECT unnest(${[...q.seen]}::text[]))`.execute(trx);
    await sql`INSERT INTO resource_tasks (account_id, resource_type, region, last_scan_id, last_seen)
      VALUES (${q.accountId}, ${q.resourceType}, ${q.region}, ${q.scanId}, ${now})
      ON CONFLICT (account_id, resource_type, region) DO UPDATE SET last_scan_id = excluded.last_scan_id, last_seen = excluded.last_seen`.execute(trx);
    return Number(res.numAffectedRows ?? 0n);
  });
}

export async function markDeletedPostgres(db: Kysely<Database>, id: number, now = new Date().toISOString()): Promise<void> {
  await sql`UPDATE resources SET status = 'deleted', status_changed_at = ${now}, ${sql.raw(SETTLE_SEEN)} WHERE id = ${id}`.execute(db);
}
