/**
 * ElastiCache in the simulated account (API 2015-02-02): replication groups (Redis OSS / Valkey, cluster mode on or
 * off) with their member cache clusters, standalone cache clusters (Memcached, or single-node Redis / Valkey), and
 * snapshots. Each region holds one `SimElastiCacheRegion` (`sim.state.region('eu-west-1').elasticache`). Fixture
 * section: `resources[region].elasticache`. `taggedResources()` feeds the Resource Groups Tagging API
 * (services/tagging.ts).
 *
 * Member cluster ids are AWS's: `<group>-001`, `<group>-002`, … with cluster mode off (one node group `0001`, the first
 * member its primary), `<group>-0001-001`, `<group>-0001-002`, `<group>-0002-001`, … with cluster mode on. Metric
 * fixtures name them (`AWS/ElastiCache` `NewConnections` with `{ CacheClusterId: 'web-001' }`).
 *
 * Snapshots: CreateSnapshot answers `creating` and puts its source (the group and the snapshotting member, or the
 * standalone cluster) in `snapshotting` until the snapshot is `available` (`elastiCacheSnapshotDelayMs` later), as
 * ElastiCache does; a group or cluster that is snapshotting cannot be deleted. Deletions answer `deleting`; the
 * resource is gone `elastiCacheDeletionDelayMs` later (`settle`, run before every ElastiCache operation).
 */
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

export type SimCacheEngine = 'redis' | 'valkey' | 'memcached';
/** ReplicationGroup.Status (API reference): creating | available | modifying | deleting | create-failed | snapshotting. */
export type SimReplicationGroupStatus = 'creating' | 'available' | 'modifying' | 'deleting' | 'create-failed' | 'snapshotting';
/** CacheCluster.CacheClusterStatus (API reference). */
export type SimCacheClusterStatus =
  | 'available'
  | 'creating'
  | 'deleted'
  | 'deleting'
  | 'incompatible-network'
  | 'modifying'
  | 'rebooting cluster nodes'
  | 'restore-failed'
  | 'snapshotting';

export interface SimCacheCluster {
  id: string;
  arn: string;
  engine: SimCacheEngine;
  engineVersion: string;
  nodeType: string;
  numNodes: number;
  status: SimCacheClusterStatus;
  createdAt: Date;
  preferredAz: string;
  snapshotRetentionLimit: number;
  tags: SimTag[];
  /** Members of a replication group: the group, its node group, and the member's role. */
  replicationGroupId?: string;
  nodeGroupId?: string;
  role?: 'primary' | 'replica';
}

export interface SimNodeGroup {
  id: string;
  /** Member cluster ids, the primary first. */
  memberIds: string[];
}

export interface SimReplicationGroup {
  id: string;
  arn: string;
  description: string;
  engine: 'redis' | 'valkey';
  engineVersion: string;
  nodeType: string;
  status: SimReplicationGroupStatus;
  clusterMode: boolean;
  nodeGroups: SimNodeGroup[];
  createdAt: Date;
  snapshotRetentionLimit: number;
  automaticFailover: boolean;
  multiAz: boolean;
  tags: SimTag[];
}

export type SimCacheSnapshotStatus = 'creating' | 'available' | 'restoring' | 'copying' | 'deleting';

export interface SimCacheSnapshot {
  name: string;
  arn: string;
  /** `manual` (CreateSnapshot, a final snapshot) or `automated` (daily backups). */
  source: 'manual' | 'automated';
  status: SimCacheSnapshotStatus;
  replicationGroupId?: string;
  replicationGroupDescription?: string;
  /** The cluster the data came from (a standalone cluster, or a cluster-mode-off group's snapshotting member). */
  cacheClusterId?: string;
  engine: 'redis' | 'valkey';
  engineVersion: string;
  nodeType: string;
  numNodeGroups: number;
  /** Standalone clusters' snapshots only (AWS leaves it out for groups). */
  numCacheNodes?: number;
  clusterCreatedAt: Date;
  createdAt: Date;
  /** Node groups and the cluster each was taken from. */
  nodeSnapshots: { nodeGroupId: string; cacheClusterId: string }[];
  tags: SimTag[];
  /** Wall-clock ms (Date.now()) at which a `creating` snapshot becomes `available` (settle). */
  availableAtMs?: number;
}

export class SimElastiCacheRegion {
  readonly replicationGroups = new Map<string, SimReplicationGroup>();
  /** Every cache cluster: standalone ones and replication group members. */
  readonly cacheClusters = new Map<string, SimCacheCluster>();
  readonly snapshots = new Map<string, SimCacheSnapshot>();
  /** Wall-clock ms at which a `deleting` group or standalone cluster is gone, by id. */
  readonly deletesAtMs = new Map<string, number>();

  /** Finishes what time has finished: snapshots become available (their sources available again), deletions end. */
  settle(nowMs: number = Date.now()): void {
    for (const s of this.snapshots.values()) {
      if (s.status !== 'creating' || s.availableAtMs === undefined || s.availableAtMs > nowMs) continue;
      s.status = 'available';
      delete s.availableAtMs;
      this.endSnapshotting(s);
    }
    for (const [id, at] of this.deletesAtMs) {
      if (at > nowMs) continue;
      this.deletesAtMs.delete(id);
      const g = this.replicationGroups.get(id);
      if (g !== undefined) {
        for (const m of g.nodeGroups.flatMap((n) => n.memberIds)) this.cacheClusters.delete(m);
        this.replicationGroups.delete(id);
      } else {
        this.cacheClusters.delete(id);
      }
      // Automated backups go with their source; manual snapshots (final ones included) stay.
      for (const [name, s] of this.snapshots) {
        if (s.source === 'automated' && (s.replicationGroupId === id || (s.replicationGroupId === undefined && s.cacheClusterId === id))) {
          this.snapshots.delete(name);
        }
      }
    }
  }

  /** A snapshot being taken: its group (and the member it reads) or its standalone cluster is `snapshotting`. */
  beginSnapshotting(s: SimCacheSnapshot): void {
    this.setSnapshotting(s, true);
  }

  private endSnapshotting(s: SimCacheSnapshot): void {
    const busy = [...this.snapshots.values()].some(
      (o) => o !== s && o.status === 'creating' && o.replicationGroupId === s.replicationGroupId && o.cacheClusterId === s.cacheClusterId,
    );
    if (!busy) this.setSnapshotting(s, false);
  }

  private setSnapshotting(s: SimCacheSnapshot, on: boolean): void {
    const from = on ? 'available' : 'snapshotting';
    const to = on ? 'snapshotting' : 'available';
    if (s.replicationGroupId !== undefined) {
      const g = this.replicationGroups.get(s.replicationGroupId);
      if (g?.status === from) g.status = to;
    }
    for (const id of new Set([s.cacheClusterId, ...s.nodeSnapshots.map((n) => n.cacheClusterId)])) {
      const c = id === undefined ? undefined : this.cacheClusters.get(id);
      if (c?.status === from) c.status = to;
    }
  }

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [
      ...[...this.cacheClusters.values()].map((c) => ({ arn: c.arn, resourceType: 'elasticache:cluster', tags: c.tags })),
      ...[...this.replicationGroups.values()].map((g) => ({ arn: g.arn, resourceType: 'elasticache:replicationgroup', tags: g.tags })),
      ...[...this.snapshots.values()].map((s) => ({ arn: s.arn, resourceType: 'elasticache:snapshot', tags: s.tags })),
    ];
  }
}

export interface ReplicationGroupFixture {
  id: string;
  engine?: 'redis' | 'valkey'; // default 'redis'
  engineVersion?: string; // default '7.1' (redis), '8.0' (valkey)
  nodeType?: string; // default 'cache.t3.small'
  /** Node groups (shards); default 1. More than one means cluster mode on. */
  shards?: number;
  /** Replicas per node group; default 1. */
  replicasPerShard?: number;
  /** Default: on when there is more than one shard. */
  clusterMode?: boolean;
  status?: SimReplicationGroupStatus; // default 'available'
  createdDaysAgo?: number; // default 100
  description?: string;
  /** Days of automated backups; default 0 (none). Above 0, one automated snapshot from yesterday is listed. */
  snapshotRetentionLimit?: number;
  automaticFailover?: boolean; // default: on when there are replicas
  multiAz?: boolean; // default false
  tags?: FixtureTags;
  /** Tags of the member clusters (each member's own ARN); default none. */
  memberTags?: FixtureTags;
}

export interface CacheClusterFixture {
  id: string;
  engine?: SimCacheEngine; // default 'memcached'
  engineVersion?: string; // default '1.6.22' (memcached), '7.1' (redis), '8.0' (valkey)
  nodeType?: string; // default 'cache.t3.micro'
  /** Memcached: 1–40 nodes (default 1); Redis and Valkey clusters outside a group have exactly one. */
  numNodes?: number;
  status?: SimCacheClusterStatus; // default 'available'
  createdDaysAgo?: number; // default 100
  snapshotRetentionLimit?: number; // default 0 (Memcached: always 0)
  tags?: FixtureTags;
}

export interface CacheSnapshotFixture {
  name: string;
  /** One of the two: the group or the standalone cluster it was taken from (both must exist in the fixture). */
  replicationGroupId?: string;
  cacheClusterId?: string;
  source?: 'manual' | 'automated'; // default 'manual'
  createdDaysAgo?: number; // default 10
  tags?: FixtureTags;
}

export interface ElastiCacheRegionFixture {
  replicationGroups?: ReplicationGroupFixture[];
  cacheClusters?: CacheClusterFixture[];
  snapshots?: CacheSnapshotFixture[];
}

const DAY_MS = 86_400_000;
const DEFAULT_VERSION: Readonly<Record<SimCacheEngine, string>> = { redis: '7.1', valkey: '8.0', memcached: '1.6.22' };

export function elastiCacheArn(region: string, accountId: string, kind: 'cluster' | 'replicationgroup' | 'snapshot', id: string): string {
  return `arn:aws:elasticache:${region}:${accountId}:${kind}:${id}`;
}

/** Member cluster ids of a group as AWS names them (see the header). */
export function memberIds(groupId: string, shards: number, replicasPerShard: number, clusterMode: boolean): SimNodeGroup[] {
  const n3 = (i: number): string => String(i).padStart(3, '0');
  const n4 = (i: number): string => String(i).padStart(4, '0');
  return Array.from({ length: clusterMode ? shards : 1 }, (_, s) => ({
    id: n4(s + 1),
    memberIds: Array.from({ length: 1 + replicasPerShard }, (_, m) => (clusterMode ? `${groupId}-${n4(s + 1)}-${n3(m + 1)}` : `${groupId}-${n3(m + 1)}`)),
  }));
}

/** The snapshot a group or standalone cluster would give now (CreateSnapshot, a final snapshot, a fixture's). */
export function snapshotOf(
  source: { group: SimReplicationGroup } | { cluster: SimCacheCluster },
  s: { name: string; arn: string; source: 'manual' | 'automated'; status: SimCacheSnapshotStatus; createdAt: Date; tags: SimTag[] },
): SimCacheSnapshot {
  if ('group' in source) {
    const g = source.group;
    // Cluster mode off: the data is read from one member (a replica when there is one, as AWS prefers).
    const reader = g.clusterMode ? undefined : (g.nodeGroups[0]?.memberIds[1] ?? g.nodeGroups[0]?.memberIds[0]);
    return {
      ...s,
      replicationGroupId: g.id,
      replicationGroupDescription: g.description,
      ...(reader !== undefined ? { cacheClusterId: reader } : {}),
      engine: g.engine,
      engineVersion: g.engineVersion,
      nodeType: g.nodeType,
      numNodeGroups: g.nodeGroups.length,
      clusterCreatedAt: g.createdAt,
      nodeSnapshots: g.nodeGroups.map((n) => ({ nodeGroupId: n.id, cacheClusterId: reader ?? n.memberIds[0] ?? '' })),
    };
  }
  const c = source.cluster;
  if (c.engine === 'memcached') throw new Error(`Memcached cluster ${c.id} has no snapshots`);
  return {
    ...s,
    cacheClusterId: c.id,
    engine: c.engine,
    engineVersion: c.engineVersion,
    nodeType: c.nodeType,
    numNodeGroups: 1,
    numCacheNodes: c.numNodes,
    clusterCreatedAt: c.createdAt,
    nodeSnapshots: [{ nodeGroupId: '0001', cacheClusterId: c.id }],
  };
}

/** Fills `into` from the region's fixture section. */
export function loadElastiCacheFixture(into: SimElastiCacheRegion, fx: ElastiCacheRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  const toTags = (t: FixtureTags | undefined): SimTag[] => Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));
  const ago = (days: number | undefined, dflt: number): Date => new Date(ctx.now.getTime() - (days ?? dflt) * DAY_MS);
  const arn = (kind: 'cluster' | 'replicationgroup' | 'snapshot', id: string): string => elastiCacheArn(ctx.region, ctx.accountId, kind, id);
  const azs = [`${ctx.region}a`, `${ctx.region}b`, `${ctx.region}c`];
  const addCluster = (c: SimCacheCluster): void => {
    if (into.cacheClusters.has(c.id)) throw new Error(`fixture: cache cluster ${c.id} appears twice in ${ctx.region}`);
    into.cacheClusters.set(c.id, c);
  };

  for (const g of fx.replicationGroups ?? []) {
    if (into.replicationGroups.has(g.id)) throw new Error(`fixture: replication group ${g.id} appears twice in ${ctx.region}`);
    const shards = g.shards ?? 1;
    const replicas = g.replicasPerShard ?? 1;
    const clusterMode = g.clusterMode ?? shards > 1;
    if (!clusterMode && shards > 1) throw new Error(`fixture: replication group ${g.id} has ${shards} shards with cluster mode off`);
    const engine = g.engine ?? 'redis';
    const createdAt = ago(g.createdDaysAgo, 100);
    const group: SimReplicationGroup = {
      id: g.id,
      arn: arn('replicationgroup', g.id),
      description: g.description ?? `${g.id} cache`,
      engine,
      engineVersion: g.engineVersion ?? DEFAULT_VERSION[engine],
      nodeType: g.nodeType ?? 'cache.t3.small',
      status: g.status ?? 'available',
      clusterMode,
      nodeGroups: memberIds(g.id, shards, replicas, clusterMode),
      createdAt,
      snapshotRetentionLimit: g.snapshotRetentionLimit ?? 0,
      automaticFailover: g.automaticFailover ?? replicas > 0,
      multiAz: g.multiAz ?? false,
      tags: toTags(g.tags),
    };
    into.replicationGroups.set(g.id, group);
    let az = 0;
    for (const ng of group.nodeGroups) {
      ng.memberIds.forEach((id, i) => {
        addCluster({
          id,
          arn: arn('cluster', id),
          engine,
          engineVersion: group.engineVersion,
          nodeType: group.nodeType,
          numNodes: 1,
          status: group.status === 'create-failed' ? 'creating' : group.status === 'snapshotting' ? 'available' : (group.status as SimCacheClusterStatus),
          createdAt,
          preferredAz: azs[az++ % azs.length]!,
          snapshotRetentionLimit: group.snapshotRetentionLimit,
          tags: toTags(g.memberTags),
          replicationGroupId: g.id,
          nodeGroupId: ng.id,
          role: i === 0 ? 'primary' : 'replica',
        });
      });
    }
    if (group.snapshotRetentionLimit > 0) {
      const at = new Date(Math.floor(ctx.now.getTime() / DAY_MS) * DAY_MS - DAY_MS + 5 * 3_600_000);
      const name = `automatic.${g.id}-${at.toISOString().slice(0, 16).replace('T', '-').replace(':', '-')}`;
      into.snapshots.set(name, snapshotOf({ group }, { name, arn: arn('snapshot', name), source: 'automated', status: 'available', createdAt: at, tags: [] }));
    }
  }

  for (const c of fx.cacheClusters ?? []) {
    const engine = c.engine ?? 'memcached';
    const numNodes = c.numNodes ?? 1;
    if (engine !== 'memcached' && numNodes !== 1) throw new Error(`fixture: ${engine} cache cluster ${c.id} outside a replication group has exactly one node`);
    addCluster({
      id: c.id,
      arn: arn('cluster', c.id),
      engine,
      engineVersion: c.engineVersion ?? DEFAULT_VERSION[engine],
      nodeType: c.nodeType ?? 'cache.t3.micro',
      numNodes,
      status: c.status ?? 'available',
      createdAt: ago(c.createdDaysAgo, 100),
      preferredAz: azs[0]!,
      snapshotRetentionLimit: engine === 'memcached' ? 0 : (c.snapshotRetentionLimit ?? 0),
      tags: toTags(c.tags),
    });
  }

  for (const s of fx.snapshots ?? []) {
    if (into.snapshots.has(s.name)) throw new Error(`fixture: ElastiCache snapshot ${s.name} appears twice in ${ctx.region}`);
    const group = s.replicationGroupId === undefined ? undefined : into.replicationGroups.get(s.replicationGroupId);
    const cluster = s.cacheClusterId === undefined ? undefined : into.cacheClusters.get(s.cacheClusterId);
    if (group === undefined && cluster === undefined) throw new Error(`fixture: ElastiCache snapshot ${s.name} names no replication group or cache cluster of ${ctx.region}`);
    const base = { name: s.name, arn: arn('snapshot', s.name), source: s.source ?? 'manual', status: 'available', createdAt: ago(s.createdDaysAgo, 10), tags: toTags(s.tags) } as const;
    into.snapshots.set(s.name, snapshotOf(group !== undefined ? { group } : { cluster: cluster! }, base));
  }
}
