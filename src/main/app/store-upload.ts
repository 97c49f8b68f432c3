/**
 * `store:upload-history` (Settings → Team store → "Upload my history"): the app's own local SQLite file, copied one
 * way into the team store the app runs on (src/main/db/upload-history.ts, the same copy as the CLI's upload-history).
 * Idempotent: a second run copies nothing. Only on a team store, only when the local file exists, one run at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { StoreUploadResultDto } from '../../shared/dto/store';
import { openAndMigrate } from '../db/database';
import { storeName } from '../db/store';
import { UPLOAD_TABLES, uploadHistory, type UploadReport } from '../db/upload-history';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';
import { DB_FILE_NAME } from './paths';

export type StoreUploadServices = Pick<AppServices, 'storeUploadHistory'>;

const count = new Intl.NumberFormat('en-US');

export function storeUploadServices(st: AppState): StoreUploadServices {
  const { deps } = st;
  let running = false;

  return {
    async storeUploadHistory() {
      const to = st.db;
      if (to.dialect !== 'postgres') {
        throw new AppError(
          'conflict',
          'Cloud Cleaner is running on its local database, not on a team store: there is nowhere to upload it to. Save a team store, restart on it, then upload.',
        );
      }
      const file = deps.localDbFile ?? (deps.configDir ? path.join(deps.configDir, DB_FILE_NAME) : null);
      if (file === null) throw new AppError('conflict', 'This build of Cloud Cleaner has no local database to upload.');
      if (!fs.existsSync(file)) throw new AppError('not_found', `No local database at ${file}: nothing to upload.`, { file });
      if (running) throw new AppError('conflict', 'Your history is already being uploaded: wait for that upload to end.');
      running = true;
      try {
        // Migrated first if an older version wrote it (with a backup), as at any start on it; then only read.
        const from = await openAndMigrate({ file });
        try {
          return uploadResult(file, storeName(to), await uploadHistory(from, to));
        } finally {
          await from.close();
        }
      } finally {
        running = false;
      }
    },
  };
}

export function uploadResult(from: string, to: string, r: UploadReport): StoreUploadResultDto {
  const tables = UPLOAD_TABLES.map((table) => ({ table, ...r.tables[table], reasons: { ...r.tables[table].reasons } }));
  const totals = { copied: 0, updated: 0, alreadyThere: 0, skipped: 0 };
  for (const t of tables) {
    totals.copied += t.copied;
    totals.updated += t.updated;
    totals.alreadyThere += t.alreadyThere;
    totals.skipped += t.skipped;
  }
  const parts = [`${count.format(totals.copied)} rows copied`];
  if (totals.updated > 0) parts.push(`${count.format(totals.updated)} updated`);
  parts.push(`${count.format(totals.alreadyThere)} already there`);
  if (totals.skipped > 0) parts.push(`${count.format(totals.skipped)} skipped`);
  const gone = r.markedGone > 0 ? ` ${count.format(r.markedGone)} team store resources marked gone.` : '';
  return { from, to, tables, totals, markedGone: r.markedGone, ms: r.ms, message: `${parts.join(', ')}.${gone}` };
}
