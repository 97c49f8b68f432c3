/**
 * The Redshift simulator through the real `@aws-sdk/client-redshift` client: shapes the SDK parses, Marker paging with
 * MaxRecords bounds, manual snapshots (creating → available), DeleteCluster's snapshot rules, PauseCluster, AWS's
 * error codes, the deny list, and what the tagging API lists.
 */
import {
  CreateClusterSnapshotCommand,
  DeleteClusterCommand,
  DescribeClustersCommand,
  DescribeClusterSnapshotsCommand,
  PauseClusterCommand,
  RedshiftClient,
} from '@aws-sdk/client-redshift';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import type { RedshiftRegionFixture } from './redshift-state';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'us-west-2';
const NOW = new Date('2026-11-25T12:00:00Z');
const DAY_MS = 86_400_000;

const MAIN: RedshiftRegionFixture = {
  clusters: [
    { id: 'warehouse', nodeType: 'ra3.xlplus', numberOfNodes: 2, createdDaysAgo: 300, usedStorageMb: 512_000, tags: { team: 'bi' } },
    { id: 'legacy', nodeType: 'dc2.large', numberOfNodes: 1, status: 'paused', createdDaysAgo: 900 },
    { id: 'nobackup', nodeType: 'dc2.large', numberOfNodes: 1, automatedSnapshotRetentionPeriod: 0 },
  ],
  snapshots: [{ id: 'before-migration', clusterId: 'warehouse', createdDaysAgo: 40, sizeMb: 400_000, tags: { keep: 'yes' } }],
};

function account(rs: RedshiftRegionFixture, extra: Partial<AccountFixture> = {}): AccountFixture {
  return { accountId: ACCOUNT, regions: [{ name: REGION }, { name: 'us-east-1' }], ...extra, resources: { [REGION]: { redshift: rs } } };
}

let sim: Simulator;
const clients: RedshiftClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ fixture: account(MAIN), now: NOW });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function rs(s: Simulator = sim, region = REGION): RedshiftClient {
  if (!s.endpoint.startsWith('http://127.0.0.1:')) throw new Error('refusing a non-local endpoint');
  const c = new RedshiftClient({ endpoint: s.endpoint, credentials: SIM_CREDENTIALS, region, maxAttempts: 1 });
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

describe('DescribeClusters', () => {
  it('answers every field the app reads, as the SDK parses it', async () => {
    const out = await rs().send(new DescribeClustersCommand({}));
    expect(out.Marker).toBeUndefined();
    expect(out.Clusters?.map((c) => [c.ClusterIdentifier, c.ClusterStatus, c.ClusterAvailabilityStatus])).toEqual([
      ['legacy', 'paused', 'Paused'],
      ['nobackup', 'available', 'Available'],
      ['warehouse', 'available', 'Available'],
    ]);
    const w = out.Clusters?.[2];
    expect(w).toMatchObject({
      NodeType: 'ra3.xlplus',
      NumberOfNodes: 2,
      ClusterCreateTime: new Date(NOW.getTime() - 300 * DAY_MS),
      Tags: [{ Key: 'team', Value: 'bi' }],
      TotalStorageCapacityInMegaBytes: 2 * 32 * 1024 * 1024,
      AutomatedSnapshotRetentionPeriod: 1,
      ManualSnapshotRetentionPeriod: -1,
      Endpoint: { Port: 5439 },
      Encrypted: true,
    });
    expect(w?.ClusterNamespaceArn).toMatch(new RegExp(`^arn:aws:redshift:${REGION}:${ACCOUNT}:namespace:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
    expect(w?.ClusterNodes?.map((n) => n.NodeRole)).toEqual(['LEADER', 'COMPUTE-0', 'COMPUTE-1']);
    expect(out.Clusters?.[0]?.Tags).toEqual([]);
    expect((await rs(sim, 'us-east-1').send(new DescribeClustersCommand({}))).Clusters).toEqual([]);
  });

  it('an unknown id is ClusterNotFound (404); a denied call is AccessDenied naming the IAM action', async () => {
    await expect(rs().send(new DescribeClustersCommand({ ClusterIdentifier: 'nope' }))).rejects.toMatchObject({
      name: 'ClusterNotFoundFault',
      $metadata: { httpStatusCode: 404 },
      message: 'Cluster nope not found.',
    });
    await withSim(account(MAIN, { deny: ['redshift:DescribeClusters'] }), async (s) => {
      await expect(rs(s).send(new DescribeClustersCommand({}))).rejects.toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('redshift:DescribeClusters') });
    });
  });

  it('pages with MaxRecords (20–100) and Marker: every cluster exactly once; bounds enforced', async () => {
    const many = Array.from({ length: 41 }, (_, i) => ({ id: `c-${String(i).padStart(2, '0')}`, automatedSnapshotRetentionPeriod: 0 }));
    await withSim(account({ clusters: many }), async (s) => {
      const c = rs(s);
      const seen: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const out = await c.send(new DescribeClustersCommand({ MaxRecords: 20, ...(marker ? { Marker: marker } : {}) }));
        seen.push(...(out.Clusters ?? []).map((x) => x.ClusterIdentifier ?? ''));
        marker = out.Marker;
        pages++;
      } while (marker !== undefined);
      expect(pages).toBe(3);
      expect(seen).toEqual(many.map((m) => m.id));
      for (const bad of [0, 19, 101]) {
        await expect(c.send(new DescribeClustersCommand({ MaxRecords: bad }))).rejects.toMatchObject({ Code: 'InvalidParameterValue' });
      }
    });
  });
});

describe('snapshots', () => {
  it('lists automated snapshots of clusters with backups on, and manual ones; filters by id, cluster and type', async () => {
    const all = (await rs().send(new DescribeClusterSnapshotsCommand({}))).Snapshots ?? [];
    expect(all.map((s) => [s.SnapshotIdentifier, s.SnapshotType, s.Status])).toEqual([
      ['before-migration', 'manual', 'available'],
      ['rs:legacy-2026-11-24-03-00-00', 'automated', 'available'],
      ['rs:warehouse-2026-11-24-03-00-00', 'automated', 'available'],
    ]);
    expect(all[2]).toMatchObject({ ClusterIdentifier: 'warehouse', TotalBackupSizeInMegaBytes: 512_000, NodeType: 'ra3.xlplus', NumberOfNodes: 2, OwnerAccount: ACCOUNT });
    expect(all[0]).toMatchObject({ TotalBackupSizeInMegaBytes: 400_000, Tags: [{ Key: 'keep', Value: 'yes' }], SnapshotArn: `arn:aws:redshift:${REGION}:${ACCOUNT}:snapshot:warehouse/before-migration` });
    const automated = await rs().send(new DescribeClusterSnapshotsCommand({ SnapshotType: 'automated', ClusterIdentifier: 'warehouse' }));
    expect(automated.Snapshots?.map((s) => s.SnapshotIdentifier)).toEqual(['rs:warehouse-2026-11-24-03-00-00']);
    await expect(rs().send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: 'nope' }))).rejects.toMatchObject({ name: 'ClusterSnapshotNotFoundFault', $metadata: { httpStatusCode: 404 } });
  });

  it('CreateClusterSnapshot: creating → available after the delay, tagged; identifiers unique; the cluster must be available', async () => {
    await withSim(account(MAIN), async (s) => {
      s.configure({ redshiftSnapshotDelayMs: 150 });
      const c = rs(s);
      const out = await c.send(new CreateClusterSnapshotCommand({ ClusterIdentifier: 'warehouse', SnapshotIdentifier: 'final-w', Tags: [{ Key: 'cloud-cleaner:plan', Value: 'p1' }] }));
      expect(out.Snapshot).toMatchObject({ SnapshotIdentifier: 'final-w', Status: 'creating', SnapshotType: 'manual', TotalBackupSizeInMegaBytes: 512_000, Tags: [{ Key: 'cloud-cleaner:plan', Value: 'p1' }] });
      await expect(c.send(new CreateClusterSnapshotCommand({ ClusterIdentifier: 'warehouse', SnapshotIdentifier: 'final-w' }))).rejects.toMatchObject({ name: 'ClusterSnapshotAlreadyExistsFault' });
      await expect(c.send(new CreateClusterSnapshotCommand({ ClusterIdentifier: 'legacy', SnapshotIdentifier: 'x' }))).rejects.toMatchObject({ name: 'InvalidClusterStateFault' });
      await expect(c.send(new CreateClusterSnapshotCommand({ ClusterIdentifier: 'warehouse', SnapshotIdentifier: 'bad--id' }))).rejects.toMatchObject({ Code: 'InvalidParameterValue' });
      await expect(c.send(new CreateClusterSnapshotCommand({ ClusterIdentifier: 'nope', SnapshotIdentifier: 'y' }))).rejects.toMatchObject({ name: 'ClusterNotFoundFault' });
      expect((await c.send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: 'final-w' }))).Snapshots?.[0]?.Status).toBe('creating');
      await new Promise((r) => setTimeout(r, 200));
      expect((await c.send(new DescribeClusterSnapshotsCommand({ SnapshotIdentifier: 'final-w' }))).Snapshots?.[0]?.Status).toBe('available');
    });
  });
});

describe('DeleteCluster and PauseCluster', () => {
  it('DeleteCluster needs exactly one of SkipFinalClusterSnapshot and FinalClusterSnapshotIdentifier (InvalidParameterCombination)', async () => {
    const c = rs();
    for (const input of [{ ClusterIdentifier: 'warehouse' }, { ClusterIdentifier: 'warehouse', SkipFinalClusterSnapshot: false }, { ClusterIdentifier: 'warehouse', SkipFinalClusterSnapshot: true, FinalClusterSnapshotIdentifier: 'f' }]) {
      await expect(c.send(new DeleteClusterCommand(input))).rejects.toMatchObject({ Code: 'InvalidParameterCombination', $metadata: { httpStatusCode: 400 } });
    }
    expect(sim.state.region(REGION).redshift.clusters.get('warehouse')?.status).toBe('available');
  });

  it('deletes (deleting, then gone with its automated snapshots; manual ones stay); a paused cluster can be deleted with a final snapshot', async () => {
    await withSim(account(MAIN), async (s) => {
      s.configure({ redshiftTransitionDelayMs: 100 });
      const c = rs(s);
      expect((await c.send(new DeleteClusterCommand({ ClusterIdentifier: 'warehouse', SkipFinalClusterSnapshot: true }))).Cluster?.ClusterStatus).toBe('deleting');
      await expect(c.send(new DeleteClusterCommand({ ClusterIdentifier: 'warehouse', SkipFinalClusterSnapshot: true }))).rejects.toMatchObject({ name: 'InvalidClusterStateFault' });
      await c.send(new DeleteClusterCommand({ ClusterIdentifier: 'legacy', FinalClusterSnapshotIdentifier: 'legacy-final' }));
      await new Promise((r) => setTimeout(r, 150));
      await expect(c.send(new DescribeClustersCommand({ ClusterIdentifier: 'warehouse' }))).rejects.toMatchObject({ name: 'ClusterNotFoundFault' });
      const left = (await c.send(new DescribeClusterSnapshotsCommand({}))).Snapshots ?? [];
      expect(left.map((x) => [x.SnapshotIdentifier, x.Status])).toEqual([
        ['before-migration', 'available'],
        ['legacy-final', 'available'],
      ]);
    });
  });

  it('PauseCluster: available → pausing → paused; a paused cluster or one without automated snapshots cannot be paused', async () => {
    await withSim(account(MAIN), async (s) => {
      s.configure({ redshiftTransitionDelayMs: 80 });
      const c = rs(s);
      expect((await c.send(new PauseClusterCommand({ ClusterIdentifier: 'warehouse' }))).Cluster?.ClusterStatus).toBe('pausing');
      await expect(c.send(new PauseClusterCommand({ ClusterIdentifier: 'warehouse' }))).rejects.toMatchObject({ name: 'InvalidClusterStateFault' });
      await new Promise((r) => setTimeout(r, 120));
      expect((await c.send(new DescribeClustersCommand({ ClusterIdentifier: 'warehouse' }))).Clusters?.[0]).toMatchObject({ ClusterStatus: 'paused', ClusterAvailabilityStatus: 'Paused' });
      await expect(c.send(new PauseClusterCommand({ ClusterIdentifier: 'legacy' }))).rejects.toMatchObject({ name: 'InvalidClusterStateFault' });
      await expect(c.send(new PauseClusterCommand({ ClusterIdentifier: 'nobackup' }))).rejects.toMatchObject({ name: 'UnsupportedOperationFault' });
      await expect(c.send(new PauseClusterCommand({ ClusterIdentifier: 'nope' }))).rejects.toMatchObject({ name: 'ClusterNotFoundFault' });
    });
  });

  it('taggedResources lists clusters and manual snapshots with their ARNs and tags', () => {
    const listed = sim.state.region(REGION).redshift.taggedResources({ region: REGION, accountId: ACCOUNT });
    expect(listed.map((r) => [r.resourceType, r.arn])).toEqual([
      ['redshift:cluster', `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:warehouse`],
      ['redshift:cluster', `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:legacy`],
      ['redshift:cluster', `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:nobackup`],
      ['redshift:snapshot', `arn:aws:redshift:${REGION}:${ACCOUNT}:snapshot:warehouse/before-migration`],
    ]);
    expect(listed[0]?.tags).toEqual([{ key: 'team', value: 'bi' }]);
  });
});
