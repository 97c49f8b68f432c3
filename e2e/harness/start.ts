/**
 * TEST/DEMO-ONLY CLI: the browser harness over real services and a real database.
 *   tsx e2e/harness/start.ts [--db FILE] [--port N] [--renderer DIR]
 * Without --db the database lives in a fresh temp dir (removed on exit). Prints the URL to open.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices } from '../../src/main/app/app-services';
import { openAndMigrate } from '../../src/main/db/database';
import { redactLogArgs } from '../../src/main/log/redact';
import { startHarness } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, port: { type: 'string' }, renderer: { type: 'string' } },
  });
  // Never the instance-metadata address from a harness.
  process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
  const root = path.resolve(__dirname, '../..');
  const tempDir = values.db ? null : mkdtempSync(path.join(tmpdir(), 'cc-harness-'));
  const file = values.db ? path.resolve(values.db) : path.join(tempDir!, 'cloud-cleaner.db');
  const db = await openAndMigrate({ file });
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const log = (level: 'log' | 'warn' | 'error') => (...args: unknown[]) => console[level](...redactLogArgs(args));
  const logger = { debug: () => undefined, info: log('log'), warn: log('warn'), error: log('error') };
  const services = createAppServices({ db, appInfo: { version, logFile: '(harness: console)' }, logger });
  const harness = await startHarness({
    services,
    rendererDir: values.renderer ?? path.join(root, 'out/renderer'),
    port: values.port ? Number(values.port) : 0,
    logger,
  });
  console.log(`Cloud Cleaner harness: ${harness.url}  (database ${file})`);

  const stop = async (): Promise<void> => {
    await harness.close();
    await db.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
