import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0004 — who runs a run, and an audit log that outlives its account. FROZEN (see migrations/index.ts).
 *
 * 1. `scans` and `cleanup_plans` get the owner of their current (or last) run: `owner_pid` and `owner_start` (the
 *    process's start as the OS reports it, see src/main/db/run-owner.ts). Recovery marks a `running` row
 *    `interrupted` only when that process is gone, so the CLI no longer interrupts the app's scan (or the reverse).
 *    Rows written before this migration have no owner (NULL): nothing can be running them any more.
 * 2. `deletions.account_id` becomes ON DELETE RESTRICT (was CASCADE): deleting an account must never erase the
 *    record of what was deleted in it. SQLite cannot change a foreign key in place, so the table is rebuilt (new
 *    table, copy every row with its id, drop, rename, indices again). No table references `deletions`, so the
 *    rebuild is safe with foreign keys on; they are checked before the migration commits. PostgreSQL changes the
 *    constraint in place (migrations/dialect.ts), which re-checks every row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE scans ADD COLUMN owner_pid INTEGER`.execute(db);
  await sql`ALTER TABLE scans ADD COLUMN owner_start TEXT`.execute(db);
  await sql`ALTER TABLE cleanup_plans ADD COLUMN owner_pid INTEGER`.execute(db);
  await sql`ALTER TABLE cleanup_plans ADD COLUMN owner_start TEXT`.execute(db);

  const d = dialectOf(db);
  if (d.altersForeignKeys) {
    await d.replaceForeignKey(db, { table: 'deletions', column: 'account_id', parent: 'accounts', parentColumn: 'id', onDelete: 'RESTRICT' });
    return;
  }
  await sql`
    CREATE TABLE deletions_new (
      id              ${d.idPrimaryKey},
      account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
      plan_id         TEXT NOT NULL,
      resource_pk     ${d.idRef} REFERENCES resources(id) ON DELETE SET NULL,
      resource_type   TEXT NOT NULL,
      region          TEXT NOT NULL,
      resource_id     TEXT NOT NULL,
      action          TEXT NOT NULL,
      target          TEXT NOT NULL,
      dry_run         INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
      dry_run_result  TEXT,
      outcome         TEXT NOT NULL CHECK (outcome IN
                        ('pending', 'succeeded', 'dry-run-ok', 'unauthorized', 'refused', 'failed')),
      error_code      TEXT,
      error_message   TEXT,
      requested_at    TEXT NOT NULL,
      completed_at    TEXT,
      details         TEXT NOT NULL DEFAULT '{}'
    )${d.strict}`.execute(db);
  const columns = sql.raw(
    'id, account_id, plan_id, resource_pk, resource_type, region, resource_id, action, target, dry_run, dry_run_result, ' +
      'outcome, error_code, error_message, requested_at, completed_at, details',
  );
  await sql`INSERT INTO deletions_new (${columns}) SELECT ${columns} FROM deletions`.execute(db);
  await sql`DROP TABLE deletions`.execute(db);
  await sql`ALTER TABLE deletions_new RENAME TO deletions`.execute(db);
  await sql`CREATE INDEX deletions_plan ON deletions (plan_id, id)`.execute(db);
  await sql`CREATE INDEX deletions_resource ON deletions (resource_pk, id)`.execute(db);
  await sql`CREATE INDEX deletions_account ON deletions (account_id, requested_at DESC)`.execute(db);

  const broken = await sql<{ table: string; rowid: number; parent: string }>`PRAGMA foreign_key_check(deletions)`.execute(db);
  if (broken.rows.length > 0) {
    const first = broken.rows[0]!;
    throw new Error(
      `${broken.rows.length} audit row(s) reference a missing ${first.parent} row (first: deletions rowid ${first.rowid}); the database was not changed`,
    );
  }
}
