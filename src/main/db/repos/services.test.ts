import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import { isSqlite, type AppDb } from '../store';
import { upsertAccount } from './accounts';
import { upsertCostHistory } from './cost-history';
import { builtinRegistry } from '../../app/account-session';
import { coverageOf } from '../../handlers/registry';
import { getServiceByCode, listServices, reconcile, saveDiscoveredServices, type DiscoveredService } from './services';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
const P1 = { start: '2026-02-13', end: '2026-03-15' };
const P2 = { start: '2026-02-14', end: '2026-03-16' };

function svc(code: string, displayName: string, category: string, cost: string): DiscoveredService {
  return { code, displayName, category, periodCost: Number(cost), periodCostText: cost };
}

describeEachDialect('services repo', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    for (const id of [ACCOUNT, OTHER]) {
      await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: 'default' }, '2026-03-01T00:00:00.000Z');
    }
  });

  async function count(table: 'services' | 'cost_history', serviceId?: number): Promise<number> {
    let q = h.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    if (serviceId !== undefined) q = q.where('service_id' as never, '=', serviceId as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async function finding(id: string, unused: boolean, costByService: unknown, status: 'active' | 'gone' = 'active'): Promise<void> {
    await h.db
      .insertInto('resources')
      .values({
        account_id: ACCOUNT,
        resource_type: 'ec2:instance',
        region: 'us-east-1',
        resource_id: id,
        service_code: 'AmazonEC2',
        unused: unused ? 1 : 0,
        details: JSON.stringify({ costByService }),
        status,
        first_seen: 'x',
        last_seen: 'x',
      })
      .execute();
  }

  async function metadata(accountId: string, code: string): Promise<unknown> {
    const row = await h.db.selectFrom('services').select('metadata').where('account_id', '=', accountId).where('code', '=', code).executeTakeFirstOrThrow();
    return JSON.parse(row.metadata);
  }

  it('upserts per (account, code) with active flag, period and handler coverage', async () => {
    const ids = await saveDiscoveredServices(h, {
      accountId: ACCOUNT,
      period: P1,
      now: '2026-03-15T10:00:00.000Z',
      services: [
        svc('AmazonEC2Other', 'EC2 - Other', 'Compute', '241.0000000123'),
        svc('AmazonVPC', 'Amazon Virtual Private Cloud', 'Networking', '3.6'),
        svc('awskms', 'AWS Key Management Service', 'Security', '0.000037035'),
        svc('ce:amazon-quantum', 'Amazon Quantum', 'Other', '0.01'),
      ],
    });
    expect(ids.size).toBe(4);
    // Coverage comes from the kinds (the registry), passed in: the repository knows no kind itself.
    const list = await listServices(h.db, { accountId: ACCOUNT, coverage: coverageOf(builtinRegistry()) });
    expect(list.map((s) => s.code)).toEqual(['AmazonEC2Other', 'AmazonVPC', 'ce:amazon-quantum', 'awskms']);
    expect(list[0]).toMatchObject({
      id: ids.get('AmazonEC2Other'),
      accountId: ACCOUNT,
      displayName: 'EC2 - Other',
      category: 'Compute',
      active: true,
      periodCost: 241.0000000123,
      periodCostText: '241.0000000123',
      periodStart: P1.start,
      periodEnd: P1.end,
      firstSeen: '2026-03-15T10:00:00.000Z',
      lastSeen: '2026-03-15T10:00:00.000Z',
      covered: true,
    });
    expect(list[0]?.handlerTypes.sort()).toEqual(['ec2:elastic-ip', 'ec2:image', 'ec2:instance', 'ec2:nat-gateway', 'ec2:snapshot', 'ec2:volume']);
    expect(list[1]).toMatchObject({ handlerTypes: ['ec2:vpc-endpoint', 'ec2:elastic-ip'], covered: true });
    // Exactly the minimum counts as active; below it does not.
    expect(list[2]).toMatchObject({ active: true, covered: false, handlerTypes: [] });
    expect(list[3]).toMatchObject({ active: false, periodCostText: '0.000037035' });
    expect((await listServices(h.db, { accountId: ACCOUNT, activeOnly: true })).map((s) => s.code)).toEqual(['AmazonEC2Other', 'AmazonVPC', 'ce:amazon-quantum']);
    expect(await listServices(h.db, { accountId: OTHER })).toEqual([]);
  });

  it('keeps first seen and ids, retires services missing from the next result, and keeps their history', async () => {
    const first = await saveDiscoveredServices(h, {
      accountId: ACCOUNT,
      period: P1,
      now: '2026-03-15T10:00:00.000Z',
      services: [svc('AmazonS3', 'Amazon Simple Storage Service', 'Storage', '5'), svc('AmazonRDS', 'Amazon Relational Database Service', 'Database', '100')],
    });
    const rdsId = first.get('AmazonRDS') as number;
    await upsertCostHistory(h, [{ serviceId: rdsId, date: '2026-03-01', cost: 100, costText: '100', usageQuantity: null, usageUnit: null, estimated: false }]);
    await saveDiscoveredServices(h, { accountId: OTHER, period: P1, services: [svc('AmazonRDS', 'Amazon Relational Database Service', 'Database', '7')] });

    const second = await saveDiscoveredServices(h, {
      accountId: ACCOUNT,
      period: P2,
      now: '2026-03-16T10:00:00.000Z',
      minCost: 1,
      services: [svc('AmazonS3', 'Amazon Simple Storage Service', 'Storage', '0.5')],
    });
    expect(second.get('AmazonS3')).toBe(first.get('AmazonS3'));
    const s3 = await getServiceByCode(h.db, ACCOUNT, 'AmazonS3');
    expect(s3).toMatchObject({ active: false, periodCost: 0.5, firstSeen: '2026-03-15T10:00:00.000Z', lastSeen: '2026-03-16T10:00:00.000Z', periodStart: P2.start });
    const rds = await getServiceByCode(h.db, ACCOUNT, 'AmazonRDS');
    expect(rds).toMatchObject({ id: rdsId, active: false, periodCost: 0, periodCostText: '0', periodStart: P2.start, periodEnd: P2.end, lastSeen: '2026-03-15T10:00:00.000Z' });
    expect(await count('cost_history', rdsId)).toBe(1);
    // The other account's service is untouched.
    expect(await getServiceByCode(h.db, OTHER, 'AmazonRDS')).toMatchObject({ active: true, periodCost: 7 });
  });

  it('sorts by name, category and last seen', async () => {
    await saveDiscoveredServices(h, {
      accountId: ACCOUNT,
      period: P1,
      services: [svc('b', 'Bravo', 'Storage', '1'), svc('a', 'Alpha', 'Storage', '3'), svc('c', 'Charlie', 'Compute', '2')],
    });
    expect((await listServices(h.db, { accountId: ACCOUNT, sort: 'name' })).map((s) => s.code)).toEqual(['a', 'b', 'c']);
    expect((await listServices(h.db, { accountId: ACCOUNT, sort: 'category' })).map((s) => s.code)).toEqual(['c', 'a', 'b']);
    expect((await listServices(h.db, { accountId: ACCOUNT, sort: 'cost' })).map((s) => s.code)).toEqual(['a', 'c', 'b']);
    expect(await listServices(h.db, { accountId: ACCOUNT, sort: 'lastSeen' })).toHaveLength(3);
  });

  it('writes all or nothing', async () => {
    await expect(
      saveDiscoveredServices(h, {
        accountId: ACCOUNT,
        period: P1,
        // The second row breaks NOT NULL on category: the first must not stay behind.
        services: [svc('a', 'Alpha', 'Storage', '1'), { ...svc('b', 'Bravo', 'Storage', '1'), category: null as unknown as string }],
      }),
    ).rejects.toThrow();
    expect(await count('services')).toBe(0);
  });

  it('merges metadata as json_patch does: new keys replace old ones, a null removes its key, others stay', async () => {
    const save = (metadata: Record<string, unknown>, cost = '2') =>
      saveDiscoveredServices(h, { accountId: ACCOUNT, period: P1, services: [{ ...svc('AmazonS3', 'S3', 'Storage', cost), metadata }] });
    await save({ known: true, currency: 'USD', usageUnit: 'GB-Mo', region: 'us-east-1' });
    expect(await metadata(ACCOUNT, 'AmazonS3')).toEqual({ known: true, currency: 'USD', usageUnit: 'GB-Mo', region: 'us-east-1', periodCostText: '2' });
    await save({ known: false, usageUnit: null }, '3.5');
    expect(await metadata(ACCOUNT, 'AmazonS3')).toEqual({ known: false, currency: 'USD', region: 'us-east-1', periodCostText: '3.5' });
    // Retired: the text says 0, the rest stays.
    await saveDiscoveredServices(h, { accountId: ACCOUNT, period: P2, services: [] });
    expect(await metadata(ACCOUNT, 'AmazonS3')).toEqual({ known: false, currency: 'USD', region: 'us-east-1', periodCostText: '0' });
    expect(await getServiceByCode(h.db, ACCOUNT, 'AmazonS3')).toMatchObject({ active: false, periodCost: 0, periodCostText: '0', periodStart: P2.start });
  });

  it('takes the last of a code given twice in one result', async () => {
    const ids = await saveDiscoveredServices(h, {
      accountId: ACCOUNT,
      period: P1,
      services: [svc('AmazonEC2', 'First', 'Compute', '1'), svc('AmazonVPC', 'VPC', 'Networking', '2'), svc('AmazonEC2', 'Second', 'Compute', '5')],
    });
    expect([...ids.keys()]).toEqual(['AmazonEC2', 'AmazonVPC']);
    expect(await getServiceByCode(h.db, ACCOUNT, 'AmazonEC2')).toMatchObject({ id: ids.get('AmazonEC2'), displayName: 'Second', periodCost: 5 });
    expect(await count('services')).toBe(2);
  });

  it('writes the same through a kysely transaction (the batched path) as through the store, many services at once', async () => {
    const services = Array.from({ length: 1203 }, (_, i) => svc(`ce:s${String(i).padStart(4, '0')}`, `S${i}`, 'Other', String(i / 100)));
    const ids = await h.db.transaction().execute((trx) => saveDiscoveredServices(trx, { accountId: ACCOUNT, period: P1, now: '2026-03-15T10:00:00.000Z', services }));
    expect(ids.size).toBe(1203);
    expect(new Set(ids.values()).size).toBe(1203);
    const list = await listServices(h.db, { accountId: ACCOUNT, sort: 'name' });
    expect(list).toHaveLength(1203);
    for (const s of list) expect(s.id).toBe(ids.get(s.code));
    expect(list.find((s) => s.code === 'ce:s0000')).toMatchObject({ active: false, periodCost: 0, periodCostText: '0' });
    expect(list.find((s) => s.code === 'ce:s1202')).toMatchObject({ active: true, periodCost: 12.02, periodCostText: '12.02', firstSeen: '2026-03-15T10:00:00.000Z' });
    // Again with half of them: the same ids, the other half retired.
    const again = await saveDiscoveredServices(h.db, { accountId: ACCOUNT, period: P2, services: services.slice(0, 600) });
    for (const [code, id] of again) expect(id).toBe(ids.get(code));
    expect(await listServices(h.db, { accountId: ACCOUNT, activeOnly: true })).toHaveLength(599);
    expect((await getServiceByCode(h.db, ACCOUNT, 'ce:s0900'))).toMatchObject({ active: false, periodCostText: '0', periodStart: P2.start });
  });

  store.only('sqlite')('keeps the raw SQLite fast path for a caller that composes it in its own transaction', async () => {
    const local = h;
    if (!isSqlite(local)) throw new Error('an SQLite store was expected');
    const ids = saveDiscoveredServices(local.sqlite, { accountId: ACCOUNT, period: P1, services: [svc('a', 'Alpha', 'Storage', '1')] });
    expect(ids.get('a')).toBe((await getServiceByCode(h.db, ACCOUNT, 'a'))?.id);
  });

  it('counts nothing for a finding whose cost by service is not an object, or an amount that is null', async () => {
    await saveDiscoveredServices(h, { accountId: ACCOUNT, period: P1, services: [svc('AmazonVPC', 'Amazon Virtual Private Cloud', 'Networking', '30')] });
    await finding('i-1', true, { AmazonVPC: 3.65 });
    await finding('i-2', true, 'n/a');
    await finding('i-3', true, { AmazonVPC: null });
    await finding('i-4', true, undefined);
    const [vpc] = await listServices(h.db, { accountId: ACCOUNT });
    expect(vpc?.reconciliation).toMatchObject({ findingsMonthlyCost: 3.65 });
  });

  it('lists per service what the active unused findings bill under it, from what the scan stored', async () => {
    await saveDiscoveredServices(h, {
      accountId: ACCOUNT,
      period: P1,
      now: '2026-03-15T10:00:00.000Z',
      services: [svc('AmazonEC2Other', 'EC2 - Other', 'Compute', '300'), svc('AmazonVPC', 'Amazon Virtual Private Cloud', 'Networking', '1.5')],
    });
    await finding('i-1', true, { AmazonEC2Other: 10.8, AmazonVPC: 3.65 });
    await finding('i-2', true, { AmazonVPC: 3.65 });
    await finding('i-3', false, { AmazonVPC: 100 }); // in use: not waste
    await finding('i-4', true, { AmazonVPC: 100 }, 'gone'); // no longer there
    const byCode = new Map((await listServices(h.db, { accountId: ACCOUNT })).map((s) => [s.code, s.reconciliation]));
    expect(byCode.get('AmazonEC2Other')).toEqual({ findingsMonthlyCost: 10.8, monthlyRunRate: 304.17, exceedsSpend: false });
    // $1.50 over 30 days is a $1.52 run-rate; $7.30 of idle addresses is above it: prices or definitions may be off.
    expect(byCode.get('AmazonVPC')).toEqual({ findingsMonthlyCost: 7.3, monthlyRunRate: 1.52, exceedsSpend: true });
  });
});

describe('bill reconciliation', () => {
  it('scales the period cost to a 730-hour month and warns only beyond a margin of $0.50 and 5%', () => {
    const row = { period_cost: 30, period_start: '2026-02-13', period_end: '2026-03-15' }; // 30 days, $1/day
    expect(reconcile(row, undefined)).toBeNull();
    expect(reconcile({ ...row, period_start: null }, 10)).toBeNull();
    expect(reconcile(row, 30.4)).toEqual({ findingsMonthlyCost: 30.4, monthlyRunRate: 30.42, exceedsSpend: false });
    expect(reconcile(row, 31.94)).toMatchObject({ exceedsSpend: false }); // within 5% of $30.42
    expect(reconcile(row, 32)).toMatchObject({ exceedsSpend: true });
    expect(reconcile({ ...row, period_cost: 0.3 }, 0.8)).toMatchObject({ exceedsSpend: false }); // within $0.50
    expect(reconcile({ ...row, period_cost: 0.3 }, 0.9)).toMatchObject({ exceedsSpend: true });
  });
});
