import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { defaultDbFile } from '../app/paths';
import { openAndMigrate } from '../db/database';
import { migratePostgres } from '../db/migrator';
import { openPostgres } from '../db/postgres';
import { storeName, type AppDb } from '../db/store';
import { recoverAfterCrash } from '../app/recovery';
import { listAccounts } from '../db/repos/accounts';

/** Where the CLI keeps its data: the app's SQLite file (default), another file (--db), or a team store (PostgreSQL). */
export interface CliStore {
  /** --db FILE */
  file?: string | undefined;
  /** --database-url postgres://…, or CLOUD_CLEANER_DATABASE_URL when neither option is given. */
  url?: string | undefined;
  /** --migrate-database: update an older team store's schema (no backup is taken: see migratePostgres). */
  migrate?: boolean | undefined;
}

export interface CliDatabaseOptions {
  /**
   * Mark the runs of processes that are gone `interrupted` (app/recovery.ts) before the command starts runs of its
   * own. Only commands that scan or clean ask for it; read-only ones (findings) never touch other runs.
   */
  recover?: boolean;
  /** Where a notice goes (the note that an older team store was updated without a backup). */
  notice?: (line: string) => void;
}

export const DATABASE_URL_ENV = 'CLOUD_CLEANER_DATABASE_URL';

/** The store the options and the environment name: --db and --database-url exclude each other; the variable is the default. */
export function cliStore(o: { db?: string | undefined; 'database-url'?: string | undefined; 'migrate-database'?: boolean | undefined }, env: NodeJS.ProcessEnv = process.env): CliStore {
  if (o.db !== undefined && o['database-url'] !== undefined) {
    throw new AppError('validation', 'Choose one of --db FILE and --database-url URL.');
  }
  const url = o['database-url'] ?? (o.db === undefined ? env[DATABASE_URL_ENV] || undefined : undefined);
  if (o['migrate-database'] && url === undefined) throw new AppError('validation', '--migrate-database goes with a team store (--database-url or CLOUD_CLEANER_DATABASE_URL).');
  return { file: o.db, url, migrate: o['migrate-database'] === true };
}

/**
 * Opens the store: the SQLite file (created if missing, migrated), or the PostgreSQL database (migrated when empty;
 * an older one only with --migrate-database; a newer one is refused untouched).
 */
export async function openCliDatabase(store: CliStore | string | undefined, options: CliDatabaseOptions = {}): Promise<AppDb> {
  const s: CliStore = typeof store === 'object' ? store : { file: store };
  let handle: AppDb;
  if (s.url !== undefined) {
    handle = await openPostgres({ url: s.url });
    try {
      const report = await migratePostgres(handle, { confirmOlder: s.migrate === true });
      if (report.note) options.notice?.(`cloud-cleaner: updated ${storeName(handle)} to schema ${report.version}. ${report.note}`);
    } catch (e) {
      await handle.close();
      if (e instanceof AppError && e.code === 'db.needs_migration') {
        throw new AppError(e.code, `${e.message} Run again with --migrate-database to update it.`, e.details);
      }
      throw e;
    }
  } else {
    const target = path.resolve(s.file ?? defaultDbFile());
    fs.mkdirSync(path.dirname(target), { recursive: true });
    handle = await openAndMigrate({ file: target });
  }
  if (options.recover === true) {
    try {
      await recoverAfterCrash(handle);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }
  return handle;
}

/** Which account's findings to show: --account, else the account last used with --profile, else the only one. */
export async function resolveAccountId(handle: AppDb, o: { profile?: string | undefined; account?: string | undefined }): Promise<string> {
  const where = storeName(handle);
  const accounts = await listAccounts(handle.db);
  if (o.account) {
    if (!accounts.some((a) => a.id === o.account)) throw new AppError('not_found', `No data for account ${o.account} in ${where}.`);
    return o.account;
  }
  if (o.profile) {
    const a = accounts.find((x) => x.lastProfile === o.profile);
    if (!a) throw new AppError('not_found', `No scan of profile ${o.profile} in ${where}; run: cloud-cleaner scan --profile ${o.profile}`);
    return a.id;
  }
  if (accounts.length === 1) return accounts[0]!.id;
  if (accounts.length === 0) throw new AppError('not_found', `No scan yet in ${where}; run: cloud-cleaner scan --profile P`);
  throw new AppError('validation', `${where} holds several accounts (${accounts.map((a) => a.id).join(', ')}); pass --account ID or --profile P.`);
}
