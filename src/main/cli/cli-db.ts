import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { defaultDbFile } from '../app/paths';
import type { DbHandle } from '../db/connection';
import { openAndMigrate } from '../db/database';
import { recoverAfterCrash } from '../app/recovery';
import { listAccounts } from '../db/repos/accounts';

export interface CliDatabaseOptions {
  /**
   * Mark the runs of processes that are gone `interrupted` (app/recovery.ts) before the command starts runs of its
   * own. Only commands that scan or clean ask for it; read-only ones (findings) never touch other runs.
   */
  recover?: boolean;
}

/** The CLI uses the app's database unless --db says otherwise (created if missing, migrated). */
export async function openCliDatabase(file: string | undefined, options: CliDatabaseOptions = {}): Promise<DbHandle> {
  const target = path.resolve(file ?? defaultDbFile());
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const handle = await openAndMigrate({ file: target });
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
export async function resolveAccountId(handle: DbHandle, o: { profile?: string | undefined; account?: string | undefined }): Promise<string> {
  const accounts = await listAccounts(handle.db);
  if (o.account) {
    if (!accounts.some((a) => a.id === o.account)) throw new AppError('not_found', `No data for account ${o.account} in ${handle.file}.`);
    return o.account;
  }
  if (o.profile) {
    const a = accounts.find((x) => x.lastProfile === o.profile);
    if (!a) throw new AppError('not_found', `No scan of profile ${o.profile} in ${handle.file}; run: cloud-cleaner scan --profile ${o.profile}`);
    return a.id;
  }
  if (accounts.length === 1) return accounts[0]!.id;
  if (accounts.length === 0) throw new AppError('not_found', `No scan yet in ${handle.file}; run: cloud-cleaner scan --profile P`);
  throw new AppError('validation', `${handle.file} holds several accounts (${accounts.map((a) => a.id).join(', ')}); pass --account ID or --profile P.`);
}
