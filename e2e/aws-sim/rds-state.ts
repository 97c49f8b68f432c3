/**
 * RDS and Aurora in the simulated account: DB instances, Aurora clusters, DB snapshots and cluster snapshots. Each
 * region holds one `SimRdsRegion` (`sim.state.region('us-east-1').rds`). Fixture section: `resources[region].rds`
 * (`RdsRegionFixture`). `taggedResources()` feeds the Resource Groups Tagging API (services/tagging.ts).
 *
 * Identifiers are stored lower-case, as RDS stores them (`MyDB` is created as `mydb`). Read replicas' and Aurora
 * members' relations are stored on the instance (`readReplicaOf`, `clusterId`); the lists AWS reports on the other
 * side (ReadReplicaDBInstanceIdentifiers, DBClusterMembers) are derived, so a deletion never leaves a stale name.
 * Metrics (AWS/RDS DatabaseConnections, dimension DBInstanceIdentifier) come from the region's generic `metrics`
 * fixture section, like every other service's.
 */
import type { SimTag, SimTaggedResource } from './state';

export const RDS_DAY_MS = 86_400_000;
/** AWS starts a stopped DB instance or Aurora cluster again after seven days (StopDBInstance / StopDBCluster). */
export const RDS_AUTO_RESTART_MS = 7 * RDS_DAY_MS;

export type SimDbInstanceStatus =
  | 'available'
  | 'backing-up'
  | 'creating'
  | 'deleting'
  | 'failed'
  | 'modifying'
  | 'rebooting'
  | 'starting'
  | 'stopped'
  | 'stopping'
  | 'storage-full'
  | 'incompatible-parameters'
  | 'incompatible-restore';

export type SimDbClusterStatus = 'available' | 'backing-up' | 'creating' | 'deleting' | 'failed' | 'modifying' | 'starting' | 'stopped' | 'stopping';

export type SimRdsSnapshotStatus = 'creating' | 'available' | 'copying' | 'deleting' | 'failed';

export interface SimDbInstance {
  /** DBInstanceIdentifier (lower-case). */
  id: string;
  arn: string;
  /** DbiResourceId (`db-…`). */
  resourceId: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  status: SimDbInstanceStatus;
  /** GiB; Aurora members report 1 (cluster storage is not allocated per instance). */
  allocatedStorage: number;
  /** gp2 | gp3 | io1 | io2 | standard; `aurora` / `aurora-iopt1` for Aurora members. */
  storageType: string;
  iops?: number;
  storageThroughput?: number;
  multiAz: boolean;
  createTime: Date;
  deletionProtection: boolean;
  /** The Aurora cluster it belongs to. */
  clusterId?: string;
  /** IsClusterWriter of an Aurora member. */
  clusterWriter: boolean;
  /** ReadReplicaSourceDBInstanceIdentifier: the source's identifier (same region) or ARN (another region). */
  readReplicaOf?: string;
  /** When AWS starts a stopped instance again (StopDBInstance: + 7 days). */
  automaticRestartTime?: Date;
  tags: SimTag[];
  availabilityZone: string;
  licenseModel: string;
  port: number;
  masterUsername: string;
  backupRetentionPeriod: number;
  storageEncrypted: boolean;
  /** Wall-clock ms (Date.now()) at which a `deleting` instance is gone, or a `stopping` one `stopped`. */
  settlesAtMs?: number;
}

export interface SimDbCluster {
  id: string;
  arn: string;
  resourceId: string;
  engine: string;
  engineVersion: string;
  /** provisioned | serverless (Aurora Serverless v1) | … */
  engineMode: string;
  status: SimDbClusterStatus;
  deletionProtection: boolean;
  createTime: Date;
  automaticRestartTime?: Date;
  /** `aurora` (Standard) or `aurora-iopt1` (I/O-Optimized). */
  storageType: string;
  /** AWS reports 1 for Aurora ("storage size isn't fixed"); fixtures may set another value. */
  allocatedStorage: number;
  multiAz: boolean;
  tags: SimTag[];
  availabilityZones: string[];
  port: number;
  masterUsername: string;
  backupRetentionPeriod: number;
  storageEncrypted: boolean;
  settlesAtMs?: number;
}

export interface SimDbSnapshot {
  /** DBSnapshotIdentifier; for a snapshot another account shares with this one, its ARN (as AWS lists it). */
  id: string;
  arn: string;
  instanceId: string;
  /** DbiResourceId of the source instance. */
  instanceResourceId: string;
  createTime: Date;
  status: SimRdsSnapshotStatus;
  /** manual | automated | shared (another account's, shared with this one) | awsbackup */
  snapshotType: 'manual' | 'automated' | 'shared' | 'awsbackup';
  allocatedStorage: number;
  engine: string;
  engineVersion: string;
  storageType: string;
  iops?: number;
  licenseModel: string;
  port: number;
  availabilityZone: string;
  instanceCreateTime: Date;
  masterUsername: string;
  encrypted: boolean;
  /** SourceDBSnapshotIdentifier: the ARN it was copied from (cross-account or cross-region copies). */
  copiedFrom?: string;
  /** SourceRegion of a copy. */
  sourceRegion?: string;
  tags: SimTag[];
  /** The `restore` attribute: account ids it is shared with, or `all` (public). */
  sharedWith: string[];
  /** The owning account (this one, or another that shares it). */
  ownerAccountId: string;
  /** Wall-clock ms at which a `creating` snapshot becomes `available`. */
  availableAtMs?: number;
}

export interface SimDbClusterSnapshot {
  id: string;
  arn: string;
  clusterId: string;
  clusterResourceId: string;
  createTime: Date;
  status: SimRdsSnapshotStatus;
  snapshotType: 'manual' | 'automated' | 'shared' | 'awsbackup';
  allocatedStorage: number;
  engine: string;
  engineVersion: string;
  engineMode: string;
  storageType: string;
  port: number;
  clusterCreateTime: Date;
  masterUsername: string;
  encrypted: boolean;
  /** SourceDBClusterSnapshotArn of a copy. */
  copiedFrom?: string;
  tags: SimTag[];
  sharedWith: string[];
  ownerAccountId: string;
  availabilityZones: string[];
  availableAtMs?: number;
}

/** One RDS request as the simulator received it (after the permission check), oldest first. */
export interface SimRdsRequest {
  operation: string;
  /** The request's form parameters (Action and Version left out). */
  params: Record<string, string>;
}

export class SimRdsRegion {
  /** DB instances by identifier (Aurora members included). */
  readonly instances = new Map<string, SimDbInstance>();
  /** Aurora (and Multi-AZ) DB clusters by identifier. */
  readonly clusters = new Map<string, SimDbCluster>();
  /** DB snapshots by identifier (another account's shared snapshot: by its ARN). */
  readonly snapshots = new Map<string, SimDbSnapshot>();
  readonly clusterSnapshots = new Map<string, SimDbClusterSnapshot>();
  /** Every RDS request this region answered (denied ones are not here), oldest first; tests may clear it. */
  readonly requests: SimRdsRequest[] = [];
  /**
   * Test hook: called before each operation runs (after the permission check) with the state as it is then — e.g. to
   * assert that a final snapshot is `available` when DeleteDBInstance arrives.
   */
  onRequest: ((operation: string, params: Record<string, string>, rds: SimRdsRegion) => void) | undefined = undefined;

  /** Read replicas of an instance in this region (ReadReplicaDBInstanceIdentifiers). */
  replicasOf(id: string): SimDbInstance[] {
    const arn = this.instances.get(id)?.arn;
    return [...this.instances.values()].filter((i) => i.readReplicaOf !== undefined && (i.readReplicaOf === id || i.readReplicaOf === arn));
  }

  /** An Aurora cluster's member instances (DBClusterMembers). */
  membersOf(clusterId: string): SimDbInstance[] {
    return [...this.instances.values()].filter((i) => i.clusterId === clusterId);
  }

  /**
   * Advances what a delay decides, by the wall clock: snapshots `creating` → `available`, instances and clusters
   * `stopping` → `stopped`, `deleting` → gone. Every RDS call settles first.
   */
  settle(nowMs: number = Date.now()): void {
    for (const s of [...this.snapshots.values(), ...this.clusterSnapshots.values()]) {
      if (s.status === 'creating' && (s.availableAtMs ?? 0) <= nowMs) {
        s.status = 'available';
        delete s.availableAtMs;
      }
    }
    for (const i of [...this.instances.values()]) {
      if (i.settlesAtMs === undefined || i.settlesAtMs > nowMs) continue;
      if (i.status === 'deleting') this.instances.delete(i.id);
      else if (i.status === 'stopping') i.status = 'stopped';
      delete i.settlesAtMs;
    }
    for (const c of [...this.clusters.values()]) {
      if (c.settlesAtMs === undefined || c.settlesAtMs > nowMs) continue;
      if (c.status === 'deleting') this.clusters.delete(c.id);
      else if (c.status === 'stopping') c.status = 'stopped';
      delete c.settlesAtMs;
    }
  }

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [
      ...[...this.instances.values()].map((i) => ({ arn: i.arn, resourceType: 'rds:db', tags: i.tags })),
      ...[...this.clusters.values()].map((c) => ({ arn: c.arn, resourceType: 'rds:cluster', tags: c.tags })),
      ...[...this.snapshots.values()].filter((s) => s.snapshotType !== 'shared').map((s) => ({ arn: s.arn, resourceType: 'rds:snapshot', tags: s.tags })),
      ...[...this.clusterSnapshots.values()]
        .filter((s) => s.snapshotType !== 'shared')
        .map((s) => ({ arn: s.arn, resourceType: 'rds:cluster-snapshot', tags: s.tags })),
    ];
  }
}

// ---- ARNs ----

/** The partition of a region's ARNs. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function rdsArn(region: string, accountId: string, type: 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot', id: string): string {
  return `arn:${partitionOf(region)}:rds:${region}:${accountId}:${type}:${id}`;
}

// ---- the fixture (types and loader in ./rds-fixture, re-exported for the modules that import them from here) ----

export type { RdsClusterFixture, RdsClusterSnapshotFixture, RdsInstanceFixture, RdsRegionFixture, RdsSnapshotFixture } from './rds-fixture';
export { defaultEngineVersion, defaultLicenseModel, defaultPort, loadRdsFixture, rdsResourceId } from './rds-fixture';
