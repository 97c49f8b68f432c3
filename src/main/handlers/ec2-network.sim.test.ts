/**
 * The NAT gateway and interface VPC endpoint kinds against the simulator (real SDK clients; EC2 + CloudWatch):
 * unused found, in use not, unknown never idle, protection, delete with its parts, and a scan that makes only listing
 * and batched metric calls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/fixture';
import { createBundledPriceBook } from '../pricing/price-book';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { createHandlerContext } from './context';
import { idleNatGatewaysHandler as nat } from './ec2-nat-gateways-idle';
import { unusedVpcEndpointsHandler as vpce } from './ec2-vpc-endpoints-idle';
import { DEFAULT_HANDLER_SETTINGS, type AuditedCall, type DeleteContext, type Finding, type HandlerContext } from './handler';
import { priceKeysOf } from './registry';
import { applyParts, partsOf } from './parts';
import { MetricsEngine } from '../metrics/engine';
import { metricsWindow } from '../metrics/window';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { getScan } from '../db/repos/scans';
import { runScan } from '../scan/scanner';
import { createHandlerRegistry } from './registry';

const NOW = new Date('2026-12-06T12:00:00Z');
const R = 'us-east-1';
const KEEP = DEFAULT_HANDLER_SETTINGS.protectionTagKey;
const days = (n: number, v: number | null): (number | null)[] => Array.from({ length: n }, () => v);
const NAT_METRICS = [
  'ActiveConnectionCount',
  'PacketsInFromSource',
  'PacketsInFromDestination',
  'BytesOutToDestination',
] as const;
const natSeries = (id: string, daily: (name: string) => (number | null)[]): MetricSeriesFixture[] =>
  NAT_METRICS.map((metricName) => ({ namespace: 'AWS/NATGateway', metricName, dimensions: { NatGatewayId: id }, daily: daily(metricName) }));
const vpceSeries = (id: string, service: string, daily: (number | null)[]): MetricSeriesFixture[] =>
  ['BytesProcessed', 'NewConnections'].map((metricName) => ({
    namespace: 'AWS/PrivateLinkEndpoints',
    metricName,
    dimensions: { 'VPC Id': 'vpc-0sim00000000000001', 'VPC Endpoint Id': id, 'Endpoint Type': 'Interface', 'Service Name': service },
    daily,
  }));
const eni = (n: number): string => `eni-0a1000000000000${n}0`;

const FIXTURE: AccountFixture = {
  accountId: '111122223333',
  regions: [{ name: R }, { name: 'eu-west-1' }],
  resources: {
    [R]: {
      addresses: [
        { allocationId: 'eipalloc-0a1000000000000a1', publicIp: '3.0.0.1', networkInterfaceId: eni(1) },
        { allocationId: 'eipalloc-0a1000000000000a2', publicIp: '3.0.0.2', networkInterfaceId: eni(2), tags: { [KEEP]: 'true' } },
      ],
      natGateways: [
        // No route points at it (its address is kept, addable).
        { id: 'nat-0a1000000000000001', createdDaysAgo: 90, addresses: [{ allocationId: 'eipalloc-0a1000000000000a1', publicIp: '3.0.0.1', privateIp: '10.0.0.1', networkInterfaceId: eni(1) }] },
        // Routed and carrying traffic.
        { id: 'nat-0a1000000000000002', createdDaysAgo: 90 },
        // Routed, zero traffic every day for 40 days.
        { id: 'nat-0a1000000000000003', createdDaysAgo: 90 },
        // Routed, zero traffic but a day without datapoints: unknown, not idle.
        { id: 'nat-0a1000000000000004', createdDaysAgo: 90 },
        // Routed, zero traffic but created 5 days ago: too young to judge.
        { id: 'nat-0a1000000000000005', createdDaysAgo: 5 },
        // No route, but its Elastic IP is tagged to keep: protected through its part only if added; itself unprotected.
        { id: 'nat-0a1000000000000006', createdDaysAgo: 90, addresses: [{ allocationId: 'eipalloc-0a1000000000000a2', publicIp: '3.0.0.2', privateIp: '10.0.0.2', networkInterfaceId: eni(2) }] },
        // Tagged to keep.
        { id: 'nat-0a1000000000000007', createdDaysAgo: 90, tags: { [KEEP]: '' } },
      ],
      routeTables: [
        { id: 'rtb-0a1000000000000002', routes: [{ destination: '0.0.0.0/0', natGatewayId: 'nat-0a1000000000000002' }] },
        { id: 'rtb-0a1000000000000003', routes: [{ destination: '0.0.0.0/0', natGatewayId: 'nat-0a1000000000000003' }] },
        { id: 'rtb-0a1000000000000004', routes: [{ destination: '0.0.0.0/0', natGatewayId: 'nat-0a1000000000000004' }, { destination: '::/0', natGatewayId: 'nat-0a1000000000000005' }] },
      ],
      vpcEndpoints: [
        { id: 'vpce-0a1000000000000001', serviceName: 'com.amazonaws.us-east-1.ssm', createdDaysAgo: 100 },
        { id: 'vpce-0a1000000000000002', serviceName: 'com.amazonaws.us-east-1.ecr.api', createdDaysAgo: 100, subnetIds: ['subnet-0a1', 'subnet-0a2'] },
        { id: 'vpce-0a1000000000000003', type: 'Gateway', serviceName: 'com.amazonaws.us-east-1.s3', createdDaysAgo: 100 },
        { id: 'vpce-0a1000000000000004', serviceName: 'com.amazonaws.us-east-1.kms', createdDaysAgo: 100, requesterManaged: true },
        { id: 'vpce-0a1000000000000005', serviceName: 'com.amazonaws.us-east-1.sts', createdDaysAgo: 3 },
      ],
      metrics: [
        ...natSeries('nat-0a1000000000000002', (m) => [...days(39, 0), m === 'BytesOutToDestination' ? 1_000_000 : 40]),
        ...natSeries('nat-0a1000000000000003', () => days(40, 0)),
        ...natSeries('nat-0a1000000000000004', (m) => (m === 'PacketsInFromSource' ? [...days(20, 0), null, ...days(19, 0)] : days(40, 0))),
        ...natSeries('nat-0a1000000000000005', () => days(5, 0)),
        // vpce-2 carries traffic (this also confirms the metric's dimension set in the region); vpce-1 has none.
        ...vpceSeries('vpce-0a1000000000000002', 'com.amazonaws.us-east-1.ecr.api', [...days(30, null), 2048, ...days(9, null)]),
      ],
    },
    'eu-west-1': {
      // An idle interface endpoint where CloudWatch has no PrivateLink series at all: the shape is unconfirmed.
      vpcEndpoints: [{ id: 'vpce-0e1000000000000001', serviceName: 'com.amazonaws.eu-west-1.ssm', createdDaysAgo: 100 }],
    },
  },
};

let s: SimSession | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

function ctxFor(session: SimSession, region: string, engine?: MetricsEngine): HandlerContext {
  const book = createBundledPriceBook(priceKeysOf(session.registry));
  return createHandlerContext({
    region,
    accountId: session.accountId,
    clients: session.clients,
    prices: book.forRegion(region),
    settings: DEFAULT_HANDLER_SETTINGS,
    now: NOW,
    ...(engine ? { metrics: engine.forRegion(region) } : {}),
  });
}

function deleteCtx(ctx: HandlerContext, log: AuditedCall[], addedParts: string[] = []): DeleteContext {
  return {
    ...ctx,
    planId: 'plan-1',
    addedParts,
    pollMs: 20,
    waitMs: 5_000,
    async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
      log.push(call);
      return fn();
    },
  };
}

async function scan(ctx: HandlerContext, h: typeof nat): Promise<Map<string, Finding>> {
  const out = new Map<string, Finding>();
  for await (const page of h.scan(ctx)) for (const f of page) out.set(f.resourceId, applyParts(h, f, ctx.settings, () => undefined));
  return out;
}

describe('idle NAT gateways', () => {
  it('finds the unrouted and the idle ones, never the busy, the unknown or the young; priced; protection honoured; listing and batched calls only', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const engine = new MetricsEngine({ client: (r) => s!.clients.client(CloudWatchClient, r), window: metricsWindow(NOW, 30), now: () => NOW });
    const f = await scan(ctxFor(s, R, engine), nat);
    expect([...f.values()].filter((x) => x.unused).map((x) => x.resourceId).sort()).toEqual([
      'nat-0a1000000000000001',
      'nat-0a1000000000000003',
      'nat-0a1000000000000006',
      'nat-0a1000000000000007',
    ]);
    expect(f.get('nat-0a1000000000000001')).toMatchObject({
      unusedReason: 'No route table sends traffic to it',
      monthlyCost: 32.85, // 730 h × $0.045
      monthlySavings: 32.85, // its Elastic IP stays
      protected: false,
    });
    const idle = f.get('nat-0a1000000000000003')!;
    expect(idle.unusedReason).toContain('No traffic for 30 days');
    expect(idle.unusedReason).toContain('1 route(s) still point at it');
    expect(idle.unusedSince).toBe('2026-11-06T00:00:00.000Z');
    expect(idle.details['blackholesAfterDelete']).toBe('rtb-0a1000000000000003 0.0.0.0/0');
    expect((idle.details['metrics'] as { series: unknown[] }).series).toHaveLength(4);
    expect(f.get('nat-0a1000000000000002')).toMatchObject({ unused: false });
    expect(String(f.get('nat-0a1000000000000002')!.details['activity'])).toMatch(/^In use: /);
    const unknown = f.get('nat-0a1000000000000004')!;
    expect(unknown.unused).toBe(false);
    expect(String(unknown.details['activity'])).toContain('no datapoints on 1 of 30 days');
    expect(f.get('nat-0a1000000000000005')).toMatchObject({ unused: false });
    expect(String(f.get('nat-0a1000000000000005')!.details['activity'])).toContain('too young');
    expect(f.get('nat-0a1000000000000007')).toMatchObject({ protected: true, protectedReason: `Tagged ${KEEP}` });

    // Its Elastic IP: a part that stays and keeps billing, offered for release; a tagged one is protected (not addable away).
    const parts = partsOf(nat, f.get('nat-0a1000000000000001')!, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false });
    expect(parts.parts).toEqual([expect.objectContaining({ resourceId: 'eipalloc-0a1000000000000a1', fate: 'kept', addable: true, monthlyCost: 3.65, protected: false })]);
    const guarded = partsOf(nat, f.get('nat-0a1000000000000006')!, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, added: ['eipalloc-0a1000000000000a2'] });
    expect(guarded.parts[0]).toMatchObject({ fate: 'deleted', protected: true });

    const counts = s.sim.counts().byOperation;
    expect(counts['ec2:DescribeNatGateways']).toBe(1);
    expect(counts['ec2:DescribeRouteTables']).toBe(1);
    expect(counts['ec2:DescribeAddresses']).toBe(1);
    expect(counts['monitoring:GetMetricData']).toBe(1); // 7 available gateways × 4 metrics in one call
    expect(engine.meter.metricsRequested).toBe(28);
  });

  it('deletes it, waits, releases the Elastic IP added to the plan (audited), and leaves routes as blackholes', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    s.sim.configure({ networkDeletionDelayMs: 50 } as never);
    const ctx = ctxFor(s, R);
    const f = await scan(ctx, nat);
    const log: AuditedCall[] = [];
    const dry = await nat.delete(deleteCtx(ctx, log, ['eipalloc-0a1000000000000a1']), { ...f.get('nat-0a1000000000000001')!, id: 1 }, { dryRun: true });
    expect(dry).toEqual({ kind: 'dry-run-ok', calls: ['DeleteNatGateway nat-0a1000000000000001 (dry run)', 'ReleaseAddress eipalloc-0a1000000000000a1 (dry run)'] });
    expect(s.sim.state.region(R).natGateways.get('nat-0a1000000000000001')!.state).toBe('available');

    const out = await nat.delete(deleteCtx(ctx, log, ['eipalloc-0a1000000000000a1']), { ...f.get('nat-0a1000000000000001')!, id: 1 }, { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['DeleteNatGateway nat-0a1000000000000001', 'ReleaseAddress eipalloc-0a1000000000000a1'] });
    expect(log.map((c) => `${c.action} ${c.dryRun}`)).toEqual(['DeleteNatGateway true', 'ReleaseAddress true', 'DeleteNatGateway false', 'ReleaseAddress false']);
    expect(s.sim.state.region(R).natGateways.get('nat-0a1000000000000001')!.state).toBe('deleted');
    expect(s.sim.state.region(R).addresses.has('eipalloc-0a1000000000000a1')).toBe(false);

    // A routed one: its route is left as a blackhole, as listed.
    const out3 = await nat.delete(deleteCtx(ctx, []), { ...f.get('nat-0a1000000000000003')!, id: 3 }, { dryRun: false });
    expect(out3.kind).toBe('deleted');
    // The re-check sees it gone (deleting, then deleted); its route is then a blackhole, as listed.
    expect((await nat.recheck(ctx, { ...f.get('nat-0a1000000000000003')!, id: 3 })).status).toBe('gone');
    await new Promise((r) => setTimeout(r, 80));
    expect((await nat.recheck(ctx, { ...f.get('nat-0a1000000000000003')!, id: 3 })).status).toBe('gone');
    const rt = s.sim.state.region(R).routeTables.get('rtb-0a1000000000000003')!;
    expect(rt.routes.find((r) => r.natGatewayId === 'nat-0a1000000000000003')?.state).toBe('blackhole');

    // A protected one is refused without a call.
    const before = s.sim.counts().byOperation['ec2:DeleteNatGateway'];
    expect(await nat.delete(deleteCtx(ctx, []), { ...f.get('nat-0a1000000000000007')!, id: 7 }, { dryRun: false })).toMatchObject({ kind: 'refused' });
    expect(s.sim.counts().byOperation['ec2:DeleteNatGateway']).toBe(before);
  });

  it('the re-check stops a gateway that carries traffic again', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const ctx = ctxFor(s, R);
    const f = await scan(ctx, nat);
    const series = [...s.sim.state.region(R).metrics.values()].find(
      (m) => m.metricName === 'BytesOutToDestination' && m.dimensions.some((d) => d.value === 'nat-0a1000000000000003'),
    );
    expect(series).toBeDefined();
    expect((await nat.recheck(ctx, { ...f.get('nat-0a1000000000000003')!, id: 3 })).status).toBe('unchanged');
    const yesterday = Math.max(...series!.days.keys());
    series!.days.set(yesterday, 500);
    const r = await nat.recheck(ctx, { ...f.get('nat-0a1000000000000003')!, id: 3 });
    expect(r).toMatchObject({ status: 'changed' });
  });
});

describe('unused interface VPC endpoints', () => {
  it('finds the idle interface endpoints; never a gateway endpoint, a busy, young or unconfirmed one; requester-managed protected', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const engine = new MetricsEngine({ client: (r) => s!.clients.client(CloudWatchClient, r), window: metricsWindow(NOW, 30), now: () => NOW });
    const f = await scan(ctxFor(s, R, engine), vpce as never);
    expect([...f.values()].filter((x) => x.unused).map((x) => x.resourceId)).toEqual(['vpce-0a1000000000000001', 'vpce-0a1000000000000004']);
    expect(f.get('vpce-0a1000000000000001')).toMatchObject({ monthlyCost: 7.3, monthlySavings: 7.3, state: 'available' });
    expect(f.get('vpce-0a1000000000000001')!.costBasis).toContain('1 AZ × 730 h × $0.01');
    expect(f.get('vpce-0a1000000000000002')).toMatchObject({ unused: false, monthlyCost: 14.6 });
    expect(f.get('vpce-0a1000000000000003')).toMatchObject({ unused: false, monthlyCost: 0, details: expect.objectContaining({ activity: 'Gateway endpoint: free, never flagged' }) });
    // Idle too, but a service manages it: protected, with the reason.
    expect(f.get('vpce-0a1000000000000004')).toMatchObject({ protected: true, protectedReason: expect.stringContaining('requester-managed') });
    expect(f.get('vpce-0a1000000000000005')).toMatchObject({ unused: false });
    // One listing, one batched metric call (3 available interface endpoints × 2 metrics); vpce-2's data confirms the shape.
    expect(s.sim.counts().byOperation['ec2:DescribeVpcEndpoints']).toBe(1);
    expect(s.sim.counts().byOperation['monitoring:GetMetricData']).toBe(1);
    expect(s.sim.counts().byOperation['monitoring:ListMetrics'] ?? 0).toBe(0);

    const eu = await scan(ctxFor(s, 'eu-west-1', engine), vpce as never);
    const e = eu.get('vpce-0e1000000000000001')!;
    expect(e.unused).toBe(false);
    expect(String(e.details['activity'])).toContain('cannot be confirmed');
  });

  it('deletes an interface endpoint (dry run first, audited) and refuses a gateway endpoint', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const ctx = ctxFor(s, R);
    const f = await scan(ctx, vpce as never);
    const log: AuditedCall[] = [];
    const stored = { ...f.get('vpce-0a1000000000000001')!, id: 1 };
    expect(await vpce.delete(deleteCtx(ctx, log), stored, { dryRun: true })).toEqual({ kind: 'dry-run-ok', calls: ['DeleteVpcEndpoints vpce-0a1000000000000001 (dry run)'] });
    expect(await vpce.delete(deleteCtx(ctx, log), stored, { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteVpcEndpoints vpce-0a1000000000000001'] });
    expect(log).toHaveLength(2);
    expect((await vpce.recheck(ctx, stored)).status).toBe('gone');
    expect(await vpce.delete(deleteCtx(ctx, []), { ...f.get('vpce-0a1000000000000003')!, id: 3 }, { dryRun: false })).toMatchObject({ kind: 'refused' });
  });
});

describe('the scan meters CloudWatch', () => {
  it('stores the metrics each scan requested; a second scan inside the cache window requests none and finds the same', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const registry = createHandlerRegistry();
    registry.register(nat);
    registry.register(vpce);
    const deps = s.scanDeps({ registry, now: () => NOW, settings: { ...s.scanDeps().settings, metricsCacheHours: 12 } });
    const first = await runScan(deps, { regions: [R, 'eu-west-1'], skipDiscovery: true });
    expect(first.status).toBe('succeeded');
    const dto1 = (await getScan(s.db.db, first.scanId))!;
    // us-east-1: 7 available gateways × 4 + 4 available interface endpoints × 2; eu-west-1: 1 endpoint × 2.
    // One call per region: the two kinds' series meet in the engine's coalescing window.
    expect(dto1.metrics).toMatchObject({ requested: 38, calls: 2, fromCache: 0 });
    expect(dto1.metrics.usd).toBeCloseTo(38 * 0.00001, 10);
    expect(dto1.metrics.listMetricsCalls).toBe(2); // eu-west-1's unconfirmed PrivateLink shapes: one listing per metric
    const second = await runScan(deps, { regions: [R, 'eu-west-1'], skipDiscovery: true });
    const dto2 = (await getScan(s.db.db, second.scanId))!;
    expect(dto2.metrics).toMatchObject({ requested: 0, calls: 0, fromCache: 38, usd: 0 });
    expect(second.findings).toBe(first.findings);
  });

  it('a denied GetMetricData fails only the metric kinds\' tasks, naming the action; the scan ends partial', async () => {
    s = await openSimSession({ fixture: { ...FIXTURE, deny: ['monitoring:GetMetricData'] }, now: NOW });
    const out = await runScan(s.scanDeps({ now: () => NOW }), { regions: [R], skipDiscovery: true });
    expect(out.status).toBe('partial');
    const failed = out.failures.map((f) => f.handler).sort();
    expect(failed).toEqual(expect.arrayContaining(['ec2:nat-gateway', 'ec2:vpc-endpoint']));
    expect(failed).not.toContain('ec2:volume');
    expect(out.failures.find((f) => f.handler === 'ec2:nat-gateway')!.message).toContain('cloudwatch:GetMetricData');
  });
});
