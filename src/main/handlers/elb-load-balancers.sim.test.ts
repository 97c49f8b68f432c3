/**
 * The load balancer kind against the simulator (real SDK clients over HTTP: ELBv2, Classic ELB, CloudWatch): the
 * verdict rules, protection, costs written out by hand from the published us-east-1 prices, the scan's call budget
 * (listings and batched metrics only), the re-check's exact reads and the audited delete.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/index';
import { metricKey, putDailySeries } from '../../../e2e/aws-sim/metrics-state';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { MetricsEngine } from '../metrics/engine';
import { metricsWindow } from '../metrics/window';
import { CATALOG } from '../discovery/service-catalog';
import { createBundledPriceBook } from '../pricing/price-book';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { ELB_METRICS, lbDimension, type LbMetricSpecs, type LbType } from './elb-common';
import { createLoadBalancersHandler, loadBalancersHandler } from './elb-load-balancers';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const DAYS = 30;
const every = (v: number | null): (number | null)[] => Array<number | null>(DAYS).fill(v);
const lb = (name: string): string => `{{loadBalancer:${name}}}`;
const tg = (name: string): string => `{{targetGroup:${name}}}`;
const metric = (namespace: string, metricName: string, dimensions: Record<string, string>, daily: (number | null)[]): MetricSeriesFixture => ({
  namespace,
  metricName,
  dimensions,
  daily,
});
const healthy = (ns: string, lbName: string, tgName: string, daily: (number | null)[]): MetricSeriesFixture =>
  metric(ns, 'HealthyHostCount', { TargetGroup: tg(tgName), LoadBalancer: lb(lbName) }, daily);

/** Enough load balancers with one target group each for more than 500 metric queries in one page. */
const MANY = 300;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'us-west-2' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      elb: {
        loadBalancers: [
          { name: 'alb-empty' },
          { name: 'alb-busy' },
          { name: 'alb-quiet' },
          { name: 'alb-redirect' },
          { name: 'alb-unhealthy' },
          { name: 'alb-young', createdDaysAgo: 5 },
          { name: 'alb-eks', tags: { 'elbv2.k8s.aws/cluster': 'prod', 'elbv2.k8s.aws/stack': 'default/web' } },
          { name: 'alb-cfn', tags: { 'aws:cloudformation:stack-name': 'web-stack' } },
          { name: 'alb-keep', tags: { 'cloud-cleaner:keep': 'true' } },
          { name: 'alb-locked', deletionProtection: true },
          { name: 'nlb-idle', type: 'network', scheme: 'internal' },
          { name: 'nlb-gaps', type: 'network', scheme: 'internal' },
          { name: 'nlb-none', type: 'network' },
          { name: 'gwlb-none', type: 'gateway', scheme: 'internal', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
          { name: 'alb-failed', state: 'failed' },
        ],
        targetGroups: [
          { name: 'busy-tg', loadBalancers: ['alb-busy'], targets: [{ id: 'i-0a1' }, { id: 'i-0a2' }] },
          { name: 'quiet-tg', loadBalancers: ['alb-quiet'], targets: [{ id: 'i-0b1' }] },
          { name: 'unhealthy-tg', loadBalancers: ['alb-unhealthy'], targets: [{ id: 'i-0c1', health: 'unhealthy' }] },
          { name: 'young-tg', loadBalancers: ['alb-young'], targets: [{ id: 'i-0d1' }] },
          { name: 'nlb-idle-tg', protocol: 'TCP', loadBalancers: ['nlb-idle'], targetType: 'ip', targets: [{ id: '10.0.0.5' }] },
          { name: 'nlb-gaps-tg', protocol: 'TCP', loadBalancers: ['nlb-gaps'], targetType: 'ip', targets: [{ id: '10.0.0.6' }] },
          { name: 'spare-tg' },
        ],
        classicLoadBalancers: [
          { name: 'clb-empty' },
          { name: 'clb-busy', instances: [{ instanceId: 'i-0e1' }] },
        ],
      },
      metrics: [
        metric('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: lb('alb-busy') }, every(120)),
        healthy('AWS/ApplicationELB', 'alb-busy', 'busy-tg', every(2)),
        healthy('AWS/ApplicationELB', 'alb-quiet', 'quiet-tg', every(1)),
        metric('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: lb('alb-redirect') }, [...every(null).slice(1), 7]),
        healthy('AWS/ApplicationELB', 'alb-unhealthy', 'unhealthy-tg', every(0)),
        metric('AWS/NetworkELB', 'NewFlowCount', { LoadBalancer: lb('nlb-idle') }, every(0)),
        healthy('AWS/NetworkELB', 'nlb-idle', 'nlb-idle-tg', every(1)),
        metric('AWS/NetworkELB', 'NewFlowCount', { LoadBalancer: lb('nlb-gaps') }, every(0).map((v, i) => (i % 7 === 3 ? null : v))),
        healthy('AWS/NetworkELB', 'nlb-gaps', 'nlb-gaps-tg', every(1)),
        metric('AWS/ELB', 'RequestCount', { LoadBalancerName: 'clb-busy' }, every(40)),
        metric('AWS/ELB', 'HealthyHostCount', { LoadBalancerName: 'clb-busy' }, every(1)),
      ],
    },
    // No application load balancer of this region has any RequestCount: the metric's shape cannot be confirmed here.
    'us-west-2': {
      elb: {
        loadBalancers: [{ name: 'lonely' }],
        targetGroups: [{ name: 'lonely-tg', loadBalancers: ['lonely'], targets: [{ id: 'i-0f1' }] }],
      },
      metrics: [healthy('AWS/ApplicationELB', 'lonely', 'lonely-tg', every(1))],
    },
    'eu-west-1': {
      elb: {
        loadBalancers: Array.from({ length: MANY }, (_, i) => ({ name: `many-${String(i).padStart(3, '0')}`, scheme: 'internal' as const })),
        targetGroups: Array.from({ length: MANY }, (_, i) => ({ name: `many-tg-${String(i).padStart(3, '0')}`, loadBalancers: [`many-${String(i).padStart(3, '0')}`] })),
      },
    },
  },
};

let s: SimSession;
const prices = createBundledPriceBook(loadBalancersHandler.priceKeys ?? []);

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return {
    region,
    accountId: ACCOUNT,
    client: <C extends Destroyable>(ctor: SdkClientClass<C>) => s.clients.client(ctor, region),
    prices: prices.forRegion(region),
    settings: DEFAULT_HANDLER_SETTINGS,
    now: NOW,
    ...over,
  };
}

async function scan(region: string, handler = loadBalancersHandler, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const page of handler.scan(ctxFor(region, over))) out.push(...page);
  return out;
}

let east: Finding[];
const byName = (list: Finding[], name: string): Finding => {
  const f = list.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no finding ${name}`);
  return f;
};
const stored = (f: Finding): StoredFinding => ({ ...f, id: 1 });
const verdictOf = (f: Finding): string | undefined => (f.details['metrics'] as { verdict?: string } | undefined)?.verdict;

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('elb:load-balancer scan', () => {
  it('lists every load balancer of both APIs, with its type', () => {
    expect(east).toHaveLength(17);
    expect(byName(east, 'alb-empty').resourceId).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer\/app\/alb-empty\//);
    expect(byName(east, 'clb-empty').resourceId).toBe('clb-empty');
    expect(byName(east, 'nlb-idle').details['lbType']).toBe('network');
    expect(byName(east, 'gwlb-none').details['lbType']).toBe('gateway');
    expect(byName(east, 'clb-busy').details['lbType']).toBe('classic');
    expect(byName(east, 'alb-empty').details['deletionProtection']).toBeNull(); // read before deletion
  });

  it('an ALB without a target group is unused, priced hourly + one public IPv4 per AZ', () => {
    const f = byName(east, 'alb-empty');
    expect(f).toMatchObject({ unused: true, unusedReason: 'No target group', protected: false, state: 'active' });
    expect(f.monthlyCost).toBeCloseTo(730 * 0.0225 + 2 * 730 * 0.005, 6);
    expect(f.costBasis).toContain('1 public IPv4 per AZ (2 AZs)');
    expect(f.costBasis).toContain('no LCU usage charges without traffic');
    expect(f.details['targetGroups']).toEqual([]);
  });

  it('an ALB without a target group that answers requests is in use (redirects or fixed responses)', () => {
    const f = byName(east, 'alb-redirect');
    expect(f.unused).toBe(false);
    expect(f.details['activity']).toMatch(/^In use: answers requests without targets \(redirects or fixed responses\): RequestCount 7 requests on 2026-11-24/);
    expect(verdictOf(f)).toBe('active');
  });

  it('an ALB with healthy targets and requests is in use; its cost says LCUs are not estimated', () => {
    const f = byName(east, 'alb-busy');
    expect(f.unused).toBe(false);
    expect(f.details['activity']).toBe('In use: RequestCount 120 requests on 2026-11-24');
    expect(f.details['targetGroups']).toEqual([{ arn: expect.stringContaining(':targetgroup/busy-tg/'), name: 'busy-tg', targetType: 'instance' }]);
    expect(f.costBasis).toContain('+ LCU usage (not estimated)');
    expect(f.monthlyCost).toBeCloseTo(730 * 0.0225 + 2 * 730 * 0.005, 6);
  });

  it('an ALB with targets and no RequestCount at all is idle when another ALB of the region has requests (shape confirmed)', () => {
    const f = byName(east, 'alb-quiet');
    expect(f.unused).toBe(true);
    expect(f.unusedReason).toMatch(/^No traffic for 30 days: RequestCount 0 every day from 2026-10-26 to 2026-11-24/);
    expect(f.unusedSince).toBe('2026-10-26T00:00:00.000Z');
    expect(verdictOf(f)).toBe('idle');
  });

  it('the same ALB is unknown, not idle, where no ALB of the region has requests (the shape cannot be confirmed)', async () => {
    const [f] = await scan('us-west-2');
    expect(f).toMatchObject({ name: 'lonely', unused: false, unusedReason: null });
    expect(verdictOf(f!)).toBe('unknown');
    expect(f!.details['activity']).toMatch(/^Unknown: .*CloudWatch lists no AWS\/ApplicationELB RequestCount with dimensions \{LoadBalancer\}/);
    // No bundled ELB price for us-west-2: unknown, never $0.
    expect(f!.monthlyCost).toBeNull();
    expect(f!.costBasis).toMatch(/^Cost unknown: no ALB hourly price/);
  });

  it('an ALB whose target groups had no healthy target on any day is unused', () => {
    const f = byName(east, 'alb-unhealthy');
    expect(f.unused).toBe(true);
    expect(f.unusedReason).toBe('No healthy targets in 30 days (HealthyHostCount 0 every day from 2026-10-26 to 2026-11-24)');
    expect((f.details['metrics'] as { series: { metricName: string }[] }).series.map((x) => x.metricName)).toEqual(['HealthyHostCount']);
  });

  it('a load balancer younger than the window is not judged idle', () => {
    const f = byName(east, 'alb-young');
    expect(f.unused).toBe(false);
    expect(f.details['activity']).toMatch(/too young to judge/);
  });

  it('an NLB with NewFlowCount 0 every day is idle; one with missing days is unknown', () => {
    const idle = byName(east, 'nlb-idle');
    expect(idle).toMatchObject({ unused: true });
    expect(idle.unusedReason).toMatch(/^No traffic for 30 days: NewFlowCount 0 every day/);
    // Internal: no public IPv4.
    expect(idle.monthlyCost).toBeCloseTo(730 * 0.0225, 6);
    expect(idle.costBasis).toBe('NLB 730 h × $0.0225 (us-east-1); no LCU usage charges without traffic');
    const gaps = byName(east, 'nlb-gaps');
    expect(gaps.unused).toBe(false);
    expect(verdictOf(gaps)).toBe('unknown');
    expect(gaps.details['activity']).toMatch(/no datapoints on 4 of 30 days/);
  });

  it('an NLB or GWLB without a target group is unused (a GWLB priced per AZ)', () => {
    expect(byName(east, 'nlb-none')).toMatchObject({ unused: true, unusedReason: 'No target group: it cannot forward anything' });
    const g = byName(east, 'gwlb-none');
    expect(g).toMatchObject({ unused: true, unusedReason: 'No target group: it cannot forward anything' });
    expect(g.monthlyCost).toBeCloseTo(3 * 730 * 0.0125, 6);
    expect(g.costBasis).toContain('GWLB 3 AZs × 730 h × $0.0125');
  });

  it('a load balancer that is not active is not judged', () => {
    const f = byName(east, 'alb-failed');
    expect(f).toMatchObject({ state: 'failed', unused: false });
    expect(f.details['activity']).toBe('Not judged: the load balancer is failed');
  });

  it('a Classic load balancer with no registered instance is unused; one with requests is in use', () => {
    const e = byName(east, 'clb-empty');
    expect(e).toMatchObject({ unused: true, unusedReason: 'No registered instances', state: null });
    expect(e.monthlyCost).toBeCloseTo(730 * 0.025 + 2 * 730 * 0.005, 6);
    expect(e.costBasis).toContain('no data processed charges without traffic');
    expect(e.details['deletionProtection']).toBe(false);
    const b = byName(east, 'clb-busy');
    expect(b).toMatchObject({ unused: false });
    expect(b.details['registeredInstances']).toEqual(['i-0e1']);
    expect(b.details['activity']).toBe('In use: RequestCount 40 requests on 2026-11-24');
  });

  it('EKS- and CloudFormation-managed load balancers and the protection tag are protected, with the reason', () => {
    expect(byName(east, 'alb-eks')).toMatchObject({
      unused: true,
      protected: true,
      protectedReason: 'Managed by the AWS Load Balancer Controller of the EKS cluster prod: it will be recreated — delete it from its owner',
    });
    expect(byName(east, 'alb-cfn').protectedReason).toBe(
      'Managed by the CloudFormation stack web-stack: it will be recreated or the stack will drift — delete it from its owner',
    );
    expect(byName(east, 'alb-keep')).toMatchObject({ protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
    expect(byName(east, 'alb-empty').protected).toBe(false);
  });

  it('tags that cannot be read protect: protection cannot be checked', async () => {
    s.sim.state.deny.add('elasticloadbalancing:DescribeTags');
    try {
      const found = await scan('us-east-1');
      expect(found.length).toBeGreaterThan(0);
      for (const f of found) expect(f.protectedReason).toMatch(/^Its tags could not be read/);
    } finally {
      s.sim.state.deny.delete('elasticloadbalancing:DescribeTags');
    }
  });

  it('declares the Cost Explorer service of Amazon Elastic Load Balancing', () => {
    expect(CATALOG.find((e) => e.displayName === 'Amazon Elastic Load Balancing')?.code).toBe(loadBalancersHandler.billingServiceCode);
    expect(loadBalancersHandler.serviceCodes).toEqual([loadBalancersHandler.billingServiceCode]);
  });

  it('a wrong namespace in a spec makes nothing idle', async () => {
    const wrong = Object.fromEntries(
      Object.entries(ELB_METRICS).map(([t, spec]) => [
        t,
        { traffic: { ...spec.traffic, namespace: `${spec.traffic.namespace}-typo` }, healthy: { ...spec.healthy, namespace: `${spec.healthy.namespace}-typo` } },
      ]),
    ) as Record<LbType, LbMetricSpecs>;
    const found = await scan('us-east-1', createLoadBalancersHandler(wrong));
    expect(found.filter((f) => verdictOf(f) === 'idle')).toEqual([]);
    for (const name of ['alb-quiet', 'nlb-idle', 'alb-unhealthy']) {
      expect(byName(found, name).unused).toBe(false);
      expect(byName(found, name).details['activity']).toMatch(/^Unknown: /);
    }
    // Only the rules that need no metric still flag.
    expect(new Set(found.filter((f) => f.unused).map((f) => f.unusedReason))).toEqual(
      new Set(['No target group', 'No target group: it cannot forward anything', 'No registered instances']),
    );
  });

  it('a scan makes listings and batched metric calls only, never a call per load balancer', async () => {
    s.sim.resetCounts();
    const engine = new MetricsEngine({ client: (r) => s.clients.client(CloudWatchClient, r), window: metricsWindow(NOW) });
    const found = await scan('eu-west-1', loadBalancersHandler, { metrics: engine.forRegion('eu-west-1') });
    expect(found).toHaveLength(MANY);
    const ops = s.sim.counts().byOperation;
    expect(ops['elasticloadbalancing:DescribeTargetHealth']).toBeUndefined();
    expect(ops['elasticloadbalancing:DescribeLoadBalancerAttributes']).toBeUndefined();
    expect(ops['elasticloadbalancing:DescribeInstanceHealth']).toBeUndefined();
    // One page of 300 v2 load balancers (PageSize 400), one of Classic ones, one listing of the region's target groups.
    expect(ops['elasticloadbalancing:DescribeLoadBalancers']).toBe(2);
    expect(ops['elasticloadbalancing:DescribeTargetGroups']).toBe(1);
    expect(ops['elasticloadbalancing:DescribeTags']).toBe(Math.ceil(MANY / 20));
    // Each: RequestCount + HealthyHostCount of its one group = 600 queries → 2 GetMetricData calls.
    const queries = MANY * 2;
    expect(engine.meter.metricsRequested).toBe(queries);
    expect(engine.meter.getMetricDataCalls).toBe(Math.ceil(queries / 500));
    expect(ops['monitoring:GetMetricData']).toBe(Math.ceil(queries / 500));
  });

  it('a denied elasticloadbalancing:DescribeLoadBalancers fails the scan with an error naming the action', async () => {
    s.sim.state.deny.add('elasticloadbalancing:DescribeLoadBalancers');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/elasticloadbalancing:DescribeLoadBalancers/);
    } finally {
      s.sim.state.deny.delete('elasticloadbalancing:DescribeLoadBalancers');
    }
  });
});

describe('elb:load-balancer re-check and delete', () => {
  it('re-checks with exact reads: unchanged when still idle, with live target counts', async () => {
    const r = await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(byName(east, 'alb-quiet')));
    expect(r.status).toBe('unchanged');
    if (r.status !== 'unchanged') return;
    expect(r.current.details).toMatchObject({ registeredTargets: 1, healthyTargets: 1, deletionProtection: false });
  });

  it('traffic seen since the review changes an idle finding', async () => {
    const f = byName(east, 'alb-quiet');
    const metrics = s.sim.state.region('us-east-1').metrics;
    const series = putDailySeries(metrics, { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: [{ name: 'LoadBalancer', value: lbDimension(f.resourceId) }], daily: [5] }, NOW);
    try {
      const r = await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(f));
      expect(r).toMatchObject({ status: 'changed', reason: 'No longer unused: In use: RequestCount 5 requests on 2026-11-24' });
    } finally {
      metrics.delete(metricKey(series.namespace, series.metricName, series.dimensions));
    }
  });

  it('a target that became healthy changes an "unhealthy" finding', async () => {
    const group = [...s.sim.state.region('us-east-1').elb.targetGroups.values()].find((g) => g.name === 'unhealthy-tg')!;
    group.targets[0]!.health = 'healthy';
    try {
      const r = await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(byName(east, 'alb-unhealthy')));
      // It has a healthy target now, but no requests either: still unused, for another reason than the reviewed one.
      expect(r).toMatchObject({ status: 'changed', reason: expect.stringMatching(/^Unused now for another reason than the one reviewed: No traffic for 30 days/) });
      if (r.status === 'changed') expect(r.current?.details).toMatchObject({ healthyTargets: 1, registeredTargets: 1 });
    } finally {
      group.targets[0]!.health = 'unhealthy';
    }
  });

  it('a target group attached since the review changes the finding', async () => {
    const elb = s.sim.state.region('us-east-1').elb;
    const spare = [...elb.targetGroups.values()].find((g) => g.name === 'spare-tg')!;
    const nlb = byName(east, 'nlb-none');
    spare.loadBalancerArns = [nlb.resourceId];
    try {
      const r = await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(nlb));
      expect(r).toMatchObject({ status: 'changed', reason: expect.stringMatching(/^Target groups changed since the review: now .*spare-tg/) });
    } finally {
      spare.loadBalancerArns = [];
    }
  });

  it('deletion protection: the re-check says protected, the delete is refused, and it is never switched off', async () => {
    const f = byName(east, 'alb-locked');
    expect(f).toMatchObject({ unused: true, protected: false });
    const r = await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(f));
    expect(r).toMatchObject({
      status: 'protected',
      reason: 'Deletion protection is on: turn it off yourself if you mean to delete it (Cloud Cleaner never switches it off)',
    });
    s.sim.resetCounts();
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    const out = await loadBalancersHandler.delete(ctx, stored(f), { dryRun: false });
    expect(out).toEqual({ kind: 'refused', reason: expect.stringMatching(/^Deletion protection is on/) });
    expect(ctx.log).toEqual([{ action: 'DeleteLoadBalancer', target: f.resourceId, dryRun: false }]);
    expect(s.sim.counts().byOperation['elasticloadbalancing:ModifyLoadBalancerAttributes']).toBeUndefined();
    expect(s.sim.state.region('us-east-1').elb.loadBalancers.get(f.resourceId)?.deletionProtection).toBe(true);
  });

  it('refuses tag-protected and managed load balancers without sending anything', async () => {
    s.sim.resetCounts();
    for (const name of ['alb-keep', 'alb-eks']) {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
      const out = await loadBalancersHandler.delete(ctx, stored(byName(east, name)), { dryRun: false });
      expect(out.kind).toBe('refused');
      expect(ctx.log).toEqual([]);
    }
    expect(s.sim.counts().byOperation['elasticloadbalancing:DeleteLoadBalancer']).toBeUndefined();
  });

  it('a dry run sends nothing: the cleanup verifies by re-check and permission check', async () => {
    s.sim.resetCounts();
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    const out = await loadBalancersHandler.delete(ctx, stored(byName(east, 'alb-empty')), { dryRun: true });
    expect(out).toMatchObject({ kind: 'checked', calls: [] });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
    expect(loadBalancersHandler.verification.method).toBe('permission-check');
  });

  it('deletes a v2 load balancer through the audit log; its target groups stay; the re-check then says gone', async () => {
    const nlb = byName(east, 'nlb-idle');
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    let inside = false;
    const audited = ctx.audited.bind(ctx);
    ctx.audited = (call, fn) => audited(call, async () => ((inside = ctx.inside()), fn()));
    const out = await loadBalancersHandler.delete(ctx, stored(nlb), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: [`DeleteLoadBalancer ${nlb.resourceId}`] });
    expect(inside).toBe(true);
    expect(ctx.log).toEqual([{ action: 'DeleteLoadBalancer', target: nlb.resourceId, dryRun: false }]);
    const elb = s.sim.state.region('us-east-1').elb;
    expect(elb.loadBalancers.has(nlb.resourceId)).toBe(false);
    expect([...elb.targetGroups.values()].some((g) => g.name === 'nlb-idle-tg')).toBe(true);
    expect(await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(nlb))).toMatchObject({ status: 'gone' });
  });

  it('deletes a Classic load balancer by name; the re-check then says gone', async () => {
    const clb = byName(east, 'clb-empty');
    expect(await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(clb))).toMatchObject({ status: 'unchanged' });
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    const out = await loadBalancersHandler.delete(ctx, stored(clb), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['DeleteLoadBalancer clb-empty'] });
    expect(ctx.log).toEqual([{ action: 'DeleteLoadBalancer', target: 'clb-empty', dryRun: false }]);
    expect(s.sim.state.region('us-east-1').elb.classic.has('clb-empty')).toBe(false);
    expect(await loadBalancersHandler.recheck(ctxFor('us-east-1'), stored(clb))).toMatchObject({ status: 'gone' });
  });

  it('a denied DeleteLoadBalancer is unauthorized', async () => {
    s.sim.state.deny.add('elasticloadbalancing:DeleteLoadBalancer');
    try {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
      const out = await loadBalancersHandler.delete(ctx, stored(byName(east, 'alb-empty')), { dryRun: false });
      expect(out).toMatchObject({ kind: 'unauthorized', code: 'AccessDenied' });
    } finally {
      s.sim.state.deny.delete('elasticloadbalancing:DeleteLoadBalancer');
    }
  });
});
