/**
 * Idle and stopped Aurora clusters (AWS-FACTS-BEYOND-EC2.md, kind 3). The cluster is the unit: its DB instances bill
 * instance hours, the cluster bills its storage volume, and deleting, stopping and snapshotting act on the cluster.
 *
 * Unused when
 * - **stopped**: no instance hours, but the storage still bills, and AWS starts it again by itself seven days after the
 *   stop (`AutomaticRestartTime`; since = that time − 7 days, unknown when AWS does not say);
 * - **idle**: `available`, older than the lookback, and `AWS/RDS DatabaseConnections` (daily Maximum, dimension
 *   DBInstanceIdentifier, published continuously: a missing day is unknown, never 0) is 0 every day for every DB
 *   instance of the cluster (AWS Trusted Advisor's rule for RDS, applied to each member; one busy member → in use, one
 *   unknown member → unknown);
 * - **without DB instances** (available, older than the lookback): nothing can connect; it bills storage only.
 *
 * Not judged (listed, never unused): Aurora Serverless v1 (`EngineMode` serverless: billed per ACU-hour, it pauses
 * itself), Multi-AZ DB clusters of RDS for MySQL/PostgreSQL (not Aurora: not covered here). DocumentDB and Neptune
 * clusters, which the same API lists, are skipped (other services, other bills). A cluster in a global database is
 * judged but protected (a secondary is often a disaster-recovery standby; AWS refuses to stop it, and deleting it needs
 * RemoveFromGlobalCluster first, which Cloud Cleaner never does).
 *
 * Protection: the protection tag on the cluster or on any of its DB instances (from the listings).
 *
 * The actions (final cluster snapshot, deleting the members then the cluster, stop), their refusals (deletion
 * protection, a stopped cluster) and the live reads are in rds-cluster-actions.ts.
 *
 * Cost: each member's instance hours (730 h × the engine and class's hourly price; classes come from one paged
 * DescribeDBInstances listing of the region) + the cluster volume (`AWS/RDS VolumeBytesUsed`, dimension
 * DBClusterIdentifier, daily Average, the latest day in the window, read in the same batched metrics request) × the
 * Aurora storage price (I/O-Optimized or Standard). A stopped cluster: storage only. The final snapshot of the default
 * action is a part created and kept, priced at the Aurora backup price × the volume size (an estimate: once the
 * cluster is gone no free allowance covers it).
 *
 * A scan makes listings (DescribeDBClusters, DescribeDBInstances) and batched metric calls, never a call per
 * resource. RDS has no DryRun: actions are verified by the re-check and an IAM permission check.
 */
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricQuery, MetricSeries, MetricSpec } from '../metrics/types';
import { auroraBackupStorageKey, auroraIoOptimizedInstanceHourKey, auroraStorageKey, rdsInstanceHourKey, RDS_PRICE_KEYS } from '../pricing/keys/rds';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH, type RegionPrices } from '../pricing/types';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, ItemParts, RecheckResult, ResourceHandler, StoredFinding } from './handler';
import { activityFields } from './metric-verdict';
import { CLUSTER_ACTIONS, clusterAction, clusterActionRefusal, DELETE, instancesById, isDelete, liveCluster, STOP } from './rds-cluster-actions';
import { connectionQueries, DELETION_PROTECTION_REASON, regionDbClusterPages, SERVICE_RDS, stoppedSince, utcMinute } from './rds-common';
import { storedNumber, storedString } from './parts';

// The actions live in rds-cluster-actions.ts; re-exported so imports of this module keep working.
export { CLUSTER_ACTIONS, clusterActionRefusal, DELETE, DELETE_WITHOUT_SNAPSHOT, finalSnapshotId, instancesById, STOP } from './rds-cluster-actions';

export const DB_CLUSTER_TYPE = 'rds:db-cluster';

/** The cluster volume's billed size, published per cluster. */
export const VOLUME_BYTES: MetricSpec = { namespace: 'AWS/RDS', metricName: 'VolumeBytesUsed', stat: 'Average', sparse: false, unit: 'bytes' };

const GIB = 1024 ** 3;

// ---- what the cluster is ----

type ClusterShape = 'aurora' | 'serverless-v1' | 'multi-az' | 'other-service';

function shapeOf(c: DBCluster): ClusterShape {
  const engine = c.Engine ?? '';
  if (engine.startsWith('aurora')) return c.EngineMode === 'serverless' ? 'serverless-v1' : 'aurora';
  if (engine === 'mysql' || engine === 'postgres') return 'multi-az';
  // docdb, neptune: listed by the same API, billed and managed as other services.
  return 'other-service';
}

interface Member {
  id: string;
  writer: boolean;
  instanceClass: string | null;
  status: string | null;
  tags: Record<string, string> | null;
}

function membersOf(c: DBCluster, instances: ReadonlyMap<string, DBInstance>): Member[] {
  return (c.DBClusterMembers ?? [])
    .filter((m) => m.DBInstanceIdentifier)
    .map((m) => {
      const i = instances.get(m.DBInstanceIdentifier!);
      return {
        id: m.DBInstanceIdentifier!,
        writer: m.IsClusterWriter === true,
        instanceClass: i?.DBInstanceClass ?? null,
        status: i?.DBInstanceStatus ?? null,
        tags: i ? tagsToRecord(i.TagList) : null,
      };
    });
}

// ---- metrics ----

interface Readings {
  activity: Activity | null;
  volume: { bytes: number; day: string } | null;
}

/** Connections of every member of the available clusters and the volume of every cluster: one batched request. */
async function readMetrics(ctx: HandlerContext, clusters: readonly { c: DBCluster; members: Member[] }[]): Promise<Map<string, Readings>> {
  const metrics = metricsOf(ctx);
  const judged = clusters.filter((x) => x.c.Status === 'available' && x.members.length > 0 && shapeOf(x.c) === 'aurora');
  const volumeQueries: MetricQuery[] = clusters.map((x) => ({ spec: VOLUME_BYTES, dimensions: { DBClusterIdentifier: x.c.DBClusterIdentifier ?? '' } }));
  // Both asked in the same turn: the engine sends them in the same GetMetricData calls.
  const [verdicts, volumes] = await Promise.all([
    judged.length === 0
      ? Promise.resolve([] as Activity[])
      : metrics.activity(
          judged.map((x) => ({
            createdAt: x.c.ClusterCreateTime ? new Date(x.c.ClusterCreateTime) : null,
            queries: x.members.flatMap((m) => connectionQueries(m.id)),
            activity: 'connections',
          })),
        ),
    volumeQueries.length === 0 ? Promise.resolve([] as MetricSeries[]) : metrics.fetch(volumeQueries),
  ]);
  const out = new Map<string, Readings>();
  clusters.forEach((x, i) => {
    const last = volumes[i]?.points.at(-1);
    out.set(x.c.DBClusterIdentifier ?? '', { activity: null, volume: last === undefined ? null : { bytes: last[1], day: last[0] } });
  });
  judged.forEach((x, i) => {
    const r = out.get(x.c.DBClusterIdentifier ?? '');
    if (r !== undefined) r.activity = verdicts[i] ?? null;
  });
  return out;
}

// ---- cost ----

interface Cost {
  monthlyCost: number | null;
  costBasis: string;
}

interface MemberCost extends Cost {
  id: string;
}

/** An instance of an I/O-Optimized cluster bills at the I/O-Optimized instance rate. */
function memberCost(m: Member, engine: string, ioOptimized: boolean, prices: RegionPrices | null): MemberCost {
  if (m.instanceClass === null) return { id: m.id, monthlyCost: null, costBasis: `Cost unknown: ${m.id} was not in the DB instance listing` };
  if (m.instanceClass === 'db.serverless') {
    return { id: m.id, monthlyCost: null, costBasis: `Cost unknown: ${m.id} is Aurora Serverless v2 (billed per ACU-hour, not estimated)` };
  }
  const key = ioOptimized ? auroraIoOptimizedInstanceHourKey(engine, m.instanceClass) : rdsInstanceHourKey(engine, m.instanceClass, false);
  const hour = key && prices ? price(prices, key) : null;
  const config = ioOptimized ? ' I/O-Optimized' : '';
  if (hour === null) return { id: m.id, monthlyCost: null, costBasis: `Cost unknown: no ${engine}${config} ${m.instanceClass} hourly price` };
  return { id: m.id, monthlyCost: roundCost(HOURS_PER_MONTH * hour), costBasis: `${m.id} ${m.instanceClass} ${HOURS_PER_MONTH} h × ${usd(hour)}` };
}

function computeCost(members: readonly MemberCost[], region: string): Cost {
  if (members.length === 0) return { monthlyCost: 0, costBasis: 'No DB instances: no instance hours' };
  const unknown = members.find((m) => m.monthlyCost === null);
  if (unknown !== undefined) return { monthlyCost: null, costBasis: unknown.costBasis };
  const total = members.reduce((s, m) => s + Math.round((m.monthlyCost ?? 0) * 1e6), 0) / 1e6;
  return { monthlyCost: roundCost(total), costBasis: `${members.map((m) => m.costBasis).join(' + ')} (${region})` };
}

function volumeGb(volume: Readings['volume']): number | null {
  return volume === null ? null : volume.bytes / GIB;
}

function storageCost(c: DBCluster, volume: Readings['volume'], prices: RegionPrices | null, region: string): Cost {
  const engine = c.Engine ?? '';
  const ioOptimized = c.StorageType === 'aurora-iopt1';
  const label = ioOptimized ? 'Aurora I/O-Optimized storage' : 'Aurora storage';
  const gb = volumeGb(volume);
  if (gb === null) return { monthlyCost: null, costBasis: `Cost unknown: no VolumeBytesUsed datapoint for the cluster volume in the lookback` };
  const key = auroraStorageKey(engine, ioOptimized);
  const rate = key && prices ? price(prices, key) : null;
  if (rate === null) return { monthlyCost: null, costBasis: `Cost unknown: no ${label} price (${engine}, ${region})` };
  const io = ioOptimized ? '' : '; I/O requests bill apart (not estimated)';
  return {
    monthlyCost: roundCost(gb * rate),
    costBasis: `${label} ${num(gb)} GB × ${usd(rate)} (VolumeBytesUsed on ${volume!.day}, ${region})${io}`,
  };
}

function finalSnapshotCost(c: DBCluster, volume: Readings['volume'], prices: RegionPrices | null, region: string): Cost {
  const engine = c.Engine ?? '';
  const gb = volumeGb(volume);
  if (gb === null) return { monthlyCost: null, costBasis: 'Cost unknown: the cluster volume size is unknown (no VolumeBytesUsed datapoint)' };
  const key = auroraBackupStorageKey(engine);
  const rate = key && prices ? price(prices, key) : null;
  if (rate === null) return { monthlyCost: null, costBasis: `Cost unknown: no Aurora backup storage price (${engine}, ${region})` };
  return {
    monthlyCost: roundCost(gb * rate),
    costBasis:
      `Estimate: Aurora backup storage ${num(gb)} GB (the cluster volume) × ${usd(rate)} (${region}); ` +
      'once the cluster is gone no free backup allowance covers it',
  };
}

function sumCosts(a: Cost, b: Cost): Cost {
  if (a.monthlyCost === null) return a;
  if (b.monthlyCost === null) return b;
  return { monthlyCost: roundCost(a.monthlyCost + b.monthlyCost), costBasis: `${a.costBasis}; ${b.costBasis}` };
}

// ---- the finding ----

interface Facts {
  c: DBCluster;
  members: Member[];
  readings: Readings;
}

function restartText(c: DBCluster): string {
  return c.AutomaticRestartTime
    ? `AWS starts it again automatically on ${utcMinute(c.AutomaticRestartTime)}`
    : 'AWS starts it again automatically seven days after it was stopped';
}

interface Verdict {
  unused: boolean;
  unusedReason: string | null;
  unusedSince: string | null;
  activity: string;
}

function verdictOf(ctx: HandlerContext, f: Facts): Verdict {
  const { c, members } = f;
  const shape = shapeOf(c);
  const none = (activity: string): Verdict => ({ unused: false, unusedReason: null, unusedSince: null, activity });
  if (shape === 'serverless-v1') return none('Not judged: Aurora Serverless v1 bills per ACU-hour and pauses itself when idle');
  if (shape === 'multi-az') return none(`Not judged: a Multi-AZ DB cluster of RDS for ${c.Engine ?? 'unknown'} (not Aurora) is not covered by this kind`);
  if (c.Status === 'stopped') {
    return {
      unused: true,
      unusedReason: `Stopped: its storage still bills, and ${restartText(c)}`,
      unusedSince: stoppedSince(c.AutomaticRestartTime),
      activity: 'Stopped: no connections possible',
    };
  }
  if (c.Status !== 'available') return none(`Not judged: the cluster is ${c.Status ?? 'in an unknown state'}`);
  if (members.length === 0) {
    const created = c.ClusterCreateTime ? new Date(c.ClusterCreateTime) : null;
    const window = metricsOf(ctx).window;
    if (created === null || created.getTime() > window.start.getTime()) {
      return none(`Not judged: no DB instances, but the cluster is ${created === null ? 'of unknown age' : 'younger than the lookback'}`);
    }
    return { unused: true, unusedReason: 'No DB instances: nothing can connect to it; it bills its storage only', unusedSince: null, activity: 'No DB instances' };
  }
  const a = f.readings.activity;
  if (a === null) return none('Not read');
  const v = activityFields(a);
  const across = members.length === 1 ? 'its DB instance' : `all ${members.length} of its DB instances`;
  return {
    unused: v.unused,
    unusedReason: v.unused ? `No connections to ${across}: ${v.unusedReason ?? ''}` : null,
    unusedSince: v.unusedSince,
    activity: v.activity,
  };
}

function protectionReasons(ctx: HandlerContext, f: Facts, tags: Record<string, string>): string[] {
  const out: string[] = [];
  const own = protectionByTag(tags, ctx.settings.protectionTagKey);
  if (own !== null) out.push(own);
  for (const m of f.members) {
    if (m.tags === null) continue;
    const t = protectionByTag(m.tags, ctx.settings.protectionTagKey);
    if (t !== null) out.push(`its DB instance ${m.id} is ${t.replace(/^Tagged/, 'tagged')}`);
  }
  if (f.c.GlobalClusterIdentifier) {
    out.push(
      `Member of the global database ${f.c.GlobalClusterIdentifier} (often a disaster-recovery standby): remove it from the global database yourself first`,
    );
  }
  return out;
}

function toFinding(ctx: HandlerContext, f: Facts): Finding {
  const { c, members, readings } = f;
  const id = c.DBClusterIdentifier ?? '';
  const tags = tagsToRecord(c.TagList);
  const engine = c.Engine ?? '';
  const aurora = shapeOf(c) === 'aurora';
  const memberCosts = members.map((m) => memberCost(m, engine, c.StorageType === 'aurora-iopt1', ctx.prices));
  const compute = aurora ? computeCost(memberCosts, ctx.region) : { monthlyCost: null, costBasis: 'Cost unknown: not an Aurora provisioned cluster' };
  const storage = aurora
    ? storageCost(c, readings.volume, ctx.prices, ctx.region)
    : { monthlyCost: null, costBasis: 'Cost unknown: not an Aurora provisioned cluster' };
  const stopped = c.Status === 'stopped';
  const own = stopped ? { ...storage, costBasis: `Stopped: no instance hours; ${storage.costBasis}` } : sumCosts(compute, storage);
  const v = verdictOf(ctx, f);
  const reasons = protectionReasons(ctx, f, tags);
  return {
    resourceType: DB_CLUSTER_TYPE,
    resourceId: id,
    region: ctx.region,
    name: tags['Name'] ?? null,
    state: c.Status ?? null,
    tags,
    createdAt: c.ClusterCreateTime ? new Date(c.ClusterCreateTime).toISOString() : null,
    unused: v.unused,
    unusedReason: v.unusedReason,
    unusedSince: v.unusedSince,
    monthlyCost: own.monthlyCost,
    costBasis: own.costBasis,
    protected: reasons.length > 0,
    protectedReason: reasons.length > 0 ? reasons.join('; ') : null,
    details: {
      engine,
      engineVersion: c.EngineVersion ?? null,
      engineMode: c.EngineMode ?? null,
      storageType: c.StorageType ?? null,
      clusterArn: c.DBClusterArn ?? null,
      members: members.map((m, i) => ({ ...m, monthlyCost: memberCosts[i]!.monthlyCost, costBasis: memberCosts[i]!.costBasis })),
      memberIds: members.map((m) => m.id),
      memberSummary: members.map((m) => `${m.id} (${m.instanceClass ?? 'class unknown'}${m.writer ? ', writer' : ''})`),
      volumeGiB: readings.volume === null ? null : roundCost(readings.volume.bytes / GIB),
      volumeDay: readings.volume?.day ?? null,
      automaticRestartTime: c.AutomaticRestartTime ? new Date(c.AutomaticRestartTime).toISOString() : null,
      deletionProtection: c.DeletionProtection === true,
      globalCluster: c.GlobalClusterIdentifier ?? null,
      replicationSource: c.ReplicationSourceIdentifier ?? null,
      activity: v.activity,
      compute,
      storage,
      finalSnapshot: aurora ? finalSnapshotCost(c, readings.volume, ctx.prices, ctx.region) : null,
      ...(readings.activity !== null ? { metrics: readings.activity } : {}),
    },
  };
}

// ---- the kind ----

function sameMembers(stored: Finding, current: Finding): boolean {
  const ids = (f: Finding): string[] => (Array.isArray(f.details['memberIds']) ? (f.details['memberIds'] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
  const a = new Set(ids(stored));
  const b = ids(current);
  return a.size === new Set(b).size && b.every((x) => a.has(x));
}

function costOf(x: unknown): Cost {
  const o = typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
  return { monthlyCost: storedNumber(o['monthlyCost']), costBasis: storedString(o['costBasis']) ?? 'Cost unknown: not priced by this scan' };
}

async function factsOf(ctx: HandlerContext, clusters: readonly DBCluster[], instances: ReadonlyMap<string, DBInstance>): Promise<Facts[]> {
  const withMembers = clusters.map((c) => ({ c, members: membersOf(c, instances) }));
  const readings = await readMetrics(ctx, withMembers);
  return withMembers.map((x) => ({ ...x, readings: readings.get(x.c.DBClusterIdentifier ?? '') ?? { activity: null, volume: null } }));
}

export const dbClustersHandler: ResourceHandler = {
    type: DB_CLUSTER_TYPE,
    label: 'Idle or stopped Aurora clusters',
    noun: 'Aurora cluster',
    consoleUrl: 'https://{host}/rds/home?region={region}#database:id={id};is-cluster=true',
    iam: {
      scan: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances', 'cloudwatch:GetMetricData'],
      action: [...new Set(CLUSTER_ACTIONS.flatMap((a) => a.iam))],
    },
    actionLabel: 'Delete',
    actions: CLUSTER_ACTIONS,
    verification: {
      method: 'permission-check',
      description:
        'RDS has no DryRun: each cluster is re-checked (status, DB instances, connections, protection) and IAM policy simulation says whether you may make the action’s calls',
    },
    priceKeys: RDS_PRICE_KEYS,
    detailFields: [
      { key: 'activity', label: 'Connections' },
      { key: 'engine', label: 'Engine' },
      { key: 'engineVersion', label: 'Engine version' },
      { key: 'memberSummary', label: 'DB instances', format: 'list', emptyText: 'None' },
      { key: 'volumeGiB', label: 'Cluster volume', unit: 'GiB' },
      { key: 'storageType', label: 'Storage type' },
      { key: 'automaticRestartTime', label: 'AWS starts it again on', format: 'datetime', emptyText: 'Not stopped' },
      { key: 'deletionProtection', label: 'Deletion protection', format: 'boolean' },
      { key: 'globalCluster', label: 'Global database', emptyText: 'None' },
      { key: 'replicationSource', label: 'Replica of', emptyText: 'Not a replica' },
    ],
    category: 'Database',
    serviceCodes: [SERVICE_RDS],
    billingServiceCode: SERVICE_RDS,
    deleteOrder: 51,
    listings: ['db-clusters', 'db-instances'],

    async *scan(ctx) {
      // The region's DB instances, listed once when the first page has clusters (member classes and tags).
      let instances: Promise<Map<string, DBInstance>> | undefined;
      for await (const page of regionDbClusterPages(ctx)) {
        ctx.signal?.throwIfAborted();
        const clusters = page.filter((c) => c.DBClusterIdentifier && shapeOf(c) !== 'other-service');
        if (clusters.length === 0) continue;
        instances ??= instancesById(ctx);
        const facts = await factsOf(ctx, clusters, await instances);
        yield facts.map((f) => toFinding(ctx, f));
      }
    },

    actionRefusal: clusterActionRefusal,

    async recheck(ctx, stored): Promise<RecheckResult> {
      const c = await liveCluster(ctx, stored.resourceId);
      if (c === null || c.Status === 'deleting') return { status: 'gone', reason: `The cluster ${c === null ? 'no longer exists' : 'is being deleted'}` };
      const [f] = await factsOf(ctx, [c], await instancesById(ctx, stored.resourceId));
      const current = toFinding(ctx, f!);
      if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
      if (isDelete(ctx.action) && current.details['deletionProtection'] === true) return { status: 'protected', reason: DELETION_PROTECTION_REASON, current };
      if (stored.state !== current.state) {
        return { status: 'changed', reason: `Status changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
      }
      if (!sameMembers(stored, current)) {
        const now = (current.details['memberIds'] as string[]).join(', ') || 'none';
        return { status: 'changed', reason: `Its DB instances changed since the review: now ${now}`, current };
      }
      if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer unused: ${String(current.details['activity'])}`, current };
      return { status: 'unchanged', current };
    },

    delete(ctx, stored: StoredFinding, { dryRun }): Promise<DeleteOutcome> {
      return clusterAction(ctx, stored, dryRun);
    },

    parts(finding, _settings, options): ItemParts {
      const action = options.action ?? DELETE;
      if (action === STOP) {
        const compute = costOf(finding.details['compute']);
        const storage = costOf(finding.details['storage']);
        return {
          own: { monthlyCost: compute.monthlyCost, costBasis: `${compute.costBasis}; stays billed while stopped: ${storage.costBasis}` },
          parts: [],
        };
      }
      const own = { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis };
      if (action !== DELETE) return { own, parts: [] };
      const snap = costOf(finding.details['finalSnapshot']);
      return {
        own,
        parts: [
          {
            resourceType: 'rds:snapshot',
            resourceId: `final snapshot of ${finding.resourceId}`,
            fate: 'kept',
            note: 'Taken before the delete, available before anything is deleted, and kept (tagged with the plan): you can restore the cluster from it',
            monthlyCost: snap.monthlyCost,
            costBasis: snap.costBasis,
            tags: {},
            protected: false,
            protectedReason: null,
            addable: false,
            created: true,
          },
        ],
      };
    },
};
