/**
 * A region worker (issue #19): runs the scan tasks of some regions in its own thread — SDK clients, the parsing of
 * AWS's answers, the handlers, the dependency model (applyParts), the region's shared listings and its batched
 * metrics — and sends each page of findings to the scanning thread, which stores them, counts them and marks what a
 * task did not see gone, exactly as for a task it runs itself (scanner.ts). Its heap is capped (`resourceLimits`):
 * one that runs out of memory ends this worker, which fails its regions' tasks, not the app.
 *
 * What stays on the scanning thread, asked for by message: the credentials (SSO, MFA and role chains are resolved
 * there, once), the metrics cache (it is in the database), and the order and number of tasks (its limiters).
 */
import { setMaxListeners } from 'node:events';
import { memoize } from '@smithy/core/config';
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { createClientFactory, type ClientFactory } from '../aws/clients';
import { awsErrorCode, toAppError } from '../aws/errors';
import { registerBuiltinHandlers } from '../handlers/builtin';
import { createHandlerContext } from '../handlers/context';
import type { ResourceHandler, ResourceType } from '../handlers/handler';
import { applyParts } from '../handlers/parts';
import { RegionInventories } from '../handlers/region-inventory';
import { createHandlerRegistry } from '../handlers/registry';
import { MetricsEngine, type MetricCache } from '../metrics/engine';
import type { DayPoint } from '../metrics/types';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { deserializeError, scanCancelled, serializeError, type FromWorker, type RegionWorkerData, type ToWorker, type WorkerCredentials } from './region-protocol';

/** Pages of one task sent ahead of the scanning thread's acknowledgements (memory stays bounded, the network busy). */
const PAGES_AHEAD = 1;
/** Credentials are asked for again this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;

function start(port: NonNullable<typeof parentPort>, data: RegionWorkerData): void {
  const send = (m: FromWorker) => port.postMessage(m);
  const controller = new AbortController();
  const signal = controller.signal;
  // Every in-flight SDK call listens on the one signal (as on the scanning thread): dozens at once is expected.
  setMaxListeners(0, signal);
  const registry = createHandlerRegistry();
  registerBuiltinHandlers(registry);
  const billingServiceOf = (type: string): string | undefined => registry.get(type as ResourceType)?.billingServiceCode;
  const now = () => new Date(Date.now() + data.clockOffsetMs);

  let seq = 0;
  const replies = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  const ask = <T>(m: (seq: number) => FromWorker): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const n = ++seq;
      replies.set(n, { resolve: resolve as (v: unknown) => void, reject });
      send(m(n));
    });

  // The scanning thread's credentials, kept until shortly before they expire (memoized as credentials.ts does; a
  // failed answer is asked for again).
  const credentials = memoize<WorkerCredentials>(
    () => ask<WorkerCredentials>((n) => ({ t: 'credentials?', seq: n })),
    (c) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < REFRESH_BEFORE_MS,
    (c) => c.expiration !== undefined,
  );

  const cache: MetricCache = {
    get: async (region, keys, window, freshAfter) =>
      new Map(await ask<Array<[string, DayPoint[]]>>((n) => ({ t: 'cache-get', seq: n, region, keys: [...keys], window, freshAfter }))),
    put: (region, entries, window, fetchedAt) => send({ t: 'cache-put', region, entries: entries.map(([k, p]) => [k, p]), window, fetchedAt }),
  };
  let factory: ClientFactory | null = null;
  const factoryReady = createClientFactory({
    profile: data.clients.profile,
    defaultRegion: data.clients.defaultRegion,
    credentials,
    ...(data.clients.maxAttemptsEc2 !== undefined ? { maxAttemptsEc2: data.clients.maxAttemptsEc2 } : {}),
  }).then((f) => (factory = f));
  // Awaited by every task (which fails with the cause); never left unhandled before the first one comes.
  factoryReady.catch(() => undefined);
  // After each CloudWatch call (its meter is counted when the answer is in): sent at once, so a worker that dies next
  // has still reported every paid call it made.
  const metered = new WeakSet<object>();
  const cloudWatch = (region: string): CloudWatchClient => {
    const c = factory!.client(CloudWatchClient, region);
    if (!metered.has(c)) {
      metered.add(c);
      c.middlewareStack.add(
        (next) => async (args) => {
          try {
            return await next(args);
          } finally {
            setImmediate(() => send({ t: 'meter', meter: { ...metrics.meter } }));
          }
        },
        { step: 'initialize', name: 'cloudCleanerWorkerMeter' },
      );
    }
    return c;
  };
  const metrics = new MetricsEngine({
    client: cloudWatch,
    window: data.window,
    cache,
    cacheHours: data.metricsCacheHours,
    now,
    coalesce: true,
    signal,
  });

  // One inventory per region (its listings shared by its kinds), freed as on the scanning thread.
  const inventories = new RegionInventories(data.kinds.map((k) => registry.get(k)).filter((h): h is ResourceHandler => h !== undefined));
  // A replacement: the tasks that went to the worker it replaces will not come here; their listings are freed.
  for (const [region, kinds] of Object.entries(data.ranElsewhere)) {
    for (const k of kinds) {
      const h = registry.get(k);
      if (h) inventories.release(region, h);
    }
  }

  let peakHeap = 0;
  // Per task: pages it may still send before an acknowledgement, and whether the scanning thread stopped reading it.
  const tasks = new Map<number, { credit: number; stopped: boolean; wake: (() => void) | null }>();
  const waitCredit = async (id: number): Promise<void> => {
    const t = tasks.get(id)!;
    while (t.credit === 0 && !t.stopped && !signal.aborted) await new Promise<void>((r) => (t.wake = r));
    if (t.stopped || signal.aborted) throw scanCancelled();
    t.credit--;
  };
  const wake = (id: number) => {
    const t = tasks.get(id);
    const w = t?.wake;
    if (t && w) {
      t.wake = null;
      w();
    }
  };

  const run = async (m: Extract<ToWorker, { t: 'run' }>): Promise<void> => {
    tasks.set(m.id, { credit: PAGES_AHEAD, stopped: false, wake: null });
    const handler = registry.get(m.type);
    try {
      if (handler === undefined) throw new AppError('internal', `The region worker has no kind ${m.type} (it builds the app's own kinds only).`);
      await factoryReady;
      if (signal.aborted) throw scanCancelled();
      const ctx = createHandlerContext({
        region: m.region,
        accountId: data.accountId,
        clients: factory!,
        prices: data.prices[m.region] ?? null,
        settings: data.settings,
        metrics: metrics.forRegion(m.region),
        now: m.now,
        signal,
        ...(data.pageSize ? { pageSize: data.pageSize } : {}),
        inventory: inventories.of(m.region),
      });
      for await (const scanned of handler.scan(ctx)) {
        if (signal.aborted) throw scanCancelled();
        const page = scanned.map((f) => applyParts(handler, f, ctx.settings, billingServiceOf));
        await waitCredit(m.id);
        peakHeap = Math.max(peakHeap, v8.getHeapStatistics().used_heap_size);
        send({ t: 'page', id: m.id, page, meter: { ...metrics.meter } });
      }
      send({ t: 'done', id: m.id, meter: { ...metrics.meter } });
    } catch (e) {
      const t = tasks.get(m.id);
      if (signal.aborted || t?.stopped || (e as { name?: string }).name === 'AbortError') send({ t: 'cancelled', id: m.id, meter: { ...metrics.meter } });
      else {
        // Classified here, where the SDK's error is whole; the scanning thread records it as its own tasks' failures.
        const app = toAppError(e, { service: m.type.split(':')[0] ?? m.type, region: m.region });
        send({ t: 'failed', id: m.id, error: app.toDto(), awsCode: awsErrorCode(e) || app.code, meter: { ...metrics.meter } });
      }
    } finally {
      tasks.delete(m.id);
      if (handler) inventories.release(m.region, handler);
    }
  };

  port.on('message', (m: ToWorker) => {
    switch (m.t) {
      case 'run':
        void run(m);
        break;
      case 'ack': {
        const t = tasks.get(m.id);
        if (t) t.credit++;
        wake(m.id);
        break;
      }
      case 'stop': {
        const t = tasks.get(m.id);
        if (t) t.stopped = true;
        wake(m.id);
        break;
      }
      case 'cancel':
        controller.abort();
        for (const id of tasks.keys()) wake(id);
        break;
      case 'credentials':
      case 'cache-got': {
        const r = replies.get(m.seq);
        replies.delete(m.seq);
        if (!r) break;
        if (m.t === 'credentials') {
          if (m.error) r.reject(new AppError(m.error.code, m.error.message, m.error.details));
          else r.resolve(m.value);
        } else if (m.error) r.reject(deserializeError(m.error));
        else r.resolve(m.entries);
        break;
      }
      case 'close':
        // The metrics engine's cache writes were sent as they came (cache-put); the meter is the last word.
        void metrics
          .settled()
          .catch(() => undefined)
          .then(() => {
            factory?.destroy();
            send({ t: 'closed', meter: { ...metrics.meter }, peakHeapBytes: peakHeap });
            port.close();
          });
        break;
    }
  });
  // No heap governor here: its collector is had by switching a process-wide V8 flag, which workers starting together
  // would race on; the heap cap (resourceLimits) makes V8 collect early in a worker by itself.
  send({ t: 'ready' });
}

const data = workerData as RegionWorkerData | undefined;
if (parentPort && data?.kind === 'cloud-cleaner-region-worker') {
  try {
    start(parentPort, data);
  } catch (e) {
    // The pool fails this worker's regions with this message.
    throw Object.assign(new Error(`The region worker could not start: ${serializeError(e).message}`), { cause: e });
  }
}
