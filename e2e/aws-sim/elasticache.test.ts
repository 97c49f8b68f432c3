/**
 * The ElastiCache simulator through the real `@aws-sdk/client-elasticache` client: shapes the SDK parses, Marker paging
 * with MaxRecords bounds, snapshots (creating → available, the source snapshotting meanwhile), deletions, tags, AWS's
 * error codes, the deny list, and what the tagging API lists.
 */
import {
  CreateSnapshotCommand,
  DeleteCacheClusterCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  type CacheCluster,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElastiCacheRegionFixture } from './elasticache-state';
import { startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');
const DAY_MS = 86_400_000;
const ARN = `arn:aws:elasticache:${REGION}:${ACCOUNT}`;

const MAIN: ElastiCacheRegionFixture = {
  replicationGroups: [
    { id: 'sessions', nodeType: 'cache.r6g.large', replicasPerShard: 2, createdDaysAgo: 200, snapshotRetentionLimit: 3, tags: { team: 'web' }, memberTags: { team: 'web-node' } },
    { id: 'shards', engine: 'valkey', shards: 2, replicasPerShard: 1, nodeType: 'cache.m7g.large' },
  ],
  cacheClusters: [
    { id: 'memc', engine: 'memcached', numNodes: 3, nodeType: 'cache.t3.medium', createdDaysAgo: 50, tags: { env: 'dev' } },
    { id: 'solo', engine: 'redis', createdDaysAgo: 30 },
  ],
  snapshots: [{ name: 'solo-manual', cacheClusterId: 'solo', createdDaysAgo: 4, tags: { keep: 'yes' } }],
};

function account(ec: ElastiCacheRegionFixture, extra: Partial<AccountFixture> = {}): AccountFixture {
  return { accountId: ACCOUNT, regions: [{ name: REGION }, { name: 'us-east-1' }], ...extra, resources: { [REGION]: { elasticache: ec } } };
}

let sim: Simulator;
const clients: ElastiCacheClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ fixture: account(MAIN), now: NOW });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function ec(s: Simulator = sim, region = REGION): ElastiCacheClient {
  if (!s.endpoint.startsWith('http://127.0.0.1:')) throw new Error('refusing a non-local endpoint');
  const c = new ElastiCacheClient({ endpoint: s.endpoint, credentials: SIM_CREDENTIALS, region, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function withSim(fixture: AccountFixture, fn: (s: Simulator) => Promise<void>): Promise<void> {
  const s = await startSimulator({ fixture, now: NOW });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

describe('DescribeReplicationGroups', () => {
  it('answers a cluster-mode-off group with its members, roles, endpoints and backups as the SDK parses them', async () => {
    const out = await ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'sessions' }));
    expect(out.Marker).toBeUndefined();
    const g = out.ReplicationGroups?.[0] as ReplicationGroup;
    expect(g).toMatchObject({
      ReplicationGroupId: 'sessions',
      Status: 'available',
      MemberClusters: ['sessions-001', 'sessions-002', 'sessions-003'],
      SnapshottingClusterId: 'sessions-002',
      AutomaticFailover: 'enabled',
      MultiAZ: 'disabled',
      SnapshotRetentionLimit: 3,
      ClusterEnabled: false,
      ClusterMode: 'disabled',
      CacheNodeType: 'cache.r6g.large',
      Engine: 'redis',
      ARN: `${ARN}:replicationgroup:sessions`,
      ReplicationGroupCreateTime: new Date(NOW.getTime() - 200 * DAY_MS),
    });
    expect(g.NodeGroups).toHaveLength(1);
    expect(g.NodeGroups?.[0]).toMatchObject({ NodeGroupId: '0001', Status: 'available', PrimaryEndpoint: { Port: 6379 } });
    expect(g.NodeGroups?.[0]?.NodeGroupMembers?.map((m) => [m.CacheClusterId, m.CacheNodeId, m.CurrentRole])).toEqual([
      ['sessions-001', '0001', 'primary'],
      ['sessions-002', '0001', 'replica'],
      ['sessions-003', '0001', 'replica'],
    ]);
    expect(g.ConfigurationEndpoint).toBeUndefined();
  });

  it('answers a cluster-mode-on group: node groups with slots, a configuration endpoint, no roles', async () => {
    const g = (await ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'shards' }))).ReplicationGroups?.[0] as ReplicationGroup;
    expect(g).toMatchObject({ ClusterEnabled: true, ClusterMode: 'enabled', Engine: 'valkey', SnapshotRetentionLimit: 0, ConfigurationEndpoint: { Port: 6379 } });
    expect(g.SnapshottingClusterId).toBeUndefined();
    expect(g.MemberClusters).toEqual(['shards-0001-001', 'shards-0001-002', 'shards-0002-001', 'shards-0002-002']);
    expect(g.NodeGroups?.map((n) => [n.NodeGroupId, n.Slots])).toEqual([
      ['0001', '0-8191'],
      ['0002', '8192-16383'],
    ]);
    expect(g.NodeGroups?.[0]?.NodeGroupMembers?.[0]?.CurrentRole).toBeUndefined();
  });

  it('an unknown id is ReplicationGroupNotFoundFault (404); another region has none', async () => {
    await expect(ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'nope' }))).rejects.toMatchObject({
      name: 'ReplicationGroupNotFoundFault',
      $metadata: { httpStatusCode: 404 },
      message: 'ReplicationGroup nope not found.',
    });
    expect((await ec(sim, 'us-east-1').send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups).toEqual([]);
  });

  it('pages with MaxRecords (20–100) and Marker: every group exactly once; out-of-range MaxRecords and foreign markers refused', async () => {
    const groups = Array.from({ length: 45 }, (_, i) => ({ id: `g-${String(i).padStart(2, '0')}`, replicasPerShard: 0 }));
    await withSim(account({ replicationGroups: groups }), async (s) => {
      const c = ec(s);
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const out = await c.send(new DescribeReplicationGroupsCommand({ MaxRecords: 20, ...(marker ? { Marker: marker } : {}) }));
        seen.push(...(out.ReplicationGroups ?? []).map((g) => g.ReplicationGroupId ?? ''));
        marker = out.Marker;
        pages++;
      } while (marker !== undefined);
      expect(pages).toBe(3);
      expect(seen).toEqual(groups.map((g) => g.id));
      for (const bad of [19, 101]) {
        await expect(c.send(new DescribeReplicationGroupsCommand({ MaxRecords: bad }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
      }
      const first = await c.send(new DescribeReplicationGroupsCommand({ MaxRecords: 20 }));
      await expect(c.send(new DescribeCacheClustersCommand({ MaxRecords: 20, Marker: first.Marker }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    });
  });
});

describe('DescribeCacheClusters', () => {
  it('lists members and standalone clusters; ShowCacheClustersNotInReplicationGroups keeps the standalone ones; ShowCacheNodeInfo adds the nodes', async () => {
    const all = (await ec().send(new DescribeCacheClustersCommand({}))).CacheClusters ?? [];
    expect(all.map((c) => c.CacheClusterId)).toEqual([
      'memc',
      'sessions-001',
      'sessions-002',
      'sessions-003',
      'shards-0001-001',
      'shards-0001-002',
      'shards-0002-001',
      'shards-0002-002',
      'solo',
    ]);
    expect(all.find((c) => c.CacheClusterId === 'sessions-002')).toMatchObject({ ReplicationGroupId: 'sessions', Engine: 'redis', NumCacheNodes: 1, CacheNodeType: 'cache.r6g.large' });
    expect(all[0]?.CacheNodes).toBeUndefined();

    const standalone = (await ec().send(new DescribeCacheClustersCommand({ ShowCacheClustersNotInReplicationGroups: true, ShowCacheNodeInfo: true }))).CacheClusters ?? [];
    expect(standalone.map((c) => c.CacheClusterId)).toEqual(['memc', 'solo']);
    const memc = standalone[0] as CacheCluster;
    expect(memc).toMatchObject({
      Engine: 'memcached',
      CacheNodeType: 'cache.t3.medium',
      NumCacheNodes: 3,
      CacheClusterStatus: 'available',
      CacheClusterCreateTime: new Date(NOW.getTime() - 50 * DAY_MS),
      ARN: `${ARN}:cluster:memc`,
      ConfigurationEndpoint: { Port: 11211 },
    });
    expect(memc.ReplicationGroupId).toBeUndefined();
    expect(memc.CacheNodes?.map((n) => n.CacheNodeId)).toEqual(['0001', '0002', '0003']);
  });

  it('an unknown id is CacheClusterNotFound', async () => {
    await expect(ec().send(new DescribeCacheClustersCommand({ CacheClusterId: 'nope' }))).rejects.toMatchObject({
      name: 'CacheClusterNotFoundFault',
      $metadata: { httpStatusCode: 404 },
      message: 'CacheCluster not found: nope',
    });
  });

  it('a denied DescribeCacheClusters is AccessDenied naming the IAM action', async () => {
    await withSim(account(MAIN, { deny: ['elasticache:DescribeCacheClusters'] }), async (s) => {
      await expect(ec(s).send(new DescribeCacheClustersCommand({}))).rejects.toMatchObject({
        name: 'AccessDenied',
        message: expect.stringContaining('elasticache:DescribeCacheClusters'),
      });
    });
  });
});

describe('snapshots', () => {
  it('lists the automated backup of a group and a manual snapshot; filters by name, group and source', async () => {
    const all = (await ec().send(new DescribeSnapshotsCommand({}))).Snapshots ?? [];
    expect(all.map((s) => [s.SnapshotName, s.SnapshotSource, s.SnapshotStatus])).toEqual([
      ['automatic.sessions-2026-11-24-05-00', 'automated', 'available'],
      ['solo-manual', 'manual', 'available'],
    ]);
    expect(all[0]).toMatchObject({ ReplicationGroupId: 'sessions', CacheClusterId: 'sessions-002', NumNodeGroups: 1, NodeSnapshots: [{ NodeGroupId: '0001', CacheClusterId: 'sessions-002' }] });
    expect((await ec().send(new DescribeSnapshotsCommand({ SnapshotName: 'solo-manual' }))).Snapshots?.map((s) => s.CacheClusterId)).toEqual(['solo']);
    expect((await ec().send(new DescribeSnapshotsCommand({ ReplicationGroupId: 'sessions' }))).Snapshots).toHaveLength(1);
    expect((await ec().send(new DescribeSnapshotsCommand({ SnapshotSource: 'user' }))).Snapshots?.map((s) => s.SnapshotName)).toEqual(['solo-manual']);
    await expect(ec().send(new DescribeSnapshotsCommand({ SnapshotName: 'nope' }))).rejects.toMatchObject({ name: 'SnapshotNotFoundFault', $metadata: { httpStatusCode: 404 } });
    await expect(ec().send(new DescribeSnapshotsCommand({ MaxRecords: 51 }))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('CreateSnapshot: creating (its group snapshotting, not deletable) → available after the delay; tags kept; names unique', async () => {
    await withSim(account(MAIN), async (s) => {
      s.configure({ elastiCacheSnapshotDelayMs: 150 });
      const c = ec(s);
      const out = await c.send(new CreateSnapshotCommand({ ReplicationGroupId: 'sessions', SnapshotName: 'final-1', Tags: [{ Key: 'cloud-cleaner:plan', Value: 'p1' }] }));
      expect(out.Snapshot).toMatchObject({ SnapshotName: 'final-1', SnapshotStatus: 'creating', SnapshotSource: 'manual', ReplicationGroupId: 'sessions', ARN: `${ARN}:snapshot:final-1` });
      expect((await c.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'sessions' }))).ReplicationGroups?.[0]?.Status).toBe('snapshotting');
      expect((await c.send(new DescribeCacheClustersCommand({ CacheClusterId: 'sessions-002' }))).CacheClusters?.[0]?.CacheClusterStatus).toBe('snapshotting');
      await expect(c.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'sessions' }))).rejects.toMatchObject({ name: 'InvalidReplicationGroupStateFault', $metadata: { httpStatusCode: 400 } });
      await expect(c.send(new CreateSnapshotCommand({ ReplicationGroupId: 'shards', SnapshotName: 'final-1' }))).rejects.toMatchObject({ name: 'SnapshotAlreadyExistsFault' });
      expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:snapshot:final-1` }))).TagList).toEqual([{ Key: 'cloud-cleaner:plan', Value: 'p1' }]);

      await new Promise((r) => setTimeout(r, 200));
      expect((await c.send(new DescribeSnapshotsCommand({ SnapshotName: 'final-1' }))).Snapshots?.[0]?.SnapshotStatus).toBe('available');
      expect((await c.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'sessions' }))).ReplicationGroups?.[0]?.Status).toBe('available');
    });
  });

  it('refuses Memcached (SnapshotFeatureNotSupportedFault), both or neither source (InvalidParameterCombination), unknown sources', async () => {
    const c = ec();
    await expect(c.send(new CreateSnapshotCommand({ CacheClusterId: 'memc', SnapshotName: 'm' }))).rejects.toMatchObject({ name: 'SnapshotFeatureNotSupportedFault', message: expect.stringContaining('Memcached') });
    await expect(c.send(new CreateSnapshotCommand({ SnapshotName: 'x' }))).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
    await expect(c.send(new CreateSnapshotCommand({ SnapshotName: 'x', CacheClusterId: 'solo', ReplicationGroupId: 'sessions' }))).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
    await expect(c.send(new CreateSnapshotCommand({ SnapshotName: 'x', ReplicationGroupId: 'nope' }))).rejects.toMatchObject({ name: 'ReplicationGroupNotFoundFault' });
    await expect(c.send(new CreateSnapshotCommand({ SnapshotName: 'x', CacheClusterId: 'nope' }))).rejects.toMatchObject({ name: 'CacheClusterNotFoundFault' });
    expect(sim.state.region(REGION).elasticache.snapshots.has('m')).toBe(false);
  });
});

describe('deletions', () => {
  it('DeleteReplicationGroup: deleting (members too), gone after the delay with its automated backups; manual snapshots stay', async () => {
    await withSim(account(MAIN), async (s) => {
      s.configure({ elastiCacheDeletionDelayMs: 100 });
      const c = ec(s);
      const out = await c.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'sessions', RetainPrimaryCluster: false }));
      expect(out.ReplicationGroup).toMatchObject({ ReplicationGroupId: 'sessions', Status: 'deleting' });
      expect((await c.send(new DescribeCacheClustersCommand({ CacheClusterId: 'sessions-001' }))).CacheClusters?.[0]?.CacheClusterStatus).toBe('deleting');
      await expect(c.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'sessions' }))).rejects.toMatchObject({ name: 'InvalidReplicationGroupStateFault' });
      await new Promise((r) => setTimeout(r, 150));
      await expect(c.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'sessions' }))).rejects.toMatchObject({ name: 'ReplicationGroupNotFoundFault' });
      await expect(c.send(new DescribeCacheClustersCommand({ CacheClusterId: 'sessions-003' }))).rejects.toMatchObject({ name: 'CacheClusterNotFoundFault' });
      expect((await c.send(new DescribeSnapshotsCommand({}))).Snapshots?.map((x) => x.SnapshotName)).toEqual(['solo-manual']);
    });
  });

  it('DeleteReplicationGroup with FinalSnapshotIdentifier leaves a manual snapshot', async () => {
    await withSim(account(MAIN), async (s) => {
      const c = ec(s);
      await c.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'shards', FinalSnapshotIdentifier: 'shards-final' }));
      const snap = (await c.send(new DescribeSnapshotsCommand({ SnapshotName: 'shards-final' }))).Snapshots?.[0];
      expect(snap).toMatchObject({ SnapshotStatus: 'available', SnapshotSource: 'manual', ReplicationGroupId: 'shards', NumNodeGroups: 2 });
      await expect(c.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'shards' }))).rejects.toMatchObject({ name: 'ReplicationGroupNotFoundFault' });
    });
  });

  it('DeleteCacheCluster: standalone clusters only; Memcached refuses a final snapshot; unknown ids not found', async () => {
    await withSim(account(MAIN), async (s) => {
      const c = ec(s);
      await expect(c.send(new DeleteCacheClusterCommand({ CacheClusterId: 'sessions-002' }))).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
      await expect(c.send(new DeleteCacheClusterCommand({ CacheClusterId: 'memc', FinalSnapshotIdentifier: 'm' }))).rejects.toMatchObject({ name: 'SnapshotFeatureNotSupportedFault' });
      expect((await c.send(new DeleteCacheClusterCommand({ CacheClusterId: 'memc' }))).CacheCluster).toMatchObject({ CacheClusterId: 'memc', CacheClusterStatus: 'deleting' });
      await expect(c.send(new DescribeCacheClustersCommand({ CacheClusterId: 'memc' }))).rejects.toMatchObject({ name: 'CacheClusterNotFoundFault' });
      await expect(c.send(new DeleteCacheClusterCommand({ CacheClusterId: 'memc' }))).rejects.toMatchObject({ name: 'CacheClusterNotFoundFault' });
    });
  });
});

describe('tags', () => {
  it('ListTagsForResource reads a group, a member cluster and a snapshot by ARN; bad ARNs are InvalidARN', async () => {
    const c = ec();
    expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:replicationgroup:sessions` }))).TagList).toEqual([{ Key: 'team', Value: 'web' }]);
    expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:cluster:sessions-001` }))).TagList).toEqual([{ Key: 'team', Value: 'web-node' }]);
    expect((await c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:cluster:solo` }))).TagList).toEqual([]);
    await expect(c.send(new ListTagsForResourceCommand({ ResourceName: `${ARN}:cluster:nope` }))).rejects.toMatchObject({ name: 'CacheClusterNotFoundFault' });
    await expect(c.send(new ListTagsForResourceCommand({ ResourceName: 'sessions' }))).rejects.toMatchObject({ name: 'InvalidARNFault' });
  });

  it('taggedResources lists clusters, replication groups and snapshots with their ARNs and tags', () => {
    const listed = sim.state.region(REGION).elasticache.taggedResources({ region: REGION, accountId: ACCOUNT });
    expect(listed.filter((r) => r.resourceType === 'elasticache:replicationgroup').map((r) => r.arn)).toEqual([`${ARN}:replicationgroup:sessions`, `${ARN}:replicationgroup:shards`]);
    expect(listed.filter((r) => r.resourceType === 'elasticache:cluster')).toHaveLength(9);
    expect(listed.find((r) => r.arn === `${ARN}:cluster:memc`)?.tags).toEqual([{ key: 'env', value: 'dev' }]);
    expect(listed.find((r) => r.resourceType === 'elasticache:snapshot' && r.arn.endsWith(':solo-manual'))?.tags).toEqual([{ key: 'keep', value: 'yes' }]);
  });
});
