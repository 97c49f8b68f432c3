import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { describeEachDialect } from '../../test-support/dialects';
import { deleteFinding, endTask, writeFindings } from '../../test-support/seed-findings';
import type { DbHandle } from '../connection';
import { openMemoryDatabase } from '../database';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { createScan } from './scans';
import { ResourceWriter, listFindings, findingFacets } from './resources';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';

function finding(i: number, over: Partial<Finding> = {}): Finding {
  return {
    resourceType: i % 2 === 0 ? 'ec2:volume' : 'ec2:snapshot',
    resourceId: `res-${i}`,
    region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
    name: i % 5 === 0 ? `name-${i}` : null,
    state: 'available',
    tags: i % 7 === 0 ? { team: 'blue' } : {},
    createdAt: '2025-01-01T00:00:00.000Z',
    unused: i % 4 !== 0,
    unusedReason: i % 4 !== 0 ? 'Not attached to any instance' : null,
    unusedSince: i % 10 === 0 ? null : `2026-0${(i % 9) + 1}-01T00:00:00.000Z`,
    monthlyCost: i % 11 === 0 ? null : i / 100,
    costBasis: 'test',
    protected: i % 13 === 0,
    protectedReason: i % 13 === 0 ? 'Tagged cloud-cleaner:keep' : null,
    details: { i },
    ...over,
  };
}

describeEachDialect('resources repo', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
    await upsertAccount(h.db, { id: OTHER, alias: null, partition: 'aws', arn: null, profile: 'q' });
  });

  const count = async (where = '1=1') => Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM resources WHERE ${sql.raw(where)}`.execute(h.db)).rows[0]!.n);
  const all = (where: string) => sql<Record<string, unknown>>`SELECT * FROM resources WHERE ${sql.raw(where)}`.execute(h.db).then((r) => r.rows);
  const one = async (where: string) => (await all(where))[0];
  /** The scan's writer for one account (writeFindings: the scan's own on SQLite, the same upsert on PostgreSQL). */
  const writer = (account: string, serviceCode: string) => ({
    write: (rows: readonly Finding[], scanId: number | null, now?: string) => writeFindings(h, account, rows, scanId, { now, serviceCode }),
  });

  it('upserts idempotently: re-running the same writes changes no row count, but updates values', async () => {
    const scan1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const w = writer(ACCOUNT, 'AmazonEC2Other');
    const rows = Array.from({ length: 500 }, (_, i) => finding(i));
    await w.write(rows, scan1, '2026-11-01T00:00:00.000Z');
    expect(await count()).toBe(500);
    const scan2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write(rows.map((r) => ({ ...r, monthlyCost: 9 })), scan2, '2026-11-02T00:00:00.000Z');
    expect(await count()).toBe(500);
    const r = await one(`resource_id = 'res-1'`);
    expect(r).toMatchObject({ monthly_cost: 9, first_seen: '2026-11-01T00:00:00.000Z', last_seen: '2026-11-02T00:00:00.000Z', last_scan_id: scan2 });
  });

  it('an unchanged re-scan moves only last seen and last scan; a changed or revived row is rewritten in full', async () => {
    const w = writer(ACCOUNT, 'AmazonEC2Other');
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([finding(1), finding(2), finding(3)], s1, '2026-11-01T00:00:00.000Z');
    const before = await all(`1=1 ORDER BY resource_id`);
    await sql`UPDATE resources SET status = 'gone', status_changed_at = '2026-11-01T12:00:00.000Z' WHERE resource_id = 'res-3'`.execute(h.db);
    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([finding(1), finding(2, { name: 'renamed', tags: { team: 'red' } }), finding(3)], s2, '2026-11-02T00:00:00.000Z');
    const after = await all(`1=1 ORDER BY resource_id`);
    expect(after).toHaveLength(3);
    // res-1: unchanged → not written at all; its last seen and last scan move with its task's (markGone, at the task's end).
    expect(after[0]).toEqual(before[0]);
    await endTask(h, { accountId: ACCOUNT, resourceType: 'ec2:snapshot', region: 'us-east-1', scanId: s2, seen: new Set(['res-1']) }, '2026-11-02T00:05:00.000Z');
    expect(await one(`resource_id = 'res-1'`)).toEqual(before[0]);
    const res1 = (await listFindings(h.db, { accountId: ACCOUNT, search: 'res-1', limit: 10 })).rows.find((r) => r.resourceId === 'res-1');
    expect(res1).toMatchObject({ lastSeen: '2026-11-02T00:05:00.000Z', lastScanId: s2, firstSeen: '2026-11-01T00:00:00.000Z' });
    expect((await listFindings(h.db, { accountId: ACCOUNT, scanId: s2, limit: 10 })).rows.map((r) => r.resourceId)).toContain('res-1');
    expect((await listFindings(h.db, { accountId: ACCOUNT, scanId: s1, limit: 10 })).rows.map((r) => r.resourceId)).not.toContain('res-1');
    // res-2: changed → new values, first seen kept.
    expect(after[1]).toMatchObject({ name: 'renamed', tags: '{"team":"red"}', first_seen: '2026-11-01T00:00:00.000Z', last_scan_id: s2 });
    // res-3 was gone: it comes back active, with the time it came back.
    expect(after[2]).toMatchObject({ status: 'active', status_changed_at: '2026-11-02T00:00:00.000Z', last_scan_id: s2 });
    // A cost that changes only in a fraction of a cent is a change too.
    const s3 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([finding(1, { monthlyCost: (finding(1).monthlyCost ?? 0) + 0.0001 })], s3);
    expect((await one(`resource_id = 'res-1'`))!.monthly_cost as number).toBeCloseTo((finding(1).monthlyCost ?? 0) + 0.0001, 10);
  });

  it('keeps accounts apart: the same resource id in two accounts is two rows, and queries never mix them', async () => {
    await writer(ACCOUNT, 'x').write([finding(1)], null);
    await writer(OTHER, 'x').write([finding(1)], null);
    expect(await count()).toBe(2);
    const page = await listFindings(h.db, { accountId: OTHER });
    expect(page.total).toBe(1);
    expect(page.rows[0]!.accountId).toBe(OTHER);
  });

  it('marks unseen resources of a succeeded task gone, never deletes them, and revives them when seen again', async () => {
    const w = writer(ACCOUNT, 'x');
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([finding(1, { region: 'us-east-1' }), finding(3, { region: 'us-east-1' })], s1);
    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([finding(1, { region: 'us-east-1' })], s2);
    expect(await endTask(h, { accountId: ACCOUNT, resourceType: 'ec2:snapshot', region: 'us-east-1', scanId: s2, seen: new Set(['res-1']) })).toBe(1);
    expect(await count(`status = 'gone'`)).toBe(1);
    expect(await count()).toBe(2);
    const s3 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([finding(3, { region: 'us-east-1' })], s3);
    expect(await count(`status = 'gone'`)).toBe(0);
  });

  it('deleted resources are not marked gone', async () => {
    const w = writer(ACCOUNT, 'x');
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([finding(1)], s1);
    const id = (await one('1=1'))!.id as number;
    await deleteFinding(h, id);
    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await endTask(h, { accountId: ACCOUNT, resourceType: 'ec2:snapshot', region: 'us-east-1', scanId: s2, seen: new Set() });
    expect(await count(`status = 'deleted'`)).toBe(1);
  });

  it('filters, sorts (unknown costs last in both directions) and pages in SQL, with totals for the filter', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => finding(i));
    await writer(ACCOUNT, 'AmazonEC2Other').write(rows, null);
    const unused = rows.filter((r) => r.unused);
    const page = await listFindings(h.db, { accountId: ACCOUNT, limit: 10 });
    expect(page.total).toBe(unused.length);
    const known = unused.filter((r) => r.monthlyCost !== null);
    expect(page.totalMonthlyCost).toBeCloseTo(known.reduce((s, r) => s + r.monthlyCost!, 0), 9);
    expect(page.unknownCostCount).toBe(unused.length - known.length);
    const costs = page.rows.map((r) => r.monthlyCost!);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));

    const asc = await listFindings(h.db, { accountId: ACCOUNT, sort: { column: 'monthlyCost', direction: 'asc' }, limit: 1000 });
    expect(asc.rows.at(-1)!.monthlyCost).toBeNull();
    expect(asc.rows[0]!.monthlyCost).toBe(Math.min(...known.map((r) => r.monthlyCost!)));

    const filtered = await listFindings(h.db, {
      accountId: ACCOUNT,
      regions: ['eu-west-1'],
      resourceTypes: ['ec2:volume'],
      protected: false,
      minMonthlyCost: 1,
    });
    const expected = unused.filter(
      (r) => r.region === 'eu-west-1' && r.resourceType === 'ec2:volume' && !r.protected && (r.monthlyCost ?? -1) >= 1,
    );
    expect(filtered.total).toBe(expected.length);
    expect(new Set(filtered.rows.map((r) => r.resourceId))).toEqual(new Set(expected.map((r) => r.resourceId)));

    const search = await listFindings(h.db, { accountId: ACCOUNT, search: 'NAME-295' });
    expect(search.rows.map((r) => r.resourceId)).toEqual(['res-295']);
    const byTag = await listFindings(h.db, { accountId: ACCOUNT, search: 'blue' });
    expect(byTag.total).toBe(unused.filter((r) => r.tags.team === 'blue').length);
    // A literal % is not a wildcard.
    expect((await listFindings(h.db, { accountId: ACCOUNT, search: '%' })).total).toBe(0);

    const p2 = await listFindings(h.db, { accountId: ACCOUNT, limit: 50, offset: 50 });
    const all = await listFindings(h.db, { accountId: ACCOUNT, limit: 100 });
    expect(p2.rows.map((r) => r.id)).toEqual(all.rows.slice(50).map((r) => r.id));
  });

  it('searches reasons and tags in any ASCII case, other letters as written, wildcards literally (both stores)', async () => {
    await writer(ACCOUNT, 'x').write(
      [
        finding(1, { unusedReason: 'Idle SINCE Été', tags: { Owner: 'ZOË_x' } }),
        finding(2, { unusedReason: 'Stopped for 40 days', tags: { env: '100%' } }),
        finding(3, { unusedReason: 'Idle since ÉTÉ', tags: {} }),
      ],
      null,
    );
    const ids = async (search: string) => (await listFindings(h.db, { accountId: ACCOUNT, search, limit: 10 })).rows.map((r) => r.resourceId).sort();
    expect(await ids('idle since')).toEqual(['res-1', 'res-3']);
    expect(await ids('IDLE since')).toEqual(['res-1', 'res-3']);
    expect(await ids('Été')).toEqual(['res-1']); // not ASCII: only as written
    expect(await ids('été')).toEqual([]);
    expect(await ids('owner":"zoË')).toEqual(['res-1']);
    expect(await ids('OWNER":"ZOë')).toEqual([]);
    expect(await ids('ZOË_X')).toEqual(['res-1']);
    expect(await ids('zoË%')).toEqual([]); // % is literal
    expect(await ids('100%')).toEqual(['res-2']);
    expect(await ids('STOPPED')).toEqual(['res-2']);
  });

  it('age filter never matches an unknown "since"', async () => {
    await writer(ACCOUNT, 'x').write([finding(1, { unusedSince: null }), finding(2, { unused: true, unusedReason: 'x', unusedSince: '2020-01-01T00:00:00.000Z' })], null);
    const page = await listFindings(h.db, { accountId: ACCOUNT, minAgeDays: 30, now: new Date('2026-11-25T00:00:00Z') });
    expect(page.rows.map((r) => r.resourceId)).toEqual(['res-2']);
  });

  it('facets list what is present', async () => {
    await writer(ACCOUNT, 'AmazonEC2Other').write(Array.from({ length: 20 }, (_, i) => finding(i)), null);
    const f = await findingFacets(h.db, ACCOUNT);
    expect(f.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(f.resourceTypes).toEqual(['ec2:snapshot', 'ec2:volume']);
  });

  it('totals are reused for the same filter but never stale after a write or a deletion', async () => {
    const w = writer(ACCOUNT, 'x');
    await w.write(Array.from({ length: 40 }, (_, i) => finding(i, { unused: true, unusedReason: 'r', protected: false })), null);
    const a = await listFindings(h.db, { accountId: ACCOUNT, limit: 5 });
    const b = await listFindings(h.db, { accountId: ACCOUNT, limit: 5, offset: 5, sort: { column: 'name', direction: 'asc' } });
    expect(b.total).toBe(a.total);
    await w.write([finding(1000, { unused: true, unusedReason: 'r', monthlyCost: 7 })], null);
    const c = await listFindings(h.db, { accountId: ACCOUNT, limit: 5 });
    expect(c.total).toBe(a.total + 1);
    expect(c.totalMonthlyCost).toBeCloseTo(a.totalMonthlyCost + 7, 9);
    await deleteFinding(h, c.rows[0]!.id);
    expect((await listFindings(h.db, { accountId: ACCOUNT, limit: 5 })).total).toBe(a.total);
  });

  it('pages of an unindexed sort come back in sort order with whole rows', async () => {
    await writer(ACCOUNT, 'x').write(Array.from({ length: 120 }, (_, i) => finding(i, { unused: true, unusedReason: 'r', name: `n-${String((i * 37) % 120).padStart(3, '0')}` })), null);
    const p1 = await listFindings(h.db, { accountId: ACCOUNT, sort: { column: 'name', direction: 'desc' }, limit: 50 });
    const p2 = await listFindings(h.db, { accountId: ACCOUNT, sort: { column: 'name', direction: 'desc' }, limit: 50, offset: 50 });
    const names = [...p1.rows, ...p2.rows].map((r) => r.name!);
    expect(names).toEqual([...names].sort().reverse());
    expect(p1.rows[0]!.details).toMatchObject({ i: expect.any(Number) });
  });
});

// The scan's SQLite writer itself: its checks of a batch's parents and the foreign_keys pragma are SQLite's alone.
describe('resources repo: the SQLite writer', () => {
  let h: DbHandle;
  beforeEach(async () => {
    h = await openMemoryDatabase();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  });
  afterEach(async () => {
    await h.close();
  });
  const count = () => (h.sqlite.prepare(`SELECT COUNT(*) AS n FROM resources`).get() as { n: number }).n;

  it('checks the account and scan of a batch itself, writes nothing for a missing one, and leaves foreign keys on', async () => {
    const w = new ResourceWriter(h.sqlite, ACCOUNT, () => 'x');
    expect(() => w.write([finding(1)], 424242)).toThrow(/FOREIGN KEY constraint failed: no scan 424242/);
    expect(() => new ResourceWriter(h.sqlite, '000000000000', () => 'x').write([finding(1)], null)).toThrow(/no account 000000000000/);
    expect(count()).toBe(0);
    expect(h.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    w.write([finding(1)], null);
    expect(h.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    // Inside someone else's transaction the per-row checks stay on (the pragma cannot change there).
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    h.sqlite.transaction(() => w.write([finding(2)], s1))();
    expect(count()).toBe(2);
  });
});
