/**
 * What the RDS kinds share (DB instances here; Aurora clusters and DB/cluster snapshots import it read-only): the
 * service code, the connections metric, paged listings with RDS's MaxRecords bounds, RDS's error codes, the seven-day
 * automatic restart, the final-snapshot identifier and the wait for a snapshot to become available.
 *
 * Facts (AWS-FACTS-BEYOND-EC2.md, kinds 3 and 4; RDS API reference): `AWS/RDS` `DatabaseConnections` (dimension
 * `DBInstanceIdentifier`) is published every minute while the instance runs, so a missing day is unknown, never 0.
 * A stopped instance or cluster is started again by AWS seven days after the stop (StopDBInstance / StopDBCluster).
 * Describe* pages take MaxRecords 20–100 and continue with Marker. Snapshot identifiers: 1–255 letters, digits and
 * hyphens, a letter first, no `--`, no trailing hyphen.
 */
import {
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type DBSnapshot,
  type DescribeDBClusterSnapshotsCommandInput,
  type DescribeDBSnapshotsCommandInput,
} from '@aws-sdk/client-rds';
import { awsErrorCode } from '../aws/errors';
import type { MetricQuery, MetricSpec } from '../metrics/types';
import { clampPageSize } from './ec2-common';
import type { DeleteContext, HandlerContext } from './handler';
import { sharedPages } from './region-inventory';

/** Cost Explorer's "Amazon Relational Database Service" (discovery/service-catalog.ts). */
export const SERVICE_RDS = 'AmazonRDS';

/** MaxRecords bounds of every RDS Describe* call ("Minimum 20, maximum 100"; default 100). */
export const RDS_MIN_PAGE = 20;
export const RDS_MAX_PAGE = 100;

/** Connections to a DB instance (RDS Proxy and poolers included), daily Maximum; published continuously. */
export const DB_CONNECTIONS: MetricSpec = {
  namespace: 'AWS/RDS',
  metricName: 'DatabaseConnections',
  stat: 'Maximum',
  sparse: false,
  unit: 'connections',
};

/** The connections series of one DB instance (dimension `DBInstanceIdentifier`). */
export function connectionQueries(dbInstanceIdentifier: string, spec: MetricSpec = DB_CONNECTIONS): MetricQuery[] {
  return [{ spec, dimensions: { DBInstanceIdentifier: dbInstanceIdentifier } }];
}

/** AWS starts a stopped DB instance or Aurora cluster again seven days after it was stopped. */
export const AUTO_RESTART_DAYS = 7;
export const AUTO_RESTART_MS = AUTO_RESTART_DAYS * 86_400_000;

/** The protection reason of a resource with deletion protection on (the app never switches it off). */
export const DELETION_PROTECTION_REASON = 'deletion protection is on (reported, never switched off)';

/** The warning of every stop action. */
export const STOP_WARNING =
  'AWS starts a stopped database again automatically after seven days, and it bills its compute again from then on: stop it again, or delete it, before that';

/** The stop-time estimate from AutomaticRestartTime (restart − 7 days), or null when AWS gives no restart time. */
export function stoppedSince(automaticRestartTime: Date | string | undefined | null): string | null {
  if (automaticRestartTime === undefined || automaticRestartTime === null) return null;
  const t = new Date(automaticRestartTime).getTime();
  return Number.isFinite(t) ? new Date(t - AUTO_RESTART_MS).toISOString() : null;
}

/** `2026-12-02 14:00 UTC`: a restart date in a sentence. */
export function utcMinute(d: Date | string): string {
  return `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The page size of RDS Describe* calls: the context's, clamped to 20–100. */
export function rdsPageSize(ctx: HandlerContext): number {
  return clampPageSize(ctx.pageSize, RDS_MIN_PAGE, RDS_MAX_PAGE);
}

// ---- error codes ----

/** The code of an RDS error (`DBInstanceNotFound`, `InvalidParameterCombination`, …). */
export const rdsErrorCode = (err: unknown): string => awsErrorCode(err);

/** A "not found" of any RDS resource (instance, cluster, snapshot, cluster snapshot). */
export function isRdsNotFound(err: unknown): boolean {
  return /^(DBInstanceNotFound|DBClusterNotFound|DBSnapshotNotFound|DBClusterSnapshotNotFound)(Fault)?$/.test(rdsErrorCode(err));
}

/** AWS's refusal to delete a resource with deletion protection on (InvalidParameterCombination "Cannot delete protected …"). */
export function isDeletionProtectionRefusal(code: string, message: string): boolean {
  return code === 'InvalidParameterCombination' && /deletion protection|cannot delete protected/i.test(message);
}

// ---- listings ----

/**
 * RDS's Marker paging, once for every Describe* listing: `send` one page (MaxRecords clamped to 20–100, the Marker of
 * the previous page), yield its items, follow the Marker until RDS gives none.
 */
async function* markerPages<T>(
  ctx: HandlerContext,
  page: (paging: { MaxRecords: number; Marker?: string }) => Promise<{ items: T[] | undefined; marker: string | undefined }>,
): AsyncIterable<T[]> {
  let marker: string | undefined;
  do {
    const res = await page({ MaxRecords: rdsPageSize(ctx), ...(marker ? { Marker: marker } : {}) });
    yield res.items ?? [];
    marker = res.marker || undefined;
  } while (marker !== undefined);
}

/** Paged DescribeDBInstances (all instances of the region, or the one named: DBInstanceNotFound when absent). */
export function dbInstancePages(ctx: HandlerContext, id?: string): AsyncIterable<DBInstance[]> {
  return markerPages(ctx, async (paging) => {
    const res = await ctx.client(RDSClient).send(
      new DescribeDBInstancesCommand({ ...(id !== undefined ? { DBInstanceIdentifier: id } : {}), ...paging }),
      { abortSignal: ctx.signal },
    );
    return { items: res.DBInstances, marker: res.Marker };
  });
}

/** One DB instance by identifier, or null when RDS says it does not exist. */
export async function describeDbInstance(ctx: HandlerContext, id: string): Promise<DBInstance | null> {
  try {
    for await (const page of dbInstancePages(ctx, id)) {
      const found = page.find((i) => i.DBInstanceIdentifier === id) ?? page[0];
      if (found !== undefined) return found;
    }
    return null;
  } catch (err) {
    if (isRdsNotFound(err)) return null;
    throw err;
  }
}

/**
 * Every DB instance of the region (paged DescribeDBInstances): in a scan, one listing the RDS kinds share (instances,
 * clusters' members, snapshots' sources); outside a scan, a listing of its own.
 */
export function regionDbInstancePages(ctx: HandlerContext): AsyncIterable<DBInstance[]> {
  return sharedPages(ctx, 'db-instances', () => dbInstancePages(ctx));
}

/** Every DB cluster of the region (paged DescribeDBClusters): in a scan, one listing shared by the RDS kinds. */
export function regionDbClusterPages(ctx: HandlerContext): AsyncIterable<DBCluster[]> {
  return sharedPages(ctx, 'db-clusters', () => dbClusterPages(ctx));
}

/** Paged DescribeDBClusters (all clusters of the region, or the one named). */
export function dbClusterPages(ctx: HandlerContext, id?: string): AsyncIterable<DBCluster[]> {
  return markerPages(ctx, async (paging) => {
    const res = await ctx.client(RDSClient).send(
      new DescribeDBClustersCommand({ ...(id !== undefined ? { DBClusterIdentifier: id } : {}), ...paging }),
      { abortSignal: ctx.signal },
    );
    return { items: res.DBClusters, marker: res.Marker };
  });
}

/** Paged DescribeDBSnapshots with the caller's filters (SnapshotType, DBSnapshotIdentifier, …). */
export function dbSnapshotPages(
  ctx: HandlerContext,
  input: Omit<DescribeDBSnapshotsCommandInput, 'Marker' | 'MaxRecords'> = {},
): AsyncIterable<DBSnapshot[]> {
  return markerPages(ctx, async (paging) => {
    const res = await ctx.client(RDSClient).send(new DescribeDBSnapshotsCommand({ ...input, ...paging }), { abortSignal: ctx.signal });
    return { items: res.DBSnapshots, marker: res.Marker };
  });
}

/** Paged DescribeDBClusterSnapshots with the caller's filters. */
export function dbClusterSnapshotPages(
  ctx: HandlerContext,
  input: Omit<DescribeDBClusterSnapshotsCommandInput, 'Marker' | 'MaxRecords'> = {},
): AsyncIterable<DBClusterSnapshot[]> {
  return markerPages(ctx, async (paging) => {
    const res = await ctx.client(RDSClient).send(new DescribeDBClusterSnapshotsCommand({ ...input, ...paging }), { abortSignal: ctx.signal });
    return { items: res.DBClusterSnapshots, marker: res.Marker };
  });
}

// ---- final snapshots ----

/** Longest DB snapshot / DB cluster snapshot identifier. */
export const RDS_SNAPSHOT_ID_MAX = 255;

/**
 * The final snapshot's deterministic identifier: `cloud-cleaner-final-<resource id>-<first 8 characters of the plan
 * id>`, made valid for RDS (lower-case letters, digits and single hyphens, a letter first, no trailing hyphen, at most
 * 255 characters). A retried cleanup of the same plan finds the snapshot its first attempt took.
 */
export function finalSnapshotId(resourceId: string, planId: string, max: number = RDS_SNAPSHOT_ID_MAX): string {
  const clean = (s: string): string => s.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  const prefix = 'cloud-cleaner-final';
  const plan = clean(planId.slice(0, 8));
  const room = max - prefix.length - 1 - (plan === '' ? 0 : plan.length + 1);
  const id = clean(clean(resourceId).slice(0, Math.max(0, room)));
  return [prefix, id, plan].filter((s) => s !== '').join('-');
}

/** The tag every snapshot the app creates carries: which plan made it. */
export const PLAN_TAG_KEY = 'cloud-cleaner:plan';

/** How long to wait between reads of a snapshot being created, and for how long in all. */
export const SNAPSHOT_POLL_MS = 15_000;
export const SNAPSHOT_WAIT_MS = 3_600_000;

export type SnapshotWait = { status: 'available' } | { status: 'failed'; detail: string } | { status: 'timeout'; detail: string };

/**
 * Reads the snapshot until it is `available` (poll `ctx.pollMs ?? 15 s`, at most `ctx.waitMs ?? 1 h`). `read` returns
 * its status, or null when RDS does not know it. A `failed` (or vanished) snapshot, or the deadline, ends the wait.
 */
export async function waitUntilAvailable(ctx: DeleteContext, what: string, read: () => Promise<string | null>): Promise<SnapshotWait> {
  const deadline = Date.now() + (ctx.waitMs ?? SNAPSHOT_WAIT_MS);
  for (;;) {
    ctx.signal?.throwIfAborted();
    const last = await read();
    if (last === 'available') return { status: 'available' };
    if (last === null || last === 'failed' || last === 'deleted' || last === 'deleting') {
      return { status: 'failed', detail: `${what} is ${last ?? 'gone'}` };
    }
    if (Date.now() >= deadline) return { status: 'timeout', detail: `${what} was still ${last} after ${Math.round((ctx.waitMs ?? SNAPSHOT_WAIT_MS) / 1000)} s` };
    await new Promise((r) => setTimeout(r, ctx.pollMs ?? SNAPSHOT_POLL_MS));
  }
}

/** The status of a DB snapshot by identifier, or null when it does not exist. */
export async function dbSnapshotStatus(ctx: HandlerContext, snapshotId: string): Promise<string | null> {
  try {
    for await (const page of dbSnapshotPages(ctx, { DBSnapshotIdentifier: snapshotId })) {
      const s = page[0];
      if (s !== undefined) return s.Status ?? 'unknown';
    }
    return null;
  } catch (err) {
    if (isRdsNotFound(err)) return null;
    throw err;
  }
}

/** The status of a DB cluster snapshot by identifier, or null when it does not exist. */
export async function dbClusterSnapshotStatus(ctx: HandlerContext, snapshotId: string): Promise<string | null> {
  try {
    for await (const page of dbClusterSnapshotPages(ctx, { DBClusterSnapshotIdentifier: snapshotId })) {
      const s = page[0];
      if (s !== undefined) return s.Status ?? 'unknown';
    }
    return null;
  } catch (err) {
    if (isRdsNotFound(err)) return null;
    throw err;
  }
}
