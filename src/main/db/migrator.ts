import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { Migrator, type MigrationProvider, type Migration } from 'kysely/migration';
import { AppError } from '../../shared/errors';
import { MIGRATIONS } from '../../../migrations/index';
import type { DbHandle } from './connection';
import type { Database } from './schema';
import type { PostgresHandle } from './postgres';

/** kysely's default table names. */
const MIGRATION_TABLE = 'kysely_migration';

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly list: ReadonlyArray<readonly [string, Migration]>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(this.list);
  }
}

/**
 * Runs kysely's migrator over `list` (one transaction on both dialects): the migrations it applied, and the failed
 * one's name and error, or null.
 */
async function runMigrations(
  db: Kysely<Database>,
  list: ReadonlyArray<readonly [string, Migration]>,
): Promise<{ applied: string[]; failure: { failed: string; error: unknown } | null }> {
  const { error, results } = await new Migrator({ db, provider: new StaticMigrationProvider(list) }).migrateToLatest();
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    failure: error ? { failed: results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown', error } : null,
  };
}

export interface MigrationReport {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** The backup written before migrating an existing database, or null. */
  backupFile: string | null;
  /** The schema version after migrating (number of migrations applied in total). */
  version: number;
}

function appliedNames(handle: DbHandle): string[] {
  const exists = handle.sqlite
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(MIGRATION_TABLE);
  if (!exists) return [];
  return (handle.sqlite.prepare(`SELECT name FROM ${MIGRATION_TABLE} ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

/**
 * Brings the database to the latest schema. Refuses — without writing anything — a database written by a newer
 * version of the app (it has migrations this code does not know). Before migrating an existing database with
 * pending migrations, writes a consistent backup beside it (`<file>.backup-v<N>-<timestamp>`).
 */
export async function migrateToLatest(
  handle: DbHandle,
  list: ReadonlyArray<readonly [string, Migration]> = MIGRATIONS,
): Promise<MigrationReport> {
  const known = new Set(list.map(([name]) => name));
  const applied = appliedNames(handle);
  const unknown = applied.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new AppError(
      'db.newer_version',
      `The database ${handle.file} was written by a newer version of Cloud Cleaner (it has schema changes ${unknown.join(', ')} that this version does not know). Update the app; the file was not changed.`,
      { file: handle.file, unknownMigrations: unknown },
    );
  }
  const userVersion = handle.sqlite.pragma('user_version', { simple: true }) as number;
  if (userVersion > list.length) {
    throw new AppError(
      'db.newer_version',
      `The database ${handle.file} has schema version ${userVersion}, newer than this version of Cloud Cleaner supports (${list.length}). Update the app; the file was not changed.`,
      { file: handle.file, version: userVersion },
    );
  }
  const pending = list.filter(([name]) => !applied.includes(name)).map(([name]) => name);
  if (pending.length === 0) return { applied: [], backupFile: null, version: list.length };

  let backupFile: string | null = null;
  const hasData = applied.length > 0;
  if (hasData && handle.file !== ':memory:') {
    backupFile = `${handle.file}.backup-v${applied.length}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    if (fs.existsSync(backupFile)) fs.rmSync(backupFile);
    // VACUUM INTO writes a consistent, compact copy even in WAL mode.
    handle.sqlite.prepare('VACUUM INTO ?').run(backupFile);
  }

  const { applied: appliedNow, failure } = await runMigrations(handle.db, list);
  if (failure) {
    const { failed, error } = failure;
    throw new AppError(
      'db.migration_failed',
      `Updating the database ${handle.file} failed at ${failed}: ${(error as Error).message ?? String(error)}.${backupFile ? ` A backup taken before the update is at ${backupFile}.` : ''}`,
      { file: handle.file, migration: failed, backupFile },
      { cause: error },
    );
  }
  handle.sqlite.pragma(`user_version = ${list.length}`);
  return {
    applied: appliedNow,
    backupFile,
    version: list.length,
  };
}

export interface PostgresMigrationStatus {
  /** Migrations recorded in the database, in order. */
  applied: string[];
  /** Migrations of this app the database lacks, in order. */
  pending: string[];
  /** Migrations recorded in the database that this app does not know (written by a newer app). */
  unknown: string[];
}

export interface PostgresMigrationReport {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Always null: a server database is not a file the app can copy. */
  backupFile: null;
  /** The schema version after migrating (number of migrations applied in total). */
  version: number;
  /** Said when an older database was migrated: no backup was taken. */
  note: string | null;
}

/** What migrating a PostgreSQL database would do, read without changing it. */
export async function postgresMigrationStatus(
  handle: PostgresHandle,
  list: ReadonlyArray<readonly [string, Migration]> = MIGRATIONS,
): Promise<PostgresMigrationStatus> {
  const { rows: table } = await sql<{ found: number }>`
    SELECT 1 AS found FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ${MIGRATION_TABLE}`.execute(
    handle.db,
  );
  const applied =
    table.length === 0
      ? []
      : (await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)} ORDER BY name`.execute(handle.db)).rows.map((r) => r.name);
  const known = new Set(list.map(([name]) => name));
  return {
    applied,
    pending: list.filter(([name]) => !applied.includes(name)).map(([name]) => name),
    unknown: applied.filter((n) => !known.has(n)),
  };
}

const NO_BACKUP =
  'No backup is taken: a server database is not a file Cloud Cleaner can copy. Back it up first (pg_dump, or a snapshot of the server).';

/**
 * Brings a PostgreSQL database to the latest schema, as migrateToLatest does for SQLite, but a server is shared and
 * cannot be copied aside, so:
 * - a database written by a newer app (migrations this one does not know) is refused, untouched (`db.newer_version`);
 * - an empty database is migrated;
 * - an older one (some migrations applied, some pending) is migrated only with `confirmOlder: true`, otherwise refused
 *   with `db.needs_migration` naming the pending migrations and saying no backup will be taken.
 * kysely's migrator runs the pending migrations in one transaction under an advisory lock, so two apps starting at
 * once do not both migrate, and a failure leaves the schema as it was.
 */
export async function migratePostgres(
  handle: PostgresHandle,
  opts: { confirmOlder?: boolean; list?: ReadonlyArray<readonly [string, Migration]> } = {},
): Promise<PostgresMigrationReport> {
  const list = opts.list ?? MIGRATIONS;
  const status = await postgresMigrationStatus(handle, list);
  if (status.unknown.length > 0) {
    throw new AppError(
      'db.newer_version',
      `The PostgreSQL ${handle.server} was written by a newer version of Cloud Cleaner (it has schema changes ${status.unknown.join(', ')} that this version does not know). Update the app; the database was not changed.`,
      { server: handle.server, unknownMigrations: status.unknown },
    );
  }
  if (status.pending.length === 0) return { applied: [], backupFile: null, version: list.length, note: null };
  if (status.applied.length > 0 && !opts.confirmOlder) {
    throw new AppError(
      'db.needs_migration',
      `The PostgreSQL ${handle.server} has an older schema: updating it applies ${status.pending.join(', ')}. Every app using it must then be this version or newer. ${NO_BACKUP}`,
      { server: handle.server, pending: status.pending, applied: status.applied, backup: null },
    );
  }
  const { applied, failure } = await runMigrations(handle.db, list);
  if (failure) {
    const { failed, error } = failure;
    throw new AppError(
      'db.migration_failed',
      `Updating the PostgreSQL ${handle.server} failed at ${failed}: ${(error as Error).message ?? String(error)}. The update ran in one transaction: the schema is as it was.`,
      { server: handle.server, migration: failed },
      { cause: error },
    );
  }
  return { applied, backupFile: null, version: list.length, note: status.applied.length > 0 ? NO_BACKUP : null };
}
