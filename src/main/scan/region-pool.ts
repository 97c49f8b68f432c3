/**
 * A scan's region workers (issue #19), seen from the scanning thread: regions are dealt to a pool of worker threads
 * (region-worker.ts), each with its own SDK clients and a capped heap; a task's pages come back as an async iterable,
 * so scanner.ts stores, counts and ends a worker's task exactly as one it runs itself.
 *
 * The pool answers the workers' questions (credentials from the session's provider, the metrics cache from the
 * database) and meters their paid calls. A worker that dies — out of memory, a crash — fails the tasks of its regions,
 * running or still to come, with the reason; the other workers go on, and the scan ends `partial`. A pool whose
 * workers cannot start is not used: the scan runs its regions on the scanning thread and says why (`fallbackReason`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, type AppErrorDto } from '../../shared/errors';
import type { ClientReplica } from '../aws/clients';
import { toAppError } from '../aws/errors';
import type { Finding, HandlerSettings, ResourceType } from '../handlers/handler';
import type { MetricCache } from '../metrics/engine';
import type { MetricsMeter, MetricsWindow } from '../metrics/types';
import type { RegionPrices } from '../pricing/types';
import { scanCancelled, serializeError, type FromWorker, type RegionWorkerData, type ToWorker } from './region-protocol';

/** How a scan may use region workers (ScanDeps.workers). */
export interface RegionWorkerConfig {
  /**
   * The worker's module: the built file beside the app's or the CLI's bundle (scan-worker.js / .mjs), or the
   * TypeScript source (region-worker.ts), run through tsx (tests, benchmarks, `npm run cli` from source).
   */
  script: string;
  /** The session's client factory (`ClientFactory.replica`): its credentials stay on this thread, the workers ask. */
  clients: ClientReplica;
  /** Workers; default workerCount(). */
  size?: number;
  /** Each worker's old-generation heap cap (MB); default DEFAULT_WORKER_HEAP_MB. */
  heapMb?: number;
}

/**
 * A worker's heap cap. A capped heap collects early instead of letting a scan's garbage pile up (the scanning process
 * capped at 200–320 MB peaked at 354–361 MB resident in bench:scan, session 33); a region of tens of thousands of
 * resources holds well under it.
 */
export const DEFAULT_WORKER_HEAP_MB = 256;
/** At most this many workers, however many cores: AWS's per-region request limits, not CPU, bound a larger pool. */
export const MAX_WORKERS = 4;

/** A worker not ready this long after it was started is ended (a replacement's tasks then fail). */
export const START_TIMEOUT_MS = 60_000;

/** Workers started in place of dead ones, per scan (a region that kills every worker it gets fails after these). */
export const MAX_REPLACEMENTS = 2;

/** One worker per core but one (the scanning thread stores what they find), at least one, at most MAX_WORKERS. */
export function workerCount(cores = availableParallelism()): number {
  return Math.max(1, Math.min(MAX_WORKERS, cores - 1));
}

export interface RegionPoolInput {
  accountId: string;
  regions: string[];
  kinds: ResourceType[];
  settings: HandlerSettings;
  pageSize?: number;
  metricsCacheHours: number;
  window: MetricsWindow;
  now: () => Date;
  prices: (region: string) => RegionPrices | null;
  cache: MetricCache | null;
}

interface Stream {
  worker: PoolWorker;
  pages: Finding[][];
  end: { error?: unknown; byWorker?: boolean } | null;
  wake: (() => void) | null;
}

interface PoolWorker {
  worker: Worker;
  regions: string[];
  meter: MetricsMeter;
  peakHeapBytes: number;
  /** Why it died (the tasks it was running fail with this); null while alive. */
  dead: AppError | null;
  closed: Promise<void>;
  /** Settles when it can take tasks (rejects when it could not start). */
  ready: Promise<void>;
}

const zeroMeter = (): MetricsMeter => ({ metricsRequested: 0, getMetricDataCalls: 0, metricsFromCache: 0, listMetricsCalls: 0 });

/** A task's failure as classified in the worker, thrown on this thread to be recorded like any task failure. */
export class WorkerTaskError extends Error {
  constructor(
    readonly app: AppError,
    readonly awsCode: string,
  ) {
    super(app.message);
    this.name = 'WorkerTaskError';
  }
}

function workerOptions(script: string) {
  // The TypeScript source runs through tsx's CommonJS hook (a devDependency: tests, benchmarks, the CLI from source).
  if (script.endsWith('.ts')) return { src: `require('tsx/cjs/api').register(); require(${JSON.stringify(script)});`, eval: true };
  return { src: script, eval: false };
}

export class RegionPool {
  private readonly workers: PoolWorker[] = [];
  private readonly byRegion = new Map<string, PoolWorker>();
  private readonly streams = new Map<number, Stream>();
  private readonly cacheWrites = new Set<Promise<void>>();
  private nextId = 0;
  private closing = false;
  private replacements = 0;
  /** Kinds whose task went to a worker, by region: a replacement frees their share of its regions' listings. */
  private readonly dispatched = new Map<string, Set<ResourceType>>();

  private constructor(
    private readonly config: RegionWorkerConfig,
    private readonly input: RegionPoolInput,
  ) {}

  /** Starts the workers; resolves when every one is ready, rejects (all stopped) when one cannot start. */
  static async start(config: RegionWorkerConfig, input: RegionPoolInput): Promise<RegionPool> {
    const pool = new RegionPool(config, input);
    const { regions } = input;
    const size = Math.max(1, Math.min(config.size ?? workerCount(), regions.length));
    const dealt: string[][] = Array.from({ length: size }, () => []);
    regions.forEach((r, i) => dealt[i % size]!.push(r));
    const started: PoolWorker[] = [];
    try {
      for (const own of dealt) started.push(pool.spawn(own));
    } catch (e) {
      // Closing: the ones that did start are not replaced as they end.
      pool.closing = true;
      await Promise.all(started.map((w) => w.worker.terminate()));
      throw new Error(`a region worker could not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const ready = await Promise.allSettled(started.map((w) => w.ready));
    const failed = ready.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      pool.closing = true;
      await Promise.all(started.map((w) => w.worker.terminate()));
      throw failed.reason;
    }
    return pool;
  }

  /** Workers started, replacements included. */
  get size(): number {
    return this.workers.length;
  }

  private get heapMb(): number {
    return this.config.heapMb ?? DEFAULT_WORKER_HEAP_MB;
  }

  /** A worker for `own` regions (it takes them over from a dead one); `ready` settles when it can take tasks. */
  private spawn(own: string[]): PoolWorker {
    const { src, eval: isEval } = workerOptions(this.config.script);
    const data: RegionWorkerData = {
      kind: 'cloud-cleaner-region-worker',
      accountId: this.input.accountId,
      clients: {
        profile: this.config.clients.profile,
        defaultRegion: this.config.clients.defaultRegion,
        ...(this.config.clients.maxAttemptsEc2 !== undefined ? { maxAttemptsEc2: this.config.clients.maxAttemptsEc2 } : {}),
      },
      settings: this.input.settings,
      ...(this.input.pageSize ? { pageSize: this.input.pageSize } : {}),
      metricsCacheHours: this.input.metricsCacheHours,
      window: this.input.window,
      clockOffsetMs: this.input.now().getTime() - Date.now(),
      prices: Object.fromEntries(own.map((r) => [r, this.input.prices(r)])),
      kinds: this.input.kinds,
      ranElsewhere: Object.fromEntries(own.map((r) => [r, [...(this.dispatched.get(r) ?? [])]])),
    };
    const worker = new Worker(src, { eval: isEval, workerData: data, resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    let started = false;
    // A worker that neither starts nor fails is ended (its 'exit' then rejects `ready`).
    const startTimer = setTimeout(() => void worker.terminate(), START_TIMEOUT_MS);
    startTimer.unref();
    let closed!: () => void;
    let ready!: { resolve(): void; reject(e: Error): void };
    const w: PoolWorker = {
      worker,
      regions: own,
      meter: zeroMeter(),
      peakHeapBytes: 0,
      dead: null,
      closed: new Promise<void>((r) => (closed = r)),
      ready: new Promise<void>((resolve, reject) => (ready = { resolve, reject })),
    };
    // Awaited by start() or by the tasks that come to a replacement; never left unhandled.
    w.ready.catch(() => undefined);
    this.workers.push(w);
    for (const r of own) this.byRegion.set(r, w);
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'ready') {
        started = true;
        clearTimeout(startTimer);
        ready.resolve();
      } else this.onMessage(w, m);
    });
    // Only a worker that had started is replaced: one that cannot start would not start again.
    worker.on('error', (e) => {
      if (!started) ready.reject(new Error(`a region worker could not start: ${e.message}`));
      this.kill(w, e, started);
    });
    worker.on('exit', (code) => {
      if (!started) ready.reject(new Error(`a region worker exited (code ${code}) before it started`));
      this.kill(w, new Error(`it exited with code ${code}`), started);
      closed();
    });
    return w;
  }

  /**
   * A worker ended. Its open streams fail (when the pool closes normally it has none left); its regions' tasks still
   * to come go to a replacement (at most MAX_REPLACEMENTS per scan), so one worker's death fails the tasks it was
   * running, not the rest of its regions. Without a replacement they fail with the same reason.
   */
  private kill(w: PoolWorker, e: Error, replace: boolean): void {
    if (w.dead !== null) return;
    const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    const awsCode = oom ? 'WorkerOutOfMemory' : 'WorkerStopped';
    const why = oom ? `ran out of memory (its heap is capped at ${this.heapMb} MB)` : `stopped: ${e.message}`;
    w.dead = new AppError('internal', `The region worker for ${w.regions.join(', ')} ${why}; the tasks it was running failed.`, { awsCode });
    for (const s of this.streams.values()) {
      if (s.worker !== w || s.end) continue;
      s.end = { error: new WorkerTaskError(w.dead, awsCode), byWorker: true };
      this.wake(s);
    }
    if (!replace || this.closing || this.replacements >= MAX_REPLACEMENTS) return;
    this.replacements++;
    try {
      this.spawn(w.regions);
    } catch {
      // Its regions stay with the dead worker: their tasks fail with its reason.
    }
  }

  private wake(s: Stream): void {
    const w = s.wake;
    s.wake = null;
    w?.();
  }

  private post(w: PoolWorker, m: ToWorker): void {
    if (w.dead === null) w.worker.postMessage(m);
  }

  private onMessage(w: PoolWorker, m: FromWorker): void {
    if ('meter' in m) w.meter = m.meter;
    switch (m.t) {
      case 'page':
      case 'done':
      case 'failed':
      case 'cancelled': {
        const s = this.streams.get(m.id);
        if (!s || s.end) return;
        if (m.t === 'page') s.pages.push(m.page);
        else if (m.t === 'done') s.end = { byWorker: true };
        else if (m.t === 'failed') s.end = { error: new WorkerTaskError(appErrorOf(m.error), m.awsCode), byWorker: true };
        else s.end = { error: scanCancelled(), byWorker: true };
        this.wake(s);
        return;
      }
      case 'credentials?':
        void Promise.resolve()
          .then(() => this.config.clients.credentials())
          .then(
            (c) =>
              this.post(w, {
                t: 'credentials',
                seq: m.seq,
                value: {
                  accessKeyId: c.accessKeyId,
                  secretAccessKey: c.secretAccessKey,
                  ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
                  ...(c.expiration ? { expiration: c.expiration } : {}),
                },
              }),
            (e: unknown) => this.post(w, { t: 'credentials', seq: m.seq, error: toAppError(e, { profile: this.config.clients.profile }).toDto() }),
          );
        return;
      case 'cache-get': {
        const cache = this.input.cache;
        void Promise.resolve()
          .then(() => (cache ? cache.get(m.region, m.keys, m.window, m.freshAfter) : new Map()))
          .then(
            (found) => this.post(w, { t: 'cache-got', seq: m.seq, entries: [...found] }),
            (e: unknown) => this.post(w, { t: 'cache-got', seq: m.seq, error: serializeError(e) }),
          );
        return;
      }
      case 'cache-put': {
        const cache = this.input.cache;
        if (!cache) return;
        // As the engine does on this thread: a failed cache write costs the next scan a fetch, never a task.
        const done: Promise<void> = Promise.resolve()
          .then(() => cache.put(m.region, m.entries, m.window, m.fetchedAt))
          .catch(() => undefined)
          .finally(() => this.cacheWrites.delete(done));
        this.cacheWrites.add(done);
        return;
      }
      case 'closed':
        w.peakHeapBytes = m.peakHeapBytes;
        return;
      case 'meter':
        return;
    }
  }

  /** The pages of one task run in its region's worker; throws what ended it (WorkerTaskError, an AbortError). */
  async *pages(region: string, type: ResourceType, now: Date, signal?: AbortSignal): AsyncGenerator<Finding[]> {
    const w = this.byRegion.get(region);
    if (w === undefined) throw new AppError('internal', `No region worker scans ${region}.`);
    // A replacement may still be starting (START_TIMEOUT_MS at most); one that cannot start fails the task with why.
    let onAbortWait = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => (onAbortWait = () => reject(scanCancelled())));
    if (signal?.aborted) onAbortWait();
    else signal?.addEventListener('abort', onAbortWait, { once: true });
    try {
      await Promise.race([
        w.ready.catch((e: unknown) => {
          throw new WorkerTaskError(new AppError('internal', `The region worker for ${region} could not be started again: ${e instanceof Error ? e.message : String(e)}`), 'WorkerStopped');
        }),
        aborted,
      ]);
    } finally {
      signal?.removeEventListener('abort', onAbortWait);
    }
    if (w.dead) throw new WorkerTaskError(w.dead, String(w.dead.details?.awsCode ?? 'WorkerStopped'));
    const id = ++this.nextId;
    const s: Stream = { worker: w, pages: [], end: null, wake: null };
    this.streams.set(id, s);
    // Whether the worker ended the task itself (done, failed, cancelled, or it died); otherwise it is told to stop.
    let endedByWorker = false;
    // A cancelled scan stops reading at once, whatever the worker is doing (it is told by cancel()).
    const onAbort = () => {
      if (s.end) return;
      s.end = { error: scanCancelled() };
      this.wake(s);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      this.post(w, { t: 'run', id, region, type, now });
      const kinds = this.dispatched.get(region) ?? new Set<ResourceType>();
      kinds.add(type);
      this.dispatched.set(region, kinds);
      for (;;) {
        const page = s.pages.shift();
        if (page !== undefined) {
          yield page;
          // The page is stored (the caller came back for the next): one more may come.
          this.post(w, { t: 'ack', id });
          continue;
        }
        if (s.end) {
          endedByWorker = s.end.byWorker === true;
          if (s.end.error !== undefined) throw s.end.error;
          return;
        }
        await new Promise<void>((r) => (s.wake = r));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.streams.delete(id);
      // The caller stopped reading (its write failed, the scan was cancelled): the worker ends the task.
      if (!endedByWorker) this.post(w, { t: 'stop', id });
    }
  }

  /** Every worker stops its tasks (the scan was cancelled). */
  cancel(): void {
    for (const w of this.workers) this.post(w, { t: 'cancel' });
  }

  /** Every paid call the workers made so far (each worker's last report), added to `base` (this thread's own). */
  meter(base: MetricsMeter = zeroMeter()): MetricsMeter {
    const sum = { ...base };
    for (const w of this.workers) for (const k of Object.keys(sum) as (keyof MetricsMeter)[]) sum[k] += w.meter[k];
    return sum;
  }

  /** The largest heap a worker reported at its close (MB; a worker that died reported none). */
  peakHeapMb(): number {
    return Math.round(Math.max(0, ...this.workers.map((w) => w.peakHeapBytes)) / 2 ** 20);
  }

  /** Ends the workers (after their metrics cache writes) and waits for those writes here. */
  async close(): Promise<void> {
    this.closing = true;
    for (const w of this.workers) this.post(w, { t: 'close' });
    await Promise.all(
      this.workers.map((w) =>
        w.dead ? w.worker.terminate().then(() => undefined) : Promise.race([w.closed, new Promise<void>((r) => setTimeout(r, 10_000).unref())]).then(() => w.worker.terminate()),
      ),
    );
    while (this.cacheWrites.size > 0) await Promise.all([...this.cacheWrites]);
  }
}

function appErrorOf(dto: AppErrorDto): AppError {
  return new AppError(dto.code, dto.message, dto.details);
}
