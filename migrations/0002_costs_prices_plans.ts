import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0002 — what the tool itself costs (Cost Explorer requests per account per day), the Price List cache,
 * and cleanup plans (built in main from stored findings; executed by id). FROZEN (see migrations/index.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`
    CREATE TABLE ce_requests (
      account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      day         TEXT NOT NULL,
      requests    INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (account_id, day)
    )${d.strict}`.execute(db);

  await sql`
    CREATE TABLE price_cache (
      region      TEXT PRIMARY KEY NOT NULL,
      prices      TEXT NOT NULL,
      fetched_at  TEXT NOT NULL
    )${d.strict}`.execute(db);

  await sql`
    CREATE TABLE cleanup_plans (
      id               TEXT PRIMARY KEY NOT NULL,
      account_id       TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      created_at       TEXT NOT NULL,
      status           TEXT NOT NULL CHECK (status IN
                         ('planned', 'dry-run', 'running', 'completed', 'cancelled', 'refused', 'interrupted')),
      items            TEXT NOT NULL,
      monthly_savings  ${d.real} NOT NULL DEFAULT 0,
      options          TEXT NOT NULL DEFAULT '{}',
      completed_at     TEXT
    )${d.strict}`.execute(db);
  await sql`CREATE INDEX cleanup_plans_account ON cleanup_plans (account_id, created_at DESC)`.execute(db);
}
