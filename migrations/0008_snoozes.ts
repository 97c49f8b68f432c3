import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0008 — snoozes ("ignore with a reason", issue #22). FROZEN (see migrations/index.ts).
 *
 * A snooze takes findings out of the totals, the dashboard and "select all matching" until `until` passes (NULL: for
 * good). Its scope is one finding or every finding with one tag:
 * - `finding`: the resource's identity (type, region, AWS id), not `resources.id`, so a re-scan, or a resource that
 *   goes and comes back, stays snoozed;
 * - `tag`: `tag_key` = `tag_value` in `resources.tags` (JSON).
 * Expiry is a comparison with the current time in the query: nothing is written when a snooze ends. One snooze per
 * finding and per tag (partial unique indices): snoozing again replaces the reason and the end.
 * `snoozes_account_until` finds an account's next expiry (the findings totals cache is valid until then).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`
    CREATE TABLE snoozes (
      id            ${d.idPrimaryKey},
      account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      scope         TEXT NOT NULL CHECK (scope IN ('finding', 'tag')),
      resource_type TEXT,
      region        TEXT,
      resource_id   TEXT,
      tag_key       TEXT,
      tag_value     TEXT,
      until         TEXT,
      reason        TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
      created_at    TEXT NOT NULL,
      CHECK (
        (scope = 'finding' AND resource_type IS NOT NULL AND region IS NOT NULL AND resource_id IS NOT NULL AND tag_key IS NULL AND tag_value IS NULL)
        OR (scope = 'tag' AND tag_key IS NOT NULL AND tag_value IS NOT NULL AND resource_type IS NULL AND region IS NULL AND resource_id IS NULL)
      )
    )${d.strict}`.execute(db);
  await sql`CREATE UNIQUE INDEX snoozes_finding ON snoozes (account_id, resource_type, region, resource_id) WHERE scope = 'finding'`.execute(db);
  await sql`CREATE UNIQUE INDEX snoozes_tag ON snoozes (account_id, tag_key, tag_value) WHERE scope = 'tag'`.execute(db);
  await sql`CREATE INDEX snoozes_account_until ON snoozes (account_id, until)`.execute(db);
}
