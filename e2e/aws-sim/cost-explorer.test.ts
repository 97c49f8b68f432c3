import { GetCostAndUsageCommand, GetDimensionValuesCommand } from '@aws-sdk/client-cost-explorer';
import type { CostExplorerClient, GetCostAndUsageCommandInput, ResultByTime } from '@aws-sdk/client-cost-explorer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleAccount, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { ceClient } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z'); // yesterday = 2026-11-24; 30 days of data from 2026-10-26
let sim: Simulator;
let ce: CostExplorerClient;
let sample: AccountFixture;

beforeAll(async () => {
  sample = await loadSampleAccount();
  sim = await startSimulator({ fixture: sample, now: NOW });
  ce = ceClient(sim.endpoint);
});
afterEach(() => {
  sim.setFaults({});
  sim.configure({ ceMaxGroupsPerPage: 1000 });
});
afterAll(async () => {
  ce.destroy();
  await sim.close();
});

const NO_CREDITS = { Not: { Dimensions: { Key: 'RECORD_TYPE' as const, Values: ['Credit', 'Refund', 'Tax'] } } };
/** Decimal string → integer count of 1e-10 units (independent of the simulator's own decimal code). */
function toUnits(a: string): bigint {
  const neg = a.startsWith('-');
  const [int = '0', frac = ''] = a.replace('-', '').split('.');
  const v = BigInt(int) * 10n ** 10n + BigInt(frac.padEnd(10, '0'));
  return neg ? -v : v;
}

const series = (service: string, recordType = 'Usage'): (string | null)[] =>
  sample.costExplorer?.series?.find((s) => s.service === service && (s.recordType ?? 'Usage') === recordType)?.daily ?? [];

describe('GetCostAndUsage', () => {
  it('DAILY by SERVICE: one result per day, Total empty, fixture amounts verbatim, exactly one request', async () => {
    sim.resetCounts();
    const out = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-26', End: '2026-11-25' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        Filter: NO_CREDITS,
      }),
    );
    expect(sim.counts().byOperation).toEqual({ 'ce:GetCostAndUsage': 1 });
    expect(sim.counts().byRegion).toEqual({ 'us-east-1': 1 });
    expect(out.GroupDefinitions).toEqual([{ Type: 'DIMENSION', Key: 'SERVICE' }]);
    expect(out.ResultsByTime?.length).toBe(30);
    const first = out.ResultsByTime?.[0];
    expect(first?.TimePeriod).toEqual({ Start: '2026-10-26', End: '2026-10-27' });
    expect(first?.Total).toEqual({});
    const lambda = first?.Groups?.find((g) => g.Keys?.[0] === 'AWS Lambda');
    expect(lambda?.Metrics?.UnblendedCost).toEqual({ Amount: series('AWS Lambda')[0], Unit: 'USD' });
    // Credits and tax are filtered out; the Cost Explorer line only exists every third day.
    expect(out.ResultsByTime?.every((r) => !r.Groups?.some((g) => g.Keys?.[0] === 'Tax'))).toBe(true);
    expect(first?.Groups?.length).toBe(18);
    expect(out.ResultsByTime?.[1]?.Groups?.length).toBe(17);
    const ec2Last = out.ResultsByTime?.[29]?.Groups?.find((g) => g.Keys?.[0] === 'Amazon Elastic Compute Cloud - Compute');
    expect(ec2Last?.Metrics?.UnblendedCost?.Amount).toBe(series('Amazon Elastic Compute Cloud - Compute').at(-1));
  });

  it('without GroupBy, Total holds the exact sum including credits and tax', async () => {
    const out = await ce.send(
      new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-22', End: '2026-11-23' }, Granularity: 'DAILY', Metrics: ['UnblendedCost', 'UsageQuantity'] }),
    );
    const day = out.ResultsByTime?.[0];
    expect(day?.Groups).toEqual([]);
    expect(out.GroupDefinitions).toBeUndefined();
    // 2026-11-22 is index 27 of 30: every Usage line that day, plus the -0.5 credit and the tax record.
    const idx = 27;
    const parts = (sample.costExplorer?.series ?? []).map((s) => s.daily[idx]).filter((a): a is string => typeof a === 'string');
    expect(parts).toContain('3.1415926535');
    expect(parts).toContain('-0.5000000000');
    expect(day?.Total?.UnblendedCost?.Unit).toBe('USD');
    expect(toUnits(day?.Total?.UnblendedCost?.Amount ?? 'x')).toBe(parts.reduce((acc, a) => acc + toUnits(a), 0n));
    expect(day?.Total?.UsageQuantity?.Unit).toBe('N/A');
  });

  it('RECORD_TYPE filter selects credits only', async () => {
    const out = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-26', End: '2026-11-25' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit'] } },
      }),
    );
    const withGroups = (out.ResultsByTime ?? []).filter((r) => (r.Groups?.length ?? 0) > 0);
    expect(withGroups.length).toBe(10);
    expect(withGroups.every((r) => r.Groups?.[0]?.Metrics?.UnblendedCost?.Amount === '-0.5000000000')).toBe(true);
  });

  it('marks the last 2 days before today (and later) Estimated', async () => {
    const out = await ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-21', End: '2026-11-26' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] }));
    expect(out.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Estimated])).toEqual([
      ['2026-11-21', false],
      ['2026-11-22', false],
      ['2026-11-23', true],
      ['2026-11-24', true],
      ['2026-11-25', true],
    ]);
  });

  it('MONTHLY splits at month boundaries and sums the days', async () => {
    const out = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-01', End: '2026-12-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      }),
    );
    expect(out.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.TimePeriod?.End, r.Estimated])).toEqual([
      ['2026-10-01', '2026-11-01', false],
      ['2026-11-01', '2026-12-01', true],
    ]);
    // VPC costs 1.32/day exactly (11 public IPv4 addresses × 730 h × $0.005 over a 30.4-day month): 6 days in October (26–31), 24 in November.
    const vpc = (r: ResultByTime | undefined): string | undefined => r?.Groups?.find((g) => g.Keys?.[0] === 'Amazon Virtual Private Cloud')?.Metrics?.UnblendedCost?.Amount;
    expect(vpc(out.ResultsByTime?.[0])).toBe('7.9200000000');
    expect(vpc(out.ResultsByTime?.[1])).toBe('31.6800000000');
  });

  it('pages with NextPageToken; all groups arrive exactly once, one request per page', async () => {
    const input: GetCostAndUsageCommandInput = {
      TimePeriod: { Start: '2026-10-26', End: '2026-11-25' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    };
    const unpaged = await ce.send(new GetCostAndUsageCommand(input));
    const expected = (unpaged.ResultsByTime ?? []).flatMap((r) => (r.Groups ?? []).map((g) => `${r.TimePeriod?.Start}|${g.Keys?.[0]}|${g.Metrics?.UnblendedCost?.Amount}`));
    sim.configure({ ceMaxGroupsPerPage: 7 });
    sim.resetCounts();
    const got: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
      pages += 1;
      for (const r of page.ResultsByTime ?? []) for (const g of r.Groups ?? []) got.push(`${r.TimePeriod?.Start}|${g.Keys?.[0]}|${g.Metrics?.UnblendedCost?.Amount}`);
      token = page.NextPageToken;
    } while (token);
    expect(got).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    expect(sim.counts().byOperation['ce:GetCostAndUsage']).toBe(pages);
    await expect(ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it('answers ValidationException for CHARGE_TYPE, Start >= End and an empty Filter', async () => {
    const base = { TimePeriod: { Start: '2026-11-01', End: '2026-11-10' }, Granularity: 'DAILY' as const, Metrics: ['UnblendedCost'] };
    const bad: GetCostAndUsageCommandInput[] = [
      { ...base, Filter: { Not: { Dimensions: { Key: 'CHARGE_TYPE' as never, Values: ['Credit'] } } } },
      { ...base, TimePeriod: { Start: '2026-11-10', End: '2026-11-10' } },
      { ...base, Filter: {} },
      { ...base, Metrics: ['Dollars'] },
    ];
    for (const input of bad) {
      await expect(ce.send(new GetCostAndUsageCommand(input))).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    }
  });
});

describe('Cost Explorer errors on demand', () => {
  const input = { TimePeriod: { Start: '2026-11-01', End: '2026-11-10' }, Granularity: 'DAILY' as const, Metrics: ['UnblendedCost'] };

  it.each(['AccessDeniedException', 'LimitExceededException', 'DataUnavailableException', 'BillExpirationException'] as const)('%s', async (code) => {
    sim.setFaults({ costExplorerError: code });
    const err = await ce.send(new GetCostAndUsageCommand(input)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: code });
    if (code === 'AccessDeniedException') expect(err).toMatchObject({ message: 'User not enabled for cost explorer access' });
  });

  it('AccessDeniedException when the fixture has Cost Explorer disabled', async () => {
    const off = await startSimulator({ fixture: { ...sample, costExplorer: { enabled: false } }, now: NOW });
    const c = ceClient(off.endpoint);
    await expect(c.send(new GetCostAndUsageCommand(input))).rejects.toMatchObject({ name: 'AccessDeniedException', message: 'User not enabled for cost explorer access' });
    c.destroy();
    await off.close();
  });
});

describe('GetDimensionValues', () => {
  it('lists SERVICE display names seen in the period', async () => {
    const out = await ce.send(new GetDimensionValuesCommand({ TimePeriod: { Start: '2026-10-26', End: '2026-11-25' }, Dimension: 'SERVICE' }));
    const values = out.DimensionValues?.map((v) => v.Value);
    expect(values).toContain('EC2 - Other');
    expect(values).toContain('Amazon Virtual Private Cloud');
    expect(values).toContain('Tax');
    expect(out.TotalSize).toBe(19);
    expect(out.ReturnSize).toBe(19);
    const search = await ce.send(new GetDimensionValuesCommand({ TimePeriod: { Start: '2026-10-26', End: '2026-11-25' }, Dimension: 'SERVICE', SearchString: 'ec2' }));
    expect(search.DimensionValues?.map((v) => v.Value).sort()).toEqual(['Amazon EC2 Container Registry (ECR)', 'EC2 - Other']);
  });
});
