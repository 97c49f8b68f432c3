import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * The findings search: a substring of resource_id, name, unused_reason or the tags' JSON, case-insensitive for ASCII
 * letters only — what `LIKE '%search%'` matches, and exactly that. For a search of 3+ characters the trigram index
 * `resources_fts` (migrations/0010) answers it: it holds the columns lowered as SQLite's lower() lowers them (ASCII
 * letters), tokenized case-sensitively, and the query is the lowered search as one FTS5 phrase, i.e. its trigrams at
 * consecutive positions of one column — the same rows as LIKE, read from the index without the wide rows. Rows written
 * since the last sync (queued in `resources_fts_pending`) are checked with LIKE instead of the index.
 */
export function searchCondition(search: string): Expression<SqlBool> {
  const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const exact = sql<SqlBool>`(resource_id LIKE ${like} ESCAPE '\\' OR name LIKE ${like} ESCAPE '\\' OR unused_reason LIKE ${like} ESCAPE '\\' OR tags LIKE ${like} ESCAPE '\\')`;
  const match = ftsMatchExpression(search);
  if (match === null) return exact;
  return sql<SqlBool>`((id IN (SELECT rowid FROM resources_fts WHERE resources_fts MATCH ${match}) AND id NOT IN (SELECT id FROM resources_fts_pending))
    OR (id IN (SELECT id FROM resources_fts_pending) AND ${exact}))`;
}

/** ASCII letters lowered, nothing else: SQLite's lower() without ICU, and the folding of its LIKE. */
export const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/**
 * The FTS5 query for a search: the lowered text as one quoted string (a phrase of its trigrams), `"` doubled. Quoted,
 * every character is literal, so `a OR b`, `*` or `NEAR(` search for that text. Null when the text has fewer than 3
 * characters (Unicode code points, as the tokenizer counts): no trigram, LIKE alone.
 */
export function ftsMatchExpression(search: string): string | null {
  if ([...search].length < 3) return null;
  return `"${asciiLower(search).replace(/"/g, '""')}"`;
}

const syncStatements = new WeakMap<BetterSqlite3.Database, () => void>();

/**
 * Moves the queued rows into the FTS5 index: removes the old entries of rows it held, adds the current rows (a
 * deleted row has none). Four statements, whatever the number of rows. Call inside the writer's transaction.
 */
export function syncSearchIndex(sqlite: BetterSqlite3.Database): void {
  let run = syncStatements.get(sqlite);
  if (run === undefined) {
    const any = sqlite.prepare('SELECT 1 FROM resources_fts_pending LIMIT 1').pluck();
    const remove = sqlite.prepare('DELETE FROM resources_fts WHERE rowid IN (SELECT id FROM resources_fts_pending WHERE indexed = 1)');
    const add = sqlite.prepare(`INSERT INTO resources_fts (rowid, resource_id, name, unused_reason, tags)
      SELECT r.id, lower(r.resource_id), lower(r.name), lower(r.unused_reason), lower(r.tags) FROM resources_fts_pending p JOIN resources r ON r.id = p.id`);
    const clear = sqlite.prepare('DELETE FROM resources_fts_pending');
    run = () => {
      if (any.get() === undefined) return;
      remove.run();
      add.run();
      clear.run();
    };
    syncStatements.set(sqlite, run);
  }
  run();
}
