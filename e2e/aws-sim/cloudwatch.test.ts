/** CloudWatch (awsJson1_0, query-compatible) through the real @aws-sdk/client-cloudwatch: GetMetricData and ListMetrics. */
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, paginateGetMetricData, paginateListMetrics } from '@aws-sdk/client-cloudwatch';
import type { GetMetricDataCommandInput, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { cloudWatchClient, SIM_CREDENTIALS, simFetch } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
/** UTC midnight `n` days before NOW's day (1 = yesterday). */
const daysAgo = (n: number): Date => new Date(Date.UTC(2026, 10, 25) - n * DAY);

const NAT = { NatGatewayId: 'nat-0aaa' };
const fixture: AccountFixture = {
  accountId: '123456789012',
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      metrics: [
        // 10 days: 1..10, yesterday = 10; day 4 (7 days ago) missing.
        { namespace: 'AWS/NATGateway', metricName: 'BytesOutToDestination', dimensions: NAT, daily: [1, 2, 3, null, 5, 6, 7, 8, 9, 10] },
        { namespace: 'AWS/NATGateway', metricName: 'ActiveConnectionCount', dimensions: NAT, daily: Array<number>(30).fill(0) },
        {
          namespace: 'AWS/PrivateLinkEndpoints',
          metricName: 'BytesProcessed',
          dimensions: { 'VPC Id': 'vpc-1', 'VPC Endpoint Id': 'vpce-1', 'Endpoint Type': 'Interface', 'Service Name': 'com.amazonaws.us-east-1.ssm' },
          daily: [5, null, null],
        },
        // Data only 20+ days ago: not listed by ListMetrics (two weeks), still answered by GetMetricData.
        { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: 'app/old/1' }, daily: [3, 0, ...Array<null>(20).fill(null)] },
      ],
    },
    'eu-west-1': {
      metrics: Array.from({ length: 1203 }, (_, i) => ({
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: { InstanceId: `i-${String(i).padStart(5, '0')}` },
        daily: [i % 7, null],
      })),
    },
  },
};

let sim: Simulator;
let cw: CloudWatchClient;
beforeAll(async () => {
  sim = await startSimulator({ fixture, now: NOW });
  cw = cloudWatchClient(sim.endpoint);
});
afterEach(() => {
  sim.setFaults({});
  sim.resetCounts();
  sim.state.deny.clear();
});
afterAll(async () => {
  cw.destroy();
  await sim.close();
});

const stat = (id: string, metricName: string, dims: Record<string, string>, s = 'Sum', period = 86_400, namespace = 'AWS/NATGateway'): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: namespace, MetricName: metricName, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: period, Stat: s },
});
const window = (days: number) => ({ StartTime: daysAgo(days), EndTime: daysAgo(0) });
const byId = (rs: MetricDataResult[] | undefined, id: string) => rs?.find((r) => r.Id === id);

describe('GetMetricData', () => {
  it('answers the days in [StartTime, EndTime) that have data, newest first by default, epoch timestamps parsed by the SDK', async () => {
    const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [stat('b', 'BytesOutToDestination', NAT)], ...window(5) }));
    const r = byId(out.MetricDataResults, 'b');
    expect(r?.StatusCode).toBe('Complete');
    expect(r?.Label).toBe('BytesOutToDestination');
    expect(r?.Values).toEqual([10, 9, 8, 7, 6]);
    expect(r?.Timestamps?.map((t) => t.toISOString())).toEqual([1, 2, 3, 4, 5].map((n) => daysAgo(n).toISOString()));
    expect(out.NextToken).toBeUndefined();
    expect(out.Messages).toEqual([]);
    const asc = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [stat('b', 'BytesOutToDestination', NAT)], ...window(30), ScanBy: 'TimestampAscending' }));
    // The missing day (7 days ago) has no datapoint.
    expect(asc.MetricDataResults?.[0]?.Values).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10]);
  });

  it('matches dimensions exactly and order-insensitively; anything else is an empty Complete series', async () => {
    const dims = { 'VPC Id': 'vpc-1', 'VPC Endpoint Id': 'vpce-1', 'Endpoint Type': 'Interface', 'Service Name': 'com.amazonaws.us-east-1.ssm' };
    const reversed = Object.fromEntries(Object.entries(dims).reverse());
    const { 'Service Name': _omit, ...three } = dims;
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          stat('exact', 'BytesProcessed', reversed, 'Sum', 86_400, 'AWS/PrivateLinkEndpoints'),
          stat('missingdim', 'BytesProcessed', three, 'Sum', 86_400, 'AWS/PrivateLinkEndpoints'),
          stat('extradim', 'BytesProcessed', { ...dims, AZ: 'a' }, 'Sum', 86_400, 'AWS/PrivateLinkEndpoints'),
          stat('wrongns', 'BytesProcessed', dims, 'Sum', 86_400, 'AWS/VPC'),
          { ...stat('hidden', 'BytesOutToDestination', NAT), ReturnData: false, Label: 'x' },
        ],
        ...window(30),
      }),
    );
    expect(out.MetricDataResults?.map((r) => [r.Id, r.Values, r.StatusCode])).toEqual([
      ['exact', [5], 'Complete'],
      ['missingdim', [], 'Complete'],
      ['extradim', [], 'Complete'],
      ['wrongns', [], 'Complete'],
    ]);
  });

  it('aggregates multi-day periods (Sum adds, Maximum takes the largest); every statistic of a day is its value', async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [stat('s', 'BytesOutToDestination', NAT, 'Sum', 172_800), stat('m', 'BytesOutToDestination', NAT, 'Maximum', 172_800), stat('a', 'BytesOutToDestination', NAT, 'Average')],
        ...window(4),
        ScanBy: 'TimestampAscending',
      }),
    );
    expect(byId(out.MetricDataResults, 's')?.Values).toEqual([7 + 8, 9 + 10]);
    expect(byId(out.MetricDataResults, 'm')?.Values).toEqual([8, 10]);
    expect(byId(out.MetricDataResults, 'a')?.Values).toEqual([7, 8, 9, 10]);
  });

  it('refuses what AWS refuses (and what the simulator does not model) with ValidationError', async () => {
    const q = stat('ok', 'BytesOutToDestination', NAT);
    const before = sim.state.metricQueriesRequested;
    const bad: [GetMetricDataCommandInput, RegExp][] = [
      [{ MetricDataQueries: Array.from({ length: 501 }, (_, i) => ({ ...q, Id: `q${i}` })), ...window(3) }, /greater than 500/],
      [{ MetricDataQueries: [{ ...q, Id: 'Bad-id' }], ...window(3) }, /Id is invalid/],
      [{ MetricDataQueries: [q, q], ...window(3) }, /duplicated/],
      [{ MetricDataQueries: [{ Id: 'e', Expression: 'SUM(METRICS())' }], ...window(3) }, /not simulated/],
      [{ MetricDataQueries: [stat('p', 'BytesOutToDestination', NAT, 'Sum', 90)], ...window(3) }, /multiple of 60/],
      [{ MetricDataQueries: [stat('p', 'BytesOutToDestination', NAT, 'Sum', 3600)], ...window(3) }, /multiples of 86400/],
      [{ MetricDataQueries: [stat('p', 'BytesOutToDestination', NAT, 'p99')], ...window(3) }, /answers Sum/],
      [{ MetricDataQueries: [q], StartTime: daysAgo(1), EndTime: daysAgo(1) }, /StartTime must be less/],
    ];
    for (const [input, message] of bad) {
      await expect(cw.send(new GetMetricDataCommand(input))).rejects.toMatchObject({ name: 'ValidationException', Code: 'ValidationError', message: expect.stringMatching(message), $metadata: { httpStatusCode: 400 } });
    }
    expect(sim.state.metricQueriesRequested).toBe(before); // refused calls request no metric
  });

  it('pages at MaxDatapoints with PartialData and a NextToken bound to the request; merged pages equal one unpaged answer', async () => {
    const queries = [stat('a', 'ActiveConnectionCount', NAT), stat('b', 'BytesOutToDestination', NAT)];
    const input = { MetricDataQueries: queries, ...window(30) };
    const whole = await cw.send(new GetMetricDataCommand(input));
    expect([byId(whole.MetricDataResults, 'a')?.Values?.length, byId(whole.MetricDataResults, 'b')?.Values?.length]).toEqual([30, 9]);

    const first = await cw.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 25 }));
    expect(first.MetricDataResults?.map((r) => [r.Id, r.Values?.length, r.StatusCode])).toEqual([
      ['a', 25, 'PartialData'],
      ['b', 0, 'PartialData'],
    ]);
    expect(first.NextToken).toBeDefined();
    await expect(cw.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 25, ScanBy: 'TimestampAscending', NextToken: first.NextToken }))).rejects.toMatchObject({
      name: 'InvalidNextToken',
    });

    const merged = new Map<string, number[]>();
    let pages = 0;
    sim.state.metricQueriesRequested = 0;
    sim.resetCounts();
    for await (const page of paginateGetMetricData({ client: cw, pageSize: 10 }, input)) {
      pages += 1;
      for (const r of page.MetricDataResults ?? []) merged.set(r.Id ?? '', [...(merged.get(r.Id ?? '') ?? []), ...(r.Values ?? [])]);
    }
    expect(pages).toBe(4);
    expect(merged.get('a')).toEqual(byId(whole.MetricDataResults, 'a')?.Values);
    expect(merged.get('b')).toEqual(byId(whole.MetricDataResults, 'b')?.Values);
    expect(sim.counts().byOperationAndRegion['monitoring:GetMetricData']).toEqual({ 'us-east-1': 4 });
    // Each page is a call that requests both metrics again.
    expect(sim.state.metricQueriesRequested).toBe(8);
    expect(sim.state.region('us-east-1').metricQueriesRequested).toBeGreaterThanOrEqual(8);
  });

  it('denied (monitoring:GetMetricData or cloudwatch:GetMetricData) → AccessDenied 403 naming the IAM action', async () => {
    for (const entry of ['monitoring:GetMetricData', 'cloudwatch:GetMetricData']) {
      sim.state.deny.clear();
      sim.state.deny.add(entry);
      const err = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [stat('a', 'ActiveConnectionCount', NAT)], ...window(3) })).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'AccessDenied', Code: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      expect((err as Error).message).toMatch(/not authorized to perform: cloudwatch:GetMetricData/);
    }
    // ListMetrics is still allowed.
    await expect(cw.send(new ListMetricsCommand({ Namespace: 'AWS/NATGateway' }))).resolves.toBeDefined();
  });

  it('faults: Throttling (query-compatible, retried by the SDK) and InternalServiceError → InternalServiceFault', async () => {
    const input = { MetricDataQueries: [stat('a', 'ActiveConnectionCount', NAT)], ...window(3) };
    sim.setFaults({ throttleRate: 1 });
    await expect(cw.send(new GetMetricDataCommand(input))).rejects.toMatchObject({ name: 'Throttling', Code: 'Throttling', $metadata: { httpStatusCode: 400 } });
    sim.setFaults({ serverErrorRate: 1 });
    await expect(cw.send(new GetMetricDataCommand(input))).rejects.toMatchObject({ name: 'InternalServiceFault', $metadata: { httpStatusCode: 500 } });
    sim.setFaults({ throttleRate: 0.5, seed: 3 });
    sim.resetCounts();
    const retrying = new CloudWatchClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, retryStrategy: new ConfiguredRetryStrategy(10, 1) });
    for (let i = 0; i < 5; i++) await retrying.send(new GetMetricDataCommand(input));
    expect(sim.counts().byOperation['monitoring:GetMetricData']).toBeGreaterThan(5);
    retrying.destroy();
  });

  it('is recognised on the wire: X-Amz-Target GraniteServiceVersion20100801, JSON 1.0, x-amzn-query-error on errors', async () => {
    const res = await simFetch(sim.endpoint, {
      service: 'monitoring',
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData', 'x-amzn-query-mode': 'true' },
      body: JSON.stringify({ MetricDataQueries: [], StartTime: 1, EndTime: 2 }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-query-error')).toBe('ValidationError;Sender');
    expect(((await res.json()) as { __type: string }).__type).toBe('ValidationError');
  });
});

describe('ListMetrics', () => {
  it('lists metrics with data in the past two weeks, filtered by namespace, name and dimensions', async () => {
    const all = await cw.send(new ListMetricsCommand({}));
    expect(all.Metrics?.map((m) => `${m.Namespace} ${m.MetricName}`).sort()).toEqual([
      'AWS/NATGateway ActiveConnectionCount',
      'AWS/NATGateway BytesOutToDestination',
      'AWS/PrivateLinkEndpoints BytesProcessed',
    ]);
    const pl = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/PrivateLinkEndpoints', MetricName: 'BytesProcessed', Dimensions: [{ Name: 'VPC Endpoint Id' }] }));
    expect(pl.Metrics?.[0]?.Dimensions?.map((d) => d.Name).sort()).toEqual(['Endpoint Type', 'Service Name', 'VPC Endpoint Id', 'VPC Id']);
    expect((await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'VPC Endpoint Id', Value: 'vpce-other' }] }))).Metrics).toEqual([]);
    expect((await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'NatGatewayId', Value: 'nat-0aaa' }] }))).Metrics).toHaveLength(2);
    // RecentlyActive PT3H: a datapoint yesterday (the PrivateLink series ended two days ago).
    const recent = await cw.send(new ListMetricsCommand({ RecentlyActive: 'PT3H' }));
    expect(recent.Metrics?.map((m) => m.MetricName).sort()).toEqual(['ActiveConnectionCount', 'BytesOutToDestination']);
    await expect(cw.send(new ListMetricsCommand({ RecentlyActive: 'PT1H' as 'PT3H' }))).rejects.toMatchObject({ name: 'InvalidParameterValueException', Code: 'InvalidParameterValue' });
  });

  it('pages 500 metrics at a time with NextToken', async () => {
    const eu = cloudWatchClient(sim.endpoint, { region: 'eu-west-1' });
    const sizes: number[] = [];
    const ids = new Set<string>();
    for await (const page of paginateListMetrics({ client: eu }, { Namespace: 'AWS/EC2' })) {
      sizes.push(page.Metrics?.length ?? 0);
      for (const m of page.Metrics ?? []) ids.add(m.Dimensions?.[0]?.Value ?? '');
    }
    expect(sizes).toEqual([500, 500, 203]);
    expect(ids.size).toBe(1203);
    await expect(eu.send(new ListMetricsCommand({ Namespace: 'AWS/EC2', NextToken: 'bogus' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
    eu.destroy();
  });
});
