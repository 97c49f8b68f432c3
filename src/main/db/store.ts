/**
 * The app's store: the embedded SQLite file (the default, one person) or a PostgreSQL team store (issue #21). Both
 * carry kysely over the same schema (migrations/, both dialects); repositories take a Kysely where their SQL is
 * portable, and an AppDb where the two differ (the scan's bulk writer, the audit, the metric cache).
 */
import { AppError } from '../../shared/errors';
import type { DbHandle } from './connection';
import type { PostgresHandle } from './postgres';

export type AppDb = DbHandle | PostgresHandle;
export type Dialect = AppDb['dialect'];

export function isSqlite(h: AppDb): h is DbHandle {
  return h.dialect === 'sqlite';
}

/** For messages: the SQLite file's path, or `database "<name>" on host:port` (never a password). */
export function storeName(h: AppDb): string {
  return h.dialect === 'sqlite' ? h.file : `PostgreSQL ${h.server}`;
}

/** For what has no PostgreSQL version yet: a clear `db.unsupported` instead of a crash deep in a repository. */
export function requireSqlite(h: AppDb, what: string): DbHandle {
  if (isSqlite(h)) return h;
  throw new AppError('db.unsupported', `${what} is not available on a PostgreSQL team store yet (${storeName(h)}); use the local database for it.`, {
    server: h.server,
  });
}
