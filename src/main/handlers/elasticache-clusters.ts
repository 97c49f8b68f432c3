/**
 * Idle ElastiCache (AWS-FACTS-BEYOND-EC2.md, kind 8): one finding per replication group (Redis OSS / Valkey) and per
 * cache cluster outside a group (Memcached, or a single Redis / Valkey node). Each node bills every hour it exists.
 *
 * Idle: `available`, older than the lookback, and `AWS/ElastiCache` `NewConnections` (daily Sum, dimension
 * `CacheClusterId`, published every minute while the cluster runs: a missing day is unknown, never 0) is 0 on every
 * day for every member cluster — any member with a connection makes the group in use; any member with a missing day
 * makes it unknown. (CurrConnections is not used: it counts the replicas' own replication links.)
 *
 * A scan makes listings and batched metric reads only: paged DescribeReplicationGroups and DescribeCacheClusters, one
 * paged tag:GetResources listing (ElastiCache's Describe calls return no tags), and the metrics engine's GetMetricData
 * (NewConnections, and BytesUsedForCache to estimate a final snapshot). The re-check reads one group or cluster, its
 * tags (ListTagsForResource) and its metrics.
 *
 * Actions: see elasticache-actions.ts (`delete` keeps a final snapshot; `delete-without-snapshot`; Memcached has no
 * snapshots). ElastiCache has no DryRun: the cleanup verifies by the re-check and an IAM permission check.
 */
import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  type CacheCluster,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { awsErrorCode } from '../aws/errors';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricSeries, MetricSpec } from '../metrics/types';
import { ELASTICACHE_PRICE_KEYS, elastiCacheNodeHourKey, elastiCacheSnapshotStorageKey } from '../pricing/keys/elasticache';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH, type RatePriceKey, type RegionPrices } from '../pricing/types';
import { clampPageSize } from './ec2-common';
import { deleteElastiCache, ELASTICACHE_ACTIONS, elastiCacheRefusal, NOT_FOUND } from './elasticache-actions';
import { num, protectionByTag, roundCost, usd } from './handler';
import type { Finding, HandlerContext, ItemParts, Part, RecheckResult, ResourceHandler } from './handler';
import { activityFields } from './metric-verdict';
import { storedNumber, storedString } from './parts';
import { tagsByArn } from './tagging';

/** The tagging types of its tags (GetResources). */
const TAG_TYPES = ['elasticache:cluster', 'elasticache:replicationgroup'];

export { finalSnapshotName, waitForSnapshot, type SnapshotWait } from './final-snapshot';
export { ELASTICACHE_ACTIONS, MEMCACHED_REFUSAL } from './elasticache-actions';

export const ELASTICACHE_TYPE = 'elasticache:cluster';
/** Cost Explorer's "Amazon ElastiCache" (discovery/service-catalog.ts). */
export const SERVICE_ELASTICACHE = 'AmazonElastiCache';

const NS = 'AWS/ElastiCache';
export const NEW_CONNECTIONS: MetricSpec = { namespace: NS, metricName: 'NewConnections', stat: 'Sum', sparse: false, unit: 'new connections' };
/** The memory a node uses for data (and its overhead): an upper bound of what a snapshot of it holds. */
export const BYTES_USED_FOR_CACHE: MetricSpec = { namespace: NS, metricName: 'BytesUsedForCache', stat: 'Maximum', sparse: false, unit: 'bytes' };

const GIB = 1024 ** 3;

// ---- the kind's facts ----

/** What the handler knows about one replication group or standalone cache cluster. */
interface CacheFacts {
  id: string;
  kind: 'replication-group' | 'cache-cluster';
  arn: string | null;
  engine: string;
  engineVersion: string | null;
  nodeType: string | null;
  status: string | null;
  createdAt: Date | null;
  /** Member cluster ids by node group (a standalone cluster: itself). */
  nodeGroups: string[][];
  nodes: number;
  clusterMode: boolean | null;
  snapshotRetentionLimit: number | null;
  /** Tags of the group or cluster, and of each member (replication groups), by member id. */
  tags: Record<string, string>;
  memberTags: Map<string, Record<string, string>>;
}

const memberArn = (groupArn: string | null, id: string): string | null => (groupArn === null ? null : groupArn.replace(/:replicationgroup:[^:]+$/, `:cluster:${id}`));

function groupFacts(g: ReplicationGroup, clusters: ReadonlyMap<string, CacheCluster>, tags: ReadonlyMap<string, Record<string, string>>): CacheFacts {
  const id = g.ReplicationGroupId ?? '';
  const nodeGroups = (g.NodeGroups ?? []).map((n) => (n.NodeGroupMembers ?? []).map((m) => m.CacheClusterId ?? '').filter(Boolean));
  const members = g.MemberClusters ?? nodeGroups.flat();
  const first = clusters.get(members[0] ?? '');
  const arn = g.ARN ?? null;
  const memberTags = new Map<string, Record<string, string>>();
  for (const m of members) {
    const a = clusters.get(m)?.ARN ?? memberArn(arn, m);
    const t = a === null ? undefined : tags.get(a);
    if (t !== undefined) memberTags.set(m, t);
  }
  return {
    id,
    kind: 'replication-group',
    arn,
    engine: g.Engine ?? first?.Engine ?? 'redis',
    engineVersion: first?.EngineVersion ?? null,
    nodeType: g.CacheNodeType ?? first?.CacheNodeType ?? null,
    status: g.Status ?? null,
    createdAt: g.ReplicationGroupCreateTime ? new Date(g.ReplicationGroupCreateTime) : first?.CacheClusterCreateTime ? new Date(first.CacheClusterCreateTime) : null,
    nodeGroups: nodeGroups.length > 0 ? nodeGroups : [members],
    nodes: members.length,
    clusterMode: g.ClusterEnabled ?? null,
    snapshotRetentionLimit: g.SnapshotRetentionLimit ?? null,
    tags: (arn === null ? undefined : tags.get(arn)) ?? {},
    memberTags,
  };
}

function clusterFacts(c: CacheCluster, tags: ReadonlyMap<string, Record<string, string>>): CacheFacts {
  const id = c.CacheClusterId ?? '';
  return {
    id,
    kind: 'cache-cluster',
    arn: c.ARN ?? null,
    engine: c.Engine ?? 'memcached',
    engineVersion: c.EngineVersion ?? null,
    nodeType: c.CacheNodeType ?? null,
    status: c.CacheClusterStatus ?? null,
    createdAt: c.CacheClusterCreateTime ? new Date(c.CacheClusterCreateTime) : null,
    nodeGroups: [[id]],
    nodes: c.NumCacheNodes ?? 1,
    clusterMode: null,
    snapshotRetentionLimit: c.SnapshotRetentionLimit ?? null,
    tags: (c.ARN === undefined ? undefined : tags.get(c.ARN)) ?? {},
    memberTags: new Map(),
  };
}

/** Memcached keeps no data on disk; cache.t1.micro nodes cannot be snapshotted either (SnapshotFeatureNotSupportedFault). */
function snapshotSupported(f: Pick<CacheFacts, 'engine' | 'nodeType'>): boolean {
  return f.engine !== 'memcached' && f.nodeType !== 'cache.t1.micro';
}

// ---- metrics ----

interface Measured {
  activity: Activity | null;
  /** ≈ bytes a snapshot would hold (sum over node groups of the largest member's latest BytesUsedForCache), or null. */
  dataBytes: { bytes: number; day: string } | null;
}

const dims = (id: string): Record<string, string> => ({ CacheClusterId: id });

function estimateData(f: CacheFacts, series: ReadonlyMap<string, MetricSeries>): Measured['dataBytes'] {
  let total = 0;
  let day = '';
  for (const group of f.nodeGroups) {
    let best: { v: number; d: string } | null = null;
    for (const m of group) {
      const last = series.get(m)?.points.at(-1);
      if (last !== undefined && (best === null || last[1] > best.v)) best = { v: last[1], d: last[0] };
    }
    if (best === null) return null;
    total += best.v;
    if (best.d > day) day = best.d;
  }
  return { bytes: total, day };
}

/** Connections verdicts and data estimates of a page, in one batched request to the metrics engine. */
async function measure(ctx: HandlerContext, facts: readonly CacheFacts[]): Promise<Measured[]> {
  const judged = facts.filter((f) => f.status === 'available');
  const sized = judged.filter(snapshotSupported);
  const engine = metricsOf(ctx);
  const [verdicts, bytes] = await Promise.all([
    judged.length === 0
      ? Promise.resolve([])
      : engine.activity(judged.map((f) => ({ createdAt: f.createdAt, queries: f.nodeGroups.flat().map((m) => ({ spec: NEW_CONNECTIONS, dimensions: dims(m) })), activity: 'connections' }))),
    sized.length === 0 ? Promise.resolve([]) : engine.fetch(sized.flatMap((f) => f.nodeGroups.flat().map((m) => ({ spec: BYTES_USED_FOR_CACHE, dimensions: dims(m) })))),
  ]);
  const byMember = new Map(bytes.map((s) => [s.query.dimensions['CacheClusterId'] ?? '', s]));
  const verdictOf = new Map(judged.map((f, i) => [f, verdicts[i] ?? null]));
  return facts.map((f) => ({ activity: verdictOf.get(f) ?? null, dataBytes: snapshotSupported(f) && verdictOf.has(f) ? estimateData(f, byMember) : null }));
}

// ---- prices ----

export interface ElastiCacheKeys {
  nodeHour(engine: string, nodeType: string): RatePriceKey | undefined;
  snapshotStorage(): RatePriceKey | undefined;
}

const DEFAULT_KEYS: ElastiCacheKeys = { nodeHour: elastiCacheNodeHourKey, snapshotStorage: elastiCacheSnapshotStorageKey };

function rate(prices: RegionPrices | null, key: RatePriceKey | undefined): number | null {
  return prices === null || key === undefined ? null : price(prices, key);
}

function nodeCost(f: CacheFacts, prices: RegionPrices | null, region: string, keys: ElastiCacheKeys): { monthlyCost: number | null; costBasis: string } {
  const type = f.nodeType ?? 'unknown node type';
  const hour = f.nodeType === null ? null : rate(prices, keys.nodeHour(f.engine, f.nodeType));
  if (hour === null) return { monthlyCost: null, costBasis: `Cost unknown: no ElastiCache ${f.engine} ${type} node-hour price for ${region}` };
  return {
    monthlyCost: roundCost(f.nodes * HOURS_PER_MONTH * hour),
    costBasis: `${f.nodes} ${f.engine} ${type} node${f.nodes === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h × ${usd(hour)} (${region})`,
  };
}

function finalSnapshotCost(data: Measured['dataBytes'], prices: RegionPrices | null, region: string, keys: ElastiCacheKeys): { monthlyCost: number | null; costBasis: string; estimatedGiB: number | null } {
  if (data === null) return { monthlyCost: null, costBasis: 'Cost unknown: its size is not known before it is taken (BytesUsedForCache not measured)', estimatedGiB: null };
  const gib = Math.round((data.bytes / GIB) * 1000) / 1000;
  const gb = rate(prices, keys.snapshotStorage());
  const size = `≈ ${num(gib)} GiB (BytesUsedForCache of the largest member of each node group on ${data.day}: an upper bound, memory includes overhead)`;
  if (gb === null) return { monthlyCost: null, costBasis: `Cost unknown: no ElastiCache backup storage price for ${region}; size ${size}`, estimatedGiB: gib };
  return { monthlyCost: roundCost(gib * gb), costBasis: `${size} × ${usd(gb)} per GB-month (${region})`, estimatedGiB: gib };
}

// ---- the finding ----

function protectionOf(f: CacheFacts, key: string): string | null {
  const own = protectionByTag(f.tags, key);
  if (own !== null) return own;
  for (const [m, t] of f.memberTags) {
    const p = protectionByTag(t, key);
    if (p !== null) return `Its member cluster ${m} is ${p.replace(/^Tagged/, 'tagged')}`;
  }
  return null;
}

function toFinding(ctx: HandlerContext, f: CacheFacts, m: Measured, keys: ElastiCacheKeys): Finding {
  const protectedReason = protectionOf(f, ctx.settings.protectionTagKey);
  const cost = nodeCost(f, ctx.prices, ctx.region, keys);
  const v = m.activity === null ? null : activityFields(m.activity);
  const snapshot = snapshotSupported(f) ? finalSnapshotCost(m.dataBytes, ctx.prices, ctx.region, keys) : null;
  return {
    resourceType: ELASTICACHE_TYPE,
    resourceId: f.id,
    region: ctx.region,
    name: f.tags['Name'] ?? null,
    state: f.status,
    tags: f.tags,
    createdAt: f.createdAt?.toISOString() ?? null,
    unused: v?.unused ?? false,
    unusedReason: v?.unusedReason ?? null,
    unusedSince: v?.unusedSince ?? null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      cacheKind: f.kind === 'replication-group' ? 'replication group' : 'cache cluster',
      arn: f.arn,
      engine: f.engine,
      engineVersion: f.engineVersion,
      nodeType: f.nodeType,
      nodes: f.nodes,
      memberClusters: f.kind === 'replication-group' ? f.nodeGroups.flat() : null,
      nodeGroups: f.nodeGroups,
      clusterMode: f.clusterMode,
      snapshotRetentionLimit: f.snapshotRetentionLimit,
      snapshotSupported: snapshotSupported(f),
      activity: v?.activity ?? (f.status === 'available' ? 'Not read' : `Not judged: ${f.status ?? 'unknown status'}`),
      estimatedDataGiB: snapshot?.estimatedGiB ?? null,
      finalSnapshot: snapshot === null ? null : { monthlyCost: snapshot.monthlyCost, costBasis: snapshot.costBasis },
      ...(m.activity !== null ? { metrics: m.activity } : {}),
    },
  };
}

// ---- reading AWS ----

async function* groupPages(ctx: HandlerContext, id?: string): AsyncIterable<ReplicationGroup[]> {
  let marker: string | undefined;
  do {
    const out = await ctx.client(ElastiCacheClient).send(
      new DescribeReplicationGroupsCommand({ ...(id ? { ReplicationGroupId: id } : { MaxRecords: clampPageSize(ctx.pageSize, 20, 100) }), ...(marker ? { Marker: marker } : {}) }),
      { abortSignal: ctx.signal },
    );
    yield out.ReplicationGroups ?? [];
    marker = out.Marker || undefined;
  } while (marker !== undefined);
}

async function allClusters(ctx: HandlerContext, id?: string): Promise<CacheCluster[]> {
  const out: CacheCluster[] = [];
  let marker: string | undefined;
  do {
    const res = await ctx.client(ElastiCacheClient).send(
      new DescribeCacheClustersCommand({ ...(id ? { CacheClusterId: id } : { MaxRecords: clampPageSize(ctx.pageSize, 20, 100) }), ...(marker ? { Marker: marker } : {}) }),
      { abortSignal: ctx.signal },
    );
    out.push(...(res.CacheClusters ?? []));
    marker = res.Marker || undefined;
  } while (marker !== undefined);
  return out;
}

const isNotFound = (err: unknown): boolean => NOT_FOUND.test(awsErrorCode(err));

/** One group or standalone cluster exactly, with its own tags (the re-check); null when gone. */
async function liveFacts(ctx: HandlerContext, stored: Finding): Promise<CacheFacts | null> {
  const client = ctx.client(ElastiCacheClient);
  try {
    let f: CacheFacts;
    if (stored.details['cacheKind'] === 'replication group') {
      let g: ReplicationGroup | undefined;
      for await (const page of groupPages(ctx, stored.resourceId)) g ??= page[0];
      if (g === undefined) return null;
      f = groupFacts(g, new Map(), new Map());
    } else {
      const [c] = await allClusters(ctx, stored.resourceId);
      if (c === undefined) return null;
      f = clusterFacts(c, new Map());
    }
    if (f.arn !== null) {
      const out = await client.send(new ListTagsForResourceCommand({ ResourceName: f.arn }), { abortSignal: ctx.signal });
      f.tags = Object.fromEntries((out.TagList ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
    }
    return f;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

// ---- the kind ----

/** The kind, with its price keys (tests pass their own). */
export function createElastiCacheClustersHandler(keys: ElastiCacheKeys = DEFAULT_KEYS): ResourceHandler {
  const handler: ResourceHandler = {
    type: ELASTICACHE_TYPE,
    label: 'Idle ElastiCache clusters',
    noun: 'ElastiCache cluster',
    consoleUrl: 'https://{host}/elasticache/home?region={region}#/',
    iam: {
      scan: ['elasticache:DescribeReplicationGroups', 'elasticache:DescribeCacheClusters', 'tag:GetResources', 'cloudwatch:GetMetricData'],
      action: [...new Set(ELASTICACHE_ACTIONS.flatMap((a) => a.iam))],
    },
    actionLabel: 'Delete',
    actions: ELASTICACHE_ACTIONS,
    verification: {
      method: 'permission-check',
      description: 'ElastiCache has no DryRun: each cluster is re-checked (status, latest connections, tags) and IAM policy simulation says whether you may snapshot and delete it',
    },
    priceKeys: ELASTICACHE_PRICE_KEYS,
    detailFields: [
      { key: 'cacheKind', label: 'Type' },
      { key: 'activity', label: 'Connections' },
      { key: 'engine', label: 'Engine' },
      { key: 'engineVersion', label: 'Engine version' },
      { key: 'nodeType', label: 'Node type' },
      { key: 'nodes', label: 'Nodes' },
      { key: 'memberClusters', label: 'Member clusters', format: 'list', emptyText: 'Not a replication group' },
      { key: 'clusterMode', label: 'Cluster mode', format: 'boolean', emptyText: 'Not a replication group' },
      { key: 'snapshotRetentionLimit', label: 'Automatic backups kept', unit: 'days' },
      { key: 'estimatedDataGiB', label: 'Data (estimated, upper bound)', unit: 'GiB', emptyText: 'Not measured' },
      { key: 'snapshotSupported', label: 'Snapshots possible', format: 'boolean' },
    ],
    category: 'Database',
    serviceCodes: [SERVICE_ELASTICACHE],
    billingServiceCode: SERVICE_ELASTICACHE,
    deleteOrder: 53,
    tagTypes: TAG_TYPES,

    async *scan(ctx) {
      const groups: ReplicationGroup[] = [];
      const [clusters] = await Promise.all([
        allClusters(ctx),
        (async () => {
          for await (const page of groupPages(ctx)) groups.push(...page);
        })(),
      ]);
      const standalone = clusters.filter((c) => !c.ReplicationGroupId && c.CacheClusterId);
      if (groups.length === 0 && standalone.length === 0) return;
      ctx.signal?.throwIfAborted();
      const tags = await tagsByArn(ctx, TAG_TYPES);
      const byId = new Map(clusters.map((c) => [c.CacheClusterId ?? '', c]));
      const facts = [
        ...groups.filter((g) => g.ReplicationGroupId && g.Status !== 'deleting').map((g) => groupFacts(g, byId, tags)),
        ...standalone.filter((c) => c.CacheClusterStatus !== 'deleting' && c.CacheClusterStatus !== 'deleted').map((c) => clusterFacts(c, tags)),
      ];
      const PAGE = 100;
      for (let i = 0; i < facts.length; i += PAGE) {
        ctx.signal?.throwIfAborted();
        const page = facts.slice(i, i + PAGE);
        const measured = await measure(ctx, page);
        yield page.map((f, j) => toFinding(ctx, f, measured[j]!, keys));
      }
    },

    actionRefusal: elastiCacheRefusal,

    async recheck(ctx, stored): Promise<RecheckResult> {
      const facts = await liveFacts(ctx, stored);
      if (facts === null || facts.status === 'deleting' || facts.status === 'deleted') {
        return { status: 'gone', reason: `The ElastiCache ${String(stored.details['cacheKind'] ?? 'cluster')} no longer exists` };
      }
      const [m] = await measure(ctx, [facts]);
      const current = toFinding(ctx, facts, m!, keys);
      if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
      if (stored.state !== current.state) {
        return { status: 'changed', reason: `Status changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
      }
      if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer idle: ${String(current.details['activity'])}`, current };
      const before = JSON.stringify(stored.details['nodeGroups'] ?? null);
      const after = JSON.stringify(current.details['nodeGroups']);
      if (before !== 'null' && before !== after) return { status: 'changed', reason: `Its member clusters changed since the review: now ${facts.nodeGroups.flat().join(', ')}`, current };
      return { status: 'unchanged', current };
    },

    delete: (ctx, stored, { dryRun }) => deleteElastiCache(ctx, stored, dryRun),

    parts(finding, _settings, options): ItemParts {
      const own = { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis };
      const action = options.action ?? 'delete';
      if (action !== 'delete' || finding.details['snapshotSupported'] === false) return { own, parts: [] };
      const snap = finding.details['finalSnapshot'] as Record<string, unknown> | null | undefined;
      const part: Part = {
        resourceType: 'elasticache:snapshot',
        resourceId: `final snapshot of ${finding.resourceId}`,
        fate: 'kept',
        created: true,
        note: 'Taken and confirmed available before the delete; it stays and bills as ElastiCache backup storage until you delete it',
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
  return handler;
}

export const elastiCacheClustersHandler: ResourceHandler = createElastiCacheClustersHandler();
