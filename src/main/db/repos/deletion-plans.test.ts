import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { insertPlan, recordDryRun, updatePlanStatus } from './cleanup-plans';
import type { PlanItemDto } from './cleanup-plans';
import { listDeletionPlans } from './deletion-plans';
import { auditComplete, auditDecision, auditPending } from './deletions';
import type { DeletionCompletion } from './deletions';

const A = '111122223333';
const B = '444455556666';

const item = (findingId: number, resourceType: string, resourceId: string, action: string, savings: number | null): PlanItemDto => ({
  findingId,
  resourceType,
  region: 'us-east-1',
  resourceId,
  name: null,
  monthlyCost: savings,
  costBasis: '',
  ownMonthlyCost: savings,
  savings,
  savingsBasis: '',
  unusedReason: null,
  deleteOrder: 40,
  action,
  actionLabel: action === 'stop' ? 'Stop' : 'Delete',
  actionRemoves: action !== 'stop',
  related: [],
  reviewed: { state: null, tags: {}, createdAt: null, unused: true, unusedReason: null, unusedSince: null, protected: false, protectedReason: null, details: {} },
});

const VOL = item(1, 'ec2:volume', 'vol-1', 'delete', 4);
const INST = item(2, 'ec2:instance', 'i-2', 'stop', 10.5);

describeEachDialect('deletion history by plan', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
  });

  /** One audited call as the pipeline writes it (pending first, then completed), at `at`. */
  async function call(planId: string, it: PlanItemDto, action: string, dryRun: boolean, at: string, c: DeletionCompletion, accountId = A): Promise<void> {
    const id = await auditPending(
      h,
      { accountId, planId, resourcePk: null, resourceType: it.resourceType, region: it.region, resourceId: it.resourceId, action, target: it.resourceId, dryRun },
      at,
    );
    await auditComplete(h, id, { ...c, details: { planAction: it.action, ...c.details } }, at);
  }

  const ok = { outcome: 'dry-run-ok' as const, dryRunResult: 'DryRunOperation' };
  const done = { outcome: 'succeeded' as const };
  const plan = (id: string, items: PlanItemDto[], createdAt: string, accountId = A) =>
    insertPlan(h.db, { id, accountId, createdAt, items, refused: [], monthlySavings: items.reduce((s, i) => s + (i.savings ?? 0), 0), options: { snapshotVolumes: false } });

  /** Plan p1: a dry run at 10:01, then an execute at 10:05 (which verifies again before it deletes and stops). */
  async function dryRunThenExecute(): Promise<void> {
    await plan('p1', [VOL, INST], '2026-12-07T10:00:00.000Z');
    await call('p1', VOL, 'DeleteVolume', true, '2026-12-07T10:01:00.000Z', ok);
    await call('p1', INST, 'StopInstances', true, '2026-12-07T10:01:00.100Z', ok);
    await recordDryRun(h.db, 'p1', '2026-12-07T10:01:01.000Z', [1, 2]);
    await call('p1', VOL, 'DeleteVolume', true, '2026-12-07T10:05:00.000Z', ok);
    await call('p1', INST, 'StopInstances', true, '2026-12-07T10:05:00.100Z', ok);
    await call('p1', VOL, 'DeleteVolume', false, '2026-12-07T10:05:01.000Z', done);
    await call('p1', INST, 'StopInstances', false, '2026-12-07T10:05:01.100Z', done);
    await updatePlanStatus(h.db, 'p1', 'completed', '2026-12-07T10:05:02.000Z');
  }

  it('a dry run and the execute of one plan are one entry, its items counted by outcome with their actions', async () => {
    await dryRunThenExecute();
    const page = await listDeletionPlans(h.db, { accountId: A });
    expect(page.total).toBe(1);
    expect(page.rows).toHaveLength(1);
    const [p] = page.rows;
    expect(p).toMatchObject({
      planId: 'p1',
      createdAt: '2026-12-07T10:00:00.000Z',
      status: 'completed',
      dryRun: { at: '2026-12-07T10:01:01.000Z', passed: 2 },
      executedAt: '2026-12-07T10:05:00.000Z',
      itemCount: 2,
      callCount: 6,
      counts: { done: 2, 'dry-run-ok': 0, 'not-run': 0, refused: 0, failed: 0, unauthorized: 0, pending: 0 },
      plannedSavings: 14.5,
      realisedSavings: 14.5,
      unknownSavingsCount: 0,
    });
    expect(p!.items.map((i) => [i.resourceId, i.action, i.outcome, i.calls])).toEqual([
      ['vol-1', 'delete', 'done', 3],
      ['i-2', 'stop', 'done', 3],
    ]);
  });

  it('orders plans by their latest activity, newest first, and pages in SQL', async () => {
    await dryRunThenExecute();
    // p2: a newer plan, dry run only; the instance is refused (protected since the scan).
    await plan('p2', [VOL, INST], '2026-12-08T09:00:00.000Z');
    await call('p2', VOL, 'DeleteVolume', true, '2026-12-08T09:00:10.000Z', ok);
    await auditDecision(
      h,
      { accountId: A, planId: 'p2', resourcePk: null, resourceType: INST.resourceType, region: INST.region, resourceId: INST.resourceId, action: 'Refuse', dryRun: true, outcome: 'refused', message: 'protected: termination protection is on', details: { stage: 'recheck' } },
      '2026-12-08T09:00:10.000Z',
    );
    await recordDryRun(h.db, 'p2', '2026-12-08T09:00:11.000Z', [1]);
    // Another account's plan is never listed.
    await call('p9', VOL, 'DeleteVolume', false, '2026-12-09T00:00:00.000Z', done, B);

    const all = await listDeletionPlans(h.db, { accountId: A });
    expect(all.total).toBe(2);
    expect(all.rows.map((r) => r.planId)).toEqual(['p2', 'p1']);
    const p2 = all.rows[0]!;
    expect(p2.executedAt).toBeNull();
    expect(p2.dryRun).toEqual({ at: '2026-12-08T09:00:11.000Z', passed: 1 });
    expect(p2.counts).toMatchObject({ 'dry-run-ok': 1, refused: 1, done: 0 });
    expect(p2.items.find((i) => i.resourceId === 'i-2')).toMatchObject({ outcome: 'refused', message: 'protected: termination protection is on', action: 'stop' });
    expect(p2.realisedSavings).toBe(0);

    const second = await listDeletionPlans(h.db, { accountId: A, limit: 1, offset: 1 });
    expect(second).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(second.rows.map((r) => r.planId)).toEqual(['p1']);
    expect(second.rows[0]!.items).toHaveLength(2);
    expect((await listDeletionPlans(h.db, { accountId: A, limit: 1, offset: 2 })).rows).toEqual([]);
  });

  it('a failure after a safety snapshot, a call with no answer, and a plan refused at confirmation', async () => {
    const SNAPPED = item(3, 'ec2:volume', 'vol-3', 'delete', null);
    await plan('p3', [VOL, SNAPPED, INST], '2026-12-07T11:00:00.000Z');
    for (const it of [VOL, SNAPPED, INST]) await call('p3', it, it.action === 'stop' ? 'StopInstances' : 'DeleteVolume', true, '2026-12-07T11:00:01.000Z', ok);
    await recordDryRun(h.db, 'p3', '2026-12-07T11:00:02.000Z', [1, 2, 3]);
    await call('p3', VOL, 'CreateSnapshot', false, '2026-12-07T11:01:00.000Z', done);
    await call('p3', VOL, 'DeleteVolume', false, '2026-12-07T11:01:01.000Z', { outcome: 'failed', errorCode: 'VolumeInUse', errorMessage: 'attached' });
    await call('p3', SNAPPED, 'DeleteVolume', false, '2026-12-07T11:01:02.000Z', done);
    // The instance's stop was sent and the app died: its answer is unknown.
    await auditPending(
      h,
      { accountId: A, planId: 'p3', resourcePk: null, resourceType: INST.resourceType, region: INST.region, resourceId: INST.resourceId, action: 'StopInstances', target: 'i-2', dryRun: false },
      '2026-12-07T11:01:03.000Z',
    );
    const [p3] = (await listDeletionPlans(h.db, { accountId: A })).rows;
    expect(p3!.items.map((i) => [i.resourceId, i.outcome, i.errorCode])).toEqual([
      ['vol-1', 'failed', 'VolumeInUse'],
      ['vol-3', 'done', null],
      ['i-2', 'pending', null],
    ]);
    expect(p3).toMatchObject({ realisedSavings: 0, unknownSavingsCount: 1 });

    // A wrong confirmation: every item refused, nothing sent; the plan's dry run is still its first step.
    await plan('p4', [VOL], '2026-12-07T12:00:00.000Z');
    await call('p4', VOL, 'DeleteVolume', true, '2026-12-07T12:00:01.000Z', ok);
    await recordDryRun(h.db, 'p4', '2026-12-07T12:00:02.000Z', [1]);
    await auditDecision(
      h,
      { accountId: A, planId: 'p4', resourcePk: null, resourceType: VOL.resourceType, region: VOL.region, resourceId: VOL.resourceId, action: 'Refuse', dryRun: false, outcome: 'refused', message: 'The confirmation did not match', details: { stage: 'confirmation' } },
      '2026-12-07T12:01:00.000Z',
    );
    const [p4] = (await listDeletionPlans(h.db, { accountId: A })).rows;
    expect(p4).toMatchObject({ planId: 'p4', executedAt: '2026-12-07T12:01:00.000Z', dryRun: { passed: 1 }, counts: { refused: 1, done: 0 } });
  });

  it('an audit row whose plan is not stored still makes an entry (items from the audit, times from the rows)', async () => {
    await call('gone', VOL, 'DeleteVolume', false, '2026-12-01T08:00:00.000Z', done);
    const [p] = (await listDeletionPlans(h.db, { accountId: A })).rows;
    expect(p).toMatchObject({ planId: 'gone', createdAt: '2026-12-01T08:00:00.000Z', status: null, dryRun: null, plannedSavings: null, counts: { done: 1 } });
    expect(p!.items[0]).toMatchObject({ resourceId: 'vol-1', action: 'delete', actionLabel: null, outcome: 'done' });
  });
});
