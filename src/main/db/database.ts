import { openDatabase, type DbHandle, type OpenOptions } from './connection';
import { migrateToLatest, type MigrationReport } from './migrator';

/** Opens the database and brings it to the latest schema (what main, the CLI and tests all do first). */
export async function openAndMigrate(opts: OpenOptions): Promise<DbHandle & { migration: MigrationReport }> {
  const handle = openDatabase(opts);
  try {
    const migration = await migrateToLatest(handle);
    return Object.assign(handle, { migration });
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** An in-memory database at the latest schema, for tests. */
export function openMemoryDatabase(): Promise<DbHandle & { migration: MigrationReport }> {
  return openAndMigrate({ file: ':memory:' });
}
