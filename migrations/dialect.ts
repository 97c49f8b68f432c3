import { PostgresAdapter, SqliteAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * The one place where the migrations' SQL differs between SQLite (the embedded default) and PostgreSQL (the shared
 * team store, issue #21). A migration writes its SQL once and takes the dialect's fragments from here.
 *
 * On SQLite every fragment is the exact text the migration had before this module existed: the SQLite schema must
 * not move by one byte (src/main/db/migrator.test.ts checks sqlite_master against a byte-exact snapshot).
 *
 * Both dialects keep the app's conventions, so repositories need nothing above this module: timestamps are ISO 8601
 * TEXT, booleans are 0/1 integers with a CHECK, JSON is TEXT. Fragments are trusted constants (sql.raw), never input.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface SchemaDialect {
  readonly name: DialectName;
  /** After a CREATE TABLE's closing parenthesis: ` STRICT` (typed columns) on SQLite; PostgreSQL is always strict. */
  readonly strict: RawBuilder<unknown>;
  /** ` STRICT, WITHOUT ROWID` (a clustered primary key) on SQLite; PostgreSQL has no rowid to drop. */
  readonly strictWithoutRowid: RawBuilder<unknown>;
  /** A surrogate key: SQLite's rowid alias; a 64-bit identity on PostgreSQL (SQLite's INTEGER is 64-bit too). */
  readonly idPrimaryKey: RawBuilder<unknown>;
  /** The type of a column that references an `idPrimaryKey` column. */
  readonly idRef: RawBuilder<unknown>;
  /** An IEEE double. PostgreSQL's REAL is a 4-byte float: its DOUBLE PRECISION is SQLite's REAL. */
  readonly real: RawBuilder<unknown>;
  /** A condition true when `column` holds only the digits 0-9 (or is empty). `column` is a trusted identifier. */
  digitsOnly(column: string): RawBuilder<unknown>;
  /**
   * Whether a foreign key's ON DELETE can be changed in place (`replaceForeignKey`). SQLite cannot: a migration
   * rebuilds the table instead (new table, copy, drop, rename, indices, `PRAGMA foreign_key_check`).
   */
  readonly altersForeignKeys: boolean;
  /** Changes the ON DELETE action of `table(column) → parent(parentColumn)`, keeping the constraint's name. */
  replaceForeignKey(db: Kysely<unknown>, fk: ForeignKeyChange): Promise<void>;
  /**
   * An AFTER … FOR EACH ROW trigger: SQLite's inline BEGIN … END; on PostgreSQL the same statements in a plpgsql
   * function of the same name. `body` is statements on NEW / OLD, each ending with ';', with no bound parameters.
   */
  createRowTrigger(db: Kysely<unknown>, t: RowTrigger): Promise<void>;
  /**
   * The browse index's columns and predicate where the dialect needs its own (0013: PostgreSQL, whose indices do not
   * carry the row id and whose planner reads an index alone only when it holds every column a query uses); null where
   * 0010's index stays (SQLite).
   */
  readonly findingsBrowseIndex: RawBuilder<unknown> | null;
  /**
   * 0013: a row whose reported columns change while its digest (`content_hash`) stays is given a NULL digest, whoever
   * writes it (an older app still running on a team store, hand-written SQL): its next scan then rewrites it rather
   * than take it for unchanged. PostgreSQL only (the digest is the team store writer's); nothing on SQLite.
   */
  createContentHashGuard(db: Kysely<unknown>, contentColumns: readonly string[]): Promise<void>;
  /**
   * 0014: whether `resource_search.text` is kept with its ASCII letters lowered, and searched with LIKE on a lowered
   * pattern. PostgreSQL's ILIKE lowers both sides of every row it tests (85,000 rows: 16 ms against 6 ms with LIKE); SQLite's
   * LIKE ignores ASCII case at no cost and keeps 0010's text.
   */
  readonly lowersSearchText: boolean;
  /** 0014: has the search table's triggers write the text lowered, and lowers what is there (PostgreSQL only). */
  lowerSearchText(db: Kysely<unknown>): Promise<void>;
}

export interface RowTrigger {
  /** A trusted identifier: the trigger's (and on PostgreSQL its function's) name. */
  name: string;
  table: string;
  /** `INSERT`, `UPDATE OF a, b`, `DELETE`. */
  event: string;
  when?: RawBuilder<unknown>;
  body: RawBuilder<unknown>;
}

export interface ForeignKeyChange {
  table: string;
  column: string;
  parent: string;
  parentColumn: string;
  onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL' | 'NO ACTION';
}

const SQLITE: SchemaDialect = {
  name: 'sqlite',
  strict: sql.raw(' STRICT'),
  strictWithoutRowid: sql.raw(' STRICT, WITHOUT ROWID'),
  idPrimaryKey: sql.raw('INTEGER PRIMARY KEY'),
  idRef: sql.raw('INTEGER'),
  real: sql.raw('REAL'),
  digitsOnly: (column) => sql.raw(`${column} NOT GLOB '*[^0-9]*'`),
  altersForeignKeys: false,
  findingsBrowseIndex: null,
  async createContentHashGuard() {},
  lowersSearchText: false,
  async lowerSearchText() {},
  async replaceForeignKey() {
    throw new Error('SQLite cannot change a foreign key in place: rebuild the table');
  },
  async createRowTrigger(db, t) {
    await sql`
    CREATE TRIGGER ${sql.raw(t.name)} AFTER ${sql.raw(t.event)} ON ${sql.raw(t.table)}${t.when ? sql`
    WHEN ${t.when}` : sql``}
    BEGIN
      ${t.body}
    END`.execute(db);
  },
};

const POSTGRES: SchemaDialect = {
  name: 'postgres',
  strict: sql.raw(''),
  strictWithoutRowid: sql.raw(''),
  // BY DEFAULT, not ALWAYS: like SQLite, an explicit id may be written (a copy, a test fixture).
  idPrimaryKey: sql.raw('BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY'),
  idRef: sql.raw('BIGINT'),
  real: sql.raw('DOUBLE PRECISION'),
  digitsOnly: (column) => sql.raw(`${column} !~ '[^0-9]'`),
  altersForeignKeys: true,
  findingsBrowseIndex: sql.raw(`(account_id, monthly_cost DESC NULLS LAST, id)
    INCLUDE (protected, resource_type, region, service_code, reason_category, unused_since, name, resource_id, monthly_savings, status, unused)
    WHERE status = 'active' AND unused = 1`),
  async createContentHashGuard(db, columns) {
    const row = (r: 'NEW' | 'OLD') => sql.raw(`(${columns.map((c) => `${r}.${c}`).join(', ')})`);
    await sql`CREATE FUNCTION resources_content_hash_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      NEW.content_hash := NULL;
      RETURN NEW;
    END $fn$`.execute(db);
    await sql`
    CREATE TRIGGER resources_content_hash_guard BEFORE UPDATE ON resources FOR EACH ROW
    WHEN (NEW.content_hash IS NOT DISTINCT FROM OLD.content_hash AND ${row('NEW')} IS DISTINCT FROM ${row('OLD')})
    EXECUTE FUNCTION resources_content_hash_guard()`.execute(db);
  },
  lowersSearchText: true,
  async lowerSearchText(db) {
    // Writers of apps still open on the store (their triggers run the old functions) finish first, and none starts
    // until this commits: no mixed-case row is left behind by a write that commits after the UPDATE below.
    await sql`LOCK TABLE resources IN SHARE MODE`.execute(db);
    // 0010's functions, the same statements with the text lowered. `COLLATE "C"`: lower() then folds ASCII letters only,
    // as ILIKE did under "C" and as SQLite's LIKE does, whatever the server's default collation.
    const text = sql.raw(`lower((coalesce(NEW.unused_reason, '') || E'\\n' || NEW.tags) COLLATE "C")`);
    await sql`CREATE OR REPLACE FUNCTION resources_search_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO resource_search (id, text) VALUES (NEW.id, ${text});
      RETURN NULL;
    END $fn$`.execute(db);
    await sql`CREATE OR REPLACE FUNCTION resources_search_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      DELETE FROM resource_search WHERE id = OLD.id;
      INSERT INTO resource_search (id, text)
      SELECT NEW.id, ${text}
      WHERE NEW.unused_reason IS NOT NULL OR NEW.tags <> '{}';
      RETURN NULL;
    END $fn$`.execute(db);
    await sql`UPDATE resource_search SET text = lower(text COLLATE "C") WHERE text <> lower(text COLLATE "C")`.execute(db);
  },
  async replaceForeignKey(db, fk) {
    // An inline REFERENCES gets a generated name (`<table>_<column>_fkey`): read it rather than assume it.
    const { rows } = await sql<{ conname: string }>`
      SELECT c.conname
      FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.conrelid = ${fk.table}::text::regclass AND cardinality(c.conkey) = 1 AND a.attname = ${fk.column}
        AND c.confrelid = ${fk.parent}::text::regclass`.execute(db);
    if (rows.length !== 1) {
      throw new Error(`expected one foreign key ${fk.table}(${fk.column}) → ${fk.parent}, found ${rows.length}`);
    }
    const name = sql.id(rows[0]!.conname);
    // One statement: the table is never without its key. Adding the key re-checks every row (no orphan can slip in).
    await sql`
      ALTER TABLE ${sql.table(fk.table)}
        DROP CONSTRAINT ${name},
        ADD CONSTRAINT ${name} FOREIGN KEY (${sql.ref(fk.column)})
          REFERENCES ${sql.table(fk.parent)} (${sql.ref(fk.parentColumn)}) ON DELETE ${sql.raw(fk.onDelete)}`.execute(db);
  },
  async createRowTrigger(db, t) {
    await sql`CREATE FUNCTION ${sql.raw(t.name)}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      ${t.body}
      RETURN NULL;
    END $fn$`.execute(db);
    await sql`
    CREATE TRIGGER ${sql.raw(t.name)} AFTER ${sql.raw(t.event)} ON ${sql.raw(t.table)} FOR EACH ROW${t.when ? sql`
    WHEN (${t.when})` : sql``}
    EXECUTE FUNCTION ${sql.raw(t.name)}()`.execute(db);
  },
};

/** The dialect of a Kysely instance (or transaction), from its adapter. */
export function dialectOf(db: Kysely<unknown>): SchemaDialect {
  // getExecutor() is marked internal in kysely's types but is the only handle on the adapter; the adapter classes
  // are public, and the app's SQLite adapter (src/main/db/connection.ts) subclasses SqliteAdapter.
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return SQLITE;
  if (adapter instanceof PostgresAdapter) return POSTGRES;
  throw new Error(`The migrations support SQLite and PostgreSQL, not ${adapter.constructor.name}`);
}
