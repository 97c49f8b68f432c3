/**
 * Redshift over the AWS Query protocol (signing name `redshift`, API 2012-12-01), in the shapes the installed
 * `@aws-sdk/client-redshift` parses (`<Cluster>`, `<Snapshot>`, `<Tag>` list members; ClusterNodes as `<member>`).
 *
 * DescribeClusters, CreateClusterSnapshot, DescribeClusterSnapshots, DeleteCluster (SkipFinalClusterSnapshot or
 * FinalClusterSnapshotIdentifier: exactly one, else `InvalidParameterCombination`), PauseCluster. `Marker` paging with
 * `MaxRecords` 20–100; AWS's error codes (`ClusterNotFound`, `ClusterSnapshotNotFound`, `InvalidClusterState`,
 * `ClusterSnapshotAlreadyExists`, `InvalidParameterValue`). A manual snapshot needs an available cluster
 * ("The cluster must be in the available state", CreateClusterSnapshot); a paused cluster can be deleted.
 * https://docs.aws.amazon.com/redshift/latest/APIReference/
 */
import { ApiError } from '../api-error';
import { awsQueryService } from '../protocols/aws-query';
import type { CallContext } from '../protocols/protocol';
import { el, node } from '../protocols/xml';
import type { SimRedshiftCluster, SimRedshiftRegion, SimRedshiftSnapshot } from '../redshift-state';
import { redshiftArn, redshiftSnapshotOf } from '../redshift-state';
import type { SimTag } from '../state';
import { list, markerPage, requiredParam, tagParams } from './elasticache';

export const REDSHIFT_VERSION = '2012-12-01';
export const REDSHIFT_XMLNS = 'http://redshift.amazonaws.com/doc/2012-12-01/';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** Redshift CreateClusterSnapshot / a final snapshot: `creating` → `available` after this many ms (default 0: by the next Redshift call). */
    redshiftSnapshotDelayMs?: number;
    /** Redshift PauseCluster (`pausing` → `paused`) and DeleteCluster (`deleting` → gone) after this many ms (default 0: by the next call). */
    redshiftTransitionDelayMs?: number;
  }
}

const clusterNotFound = (id: string): ApiError => new ApiError('ClusterNotFound', `Cluster ${id} not found.`, 404);
const snapshotNotFound = (id: string): ApiError => new ApiError('ClusterSnapshotNotFound', `Snapshot ${id} not found.`, 404);

function stateOf(ctx: CallContext): SimRedshiftRegion {
  const rs = ctx.region.redshift;
  rs.settle();
  return rs;
}

function clusterOf(rs: SimRedshiftRegion, id: string): SimRedshiftCluster {
  const c = rs.clusters.get(id);
  if (c === undefined) throw clusterNotFound(id);
  return c;
}

const tagList = (name: string, tags: readonly SimTag[]): string => list(name, 'Tag', tags.map((t) => el('Key', t.key) + el('Value', t.value)));

const AVAILABILITY: Readonly<Record<string, string>> = {
  available: 'Available',
  paused: 'Paused',
  pausing: 'Modifying',
  resuming: 'Modifying',
  modifying: 'Modifying',
  rebooting: 'Modifying',
  creating: 'Unavailable',
  deleting: 'Unavailable',
  'final-snapshot': 'Unavailable',
};

function renderCluster(c: SimRedshiftCluster, region: string): string {
  return [
    el('ClusterIdentifier', c.id),
    el('NodeType', c.nodeType),
    el('ClusterStatus', c.status),
    el('ClusterAvailabilityStatus', AVAILABILITY[c.status] ?? 'Unavailable'),
    el('MasterUsername', c.masterUsername),
    el('DBName', c.dbName),
    c.status === 'creating' ? '' : node('Endpoint', el('Address', `${c.id}.csim0001.${region}.redshift.amazonaws.com`), el('Port', 5439)),
    el('ClusterCreateTime', c.createdAt),
    el('AutomatedSnapshotRetentionPeriod', c.automatedSnapshotRetentionPeriod),
    el('ManualSnapshotRetentionPeriod', c.manualSnapshotRetentionPeriod),
    '<ClusterSecurityGroups/>',
    '<VpcSecurityGroups/>',
    '<ClusterParameterGroups/>',
    el('ClusterSubnetGroupName', 'default'),
    el('VpcId', c.vpcId),
    el('AvailabilityZone', c.availabilityZone),
    el('PreferredMaintenanceWindow', 'sun:06:00-sun:06:30'),
    '<PendingModifiedValues/>',
    el('ClusterVersion', '1.0'),
    el('AllowVersionUpgrade', true),
    el('NumberOfNodes', c.numberOfNodes),
    el('PubliclyAccessible', false),
    el('Encrypted', c.encrypted),
    list(
      'ClusterNodes',
      'member',
      ['LEADER', ...Array.from({ length: c.numberOfNodes }, (_, i) => `COMPUTE-${i}`)].map((role, i) => el('NodeRole', role) + el('PrivateIPAddress', `10.0.1.${10 + i}`)),
    ),
    el('ClusterRevisionNumber', '90000'),
    tagList('Tags', c.tags),
    el('EnhancedVpcRouting', false),
    '<IamRoles/>',
    el('MaintenanceTrackName', 'current'),
    el('ClusterNamespaceArn', c.namespaceArn),
    el('TotalStorageCapacityInMegaBytes', c.totalStorageMb),
    el('IpAddressType', 'ipv4'),
    el('MultiAZ', 'Disabled'),
  ].join('');
}

function renderSnapshot(s: SimRedshiftSnapshot, accountId: string): string {
  const done = s.status !== 'creating';
  return [
    el('SnapshotIdentifier', s.id),
    el('ClusterIdentifier', s.clusterId),
    el('SnapshotCreateTime', s.createdAt),
    el('Status', s.status),
    el('Port', 5439),
    el('AvailabilityZone', s.availabilityZone),
    el('ClusterCreateTime', s.clusterCreatedAt),
    el('MasterUsername', s.masterUsername),
    el('ClusterVersion', '1.0'),
    el('SnapshotType', s.type),
    el('NodeType', s.nodeType),
    el('NumberOfNodes', s.numberOfNodes),
    el('DBName', s.dbName),
    el('VpcId', s.vpcId),
    el('Encrypted', s.encrypted),
    el('EncryptedWithHSM', false),
    el('OwnerAccount', accountId),
    el('TotalBackupSizeInMegaBytes', s.sizeMb),
    el('ActualIncrementalBackupSizeInMegaBytes', done ? s.sizeMb : 0),
    el('BackupProgressInMegaBytes', done ? s.sizeMb : 0),
    el('CurrentBackupRateInMegaBytesPerSecond', done ? 0 : 100),
    el('EstimatedSecondsToCompletion', done ? 0 : Math.ceil(s.sizeMb / 100)),
    el('ElapsedTimeInSeconds', 0),
    tagList('Tags', s.tags),
    el('EnhancedVpcRouting', false),
    el('MaintenanceTrackName', 'current'),
    el('ManualSnapshotRetentionPeriod', s.manualSnapshotRetentionPeriod),
    el('SnapshotArn', s.arn),
  ].join('');
}

/** Starts a manual snapshot of `c` (CreateClusterSnapshot, or DeleteCluster's final snapshot). */
function startSnapshot(ctx: CallContext, rs: SimRedshiftRegion, c: SimRedshiftCluster, id: string, tags: SimTag[], retention?: number): SimRedshiftSnapshot {
  if (rs.snapshots.has(id)) throw new ApiError('ClusterSnapshotAlreadyExists', `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`);
  const snap = redshiftSnapshotOf(c, {
    id,
    arn: redshiftArn(ctx.regionName, ctx.account.accountId, 'snapshot', id, c.id),
    type: 'manual',
    status: 'creating',
    createdAt: new Date(),
    tags,
    ...(retention !== undefined ? { manualSnapshotRetentionPeriod: retention } : {}),
  });
  snap.availableAtMs = Date.now() + (ctx.options.redshiftSnapshotDelayMs ?? 0);
  rs.snapshots.set(id, snap);
  return snap;
}

/** Cluster and snapshot identifiers: 1–255 letters, digits or hyphens, starting with a letter, no `--`, no trailing `-`. */
function checkIdentifier(name: string, value: string, max = 255): void {
  if (value.length > max || !/^[A-Za-z][A-Za-z0-9-]*$/.test(value) || value.includes('--') || value.endsWith('-')) {
    throw new ApiError('InvalidParameterValue', `The ${name} ${value} is not valid: use 1 to ${max} letters, digits or hyphens, starting with a letter, without two consecutive hyphens or a trailing hyphen.`);
  }
}

export const redshiftService = awsQueryService({
  name: 'Redshift',
  signingName: 'redshift',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: REDSHIFT_VERSION,
  xmlNamespace: REDSHIFT_XMLNS,
  operations: {
    DescribeClusters: (ctx, p) => {
      const rs = stateOf(ctx);
      const id = p.get('ClusterIdentifier');
      const clusters = id !== undefined && id !== '' ? [clusterOf(rs, id)] : [...rs.clusters.values()];
      const { page, marker } = markerPage(clusters, (c) => c.id, p, { min: 20, max: 100, dflt: 100 });
      return list('Clusters', 'Cluster', page.map((c) => renderCluster(c, ctx.regionName))) + el('Marker', marker);
    },

    CreateClusterSnapshot: (ctx, p) => {
      const rs = stateOf(ctx);
      const id = requiredParam(p, 'SnapshotIdentifier');
      checkIdentifier('snapshot identifier', id);
      const c = clusterOf(rs, requiredParam(p, 'ClusterIdentifier'));
      if (c.status !== 'available') throw new ApiError('InvalidClusterState', `Cluster ${c.id} is in ${c.status} state: a snapshot needs it available.`);
      const retention = p.int('ManualSnapshotRetentionPeriod');
      if (retention !== undefined && (Number.isNaN(retention) || (retention !== -1 && (retention < 1 || retention > 3653)))) {
        throw new ApiError('InvalidRetentionPeriodFault', 'The retention period must be -1 or between 1 and 3653 days.');
      }
      return node('Snapshot', renderSnapshot(startSnapshot(ctx, rs, c, id, tagParams(p), retention), ctx.account.accountId));
    },

    DescribeClusterSnapshots: (ctx, p) => {
      const rs = stateOf(ctx);
      const id = p.get('SnapshotIdentifier');
      const clusterId = p.get('ClusterIdentifier');
      const type = p.get('SnapshotType');
      if (type !== undefined && type !== 'manual' && type !== 'automated') {
        throw new ApiError('InvalidParameterValue', `Invalid value for SnapshotType: ${type}. Valid values are manual and automated.`);
      }
      if (id !== undefined && id !== '' && !rs.snapshots.has(id)) throw snapshotNotFound(id);
      const snaps = [...rs.snapshots.values()].filter(
        (s) => (id === undefined || id === '' || s.id === id) && (clusterId === undefined || clusterId === '' || s.clusterId === clusterId) && (type === undefined || s.type === type),
      );
      const { page, marker } = markerPage(snaps, (s) => s.id, p, { min: 20, max: 100, dflt: 100 });
      return list('Snapshots', 'Snapshot', page.map((s) => renderSnapshot(s, ctx.account.accountId))) + el('Marker', marker);
    },

    DeleteCluster: (ctx, p) => {
      const rs = stateOf(ctx);
      const c = clusterOf(rs, requiredParam(p, 'ClusterIdentifier'));
      const skip = p.bool('SkipFinalClusterSnapshot');
      const final = p.get('FinalClusterSnapshotIdentifier');
      const named = final !== undefined && final !== '';
      if (skip && named) throw new ApiError('InvalidParameterCombination', 'FinalClusterSnapshotIdentifier must not be specified when SkipFinalClusterSnapshot is true.');
      if (!skip && !named) throw new ApiError('InvalidParameterCombination', 'FinalClusterSnapshotIdentifier is required unless SkipFinalClusterSnapshot is specified.');
      if (c.status !== 'available' && c.status !== 'paused') {
        throw new ApiError('InvalidClusterState', `There is an operation running on the Cluster. Please try to delete it at a later time.`);
      }
      if (named) {
        checkIdentifier('snapshot identifier', final);
        const retention = p.int('FinalClusterSnapshotRetentionPeriod');
        startSnapshot(ctx, rs, c, final, [], retention !== undefined && !Number.isNaN(retention) ? retention : undefined);
      }
      c.status = 'deleting';
      c.transitionAtMs = Date.now() + (ctx.options.redshiftTransitionDelayMs ?? 0);
      return node('Cluster', renderCluster(c, ctx.regionName));
    },

    PauseCluster: (ctx, p) => {
      const rs = stateOf(ctx);
      const c = clusterOf(rs, requiredParam(p, 'ClusterIdentifier'));
      if (c.status !== 'available') throw new ApiError('InvalidClusterState', `Cluster ${c.id} is in ${c.status} state: only an available cluster can be paused.`);
      // "You can't pause … clusters that have automated snapshots turned off" (management guide). The API lists
      // UnsupportedOperation beside InvalidClusterState; which one AWS answers here is this simulator's assumption.
      if (c.automatedSnapshotRetentionPeriod === 0) throw new ApiError('UnsupportedOperation', `Cluster ${c.id} has automated snapshots turned off and cannot be paused.`);
      c.status = 'pausing';
      c.transitionAtMs = Date.now() + (ctx.options.redshiftTransitionDelayMs ?? 0);
      return node('Cluster', renderCluster(c, ctx.regionName));
    },
  },
});
