/**
 * store:upload-history ("Upload my history" in Settings) against a real PostgreSQL team store and a real local SQLite
 * file: the first upload copies the history, a second copies nothing; refused off a team store and without a local file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { openDatabase } from '../db/connection';
import { openAndMigrate, openMemoryDatabase } from '../db/database';
import type { AppDb } from '../db/store';
import { postgresFixture } from '../test-support/dialects';
import { dumpSqlite, fillLocalHistory } from '../test-support/upload-fixture';
import { createAppServices } from './app-services';

const pg = postgresFixture();

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-store-upload-'));
  file = path.join(dir, 'cloud-cleaner.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const services = (db: AppDb) => createAppServices({ db, configDir: dir, localDbFile: file });

async function writeLocalHistory(): Promise<void> {
  const h = await openAndMigrate({ file });
  try {
    await fillLocalHistory(h);
  } finally {
    await h.close();
  }
}

function localDump(): Record<string, unknown[]> {
  const h = openDatabase({ file, readonly: true });
  try {
    return dumpSqlite(h);
  } finally {
    void h.close();
  }
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const serverRows = async (db: AppDb, table: 'scans' | 'resources' | 'deletions'): Promise<number> =>
  (await sql<{ n: number }>`SELECT count(*)::integer AS n FROM ${sql.table(table)}`.execute(db.db)).rows[0]!.n;

it('copies the local history into the team store the app is on; a second upload copies nothing; the local file is not changed', async () => {
  await writeLocalHistory();
  const before = localDump();
  const team = await pg.open();
  const s = services(team);
  expect(await serverRows(team, 'resources')).toBe(0);
  // Settings names the file the upload reads.
  expect((await s.storeGet(undefined)).localFile).toBe(file);

  const first = await s.storeUploadHistory({ confirm: true });
  expect(first.from).toBe(file);
  expect(first.to).toMatch(/^PostgreSQL database ".+" on 127\.0\.0\.1:\d+$/);
  const byTable = Object.fromEntries(first.tables.map((t) => [t.table, t]));
  expect(byTable['resources']).toMatchObject({ copied: 4, updated: 0, alreadyThere: 0, skipped: 0 });
  expect(byTable['scans']).toMatchObject({ copied: 3, alreadyThere: 0, skipped: 1 });
  expect(byTable['scans']!.reasons).toEqual({ 'still running here (upload again once it has ended)': 1 });
  expect(first.totals.copied).toBe(first.tables.reduce((n, t) => n + t.copied, 0));
  expect(first.totals.copied).toBeGreaterThan(20);
  expect(first.totals.alreadyThere).toBe(0);
  expect(first.message).toMatch(new RegExp(`^${first.totals.copied} rows copied, 0 already there, ${first.totals.skipped} skipped\\.`));
  expect(await serverRows(team, 'resources')).toBe(4);
  expect(await serverRows(team, 'scans')).toBe(3);
  expect(await serverRows(team, 'deletions')).toBe(4);

  const second = await s.storeUploadHistory({ confirm: true });
  expect(second.totals.copied).toBe(0);
  expect(second.totals.updated).toBe(0);
  expect(second.totals.alreadyThere).toBe(first.totals.copied);
  expect(second.message).toMatch(/^0 rows copied, \d+ already there/);
  expect(await serverRows(team, 'resources')).toBe(4);
  expect(await serverRows(team, 'scans')).toBe(3);
  expect(localDump()).toEqual(before);
});

it('refuses when the app runs on its local database, or when there is no local file', async () => {
  await writeLocalHistory();
  const local = await openMemoryDatabase();
  try {
    const offTeam = await rejection(services(local).storeUploadHistory({ confirm: true }));
    expect(offTeam.code).toBe('conflict');
    expect(offTeam.message).toMatch(/not on a team store/);
  } finally {
    await local.close();
  }

  const team = await pg.open();
  fs.rmSync(file);
  const noFile = await rejection(services(team).storeUploadHistory({ confirm: true }));
  expect(noFile.code).toBe('not_found');
  expect(noFile.message).toBe(`No local database at ${file}: nothing to upload.`);
  expect(await serverRows(team, 'resources')).toBe(0);
});

it('one upload at a time: a second press while the first runs is refused', async () => {
  await writeLocalHistory();
  const team = await pg.open();
  const s = services(team);
  const first = s.storeUploadHistory({ confirm: true });
  const second = await rejection(s.storeUploadHistory({ confirm: true }));
  expect(second.code).toBe('conflict');
  expect(second.message).toMatch(/already being uploaded/);
  expect((await first).totals.copied).toBeGreaterThan(0);
});
