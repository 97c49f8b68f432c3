/**
 * The metrics engine against the simulator's CloudWatch (real SDK client, awsJson1_0 query-compatible): batching,
 * paging, the cache and the cost meter, throttling, cancellation, and the rule that a wrong namespace or dimension
 * makes nothing idle.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/fixture';
import { sqliteMetricCache } from '../db/repos/metric-series';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { COALESCE_MAX_MS, COALESCE_QUIET_MS, MetricsEngine, queryKey, type MetricCache } from './engine';
import type { MetricQuery, MetricSpec } from './types';
import { metricsWindow } from './window';

const NOW = new Date('2026-12-06T12:00:00Z');
const REGION = 'eu-west-1';
const NAT: MetricSpec = { namespace: 'AWS/NATGateway', metricName: 'BytesOutToDestination', stat: 'Sum', sparse: false, unit: 'bytes' };
const NAT_PKTS: MetricSpec = { namespace: 'AWS/NATGateway', metricName: 'PacketsInFromSource', stat: 'Sum', sparse: false, unit: 'packets' };
const REQ: MetricSpec = { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', sparse: true, unit: 'requests' };
const OLD = new Date('2026-06-01T00:00:00Z');

const days = (n: number, v: number | null): (number | null)[] => Array.from({ length: n }, () => v);

function fixture(metrics: MetricSeriesFixture[]): AccountFixture {
  return { accountId: '111122223333', regions: [{ name: REGION }], resources: { [REGION]: { metrics } } };
}

let s: SimSession | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

function engine(session: SimSession, over: Partial<ConstructorParameters<typeof MetricsEngine>[0]> = {}): MetricsEngine {
  return new MetricsEngine({
    client: (r) => session.clients.client(CloudWatchClient, r),
    window: metricsWindow(NOW, 30),
    now: () => NOW,
    ...over,
  });
}

describe('metrics engine', () => {
  it('another window of the same region (a longer look back) is batched on its own and metered with the scan', async () => {
    const ids = ['nat-00000000000000001', 'nat-00000000000000002'];
    // Traffic 60 days ago only: idle over 30 days, active over 90.
    const metrics = ids.map((id) => ({ namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: id }, daily: [...days(40, 0), 7, ...days(59, 0)] }));
    s = await openSimSession({ fixture: fixture(metrics), now: NOW });
    const e = engine(s, { cache: sqliteMetricCache(s.db.sqlite, s.accountId), cacheHours: 12 });
    const region = e.forRegion(REGION);
    const long = region.withWindow(metricsWindow(NOW, 90));
    expect(region.withWindow(metricsWindow(NOW, 90))).toBe(long);
    expect(region.withWindow(metricsWindow(NOW, 30))).toBe(region);
    const ask = (m: typeof region) => m.activity(ids.map((id) => ({ createdAt: OLD, activity: 'traffic', queries: [{ spec: NAT, dimensions: { NatGatewayId: id } }] })));
    const [short, longer] = await Promise.all([ask(region), ask(long)]);
    expect(short.map((a) => a.verdict)).toEqual(['idle', 'idle']);
    expect(longer.map((a) => a.verdict)).toEqual(['active', 'active']);
    expect(longer[0]!.window.days).toBe(90);
    // Two calls (one per window), both in the scan's meter.
    expect(s.sim.counts().byOperation['monitoring:GetMetricData']).toBe(2);
    expect(e.meter).toMatchObject({ metricsRequested: 4, getMetricDataCalls: 2 });
  });

  it('outside a scan (a re-check) nothing waits: a request goes out in its own turn', async () => {
    const ids = ['nat-00000000000000001', 'nat-00000000000000002'];
    const metrics = ids.map((id) => ({ namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: id }, daily: days(40, 0) }));
    s = await openSimSession({ fixture: fixture(metrics), now: NOW });
    const region = engine(s).forRegion(REGION);
    // Two asks 20 ms apart: each goes out in its own turn (a scan's engine would hold the first for the second).
    const first = region.fetch([{ spec: NAT, dimensions: { NatGatewayId: ids[0]! } }]);
    await new Promise((r) => setTimeout(r, 20));
    const second = region.fetch([{ spec: NAT, dimensions: { NatGatewayId: ids[1]! } }]);
    await Promise.all([first, second]);
    expect(s.sim.counts().byOperation['monitoring:GetMetricData']).toBe(2);
  });

  it('kinds asking a few milliseconds apart share one call; a request after the longest wait gets its own', async () => {
    const ids = ['nat-00000000000000001', 'nat-00000000000000002', 'nat-00000000000000003'];
    const metrics = ids.map((id) => ({ namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: id }, daily: days(40, 0) }));
    s = await openSimSession({ fixture: fixture(metrics), now: NOW });
    const region = engine(s, { coalesce: true }).forRegion(REGION);
    const ask = (id: string) => region.fetch([{ spec: NAT, dimensions: { NatGatewayId: id } }]);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Three kinds finishing their listings 20 ms apart (inside the quiet gap): one call.
    const first = ask(ids[0]!);
    await sleep(20);
    const second = ask(ids[1]!);
    await sleep(20);
    const third = ask(ids[2]!);
    const got = await Promise.all([first, second, third]);
    expect(got.map((g) => g[0]!.points.length)).toEqual([30, 30, 30]);
    expect(s.sim.counts().byOperation['monitoring:GetMetricData']).toBe(1);
    // Asked again while nothing else waits: a series already fetched is not asked twice, a new one after the
    // batch went out makes its own call (no series waits longer than the longest wait).
    s.sim.resetCounts();
    await ask(ids[0]!);
    expect(s.sim.counts().byOperation['monitoring:GetMetricData'] ?? 0).toBe(0);
    // A stream of requests closer together than the quiet gap still goes out by the longest wait.
    s.sim.resetCounts();
    const t0 = Date.now();
    let firstAnsweredAfter = Infinity;
    const stream: Promise<unknown>[] = [];
    const n = Math.ceil((COALESCE_MAX_MS + 600) / (COALESCE_QUIET_MS / 2));
    for (let i = 0; i < n; i++) {
      const p = region.fetch([{ spec: NAT_PKTS, dimensions: { NatGatewayId: `nat-${String(100 + i).padStart(17, '0')}` } }]);
      if (i === 0) void p.then(() => (firstAnsweredAfter = Date.now() - t0));
      stream.push(p);
      await sleep(COALESCE_QUIET_MS / 2);
    }
    await Promise.all(stream);
    // Requests for longer than the longest wait + 600 ms: the first went out by the longest wait, not after the last.
    expect(firstAnsweredAfter).toBeLessThan(COALESCE_MAX_MS + 400);
    expect(s.sim.counts().byOperation['monitoring:GetMetricData']).toBeGreaterThanOrEqual(2);
  });

  it('1,200 resources × 2 metrics: 2,400 queries in 5 GetMetricData calls of ≤500, metered; the second scan reads them from the cache', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `nat-${String(i).padStart(17, '0')}`);
    // Half idle (zero every day), half with traffic yesterday.
    const metrics = ids.flatMap((id, i) => [
      { namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: id }, daily: [...days(39, 0), i % 2 === 0 ? 0 : 5] },
      { namespace: NAT_PKTS.namespace, metricName: NAT_PKTS.metricName, dimensions: { NatGatewayId: id }, daily: days(40, 0) },
    ]);
    s = await openSimSession({ fixture: fixture(metrics), now: NOW });
    const cache = sqliteMetricCache(s.db.sqlite, s.accountId);
    const e1 = engine(s, { cache, cacheHours: 12 });
    const region = e1.forRegion(REGION);
    // Two handler pages asked in the same turn share calls.
    const [a, b] = await Promise.all([
      region.activity(ids.slice(0, 700).map((id) => ({ createdAt: OLD, activity: 'traffic', queries: [NAT, NAT_PKTS].map((spec) => ({ spec, dimensions: { NatGatewayId: id } })) }))),
      region.activity(ids.slice(700).map((id) => ({ createdAt: OLD, activity: 'traffic', queries: [NAT, NAT_PKTS].map((spec) => ({ spec, dimensions: { NatGatewayId: id } })) }))),
    ]);
    const verdicts = [...a, ...b];
    expect(verdicts.filter((v) => v.verdict === 'idle')).toHaveLength(600);
    expect(verdicts.filter((v) => v.verdict === 'active')).toHaveLength(600);
    expect(verdicts[1]!.lastActiveDay).toBe('2026-12-05');
    const counts = s.sim.counts();
    expect(counts.byOperation['monitoring:GetMetricData']).toBe(5);
    expect(counts.byOperation['monitoring:ListMetrics'] ?? 0).toBe(0);
    expect(s.sim.state.metricQueriesRequested).toBe(2400);
    expect(e1.meter).toEqual({ metricsRequested: 2400, getMetricDataCalls: 5, metricsFromCache: 0, listMetricsCalls: 0 });

    // A second scan inside the cache window: no request, nothing billed, the same verdicts.
    s.sim.resetCounts();
    const e2 = engine(s, { cache, cacheHours: 12 });
    const again = await e2.forRegion(REGION).activity(ids.map((id) => ({ createdAt: OLD, activity: 'traffic', queries: [NAT, NAT_PKTS].map((spec) => ({ spec, dimensions: { NatGatewayId: id } })) })));
    expect(again.map((v) => v.verdict)).toEqual(verdicts.map((v) => v.verdict));
    expect(s.sim.counts().byOperation['monitoring:GetMetricData'] ?? 0).toBe(0);
    expect(e2.meter).toMatchObject({ metricsRequested: 0, getMetricDataCalls: 0, metricsFromCache: 2400 });
    // Outside the window (cacheHours 0): asked again.
    const e3 = engine(s, { cache, cacheHours: 0 });
    await e3.forRegion(REGION).fetch(ids.slice(0, 10).map((id) => ({ spec: NAT, dimensions: { NatGatewayId: id } })));
    expect(e3.meter.metricsRequested).toBe(10);
  });

  it('does not wait for the cache to store what it fetched, and a failed store fails nothing; settled() waits for the stores', async () => {
    const ids = ['nat-00000000000000001', 'nat-00000000000000002'];
    s = await openSimSession({ fixture: fixture(ids.map((id) => ({ namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: id }, daily: days(40, 0) }))), now: NOW });
    const real = sqliteMetricCache(s.db.sqlite, s.accountId);
    let release!: () => void;
    const stored: string[] = [];
    const slow: MetricCache = {
      get: (...a) => real.get(...a),
      // A store that answers only when released (the writer thread behind a batch), then fails for the second key.
      put: (region, entries, window, at) =>
        new Promise<void>((resolve, reject) => {
          release = () => {
            real.put(region, entries.filter(([k]) => k.includes('00001')), window, at);
            stored.push(...entries.map(([k]) => k));
            if (entries.some(([k]) => k.includes('00002'))) reject(new Error('database is locked'));
            else resolve();
          };
        }),
    };
    const e = engine(s, { cache: slow, cacheHours: 12 });
    const series = await e.forRegion(REGION).fetch(ids.map((id) => ({ spec: NAT, dimensions: { NatGatewayId: id } })));
    // The series came back while their store was still waiting.
    expect(series.map((x) => x.status)).toEqual(['Complete', 'Complete']);
    expect(stored).toEqual([]);
    let settled = false;
    const waiting = e.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    await waiting; // the failed store is swallowed: settled() resolves
    expect(stored).toHaveLength(2);
    expect(s.db.sqlite.prepare('SELECT COUNT(*) FROM metric_series').pluck().get()).toBe(1);
  });

  it('follows NextToken pages and meters every page', async () => {
    const metrics = Array.from({ length: 4 }, (_, i) => ({ namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: `n${i}` }, daily: days(40, i) }));
    s = await openSimSession({ fixture: fixture(metrics), now: NOW });
    const e = engine(s, { maxDatapoints: 50 });
    const series = await e.forRegion(REGION).fetch(metrics.map((m) => ({ spec: NAT, dimensions: m.dimensions })));
    expect(series.map((x) => x.points.length)).toEqual([30, 30, 30, 30]);
    expect(series.every((x) => x.status === 'Complete')).toBe(true);
    expect(series[3]!.points[0]).toEqual(['2026-11-06', 3]);
    const calls = s.sim.counts().byOperation['monitoring:GetMetricData']!;
    expect(calls).toBeGreaterThan(1);
    expect(e.meter.getMetricDataCalls).toBe(calls);
    expect(e.meter.metricsRequested).toBe(4 * calls);
  });

  it('a wrong namespace or dimension makes nothing idle (dense and sparse)', async () => {
    const metrics = [
      { namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: 'nat-1' }, daily: days(40, 0) },
      // Another ALB has traffic: RequestCount {LoadBalancer} is confirmed in this region.
      { namespace: REQ.namespace, metricName: REQ.metricName, dimensions: { LoadBalancer: 'app/busy/1' }, daily: days(40, 3) },
    ];
    s = await openSimSession({ fixture: fixture(metrics), now: NOW });
    const r = engine(s).forRegion(REGION);
    const ask = (q: MetricQuery) => r.activity([{ createdAt: OLD, activity: 'traffic', queries: [q] }]).then((x) => x[0]!.verdict);
    expect(await ask({ spec: NAT, dimensions: { NatGatewayId: 'nat-1' } })).toBe('idle');
    expect(await ask({ spec: { ...NAT, namespace: 'AWS/VPC' }, dimensions: { NatGatewayId: 'nat-1' } })).toBe('unknown');
    expect(await ask({ spec: NAT, dimensions: { NatGateway: 'nat-1' } })).toBe('unknown');
    // Sparse: an idle ALB (no datapoints) is idle with the right shape, unknown with a wrong namespace or dimension name.
    expect(await ask({ spec: REQ, dimensions: { LoadBalancer: 'app/idle/2' } })).toBe('idle');
    expect(await ask({ spec: { ...REQ, namespace: 'AWS/ELB' }, dimensions: { LoadBalancer: 'app/idle/2' } })).toBe('unknown');
    expect(await ask({ spec: REQ, dimensions: { LoadBalancerName: 'idle' } })).toBe('unknown');
    // One listing per shape asked (memoized per region), never one per resource.
    expect(s.sim.counts().byOperation['monitoring:ListMetrics']).toBe(3);
  });

  it('a sparse metric with no series of that shape anywhere in the region stays unknown', async () => {
    s = await openSimSession({ fixture: fixture([]), now: NOW });
    const [v] = await engine(s).forRegion(REGION).activity([{ createdAt: OLD, activity: 'traffic', queries: [{ spec: REQ, dimensions: { LoadBalancer: 'app/x/1' } }] }]);
    expect(v!.verdict).toBe('unknown');
    expect(v!.reason).toContain('cannot be confirmed');
  });

  it('survives throttling (adaptive retries) and stops when the scan is cancelled', async () => {
    const metrics = Array.from({ length: 30 }, (_, i) => ({ namespace: NAT.namespace, metricName: NAT.metricName, dimensions: { NatGatewayId: `n${i}` }, daily: days(40, 0) }));
    s = await openSimSession({ fixture: fixture(metrics), now: NOW });
    s.sim.setFaults({ throttleRate: 0.4, seed: 7 });
    const series = await engine(s).forRegion(REGION).fetch(metrics.map((m) => ({ spec: NAT, dimensions: m.dimensions })));
    expect(series.every((x) => x.points.length === 30)).toBe(true);
    s.sim.setFaults({ latencyMs: 200 });
    const ac = new AbortController();
    const p = engine(s, { signal: ac.signal }).forRegion(REGION).fetch([{ spec: NAT, dimensions: { NatGatewayId: 'n1' } }]);
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keys a series by its namespace, metric, statistic and dimension set (order-insensitive)', () => {
    const a = queryKey({ spec: NAT, dimensions: { A: '1', B: '2' } });
    expect(queryKey({ spec: NAT, dimensions: { B: '2', A: '1' } })).toBe(a);
    expect(queryKey({ spec: { ...NAT, stat: 'Maximum' }, dimensions: { A: '1', B: '2' } })).not.toBe(a);
  });
});
