/**
 * The findings totals and the snoozed ids are cached while the store's data has not changed (storeVersion: SQLite's
 * total_changes()/data_version, PostgreSQL's snapshot). Reused when nothing was written, never stale after a write by
 * another connection (another process: the CLI, a colleague's app on the team store), and on PostgreSQL never cached
 * inside a transaction, whose own writes the snapshot does not show.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { describeEachDialect } from '../../test-support/dialects';
import { writeFindings } from '../../test-support/seed-findings';
import { openAndMigrate } from '../database';
import { openPostgres } from '../postgres';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { listFindings } from './resources';
import { currentSnoozes, setTagSnooze, storeVersion } from './snoozes';

const ACCOUNT = '111122223333';
const T0 = new Date('2026-03-01T12:00:00.000Z');

const finding = (i: number, tags: Record<string, string> = {}): Finding => ({
  resourceType: 'ec2:volume', resourceId: `vol-${i}`, region: 'eu-west-1', name: null, state: 'available', tags, createdAt: null,
  unused: true, unusedReason: 'Not attached', unusedSince: null, monthlyCost: i, monthlySavings: i, costBasis: 'test', protected: false,
  protectedReason: null, details: {},
});

describeEachDialect('findings caches', (store) => {
  const opened: AppDb[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((h) => h.close()));
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** Two connections to one store (two processes' worth): a file for SQLite, one database for PostgreSQL. */
  async function twoConnections(): Promise<[AppDb, AppDb]> {
    let a: AppDb;
    let b: AppDb;
    if (store.dialect === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-cache-'));
      dirs.push(dir);
      a = await openAndMigrate({ file: path.join(dir, 'db.sqlite') });
      b = await openAndMigrate({ file: path.join(dir, 'db.sqlite') });
    } else {
      const url = await store.url();
      a = await openPostgres({ url });
      b = await openPostgres({ url });
    }
    opened.push(a, b);
    await upsertAccount(a.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
    return [a, b];
  }

  it('reuses the totals while nothing is written; a write by another connection is seen at once', async () => {
    const [a, b] = await twoConnections();
    await writeFindings(a, ACCOUNT, [finding(1), finding(2)], null);
    const first = await listFindings(a.db, { accountId: ACCOUNT, now: T0 });
    const again = await listFindings(a.db, { accountId: ACCOUNT, now: T0, sort: { column: 'name', direction: 'asc' } });
    expect(again.savings).toBe(first.savings); // the same object: the cache served it
    expect(await storeVersion(a.db)).toBe(await storeVersion(a.db));

    await writeFindings(b, ACCOUNT, [finding(3)], null);
    const after = await listFindings(a.db, { accountId: ACCOUNT, now: T0 });
    expect([after.total, after.savings.monthlySavings]).toEqual([3, 6]);
    expect(after.savings).not.toBe(first.savings);
  });

  it('snoozed ids follow a snooze and a tagged finding written by another connection', async () => {
    const [a, b] = await twoConnections();
    await writeFindings(a, ACCOUNT, [finding(1, { env: 'dev' }), finding(2)], null);
    await setTagSnooze(b.db, ACCOUNT, { key: 'env', value: 'dev' }, { reason: 'dev', until: null, now: T0 });
    expect((await currentSnoozes(a.db, ACCOUNT, T0)).count).toBe(1);
    expect((await listFindings(a.db, { accountId: ACCOUNT, now: T0 })).total).toBe(1);
    await writeFindings(b, ACCOUNT, [finding(3, { env: 'dev' })], null);
    expect((await currentSnoozes(a.db, ACCOUNT, T0)).count).toBe(2);
    const page = await listFindings(a.db, { accountId: ACCOUNT, now: T0 });
    expect([page.total, page.ignored]).toEqual([1, { findings: 2, monthlySavings: 4 }]);
  });

  it('inside a transaction, its own writes count at once', async () => {
    const [a] = await twoConnections();
    await writeFindings(a, ACCOUNT, [finding(1)], null);
    await a.db.transaction().execute(async (trx) => {
      expect((await listFindings(trx, { accountId: ACCOUNT, now: T0 })).total).toBe(1);
      await trx
        .updateTable('resources')
        .set({ monthly_savings: 10, monthly_cost: 10 })
        .where('resource_id', '=', 'vol-1')
        .execute();
      const page = await listFindings(trx, { accountId: ACCOUNT, now: T0 });
      expect(page.savings.monthlySavings).toBe(10);
      await setTagSnooze(trx, ACCOUNT, { key: 'env', value: 'x' }, { reason: 'none tagged', until: null, now: T0 });
      expect((await currentSnoozes(trx, ACCOUNT, T0)).count).toBe(0);
    });
  });
});
