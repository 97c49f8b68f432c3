/**
 * Idle Redshift provisioned clusters (AWS-FACTS-BEYOND-EC2.md, kind 11). A cluster bills every node-hour while it
 * runs; RA3 clusters also bill their managed storage (RMS) per GB, running or paused. DC2 storage is part of the node
 * price.
 *
 * Idle: `available`, older than the lookback, and `AWS/Redshift` `DatabaseConnections` (daily Maximum, dimension
 * `ClusterIdentifier`, published continuously while it runs: a missing day is unknown, never 0) is 0 every day.
 * Paused: "While the cluster is paused, on-demand billing is suspended. Only the cluster's storage incurs charges"
 * (management guide, Pausing and resuming clusters). A paused cluster is reported unused when it is older than the
 * lookback and no day of the lookback shows a connection (a cluster paused and resumed on a schedule shows them, and is
 * in use); what it costs is its storage only — RA3 managed storage, priced from its data; a paused DC2 cluster's storage
 * charge is not priced here (unknown).
 *
 * The data a cluster holds is measured by its latest automated snapshot's TotalBackupSizeInMegaBytes (one paged
 * DescribeClusterSnapshots listing per region): it prices RA3 managed storage and estimates a final snapshot. None
 * listed (automated snapshots off) → unknown, named in the cost basis.
 *
 * Actions: see redshift-actions.ts (`delete` keeps a final snapshot; `delete-without-snapshot`; `pause`). Redshift
 * has no DryRun: the cleanup verifies by the re-check and an IAM permission check.
 */
import {
  DescribeClustersCommand,
  DescribeClusterSnapshotsCommand,
  RedshiftClient,
  type Cluster,
  type Snapshot,
} from '@aws-sdk/client-redshift';
import { awsErrorCode } from '../aws/errors';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricSpec } from '../metrics/types';
import { price } from '../pricing/price-key';
import { REDSHIFT_PRICE_KEYS, redshiftBackupStorageKey, redshiftManagedStorageKey, redshiftNodeHourKey } from '../pricing/keys/redshift';
import { HOURS_PER_MONTH, type RatePriceKey, type RegionPrices } from '../pricing/types';
import { clampPageSize } from './ec2-common';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { Finding, HandlerContext, ItemParts, Part, RecheckResult, ResourceHandler } from './handler';
import { activityFields } from './metric-verdict';
import { storedNumber, storedString } from './parts';
import { deleteRedshift, REDSHIFT_ACTIONS, redshiftRefusal } from './redshift-actions';

export { PAUSED_DELETE_REFUSAL, REDSHIFT_ACTIONS } from './redshift-actions';

export const REDSHIFT_TYPE = 'redshift:cluster';
/** Cost Explorer's "Amazon Redshift" (discovery/service-catalog.ts). */
export const SERVICE_REDSHIFT = 'AmazonRedshift';

export const DATABASE_CONNECTIONS: MetricSpec = { namespace: 'AWS/Redshift', metricName: 'DatabaseConnections', stat: 'Maximum', sparse: false, unit: 'connections' };

interface Cost {
  monthlyCost: number | null;
  costBasis: string;
}

interface RsFacts {
  id: string;
  nodeType: string | null;
  nodes: number;
  status: string | null;
  createdAt: Date | null;
  tags: Record<string, string>;
  totalStorageMb: number | null;
  automatedRetention: number | null;
  namespaceArn: string | null;
  /** The latest automated snapshot's size: the data the cluster holds. */
  data: { mb: number; at: string } | null;
}

const isRa3 = (f: Pick<RsFacts, 'nodeType'>): boolean => f.nodeType?.startsWith('ra3.') === true;

function facts(c: Cluster, data: RsFacts['data']): RsFacts {
  return {
    id: c.ClusterIdentifier ?? '',
    nodeType: c.NodeType ?? null,
    nodes: c.NumberOfNodes ?? 1,
    status: c.ClusterStatus ?? null,
    createdAt: c.ClusterCreateTime ? new Date(c.ClusterCreateTime) : null,
    tags: tagsToRecord(c.Tags),
    totalStorageMb: c.TotalStorageCapacityInMegaBytes ?? null,
    automatedRetention: c.AutomatedSnapshotRetentionPeriod ?? null,
    namespaceArn: c.ClusterNamespaceArn ?? null,
    data,
  };
}

// ---- prices ----

export interface RedshiftKeys {
  nodeHour(nodeType: string): RatePriceKey | undefined;
  managedStorage(): RatePriceKey | undefined;
  backupStorage(): RatePriceKey | undefined;
}

const DEFAULT_KEYS: RedshiftKeys = { nodeHour: redshiftNodeHourKey, managedStorage: redshiftManagedStorageKey, backupStorage: redshiftBackupStorageKey };

const rate = (prices: RegionPrices | null, key: RatePriceKey | undefined): number | null => (prices === null || key === undefined ? null : price(prices, key));
const gb = (mb: number): number => Math.round((mb / 1024) * 1000) / 1000;

function computeCost(f: RsFacts, prices: RegionPrices | null, region: string, keys: RedshiftKeys): Cost {
  const hour = f.nodeType === null ? null : rate(prices, keys.nodeHour(f.nodeType));
  if (hour === null) return { monthlyCost: null, costBasis: `Cost unknown: no Redshift ${f.nodeType ?? 'node type'} node-hour price for ${region}` };
  return { monthlyCost: roundCost(f.nodes * HOURS_PER_MONTH * hour), costBasis: `${f.nodes} ${f.nodeType ?? ''} node${f.nodes === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h × ${usd(hour)}` };
}

/** RA3 managed storage of the data it holds; DC2 storage is in the node price (null: not a separate charge). */
function storageCost(f: RsFacts, prices: RegionPrices | null, region: string, keys: RedshiftKeys): Cost | null {
  if (!isRa3(f)) return null;
  if (f.data === null) return { monthlyCost: null, costBasis: 'RA3 managed storage unknown: no automated snapshot measures its data' };
  const p = rate(prices, keys.managedStorage());
  const size = `RA3 managed storage ≈ ${num(gb(f.data.mb))} GB (its automated snapshot of ${f.data.at})`;
  if (p === null) return { monthlyCost: null, costBasis: `${size}: no managed storage price for ${region}` };
  return { monthlyCost: roundCost(gb(f.data.mb) * p), costBasis: `${size} × ${usd(p)} per GB-month` };
}

/** What it bills now: node hours (unless paused) plus RA3 managed storage. */
function ownCost(f: RsFacts, compute: Cost, storage: Cost | null, region: string): Cost {
  if (f.status === 'paused') {
    if (storage === null) return { monthlyCost: null, costBasis: `Paused: no node hours; the storage of a paused ${f.nodeType ?? ''} cluster is billed but not priced here` };
    return { monthlyCost: storage.monthlyCost, costBasis: `Paused: no node hours; ${storage.costBasis} (${region})` };
  }
  if (storage === null) return compute.monthlyCost === null ? compute : { monthlyCost: compute.monthlyCost, costBasis: `${compute.costBasis} (${region}); storage included in the node price` };
  if (compute.monthlyCost === null) return compute;
  // Never a partial sum presented as the whole: the node hours are known, the storage is not, so the total is unknown
  // (the node hours alone are what a pause saves: see the pause action's parts).
  if (storage.monthlyCost === null) return { monthlyCost: null, costBasis: `Cost unknown: ${storage.costBasis}; the nodes alone: ${compute.costBasis} (${region})` };
  return { monthlyCost: roundCost(compute.monthlyCost + storage.monthlyCost), costBasis: `${compute.costBasis} + ${storage.costBasis} (${region})` };
}

function finalSnapshotCost(f: RsFacts, prices: RegionPrices | null, region: string, keys: RedshiftKeys): Cost {
  if (f.data === null) return { monthlyCost: null, costBasis: 'Cost unknown: its size is not known before it is taken (no automated snapshot measures the data)' };
  const ra3 = isRa3(f);
  const p = rate(prices, ra3 ? keys.managedStorage() : keys.backupStorage());
  const size = `≈ ${num(gb(f.data.mb))} GB (its automated snapshot of ${f.data.at})`;
  if (p === null) return { monthlyCost: null, costBasis: `Cost unknown: no Redshift ${ra3 ? 'managed' : 'backup'} storage price for ${region}; size ${size}` };
  const tail = ra3 ? 'per GB-month (RA3 snapshots bill as managed storage)' : 'per GB-month of backup storage (the free allowance of your other clusters not counted)';
  return { monthlyCost: roundCost(gb(f.data.mb) * p), costBasis: `${size} × ${usd(p)} ${tail} (${region})` };
}

// ---- the verdict and the finding ----

/** Statuses a verdict is made in. */
const JUDGED = new Set(['available', 'paused']);

function verdict(f: RsFacts, a: Activity | null): { unused: boolean; unusedReason: string | null; unusedSince: string | null; activity: string } {
  if (!JUDGED.has(f.status ?? '') || a === null) return { unused: false, unusedReason: null, unusedSince: null, activity: `Not judged: ${f.status ?? 'unknown status'}` };
  const v = activityFields(a);
  if (f.status === 'available') return v;
  // Paused: nothing can connect now; in use only if it had connections in the lookback (paused and resumed).
  if (a.verdict === 'active') return { ...v, activity: `Paused now, but ${v.activity.replace(/^In use: /, '')}: paused and resumed within the lookback` };
  if (f.createdAt === null || f.createdAt.getTime() > Date.parse(`${a.window.start}T00:00:00.000Z`)) {
    return { unused: false, unusedReason: null, unusedSince: null, activity: 'Paused; too young to judge (created inside the lookback)' };
  }
  return {
    unused: true,
    unusedReason: `Paused, and no connection on any day of the ${a.window.days}-day lookback (from ${a.window.start}): no node hours, but its storage keeps billing`,
    unusedSince: null,
    activity: `Paused: no connection in ${a.window.days} days`,
  };
}

function toFinding(ctx: HandlerContext, f: RsFacts, a: Activity | null, keys: RedshiftKeys): Finding {
  const protectedReason = protectionByTag(f.tags, ctx.settings.protectionTagKey);
  const compute = computeCost(f, ctx.prices, ctx.region, keys);
  const storage = storageCost(f, ctx.prices, ctx.region, keys);
  const own = ownCost(f, compute, storage, ctx.region);
  const v = verdict(f, a);
  const snapshot = finalSnapshotCost(f, ctx.prices, ctx.region, keys);
  return {
    resourceType: REDSHIFT_TYPE,
    resourceId: f.id,
    region: ctx.region,
    name: f.tags['Name'] ?? null,
    state: f.status,
    tags: f.tags,
    createdAt: f.createdAt?.toISOString() ?? null,
    unused: v.unused,
    unusedReason: v.unusedReason,
    unusedSince: v.unusedSince,
    monthlyCost: own.monthlyCost,
    costBasis: own.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      nodeType: f.nodeType,
      numberOfNodes: f.nodes,
      ra3: isRa3(f),
      namespaceArn: f.namespaceArn,
      totalStorageCapacityGB: f.totalStorageMb === null ? null : gb(f.totalStorageMb),
      dataGB: f.data === null ? null : gb(f.data.mb),
      dataMeasuredOn: f.data?.at ?? null,
      automatedSnapshotRetentionPeriod: f.automatedRetention,
      activity: v.activity,
      compute: { monthlyCost: f.status === 'paused' ? 0 : compute.monthlyCost, costBasis: f.status === 'paused' ? 'Paused: no node hours' : `${compute.costBasis} (${ctx.region})` },
      storage: storage === null ? null : { monthlyCost: storage.monthlyCost, costBasis: `${storage.costBasis} (${ctx.region})` },
      finalSnapshot: { monthlyCost: snapshot.monthlyCost, costBasis: snapshot.costBasis },
      ...(a !== null ? { metrics: a } : {}),
    },
  };
}

// ---- reading AWS ----

async function* clusterPages(ctx: HandlerContext, id?: string): AsyncIterable<Cluster[]> {
  let marker: string | undefined;
  do {
    const out = await ctx.client(RedshiftClient).send(
      new DescribeClustersCommand({ ...(id ? { ClusterIdentifier: id } : { MaxRecords: clampPageSize(ctx.pageSize, 20, 100) }), ...(marker ? { Marker: marker } : {}) }),
      { abortSignal: ctx.signal },
    );
    yield out.Clusters ?? [];
    marker = out.Marker || undefined;
  } while (marker !== undefined);
}

/** The latest automated snapshot of each cluster (one paged listing; or one cluster's, for the re-check). */
async function dataByCluster(ctx: HandlerContext, clusterId?: string): Promise<Map<string, { mb: number; at: string }>> {
  const latest = new Map<string, Snapshot>();
  let marker: string | undefined;
  do {
    const out = await ctx.client(RedshiftClient).send(
      new DescribeClusterSnapshotsCommand({
        SnapshotType: 'automated',
        ...(clusterId ? { ClusterIdentifier: clusterId } : {}),
        MaxRecords: clampPageSize(ctx.pageSize, 20, 100),
        ...(marker ? { Marker: marker } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    for (const s of out.Snapshots ?? []) {
      if (!s.ClusterIdentifier || s.Status !== 'available' || s.TotalBackupSizeInMegaBytes === undefined) continue;
      const prev = latest.get(s.ClusterIdentifier);
      if (prev === undefined || new Date(s.SnapshotCreateTime ?? 0) > new Date(prev.SnapshotCreateTime ?? 0)) latest.set(s.ClusterIdentifier, s);
    }
    marker = out.Marker || undefined;
  } while (marker !== undefined);
  return new Map(
    [...latest].map(([id, s]) => [id, { mb: s.TotalBackupSizeInMegaBytes ?? 0, at: s.SnapshotCreateTime ? new Date(s.SnapshotCreateTime).toISOString().slice(0, 10) : 'an unknown date' }]),
  );
}

async function judge(ctx: HandlerContext, list: readonly RsFacts[]): Promise<(Activity | null)[]> {
  const judged = list.filter((f) => JUDGED.has(f.status ?? ''));
  const verdicts =
    judged.length === 0
      ? []
      : await metricsOf(ctx).activity(judged.map((f) => ({ createdAt: f.createdAt, queries: [{ spec: DATABASE_CONNECTIONS, dimensions: { ClusterIdentifier: f.id } }], activity: 'connections' })));
  const at = new Map(judged.map((f, i) => [f, verdicts[i] ?? null]));
  return list.map((f) => at.get(f) ?? null);
}

const isNotFound = (err: unknown): boolean => /^ClusterNotFound(Fault)?$/.test(awsErrorCode(err));

// ---- the kind ----

/** The kind, with its price keys (tests pass their own). */
export function createRedshiftClustersHandler(keys: RedshiftKeys = DEFAULT_KEYS): ResourceHandler {
  return {
    type: REDSHIFT_TYPE,
    label: 'Idle Redshift clusters',
    noun: 'Redshift cluster',
    consoleUrl: 'https://{host}/redshiftv2/home?region={region}#cluster-details?cluster={id}',
    iam: {
      scan: ['redshift:DescribeClusters', 'redshift:DescribeClusterSnapshots', 'cloudwatch:GetMetricData'],
      action: [...new Set(REDSHIFT_ACTIONS.flatMap((a) => a.iam))],
    },
    actionLabel: 'Delete',
    actions: REDSHIFT_ACTIONS,
    verification: {
      method: 'permission-check',
      description: 'Redshift has no DryRun: each cluster is re-checked (status, latest connections, tags) and IAM policy simulation says whether you may take the chosen action',
    },
    priceKeys: REDSHIFT_PRICE_KEYS,
    detailFields: [
      { key: 'activity', label: 'Connections' },
      { key: 'nodeType', label: 'Node type' },
      { key: 'numberOfNodes', label: 'Nodes' },
      { key: 'ra3', label: 'RA3 (managed storage billed apart)', format: 'boolean' },
      { key: 'dataGB', label: 'Data (latest automated snapshot)', unit: 'GB', emptyText: 'Not measured: no automated snapshot' },
      { key: 'dataMeasuredOn', label: 'Data measured on', emptyText: 'Never' },
      { key: 'totalStorageCapacityGB', label: 'Storage capacity', unit: 'GB' },
      { key: 'automatedSnapshotRetentionPeriod', label: 'Automated snapshots kept', unit: 'days' },
    ],
    category: 'Analytics',
    serviceCodes: [SERVICE_REDSHIFT],
    billingServiceCode: SERVICE_REDSHIFT,
    deleteOrder: 54,

    async *scan(ctx) {
      // The region's automated snapshots, listed once when the first page has clusters.
      let data: Promise<Map<string, { mb: number; at: string }>> | undefined;
      for await (const page of clusterPages(ctx)) {
        ctx.signal?.throwIfAborted();
        const clusters = page.filter((c) => c.ClusterIdentifier && c.ClusterStatus !== 'deleting');
        if (clusters.length === 0) continue;
        data ??= dataByCluster(ctx);
        const sizes = await data;
        const list = clusters.map((c) => facts(c, sizes.get(c.ClusterIdentifier!) ?? null));
        const verdicts = await judge(ctx, list);
        yield list.map((f, i) => toFinding(ctx, f, verdicts[i] ?? null, keys));
      }
    },

    actionRefusal: redshiftRefusal,

    async recheck(ctx, stored): Promise<RecheckResult> {
      let c: Cluster | undefined;
      try {
        for await (const page of clusterPages(ctx, stored.resourceId)) c ??= page[0];
      } catch (err) {
        if (isNotFound(err)) return { status: 'gone', reason: 'The Redshift cluster no longer exists' };
        throw err;
      }
      if (c === undefined || c.ClusterStatus === 'deleting') return { status: 'gone', reason: `The Redshift cluster is ${c?.ClusterStatus ?? 'gone'}` };
      const sizes = await dataByCluster(ctx, stored.resourceId);
      const f = facts(c, sizes.get(stored.resourceId) ?? null);
      const [a] = await judge(ctx, [f]);
      const current = toFinding(ctx, f, a ?? null, keys);
      if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
      if (stored.state !== current.state) {
        return { status: 'changed', reason: `Status changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
      }
      const no = redshiftRefusal(current, ctx.action ?? 'delete');
      if (no !== null) return { status: 'changed', reason: no, current };
      if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer idle: ${String(current.details['activity'])}`, current };
      return { status: 'unchanged', current };
    },

    delete: (ctx, stored, { dryRun }) => deleteRedshift(ctx, stored, dryRun),

    parts(finding, _settings, options): ItemParts {
      const action = options.action ?? 'delete';
      if (action === 'pause') {
        // A pause stops the node hours only; the storage keeps billing (named, not saved).
        const compute = finding.details['compute'] as Record<string, unknown> | undefined;
        const storage = finding.details['storage'] as Record<string, unknown> | null | undefined;
        const stays = storage ? `; stays billed: ${storedString(storage['costBasis']) ?? 'its managed storage'}` : '; its storage stays billed';
        return { own: { monthlyCost: storedNumber(compute?.['monthlyCost']), costBasis: `${storedString(compute?.['costBasis']) ?? 'Node hours: unknown'}${stays}` }, parts: [] };
      }
      const own = { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis };
      if (action !== 'delete') return { own, parts: [] };
      const snap = finding.details['finalSnapshot'] as Record<string, unknown> | undefined;
      const part: Part = {
        resourceType: 'redshift:snapshot',
        resourceId: `final snapshot of ${finding.resourceId}`,
        fate: 'kept',
        created: true,
        note: 'Taken and confirmed available before the delete; it stays and bills as snapshot storage until you delete it',
        monthlyCost: storedNumber(snap?.['monthlyCost']),
        costBasis: storedString(snap?.['costBasis']) ?? 'Cost unknown: its size is not known before it is taken',
        tags: null,
        // Created and kept, never removed: protection does not apply.
        protected: false,
        protectedReason: null,
        addable: false,
      };
      return { own, parts: [part] };
    },
  };
}

export const redshiftClustersHandler: ResourceHandler = createRedshiftClustersHandler();
