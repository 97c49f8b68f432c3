/**
 * Test support: the schema of a migrated database, read from its catalog, in a form both dialects share (tables,
 * columns in order with a portable type and nullability, the indices the migrations created, foreign keys), and the
 * PostgreSQL schema as text for a snapshot.
 */
import { sql, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';

export interface ColumnShape {
  name: string;
  /** text | integer | bigint | double | varchar */
  type: string;
  notNull: boolean;
}

export interface SchemaShape {
  tables: Record<string, ColumnShape[]>;
  /** Indices created by CREATE INDEX (not those behind a PRIMARY KEY or UNIQUE constraint), sorted. */
  indexes: string[];
  /** `table(column) → parent(column) ON DELETE action`, sorted. */
  foreignKeys: string[];
}

/** SQLite's declared types in PostgreSQL's words; an INTEGER that is (or references) a rowid key is 64-bit there. */
function portableSqliteType(declared: string, isIdKey: boolean): string {
  const t = declared.toUpperCase();
  if (t === 'TEXT') return 'text';
  if (t === 'REAL') return 'double';
  if (t === 'INTEGER') return isIdKey ? 'bigint' : 'integer';
  if (t.startsWith('VARCHAR')) return 'varchar';
  return `?${declared}`;
}

export function sqliteShape(sqlite: BetterSqlite3.Database): SchemaShape {
  const tables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
  const info = new Map(
    tables.map((t) => [t, sqlite.pragma(`table_info(${t})`) as { name: string; type: string; notnull: number; pk: number }[]]),
  );
  const fks = new Map(
    tables.map((t) => [t, sqlite.pragma(`foreign_key_list(${t})`) as { table: string; from: string; to: string; on_delete: string }[]]),
  );
  // A rowid key: a table's only primary-key column, declared INTEGER.
  const rowidKey = (t: string, c: string): boolean => {
    const pks = info.get(t)!.filter((col) => col.pk > 0);
    return pks.length === 1 && pks[0]!.name === c && pks[0]!.type.toUpperCase() === 'INTEGER';
  };
  const shape: SchemaShape = { tables: {}, indexes: [], foreignKeys: [] };
  for (const t of tables) {
    shape.tables[t] = info.get(t)!.map((col) => {
      const fk = fks.get(t)!.find((f) => f.from === col.name);
      const isIdKey = rowidKey(t, col.name) || (fk !== undefined && rowidKey(fk.table, fk.to));
      // A primary key is never null on PostgreSQL; on SQLite a rowid key is never null either (NULL means "assign").
      return { name: col.name, type: portableSqliteType(col.type, isIdKey), notNull: col.notnull === 1 || col.pk > 0 };
    });
    for (const f of fks.get(t)!) shape.foreignKeys.push(`${t}(${f.from}) → ${f.table}(${f.to}) ON DELETE ${f.on_delete}`);
  }
  shape.indexes = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
  shape.foreignKeys.sort();
  return shape;
}

const PG_TYPES: Record<string, string> = {
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  'double precision': 'double',
  'character varying': 'varchar',
};
const PG_ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

export async function postgresShape<DB>(db: Kysely<DB>): Promise<SchemaShape> {
  const columns = (
    await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`
      SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema()
      ORDER BY c.table_name, c.ordinal_position`.execute(db)
  ).rows;
  const shape: SchemaShape = { tables: {}, indexes: [], foreignKeys: [] };
  for (const c of columns) {
    (shape.tables[c.table_name] ??= []).push({
      name: c.column_name,
      type: PG_TYPES[c.data_type] ?? `?${c.data_type}`,
      notNull: c.is_nullable === 'NO',
    });
  }
  shape.indexes = (
    await sql<{ name: string }>`
      SELECT i.relname AS name
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
      ORDER BY i.relname`.execute(db)
  ).rows.map((r) => r.name);
  shape.foreignKeys = (
    await sql<{ t: string; c: string; p: string; pc: string; d: string }>`
      SELECT k.conrelid::regclass::text AS t, a.attname AS c, k.confrelid::regclass::text AS p, pa.attname AS pc, k.confdeltype AS d
      FROM pg_constraint k
      JOIN pg_namespace n ON n.oid = k.connamespace
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
      JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
      WHERE k.contype = 'f' AND n.nspname = current_schema()`.execute(db)
  ).rows
    .map((r) => `${r.t}(${r.c}) → ${r.p}(${r.pc}) ON DELETE ${PG_ON_DELETE[r.d] ?? r.d}`)
    .sort();
  return shape;
}

/** The PostgreSQL schema as sorted text: tables with their columns, indices (indexdef), constraints (their definition). */
export async function postgresSchemaText<DB>(db: Kysely<DB>): Promise<string> {
  const columns = (
    await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string; identity_generation: string | null }>`
      SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, identity_generation
      FROM information_schema.columns WHERE table_schema = current_schema()
      ORDER BY table_name, ordinal_position`.execute(db)
  ).rows;
  const indexes = (
    await sql<{ indexname: string; indexdef: string }>`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname`.execute(db)
  ).rows;
  const constraints = (
    await sql<{ t: string; name: string; def: string }>`
      SELECT k.conrelid::regclass::text AS t, k.conname AS name, pg_get_constraintdef(k.oid) AS def
      FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
      WHERE n.nspname = current_schema() AND k.conrelid <> 0
      ORDER BY 1, 2`.execute(db)
  ).rows;
  const out: string[] = [];
  let table = '';
  for (const c of columns) {
    if (c.table_name !== table) {
      table = c.table_name;
      out.push(`\ntable ${table}`);
    }
    const identity = c.is_identity === 'YES' ? ` GENERATED ${c.identity_generation} AS IDENTITY` : '';
    const dflt = c.column_default === null ? '' : ` DEFAULT ${c.column_default}`;
    out.push(`  ${c.column_name} ${c.data_type}${c.is_nullable === 'NO' ? ' NOT NULL' : ''}${dflt}${identity}`);
  }
  out.push('');
  for (const i of indexes) out.push(`index ${i.indexname}\n  ${i.indexdef}`);
  out.push('');
  for (const k of constraints) out.push(`constraint ${k.t}.${k.name}\n  ${k.def}`);
  return `${out.join('\n').trim()}\n`;
}
