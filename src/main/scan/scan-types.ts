/**
 * A scan's types: its settings and dependencies, its progress events and its outcome (scanner.ts runs it; they are
 * re-exported there).
 */
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { RegionClients } from '../aws/clients';
import type { AppErrorDto } from '../../shared/errors';
import type { AppDb } from '../db/store';
import type { WriterReport } from '../db/repos/findings-store';
import type { DiscoveryDeps, DiscoveryOptions, DiscoveryResult } from '../discovery/discovery';
import type { HandlerSettings, ResourceType } from '../handlers/handler';
import type { HandlerRegistry } from '../handlers/registry';
import type { PriceBook } from '../pricing/types';
import type { RegionWorkerConfig } from './region-pool';

export type TaskStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ScanTaskProgress {
  region: string;
  resourceType: ResourceType;
  status: TaskStatus;
  /** Resources listed so far. */
  found: number;
  /** Unused resources among them. */
  findings: number;
  monthlySavings: number;
  error?: AppErrorDto & { awsCode?: string };
}

export interface ScanProgressEvent {
  scanId: number;
  task?: ScanTaskProgress;
  totals: { tasksDone: number; tasksFailed: number; tasksTotal: number; found: number; findings: number; monthlySavings: number };
  /** Set on the last event of a scan. */
  status?: ScanOutcome['status'];
}

export interface ScanSettings extends HandlerSettings {
  /** Tasks (region × handler) running at once, all regions together. */
  concurrency: number;
  /** Tasks running at once in one region (EC2's request buckets are per account per region). */
  perRegionConcurrency: number;
  /** Describe page size (clamped per API by the handlers). */
  pageSize?: number;
  discovery?: DiscoveryOptions;
  /** Fetched CloudWatch series younger than this are reused (0: never). Default DEFAULT_METRICS_CACHE_HOURS. */
  metricsCacheHours?: number;
  /** SQLite: the findings are written on a worker thread (resource-writer-thread.ts). Default true. */
  writerThread?: boolean;
}

/** Whether a scan's regions ran on worker threads (ScanDeps.workers), and if not, why. */
export interface RegionWorkersReport {
  /** Worker threads the regions ran on; 0 = on the scanning thread. */
  workers: number;
  /** The largest heap one of them used (MB, sampled at each page it sent, reported when it closes: a worker that died reports none). */
  peakHeapMb?: number;
  fallbackReason?: string;
}


export const DEFAULT_SCAN_SETTINGS = {
  concurrency: 32,
  // All five EC2 handlers of a region at once stay well inside the Describe bucket (100 burst, 20/s refill);
  // adaptive retries absorb the rest.
  perRegionConcurrency: 5,
} as const;

export interface ScanDeps {
  /** The local SQLite file or a PostgreSQL team store. */
  db: AppDb;
  accountId: string;
  /** Regional SDK clients by service (the client factory): handlers get them through their context. */
  clients: RegionClients;
  costExplorer: () => CostExplorerClient;
  /** Costs from the organization-level request instead of this account's own (see DiscoveryDeps.costs). */
  costs?: DiscoveryDeps['costs'];
  /** Region used for DescribeRegions. */
  homeRegion: string;
  registry: HandlerRegistry;
  prices: PriceBook;
  settings: ScanSettings;
  emit?: (ev: ScanProgressEvent) => void;
  now?: () => Date;
  /**
   * Run the regions' tasks on worker threads (region-pool.ts), with the app's own kinds (the registry must be the
   * built-in one: a worker builds its own). Absent: every task runs on this thread.
   */
  workers?: RegionWorkerConfig;
}

export interface ScanRequest {
  /** 'all' = every region enabled for the account. */
  regions: 'all' | string[];
  forceDiscovery?: boolean;
  /** Skip Cost Explorer entirely (every handler runs). */
  skipDiscovery?: boolean;
  signal?: AbortSignal;
  /** Called as soon as the scan record exists (the UI gets the id before the scan ends). */
  onStarted?: (scanId: number) => void;
}

export interface ScanOutcome {
  scanId: number;
  status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  regions: string[];
  handlers: ResourceType[];
  discovery: DiscoveryResult | null;
  tasksTotal: number;
  tasksFailed: number;
  resourcesSeen: number;
  findings: number;
  monthlySavings: number;
  failures: { region: string; handler: string; errorCode: string; message: string }[];
  /** SQLite: whether the findings were written on the writer thread, and if not, why (resource-writer-thread.ts). */
  writer?: WriterReport;
  /** Asked for region workers (ScanDeps.workers): how many ran, or why none did. */
  regionWorkers?: RegionWorkersReport;
  error?: AppErrorDto;
}
