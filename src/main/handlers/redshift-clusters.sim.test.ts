/**
 * The Redshift kind against the simulator (real SDK clients: Redshift, CloudWatch): idle found, busy and unknown not,
 * paused clusters (storage only), protection by tag, costs written out by hand (test prices: us-east-1 on-demand rates
 * read into test keys, so the kind's own key module is not assumed), parts and savings per action (delete with a final
 * snapshot, without, pause), the scan's call budget, the final snapshot available before DeleteCluster, the pause, the
 * re-check, and a denied Describe failing the scan with the IAM action named.
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
import { DEFAULT_HANDLER_SETTINGS, type AuditedCall, type DeleteContext, type Finding, type HandlerContext, type StoredFinding } from './handler';
import { itemSavings, partsOf } from './parts';
import { createRedshiftClustersHandler, PAUSED_DELETE_REFUSAL, type RedshiftKeys } from './redshift-clusters';
import { createHandlerRegistry } from './registry';

const NOW = new Date('2026-12-06T12:00:00Z');
const R = 'us-east-1';
const KEEP = DEFAULT_HANDLER_SETTINGS.protectionTagKey;
const PLAN = '9b1c7d2e-55aa-4f00-8e11-0d9c3b2a1f00';
const days = (n: number, v: number | null): (number | null)[] => Array.from({ length: n }, () => v);

// Test keys and prices (us-east-1 on-demand: ra3.xlplus $1.086/h, dc2.large $0.25/h, RA3 managed storage $0.024 per
// GB-month; backup storage $0.023 per GB-month).
const rateKey = (key: string): RatePriceKey => ({ key, shape: 'rate', unit: 'Hrs', description: key, bundled: {} });
const RA3 = rateKey('test:redshift:ra3.xlplus');
const DC2 = rateKey('test:redshift:dc2.large');
const RMS = rateKey('test:redshift:rms');
const BACKUP = rateKey('test:redshift:backup');
const KEYS: RedshiftKeys = {
  nodeHour: (t) => (t === 'ra3.xlplus' ? RA3 : t === 'dc2.large' ? DC2 : undefined),
  managedStorage: () => RMS,
  backupStorage: () => BACKUP,
};
const PRICES = regionPrices(R, [
  [RA3, 1.086],
  [DC2, 0.25],
  [RMS, 0.024],
  [BACKUP, 0.023],
]);
const handler = createRedshiftClustersHandler(KEYS);

const conns = (id: string, daily: (number | null)[]): MetricSeriesFixture => ({ namespace: 'AWS/Redshift', metricName: 'DatabaseConnections', dimensions: { ClusterIdentifier: id }, daily });

const FIXTURE: AccountFixture = {
  accountId: '111122223333',
  regions: [{ name: R }],
  resources: {
    [R]: {
      redshift: {
        clusters: [
          { id: 'idle-ra3', nodeType: 'ra3.xlplus', numberOfNodes: 2, usedStorageMb: 512_000 },
          { id: 'idle-dc2', nodeType: 'dc2.large', numberOfNodes: 2, usedStorageMb: 102_400 },
          { id: 'busy-dc2', nodeType: 'dc2.large', numberOfNodes: 1 },
          { id: 'gappy', nodeType: 'dc2.large', numberOfNodes: 1 },
          { id: 'kept', nodeType: 'dc2.large', numberOfNodes: 1, tags: { [KEEP]: 'true' } },
          { id: 'paused-old', nodeType: 'ra3.xlplus', numberOfNodes: 2, status: 'paused', createdDaysAgo: 200 },
          { id: 'paused-sched', nodeType: 'dc2.large', numberOfNodes: 1, status: 'paused' },
          { id: 'nobackup', nodeType: 'dc2.large', numberOfNodes: 1, automatedSnapshotRetentionPeriod: 0 },
          { id: 'young', nodeType: 'dc2.large', numberOfNodes: 1, createdDaysAgo: 5 },
        ],
      },
      metrics: [
        conns('idle-ra3', days(40, 0)),
        conns('idle-dc2', days(40, 0)),
        conns('busy-dc2', [...days(39, 0), 3]),
        conns('gappy', [...days(30, 0), null, ...days(9, 0)]),
        conns('kept', days(40, 0)),
        // Paused on weeknights and resumed: connections some days, nothing while paused.
        conns('paused-sched', Array.from({ length: 40 }, (_, i) => (i % 7 < 5 ? 4 : null))),
        conns('nobackup', days(40, 0)),
        conns('young', days(5, 0)),
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
      const snap = [...session.sim.state.region(R).redshift.snapshots.values()].find((x) => x.id.startsWith('cloud-cleaner-final-'));
      log.push({ call, snapshotStatus: snap?.status ?? null });
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
const savings = (f: Finding, action?: string): ReturnType<typeof itemSavings> =>
  itemSavings(partsOf(handler, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, ...(action !== undefined ? { action } : {}) }));

describe('redshift:cluster scan', () => {
  it('finds idle and long-paused clusters; busy, unknown, young and scheduled-pause ones are not idle; listings and batched metrics only', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const engine = new MetricsEngine({ client: (r) => s!.clients.client(CloudWatchClient, r), window: metricsWindow(NOW, 30), now: () => NOW });
    const f = await scan(s, engine);
    expect(f.size).toBe(9);
    expect([...f.values()].filter((x) => x.unused).map((x) => x.resourceId).sort()).toEqual(['idle-dc2', 'idle-ra3', 'kept', 'nobackup', 'paused-old']);

    expect(f.get('idle-ra3')).toMatchObject({
      state: 'available',
      // 2 × 730 h × $1.086 + 500 GB × $0.024
      monthlyCost: 1597.56,
      costBasis: '2 ra3.xlplus nodes × 730 h × $1.086 + RA3 managed storage ≈ 500 GB (its automated snapshot of 2026-12-05) × $0.024 per GB-month (us-east-1)',
      unusedSince: '2026-11-06T00:00:00.000Z',
      details: expect.objectContaining({ ra3: true, dataGB: 500, numberOfNodes: 2, totalStorageCapacityGB: 65_536 }),
    });
    expect(f.get('idle-ra3')!.unusedReason).toContain('No connections for 30 days');
    expect(f.get('idle-dc2')).toMatchObject({ monthlyCost: 365, costBasis: '2 dc2.large nodes × 730 h × $0.25 (us-east-1); storage included in the node price' });

    // Paused: storage only; unused when no day of the lookback had a connection.
    expect(f.get('paused-old')).toMatchObject({
      state: 'paused',
      unused: true,
      unusedSince: null,
      monthlyCost: 0.384, // 16 GB × $0.024
      costBasis: 'Paused: no node hours; RA3 managed storage ≈ 16 GB (its automated snapshot of 2026-12-05) × $0.024 per GB-month (us-east-1)',
    });
    expect(f.get('paused-old')!.unusedReason).toMatch(/^Paused, and no connection on any day of the 30-day lookback/);
    expect(f.get('paused-sched')).toMatchObject({ unused: false, monthlyCost: null });
    expect(String(f.get('paused-sched')!.details['activity'])).toMatch(/^Paused now, but .*paused and resumed within the lookback$/);

    expect(f.get('busy-dc2')).toMatchObject({ unused: false });
    expect(String(f.get('gappy')!.details['activity'])).toContain('no datapoints on 1 of 30 days');
    expect(f.get('gappy')!.unused).toBe(false);
    expect(String(f.get('young')!.details['activity'])).toContain('too young');
    expect(f.get('kept')).toMatchObject({ protected: true, protectedReason: `Tagged ${KEEP}=true` });
    expect(f.get('nobackup')).toMatchObject({ details: expect.objectContaining({ dataGB: null, automatedSnapshotRetentionPeriod: 0 }) });

    const counts = s.sim.counts().byOperation;
    expect(counts['redshift:DescribeClusters']).toBe(1);
    expect(counts['redshift:DescribeClusterSnapshots']).toBe(1);
    expect(counts['monitoring:GetMetricData']).toBe(1);
    expect(engine.meter.metricsRequested).toBe(9);
  });

  it('parts and savings per action: delete nets out the final snapshot, delete without one saves all, pause saves the node hours only', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const ra3 = f.get('idle-ra3')!;
    const del = partsOf(handler, ra3, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false });
    expect(del.parts).toEqual([expect.objectContaining({ resourceType: 'redshift:snapshot', resourceId: 'final snapshot of idle-ra3', fate: 'kept', created: true, monthlyCost: 12 })]);
    expect(savings(ra3).savings).toBe(1585.56); // $1,597.56 − the snapshot's 500 GB × $0.024
    expect(savings(ra3, 'delete-without-snapshot').savings).toBe(1597.56);
    const pause = partsOf(handler, ra3, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'pause' });
    expect(pause).toEqual({ own: { monthlyCost: 1585.56, costBasis: expect.stringContaining('stays billed: RA3 managed storage ≈ 500 GB') }, parts: [] });
    expect(savings(ra3, 'pause').savings).toBe(1585.56);

    // DC2: the final snapshot bills as backup storage.
    expect(savings(f.get('idle-dc2')!).savings).toBe(362.7); // $365 − 100 GB × $0.023
    // No automated snapshot measures the data: the snapshot's cost, and so the default savings, are unknown.
    expect(savings(f.get('nobackup')!).savings).toBeNull();
    expect(savings(f.get('nobackup')!, 'delete-without-snapshot').savings).toBe(182.5);

    // Refusals: a paused cluster cannot be snapshotted (delete) or paused again; no automated snapshots: no pause.
    const paused = f.get('paused-old')!;
    expect(handler.actionRefusal?.(paused, 'delete')).toBe(PAUSED_DELETE_REFUSAL);
    expect(handler.actionRefusal?.(paused, 'pause')).toBe('It is already paused');
    expect(handler.actionRefusal?.(paused, 'delete-without-snapshot')).toBeNull();
    expect(savings(paused, 'delete-without-snapshot').savings).toBe(0.384);
    expect(handler.actionRefusal?.(f.get('nobackup')!, 'pause')).toBe('AWS cannot pause a cluster whose automated snapshots are turned off');
    expect(handler.actionRefusal?.(ra3, 'pause')).toBeNull();
    expect(handler.actions?.map((a) => [a.id, a.removes, a.explicit === true])).toEqual([
      ['delete', true, false],
      ['delete-without-snapshot', true, true],
      ['pause', false, false],
    ]);
  });

  it('a denied DescribeClusters fails the scan task with the IAM action named', async () => {
    s = await openSimSession({ fixture: { ...FIXTURE, deny: ['redshift:DescribeClusters'] }, now: NOW });
    await expect(scan(s)).rejects.toThrow(/redshift:DescribeClusters/);
    const registry = createHandlerRegistry();
    registry.register(handler);
    const out = await runScan(s.scanDeps({ registry, now: () => NOW }), { regions: [R], skipDiscovery: true });
    expect(out.failures.map((x) => x.handler)).toEqual(['redshift:cluster']);
    expect(out.failures[0]!.message).toContain('redshift:DescribeClusters');
  });
});

describe('redshift:cluster actions and re-check', () => {
  it('delete: CreateClusterSnapshot (tagged), waits until available, then DeleteCluster skipping AWS\'s own final snapshot', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    s.sim.configure({ redshiftSnapshotDelayMs: 150 });
    const f = await scan(s);
    const log: Recorded[] = [];
    const before = s.sim.counts().byOperation['redshift:DescribeClusterSnapshots'] ?? 0;
    const out = await handler.delete(deleteCtx(s, 'delete', log), stored(f.get('idle-ra3')), { dryRun: false });
    const name = 'cloud-cleaner-final-idle-ra3-9b1c7d2e';
    expect(out).toEqual({ kind: 'deleted', calls: [`CreateClusterSnapshot ${name}`, 'DeleteCluster idle-ra3'], safetySnapshotId: name });
    expect(log.map((l) => [l.call.action, l.snapshotStatus])).toEqual([
      ['CreateClusterSnapshot', null],
      ['DeleteCluster', 'available'],
    ]);
    expect((s.sim.counts().byOperation['redshift:DescribeClusterSnapshots'] ?? 0) - before).toBeGreaterThanOrEqual(2);
    const rs = s.sim.state.region(R).redshift;
    expect(rs.snapshots.get(name)).toMatchObject({ status: 'available', type: 'manual', clusterId: 'idle-ra3', sizeMb: 512_000, tags: [{ key: 'cloud-cleaner:plan', value: PLAN }] });
    expect((await handler.recheck(ctxFor(s), stored(f.get('idle-ra3')))).status).toBe('gone');
    expect(rs.clusters.has('idle-ra3')).toBe(false);
  });

  it('a final snapshot that never becomes available fails the item and deletes nothing', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    s.sim.configure({ redshiftSnapshotDelayMs: 60_000 });
    const f = await scan(s);
    const log: Recorded[] = [];
    const out = await handler.delete(deleteCtx(s, 'delete', log, { waitMs: 100 }), stored(f.get('idle-dc2')), { dryRun: false });
    expect(out).toMatchObject({ kind: 'failed', code: 'FinalSnapshotNotAvailable' });
    expect(log.map((l) => l.call.action)).toEqual(['CreateClusterSnapshot']);
    expect(s.sim.state.region(R).redshift.clusters.get('idle-dc2')?.status).toBe('available');
  });

  it('delete-without-snapshot deletes at once; a paused cluster: delete refused without a call, delete-without-snapshot deletes it', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const log: Recorded[] = [];
    expect(await handler.delete(deleteCtx(s, 'delete-without-snapshot', log), stored(f.get('idle-dc2')), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteCluster idle-dc2'] });
    expect(await handler.delete(deleteCtx(s, undefined, log), stored(f.get('paused-old')), { dryRun: false })).toEqual({ kind: 'refused', reason: PAUSED_DELETE_REFUSAL });
    expect(await handler.delete(deleteCtx(s, 'delete-without-snapshot', log), stored(f.get('paused-old')), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteCluster paused-old'] });
    expect(log.map((l) => l.call.action)).toEqual(['DeleteCluster', 'DeleteCluster']);
    expect(s.sim.counts().byOperation['redshift:CreateClusterSnapshot'] ?? 0).toBe(0);
    expect((await handler.recheck(ctxFor(s), stored(f.get('paused-old')))).status).toBe('gone');
  });

  it('pause: PauseCluster (audited); the cluster ends paused; a pause the cluster cannot take is refused without a call', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    s.sim.configure({ redshiftTransitionDelayMs: 50 });
    const f = await scan(s);
    const log: Recorded[] = [];
    expect((await handler.recheck({ ...ctxFor(s), action: 'pause' }, stored(f.get('idle-ra3')))).status).toBe('unchanged');
    expect(await handler.delete(deleteCtx(s, 'pause', log), stored(f.get('idle-ra3')), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['PauseCluster idle-ra3'] });
    expect(log.map((l) => l.call.action)).toEqual(['PauseCluster']);
    const rs = s.sim.state.region(R).redshift;
    expect(rs.clusters.get('idle-ra3')?.status).toBe('pausing');
    await new Promise((r) => setTimeout(r, 80));
    const after = await scan(s);
    expect(after.get('idle-ra3')).toMatchObject({ state: 'paused', monthlyCost: 12 }); // storage only: 500 GB × $0.024
    expect(rs.snapshots.size).toBeGreaterThan(0);
    expect([...rs.snapshots.keys()].some((k) => k.startsWith('cloud-cleaner-final-'))).toBe(false);

    expect(await handler.delete(deleteCtx(s, 'pause', log), stored(f.get('nobackup')), { dryRun: false })).toEqual({
      kind: 'refused',
      reason: 'AWS cannot pause a cluster whose automated snapshots are turned off',
    });
    expect(await handler.delete(deleteCtx(s, 'pause', log), stored(f.get('paused-old')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'It is already paused' });
    expect(log).toHaveLength(1);
    expect(s.sim.counts().byOperation['redshift:PauseCluster']).toBe(1);
  });

  it('re-check: unchanged while idle; a busy latest day changes it; a tag added since protects it; a pause no longer possible changes it', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const ctx = ctxFor(s);
    const dc2 = stored(f.get('idle-dc2'));
    expect((await handler.recheck(ctx, dc2)).status).toBe('unchanged');
    const series = [...s.sim.state.region(R).metrics.values()].find((m) => m.metricName === 'DatabaseConnections' && m.dimensions.some((d) => d.value === 'idle-dc2'));
    const yesterday = Math.max(...series!.days.keys());
    series!.days.set(yesterday, 1);
    expect(await handler.recheck(ctx, dc2)).toMatchObject({ status: 'changed', reason: expect.stringContaining('No longer idle') });
    series!.days.set(yesterday, 0);
    s.sim.state.region(R).redshift.clusters.get('idle-dc2')!.tags.push({ key: KEEP, value: '' });
    expect(await handler.recheck(ctx, dc2)).toMatchObject({ status: 'protected', reason: `Tagged ${KEEP}` });

    s.sim.state.region(R).redshift.clusters.get('idle-ra3')!.status = 'modifying';
    expect(await handler.recheck({ ...ctx, action: 'pause' }, stored(f.get('idle-ra3')))).toMatchObject({ status: 'changed', reason: 'Status changed from available to modifying' });
    expect(await handler.recheck({ ...ctx, action: 'pause' }, stored(f.get('nobackup')))).toMatchObject({
      status: 'changed',
      reason: 'AWS cannot pause a cluster whose automated snapshots are turned off',
    });
  });

  it('a dry run sends nothing; a protected one is refused without a call', async () => {
    s = await openSimSession({ fixture: FIXTURE, now: NOW });
    const f = await scan(s);
    const log: Recorded[] = [];
    const sent = s.sim.counts().total;
    expect(await handler.delete(deleteCtx(s, 'pause', log), stored(f.get('idle-ra3')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(await handler.delete(deleteCtx(s, 'delete-without-snapshot', log), stored(f.get('kept')), { dryRun: false })).toMatchObject({ kind: 'refused' });
    expect(log).toEqual([]);
    expect(s.sim.counts().total).toBe(sent);
  });
});
