/** Resource scans and their progress. ScanDto / ScanFailureDto are re-exported by src/main/db/repos/scans.ts. */
import { z } from 'zod';
import type { AppErrorDto } from '../errors';
import { idSchema, pageSchema, regionSchema } from './common';

export type ScanKind = 'discovery' | 'resources';
export type ScanStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'interrupted';

export interface ScanFailureDto {
  region: string;
  handler: string;
  errorCode: string;
  message: string;
  at: string;
}

export interface ScanDto {
  id: number;
  accountId: string | null;
  kind: ScanKind;
  parentScanId: number | null;
  regions: string[];
  status: ScanStatus;
  startedAt: string;
  completedAt: string | null;
  durationMs: number | null;
  tasksTotal: number;
  tasksFailed: number;
  resourcesSeen: number;
  findingsCount: number;
  monthlySavings: number;
  servicesFound: number;
  requests: number;
  /** What the scan asked CloudWatch: GetMetricData bills per metric requested ($0.01 per 1,000; usd is that product). */
  metrics: ScanMetricsMeterDto;
  errorCode: string | null;
  error: string | null;
  options: Record<string, unknown>;
}

export interface ScanMetricsMeterDto {
  /** Metrics requested from GetMetricData (continuation pages included): what AWS bills. */
  requested: number;
  calls: number;
  /** Series reused from the local cache (no request, no charge). */
  fromCache: number;
  listMetricsCalls: number;
  /** requested × $0.01 / 1,000. */
  usd: number;
}

export interface ScanDetailDto extends ScanDto {
  failures: ScanFailureDto[];
}

export const scansStartInput = z.strictObject({
  /** 'all' = every enabled region of the account. */
  regions: z.union([z.literal('all'), z.array(regionSchema).min(1).max(64)]),
});

export const scanIdInput = z.strictObject({ scanId: idSchema });

export const scansListInput = z.strictObject({ ...pageSchema(50, 500) }).optional();

/**
 * A scan or cleanup of the account that another process holds (the CLI on this machine, or someone else's app with
 * the shared store): who, where, since when (ISO), and when its lease runs out unless renewed.
 */
export interface RunElsewhereDto {
  kind: 'scan' | 'cleanup';
  host: string;
  user: string | null;
  pid: number | null;
  since: string;
  expiresAt: string;
}

export type ScanTaskStatus = 'queued' | 'running' | 'done' | 'failed';

/** One region × resource type of a scan. */
export interface ScanTaskDto {
  region: string;
  resourceType: string;
  status: ScanTaskStatus;
  /** Resources listed so far. */
  found: number;
  /** Of which unused. */
  findings: number;
  /** Known monthly cost of those findings, protected ones excluded. */
  monthlySavings: number;
  error?: AppErrorDto;
}

/** Event: a task changed, or the scan ended (then `status` is no longer `running`). */
export interface ScanProgressEvent {
  scanId: number;
  /** The task that changed; absent on the scan-level events (start, end). */
  task?: ScanTaskDto;
  totals: { tasksDone: number; tasksTotal: number; findings: number; monthlySavings: number };
  status: ScanStatus;
}
