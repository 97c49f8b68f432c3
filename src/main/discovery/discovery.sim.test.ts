import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadSampleAccount, startSimulator, type AccountFixture, type Simulator } from '../../../e2e/aws-sim';
import type { AppDb } from '../db/store';
import { describeEachDialect } from '../test-support/dialects';
import { upsertAccount } from '../db/repos/accounts';
import { getCeRequestStats } from '../db/repos/ce-requests';
import { getCostHistory } from '../db/repos/cost-history';
import { getScan } from '../db/repos/scans';
import { discover, type DiscoveryDeps } from './discovery';

/** Discovery over real HTTP: a real CostExplorerClient (JSON 1.1, SigV4) against the local simulator. */

const NOW = new Date('2026-03-15T10:00:00Z');
const EXCLUDED = new Set(['Credit', 'Refund', 'Tax']);

let sim: Simulator;
let fixture: AccountFixture;
let h: AppDb;
let client: CostExplorerClient;

/** Exact sum, written independently of the code under test: BigInt at a fixed 10-digit scale. */
function exactSum(amounts: readonly string[]): bigint {
  return amounts.reduce((acc, a) => {
    const [i = '0', f = ''] = a.replace('-', '').split('.');
    if (f.length > 10) throw new Error(`more than 10 decimals: ${a}`);
    const v = BigInt(i + f.padEnd(10, '0'));
    return acc + (a.startsWith('-') ? -v : v);
  }, 0n);
}

function asUnits(text: string): bigint {
  return exactSum([text]);
}

function chargeSeries() {
  return (fixture.costExplorer?.series ?? []).filter((s) => !EXCLUDED.has(s.recordType ?? 'Usage'));
}

function deps(): DiscoveryDeps {
  return { db: h, accountId: fixture.accountId, now: NOW, ce: () => client };
}

beforeAll(async () => {
  fixture = await loadSampleAccount();
  sim = await startSimulator({ fixture, now: NOW });
  if (!sim.endpoint.startsWith('http://127.0.0.1:')) throw new Error('the simulator must be local');
});
afterAll(async () => {
  await sim.close();
});

describeEachDialect('discovery against the AWS simulator', (store) => {
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: fixture.accountId, alias: null, partition: 'aws', arn: null, profile: 'sim' });
    client = new CostExplorerClient({
      region: 'us-east-1',
      endpoint: sim.endpoint,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    sim.resetCounts();
    sim.setFaults({});
    sim.configure({ ceMaxGroupsPerPage: 1000 });
    sim.state.costExplorerEnabled = true;
  });
  afterEach(() => {
    client.destroy();
  });

  it('discovers the sample account with exactly one request; totals equal the fixture', async () => {
    const r = await discover(deps());
    expect(r.status).toBe('succeeded');
    expect(r.requests).toBe(1);
    expect(sim.counts().byOperation['ce:GetCostAndUsage']).toBe(1);
    expect(sim.counts().total).toBe(1);

    const series = chargeSeries();
    const expectedTotal = exactSum(series.flatMap((s) => s.daily.filter((d): d is string => d !== null)));
    expect(asUnits(r.totalCostText)).toBe(expectedTotal);

    const names = [...new Set(series.map((s) => s.service))];
    for (const name of names) {
      const amounts = series.filter((s) => s.service === name).flatMap((s) => s.daily.filter((d): d is string => d !== null));
      const dto = r.services.find((s) => s.displayName === name);
      if (amounts.length === 0) continue; // a line with no charge in the period never appears in CE's answer
      expect(dto, name).toBeDefined();
      expect(asUnits(dto?.periodCostText ?? 'x'), name).toBe(exactSum(amounts));
    }
    // Credits and tax were filtered out by Cost Explorer itself.
    expect(r.services.find((s) => s.code === 'Tax')).toBeUndefined();

    // Daily rows carry CE's strings verbatim (the sub-cent Lambda amounts included).
    const lambda = series.find((s) => s.service === 'AWS Lambda');
    const hist = await getCostHistory(h.db, { accountId: fixture.accountId, serviceCodes: ['AWSLambda'], from: r.period.start, to: r.period.end });
    expect(hist.map((p) => p.costText)).toEqual(lambda?.daily.filter((d): d is string => d !== null));
    expect((await getScan(h.db, r.scanId))?.requests).toBe(1);
  });

  it('counts one request per page when the simulator pages the result', async () => {
    sim.configure({ ceMaxGroupsPerPage: 40 });
    const r = await discover(deps());
    const served = sim.counts().byOperation['ce:GetCostAndUsage'] ?? 0;
    expect(served).toBeGreaterThan(1);
    expect(r.requests).toBe(served);
    expect((await getCeRequestStats(h.db, fixture.accountId, NOW)).today).toBe(served);
    const expectedTotal = exactSum(chargeSeries().flatMap((s) => s.daily.filter((d): d is string => d !== null)));
    expect(asUnits(r.totalCostText)).toBe(expectedTotal);
  });

  it('maps a Cost Explorer that was never enabled, over the wire', async () => {
    sim.state.costExplorerEnabled = false;
    const r = await discover(deps());
    expect(r).toMatchObject({ status: 'failed', requests: 1, error: { code: 'ce.not_enabled' } });
  });

  it('maps a limit error, over the wire', async () => {
    sim.setFaults({ costExplorerError: 'LimitExceededException' });
    const r = await discover(deps());
    expect(r).toMatchObject({ status: 'failed', error: { code: 'ce.limit_exceeded' } });
  });
});
