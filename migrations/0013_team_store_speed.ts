import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0013 — a team store as quick as the file (issue #21's bench:db targets). FROZEN once landed.
 *
 * - `resources.content_hash`: a digest of a finding's reported columns (resource-writer-pg.ts `contentHash`), written
 *   by the PostgreSQL writer. A re-scan sends each row's key and digest first and then only the rows that changed,
 *   instead of every row whole: on a server the rows' transfer, not the comparison, is the cost of an unchanged
 *   re-scan. NULL where no digest was written (SQLite's writer, uploaded history): such a row is rewritten by its next
 *   scan on a team store. On PostgreSQL a trigger sets it NULL when a write changes a reported column but not the
 *   digest (an older app still running on the store, hand-written SQL), so no writer can leave a stale one.
 * - On PostgreSQL, `resources_findings_browse` is rebuilt for that store's reader: its key is the default page's order
 *   (cost, highest first, unknown last, then id) and every other column a page filters, sorts or totals on is carried
 *   in INCLUDE, with `id` (PostgreSQL's indices do not carry the row id as SQLite's do). Pages and totals are then
 *   index-only scans (the scan's end vacuums the table so that they are: refreshStatistics). SQLite keeps 0010's index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`ALTER TABLE resources ADD COLUMN content_hash TEXT`.execute(db);
  // The reported columns, as the writer digests them (resource-writer.ts CONTENT_COLUMNS, written out: a migration
  // does not follow later code).
  await d.createContentHashGuard(db, [
    'service_code', 'name', 'state', 'unused', 'unused_reason', 'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected',
    'protected_reason', 'tags', 'details', 'created_at', 'monthly_savings',
  ]);
  if (d.findingsBrowseIndex) {
    await sql`DROP INDEX resources_findings_browse`.execute(db);
    await sql`CREATE INDEX resources_findings_browse ON resources ${d.findingsBrowseIndex}`.execute(db);
  }
}
