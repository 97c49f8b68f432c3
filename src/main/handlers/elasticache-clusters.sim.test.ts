/**
 * The ElastiCache kind against the simulator (real SDK clients: ElastiCache, the tagging API, CloudWatch): idle found,
 * busy and unknown not, protection by tag (the group's or a member's), costs written out by hand (test prices: the
 * published us-east-1 on-demand rates, read into test keys so the kind's own key module is not assumed), parts and
 * savings per action, the scan's call budget, the final snapshot taken and available before the delete call, Memcached
 * refused a snapshot, the re-check, and a denied Describe failing the scan with the IAM action named.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/fixture';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { MetricsEngine } from '../metrics/engine';
import { metricsWindow } from '../metrics/window';
import { regionPrices } from '../pricing/price-key';
import type { RatePriceKey } from '../pricing/types';
import { runScan } from '../scan/scanner';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { createElastiCacheClustersHandler, finalSnapshotName, MEMCACHED_REFUSAL, type ElastiCacheKeys } from './elasticache-clusters';
import { DEFAULT_HANDLER_SETTINGS, type AuditedCall, type DeleteContext, type Finding, type HandlerContext, type StoredFinding } from './handler';
import { itemSavings, partsOf } from './parts';
import { createHandlerRegistry } from './registry';

const NOW = new Date('2026-12-06T12:00:00Z');
const R = 'us-east-1';
const KEEP = DEFAULT_HANDLER_SETTINGS.protectionTagKey;
const PLAN = '3f2a9c1e-0b7d-4e55-9a21-6c0d2b8e7f10';
const GIB = 1024 ** 3;
const days = (n: number, v: number | null): (number | null)[] => Array.from({ length: n }, () => v);

// Test keys and prices (us-east-1 on-demand: cache.r6g.large $0.206/h, cache.t3.micro $0.017/h, cache.t3.small
// $0.034/h, cache.m7g.large $0.158/h, backup storage $0.085 per GB-month).
const rateKey = (key: string): RatePriceKey => ({ key, shape: 'rate', unit: 'Hrs', description: key, bundled: {} });
const NODE_KEYS = new Map<string, RatePriceKey>();
const KEYS: ElastiCacheKeys = {
  nodeHour: (engine, nodeType) => {
    const k = `test:elasticache:${engine}:${nodeType}`;
    if (!NODE_KEYS.has(k)) NODE_KEYS.set(k, rateKey(k));
    return NODE_KEYS.get(k);
  },
  snapshotStorage: () => SNAPSHOT_KEY,
};
const SNAPSHOT_KEY = rateKey('test:elasticache:snapshot-gb-mo');
const PRICES = regionPrices(R, [
  [KEYS.nodeHour('redis', 'cache.r6g.large')!, 0.206],
  [KEYS.nodeHour('memcached', 'cache.t3.micro')!, 0.017],
  [KEYS.nodeHour('redis', 'cache.t3.small')!, 0.034],
  [KEYS.nodeHour('valkey', 'cache.m7g.large')!, 0.158],
  [SNAPSHOT_KEY, 0.085],
]);
const handler = createElastiCacheClustersHandler(KEYS);

const conns = (id: string, daily: (number | null)[]): MetricSeriesFixture => ({ namespace: 'AWS/ElastiCache', metricName: 'NewConnections', dimensions: { CacheClusterId: id }, daily });
const bytes = (id: string, v: number): MetricSeriesFixture => ({ namespace: 'AWS/ElastiCache', metricName: 'BytesUsedForCache', dimensions: { CacheClusterId: id }, daily: days(40, v) });
const idle = (...ids: string[]): MetricSeriesFixture[] => ids.map((id) => conns(id, days(40, 0)));

const FIXTURE: AccountFixture = {
  accountId: '111122223333',
  regions: [{ name: R }],
  resources: {
    [R]: {
      elasticache: {
        replicationGroups: [
          { id: 'idle-rg', nodeType: 'cache.r6g.large', replicasPerShard: 1, createdDaysAgo: 100 },
          { id: 'busy-rg', nodeType: 'cache.r6g.large' },
          { id: 'gappy-rg', nodeType: 'cache.r6g.large' },
          { id: 'kept-rg', nodeType: 'cache.r6g.large', tags: { [KEEP]: 'true' } },
          { id: 'member-kept-rg', nodeType: 'cache.r6g.large', memberTags: { [KEEP]: '' } },
          { id: 'young-rg', nodeType: 'cache.r6g.large', createdDaysAgo: 5 },
          { id: 'shard-rg', engine: 'valkey', nodeType: 'cache.m7g.large', shards: 2, replicasPerShard: 1 },
        ],
        cacheClusters: [
          { id: 'idle-memc', engine: 'memcached', nodeType: 'cache.t3.micro', numNodes: 3 },
          { id: 'idle-solo', engine: 'redis', nodeType: 'cache.t3.small' },
        ],
      },
      metrics: [
        ...idle('idle-rg-001', 'idle-rg-002', 'kept-rg-001', 'kept-rg-002', 'member-kept-rg-001', 'member-kept-rg-002', 'idle-memc', 'idle-solo'),
        ...idle('shard-rg-0001-001', 'shard-rg-0001-002', 'shard-rg-0002-001', 'shard-rg-0002-002'),
        conns('busy-rg-001', days(40, 0)),
        conns('busy-rg-002', [...days(39, 0), 5]),
        conns('gappy-rg-001', [...days(20, 0), null, ...days(19, 0)]),
        conns('gappy-rg-002', days(40, 0)),
        ...idle('young-rg-001', 'young-rg-002'),
        bytes('idle-rg-001', 2 * GIB),
        bytes('idle-rg-002', 2.5 * GIB),
        bytes('idle-solo', 1 * GIB),
      ],
    },
  },
};

let s: SimSession | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

function ctxFor(session: SimSession, engine?: MetricsEngine): HandlerContext {
  return {
    region: R,
    accountId: session.accountId,
    client: <C extends Destroyable>(ctor: SdkClientClass<C>) => session.clients.client(ctor, R),
    prices: PRICES,
    settings: DEFAULT_HANDLER_SETTINGS,
    now: NOW,
    ...(engine ? { metrics: engine.forRegion(R) } : {}),
  };
}

interface Recorded {
  call: AuditedCall;
  /** The final snapshot's status in the simulator when the call was made (before it ran). */
  snapshotStatus: string | null;
}

function deleteCtx(session: SimSession, action: string | undefined, log: Recorded[], over: Partial<DeleteContext> = {}): DeleteContext {
  return {
    ...ctxFor(session),
    planId: PLAN,
    pollMs: 20,
    waitMs: 5_000,
    ...(action !== undefined ? { action } : {}),
    async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
      const snaps = [...session.sim.state.region(R).elasticache.snapshots.values()].filter((x) => x.name.startsWith('cloud-cleaner-final-'));
      log.push({ call, snapshotStatus: snaps[0]?.status ?? null });
      return fn();
    },
    ...over,
  };
}

async function scan(session: SimSession, engine?: MetricsEngine): Promise<Map<string, Finding>> {
  const out = new Map<string, Finding>();
  for await (const page of handler.scan(ctxFor(session, engine))) for (const f of page) out.set(f.resourceId, f);
  return out;
}

const stored = (f: Finding | undefined): StoredFinding => {
  if (f === undefined) throw new Error('no such finding');
  return { ...f, id: 1 };
};

describe('elasticache:cluster scan', () => {
  it('finds idle groups and standalone clusters; busy, unknown and young ones are not idle; priced per node; listings and batched metrics only', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const engine = new MetricsEngine({ client: (r) => s!.clients.client(CloudWatchClient, r), window: metricsWindow(NOW, 30), now: () => NOW });
    const f = await scan(s, engine);
    expect([...f.keys()].sort()).toEqual(['busy-rg', 'gappy-rg', 'idle-memc', 'idle-rg', 'idle-solo', 'kept-rg', 'member-kept-rg', 'shard-rg', 'young-rg']);
    expect([...f.values()].filter((x) => x.unused).map((x) => x.resourceId).sort()).toEqual(['idle-memc', 'idle-rg', 'idle-solo', 'kept-rg', 'member-kept-rg', 'shard-rg']);

    const rg = f.get('idle-rg')!;
    expect(rg).toMatchObject({
      state: 'available',
      monthlyCost: 300.76, // 2 nodes × 730 h × $0.206
      costBasis: '2 redis cache.r6g.large nodes × 730 h × $0.206 (us-east-1)',
      unusedSince: '2026-11-06T00:00:00.000Z',
      protected: false,
      details: expect.objectContaining({ cacheKind: 'replication group', memberClusters: ['idle-rg-001', 'idle-rg-002'], nodes: 2, estimatedDataGiB: 2.5, snapshotSupported: true }),
    });
    expect(rg.unusedReason).toContain('No connections for 30 days');
    expect((rg.details['metrics'] as { series: unknown[] }).series).toHaveLength(2);
    expect(f.get('shard-rg')).toMatchObject({ monthlyCost: 461.36, details: expect.objectContaining({ nodes: 4, clusterMode: true, estimatedDataGiB: null }) }); // 4 × 730 × $0.158
    expect(f.get('idle-memc')).toMatchObject({ monthlyCost: 37.23, details: expect.objectContaining({ cacheKind: 'cache cluster', engine: 'memcached', snapshotSupported: false }) }); // 3 × 730 × $0.017
    expect(f.get('idle-solo')).toMatchObject({ monthlyCost: 24.82 }); // 730 × $0.034

    // Any member with a connection: in use. Any member with a missing day: unknown, not idle. Too young: not judged idle.
    expect(f.get('busy-rg')).toMatchObject({ unused: false });
    expect(String(f.get('busy-rg')!.details['activity'])).toMatch(/^In use: NewConnections 5 new connections on 2026-12-05/);
    expect(f.get('gappy-rg')).toMatchObject({ unused: false });
    expect(String(f.get('gappy-rg')!.details['activity'])).toContain('no datapoints on 1 of 30 days');
    expect(String(f.get('young-rg')!.details['activity'])).toContain('too young');

    // Protection by tag (the tagging API): the group's own tag, or a member cluster's.
    expect(f.get('kept-rg')).toMatchObject({ protected: true, protectedReason: `Tagged ${KEEP}=true` });
    expect(f.get('member-kept-rg')).toMatchObject({ protected: true, protectedReason: `Its member cluster member-kept-rg-001 is tagged ${KEEP}` });

    const counts = s.sim.counts().byOperation;
    expect(counts['elasticache:DescribeReplicationGroups']).toBe(1);
    expect(counts['elasticache:DescribeCacheClusters']).toBe(1);
    expect(counts['tagging:GetResources']).toBe(1);
    expect(counts['monitoring:GetMetricData']).toBe(1);
    // No call per resource during a scan.
    expect(counts['elasticache:ListTagsForResource'] ?? 0).toBe(0);
    expect(counts['elasticache:DescribeSnapshots'] ?? 0).toBe(0);
    // 16 members + 2 standalone clusters' NewConnections, and BytesUsedForCache of the 17 that can be snapshotted.
    expect(engine.meter.metricsRequested).toBe(16 + 2 + 17);
  });

  it('parts and savings per action: a final snapshot is a part created and kept, subtracted; Memcached gets no snapshot', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const rg = f.get('idle-rg')!;
    const del = partsOf(handler, rg, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'delete' });
    expect(del.parts).toEqual([
      expect.objectContaining({ resourceType: 'elasticache:snapshot', resourceId: 'final snapshot of idle-rg', fate: 'kept', created: true, monthlyCost: 0.2125, protected: false }),
    ]);
    expect(del.parts[0]!.costBasis).toContain('≈ 2.5 GiB');
    // Absent action = the default (delete with a final snapshot).
    expect(partsOf(handler, rg, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false })).toEqual(del);
    expect(itemSavings(del).savings).toBe(300.5475); // $300.76 − 2.5 GiB × $0.085
    const bare = partsOf(handler, rg, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'delete-without-snapshot' });
    expect(bare.parts).toEqual([]);
    expect(itemSavings(bare).savings).toBe(300.76);

    // Not measured: the snapshot's cost is unknown, so the default action's savings are unknown, and say why.
    const shard = itemSavings(partsOf(handler, f.get('shard-rg')!, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }));
    expect(shard.savings).toBeNull();
    expect(shard.basis).toContain('new ElastiCache snapshot final snapshot of shard-rg');

    const memc = f.get('idle-memc')!;
    expect(handler.actionRefusal?.(memc, 'delete')).toBe(MEMCACHED_REFUSAL);
    expect(handler.actionRefusal?.(memc, 'delete-without-snapshot')).toBeNull();
    expect(handler.actionRefusal?.(rg, 'delete')).toBeNull();
    expect(partsOf(handler, memc, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toEqual([]);
    expect(handler.actions?.[0]).toMatchObject({ id: 'delete', removes: true });
    expect(handler.actions?.find((a) => a.id === 'delete-without-snapshot')).toMatchObject({ explicit: true });
  });

  it('a denied DescribeReplicationGroups fails the scan task with the IAM action named', async () => {
    s = await openSimSession({ fixture: { ...FIXTURE, deny: ['elasticache:DescribeReplicationGroups'] }, now: NOW });
    await expect(scan(s)).rejects.toThrow(/elasticache:DescribeReplicationGroups/);
    const registry = createHandlerRegistry();
    registry.register(handler);
    const out = await runScan(s.scanDeps({ registry, now: () => NOW }), { regions: [R], skipDiscovery: true });
    expect(out.failures.map((x) => x.handler)).toEqual(['elasticache:cluster']);
    expect(out.failures[0]!.message).toContain('elasticache:DescribeReplicationGroups');
  });
});

describe('elasticache:cluster delete and re-check', () => {
  it('delete: CreateSnapshot (tagged), waits until available, then DeleteReplicationGroup — the snapshot is available before the delete call', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    s.sim.configure({ elastiCacheSnapshotDelayMs: 150 });
    const f = await scan(s);
    const log: Recorded[] = [];
    const before = s.sim.counts().byOperation['elasticache:DescribeSnapshots'] ?? 0;
    const out = await handler.delete(deleteCtx(s, 'delete', log), stored(f.get('idle-rg')), { dryRun: false });
    const name = finalSnapshotName('idle-rg', PLAN);
    expect(name).toBe('cloud-cleaner-final-idle-rg-3f2a9c1e');
    expect(out).toEqual({ kind: 'deleted', calls: [`CreateSnapshot ${name}`, 'DeleteReplicationGroup idle-rg'], safetySnapshotId: name });
    expect(log.map((l) => [l.call.action, l.call.dryRun, l.snapshotStatus])).toEqual([
      ['CreateSnapshot', false, null],
      ['DeleteReplicationGroup', false, 'available'],
    ]);
    // It polled while the snapshot was creating.
    expect((s.sim.counts().byOperation['elasticache:DescribeSnapshots'] ?? 0) - before).toBeGreaterThanOrEqual(2);
    const ec = s.sim.state.region(R).elasticache;
    expect(ec.snapshots.get(name)).toMatchObject({ status: 'available', source: 'manual', replicationGroupId: 'idle-rg', tags: [{ key: 'cloud-cleaner:plan', value: PLAN }] });
    expect((await handler.recheck(ctxFor(s), stored(f.get('idle-rg')))).status).toBe('gone');
    expect(ec.replicationGroups.has('idle-rg')).toBe(false);
  });

  it('a final snapshot that never becomes available fails the item and deletes nothing', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    s.sim.configure({ elastiCacheSnapshotDelayMs: 60_000 });
    const f = await scan(s);
    const log: Recorded[] = [];
    const out = await handler.delete(deleteCtx(s, 'delete', log, { waitMs: 100 }), stored(f.get('idle-solo')), { dryRun: false });
    expect(out).toMatchObject({ kind: 'failed', code: 'FinalSnapshotNotAvailable' });
    expect(out.kind === 'failed' && out.message).toContain('was NOT deleted');
    expect(log.map((l) => l.call.action)).toEqual(['CreateSnapshot']);
    expect(s.sim.state.region(R).elasticache.cacheClusters.get('idle-solo')?.status).toBe('snapshotting');
    expect(s.sim.counts().byOperation['elasticache:DeleteCacheCluster'] ?? 0).toBe(0);
  });

  it('a retried cleanup reuses its own snapshot (same plan) instead of failing', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const first: Recorded[] = [];
    // The first attempt's snapshot exists; the delete itself is then refused by the simulator (denied).
    s.sim.state.deny.add('elasticache:DeleteCacheCluster');
    const failed = await handler.delete(deleteCtx(s, 'delete', first), stored(f.get('idle-solo')), { dryRun: false });
    expect(failed).toMatchObject({ kind: 'unauthorized', code: 'AccessDenied' });
    s.sim.state.deny.delete('elasticache:DeleteCacheCluster');
    const again = await handler.delete(deleteCtx(s, 'delete', []), stored(f.get('idle-solo')), { dryRun: false });
    const name = finalSnapshotName('idle-solo', PLAN);
    expect(again).toEqual({ kind: 'deleted', calls: [`CreateSnapshot ${name} (exists: reused)`, 'DeleteCacheCluster idle-solo'], safetySnapshotId: name });
  });

  it('delete-without-snapshot deletes at once; Memcached: delete refused without a call, delete-without-snapshot deletes it', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const log: Recorded[] = [];
    expect(await handler.delete(deleteCtx(s, 'delete-without-snapshot', log), stored(f.get('idle-rg')), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteReplicationGroup idle-rg'] });
    expect(await handler.delete(deleteCtx(s, 'delete', log), stored(f.get('idle-memc')), { dryRun: false })).toEqual({ kind: 'refused', reason: MEMCACHED_REFUSAL });
    expect(await handler.delete(deleteCtx(s, undefined, log), stored(f.get('idle-memc')), { dryRun: false })).toEqual({ kind: 'refused', reason: MEMCACHED_REFUSAL });
    expect(await handler.delete(deleteCtx(s, 'delete-without-snapshot', log), stored(f.get('idle-memc')), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteCacheCluster idle-memc'] });
    expect(log.map((l) => l.call.action)).toEqual(['DeleteReplicationGroup', 'DeleteCacheCluster']);
    expect(s.sim.counts().byOperation['elasticache:CreateSnapshot'] ?? 0).toBe(0);
    expect(s.sim.state.region(R).elasticache.snapshots.size).toBe(0);
  });

  it('a dry run sends nothing; a protected one is refused without a call', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const log: Recorded[] = [];
    const sent = s.sim.counts().total;
    expect(await handler.delete(deleteCtx(s, 'delete', log), stored(f.get('idle-rg')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(await handler.delete(deleteCtx(s, 'delete-without-snapshot', log), stored(f.get('kept-rg')), { dryRun: false })).toMatchObject({ kind: 'refused' });
    expect(log).toEqual([]);
    expect(s.sim.counts().total).toBe(sent);
  });

  it('re-check: unchanged while idle; a busy latest day changes it; a tag added since protects it (ListTagsForResource, one call)', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const ctx = ctxFor(s);
    const rg = stored(f.get('idle-rg'));
    const before = s.sim.counts().byOperation['elasticache:ListTagsForResource'] ?? 0;
    expect((await handler.recheck(ctx, rg)).status).toBe('unchanged');
    expect((s.sim.counts().byOperation['elasticache:ListTagsForResource'] ?? 0) - before).toBe(1);

    const series = [...s.sim.state.region(R).metrics.values()].find((m) => m.metricName === 'NewConnections' && m.dimensions.some((d) => d.value === 'idle-rg-002'));
    const yesterday = Math.max(...series!.days.keys());
    series!.days.set(yesterday, 3);
    const busy = await handler.recheck(ctx, rg);
    expect(busy).toMatchObject({ status: 'changed', reason: expect.stringContaining('No longer idle') });
    series!.days.set(yesterday, 0);

    s.sim.state.region(R).elasticache.replicationGroups.get('idle-rg')!.tags.push({ key: KEEP, value: 'yes' });
    expect(await handler.recheck(ctx, rg)).toMatchObject({ status: 'protected', reason: `Tagged ${KEEP}=yes` });

    // A standalone cluster is re-read by id; a deleted one is gone.
    expect((await handler.recheck(ctx, stored(f.get('idle-memc')))).status).toBe('unchanged');
    s.sim.state.region(R).elasticache.cacheClusters.delete('idle-memc');
    expect((await handler.recheck(ctx, stored(f.get('idle-memc')))).status).toBe('gone');
  });
});
