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
 * Actions. `delete` (default): CreateClusterSnapshot (tagged with the plan), wait until it is `available`, then
 * DeleteCluster with SkipFinalClusterSnapshot (the snapshot already exists); the snapshot is a part created and kept
 * (RA3: RMS price; DC2: backup storage price, the free allowance of other clusters not counted). A paused cluster cannot
 * take a manual snapshot ("The cluster must be in the available state"), so `delete` is refused for it with the reason.
 * `delete-without-snapshot` is explicit. `pause` (PauseCluster): saves the node hours only; storage keeps billing;
 * AWS refuses it for clusters with automated snapshots off. Redshift has no DryRun: the cleanup verifies by the
 * re-check and an IAM permission check.
 */
import {
  CreateClusterSnapshotCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  DescribeClusterSnapshotsCommand,
  PauseClusterCommand,
  RedshiftClient,
  type Cluster,
  type Snapshot,
} from '@aws-sdk/client-redshift';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricSpec } from '../metrics/types';
import { price } from '../pricing/price-key';
import { REDSHIFT_PRICE_KEYS, redshiftBackupStorageKey, redshiftManagedStorageKey, redshiftNodeHourKey } from '../pricing/keys/redshift';
import { HOURS_PER_MONTH, type RatePriceKey, type RegionPrices } from '../pricing/types';
import { clampPageSize } from './ec2-common';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { finalSnapshotName, waitForSnapshot } from './elasticache-clusters';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { DeleteContext, DeleteOutcome, Finding, HandlerContext, ItemParts, Part, RecheckResult, ResourceHandler, StoredFinding } from './handler';
import { activityFields } from './metric-verdict';
import { storedNumber, storedString } from './parts';

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

// ---- actions ----

const READ_IAM = ['redshift:DescribeClusters', 'redshift:DescribeClusterSnapshots'];

export const REDSHIFT_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'delete',
    label: 'Delete, keep a final snapshot',
    doneLabel: 'Deleted',
    description: 'Takes a manual snapshot (tagged with the plan), waits until it is available, then deletes the cluster. The snapshot stays and bills as storage until you delete it.',
    removes: true,
    iam: ['redshift:CreateClusterSnapshot', 'redshift:CreateTags', 'redshift:DeleteCluster', ...READ_IAM],
  },
  {
    id: 'delete-without-snapshot',
    label: 'Delete without a snapshot',
    doneLabel: 'Deleted',
    description: 'Deletes the cluster and its data; only manual snapshots taken before stay.',
    warning: 'The data is gone for good: its automated snapshots are deleted with it.',
    removes: true,
    iam: ['redshift:DeleteCluster', ...READ_IAM],
    explicit: true,
  },
  {
    id: 'pause',
    label: 'Pause',
    doneLabel: 'Paused',
    description: 'Pauses the cluster: node hours stop billing; its storage (RA3 managed storage, or its backups) keeps billing. Resume it at any time.',
    warning: 'Nothing can connect while it is paused, and its scheduled actions do not run.',
    removes: false,
    iam: ['redshift:PauseCluster', ...READ_IAM],
  },
];

export const PAUSED_DELETE_REFUSAL =
  'A paused cluster cannot take a manual snapshot (CreateClusterSnapshot needs it available), and Cloud Cleaner deletes only once the final snapshot exists: resume it first, or choose "Delete without a snapshot"';

async function deleteCall(ctx: DeleteContext, id: string): Promise<{ ok: true; label: string } | { ok: false; outcome: DeleteOutcome }> {
  const call = { action: 'DeleteCluster', target: id, dryRun: false };
  const result = await auditedMutation(ctx, call, () =>
    ctx.client(RedshiftClient).send(new DeleteClusterCommand({ ClusterIdentifier: id, SkipFinalClusterSnapshot: true }), { abortSignal: ctx.signal }),
  );
  if (result.kind === 'error' && /^ClusterNotFound(Fault)?$/.test(result.code)) return { ok: true, label: `${callLabel(call)} (already gone)` };
  if (result.kind === 'unauthorized' || result.kind === 'error') return { ok: false, outcome: failureOutcome(result) };
  return { ok: true, label: callLabel(call, result) };
}

async function snapshotThenDelete(ctx: DeleteContext, f: Finding): Promise<DeleteOutcome> {
  const name = finalSnapshotName(f.resourceId, ctx.planId);
  const client = ctx.client(RedshiftClient);
  const call = { action: 'CreateClusterSnapshot', target: name, dryRun: false };
  const created = await auditedMutation(ctx, call, () =>
    client.send(
      new CreateClusterSnapshotCommand({ SnapshotIdentifier: name, ClusterIdentifier: f.resourceId, Tags: [{ Key: 'cloud-cleaner:plan', Value: ctx.planId }] }),
      { abortSignal: ctx.signal },
    ),
  );
  const read = async (): Promise<Snapshot | null> => {
    try {
      return (await client.send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: name }), { abortSignal: ctx.signal })).Snapshots?.[0] ?? null;
    } catch (err) {
      if (/^ClusterSnapshotNotFound(Fault)?$/.test(awsErrorCode(err))) return null;
      throw err;
    }
  };
  const calls: string[] = [];
  if (created.kind === 'error' && /^ClusterSnapshotAlreadyExists(Fault)?$/.test(created.code)) {
    // A retried cleanup of the same plan: its snapshot is reused when it is of this cluster.
    if ((await read())?.ClusterIdentifier !== f.resourceId) {
      return { kind: 'failed', code: created.code, message: `A snapshot named ${name} exists and is not of ${f.resourceId}: nothing deleted` };
    }
    calls.push(`${callLabel(call)} (exists: reused)`);
  } else if (created.kind === 'unauthorized' || created.kind === 'error') {
    return failureOutcome(created);
  } else {
    calls.push(callLabel(call, created));
  }
  const waited = await waitForSnapshot(ctx, async () => (await read())?.Status ?? null);
  if (waited.kind !== 'available') {
    const why = waited.kind === 'timeout' ? `did not become available within ${Math.round((ctx.waitMs ?? 3_600_000) / 60_000)} min` : waited.why;
    return { kind: 'failed', code: 'FinalSnapshotNotAvailable', message: `Final snapshot ${name} ${why}: ${f.resourceId} was NOT deleted. Calls made: ${calls.join(', ')}` };
  }
  const del = await deleteCall(ctx, f.resourceId);
  if (!del.ok) {
    const o = del.outcome;
    return o.kind === 'failed' ? { ...o, message: `${o.message} (final snapshot ${name} was taken and stays)` } : o;
  }
  return { kind: 'deleted', calls: [...calls, del.label], safetySnapshotId: name };
}

// ---- the kind ----

function refusal(finding: Finding, action: string): string | null {
  if (action === 'delete' && finding.state === 'paused') return PAUSED_DELETE_REFUSAL;
  if (action === 'pause') {
    if (finding.state === 'paused') return 'It is already paused';
    if (finding.state !== 'available') return `Only an available cluster can be paused (it is ${finding.state ?? 'in an unknown state'})`;
    if (finding.details['automatedSnapshotRetentionPeriod'] === 0) return 'AWS cannot pause a cluster whose automated snapshots are turned off';
  }
  return null;
}

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

    actionRefusal: refusal,

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
      const no = refusal(current, ctx.action ?? 'delete');
      if (no !== null) return { status: 'changed', reason: no, current };
      if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer idle: ${String(current.details['activity'])}`, current };
      return { status: 'unchanged', current };
    },

    async delete(ctx, stored: StoredFinding, { dryRun }): Promise<DeleteOutcome> {
      const protectedBy = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
      if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
      if (dryRun) return { kind: 'checked', calls: [], note: 'Redshift has no DryRun: verified by the re-check and an IAM permission check' };
      const action = ctx.action ?? 'delete';
      const no = refusal(stored, action);
      if (no !== null) return { kind: 'refused', reason: no };
      if (action === 'delete') return snapshotThenDelete(ctx, stored);
      if (action === 'delete-without-snapshot') {
        const del = await deleteCall(ctx, stored.resourceId);
        return del.ok ? { kind: 'deleted', calls: [del.label] } : del.outcome;
      }
      if (action === 'pause') {
        const call = { action: 'PauseCluster', target: stored.resourceId, dryRun: false };
        const result = await auditedMutation(ctx, call, () =>
          ctx.client(RedshiftClient).send(new PauseClusterCommand({ ClusterIdentifier: stored.resourceId }), { abortSignal: ctx.signal }),
        );
        if (result.kind === 'unauthorized' || result.kind === 'error') return failureOutcome(result);
        return { kind: 'deleted', calls: [callLabel(call, result)] };
      }
      return { kind: 'failed', code: 'UnknownAction', message: `Redshift clusters have no action "${action}"` };
    },

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
