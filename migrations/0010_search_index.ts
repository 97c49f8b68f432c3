import { sql, type Kysely } from 'kysely';

/**
 * 0010 — findings search index and content hash (issue #19). FROZEN once landed.
 *
 * Search: the findings search is a substring of resource_id, name, unused_reason or tags, case-insensitive for ASCII
 * letters only (SQLite's LIKE). A substring can use no b-tree index, so at 100k findings every search read every
 * row (~160 ms). `resources_fts` is a trigram FTS5 index of those four columns as `lower()` makes them (ASCII letters
 * only, as LIKE folds them), with a case-sensitive tokenizer: a phrase of the lowered search's trigrams at consecutive
 * positions in one column is exactly "LIKE '%search%'" on that column (the tokenizer's own folding would also fold
 * É/é, K/K, which LIKE does not). Contentless (no copy of the text) and `contentless_delete=1` (a row is removed by
 * rowid).
 *
 * The triggers do not write the FTS5 table themselves: an FTS5 write inside a trigger makes FTS5 flush its buffer on
 * every statement (measured: 4× the cost of writing the same rows in one statement). They queue the row's id in
 * `resources_fts_pending` (`indexed` = 1 when the FTS5 table may hold an old version of the row), only when one of the
 * four searched columns really changes, and the scan's writer moves the queue into the FTS5 table in two statements
 * per batch (src/main/db/repos/resources-search.ts). Until then a search checks the queued rows with LIKE instead,
 * so a write from anywhere is found at once.
 *
 * Content hash: `resources.content_hash` is the scan writer's hash of the columns a scan reports; an unchanged
 * re-scan compares hashes and moves only last seen. Any other write that changes one of those columns without
 * changing the hash clears it (trigger), so a stale hash can never hide a change.
 */
const SEARCHED = ['resource_id', 'name', 'unused_reason', 'tags'];
const CONTENT = [
  'service_code', 'name', 'state', 'unused', 'unused_reason', 'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected',
  'protected_reason', 'tags', 'details', 'created_at', 'monthly_savings',
];
const changed = (cols: string[]): string => cols.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ');

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE resources ADD COLUMN content_hash INTEGER`.execute(db);
  await sql.raw(`CREATE TRIGGER resources_content_hash_clear AFTER UPDATE OF ${CONTENT.join(', ')} ON resources
    WHEN new.content_hash IS NOT NULL AND new.content_hash IS old.content_hash AND (${changed(CONTENT)})
    BEGIN UPDATE resources SET content_hash = NULL WHERE id = new.id; END`).execute(db);

  await sql.raw(`CREATE VIRTUAL TABLE resources_fts USING fts5(${SEARCHED.join(', ')},
    tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1)`).execute(db);
  await sql`CREATE TABLE resources_fts_pending (id INTEGER PRIMARY KEY, indexed INTEGER NOT NULL CHECK (indexed IN (0, 1))) STRICT`.execute(db);
  await sql`CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources
    BEGIN INSERT OR IGNORE INTO resources_fts_pending (id, indexed) VALUES (new.id, 0); END`.execute(db);
  await sql.raw(`CREATE TRIGGER resources_fts_update AFTER UPDATE OF ${SEARCHED.join(', ')} ON resources WHEN ${changed(SEARCHED)}
    BEGIN INSERT OR IGNORE INTO resources_fts_pending (id, indexed) VALUES (new.id, 1); END`).execute(db);
  await sql`CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources
    BEGIN INSERT OR IGNORE INTO resources_fts_pending (id, indexed) VALUES (old.id, 1); END`.execute(db);

  // The rows already stored, in one statement.
  await sql.raw(`INSERT INTO resources_fts (rowid, ${SEARCHED.join(', ')}) SELECT id, ${SEARCHED.map((c) => `lower(${c})`).join(', ')} FROM resources`).execute(db);
}
