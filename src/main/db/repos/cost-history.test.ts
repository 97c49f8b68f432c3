import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import { isSqlite, type AppDb } from '../store';
import { upsertAccount } from './accounts';
import { getCostHistory, getDailyCostTotals, upsertCostHistory, type CostHistoryInput } from './cost-history';
import { saveDiscoveredServices } from './services';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
function row(serviceId: number, date: string, costText: string, estimated = false): CostHistoryInput {
  return { serviceId, date, cost: Number(costText), costText, usageQuantity: 24, usageUnit: 'Hrs', estimated };
}

describeEachDialect('cost history', (store) => {
  let h: AppDb;
  let ec2: number;
  let vpc: number;
  let otherEc2: number;

  async function count(costText?: string): Promise<number> {
    let q = h.db.selectFrom('cost_history').select((eb) => eb.fn.countAll<number>().as('n'));
    if (costText !== undefined) q = q.where('cost_text', '=', costText);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  beforeEach(async () => {
    h = await store.open();
    for (const id of [ACCOUNT, OTHER]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
    const period = { start: '2026-03-01', end: '2026-03-04' };
    const ids = await saveDiscoveredServices(h, {
      accountId: ACCOUNT,
      period,
      services: [
        { code: 'AmazonEC2', displayName: 'Amazon Elastic Compute Cloud - Compute', category: 'Compute', periodCost: 3, periodCostText: '3' },
        { code: 'AmazonVPC', displayName: 'Amazon Virtual Private Cloud', category: 'Networking', periodCost: 0.36, periodCostText: '0.36' },
      ],
    });
    ec2 = ids.get('AmazonEC2') as number;
    vpc = ids.get('AmazonVPC') as number;
    otherEc2 = (
      await saveDiscoveredServices(h, {
        accountId: OTHER,
        period,
        services: [{ code: 'AmazonEC2', displayName: 'Amazon Elastic Compute Cloud - Compute', category: 'Compute', periodCost: 9, periodCostText: '9' }],
      })
    ).get('AmazonEC2') as number;
  });

  it('stores exact strings, numbers and the estimated flag; a re-run updates instead of duplicating', async () => {
    expect(await upsertCostHistory(h, [row(ec2, '2026-03-01', '1.0000000001'), row(ec2, '2026-03-02', '0.0000012345', true), row(vpc, '2026-03-01', '0.12')], '2026-03-03T00:00:00.000Z')).toBe(3);
    expect(await count()).toBe(3);
    await upsertCostHistory(h, [row(ec2, '2026-03-02', '0.0000012399', false), row(vpc, '2026-03-01', '0.13')], '2026-03-04T00:00:00.000Z');
    expect(await count()).toBe(3);
    const hist = await getCostHistory(h.db, { accountId: ACCOUNT, from: '2026-03-01', to: '2026-03-04' });
    expect(hist).toEqual([
      { serviceCode: 'AmazonEC2', displayName: 'Amazon Elastic Compute Cloud - Compute', date: '2026-03-01', cost: 1.0000000001, costText: '1.0000000001', usageQuantity: 24, usageUnit: 'Hrs', estimated: false },
      { serviceCode: 'AmazonVPC', displayName: 'Amazon Virtual Private Cloud', date: '2026-03-01', cost: 0.13, costText: '0.13', usageQuantity: 24, usageUnit: 'Hrs', estimated: false },
      { serviceCode: 'AmazonEC2', displayName: 'Amazon Elastic Compute Cloud - Compute', date: '2026-03-02', cost: 0.0000012399, costText: '0.0000012399', usageQuantity: 24, usageUnit: 'Hrs', estimated: false },
    ]);
    expect(
      await h.db.selectFrom('cost_history').select('updated_at').where('service_id', '=', vpc).where('date', '=', '2026-03-01').executeTakeFirst(),
    ).toEqual({ updated_at: '2026-03-04T00:00:00.000Z' });
  });

  it('filters by account, service codes and a [from, to) range', async () => {
    await upsertCostHistory(h, [
      row(ec2, '2026-02-28', '5'),
      row(ec2, '2026-03-01', '1'),
      row(vpc, '2026-03-01', '0.12'),
      row(ec2, '2026-03-03', '1'),
      row(otherEc2, '2026-03-01', '9'),
    ]);
    const q = { accountId: ACCOUNT, from: '2026-03-01', to: '2026-03-03' };
    expect((await getCostHistory(h.db, q)).map((p) => `${p.serviceCode}@${p.date}`)).toEqual(['AmazonEC2@2026-03-01', 'AmazonVPC@2026-03-01']);
    expect((await getCostHistory(h.db, { ...q, serviceCodes: ['AmazonVPC'] })).map((p) => p.costText)).toEqual(['0.12']);
    expect(await getCostHistory(h.db, { ...q, serviceCodes: [] })).toEqual([]);
    await expect(getCostHistory(h.db, { ...q, from: '1 March' })).rejects.toMatchObject({ code: 'validation' });
  });

  it('totals each day across services exactly, with the estimated flag', async () => {
    await upsertCostHistory(h, [
      row(ec2, '2026-03-01', '0.1'),
      row(vpc, '2026-03-01', '0.2'),
      row(ec2, '2026-03-02', '0.0000012345', true),
      row(vpc, '2026-03-02', '0.0000000001'),
      row(otherEc2, '2026-03-02', '100'),
    ]);
    const totals = await getDailyCostTotals(h.db, { accountId: ACCOUNT, from: '2026-03-01', to: '2026-03-04' });
    expect(totals).toEqual([
      { date: '2026-03-01', cost: 0.3, costText: '0.3', estimated: false, services: 2 },
      { date: '2026-03-02', cost: 0.0000012346, costText: '0.0000012346', estimated: true, services: 2 },
    ]);
    expect(await getDailyCostTotals(h.db, { accountId: ACCOUNT, serviceCodes: ['AmazonEC2'], from: '2026-03-02', to: '2026-03-03' })).toEqual([
      { date: '2026-03-02', cost: 0.0000012345, costText: '0.0000012345', estimated: true, services: 1 },
    ]);
  });

  it('writes a 13-month × 100-service history in one transaction, and re-writes it without new rows', async () => {
    const services = Array.from({ length: 100 }, (_, i) => ({ code: `ce:s${i}`, displayName: `S${i}`, category: 'Other', periodCost: 1, periodCostText: '1' }));
    const ids = [...(await saveDiscoveredServices(h, { accountId: ACCOUNT, period: { start: '2025-02-01', end: '2026-03-01' }, services })).values()];
    const days = Array.from({ length: 395 }, (_, d) => new Date(Date.UTC(2025, 1, 1 + d)).toISOString().slice(0, 10));
    const rows = function* (v: string) {
      for (const id of ids) for (const d of days) yield row(id, d, v);
    };
    const before = await count();
    expect(await upsertCostHistory(h, rows('0.01'))).toBe(39_500);
    expect(await count()).toBe(before + 39_500);
    await upsertCostHistory(h, rows('0.02'));
    expect(await count()).toBe(before + 39_500);
    expect(await count('0.02')).toBe(39_500);
  });

  it('rolls back a failed batch entirely', async () => {
    await expect(upsertCostHistory(h, [row(ec2, '2026-03-01', '1'), row(424242, '2026-03-01', '1')])).rejects.toThrow();
    expect(await count()).toBe(0);
  });

  it('takes the last of a (service, date) given twice, and counts the rows as given', async () => {
    expect(await upsertCostHistory(h, [row(ec2, '2026-03-01', '1'), row(vpc, '2026-03-01', '2'), row(ec2, '2026-03-01', '3', true)])).toBe(3);
    expect(await count()).toBe(2);
    expect((await getCostHistory(h.db, { accountId: ACCOUNT, serviceCodes: ['AmazonEC2'], from: '2026-03-01', to: '2026-03-02' }))[0]).toMatchObject({
      costText: '3',
      estimated: true,
    });
  });

  it('writes in batches through a kysely transaction; a failure in a later batch rolls back the earlier ones', async () => {
    const days = Array.from({ length: 4500 }, (_, d) => new Date(Date.UTC(2014, 0, 1 + d)).toISOString().slice(0, 10));
    const good = days.map((d) => row(ec2, d, '0.5'));
    await expect(h.db.transaction().execute((trx) => upsertCostHistory(trx, [...good, row(424242, '2026-03-01', '1')]))).rejects.toThrow();
    expect(await count()).toBe(0);
    expect(await h.db.transaction().execute((trx) => upsertCostHistory(trx, good, '2026-03-05T00:00:00.000Z'))).toBe(4500);
    expect(await upsertCostHistory(h.db, [row(ec2, days[4499]!, '0.75')])).toBe(1);
    expect(await count()).toBe(4500);
    expect(await count('0.75')).toBe(1);
    const totals = await getDailyCostTotals(h.db, { accountId: ACCOUNT, from: '2014-01-01', to: '2030-01-01' });
    expect(totals).toHaveLength(4500);
    expect(totals.at(-1)).toMatchObject({ date: days[4499], costText: '0.75', services: 1 });
  });

  store.only('sqlite')('keeps the raw SQLite fast path, synchronous, for a caller that composes it in its own transaction', async () => {
    const local = h;
    if (!isSqlite(local)) throw new Error('an SQLite store was expected');
    expect(upsertCostHistory(local.sqlite, [row(ec2, '2026-03-01', '1')])).toBe(1);
    expect(() => upsertCostHistory(local.sqlite, [row(vpc, '2026-03-01', '1'), row(424242, '2026-03-01', '1')])).toThrow();
    expect(await count()).toBe(1);
  });
});
