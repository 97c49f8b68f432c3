/**
 * The store channels (issue #21) against a real PostgreSQL: a connection test reads the schema's state without changing
 * it; saving refuses a newer database and an older one without confirmation; the password goes through the keychain
 * only; the saved team store is opened at the next start (openTeamStore) and migrated only as far as confirmed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../migrations/index';
import { AppError } from '../../shared/errors';
import { openMemoryDatabase } from '../db/database';
import type { DbHandle } from '../db/connection';
import { postgresMigrationStatus } from '../db/migrator';
import { openPostgres } from '../db/postgres';
import { postgresFixture } from '../test-support/dialects';
import { freshDatabase, olderDatabase as olderDatabaseOn, startPostgres } from '../test-support/postgres-server';
import { createAppServices } from './app-services';
import { loadTeamStore, teamStoreFile, type Keychain } from './team-store-config';
import { openTeamStore } from './team-store-open';

const pg = postgresFixture();

/** TEST-ONLY keychain: a reversible transform (bytes reversed, then XOR), never the password's bytes in clear. */
const keychain: Keychain = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').reverse().map((b) => b ^ 0x33)),
  decryptString: (b) => Buffer.from(Buffer.from(b).map((x) => x ^ 0x33).reverse()).toString('utf8'),
};

let dir: string;
let local: DbHandle;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-store-services-'));
  local = await openMemoryDatabase();
});
afterEach(async () => {
  await local.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const services = (withKeychain = true) => createAppServices({ db: local, configDir: dir, localDbFile: path.join(dir, 'cloud-cleaner.db'), ...(withKeychain ? { keychain } : {}) });
const passwordOf = (url: string): string => decodeURIComponent(new URL(url).password);

const olderDatabase = (): Promise<string> => olderDatabaseOn(pg.server().url);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

it('store:get: on the local file, nothing saved; the keychain state', async () => {
  const info = await services().storeGet(undefined);
  expect(info.current).toEqual({ kind: 'local', name: ':memory:', url: null });
  expect(info.saved.kind).toBe('local');
  expect(info.keychainProblem).toBeNull();
  expect((await services(false).storeGet(undefined)).keychainProblem).toMatch(/keychain/);
  // The saved team store failed to open at this start: Settings says why.
  const fellBack = createAppServices({ db: local, configDir: dir, keychain, teamStoreStartError: 'Cannot reach the PostgreSQL server 10.0.0.1:5432.' });
  expect((await fellBack.storeGet(undefined)).savedProblem).toMatch(/Cannot reach/);
});

it('store:test names the state: empty, current, older (pending listed, no backup), newer; nothing is changed', async () => {
  const s = services();
  const empty = await freshDatabase(pg.server().url);
  const e = await s.storeTest({ url: empty });
  expect(e).toMatchObject({ state: 'empty', pending: MIGRATIONS.map(([n]) => n), unknown: [] });
  expect(e.server).toMatch(/^PostgreSQL database "t_[0-9a-f]+" on 127\.0\.0\.1:\d+$/);
  expect(e.url).not.toContain(passwordOf(empty));
  expect(e.message).toMatch(/empty: Cloud Cleaner will set it up/);

  expect(await s.storeTest({ url: await pg.url() })).toMatchObject({ state: 'current', pending: [] });

  const older = await olderDatabase();
  const o = await s.storeTest({ url: older });
  expect(o).toMatchObject({ state: 'older', pending: [MIGRATIONS.at(-1)![0]] });
  expect(o.message).toMatch(/No backup is taken/);

  const newer = await pg.url();
  {
    const h = await openPostgres({ url: newer });
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(h.db);
    await h.close();
  }
  const n = await s.storeTest({ url: newer });
  expect(n).toMatchObject({ state: 'newer', unknown: ['9999_from_the_future'] });
  expect(n.message).toMatch(/newer version of Cloud Cleaner.*Update the app/);

  // Read only: the empty database is still empty, the older one still older.
  for (const [url, applied] of [[empty, 0], [older, MIGRATIONS.length - 1]] as const) {
    const h = await openPostgres({ url });
    expect((await postgresMigrationStatus(h)).applied).toHaveLength(applied);
    await h.close();
  }
});

it('a wrong password: db.auth, naming the user, never the password; an unreachable host: db.unreachable', async () => {
  const url = new URL(await pg.url());
  url.password = 'Wrong-Horse-Battery-7';
  const e = await rejection(services().storeTest({ url: url.toString() }));
  expect(e.code).toBe('db.auth');
  expect(JSON.stringify(e.toDto())).not.toContain('Wrong-Horse-Battery-7');
  const save = await rejection(services().storeSave({ url: url.toString() }));
  expect(save.code).toBe('db.auth');
  expect(fs.existsSync(teamStoreFile(dir))).toBe(false);

  url.port = '9';
  url.host = '127.0.0.1:9';
  const u = await rejection(services().storeTest({ url: `${url.toString()}?connect_timeout=2` }));
  expect(u.code).toBe('db.unreachable');
  expect(u.message).not.toContain('Wrong-Horse-Battery-7');
});

it('store:save: empty saved for the next start (password only through the keychain); store:get shows it without the password; use-local forgets it', async () => {
  const s = services();
  const url = await freshDatabase(pg.server().url);
  const password = passwordOf(url);
  const saved = await s.storeSave({ url });
  expect(saved.message).toMatch(/from the next start\. It will be set up then\. Restart Cloud Cleaner to switch\./);
  expect(saved.info.saved.kind).toBe('postgres');
  expect(saved.info.saved.name).toMatch(/^PostgreSQL database "t_[0-9a-f]+" on 127\.0\.0\.1:\d+$/);
  expect(saved.info.restartNeeded).toBe(true);
  const info = await s.storeGet(undefined);
  expect(JSON.stringify(info)).not.toContain(password);
  expect(info.saved.url).toBe(url.replace(`:${encodeURIComponent(password)}@`, '@'));
  expect(fs.readFileSync(teamStoreFile(dir), 'utf8')).not.toContain(password);
  expect(loadTeamStore(dir, keychain)?.url).toBe(url);

  // The next start opens it and sets it up.
  const { handle, report } = await openTeamStore(loadTeamStore(dir, keychain)!);
  expect(report.applied).toHaveLength(MIGRATIONS.length);
  await handle.close();

  const back = await s.storeUseLocal(undefined);
  // The app is on its local file already: nothing to switch.
  expect(back.info.saved).toEqual({ kind: 'local', name: ':memory:', url: null });
  expect(back.info.restartNeeded).toBe(false);
  expect(back.message).not.toMatch(/Restart/);
  expect(fs.existsSync(teamStoreFile(dir))).toBe(false);
});

it('store:save refuses a newer database and an older one without confirmation; a confirmed older one is updated at the next start', async () => {
  const s = services();
  const older = await olderDatabase();
  const refused = await rejection(s.storeSave({ url: older }));
  expect(refused.code).toBe('db.needs_migration');
  expect(refused.message).toMatch(/No backup is taken.*Confirm that you have a backup/);
  expect(fs.existsSync(teamStoreFile(dir))).toBe(false);

  const ok = await s.storeSave({ url: older, confirmOlder: true });
  expect(ok.message).toMatch(/schema will be updated then \(no backup is taken\)/);
  const choice = loadTeamStore(dir, keychain)!;
  expect(choice.confirmedMigrations).toEqual([MIGRATIONS.at(-1)![0]]);
  // Only what was confirmed: with a confirmation of nothing, the next start refuses, untouched.
  const unconfirmed = await rejection(openTeamStore({ ...choice, confirmedMigrations: [] }));
  expect(unconfirmed.code).toBe('db.needs_migration');
  expect(unconfirmed.message).toMatch(/Confirm the update in Settings/);
  const { handle, report } = await openTeamStore(choice);
  expect(report.applied).toEqual([MIGRATIONS.at(-1)![0]]);
  expect(report.note).toMatch(/No backup is taken/);
  await handle.close();

  const newer = await pg.url();
  {
    const h = await openPostgres({ url: newer });
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(h.db);
    await h.close();
  }
  expect((await rejection(s.storeSave({ url: newer, confirmOlder: true }))).code).toBe('db.newer_version');
  expect((await rejection(openTeamStore({ url: newer, confirmedMigrations: [] }))).code).toBe('db.newer_version');
});

it('without a keychain, a password is not saved (the keychain is unavailable); never in clear', async () => {
  const url = await pg.url();
  const e = await rejection(services(false).storeSave({ url }));
  expect(e.code).toBe('store.keychain_unavailable');
  expect(e.message).not.toContain(passwordOf(url));
  expect(fs.existsSync(teamStoreFile(dir))).toBe(false);
});

it('TLS: sslmode=verify-full with the CA file is tested and saved with its parameters; an untrusted certificate is db.tls', async () => {
  const server = await startPostgres({ tls: true });
  try {
    const plain = await freshDatabase(server.url);
    const url = `${plain}?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.caFile!)}`;
    expect(await services().storeTest({ url })).toMatchObject({ state: 'empty' });
    await services().storeSave({ url });
    expect(loadTeamStore(dir, keychain)?.url).toBe(new URL(url).toString());
    expect(savedTeamStoreUrlParams(dir)).toMatchObject({ sslmode: 'verify-full', sslrootcert: server.caFile });
    const untrusted = await rejection(services().storeTest({ url: `${plain}?sslmode=verify-full` }));
    expect(untrusted.code).toBe('db.tls');
  } finally {
    await server.stop();
  }
}, 120_000);

function savedTeamStoreUrlParams(d: string): Record<string, string> {
  const saved = JSON.parse(fs.readFileSync(teamStoreFile(d), 'utf8')) as { url: string };
  return Object.fromEntries(new URL(saved.url).searchParams);
}
