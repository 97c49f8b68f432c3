/**
 * CreateImage against the simulator's sample account, parsed by the real SDK: the AMI and its block-device snapshots
 * (tagged on create), `pending` → `available` once the snapshots complete, a configured failure, and AWS's validation
 * (name rules, a duplicate name, a missing or terminated instance, an instance with nothing at its root, DryRun).
 */
import { CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSampleAccount, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { ec2Client } from './test-clients';

let sim: Simulator;
let ec2: EC2Client;
let sample: AccountFixture;

beforeEach(async () => {
  sample ??= await loadSampleAccount();
  sim = await startSimulator({ fixture: sample, now: new Date('2026-11-25T12:00:00Z'), snapshotCompletionDelayMs: 60_000 });
  ec2 = ec2Client(sim.endpoint);
});
afterEach(async () => {
  ec2.destroy();
  await sim.close();
});

const us = (): ReturnType<Simulator['state']['region']> => sim.state.region('us-east-1');
const STOPPED = 'i-0a100000000000002'; // legacy-batch: root vol-…02 (deleted on termination), data vol-…03 (kept)
const PLAN_TAGS = [
  { ResourceType: 'image' as const, Tags: [{ Key: 'cloud-cleaner:plan', Value: 'plan-1' }, { Key: 'Name', Value: 'legacy-batch' }] },
  { ResourceType: 'snapshot' as const, Tags: [{ Key: 'cloud-cleaner:plan', Value: 'plan-1' }] },
];

async function image(id: string) {
  const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [id] }));
  return out.Images?.[0];
}

describe('CreateImage', () => {
  it('makes a pending AMI of every attached volume, tags the AMI and its snapshots, and answers the id', async () => {
    const before = us().snapshots.size;
    const out = await ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'cloud-cleaner legacy-batch (plan-1)', Description: 'before termination', TagSpecifications: PLAN_TAGS }));
    expect(out.ImageId).toMatch(/^ami-0[0-9a-f]{16}$/);
    const im = await image(out.ImageId!);
    expect(im).toMatchObject({
      ImageId: out.ImageId,
      Name: 'cloud-cleaner legacy-batch (plan-1)',
      Description: 'before termination',
      State: 'pending',
      RootDeviceType: 'ebs',
      RootDeviceName: '/dev/xvda',
      SourceInstanceId: STOPPED,
      Tags: [{ Key: 'cloud-cleaner:plan', Value: 'plan-1' }, { Key: 'Name', Value: 'legacy-batch' }],
    });
    const sizes = new Map([...us().volumes.values()].map((v) => [v.volumeId, v.size]));
    const devices = im?.BlockDeviceMappings ?? [];
    expect(devices.map((d) => [d.DeviceName, d.Ebs?.VolumeSize, d.Ebs?.DeleteOnTermination])).toEqual([
      ['/dev/xvda', sizes.get('vol-0a100000000000002'), true],
      ['/dev/sdf', sizes.get('vol-0a100000000000003'), false],
    ]);
    expect(us().snapshots.size).toBe(before + 2);
    const snaps = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: devices.map((d) => d.Ebs!.SnapshotId!) }));
    expect(snaps.Snapshots?.map((s) => [s.VolumeId, s.State, s.Description, s.Tags])).toEqual([
      ['vol-0a100000000000002', 'pending', `Created by CreateImage(${STOPPED}) for ${out.ImageId}`, [{ Key: 'cloud-cleaner:plan', Value: 'plan-1' }]],
      ['vol-0a100000000000003', 'pending', `Created by CreateImage(${STOPPED}) for ${out.ImageId}`, [{ Key: 'cloud-cleaner:plan', Value: 'plan-1' }]],
    ]);
    // Found by the tag and the name, as a retried cleanup looks for it.
    const byTag = await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:cloud-cleaner:plan', Values: ['plan-1'] }, { Name: 'name', Values: ['cloud-cleaner legacy-batch (plan-1)'] }] }));
    expect(byTag.Images?.map((i) => i.ImageId)).toEqual([out.ImageId]);
    // The instance is left as it was (stopped: nothing to reboot).
    const inst = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [STOPPED] }));
    expect(inst.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('stopped');
  });

  it('becomes available once its snapshots complete (the configured delay)', async () => {
    sim.configure({ snapshotCompletionDelayMs: 40 });
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'quick-one' }));
    expect((await image(ImageId!))?.State).toBe('pending');
    await new Promise((r) => setTimeout(r, 60));
    expect((await image(ImageId!))?.State).toBe('available');
    const ids = us().images.get(ImageId!)!.devices.map((d) => d.snapshotId);
    expect(ids.map((id) => us().snapshots.get(id)?.state)).toEqual(['completed', 'completed']);
  });

  it('ends failed with its StateReason when a failure is configured', async () => {
    sim.configure({ snapshotCompletionDelayMs: 0, imageCreationFailure: 'Internal error while creating the image' });
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'doomed' }));
    expect(await image(ImageId!)).toMatchObject({ State: 'failed', StateReason: { Code: 'Client.ImageCreationFailed', Message: 'Internal error while creating the image' } });
  });

  it('fails when one of its snapshots errors', async () => {
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'broken-snap' }));
    us().snapshots.get(us().images.get(ImageId!)!.devices[0]!.snapshotId)!.state = 'error';
    expect((await image(ImageId!))?.State).toBe('failed');
  });

  it('refuses a name already in use, with the AMI that has it', async () => {
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'same-name' }));
    await expect(ec2.send(new CreateImageCommand({ InstanceId: 'i-0a10000000000000d', Name: 'same-name' }))).rejects.toMatchObject({
      name: 'InvalidAMIName.Duplicate',
      message: `AMI name same-name is already in use by AMI ${ImageId}`,
    });
  });

  it.each([['ab'], ['x'.repeat(129)], ['name:with:colons'], ['sémantique']])('refuses the malformed name %j', async (name) => {
    const before = us().images.size;
    await expect(ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: name }))).rejects.toMatchObject({ name: 'InvalidAMIName.Malformed' });
    expect(us().images.size).toBe(before);
  });

  it("accepts every character AWS allows: letters, digits, ( ) [ ] space . / - ' @ _", async () => {
    const out = await ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: "a-Z_0 (x) [y] ./'@" }));
    expect(out.ImageId).toBeDefined();
  });

  it('refuses a missing, a terminated and an instance-store instance, and one with no volume at its root', async () => {
    await expect(ec2.send(new CreateImageCommand({ InstanceId: 'i-0ffffffffffffffff', Name: 'nope' }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0ffffffffffffffff' does not exist",
    });
    await expect(ec2.send(new CreateImageCommand({ InstanceId: 'i-0a100000000000006', Name: 'gone' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "Invalid value 'i-0a100000000000006' for instanceId. Instance is not in state 'running' or 'stopping' or 'stopped'",
    });
    Object.assign(us().instances.get('i-0a10000000000000d')!, { rootDeviceType: 'instance-store' });
    const inst = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a10000000000000d'] }));
    expect(inst.Reservations?.[0]?.Instances?.[0]?.RootDeviceType).toBe('instance-store');
    await expect(ec2.send(new CreateImageCommand({ InstanceId: 'i-0a10000000000000d', Name: 'ephemeral' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: "Invalid value 'i-0a10000000000000d' for instanceId. Instance does not have a volume attached at root (/dev/xvda)",
    });
    const root = us().volumes.get('vol-0a100000000000002')!;
    root.attachments = [];
    await expect(ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'rootless' }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('DryRun answers DryRunOperation and creates nothing; a denied CreateImage is UnauthorizedOperation', async () => {
    const images = us().images.size;
    const snaps = us().snapshots.size;
    await expect(ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'dry', DryRun: true }))).rejects.toMatchObject({ name: 'DryRunOperation' });
    sim.state.deny.add('ec2:CreateImage');
    await expect(ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'dry', DryRun: true }))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    await expect(ec2.send(new CreateImageCommand({ InstanceId: STOPPED, Name: 'real' }))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect([us().images.size, us().snapshots.size]).toEqual([images, snaps]);
  });
});
