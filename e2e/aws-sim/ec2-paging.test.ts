import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeVolumesCommand,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, startSimulator } from './index';
import type { Simulator } from './index';
import { ec2Client } from './test-clients';

let sim: Simulator;
let ec2: EC2Client;

// One region sized just past the largest page of each operation, so the maximum bound pages too.
beforeAll(async () => {
  const { fixture } = generateAccount({ regions: ['us-west-2'], instances: 1001, volumes: 1001, snapshots: 1201, images: 200, addresses: 10 });
  sim = await startSimulator({ fixture, now: new Date('2026-11-25T12:00:00Z') });
  ec2 = ec2Client(sim.endpoint, { region: 'us-west-2' });
});
afterAll(async () => {
  ec2.destroy();
  await sim.close();
});

async function collect<T>(pages: AsyncIterable<T>, items: (p: T) => string[]): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let n = 0;
  for await (const p of pages) {
    n += 1;
    ids.push(...items(p));
  }
  return { ids, pages: n };
}

describe('EC2 paging through the SDK paginators', () => {
  it('DescribeVolumes at the minimum (5) and maximum (500) page sizes: every volume exactly once', async () => {
    const all = [...sim.state.region('us-west-2').volumes.keys()].sort();
    for (const [pageSize, expectedPages] of [
      [500, 3],
      [5, 201],
    ] as const) {
      const r = await collect(paginateDescribeVolumes({ client: ec2, pageSize }, {}), (p) => (p.Volumes ?? []).map((v) => v.VolumeId ?? ''));
      expect(r.pages).toBe(expectedPages);
      expect(r.ids.length).toBe(1001);
      expect([...r.ids].sort()).toEqual(all);
    }
  });

  it('DescribeInstances counts instances per page (1000 max) and still groups them in reservations', async () => {
    const r = await collect(paginateDescribeInstances({ client: ec2, pageSize: 1000 }, {}), (p) =>
      (p.Reservations ?? []).flatMap((res) => (res.Instances ?? []).map((i) => i.InstanceId ?? '')),
    );
    expect(r.pages).toBe(2);
    expect(new Set(r.ids).size).toBe(1001);
    expect(r.ids.length).toBe(1001);
  });

  it('DescribeSnapshots (1000 max) and DescribeImages (5 min) page with OwnerIds/Owners self', async () => {
    const snaps = await collect(paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, { OwnerIds: ['self'] }), (p) =>
      (p.Snapshots ?? []).map((s) => s.SnapshotId ?? ''),
    );
    expect(snaps.pages).toBe(2);
    expect(new Set(snaps.ids).size).toBe(1201);
    const images = await collect(paginateDescribeImages({ client: ec2, pageSize: 5 }, { Owners: ['self'] }), (p) => (p.Images ?? []).map((i) => i.ImageId ?? ''));
    expect(images.pages).toBe(40);
    expect(new Set(images.ids).size).toBe(200);
  });

  it('returns everything without MaxResults', async () => {
    const out = await ec2.send(new DescribeVolumesCommand({}));
    expect(out.Volumes?.length).toBe(1001);
    expect(out.NextToken).toBeUndefined();
  });

  it('rejects MaxResults outside the documented bounds', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => ec2.send(new DescribeVolumesCommand({ MaxResults: 4 })), 'vol 4'],
      [() => ec2.send(new DescribeVolumesCommand({ MaxResults: 501 })), 'vol 501'],
      [() => ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })), 'inst 1001'],
      [() => ec2.send(new DescribeImagesCommand({ MaxResults: 4, Owners: ['self'] })), 'img 4'],
      [() => ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: 201 })), 'lt 201'],
      [() => ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: 0 })), 'lt 0'],
    ];
    for (const [call, label] of cases) await expect(call(), label).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    // The bounds themselves are accepted.
    expect((await ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: 1 }))).LaunchTemplates?.length).toBe(1);
    expect((await ec2.send(new DescribeVolumesCommand({ MaxResults: 500 }))).Volumes?.length).toBe(500);
  });

  it('rejects MaxResults with explicit ids, and a foreign or corrupt NextToken', async () => {
    const id = [...sim.state.region('us-west-2').volumes.keys()][0];
    await expect(ec2.send(new DescribeVolumesCommand({ VolumeIds: [id ?? ''], MaxResults: 5 }))).rejects.toMatchObject({ name: 'InvalidParameterCombination' });
    await expect(ec2.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidNextToken' });
    const first = await ec2.send(new DescribeVolumesCommand({ MaxResults: 5 }));
    // A token from one request is not valid for a request with other filters.
    await expect(
      ec2.send(new DescribeVolumesCommand({ MaxResults: 5, NextToken: first.NextToken, Filters: [{ Name: 'status', Values: ['available'] }] })),
    ).rejects.toMatchObject({ name: 'InvalidNextToken' });
  });

  it('does not skip or repeat items when resources are deleted between pages', async () => {
    const region = sim.state.region('us-west-2');
    const first = await ec2.send(new DescribeVolumesCommand({ MaxResults: 5, Filters: [{ Name: 'volume-type', Values: ['*'] }] }));
    const seen = new Set(first.Volumes?.map((v) => v.VolumeId));
    const removed = first.Volumes?.[4]?.VolumeId ?? '';
    const saved = region.volumes.get(removed);
    region.volumes.delete(removed);
    let token = first.NextToken;
    let count = seen.size;
    while (token) {
      const page = await ec2.send(new DescribeVolumesCommand({ MaxResults: 500, NextToken: token, Filters: [{ Name: 'volume-type', Values: ['*'] }] }));
      for (const v of page.Volumes ?? []) seen.add(v.VolumeId);
      count += page.Volumes?.length ?? 0;
      token = page.NextToken;
    }
    if (saved) region.volumes.set(removed, saved);
    expect(count).toBe(1001);
    expect(seen.size).toBe(1001);
  });
});
