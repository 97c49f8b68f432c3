import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0010 — what the findings search reads, apart from the wide rows (issue #19). FROZEN once landed.
 *
 * The search matches a substring of a finding's id, name, reason or tags. Id and name are in the narrow browse index
 * (resources_findings_browse), reason and tags only in the wide rows with their JSON: every search read all of them
 * (~120 ms at 100,000 findings in bench:db). `resource_search` keeps the reason and the tags of each resource that has
 * either, one narrow row per resource, kept in step by triggers (every writer of `resources`, the scan's prepared
 * statements and any other, goes through them). Triggers fire only when one of those two columns is written: an
 * unchanged re-scan, which writes only `last_seen`, never touches this table.
 *
 * `resource_tasks`: per account, kind and region, the last scan whose task there succeeded, and when. An unchanged
 * resource is no longer rewritten by a re-scan just to move its last seen (100,000 rows rewritten for nothing): an
 * active resource of a succeeded task was seen by it (what it did not see became gone), so its last seen is the later of
 * its own and its task's. A resource that becomes gone or deleted takes its task's values into its row first.
 *
 * The browse index gains `monthly_savings`: the totals of a page (potential savings, unknown savings) then read the
 * index alone, not the wide rows (first page of 100,000 findings: ~200 ms → the index's own scan).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`DROP INDEX resources_findings_browse`.execute(db);
  await sql`
    CREATE INDEX resources_findings_browse ON resources (
      account_id, protected, resource_type, region, service_code, monthly_cost, unused_since, name, resource_id, monthly_savings
    ) WHERE status = 'active' AND unused = 1`.execute(db);
  await sql`
    CREATE TABLE resource_tasks (
      account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      resource_type  TEXT NOT NULL,
      region         TEXT NOT NULL,
      last_scan_id   ${d.idRef} REFERENCES scans(id) ON DELETE SET NULL,
      last_seen      TEXT NOT NULL,
      PRIMARY KEY (account_id, resource_type, region)
    )${d.strictWithoutRowid}`.execute(db);
  await sql`
    CREATE TABLE resource_search (
      id    ${d.idRef} PRIMARY KEY NOT NULL,
      text  TEXT NOT NULL
    )${d.strict}`.execute(db);
  // Reason and tags, a line break between them so that no search matches across the two.
  const NL = sql.lit('\n');
  const hasText = (row: 'NEW' | '') => sql.raw(`${row ? `${row}.` : ''}unused_reason IS NOT NULL OR ${row ? `${row}.` : ''}tags <> '{}'`);
  await sql`
    INSERT INTO resource_search (id, text)
    SELECT id, coalesce(unused_reason, '') || ${NL} || tags FROM resources
    WHERE ${hasText('')}`.execute(db);
  await d.createRowTrigger(db, {
    name: 'resources_search_insert',
    table: 'resources',
    event: 'INSERT',
    when: hasText('NEW'),
    body: sql`INSERT INTO resource_search (id, text) VALUES (NEW.id, coalesce(NEW.unused_reason, '') || ${NL} || NEW.tags);`,
  });
  await d.createRowTrigger(db, {
    name: 'resources_search_update',
    table: 'resources',
    event: 'UPDATE OF unused_reason, tags',
    when: sql`OLD.unused_reason IS DISTINCT FROM NEW.unused_reason OR OLD.tags IS DISTINCT FROM NEW.tags`,
    body: sql`DELETE FROM resource_search WHERE id = OLD.id;
      INSERT INTO resource_search (id, text)
      SELECT NEW.id, coalesce(NEW.unused_reason, '') || ${NL} || NEW.tags
      WHERE ${hasText('NEW')};`,
  });
  await d.createRowTrigger(db, {
    name: 'resources_search_delete',
    table: 'resources',
    event: 'DELETE',
    body: sql`DELETE FROM resource_search WHERE id = OLD.id;`,
  });
}
