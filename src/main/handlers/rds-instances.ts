/**
 * Unused RDS DB instances (AWS-FACTS-BEYOND-EC2.md, kind 3): non-Aurora DB instances (MySQL, PostgreSQL, MariaDB,
 * Oracle, SQL Server, Db2). Aurora members, and members of Multi-AZ DB clusters, belong to their cluster (the
 * `rds:db-cluster` kind): an instance with a DBClusterIdentifier is not listed here.
 *
 * Unused when
 * - stopped: AWS bills its storage while it is stopped, and starts it again automatically seven days after the stop
 *   (AutomaticRestartTime; since = that − 7 days, or unknown when AWS gives none);
 * - idle: `available`, older than the lookback, and `AWS/RDS` `DatabaseConnections` (daily Maximum, dimension
 *   DBInstanceIdentifier; published continuously, so a missing day is unknown, never 0) is 0 on every day of the
 *   lookback. Any connection (RDS Proxy, a pooler, a monitoring agent) means in use.
 * Read replicas name their source; a source lists its replicas.
 *
 * Cost: instance hours (engine, class, Single-/Multi-AZ) + storage (GB-month × allocated, IOPS-month for io1/io2, gp3
 * IOPS above the baseline); a stopped instance bills its storage only. Unknown price → null, naming the price.
 *
 * Actions (delete with a final snapshot, delete without one, stop) and their refusals are in rds-instance-actions.ts.
 *
 *
 * A scan makes paged DescribeDBInstances calls (tags come with them) and batched GetMetricData through the metrics
 * engine, never a call per instance. RDS has no DryRun: the cleanup verifies by re-check and IAM permission check.
 */
import type { DBInstance } from '@aws-sdk/client-rds';
import { metricsOf } from '../metrics/context';
import type { Activity } from '../metrics/types';
import { rdsBackupStorageKey, rdsGp3ExtraIopsKey, rdsInstanceHourKey, rdsStorageKeys, RDS_PRICE_KEYS } from '../pricing/keys/rds';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH, type RegionPrices } from '../pricing/types';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, ItemParts, Part, RecheckResult, ResourceHandler } from './handler';
import { activityFields } from './metric-verdict';
import { storedNumber, storedString } from './parts';
import { DB_INSTANCE_ACTIONS, dbInstanceAction, dbInstanceActionRefusal, DELETE, DELETE_WITHOUT_SNAPSHOT, isReplica, STOP } from './rds-instance-actions';
import { connectionQueries, DELETION_PROTECTION_REASON, describeDbInstance, regionDbInstancePages, SERVICE_RDS, stoppedSince, utcMinute } from './rds-common';

// The actions live in rds-instance-actions.ts; re-exported so imports of this module keep working.
export { DB_INSTANCE_ACTIONS, dbInstanceActionRefusal, DELETE, DELETE_WITHOUT_SNAPSHOT, STOP } from './rds-instance-actions';

export const DB_INSTANCE_TYPE = 'rds:db-instance';

// ---- facts, cost ----

interface Facts {
  id: string;
  arn: string | null;
  engine: string;
  engineVersion: string | null;
  instanceClass: string;
  status: string;
  allocatedStorage: number;
  storageType: string;
  iops: number | null;
  storageThroughput: number | null;
  multiAz: boolean;
  createdAt: Date | null;
  deletionProtection: boolean;
  replicaSource: string | null;
  replicas: string[];
  automaticRestartTime: Date | null;
  tags: Record<string, string>;
  availabilityZone: string | null;
  licenseModel: string | null;
}

function factsOf(i: DBInstance): Facts {
  return {
    id: i.DBInstanceIdentifier ?? '',
    arn: i.DBInstanceArn ?? null,
    engine: i.Engine ?? 'unknown',
    engineVersion: i.EngineVersion ?? null,
    instanceClass: i.DBInstanceClass ?? 'unknown',
    status: i.DBInstanceStatus ?? 'unknown',
    allocatedStorage: i.AllocatedStorage ?? 0,
    storageType: i.StorageType ?? 'unknown',
    iops: i.Iops ?? null,
    storageThroughput: i.StorageThroughput ?? null,
    multiAz: i.MultiAZ === true,
    createdAt: i.InstanceCreateTime ? new Date(i.InstanceCreateTime) : null,
    deletionProtection: i.DeletionProtection === true,
    replicaSource: i.ReadReplicaSourceDBInstanceIdentifier || null,
    replicas: i.ReadReplicaDBInstanceIdentifiers ?? [],
    automaticRestartTime: i.AutomaticRestartTime ? new Date(i.AutomaticRestartTime) : null,
    tags: tagsToRecord(i.TagList),
    availabilityZone: i.AvailabilityZone ?? null,
    licenseModel: i.LicenseModel ?? null,
  };
}

interface Cost {
  monthlyCost: number | null;
  costBasis: string;
}

const deployment = (multiAz: boolean): string => (multiAz ? 'Multi-AZ' : 'Single-AZ');

function computeCost(f: Facts, prices: RegionPrices | null, region: string): Cost {
  const key = rdsInstanceHourKey(f.engine, f.instanceClass, f.multiAz);
  const hour = key && prices ? price(prices, key) : null;
  const what = `${f.engine} ${f.instanceClass} ${deployment(f.multiAz)}`;
  if (hour === null) return { monthlyCost: null, costBasis: `no ${what} instance-hour price (${region})` };
  return { monthlyCost: roundCost(HOURS_PER_MONTH * hour), costBasis: `${what} ${HOURS_PER_MONTH} h × ${usd(hour)} (${region})` };
}

/** gp3's included IOPS and throughput (RDS User Guide, "gp3 storage"): by engine and allocated size. */
function gp3Baseline(f: Facts): { iops: number; throughput: number } {
  if (f.engine.startsWith('sqlserver')) return { iops: 3000, throughput: 125 };
  const threshold = f.engine.startsWith('oracle') ? 200 : 400;
  return f.allocatedStorage < threshold ? { iops: 3000, throughput: 125 } : { iops: 12000, throughput: 500 };
}

function storageCost(f: Facts, prices: RegionPrices | null, region: string): Cost {
  const keys = rdsStorageKeys(f.storageType, f.multiAz);
  const what = `${f.storageType} ${deployment(f.multiAz)}`;
  const gb = keys.storage && prices ? price(prices, keys.storage) : null;
  if (gb === null) return { monthlyCost: null, costBasis: `no ${what} storage price per GB-month (${region})` };
  let total = f.allocatedStorage * gb;
  const terms = [`${what} ${num(f.allocatedStorage)} GiB × ${usd(gb)}`];
  if (keys.iops) {
    const iops = f.iops ?? 0;
    const p = prices ? price(prices, keys.iops) : null;
    if (p === null) return { monthlyCost: null, costBasis: `no ${what} provisioned IOPS price (${region})` };
    total += iops * p;
    terms.push(`${num(iops)} IOPS × ${usd(p)}`);
  } else if (f.storageType === 'gp3') {
    const base = gp3Baseline(f);
    const extraIops = Math.max(0, (f.iops ?? 0) - base.iops);
    if (extraIops > 0) {
      const p = prices ? price(prices, rdsGp3ExtraIopsKey(f.multiAz)) : null;
      if (p === null) return { monthlyCost: null, costBasis: `no gp3 ${deployment(f.multiAz)} price for IOPS above the included ${num(base.iops)} (${region})` };
      total += extraIops * p;
      terms.push(`${num(extraIops)} IOPS above the included ${num(base.iops)} × ${usd(p)}`);
    }
    if ((f.storageThroughput ?? 0) > base.throughput) {
      return { monthlyCost: null, costBasis: `no price for gp3 throughput above the included ${base.throughput} MiB/s (${region})` };
    }
  }
  return { monthlyCost: roundCost(total), costBasis: `${terms.join(' + ')} (${region})` };
}

/** The final snapshot's storage, an upper bound: backup storage × the allocated GiB. */
function finalSnapshotCost(f: Facts, prices: RegionPrices | null, region: string): Cost {
  const key = rdsBackupStorageKey();
  const gb = key && prices ? price(prices, key) : null;
  if (gb === null) return { monthlyCost: null, costBasis: `Cost unknown: no RDS backup storage price per GB-month (${region})` };
  return {
    monthlyCost: roundCost(f.allocatedStorage * gb),
    costBasis:
      `At most ${num(f.allocatedStorage)} GiB × ${usd(gb)} backup storage (${region}): an upper bound — the snapshot bills for the data it holds, ` +
      'not the allocated size, and the free backup allowance goes with the database',
  };
}

const sum = (a: Cost, b: Cost): number | null => (a.monthlyCost === null || b.monthlyCost === null ? null : roundCost(a.monthlyCost + b.monthlyCost));

// ---- the finding ----

function toFinding(ctx: HandlerContext, f: Facts, activity: Activity | null): Finding {
  const compute = computeCost(f, ctx.prices, ctx.region);
  const storage = storageCost(f, ctx.prices, ctx.region);
  const snapshot = finalSnapshotCost(f, ctx.prices, ctx.region);
  const stopped = f.status === 'stopped';
  const replicaOf = f.replicaSource !== null ? `Read replica of ${f.replicaSource}` : null;
  const replicasNote =
    f.replicas.length > 0 ? `; it has read replicas (${f.replicas.join(', ')}), which AWS promotes to standalone instances if it is deleted` : '';

  let unused = false;
  let unusedReason: string | null = null;
  let unusedSince: string | null = null;
  let activityText: string;
  if (stopped) {
    unused = true;
    const restart =
      f.automaticRestartTime !== null
        ? `AWS starts it again automatically on ${utcMinute(f.automaticRestartTime)}`
        : 'AWS starts it again automatically seven days after the stop (it gives no date)';
    unusedReason = `${replicaOf ? `${replicaOf}: ` : ''}Stopped: billed for its storage while stopped (${num(f.allocatedStorage)} GiB ${f.storageType}); ${restart}${replicasNote}${f.deletionProtection ? '; deletion protection is on: it cannot be deleted' : ''}`;
    unusedSince = stoppedSince(f.automaticRestartTime);
    activityText = 'Not judged: stopped';
  } else if (f.status === 'available' && activity !== null) {
    const a = activityFields(activity);
    activityText = a.activity;
    if (a.unused) {
      unused = true;
      unusedReason = `${replicaOf ? `${replicaOf}: ` : ''}${a.unusedReason ?? ''}${replicasNote}${f.deletionProtection ? '; deletion protection is on: it can be stopped, not deleted' : ''}`;
      unusedSince = a.unusedSince;
    }
  } else {
    activityText = f.status === 'available' ? 'Not read' : `Not judged: ${f.status}`;
  }

  // Deletion protection blocks the deletes, not a stop: it refuses those actions (actionRefusal, the re-check and the
  // delete itself), as for Aurora clusters; only the protection tag keeps the instance out of every plan.
  const protections = [protectionByTag(f.tags, ctx.settings.protectionTagKey)].filter((r): r is string => r !== null);
  const own: Cost = stopped
    ? {
        monthlyCost: storage.monthlyCost,
        costBasis: storage.monthlyCost === null ? `Cost unknown: ${storage.costBasis}` : `Stopped: storage only, ${storage.costBasis}; no instance hours while stopped`,
      }
    : {
        monthlyCost: sum(compute, storage),
        costBasis:
          compute.monthlyCost === null || storage.monthlyCost === null
            ? `Cost unknown: ${[compute, storage].filter((c) => c.monthlyCost === null).map((c) => c.costBasis).join('; ')}`
            : `${compute.costBasis} + ${storage.costBasis}`,
      };
  const storageText = [
    `${num(f.allocatedStorage)} GiB ${f.storageType}`,
    f.iops !== null ? `${num(f.iops)} IOPS` : null,
    f.storageThroughput !== null ? `${num(f.storageThroughput)} MiB/s` : null,
  ]
    .filter((s) => s !== null)
    .join(', ');

  return {
    resourceType: DB_INSTANCE_TYPE,
    resourceId: f.id,
    region: ctx.region,
    name: f.tags['Name'] ?? f.id,
    state: f.status,
    tags: f.tags,
    createdAt: f.createdAt?.toISOString() ?? null,
    unused,
    unusedReason,
    unusedSince,
    monthlyCost: own.monthlyCost,
    costBasis: own.costBasis,
    protected: protections.length > 0,
    protectedReason: protections.length > 0 ? protections.join('; ') : null,
    details: {
      arn: f.arn,
      engine: f.engineVersion !== null ? `${f.engine} ${f.engineVersion}` : f.engine,
      engineName: f.engine,
      instanceClass: f.instanceClass,
      storage: storageText,
      storageType: f.storageType,
      allocatedStorage: f.allocatedStorage,
      iops: f.iops,
      storageThroughput: f.storageThroughput,
      multiAz: f.multiAz,
      status: f.status,
      automaticRestartTime: f.automaticRestartTime?.toISOString() ?? null,
      readReplicaSource: f.replicaSource,
      readReplicas: f.replicas,
      deletionProtection: f.deletionProtection,
      availabilityZone: f.availabilityZone,
      licenseModel: f.licenseModel,
      activity: activityText,
      // What parts() prices each action from (it reads the stored finding only).
      computeMonthlyCost: compute.monthlyCost,
      computeCostBasis: compute.costBasis,
      storageMonthlyCost: storage.monthlyCost,
      storageCostBasis: storage.costBasis,
      finalSnapshotMonthlyCost: snapshot.monthlyCost,
      finalSnapshotCostBasis: snapshot.costBasis,
      ...(activity !== null ? { metrics: activity } : {}),
    },
  };
}

/** Connection verdicts of the available instances of a page, in one batched request to the metrics engine. */
async function judge(ctx: HandlerContext, facts: readonly Facts[]): Promise<Map<string, Activity>> {
  const available = facts.filter((f) => f.status === 'available');
  if (available.length === 0) return new Map();
  const verdicts = await metricsOf(ctx).activity(
    available.map((f) => ({ createdAt: f.createdAt, queries: connectionQueries(f.id), activity: 'connections' })),
  );
  return new Map(available.map((f, i) => [f.id, verdicts[i]!]));
}

/** Aurora and Multi-AZ DB cluster members belong to their cluster's kind. */
const standalone = (i: DBInstance): boolean => Boolean(i.DBInstanceIdentifier) && !i.DBClusterIdentifier;

function partsFor(finding: Finding, action: string | undefined): ItemParts {
  const d = finding.details;
  const computeCost = storedNumber(d['computeMonthlyCost']);
  const computeBasis = storedString(d['computeCostBasis']) ?? 'instance hours: not priced by this scan';
  const storageBasis = storedString(d['storageCostBasis']) ?? 'storage: not priced by this scan';
  if (action === STOP) {
    const stays = `its storage stays billed (${storageBasis})`;
    return {
      own: {
        monthlyCost: finding.state === 'stopped' ? 0 : computeCost,
        costBasis: computeCost === null ? `Cost unknown: ${computeBasis}; ${stays}` : `Instance hours saved: ${computeBasis}; ${stays}`,
      },
      parts: [],
    };
  }
  const own = { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis };
  if (action === DELETE_WITHOUT_SNAPSHOT || isReplica(finding)) return { own, parts: [] };
  const snapshot: Part = {
    resourceType: 'rds:snapshot',
    resourceId: `final snapshot of ${finding.resourceId}`,
    fate: 'kept',
    note: 'Taken before the instance is deleted, and kept (tagged with the plan): it bills as backup storage until you delete it',
    monthlyCost: storedNumber(d['finalSnapshotMonthlyCost']),
    costBasis: storedString(d['finalSnapshotCostBasis']) ?? 'Cost unknown: not priced by this scan',
    tags: {},
    protected: false,
    protectedReason: null,
    addable: false,
    created: true,
  };
  return { own, parts: [snapshot] };
}

export const dbInstancesHandler: ResourceHandler = {
  type: DB_INSTANCE_TYPE,
  label: 'Idle or stopped RDS DB instances',
  noun: 'DB instance',
  consoleUrl: 'https://{host}/rds/home?region={region}#database:id={id}',
  iam: {
    scan: ['rds:DescribeDBInstances', 'cloudwatch:GetMetricData'],
    action: [...new Set(DB_INSTANCE_ACTIONS.flatMap((a) => a.iam))],
  },
  actionLabel: 'Delete',
  actions: DB_INSTANCE_ACTIONS,
  verification: {
    method: 'permission-check',
    description:
      'RDS has no DryRun: each DB instance is re-checked (status, connections, deletion protection) and IAM policy simulation says whether you may make the chosen action’s calls',
  },
  priceKeys: RDS_PRICE_KEYS,
  detailFields: [
    { key: 'activity', label: 'Connections' },
    { key: 'status', label: 'Status' },
    { key: 'automaticRestartTime', label: 'AWS starts it again on', format: 'datetime', emptyText: 'Not stopped' },
    { key: 'engine', label: 'Engine' },
    { key: 'instanceClass', label: 'Instance class' },
    { key: 'storage', label: 'Storage' },
    { key: 'multiAz', label: 'Multi-AZ', format: 'boolean' },
    { key: 'readReplicaSource', label: 'Read replica of', emptyText: 'Not a read replica' },
    { key: 'readReplicas', label: 'Read replicas', format: 'list', emptyText: 'None' },
    { key: 'deletionProtection', label: 'Deletion protection', format: 'boolean' },
    { key: 'availabilityZone', label: 'Availability Zone' },
    { key: 'licenseModel', label: 'License model' },
    { key: 'finalSnapshotCostBasis', label: 'Final snapshot (delete)' },
  ],
  category: 'Database',
  serviceCodes: [SERVICE_RDS],
  billingServiceCode: SERVICE_RDS,
  deleteOrder: 50,
  listings: ['db-instances'],

  async *scan(ctx) {
    for await (const page of regionDbInstancePages(ctx)) {
      ctx.signal?.throwIfAborted();
      const facts = page.filter(standalone).map(factsOf);
      if (facts.length === 0) continue;
      const verdicts = await judge(ctx, facts);
      yield facts.map((f) => toFinding(ctx, f, verdicts.get(f.id) ?? null));
    }
  },

  actionRefusal: dbInstanceActionRefusal,

  async recheck(ctx, stored): Promise<RecheckResult> {
    const i = await describeDbInstance(ctx, stored.resourceId);
    if (i === null) return { status: 'gone', reason: 'The DB instance no longer exists' };
    if (i.DBInstanceStatus === 'deleting') return { status: 'gone', reason: 'The DB instance is being deleted' };
    const f = factsOf(i);
    const current = toFinding(ctx, f, (await judge(ctx, [f])).get(f.id) ?? null);
    const action = ctx.action ?? DELETE;
    const byTag = protectionByTag(f.tags, ctx.settings.protectionTagKey);
    if (byTag !== null) return { status: 'protected', reason: byTag, current };
    // Deletion protection blocks deleting, not stopping.
    if (action !== STOP && f.deletionProtection) return { status: 'protected', reason: DELETION_PROTECTION_REASON, current };
    if (stored.state !== current.state) {
      return { status: 'changed', reason: `Status changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
    }
    if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer unused: ${String(current.details['activity'])}`, current };
    const refusal = dbInstanceActionRefusal(current, action);
    if (refusal !== null) return { status: 'changed', reason: refusal, current };
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    return dbInstanceAction(ctx, stored, dryRun);
  },

  parts(finding, _settings, options): ItemParts {
    return partsFor(finding, options.action);
  },
};
