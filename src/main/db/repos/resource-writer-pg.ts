/**
 * The scan's side of `resources` on a PostgreSQL team store (issue #21): the same upsert, gone and deleted rules as
 * resource-writer.ts (SQLite), written as set statements — one round trip per chunk of rows, not per row.
 */
import { hash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Finding } from '../../handlers/handler';
import type { PostgresHandle } from '../postgres';
import type { Database } from '../schema';
import { CONTENT_COLUMNS, EFFECTIVE_LAST_SCAN_SQL, EFFECTIVE_LAST_SEEN_SQL, UPSERT_COLUMNS, findingValues, type FindingValues } from './resource-writer';

/** Each upsert column's PostgreSQL type, for `unnest($n::type[])` (one array parameter per column). */
const PG_TYPES: Record<(typeof PG_COLUMNS)[number], string> = {
  account_id: 'text', resource_type: 'text', region: 'text', resource_id: 'text', service_code: 'text', name: 'text', state: 'text',
  unused: 'integer', unused_reason: 'text', reason_category: 'text', unused_since: 'text', monthly_cost: 'double precision',
  cost_basis: 'text', protected: 'integer', protected_reason: 'text', tags: 'text', details: 'text', created_at: 'text',
  monthly_savings: 'double precision', first_seen: 'text', last_seen: 'text', last_scan_id: 'bigint', content_hash: 'text',
};
/** SQLite's upsert columns and the digest of the reported ones (migration 0013). */
const PG_COLUMNS = [...UPSERT_COLUMNS, 'content_hash'] as const;
const UPDATED_ON_CONFLICT = PG_COLUMNS.filter((c) => !['account_id', 'resource_type', 'region', 'resource_id', 'first_seen'].includes(c));

// The SQLite statement's twin: insert, or update only a row that changed or comes back from gone/deleted (or has no
// digest yet). Rows come as one array per column (unnest): the statement's text and its parameters do not grow with
// the rows.
const ON_CONFLICT = sql.raw(`
ON CONFLICT (account_id, resource_type, region, resource_id) DO UPDATE SET
  ${UPDATED_ON_CONFLICT.map((c) => `${c} = excluded.${c}`).join(',\n  ')},
  status_changed_at = CASE WHEN resources.status <> 'active' THEN excluded.last_seen ELSE resources.status_changed_at END,
  status = 'active'
WHERE resources.status <> 'active' OR resources.content_hash IS DISTINCT FROM excluded.content_hash
  OR ${CONTENT_COLUMNS.map((c) => `resources.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ')}`);
const INSERT_INTO = sql.raw(`INSERT INTO resources (${PG_COLUMNS.join(', ')}, status)`);
const ARRAY_TYPES = PG_COLUMNS.map((c) => sql.raw(`::${PG_TYPES[c]}[]`));

/** Rows per statement: large enough that round trips do not count, small enough to keep each statement's memory flat. */
const ROWS_PER_STATEMENT = 2000;

/**
 * The digest of a finding's reported columns (CONTENT_COLUMNS, in FindingValues from service_code on): each value
 * with its type, so that null, '' and 'null' differ, and a number differs from the string of its digits.
 */
export function contentHash(v: FindingValues): string {
  // One string, one-shot digest: a digest object per row cost more (100,000 rows: 270 ms with createHash, 211 ms with
  // hash; an update per value, 380 ms).
  let s = '';
  for (let i = 4; i < v.length; i++) {
    const x = v[i] as string | number | null;
    s += x === null ? '\u0000n' : typeof x === 'number' ? `\u0000d${x}` : `\u0000s${x.length}:${x}`;
  }
  return hash('sha1', s, 'base64');
}

/**
 * Upserts scan findings in batches: one transaction per batch, one statement per 2,000 rows. The foreign keys are
 * checked by PostgreSQL per row (a missing account or scan fails the batch, which is rolled back whole).
 *
 * An unchanged re-scan sends little: each chunk's keys and digests go first (`changedRows`), then only the rows that
 * are new, changed or back from gone/deleted go whole. A first scan, whose rows are all new, would pay that probe
 * for nothing: the writer probes while probing pays — after a chunk whose probe found most rows to write it sends the
 * next chunks whole, and goes back to probing when an upsert found most of its rows unchanged.
 */
export class PostgresResourceWriter {
  private readonly values: (f: Finding) => FindingValues;
  private probe = true;
  /** Rows sent whole and rows only probed, since the writer was made (for tests and benchmarks). */
  readonly sent = { whole: 0, probed: 0 };

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
        const chunk = dedupe(rows.slice(i, i + ROWS_PER_STATEMENT)).map((f) => {
          const v = this.values(f);
          return { v, hash: contentHash(v) };
        });
        let toWrite = chunk;
        if (this.probe) {
          this.sent.probed += chunk.length;
          const changed = await changedRows(trx, this.accountId, chunk);
          toWrite = changed.map((k) => chunk[k]!);
          if (toWrite.length > chunk.length * 0.9) this.probe = false;
        }
        if (toWrite.length === 0) continue;
        this.sent.whole += toWrite.length;
        const written = await upsertChunk(trx, toWrite, scanId, now);
        if (!this.probe && written < toWrite.length / 2) this.probe = true;
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

interface ChunkRow {
  v: FindingValues;
  hash: string;
}

/**
 * The positions (0-based) of the chunk's rows that must be written: no active row of that key with that digest. The
 * subquery is fenced (OFFSET 0) so that each row is one probe of the unique key's index: left to itself the planner
 * may hash the whole table for a 2,000-row chunk (250 ms, measured, against 28 ms of probes).
 */
async function changedRows(trx: Transaction<Database>, accountId: string, chunk: readonly ChunkRow[]): Promise<number[]> {
  const { rows } = await sql<{ i: string | number }>`
    SELECT u.i - 1 AS i
    FROM unnest(${chunk.map((r) => r.v[1])}::text[], ${chunk.map((r) => r.v[2])}::text[], ${chunk.map((r) => r.v[3])}::text[],
                ${chunk.map((r) => r.hash)}::text[]) WITH ORDINALITY AS u(resource_type, region, resource_id, content_hash, i)
    WHERE NOT EXISTS (
      SELECT 1 FROM (
        SELECT r.status, r.content_hash FROM resources r
        WHERE r.account_id = ${accountId} AND r.resource_type = u.resource_type AND r.region = u.region AND r.resource_id = u.resource_id
        OFFSET 0
      ) r WHERE r.status = 'active' AND r.content_hash = u.content_hash)`.execute(trx);
  return rows.map((r) => Number(r.i));
}

/** Upserts the rows; returns how many were inserted or updated (an unchanged row is neither). */
async function upsertChunk(trx: Transaction<Database>, rows: readonly ChunkRow[], scanId: number | null, now: string): Promise<number> {
  // Column arrays in PG_COLUMNS order: the finding's 19 values, then first_seen, last_seen, last_scan_id, the digest.
  const columns: unknown[][] = PG_COLUMNS.map(() => new Array<unknown>(rows.length));
  rows.forEach(({ v, hash }, r) => {
    for (let c = 0; c < v.length; c++) columns[c]![r] = v[c];
    columns[v.length]![r] = now;
    columns[v.length + 1]![r] = now;
    columns[v.length + 2]![r] = scanId;
    columns[v.length + 3]![r] = hash;
  });
  const arrays = sql.join(columns.map((col, i) => sql`${col}${ARRAY_TYPES[i]!}`));
  const res = await sql`${INSERT_INTO} SELECT *, 'active' FROM unnest(${arrays}) ${ON_CONFLICT}`.execute(trx);
  return Number(res.numAffectedRows ?? 0n);
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
  // One statement (atomic on its own), one round trip: as a transaction of two statements it took four round trips
  // (bench:db's 35 tasks: 0.26–0.29 s this way, 0.33–0.43 s that way, measured). Both parts see the statement's
  // snapshot, so the gone rows settle their last seen on the task's previous record, as the SQLite twin does.
  const { rows } = await sql<{ gone: number }>`
    WITH gone AS (
      UPDATE resources SET status = 'gone', status_changed_at = ${now}, ${sql.raw(SETTLE_SEEN)}
      WHERE account_id = ${q.accountId} AND resource_type = ${q.resourceType} AND region = ${q.region} AND status = 'active'
        AND resource_id NOT IN (SELECT unnest(${[...q.seen]}::text[]))
      RETURNING 1
    ), task AS (
      INSERT INTO resource_tasks (account_id, resource_type, region, last_scan_id, last_seen)
      VALUES (${q.accountId}, ${q.resourceType}, ${q.region}, ${q.scanId}, ${now})
      ON CONFLICT (account_id, resource_type, region) DO UPDATE SET last_scan_id = excluded.last_scan_id, last_seen = excluded.last_seen
    )
    SELECT COUNT(*) AS gone FROM gone`.execute(db);
  return Number(rows[0]?.gone ?? 0);
}

export async function markDeletedPostgres(db: Kysely<Database>, id: number, now = new Date().toISOString()): Promise<void> {
  await sql`UPDATE resources SET status = 'deleted', status_changed_at = ${now}, ${sql.raw(SETTLE_SEEN)} WHERE id = ${id}`.execute(db);
}
