import { beforeEach, describe, expect, it } from 'vitest';
import type { PartDto } from '../../../shared/dto/findings';
import { upsertCostHistory } from './cost-history';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { insertPlan, updatePlanStatus, type PlanItemDto } from './cleanup-plans';
import { auditComplete, auditPending } from './deletions';
import { listDeletionPlans } from './deletion-plans';
import { savingsByService, savingsRealised, verdictOf } from './savings-realised';

const A = '111122223333';
const B = '444455556666';
const MONTH = 730 / 24;

const SERVICE_OF: Record<string, string> = { 'ec2:volume': 'AmazonEC2Other', 'ec2:snapshot': 'AmazonEC2Other', 'ec2:elastic-ip': 'AmazonVPC', 'ec2:instance': 'AmazonEC2' };
const billingServiceOf = (t: string): string | undefined => SERVICE_OF[t];

const part = (resourceType: string, resourceId: string, fate: 'deleted' | 'kept', monthlyCost: number | null, extra: Partial<PartDto> = {}): PartDto => ({
  resourceType, resourceId, fate, note: '', monthlyCost, costBasis: '', tags: {}, protected: false, protectedReason: null, addable: false, ...extra,
});

const item = (findingId: number, resourceType: string, resourceId: string, savings: number | null, o: Partial<PlanItemDto> = {}): PlanItemDto => ({
  findingId, resourceType, region: 'us-east-1', resourceId, name: null, monthlyCost: savings, costBasis: '', ownMonthlyCost: savings, savings, savingsBasis: '',
  unusedReason: null, deleteOrder: 40, action: 'delete', actionLabel: 'Delete', actionRemoves: true, related: [],
  reviewed: { state: null, tags: {}, createdAt: null, unused: true, unusedReason: null, unusedSince: null, protected: false, protectedReason: null, details: {} },
  ...o,
});

const day = (start: string, n: number): string => new Date(Date.parse(`${start}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const flat = (n: number, v: number): number[] => Array.from({ length: n }, () => v);
const round = (n: number): number => Math.round(n * 100) / 100;

describe('savings by service of one item', () => {
  it('its own cost under its kind, removed parts under theirs, a created safety snapshot subtracted', () => {
    const inst = item(1, 'ec2:instance', 'i-1', 12.5, {
      ownMonthlyCost: 0,
      related: [part('ec2:volume', 'vol-root', 'deleted', 10), part('ec2:elastic-ip', 'eip-1', 'deleted', 3.65), part('ec2:volume', 'vol-data', 'kept', 40), part('ec2:snapshot', 'snap-new', 'kept', 1.15, { created: true })],
    });
    expect(Object.fromEntries(savingsByService(inst, billingServiceOf) ?? [])).toEqual({ AmazonEC2Other: 8.85, AmazonVPC: 3.65 });
  });

  it('a split that does not add up (a stop) goes whole to the kind; unknown stays unknown', () => {
    expect(Object.fromEntries(savingsByService(item(1, 'ec2:instance', 'i-1', 30, { ownMonthlyCost: 45 }), billingServiceOf) ?? [])).toEqual({ AmazonEC2: 30 });
    expect(savingsByService(item(2, 'ec2:volume', 'vol-2', null), billingServiceOf)).toBeNull();
    expect(savingsByService(item(3, 'made:up', 'x', 5), billingServiceOf)).toBeNull();
  });
});

describe('the verdict', () => {
  it('needs history before, and enough days after', () => {
    expect(verdictOf({ expectedMonthly: 30, before: null, after: [1, 1, 1] }).verdict).toBe('no-history');
    expect(verdictOf({ expectedMonthly: 30, before: flat(7, 10), after: [] }).verdict).toBe('waiting');
    expect(verdictOf({ expectedMonthly: 30, before: flat(7, 10), after: [9, 9] })).toEqual({ verdict: 'waiting', observedMonthly: Math.round(MONTH * 100) / 100, dailyNoise: 0 });
  });

  it('a saving within the day-to-day change cannot be confirmed, even when the bill fell', () => {
    const noisy = [100, 104, 96, 101, 99, 103, 97];
    // $5/month is $0.16 a day against ±$3 a day.
    expect(verdictOf({ expectedMonthly: 5, before: noisy, after: [90, 91, 92] }).verdict).toBe('too-small');
  });
});

describeEachDialect('savings realised', (store) => {
  let h: AppDb;
  let ids: Map<string, number>;

  beforeEach(async () => {
    h = await store.open();
    for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
    // The services a discovery of account A stored (services.ts saveDiscoveredServices), code → id.
    const services = [
      { code: 'AmazonEC2Other', display_name: 'EC2 - Other', category: 'Compute' },
      { code: 'AmazonVPC', display_name: 'Amazon Virtual Private Cloud', category: 'Networking' },
      { code: 'AmazonEC2', display_name: 'Amazon Elastic Compute Cloud - Compute', category: 'Compute' },
    ];
    const now = '2026-12-01T00:00:00.000Z';
    const rows = await h.db
      .insertInto('services')
      .values(services.map((s) => ({ account_id: A, ...s, active: 1, period_cost: 1, period_start: '2026-11-01', period_end: '2026-12-01', first_seen: now, last_seen: now, metadata: JSON.stringify({ periodCostText: '1' }) })))
      .returning(['id', 'code'])
      .execute();
    ids = new Map(rows.map((r) => [r.code, r.id]));
  });

  /** A plan executed at `at`: each item's delete call with its outcome. */
  async function executed(planId: string, at: string, items: { it: PlanItemDto; ok: boolean }[], accountId = A): Promise<void> {
    await insertPlan(h.db, { id: planId, accountId, createdAt: at, items: items.map((x) => x.it), refused: [], monthlySavings: 0, options: { snapshotVolumes: false } });
    for (const { it, ok } of items) {
      const id = await auditPending(h, { accountId, planId, resourcePk: null, resourceType: it.resourceType, region: it.region, resourceId: it.resourceId, action: 'Delete', target: it.resourceId, dryRun: false }, at);
      await auditComplete(h, id, ok ? { outcome: 'succeeded', details: { planAction: 'delete' } } : { outcome: 'failed', errorCode: 'X', errorMessage: 'no' }, at);
    }
    await updatePlanStatus(h.db, planId, 'completed', at);
  }

  /** Daily costs of one service from `start`, one per element; `null` = no row that day. */
  async function costs(code: string, start: string, daily: (number | null)[], estimatedLast = 0, writtenAt = '2026-12-20T08:00:00.000Z'): Promise<void> {
    const serviceId = ids.get(code) as number;
    const rows = daily.flatMap((c, i) =>
      c === null ? [] : [{ serviceId, date: day(start, i), cost: c, costText: String(c), usageQuantity: null, usageUnit: null, estimated: i >= daily.length - estimatedLast }],
    );
    if (rows.length === 0) return;
    // As the Cost Explorer refresh writes them: a day written again is replaced.
    await upsertCostHistory(h, rows, writtenAt);
  }

  it('nothing before any cleanup; a dry run or a failed item is not a saving', async () => {
    expect(await savingsRealised(h.db, { accountId: A, billingServiceOf })).toMatchObject({ since: null, cleanups: [], measurements: [], expectedMonthly: 0, history: { lastDay: null } });
    await executed('p-failed', '2026-12-05T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 60), ok: false }]);
    expect((await savingsRealised(h.db, { accountId: A, billingServiceOf })).cleanups).toEqual([]);
  });

  it('confirms the expected saving when the bill drops by it from the day after the cleanup', async () => {
    // Expected: $60.83/month = $2 a day off EC2 - Other; one item failed (not counted); an Elastic IP $3.65/month.
    await executed('p1', '2026-12-05T10:00:00.000Z', [
      { it: item(1, 'ec2:volume', 'vol-1', 60.83), ok: true },
      { it: item(2, 'ec2:volume', 'vol-2', 100), ok: false },
      { it: item(3, 'ec2:elastic-ip', 'eip-3', 3.65), ok: true },
    ]);
    await costs('AmazonEC2Other', '2026-11-28', [...flat(7, 50), 49, ...flat(5, 48)], 2); // 28 Nov … 10 Dec
    await costs('AmazonVPC', '2026-11-28', [...flat(7, 1.32), 1.26, ...flat(5, 1.2)], 2);
    const r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    expect(r.since).toBe('2026-12-05T10:00:00.000Z');
    expect(r.cleanups).toEqual([{ planId: 'p1', executedAt: '2026-12-05T10:00:00.000Z', doneCount: 2, expectedMonthly: 64.48, unknownCount: 0, serviceCodes: ['AmazonEC2Other', 'AmazonVPC'] }]);
    const ebs = r.measurements.find((m) => m.serviceCode === 'AmazonEC2Other');
    expect(ebs).toMatchObject({
      displayName: 'EC2 - Other',
      planIds: ['p1'],
      cleanupDay: '2026-12-05',
      expectedMonthly: 60.83,
      before: { from: '2026-11-28', to: '2026-12-04', days: 7, estimatedDays: 0, dailyAverage: 50 },
      after: { from: '2026-12-06', to: '2026-12-10', days: 5, estimatedDays: 2, dailyAverage: 48 },
      observedMonthly: Math.round(2 * MONTH * 100) / 100,
      verdict: 'confirmed',
    });
    // The picture: both windows and the cleanup day between them.
    expect(ebs?.series.map((p) => p.date)).toEqual(Array.from({ length: 13 }, (_, i) => day('2026-11-28', i)));
    expect(r.measurements.find((m) => m.serviceCode === 'AmazonVPC')?.verdict).toBe('confirmed');
    expect(r).toMatchObject({ expectedMonthly: 64.48, confirmedExpectedMonthly: 64.48, confirmedFrom: '2026-12-06', history: { lastDay: '2026-12-10', refreshedAt: '2026-12-20T08:00:00.000Z' }, minAfterDays: 3 });
    // Another account sees none of it.
    expect((await savingsRealised(h.db, { accountId: B, billingServiceOf })).cleanups).toEqual([]);
  });

  it('says "not yet" with too few days after, and "did not drop" when other usage grew', async () => {
    await executed('p1', '2026-12-05T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 60.83), ok: true }, { it: item(2, 'ec2:elastic-ip', 'eip-2', 3.65), ok: true }]);
    await costs('AmazonEC2Other', '2026-11-28', [...flat(7, 50), 50, 48, 48]); // two days after
    await costs('AmazonVPC', '2026-11-28', [...flat(7, 1.32), 1.32, 1.32, 1.32]);
    let r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    expect(r.measurements.map((m) => [m.serviceCode, m.verdict, m.after?.days])).toEqual([
      ['AmazonEC2Other', 'waiting', 2],
      ['AmazonVPC', 'waiting', 2],
    ]);
    expect(r.confirmedFrom).toBeNull();
    await costs('AmazonEC2Other', '2026-12-08', [53, 54]); // usage grew: the bill is above where it was
    await costs('AmazonVPC', '2026-12-08', [1.32, 1.32]);
    r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    expect(r.measurements.map((m) => [m.serviceCode, m.verdict])).toEqual([
      ['AmazonEC2Other', 'not-dropped'],
      ['AmazonVPC', 'not-dropped'],
    ]);
    expect(r.confirmedExpectedMonthly).toBe(0);
  });

  it('a drop of less than half the expected is partly; unknown savings are counted, never priced', async () => {
    await executed('p1', '2026-12-05T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 60.83), ok: true }, { it: item(2, 'ec2:volume', 'vol-2', null), ok: true }]);
    await executed('p2', '2026-12-05T11:00:00.000Z', [{ it: item(3, 'ec2:elastic-ip', 'eip-3', null), ok: true }]);
    await costs('AmazonEC2Other', '2026-11-28', [...flat(7, 50), 50, ...flat(4, 49.5)]);
    await costs('AmazonVPC', '2026-11-28', [...flat(7, 1.32), 1.3, ...flat(4, 1.2)]);
    const r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    expect(r.unknownCount).toBe(2);
    expect(r.expectedMonthly).toBe(60.83);
    const ebs = r.measurements.find((m) => m.serviceCode === 'AmazonEC2Other');
    expect(ebs).toMatchObject({ verdict: 'partly', expectedMonthly: 60.83, unknownCount: 1 });
    // Nothing priced for the Elastic IP: the bill's change is shown, but confirms nothing.
    expect(r.measurements.find((m) => m.serviceCode === 'AmazonVPC')).toMatchObject({ verdict: 'unknown-expected', expectedMonthly: null, unknownCount: 1, observedMonthly: Math.round(0.12 * MONTH * 100) / 100 });
  });

  it('cleanups of one service days apart are measured each against its own before; too close, together', async () => {
    await executed('p1', '2026-12-02T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 30.42), ok: true }]); // $1 a day
    await executed('p2', '2026-12-08T10:00:00.000Z', [{ it: item(2, 'ec2:volume', 'vol-2', 60.83), ok: true }]); // $2 a day
    await executed('p3', '2026-12-09T10:00:00.000Z', [{ it: item(3, 'ec2:volume', 'vol-3', 30.42), ok: true }]); // $1 a day
    // 25 Nov … 14 Dec: 50 until the 2nd, 49 until the 8th, 47 on the 9th, 46 after.
    await costs('AmazonEC2Other', '2026-11-25', [...flat(7, 50), 49.5, ...flat(5, 49), 48, 47, ...flat(5, 46)]);
    const r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    // The second's before is after the first cleanup (3 … 7 Dec at 49): the first's $1 a day is not counted again.
    expect(r.measurements.map((m) => ({ plans: m.planIds, before: m.before && [m.before.from, m.before.to], after: m.after && [m.after.from, m.after.to], v: m.verdict, exp: m.expectedMonthly, obs: m.observedMonthly }))).toEqual([
      { plans: ['p1'], before: ['2026-11-25', '2026-12-01'], after: ['2026-12-03', '2026-12-07'], v: 'confirmed', exp: 30.42, obs: Math.round(1 * MONTH * 100) / 100 },
      { plans: ['p2', 'p3'], before: ['2026-12-03', '2026-12-07'], after: ['2026-12-10', '2026-12-14'], v: 'confirmed', exp: 91.25, obs: Math.round(3 * MONTH * 100) / 100 },
    ]);
    expect(r.confirmedFrom).toBe('2026-12-10');
    expect(r.cleanups.map((c) => c.planId)).toEqual(['p1', 'p2', 'p3']);
  });

  it('a later cleanup of the service 4 days after another is measured after it, never against the cost before it', async () => {
    // A on the 10th removes $10 a day; B on the 14th $1 a day. The bill: 20 a day, 15 on the 10th, 10 until the 14th, 9 after.
    await executed('pA', '2026-12-10T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-a', round(10 * MONTH)), ok: true }]);
    await executed('pB', '2026-12-14T10:00:00.000Z', [{ it: item(2, 'ec2:volume', 'vol-b', round(MONTH)), ok: true }]);
    await costs('AmazonEC2Other', '2026-12-03', [...flat(7, 20), 15, ...flat(3, 10), 9.5, ...flat(4, 9)]); // 3 … 18 Dec
    const r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    expect(r.measurements.map((m) => [m.planIds, m.before && [m.before.from, m.before.days, m.before.dailyAverage], m.verdict, m.observedMonthly])).toEqual([
      [['pA'], ['2026-12-03', 7, 20], 'confirmed', round(10 * MONTH)],
      [['pB'], ['2026-12-11', 3, 10], 'confirmed', round(MONTH)], // not ≈ $5.3 a day from the days before A
    ]);
    expect(r.confirmedObservedMonthly).toBe(round(round(10 * MONTH) + round(MONTH)));
  });

  it('too few days between two cleanups of the service to compare with: no verdict, the window shown', async () => {
    await executed('pA', '2026-12-10T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-a', round(10 * MONTH)), ok: true }]);
    await executed('pB', '2026-12-14T10:00:00.000Z', [{ it: item(2, 'ec2:volume', 'vol-b', round(MONTH)), ok: true }]);
    // No row on the 12th (no service billed that day): 11 and 13 Dec only between the two cleanups.
    await costs('AmazonEC2Other', '2026-12-03', [...flat(7, 20), 15, 10, null, 10, 9.5, ...flat(4, 9)]);
    const b = (await savingsRealised(h.db, { accountId: A, billingServiceOf })).measurements.find((m) => m.planIds[0] === 'pB');
    expect(b).toMatchObject({ verdict: 'no-history', observedMonthly: null, before: { from: '2026-12-11', to: '2026-12-13', days: 2 }, after: { days: 4 } });
  });

  it('the latest day of a refresh is partial: not counted toward the days after or the average, still in the picture', async () => {
    await executed('p1', '2026-12-05T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 60.83), ok: true }]); // $2 a day
    // Refreshed on the 9th at 06:00: the 8th (yesterday, $20 so far) is partial; the 7th ended 30 hours before.
    await costs('AmazonEC2Other', '2026-11-28', [...flat(7, 50), 49, 50, 50, 20], 2, '2026-12-09T06:00:00.000Z');
    let m = (await savingsRealised(h.db, { accountId: A, billingServiceOf })).measurements[0];
    expect(m).toMatchObject({ verdict: 'waiting', after: { from: '2026-12-06', to: '2026-12-07', days: 2, estimatedDays: 1, dailyAverage: 50 } });
    expect(m?.series.at(-1)).toEqual({ date: '2026-12-08', cost: 20, estimated: true });
    // A day later the 8th is complete, the 9th partial: three full days, and the bill fell by $2 a day.
    await costs('AmazonEC2Other', '2026-12-06', [48, 48, 48, 10], 2, '2026-12-10T06:00:00.000Z');
    m = (await savingsRealised(h.db, { accountId: A, billingServiceOf })).measurements[0];
    expect(m).toMatchObject({ verdict: 'confirmed', after: { from: '2026-12-06', to: '2026-12-08', days: 3, dailyAverage: 48 }, observedMonthly: round(2 * MONTH) });
    expect(m?.series.map((p) => p.date).at(-1)).toBe('2026-12-09');
  });

  it('a partial day before the cleanup (a refresh on the cleanup day) is not in the before average', async () => {
    await executed('p1', '2026-12-05T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 60.83), ok: true }]);
    await costs('AmazonEC2Other', '2026-11-27', [...flat(7, 50), 5], 0, '2026-12-05T08:00:00.000Z'); // the 4th: $5 so far
    await costs('AmazonEC2Other', '2026-12-06', flat(4, 48), 0, '2026-12-20T08:00:00.000Z');
    const m = (await savingsRealised(h.db, { accountId: A, billingServiceOf })).measurements[0];
    expect(m).toMatchObject({ verdict: 'confirmed', before: { from: '2026-11-28', to: '2026-12-03', days: 6, dailyAverage: 50 }, observedMonthly: round(2 * MONTH) });
  });

  it('done as the history counts it: a retry that succeeded is done, a dry run is not', async () => {
    await executed('p1', '2026-12-05T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 10), ok: false }, { it: item(2, 'ec2:volume', 'vol-2', 5), ok: true }]);
    const retry = await auditPending(h, { accountId: A, planId: 'p1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-1', action: 'Delete', target: 'vol-1', dryRun: false }, '2026-12-05T11:00:00.000Z');
    await auditComplete(h, retry, { outcome: 'succeeded', details: { planAction: 'delete' } }, '2026-12-05T11:00:00.000Z');
    const dry = await auditPending(h, { accountId: A, planId: 'p1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-3', action: 'Delete', target: 'vol-3', dryRun: true }, '2026-12-05T09:00:00.000Z');
    await auditComplete(h, dry, { outcome: 'dry-run-ok' }, '2026-12-05T09:00:00.000Z');
    const r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    expect(r.cleanups).toMatchObject([{ planId: 'p1', executedAt: '2026-12-05T11:00:00.000Z', doneCount: 2, expectedMonthly: 15 }]);
    expect((await listDeletionPlans(h.db, { accountId: A })).rows[0]?.counts.done).toBe(2);
  });

  it('a service with no stored costs before the cleanup has no history to compare with', async () => {
    await executed('p1', '2026-12-05T10:00:00.000Z', [{ it: item(1, 'ec2:volume', 'vol-1', 60.83), ok: true }]);
    await costs('AmazonVPC', '2026-11-28', flat(13, 1.32));
    const r = await savingsRealised(h.db, { accountId: A, billingServiceOf });
    expect(r.measurements).toMatchObject([{ serviceCode: 'AmazonEC2Other', verdict: 'no-history', before: null, observedMonthly: null }]);
  });
});
