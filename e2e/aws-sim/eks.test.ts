/**
 * The simulator's EKS (REST-JSON, API 2017-11-01) against the real `@aws-sdk/client-eks`: ListClusters paging
 * (maxResults 1–100, nextToken), DescribeCluster (tags, upgradePolicy, deletionProtection, computeConfig),
 * ListNodegroups, ListFargateProfiles, DescribeClusterVersions, DeleteCluster (DELETING then gone; ResourceInUseException
 * 409 with node groups; deletion protection refused; ResourceNotFoundException 404), and `eks:cluster` in
 * tag:GetResources.
 */
import {
  DeleteClusterCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  EKSClient,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from './index';
import { startSimulator } from './index';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');

let sim: Simulator;
let eks: EKSClient;

beforeAll(async () => {
  sim = await startSimulator({
    now: NOW,
    fixture: {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      resources: {
        [REGION]: {
          eks: {
            clusters: [
              { name: 'web', nodegroups: ['ng-a', 'ng-b'], fargateProfiles: ['fp'], tags: { team: 'web' }, version: '1.31' },
              { name: 'guarded', deletionProtection: true, supportType: 'STANDARD' },
              { name: 'auto', autoMode: true, supportType: null },
              ...Array.from({ length: 5 }, (_, i) => ({ name: `c${i}` })),
            ],
          },
        },
      },
    },
  });
  eks = new EKSClient({ endpoint: sim.endpoint, region: REGION, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  eks.destroy();
  await sim.close();
});

describe('EKS reads', () => {
  it('ListClusters pages by maxResults and nextToken; out of range is InvalidParameterException', async () => {
    const first = await eks.send(new ListClustersCommand({ maxResults: 3 }));
    expect(first.clusters).toEqual(['auto', 'c0', 'c1']);
    const names = [...(first.clusters ?? [])];
    let token = first.nextToken;
    while (token) {
      const p = await eks.send(new ListClustersCommand({ maxResults: 3, nextToken: token }));
      names.push(...(p.clusters ?? []));
      token = p.nextToken;
    }
    expect(names).toHaveLength(8);
    await expect(eks.send(new ListClustersCommand({ maxResults: 101 }))).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
  });

  it('DescribeCluster answers tags, version, upgradePolicy, deletionProtection and computeConfig', async () => {
    const c = (await eks.send(new DescribeClusterCommand({ name: 'web' }))).cluster;
    expect(c).toMatchObject({ name: 'web', status: 'ACTIVE', version: '1.31', tags: { team: 'web' }, upgradePolicy: { supportType: 'EXTENDED' }, deletionProtection: false });
    expect(c?.arn).toBe(`arn:aws:eks:${REGION}:${ACCOUNT}:cluster/web`);
    expect(c?.createdAt).toEqual(new Date(NOW.getTime() - 100 * 86_400_000));
    expect((await eks.send(new DescribeClusterCommand({ name: 'guarded' }))).cluster).toMatchObject({ deletionProtection: true, upgradePolicy: { supportType: 'STANDARD' } });
    const auto = (await eks.send(new DescribeClusterCommand({ name: 'auto' }))).cluster;
    expect(auto?.computeConfig?.enabled).toBe(true);
    expect(auto?.upgradePolicy).toBeUndefined();
    await expect(eks.send(new DescribeClusterCommand({ name: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('ListNodegroups and ListFargateProfiles', async () => {
    expect((await eks.send(new ListNodegroupsCommand({ clusterName: 'web', maxResults: 1 }))).nodegroups).toEqual(['ng-a']);
    expect((await eks.send(new ListFargateProfilesCommand({ clusterName: 'web' }))).fargateProfileNames).toEqual(['fp']);
    await expect(eks.send(new ListNodegroupsCommand({ clusterName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('DescribeClusterVersions answers each version’s support status', async () => {
    const v = (await eks.send(new DescribeClusterVersionsCommand({ includeAll: true }))).clusterVersions ?? [];
    expect(v.map((x) => [x.clusterVersion, x.versionStatus])).toEqual([
      ['1.30', 'EXTENDED_SUPPORT'],
      ['1.31', 'EXTENDED_SUPPORT'],
      ['1.32', 'STANDARD_SUPPORT'],
      ['1.33', 'STANDARD_SUPPORT'],
      ['1.34', 'STANDARD_SUPPORT'],
    ]);
    expect(v[0]?.endOfStandardSupportDate?.getTime()).toBeLessThan(NOW.getTime());
    const only = (await eks.send(new DescribeClusterVersionsCommand({ clusterVersions: ['1.32'] }))).clusterVersions;
    expect(only?.map((x) => x.status)).toEqual(['standard-support']);
  });

  it('tag:GetResources lists tagged clusters as eks:cluster', async () => {
    const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: sim.endpoint, region: REGION, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    try {
      const r = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['eks:cluster'] }));
      expect(r.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual([`arn:aws:eks:${REGION}:${ACCOUNT}:cluster/web`]);
    } finally {
      tagging.destroy();
    }
  });
});

describe('EKS DeleteCluster', () => {
  it('node groups attached: ResourceInUseException 409; deletion protection: InvalidRequestException; nothing changes', async () => {
    await expect(eks.send(new DeleteClusterCommand({ name: 'web' }))).rejects.toMatchObject({ name: 'ResourceInUseException', $metadata: { httpStatusCode: 409 } });
    await expect(eks.send(new DeleteClusterCommand({ name: 'guarded' }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(sim.state.region(REGION).eks.clusters.get('guarded')?.status).toBe('ACTIVE');
  });

  it('answers DELETING, then the cluster is gone after the configured delay', async () => {
    sim.configure({ eksDeletionDelayMs: 60_000 });
    try {
      const r = await eks.send(new DeleteClusterCommand({ name: 'c0' }));
      expect(r.cluster?.status).toBe('DELETING');
      expect((await eks.send(new DescribeClusterCommand({ name: 'c0' }))).cluster?.status).toBe('DELETING');
    } finally {
      sim.configure({ eksDeletionDelayMs: 0 });
    }
    sim.state.region(REGION).eks.clusters.get('c0')!.removesAtMs = 0;
    await expect(eks.send(new DescribeClusterCommand({ name: 'c0' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(eks.send(new DeleteClusterCommand({ name: 'c0' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('a denied action is AccessDeniedException 403 naming eks:<Action>', async () => {
    sim.state.deny.add('eks:ListClusters');
    try {
      await expect(eks.send(new ListClustersCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
      await expect(eks.send(new ListClustersCommand({}))).rejects.toThrow(/eks:ListClusters/);
    } finally {
      sim.state.deny.delete('eks:ListClusters');
    }
  });
});
