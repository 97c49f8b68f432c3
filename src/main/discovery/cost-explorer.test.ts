import {
  BillExpirationException,
  CostExplorerClient,
  CostExplorerServiceException,
  DataUnavailableException,
  GetCostAndUsageCommand,
  InvalidNextTokenException,
  LimitExceededException,
  RequestChangedException,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { buildCostAndUsageInput, costPeriod, fetchServiceCosts, mapCostExplorerError } from './cost-explorer';
import { cePages, pageFor, serviceTotalUnits, tenServiceFixture, totalUnits, unitsToText } from './test-fixture';

const NOW = new Date('2026-03-15T10:00:00Z');
const PERIOD = { start: '2026-02-13', end: '2026-03-15' };
const EXCLUDE = ['Credit', 'Refund', 'Tax'];

function makeClient(): CostExplorerClient {
  return new CostExplorerClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
}

function ceError<T extends new (o: { message: string; $metadata: object }) => Error>(Cls: T, message: string): Error {
  return new Cls({ message, $metadata: {} });
}

function accessDenied(message: string): Error {
  return new CostExplorerServiceException({ name: 'AccessDeniedException', $fault: 'client', message, $metadata: { httpStatusCode: 400 } });
}

let client: CostExplorerClient;
let ce: ReturnType<typeof mockClient>;
beforeEach(() => {
  client = makeClient();
  ce = mockClient(client);
});
afterEach(() => ce.restore());

describe('costPeriod', () => {
  it('ends today (UTC, exclusive) and starts lookback days before', () => {
    expect(costPeriod(NOW, 30)).toEqual(PERIOD);
    expect(costPeriod(new Date('2026-03-15T23:59:59.999Z'), 1)).toEqual({ start: '2026-03-14', end: '2026-03-15' });
  });

  it('never starts before the oldest month Cost Explorer keeps', () => {
    expect(costPeriod(new Date('2026-03-01T00:00:00Z'), 395)).toEqual({ start: '2025-02-01', end: '2026-03-01' });
    expect(costPeriod(new Date('2026-03-31T00:00:00Z'), 395)).toEqual({ start: '2025-03-01', end: '2026-03-31' });
  });

  it('refuses lookbacks outside 1..395 whole days', () => {
    for (const bad of [0, -1, 396, 1.5, Number.NaN]) {
      expect(() => costPeriod(NOW, bad)).toThrow(AppError);
    }
  });
});

describe('buildCostAndUsageInput', () => {
  it('asks for daily unblended cost and usage grouped by service, without credits, refunds and tax', () => {
    expect(buildCostAndUsageInput(PERIOD, EXCLUDE)).toEqual({
      TimePeriod: { Start: '2026-02-13', End: '2026-03-15' },
      Granularity: 'DAILY',
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      Metrics: ['UnblendedCost', 'UsageQuantity'],
      Filter: { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund', 'Tax'] } } },
    });
  });

  it('omits Filter entirely when nothing is excluded (Filter: {} is an error)', () => {
    const input = buildCostAndUsageInput(PERIOD, []);
    expect('Filter' in input).toBe(false);
    expect(buildCostAndUsageInput(PERIOD, [], 'tok').NextPageToken).toBe('tok');
  });
});

describe('fetchServiceCosts', () => {
  it('reads a ten-service month with one request, exact to sub-cent digits', async () => {
    const f = tenServiceFixture(PERIOD.start, PERIOD.end);
    const pages = cePages(f, 1);
    ce.on(GetCostAndUsageCommand).callsFake((input) => pageFor(pages, input));
    let counted = 0;
    const r = await fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: EXCLUDE, onRequest: () => counted++ });

    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(1);
    expect(r.requests).toBe(1);
    expect(counted).toBe(1);
    expect(r.services).toHaveLength(10);
    expect(r.totalText).toBe(unitsToText(totalUnits(f)).replace(/0+$/, ''));
    const kms = r.services.find((s) => s.code === 'awskms');
    expect(kms?.totalText).toBe('0.000037035');
    expect(kms?.days[0]?.costText).toBe('0.0000012345');
    expect(kms?.days[0]?.cost).toBe(0.0000012345);
    const ec2 = r.services.find((s) => s.code === 'AmazonEC2');
    expect(ec2?.totalText).toBe(unitsToText(serviceTotalUnits(f, 'Amazon Elastic Compute Cloud - Compute')).replace(/\.?0+$/, ''));
    expect(ec2?.days).toHaveLength(30);
    expect(ec2?.days.map((d) => d.estimated).filter(Boolean)).toHaveLength(2);
    expect(ec2?.days.at(-1)).toMatchObject({ date: '2026-03-14', estimated: true, usageQuantity: 24, usageUnit: 'Hrs' });
    expect(r.estimatedDays).toEqual(['2026-03-13', '2026-03-14']);
    expect(r.services.find((s) => s.displayName === 'Amazon Quantum Widget Service')).toMatchObject({ code: 'ce:amazon-quantum-widget-service', category: 'Other', known: false });
    // Highest total first.
    expect(r.services[0]?.code).toBe('AmazonRDS');
  });

  it('follows NextPageToken: three pages, three requests, the same result as one page', async () => {
    const f = tenServiceFixture(PERIOD.start, PERIOD.end);
    const pages = cePages(f, 3);
    ce.on(GetCostAndUsageCommand).callsFake((input) => pageFor(pages, input));
    const r = await fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: EXCLUDE });
    const calls = ce.commandCalls(GetCostAndUsageCommand);
    expect(calls.map((c) => c.args[0].input.NextPageToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(r.requests).toBe(3);

    const one = makeClient();
    const m1 = mockClient(one);
    const single = cePages(f, 1);
    m1.on(GetCostAndUsageCommand).callsFake((input) => pageFor(single, input));
    const r1 = await fetchServiceCosts(one, { period: PERIOD, excludeRecordTypes: EXCLUDE });
    m1.restore();
    expect({ ...r, requests: 0 }).toEqual({ ...r1, requests: 0 });
  });

  it('merges names that share a code with an exact sum', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      $metadata: {},
      ResultsByTime: [
        {
          TimePeriod: { Start: '2026-03-14', End: '2026-03-15' },
          Estimated: false,
          Groups: [
            { Keys: ['AmazonCloudWatch'], Metrics: { UnblendedCost: { Amount: '0.1', Unit: 'USD' } } },
            { Keys: ['Amazon CloudWatch'], Metrics: { UnblendedCost: { Amount: '0.2', Unit: 'USD' } } },
          ],
        },
      ],
    });
    const r = await fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: [] });
    expect(r.services).toHaveLength(1);
    expect(r.services[0]?.days[0]).toMatchObject({ costText: '0.3', cost: 0.3, usageQuantity: null });
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]?.args[0].input.Filter).toBeUndefined();
  });

  it.each([
    ['InvalidNextTokenException', () => ceError(InvalidNextTokenException, 'bad token')],
    ['RequestChangedException', () => ceError(RequestChangedException, 'changed')],
  ])('restarts from the first page once after %s, counting every request', async (_name, make) => {
    const f = tenServiceFixture(PERIOD.start, PERIOD.end);
    const pages = cePages(f, 3);
    let failed = false;
    ce.on(GetCostAndUsageCommand).callsFake((input) => {
      if (input.NextPageToken === 'page-2' && !failed) {
        failed = true;
        throw make();
      }
      return pageFor(pages, input);
    });
    const r = await fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: EXCLUDE });
    expect(ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input.NextPageToken)).toEqual([undefined, 'page-2', undefined, 'page-2', 'page-3']);
    expect(r.requests).toBe(5);
    expect(r.totalText).toBe(unitsToText(totalUnits(f)).replace(/0+$/, ''));
  });

  it('gives up after the second restart-worthy error', async () => {
    const pages = cePages(tenServiceFixture(PERIOD.start, PERIOD.end), 2);
    ce.on(GetCostAndUsageCommand).callsFake((input) => {
      if (input.NextPageToken === 'page-2') throw ceError(RequestChangedException, 'changed');
      return pageFor(pages, input);
    });
    await expect(fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: EXCLUDE })).rejects.toMatchObject({ code: 'aws.service_error' });
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(4);
  });

  it('stops on a repeated page token instead of paying forever', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ $metadata: {}, ResultsByTime: [], NextPageToken: 'same' });
    await expect(fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: EXCLUDE })).rejects.toMatchObject({ code: 'aws.service_error' });
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
  });

  it('makes no request when already cancelled, and passes the signal to the SDK', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: EXCLUDE, signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0);

    const live = new AbortController();
    ce.on(GetCostAndUsageCommand).resolves({ $metadata: {}, ResultsByTime: [] });
    await fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: EXCLUDE, signal: live.signal });
    expect((ce.send.getCall(0).args as unknown[])[1]).toMatchObject({ abortSignal: live.signal });
  });

  it('rejects an amount that is not a number', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      $metadata: {},
      ResultsByTime: [{ TimePeriod: { Start: '2026-03-14', End: '2026-03-15' }, Groups: [{ Keys: ['Tax'], Metrics: { UnblendedCost: { Amount: 'n/a', Unit: 'USD' } } }] }],
    });
    await expect(fetchServiceCosts(client, { period: PERIOD, excludeRecordTypes: [] })).rejects.toMatchObject({ code: 'aws.service_error' });
  });
});

describe('mapCostExplorerError', () => {
  it.each([
    [accessDenied('User not enabled for cost explorer access'), 'ce.not_enabled', /Billing and Cost Management console.*24 hours/],
    [accessDenied('User: arn:aws:iam::123456789012:user/x is not authorized to perform: ce:GetCostAndUsage'), 'ce.access_denied', /ce:GetCostAndUsage/],
    [ceError(DataUnavailableException, 'Data is not available'), 'ce.data_unavailable', /24 hours/],
    [ceError(LimitExceededException, 'Rate exceeded'), 'ce.limit_exceeded', /limit/],
    [ceError(BillExpirationException, 'expired'), 'ce.bill_expired', /13 months/],
    [Object.assign(new Error('slow down'), { name: 'ThrottlingException' }), 'aws.throttled', /throttling/],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'aws.network', /Cannot reach/],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'cancelled', /cancelled/],
    [Object.assign(new Error('weird'), { name: 'ValidationException' }), 'aws.service_error', /weird/],
  ])('maps %s', (err, code, message) => {
    const e = mapCostExplorerError(err);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('passes AppErrors through', () => {
    const original = new AppError('cancelled', 'x');
    expect(mapCostExplorerError(original)).toBe(original);
  });
});
