/** "Upload my history": a local SQLite file into a real PostgreSQL team store (127.0.0.1), no mock of either. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { postgresFixture } from '../test-support/dialects';
import { HOME, T, contents, dumpSqlite, fillLocalHistory, vol } from '../test-support/upload-fixture';
import { openDatabase, type DbHandle } from './connection';
import { openAndMigrate } from './database';
import { migrateToLatest } from './migrator';
import { MIGRATIONS } from '../../../migrations';
import { openPostgres, type PostgresHandle } from './postgres';
import { upsertAccount } from './repos/accounts';
import { completeDeletion } from './repos/deletions';
import { findingsWriter, markTaskGone } from './repos/findings-store';
import { ResourceWriter, markGone } from './repos/resource-writer';
import { completeScan, createScan } from './repos/scans';
import { UPLOAD_TABLES, uploadHistory, type UploadReport, type UploadTable } from './upload-history';

const pg = postgresFixture();
let dir: string;
const opened: DbHandle[] = [];
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-upload-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(opened.splice(0).map((h) => h.close()));
});

/** A local history in a file, reopened read-only for the upload (a write would throw). */
async function localFile(fill: (h: DbHandle) => Promise<void> = async (h) => void (await fillLocalHistory(h))): Promise<{ file: string; local: DbHandle }> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.db`);
  const h = await openAndMigrate({ file });
  await fill(h);
  await h.close();
  const local = openDatabase({ file, readonly: true });
  opened.push(local);
  return { file, local };
}

/** A team store whose ids are far from the local ones (a copied id would point at the wrong row, or at nothing). */
async function server(): Promise<PostgresHandle> {
  const to = (await pg.open()) as PostgresHandle;
  for (const [table, at] of [['scans', 500], ['scan_failures', 600], ['resources', 700], ['deletions', 800], ['services', 900], ['cost_history', 1000], ['snoozes', 1100]] as const) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), ${at})`.execute(to.db);
  }
  return to;
}
const sum = (r: UploadReport, k: 'copied' | 'updated' | 'alreadyThere' | 'skipped'): number => UPLOAD_TABLES.reduce((n, t) => n + r.tables[t][k], 0);
const counts = (r: UploadReport, t: UploadTable) => {
  const { copied, updated, alreadyThere, skipped } = r.tables[t];
  return { copied, updated, alreadyThere, skipped };
};

it('copies the whole history: same contents, foreign keys on the right rows, running work and local settings left out; the local file is not written', async () => {
  const { local } = await localFile();
  const before = dumpSqlite(local);
  const to = await server();
  const report = await uploadHistory(local, to);

  const uploaded = await contents(to.db);
  expect(uploaded).toEqual(await contents(local.db));
  expect(uploaded['deletions']!.map((d) => d['resource'])).toEqual([...Array<string>(2).fill(`${HOME}/ec2:volume/us-east-1/vol-b`), null, `${HOME}/ec2:volume/us-east-1/vol-b`]);
  expect(uploaded['cleanup_plans']![0]).toMatchObject({ passed: [`${HOME}/ec2:volume/us-east-1/vol-b`], refused: [{ findingId: 'nothing' }] });
  expect(dumpSqlite(local)).toEqual(before);
  expect(counts(report, 'scans')).toEqual({ copied: 3, updated: 0, alreadyThere: 0, skipped: 1 });
  expect(report.tables.scans.reasons).toEqual({ 'still running here (upload again once it has ended)': 1 });
  expect(counts(report, 'scan_failures')).toEqual({ copied: 1, updated: 0, alreadyThere: 0, skipped: 1 });
  expect(counts(report, 'resources')).toEqual({ copied: 4, updated: 0, alreadyThere: 0, skipped: 0 });
  expect(counts(report, 'deletions')).toEqual({ copied: 4, updated: 0, alreadyThere: 0, skipped: 0 });
  expect(counts(report, 'cost_history')).toEqual({ copied: 6, updated: 0, alreadyThere: 0, skipped: 0 });
  for (const t of UPLOAD_TABLES) expect(report.tables[t].copied, t).toBeGreaterThan(0);
  expect(report.markedGone).toBe(0);
  // Never uploaded: preferences, leases; the server's search rows come from its own triggers.
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM settings`.execute(to.db)).rows[0]!.n).toBe(0);
  const searchRows = (local.sqlite.prepare('SELECT count(*) AS n FROM resource_search').get() as { n: number }).n;
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM resource_search`.execute(to.db)).rows[0]!.n).toBe(searchRows);
  // Run owners are this machine's processes: not copied.
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM scans WHERE owner_pid IS NOT NULL`.execute(to.db)).rows[0]!.n).toBe(0);
});

it('a second upload adds nothing: every row is already there', async () => {
  const { local } = await localFile();
  const to = await server();
  const first = await uploadHistory(local, to);
  const snapshot = await contents(to.db);
  const second = await uploadHistory(local, to);
  expect(sum(second, 'copied')).toBe(0);
  expect(sum(second, 'updated')).toBe(0);
  expect(sum(second, 'alreadyThere')).toBe(sum(first, 'copied'));
  expect(second.tables.scans.skipped).toBe(1);
  expect(await contents(to.db)).toEqual(snapshot);
  const rows = await sql<{ n: number }>`SELECT (SELECT count(*) FROM scans) + (SELECT count(*) FROM deletions) + (SELECT count(*) FROM resources)::int AS n`.execute(to.db);
  expect(Number(rows.rows[0]!.n)).toBe(3 + 4 + 4);
});

it("another person's newer scan of a resource is kept; an older one is replaced; what a later local scan did not see goes gone", async () => {
  const { local } = await localFile();
  const to = await server();
  await upsertAccount(to.db, { id: HOME, alias: 'theirs', partition: 'aws', arn: null, profile: 'theirs' }, T(10));
  const theirs = await createScan(to.db, { accountId: HOME, kind: 'resources', startedAt: T(10) });
  const w = findingsWriter(to, HOME, () => 'AmazonEC2');
  await w.write([vol('vol-a', { name: 'seen by them later' })], theirs, T(10)); // newer than the local T(3)
  const old = await createScan(to.db, { accountId: HOME, kind: 'resources', startedAt: T(1) });
  await w.write([vol('vol-c', { name: 'older' }), vol('vol-z')], old, T(1)); // older than the local scans
  const report = await uploadHistory(local, to);

  const row = async (id: string) =>
    (await sql<{ name: string | null; status: string; last_seen: string; status_changed_at: string | null }>`
      SELECT name, status, last_seen, status_changed_at FROM resources WHERE resource_id = ${id}`.execute(to.db)).rows[0]!;
  expect(await row('vol-a')).toMatchObject({ name: 'seen by them later', status: 'active', last_seen: T(10) });
  expect(await row('vol-c')).toMatchObject({ name: `it's "odd", {x}`, status: 'gone', status_changed_at: T(3) });
  // vol-z: only on the server, active, last seen T(1); the local scan of its task at T(3) did not see it.
  expect(await row('vol-z')).toMatchObject({ status: 'gone', status_changed_at: T(3), last_seen: T(1) });
  expect(report.markedGone).toBe(1);
  expect(counts(report, 'resources')).toEqual({ copied: 2, updated: 1, alreadyThere: 1, skipped: 0 });
  // The account: the server's row was seen later (T(10) > T(1)): kept.
  expect((await sql<{ alias: string }>`SELECT alias FROM accounts WHERE id = ${HOME}`.execute(to.db)).rows[0]!.alias).toBe('theirs');
  expect(counts(report, 'accounts')).toEqual({ copied: 1, updated: 0, alreadyThere: 1, skipped: 0 });
  // Idempotent here too.
  const again = await uploadHistory(local, to);
  expect(sum(again, 'copied') + sum(again, 'updated') + again.markedGone).toBe(0);
  // The replaced row lost the team store writer's digest (0013's guard trigger: its content changed, its digest did
  // not): a scan that reports what the server had before the upload rewrites it, rather than taking it for unchanged.
  expect((await sql<{ h: string | null }>`SELECT content_hash AS h FROM resources WHERE resource_id = 'vol-c'`.execute(to.db)).rows[0]!.h).toBeNull();
  const next = await createScan(to.db, { accountId: HOME, kind: 'resources', startedAt: T(20) });
  await findingsWriter(to, HOME, () => 'AmazonEC2').write([vol('vol-c', { name: 'older' })], next, T(20));
  expect(await row('vol-c')).toMatchObject({ name: 'older', status: 'active', last_seen: T(20) });
});

it('on the other natural keys the newer row wins too: costs, snoozes, caches; request counts keep the larger', async () => {
  const { local } = await localFile();
  const to = await server();
  await upsertAccount(to.db, { id: HOME, alias: 'home', partition: 'aws', arn: null, profile: null }, T(1));
  const svc = await to.db.insertInto('services').values({
    account_id: HOME, code: 'AmazonEC2', display_name: 'EC2 (theirs)', category: 'Compute', first_seen: T(9), last_seen: T(9),
  }).returning('id').executeTakeFirstOrThrow();
  await to.db.insertInto('cost_history').values([
    { service_id: svc.id, date: '2026-10-01', cost: 99, cost_text: '99', updated_at: T(9) }, // newer than the local T(1): kept
    { service_id: svc.id, date: '2026-10-02', cost: 98, cost_text: '98', updated_at: T(0) }, // older: replaced
  ]).execute();
  await to.db.insertInto('snoozes').values([
    { account_id: HOME, scope: 'finding', resource_type: 'ec2:volume', region: 'us-east-1', resource_id: 'vol-a', tag_key: null, tag_value: null, until: null, reason: 'theirs, later', created_at: T(9) },
    { account_id: HOME, scope: 'tag', resource_type: null, region: null, resource_id: null, tag_key: 'env', tag_value: 'dev', until: null, reason: 'theirs, earlier', created_at: T(0) },
  ]).execute();
  await to.db.insertInto('ce_requests').values({ account_id: HOME, day: T(1).slice(0, 10), requests: 10 }).execute();
  await to.db.insertInto('price_cache').values({ region: 'us-east-1', prices: 'newer', fetched_at: T(9) }).execute();
  const report = await uploadHistory(local, to);

  const costs = await to.db.selectFrom('cost_history').select(['date', 'cost']).where('service_id', '=', svc.id).orderBy('date').execute();
  expect(costs).toEqual([{ date: '2026-10-01', cost: 99 }, { date: '2026-10-02', cost: 0.2 }, { date: '2026-10-03', cost: 0.30000000000000004 }]);
  expect(await to.db.selectFrom('services').select(['display_name']).where('id', '=', svc.id).executeTakeFirst()).toEqual({ display_name: 'EC2 (theirs)' });
  expect(await to.db.selectFrom('snoozes').select(['scope', 'reason']).orderBy('scope').execute()).toEqual([
    { scope: 'finding', reason: 'theirs, later' },
    { scope: 'tag', reason: 'dev stuff' },
  ]);
  expect(await to.db.selectFrom('ce_requests').select('requests').executeTakeFirst()).toEqual({ requests: 10 });
  expect(await to.db.selectFrom('price_cache').select('prices').executeTakeFirst()).toEqual({ prices: 'newer' });
  expect(counts(report, 'cost_history')).toEqual({ copied: 4, updated: 1, alreadyThere: 1, skipped: 0 });
  expect(counts(report, 'snoozes')).toEqual({ copied: 0, updated: 1, alreadyThere: 1, skipped: 0 });
});

it('refuses a local file older than migration 0012 (it has no store id yet), naming the file', async () => {
  const file = path.join(dir, 'old.db');
  const old = openDatabase({ file });
  opened.push(old);
  await migrateToLatest(old, MIGRATIONS.slice(0, 11));
  await expect(uploadHistory(old, await server())).rejects.toMatchObject({ code: 'db.needs_migration', message: expect.stringContaining(file) });
});

it('a local resource older than the server’s later scan of its task goes up as gone (that scan did not see it)', async () => {
  const { local } = await localFile();
  const to = await server();
  await upsertAccount(to.db, { id: HOME, alias: null, partition: 'aws', arn: null, profile: null }, T(10));
  const theirs = await createScan(to.db, { accountId: HOME, kind: 'resources', startedAt: T(10) });
  await findingsWriter(to, HOME, () => 'AmazonEC2').write([vol('vol-new')], theirs, T(10));
  await markTaskGone(to, { accountId: HOME, resourceType: 'ec2:volume', region: 'us-east-1', scanId: theirs, seen: new Set(['vol-new']) }, T(10));
  await uploadHistory(local, to);
  const { rows } = await sql<{ resource_id: string; status: string; status_changed_at: string }>`
    SELECT resource_id, status, status_changed_at FROM resources WHERE resource_type = 'ec2:volume' ORDER BY resource_id`.execute(to.db);
  expect(rows).toEqual([
    { resource_id: 'vol-a', status: 'gone', status_changed_at: T(10) },
    { resource_id: 'vol-b', status: 'deleted', status_changed_at: T(5, 2) },
    { resource_id: 'vol-c', status: 'gone', status_changed_at: T(3) },
    { resource_id: 'vol-new', status: 'active', status_changed_at: null },
  ]);
  // The server's task stays its own (later than the local one).
  expect((await sql<{ last_seen: string }>`SELECT last_seen FROM resource_tasks WHERE resource_type = 'ec2:volume'`.execute(to.db)).rows[0]!.last_seen).toBe(T(10));
});

it('an upload stopped after the first tables, then one stopped inside a table, then a full one: complete, nothing twice', async () => {
  const { local } = await localFile();
  const to = await server();
  const stop = new AbortController();
  await expect(uploadHistory(local, to, { signal: stop.signal, onProgress: (p) => p.table === 'scans' && stop.abort() })).rejects.toMatchObject({ code: 'cancelled' });
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM scans`.execute(to.db)).rows[0]!.n).toBe(3);
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM resources`.execute(to.db)).rows[0]!.n).toBe(0);

  const inside = new AbortController();
  const stopped = uploadHistory(local, to, { chunkRows: 2, signal: inside.signal, onProgress: (p) => p.table === 'resources' && inside.abort() });
  await expect(stopped).rejects.toMatchObject({ code: 'cancelled' });
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM resources`.execute(to.db)).rows[0]!.n).toBe(2);

  const report = await uploadHistory(local, to, { chunkRows: 2 });
  expect(counts(report, 'scans')).toEqual({ copied: 0, updated: 0, alreadyThere: 3, skipped: 1 });
  expect(counts(report, 'resources')).toEqual({ copied: 2, updated: 0, alreadyThere: 2, skipped: 0 });
  expect(await contents(to.db)).toEqual(await contents(local.db));
});

it('a pending audit row completed here after an upload is completed on the server by the next one (and only that)', async () => {
  let pending = 0;
  const { file, local } = await localFile(async (h) => {
    pending = (await fillLocalHistory(h)).pendingDeletion;
  });
  const to = await server();
  await uploadHistory(local, to);
  await local.close();
  const writable = openDatabase({ file });
  opened.push(writable);
  completeDeletion(writable.sqlite, pending, { outcome: 'failed', errorCode: 'aws.not_found', errorMessage: 'gone already' }, T(7));
  const report = await uploadHistory(writable, to);
  expect(counts(report, 'deletions')).toEqual({ copied: 0, updated: 1, alreadyThere: 3, skipped: 0 });
  expect(await contents(to.db)).toEqual(await contents(writable.db));
});

it('a scan whose parent was still running at the first upload is linked to it by the next one', async () => {
  let parent = 0;
  const { file, local } = await localFile(async (h) => {
    await upsertAccount(h.db, { id: HOME, alias: null, partition: 'aws', arn: null, profile: null }, T(1));
    parent = await createScan(h.db, { accountId: HOME, kind: 'discovery', startedAt: T(1) });
    const child = await createScan(h.db, { accountId: HOME, kind: 'resources', parentScanId: parent, startedAt: T(2) });
    await completeScan(h.db, child, { status: 'succeeded', completedAt: T(2, 1) });
  });
  const to = await server();
  const first = await uploadHistory(local, to);
  expect(counts(first, 'scans')).toEqual({ copied: 1, updated: 0, alreadyThere: 0, skipped: 1 });
  await local.close();
  const writable = openDatabase({ file });
  opened.push(writable);
  await completeScan(writable.db, parent, { status: 'succeeded', completedAt: T(3) });
  const second = await uploadHistory(writable, to);
  expect(counts(second, 'scans')).toEqual({ copied: 1, updated: 0, alreadyThere: 1, skipped: 0 });
  expect(await contents(to.db)).toEqual(await contents(writable.db));
  expect((await contents(to.db))['scans']!.map((s) => s['parent'])).toEqual([null, `discovery@${T(1)}`]);
});

it('two uploads of the same history at once (two windows, or the app and a CLI) write each row once', async () => {
  const { local } = await localFile();
  const url = await pg.url();
  const [a, b] = await Promise.all([openPostgres({ url }), openPostgres({ url })]);
  try {
    const [ra, rb] = await Promise.all([uploadHistory(local, a, { chunkRows: 1 }), uploadHistory(local, b, { chunkRows: 1 })]);
    for (const t of UPLOAD_TABLES) expect(ra.tables[t].copied + rb.tables[t].copied, t).toBe(ra.tables[t].copied + ra.tables[t].alreadyThere + ra.tables[t].updated);
    expect(await contents(a.db)).toEqual(await contents(local.db));
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

it('uploads 100,000 resources in reasonable time', async () => {
  const n = 100_000;
  const { local } = await localFile(async (h) => {
    await upsertAccount(h.db, { id: HOME, alias: null, partition: 'aws', arn: null, profile: null }, T(1));
    const scan = await createScan(h.db, { accountId: HOME, kind: 'resources', startedAt: T(1) });
    const writer = new ResourceWriter(h.sqlite, HOME, () => 'AmazonEC2');
    const seen = new Set<string>();
    for (let i = 0; i < n; i += 10_000) {
      const batch = Array.from({ length: 10_000 }, (_, k) => vol(`vol-${String(i + k).padStart(6, '0')}`, { tags: { team: `t${(i + k) % 50}` } }));
      writer.write(batch, scan, T(1));
      for (const f of batch) seen.add(f.resourceId);
    }
    markGone(h.sqlite, { accountId: HOME, resourceType: 'ec2:volume', region: 'us-east-1', scanId: scan, seen }, T(1));
  });
  const to = await server();
  const t0 = performance.now();
  const report = await uploadHistory(local, to);
  const first = performance.now() - t0;
  const t1 = performance.now();
  const again = await uploadHistory(local, to);
  const second = performance.now() - t1;
  console.log(`upload of ${n} resources: first ${Math.round(first)} ms, again (all already there) ${Math.round(second)} ms`);
  expect(report.tables.resources.copied).toBe(n);
  expect(again.tables.resources.alreadyThere).toBe(n);
  expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM resources`.execute(to.db)).rows[0]!.n).toBe(n);
  expect(first).toBeLessThan(60_000);
}, 180_000);
