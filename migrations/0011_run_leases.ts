import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0011 — who may scan or clean up an account right now, across processes and machines (issue #21). FROZEN once landed.
 *
 * `scans.owner_pid` (0004) tells this machine's processes apart; a shared database (PostgreSQL, or one SQLite file used
 * by the app and a CLI job) needs more: at most one scan and one cleanup per account at a time, whoever runs it. A
 * lease row per (account, kind) names its holder (a per-process id, the host, the OS user, the pid) and expires unless
 * its holder renews it: a holder that crashed frees the account when its lease runs out. Taking a lease is one
 * INSERT … ON CONFLICT DO NOTHING, atomic on both dialects, so two writers racing for it cannot both win.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`
    CREATE TABLE run_leases (
      account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      kind         TEXT NOT NULL CHECK (kind IN ('scan', 'cleanup')),
      owner_id     TEXT NOT NULL,
      owner_host   TEXT NOT NULL,
      owner_user   TEXT,
      owner_pid    INTEGER,
      acquired_at  TEXT NOT NULL,
      renewed_at   TEXT NOT NULL,
      expires_at   TEXT NOT NULL,
      PRIMARY KEY (account_id, kind)
    )${d.strictWithoutRowid}`.execute(db);
}
