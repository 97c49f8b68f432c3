/**
 * The generator's database part (generator.ts calls it per region): RDS DB instances, Aurora clusters with their
 * member instances, DB and cluster snapshots, ElastiCache replication groups and standalone cache clusters, Redshift
 * clusters and OpenSearch domains, with the CloudWatch series their verdicts read — each unused or not *by
 * construction*, by the definitions in unused-oracle-databases.ts (generator.test.ts checks the list against it).
 *
 * Per kind, the first `round(n × ratio)` are unused, cycling (shifted by the region's index, so small accounts still
 * see every case across regions) through:
 * - DB instances: idle (DatabaseConnections 0 every day), stopped 1–6 days ago, idle with deletion protection;
 * - Aurora clusters: idle (every member 0), stopped, without DB instances;
 * - DB snapshots: orphaned manual snapshot, one copied from another account, an orphaned cluster snapshot, and one whose
 *   identifier a DB snapshot also uses (`cluster-snapshot:<id>`);
 * - ElastiCache (replication groups — cluster mode on or off —, Memcached and single-node Redis clusters): every member
 *   NewConnections 0 every day;
 * - Redshift: idle, or paused with no connection in the window (connections only before it);
 * - OpenSearch: SearchRate and IndexingRate 0 every day (and WarmSearchRate for an UltraWarm domain).
 * Some unused ones carry `cloud-cleaner:keep=true` (protected, still unused). The others are in use: the first busy,
 * then edge cases that must not be called unused — young (created inside the window), a missing day (unknown), a status
 * that is not judged, no series at all, a read replica, a paused-and-resumed cluster, Aurora Serverless v1, a Multi-AZ
 * DB cluster, an AWS Backup / failed / cross-Region copy snapshot, a snapshot whose source exists, indexing without
 * searches, warm searches only.
 */
import { memberIds } from './elasticache-state';
import type { CacheClusterFixture, ElastiCacheRegionFixture, ReplicationGroupFixture } from './elasticache-state';
import type { MetricSeriesFixture } from './fixture';
import type { UnusedResource } from './generator';
import type { OpenSearchDomainFixture, OpenSearchRegionFixture } from './opensearch-state';
import type { RdsClusterFixture, RdsClusterSnapshotFixture, RdsInstanceFixture, RdsRegionFixture, RdsSnapshotFixture } from './rds-state';
import type { RedshiftClusterFixture, RedshiftRegionFixture } from './redshift-state';

export interface DatabaseGenInput {
  region: string;
  /** The region's index (shifts the cases, so every case appears across a few regions). */
  r: number;
  accountId: string;
  /** Another region of the generated account (cross-Region copies), or null when there is only one. */
  otherRegion: string | null;
  rand: () => number;
  rdsInstances: number;
  dbClusters: number;
  dbSnapshots: number;
  cacheClusters: number;
  redshiftClusters: number;
  openSearchDomains: number;
  unusedRatio: number;
  /** Days of metric data ending yesterday (≥ 30, the app's lookback). */
  metricDays: number;
}

export interface DatabaseGenOutput {
  rds: RdsRegionFixture;
  elasticache: ElastiCacheRegionFixture;
  redshift: RedshiftRegionFixture;
  opensearch: OpenSearchRegionFixture;
  metrics: MetricSeriesFixture[];
  unused: UnusedResource[];
}

const KEEP = { 'cloud-cleaner:keep': 'true' };
const OTHER_ACCOUNT = '444455556666';
const GIB = 1024 ** 3;
/** Created this many days ago: inside the 30-day window, too young to judge. */
const YOUNG_DAYS = 10;

export function generateDatabases(g: DatabaseGenInput): DatabaseGenOutput {
  const { region, r, rand, metricDays } = g;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const unused: UnusedResource[] = [];
  const metrics: MetricSeriesFixture[] = [];
  const push = (type: UnusedResource['type'], id: string): void => {
    unused.push({ type, region, id });
  };
  /** A daily array (oldest first, last = yesterday); days before creation are null. */
  const daily = (createdDaysAgo: number, value: (age: number) => number | null): (number | null)[] =>
    Array.from({ length: metricDays }, (_, i) => {
      const age = metricDays - i; // 1 = yesterday
      return age > createdDaysAgo ? null : value(age);
    });
  const series = (namespace: string, metricName: string, dimensions: Record<string, string>, values: (number | null)[]): void => {
    metrics.push({ namespace, metricName, dimensions, daily: values });
  };
  const old = (): number => int(40, 700);
  /** A day inside the window (ages 2–29) on which a continuously published metric has no datapoint. */
  const gapAge = (): number => int(2, 29);
  const split = (n: number): number => Math.round(n * g.unusedRatio);
  /** The edge case of the j-th used resource (j ≥ 1; j = 0 is plainly busy), shifted by the region. */
  const edge = <T extends string>(j: number, edges: readonly T[]): T | 'busy' => (j >= 1 && j <= edges.length ? edges[(j - 1 + r) % edges.length]! : 'busy');

  // ---- RDS DB instances
  const instances: RdsInstanceFixture[] = [];
  const ENGINES = ['postgres', 'mysql', 'mariadb', 'postgres'];
  const CLASSES = ['db.t3.micro', 'db.t3.medium', 'db.m5.large', 'db.r6g.large', 'db.t4g.small'];
  const STORAGE = ['gp3', 'gp2', 'gp3', 'io1'];
  const nRds = g.rdsInstances;
  const unusedRds = split(nRds);
  const rdsId = (k: number): string => `gen-db-${k}`;
  for (let k = 0; k < nRds; k++) {
    const id = rdsId(k);
    const storageType = STORAGE[k % STORAGE.length]!;
    const base: RdsInstanceFixture = {
      id,
      engine: ENGINES[k % ENGINES.length]!,
      instanceClass: CLASSES[k % CLASSES.length]!,
      storageType,
      allocatedStorage: storageType === 'io1' ? int(100, 1000) : int(20, 500),
      ...(storageType === 'io1' ? { iops: int(1000, 5000) } : {}),
      multiAz: k % 5 === 4,
      tags: { Name: id },
    };
    const connections = (created: number, busy: boolean, missing = -1): (number | null)[] =>
      daily(created, (age) => (age === missing ? null : busy ? int(1, 200) : 0));
    if (k < unusedRds) {
      const kase = (k + r) % 3; // 0 idle, 1 stopped, 2 idle with deletion protection
      const created = old();
      instances.push({
        ...base,
        createdDaysAgo: created,
        ...(kase === 1 ? { status: 'stopped' as const, stoppedDaysAgo: int(1, 6) } : {}),
        ...(kase === 2 ? { deletionProtection: true } : {}),
        ...(k % 7 === 3 ? { tags: { ...base.tags, ...KEEP } } : {}),
      });
      // A stopped instance publishes nothing since its stop; before, it was idle.
      if (kase !== 1) series('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: id }, connections(created, false));
      push('rds:db-instance', id);
      continue;
    }
    const j = k - unusedRds;
    const e = edge(j, ['young', 'gap', 'modifying', 'no-metric', 'replica'] as const);
    const created = e === 'young' ? YOUNG_DAYS : old();
    instances.push({
      ...base,
      createdDaysAgo: created,
      ...(e === 'modifying' ? { status: 'modifying' as const } : {}),
      ...(e === 'replica' ? { readReplicaOf: rdsId(unusedRds), engine: ENGINES[unusedRds % ENGINES.length]!, multiAz: false } : {}),
    });
    if (e === 'no-metric') continue;
    series('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: id }, connections(created, e === 'busy' || e === 'replica', e === 'gap' ? gapAge() : -1));
  }

  // ---- Aurora clusters (and one Multi-AZ DB cluster, one Serverless v1 among the edge cases)
  const clusters: RdsClusterFixture[] = [];
  const nCl = g.dbClusters;
  const unusedCl = split(nCl);
  const MEMBER_CLASSES = ['db.r6g.large', 'db.r6g.xlarge', 'db.t4g.medium', 'db.serverless', 'db.r7g.xlarge'];
  const clusterId = (k: number): string => `gen-aurora-${k}`;
  for (let k = 0; k < nCl; k++) {
    const id = clusterId(k);
    const engine = k % 2 === 0 ? 'aurora-postgresql' : 'aurora-mysql';
    const kase = k < unusedCl ? (k + r) % 3 : -1; // 0 idle, 1 stopped, 2 no DB instances
    const e = kase >= 0 ? null : edge(k - unusedCl, ['young', 'serverless', 'multi-az', 'gap'] as const);
    const created = e === 'young' ? YOUNG_DAYS : old();
    const members = kase === 2 || e === 'serverless' ? 0 : 1 + (k % 2);
    clusters.push({
      id,
      engine: e === 'multi-az' ? 'postgres' : engine,
      ...(e === 'serverless' ? { engineMode: 'serverless' } : {}),
      storageType: k % 3 === 2 ? 'aurora-iopt1' : 'aurora',
      createdDaysAgo: created,
      ...(kase === 1 ? { status: 'stopped' as const, stoppedDaysAgo: int(1, 6) } : {}),
      tags: { Name: id, ...(kase === 0 && k % 4 === 0 ? KEEP : {}) },
    });
    const missing = e === 'gap' ? gapAge() : -1;
    for (let m = 0; m < members; m++) {
      const member = `${id}-${m + 1}`;
      instances.push({
        id: member,
        clusterId: id,
        instanceClass: e === 'multi-az' ? 'db.m6gd.large' : MEMBER_CLASSES[(k + m) % MEMBER_CLASSES.length]!,
        createdDaysAgo: created,
      });
      if (kase === 1) continue; // stopped: nothing published since
      // In use: the writer has connections, a reader may have none.
      const busy = e === 'busy' && m === 0;
      series('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: member }, daily(created, (age) => (age === missing && m === 0 ? null : busy ? int(1, 80) : 0)));
    }
    if (e !== 'multi-az' && e !== 'serverless') {
      const gib = int(1, 500);
      series('AWS/RDS', 'VolumeBytesUsed', { DBClusterIdentifier: id }, daily(created, () => gib * GIB));
    }
    if (kase >= 0) push('rds:db-cluster', id);
  }

  // ---- DB and cluster snapshots
  const snapshots: RdsSnapshotFixture[] = [];
  const clusterSnapshots: RdsClusterSnapshotFixture[] = [];
  const nSnap = g.dbSnapshots;
  const unusedSnap = split(nSnap);
  const snapId = (k: number): string => `gen-snap-${k}`;
  // The first used DB snapshot: its identifier is shared by an orphaned cluster snapshot (case 3), so it must exist.
  const sharedName = unusedSnap < nSnap ? snapId(unusedSnap) : null;
  for (let k = 0; k < nSnap; k++) {
    const engine = k % 2 === 0 ? 'postgres' : 'mysql';
    const size = int(20, 1000);
    if (k < unusedSnap) {
      let kase = (k + r) % 4; // 0 orphan, 1 copied from another account, 2 orphaned cluster snapshot, 3 … sharing a DB snapshot's name
      if (kase === 3 && (sharedName === null || clusterSnapshots.some((s) => s.id === sharedName))) kase = 2;
      const tags = k % 5 === 2 ? { ...KEEP } : {};
      if (kase <= 1) {
        const id = snapId(k);
        snapshots.push({
          id,
          instanceId: `gen-gone-db-${k}`,
          createdDaysAgo: int(31, 700),
          allocatedStorage: size,
          engine,
          storageType: 'gp3',
          ...(kase === 1 ? { copiedFrom: `arn:aws:rds:${region}:${OTHER_ACCOUNT}:snapshot:partner-${k}` } : {}),
          tags,
        });
        push('rds:snapshot', id);
      } else {
        const id = kase === 3 ? sharedName! : `gen-csnap-${k}`;
        clusterSnapshots.push({ id, clusterId: `gen-gone-aurora-${k}`, createdDaysAgo: int(31, 700), allocatedStorage: size, engine: 'aurora-postgresql', tags });
        push('rds:snapshot', kase === 3 ? `cluster-snapshot:${id}` : id);
      }
      continue;
    }
    const e = edge(k - unusedSnap, ['young', 'awsbackup', 'other-region', 'failed', 'cluster-source-exists'] as const);
    const id = snapId(k);
    const gone = `gen-gone-db-${k}`;
    if (e === 'busy') {
      // Its source exists (one of this region's instances); without any, a young orphan.
      snapshots.push(nRds > 0 ? { id, instanceId: rdsId(k % nRds), createdDaysAgo: int(31, 400), allocatedStorage: size } : { id, instanceId: gone, createdDaysAgo: YOUNG_DAYS, allocatedStorage: size, engine });
    } else if (e === 'cluster-source-exists' && nCl > 0) {
      clusterSnapshots.push({ id: `gen-csnap-${k}`, clusterId: clusterId(k % nCl), createdDaysAgo: int(31, 400), allocatedStorage: size });
    } else {
      snapshots.push({
        id,
        instanceId: gone,
        createdDaysAgo: e === 'young' || (e === 'other-region' && g.otherRegion === null) || e === 'cluster-source-exists' ? YOUNG_DAYS : int(31, 700),
        allocatedStorage: size,
        engine,
        ...(e === 'awsbackup' ? { type: 'awsbackup' as const } : {}),
        ...(e === 'failed' ? { status: 'failed' as const } : {}),
        ...(e === 'other-region' && g.otherRegion !== null ? { copiedFrom: `arn:aws:rds:${g.otherRegion}:${g.accountId}:snapshot:${gone}` } : {}),
      });
    }
  }

  // ---- ElastiCache: replication groups (cluster mode off or on), Memcached and single-node Redis clusters
  const replicationGroups: ReplicationGroupFixture[] = [];
  const cacheClusters: CacheClusterFixture[] = [];
  const NODE_TYPES = ['cache.t3.micro', 'cache.t4g.small', 'cache.m6g.large', 'cache.r6g.large', 'cache.r7g.xlarge'];
  const nCache = g.cacheClusters;
  const unusedCache = split(nCache);
  for (let k = 0; k < nCache; k++) {
    const id = `gen-cache-${k}`;
    const nodeType = NODE_TYPES[k % NODE_TYPES.length]!;
    const e = k < unusedCache ? 'idle' : edge(k - unusedCache, ['young', 'gap', 'modifying'] as const);
    const created = e === 'young' ? YOUNG_DAYS : old();
    const status = e === 'modifying' ? ('modifying' as const) : undefined;
    let members: string[];
    if (k % 4 === 0 || k % 4 === 2) {
      const shards = k % 8 === 2 ? 2 : 1;
      const replicas = 1 + (k % 3 === 0 ? 1 : 0);
      replicationGroups.push({
        id,
        engine: k % 5 === 4 ? 'valkey' : 'redis',
        nodeType,
        shards,
        replicasPerShard: replicas,
        createdDaysAgo: created,
        ...(status ? { status } : {}),
        tags: { Name: id },
        // A member's keep tag protects its group (the group is still unused).
        ...(e === 'idle' && k % 6 === 0 ? { memberTags: KEEP } : {}),
      });
      members = memberIds(id, shards, replicas, shards > 1).flatMap((n) => n.memberIds);
    } else {
      const memcached = k % 4 === 1;
      cacheClusters.push({
        id,
        engine: memcached ? 'memcached' : 'redis',
        nodeType,
        ...(memcached ? { numNodes: 1 + (k % 3) } : {}),
        createdDaysAgo: created,
        ...(status ? { status } : {}),
        tags: { Name: id },
      });
      members = [id];
    }
    const missing = e === 'gap' ? gapAge() : -1;
    members.forEach((m, i) => {
      const busy = e === 'busy' && i === members.length - 1;
      series('AWS/ElastiCache', 'NewConnections', { CacheClusterId: m }, daily(created, (age) => (age === missing && i === 0 ? null : busy ? int(1, 5000) : 0)));
    });
    if (e === 'idle') push('elasticache:cluster', id);
  }

  // ---- Redshift
  const rsClusters: RedshiftClusterFixture[] = [];
  const RS_NODES = ['ra3.xlplus', 'dc2.large', 'ra3.4xlarge'];
  const nRs = g.redshiftClusters;
  const unusedRs = split(nRs);
  for (let k = 0; k < nRs; k++) {
    const id = `gen-rs-${k}`;
    const kase = k < unusedRs ? (k + r) % 2 : -1; // 0 idle, 1 paused with no connection in the window
    const e = kase >= 0 ? null : edge(k - unusedRs, ['young', 'paused-resumed', 'gap'] as const);
    const created = e === 'young' ? YOUNG_DAYS : old();
    const paused = kase === 1 || e === 'paused-resumed';
    rsClusters.push({
      id,
      nodeType: RS_NODES[k % RS_NODES.length]!,
      numberOfNodes: 1 + (k % 4),
      createdDaysAgo: created,
      ...(paused ? { status: 'paused' as const } : {}),
      usedStorageMb: int(1, 2000) * 1024,
      ...(k % 4 === 3 && !paused ? { automatedSnapshotRetentionPeriod: 0 } : {}),
      tags: { Name: id, ...(kase === 0 && k % 3 === 0 ? KEEP : {}) },
    });
    const missing = e === 'gap' ? gapAge() : -1;
    let value: (age: number) => number | null;
    if (kase === 1) value = (age) => (age > 30 ? int(1, 30) : null); // connections only before the window, then paused
    else if (e === 'paused-resumed') value = (age) => (age >= 20 && age <= 25 ? int(1, 30) : null);
    else value = (age) => (age === missing ? null : e === 'busy' ? int(1, 60) : 0);
    series('AWS/Redshift', 'DatabaseConnections', { ClusterIdentifier: id }, daily(created, value));
    if (kase >= 0) push('redshift:cluster', id);
  }

  // ---- OpenSearch
  const domains: OpenSearchDomainFixture[] = [];
  const OS_TYPES = ['r6g.large.search', 'm6g.large.search', 't3.small.search'];
  const nOs = g.openSearchDomains;
  const unusedOs = split(nOs);
  for (let k = 0; k < nOs; k++) {
    const name = `gen-os-${k}`;
    const kase = k < unusedOs ? (k + r) % 2 : -1; // 0 idle, 1 idle with UltraWarm nodes
    const e = kase >= 0 ? null : edge(k - unusedOs, ['indexing-only', 'young', 'warm-busy', 'creating'] as const);
    const created = e === 'young' ? YOUNG_DAYS : old();
    const warm = kase === 1 || e === 'warm-busy';
    domains.push({
      name,
      instanceType: OS_TYPES[k % OS_TYPES.length]!,
      instanceCount: 1 + (k % 3),
      ebs: { volumeType: k % 2 === 0 ? 'gp3' : 'gp2', volumeSize: int(10, 500) },
      createdDaysAgo: created,
      ...(warm ? { warm: { type: 'ultrawarm1.medium.search', count: 2 } } : {}),
      ...(e === 'creating' ? { status: 'Creating' as const } : {}),
      tags: { Name: name, ...(kase === 0 && k % 3 === 1 ? KEEP : {}) },
    });
    if (e !== 'creating') {
      const dims = { DomainName: name, ClientId: g.accountId };
      series('AWS/ES', 'SearchRate', dims, daily(created, () => (e === 'busy' ? int(1, 50_000) : 0)));
      series('AWS/ES', 'IndexingRate', dims, daily(created, () => (e === 'busy' || e === 'indexing-only' ? int(1, 20_000) : 0)));
      if (warm) series('AWS/ES', 'WarmSearchRate', dims, daily(created, () => (e === 'warm-busy' ? int(1, 500) : 0)));
    }
    if (kase >= 0) push('opensearch:domain', name);
  }

  return {
    rds: { instances, clusters, snapshots, clusterSnapshots },
    elasticache: { replicationGroups, cacheClusters },
    redshift: { clusters: rsClusters },
    opensearch: { domains },
    metrics,
    unused,
  };
}
