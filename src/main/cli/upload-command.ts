import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { defaultDbFile } from '../app/paths';
import { openAndMigrate } from '../db/database';
import { uploadHistory, UPLOAD_TABLES } from '../db/upload-history';
import { openCliDatabase, type CliStore } from './cli-db';
import type { CliIo } from './main';

export interface UploadCommandInput {
  /** The local SQLite file (--db; default the app's). */
  file: string | undefined;
  /** The team store (--database-url or the environment) and --migrate-database. */
  store: CliStore;
  json: boolean;
}

/**
 * "Upload my history": a one-way, idempotent copy of the local SQLite history into the team store (upload-history.ts).
 * Running it again copies only what is new; the local file is only read (it is migrated first, as any command does).
 */
export async function uploadCommand(input: UploadCommandInput, io: CliIo): Promise<number> {
  if (input.store.url === undefined) throw new AppError('validation', 'upload-history needs the team store: --database-url URL (or CLOUD_CLEANER_DATABASE_URL).');
  const file = path.resolve(input.file ?? defaultDbFile());
  if (!fs.existsSync(file)) throw new AppError('not_found', `No local database at ${file}: nothing to upload.`);
  const local = await openAndMigrate({ file });
  try {
    const server = await openCliDatabase({ url: input.store.url, migrate: input.store.migrate }, { notice: io.err });
    try {
      if (server.dialect !== 'postgres') throw new Error('the team store is not PostgreSQL');
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        const report = await uploadHistory(local, server, { signal: controller.signal });
        if (input.json) io.out(JSON.stringify(report, null, 2));
        else {
          for (const t of UPLOAD_TABLES) {
            const r = report.tables[t];
            const reasons = Object.entries(r.reasons).map(([why, n]) => `${n} ${why}`).join('; ');
            io.out(`${t}\tcopied ${r.copied}\tupdated ${r.updated}\talready there ${r.alreadyThere}\tskipped ${r.skipped}${reasons ? ` (${reasons})` : ''}`);
          }
          io.out(`uploaded ${file} to ${server.server} in ${(report.ms / 1000).toFixed(1)} s${report.markedGone ? `; ${report.markedGone} server resources marked gone` : ''}`);
        }
        return 0;
      } finally {
        process.off('SIGINT', onSignal);
      }
    } finally {
      await server.close();
    }
  } finally {
    await local.close();
  }
}
