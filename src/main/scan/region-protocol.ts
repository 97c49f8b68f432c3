/**
 * The messages between a scan and its region workers (region-pool.ts on the scanning thread, region-worker.ts in
 * each worker). Everything here crosses `postMessage` (structured clone): plain data, Dates, Maps.
 */
import type { AppErrorDto } from '../../shared/errors';
import type { Finding, HandlerSettings, ResourceType } from '../handlers/handler';
import type { DayPoint, MetricsMeter, MetricsWindow } from '../metrics/types';
import type { RegionPrices } from '../pricing/types';

/** workerData of a region worker. */
export interface RegionWorkerData {
  kind: 'cloud-cleaner-region-worker';
  accountId: string;
  /** The session's client factory, rebuilt in the worker (credentials come from the scanning thread). */
  clients: { profile: string; defaultRegion: string; maxAttemptsEc2?: number };
  settings: HandlerSettings;
  pageSize?: number;
  metricsCacheHours: number;
  /** The scan's metrics window (the same for every region and worker). */
  window: MetricsWindow;
  /** The scan's clock minus the worker's (tests run scans at a fixed time). */
  clockOffsetMs: number;
  /** The prices of this worker's regions, read on the scanning thread (the price cache is in the database). */
  prices: Record<string, RegionPrices | null>;
  /** Kinds this scan runs (the worker builds the app's own registry; a kind it lacks fails its tasks). */
  kinds: ResourceType[];
  /** A replacement: by region, the kinds whose tasks went to the worker it replaces (they will not come here). */
  ranElsewhere: Record<string, ResourceType[]>;
}

export type ToWorker =
  | { t: 'run'; id: number; region: string; type: ResourceType; now: Date }
  /** The scanning thread took a page of the task: one more may be sent. */
  | { t: 'ack'; id: number }
  /** The scanning thread no longer reads the task (it failed there): end it. */
  | { t: 'stop'; id: number }
  | { t: 'cancel' }
  | { t: 'credentials'; seq: number; value?: WorkerCredentials; error?: AppErrorDto }
  | { t: 'cache-got'; seq: number; entries?: Array<[string, DayPoint[]]>; error?: SerializedError }
  | { t: 'close' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'page'; id: number; page: Finding[]; meter: MetricsMeter }
  | { t: 'done'; id: number; meter: MetricsMeter }
  | { t: 'failed'; id: number; error: AppErrorDto; awsCode: string; meter: MetricsMeter }
  | { t: 'cancelled'; id: number; meter: MetricsMeter }
  /** After each CloudWatch call: every paid call is counted even if the worker dies next. */
  | { t: 'meter'; meter: MetricsMeter }
  | { t: 'credentials?'; seq: number }
  | { t: 'cache-get'; seq: number; region: string; keys: string[]; window: MetricsWindow; freshAfter: Date }
  | { t: 'cache-put'; region: string; entries: Array<[string, DayPoint[]]>; window: MetricsWindow; fetchedAt: Date }
  /** The worker's heap at its largest (sampled at each page), for the scan's report. */
  | { t: 'closed'; meter: MetricsMeter; peakHeapBytes: number };

export interface WorkerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** What ends a task of a cancelled scan, on either side (an AbortError, as the SDK's own: toAppError → `cancelled`). */
export function scanCancelled(): Error {
  return Object.assign(new Error('The scan was cancelled.'), { name: 'AbortError' });
}

/** An error that crossed a thread: enough for toAppError to classify it again on the other side. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(e) };
}

export function deserializeError(s: SerializedError): Error {
  const e = new Error(s.message);
  e.name = s.name;
  if (s.code !== undefined) Object.assign(e, { code: s.code });
  return e;
}
