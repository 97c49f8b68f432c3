/**
 * A region's CloudWatch-judged kinds share GetMetricData calls: they start first in their region, together (their own
 * per-region pool), and the metrics engine's coalescing window joins their series (metrics/engine.ts). One call per
 * kind was the old count.
 */
import { afterEach, expect, it } from 'vitest';
import { generateAccount } from '../../../e2e/aws-sim/index';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { runScan } from './scanner';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];

let s: SimSession | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

it("a region's metric-judged kinds share one or two GetMetricData calls, not one each; findings as expected", async () => {
  const g = generateAccount({ regions: REGIONS, instances: 20, volumes: 40, snapshots: 30, addresses: 10, images: 10 });
  s = await openSimSession({ fixture: g.fixture });
  const out = await runScan(s.scanDeps(), { regions: REGIONS });
  expect(out.status).toBe('succeeded');
  expect(out.findings).toBe(g.unused.length);
  const kinds = s.registry.list().filter((h) => h.iam.scan.includes('cloudwatch:GetMetricData'));
  const withMetrics = new Set(g.unused.map((u) => u.type)).size;
  const calls = s.sim.counts().byOperationAndRegion['monitoring:GetMetricData'] ?? {};
  console.log(JSON.stringify({ metricKinds: kinds.length, kindsWithFindings: withMetrics, getMetricDataByRegion: calls, metricQueries: s.sim.state.metricQueriesRequested }));
  for (const region of REGIONS) {
    // At least one call (the generated account has NAT gateways, load balancers, databases… in every region), and at
    // most 3: the 11 kinds start together in their own per-region pool (1 call on an idle machine; 3 was seen once on
    // a machine with a load of 4–6 on 2 cores, when a kind's listing outlasted the 300 ms quiet window).
    // Each kind making its own call gave 5–7 per region here.
    expect(calls[region] ?? 0, region).toBeGreaterThanOrEqual(1);
    expect(calls[region] ?? 0, region).toBeLessThanOrEqual(3);
  }
  expect(kinds.length).toBeGreaterThan(6);
}, 60_000);
