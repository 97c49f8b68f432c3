/**
 * Regions on worker threads (issue #19): the same account scanned with its regions in workers and on the scanning
 * thread leaves the same rows, makes the same requests, meters the same metrics calls; a worker that runs out of
 * memory fails its own regions' tasks only (the scan ends partial); a cancel reaches the workers.
 */
import { afterEach, expect, it } from 'vitest';
import { generateAccount } from '../../../e2e/aws-sim/index';
import type { DbHandle } from '../db/connection';
import { openMemoryDatabase } from '../db/database';
import { upsertAccount } from '../db/repos/accounts';
import { getScan } from '../db/repos/scans';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { AppError } from '../../shared/errors';
import { RegionPool, workerCount } from './region-pool';
import { metricsWindow } from '../metrics/window';
import { runScan } from './scanner';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];

let s: SimSession | null = null;
let other: DbHandle | null = null;
afterEach(async () => {
  await other?.close();
  await s?.close();
  s = other = null;
});

/** A pool of one worker for `regions`, on its own (no scan): every kind, no prices, no metrics cache. */
function onePool(session: SimSession, regions: string[], pageSize: number): Promise<RegionPool> {
  const now = () => new Date();
  return RegionPool.start(session.workers({ size: 1 }), {
    accountId: session.accountId,
    regions,
    kinds: session.registry.list().map((h) => h.type),
    settings: { stoppedInstanceDays: 30, protectionTagKey: 'cloud-cleaner:keep' },
    pageSize,
    metricsCacheHours: 0,
    window: metricsWindow(now()),
    now,
    prices: () => null,
    cache: null,
  });
}

function stateOf(db: DbHandle): { resources: unknown[]; tasks: unknown[]; metricSeries: number } {
  return {
    resources: db.sqlite
      .prepare(
        `SELECT resource_type, region, resource_id, status, unused, unused_reason, monthly_cost, monthly_savings, protected, details
         FROM resources ORDER BY resource_type, region, resource_id`,
      )
      .all(),
    tasks: db.sqlite.prepare('SELECT resource_type, region FROM resource_tasks ORDER BY resource_type, region').all(),
    metricSeries: db.sqlite.prepare('SELECT COUNT(*) FROM metric_series').pluck().get() as number,
  };
}

it('regions on two workers leave the same rows, make the same requests and meter the same metrics calls as on the scanning thread', async () => {
  const g = generateAccount({ regions: REGIONS, instances: 20, volumes: 40, snapshots: 30, addresses: 10, images: 10 });
  s = await openSimSession({ fixture: g.fixture });
  other = await openMemoryDatabase();
  await upsertAccount(other.db, { id: s.accountId, alias: null, partition: 'aws', arn: null, profile: 'sim' });

  s.sim.resetCounts();
  const here = await runScan(s.scanDeps(), { regions: REGIONS, skipDiscovery: true });
  const hereCounts = s.sim.counts();
  s.sim.resetCounts();
  const inWorkers = await runScan(s.scanDeps({ db: other, workers: s.workers({ size: 2 }) }), { regions: REGIONS, skipDiscovery: true });
  const workerCounts = s.sim.counts();

  expect(here.status).toBe('succeeded');
  expect(inWorkers.status).toBe('succeeded');
  expect(here.regionWorkers).toBeUndefined();
  expect(inWorkers.regionWorkers).toMatchObject({ workers: 2 });
  expect(inWorkers.regionWorkers?.peakHeapMb).toBeGreaterThan(0);
  expect(inWorkers.findings).toBe(g.unused.length);
  expect(inWorkers.monthlySavings).toBeCloseTo(here.monthlySavings, 6);
  expect(stateOf(other)).toEqual(stateOf(s.db));
  // The same listings; CloudWatch's calls depend on how requests meet in the engine's coalescing window (timing), so
  // they are compared by the metrics requested, below.
  const listings = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([op]) => !op.startsWith('monitoring:')));
  expect(listings(workerCounts.byOperation)).toEqual(listings(hereCounts.byOperation));
  // No call per resource in the workers either: the one-resource reads are left to plan time and the re-check.
  for (const op of ['ec2:DescribeInstanceAttribute', 'ec2:DescribeImageAttribute', 'rds:DescribeDBSnapshotAttributes', 'rds:ListTagsForResource', 'elasticache:ListTagsForResource', 'es:ListTags', 'es:DescribeDomain']) {
    expect(workerCounts.byOperation[op], op).toBeUndefined();
  }
  const metricsOf = async (db: DbHandle, id: number) => {
    const { requested, calls, fromCache, listMetricsCalls } = (await getScan(db.db, id))!.metrics;
    return { requested, calls, fromCache, listMetricsCalls };
  };
  const hereMetrics = await metricsOf(s.db, here.scanId);
  const workerMetrics = await metricsOf(other, inWorkers.scanId);
  expect(hereMetrics.calls).toBeGreaterThan(0);
  expect(workerMetrics.calls).toBeGreaterThan(0);
  // Every call the workers made is metered: as many as the simulator answered.
  expect(workerMetrics.calls).toBe(workerCounts.byOperation['monitoring:GetMetricData']);
  expect({ ...workerMetrics, calls: 0 }).toEqual({ ...hereMetrics, calls: 0 });

  // Again in workers: the series come from the metrics cache the first worker scan filled (read through the pool).
  const again = await runScan(s.scanDeps({ db: other, workers: s.workers({ size: 2 }) }), { regions: REGIONS, skipDiscovery: true });
  expect(again.status).toBe('succeeded');
  const warm = await metricsOf(other, again.scanId);
  expect(warm.calls).toBe(0);
  expect(warm.fromCache).toBe(hereMetrics.requested);
  expect(stateOf(other).resources).toEqual(stateOf(s.db).resources);
}, 120_000);

it('a worker that runs out of memory fails its own regions only: the scan ends partial, the other worker\'s region is stored', async () => {
  // A large region and a small one, each in its own worker; the heap cap is more than the small one needs and far
  // less than the large one's shared listings.
  const big = generateAccount({ regions: ['eu-west-1'], instances: 3000, volumes: 90_000, snapshots: 60_000, addresses: 10, images: 10 });
  const small = generateAccount({ regions: ['us-east-1'], instances: 20, volumes: 40, snapshots: 30, addresses: 10, images: 10 });
  const fixture = { ...big.fixture, regions: [...small.fixture.regions, ...big.fixture.regions], resources: { ...small.fixture.resources, ...big.fixture.resources } };
  s = await openSimSession({ fixture });
  const heapMb = 96;
  const out = await runScan(s.scanDeps({ workers: s.workers({ size: 2, heapMb }) }), { regions: ['us-east-1', 'eu-west-1'], skipDiscovery: true });
  expect(out.status).toBe('partial');
  expect(out.regionWorkers).toMatchObject({ workers: 2 });
  expect(out.failures.length).toBeGreaterThan(0);
  for (const f of out.failures) {
    expect(f.region).toBe('eu-west-1');
    expect(f.errorCode).toBe('WorkerOutOfMemory');
    expect(f.message).toContain(`ran out of memory (its heap is capped at ${heapMb} MB)`);
  }
  // The small region's tasks all succeeded and stored what they found.
  const smallRows = s.db.sqlite.prepare(`SELECT COUNT(*) FROM resources WHERE region = 'us-east-1'`).pluck().get() as number;
  expect(smallRows).toBeGreaterThan(0);
  const smallFindings = s.db.sqlite.prepare(`SELECT COUNT(*) FROM resources WHERE region = 'us-east-1' AND unused = 1`).pluck().get() as number;
  expect(smallFindings).toBe(small.unused.length);
}, 180_000);

it('a cancel reaches the workers: their requests in flight are abandoned and the scan ends cancelled at once', async () => {
  // Every request takes 3 s: a worker that did not hear of the cancel would finish the ones it has in flight (and end
  // only then); one that did abandons them at once.
  const g = generateAccount({ regions: REGIONS, instances: 1000, volumes: 6000, snapshots: 4000, addresses: 10, images: 10 });
  s = await openSimSession({ fixture: g.fixture, faults: { latencyMs: 3000 } });
  const controller = new AbortController();
  let abortedAt = 0;
  const out = await runScan(
    s.scanDeps({
      workers: s.workers({ size: 2 }),
      settings: { ...s.scanDeps().settings, pageSize: 200 },
      emit: (ev) => {
        if (abortedAt === 0 && ev.totals.found > 0) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    }),
    { regions: REGIONS, skipDiscovery: true, signal: controller.signal },
  );
  const tookMs = performance.now() - abortedAt;
  expect(out.status).toBe('cancelled');
  expect(out.regionWorkers).toMatchObject({ workers: 2 });
  expect(out.resourcesSeen).toBeLessThan(g.fixture.regions.length * 6000);
  expect(tookMs).toBeLessThan(5000);
}, 120_000);

it('cancel() reaches a worker: a task it is running ends at once, not after its remaining pages', async () => {
  // 3,000 volumes in pages of 100, each request 1 s: a worker that did not hear of the cancel would go on for ~29 s.
  const g = generateAccount({ regions: ['us-east-1'], instances: 5, volumes: 3000, snapshots: 5, addresses: 2, images: 2 });
  s = await openSimSession({ fixture: g.fixture, faults: { latencyMs: 1000 } });
  const now = () => new Date();
  const pool = await onePool(s, ['us-east-1'], 100);
  try {
    const pages = pool.pages('us-east-1', 'ec2:volume', now());
    expect((await pages.next()).done).toBe(false);
    const t0 = performance.now();
    pool.cancel();
    let more = 0;
    const err = await (async () => {
      for await (const _ of pages) more++;
    })().catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('AbortError');
    expect(more).toBeLessThan(3);
    expect(performance.now() - t0).toBeLessThan(2500);
  } finally {
    await pool.close();
  }
}, 60_000);

it('a worker module that cannot start: the regions run on the scanning thread, and the outcome says why', async () => {
  const g = generateAccount({ regions: ['us-east-1'], instances: 5, volumes: 10, snapshots: 5, addresses: 2, images: 2 });
  s = await openSimSession({ fixture: g.fixture });
  const out = await runScan(s.scanDeps({ workers: s.workers({ script: '/nonexistent/scan-worker.mjs' }) }), { regions: ['us-east-1'], skipDiscovery: true });
  expect(out.status).toBe('succeeded');
  expect(out.regionWorkers?.workers).toBe(0);
  expect(out.regionWorkers?.fallbackReason).toMatch(/a region worker could not start: .*nonexistent/);
  expect(out.findings).toBe(g.unused.length);
}, 60_000);

it('the credentials stay on the scanning thread: a worker asks for them, and their failure fails its tasks with the classified error', async () => {
  const g = generateAccount({ regions: ['us-east-1'], instances: 5, volumes: 10, snapshots: 5, addresses: 2, images: 2 });
  s = await openSimSession({ fixture: g.fixture });
  let asked = 0;
  const good = s.workers();
  const ok = await runScan(
    s.scanDeps({ workers: { ...good, clients: { ...good.clients, credentials: async () => (asked++, { accessKeyId: 'AKIDSIMTEST', secretAccessKey: 'sim-secret-for-tests' }) } } }),
    { regions: ['us-east-1'], skipDiscovery: true },
  );
  expect(ok.status).toBe('succeeded');
  // Kept by the worker (no expiry): asked once or a few times while the first answer was on its way, not per request.
  expect(asked).toBeGreaterThan(0);
  expect(asked).toBeLessThan(5);

  const expired = new AppError('aws.sso_expired', 'The AWS SSO session for sim has expired; run `aws sso login --profile sim` and try again.');
  const out = await runScan(
    s.scanDeps({ workers: { ...good, clients: { ...good.clients, credentials: async () => Promise.reject(expired) } } }),
    { regions: ['us-east-1'], skipDiscovery: true },
  );
  expect(out.status).toBe('failed');
  expect(out.failures.length).toBe(out.tasksTotal);
  for (const f of out.failures) expect(f.message).toBe(expired.message);
}, 60_000);

it('workers: one per core but one, at least one, at most four', () => {
  expect([1, 2, 3, 5, 8, 64].map((cores) => workerCount(cores))).toEqual([1, 1, 2, 4, 4, 4]);
});

it('a worker that dies mid-task fails that task; the next task of its regions goes to a replacement worker', async () => {
  const g = generateAccount({ regions: ['us-east-1', 'eu-west-1'], instances: 5, volumes: 3000, snapshots: 5, addresses: 2, images: 2 });
  s = await openSimSession({ fixture: g.fixture });
  const now = () => new Date();
  const pool = await onePool(s, ['us-east-1', 'eu-west-1'], 500);
  try {
    expect(pool.size).toBe(1);
    const first = (pool as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers[0]!;
    // The volumes of us-east-1 come in pages of 500: the worker is ended after the first one.
    const pages = pool.pages('us-east-1', 'ec2:volume', now());
    const one = await pages.next();
    expect(one.done).toBe(false);
    await first.worker.terminate();
    const err = await (async () => {
      for await (const _ of pages) void _;
    })().catch((e: unknown) => e as { name: string; awsCode: string; message: string });
    expect(err).toMatchObject({ name: 'WorkerTaskError', awsCode: 'WorkerStopped' });
    expect((err as Error).message).toMatch(/The region worker for us-east-1, eu-west-1 stopped: .*the tasks it was running failed/);
    // A replacement took both regions: the next task of either region runs to its end.
    let found = 0;
    for await (const page of pool.pages('eu-west-1', 'ec2:volume', now())) found += page.length;
    expect(found).toBe(g.fixture.resources!['eu-west-1']!.volumes!.length);
    expect(pool.size).toBe(2);
  } finally {
    await pool.close();
  }
}, 60_000);
