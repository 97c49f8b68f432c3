import fs from 'node:fs';
import { Migrator, type MigrationProvider, type Migration } from 'kysely/migration';
import { AppError } from '../../shared/errors';
import { MIGRATIONS } from '../../../migrations/index';
import type { DbHandle } from './connection';

/** kysely's default table names. */
const MIGRATION_TABLE = 'kysely_migration';

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly list: ReadonlyArray<readonly [string, Migration]>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(this.list);
  }
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

  const migrator = new Migrator({ db: handle.db, provider: new StaticMigrationProvider(list) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError(
      'db.migration_failed',
      `Updating the database ${handle.file} failed at ${failed}: ${(error as Error).message ?? String(error)}.${backupFile ? ` A backup taken before the update is at ${backupFile}.` : ''}`,
      { file: handle.file, migration: failed, backupFile },
      { cause: error },
    );
  }
  handle.sqlite.pragma(`user_version = ${list.length}`);
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    backupFile,
    version: list.length,
  };
}
