import type { Kysely } from 'kysely';
import type { ScanDto, ScanFailureDto } from '../../../shared/dto/scans';
import { currentRunOwner, ownerColumns, type OwnerColumns, type RunOwner } from '../run-owner';
import { USD_PER_METRIC_REQUESTED, type MetricsMeter } from '../../metrics/types';
import type { Database, ScanKind, ScanRow, ScanStatus } from '../schema';

export type { ScanDto, ScanFailureDto };

export function toScanDto(r: ScanRow): ScanDto {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind,
    parentScanId: r.parent_scan_id,
    regions: JSON.parse(r.regions) as string[],
    status: r.status,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    durationMs: r.duration_ms,
    tasksTotal: r.tasks_total,
    tasksFailed: r.tasks_failed,
    resourcesSeen: r.resources_seen,
    findingsCount: r.findings_count,
    monthlySavings: r.monthly_savings,
    servicesFound: r.services_found,
    requests: r.requests,
    metrics: {
      requested: r.metrics_requested,
      calls: r.metric_calls,
      fromCache: r.metrics_cached,
      listMetricsCalls: r.list_metrics_calls,
      usd: r.metrics_requested * USD_PER_METRIC_REQUESTED,
    },
    errorCode: r.error_code,
    error: r.error,
    options: JSON.parse(r.options) as Record<string, unknown>,
  };
}

export async function createScan(
  db: Kysely<Database>,
  s: {
    accountId: string | null;
    kind: ScanKind;
    regions?: string[];
    parentScanId?: number | null;
    options?: Record<string, unknown>;
    startedAt?: string;
    /** The process running the scan; default this one (recovery leaves the scan alone while it lives). */
    owner?: RunOwner;
  },
): Promise<number> {
  const row = await db
    .insertInto('scans')
    .values({
      account_id: s.accountId,
      kind: s.kind,
      parent_scan_id: s.parentScanId ?? null,
      regions: JSON.stringify(s.regions ?? []),
      status: 'running',
      started_at: s.startedAt ?? new Date().toISOString(),
      options: JSON.stringify(s.options ?? {}),
      ...ownerColumns(s.owner ?? currentRunOwner()),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ScanCompletion {
  status: Exclude<ScanStatus, 'running'>;
  completedAt?: string;
  regions?: string[];
  tasksTotal?: number;
  tasksFailed?: number;
  resourcesSeen?: number;
  findingsCount?: number;
  monthlySavings?: number;
  servicesFound?: number;
  requests?: number;
  /** The scan's CloudWatch meter. */
  metrics?: MetricsMeter;
  errorCode?: string | null;
  error?: string | null;
}

/** Ends a running scan (only a running scan: a finished record is never rewritten). */
export async function completeScan(db: Kysely<Database>, id: number, c: ScanCompletion): Promise<void> {
  const row = await db.selectFrom('scans').select(['started_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const completedAt = c.completedAt ?? new Date().toISOString();
  await db
    .updateTable('scans')
    .set({
      status: c.status,
      completed_at: completedAt,
      duration_ms: Math.max(0, Date.parse(completedAt) - Date.parse(row.started_at)),
      ...(c.regions !== undefined ? { regions: JSON.stringify(c.regions) } : {}),
      ...(c.tasksTotal !== undefined ? { tasks_total: c.tasksTotal } : {}),
      ...(c.tasksFailed !== undefined ? { tasks_failed: c.tasksFailed } : {}),
      ...(c.resourcesSeen !== undefined ? { resources_seen: c.resourcesSeen } : {}),
      ...(c.findingsCount !== undefined ? { findings_count: c.findingsCount } : {}),
      ...(c.monthlySavings !== undefined ? { monthly_savings: c.monthlySavings } : {}),
      ...(c.servicesFound !== undefined ? { services_found: c.servicesFound } : {}),
      ...(c.requests !== undefined ? { requests: c.requests } : {}),
      ...(c.metrics !== undefined
        ? {
            metrics_requested: c.metrics.metricsRequested,
            metric_calls: c.metrics.getMetricDataCalls,
            metrics_cached: c.metrics.metricsFromCache,
            list_metrics_calls: c.metrics.listMetricsCalls,
          }
        : {}),
      ...(c.errorCode !== undefined ? { error_code: c.errorCode } : {}),
      ...(c.error !== undefined ? { error: c.error } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function recordScanFailure(
  db: Kysely<Database>,
  scanId: number,
  f: { region: string; handler: string; errorCode: string; message: string },
): Promise<void> {
  await db
    .insertInto('scan_failures')
    .values({
      scan_id: scanId,
      region: f.region,
      handler: f.handler,
      error_code: f.errorCode,
      message: f.message,
      at: new Date().toISOString(),
    })
    .execute();
}

/** A scan still marked `running`, with the process that runs it. */
export interface RunningScan extends OwnerColumns {
  id: number;
}

export async function listRunningScans(db: Kysely<Database>): Promise<RunningScan[]> {
  return db.selectFrom('scans').select(['id', 'owner_pid', 'owner_start']).where('status', '=', 'running').orderBy('id').execute();
}

/**
 * Running scans become `interrupted`: those in `ids` (recovery passes the ones whose owner is gone, see
 * app/recovery.ts), or, without `ids`, every running scan — only for a caller that knows no process is running
 * one. Returns how many changed.
 */
export async function markInterruptedScans(db: Kysely<Database>, ids?: readonly number[]): Promise<number> {
  if (ids !== undefined && ids.length === 0) return 0;
  let query = db
    .updateTable('scans')
    .set({ status: 'interrupted', completed_at: new Date().toISOString(), error: 'The app stopped before the scan ended.' })
    .where('status', '=', 'running');
  if (ids !== undefined) query = query.where('id', 'in', [...ids]);
  const res = await query.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function getScan(db: Kysely<Database>, id: number): Promise<(ScanDto & { failures: ScanFailureDto[] }) | null> {
  const row = await db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const failures = await db
    .selectFrom('scan_failures')
    .selectAll()
    .where('scan_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...toScanDto(row),
    failures: failures.map((f) => ({
      region: f.region,
      handler: f.handler,
      errorCode: f.error_code,
      message: f.message,
      at: f.at,
    })),
  };
}

export async function listScans(
  db: Kysely<Database>,
  q: { accountId: string; kind?: ScanKind; limit?: number; offset?: number },
): Promise<ScanDto[]> {
  let query = db.selectFrom('scans').selectAll().where('account_id', '=', q.accountId);
  if (q.kind) query = query.where('kind', '=', q.kind);
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(q.limit ?? 50, 500))
    .offset(q.offset ?? 0)
    .execute();
  return rows.map(toScanDto);
}

export async function latestScan(
  db: Kysely<Database>,
  accountId: string,
  kind: ScanKind,
  statuses?: ScanStatus[],
): Promise<ScanDto | null> {
  let query = db.selectFrom('scans').selectAll().where('account_id', '=', accountId).where('kind', '=', kind);
  if (statuses) query = query.where('status', 'in', statuses);
  const row = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toScanDto(row) : null;
}
