/**
 * The Aurora cluster kind against the simulator (real SDK clients over HTTP: RDS, CloudWatch): idle, busy, unknown and
 * stopped clusters, costs written out by hand from AWS's published us-east-1 prices, savings per action from the parts
 * model, the scan's call budget, and the actions (delete with a final snapshot, without one, stop) with their audit
 * rows and refusals.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/index';
import { metricKey, putDailySeries } from '../../../e2e/aws-sim/metrics-state';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { MetricsEngine } from '../metrics/engine';
import { metricsWindow } from '../metrics/window';
import { AURORA_BACKUP_GB_MONTH, AURORA_INSTANCE_HOUR, AURORA_STORAGE_GB_MONTH } from '../pricing/keys/rds';
import { regionPrices } from '../pricing/price-key';
import { actionsOf, defaultActionOf } from './actions';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { itemSavings, partsOf } from './parts';
import { dbClustersHandler as h, finalSnapshotId } from './rds-clusters';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const DAYS = 30;
const GIB = 1024 ** 3;
const every = (v: number | null): (number | null)[] => Array<number | null>(DAYS).fill(v);
const conns = (instance: string, daily: (number | null)[]): MetricSeriesFixture => ({
  namespace: 'AWS/RDS',
  metricName: 'DatabaseConnections',
  dimensions: { DBInstanceIdentifier: instance },
  daily,
});
const volume = (cluster: string, daily: (number | null)[]): MetricSeriesFixture => ({
  namespace: 'AWS/RDS',
  metricName: 'VolumeBytesUsed',
  dimensions: { DBClusterIdentifier: cluster },
  daily,
});
/** An idle cluster of two members, 50 GiB of volume (40 GiB until the last day: the latest day counts). */
const idle = (id: string): MetricSeriesFixture[] => [
  conns(`${id}-w`, every(0)),
  conns(`${id}-r`, every(0)),
  volume(id, [...every(40 * GIB).slice(1), 50 * GIB]),
];

/** Clusters of two members each in eu-west-1, for the call budget. */
const MANY = 150;
const many = (i: number): string => `many-${String(i).padStart(3, '0')}`;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      rds: {
        clusters: [
          { id: 'idle-aurora' },
          { id: 'busy-aurora' },
          { id: 'gappy-aurora' },
          { id: 'young-aurora', createdDaysAgo: 5 },
          { id: 'stopped-aurora', status: 'stopped', stoppedDaysAgo: 2 },
          { id: 'locked-aurora', deletionProtection: true },
          { id: 'keep-aurora', tags: { 'cloud-cleaner:keep': 'true' } },
          { id: 'member-keep-aurora' },
          { id: 'empty-aurora' },
          { id: 'iopt-aurora', storageType: 'aurora-iopt1' },
          { id: 'serverless-aurora', engineMode: 'serverless' },
          { id: 'stop-me' },
          { id: 'del-snap' },
          { id: 'del-nosnap' },
          { id: 'docs', engine: 'docdb' },
        ],
        instances: [
          { id: 'idle-aurora-w', clusterId: 'idle-aurora' },
          { id: 'idle-aurora-r', clusterId: 'idle-aurora' },
          { id: 'busy-aurora-w', clusterId: 'busy-aurora' },
          { id: 'busy-aurora-r', clusterId: 'busy-aurora' },
          { id: 'gappy-aurora-w', clusterId: 'gappy-aurora' },
          { id: 'young-aurora-w', clusterId: 'young-aurora', createdDaysAgo: 5 },
          { id: 'stopped-aurora-w', clusterId: 'stopped-aurora' },
          { id: 'locked-aurora-w', clusterId: 'locked-aurora' },
          { id: 'keep-aurora-w', clusterId: 'keep-aurora' },
          { id: 'member-keep-aurora-w', clusterId: 'member-keep-aurora', tags: { 'cloud-cleaner:keep': 'yes' } },
          { id: 'iopt-aurora-w', clusterId: 'iopt-aurora' },
          { id: 'stop-me-w', clusterId: 'stop-me' },
          { id: 'stop-me-r', clusterId: 'stop-me' },
          { id: 'del-snap-w', clusterId: 'del-snap' },
          { id: 'del-snap-r', clusterId: 'del-snap' },
          { id: 'del-nosnap-w', clusterId: 'del-nosnap' },
          { id: 'docs-1', clusterId: 'docs' },
          { id: 'plain-mysql' },
        ],
      },
      metrics: [
        ...idle('idle-aurora'),
        conns('busy-aurora-w', every(0)),
        conns('busy-aurora-r', [...every(0).slice(1), 3]),
        volume('busy-aurora', every(10 * GIB)),
        conns('gappy-aurora-w', every(0).map((v, i) => (i === 10 ? null : v))),
        volume('gappy-aurora', every(10 * GIB)),
        conns('young-aurora-w', [...every(null).slice(5), 0, 0, 0, 0, 0]),
        // Stopped two days ago: no datapoint since; the latest one (20 GiB) prices its storage.
        conns('stopped-aurora-w', [...every(1).slice(2), null, null]),
        volume('stopped-aurora', [...every(20 * GIB).slice(2), null, null]),
        conns('locked-aurora-w', every(0)),
        volume('locked-aurora', every(GIB)),
        conns('keep-aurora-w', every(0)),
        conns('member-keep-aurora-w', every(0)),
        volume('empty-aurora', every(GIB)),
        conns('iopt-aurora-w', every(0)),
        volume('iopt-aurora', every(100 * GIB)),
        ...idle('stop-me'),
        ...idle('del-snap'),
        conns('del-nosnap-w', every(0)),
        volume('del-nosnap', every(GIB)),
      ],
    },
    'eu-west-1': {
      rds: {
        clusters: Array.from({ length: MANY }, (_, i) => ({ id: many(i) })),
        instances: Array.from({ length: MANY }, (_, i) => [
          { id: `${many(i)}-w`, clusterId: many(i) },
          { id: `${many(i)}-r`, clusterId: many(i) },
        ]).flat(),
      },
    },
  },
};

// AWS's published us-east-1 prices (Aurora PostgreSQL, Standard and I/O-Optimized), written out by hand.
const PG = 'aurora-postgresql';
const PRICES = regionPrices('us-east-1', [
  [AURORA_INSTANCE_HOUR[PG]['db.r6g.large']!.standard, 0.26],
  [AURORA_INSTANCE_HOUR[PG]['db.r6g.large']!.ioOptimized, 0.338],
  [AURORA_STORAGE_GB_MONTH[PG].standard, 0.1],
  [AURORA_STORAGE_GB_MONTH[PG].ioOptimized, 0.225],
  [AURORA_BACKUP_GB_MONTH[PG], 0.021],
]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return {
    region,
    accountId: ACCOUNT,
    client: <C extends Destroyable>(ctor: SdkClientClass<C>) => s.clients.client(ctor, region),
    prices: region === 'us-east-1' ? PRICES : null,
    settings: DEFAULT_HANDLER_SETTINGS,
    now: NOW,
    ...over,
  };
}

async function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const page of h.scan(ctxFor(region, over))) out.push(...page);
  return out;
}

const byId = (list: Finding[], id: string): Finding => {
  const f = list.find((x) => x.resourceId === id);
  if (f === undefined) throw new Error(`no finding ${id}`);
  return f;
};
const stored = (f: Finding): StoredFinding => ({ ...f, id: 1 });
const verdictOf = (f: Finding): string | undefined => (f.details['metrics'] as { verdict?: string } | undefined)?.verdict;
const savings = (f: Finding, action?: string) =>
  itemSavings(partsOf(h, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, ...(action ? { action } : {}) }));
const rds = () => s.sim.state.region('us-east-1').rds;

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('rds:db-cluster scan', () => {
  it('lists Aurora clusters (DocumentDB skipped), each with its members', () => {
    expect(east.map((f) => f.resourceId)).not.toContain('docs');
    expect(east).toHaveLength(14);
    expect(byId(east, 'idle-aurora').details['memberIds']).toEqual(['idle-aurora-w', 'idle-aurora-r']);
    expect(byId(east, 'idle-aurora').details['memberSummary']).toEqual(['idle-aurora-w (db.r6g.large, writer)', 'idle-aurora-r (db.r6g.large)']);
  });

  it('an idle cluster (no connections to any member, every day) is unused since the window start, priced by hand', () => {
    const f = byId(east, 'idle-aurora');
    expect(f).toMatchObject({ unused: true, protected: false, state: 'available', unusedSince: '2026-10-26T00:00:00.000Z' });
    expect(f.unusedReason).toMatch(/^No connections to all 2 of its DB instances: No connections for 30 days: DatabaseConnections 0 every day from 2026-10-26 to 2026-11-24/);
    expect(verdictOf(f)).toBe('idle');
    // 2 × 730 h × $0.26 + 50 GiB (the latest day) × $0.10.
    expect(f.monthlyCost).toBeCloseTo(2 * 730 * 0.26 + 50 * 0.1, 6);
    expect(f.costBasis).toBe(
      'idle-aurora-w db.r6g.large 730 h × $0.26 + idle-aurora-r db.r6g.large 730 h × $0.26 (us-east-1); ' +
        'Aurora storage 50 GB × $0.10 (VolumeBytesUsed on 2026-11-24, us-east-1); I/O requests bill apart (not estimated)',
    );
    expect(f.details['volumeGiB']).toBe(50);
  });

  it('one busy member makes the cluster in use', () => {
    const f = byId(east, 'busy-aurora');
    expect(f.unused).toBe(false);
    expect(verdictOf(f)).toBe('active');
    expect(f.details['activity']).toBe('In use: DatabaseConnections 3 connections on 2026-11-24');
  });

  it('a member with a missing day makes it unknown, never idle; a cluster younger than the window too', () => {
    const g = byId(east, 'gappy-aurora');
    expect(g).toMatchObject({ unused: false, unusedReason: null });
    expect(verdictOf(g)).toBe('unknown');
    expect(g.details['activity']).toMatch(/^Unknown: .*no datapoints on 1 of 30 days/);
    const y = byId(east, 'young-aurora');
    expect(y.unused).toBe(false);
    expect(y.details['activity']).toMatch(/too young to judge/);
  });

  it('a stopped cluster is unused with its automatic restart date; since = restart − 7 days; storage only', () => {
    const f = byId(east, 'stopped-aurora');
    expect(f).toMatchObject({ unused: true, state: 'stopped', unusedSince: '2026-11-23T12:00:00.000Z' });
    expect(f.unusedReason).toBe('Stopped: its storage still bills, and AWS starts it again automatically on 2026-11-30 12:00 UTC');
    expect(f.details['automaticRestartTime']).toBe('2026-11-30T12:00:00.000Z');
    expect(f.monthlyCost).toBeCloseTo(20 * 0.1, 6);
    expect(f.costBasis).toBe('Stopped: no instance hours; Aurora storage 20 GB × $0.10 (VolumeBytesUsed on 2026-11-22, us-east-1); I/O requests bill apart (not estimated)');
  });

  it('a cluster without DB instances is unused, billing storage only', () => {
    const f = byId(east, 'empty-aurora');
    expect(f).toMatchObject({ unused: true, unusedReason: 'No DB instances: nothing can connect to it; it bills its storage only', unusedSince: null });
    expect(f.monthlyCost).toBeCloseTo(0.1, 6);
  });

  it('an I/O-Optimized cluster bills its instances and storage at the I/O-Optimized rates', () => {
    const f = byId(east, 'iopt-aurora');
    expect(f.unused).toBe(true);
    expect(f.monthlyCost).toBeCloseTo(730 * 0.338 + 100 * 0.225, 6);
    expect(f.costBasis).not.toContain('I/O requests');
  });

  it('the protection tag on the cluster or on a member protects; deletion protection is reported, not a protection of the stop', () => {
    expect(byId(east, 'keep-aurora')).toMatchObject({ protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
    expect(byId(east, 'member-keep-aurora')).toMatchObject({
      protected: true,
      protectedReason: 'its DB instance member-keep-aurora-w is tagged cloud-cleaner:keep=yes',
    });
    const locked = byId(east, 'locked-aurora');
    expect(locked).toMatchObject({ unused: true, protected: false });
    expect(locked.details['deletionProtection']).toBe(true);
    expect(h.actionRefusal?.(locked, 'delete')).toMatch(/^deletion protection is on/);
    expect(h.actionRefusal?.(locked, 'delete-without-snapshot')).toMatch(/^deletion protection is on/);
    expect(h.actionRefusal?.(locked, 'stop')).toBeNull();
  });

  it('Aurora Serverless v1 is listed, not judged', () => {
    const f = byId(east, 'serverless-aurora');
    expect(f).toMatchObject({ unused: false, monthlyCost: null });
    expect(f.details['activity']).toMatch(/^Not judged: Aurora Serverless v1/);
  });

  it('unknown prices are unknown, never $0', async () => {
    const [f] = (await scan('us-east-1', { prices: null })).filter((x) => x.resourceId === 'idle-aurora');
    expect(f).toMatchObject({ unused: true, monthlyCost: null });
    expect(f!.costBasis).toBe('Cost unknown: no aurora-postgresql db.r6g.large hourly price');
  });

  it('savings per action come from the parts: delete nets out the final snapshot, stop saves the instances only', () => {
    const f = byId(east, 'idle-aurora');
    const full = 2 * 730 * 0.26 + 50 * 0.1;
    const snap = 50 * 0.021;
    expect(defaultActionOf(h).id).toBe('delete');
    expect(actionsOf(h).map((a) => [a.id, a.removes, a.explicit ?? false])).toEqual([
      ['delete', true, false],
      ['delete-without-snapshot', true, true],
      ['stop', false, false],
    ]);
    const del = savings(f);
    expect(del.savings).toBeCloseTo(full - snap, 6);
    expect(del.basis).toContain('− new DB snapshot final snapshot of idle-aurora $1.05');
    const parts = partsOf(h, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts;
    expect(parts).toEqual([
      expect.objectContaining({ resourceType: 'rds:snapshot', resourceId: 'final snapshot of idle-aurora', fate: 'kept', created: true, monthlyCost: snap }),
    ]);
    expect(parts[0]!.costBasis).toMatch(/^Estimate: Aurora backup storage 50 GB \(the cluster volume\) × \$0.021/);
    expect(savings(f, 'delete-without-snapshot').savings).toBeCloseTo(full, 6);
    const stop = savings(f, 'stop');
    expect(stop.savings).toBeCloseTo(2 * 730 * 0.26, 6);
    expect(partsOf(h, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'stop' }).own.costBasis).toContain(
      'stays billed while stopped: Aurora storage 50 GB',
    );
  });

  it('actions that do not apply are refused with the reason', () => {
    const stopped = byId(east, 'stopped-aurora');
    expect(h.actionRefusal?.(stopped, 'delete')).toMatch(/^A stopped Aurora cluster cannot be deleted until it is started.*2026-11-30 12:00 UTC$/);
    expect(h.actionRefusal?.(stopped, 'stop')).toBe('Already stopped');
    expect(h.actionRefusal?.(byId(east, 'idle-aurora'), 'stop')).toBeNull();
    expect(h.actionRefusal?.(byId(east, 'idle-aurora'), 'delete')).toBeNull();
    // A member of a global database (the simulator has no global databases: the stored detail stands for it).
    const global = { ...byId(east, 'idle-aurora'), details: { ...byId(east, 'idle-aurora').details, globalCluster: 'world' } };
    expect(h.actionRefusal?.(global, 'stop')).toBe('AWS cannot stop a cluster that is part of a global database');
  });

  it('a scan makes listings and batched metric calls only, never a call per cluster or instance', async () => {
    s.sim.resetCounts();
    const engine = new MetricsEngine({ client: (r) => s.clients.client(CloudWatchClient, r), window: metricsWindow(NOW) });
    const found = await scan('eu-west-1', { metrics: engine.forRegion('eu-west-1') });
    expect(found).toHaveLength(MANY);
    const ops = s.sim.counts().byOperation;
    // 150 clusters, 100 a page; 300 instances, 100 a page.
    expect(ops['rds:DescribeDBClusters']).toBe(2);
    expect(ops['rds:DescribeDBInstances']).toBe(3);
    expect(ops['rds:ListTagsForResource']).toBeUndefined();
    // Per page: the members' DatabaseConnections and the clusters' VolumeBytesUsed (100 × 3, then 50 × 3).
    expect(engine.meter.metricsRequested).toBe(MANY * 3);
    expect(ops['monitoring:GetMetricData']).toBe(engine.meter.getMetricDataCalls);
    expect(engine.meter.getMetricDataCalls).toBeLessThanOrEqual(2);
    expect(Object.keys(ops).filter((k) => k.startsWith('rds:')).sort()).toEqual(['rds:DescribeDBClusters', 'rds:DescribeDBInstances']);
  });

  it('a denied rds:DescribeDBClusters fails the scan with an error naming the action', async () => {
    s.sim.state.deny.add('rds:DescribeDBClusters');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/rds:DescribeDBClusters/);
    } finally {
      s.sim.state.deny.delete('rds:DescribeDBClusters');
    }
  });
});

describe('rds:db-cluster re-check and actions', () => {
  const del = (over: Parameters<typeof recordingDeleteContext>[0] = {}) => recordingDeleteContext({ ...ctxFor('us-east-1'), pollMs: 10, waitMs: 5_000, ...over });

  it('re-checks with exact reads: unchanged while idle; a connection since the review changes it', async () => {
    const f = byId(east, 'idle-aurora');
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'unchanged' });
    const metrics = s.sim.state.region('us-east-1').metrics;
    const series = putDailySeries(
      metrics,
      { namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions: [{ name: 'DBInstanceIdentifier', value: 'idle-aurora-r' }], daily: [...every(0).slice(1), 2] },
      NOW,
    );
    try {
      expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({
        status: 'changed',
        reason: 'No longer unused: In use: DatabaseConnections 2 connections on 2026-11-24',
      });
    } finally {
      metrics.delete(metricKey(series.namespace, series.metricName, series.dimensions));
    }
  });

  it('deletion protection: re-checked as protected for a delete, the delete refused, never switched off (no Modify call)', async () => {
    const f = byId(east, 'locked-aurora');
    expect(await h.recheck(ctxFor('us-east-1', { action: 'delete' }), stored(f))).toMatchObject({
      status: 'protected',
      reason: 'deletion protection is on (reported, never switched off)',
    });
    // Stopping it deletes nothing: allowed.
    expect(await h.recheck(ctxFor('us-east-1', { action: 'stop' }), stored(f))).toMatchObject({ status: 'unchanged' });
    s.sim.resetCounts();
    // As reviewed before protection was seen (a stale finding): AWS's own answer decides.
    const ctx = del();
    const out = await h.delete(ctx, stored({ ...f, details: { ...f.details, deletionProtection: false } }), { dryRun: false });
    expect(out).toEqual({ kind: 'refused', reason: expect.stringMatching(/^deletion protection is on/) });
    expect(ctx.log).toEqual([]);
    const ops = s.sim.counts().byOperation;
    expect(Object.keys(ops).filter((k) => k.startsWith('rds:')).sort()).toEqual(['rds:DescribeDBClusters']);
    expect(rds().clusters.get('locked-aurora')).toMatchObject({ deletionProtection: true, status: 'available' });
    expect(rds().instances.has('locked-aurora-w')).toBe(true);
  });

  it('a stopped cluster: delete refused before any call', async () => {
    s.sim.resetCounts();
    const ctx = del();
    const out = await h.delete(ctx, stored(byId(east, 'stopped-aurora')), { dryRun: false });
    expect(out).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^A stopped Aurora cluster cannot be deleted until it is started/) });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('a dry run sends nothing: verified by the re-check and a permission check', async () => {
    s.sim.resetCounts();
    const ctx = del();
    expect(await h.delete(ctx, stored(byId(east, 'idle-aurora')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(s.sim.counts().total).toBe(0);
    expect(h.verification.method).toBe('permission-check');
  });

  it('stop: StopDBCluster, audited; the cluster is stopped, nothing deleted; a re-check then sees the change', async () => {
    const f = byId(east, 'stop-me');
    const ctx = del({ action: 'stop' });
    const out = await h.delete(ctx, stored(f), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['StopDBCluster stop-me'] });
    expect(ctx.log).toEqual([{ action: 'StopDBCluster', target: 'stop-me', dryRun: false }]);
    const c = rds().clusters.get('stop-me');
    expect(['stopping', 'stopped']).toContain(c?.status);
    expect(rds().instances.has('stop-me-w')).toBe(true);
    const r = await h.recheck(ctxFor('us-east-1', { action: 'stop' }), stored(f));
    expect(r).toMatchObject({ status: 'changed', reason: expect.stringMatching(/^Status changed from available to stopp/) });
  });

  it('delete: final snapshot available before the first delete call, readers before the writer, the cluster last', async () => {
    const f = byId(east, 'del-snap');
    const snapId = finalSnapshotId('del-snap', 'plan-1');
    expect(snapId).toBe('cloud-cleaner-final-del-snap-plan-1');
    const seen: string[] = [];
    s.sim.configure({ rdsSnapshotDelayMs: 120 });
    rds().onRequest = (op, params, state) => {
      if (op === 'DeleteDBInstance' || op === 'DeleteDBCluster') {
        seen.push(`${op} ${params['DBInstanceIdentifier'] ?? params['DBClusterIdentifier'] ?? ''} snapshot=${state.clusterSnapshots.get(snapId)?.status ?? 'none'}`);
      }
    };
    try {
      const ctx = del({ action: 'delete' });
      const out = await h.delete(ctx, stored(f), { dryRun: false });
      expect(out).toEqual({
        kind: 'deleted',
        calls: ['CreateDBClusterSnapshot del-snap', 'DeleteDBInstance del-snap-r', 'DeleteDBInstance del-snap-w', 'DeleteDBCluster del-snap'],
        safetySnapshotId: snapId,
      });
      expect(ctx.log).toEqual([
        { action: 'CreateDBClusterSnapshot', target: 'del-snap', dryRun: false },
        { action: 'DeleteDBInstance', target: 'del-snap-r', dryRun: false },
        { action: 'DeleteDBInstance', target: 'del-snap-w', dryRun: false },
        { action: 'DeleteDBCluster', target: 'del-snap', dryRun: false },
      ]);
      expect(seen).toEqual([
        'DeleteDBInstance del-snap-r snapshot=available',
        'DeleteDBInstance del-snap-w snapshot=available',
        'DeleteDBCluster del-snap snapshot=available',
      ]);
      const snap = rds().clusterSnapshots.get(snapId);
      expect(snap).toMatchObject({ clusterId: 'del-snap', snapshotType: 'manual', status: 'available' });
      expect(snap?.tags).toEqual(expect.arrayContaining([{ key: 'cloud-cleaner:plan', value: 'plan-1' }]));
      const params = rds().requests.filter((r) => r.operation.startsWith('Delete'));
      expect(params.every((r) => r.params['SkipFinalSnapshot'] === 'true')).toBe(true);
    } finally {
      rds().onRequest = undefined;
      s.sim.configure({ rdsSnapshotDelayMs: 0 });
    }
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'gone' });
  });

  it('a final snapshot that does not become available in time stops the delete: nothing deleted', async () => {
    const f = byId(east, 'idle-aurora');
    s.sim.configure({ rdsSnapshotDelayMs: 60_000 });
    try {
      const ctx = del({ action: 'delete', waitMs: 80, planId: 'slowplan-0000' });
      const out = await h.delete(ctx, stored(f), { dryRun: false });
      expect(out).toMatchObject({ kind: 'failed', code: 'FinalSnapshotTimeout' });
      expect(ctx.log.map((c) => c.action)).toEqual(['CreateDBClusterSnapshot']);
      expect(rds().clusters.get('idle-aurora')?.status).toBe('available');
      expect(rds().instances.has('idle-aurora-w')).toBe(true);
    } finally {
      s.sim.configure({ rdsSnapshotDelayMs: 0 });
    }
  });

  it('delete without a snapshot: members, then the cluster, no snapshot call', async () => {
    const f = byId(east, 'del-nosnap');
    const before = rds().clusterSnapshots.size;
    const ctx = del({ action: 'delete-without-snapshot' });
    const out = await h.delete(ctx, stored(f), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['DeleteDBInstance del-nosnap-w', 'DeleteDBCluster del-nosnap'] });
    expect(ctx.log.map((c) => c.action)).toEqual(['DeleteDBInstance', 'DeleteDBCluster']);
    expect(rds().clusterSnapshots.size).toBe(before);
    expect(['deleting', undefined]).toContain(rds().clusters.get('del-nosnap')?.status);
  });

  it('refuses tag-protected clusters without sending anything', async () => {
    s.sim.resetCounts();
    const ctx = del();
    expect(await h.delete(ctx, stored(byId(east, 'keep-aurora')), { dryRun: false })).toMatchObject({ kind: 'refused' });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('a denied StopDBCluster is unauthorized', async () => {
    s.sim.state.deny.add('rds:StopDBCluster');
    try {
      const out = await h.delete(del({ action: 'stop' }), stored(byId(east, 'busy-aurora')), { dryRun: false });
      expect(out).toMatchObject({ kind: 'unauthorized', code: 'AccessDenied' });
    } finally {
      s.sim.state.deny.delete('rds:StopDBCluster');
    }
  });

  it('final snapshot ids follow the identifier rules', () => {
    const long = finalSnapshotId('a'.repeat(60), 'f00dcafe-1234');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^cloud-cleaner-final-a+-f00dcafe$/);
    expect(finalSnapshotId('x-y-', 'ab--cd')).toBe('cloud-cleaner-final-x-y-ab-cd');
    for (const id of [long, finalSnapshotId('db-', 'Plan_1')]) expect(id).not.toMatch(/--|-$|[^a-z0-9-]/);
  });
});
