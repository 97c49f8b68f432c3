/**
 * The metrics engine: every metric-based check reads CloudWatch through it. Per region it coalesces the series the
 * handlers ask for into batched `GetMetricData` calls (at most 500 queries each, daily period over the lookback
 * window, NextToken pages followed), answers repeated series from a local cache inside the cache window, confirms the
 * shape of sparse metrics with one `ListMetrics` listing per metric (never a call per resource), and meters what the
 * scan requested (GetMetricData bills per metric requested).
 */
import { type CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { awsErrorCode } from '../aws/errors';
import { createLimiter, type Limiter } from '../scan/limiter';
import { dimensionNames, judgeActivity } from './verdict';
import { isoDay } from './window';
import type { Activity, DayPoint, MetricQuery, MetricSeries, MetricsMeter, MetricsWindow } from './types';

/** GetMetricData's limit of queries per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** GetMetricData calls in flight per region (the API allows 50 TPS per account and region; adaptive retries absorb bursts). */
const CALLS_PER_REGION = 4;
/**
 * How long a region's requests wait for company before a call goes out: a call is made once no new series was asked
 * for COALESCE_QUIET_MS, or COALESCE_MAX_MS after the first waiting one, or as soon as 500 are waiting. A region's
 * metric-based kinds finish their listings at different moments (a few of them run at a time, each after its own
 * listing pages); sending each kind's series on its own turn made ~8 calls per region in bench:scan where one or two
 * carry them all. GetMetricData bills per metric, not per call, so this saves requests (and throttling budget), never
 * money; the wait is small beside the listings that precede it.
 */
export const COALESCE_QUIET_MS = 300;
export const COALESCE_MAX_MS = 1500;
/** ListMetrics pages read when confirming one metric's shape (500 metrics each). */
const MAX_LIST_PAGES = 10;

/** Where fetched series are kept between scans (db/repos/metric-series.ts). */
export interface MetricCache {
  /** Series of `region` fetched for exactly `window`, no earlier than `freshAfter`. */
  /** Synchronous on SQLite; a promise on a PostgreSQL store. */
  get(region: string, keys: readonly string[], window: MetricsWindow, freshAfter: Date): Map<string, DayPoint[]> | Promise<Map<string, DayPoint[]>>;
  put(region: string, entries: ReadonlyArray<readonly [key: string, points: DayPoint[]]>, window: MetricsWindow, fetchedAt: Date): void | Promise<void>;
}

/** What a handler asks: one resource's series, judged together. */
export interface ActivityRequest {
  createdAt: Date | null;
  queries: readonly MetricQuery[];
  /** What activity is, in a word: "traffic", "connections". */
  activity: string;
}

/** The engine as one region's handlers see it (`ctx.metrics`). */
export interface RegionMetrics {
  readonly region: string;
  readonly window: MetricsWindow;
  /** The series, in the order asked (batched with every other request of the region). */
  fetch(queries: readonly MetricQuery[]): Promise<MetricSeries[]>;
  /** Fetches and judges each request's series (verdict.ts). */
  activity(requests: readonly ActivityRequest[]): Promise<Activity[]>;
  /**
   * The same region over another window (a kind that needs a longer look back: dead log groups), batched on its own
   * but metered with this engine: every GetMetricData call of a scan is counted. No series cache (it is keyed per
   * window); one engine per window length.
   */
  withWindow(window: MetricsWindow): RegionMetrics;
}

export interface MetricsEngineOptions {
  client(region: string): CloudWatchClient;
  window: MetricsWindow;
  cache?: MetricCache | null;
  /** Cached series younger than this are reused; 0 = no reuse. */
  cacheHours?: number;
  now?: () => Date;
  signal?: AbortSignal;
  /** GetMetricData's MaxDatapoints per call (AWS's default 100,800 when absent; tests lower it to exercise paging). */
  maxDatapoints?: number;
  /**
   * A scan's engine waits for company (COALESCE_QUIET_MS / COALESCE_MAX_MS) so that a region's kinds share calls.
   * Off (the default), requests made in the same turn share a call and it goes out at once: a re-check asks for one
   * resource's series and must not wait.
   */
  coalesce?: boolean;
}

/** A series' stable key: namespace, metric, statistic and the sorted dimension set. */
export function queryKey(q: MetricQuery): string {
  const dims = Object.entries(q.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([q.spec.namespace, q.spec.metricName, q.spec.stat, dims]);
}

function shapeKey(q: MetricQuery): string {
  return JSON.stringify([q.spec.namespace, q.spec.metricName, dimensionNames(q)]);
}

interface Fetched {
  points: DayPoint[];
  status: string;
  fromCache: boolean;
}

interface Pending {
  key: string;
  query: MetricQuery;
  resolve(f: Fetched): void;
  reject(e: unknown): void;
}

function abortError(): Error {
  return Object.assign(new Error('The scan was cancelled.'), { name: 'AbortError' });
}

export class MetricsEngine {
  private readonly regions = new Map<string, RegionEngine>();
  readonly meter: MetricsMeter = { metricsRequested: 0, getMetricDataCalls: 0, metricsFromCache: 0, listMetricsCalls: 0 };

  /** The cache writes not yet done (settled). */
  private readonly cacheWrites = new Set<Promise<void>>();

  constructor(readonly opts: MetricsEngineOptions) {}

  /** Resolves once every cache write started so far is done (failed ones included): a scan waits for it at its end. */
  async settled(): Promise<void> {
    while (this.cacheWrites.size > 0) await Promise.all([...this.cacheWrites]);
  }

  get window(): MetricsWindow {
    return this.opts.window;
  }

  forRegion(region: string): RegionMetrics {
    let r = this.regions.get(region);
    if (r === undefined) {
      r = new RegionEngine(region, this.opts, this.meter, this.cacheWrites);
      this.regions.set(region, r);
    }
    return r;
  }
}

class RegionEngine implements RegionMetrics {
  readonly window: MetricsWindow;
  private readonly memo = new Map<string, Promise<Fetched>>();
  private pending: Pending[] = [];
  /** The coalescing timer, when series are waiting, and when the first of them started waiting. */
  private timer: NodeJS.Timeout | null = null;
  private firstWaiting = 0;
  private readonly limit: Limiter = createLimiter(CALLS_PER_REGION);
  /** Shapes (namespace, metric, dimension names) seen with data in this region, or confirmed by ListMetrics. */
  private readonly shapes = new Map<string, Promise<boolean>>();
  private readonly others = new Map<string, RegionEngine>();

  constructor(
    readonly region: string,
    private readonly opts: MetricsEngineOptions,
    private readonly meter: MetricsMeter,
    private readonly cacheWrites: Set<Promise<void>>,
  ) {
    this.window = opts.window;
  }

  /**
   * Stores fetched series in the cache without waiting: the series are used now whether or not they are stored. On
   * SQLite the write goes through the scan's writer thread, behind the findings' batches, and the tasks need not wait
   * for it; a failed write costs the next scan a fetch, not this scan its tasks. The scan waits for them at its end.
   */
  private store(entries: ReadonlyArray<readonly [string, DayPoint[]]>, fetchedAt: Date): void {
    let write: void | Promise<void>;
    try {
      write = this.opts.cache!.put(this.region, entries, this.window, fetchedAt);
    } catch {
      return; // a synchronous store's failed write: the same as a failed asynchronous one
    }
    if (!(write instanceof Promise)) return;
    const done: Promise<void> = write.catch(() => undefined).finally(() => this.cacheWrites.delete(done));
    this.cacheWrites.add(done);
  }

  withWindow(window: MetricsWindow): RegionMetrics {
    const key = `${window.start.toISOString()}|${window.end.toISOString()}`;
    if (key === `${this.window.start.toISOString()}|${this.window.end.toISOString()}`) return this;
    let e = this.others.get(key);
    if (e === undefined) {
      e = new RegionEngine(this.region, { ...this.opts, window, cache: null }, this.meter, this.cacheWrites);
      this.others.set(key, e);
    }
    return e;
  }

  async fetch(queries: readonly MetricQuery[]): Promise<MetricSeries[]> {
    if (this.opts.signal?.aborted) throw abortError();
    const keys = queries.map(queryKey);
    let missing = [...new Set(keys.filter((k) => !this.memo.has(k)))];
    if (missing.length > 0) {
      const hours = this.opts.cacheHours ?? 0;
      let cached =
        this.opts.cache && hours > 0
          ? this.opts.cache.get(this.region, missing, this.window, new Date(this.now().getTime() - hours * 3_600_000))
          : new Map<string, DayPoint[]>();
      if (cached instanceof Promise) {
        cached = await cached;
        // Another fetch may have asked for some of them meanwhile.
        missing = missing.filter((k) => !this.memo.has(k));
      }
      for (const key of missing) {
        const hit = cached.get(key);
        if (hit !== undefined) {
          this.meter.metricsFromCache++;
          this.memo.set(key, Promise.resolve({ points: hit, status: 'Complete', fromCache: true }));
          continue;
        }
        const query = queries[keys.indexOf(key)]!;
        this.memo.set(key, new Promise<Fetched>((resolve, reject) => this.pending.push({ key, query, resolve, reject })));
      }
      this.schedule();
    }
    const fetched = await Promise.all(keys.map((k) => this.memo.get(k)!));
    return fetched.map((f, i) => {
      if (f.points.length > 0) this.shapes.set(shapeKey(queries[i]!), Promise.resolve(true));
      return { query: queries[i]!, points: f.points, status: f.status, fromCache: f.fromCache };
    });
  }

  async activity(requests: readonly ActivityRequest[]): Promise<Activity[]> {
    const all = requests.flatMap((r) => r.queries);
    const series = await this.fetch(all);
    // Sparse shapes with a series missing days and nothing active: confirm them (one listing per shape, memoized).
    const need = new Map<string, MetricQuery>();
    for (const s of series) {
      if (!s.query.spec.sparse || s.points.some(([, v]) => v > 0)) continue;
      const k = shapeKey(s.query);
      if (!need.has(k)) need.set(k, s.query);
    }
    const confirmed = new Map<string, boolean>();
    await Promise.all([...need].map(async ([k, q]) => confirmed.set(k, await this.confirmShape(q))));
    let at = 0;
    return requests.map((r) => {
      const own = series.slice(at, at + r.queries.length);
      at += r.queries.length;
      return judgeActivity({
        series: own,
        window: this.window,
        createdAt: r.createdAt,
        activity: r.activity,
        shapeConfirmed: (q) => confirmed.get(shapeKey(q)) ?? false,
      });
    });
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private schedule(): void {
    while (this.pending.length >= MAX_QUERIES_PER_CALL) this.dispatch(this.pending.splice(0, MAX_QUERIES_PER_CALL));
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) {
      this.firstWaiting = 0;
      return;
    }
    const t = Date.now();
    if (this.firstWaiting === 0) this.firstWaiting = t;
    const wait = this.opts.coalesce === true ? Math.max(0, Math.min(COALESCE_QUIET_MS, this.firstWaiting + COALESCE_MAX_MS - t)) : 0;
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    this.firstWaiting = 0;
    while (this.pending.length > 0) this.dispatch(this.pending.splice(0, MAX_QUERIES_PER_CALL));
  }

  private dispatch(chunk: Pending[]): void {
    this.limit(() => this.call(chunk)).catch((err: unknown) => {
      for (const p of chunk) {
        this.memo.delete(p.key);
        p.reject(err);
      }
    });
  }

  private async call(chunk: Pending[]): Promise<void> {
    if (this.opts.signal?.aborted) throw abortError();
    const queries: MetricDataQuery[] = chunk.map((p, i) => ({
      Id: `m${i}`,
      MetricStat: {
        Metric: {
          Namespace: p.query.spec.namespace,
          MetricName: p.query.spec.metricName,
          Dimensions: Object.entries(p.query.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: 86_400,
        Stat: p.query.spec.stat,
      },
      ReturnData: true,
    }));
    const points = chunk.map(() => new Map<string, number>());
    const status = chunk.map(() => 'Complete');
    const client = this.opts.client(this.region);
    let token: string | undefined;
    do {
      const out = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: this.window.start,
          EndTime: this.window.end,
          ScanBy: 'TimestampAscending',
          ...(this.opts.maxDatapoints !== undefined ? { MaxDatapoints: this.opts.maxDatapoints } : {}),
          ...(token !== undefined ? { NextToken: token } : {}),
        }),
        { abortSignal: this.opts.signal },
      );
      // Billed per metric requested, continuation pages included.
      this.meter.metricsRequested += queries.length;
      this.meter.getMetricDataCalls++;
      for (const r of out.MetricDataResults ?? []) {
        const i = Number((r.Id ?? '').slice(1));
        if (!Number.isInteger(i) || i < 0 || i >= chunk.length) continue;
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        ts.forEach((t, j) => {
          const v = vs[j];
          if (v !== undefined) points[i]!.set(isoDay(new Date(t)), v);
        });
        status[i] = r.StatusCode ?? 'Complete';
      }
      token = out.NextToken || undefined;
    } while (token !== undefined);
    const fetchedAt = this.now();
    const results = chunk.map((_, i): Fetched => ({
      points: [...points[i]!].sort(([a], [b]) => (a < b ? -1 : 1)),
      status: status[i]!,
      fromCache: false,
    }));
    if (this.opts.cache && (this.opts.cacheHours ?? 0) > 0) {
      const complete = chunk.flatMap((p, i) => (results[i]!.status === 'Complete' ? [[p.key, results[i]!.points] as const] : []));
      this.store(complete, fetchedAt);
    }
    chunk.forEach((p, i) => p.resolve(results[i]!));
  }

  /**
   * Does CloudWatch know this metric with exactly these dimension names in the region? A series with data already
   * confirms it; otherwise one ListMetrics listing (the metric, filtered by the dimension names) answers. A denied
   * ListMetrics confirms nothing (the resource stays unknown rather than idle).
   */
  private confirmShape(q: MetricQuery): Promise<boolean> {
    const k = shapeKey(q);
    let p = this.shapes.get(k);
    if (p === undefined) {
      p = this.listShape(q);
      this.shapes.set(k, p);
    }
    return p;
  }

  private async listShape(q: MetricQuery): Promise<boolean> {
    const names = dimensionNames(q);
    const client = this.opts.client(this.region);
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const out = await client.send(
          new ListMetricsCommand({
            Namespace: q.spec.namespace,
            MetricName: q.spec.metricName,
            Dimensions: names.map((Name) => ({ Name })),
            ...(token !== undefined ? { NextToken: token } : {}),
          }),
          { abortSignal: this.opts.signal },
        );
        this.meter.listMetricsCalls++;
        for (const m of out.Metrics ?? []) {
          const got = (m.Dimensions ?? []).map((d) => d.Name ?? '').sort();
          if (got.length === names.length && got.every((n, i) => n === names[i])) return true;
        }
        token = out.NextToken || undefined;
        if (token === undefined) return false;
      }
      return false;
    } catch (err) {
      if (this.opts.signal?.aborted) throw err;
      const code = awsErrorCode(err);
      if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(code)) return false;
      throw err;
    }
  }
}

/** An engine for one region outside a scan (re-check): no cache, its own meter. */
export function standaloneMetrics(client: CloudWatchClient, region: string, window: MetricsWindow, signal?: AbortSignal): RegionMetrics {
  return new MetricsEngine({ client: () => client, window, ...(signal ? { signal } : {}) }).forRegion(region);
}
