/**
 * The simulator's RDS against the real `@aws-sdk/client-rds` (AWS Query XML as the SDK parses it): DB instances,
 * Aurora clusters, DB and cluster snapshots, their paging, filters, errors, and the mutations with their delays.
 */
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  ListTagsForResourceCommand,
  paginateDescribeDBInstances,
  RDSClient,
  StopDBClusterCommand,
  StopDBInstanceCommand,
  type DBInstance,
  type DescribeDBSnapshotsCommandInput,
} from '@aws-sdk/client-rds';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import type { RdsRegionFixture } from './rds-state';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');
const DAY_MS = 86_400_000;

const MAIN: RdsRegionFixture = {
  instances: [
    { id: 'orders', engine: 'postgres', instanceClass: 'db.m6g.large', allocatedStorage: 100, storageType: 'gp3', iops: 3000, storageThroughput: 125, multiAz: true, tags: { team: 'shop' } },
    { id: 'orders-replica', engine: 'postgres', instanceClass: 'db.m6g.large', allocatedStorage: 100, storageType: 'gp3', readReplicaOf: 'orders' },
    { id: 'legacy', engine: 'mysql', status: 'stopped', stoppedDaysAgo: 2, allocatedStorage: 50, storageType: 'io1', iops: 1000, createdDaysAgo: 400 },
    { id: 'locked', engine: 'mariadb', deletionProtection: true },
    { id: 'aurora-a', clusterId: 'analytics' },
    { id: 'aurora-b', clusterId: 'analytics' },
    { id: 'paused-1', clusterId: 'paused' },
  ],
  clusters: [
    { id: 'analytics', engine: 'aurora-postgresql', storageType: 'aurora-iopt1', tags: { team: 'data' } },
    { id: 'paused', engine: 'aurora-mysql', status: 'stopped', stoppedDaysAgo: 3 },
    { id: 'guarded', engine: 'aurora-mysql', deletionProtection: true },
  ],
  snapshots: [
    { id: 'orders-before-upgrade', instanceId: 'orders', createdDaysAgo: 90, tags: { why: 'upgrade' } },
    { id: 'gone-db-final', instanceId: 'gone-db', createdDaysAgo: 200, allocatedStorage: 500, engine: 'oracle-se2' },
    { id: 'shared-out', instanceId: 'orders', sharedWith: [OTHER] },
    { id: 'public-one', instanceId: 'orders', sharedWith: ['all'] },
    { id: 'copied-in', instanceId: 'partner-db', copiedFrom: `arn:aws:rds:us-east-1:${OTHER}:snapshot:partner-db-2026` },
    { id: 'rds:orders-2026-11-24-03-10', instanceId: 'orders', type: 'automated', createdDaysAgo: 1 },
    { id: 'theirs', instanceId: 'their-db', ownerAccountId: OTHER, sharedWith: [ACCOUNT] },
  ],
  clusterSnapshots: [
    { id: 'analytics-manual', clusterId: 'analytics', createdDaysAgo: 60, allocatedStorage: 250 },
    { id: 'old-cluster-final', clusterId: 'old-cluster', engine: 'aurora-mysql', sharedWith: [OTHER], copiedFrom: `arn:aws:rds:us-west-2:${ACCOUNT}:cluster-snapshot:old` },
    { id: 'rds:analytics-2026-11-24-04-00', clusterId: 'analytics', type: 'automated', createdDaysAgo: 1 },
  ],
};

function account(rds: RdsRegionFixture): AccountFixture {
  return { accountId: ACCOUNT, regions: [{ name: REGION }, { name: 'us-east-1' }], resources: { [REGION]: { rds } } };
}

let sim: Simulator;
const clients: RDSClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ fixture: account(MAIN), now: NOW });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function rds(s: Simulator = sim, region = REGION): RDSClient {
  if (!s.endpoint.startsWith('http://127.0.0.1:')) throw new Error('refusing a non-local endpoint');
  const c = new RDSClient({ endpoint: s.endpoint, region, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function withSim(fixture: RdsRegionFixture, fn: (s: Simulator) => Promise<void>): Promise<void> {
  const s = await startSimulator({ fixture: account(fixture), now: NOW });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function instance(c: RDSClient, id: string): Promise<DBInstance> {
  const i = (await c.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
  if (i === undefined) throw new Error(`no instance ${id}`);
  return i;
}

const ARN = `arn:aws:rds:${REGION}:${ACCOUNT}`;

describe('DescribeDBInstances', () => {
  it('answers the fields the app reads: class, engine, storage, Multi-AZ, replicas, protection, tags', async () => {
    const out = await rds().send(new DescribeDBInstancesCommand({}));
    expect(out.Marker).toBeUndefined();
    expect(out.DBInstances?.map((i) => i.DBInstanceIdentifier)).toEqual(['aurora-a', 'aurora-b', 'legacy', 'locked', 'orders', 'orders-replica', 'paused-1']);
    const orders = out.DBInstances?.find((i) => i.DBInstanceIdentifier === 'orders');
    expect(orders).toMatchObject({
      DBInstanceArn: `${ARN}:db:orders`,
      DBInstanceClass: 'db.m6g.large',
      Engine: 'postgres',
      EngineVersion: '16.3',
      DBInstanceStatus: 'available',
      AllocatedStorage: 100,
      StorageType: 'gp3',
      Iops: 3000,
      StorageThroughput: 125,
      MultiAZ: true,
      DeletionProtection: false,
      AvailabilityZone: 'eu-west-1a',
      LicenseModel: 'postgresql-license',
      ReadReplicaDBInstanceIdentifiers: ['orders-replica'],
      TagList: [{ Key: 'team', Value: 'shop' }],
      Endpoint: { Address: expect.stringMatching(/^orders\./), Port: 5432 },
      DbiResourceId: expect.stringMatching(/^db-[A-Z0-9]{26}$/),
    });
    expect(orders?.InstanceCreateTime).toEqual(new Date(NOW.getTime() - 100 * DAY_MS));
    expect(orders?.ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    expect(orders?.AutomaticRestartTime).toBeUndefined();
    expect(orders?.DBClusterIdentifier).toBeUndefined();

    const replica = out.DBInstances?.find((i) => i.DBInstanceIdentifier === 'orders-replica');
    expect(replica).toMatchObject({ ReadReplicaSourceDBInstanceIdentifier: 'orders', ReadReplicaDBInstanceIdentifiers: [], TagList: [] });

    const legacy = out.DBInstances?.find((i) => i.DBInstanceIdentifier === 'legacy');
    expect(legacy).toMatchObject({ DBInstanceStatus: 'stopped', StorageType: 'io1', Iops: 1000, LicenseModel: 'general-public-license' });
    // Stopped two days ago: AWS starts it again seven days after the stop.
    expect(legacy?.AutomaticRestartTime).toEqual(new Date(NOW.getTime() + 5 * DAY_MS));

    expect(out.DBInstances?.find((i) => i.DBInstanceIdentifier === 'locked')?.DeletionProtection).toBe(true);
    expect(out.DBInstances?.find((i) => i.DBInstanceIdentifier === 'aurora-a')).toMatchObject({
      DBClusterIdentifier: 'analytics',
      Engine: 'aurora-postgresql',
      StorageType: 'aurora-iopt1',
      AllocatedStorage: 1,
    });
    expect(out.DBInstances?.find((i) => i.DBInstanceIdentifier === 'paused-1')?.DBInstanceStatus).toBe('stopped');
    // Regional: another region has none.
    expect((await rds(sim, 'us-east-1').send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
  });

  it('looks one up by identifier (case-insensitive); an unknown one is DBInstanceNotFound (404)', async () => {
    expect((await instance(rds(), 'ORDERS')).DBInstanceIdentifier).toBe('orders');
    await expect(rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' }))).rejects.toMatchObject({
      name: 'DBInstanceNotFoundFault',
      Code: 'DBInstanceNotFound',
      message: 'DBInstance nope not found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('filters by db-cluster-id and engine', async () => {
    const c = rds();
    const byCluster = await c.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['analytics'] }] }));
    expect(byCluster.DBInstances?.map((i) => i.DBInstanceIdentifier)).toEqual(['aurora-a', 'aurora-b']);
    const byEngine = await c.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'engine', Values: ['mysql', 'mariadb'] }] }));
    expect(byEngine.DBInstances?.map((i) => i.DBInstanceIdentifier)).toEqual(['legacy', 'locked']);
    await expect(c.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('pages with MaxRecords (20–100) and Marker: every instance exactly once', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ id: `db-${String(i).padStart(3, '0')}` }));
    await withSim({ instances: many }, async (s) => {
      const c = rds(s);
      const first = await c.send(new DescribeDBInstancesCommand({}));
      expect(first.DBInstances).toHaveLength(100);
      expect(first.Marker).toEqual(expect.any(String));
      const seen: string[] = [];
      for await (const page of paginateDescribeDBInstances({ client: c, pageSize: 20 }, {})) {
        expect(page.DBInstances?.length).toBeLessThanOrEqual(20);
        seen.push(...(page.DBInstances ?? []).map((i) => i.DBInstanceIdentifier ?? ''));
      }
      expect(seen).toEqual(many.map((m) => m.id));
      for (const bad of [19, 101]) {
        await expect(c.send(new DescribeDBInstancesCommand({ MaxRecords: bad }))).rejects.toMatchObject({
          name: 'InvalidParameterValue',
          message: `Invalid value ${bad} for MaxRecords. Must be between 20 and 100`,
        });
      }
      await expect(c.send(new DescribeDBInstancesCommand({ Marker: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    });
  });

  it('a denied rds:DescribeDBInstances is AccessDenied naming the action', async () => {
    sim.state.deny.add('rds:DescribeDBInstances');
    try {
      await expect(rds().send(new DescribeDBInstancesCommand({}))).rejects.toMatchObject({
        name: 'AccessDenied',
        message: expect.stringContaining('rds:DescribeDBInstances'),
      });
    } finally {
      sim.state.deny.delete('rds:DescribeDBInstances');
    }
  });
});

describe('DescribeDBClusters', () => {
  it('answers clusters with their members (writer first listed), storage type, protection and restart time', async () => {
    const out = await rds().send(new DescribeDBClustersCommand({}));
    expect(out.DBClusters?.map((c) => c.DBClusterIdentifier)).toEqual(['analytics', 'guarded', 'paused']);
    const [analytics, guarded, paused] = out.DBClusters ?? [];
    expect(analytics).toMatchObject({
      DBClusterArn: `${ARN}:cluster:analytics`,
      Engine: 'aurora-postgresql',
      EngineMode: 'provisioned',
      Status: 'available',
      StorageType: 'aurora-iopt1',
      AllocatedStorage: 1,
      DeletionProtection: false,
      DBClusterMembers: [
        { DBInstanceIdentifier: 'aurora-a', IsClusterWriter: true },
        { DBInstanceIdentifier: 'aurora-b', IsClusterWriter: false },
      ],
      TagList: [{ Key: 'team', Value: 'data' }],
    });
    expect(analytics?.ClusterCreateTime).toEqual(new Date(NOW.getTime() - 100 * DAY_MS));
    expect(guarded).toMatchObject({ DeletionProtection: true, DBClusterMembers: [], StorageType: 'aurora' });
    expect(paused).toMatchObject({ Status: 'stopped' });
    expect(paused?.AutomaticRestartTime).toEqual(new Date(NOW.getTime() + 4 * DAY_MS));
    await expect(rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nope' }))).rejects.toMatchObject({
      name: 'DBClusterNotFoundFault',
      message: 'DBCluster nope not found.',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(rds().send(new DescribeDBClustersCommand({ MaxRecords: 5 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('DescribeDBSnapshots and DescribeDBClusterSnapshots', () => {
  it('lists own manual and automated snapshots by default; shared and public ones only when asked', async () => {
    const c = rds();
    const ids = async (input: DescribeDBSnapshotsCommandInput): Promise<string[]> =>
      ((await c.send(new DescribeDBSnapshotsCommand(input))).DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier ?? '');
    expect(await ids({})).toEqual(['copied-in', 'gone-db-final', 'orders-before-upgrade', 'public-one', 'rds:orders-2026-11-24-03-10', 'shared-out']);
    expect(await ids({ SnapshotType: 'manual' })).toEqual(['copied-in', 'gone-db-final', 'orders-before-upgrade', 'public-one', 'shared-out']);
    expect(await ids({ SnapshotType: 'automated' })).toEqual(['rds:orders-2026-11-24-03-10']);
    expect(await ids({ SnapshotType: 'shared' })).toEqual([`arn:aws:rds:${REGION}:${OTHER}:snapshot:theirs`]);
    expect(await ids({ SnapshotType: 'public' })).toEqual(['public-one']);
    expect(await ids({ IncludeShared: true })).toContain(`arn:aws:rds:${REGION}:${OTHER}:snapshot:theirs`);
    expect(await ids({ DBInstanceIdentifier: 'orders', SnapshotType: 'manual' })).toEqual(['orders-before-upgrade', 'public-one', 'shared-out']);
    await expect(ids({ SnapshotType: 'weird' })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('answers each snapshot with its source, size, times, copy origin and tags', async () => {
    const c = rds();
    const one = async (id: string) => (await c.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }))).DBSnapshots?.[0];
    const mine = await one('orders-before-upgrade');
    expect(mine).toMatchObject({
      DBSnapshotArn: `${ARN}:snapshot:orders-before-upgrade`,
      DBInstanceIdentifier: 'orders',
      SnapshotType: 'manual',
      Status: 'available',
      AllocatedStorage: 100,
      Engine: 'postgres',
      StorageType: 'gp3',
      TagList: [{ Key: 'why', Value: 'upgrade' }],
    });
    expect(mine?.SnapshotCreateTime).toEqual(new Date(NOW.getTime() - 90 * DAY_MS));
    expect(mine?.SourceDBSnapshotIdentifier).toBeUndefined();
    expect(await one('gone-db-final')).toMatchObject({ DBInstanceIdentifier: 'gone-db', AllocatedStorage: 500, Engine: 'oracle-se2' });
    expect(await one('copied-in')).toMatchObject({
      SourceDBSnapshotIdentifier: `arn:aws:rds:us-east-1:${OTHER}:snapshot:partner-db-2026`,
      SourceRegion: 'us-east-1',
    });
    await expect(one('nope')).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault', Code: 'DBSnapshotNotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('cluster snapshots: the same type rules, sizes and copy origin', async () => {
    const c = rds();
    const out = await c.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
    expect(out.DBClusterSnapshots?.map((s) => s.DBClusterSnapshotIdentifier)).toEqual(['analytics-manual', 'old-cluster-final']);
    expect(out.DBClusterSnapshots?.[0]).toMatchObject({
      DBClusterSnapshotArn: `${ARN}:cluster-snapshot:analytics-manual`,
      DBClusterIdentifier: 'analytics',
      Engine: 'aurora-postgresql',
      AllocatedStorage: 250,
      Status: 'available',
      StorageType: 'aurora-iopt1',
      SnapshotType: 'manual',
    });
    expect(out.DBClusterSnapshots?.[1]?.SourceDBClusterSnapshotArn).toBe(`arn:aws:rds:us-west-2:${ACCOUNT}:cluster-snapshot:old`);
    const all = await c.send(new DescribeDBClusterSnapshotsCommand({}));
    expect(all.DBClusterSnapshots).toHaveLength(3);
    await expect(c.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'nope' }))).rejects.toMatchObject({
      name: 'DBClusterSnapshotNotFoundFault',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('the restore attribute lists the accounts a snapshot is shared with, or all', async () => {
    const c = rds();
    const attr = async (id: string) =>
      (await c.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id }))).DBSnapshotAttributesResult;
    expect(await attr('shared-out')).toEqual({
      DBSnapshotIdentifier: 'shared-out',
      DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [OTHER] }],
    });
    expect((await attr('public-one'))?.DBSnapshotAttributes?.[0]?.AttributeValues).toEqual(['all']);
    expect((await attr('gone-db-final'))?.DBSnapshotAttributes?.[0]?.AttributeValues).toEqual([]);
    const cluster = await c.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'old-cluster-final' }));
    expect(cluster.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes).toEqual([{ AttributeName: 'restore', AttributeValues: [OTHER] }]);
  });

  it('ListTagsForResource reads tags by ARN; an unknown resource is its NotFound', async () => {
    const c = rds();
    expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:db:orders` }))).TagList).toEqual([{ Key: 'team', Value: 'shop' }]);
    expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:cluster:analytics` }))).TagList).toEqual([{ Key: 'team', Value: 'data' }]);
    expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:snapshot:orders-before-upgrade` }))).TagList).toEqual([{ Key: 'why', Value: 'upgrade' }]);
    expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:cluster-snapshot:analytics-manual` }))).TagList).toEqual([]);
    await expect(c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:db:nope` }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
  });
});

describe('snapshots created and deleted', () => {
  it('CreateDBSnapshot: creating, then available after rdsSnapshotDelayMs; tags honoured; duplicates refused', async () => {
    await withSim(MAIN, async (s) => {
      s.configure({ rdsSnapshotDelayMs: 150 });
      const c = rds(s);
      const out = await c.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'Manual-1', Tags: [{ Key: 'plan', Value: 'p1' }] }));
      expect(out.DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 'manual-1', Status: 'creating', AllocatedStorage: 100, TagList: [{ Key: 'plan', Value: 'p1' }] });
      const status = async () => (await c.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'manual-1' }))).DBSnapshots?.[0]?.Status;
      expect(await status()).toBe('creating');
      await new Promise((r) => setTimeout(r, 200));
      expect(await status()).toBe('available');
      await expect(c.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'manual-1' }))).rejects.toMatchObject({
        name: 'DBSnapshotAlreadyExistsFault',
        Code: 'DBSnapshotAlreadyExists',
      });
      await expect(c.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'bad--id' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(c.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'aurora-a', DBSnapshotIdentifier: 'x1' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      // A stopped instance can be snapshotted.
      expect((await c.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'legacy', DBSnapshotIdentifier: 'legacy-1' }))).DBSnapshot?.Status).toBe('creating');
    });
  });

  it('the default delay 0 makes a new snapshot available by the next call', async () => {
    await withSim(MAIN, async (s) => {
      const c = rds(s);
      const cs = await c.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'analytics', DBClusterSnapshotIdentifier: 'an-1', Tags: [{ Key: 'k', Value: 'v' }] }));
      expect(cs.DBClusterSnapshot).toMatchObject({ Status: 'creating', DBClusterIdentifier: 'analytics', TagList: [{ Key: 'k', Value: 'v' }] });
      const again = await c.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'an-1' }));
      expect(again.DBClusterSnapshots?.[0]?.Status).toBe('available');
      await expect(c.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'paused', DBClusterSnapshotIdentifier: 'p-1' }))).rejects.toMatchObject({
        name: 'InvalidDBClusterStateFault',
      });
    });
  });

  it('DeleteDBSnapshot / DeleteDBClusterSnapshot remove manual snapshots; automated and missing ones are refused', async () => {
    await withSim(MAIN, async (s) => {
      const c = rds(s);
      const out = await c.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'gone-db-final' }));
      expect(out.DBSnapshot).toMatchObject({ DBSnapshotIdentifier: 'gone-db-final', Status: 'deleted' });
      expect(s.state.region(REGION).rds.snapshots.has('gone-db-final')).toBe(false);
      await expect(c.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'gone-db-final' }))).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });
      await expect(c.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'rds:orders-2026-11-24-03-10' }))).rejects.toMatchObject({ name: 'InvalidDBSnapshotStateFault' });
      // Another account's snapshot is not this account's to delete.
      await expect(c.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `arn:aws:rds:${REGION}:${OTHER}:snapshot:theirs` }))).rejects.toMatchObject({ name: 'DBSnapshotNotFoundFault' });
      expect((await c.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'analytics-manual' }))).DBClusterSnapshot?.Status).toBe('deleted');
      await expect(c.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'analytics-manual' }))).rejects.toMatchObject({ name: 'DBClusterSnapshotNotFoundFault' });
    });
  });
});

describe('DeleteDBInstance and DeleteDBCluster', () => {
  it('deletes with a final snapshot: deleting, then gone; the snapshot is kept; automated backups go', async () => {
    await withSim(MAIN, async (s) => {
      const c = rds(s);
      const out = await c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders', FinalDBSnapshotIdentifier: 'orders-final' }));
      expect(out.DBInstance).toMatchObject({ DBInstanceIdentifier: 'orders', DBInstanceStatus: 'deleting' });
      await expect(c.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders' }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
      const snaps = await c.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'orders' }));
      expect(snaps.DBSnapshots?.map((x) => [x.DBSnapshotIdentifier, x.SnapshotType, x.Status])).toEqual([
        ['orders-before-upgrade', 'manual', 'available'],
        ['orders-final', 'manual', 'available'],
        ['public-one', 'manual', 'available'],
        ['shared-out', 'manual', 'available'],
      ]);
      // Its replica was promoted to a standalone instance.
      expect((await instance(c, 'orders-replica')).ReadReplicaSourceDBInstanceIdentifier).toBeUndefined();
    });
  });

  it('stays deleting for rdsTransitionDelayMs', async () => {
    await withSim(MAIN, async (s) => {
      s.configure({ rdsTransitionDelayMs: 150 });
      const c = rds(s);
      await c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'legacy', SkipFinalSnapshot: true }));
      expect((await instance(c, 'legacy')).DBInstanceStatus).toBe('deleting');
      await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'legacy', SkipFinalSnapshot: true }))).rejects.toMatchObject({
        name: 'InvalidDBInstanceStateFault',
        Code: 'InvalidDBInstanceState',
      });
      await new Promise((r) => setTimeout(r, 200));
      await expect(instance(c, 'legacy')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    });
  });

  it('refuses: deletion protection (AWS wording), no snapshot choice, both choices, a replica with a final snapshot', async () => {
    const c = rds();
    await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'locked', SkipFinalSnapshot: true }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
      message: 'Cannot delete protected DB Instance, please disable deletion protection and try again.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders' }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
      message: 'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.',
    });
    await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders', SkipFinalSnapshot: true, FinalDBSnapshotIdentifier: 'x' }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
    await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders-replica', FinalDBSnapshotIdentifier: 'r-final' }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
    await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'orders', FinalDBSnapshotIdentifier: 'orders-before-upgrade' }))).rejects.toMatchObject({
      name: 'DBSnapshotAlreadyExistsFault',
    });
    await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'paused-1' }))).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    await expect(c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'nope', SkipFinalSnapshot: true }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    // Nothing changed.
    expect(sim.state.region(REGION).rds.instances.get('locked')?.status).toBe('available');
    expect(sim.state.region(REGION).rds.instances.get('orders')?.status).toBe('available');
  });

  it('a cluster with members is refused until they are deleting; then deleted with its final snapshot', async () => {
    await withSim(MAIN, async (s) => {
      const c = rds(s);
      await expect(c.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'analytics', SkipFinalSnapshot: true }))).rejects.toMatchObject({
        name: 'InvalidDBClusterStateFault',
        message: 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.',
      });
      await expect(c.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'guarded', SkipFinalSnapshot: true }))).rejects.toMatchObject({
        name: 'InvalidParameterCombination',
        message: 'Cannot delete protected Cluster, please disable deletion protection and try again.',
      });
      s.configure({ rdsTransitionDelayMs: 5_000 });
      for (const id of ['aurora-a', 'aurora-b']) await c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id }));
      const out = await c.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'analytics', FinalDBSnapshotIdentifier: 'analytics-final' }));
      expect(out.DBCluster).toMatchObject({ Status: 'deleting' });
      const snaps = await c.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'analytics' }));
      expect(snaps.DBClusterSnapshots?.map((x) => x.DBClusterSnapshotIdentifier)).toEqual(['analytics-final', 'analytics-manual']);
    });
  });
});

describe('StopDBInstance and StopDBCluster', () => {
  it('stops an available instance: stopping, then stopped, restarting automatically seven days later', async () => {
    await withSim(MAIN, async (s) => {
      const c = rds(s);
      s.state.region(REGION).rds.instances.get('orders-replica')!.readReplicaOf = undefined;
      const out = await c.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'orders' }));
      expect(out.DBInstance?.DBInstanceStatus).toBe('stopping');
      const now = s.state.currentTime().getTime();
      const i = await instance(c, 'orders');
      expect(i.DBInstanceStatus).toBe('stopped');
      expect(Math.abs((i.AutomaticRestartTime?.getTime() ?? 0) - (now + 7 * DAY_MS))).toBeLessThan(5_000);
      await expect(c.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'orders' }))).rejects.toMatchObject({
        name: 'InvalidDBInstanceStateFault',
        message: 'Instance orders is not in available state.',
      });
    });
  });

  it('refuses read replicas, their sources and Aurora members', async () => {
    const c = rds();
    await expect(c.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'orders-replica' }))).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    await expect(c.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'orders' }))).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    await expect(c.send(new StopDBInstanceCommand({ DBInstanceIdentifier: 'aurora-a' }))).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
      message: 'aurora-postgresql DB instances are not eligible for stopping and starting.',
    });
    expect(sim.state.region(REGION).rds.instances.get('orders')?.status).toBe('available');
  });

  it('stops a cluster and its members', async () => {
    await withSim(MAIN, async (s) => {
      const c = rds(s);
      expect((await c.send(new StopDBClusterCommand({ DBClusterIdentifier: 'analytics' }))).DBCluster?.Status).toBe('stopping');
      const cl = (await c.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'analytics' }))).DBClusters?.[0];
      expect(cl?.Status).toBe('stopped');
      expect(cl?.AutomaticRestartTime).toBeInstanceOf(Date);
      expect((await instance(c, 'aurora-b')).DBInstanceStatus).toBe('stopped');
      await expect(c.send(new StopDBClusterCommand({ DBClusterIdentifier: 'paused' }))).rejects.toMatchObject({ name: 'InvalidDBClusterStateFault' });
    });
  });
});

describe('request log and tagging', () => {
  it('records each RDS request in order and offers a hook that sees the state before the operation runs', async () => {
    await withSim(MAIN, async (s) => {
      const r = s.state.region(REGION).rds;
      const seen: string[] = [];
      r.onRequest = (op, params, state) => {
        if (op === 'DeleteDBInstance') seen.push(state.snapshots.get('legacy-final')?.status ?? 'none');
      };
      const c = rds(s);
      await c.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'legacy', DBSnapshotIdentifier: 'legacy-final' }));
      await c.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'legacy-final' }));
      await c.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'legacy', SkipFinalSnapshot: true }));
      expect(r.requests.map((q) => q.operation)).toEqual(['CreateDBSnapshot', 'DescribeDBSnapshots', 'DeleteDBInstance']);
      expect(r.requests[2]?.params).toMatchObject({ DBInstanceIdentifier: 'legacy', SkipFinalSnapshot: 'true' });
      expect(seen).toEqual(['available']);
      expect(s.counts().byOperation['rds:DeleteDBInstance']).toBe(1);
    });
  });

  it('taggedResources lists instances, clusters and own snapshots with their tagging types', () => {
    const tagged = sim.state.region(REGION).rds.taggedResources({ region: REGION, accountId: ACCOUNT });
    expect(tagged.find((t) => t.arn === `${ARN}:db:orders`)).toEqual({ arn: `${ARN}:db:orders`, resourceType: 'rds:db', tags: [{ key: 'team', value: 'shop' }] });
    expect(tagged.filter((t) => t.resourceType === 'rds:cluster')).toHaveLength(3);
    expect(tagged.filter((t) => t.resourceType === 'rds:snapshot')).toHaveLength(6);
    expect(tagged.filter((t) => t.resourceType === 'rds:cluster-snapshot')).toHaveLength(3);
  });
});
