import { builtinRegistry } from '../app/account-session';
import { coverageOf } from '../handlers/registry';
import {
  BillExpirationException,
  CostExplorerClient,
  CostExplorerServiceException,
  DataUnavailableException,
  GetCostAndUsageCommand,
  LimitExceededException,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgres } from '../db/postgres';
import type { AppDb } from '../db/store';
import { describeEachDialect } from '../test-support/dialects';
import { upsertAccount } from '../db/repos/accounts';
import { getCeRequestStats } from '../db/repos/ce-requests';
import { getCostHistory } from '../db/repos/cost-history';
import { getScan, listScans } from '../db/repos/scans';
import { discover, type DiscoveryDeps } from './discovery';
import { cePages, dayAmountText, pageFor, serviceTotalUnits, tenServiceFixture, totalUnits, unitsToText, type CeFixture } from './test-fixture';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-03-15T10:00:00Z');
const PERIOD = { start: '2026-02-13', end: '2026-03-15' };
const HOUR = 3_600_000;

let h: AppDb;
let client: CostExplorerClient;
let ce: ReturnType<typeof mockClient>;
let clientsBuilt: number;

function deps(now = NOW, signal?: AbortSignal, db: AppDb = h): DiscoveryDeps {
  return {
    db,
    accountId: ACCOUNT,
    // Coverage as the app passes it: from what the registered kinds declare.
    coverage: coverageOf(builtinRegistry()),
    now,
    ...(signal ? { signal } : {}),
    ce: () => {
      clientsBuilt++;
      return client;
    },
  };
}

function serve(f: CeFixture, pages = 1): void {
  const p = cePages(f, pages);
  ce.on(GetCostAndUsageCommand).callsFake((input) => pageFor(p, input));
}

function calls(): number {
  return ce.commandCalls(GetCostAndUsageCommand).length;
}

/** Exact decimal text without trailing zeros, as the code reports sums. */
function text(units: bigint): string {
  return unitsToText(units).replace(/0+$/, '').replace(/\.$/, '');
}

async function tables(): Promise<unknown> {
  return {
    services: await h.db.selectFrom('services').selectAll().orderBy('id').execute(),
    history: await h.db.selectFrom('cost_history').selectAll().orderBy('id').execute(),
  };
}

async function count(table: 'services' | 'cost_history', estimatedOnly = false, db: AppDb = h): Promise<number> {
  let q = db.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (estimatedOnly) q = q.where('estimated' as never, '=', 1 as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

describeEachDialect('discover', (store) => {
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'default' });
    client = new CostExplorerClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
    ce = mockClient(client);
    clientsBuilt = 0;
  });
  afterEach(() => {
    ce.restore();
  });

  it('discovers a 30-day, ten-service account with exactly one request, exact to sub-cent amounts', async () => {
    const f = tenServiceFixture(PERIOD.start, PERIOD.end);
    serve(f);
    const r = await discover(deps());

    expect(calls()).toBe(1);
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]?.args[0].input).toEqual({
      TimePeriod: { Start: '2026-02-13', End: '2026-03-15' },
      Granularity: 'DAILY',
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      Metrics: ['UnblendedCost', 'UsageQuantity'],
      Filter: { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } },
    });
    expect(r).toMatchObject({ status: 'succeeded', fromCache: false, requests: 1, period: PERIOD });
    expect(r.error).toBeUndefined();
    expect(r.totalCostText).toBe(text(totalUnits(f)));
    expect(r.totalCost).toBe(Number(text(totalUnits(f))));
    expect(r.services).toHaveLength(10);
    for (const s of f.services) {
      const dto = r.services.find((x) => x.displayName === s.name);
      expect(dto?.periodCostText, s.name).toBe(text(serviceTotalUnits(f, s.name)));
    }

    // Every daily row, exactly as CE sent it.
    const hist = await getCostHistory(h.db, { accountId: ACCOUNT, from: PERIOD.start, to: PERIOD.end });
    expect(hist).toHaveLength(300);
    for (const s of f.services) {
      const rows = hist.filter((p) => p.displayName === s.name);
      expect(rows.map((p) => p.costText)).toEqual(f.days.map((_d, i) => dayAmountText(s, i)));
      expect(rows.map((p) => p.estimated)).toEqual(f.days.map((d) => f.estimated.has(d)));
    }
    expect(hist.find((p) => p.serviceCode === 'awskms')).toMatchObject({ costText: '0.0000012345', cost: 0.0000012345 });

    // Mapping, coverage and activity.
    const by = (code: string) => r.services.find((s) => s.code === code);
    expect(by('AmazonEC2Other')).toMatchObject({ displayName: 'EC2 - Other', covered: true, active: true });
    expect(by('AmazonEC2Other')?.handlerTypes.sort()).toEqual(['ec2:elastic-ip', 'ec2:image', 'ec2:instance', 'ec2:nat-gateway', 'ec2:snapshot', 'ec2:volume']);
    expect(by('AmazonVPC')).toMatchObject({ handlerTypes: ['ec2:vpc-endpoint', 'ec2:elastic-ip'], covered: true });
    expect(by('ce:amazon-quantum-widget-service')).toMatchObject({ displayName: 'Amazon Quantum Widget Service', category: 'Other', active: true, covered: false });
    expect(by('awskms')).toMatchObject({ active: false, periodCostText: '0.000037035' });

    // The run is recorded, and its cost counted.
    const scan = await getScan(h.db, r.scanId);
    expect(scan).toMatchObject({ kind: 'discovery', status: 'succeeded', servicesFound: 10, requests: 1, errorCode: null, startedAt: NOW.toISOString() });
    expect(scan?.durationMs).toBeGreaterThanOrEqual(0);
    expect(scan?.options).toMatchObject({ lookbackDays: 30, minCost: 0.01, excludeRecordTypes: ['Credit', 'Refund', 'Tax'], period: PERIOD });
    expect(await getCeRequestStats(h.db, ACCOUNT, NOW)).toEqual({ today: 1, last30Days: 1, total: 1, costUsd: 0.01 });
  });

  it('reads a result split over three pages with one request per page, all counted', async () => {
    const f = tenServiceFixture(PERIOD.start, PERIOD.end);
    serve(f, 3);
    const r = await discover(deps());
    expect(calls()).toBe(3);
    expect(r.requests).toBe(3);
    expect(r.totalCostText).toBe(text(totalUnits(f)));
    expect(await getCostHistory(h.db, { accountId: ACCOUNT, from: PERIOD.start, to: PERIOD.end })).toHaveLength(300);
    expect((await getScan(h.db, r.scanId))?.requests).toBe(3);
    expect((await getCeRequestStats(h.db, ACCOUNT, NOW)).today).toBe(3);
  });

  it('serves a refresh inside the cache window without any request; force or an expired window asks again', async () => {
    serve(tenServiceFixture(PERIOD.start, PERIOD.end));
    const first = await discover(deps());
    expect(clientsBuilt).toBe(1);

    const cached = await discover(deps(new Date(NOW.getTime() + 11 * HOUR)));
    expect(calls()).toBe(1);
    expect(clientsBuilt).toBe(1);
    expect(cached).toMatchObject({ status: 'cached', fromCache: true, requests: 0, scanId: first.scanId, period: PERIOD, totalCostText: first.totalCostText });
    expect(cached.services).toEqual(first.services);
    expect(await listScans(h.db, { accountId: ACCOUNT, kind: 'discovery' })).toHaveLength(1);

    const forced = await discover(deps(new Date(NOW.getTime() + 11 * HOUR)), { force: true });
    expect(forced).toMatchObject({ status: 'succeeded', fromCache: false, requests: 1 });
    expect(calls()).toBe(2);

    // A different lookback is a different question.
    await discover(deps(new Date(NOW.getTime() + 12 * HOUR)), { lookbackDays: 7 });
    expect(calls()).toBe(3);
    expect((await discover(deps(new Date(NOW.getTime() + 12 * HOUR)), { lookbackDays: 7 })).status).toBe('cached');
    expect(calls()).toBe(3);

    // 13 hours after the last 30-day run: the 12-hour window is over.
    expect((await discover(deps(new Date(NOW.getTime() + 24 * HOUR + 1)))).status).toBe('succeeded');
    expect(calls()).toBe(4);
    // A configurable window.
    expect((await discover(deps(new Date(NOW.getTime() + 30 * HOUR)), { cacheHours: 1 })).status).toBe('succeeded');
    expect((await discover(deps(new Date(NOW.getTime() + 30 * HOUR)), { cacheHours: 0 })).status).toBe('succeeded');
    expect(calls()).toBe(6);
    expect((await getCeRequestStats(h.db, ACCOUNT, new Date(NOW.getTime() + 30 * HOUR))).total).toBe(6);
  });

  it('shares one request between concurrent calls', async () => {
    serve(tenServiceFixture(PERIOD.start, PERIOD.end));
    const [a, b] = await Promise.all([discover(deps(), { force: true }), discover(deps(), { force: true })]);
    expect(calls()).toBe(1);
    expect(a.scanId).toBe(b.scanId);
  });

  it('re-running updates values and estimated flags without duplicating history', async () => {
    const f = tenServiceFixture(PERIOD.start, PERIOD.end, 2);
    serve(f);
    await discover(deps());
    const rows = await count('cost_history');
    const serviceRows = await count('services');

    // The next day AWS finalized the estimated days and revised EC2's last day.
    const revised: CeFixture = {
      ...f,
      estimated: new Set(),
      services: f.services.map((s) => (s.name === 'EC2 - Other' ? { ...s, units: (d: number) => (d === 29 ? 1n : s.units(d)) } : s)),
    };
    ce.reset();
    serve(revised);
    const r = await discover(deps(new Date(NOW.getTime() + HOUR)), { force: true });
    expect(r.status).toBe('succeeded');
    expect(await count('cost_history')).toBe(rows);
    expect(await count('services')).toBe(serviceRows);
    const last = await getCostHistory(h.db, { accountId: ACCOUNT, serviceCodes: ['AmazonEC2Other'], from: '2026-03-14', to: '2026-03-15' });
    expect(last).toEqual([expect.objectContaining({ costText: '0.0000000001', estimated: false })]);
    expect(await count('cost_history', true)).toBe(0);
  });

  it('turns services below the minimum, or gone from the result, inactive and keeps their history', async () => {
    const f = tenServiceFixture(PERIOD.start, PERIOD.end);
    serve(f);
    await discover(deps());
    const s3Rows = (await getCostHistory(h.db, { accountId: ACCOUNT, serviceCodes: ['AmazonS3'], from: PERIOD.start, to: PERIOD.end })).length;

    // S3 drops to a tenth of a cent a day; Lambda disappears.
    const next: CeFixture = {
      ...f,
      services: f.services
        .filter((s) => s.name !== 'AWS Lambda')
        .map((s) => (s.name === 'Amazon Simple Storage Service' ? { ...s, units: () => 1_000_000n } : s)),
    };
    ce.reset();
    serve(next);
    const r = await discover(deps(), { force: true, minCost: 0.05 });
    const s3 = r.services.find((s) => s.code === 'AmazonS3');
    expect(s3).toMatchObject({ active: false, periodCostText: '0.003' });
    expect(r.services.find((s) => s.code === 'AWSLambda')).toMatchObject({ active: false, periodCost: 0 });
    expect(r.services.find((s) => s.code === 'AmazonEC2')).toMatchObject({ active: true });
    expect(await getCostHistory(h.db, { accountId: ACCOUNT, serviceCodes: ['AmazonS3'], from: PERIOD.start, to: PERIOD.end })).toHaveLength(s3Rows);
    expect(await getCostHistory(h.db, { accountId: ACCOUNT, serviceCodes: ['AWSLambda'], from: PERIOD.start, to: PERIOD.end })).toHaveLength(30);
    expect((await getScan(h.db, r.scanId))?.servicesFound).toBe(9);
  });

  it('omits Filter when no record types are excluded', async () => {
    serve(tenServiceFixture(PERIOD.start, PERIOD.end));
    await discover(deps(), { excludeRecordTypes: [] });
    const input = ce.commandCalls(GetCostAndUsageCommand)[0]?.args[0].input;
    expect(input && 'Filter' in input).toBe(false);
  });

  const failures: [string, () => Error, string, RegExp][] = [
    ['not enabled', () => new CostExplorerServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'User not enabled for cost explorer access', $metadata: {} }), 'ce.not_enabled', /enable|launch/i],
    ['access denied', () => new CostExplorerServiceException({ name: 'AccessDeniedException', $fault: 'client', message: 'not authorized to perform: ce:GetCostAndUsage', $metadata: {} }), 'ce.access_denied', /ce:GetCostAndUsage/],
    ['data unavailable', () => new DataUnavailableException({ message: 'Data is not available', $metadata: {} }), 'ce.data_unavailable', /24 hours/],
    ['limit exceeded', () => new LimitExceededException({ message: 'Rate exceeded', $metadata: {} }), 'ce.limit_exceeded', /limit/i],
    ['bill expired', () => new BillExpirationException({ message: 'Bill expired', $metadata: {} }), 'ce.bill_expired', /13 months/],
  ];

  it.each(failures)('%s: returns a failure, records a failed scan, leaves stored data intact', async (_n, makeError, code, message) => {
    serve(tenServiceFixture(PERIOD.start, PERIOD.end), 2);
    const ok = await discover(deps());
    const before = await tables();

    // The second page fails: nothing of the first may be written.
    ce.reset();
    const pages = cePages(tenServiceFixture(PERIOD.start, PERIOD.end, 0), 2);
    ce.on(GetCostAndUsageCommand).callsFake((input) => {
      if (input.NextPageToken) throw makeError();
      return pageFor(pages, input);
    });
    const r = await discover(deps(new Date(NOW.getTime() + HOUR)), { force: true });

    expect(r.status).toBe('failed');
    expect(r.fromCache).toBe(false);
    expect(r.error?.code).toBe(code);
    expect(r.error?.message).toMatch(message);
    expect(r.requests).toBe(2);
    expect(r.services).toEqual(ok.services);
    expect(await tables()).toEqual(before);
    const scan = await getScan(h.db, r.scanId);
    expect(scan).toMatchObject({ kind: 'discovery', status: 'failed', errorCode: code, requests: 2, servicesFound: 0 });
    expect(scan?.error).toMatch(message);
    expect(scan?.completedAt).not.toBeNull();
    expect((await getCeRequestStats(h.db, ACCOUNT, NOW)).total).toBe(4);
    // A failure does not spoil the cache of the last good result.
    expect((await discover(deps(new Date(NOW.getTime() + HOUR)))).status).toBe('cached');
  });

  it('fails cleanly on a first run with nothing stored', async () => {
    ce.on(GetCostAndUsageCommand).rejects(new DataUnavailableException({ message: 'no data', $metadata: {} }));
    const r = await discover(deps());
    expect(r).toMatchObject({ status: 'failed', services: [], totalCost: 0, requests: 1, error: { code: 'ce.data_unavailable' } });
  });

  it('records a cancelled run as cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await discover(deps(NOW, ac.signal));
    expect(calls()).toBe(0);
    expect(r).toMatchObject({ status: 'failed', error: { code: 'cancelled' }, requests: 0 });
    expect((await getScan(h.db, r.scanId))?.status).toBe('cancelled');
  });

  it('refuses invalid options before spending anything', async () => {
    await expect(discover(deps(), { lookbackDays: 0 })).rejects.toMatchObject({ code: 'validation' });
    await expect(discover(deps(), { lookbackDays: 400 })).rejects.toMatchObject({ code: 'validation' });
    await expect(discover(deps(), { minCost: -1 })).rejects.toMatchObject({ code: 'validation' });
    await expect(discover(deps(), { excludeRecordTypes: [''] })).rejects.toMatchObject({ code: 'validation' });
    expect(calls()).toBe(0);
    expect(await listScans(h.db, { accountId: ACCOUNT })).toEqual([]);
  });

  store.only('postgres')('two writers on one team store discover the same account at once: no lost or duplicated row', async () => {
    const url = await store.url();
    // Three handles (pools), as three processes would have: one handle shares concurrent calls (see above).
    const stores = await Promise.all([openPostgres({ url }), openPostgres({ url }), openPostgres({ url })]);
    try {
      const [a, b] = stores as [AppDb, AppDb, AppDb];
      await upsertAccount(a.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'default' });
      const f = tenServiceFixture(PERIOD.start, PERIOD.end);
      serve(f);
      const results = await Promise.all(stores.map((db, i) => discover(deps(new Date(NOW.getTime() + i * 1000), undefined, db), { force: true })));
      expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(new Set(results.map((r) => r.scanId)).size).toBe(3);
      expect(await count('services', false, a)).toBe(10);
      expect(await count('cost_history', false, b)).toBe(300);
      const hist = await getCostHistory(a.db, { accountId: ACCOUNT, from: PERIOD.start, to: PERIOD.end });
      for (const s of f.services) {
        expect(hist.filter((p) => p.displayName === s.name).map((p) => p.costText)).toEqual(f.days.map((_d, i) => dayAmountText(s, i)));
      }
      expect(calls()).toBe(3);
      expect((await getCeRequestStats(b.db, ACCOUNT, NOW)).total).toBe(3);
    } finally {
      await Promise.all(stores.map((x) => x.close()));
    }
  });
});
