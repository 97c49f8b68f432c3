import { sql, type Kysely } from 'kysely';
import { reasonCategory } from '../src/main/findings/reason-category';

/**
 * 0006 — reason categories. FROZEN (see migrations/index.ts).
 *
 * `resources.reason_category`: a finding's reason without what differs from one resource to the next (day counts,
 * dates, ids), the findings page's Reason filter ("Stopped by the user N days ago" instead of one entry per day count).
 * Existing rows are filled from their reason, in batches; the scan writes it from then on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE resources ADD COLUMN reason_category TEXT`.execute(db);
  const { rows } = await sql<{ r: string }>`SELECT DISTINCT unused_reason AS r FROM resources WHERE unused_reason IS NOT NULL`.execute(db);
  for (const { r } of rows) {
    await sql`UPDATE resources SET reason_category = ${reasonCategory(r)} WHERE unused_reason = ${r}`.execute(db);
  }
}
