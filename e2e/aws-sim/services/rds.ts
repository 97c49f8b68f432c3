/**
 * RDS over the AWS Query protocol (signing name `rds`, API 2014-10-31): DB instances, Aurora clusters and (through
 * `./rds-snapshots`) their snapshots, as the installed `@aws-sdk/client-rds` parses them (element names from its
 * schemas: `DBInstances/DBInstance`, `TagList/Tag`, `DBClusterMembers/DBClusterMember`, …).
 *
 * Describe*: `Marker` paging with `MaxRecords` 20–100 (default 100; outside → InvalidParameterValue "Invalid value N
 * for MaxRecords. Must be between 20 and 100"), the identifier parameter (unknown → DBInstanceNotFound /
 * DBClusterNotFoundFault, 404) and `Filters`.
 *
 * Mutations: DeleteDBInstance / DeleteDBCluster (SkipFinalSnapshot / Final…SnapshotIdentifier / DeleteAutomatedBackups;
 * deletion protection → InvalidParameterCombination "Cannot delete protected DB Instance, please disable deletion
 * protection and try again."; a cluster with members → InvalidDBClusterStateFault; `deleting`, gone after
 * `rdsTransitionDelayMs`), StopDBInstance / StopDBCluster (`stopping` → `stopped`, AutomaticRestartTime = now + 7 days
 * on the simulated clock; read replicas, their sources and Aurora members refused), ListTagsForResource by ARN.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/
 */
import type { AwsQueryOperation } from '../protocols/aws-query';
import { awsQueryService } from '../protocols/aws-query';
import type { SimOptions } from '../protocols/protocol';
import { el, esc, node } from '../protocols/xml';
import type { SimDbCluster, SimDbInstance, SimRdsRegion } from '../rds-state';
import { RDS_AUTO_RESTART_MS, rdsArn } from '../rds-state';
import type { SimTag } from '../state';
import {
  instanceNotFound,
  clusterNotFound,
  invalidValue,
  invalidCombination,
  instanceState,
  clusterState,
  required,
  checkIdentifier,
  rdsPage,
  filtersOf,
  matchesId,
  list,
  tagList,
  instanceOf,
  clusterOf,
} from './rds-common';
import { clusterSnapshotNotFound, finalSnapshotChoice, findClusterSnapshot, findSnapshot, newClusterSnapshot, newSnapshot, snapshotDelay, snapshotNotFound, snapshotOperations } from './rds-snapshots';

export const RDS_VERSION = '2014-10-31';
export const RDS_XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** DB instances and clusters: `deleting` → gone, `stopping` → `stopped` after this many wall-clock ms (default 0: by the next RDS call). */
    rdsTransitionDelayMs?: number;
  }
}

// ---- errors (codes and HTTP statuses as the SDK's awsQueryError traits declare them) ----

const hostedZone = 'Z2R2ITUGPM61AM';

function renderInstance(rds: SimRdsRegion, i: SimDbInstance, region: string): string {
  const member = i.clusterId !== undefined;
  const replicas = rds.replicasOf(i.id).map((r) => esc(r.id));
  return [
    el('DBInstanceIdentifier', i.id),
    el('DBInstanceClass', i.instanceClass),
    el('Engine', i.engine),
    el('DBInstanceStatus', i.status),
    el('MasterUsername', i.masterUsername),
    i.status === 'creating' ? '' : node('Endpoint', el('Address', `${i.id}.c0sim0000000.${region}.rds.amazonaws.com`), el('Port', i.port), el('HostedZoneId', hostedZone)),
    el('AllocatedStorage', i.allocatedStorage),
    el('InstanceCreateTime', i.createTime),
    el('PreferredBackupWindow', '03:00-03:30'),
    el('BackupRetentionPeriod', i.backupRetentionPeriod),
    '<DBSecurityGroups/>',
    '<VpcSecurityGroups/>',
    el('AvailabilityZone', i.availabilityZone),
    el('PreferredMaintenanceWindow', 'sun:05:00-sun:05:30'),
    '<PendingModifiedValues/>',
    el('MultiAZ', i.multiAz),
    el('EngineVersion', i.engineVersion),
    el('AutoMinorVersionUpgrade', true),
    el('ReadReplicaSourceDBInstanceIdentifier', i.readReplicaOf),
    list('ReadReplicaDBInstanceIdentifiers', 'ReadReplicaDBInstanceIdentifier', replicas),
    '<ReadReplicaDBClusterIdentifiers/>',
    el('LicenseModel', i.licenseModel),
    el('Iops', i.iops),
    el('StorageThroughput', i.storageThroughput),
    i.multiAz ? el('SecondaryAvailabilityZone', i.availabilityZone.replace(/[a-z]$/, (c) => (c === 'b' ? 'a' : 'b'))) : '',
    el('PubliclyAccessible', false),
    el('StorageType', i.storageType),
    el('DbInstancePort', 0),
    el('DBClusterIdentifier', i.clusterId),
    el('StorageEncrypted', i.storageEncrypted),
    el('DbiResourceId', i.resourceId),
    el('CopyTagsToSnapshot', false),
    member ? el('PromotionTier', 1) : '',
    el('DBInstanceArn', i.arn),
    el('IAMDatabaseAuthenticationEnabled', false),
    el('PerformanceInsightsEnabled', false),
    el('DeletionProtection', i.deletionProtection),
    tagList(i.tags),
    el('AutomaticRestartTime', i.automaticRestartTime),
    el('NetworkType', 'IPV4'),
  ].join('');
}

function renderCluster(rds: SimRdsRegion, c: SimDbCluster, region: string): string {
  const members = rds.membersOf(c.id);
  const host = `${c.id}.cluster-c0sim0000000.${region}.rds.amazonaws.com`;
  return [
    el('AllocatedStorage', c.allocatedStorage),
    list('AvailabilityZones', 'AvailabilityZone', c.availabilityZones.map(esc)),
    el('BackupRetentionPeriod', c.backupRetentionPeriod),
    el('DBClusterIdentifier', c.id),
    el('DBClusterParameterGroup', `default.${c.engine}`),
    el('DBSubnetGroup', 'default'),
    el('Status', c.status),
    el('Endpoint', host),
    el('ReaderEndpoint', host.replace('.cluster-', '.cluster-ro-')),
    el('MultiAZ', c.multiAz || members.length > 1),
    el('Engine', c.engine),
    el('EngineVersion', c.engineVersion),
    el('Port', c.port),
    el('MasterUsername', c.masterUsername),
    el('PreferredBackupWindow', '03:00-03:30'),
    el('PreferredMaintenanceWindow', 'sun:05:00-sun:05:30'),
    '<ReadReplicaIdentifiers/>',
    list(
      'DBClusterMembers',
      'DBClusterMember',
      members.map((m) => el('DBInstanceIdentifier', m.id) + el('IsClusterWriter', m.clusterWriter) + el('DBClusterParameterGroupStatus', 'in-sync') + el('PromotionTier', 1)),
    ),
    '<VpcSecurityGroups/>',
    el('HostedZoneId', hostedZone),
    el('StorageEncrypted', c.storageEncrypted),
    el('DbClusterResourceId', c.resourceId),
    el('DBClusterArn', c.arn),
    el('IAMDatabaseAuthenticationEnabled', false),
    el('ClusterCreateTime', c.createTime),
    el('EngineMode', c.engineMode),
    el('DeletionProtection', c.deletionProtection),
    el('HttpEndpointEnabled', false),
    el('CopyTagsToSnapshot', false),
    el('CrossAccountClone', false),
    tagList(c.tags),
    el('AutomaticRestartTime', c.automaticRestartTime),
    el('StorageType', c.storageType),
    el('NetworkType', 'IPV4'),
  ].join('');
}

// ---- lookups ----

const transitionDelay = (o: Readonly<SimOptions>): number => o.rdsTransitionDelayMs ?? 0;

/** Each operation settles the region's delayed transitions, is logged, and passes the test hook first. */
const op =
  (name: string, f: AwsQueryOperation): AwsQueryOperation =>
  (ctx, p) => {
    const rds = ctx.region.rds;
    rds.settle();
    const params = Object.fromEntries([...p.map.entries()].filter(([k]) => k !== 'Action' && k !== 'Version'));
    rds.requests.push({ operation: name, params });
    rds.onRequest?.(name, params, rds);
    return f(ctx, p);
  };

const operations: Record<string, AwsQueryOperation> = {
  DescribeDBInstances: (ctx, p) => {
    const rds = ctx.region.rds;
    const id = p.get('DBInstanceIdentifier');
    let items = [...rds.instances.values()];
    if (id !== undefined && id !== '') items = [instanceOf(rds, id)];
    for (const f of filtersOf(p, ['db-cluster-id', 'db-instance-id', 'dbi-resource-id', 'engine'])) {
      items = items.filter((i) => {
        switch (f.name) {
          case 'db-cluster-id':
            return i.clusterId !== undefined && matchesId(f.values, i.clusterId, rdsArn(ctx.regionName, ctx.account.accountId, 'cluster', i.clusterId));
          case 'db-instance-id':
            return matchesId(f.values, i.id, i.arn);
          case 'dbi-resource-id':
            return f.values.includes(i.resourceId);
          default:
            return f.values.includes(i.engine);
        }
      });
    }
    const { page, marker } = rdsPage(items, (i) => i.id, p);
    return el('Marker', marker) + list('DBInstances', 'DBInstance', page.map((i) => renderInstance(rds, i, ctx.regionName)));
  },

  DescribeDBClusters: (ctx, p) => {
    const rds = ctx.region.rds;
    const id = p.get('DBClusterIdentifier');
    let items = [...rds.clusters.values()];
    if (id !== undefined && id !== '') items = [id.startsWith('arn:') ? (items.find((c) => c.arn === id) ?? clusterOf(rds, id)) : clusterOf(rds, id)];
    for (const f of filtersOf(p, ['db-cluster-id', 'db-cluster-resource-id', 'engine'])) {
      items = items.filter((c) =>
        f.name === 'db-cluster-id' ? matchesId(f.values, c.id, c.arn) : f.name === 'engine' ? f.values.includes(c.engine) : f.values.includes(c.resourceId),
      );
    }
    const { page, marker } = rdsPage(items, (c) => c.id, p);
    return el('Marker', marker) + list('DBClusters', 'DBCluster', page.map((c) => renderCluster(rds, c, ctx.regionName)));
  },

  ...snapshotOperations,

  DeleteDBInstance: (ctx, p) => {
    const rds = ctx.region.rds;
    const i = instanceOf(rds, required(p, 'DBInstanceIdentifier'));
    if (i.status === 'deleting') throw instanceState(`Instance ${i.id} is already being deleted.`);
    if (i.deletionProtection) throw invalidCombination('Cannot delete protected DB Instance, please disable deletion protection and try again.');
    let finalId: string | undefined;
    if (i.clusterId !== undefined) {
      // Aurora members: the data is the cluster's (no final snapshot applies); a stopped cluster must be started first.
      const cluster = rds.clusters.get(i.clusterId);
      if (i.status === 'stopped' || cluster?.status === 'stopped') {
        throw instanceState(`Instance ${i.id} cannot be deleted while its DB cluster ${i.clusterId} is stopped. Start the DB cluster first.`);
      }
    } else {
      if (i.readReplicaOf !== undefined && (p.get('FinalDBSnapshotIdentifier') ?? '') !== '') {
        throw invalidCombination('FinalDBSnapshotIdentifier can not be specified when deleting a replica instance');
      }
      finalId = finalSnapshotChoice(p).finalId;
    }
    if (i.status === 'creating' || i.status === 'starting' || i.status === 'stopping') throw instanceState(`Instance ${i.id} is not in available state.`);
    if (finalId !== undefined) newSnapshot(ctx, i, finalId, [], snapshotDelay(ctx.options));
    // DeleteAutomatedBackups defaults to true: the instance's automated snapshots go with it.
    if (p.get('DeleteAutomatedBackups')?.toLowerCase() !== 'false') {
      for (const s of [...rds.snapshots.values()]) if (s.snapshotType === 'automated' && s.instanceId === i.id) rds.snapshots.delete(s.id);
    }
    // Its read replicas are promoted to standalone instances.
    for (const r of rds.replicasOf(i.id)) delete r.readReplicaOf;
    const out = node('DBInstance', renderInstance(rds, { ...i, status: 'deleting' }, ctx.regionName));
    i.status = 'deleting';
    i.settlesAtMs = Date.now() + transitionDelay(ctx.options);
    return out;
  },

  DeleteDBCluster: (ctx, p) => {
    const rds = ctx.region.rds;
    const c = clusterOf(rds, required(p, 'DBClusterIdentifier'));
    if (c.status === 'deleting') throw clusterState(`Cluster ${c.id} is already being deleted.`);
    if (c.deletionProtection) throw invalidCombination('Cannot delete protected Cluster, please disable deletion protection and try again.');
    if (rds.membersOf(c.id).some((m) => m.status !== 'deleting')) {
      throw clusterState('Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
    }
    if (c.status !== 'available' && c.status !== 'failed') throw clusterState(`DBCluster ${c.id} is not in available state.`);
    const { finalId } = finalSnapshotChoice(p);
    if (finalId !== undefined) newClusterSnapshot(ctx, c, finalId, [], snapshotDelay(ctx.options));
    if (p.get('DeleteAutomatedBackups')?.toLowerCase() !== 'false') {
      for (const s of [...rds.clusterSnapshots.values()]) if (s.snapshotType === 'automated' && s.clusterId === c.id) rds.clusterSnapshots.delete(s.id);
    }
    const out = node('DBCluster', renderCluster(rds, { ...c, status: 'deleting' }, ctx.regionName));
    c.status = 'deleting';
    c.settlesAtMs = Date.now() + transitionDelay(ctx.options);
    return out;
  },

  StopDBInstance: (ctx, p) => {
    const rds = ctx.region.rds;
    const i = instanceOf(rds, required(p, 'DBInstanceIdentifier'));
    if (i.clusterId !== undefined) throw invalidCombination(`${i.engine} DB instances are not eligible for stopping and starting.`);
    if (i.readReplicaOf !== undefined) throw instanceState(`Instance ${i.id} is a read replica and cannot be stopped.`);
    if (rds.replicasOf(i.id).length > 0) throw instanceState(`Instance ${i.id} has read replicas and cannot be stopped.`);
    if (i.status !== 'available') throw instanceState(`Instance ${i.id} is not in available state.`);
    const snap = p.get('DBSnapshotIdentifier');
    if (snap !== undefined && snap !== '') newSnapshot(ctx, i, checkIdentifier('DBSnapshotIdentifier', snap), [], snapshotDelay(ctx.options));
    i.status = 'stopping';
    i.automaticRestartTime = new Date(ctx.account.currentTime().getTime() + RDS_AUTO_RESTART_MS);
    i.settlesAtMs = Date.now() + transitionDelay(ctx.options);
    return node('DBInstance', renderInstance(rds, i, ctx.regionName));
  },

  StopDBCluster: (ctx, p) => {
    const rds = ctx.region.rds;
    const c = clusterOf(rds, required(p, 'DBClusterIdentifier'));
    if (c.engineMode === 'serverless') throw clusterState(`DBCluster ${c.id} is an Aurora Serverless v1 cluster, which cannot be stopped.`);
    if (c.status !== 'available') throw clusterState(`DBCluster ${c.id} is not in available state.`);
    const settles = Date.now() + transitionDelay(ctx.options);
    c.status = 'stopping';
    c.automaticRestartTime = new Date(ctx.account.currentTime().getTime() + RDS_AUTO_RESTART_MS);
    c.settlesAtMs = settles;
    for (const m of rds.membersOf(c.id)) {
      m.status = 'stopping';
      m.settlesAtMs = settles;
    }
    return node('DBCluster', renderCluster(rds, c, ctx.regionName));
  },

  ListTagsForResource: (ctx, p) => {
    const rds = ctx.region.rds;
    const name = required(p, 'ResourceName');
    const m = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:(\d{12}):(db|cluster|snapshot|cluster-snapshot):(.+)$/.exec(name);
    if (m === null) throw invalidValue(`The specified resource name does not match an RDS resource in this region.`);
    const [, owner, type, id] = m as unknown as [string, string, string, string];
    const mine = owner === ctx.account.accountId;
    let tags: readonly SimTag[];
    switch (type) {
      case 'db':
        if (!mine) throw instanceNotFound(id);
        tags = instanceOf(rds, id).tags;
        break;
      case 'cluster':
        if (!mine) throw clusterNotFound(id);
        tags = clusterOf(rds, id).tags;
        break;
      case 'snapshot': {
        const s = mine ? findSnapshot(rds, id) : undefined;
        if (s === undefined) throw snapshotNotFound(id);
        tags = s.tags;
        break;
      }
      default: {
        const s = mine ? findClusterSnapshot(rds, id) : undefined;
        if (s === undefined) throw clusterSnapshotNotFound(id);
        tags = s.tags;
      }
    }
    return tagList(tags);
  },
};

export const rdsService = awsQueryService({
  name: 'RDS',
  signingName: 'rds',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: RDS_VERSION,
  xmlNamespace: RDS_XMLNS,
  operations: Object.fromEntries(Object.entries(operations).map(([name, f]) => [name, op(name, f)])),
});
