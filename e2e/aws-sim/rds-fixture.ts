/**
 * The RDS section of the fixture (`resources[region].rds`, `RdsRegionFixture`) and its loader into a `SimRdsRegion`
 * (split out of `rds-state.ts`, which re-exports everything here, so importers keep using `./rds-state`).
 */
import type { FixtureTags } from './fixture';
import type { SimDbClusterStatus, SimDbInstanceStatus, SimRdsRegion, SimRdsSnapshotStatus } from './rds-state';
import { RDS_AUTO_RESTART_MS, RDS_DAY_MS, rdsArn } from './rds-state';
import type { SimTag } from './state';

export interface RdsInstanceFixture {
  id: string;
  /** DescribeDBInstances' Engine: `mysql` (default), `postgres`, `mariadb`, `oracle-se2`, `sqlserver-ex`, …; an Aurora member: its cluster's. */
  engine?: string;
  engineVersion?: string; // default: a current version of the engine
  instanceClass?: string; // default 'db.t3.micro' ('db.r6g.large' for Aurora members)
  status?: SimDbInstanceStatus; // default 'available' ('stopped' for members of a stopped cluster)
  allocatedStorage?: number; // GiB, default 20 (Aurora members: 1)
  storageType?: string; // default 'gp2' (Aurora members: the cluster's)
  iops?: number; // io1 / io2 / gp3
  storageThroughput?: number; // gp3, MiB/s
  multiAz?: boolean; // default false
  createdDaysAgo?: number; // default 100
  createTime?: string; // ISO; wins over createdDaysAgo
  deletionProtection?: boolean;
  /** An Aurora member: the cluster's identifier (the cluster must be in this fixture section). */
  clusterId?: string;
  /** IsClusterWriter; default: the first member listed of its cluster. */
  writer?: boolean;
  /** A read replica: its source's identifier (this region) or ARN (another region). */
  readReplicaOf?: string;
  /**
   * A stopped instance: stopped this many days ago (default 1); AutomaticRestartTime = then + 7 days. Use
   * `automaticRestartTime` for an explicit instant, or null for none reported.
   */
  stoppedDaysAgo?: number;
  automaticRestartTime?: string | null;
  tags?: FixtureTags;
  availabilityZone?: string; // default `${region}a`
  licenseModel?: string; // default per engine (general-public-license, postgresql-license, license-included)
  backupRetentionPeriod?: number; // default 7
}

export interface RdsClusterFixture {
  id: string;
  engine?: string; // default 'aurora-postgresql'
  engineVersion?: string;
  engineMode?: string; // default 'provisioned'
  status?: SimDbClusterStatus; // default 'available'
  deletionProtection?: boolean;
  createdDaysAgo?: number; // default 100
  createTime?: string;
  /** A stopped cluster: as for instances (AutomaticRestartTime = stopped + 7 days; default stopped 1 day ago). */
  stoppedDaysAgo?: number;
  automaticRestartTime?: string | null;
  storageType?: 'aurora' | 'aurora-iopt1'; // default 'aurora'
  /** Default 1, as AWS reports for Aurora. */
  allocatedStorage?: number;
  multiAz?: boolean;
  tags?: FixtureTags;
}

export interface RdsSnapshotFixture {
  id: string;
  /** The source instance (it may no longer exist: an orphaned snapshot). */
  instanceId: string;
  type?: 'manual' | 'automated' | 'awsbackup'; // default 'manual'
  createdDaysAgo?: number; // default 40
  createTime?: string;
  status?: SimRdsSnapshotStatus; // default 'available'
  /** Defaults: the source instance's when it is in the fixture, else 20 GiB / mysql / gp2. */
  allocatedStorage?: number;
  engine?: string;
  engineVersion?: string;
  storageType?: string;
  /** The `restore` attribute: account ids, or 'all' (public). */
  sharedWith?: string[];
  /** SourceDBSnapshotIdentifier: the ARN it was copied from (may name another account or region). */
  copiedFrom?: string;
  /** Another account's snapshot shared with this one: listed with SnapshotType=shared / IncludeShared, by its ARN. */
  ownerAccountId?: string;
  tags?: FixtureTags;
}

export interface RdsClusterSnapshotFixture {
  id: string;
  clusterId: string;
  type?: 'manual' | 'automated' | 'awsbackup';
  createdDaysAgo?: number; // default 40
  createTime?: string;
  status?: SimRdsSnapshotStatus;
  allocatedStorage?: number; // default: the cluster's (1 when unknown)
  engine?: string;
  engineVersion?: string;
  storageType?: string;
  sharedWith?: string[];
  /** SourceDBClusterSnapshotArn. */
  copiedFrom?: string;
  ownerAccountId?: string;
  tags?: FixtureTags;
}

export interface RdsRegionFixture {
  instances?: RdsInstanceFixture[];
  clusters?: RdsClusterFixture[];
  snapshots?: RdsSnapshotFixture[];
  clusterSnapshots?: RdsClusterSnapshotFixture[];
}

/** A current engine version per engine family, for fixtures that name none. */
export function defaultEngineVersion(engine: string): string {
  if (engine === 'aurora-mysql') return '8.0.mysql_aurora.3.05.2';
  if (engine === 'aurora-postgresql' || engine === 'postgres') return '16.3';
  if (engine === 'mariadb') return '10.11.8';
  if (engine.startsWith('oracle')) return '19.0.0.0.ru-2024-04.rur-2024-04.r1';
  if (engine.startsWith('sqlserver')) return '15.00.4375.4.v1';
  return '8.0.36';
}

export function defaultLicenseModel(engine: string): string {
  if (engine === 'postgres' || engine === 'aurora-postgresql') return 'postgresql-license';
  if (engine.startsWith('oracle') || engine.startsWith('sqlserver')) return 'license-included';
  return 'general-public-license';
}

export function defaultPort(engine: string): number {
  if (engine.includes('postgres')) return 5432;
  if (engine.startsWith('oracle')) return 1521;
  if (engine.startsWith('sqlserver')) return 1433;
  return 3306;
}

/** A stable resource id (`db-…` / `cluster-…`): 26 upper-case letters and digits derived from the ARN. */
export function rdsResourceId(prefix: 'db' | 'cluster', arn: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 26; round++) {
    for (const ch of `${arn}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(36).toUpperCase();
  }
  return `${prefix}-${out.slice(0, 26)}`;
}

/** Fills `into` from the region's fixture section (ARNs and resource ids derived as AWS forms them). */
export function loadRdsFixture(into: SimRdsRegion, fx: RdsRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  const { region, accountId, now } = ctx;
  const toTags = (t: FixtureTags | undefined): SimTag[] => Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));
  const at = (iso: string | undefined, days: number | undefined, dflt: number): Date =>
    iso !== undefined ? new Date(iso) : new Date(now.getTime() - (days ?? dflt) * RDS_DAY_MS);
  const restart = (status: string, iso: string | null | undefined, stoppedDaysAgo: number | undefined): Date | undefined => {
    if (iso === null) return undefined;
    if (iso !== undefined) return new Date(iso);
    if (status !== 'stopped') return undefined;
    return new Date(now.getTime() - (stoppedDaysAgo ?? 1) * RDS_DAY_MS + RDS_AUTO_RESTART_MS);
  };
  const azs = [`${region}a`, `${region}b`, `${region}c`];

  for (const c of fx.clusters ?? []) {
    const id = c.id.toLowerCase();
    if (into.clusters.has(id)) throw new Error(`fixture: RDS cluster ${id} appears twice in ${region}`);
    const engine = c.engine ?? 'aurora-postgresql';
    const status = c.status ?? 'available';
    const arn = rdsArn(region, accountId, 'cluster', id);
    into.clusters.set(id, {
      id,
      arn,
      resourceId: rdsResourceId('cluster', arn),
      engine,
      engineVersion: c.engineVersion ?? defaultEngineVersion(engine),
      engineMode: c.engineMode ?? 'provisioned',
      status,
      deletionProtection: c.deletionProtection ?? false,
      createTime: at(c.createTime, c.createdDaysAgo, 100),
      ...optional('automaticRestartTime', restart(status, c.automaticRestartTime, c.stoppedDaysAgo)),
      storageType: c.storageType ?? 'aurora',
      allocatedStorage: c.allocatedStorage ?? 1,
      multiAz: c.multiAz ?? false,
      tags: toTags(c.tags),
      availabilityZones: azs,
      port: defaultPort(engine),
      masterUsername: engine.includes('postgres') ? 'postgres' : 'admin',
      backupRetentionPeriod: 7,
      storageEncrypted: true,
    });
  }

  const writers = new Set<string>();
  for (const i of fx.instances ?? []) {
    const id = i.id.toLowerCase();
    if (into.instances.has(id)) throw new Error(`fixture: DB instance ${id} appears twice in ${region}`);
    const cluster = i.clusterId !== undefined ? into.clusters.get(i.clusterId.toLowerCase()) : undefined;
    if (i.clusterId !== undefined && cluster === undefined) throw new Error(`fixture: DB instance ${id} names unknown cluster ${i.clusterId} in ${region}`);
    const engine = cluster?.engine ?? i.engine ?? 'mysql';
    const status = i.status ?? (cluster?.status === 'stopped' ? 'stopped' : 'available');
    const arn = rdsArn(region, accountId, 'db', id);
    const writer = cluster !== undefined && (i.writer ?? !writers.has(cluster.id));
    if (writer && cluster !== undefined) writers.add(cluster.id);
    into.instances.set(id, {
      id,
      arn,
      resourceId: rdsResourceId('db', arn),
      instanceClass: i.instanceClass ?? (cluster ? 'db.r6g.large' : 'db.t3.micro'),
      engine,
      engineVersion: i.engineVersion ?? cluster?.engineVersion ?? defaultEngineVersion(engine),
      status,
      allocatedStorage: i.allocatedStorage ?? (cluster ? 1 : 20),
      storageType: i.storageType ?? cluster?.storageType ?? 'gp2',
      ...optional('iops', i.iops),
      ...optional('storageThroughput', i.storageThroughput),
      multiAz: i.multiAz ?? false,
      createTime: at(i.createTime, i.createdDaysAgo, 100),
      deletionProtection: i.deletionProtection ?? false,
      ...optional('clusterId', cluster?.id),
      clusterWriter: writer,
      ...optional('readReplicaOf', i.readReplicaOf?.startsWith('arn:') ? i.readReplicaOf : i.readReplicaOf?.toLowerCase()),
      ...optional('automaticRestartTime', restart(status, i.automaticRestartTime, i.stoppedDaysAgo)),
      tags: toTags(i.tags),
      availabilityZone: i.availabilityZone ?? `${region}a`,
      licenseModel: i.licenseModel ?? defaultLicenseModel(engine),
      port: defaultPort(engine),
      masterUsername: engine.includes('postgres') ? 'postgres' : 'admin',
      backupRetentionPeriod: i.backupRetentionPeriod ?? 7,
      storageEncrypted: cluster !== undefined,
    });
  }
  for (const i of into.instances.values()) {
    const src = i.readReplicaOf;
    if (src !== undefined && !src.startsWith('arn:') && !into.instances.has(src)) {
      throw new Error(`fixture: read replica ${i.id} names unknown source ${src} in ${region}`);
    }
  }

  for (const s of fx.snapshots ?? []) {
    const foreign = s.ownerAccountId !== undefined && s.ownerAccountId !== accountId;
    const owner = foreign ? s.ownerAccountId! : accountId;
    const name = s.id.toLowerCase();
    const arn = rdsArn(region, owner, 'snapshot', name);
    const id = foreign ? arn : name;
    if (into.snapshots.has(id)) throw new Error(`fixture: DB snapshot ${id} appears twice in ${region}`);
    const src = into.instances.get(s.instanceId.toLowerCase());
    const engine = s.engine ?? src?.engine ?? 'mysql';
    const createTime = at(s.createTime, s.createdDaysAgo, 40);
    into.snapshots.set(id, {
      id,
      arn,
      instanceId: s.instanceId.toLowerCase(),
      instanceResourceId: src?.resourceId ?? rdsResourceId('db', rdsArn(region, owner, 'db', s.instanceId.toLowerCase())),
      createTime,
      status: s.status ?? 'available',
      snapshotType: foreign ? 'shared' : (s.type ?? 'manual'),
      allocatedStorage: s.allocatedStorage ?? src?.allocatedStorage ?? 20,
      engine,
      engineVersion: s.engineVersion ?? src?.engineVersion ?? defaultEngineVersion(engine),
      storageType: s.storageType ?? src?.storageType ?? 'gp2',
      ...optional('iops', src?.iops),
      licenseModel: src?.licenseModel ?? defaultLicenseModel(engine),
      port: defaultPort(engine),
      availabilityZone: src?.availabilityZone ?? `${region}a`,
      instanceCreateTime: src?.createTime ?? new Date(createTime.getTime() - 100 * RDS_DAY_MS),
      masterUsername: engine.includes('postgres') ? 'postgres' : 'admin',
      encrypted: false,
      ...optional('copiedFrom', s.copiedFrom),
      ...optional('sourceRegion', s.copiedFrom !== undefined ? (s.copiedFrom.split(':')[3] ?? region) : undefined),
      tags: toTags(s.tags),
      sharedWith: s.sharedWith ?? [],
      ownerAccountId: owner,
    });
  }

  for (const s of fx.clusterSnapshots ?? []) {
    const foreign = s.ownerAccountId !== undefined && s.ownerAccountId !== accountId;
    const owner = foreign ? s.ownerAccountId! : accountId;
    const name = s.id.toLowerCase();
    const arn = rdsArn(region, owner, 'cluster-snapshot', name);
    const id = foreign ? arn : name;
    if (into.clusterSnapshots.has(id)) throw new Error(`fixture: DB cluster snapshot ${id} appears twice in ${region}`);
    const src = into.clusters.get(s.clusterId.toLowerCase());
    const engine = s.engine ?? src?.engine ?? 'aurora-postgresql';
    const createTime = at(s.createTime, s.createdDaysAgo, 40);
    into.clusterSnapshots.set(id, {
      id,
      arn,
      clusterId: s.clusterId.toLowerCase(),
      clusterResourceId: src?.resourceId ?? rdsResourceId('cluster', rdsArn(region, owner, 'cluster', s.clusterId.toLowerCase())),
      createTime,
      status: s.status ?? 'available',
      snapshotType: foreign ? 'shared' : (s.type ?? 'manual'),
      allocatedStorage: s.allocatedStorage ?? src?.allocatedStorage ?? 1,
      engine,
      engineVersion: s.engineVersion ?? src?.engineVersion ?? defaultEngineVersion(engine),
      engineMode: src?.engineMode ?? 'provisioned',
      storageType: s.storageType ?? src?.storageType ?? 'aurora',
      port: defaultPort(engine),
      clusterCreateTime: src?.createTime ?? new Date(createTime.getTime() - 100 * RDS_DAY_MS),
      masterUsername: engine.includes('postgres') ? 'postgres' : 'admin',
      encrypted: true,
      ...optional('copiedFrom', s.copiedFrom),
      tags: toTags(s.tags),
      sharedWith: s.sharedWith ?? [],
      ownerAccountId: owner,
      availabilityZones: src?.availabilityZones ?? azs,
    });
  }
}

/** `{ [key]: value }` when the value is defined, else `{}` (exactOptionalPropertyTypes-friendly spreading). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
