/**
 * SQLite's findings writer on a worker thread: the same rows as the writer on the calling thread, its errors, its
 * fallbacks (no module, a thread that dies, an in-memory database), and the app's own transactions beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import type { DbHandle } from '../connection';
import { openAndMigrate, openMemoryDatabase } from '../database';
import { upsertAccount } from './accounts';
import { findingsWriter } from './findings-store';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteMetricCache } from './metric-series';
import { ResourceWriter } from './resource-writer';
import { ThreadedResourceWriter, loadedSqliteModule } from './resource-writer-thread';
import { createScan } from './scans';

const ACCOUNT = '111122223333';
const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';

function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    resourceType: i % 2 ? 'ec2:volume' : 'ec2:snapshot', resourceId: `r-${i}`, region: i % 3 ? 'us-east-1' : 'eu-west-1',
    name: i % 5 ? `name ${i} "quoted" ünï` : null, state: 'available', tags: i % 4 ? { team: `t${i % 7}`, 'a,b': 'c"d' } : {},
    createdAt: i % 6 ? '2025-01-01T00:00:00.000Z' : null, unused: i % 8 !== 0, unusedReason: i % 8 ? 'Not attached to any instance' : null,
    unusedSince: null, monthlyCost: i % 9 ? i / 7 : null, costBasis: 'gp3', protected: i % 10 === 0, protectedReason: i % 10 === 0 ? 'Tagged keep' : null,
    details: { n: i, list: [1, null, 'x'] }, monthlySavings: i % 11 ? i / 13 : null, ...over,
  };
}

let dir: string;
const opened: DbHandle[] = [];
const writers: { close?(): Promise<void> }[] = [];

async function open(name: string): Promise<DbHandle> {
  const h = await openAndMigrate({ file: path.join(dir, name) });
  opened.push(h);
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  return h;
}

function threaded(h: DbHandle, opts?: { module?: string | null }): ThreadedResourceWriter {
  const w = new ThreadedResourceWriter(h, ACCOUNT, () => 'AmazonEC2', opts);
  writers.push(w);
  return w;
}

const rowsOf = (h: DbHandle): Record<string, unknown>[] =>
  h.sqlite.prepare('SELECT * FROM resources ORDER BY resource_type, region, resource_id').all().map((r) => ({ ...(r as object), id: undefined }));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-writer-thread-'));
});
afterEach(async () => {
  await Promise.all(writers.splice(0).map((w) => w.close?.()));
  await Promise.all(opened.splice(0).map((h) => h.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

it('writes on a worker thread exactly the rows the calling thread writes, and skips unchanged ones the same way', async () => {
  const a = await open('inline.db');
  const b = await open('thread.db');
  const inline = new ResourceWriter(a.sqlite, ACCOUNT, () => 'AmazonEC2');
  const w = threaded(b);
  expect(w.threaded).toBe(true);
  expect(w.fallbackReason).toBeNull();
  // findingsWriter picks the thread for a database file.
  const picked = findingsWriter(b, ACCOUNT, () => 'AmazonEC2');
  writers.push(picked);
  expect(picked).toBeInstanceOf(ThreadedResourceWriter);
  expect((picked as ThreadedResourceWriter).threaded).toBe(true);
  // …unless told not to.
  expect(findingsWriter(b, ACCOUNT, () => 'AmazonEC2', { thread: false })).toBeInstanceOf(ResourceWriter);

  const all = Array.from({ length: 2_500 }, (_, i) => finding(i));
  for (const [h, write] of [[a, (r: Finding[], s: number, now: string) => inline.write(r, s, now)], [b, (r: Finding[], s: number, now: string) => w.write(r, s, now)]] as const) {
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    for (let i = 0; i < all.length; i += 1000) await write(all.slice(i, i + 1000), s1, T1);
    // A re-scan: half unchanged (not written), a quarter changed, and the ids of the first scan otherwise.
    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await write(all.map((f, i) => (i % 4 === 0 ? { ...f, monthlyCost: 99, tags: { changed: 'yes' } } : f)), s2, T2);
  }
  const expected = rowsOf(a);
  expect(expected).toHaveLength(2_500);
  expect(rowsOf(b)).toEqual(expected);
  // What the re-scan wrote: only the changed rows moved to the second scan.
  expect(expected.filter((r) => r.last_seen === T2)).toHaveLength(625);
});

it('opens the thread with the native addon the app opened its own connection with (the Electron build, in the app)', async () => {
  const addon = path.join(path.dirname(loadedSqliteModule()!), '..', 'build', 'Release', 'better_sqlite3.node');
  const h = await openAndMigrate({ file: path.join(dir, 'addon.db'), nativeBinding: addon });
  opened.push(h);
  expect(h.nativeBinding).toBe(addon);
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const w = threaded(h);
  await w.write([finding(1)], s, T1);
  expect(w.describe()).toEqual({ thread: true, fallbackReason: null });
  expect(rowsOf(h)).toHaveLength(1);
  // A path that is not an addon fails the thread as it starts: the batch is written here instead, and the reason says so.
  const broken = new ThreadedResourceWriter({ ...h, nativeBinding: path.join(dir, 'missing.node') }, ACCOUNT, () => 'AmazonEC2');
  writers.push(broken);
  await broken.write([finding(2)], s, T1);
  expect(broken.describe().thread).toBe(false);
  expect(broken.fallbackReason).toMatch(/^the writer thread failed: .*missing\.node/);
  expect(rowsOf(h)).toHaveLength(2);
});

it('rejects a batch whose scan does not exist with the same message as the calling thread, and writes none of it', async () => {
  const h = await open('fk.db');
  const w = threaded(h);
  await expect(w.write([finding(1)], 424242, T1)).rejects.toThrow('FOREIGN KEY constraint failed: no scan 424242');
  expect(() => new ResourceWriter(h.sqlite, ACCOUNT, () => 'AmazonEC2').write([finding(1)], 424242, T1)).toThrow('FOREIGN KEY constraint failed: no scan 424242');
  expect(rowsOf(h)).toEqual([]);
  // The thread is still there for the next batch.
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  await w.write([finding(1)], s, T1);
  expect(w.threaded).toBe(true);
  expect(rowsOf(h)).toHaveLength(1);
});

it('falls back to the calling thread, saying why: no module, an in-memory database', async () => {
  const h = await open('nomodule.db');
  const w = threaded(h, { module: null });
  expect(w.threaded).toBe(false);
  expect(w.fallbackReason).toBe('the loaded better-sqlite3 module was not found');
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  // Synchronous, as ResourceWriter: written when write() returns.
  expect(w.write([finding(1), finding(2)], s, T1)).toBeUndefined();
  expect(rowsOf(h)).toHaveLength(2);

  const mem = await openMemoryDatabase();
  opened.push(mem);
  const m = threaded(mem);
  expect(m.threaded).toBe(false);
  expect(m.fallbackReason).toMatch(/in-memory/);
  // The module the thread would load is the one this process has loaded.
  expect(loadedSqliteModule()).toMatch(/better-sqlite3[\\/]lib[\\/]index\.js$/);
});

it('writes the batches of a thread that died on the calling thread, and everything after it', async () => {
  const h = await open('dies.db');
  // A module that throws when loaded: the thread fails as it starts, with a batch already sent to it.
  const bad = path.join(dir, 'bad-module.js');
  fs.writeFileSync(bad, "throw new Error('cannot load this addon');");
  const w = threaded(h, { module: bad });
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const first = w.write([finding(1), finding(2)], s, T1);
  expect(first).toBeInstanceOf(Promise);
  await first;
  expect(w.threaded).toBe(false);
  expect(w.fallbackReason).toMatch(/the writer thread failed: cannot load this addon/);
  expect(rowsOf(h)).toHaveLength(2);
  w.write([finding(3)], s, T1);
  expect(rowsOf(h)).toHaveLength(3);
});

/**
 * A stand-in for better-sqlite3 whose connection ends the thread (exit code 7) right after its first batch commits,
 * before the thread can confirm it: a batch committed but unconfirmed, the case the replay must leave unchanged.
 */
function dyingModule(): string {
  const file = path.join(dir, 'dies-after-commit.js');
  fs.writeFileSync(
    file,
    `const Real = require(${JSON.stringify(loadedSqliteModule())});
module.exports = function Database(file, opts) {
  const db = new Real(file, opts);
  const transaction = db.transaction.bind(db);
  db.transaction = (fn) => {
    const t = transaction(fn);
    const wrapped = (...a) => t(...a);
    wrapped.immediate = (...a) => { t.immediate(...a); process.exit(7); };
    return wrapped;
  };
  return db;
};`,
  );
  return file;
}

it('after a thread died with a batch committed but unconfirmed, writing it again here changes nothing', async () => {
  const ref = await open('reference.db');
  const h = await open('died-after-commit.db');
  const w = threaded(h, { module: dyingModule() });
  const inline = new ResourceWriter(ref.sqlite, ACCOUNT, () => 'AmazonEC2');
  const first = Array.from({ length: 300 }, (_, i) => finding(i));
  const second = Array.from({ length: 300 }, (_, i) => finding(300 + i));
  for (const target of [h, ref]) await createScan(target.db, { accountId: ACCOUNT, kind: 'resources' });
  // Both sent before either is answered: the thread commits the first and dies; both are written here, in order.
  const a = w.write(first, 1, T1);
  const b = w.write(second.map((f) => ({ ...f, monthlyCost: 1 })), 1, T2);
  await Promise.all([a, b]);
  expect(w.fallbackReason).toBe('the writer thread exited (code 7)');
  inline.write(first, 1, T1);
  inline.write(second.map((f) => ({ ...f, monthlyCost: 1 })), 1, T2);
  expect(rowsOf(h)).toHaveLength(600);
  expect(rowsOf(h)).toEqual(rowsOf(ref));
});

it('rejects, never throws, when a thread dies after the app closed its own connection', async () => {
  const h = await open('closed-first.db');
  await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const w = threaded(h, { module: dyingModule() });
  await h.close();
  await expect(w.write([finding(1)], 1, T1)).rejects.toThrow(/cannot write/);
  expect(w.fallbackReason).toMatch(/the writer thread exited \(code 7\); and the calling thread cannot write either/);
  expect(() => w.write([finding(2)], 1, T1)).toThrow(/cannot write/);
});

it('lets the app write in its own transactions while the thread writes (they take the lock first, none fails busy)', async () => {
  const h = await open('busy.db');
  const w = threaded(h);
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const writes: Promise<void>[] = [];
  let appTransactions = 0;
  for (let round = 0; round < 20; round++) {
    writes.push(w.write(Array.from({ length: 500 }, (_, i) => finding(round * 500 + i)), s, T1) as Promise<void>);
    // A transaction that reads, lets the thread commit meanwhile, then writes: as the app's repositories do.
    await h.db.transaction().execute(async (trx) => {
      await trx.selectFrom('accounts').select('id').where('id', '=', ACCOUNT).executeTakeFirstOrThrow();
      await new Promise((r) => setTimeout(r, 5));
      await trx.updateTable('accounts').set({ alias: `round ${round}` }).where('id', '=', ACCOUNT).execute();
    });
    appTransactions++;
  }
  await Promise.all(writes);
  expect(appTransactions).toBe(20);
  expect(rowsOf(h)).toHaveLength(10_000);
  expect(h.sqlite.prepare('SELECT alias FROM accounts').pluck().get()).toBe('round 19');
});

it('close() waits for the batches sent, refuses writes from its start, ends the thread, and is the same promise twice', async () => {
  const h = await open('close.db');
  const w = threaded(h);
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const pending = w.write(Array.from({ length: 3_000 }, (_, i) => finding(i)), s, T1);
  const closing = w.close();
  expect(w.close()).toBe(closing);
  expect(() => w.write([finding(1)], s, T1)).toThrow('The findings writer is closed.');
  await closing;
  await pending;
  expect(rowsOf(h)).toHaveLength(3_000);
  expect(w.threaded).toBe(false);
  expect(w.describe()).toEqual({ thread: true, fallbackReason: null });

  // A writer whose thread already died closes at once.
  const d = threaded(h, { module: dyingModule() });
  await d.write([finding(1)], s, T1);
  expect(d.describe().thread).toBe(false);
  await d.close();
});

const WINDOW = { start: new Date('2026-10-01T00:00:00.000Z'), end: new Date('2026-11-01T00:00:00.000Z'), days: 31 };
const SERIES: [string, [string, number][]][] = [['nat-1|BytesOut', [['2026-10-02', 5]]], ['nat-2|BytesOut', []]];

it("writes the metrics cache on the thread: the calling thread does not wait for the write lock", async () => {
  const file = 'exec.db';
  const h = await open(file);
  const w = threaded(h);
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const viaThread = sqliteMetricCache(h.sqlite, ACCOUNT, (statements) => w.exec(statements));
  const here = sqliteMetricCache(h.sqlite, ACCOUNT);
  // Another connection (another process, say) holds the write lock.
  const other = new BetterSqlite3(path.join(dir, file));
  try {
    other.exec('BEGIN IMMEDIATE');
    // On the calling thread a put stands in SQLite's busy handler, then fails (here the wait is cut to 200 ms).
    h.sqlite.pragma('busy_timeout = 200');
    expect(() => here.put('us-east-1', SERIES, WINDOW, new Date(T1))).toThrow('database is locked');
    // Through the writer both calls return at once, and the thread waits for the lock (30 s).
    const batch = w.write([finding(1)], s, T1);
    const put = viaThread.put('us-east-1', SERIES, WINDOW, new Date(T1));
    expect(put).toBeInstanceOf(Promise);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.sqlite.prepare('SELECT COUNT(*) FROM metric_series').pluck().get()).toBe(0);
    other.exec('COMMIT');
    await batch;
    await put;
  } finally {
    other.close();
  }
  // Read back here, as the scan reads its cache.
  expect(here.get('us-east-1', ['nat-1|BytesOut', 'nat-2|BytesOut', 'nat-3|BytesOut'], WINDOW, new Date(T1))).toEqual(new Map(SERIES));
  expect(rowsOf(h)).toHaveLength(1);
});

it('checks foreign keys on the statements it runs for others, rejects one that fails, and keeps writing', async () => {
  const h = await open('exec-fk.db');
  const w = threaded(h);
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const taskRow = (account: string) => ({
    sql: 'INSERT INTO resource_tasks (account_id, resource_type, region, last_scan_id, last_seen) VALUES (?, ?, ?, ?, ?)',
    params: [account, 'ec2:volume', 'us-east-1', s, T1],
  });
  await expect(w.exec([taskRow(ACCOUNT), taskRow('999999999999')]) as Promise<number[]>).rejects.toThrow('FOREIGN KEY constraint failed');
  // Nothing of the failed transaction was written, and the thread goes on.
  expect(h.sqlite.prepare('SELECT COUNT(*) FROM resource_tasks').pluck().get()).toBe(0);
  await w.write([finding(1)], s, T1);
  expect(await w.exec([taskRow(ACCOUNT)])).toEqual([1]);
  expect(w.describe()).toEqual({ thread: true, fallbackReason: null });
});

it("runs others' statements here when it has no thread, and again here after the thread died before confirming them", async () => {
  const mem = await openMemoryDatabase();
  opened.push(mem);
  await upsertAccount(mem.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  const inMemory = threaded(mem);
  const memCache = sqliteMetricCache(mem.sqlite, ACCOUNT, (statements) => inMemory.exec(statements));
  expect(memCache.put('us-east-1', SERIES, WINDOW, new Date(T1))).toBeUndefined();
  expect(memCache.get('us-east-1', ['nat-1|BytesOut', 'nat-2|BytesOut'], WINDOW, new Date(T1))).toEqual(new Map(SERIES));

  // The thread commits the put, then dies before saying so: it runs again here (the same upsert, the same rows).
  const h = await open('exec-dies.db');
  const s = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const w = threaded(h, { module: dyingModule() });
  const put = sqliteMetricCache(h.sqlite, ACCOUNT, (statements) => w.exec(statements)).put('us-east-1', SERIES, WINDOW, new Date(T1));
  const after = w.write([finding(7)], s, T2);
  await put;
  await after;
  expect(w.fallbackReason).toBe('the writer thread exited (code 7)');
  expect(h.sqlite.prepare('SELECT query_key, points, fetched_at FROM metric_series ORDER BY query_key').all()).toEqual([
    { query_key: 'nat-1|BytesOut', points: '[["2026-10-02",5]]', fetched_at: T1 },
    { query_key: 'nat-2|BytesOut', points: '[]', fetched_at: T1 },
  ]);
  expect(w.exec([{ sql: 'SELECT 1', params: [] }])).toEqual([0]);
  expect(rowsOf(h)).toHaveLength(1);
});
