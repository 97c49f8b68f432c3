import { sql, type Kysely } from 'kysely';

/**
 * 0007 — the deletion history by plan. FROZEN (see migrations/index.ts).
 *
 * History groups the audit log per plan of an account (deletion-plans.ts): `(account_id, plan_id, id)` lets SQLite
 * walk one account's rows plan by plan instead of sorting the whole log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX deletions_account_plan ON deletions (account_id, plan_id, id)`.execute(db);
}
