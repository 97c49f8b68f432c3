/**
 * Recovery on a PostgreSQL team store: the runs may be other machines', so a pid says nothing. A resource scan or a
 * cleanup whose account holds a live lease of its kind is left alone; one without is interrupted.
 */
import { beforeEach, expect, it } from 'vitest';
import { postgresFixture } from '../test-support/dialects';
import type { AppDb } from '../db/store';
import { upsertAccount } from '../db/repos/accounts';
import { getPlan, insertPlan } from '../db/repos/cleanup-plans';
import { acquireLease } from '../db/repos/run-leases';
import { createScan, getScan } from '../db/repos/scans';
import { recoverAfterCrash } from './recovery';

const A = '111122223333';
const B = '444455556666';
const pg = postgresFixture();
let h: AppDb;

beforeEach(async () => {
  h = await pg.open();
  for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
});

const elsewhere = { id: 'other-machine-process', host: 'bob-desktop', user: 'bob', pid: 1 };

async function runningPlan(id: string, accountId: string): Promise<void> {
  await insertPlan(h.db, { id, accountId, createdAt: 'x', items: [], refused: [], monthlySavings: 0, options: { snapshotVolumes: false } });
  // A pid that is alive here (1) but belongs, on the team store, to another machine.
  await h.db.updateTable('cleanup_plans').set({ status: 'running', owner_pid: 1, owner_start: 'bob-desktop-boot/1' }).where('id', '=', id).execute();
}

it("leaves another machine's scan and cleanup alone while their leases live, and interrupts the ones without a lease", async () => {
  // Account A: another machine scans and cleans it (both leases held). Account B: its runs' owner crashed (no lease).
  const scanA = await createScan(h.db, { accountId: A, kind: 'resources', owner: { pid: 999_999, start: 'elsewhere' } });
  const scanB = await createScan(h.db, { accountId: B, kind: 'resources', owner: { pid: 999_999, start: 'elsewhere' } });
  await runningPlan('plan-a', A);
  await runningPlan('plan-b', B);
  expect(await acquireLease(h.db, { accountId: A, kind: 'scan', owner: elsewhere })).toEqual({ ok: true });
  expect(await acquireLease(h.db, { accountId: A, kind: 'cleanup', owner: elsewhere })).toEqual({ ok: true });
  // B's scan lease expired (its holder stopped renewing it a minute ago).
  expect(await acquireLease(h.db, { accountId: B, kind: 'scan', owner: elsewhere, now: new Date(Date.now() - 120_000) })).toEqual({ ok: true });

  const report = await recoverAfterCrash(h, () => {
    throw new Error('a pid check on a team store');
  });
  expect(report.interruptedScans).toBe(1);
  expect(report.interruptedPlans).toEqual(['plan-b']);
  expect(report.liveScans).toEqual([scanA]);
  expect(report.livePlans).toEqual(['plan-a']);
  expect((await getScan(h.db, scanA))?.status).toBe('running');
  expect((await getScan(h.db, scanB))?.status).toBe('interrupted');
  expect((await getPlan(h.db, 'plan-a'))?.status).toBe('running');
  expect((await getPlan(h.db, 'plan-b'))?.status).toBe('interrupted');
});
