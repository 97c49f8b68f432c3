/**
 * The RDS DB instance kind against the simulator (real RDS and CloudWatch SDK clients over HTTP): idle, busy,
 * unknown and stopped verdicts, replicas, protection, costs written out by hand from published us-east-1 prices
 * ([PG-2026] in pricing/keys/rds.ts), parts and savings per action, the scan's call budget, the re-check, and the
 * audited actions — the final snapshot available before DeleteDBInstance, delete without snapshot, stop, deletion
 * protection never switched off.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/index';
import { metricKey, putDailySeries } from '../../../e2e/aws-sim/metrics-state';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { MetricsEngine } from '../metrics/engine';
import { metricsWindow } from '../metrics/window';
import { rdsBackupStorageKey, rdsGp3ExtraIopsKey, rdsInstanceHourKey, rdsStorageKeys } from '../pricing/keys/rds';
import { regionPrices } from '../pricing/price-key';
import type { RatePriceKey, RegionPrices } from '../pricing/types';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { DeleteContext, Finding, HandlerContext, StoredFinding } from './handler';
import { itemSavings, partsOf } from './parts';
import { DB_INSTANCE_TYPE, dbInstancesHandler as h } from './rds-instances';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const DAYS = 30;
const DAY_MS = 86_400_000;
const every = (v: number | null): (number | null)[] => Array<number | null>(DAYS).fill(v);
const conns = (id: string, daily: (number | null)[]): MetricSeriesFixture => ({
  namespace: 'AWS/RDS',
  metricName: 'DatabaseConnections',
  dimensions: { DBInstanceIdentifier: id },
  daily,
});
const MANY = 150;

const pg = { engine: 'postgres', instanceClass: 'db.m6g.large', allocatedStorage: 100, storageType: 'gp3' } as const;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      rds: {
        instances: [
          { id: 'idle-pg', ...pg },
          { id: 'busy-pg', ...pg },
          { id: 'gaps-pg', ...pg },
          { id: 'silent-pg', ...pg },
          { id: 'young-pg', ...pg, createdDaysAgo: 5 },
          { id: 'stopped-my', engine: 'mysql', instanceClass: 'db.t3.micro', status: 'stopped', stoppedDaysAgo: 2, allocatedStorage: 50, storageType: 'io1', iops: 1000 },
          { id: 'stopped-nodate', engine: 'mysql', status: 'stopped', automaticRestartTime: null },
          { id: 'src-pg', ...pg },
          { id: 'replica-pg', ...pg, readReplicaOf: 'src-pg' },
          { id: 'keep-pg', ...pg, tags: { 'cloud-cleaner:keep': 'yes' } },
          { id: 'locked-pg', ...pg, deletionProtection: true },
          { id: 'late-lock', ...pg },
          { id: 'wait-pg', ...pg },
          { id: 'multi-pg', ...pg, multiAz: true, allocatedStorage: 500, iops: 15000 },
          { id: 'sqlsrv', engine: 'sqlserver-ex', instanceClass: 'db.t3.micro', allocatedStorage: 20, storageType: 'gp2' },
          { id: 'stop-me', ...pg },
          { id: 'aurora-1', clusterId: 'aur' },
        ],
        clusters: [{ id: 'aur', engine: 'aurora-postgresql' }],
      },
      metrics: [
        conns('idle-pg', every(0)),
        conns('busy-pg', [...every(0).slice(1), 3]),
        conns('gaps-pg', every(0).map((v, i) => (i % 10 === 4 ? null : v))),
        conns('young-pg', every(0).slice(0, 5)),
        conns('src-pg', every(0)),
        conns('replica-pg', every(0)),
        conns('keep-pg', every(0)),
        conns('locked-pg', every(0)),
        conns('late-lock', every(0)),
        conns('wait-pg', every(0)),
        conns('multi-pg', every(0)),
        conns('sqlsrv', every(0)),
        conns('stop-me', every(0)),
        conns('aurora-1', every(0)),
      ],
    },
    'eu-west-1': {
      rds: { instances: Array.from({ length: MANY }, (_, i) => ({ id: `db-${String(i).padStart(3, '0')}` })) },
      metrics: Array.from({ length: MANY }, (_, i) => conns(`db-${String(i).padStart(3, '0')}`, every(i % 2))),
    },
  },
};

const key = (k: RatePriceKey | undefined, what: string): RatePriceKey => {
  if (k === undefined) throw new Error(`no price key for ${what}`);
  return k;
};

/** Published us-east-1 rates (pricing/keys/rds.ts, [PG-2026] and [RDS-RI-2024]). */
const PRICES: RegionPrices = regionPrices('us-east-1', [
  [key(rdsInstanceHourKey('postgres', 'db.m6g.large', false), 'pg m6g.large'), 0.159],
  [key(rdsInstanceHourKey('postgres', 'db.m6g.large', true), 'pg m6g.large multi'), 0.318],
  [key(rdsInstanceHourKey('mysql', 'db.t3.micro', false), 'mysql t3.micro'), 0.017],
  [key(rdsStorageKeys('gp3', false).storage, 'gp3'), 0.115],
  [key(rdsStorageKeys('gp3', true).storage, 'gp3 multi'), 0.23],
  [key(rdsStorageKeys('io1', false).storage, 'io1'), 0.125],
  [key(rdsStorageKeys('io1', false).iops, 'io1 iops'), 0.1],
  [rdsGp3ExtraIopsKey(true), 0.04],
  [key(rdsBackupStorageKey(), 'backup'), 0.095],
]);

let s: SimSession;

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

function deleteCtx(over: Partial<DeleteContext> = {}) {
  return recordingDeleteContext({ ...ctxFor('us-east-1'), planId: 'plan-1', pollMs: 10, waitMs: 5_000, ...over });
}

async function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const page of h.scan(ctxFor(region, over))) out.push(...page);
  return out;
}

let east: Finding[];
const byId = (list: Finding[], id: string): Finding => {
  const f = list.find((x) => x.resourceId === id);
  if (f === undefined) throw new Error(`no finding ${id}`);
  return f;
};
const stored = (f: Finding): StoredFinding => ({ ...f, id: 1 });
const verdictOf = (f: Finding): string | undefined => (f.details['metrics'] as { verdict?: string } | undefined)?.verdict;
const rdsState = () => s.sim.state.region('us-east-1').rds;
const savings = (f: Finding, action?: string) =>
  itemSavings(partsOf(h, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, ...(action !== undefined ? { action } : {}) }));

// Idle postgres db.m6g.large Single-AZ with 100 GiB gp3: 730 × $0.159 + 100 × $0.115.
const PG_COMPUTE = 730 * 0.159;
const PG_STORAGE = 100 * 0.115;
const PG_SNAPSHOT = 100 * 0.095;

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

afterEach(() => {
  rdsState().onRequest = undefined;
  s.sim.configure({ rdsSnapshotDelayMs: 0, rdsTransitionDelayMs: 0 });
});

describe('rds:db-instance scan', () => {
  it('lists every DB instance that is not an Aurora member', () => {
    expect(east.map((f) => f.resourceId).sort()).toEqual(
      [
        'busy-pg', 'gaps-pg', 'idle-pg', 'keep-pg', 'late-lock', 'locked-pg', 'multi-pg', 'replica-pg', 'silent-pg', 'sqlsrv', 'src-pg', 'stop-me',
        'stopped-my', 'stopped-nodate', 'wait-pg', 'young-pg',
      ].sort(),
    );
    expect(east.every((f) => f.resourceType === DB_INSTANCE_TYPE && f.region === 'us-east-1')).toBe(true);
  });

  it('an available instance with 0 connections every day of the lookback is idle, priced by hours + storage', () => {
    const f = byId(east, 'idle-pg');
    expect(f).toMatchObject({ unused: true, state: 'available', protected: false, unusedSince: '2026-10-26T00:00:00.000Z' });
    expect(f.unusedReason).toMatch(/^No connections for 30 days: DatabaseConnections 0 every day from 2026-10-26 to 2026-11-24/);
    expect(verdictOf(f)).toBe('idle');
    expect(f.monthlyCost).toBeCloseTo(PG_COMPUTE + PG_STORAGE, 6);
    expect(f.costBasis).toBe(
      'postgres db.m6g.large Single-AZ 730 h × $0.159 (us-east-1) + gp3 Single-AZ 100 GiB × $0.115 (us-east-1)',
    );
    expect(f.details).toMatchObject({ engine: 'postgres 16.3', instanceClass: 'db.m6g.large', storage: '100 GiB gp3', multiAz: false, deletionProtection: false });
    expect(f.createdAt).toBe(new Date(NOW.getTime() - 100 * DAY_MS).toISOString());
  });

  it('any connection on any day means in use (RDS Proxy and poolers included)', () => {
    const f = byId(east, 'busy-pg');
    expect(f).toMatchObject({ unused: false, unusedReason: null });
    expect(f.details['activity']).toBe('In use: DatabaseConnections 3 connections on 2026-11-24');
  });

  it('missing datapoints, no series at all, or a young instance: unknown, never idle', () => {
    const gaps = byId(east, 'gaps-pg');
    expect(gaps.unused).toBe(false);
    expect(verdictOf(gaps)).toBe('unknown');
    expect(gaps.details['activity']).toMatch(/^Unknown: .*no datapoints on 3 of 30 days/);
    const silent = byId(east, 'silent-pg');
    expect(silent.unused).toBe(false);
    expect(silent.details['activity']).toMatch(/no datapoints on 30 of 30 days/);
    const young = byId(east, 'young-pg');
    expect(young.unused).toBe(false);
    expect(young.details['activity']).toMatch(/too young to judge/);
  });

  it('a stopped instance is unused: storage only, with the date AWS starts it again', () => {
    const f = byId(east, 'stopped-my');
    const restart = new Date(NOW.getTime() + 5 * DAY_MS);
    expect(f).toMatchObject({ unused: true, state: 'stopped' });
    expect(f.unusedReason).toBe(
      `Stopped: billed for its storage while stopped (50 GiB io1); AWS starts it again automatically on ${restart.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    );
    // Stopped two days ago: since = restart − 7 days.
    expect(f.unusedSince).toBe(new Date(NOW.getTime() - 2 * DAY_MS).toISOString());
    expect(f.details['automaticRestartTime']).toBe(restart.toISOString());
    expect(f.monthlyCost).toBeCloseTo(50 * 0.125 + 1000 * 0.1, 6);
    expect(f.costBasis).toBe('Stopped: storage only, io1 Single-AZ 50 GiB × $0.125 + 1,000 IOPS × $0.10 (us-east-1); no instance hours while stopped');
    // No metric is read for a stopped instance.
    expect(f.details['metrics']).toBeUndefined();
  });

  it('a stopped instance without an AutomaticRestartTime: since unknown, never guessed', () => {
    const f = byId(east, 'stopped-nodate');
    expect(f.unused).toBe(true);
    expect(f.unusedSince).toBeNull();
    expect(f.unusedReason).toMatch(/seven days after the stop \(it gives no date\)$/);
    // gp2 has no price here: unknown, naming the price.
    expect(f.monthlyCost).toBeNull();
    expect(f.costBasis).toBe('Cost unknown: no gp2 Single-AZ storage price per GB-month (us-east-1)');
  });

  it('a read replica names its source; the source lists its replicas', () => {
    const r = byId(east, 'replica-pg');
    expect(r.unused).toBe(true);
    expect(r.unusedReason).toMatch(/^Read replica of src-pg: No connections for 30 days/);
    expect(r.details['readReplicaSource']).toBe('src-pg');
    const src = byId(east, 'src-pg');
    expect(src.details['readReplicas']).toEqual(['replica-pg']);
    expect(src.unusedReason).toMatch(/it has read replicas \(replica-pg\), which AWS promotes to standalone instances if it is deleted$/);
  });

  it('protected by the tag; deletion protection refuses the deletes (reported, never switched off) and leaves the stop', () => {
    expect(byId(east, 'keep-pg')).toMatchObject({ unused: true, protected: true, protectedReason: 'Tagged cloud-cleaner:keep=yes' });
    const locked = byId(east, 'locked-pg');
    expect(locked).toMatchObject({ unused: true, protected: false, protectedReason: null });
    expect(locked.unusedReason).toMatch(/deletion protection is on: it can be stopped, not deleted$/);
    expect(locked.details['deletionProtection']).toBe(true);
    expect(h.actionRefusal?.(locked, 'delete')).toBe('deletion protection is on (reported, never switched off): it can be stopped, not deleted');
    expect(h.actionRefusal?.(locked, 'delete-without-snapshot')).toBe('deletion protection is on (reported, never switched off): it can be stopped, not deleted');
    expect(h.actionRefusal?.(locked, 'stop')).toBeNull();
  });

  it('Multi-AZ doubles hours and storage; gp3 IOPS above the included 12,000 (500 GiB) are priced', () => {
    const f = byId(east, 'multi-pg');
    expect(f.monthlyCost).toBeCloseTo(730 * 0.318 + 500 * 0.23 + 3000 * 0.04, 6);
    expect(f.costBasis).toBe(
      'postgres db.m6g.large Multi-AZ 730 h × $0.318 (us-east-1) + gp3 Multi-AZ 500 GiB × $0.23 + 3,000 IOPS above the included 12,000 × $0.04 (us-east-1)',
    );
  });

  it('an engine without a price is unknown, naming the missing price', () => {
    const f = byId(east, 'sqlsrv');
    expect(f.monthlyCost).toBeNull();
    expect(f.costBasis).toMatch(/^Cost unknown: no sqlserver-ex db\.t3\.micro Single-AZ instance-hour price \(us-east-1\)/);
  });

  it('a scan makes paged listings and batched metric calls only, never a call per instance', async () => {
    s.sim.resetCounts();
    const engine = new MetricsEngine({ client: (r) => s.clients.client(CloudWatchClient, r), window: metricsWindow(NOW) });
    const found = await scan('eu-west-1', { metrics: engine.forRegion('eu-west-1') });
    expect(found).toHaveLength(MANY);
    expect(found.filter((f) => f.unused)).toHaveLength(MANY / 2);
    const ops = s.sim.counts().byOperation;
    // Two pages (100 + 50: MaxRecords at most 100), tags included in them.
    expect(Object.entries(ops).filter(([op]) => op.startsWith('rds:'))).toEqual([['rds:DescribeDBInstances', 2]]);
    expect(engine.meter.metricsRequested).toBe(MANY);
    // One batch per page of instances.
    expect(ops['monitoring:GetMetricData']).toBe(2);
  });

  it('a denied rds:DescribeDBInstances fails the scan with the IAM action named', async () => {
    s.sim.state.deny.add('rds:DescribeDBInstances');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/rds:DescribeDBInstances/);
    } finally {
      s.sim.state.deny.delete('rds:DescribeDBInstances');
    }
  });
});

describe('rds:db-instance actions: parts, savings, refusals', () => {
  it('delete (default): own cost saved minus the final snapshot it creates and keeps (an upper bound)', () => {
    const f = byId(east, 'idle-pg');
    const ip = partsOf(h, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false });
    expect(ip.parts).toEqual([
      expect.objectContaining({ resourceType: 'rds:snapshot', resourceId: 'final snapshot of idle-pg', fate: 'kept', created: true }),
    ]);
    expect(ip.parts[0]?.monthlyCost).toBeCloseTo(PG_SNAPSHOT, 6);
    expect(ip.parts[0]?.costBasis).toMatch(/^At most 100 GiB × \$0\.095 backup storage \(us-east-1\): an upper bound/);
    expect(savings(f).savings).toBeCloseTo(PG_COMPUTE + PG_STORAGE - PG_SNAPSHOT, 6);
    expect(savings(f, 'delete').savings).toBeCloseTo(PG_COMPUTE + PG_STORAGE - PG_SNAPSHOT, 6);
  });

  it('delete without snapshot saves everything; stop saves the compute only and names the storage that stays', () => {
    const f = byId(east, 'idle-pg');
    expect(savings(f, 'delete-without-snapshot').savings).toBeCloseTo(PG_COMPUTE + PG_STORAGE, 6);
    const stop = partsOf(h, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'stop' });
    expect(stop.parts).toEqual([]);
    expect(stop.own.monthlyCost).toBeCloseTo(PG_COMPUTE, 6);
    expect(stop.own.costBasis).toBe(
      'Instance hours saved: postgres db.m6g.large Single-AZ 730 h × $0.159 (us-east-1); its storage stays billed (gp3 Single-AZ 100 GiB × $0.115 (us-east-1))',
    );
  });

  it('a stopped instance: delete saves its storage net of the snapshot; it cannot be stopped again', () => {
    const f = byId(east, 'stopped-my');
    expect(savings(f).savings).toBeCloseTo(50 * 0.125 + 1000 * 0.1 - 50 * 0.095, 6);
    expect(h.actionRefusal?.(f, 'stop')).toBe('Only an available instance can be stopped (it is stopped)');
    expect(h.actionRefusal?.(f, 'delete')).toBeNull();
  });

  it('a read replica: no final snapshot and no stop; only delete without snapshot applies', () => {
    const r = byId(east, 'replica-pg');
    expect(h.actionRefusal?.(r, 'delete')).toMatch(/^A read replica \(of src-pg\) gets no final snapshot: AWS refuses one for replicas\. Choose "delete without a final snapshot"/);
    expect(h.actionRefusal?.(r, 'stop')).toBe('A read replica (of src-pg) cannot be stopped: AWS refuses it');
    expect(h.actionRefusal?.(r, 'delete-without-snapshot')).toBeNull();
    expect(h.actionRefusal?.(byId(east, 'src-pg'), 'stop')).toMatch(/^It has read replicas \(replica-pg\)/);
    expect(h.actionRefusal?.(byId(east, 'busy-pg'), 'stop')).toBe('Only an idle instance is stopped');
  });

  it('declares its actions: delete with snapshot first (default), without snapshot explicit, stop with the seven-day warning', () => {
    expect(h.actions?.map((a) => [a.id, a.explicit === true, a.removes])).toEqual([
      ['delete', false, true],
      ['delete-without-snapshot', true, true],
      ['stop', false, false],
    ]);
    expect(h.actions?.[2]?.warning).toMatch(/seven days/);
    expect(h.actions?.[0]?.iam).toEqual(expect.arrayContaining(['rds:CreateDBSnapshot', 'rds:DescribeDBSnapshots', 'rds:DeleteDBInstance']));
    expect(h.actions?.[2]?.iam).toContain('rds:StopDBInstance');
    expect(h.iam.scan).toEqual(['rds:DescribeDBInstances', 'cloudwatch:GetMetricData']);
    expect(h.verification.method).toBe('permission-check');
  });
});

describe('rds:db-instance re-check', () => {
  it('unchanged while still idle; a connection on the latest day changes it', async () => {
    const f = byId(east, 'idle-pg');
    expect((await h.recheck(ctxFor('us-east-1'), stored(f))).status).toBe('unchanged');
    const metrics = s.sim.state.region('us-east-1').metrics;
    const series = putDailySeries(metrics, { namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions: [{ name: 'DBInstanceIdentifier', value: 'idle-pg' }], daily: [...every(0).slice(1), 2] }, NOW);
    try {
      const r = await h.recheck(ctxFor('us-east-1'), stored(f));
      expect(r).toMatchObject({ status: 'changed', reason: 'No longer unused: In use: DatabaseConnections 2 connections on 2026-11-24' });
    } finally {
      putDailySeries(metrics, { ...series, dimensions: series.dimensions, daily: every(0) }, NOW);
      expect(metrics.has(metricKey(series.namespace, series.metricName, series.dimensions))).toBe(true);
    }
  });

  it('deletion protection: protected for a delete, not for a stop; the tag protects either', async () => {
    const locked = stored(byId(east, 'locked-pg'));
    expect(await h.recheck(ctxFor('us-east-1'), locked)).toMatchObject({ status: 'protected', reason: 'deletion protection is on (reported, never switched off)' });
    expect((await h.recheck(ctxFor('us-east-1', { action: 'stop' }), locked)).status).toBe('unchanged');
    expect(await h.recheck(ctxFor('us-east-1', { action: 'stop' }), stored(byId(east, 'keep-pg')))).toMatchObject({
      status: 'protected',
      reason: 'Tagged cloud-cleaner:keep=yes',
    });
  });

  it('a status change is a change; an unknown instance is gone', async () => {
    const f = byId(east, 'stop-me');
    rdsState().instances.get('stop-me')!.status = 'modifying';
    try {
      expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'changed', reason: 'Status changed from available to modifying' });
    } finally {
      rdsState().instances.get('stop-me')!.status = 'available';
    }
    expect(await h.recheck(ctxFor('us-east-1'), { ...stored(f), resourceId: 'no-such-db' })).toMatchObject({ status: 'gone' });
  });
});

describe('rds:db-instance delete and stop', () => {
  it('a dry run sends nothing: the cleanup verifies by re-check and permission check', async () => {
    s.sim.resetCounts();
    const ctx = deleteCtx();
    expect(await h.delete(ctx, stored(byId(east, 'idle-pg')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('delete: the final snapshot exists and is available BEFORE DeleteDBInstance, which skips AWS’s own', async () => {
    s.sim.configure({ rdsSnapshotDelayMs: 120 });
    const rds = rdsState();
    rds.requests.length = 0;
    const atDelete: (string | undefined)[] = [];
    rds.onRequest = (op, _p, state) => {
      if (op === 'DeleteDBInstance') atDelete.push(state.snapshots.get('cloud-cleaner-final-idle-pg-plan-1')?.status);
    };
    const ctx = deleteCtx();
    const auditInside: boolean[] = [];
    const audited = ctx.audited.bind(ctx);
    ctx.audited = (call, fn) => audited(call, async () => (auditInside.push(ctx.inside()), fn()));
    const out = await h.delete(ctx, stored(byId(east, 'idle-pg')), { dryRun: false });
    expect(out).toEqual({
      kind: 'deleted',
      calls: ['CreateDBSnapshot cloud-cleaner-final-idle-pg-plan-1 of idle-pg', 'DeleteDBInstance idle-pg'],
      safetySnapshotId: 'cloud-cleaner-final-idle-pg-plan-1',
    });
    expect(atDelete).toEqual(['available']);
    const ops = rds.requests.map((r) => r.operation);
    const create = ops.indexOf('CreateDBSnapshot');
    const del = ops.indexOf('DeleteDBInstance');
    expect(create).toBeGreaterThan(-1);
    expect(del).toBeGreaterThan(create);
    // It waited: the snapshot was read more than once (creating, then available) between the two calls.
    expect(ops.slice(create + 1, del).filter((o) => o === 'DescribeDBSnapshots').length).toBeGreaterThanOrEqual(2);
    expect(rds.requests[del]?.params).toMatchObject({ DBInstanceIdentifier: 'idle-pg', SkipFinalSnapshot: 'true' });
    expect(rds.requests[del]?.params['FinalDBSnapshotIdentifier']).toBeUndefined();
    // Audited, in order, each AWS call inside its audit row.
    expect(ctx.log).toEqual([
      { action: 'CreateDBSnapshot', target: 'idle-pg', dryRun: false },
      { action: 'DeleteDBInstance', target: 'idle-pg', dryRun: false },
    ]);
    expect(auditInside).toEqual([true, true]);
    const snap = rds.snapshots.get('cloud-cleaner-final-idle-pg-plan-1');
    expect(snap).toMatchObject({ status: 'available', instanceId: 'idle-pg', snapshotType: 'manual', tags: [{ key: 'cloud-cleaner:plan', value: 'plan-1' }] });
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'idle-pg')))).toMatchObject({ status: 'gone' });
  });

  it('a final snapshot that is not available in time stops the delete: the database is NOT deleted', async () => {
    s.sim.configure({ rdsSnapshotDelayMs: 60_000 });
    const rds = rdsState();
    rds.requests.length = 0;
    const out = await h.delete(deleteCtx({ waitMs: 80 }), stored(byId(east, 'wait-pg')), { dryRun: false });
    expect(out).toMatchObject({ kind: 'failed', code: 'FinalSnapshotTimeout' });
    if (out.kind === 'failed') expect(out.message).toMatch(/DB instance wait-pg was NOT deleted/);
    expect(rds.requests.map((r) => r.operation)).not.toContain('DeleteDBInstance');
    expect(rds.instances.get('wait-pg')?.status).toBe('available');
  });

  it('a retried delete of the same plan reuses the final snapshot its first attempt took', async () => {
    const rds = rdsState();
    // wait-pg's snapshot from the previous test is still creating: make it available now.
    rds.snapshots.get('cloud-cleaner-final-wait-pg-plan-1')!.availableAtMs = 0;
    rds.requests.length = 0;
    const out = await h.delete(deleteCtx(), stored(byId(east, 'wait-pg')), { dryRun: false });
    expect(out).toMatchObject({ kind: 'deleted', safetySnapshotId: 'cloud-cleaner-final-wait-pg-plan-1' });
    expect(rds.requests.map((r) => r.operation)).not.toContain('CreateDBSnapshot');
  });

  it('delete without snapshot: a read replica is deleted with SkipFinalSnapshot and no snapshot', async () => {
    const rds = rdsState();
    rds.requests.length = 0;
    const ctx = deleteCtx({ action: 'delete-without-snapshot' });
    const out = await h.delete(ctx, stored(byId(east, 'replica-pg')), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['DeleteDBInstance replica-pg'] });
    expect(ctx.log).toEqual([{ action: 'DeleteDBInstance', target: 'replica-pg', dryRun: false }]);
    expect(rds.requests.map((r) => r.operation)).not.toContain('CreateDBSnapshot');
    expect([...rds.snapshots.values()].filter((x) => x.instanceId === 'replica-pg')).toEqual([]);
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'replica-pg')))).toMatchObject({ status: 'gone' });
    expect(rds.instances.has('replica-pg')).toBe(false);
  });

  it('delete (with snapshot) of a read replica is refused without any call', async () => {
    s.sim.resetCounts();
    const ctx = deleteCtx();
    const out = await h.delete(ctx, stored(byId(east, 'replica-pg')), { dryRun: false });
    expect(out).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^A read replica \(of src-pg\) gets no final snapshot/) });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('stop: the instance ends stopped, AWS’s restart seven days later', async () => {
    const ctx = deleteCtx({ action: 'stop' });
    const out = await h.delete(ctx, stored(byId(east, 'stop-me')), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['StopDBInstance stop-me'] });
    expect(ctx.log).toEqual([{ action: 'StopDBInstance', target: 'stop-me', dryRun: false }]);
    const [after] = (await scan('us-east-1')).filter((f) => f.resourceId === 'stop-me');
    expect(after?.state).toBe('stopped');
    const restart = Date.parse(String(after?.details['automaticRestartTime']));
    expect(Math.abs(restart - (s.sim.state.currentTime().getTime() + 7 * DAY_MS))).toBeLessThan(60_000);
    expect(after?.unusedReason).toMatch(/^Stopped: billed for its storage while stopped \(100 GiB gp3\); AWS starts it again automatically on /);
  });

  it('deletion protection: refused, never switched off, no call at all', async () => {
    s.sim.resetCounts();
    const ctx = deleteCtx();
    const out = await h.delete(ctx, stored(byId(east, 'locked-pg')), { dryRun: false });
    expect(out).toEqual({ kind: 'refused', reason: 'deletion protection is on (reported, never switched off): it can be stopped, not deleted' });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
    expect(rdsState().instances.get('locked-pg')).toMatchObject({ deletionProtection: true, status: 'available' });
  });

  it('deletion protection switched on after the re-check: AWS refuses the delete; the final snapshot stays; no Modify call', async () => {
    s.sim.resetCounts();
    const rds = rdsState();
    rds.onRequest = (op, _p, state) => {
      if (op === 'CreateDBSnapshot') state.instances.get('late-lock')!.deletionProtection = true;
    };
    const ctx = deleteCtx();
    const out = await h.delete(ctx, stored(byId(east, 'late-lock')), { dryRun: false });
    expect(out).toEqual({
      kind: 'refused',
      reason: 'deletion protection is on (reported, never switched off) (final snapshot cloud-cleaner-final-late-lock-plan-1 was kept)',
    });
    expect(ctx.log.map((c) => c.action)).toEqual(['CreateDBSnapshot', 'DeleteDBInstance']);
    const ops = Object.keys(s.sim.counts().byOperation);
    expect(ops.filter((o) => /Modify/.test(o))).toEqual([]);
    expect(rds.instances.get('late-lock')).toMatchObject({ deletionProtection: true, status: 'available' });
    expect(rds.snapshots.get('cloud-cleaner-final-late-lock-plan-1')?.status).toBe('available');
  });

  it('the tag refuses every action without a call', async () => {
    s.sim.resetCounts();
    for (const action of ['delete', 'delete-without-snapshot', 'stop']) {
      const ctx = deleteCtx({ action });
      expect(await h.delete(ctx, stored(byId(east, 'keep-pg')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=yes' });
      expect(ctx.log).toEqual([]);
    }
    expect(s.sim.counts().total).toBe(0);
  });

  it('a denied rds:DeleteDBInstance is unauthorized, the instance untouched', async () => {
    s.sim.state.deny.add('rds:DeleteDBInstance');
    try {
      const out = await h.delete(deleteCtx({ action: 'delete-without-snapshot' }), stored(byId(east, 'src-pg')), { dryRun: false });
      expect(out).toMatchObject({ kind: 'unauthorized', code: 'AccessDenied' });
      expect(rdsState().instances.get('src-pg')?.status).toBe('available');
    } finally {
      s.sim.state.deny.delete('rds:DeleteDBInstance');
    }
  });
});
