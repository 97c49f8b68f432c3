/**
 * ElastiCache over the AWS Query protocol (signing name `elasticache`, API 2015-02-02), in the shapes the installed
 * `@aws-sdk/client-elasticache` parses (list members by their XML names: `<ReplicationGroup>`, `<ClusterId>`,
 * `<CacheCluster>`, `<NodeGroupMember>`, `<Snapshot>`, `<Tag>`).
 *
 * DescribeReplicationGroups, DescribeCacheClusters (ShowCacheNodeInfo, ShowCacheClustersNotInReplicationGroups),
 * CreateSnapshot, DescribeSnapshots, DeleteReplicationGroup, DeleteCacheCluster, ListTagsForResource. `Marker` paging
 * with `MaxRecords` 20–100 (DescribeSnapshots 20–50), AWS's error codes (`ReplicationGroupNotFoundFault`,
 * `CacheClusterNotFound`, `SnapshotNotFoundFault`, `InvalidReplicationGroupState`, `InvalidCacheClusterState`,
 * `SnapshotAlreadyExistsFault`, `SnapshotFeatureNotSupportedFault` for Memcached, `InvalidParameterValue`,
 * `InvalidParameterCombination`, `InvalidARN`).
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { SimCacheCluster, SimCacheSnapshot, SimElastiCacheRegion, SimReplicationGroup } from '../elasticache-state';
import { elastiCacheArn, snapshotOf } from '../elasticache-state';
import { awsQueryService } from '../protocols/aws-query';
import type { CallContext, SimOptions } from '../protocols/protocol';
import type { QueryParams } from '../protocols/query-params';
import { el, esc, node } from '../protocols/xml';
import type { SimTag } from '../state';

export const ELASTICACHE_VERSION = '2015-02-02';
export const ELASTICACHE_XMLNS = 'http://elasticache.amazonaws.com/doc/2015-02-02/';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** ElastiCache CreateSnapshot (and a final snapshot): `creating` → `available` after this many ms (default 0: by the next ElastiCache call). */
    elastiCacheSnapshotDelayMs?: number;
    /** ElastiCache DeleteReplicationGroup / DeleteCacheCluster: `deleting` → gone after this many ms (default 0: by the next call). */
    elastiCacheDeletionDelayMs?: number;
  }
}

// ---- paging (shared with the Redshift module: the same Query-protocol Marker rules) ----

interface MarkerToken {
  /** Fingerprint of the request's other parameters. */
  f: string;
  /** The last key of the previous page. */
  a: string;
}

/**
 * One page of `items` sorted by key: `MaxRecords` (default `dflt`, `min`–`max`, else `InvalidParameterValue`), and an
 * opaque `Marker` tied to the rest of the request (a marker from another request is `InvalidParameterValue`).
 */
export function markerPage<T>(
  items: readonly T[],
  keyOf: (t: T) => string,
  p: QueryParams,
  bounds: { min: number; max: number; dflt: number },
): { page: T[]; marker?: string } {
  const asked = p.int('MaxRecords');
  if (asked !== undefined && (!Number.isInteger(asked) || asked < bounds.min || asked > bounds.max)) {
    throw new ApiError('InvalidParameterValue', `The parameter MaxRecords must be between ${bounds.min} and ${bounds.max}.`);
  }
  const size = asked ?? bounds.dflt;
  const all = [...items].sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0));
  const fp = createHash('sha256').update(p.fingerprint(['Marker', 'MaxRecords'])).digest('base64url').slice(0, 16);
  let start = 0;
  const marker = p.get('Marker');
  if (marker !== undefined && marker !== '') {
    let m: MarkerToken | undefined;
    try {
      m = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as MarkerToken;
    } catch {
      m = undefined;
    }
    if (!m || typeof m.a !== 'string' || m.f !== fp) throw new ApiError('InvalidParameterValue', 'Invalid value for Marker.');
    const after = m.a;
    start = all.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < all.length && last !== undefined;
  return { page, ...(more ? { marker: Buffer.from(JSON.stringify({ f: fp, a: keyOf(last) } satisfies MarkerToken)).toString('base64url') } : {}) };
}

/** `<Name><Member>…</Member></Name>`, `<Name/>` when empty (the member name is the list's XML name). */
export function list(name: string, member: string, items: readonly string[]): string {
  return items.length === 0 ? `<${name}/>` : node(name, ...items.map((i) => node(member, i)));
}

/** `Tags.Tag.N.Key` (the SDK's form: the member's XML name) or `Tags.member.N.Key`. */
export function tagParams(p: QueryParams, prefix = 'Tags'): SimTag[] {
  const out: SimTag[] = [];
  for (const m of ['Tag', 'member']) {
    for (let i = 1; p.get(`${prefix}.${m}.${i}.Key`) !== undefined; i++) {
      out.push({ key: p.get(`${prefix}.${m}.${i}.Key`) ?? '', value: p.get(`${prefix}.${m}.${i}.Value`) ?? '' });
    }
  }
  return out;
}

export function requiredParam(p: QueryParams, name: string): string {
  const v = p.get(name);
  if (v === undefined || v === '') throw new ApiError('MissingParameter', `The request must contain the parameter ${name}.`);
  return v;
}

// ---- errors ----

const groupNotFound = (id: string): ApiError => new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`, 404);
const clusterNotFound = (id: string): ApiError => new ApiError('CacheClusterNotFound', `CacheCluster not found: ${id}`, 404);
const snapshotNotFound = (name: string): ApiError => new ApiError('SnapshotNotFoundFault', `Snapshot not found: ${name}`, 404);
/** Memcached keeps no data on disk: AWS answers SnapshotFeatureNotSupportedFault to any snapshot of it. */
const memcachedSnapshot = (id: string): ApiError =>
  new ApiError('SnapshotFeatureNotSupportedFault', `Cache cluster ${id} runs Memcached, which does not support snapshots.`);

function groupOf(ec: SimElastiCacheRegion, id: string): SimReplicationGroup {
  const g = ec.replicationGroups.get(id);
  if (g === undefined) throw groupNotFound(id);
  return g;
}

function clusterOf(ec: SimElastiCacheRegion, id: string): SimCacheCluster {
  const c = ec.cacheClusters.get(id);
  if (c === undefined) throw clusterNotFound(id);
  return c;
}

function options(ctx: CallContext): Required<Pick<SimOptions, 'elastiCacheSnapshotDelayMs' | 'elastiCacheDeletionDelayMs'>> {
  return { elastiCacheSnapshotDelayMs: ctx.options.elastiCacheSnapshotDelayMs ?? 0, elastiCacheDeletionDelayMs: ctx.options.elastiCacheDeletionDelayMs ?? 0 };
}

/** The region's ElastiCache state, with what time has finished applied first. */
function stateOf(ctx: CallContext): SimElastiCacheRegion {
  const ec = ctx.region.elasticache;
  ec.settle();
  return ec;
}

// ---- rendering ----

const PORT: Readonly<Record<string, number>> = { redis: 6379, valkey: 6379, memcached: 11211 };
const host = (id: string, region: string, part = ''): string => `${id}${part}.sim0001.${region}.cache.amazonaws.com`;
const endpoint = (name: string, address: string, port: number): string => node(name, el('Address', address), el('Port', port));
const enabled = (b: boolean): string => (b ? 'enabled' : 'disabled');

/** The 16,384 hash slots split evenly over the node groups (cluster mode on). */
function slotsOf(i: number, of: number): string {
  const per = Math.floor(16_384 / of);
  const start = i * per;
  const end = i === of - 1 ? 16_383 : start + per - 1;
  return `${start}-${end}`;
}

function renderGroup(g: SimReplicationGroup, ec: SimElastiCacheRegion, region: string): string {
  const members = g.nodeGroups.flatMap((n) => n.memberIds);
  const snapshotting = g.snapshotRetentionLimit > 0 && !g.clusterMode ? (g.nodeGroups[0]?.memberIds[1] ?? g.nodeGroups[0]?.memberIds[0]) : undefined;
  const nodeGroups = g.nodeGroups.map((ng, i) =>
    node(
      'NodeGroup',
      el('NodeGroupId', ng.id),
      el('Status', g.status === 'deleting' ? 'deleting' : g.status === 'creating' ? 'creating' : 'available'),
      g.clusterMode ? '' : endpoint('PrimaryEndpoint', host(g.id, region, '.master'), 6379),
      g.clusterMode ? '' : endpoint('ReaderEndpoint', host(g.id, region, '-ro'), 6379),
      g.clusterMode ? el('Slots', slotsOf(i, g.nodeGroups.length)) : '',
      list(
        'NodeGroupMembers',
        'NodeGroupMember',
        ng.memberIds.map((id) => {
          const c = ec.cacheClusters.get(id);
          return (
            el('CacheClusterId', id) +
            el('CacheNodeId', '0001') +
            (g.clusterMode ? '' : endpoint('ReadEndpoint', host(id, region), 6379)) +
            el('PreferredAvailabilityZone', c?.preferredAz) +
            // Only cluster-mode-off groups report roles.
            (g.clusterMode ? '' : el('CurrentRole', c?.role))
          );
        }),
      ),
    ),
  );
  return [
    el('ReplicationGroupId', g.id),
    el('Description', g.description),
    el('Status', g.status),
    '<PendingModifiedValues/>',
    list('MemberClusters', 'ClusterId', members.map(esc)),
    nodeGroups.length === 0 ? '<NodeGroups/>' : node('NodeGroups', ...nodeGroups),
    el('SnapshottingClusterId', snapshotting),
    el('AutomaticFailover', enabled(g.automaticFailover)),
    el('MultiAZ', enabled(g.multiAz)),
    g.clusterMode ? endpoint('ConfigurationEndpoint', host(g.id, region, '.clustercfg'), 6379) : '',
    el('SnapshotRetentionLimit', g.snapshotRetentionLimit),
    el('SnapshotWindow', '05:00-06:00'),
    el('ClusterEnabled', g.clusterMode),
    el('CacheNodeType', g.nodeType),
    el('AuthTokenEnabled', false),
    el('TransitEncryptionEnabled', false),
    el('AtRestEncryptionEnabled', false),
    el('ARN', g.arn),
    '<UserGroupIds/>',
    '<LogDeliveryConfigurations/>',
    el('ReplicationGroupCreateTime', g.createdAt),
    el('DataTiering', 'disabled'),
    el('AutoMinorVersionUpgrade', true),
    el('NetworkType', 'ipv4'),
    el('IpDiscovery', 'ipv4'),
    el('ClusterMode', enabled(g.clusterMode)),
    el('Engine', g.engine),
  ].join('');
}

function renderCluster(c: SimCacheCluster, region: string, showNodes: boolean): string {
  const port = PORT[c.engine] ?? 6379;
  const family = c.engine === 'memcached' ? 'memcached1.6' : `${c.engine}${c.engineVersion.split('.')[0] ?? ''}`;
  const nodes = Array.from({ length: c.numNodes }, (_, i) => String(i + 1).padStart(4, '0')).map((id) =>
    node(
      'CacheNode',
      el('CacheNodeId', id),
      el('CacheNodeStatus', c.status === 'deleting' ? 'deleting' : c.status === 'creating' ? 'creating' : 'available'),
      el('CacheNodeCreateTime', c.createdAt),
      endpoint('Endpoint', host(c.id, region, `.${id}`), port),
      el('ParameterGroupStatus', 'in-sync'),
      el('CustomerAvailabilityZone', c.preferredAz),
    ),
  );
  return [
    el('CacheClusterId', c.id),
    c.engine === 'memcached' ? endpoint('ConfigurationEndpoint', host(c.id, region, '.cfg'), port) : '',
    el('ClientDownloadLandingPage', 'https://console.aws.amazon.com/elasticache/home#client-download:'),
    el('CacheNodeType', c.nodeType),
    el('Engine', c.engine),
    el('EngineVersion', c.engineVersion),
    el('CacheClusterStatus', c.status),
    el('NumCacheNodes', c.numNodes),
    el('PreferredAvailabilityZone', c.preferredAz),
    el('CacheClusterCreateTime', c.createdAt),
    el('PreferredMaintenanceWindow', 'sun:05:00-sun:06:00'),
    '<PendingModifiedValues/>',
    '<CacheSecurityGroups/>',
    node('CacheParameterGroup', el('CacheParameterGroupName', `default.${family}`), el('ParameterApplyStatus', 'in-sync')),
    el('CacheSubnetGroupName', 'default'),
    showNodes ? (nodes.length === 0 ? '<CacheNodes/>' : node('CacheNodes', ...nodes)) : '',
    el('AutoMinorVersionUpgrade', true),
    el('ReplicationGroupId', c.replicationGroupId),
    c.engine === 'memcached' ? '' : el('SnapshotRetentionLimit', c.snapshotRetentionLimit),
    c.engine === 'memcached' ? '' : el('SnapshotWindow', '05:00-06:00'),
    el('AuthTokenEnabled', false),
    el('TransitEncryptionEnabled', false),
    el('AtRestEncryptionEnabled', false),
    el('ARN', c.arn),
    el('ReplicationGroupLogDeliveryEnabled', false),
    '<LogDeliveryConfigurations/>',
    el('NetworkType', 'ipv4'),
    el('IpDiscovery', 'ipv4'),
  ].join('');
}

function renderSnapshot(s: SimCacheSnapshot, ec: SimElastiCacheRegion): string {
  const source = s.cacheClusterId === undefined ? undefined : ec.cacheClusters.get(s.cacheClusterId);
  return [
    el('SnapshotName', s.name),
    el('ReplicationGroupId', s.replicationGroupId),
    el('ReplicationGroupDescription', s.replicationGroupDescription),
    el('CacheClusterId', s.cacheClusterId),
    el('SnapshotStatus', s.status),
    el('SnapshotSource', s.source),
    el('CacheNodeType', s.nodeType),
    el('Engine', s.engine),
    el('EngineVersion', s.engineVersion),
    el('NumCacheNodes', s.numCacheNodes),
    el('PreferredAvailabilityZone', source?.preferredAz),
    el('CacheClusterCreateTime', s.clusterCreatedAt),
    el('PreferredMaintenanceWindow', 'sun:05:00-sun:06:00'),
    el('Port', 6379),
    el('CacheParameterGroupName', `default.${s.engine}${s.engineVersion.split('.')[0] ?? ''}`),
    el('CacheSubnetGroupName', 'default'),
    el('VpcId', 'vpc-0sim00000000000001'),
    el('AutoMinorVersionUpgrade', true),
    el('SnapshotRetentionLimit', 0),
    el('SnapshotWindow', '05:00-06:00'),
    el('NumNodeGroups', s.numNodeGroups),
    el('AutomaticFailover', s.replicationGroupId === undefined ? undefined : 'disabled'),
    list(
      'NodeSnapshots',
      'NodeSnapshot',
      s.nodeSnapshots.map(
        (n) =>
          el('CacheClusterId', n.cacheClusterId) +
          el('NodeGroupId', n.nodeGroupId) +
          el('CacheNodeId', '0001') +
          el('CacheNodeCreateTime', s.clusterCreatedAt) +
          (s.status === 'creating' ? '' : el('SnapshotCreateTime', s.createdAt)),
      ),
    ),
    el('ARN', s.arn),
    el('DataTiering', 'disabled'),
  ].join('');
}

const tagList = (tags: readonly SimTag[]): string => list('TagList', 'Tag', tags.map((t) => el('Key', t.key) + el('Value', t.value)));

const DELETABLE_GROUP = new Set(['available', 'create-failed']);
const DELETABLE_CLUSTER = new Set(['available', 'incompatible-network', 'restore-failed']);

/** Starts a snapshot of a group or standalone cluster (CreateSnapshot, a final snapshot). */
function startSnapshot(ctx: CallContext, ec: SimElastiCacheRegion, source: { group: SimReplicationGroup } | { cluster: SimCacheCluster }, name: string, tags: SimTag[]): SimCacheSnapshot {
  if (ec.snapshots.has(name)) throw new ApiError('SnapshotAlreadyExistsFault', `Snapshot with specified name [${name}] already exists.`);
  const snap = snapshotOf(source, {
    name,
    arn: elastiCacheArn(ctx.regionName, ctx.account.accountId, 'snapshot', name),
    source: 'manual',
    status: 'creating',
    createdAt: new Date(),
    tags,
  });
  snap.availableAtMs = Date.now() + options(ctx).elastiCacheSnapshotDelayMs;
  ec.snapshots.set(name, snap);
  ec.beginSnapshotting(snap);
  return snap;
}

export const elastiCacheService = awsQueryService({
  name: 'ElastiCache',
  signingName: 'elasticache',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: ELASTICACHE_VERSION,
  xmlNamespace: ELASTICACHE_XMLNS,
  operations: {
    DescribeReplicationGroups: (ctx, p) => {
      const ec = stateOf(ctx);
      const id = p.get('ReplicationGroupId');
      const groups = id !== undefined && id !== '' ? [groupOf(ec, id)] : [...ec.replicationGroups.values()];
      const { page, marker } = markerPage(groups, (g) => g.id, p, { min: 20, max: 100, dflt: 100 });
      return el('Marker', marker) + list('ReplicationGroups', 'ReplicationGroup', page.map((g) => renderGroup(g, ec, ctx.regionName)));
    },

    DescribeCacheClusters: (ctx, p) => {
      const ec = stateOf(ctx);
      const id = p.get('CacheClusterId');
      const standaloneOnly = p.bool('ShowCacheClustersNotInReplicationGroups');
      let clusters = id !== undefined && id !== '' ? [clusterOf(ec, id)] : [...ec.cacheClusters.values()];
      if (standaloneOnly) clusters = clusters.filter((c) => c.replicationGroupId === undefined);
      const { page, marker } = markerPage(clusters, (c) => c.id, p, { min: 20, max: 100, dflt: 100 });
      const showNodes = p.bool('ShowCacheNodeInfo');
      return el('Marker', marker) + list('CacheClusters', 'CacheCluster', page.map((c) => renderCluster(c, ctx.regionName, showNodes)));
    },

    CreateSnapshot: (ctx, p) => {
      const ec = stateOf(ctx);
      const name = requiredParam(p, 'SnapshotName');
      const groupId = p.get('ReplicationGroupId');
      const clusterId = p.get('CacheClusterId');
      if ((groupId === undefined) === (clusterId === undefined)) {
        throw new ApiError('InvalidParameterCombination', 'Exactly one of ReplicationGroupId and CacheClusterId must be specified.');
      }
      const tags = tagParams(p);
      let snap: SimCacheSnapshot;
      if (groupId !== undefined) {
        const g = groupOf(ec, groupId);
        if (g.status !== 'available') throw new ApiError('InvalidReplicationGroupState', `Replication group ${g.id} is not in available state.`);
        snap = startSnapshot(ctx, ec, { group: g }, name, tags);
      } else {
        const c = clusterOf(ec, clusterId!);
        if (c.engine === 'memcached') throw memcachedSnapshot(c.id);
        if (c.nodeType === 'cache.t1.micro') throw new ApiError('SnapshotFeatureNotSupportedFault', `Snapshots are not supported for cache node type cache.t1.micro.`);
        if (c.status !== 'available') throw new ApiError('InvalidCacheClusterState', `Cache cluster ${c.id} is not in available state.`);
        const g = c.replicationGroupId === undefined ? undefined : ec.replicationGroups.get(c.replicationGroupId);
        snap = startSnapshot(ctx, ec, g === undefined ? { cluster: c } : { group: g }, name, tags);
      }
      return node('Snapshot', renderSnapshot(snap, ec));
    },

    DescribeSnapshots: (ctx, p) => {
      const ec = stateOf(ctx);
      const name = p.get('SnapshotName');
      const groupId = p.get('ReplicationGroupId');
      const clusterId = p.get('CacheClusterId');
      const source = p.get('SnapshotSource');
      if (source !== undefined && source !== 'system' && source !== 'user') {
        throw new ApiError('InvalidParameterValue', `Invalid value for SnapshotSource: ${source}. Valid values are system and user.`);
      }
      if (name !== undefined && name !== '' && !ec.snapshots.has(name)) throw snapshotNotFound(name);
      if (groupId !== undefined && groupId !== '' && !ec.replicationGroups.has(groupId)) throw groupNotFound(groupId);
      if (clusterId !== undefined && clusterId !== '' && !ec.cacheClusters.has(clusterId)) throw clusterNotFound(clusterId);
      const snaps = [...ec.snapshots.values()].filter(
        (s) =>
          (name === undefined || name === '' || s.name === name) &&
          (groupId === undefined || groupId === '' || s.replicationGroupId === groupId) &&
          (clusterId === undefined || clusterId === '' || s.cacheClusterId === clusterId) &&
          (source === undefined || (source === 'system') === (s.source === 'automated')),
      );
      const { page, marker } = markerPage(snaps, (s) => s.name, p, { min: 20, max: 50, dflt: 50 });
      return el('Marker', marker) + list('Snapshots', 'Snapshot', page.map((s) => renderSnapshot(s, ec)));
    },

    DeleteReplicationGroup: (ctx, p) => {
      const ec = stateOf(ctx);
      const g = groupOf(ec, requiredParam(p, 'ReplicationGroupId'));
      if (!DELETABLE_GROUP.has(g.status)) {
        throw new ApiError('InvalidReplicationGroupState', `Replication group ${g.id} is ${g.status} and cannot be deleted now.`);
      }
      const retain = p.bool('RetainPrimaryCluster');
      const final = p.get('FinalSnapshotIdentifier');
      if (retain && g.clusterMode) throw new ApiError('InvalidParameterCombination', 'RetainPrimaryCluster is not supported for cluster mode enabled replication groups.');
      if (final !== undefined && final !== '') startSnapshot(ctx, ec, { group: g }, final, []);
      const members = g.nodeGroups.flatMap((n) => n.memberIds);
      if (retain) {
        // The primary stays as a standalone cluster; the replicas and the group go.
        const primary = g.nodeGroups[0]?.memberIds[0];
        const keep = primary === undefined ? undefined : ec.cacheClusters.get(primary);
        if (keep !== undefined) {
          delete keep.replicationGroupId;
          delete keep.nodeGroupId;
          delete keep.role;
        }
        for (const ng of g.nodeGroups) ng.memberIds = ng.memberIds.filter((m) => m !== primary);
      }
      g.status = 'deleting';
      for (const id of members) {
        const c = ec.cacheClusters.get(id);
        if (c?.replicationGroupId === g.id) c.status = 'deleting';
      }
      ec.deletesAtMs.set(g.id, Date.now() + options(ctx).elastiCacheDeletionDelayMs);
      return node('ReplicationGroup', renderGroup(g, ec, ctx.regionName));
    },

    DeleteCacheCluster: (ctx, p) => {
      const ec = stateOf(ctx);
      const c = clusterOf(ec, requiredParam(p, 'CacheClusterId'));
      // The simulator deletes members only with their group (AWS also lets a read replica go on its own).
      if (c.replicationGroupId !== undefined) {
        throw new ApiError('InvalidParameterCombination', `Cache cluster ${c.id} is a member of replication group ${c.replicationGroupId}: delete the replication group.`);
      }
      if (!DELETABLE_CLUSTER.has(c.status)) throw new ApiError('InvalidCacheClusterState', `Cache cluster ${c.id} is ${c.status} and cannot be deleted now.`);
      const final = p.get('FinalSnapshotIdentifier');
      if (final !== undefined && final !== '') {
        if (c.engine === 'memcached') throw memcachedSnapshot(c.id);
        startSnapshot(ctx, ec, { cluster: c }, final, []);
      }
      c.status = 'deleting';
      ec.deletesAtMs.set(c.id, Date.now() + options(ctx).elastiCacheDeletionDelayMs);
      return node('CacheCluster', renderCluster(c, ctx.regionName, false));
    },

    ListTagsForResource: (ctx, p) => {
      const ec = stateOf(ctx);
      const arn = requiredParam(p, 'ResourceName');
      const m = /^arn:aws[a-z-]*:elasticache:([a-z0-9-]+):(\d{12}):(cluster|replicationgroup|snapshot):(.+)$/.exec(arn);
      if (m === null) throw new ApiError('InvalidARN', `The ARN ${arn} is not valid.`);
      const [, region, account, kind, id] = m as unknown as [string, string, string, string, string];
      const here = region === ctx.regionName && account === ctx.account.accountId;
      if (kind === 'cluster') {
        const c = here ? ec.cacheClusters.get(id) : undefined;
        if (c === undefined) throw clusterNotFound(id);
        return tagList(c.tags);
      }
      if (kind === 'replicationgroup') {
        const g = here ? ec.replicationGroups.get(id) : undefined;
        if (g === undefined) throw groupNotFound(id);
        return tagList(g.tags);
      }
      const s = here ? ec.snapshots.get(id) : undefined;
      if (s === undefined) throw snapshotNotFound(id);
      return tagList(s.tags);
    },
  },
});
