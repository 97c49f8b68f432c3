import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { claimPlan, getPlan, insertPlan, listPlans, markRunningPlansInterrupted, transitionPlan, updatePlanStatus } from './cleanup-plans';
import type { PlanItemDto } from './cleanup-plans';

const A = '111122223333';
const B = '444455556666';
const item = (findingId: number, monthlyCost: number | null): PlanItemDto => ({
  findingId,
  resourceType: 'ec2:volume',
  region: 'us-east-1',
  resourceId: `vol-${findingId}`,
  name: null,
  monthlyCost,
  costBasis: 'gp3',
  ownMonthlyCost: monthlyCost,
  savings: monthlyCost,
  savingsBasis: 'gp3',
  unusedReason: 'Not attached to any instance',
  deleteOrder: 40,
  action: 'delete',
  actionLabel: 'Delete',
  actionRemoves: true,
  related: [],
  reviewed: { state: 'available', tags: {}, createdAt: null, unused: true, unusedReason: 'x', unusedSince: null, protected: false, protectedReason: null, details: { a: 1 } },
});

describeEachDialect('cleanup plans repo', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
  });

  const add = (id: string, accountId = A, createdAt = '2026-11-20T10:00:00.000Z') =>
    insertPlan(h.db, {
      id,
      accountId,
      createdAt,
      items: [item(1, 2.5), item(2, null)],
      refused: [{ findingId: 9, resourceType: null, region: null, resourceId: null, reason: 'Not a finding of this account' }],
      monthlySavings: 2.5,
      options: { snapshotVolumes: true },
    });

  it('stores and reads back a plan as plain data', async () => {
    const p = await add('plan-a');
    expect(p).toEqual({
      id: 'plan-a',
      accountId: A,
      createdAt: '2026-11-20T10:00:00.000Z',
      status: 'planned',
      items: [item(1, 2.5), item(2, null)],
      refused: [{ findingId: 9, resourceType: null, region: null, resourceId: null, reason: 'Not a finding of this account' }],
      monthlySavings: 2.5,
      unknownCostCount: 1,
      options: { snapshotVolumes: true },
      completedAt: null,
    });
    expect(await getPlan(h.db, 'plan-a', B)).toBeNull();
    expect(await getPlan(h.db, 'nope')).toBeNull();
  });

  it('claims a plan once: a second claim of the same plan fails', async () => {
    await add('plan-a');
    expect(await claimPlan(h.db, 'plan-a', ['planned', 'dry-run'])).toBe(true);
    expect(await claimPlan(h.db, 'plan-a', ['planned', 'dry-run'])).toBe(false);
    expect((await getPlan(h.db, 'plan-a'))?.status).toBe('running');
    expect(await transitionPlan(h.db, 'plan-a', ['running'], 'completed', '2026-11-20T11:00:00.000Z')).toBe(true);
    expect(await getPlan(h.db, 'plan-a')).toMatchObject({ status: 'completed', completedAt: '2026-11-20T11:00:00.000Z' });
    expect(await claimPlan(h.db, 'plan-a', [])).toBe(false);
  });

  it('lists an account\'s plans newest first, paged', async () => {
    await add('p1', A, '2026-11-01T00:00:00.000Z');
    await add('p2', A, '2026-11-03T00:00:00.000Z');
    await add('p3', B, '2026-11-04T00:00:00.000Z');
    await add('p4', A, '2026-11-02T00:00:00.000Z');
    expect((await listPlans(h.db, { accountId: A })).map((p) => p.id)).toEqual(['p2', 'p4', 'p1']);
    expect((await listPlans(h.db, { accountId: A, limit: 1, offset: 1 })).map((p) => p.id)).toEqual(['p4']);
  });

  it('marks plans left running as interrupted, and only those', async () => {
    await add('p1');
    await add('p2');
    await add('p3');
    await updatePlanStatus(h.db, 'p1', 'running');
    await updatePlanStatus(h.db, 'p3', 'completed', '2026-11-20T10:30:00.000Z');
    expect(await markRunningPlansInterrupted(h.db, '2026-11-21T00:00:00.000Z')).toEqual(['p1']);
    expect(await getPlan(h.db, 'p1')).toMatchObject({ status: 'interrupted', completedAt: '2026-11-21T00:00:00.000Z' });
    expect((await getPlan(h.db, 'p2'))?.status).toBe('planned');
    expect((await getPlan(h.db, 'p3'))?.status).toBe('completed');
  });
});
