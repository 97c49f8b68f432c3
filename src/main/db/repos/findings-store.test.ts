/** The scan's writes to `resources` behave the same on both stores (SQLite's writer and PostgreSQL's set statements). */
import { beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { sql } from 'kysely';
import { findingsWriter, markResourceDeleted, markTaskGone, refreshStatistics } from './findings-store';
import { createScan } from './scans';

const ACCOUNT = '111122223333';
const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';
const T3 = '2026-11-03T00:00:00.000Z';

function vol(id: string, over: Partial<Finding> = {}): Finding {
  return {
    resourceType: 'ec2:volume', resourceId: id, region: 'us-east-1', name: null, state: 'available', tags: {}, createdAt: null,
    unused: true, unusedReason: 'Not attached to any instance', unusedSince: null, monthlyCost: 8, costBasis: 'gp3 100 GiB', protected: false,
    protectedReason: null, details: {}, monthlySavings: 8, ...over,
  };
}

describeEachDialect('findings writer', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  });
  const rows = () =>
    h.db.selectFrom('resources').selectAll().orderBy('resource_id').execute();
  const row = async (id: string) => (await rows()).find((r) => r.resource_id === id)!;

  it('inserts, leaves an unchanged row unwritten, rewrites a changed one, and keeps every value exactly', async () => {
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const w = findingsWriter(h, ACCOUNT, () => 'AmazonEC2');
    const odd = vol('vol-odd', {
      name: `it's "quoted", {braced}, back\\slash, ünïcode, NULL`,
      tags: { 'a,b': 'c"d', empty: '' },
      details: { nested: { list: [1, null, 'x'] } },
      unusedSince: '2026-10-01T00:00:00.000Z',
      monthlyCost: 0.1 + 0.2,
      monthlySavings: null,
      protected: true,
      protectedReason: 'Tagged keep',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    await w.write([vol('vol-a'), odd, vol('vol-null', { monthlyCost: null, monthlySavings: null, unusedReason: null, unused: false, state: null })], s1, T1);
    expect(await row('vol-odd')).toMatchObject({
      account_id: ACCOUNT, service_code: 'AmazonEC2', name: odd.name, state: 'available', unused: 1, unused_reason: 'Not attached to any instance',
      unused_since: '2026-10-01T00:00:00.000Z', monthly_cost: 0.1 + 0.2, cost_basis: 'gp3 100 GiB', protected: 1, protected_reason: 'Tagged keep',
      tags: JSON.stringify(odd.tags), details: JSON.stringify(odd.details), created_at: '2025-01-01T00:00:00.000Z', monthly_savings: null,
      first_seen: T1, last_seen: T1, last_scan_id: s1, status: 'active',
    });
    expect(await row('vol-null')).toMatchObject({ monthly_cost: null, unused: 0, unused_reason: null, state: null, reason_category: null });
    expect((await row('vol-a')).reason_category).not.toBeNull();

    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write([vol('vol-a'), { ...odd, monthlyCost: 9 }], s2, T2);
    // Unchanged: not written (its own columns keep the first write; the task's record moves readers' last seen).
    expect(await row('vol-a')).toMatchObject({ last_seen: T1, last_scan_id: s1 });
    // Changed: rewritten, first seen kept.
    expect(await row('vol-odd')).toMatchObject({ monthly_cost: 9, first_seen: T1, last_seen: T2, last_scan_id: s2 });
    expect(await rows()).toHaveLength(3);
  });

  it('a task marks what it did not see gone, records itself, and a gone row that comes back is active again', async () => {
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const w = findingsWriter(h, ACCOUNT, () => 'AmazonEC2');
    await w.write([vol('vol-a'), vol('vol-b'), vol('vol-c'), vol('vol-w', { region: 'us-west-2' })], s1, T1);
    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const gone = await markTaskGone(h, { accountId: ACCOUNT, resourceType: 'ec2:volume', region: 'us-east-1', scanId: s2, seen: new Set(['vol-a']) }, T2);
    expect(gone).toBe(2);
    expect((await rows()).map((r) => [r.resource_id, r.status, r.status_changed_at])).toEqual([
      ['vol-a', 'active', null],
      ['vol-b', 'gone', T2],
      ['vol-c', 'gone', T2],
      ['vol-w', 'active', null], // another region's task
    ]);
    // The gone rows took their last seen from the task before it moved (what readers saw until then).
    expect(await row('vol-b')).toMatchObject({ last_seen: T1, last_scan_id: s1 });
    expect(await h.db.selectFrom('resource_tasks').selectAll().execute()).toEqual([
      { account_id: ACCOUNT, resource_type: 'ec2:volume', region: 'us-east-1', last_scan_id: s2, last_seen: T2 },
    ]);
    // An empty task marks every active row of it gone.
    const s3 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    expect(await markTaskGone(h, { accountId: ACCOUNT, resourceType: 'ec2:volume', region: 'us-east-1', scanId: s3, seen: new Set() }, T3)).toBe(1);
    // A row back from gone is rewritten even though its content is unchanged.
    await w.write([vol('vol-b')], s3, T3);
    expect(await row('vol-b')).toMatchObject({ status: 'active', status_changed_at: T3, last_seen: T3, last_scan_id: s3, first_seen: T1 });
  });

  it('a deleted resource settles its last seen from its task, and stays deleted when its task runs again', async () => {
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const w = findingsWriter(h, ACCOUNT, () => 'AmazonEC2');
    await w.write([vol('vol-a'), vol('vol-b')], s1, T1);
    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await markTaskGone(h, { accountId: ACCOUNT, resourceType: 'ec2:volume', region: 'us-east-1', scanId: s2, seen: new Set(['vol-a', 'vol-b']) }, T2);
    await markResourceDeleted(h, (await row('vol-a')).id, T3);
    expect(await row('vol-a')).toMatchObject({ status: 'deleted', status_changed_at: T3, last_seen: T2, last_scan_id: s2 });
    const s3 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    expect(await markTaskGone(h, { accountId: ACCOUNT, resourceType: 'ec2:volume', region: 'us-east-1', scanId: s3, seen: new Set() }, T3)).toBe(1);
    expect((await row('vol-a')).status).toBe('deleted');
  });

  it('two findings of one resource in a batch: the last one is kept', async () => {
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await findingsWriter(h, ACCOUNT, () => 'AmazonEC2').write([vol('vol-a', { monthlyCost: 1 }), vol('vol-a', { monthlyCost: 2 })], s1, T1);
    expect((await rows()).map((r) => r.monthly_cost)).toEqual([2]);
  });

  it('writes a batch larger than one statement, and a batch for an unknown account or scan fails whole', async () => {
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const many = Array.from({ length: 4500 }, (_, i) => vol(`vol-${String(i).padStart(5, '0')}`, { monthlyCost: i }));
    await findingsWriter(h, ACCOUNT, () => 'AmazonEC2').write(many, s1, T1);
    const n = await h.db.selectFrom('resources').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(4500);
    expect((await row('vol-04499')).monthly_cost).toBe(4499);
    await expect(Promise.resolve().then(() => findingsWriter(h, '000000000000', () => 'x').write([vol('vol-x')], null, T1))).rejects.toThrow(/foreign key/i);
    await expect(Promise.resolve().then(() => findingsWriter(h, ACCOUNT, () => 'x').write([vol('vol-y'), vol('vol-z')], 987654, T1))).rejects.toThrow(/foreign key/i);
    expect(Number((await h.db.selectFrom('resources').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(4500);
  });
  it('refreshStatistics analyzes and vacuums what the pages read on PostgreSQL, and does nothing on SQLite', async () => {
    await findingsWriter(h, ACCOUNT, () => 'AmazonEC2').write([vol('vol-vacuumed')], null, T1);
    await refreshStatistics(h);
    if (store.dialect === 'postgres') {
      // Vacuumed too (the visibility map that lets pages read the browse index alone: measured in bench:db).
      const { rows: vacuumed } = await sql<{ relname: string; vacuums: number }>`
        SELECT relname, vacuum_count AS vacuums FROM pg_stat_user_tables
        WHERE relname IN ('resources', 'resource_tasks', 'resource_search') ORDER BY relname`.execute(h.db);
      expect(vacuumed).toEqual([
        { relname: 'resource_search', vacuums: 1 },
        { relname: 'resource_tasks', vacuums: 1 },
        { relname: 'resources', vacuums: 1 },
      ]);
      // reltuples: -1 until a table is first analyzed (PostgreSQL 14+), its row count after (written with the ANALYZE).
      const { rows } = await sql<{ relname: string; analyzed: boolean }>`
        SELECT relname, reltuples >= 0 AS analyzed FROM pg_class
        WHERE relname IN ('resources', 'resource_tasks', 'resource_search') AND relkind = 'r' ORDER BY relname`.execute(h.db);
      expect(rows).toEqual([
        { relname: 'resource_search', analyzed: true },
        { relname: 'resource_tasks', analyzed: true },
        { relname: 'resources', analyzed: true },
      ]);
    }
  });
});
