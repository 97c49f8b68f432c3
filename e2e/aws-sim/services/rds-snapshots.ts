/**
 * RDS snapshots (`rds.ts` spreads `snapshotOperations` into its operations; the helpers both use are in
 * `rds-common.ts`, so neither imports the other at load): Describe{DB,DBCluster}Snapshots (unknown id → DBSnapshotNotFound /
 * DBClusterSnapshotNotFoundFault, 404; `SnapshotType` manual | automated | awsbackup | shared | public, `IncludeShared`,
 * `IncludePublic` with AWS's rules: without a type, own manual and automated ones, plus shared / public ones when
 * asked), their `AttributeValues/AttributeValue` attributes, Create{DB,DBCluster}Snapshot (`creating`, then `available`
 * after `rdsSnapshotDelayMs`; Tags honoured), Delete{DB,DBCluster}Snapshot, their XML, and the final snapshots of
 * DeleteDBInstance / DeleteDBCluster / StopDBInstance.
 */
import { ApiError } from '../api-error';
import type { AwsQueryOperation } from '../protocols/aws-query';
import type { CallContext, SimOptions } from '../protocols/protocol';
import type { QueryParams } from '../protocols/query-params';
import { el, esc, node } from '../protocols/xml';
import type { SimDbCluster, SimDbClusterSnapshot, SimDbInstance, SimDbSnapshot, SimRdsRegion } from '../rds-state';
import { rdsArn } from '../rds-state';
import type { SimTag } from '../state';
import {
  checkIdentifier,
  clusterOf,
  clusterState,
  filtersOf,
  instanceOf,
  instanceState,
  invalidCombination,
  invalidValue,
  list,
  matchesId,
  rdsPage,
  required,
  tagList,
  tagsParam,
} from './rds-common';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** Create{DB,DBCluster}Snapshot and final snapshots: `creating` → `available` after this many wall-clock ms (default 0: by the next RDS call). */
    rdsSnapshotDelayMs?: number;
  }
}

// ---- errors ----

export const snapshotNotFound = (id: string): ApiError => new ApiError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404);
export const clusterSnapshotNotFound = (id: string): ApiError => new ApiError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404);

// ---- XML ----

export function renderSnapshot(s: SimDbSnapshot, status: string = s.status): string {
  return [
    el('DBSnapshotIdentifier', s.id),
    el('DBInstanceIdentifier', s.instanceId),
    el('SnapshotCreateTime', s.createTime),
    el('Engine', s.engine),
    el('AllocatedStorage', s.allocatedStorage),
    el('Status', status),
    el('Port', s.port),
    el('AvailabilityZone', s.availabilityZone),
    el('VpcId', 'vpc-0sim00000000000001'),
    el('InstanceCreateTime', s.instanceCreateTime),
    el('MasterUsername', s.masterUsername),
    el('EngineVersion', s.engineVersion),
    el('LicenseModel', s.licenseModel),
    el('SnapshotType', s.snapshotType),
    el('Iops', s.iops),
    el('PercentProgress', s.status === 'creating' ? 0 : 100),
    el('SourceRegion', s.sourceRegion),
    el('SourceDBSnapshotIdentifier', s.copiedFrom),
    el('StorageType', s.storageType),
    el('Encrypted', s.encrypted),
    el('DBSnapshotArn', s.arn),
    el('IAMDatabaseAuthenticationEnabled', false),
    '<ProcessorFeatures/>',
    el('DbiResourceId', s.instanceResourceId),
    tagList(s.tags),
    el('OriginalSnapshotCreateTime', s.createTime),
    el('SnapshotTarget', 'region'),
  ].join('');
}

export function renderClusterSnapshot(s: SimDbClusterSnapshot, status: string = s.status): string {
  return [
    list('AvailabilityZones', 'AvailabilityZone', s.availabilityZones.map(esc)),
    el('DBClusterSnapshotIdentifier', s.id),
    el('DBClusterIdentifier', s.clusterId),
    el('SnapshotCreateTime', s.createTime),
    el('Engine', s.engine),
    el('EngineMode', s.engineMode),
    el('AllocatedStorage', s.allocatedStorage),
    el('Status', status),
    el('Port', s.port),
    el('VpcId', 'vpc-0sim00000000000001'),
    el('ClusterCreateTime', s.clusterCreateTime),
    el('MasterUsername', s.masterUsername),
    el('EngineVersion', s.engineVersion),
    el('LicenseModel', s.engine.includes('postgres') ? 'postgresql-license' : 'general-public-license'),
    el('SnapshotType', s.snapshotType),
    el('PercentProgress', s.status === 'creating' ? 0 : 100),
    el('StorageEncrypted', s.encrypted),
    el('DBClusterSnapshotArn', s.arn),
    el('SourceDBClusterSnapshotArn', s.copiedFrom),
    el('IAMDatabaseAuthenticationEnabled', false),
    tagList(s.tags),
    el('StorageType', s.storageType),
    el('DbClusterResourceId', s.clusterResourceId),
  ].join('');
}

function renderAttributes(restore: readonly string[]): string {
  return list('AttributeValues', 'AttributeValue', restore.map(esc));
}

// ---- lookups ----

/** This account's snapshot by identifier or ARN, or another account's shared one by its ARN. */
export function findSnapshot(rds: SimRdsRegion, idOrArn: string): SimDbSnapshot | undefined {
  return rds.snapshots.get(idOrArn.startsWith('arn:') ? idOrArn : idOrArn.toLowerCase()) ?? [...rds.snapshots.values()].find((s) => s.arn === idOrArn);
}

export function findClusterSnapshot(rds: SimRdsRegion, idOrArn: string): SimDbClusterSnapshot | undefined {
  return (
    rds.clusterSnapshots.get(idOrArn.startsWith('arn:') ? idOrArn : idOrArn.toLowerCase()) ?? [...rds.clusterSnapshots.values()].find((s) => s.arn === idOrArn)
  );
}

/** Own = this account's; foreign ones are listed only as `shared` / `public`. */
type Listed = { snapshotType: string; sharedWith: readonly string[]; ownerAccountId: string };

/** AWS's SnapshotType / IncludeShared / IncludePublic rules (DescribeDBSnapshots, DescribeDBClusterSnapshots). */
function snapshotTypeFilter(p: QueryParams, accountId: string): (s: Listed) => boolean {
  const type = p.get('SnapshotType');
  const own = (s: Listed): boolean => s.ownerAccountId === accountId;
  const isPublic = (s: Listed): boolean => s.sharedWith.includes('all');
  const sharedWithMe = (s: Listed): boolean => !own(s) && !isPublic(s);
  switch (type) {
    case undefined:
    case '':
      return (s) => (own(s) && s.snapshotType !== 'shared') || (p.bool('IncludeShared') && sharedWithMe(s)) || (p.bool('IncludePublic') && isPublic(s));
    case 'manual':
    case 'automated':
    case 'awsbackup':
      return (s) => own(s) && s.snapshotType === type;
    case 'shared':
      return sharedWithMe;
    case 'public':
      return isPublic;
    default:
      throw invalidValue(`Invalid snapshot type: ${type}. Valid values are: automated, manual, shared, public, awsbackup.`);
  }
}

// ---- creation (also final snapshots of DeleteDBInstance / DeleteDBCluster / StopDBInstance) ----

export function newSnapshot(ctx: CallContext, i: SimDbInstance, id: string, tags: SimTag[], delayMs: number): SimDbSnapshot {
  const rds = ctx.region.rds;
  if (rds.snapshots.has(id)) throw new ApiError('DBSnapshotAlreadyExists', `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`);
  const s: SimDbSnapshot = {
    id,
    arn: rdsArn(ctx.regionName, ctx.account.accountId, 'snapshot', id),
    instanceId: i.id,
    instanceResourceId: i.resourceId,
    createTime: ctx.account.currentTime(),
    status: 'creating',
    snapshotType: 'manual',
    allocatedStorage: i.allocatedStorage,
    engine: i.engine,
    engineVersion: i.engineVersion,
    storageType: i.storageType,
    ...(i.iops !== undefined ? { iops: i.iops } : {}),
    licenseModel: i.licenseModel,
    port: i.port,
    availabilityZone: i.availabilityZone,
    instanceCreateTime: i.createTime,
    masterUsername: i.masterUsername,
    encrypted: i.storageEncrypted,
    tags,
    sharedWith: [],
    ownerAccountId: ctx.account.accountId,
    availableAtMs: Date.now() + delayMs,
  };
  rds.snapshots.set(id, s);
  return s;
}

export function newClusterSnapshot(ctx: CallContext, c: SimDbCluster, id: string, tags: SimTag[], delayMs: number): SimDbClusterSnapshot {
  const rds = ctx.region.rds;
  if (rds.clusterSnapshots.has(id)) {
    throw new ApiError('DBClusterSnapshotAlreadyExistsFault', `Cannot create the cluster snapshot because one with the identifier ${id} already exists.`);
  }
  const s: SimDbClusterSnapshot = {
    id,
    arn: rdsArn(ctx.regionName, ctx.account.accountId, 'cluster-snapshot', id),
    clusterId: c.id,
    clusterResourceId: c.resourceId,
    createTime: ctx.account.currentTime(),
    status: 'creating',
    snapshotType: 'manual',
    allocatedStorage: c.allocatedStorage,
    engine: c.engine,
    engineVersion: c.engineVersion,
    engineMode: c.engineMode,
    storageType: c.storageType,
    port: c.port,
    clusterCreateTime: c.createTime,
    masterUsername: c.masterUsername,
    encrypted: c.storageEncrypted,
    tags,
    sharedWith: [],
    ownerAccountId: ctx.account.accountId,
    availabilityZones: c.availabilityZones,
    availableAtMs: Date.now() + delayMs,
  };
  rds.clusterSnapshots.set(id, s);
  return s;
}

/** SkipFinalSnapshot / Final…SnapshotIdentifier: exactly one of them (AWS's rule for instances and clusters). */
export function finalSnapshotChoice(p: QueryParams): { skip: boolean; finalId?: string } {
  const param = 'FinalDBSnapshotIdentifier';
  const skip = p.bool('SkipFinalSnapshot');
  const raw = p.get(param);
  const finalId = raw === undefined || raw === '' ? undefined : checkIdentifier(param, raw);
  if (skip && finalId !== undefined) throw invalidCombination(`Cannot specify both SkipFinalSnapshot and ${param}.`);
  if (!skip && finalId === undefined) throw invalidCombination(`${param} is required unless SkipFinalSnapshot is specified.`);
  return { skip, ...(finalId !== undefined ? { finalId } : {}) };
}

export const snapshotDelay = (o: Readonly<SimOptions>): number => o.rdsSnapshotDelayMs ?? 0;

export const snapshotOperations: Record<string, AwsQueryOperation> = {
  DescribeDBSnapshots: (ctx, p) => {
    const rds = ctx.region.rds;
    const snapId = p.get('DBSnapshotIdentifier');
    const instId = p.get('DBInstanceIdentifier');
    let items = [...rds.snapshots.values()];
    if (snapId !== undefined && snapId !== '') {
      const s = findSnapshot(rds, snapId);
      if (s === undefined) throw snapshotNotFound(snapId);
      items = [s];
    } else {
      items = items.filter(snapshotTypeFilter(p, ctx.account.accountId));
    }
    if (instId !== undefined && instId !== '') items = items.filter((s) => s.instanceId === instId.toLowerCase());
    for (const f of filtersOf(p, ['db-instance-id', 'db-snapshot-id', 'dbi-resource-id', 'snapshot-type', 'engine'])) {
      items = items.filter((s) => {
        switch (f.name) {
          case 'db-instance-id':
            return matchesId(f.values, s.instanceId, rdsArn(ctx.regionName, s.ownerAccountId, 'db', s.instanceId));
          case 'db-snapshot-id':
            return matchesId(f.values, s.id, s.arn);
          case 'dbi-resource-id':
            return f.values.includes(s.instanceResourceId);
          case 'snapshot-type':
            return f.values.includes(s.snapshotType);
          default:
            return f.values.includes(s.engine);
        }
      });
    }
    const { page, marker } = rdsPage(items, (s) => s.id, p);
    return el('Marker', marker) + list('DBSnapshots', 'DBSnapshot', page.map((s) => renderSnapshot(s)));
  },

  DescribeDBClusterSnapshots: (ctx, p) => {
    const rds = ctx.region.rds;
    const snapId = p.get('DBClusterSnapshotIdentifier');
    const clusterId = p.get('DBClusterIdentifier');
    let items = [...rds.clusterSnapshots.values()];
    if (snapId !== undefined && snapId !== '') {
      const s = findClusterSnapshot(rds, snapId);
      if (s === undefined) throw clusterSnapshotNotFound(snapId);
      items = [s];
    } else {
      items = items.filter(snapshotTypeFilter(p, ctx.account.accountId));
    }
    if (clusterId !== undefined && clusterId !== '') items = items.filter((s) => s.clusterId === clusterId.toLowerCase());
    for (const f of filtersOf(p, ['db-cluster-id', 'db-cluster-snapshot-id', 'snapshot-type', 'engine'])) {
      items = items.filter((s) => {
        switch (f.name) {
          case 'db-cluster-id':
            return matchesId(f.values, s.clusterId, rdsArn(ctx.regionName, s.ownerAccountId, 'cluster', s.clusterId));
          case 'db-cluster-snapshot-id':
            return matchesId(f.values, s.id, s.arn);
          case 'snapshot-type':
            return f.values.includes(s.snapshotType);
          default:
            return f.values.includes(s.engine);
        }
      });
    }
    const { page, marker } = rdsPage(items, (s) => s.id, p);
    return el('Marker', marker) + list('DBClusterSnapshots', 'DBClusterSnapshot', page.map((s) => renderClusterSnapshot(s)));
  },

  DescribeDBSnapshotAttributes: (ctx, p) => {
    const id = required(p, 'DBSnapshotIdentifier');
    const s = findSnapshot(ctx.region.rds, id);
    if (s === undefined || s.ownerAccountId !== ctx.account.accountId) throw snapshotNotFound(id);
    return node(
      'DBSnapshotAttributesResult',
      el('DBSnapshotIdentifier', s.id),
      list('DBSnapshotAttributes', 'DBSnapshotAttribute', [el('AttributeName', 'restore') + renderAttributes(s.sharedWith)]),
    );
  },

  DescribeDBClusterSnapshotAttributes: (ctx, p) => {
    const id = required(p, 'DBClusterSnapshotIdentifier');
    const s = findClusterSnapshot(ctx.region.rds, id);
    if (s === undefined || s.ownerAccountId !== ctx.account.accountId) throw clusterSnapshotNotFound(id);
    return node(
      'DBClusterSnapshotAttributesResult',
      el('DBClusterSnapshotIdentifier', s.id),
      list('DBClusterSnapshotAttributes', 'DBClusterSnapshotAttribute', [el('AttributeName', 'restore') + renderAttributes(s.sharedWith)]),
    );
  },

  CreateDBSnapshot: (ctx, p) => {
    const snapId = checkIdentifier('DBSnapshotIdentifier', required(p, 'DBSnapshotIdentifier'));
    const i = instanceOf(ctx.region.rds, required(p, 'DBInstanceIdentifier'));
    if (i.clusterId !== undefined) {
      throw invalidValue('The specified instance is a member of a cluster and a snapshot cannot be created directly. Please use the CreateDBClusterSnapshot API instead.');
    }
    if (i.status !== 'available' && i.status !== 'stopped') throw instanceState(`Instance ${i.id} is not in available state.`);
    return node('DBSnapshot', renderSnapshot(newSnapshot(ctx, i, snapId, tagsParam(p), snapshotDelay(ctx.options))));
  },

  CreateDBClusterSnapshot: (ctx, p) => {
    const snapId = checkIdentifier('DBClusterSnapshotIdentifier', required(p, 'DBClusterSnapshotIdentifier'));
    const c = clusterOf(ctx.region.rds, required(p, 'DBClusterIdentifier'));
    if (c.status !== 'available') throw clusterState(`DBCluster ${c.id} is not in available state.`);
    return node('DBClusterSnapshot', renderClusterSnapshot(newClusterSnapshot(ctx, c, snapId, tagsParam(p), snapshotDelay(ctx.options))));
  },

  DeleteDBSnapshot: (ctx, p) => {
    const rds = ctx.region.rds;
    const id = required(p, 'DBSnapshotIdentifier');
    const s = findSnapshot(rds, id);
    if (s === undefined || s.ownerAccountId !== ctx.account.accountId) throw snapshotNotFound(id);
    if (s.snapshotType === 'automated') throw new ApiError('InvalidDBSnapshotState', 'Cannot delete automated snapshots; they are deleted with their retention period or their DB instance.');
    if (s.status !== 'available' && s.status !== 'failed') throw new ApiError('InvalidDBSnapshotState', 'Cannot delete the snapshot because it is not in available state.');
    rds.snapshots.delete(s.id);
    return node('DBSnapshot', renderSnapshot(s, 'deleted'));
  },

  DeleteDBClusterSnapshot: (ctx, p) => {
    const rds = ctx.region.rds;
    const id = required(p, 'DBClusterSnapshotIdentifier');
    const s = findClusterSnapshot(rds, id);
    if (s === undefined || s.ownerAccountId !== ctx.account.accountId) throw clusterSnapshotNotFound(id);
    if (s.snapshotType === 'automated') {
      throw new ApiError('InvalidDBClusterSnapshotStateFault', 'Cannot delete automated snapshots; they are deleted with their retention period or their DB cluster.');
    }
    if (s.status !== 'available' && s.status !== 'failed') throw new ApiError('InvalidDBClusterSnapshotStateFault', 'Cannot delete the snapshot because it is not in available state.');
    rds.clusterSnapshots.delete(s.id);
    return node('DBClusterSnapshot', renderClusterSnapshot(s, 'deleted'));
  },
};
