import { setMaxListeners } from 'node:events';
import { holdLease } from '../db/repos/run-leases';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AppError } from '../../shared/errors';
import { awsErrorCode, toAppError } from '../aws/errors';
import { findingsWriter, markTaskGone, refreshStatistics, type FindingsWriter, type WriterReport } from '../db/repos/findings-store';
import { completeScan, createScan, recordScanFailure } from '../db/repos/scans';
import { discover, type DiscoveryResult } from '../discovery/discovery';
import type { Finding, HandlerSettings, ResourceHandler, ResourceType } from '../handlers/handler';
import { coverageOf, type HandlerRegistry } from '../handlers/registry';
import { RegionInventories } from '../handlers/region-inventory';
import { applyParts } from '../handlers/parts';
import { createHandlerContext } from '../handlers/context';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { metricCacheFor } from '../db/repos/metric-series';
import { MetricsEngine } from '../metrics/engine';
import { DEFAULT_METRICS_CACHE_HOURS } from '../metrics/types';
import { metricsWindow } from '../metrics/window';
import { BatchedWriter } from './batched-writer';
import { createLimiter } from './limiter';
import { listRegions } from './regions';
import { DEFAULT_HEAP_GOVERNOR, holdHeapGovernor } from './heap-governor';
import { RegionPool, WorkerTaskError } from './region-pool';
import type { RegionWorkersReport, ScanDeps, ScanOutcome, ScanProgressEvent, ScanRequest, ScanTaskProgress } from './scan-types';

export * from './scan-types';

/** The scanning thread's heap floor for forced collections when the regions run on workers. */
const POOLED_HEAP_FLOOR_BYTES = 48 * 2 ** 20;

/** Handlers covering a service discovery found active; every handler when discovery failed or was skipped. */
export function selectHandlers(registry: HandlerRegistry, discovery: DiscoveryResult | null): ResourceHandler[] {
  const all = registry.list();
  if (!discovery || discovery.status === 'failed') return all;
  // Coverage comes from the kinds themselves: a handler runs when a service it declares is active.
  const active = new Set(discovery.services.filter((s) => s.active).map((s) => s.code));
  return all.filter((h) => h.serviceCodes.some((c) => active.has(c)));
}

/** A kind whose scan reads CloudWatch metrics (it declares the IAM action). */
function usesMetrics(h: ResourceHandler): boolean {
  return h.iam.scan.includes('cloudwatch:GetMetricData');
}

function isAbortError(e: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return typeof e === 'object' && e !== null && ((e as { name?: string }).name === 'AbortError' || (e as AppError).code === 'cancelled');
}

/**
 * One scan: discovery (cached unless forced) → regions → (region × handler) tasks in a bounded pool, each streaming
 * its pages into SQLite in one transaction per page. A task that succeeds marks what it no longer saw `gone`; a
 * task that fails leaves its previous data untouched and is recorded in `scan_failures`.
 */
export async function runScan(deps: ScanDeps, req: ScanRequest): Promise<ScanOutcome> {
  // At most one scan per account at a time, across processes and machines, and within this one (run-leases.ts): a
  // second is refused with the holder's host, user and start. A scan that loses its lease is cancelled.
  return holdLease(deps.db.db, { accountId: deps.accountId, kind: 'scan' }, (lost) =>
    runScanHeld(deps, { ...req, signal: req.signal ? AbortSignal.any([req.signal, lost]) : lost }),
  );
}

async function runScanHeld(deps: ScanDeps, req: ScanRequest): Promise<ScanOutcome> {
  const now = deps.now ?? (() => new Date());
  const { db, accountId, signal } = { ...deps, signal: req.signal };
  // Every in-flight SDK call listens on the one scan signal: dozens at once is expected, not a leak.
  if (signal) setMaxListeners(0, signal);
  const scanId = await createScan(db.db, {
    accountId,
    kind: 'resources',
    regions: req.regions === 'all' ? [] : req.regions,
    options: { regions: req.regions, concurrency: deps.settings.concurrency, stoppedInstanceDays: deps.settings.stoppedInstanceDays, protectionTagKey: deps.settings.protectionTagKey },
    startedAt: now().toISOString(),
  });
  req.onStarted?.(scanId);
  const totals = { tasksDone: 0, tasksFailed: 0, tasksTotal: 0, found: 0, findings: 0, monthlySavings: 0 };
  const failures: ScanOutcome['failures'] = [];
  let writerReport: WriterReport | null = null;
  // The findings writer (created below, just before the try that closes it): on SQLite its thread also writes the
  // metrics cache, so this thread does not wait for that thread's write lock there. A task's end (markGone) stays on
  // this connection, run between two of the thread's jobs (afterWrites): on the thread it made the thread's page cache
  // grow to its cap (bench:scan peak RSS 412–430 MB against 342–356 MB, measured).
  let store: FindingsWriter | null = null;
  // Region workers, when asked for and they start (step 3).
  let pool: RegionPool | null = null;
  let workersReport: RegionWorkersReport | null = null;
  const emit = (ev: Omit<ScanProgressEvent, 'scanId' | 'totals'>) => deps.emit?.({ scanId, totals: { ...totals }, ...ev });
  // The metrics cache. On SQLite's writer thread its writes are queued with the findings' batches
  // (BatchedWriter.afterQueued): a task's end then finds the thread idle. Elsewhere (no thread, PostgreSQL) the cache
  // writes on its own connection. Region workers use it through the pool.
  const metricCache = metricCacheFor(db, accountId, (statements) => {
    const exec = store?.exec?.bind(store);
    return exec ? writer.afterQueued(() => exec(statements)) : null;
  });
  const window = metricsWindow(now(), deps.settings.metricsLookbackDays);
  // One metrics engine per scan: batched GetMetricData per region, the series cache, and the cost meter.
  const metrics = new MetricsEngine({
    client: (region) => deps.clients.client(CloudWatchClient, region),
    window,
    cache: metricCache,
    cacheHours: deps.settings.metricsCacheHours ?? DEFAULT_METRICS_CACHE_HOURS,
    now,
    // The region's metric-judged kinds share calls (they start together: see the tasks' order below).
    coalesce: true,
    ...(signal ? { signal } : {}),
  });

  const finish = async (
    status: ScanOutcome['status'],
    extra: { regions: string[]; handlers: ResourceType[]; discovery: DiscoveryResult | null; error?: AppError },
  ): Promise<ScanOutcome> => {
    // What the tasks wrote is read by the next page at once: the planner's statistics follow it (PostgreSQL).
    if (status === 'succeeded' || status === 'partial') await refreshStatistics(db).catch(() => undefined);
    await completeScan(db.db, scanId, {
      status,
      completedAt: now().toISOString(),
      regions: extra.regions,
      tasksTotal: totals.tasksTotal,
      tasksFailed: totals.tasksFailed,
      resourcesSeen: totals.found,
      findingsCount: totals.findings,
      monthlySavings: totals.monthlySavings,
      servicesFound: extra.discovery?.services.filter((s) => s.active).length ?? 0,
      requests: extra.discovery?.requests ?? 0,
      metrics: pool ? pool.meter(metrics.meter) : metrics.meter,
      errorCode: extra.error?.code ?? null,
      error: extra.error?.message ?? null,
    });
    emit({ status });
    return {
      scanId,
      status,
      regions: extra.regions,
      handlers: extra.handlers,
      discovery: extra.discovery,
      tasksTotal: totals.tasksTotal,
      tasksFailed: totals.tasksFailed,
      resourcesSeen: totals.found,
      findings: totals.findings,
      monthlySavings: totals.monthlySavings,
      failures,
      ...(writerReport ? { writer: writerReport } : {}),
      ...(workersReport ? { regionWorkers: workersReport } : {}),
      ...(extra.error ? { error: extra.error.toDto() } : {}),
    };
  };

  // 1. Discovery: which services does the account pay for? (never blocks the scan)
  let discovery: DiscoveryResult | null = null;
  if (!req.skipDiscovery) {
    discovery = await discover(
      { db, ce: deps.costExplorer, accountId, coverage: coverageOf(deps.registry), now: now(), ...(signal ? { signal } : {}), ...(deps.costs ? { costs: deps.costs } : {}) },
      { ...deps.settings.discovery, ...(req.forceDiscovery ? { force: true } : {}) },
    );
  }
  if (signal?.aborted) return finish('cancelled', { regions: [], handlers: [], discovery });
  const handlers = selectHandlers(deps.registry, discovery);

  // 2. Regions: every enabled region, or the user's subset.
  let regions: string[];
  try {
    if (req.regions === 'all') {
      regions = (await listRegions(deps.clients.client(EC2Client, deps.homeRegion), signal)).filter((r) => r.enabled).map((r) => r.name);
    } else {
      regions = [...new Set(req.regions)];
    }
  } catch (e) {
    if (isAbortError(e, signal)) return finish('cancelled', { regions: [], handlers: handlers.map((h) => h.type), discovery });
    const err = e instanceof AppError ? e : toAppError(e, { service: 'ec2', region: deps.homeRegion });
    return finish('failed', { regions: [], handlers: handlers.map((h) => h.type), discovery, error: err });
  }

  // 3. Tasks.
  const global = createLimiter(Math.max(1, deps.settings.concurrency));
  const perRegion = new Map(regions.map((r) => [r, createLimiter(Math.max(1, deps.settings.perRegionConcurrency))]));
  // In each region the kinds judged by CloudWatch start first, all together (their own per-region pool, beside the
  // others' five: each makes a listing or two, to as many services, and one shared metrics call): their GetMetricData
  // series meet in the metrics engine's coalescing window and go out in one or two calls per region, not one per kind.
  const byMetrics = [...handlers.filter(usesMetrics), ...handlers.filter((h) => !usesMetrics(h))];
  const metricKinds = byMetrics.filter(usesMetrics).length;
  // The metric kinds' pool follows the per-region setting: all of them at the default (5 → up to 15), fewer for a user
  // who lowered it (1 → 3) to stay under a tight request rate.
  const metricPool = Math.max(1, deps.settings.perRegionConcurrency, Math.min(metricKinds, 3 * deps.settings.perRegionConcurrency));
  const perRegionMetrics = new Map(regions.map((r) => [r, createLimiter(metricPool)]));
  const tasks = regions.flatMap((region) => byMetrics.map((handler) => ({ region, handler })));
  // One inventory per region (listings shared by its handlers), for the tasks run on this thread.
  const inventories = new RegionInventories(handlers);
  totals.tasksTotal = tasks.length;
  for (const t of tasks) emit({ task: { region: t.region, resourceType: t.handler.type, status: 'queued', found: 0, findings: 0, monthlySavings: 0 } });

  // What the kinds see of the scan's settings (here and in the region workers).
  const handlerSettings: HandlerSettings = {
    stoppedInstanceDays: deps.settings.stoppedInstanceDays,
    protectionTagKey: deps.settings.protectionTagKey,
    ...(deps.settings.kinds ? { kinds: deps.settings.kinds } : {}),
    ...(deps.settings.metricsLookbackDays !== undefined ? { metricsLookbackDays: deps.settings.metricsLookbackDays } : {}),
  };
  let cancelled = false;
  const runTask = async ({ region, handler }: { region: string; handler: ResourceHandler }): Promise<void> => {
    const progress: ScanTaskProgress = { region, resourceType: handler.type, status: 'running', found: 0, findings: 0, monthlySavings: 0 };
    // What the task saw: at its end the rest of its resources are gone (markGone).
    const seen = new Set<string>();
    if (signal?.aborted) {
      cancelled = true;
      emit({ task: { ...progress, status: 'cancelled' } });
      return;
    }
    emit({ task: { ...progress } });
    // The task's pages, dependency model applied (protected parts protect the finding; savings count only what its
    // delete removes): from its region's worker, or run here.
    async function* here(): AsyncGenerator<Finding[]> {
      const ctx = createHandlerContext({
        region,
        accountId,
        clients: deps.clients,
        prices: deps.prices.forRegion(region),
        settings: handlerSettings,
        metrics: metrics.forRegion(region),
        now: now(),
        ...(signal ? { signal } : {}),
        ...(deps.settings.pageSize ? { pageSize: deps.settings.pageSize } : {}),
        inventory: inventories.of(region),
      });
      const billingServiceOf = (type: string): string | undefined => deps.registry.get(type as ResourceType)?.billingServiceCode;
      for await (const scanned of handler.scan(ctx)) yield scanned.map((f) => applyParts(handler, f, ctx.settings, billingServiceOf));
    }
    try {
      for await (const page of pool ? pool.pages(region, handler.type, now(), signal) : here()) {
        if (signal?.aborted) throw Object.assign(new Error('The scan was cancelled.'), { name: 'AbortError' });
        const full = writer.add(page);
        if (full) await full;
        for (const f of page) seen.add(f.resourceId);
        const { findings, savings } = countFindings(page);
        progress.found += page.length;
        progress.findings += findings;
        progress.monthlySavings += savings;
        totals.found += page.length;
        totals.findings += findings;
        totals.monthlySavings += savings;
        emit({ task: { ...progress } });
      }
      // The task saw everything there is: what it did not see is gone, once its rows are committed. With SQLite's writer
      // thread (a store with exec), between two of its jobs, when it holds no lock.
      const gone = () => markTaskGone(db, { accountId, resourceType: handler.type, region, scanId, seen }, now().toISOString());
      if (store?.exec) await writer.afterWrites(gone);
      else {
        await writer.flush();
        await gone();
      }
      totals.tasksDone++;
      emit({ task: { ...progress, status: 'done' } });
    } catch (e) {
      if (isAbortError(e, signal)) {
        cancelled = true;
        emit({ task: { ...progress, status: 'cancelled' } });
        return;
      }
      // The kind's service (its id's prefix: `ec2:volume` → ec2) names the failure, not a fixed service. A worker's
      // task was classified there, where the SDK's error was whole.
      const app = e instanceof WorkerTaskError ? e.app : toAppError(e, { service: handler.type.split(':')[0] ?? handler.type, region });
      const awsCode = e instanceof WorkerTaskError ? e.awsCode : awsErrorCode(e) || app.code;
      const failure = { region, handler: handler.type, errorCode: awsCode, message: app.message };
      failures.push(failure);
      await recordScanFailure(db.db, scanId, failure);
      totals.tasksFailed++;
      totals.tasksDone++;
      emit({ task: { ...progress, status: 'failed', error: { ...app.toDto(), awsCode } } });
    }
  };
  // Created last, just before the try that closes it (on SQLite it owns a worker thread; so may the region pool).
  store = findingsWriter(db, accountId, (f) => deps.registry.get(f.resourceType)?.serviceCodes[0] ?? 'unknown', { thread: deps.settings.writerThread ?? true });
  const writer = new BatchedWriter(store, scanId, now);
  const cancelWorkers = () => pool?.cancel();
  let releaseHeap = (): void => undefined;
  try {
    // Region workers, when asked for: where they cannot start, the tasks run here and the outcome says why.
    if (deps.workers && tasks.length > 0) {
      try {
        pool = await RegionPool.start(deps.workers, {
          accountId,
          regions,
          kinds: handlers.map((h) => h.type),
          settings: handlerSettings,
          ...(deps.settings.pageSize ? { pageSize: deps.settings.pageSize } : {}),
          metricsCacheHours: deps.settings.metricsCacheHours ?? DEFAULT_METRICS_CACHE_HOURS,
          window,
          now,
          prices: (r) => deps.prices.forRegion(r),
          cache: metricCache,
        });
        workersReport = { workers: pool.size };
      } catch (e) {
        workersReport = { workers: 0, fallbackReason: e instanceof Error ? e.message : String(e) };
      }
    }
    signal?.addEventListener('abort', cancelWorkers, { once: true });
    // The parsed pages' garbage is collected as the scan goes, not left to pile up (heap-governor.ts). With region
    // workers this thread holds little more than pages in transit: collected from a lower floor. (The scans of one
    // process share the governor: the first one's settings hold while any runs.)
    releaseHeap = holdHeapGovernor(pool ? { ...DEFAULT_HEAP_GOVERNOR, floorBytes: POOLED_HEAP_FLOOR_BYTES } : DEFAULT_HEAP_GOVERNOR);
    await Promise.all(
      tasks.map((t) =>
        global(() => (usesMetrics(t.handler) ? perRegionMetrics : perRegion).get(t.region)!(() => runTask(t).finally(() => inventories.release(t.region, t.handler)))),
      ),
    );
  } finally {
    releaseHeap();
    // What was seen is stored, whatever ended the scan (a failed write already failed its tasks), and the writer's
    // thread ends with it.
    // The metrics cache's writes (not awaited by the tasks; the workers' come through the pool) are done before the
    // writer, which carries them, closes.
    signal?.removeEventListener('abort', cancelWorkers);
    await pool?.close().catch(() => undefined);
    if (pool && workersReport) workersReport.peakHeapMb = pool.peakHeapMb();
    await metrics.settled();
    await writer.close().catch(() => {});
    writerReport = store.describe?.() ?? null;
    store = null;
  }

  const handlerTypes = handlers.map((h) => h.type);
  if (cancelled || signal?.aborted) return finish('cancelled', { regions, handlers: handlerTypes, discovery });
  if (tasks.length > 0 && totals.tasksFailed === tasks.length) {
    const first = failures[0]!;
    return finish('failed', {
      regions,
      handlers: handlerTypes,
      discovery,
      error: new AppError('aws.service_error', `Every task failed; the first: ${first.region} ${first.handler}: ${first.message}`),
    });
  }
  return finish(totals.tasksFailed > 0 ? 'partial' : 'succeeded', { regions, handlers: handlerTypes, discovery });
}

/**
 * Findings = unused resources; savings = what deleting them saves (own cost + parts removed with them), protected ones
 * excluded (they stay): the same definition as SavingsTotalsDto.
 */
function countFindings(page: readonly Finding[]): { findings: number; savings: number } {
  let findings = 0;
  let savings = 0;
  for (const f of page) {
    if (!f.unused) continue;
    findings++;
    if (!f.protected && f.monthlySavings !== null && f.monthlySavings !== undefined) savings += f.monthlySavings;
  }
  return { findings, savings };
}
