import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0012 — where an uploaded row came from (issue #21, "upload my history"). FROZEN once landed.
 *
 * Uploading a local SQLite history into a team store must be idempotent, but scans, their failures and the audit log
 * have only surrogate ids, which differ between the stores (local ids collide with the server's), and none of their
 * columns is a guaranteed natural identity (two scans of one account may start in the same millisecond; two audit rows
 * of one plan may share a timestamp). So:
 * - `store_identity`: one row per store, a random id written here (the upload only reads it: it never writes the local
 *   file; a copied file keeps its id, which is right, since its rows are the same rows);
 * - `scan_origins`, `scan_failure_origins`, `deletion_origins`: for each uploaded row, its origin
 *   `<store id>/<local id>@<its time>` (the time too, in case SQLite reuses the id of a removed last row) and the row
 *   it became. Side tables rather than a column: the existing tables (and the audit log's shape, which the 0004 tests
 *   pin) stay as they are; a removed row takes its origin with it (ON DELETE CASCADE), so it could be uploaded again.
 *   They stay empty in a local file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`
    CREATE TABLE store_identity (
      id          TEXT PRIMARY KEY NOT NULL,
      created_at  TEXT NOT NULL
    )${d.strict}`.execute(db);
  await sql`INSERT INTO store_identity (id, created_at) VALUES (${randomUUID()}, ${new Date().toISOString()})`.execute(db);
  for (const [table, column, parent] of [
    ['scan_origins', 'scan_id', 'scans'],
    ['scan_failure_origins', 'scan_failure_id', 'scan_failures'],
    ['deletion_origins', 'deletion_id', 'deletions'],
  ] as const) {
    await sql`
    CREATE TABLE ${sql.raw(table)} (
      origin  TEXT PRIMARY KEY NOT NULL,
      ${sql.raw(column)}  ${d.idRef} NOT NULL UNIQUE REFERENCES ${sql.raw(parent)}(id) ON DELETE CASCADE
    )${d.strict}`.execute(db);
  }
}
