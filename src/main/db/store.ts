/**
 * The app's store: the embedded SQLite file (the default, one person) or a PostgreSQL team store (issue #21). Both
 * carry kysely over the same schema (migrations/, both dialects); repositories take a Kysely where their SQL is
 * portable, and an AppDb where the two differ (the scan's bulk writer, the audit, the metric cache).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dialectOf } from '../../../migrations/dialect';
import type { DbHandle } from './connection';
import type { PostgresHandle } from './postgres';
import type { Database } from './schema';

export type AppDb = DbHandle | PostgresHandle;
export type Dialect = AppDb['dialect'];

export function isSqlite(h: AppDb): h is DbHandle {
  return h.dialect === 'sqlite';
}

/** For messages: the SQLite file's path, or `database "<name>" on host:port` (never a password). */
export function storeName(h: AppDb): string {
  return h.dialect === 'sqlite' ? h.file : `PostgreSQL ${h.server}`;
}

/** The dialect behind a Kysely (for repositories that take one): 'sqlite' or 'postgres'. */
export function dialectOfDb(db: Kysely<Database>): Dialect {
  return dialectOf(db as unknown as Kysely<unknown>).name;
}

/**
 * A subquery of the values of a JSON array given as text (a bound parameter or a TEXT column): SQLite's json_each,
 * PostgreSQL's jsonb_array_elements_text (cast to bigint for ids). For `x IN (…)` / `x NOT IN (…)` over a list bound
 * as one parameter, however long.
 */
export function jsonArrayValues(dialect: Dialect, json: RawBuilder<unknown> | string, type: 'text' | 'bigint' = 'text'): RawBuilder<unknown> {
  const j = typeof json === 'string' ? sql`${json}` : json;
  if (dialect === 'sqlite') return sql`(SELECT value FROM json_each(${j}))`;
  return type === 'bigint'
    ? sql`(SELECT value::bigint FROM jsonb_array_elements_text(${j}::jsonb) AS e(value))`
    : sql`(SELECT value FROM jsonb_array_elements_text(${j}::jsonb) AS e(value))`;
}
