/**
 * The PostgreSQL side of "upload my history" (upload-history.ts): rows travel as one array per column
 * (`unnest($1::text[], …)`), so a statement's text and its parameter count do not grow with its rows, and each table's
 * chunk is one transaction.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { PostgresHandle } from './postgres';
import type { Database } from './schema';

export type PgType = 'text' | 'bigint' | 'integer' | 'double precision';
export interface Col {
  name: string;
  type: PgType;
}
export type Row = Record<string, unknown>;

export const text = (...names: string[]): Col[] => names.map((name) => ({ name, type: 'text' }));
export const int = (...names: string[]): Col[] => names.map((name) => ({ name, type: 'integer' }));
export const big = (...names: string[]): Col[] => names.map((name) => ({ name, type: 'bigint' }));
export const real = (...names: string[]): Col[] => names.map((name) => ({ name, type: 'double precision' }));

export const names = (cols: readonly Col[]): RawBuilder<unknown> => sql.raw(cols.map((c) => c.name).join(', '));
/** `u.a, u.b, …` */
export const fromU = (cols: readonly Col[]): RawBuilder<unknown> => sql.raw(cols.map((c) => `u.${c.name}`).join(', '));

/** `unnest($1::text[], $2::bigint[], …) AS u(a, b, …)`: the rows as a relation named `u`. */
export function unnest(cols: readonly Col[], rows: readonly Row[]): RawBuilder<unknown> {
  const arrays = cols.map((c) => sql`${rows.map((r) => r[c.name] ?? null)}::${sql.raw(c.type)}[]`);
  return sql`unnest(${sql.join(arrays)}) AS u(${names(cols)})`;
}

/** The same from column arrays (`columns[i]` holds `cols[i]`'s values), for a table read as raw rows. */
export function unnestColumns(cols: readonly Col[], columns: readonly unknown[][]): RawBuilder<unknown> {
  const arrays = cols.map((c, i) => sql`${columns[i]!}::${sql.raw(c.type)}[]`);
  return sql`unnest(${sql.join(arrays)}) AS u(${names(cols)})`;
}

/** A chunk's outcome: rows inserted, rows that existed and were replaced by newer local ones. */
export interface Written {
  inserted: number;
  updated: number;
}

/** Counts `RETURNING (xmax = 0) AS inserted` rows: true for an insert, false for an ON CONFLICT update. */
export function counted(rows: readonly { inserted: boolean }[]): Written {
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

/**
 * An upsert on a natural key: `conflict` is the whole `ON CONFLICT …` clause (DO NOTHING, or DO UPDATE … WHERE the
 * local row is newer). One statement for the chunk.
 */
export async function upsertChunk(
  trx: Transaction<Database>,
  table: string,
  cols: readonly Col[],
  rows: readonly Row[],
  conflict: RawBuilder<unknown>,
): Promise<Written> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const { rows: out } = await sql<{ inserted: boolean }>`
    INSERT INTO ${sql.table(table)} (${names(cols)}) SELECT ${fromU(cols)} FROM ${unnest(cols, rows)}
    ${conflict} RETURNING (xmax = 0) AS inserted`.execute(trx);
  return counted(out);
}

/**
 * Inserts rows that have a surrogate id and no natural key, each once: `origin` (see migration 0012) says where a row
 * came from; a row whose origin is recorded is already there. The new ids are drawn from the table's sequence first, so
 * the row and its origin are written by one statement, in the local order (history lists sort by id). Returns the
 * server id of every row of the chunk (new or already there), by origin.
 */
export async function insertWithOrigin(
  trx: Transaction<Database>,
  spec: { table: string; originTable: string; idColumn: string },
  cols: readonly Col[],
  rows: readonly Row[],
): Promise<{ inserted: number; ids: Map<string, number> }> {
  if (rows.length === 0) return { inserted: 0, ids: new Map() };
  const all = [...cols, { name: 'origin', type: 'text' } as const];
  const { rows: out } = await sql<{ n: number }>`
    WITH todo AS MATERIALIZED (
      SELECT u.*, nextval(pg_get_serial_sequence(${spec.table}, 'id')) AS new_id
      FROM ${unnest(all, rows)}
      WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(spec.originTable)} o WHERE o.origin = u.origin)
    ),
    ins AS (INSERT INTO ${sql.table(spec.table)} (id, ${names(cols)}) SELECT new_id, ${names(cols)} FROM todo ORDER BY new_id RETURNING 1),
    org AS (INSERT INTO ${sql.table(spec.originTable)} (origin, ${sql.ref(spec.idColumn)}) SELECT origin, new_id FROM todo RETURNING 1)
    SELECT (SELECT count(*) FROM ins)::integer AS n`.execute(trx);
  const ids = await idsByOrigin(trx, spec, rows.map((r) => r['origin'] as string));
  return { inserted: out[0]?.n ?? 0, ids };
}

async function idsByOrigin(
  trx: Transaction<Database>,
  spec: { originTable: string; idColumn: string },
  origins: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await sql<{ origin: string; id: number }>`
    SELECT origin, ${sql.ref(spec.idColumn)} AS id FROM ${sql.table(spec.originTable)} WHERE origin = ANY(${origins}::text[])`.execute(trx);
  return new Map(rows.map((r) => [r.origin, r.id]));
}

/**
 * Serializes uploads of one local store (two windows, or the app and a CLI): each chunk's transaction first takes a
 * lock on the store's id, so "already there?" and the insert of the same rows cannot interleave.
 */
export async function lockStore(trx: Transaction<Database>, storeId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`cloud-cleaner upload ${storeId}`}, 0))`.execute(trx);
}

/** Runs `fn` in one transaction on the server, holding the store's upload lock. */
export function inServerTransaction<T>(to: PostgresHandle, storeId: string, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return to.db.transaction().execute(async (trx) => {
    await lockStore(trx, storeId);
    return fn(trx);
  });
}

/**
 * Reads a local table in chunks by rowid (never holding a statement open across an await: the app may use the
 * connection meanwhile). `select` is the column list (may use `t` for the table); WITHOUT ROWID tables are read whole.
 */
export function* localChunks(
  sqlite: BetterSqlite3.Database,
  q: { table: string; select: string; where?: string; withoutRowid?: boolean },
  size: number,
): Generator<Row[]> {
  const where = q.where ? ` AND (${q.where})` : '';
  if (q.withoutRowid) {
    const rows = sqlite.prepare(`SELECT ${q.select} FROM ${q.table} WHERE 1 = 1${where}`).all() as Row[];
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
    return;
  }
  const stmt = sqlite.prepare(`SELECT ${q.table}.rowid AS _rowid, ${q.select} FROM ${q.table} WHERE ${q.table}.rowid > ?${where} ORDER BY ${q.table}.rowid LIMIT ?`);
  let after = 0;
  for (;;) {
    const rows = stmt.all(after, size) as Row[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!['_rowid'] as number;
    yield rows;
    if (rows.length < size) return;
  }
}

/**
 * `localChunks` for the largest tables: rows as arrays in `select`'s order (no object per row: 3× faster to read),
 * turned into one array per column. The rowid is read but not returned.
 */
export function* localColumnChunks(sqlite: BetterSqlite3.Database, q: { table: string; select: string }, size: number): Generator<unknown[][]> {
  const stmt = sqlite.prepare(`SELECT ${q.table}.rowid AS _rowid, ${q.select} FROM ${q.table} WHERE ${q.table}.rowid > ? ORDER BY ${q.table}.rowid LIMIT ?`).raw(true);
  let after = 0;
  for (;;) {
    const rows = stmt.all(after, size) as unknown[][];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]![0] as number;
    const width = rows[0]!.length;
    const columns: unknown[][] = Array.from({ length: width - 1 }, () => new Array<unknown>(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let c = 1; c < width; c++) columns[c - 1]![r] = row[c];
    }
    yield columns;
    if (rows.length < size) return;
  }
}

/** How many rows a chunked read will yield (for progress). */
export function localCount(sqlite: BetterSqlite3.Database, table: string, where?: string): number {
  return (sqlite.prepare(`SELECT count(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`).get() as { n: number }).n;
}
