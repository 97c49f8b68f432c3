/**
 * The SageMaker endpoint kind against the simulator (real SDK clients over HTTP: SageMaker, the Resource Groups
 * Tagging API, CloudWatch): idle found (sparse Invocations, shape confirmed), in use on any variant, unknown when
 * datapoints are missing and the shape is unconfirmed or the endpoint is young, serverless and inference-component
 * endpoints not judged, protection by tag, costs by hand, call counts, the re-check and the audited delete (the
 * configuration deleted only when no other endpoint uses it).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/index';
import { metricKey, putDailySeries } from '../../../e2e/aws-sim/metrics-state';
import type { UnusedResource } from '../../../e2e/aws-sim/generator';
import type { SageMakerEndpointFixture } from '../../../e2e/aws-sim/sagemaker-state';
import { sagemakerUnused } from '../../../e2e/aws-sim/unused-oracle-sagemaker';
import { MetricsEngine } from '../metrics/engine';
import { metricsWindow } from '../metrics/window';
import { sageMakerHostingHourKey } from '../pricing/keys/sagemaker';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext } from './handler';
import { idleSageMakerEndpointsHandler as handler } from './sagemaker-endpoints';
import { findingById as byName, kindContext, scanAll, storedFinding as stored } from './sim-kind-harness';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const DAYS = 30;
const every = (v: number | null): (number | null)[] => Array<number | null>(DAYS).fill(v);
const inv = (endpoint: string, daily: (number | null)[], variant = 'AllTraffic'): MetricSeriesFixture => ({
  namespace: 'AWS/SageMaker',
  metricName: 'Invocations',
  dimensions: { EndpointName: endpoint, VariantName: variant },
  daily,
});

const ENDPOINTS: SageMakerEndpointFixture[] = [
  { name: 'idle-ep', variants: [{ instanceType: 'ml.m5.large', instanceCount: 2 }] },
  { name: 'zeros-ep' },
  { name: 'busy-ep' },
  {
    name: 'two-variant',
    variants: [
      { name: 'a', instanceType: 'ml.m5.large', instanceCount: 1 },
      { name: 'b', instanceType: 'ml.g5.xlarge', instanceCount: 1 },
    ],
  },
  { name: 'young-ep', createdDaysAgo: 5 },
  { name: 'kept-ep', tags: { 'cloud-cleaner:keep': 'true' } },
  { name: 'serverless-ep', variants: [{ serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } }] },
  { name: 'provisioned-ep', variants: [{ serverless: { memorySizeInMB: 2048, maxConcurrency: 5, provisionedConcurrency: 2 } }] },
  { name: 'ic-ep', variants: [{ model: null, instanceType: 'ml.m5.large', instanceCount: 1 }] },
  { name: 'unpriced-ep', variants: [{ instanceType: 'ml.p4d.24xlarge', instanceCount: 1 }] },
  { name: 'updating-ep', status: 'Updating' },
  { name: 'shared-a', config: 'shared-config' },
  { name: 'shared-b', config: 'shared-config' },
  { name: 'kept-config-ep', configTags: { 'cloud-cleaner:keep': 'yes' } },
];

const MANY = 12;
const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      sagemaker: { endpoints: ENDPOINTS },
      metrics: [
        inv('zeros-ep', every(0)),
        inv('busy-ep', [...every(null).slice(1), 40]),
        inv('two-variant', every(null), 'a'),
        inv('two-variant', [...every(null).slice(3), 7, null, null], 'b'),
      ],
    },
    // No invocation anywhere in the region: CloudWatch lists no AWS/SageMaker Invocations, so the shape is unconfirmed.
    'eu-west-1': {
      sagemaker: { endpoints: Array.from({ length: MANY }, (_, i) => ({ name: `many-${String(i).padStart(2, '0')}` })) },
    },
  },
};

const PRICES = regionPrices('us-east-1', [
  [sageMakerHostingHourKey('ml.m5.large')!, 0.115],
  [sageMakerHostingHourKey('ml.g5.xlarge')!, 1.408],
]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === 'us-east-1' ? PRICES : null, now: NOW, ...over });
}

function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(handler, ctxFor(region, over));
}

const verdictOf = (f: Finding): string | undefined => (f.details['metrics'] as { verdict?: string } | undefined)?.verdict;
const sm = () => s.sim.state.region('us-east-1').sagemaker;

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('sagemaker:endpoint scan', () => {
  it('lists the InService endpoints only', () => {
    expect(east.map((f) => f.resourceId).sort()).toEqual(ENDPOINTS.filter((e) => e.status === undefined).map((e) => e.name).sort());
    expect(byName(east, 'idle-ep')).toMatchObject({
      state: 'InService',
      createdAt: '2026-08-17T12:00:00.000Z',
      details: { endpointConfigName: 'idle-ep-config', variants: 'AllTraffic: 2 × ml.m5.large', arn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/idle-ep` },
    });
  });

  it('no invocation on any day of the lookback is idle: no datapoints (sparse, shape confirmed) or zeros', () => {
    for (const name of ['idle-ep', 'zeros-ep']) {
      const f = byName(east, name);
      expect(f, name).toMatchObject({ unused: true, unusedSince: '2026-10-26T00:00:00.000Z', protected: false });
      expect(verdictOf(f), name).toBe('idle');
    }
    const m = byName(east, 'idle-ep').details['metrics'] as { series: { metricName: string; stat: string; sparse: boolean; dimensions: Record<string, string> }[] };
    expect(m.series.map((x) => [x.metricName, x.stat, x.sparse, x.dimensions])).toEqual([['Invocations', 'Sum', true, { EndpointName: 'idle-ep', VariantName: 'AllTraffic' }]]);
  });

  it('an invocation on any variant is in use', () => {
    expect(byName(east, 'busy-ep')).toMatchObject({ unused: false, details: { activity: 'In use: Invocations 40 invocations on 2026-11-24' } });
    const two = byName(east, 'two-variant');
    expect(two).toMatchObject({ unused: false, details: { activity: 'In use: Invocations 7 invocations on 2026-11-22' } });
    expect((two.details['metrics'] as { series: unknown[] }).series).toHaveLength(2);
  });

  it('a young endpoint is unknown; missing datapoints without a confirmed shape are unknown, never idle', async () => {
    expect(verdictOf(byName(east, 'young-ep'))).toBe('unknown');
    expect(byName(east, 'young-ep')).toMatchObject({ unused: false, unusedReason: null });
    const eu = await scan('eu-west-1');
    expect(eu).toHaveLength(MANY);
    for (const f of eu) {
      expect(f.unused).toBe(false);
      expect(verdictOf(f)).toBe('unknown');
      expect(f.details['activity']).toMatch(/CloudWatch lists no AWS\/SageMaker Invocations with dimensions \{EndpointName, VariantName\}/);
    }
  });

  it('serverless endpoints bill per use and are not judged; provisioned concurrency is billed but unpriced', () => {
    expect(byName(east, 'serverless-ep')).toMatchObject({
      unused: false,
      monthlyCost: 0,
      costBasis: 'serverless variant AllTraffic: $0 (billed per invocation) (us-east-1)',
      details: { activity: 'Not judged: serverless, billed per invocation — an endpoint without invocations costs nothing' },
    });
    expect(byName(east, 'serverless-ep').details['metrics']).toBeUndefined();
    const p = byName(east, 'provisioned-ep');
    expect(p.monthlyCost).toBeNull();
    expect(p.costBasis).toBe('Cost unknown: no SageMaker price for provisioned concurrency 2 of serverless variant AllTraffic (us-east-1)');
    expect(p.unused).toBe(true);
  });

  it('an endpoint hosting inference components is not judged', () => {
    expect(byName(east, 'ic-ep')).toMatchObject({ unused: false, details: { activity: expect.stringMatching(/^Not judged: it hosts inference components/) } });
  });

  it('costs: Σ instance count × 730 h × the hosting hour price; an unpriced type is unknown', () => {
    expect(byName(east, 'idle-ep').monthlyCost).toBeCloseTo(2 * 730 * 0.115, 6);
    expect(byName(east, 'idle-ep').costBasis).toBe('2 × ml.m5.large (variant AllTraffic) × 730 h × $0.115 (us-east-1)');
    expect(byName(east, 'two-variant').monthlyCost).toBeCloseTo(730 * 0.115 + 730 * 1.408, 6);
    expect(byName(east, 'unpriced-ep')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no SageMaker price for ml.p4d.24xlarge hosting hours (us-east-1)' });
  });

  it('the protection tag (tagging API) protects the endpoint; a protected configuration is kept, the endpoint still deletable', () => {
    expect(byName(east, 'kept-ep')).toMatchObject({ unused: true, protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
    const f = byName(east, 'kept-config-ep');
    expect(f.protected).toBe(false);
    const ip = handler.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false });
    expect(ip.parts).toMatchObject([{ resourceType: 'sagemaker:endpoint-config', resourceId: 'kept-config-ep-config', fate: 'kept', protected: true }]);
    expect(handler.parts(byName(east, 'idle-ep'), DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toMatchObject([
      { resourceId: 'idle-ep-config', fate: 'deleted', monthlyCost: 0, protected: false, tags: {} },
    ]);
  });

  it('agrees with the oracle (unused-oracle-sagemaker.ts) in both regions', async () => {
    for (const [region, found] of [['us-east-1', east], ['eu-west-1', await scan('eu-west-1')]] as const) {
      const out: UnusedResource[] = [];
      sagemakerUnused(s.sim.state.region(region), ACCOUNT, NOW, out);
      const oracle = out.filter((u) => u.type === 'sagemaker:endpoint').map((u) => u.id).sort();
      expect(found.filter((f) => f.unused).map((f) => f.resourceId).sort(), region).toEqual(oracle);
    }
    expect(east.filter((f) => f.unused).length).toBeGreaterThan(3);
  });

  it('declares the kind', () => {
    expect(handler).toMatchObject({ type: 'sagemaker:endpoint', category: 'Machine Learning', deleteOrder: 76, serviceCodes: ['AmazonSageMaker'], billingServiceCode: 'AmazonSageMaker' });
    expect(handler.verification.method).toBe('permission-check');
    expect(handler.actions?.map((a) => a.id)).toEqual(['delete']);
  });

  it('calls: ListEndpoints paged, DescribeEndpoint per endpoint, DescribeEndpointConfig per configuration, one tagging listing, batched metrics', async () => {
    s.sim.resetCounts();
    const engine = new MetricsEngine({ client: (r) => s.clients.client(CloudWatchClient, r), window: metricsWindow(NOW) });
    const found = await scan('eu-west-1', { metrics: engine.forRegion('eu-west-1'), pageSize: 5 });
    expect(found).toHaveLength(MANY);
    const ops = s.sim.counts().byOperation;
    expect(ops['sagemaker:ListEndpoints']).toBe(Math.ceil(MANY / 5));
    expect(ops['sagemaker:DescribeEndpoint']).toBe(MANY);
    expect(ops['sagemaker:DescribeEndpointConfig']).toBe(MANY);
    expect(ops['tagging:GetResources']).toBe(1);
    expect(engine.meter.metricsRequested).toBe(MANY);
    expect(ops['monitoring:GetMetricData']).toBe(Math.ceil(MANY / 5));
    expect(ops['monitoring:ListMetrics']).toBe(1);
  });

  it('a shared configuration is described once', async () => {
    s.sim.resetCounts();
    await scan('us-east-1');
    const ops = s.sim.counts().byOperation;
    expect(ops['sagemaker:DescribeEndpoint']).toBe(east.length);
    expect(ops['sagemaker:DescribeEndpointConfig']).toBe(east.length - 1);
  });

  it('a region without endpoints makes one call', async () => {
    s.sim.resetCounts();
    expect(await scan('ap-south-1')).toEqual([]);
    expect(s.sim.counts().total).toBe(1);
  });

  it('a denied sagemaker:ListEndpoints fails the scan naming the action', async () => {
    s.sim.state.deny.add('sagemaker:ListEndpoints');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/not authorized to perform: sagemaker:ListEndpoints/);
    } finally {
      s.sim.state.deny.delete('sagemaker:ListEndpoints');
    }
  });
});

describe('sagemaker:endpoint re-check and delete', () => {
  it('unchanged while idle; an invocation on the latest day changes it', async () => {
    const f = byName(east, 'zeros-ep');
    expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'unchanged', current: { unused: true } });
    const metrics = s.sim.state.region('us-east-1').metrics;
    const dims = [
      { name: 'EndpointName', value: 'zeros-ep' },
      { name: 'VariantName', value: 'AllTraffic' },
    ];
    const saved = metrics.get(metricKey('AWS/SageMaker', 'Invocations', dims));
    putDailySeries(metrics, { namespace: 'AWS/SageMaker', metricName: 'Invocations', dimensions: dims, daily: [...every(0).slice(1), 3] }, NOW);
    try {
      expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'changed', reason: 'No longer idle: In use: Invocations 3 invocations on 2026-11-24' });
    } finally {
      metrics.set(metricKey('AWS/SageMaker', 'Invocations', dims), saved!);
    }
  });

  it('an endpoint no longer InService has changed', async () => {
    const e = sm().endpoints.get('idle-ep')!;
    e.status = 'Updating';
    try {
      expect(await handler.recheck(ctxFor('us-east-1'), stored(byName(east, 'idle-ep')))).toMatchObject({ status: 'changed', reason: 'The endpoint is Updating, no longer InService' });
    } finally {
      e.status = 'InService';
    }
  });

  it('refuses a protected endpoint and sends nothing; a dry run sends nothing either', async () => {
    s.sim.resetCounts();
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    expect(await handler.delete(ctx, stored(byName(east, 'kept-ep')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=true' });
    expect(await handler.delete(ctx, stored(byName(east, 'idle-ep')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('deletes the endpoint, then its configuration, both audited; the re-check then says gone', async () => {
    const f = byName(east, 'idle-ep');
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    const out = await handler.delete(ctx, stored(f), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['DeleteEndpoint idle-ep', 'DeleteEndpointConfig idle-ep-config'] });
    expect(ctx.log).toEqual([
      { action: 'DeleteEndpoint', target: 'idle-ep', dryRun: false },
      { action: 'DeleteEndpointConfig', target: 'idle-ep-config', dryRun: false },
    ]);
    expect(sm().endpoints.has('idle-ep')).toBe(false);
    expect(sm().endpointConfigs.has('idle-ep-config')).toBe(false);
    expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toEqual({ status: 'gone', reason: 'The endpoint no longer exists' });
    const again = await handler.delete(recordingDeleteContext({ ...ctxFor('us-east-1') }), stored(f), { dryRun: false });
    expect(again).toEqual({ kind: 'deleted', calls: ['DeleteEndpoint idle-ep (already gone)', 'DeleteEndpointConfig idle-ep-config (already gone)'] });
  });

  it('keeps a configuration another endpoint uses', async () => {
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    const out = await handler.delete(ctx, stored(byName(east, 'shared-a')), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['DeleteEndpoint shared-a', 'endpoint configuration shared-config kept: also used by shared-b'] });
    expect(ctx.log).toEqual([{ action: 'DeleteEndpoint', target: 'shared-a', dryRun: false }]);
    expect(sm().endpointConfigs.has('shared-config')).toBe(true);
  });

  it('a denied sagemaker:DeleteEndpoint is unauthorized, audited, and the endpoint stays', async () => {
    s.sim.state.deny.add('sagemaker:DeleteEndpoint');
    try {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
      const out = await handler.delete(ctx, stored(byName(east, 'zeros-ep')), { dryRun: false });
      expect(out).toMatchObject({ kind: 'unauthorized', code: 'AccessDeniedException', message: expect.stringContaining('sagemaker:DeleteEndpoint') });
      expect(ctx.log).toEqual([{ action: 'DeleteEndpoint', target: 'zeros-ep', dryRun: false }]);
      expect(sm().endpoints.has('zeros-ep')).toBe(true);
    } finally {
      s.sim.state.deny.delete('sagemaker:DeleteEndpoint');
    }
  });
});
