/**
 * The simulator's ECR (JSON 1.1) against the real `@aws-sdk/client-ecr`: DescribeRepositories and DescribeImages paging
 * and filters, timestamps the SDK parses as dates, BatchDeleteImage by digest and by tag with its per-image failures,
 * ListTagsForResource, and the model's errors (RepositoryNotFoundException, ImageNotFoundException,
 * InvalidParameterException, AccessDeniedException: all 400).
 */
import { BatchDeleteImageCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ListTagsForResourceCommand } from '@aws-sdk/client-ecr';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ecrRepositoryArn, fixtureDigest } from './ecr-state';
import type { Simulator } from './index';
import { startSimulator } from './index';
import { clientPool, errorOf } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');

let sim: Simulator;
const clients = clientPool(ECRClient, () => sim.endpoint, { region: REGION });
const ecr = clients.client;

beforeAll(async () => {
  sim = await startSimulator({
    now: NOW,
    fixture: {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      deny: [],
      resources: {
        [REGION]: {
          ecr: {
            repositories: [
              { name: 'app', tags: { team: 'web' }, images: [{ pushedDaysAgo: 10, lastPulledDaysAgo: 2, imageTags: ['v1', 'latest'], sizeBytes: 1234 }, { pushedDaysAgo: 100 }, { imageTags: ['old'], pushedDaysAgo: 200 }] },
              ...Array.from({ length: 7 }, (_, i) => ({ name: `r${i}`, images: Array.from({ length: 5 }, () => ({})) })),
            ],
          },
        },
      },
    },
  });
});
afterAll(async () => {
  await sim.close();
});
afterEach(clients.destroyAll);

describe('ECR DescribeRepositories', () => {
  it('pages by name with maxResults and nextToken; names one; unknown names fail', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const out = await ecr().send(new DescribeRepositoriesCommand({ maxResults: 3, nextToken: token }));
      names.push(...(out.repositories ?? []).map((r) => r.repositoryName!));
      token = out.nextToken;
      calls++;
    } while (token);
    expect(calls).toBe(3);
    expect(names).toEqual(['app', 'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    const one = await ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }));
    expect(one.repositories?.[0]).toMatchObject({ repositoryArn: ecrRepositoryArn(REGION, ACCOUNT, 'app'), registryId: ACCOUNT });
    expect(one.repositories?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(await errorOf(ecr().send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] })))).toEqual({ name: 'RepositoryNotFoundException', status: 400 });
    expect(await errorOf(ecr().send(new DescribeRepositoriesCommand({ maxResults: 1001 })))).toEqual({ name: 'InvalidParameterException', status: 400 });
  });
});

describe('ECR DescribeImages', () => {
  it('answers push and pull times as dates, tags, sizes; filters by tag status; pages', async () => {
    const all = await ecr().send(new DescribeImagesCommand({ repositoryName: 'app' }));
    expect(all.imageDetails).toHaveLength(3);
    const v1 = all.imageDetails!.find((i) => i.imageTags?.includes('v1'))!;
    expect(v1).toMatchObject({ imageDigest: fixtureDigest('app', 0), imageSizeInBytes: 1234, imageTags: ['v1', 'latest'] });
    expect(v1.imagePushedAt).toEqual(new Date(NOW.getTime() - 10 * 86_400_000));
    expect(v1.lastRecordedPullTime).toEqual(new Date(NOW.getTime() - 2 * 86_400_000));
    const untagged = await ecr().send(new DescribeImagesCommand({ repositoryName: 'app', filter: { tagStatus: 'UNTAGGED' } }));
    expect(untagged.imageDetails?.map((i) => i.imageDigest)).toEqual([fixtureDigest('app', 1)]);
    expect(untagged.imageDetails?.[0]?.lastRecordedPullTime).toBeUndefined();
    const first = await ecr().send(new DescribeImagesCommand({ repositoryName: 'r0', maxResults: 2 }));
    expect(first.imageDetails).toHaveLength(2);
    expect(first.nextToken).toBeTruthy();
    expect(await errorOf(ecr().send(new DescribeImagesCommand({ repositoryName: 'r1', nextToken: first.nextToken })))).toEqual({ name: 'InvalidParameterException', status: 400 });
  });

  it('by image id: found, or ImageNotFoundException; unknown repository: RepositoryNotFoundException', async () => {
    const one = await ecr().send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'old' }] }));
    expect(one.imageDetails?.[0]?.imageDigest).toBe(fixtureDigest('app', 2));
    expect(await errorOf(ecr().send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageDigest: `sha256:${'0'.repeat(64)}` }] })))).toEqual({
      name: 'ImageNotFoundException',
      status: 400,
    });
    expect(await errorOf(ecr().send(new DescribeImagesCommand({ repositoryName: 'gone' })))).toEqual({ name: 'RepositoryNotFoundException', status: 400 });
  });
});

describe('ECR BatchDeleteImage and ListTagsForResource', () => {
  it('deletes by digest (with all tags) and by tag (the image goes with its last tag); missing → ImageNotFound failure', async () => {
    const out = await ecr().send(
      new BatchDeleteImageCommand({ repositoryName: 'r2', imageIds: [{ imageDigest: fixtureDigest('r2', 0) }, { imageDigest: `sha256:${'1'.repeat(64)}` }] }),
    );
    expect(out.imageIds).toEqual([{ imageDigest: fixtureDigest('r2', 0) }]);
    expect(out.failures).toEqual([{ imageId: { imageDigest: `sha256:${'1'.repeat(64)}` }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
    const repo = sim.state.region(REGION).ecr.repositories.get('app')!;
    await ecr().send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'latest' }] }));
    expect(repo.images.get(fixtureDigest('app', 0))?.imageTags).toEqual(['v1']);
    await ecr().send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(repo.images.has(fixtureDigest('app', 0))).toBe(false);
    expect(repo.images.size).toBe(2);
  });

  it('lists a repository’s tags; a denied action names it', async () => {
    const t = await ecr().send(new ListTagsForResourceCommand({ resourceArn: ecrRepositoryArn(REGION, ACCOUNT, 'app') }));
    expect(t.tags).toEqual([{ Key: 'team', Value: 'web' }]);
    sim.state.deny.add('ecr:DescribeImages');
    try {
      const e = await errorOf(ecr().send(new DescribeImagesCommand({ repositoryName: 'app' })));
      expect(e).toEqual({ name: 'AccessDeniedException', status: 400 });
      await expect(ecr().send(new DescribeImagesCommand({ repositoryName: 'app' }))).rejects.toThrow(/ecr:DescribeImages/);
    } finally {
      sim.state.deny.delete('ecr:DescribeImages');
    }
  });
});
