import {
  DescribeAddressesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNatGatewaysCommand,
  DescribeRegionsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import type { Simulator } from './index';
import { ec2Client } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z');
let sim: Simulator;
let ec2: EC2Client;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW });
  ec2 = ec2Client(sim.endpoint);
});
afterAll(async () => {
  ec2.destroy();
  await sim.close();
});

const ids = <T>(xs: T[] | undefined, f: (x: T) => string | undefined): string[] => (xs ?? []).map((x) => f(x) ?? '').sort();

describe('DescribeRegions', () => {
  it('hides not-opted-in regions unless AllRegions', async () => {
    const enabled = await ec2.send(new DescribeRegionsCommand({}));
    expect(ids(enabled.Regions, (r) => r.RegionName)).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(all.Regions?.find((r) => r.RegionName === 'af-south-1')).toEqual({
      RegionName: 'af-south-1',
      Endpoint: 'ec2.af-south-1.amazonaws.com',
      OptInStatus: 'not-opted-in',
    });
  });
});

describe('DescribeInstances', () => {
  it('groups instances in reservations and renders stop reasons, EIPs and block devices', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a100000000000002'] }));
    const inst = out.Reservations?.[0]?.Instances?.[0];
    expect(out.Reservations?.[0]?.OwnerId).toBe('123456789012');
    expect(out.Reservations?.[0]?.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(inst?.State).toEqual({ Code: 80, Name: 'stopped' });
    // 45.3 days before 2026-11-25T12:00:00Z
    expect(inst?.StateTransitionReason).toBe('User initiated (2026-10-11 04:48:00 GMT)');
    expect(inst?.StateReason?.Code).toBe('Client.UserInitiatedShutdown');
    expect(inst?.PublicIpAddress).toBe('203.0.113.11');
    expect(inst?.LaunchTime).toBeInstanceOf(Date);
    expect(inst?.BlockDeviceMappings?.map((b) => [b.DeviceName, b.Ebs?.VolumeId, b.Ebs?.DeleteOnTermination])).toEqual([
      ['/dev/xvda', 'vol-0a100000000000002', true],
      ['/dev/sdf', 'vol-0a100000000000003', false],
    ]);
    expect(inst?.Tags).toEqual([{ Key: 'Name', Value: 'legacy-batch' }]);
  });

  it('keeps empty and non-user reasons as they are', async () => {
    const us = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a100000000000004'] }));
    expect(us.Reservations?.[0]?.Instances?.[0]?.StateTransitionReason).toBe('');
    const ap = ec2Client(sim.endpoint, { region: 'ap-northeast-1' });
    const out = await ap.send(new DescribeInstancesCommand({ InstanceIds: ['i-0c100000000000002'] }));
    ap.destroy();
    expect(out.Reservations?.[0]?.Instances?.[0]?.StateTransitionReason).toBe('Server.ScheduledStop: Stopped due to scheduled retirement');
    expect(out.Reservations?.[0]?.Instances?.[0]?.StateReason?.Code).toBe('Server.ScheduledStop');
  });

  it('filters by instance-state-name, image-id and tags', async () => {
    const stopped = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
    const all = stopped.Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
    expect(all.length).toBe(7);
    expect(all.every((i) => i.State?.Name === 'stopped')).toBe(true);
    const byImage = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'image-id', Values: ['ami-0a100000000000001'] }] }));
    expect(ids(byImage.Reservations?.flatMap((r) => r.Instances ?? []), (i) => i.InstanceId)).toEqual(['i-0a100000000000001', 'i-0a100000000000003']);
    const tagged = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['legacy-*'] }] }));
    expect(ids(tagged.Reservations?.flatMap((r) => r.Instances ?? []), (i) => i.InstanceId)).toEqual(['i-0a100000000000002']);
  });

  it('answers InvalidInstanceID.NotFound and rejects unknown filters', async () => {
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0deadbeef0000000'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('shows termination protection only through DescribeInstanceAttribute', async () => {
    const on = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: 'i-0a100000000000005', Attribute: 'disableApiTermination' }));
    expect(on.DisableApiTermination?.Value).toBe(true);
    expect(on.InstanceId).toBe('i-0a100000000000005');
    const off = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: 'i-0a100000000000002', Attribute: 'disableApiTermination' }));
    expect(off.DisableApiTermination?.Value).toBe(false);
  });

  it('takes the region from the SigV4 credential scope', async () => {
    const eu = ec2Client(sim.endpoint, { region: 'eu-west-1' });
    const out = await eu.send(new DescribeInstancesCommand({}));
    eu.destroy();
    expect(ids(out.Reservations?.flatMap((r) => r.Instances ?? []), (i) => i.InstanceId)).toEqual([
      'i-0e100000000000001',
      'i-0e100000000000002',
      'i-0e100000000000003',
    ]);
    expect(sim.counts().byOperationAndRegion['ec2:DescribeInstances']?.['eu-west-1']).toBe(1);
  });
});

describe('DescribeVolumes', () => {
  it('renders types, IOPS/throughput only where AWS does, and attachments', async () => {
    const out = await ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0a100000000000010', 'vol-0a100000000000013', 'vol-0a100000000000003'] }));
    const byId = new Map(out.Volumes?.map((v) => [v.VolumeId, v]));
    expect(byId.get('vol-0a100000000000010')).toMatchObject({ VolumeType: 'gp3', Size: 100, Iops: 4000, Throughput: 200, State: 'available', Attachments: [] });
    const st1 = byId.get('vol-0a100000000000013');
    expect(st1?.VolumeType).toBe('st1');
    expect(st1?.Iops).toBeUndefined();
    expect(st1?.Throughput).toBeUndefined();
    expect(byId.get('vol-0a100000000000003')?.Attachments).toEqual([
      expect.objectContaining({ InstanceId: 'i-0a100000000000002', Device: '/dev/sdf', DeleteOnTermination: false, State: 'attached' }),
    ]);
  });

  it('filters by status and attachment.instance-id', async () => {
    const avail = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'status', Values: ['available'] }] }));
    expect(avail.Volumes?.length).toBe(8);
    const att = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: ['i-0a100000000000005'] }] }));
    expect(ids(att.Volumes, (v) => v.VolumeId)).toEqual(['vol-0a100000000000006', 'vol-0a100000000000007']);
  });

  it('answers InvalidVolume.NotFound', async () => {
    await expect(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0ffffffffffffffff'] }))).rejects.toMatchObject({ name: 'InvalidVolume.NotFound' });
  });
});

describe('DescribeSnapshots', () => {
  it('returns self-owned snapshots with storage tier and FullSnapshotSizeInBytes when known', async () => {
    const out = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], SnapshotIds: ['snap-0a100000000000003', 'snap-0a100000000000004'] }));
    const byId = new Map(out.Snapshots?.map((s) => [s.SnapshotId, s]));
    expect(byId.get('snap-0a100000000000003')).toMatchObject({ StorageTier: 'archive', FullSnapshotSizeInBytes: 107374182400, State: 'completed', Progress: '100%', OwnerId: '123456789012' });
    expect(byId.get('snap-0a100000000000004')?.FullSnapshotSizeInBytes).toBeUndefined();
    expect(byId.get('snap-0a100000000000004')?.StorageTier).toBe('standard');
  });

  it('owns nothing for another owner', async () => {
    const out = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['amazon'] }));
    expect(out.Snapshots).toEqual([]);
  });
});

describe('DescribeImages', () => {
  it('omits disabled AMIs unless IncludeDisabled', async () => {
    const visible = await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect(visible.Images?.some((i) => i.State === 'disabled')).toBe(false);
    expect(visible.Images?.length).toBe(8);
    const all = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true }));
    const disabled = all.Images?.find((i) => i.ImageId === 'ami-0a100000000000002');
    expect(disabled?.State).toBe('disabled');
    expect(disabled?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId).toBe('snap-0a100000000000006');
    expect(disabled?.CreationDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('answers InvalidAMIID.NotFound for unknown ids and nothing for other owners', async () => {
    await expect(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0ffffffffffffffff'] }))).rejects.toMatchObject({ name: 'InvalidAMIID.NotFound' });
    expect((await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images).toEqual([]);
  });
});

describe('DescribeAddresses', () => {
  it('has no AssociationId when unassociated and reports ServiceManaged', async () => {
    const out = await ec2.send(new DescribeAddressesCommand({}));
    expect(out.Addresses?.length).toBe(8);
    const free = out.Addresses?.find((a) => a.AllocationId === 'eipalloc-0a100000000000003');
    expect(free?.AssociationId).toBeUndefined();
    expect(free?.InstanceId).toBeUndefined();
    expect(out.Addresses?.find((a) => a.AllocationId === 'eipalloc-0a100000000000005')?.ServiceManaged).toBe('rnat');
    expect(out.Addresses?.find((a) => a.AllocationId === 'eipalloc-0a100000000000001')).toMatchObject({ InstanceId: 'i-0a100000000000001', AssociationId: expect.stringMatching(/^eipassoc-/) });
    const one = await ec2.send(new DescribeAddressesCommand({ PublicIps: ['203.0.113.12'] }));
    expect(one.Addresses?.map((a) => a.AllocationId)).toEqual(['eipalloc-0a100000000000003']);
    await expect(ec2.send(new DescribeAddressesCommand({ AllocationIds: ['eipalloc-0fffffffffffffff0'] }))).rejects.toMatchObject({ name: 'InvalidAllocationID.NotFound' });
  });
});

describe('NAT gateways and launch templates', () => {
  it('describes NAT gateways with their addresses', async () => {
    const out = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }] }));
    expect(out.NatGateways?.[0]).toMatchObject({
      NatGatewayId: 'nat-0a100000000000001',
      State: 'available',
      NatGatewayAddresses: [expect.objectContaining({ AllocationId: 'eipalloc-0a100000000000007', PublicIp: '203.0.113.16' })],
    });
  });

  it('describes launch templates and versions ($Latest, $Default, all, filters)', async () => {
    const lts = await ec2.send(new DescribeLaunchTemplatesCommand({}));
    expect(lts.LaunchTemplates?.[0]).toMatchObject({ LaunchTemplateId: 'lt-0a100000000000001', DefaultVersionNumber: 1, LatestVersionNumber: 2 });
    const all = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0a100000000000001' }));
    expect(all.LaunchTemplateVersions?.map((v) => [v.VersionNumber, v.LaunchTemplateData?.ImageId, v.DefaultVersion])).toEqual([
      [1, 'ami-0a100000000000001', true],
      [2, 'ami-0a100000000000003', false],
    ]);
    const latest = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0a100000000000001', Versions: ['$Latest'] }));
    expect(latest.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([2]);
    const defaults = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Default'] }));
    expect(defaults.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([1]);
    const byImage = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0a100000000000001', Filters: [{ Name: 'image-id', Values: ['ami-0a100000000000003'] }] }),
    );
    expect(byImage.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([2]);
    await expect(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: 'lt-0ffffffffffffffff' }))).rejects.toMatchObject({
      name: 'InvalidLaunchTemplateId.NotFound',
    });
  });
});
