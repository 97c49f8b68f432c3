/** Read-only CLI commands never run recovery: `findings` must not interrupt a scan, even one whose owner is gone. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openAndMigrate } from '../db/database';
import { upsertAccount } from '../db/repos/accounts';
import { createScan } from '../db/repos/scans';
import { openCliDatabase } from './cli-db';
import { runCli } from './main';

const ACCOUNT = '111122223333';
let dir: string;
let file: string;
let scanId: number;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-cli-db-'));
  file = path.join(dir, 'app.db');
  const h = await openAndMigrate({ file });
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  // A running scan of a process that is gone (pid 0 is never a process's): any recovery would interrupt it.
  scanId = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources', owner: { pid: 0, start: null } });
  await h.close();
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function scanStatus(): Promise<string | undefined> {
  const h = await openAndMigrate({ file });
  try {
    return (await h.db.selectFrom('scans').select('status').where('id', '=', scanId).executeTakeFirst())?.status;
  } finally {
    await h.close();
  }
}

it('`findings` reads without recovering anything', async () => {
  const out: string[] = [];
  const code = await runCli(['findings', '--db', file, '--json'], { out: (s) => out.push(s), err: (s) => out.push(s) });
  expect(code).toBe(0);
  expect(JSON.parse(out.join('\n'))).toMatchObject({ accountId: ACCOUNT, scan: { id: scanId, status: 'running' } });
  expect(await scanStatus()).toBe('running');
});

it('a command that starts runs asks for recovery and gets it', async () => {
  const h = await openCliDatabase(file, { recover: true });
  await h.close();
  expect(await scanStatus()).toBe('interrupted');
});
