/**
 * The database kinds' definitions of "unused", evaluated directly on the simulator state (unused-oracle.ts calls it
 * per region). Written from the handlers' header comments, not from their code, so the sample account and the
 * generator check the handlers against an independent reading of the same rules. Protection (tags, deletion
 * protection, copies from other accounts) is NOT considered here: a protected resource is still unused.
 *
 * Common rule of the metric verdicts: the window is the 30 whole UTC days ending today 00:00 UTC; a resource is idle
 * when it is older than the window (created at or before its first instant) and every metric it is judged on has a
 * datapoint of 0 on every window day (these metrics are published continuously: a missing day is unknown, not idle).
 *
 * - `rds:db-instance` (non-Aurora: no DBClusterIdentifier): `stopped`, or `available` + old + `AWS/RDS`
 *   DatabaseConnections {DBInstanceIdentifier} 0 every day.
 * - `rds:db-cluster` (Aurora provisioned only: not Serverless v1, not Multi-AZ DB clusters of MySQL/PostgreSQL, not
 *   DocumentDB/Neptune): `stopped`; or `available` + old and either no DB instances, or DatabaseConnections 0 every
 *   day for every member (the cluster's creation time is the one judged).
 * - `rds:snapshot`: `available` manual DB / cluster snapshots (not DocumentDB/Neptune) whose source instance / cluster
 *   is not in the region, not copied from another Region of this account, and at least 30 whole days old. A cluster
 *   snapshot whose identifier a DB snapshot of the region also uses is `cluster-snapshot:<identifier>`.
 * - `elasticache:cluster`: a replication group (not `deleting`) or a cache cluster outside any group: `available` +
 *   old (the group's creation time) + `AWS/ElastiCache` NewConnections {CacheClusterId} 0 every day for every member
 *   cluster (a standalone cluster: itself). Memcached is judged by the same rule.
 * - `redshift:cluster`: `available` + old + `AWS/Redshift` DatabaseConnections {ClusterIdentifier} 0 every day; or
 *   `paused` + old + no window day above 0 (missing days allowed: a paused cluster publishes nothing).
 * - `opensearch:domain` (created, not deleted): `AWS/ES` SearchRate and IndexingRate (and WarmSearchRate with UltraWarm
 *   nodes) {DomainName, ClientId = account id} 0 every day. The API gives no creation time: the continuous series
 *   themselves prove the age (a younger domain has missing days).
 */
import type { UnusedResource } from './generator';
import { DAY_MS, findSeries, utcDay } from './metrics-state';
import type { SimMetricSeries } from './metrics-state';
import type { SimRegion } from './state';

/** The app's lookback (days), as unused-oracle.ts's. */
const LOOKBACK_DAYS = 30;
/** rds:snapshot's default orphan age (days). */
const ORPHAN_DAYS = 30;

export function databasesUnused(r: SimRegion, accountId: string, now: Date, out: UnusedResource[]): void {
  const today = utcDay(now);
  const windowStart = today - LOOKBACK_DAYS * DAY_MS;
  const windowDays = Array.from({ length: LOOKBACK_DAYS }, (_, i) => windowStart + i * DAY_MS);
  const old = (created: Date): boolean => created.getTime() <= windowStart;
  const series = (ns: string, metric: string, dims: Record<string, string>): SimMetricSeries | undefined => findSeries(r.metrics, ns, metric, dims);
  const zeroEveryDay = (s: SimMetricSeries | undefined): boolean => s !== undefined && windowDays.every((d) => s.days.get(d) === 0);
  const anyAbove0 = (s: SimMetricSeries | undefined): boolean => s !== undefined && windowDays.some((d) => (s.days.get(d) ?? 0) > 0);
  const push = (type: UnusedResource['type'], id: string): void => {
    out.push({ type, region: r.name, id });
  };
  const connectionsZero = (instanceId: string): boolean => zeroEveryDay(series('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: instanceId }));

  // ---- RDS DB instances ----
  for (const i of r.rds.instances.values()) {
    if (i.clusterId !== undefined) continue;
    if (i.status === 'stopped' || (i.status === 'available' && old(i.createTime) && connectionsZero(i.id))) push('rds:db-instance', i.id);
  }

  // ---- Aurora clusters ----
  for (const c of r.rds.clusters.values()) {
    if (!c.engine.startsWith('aurora') || c.engineMode === 'serverless') continue;
    if (c.status === 'stopped') {
      push('rds:db-cluster', c.id);
      continue;
    }
    if (c.status !== 'available' || !old(c.createTime)) continue;
    if (r.rds.membersOf(c.id).every((m) => connectionsZero(m.id))) push('rds:db-cluster', c.id);
  }

  // ---- orphaned manual DB snapshots ----
  const orphan = (s: { status: string; snapshotType: string; engine: string; createTime: Date; copiedFrom?: string }, sourceExists: boolean): boolean => {
    if (s.status !== 'available' || s.snapshotType !== 'manual' || /^(docdb|neptune)/.test(s.engine) || sourceExists) return false;
    // A copy from another Region of this account: its source lives there (a copy from another account is judged).
    const from = s.copiedFrom?.split(':');
    if (from !== undefined && from.length >= 6 && from[0] === 'arn') {
      const [fromRegion = '', fromAccount = ''] = [from[3], from[4]];
      const otherAccount = fromAccount !== '' && fromAccount !== accountId;
      if (!otherAccount && fromRegion !== '' && fromRegion !== r.name) return false;
    }
    return Math.floor((now.getTime() - s.createTime.getTime()) / DAY_MS) >= ORPHAN_DAYS;
  };
  const dbSnapshotIds = new Set<string>();
  for (const s of r.rds.snapshots.values()) {
    if (s.snapshotType !== 'manual' || /^(docdb|neptune)/.test(s.engine)) continue;
    dbSnapshotIds.add(s.id);
    if (orphan(s, r.rds.instances.has(s.instanceId))) push('rds:snapshot', s.id);
  }
  for (const s of r.rds.clusterSnapshots.values()) {
    if (orphan(s, r.rds.clusters.has(s.clusterId))) push('rds:snapshot', dbSnapshotIds.has(s.id) ? `cluster-snapshot:${s.id}` : s.id);
  }

  // ---- ElastiCache ----
  const cacheIdle = (members: readonly string[]): boolean =>
    members.every((m) => zeroEveryDay(series('AWS/ElastiCache', 'NewConnections', { CacheClusterId: m })));
  for (const g of r.elasticache.replicationGroups.values()) {
    if (g.status === 'available' && old(g.createdAt) && cacheIdle(g.nodeGroups.flatMap((n) => n.memberIds))) push('elasticache:cluster', g.id);
  }
  for (const c of r.elasticache.cacheClusters.values()) {
    if (c.replicationGroupId !== undefined) continue;
    if (c.status === 'available' && old(c.createdAt) && cacheIdle([c.id])) push('elasticache:cluster', c.id);
  }

  // ---- Redshift ----
  for (const c of r.redshift.clusters.values()) {
    const s = series('AWS/Redshift', 'DatabaseConnections', { ClusterIdentifier: c.id });
    if (!old(c.createdAt)) continue;
    if ((c.status === 'available' && zeroEveryDay(s)) || (c.status === 'paused' && !anyAbove0(s))) push('redshift:cluster', c.id);
  }

  // ---- OpenSearch ----
  for (const d of r.opensearch.domains.values()) {
    if (d.deleted || d.status === 'Creating') continue;
    const dims = { DomainName: d.domainName, ClientId: accountId };
    const metrics = ['SearchRate', 'IndexingRate', ...(d.clusterConfig.warmEnabled ? ['WarmSearchRate'] : [])];
    if (metrics.every((m) => zeroEveryDay(series('AWS/ES', m, dims)))) push('opensearch:domain', d.domainName);
  }
}
