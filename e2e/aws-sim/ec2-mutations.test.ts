import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  ReleaseAddressCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSampleAccount, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { ec2Client } from './test-clients';

let sim: Simulator;
let ec2: EC2Client;
let sample: AccountFixture;

// A fresh account per test: mutations must not leak between tests.
beforeEach(async () => {
  sample ??= await loadSampleAccount();
  sim = await startSimulator({ fixture: sample, now: new Date('2026-11-25T12:00:00Z') });
  ec2 = ec2Client(sim.endpoint);
});
afterEach(async () => {
  ec2.destroy();
  await sim.close();
});

const us = (): ReturnType<Simulator['state']['region']> => sim.state.region('us-east-1');

describe('TerminateInstances', () => {
  it('deletes DeleteOnTermination volumes, detaches the others and disassociates the Elastic IP', async () => {
    const out = await ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0a100000000000002'] }));
    expect(out.TerminatingInstances).toEqual([
      { InstanceId: 'i-0a100000000000002', CurrentState: { Code: 32, Name: 'shutting-down' }, PreviousState: { Code: 80, Name: 'stopped' } },
    ]);
    const vols = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: ['vol-0a100000000000002', 'vol-0a100000000000003'] }] }));
    expect(vols.Volumes?.map((v) => [v.VolumeId, v.State, v.Attachments])).toEqual([['vol-0a100000000000003', 'available', []]]);
    const eip = await ec2.send(new DescribeAddressesCommand({ AllocationIds: ['eipalloc-0a100000000000002'] }));
    expect(eip.Addresses?.[0]?.AssociationId).toBeUndefined();
    expect(eip.Addresses?.[0]?.InstanceId).toBeUndefined();
    const inst = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0a100000000000002'] }));
    expect(inst.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
    expect(inst.Reservations?.[0]?.Instances?.[0]?.PublicIpAddress).toBeUndefined();
  });

  it('refuses a termination-protected instance with OperationNotPermitted and changes nothing', async () => {
    await expect(ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0a100000000000005'] }))).rejects.toMatchObject({
      name: 'OperationNotPermitted',
      message: "The instance 'i-0a100000000000005' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.",
    });
    expect(us().instances.get('i-0a100000000000005')?.state).toBe('stopped');
  });

  it('answers InvalidInstanceID.NotFound', async () => {
    await expect(ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0ffffffffffffffff'] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });
});

describe('DeleteVolume / ReleaseAddress', () => {
  it('deletes an available volume, refuses an attached one and an unknown one', async () => {
    await ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0a100000000000017' }));
    expect(us().volumes.has('vol-0a100000000000017')).toBe(false);
    await expect(ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0a100000000000003' }))).rejects.toMatchObject({
      name: 'VolumeInUse',
      message: 'Volume vol-0a100000000000003 is currently attached to i-0a100000000000002',
    });
    await expect(ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0a100000000000017' }))).rejects.toMatchObject({ name: 'InvalidVolume.NotFound' });
  });

  it('releases a free address, refuses an associated one and an unknown one', async () => {
    await ec2.send(new ReleaseAddressCommand({ AllocationId: 'eipalloc-0a100000000000003' }));
    expect(us().addresses.has('eipalloc-0a100000000000003')).toBe(false);
    await expect(ec2.send(new ReleaseAddressCommand({ AllocationId: 'eipalloc-0a100000000000001' }))).rejects.toMatchObject({ name: 'InvalidIPAddress.InUse' });
    await expect(ec2.send(new ReleaseAddressCommand({ AllocationId: 'eipalloc-0a100000000000003' }))).rejects.toMatchObject({ name: 'InvalidAllocationID.NotFound' });
  });
});

describe('DeleteSnapshot / DeregisterImage', () => {
  it('refuses a snapshot used by a disabled AMI with AWS message, deletes an orphan, NotFound after', async () => {
    await expect(ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-0a100000000000006' }))).rejects.toMatchObject({
      name: 'InvalidSnapshot.InUse',
      message: 'The snapshot snap-0a100000000000006 is currently in use by ami-0a100000000000002',
    });
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-0a100000000000002' }));
    await expect(ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-0a100000000000002' }))).rejects.toMatchObject({ name: 'InvalidSnapshot.NotFound' });
  });

  it('deregisters an AMI (its snapshot then becomes deletable) and answers InvalidAMIID.NotFound', async () => {
    await ec2.send(new DeregisterImageCommand({ ImageId: 'ami-0a100000000000004' }));
    expect(us().images.has('ami-0a100000000000004')).toBe(false);
    expect(us().snapshots.has('snap-0a100000000000008')).toBe(true);
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-0a100000000000008' }));
    await expect(ec2.send(new DeregisterImageCommand({ ImageId: 'ami-0a100000000000004' }))).rejects.toMatchObject({ name: 'InvalidAMIID.NotFound' });
  });

  it('DeleteAssociatedSnapshots deletes the AMI snapshots, skipping one another AMI still uses', async () => {
    // Make the disabled AMI share the unused AMI's snapshot.
    us().images.get('ami-0a100000000000002')?.devices.push({ device: '/dev/sdb', snapshotId: 'snap-0a100000000000008', volumeSize: 8, volumeType: 'gp3', deleteOnTermination: true });
    us().images.get('ami-0a100000000000004')?.devices.push({ device: '/dev/sdb', snapshotId: 'snap-0a100000000000004', volumeSize: 50, volumeType: 'gp3', deleteOnTermination: true });
    const out = await ec2.send(new DeregisterImageCommand({ ImageId: 'ami-0a100000000000004', DeleteAssociatedSnapshots: true }));
    expect(out.Return).toBe(true);
    expect(out.DeleteSnapshotResults).toEqual([
      { SnapshotId: 'snap-0a100000000000008', ReturnCode: 'skipped' },
      { SnapshotId: 'snap-0a100000000000004', ReturnCode: 'success' },
    ]);
    expect(us().snapshots.has('snap-0a100000000000008')).toBe(true);
    expect(us().snapshots.has('snap-0a100000000000004')).toBe(false);
  });
});

describe('CreateSnapshot / CreateTags', () => {
  it('returns pending, completed at the next Describe (delay 0)', async () => {
    const out = await ec2.send(
      new CreateSnapshotCommand({ VolumeId: 'vol-0a100000000000010', Description: 'backup before delete', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }),
    );
    expect(out.State).toBe('pending');
    expect(out.VolumeId).toBe('vol-0a100000000000010');
    expect(out.SnapshotId).toMatch(/^snap-0[0-9a-f]{16}$/);
    expect(out.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    const d = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [out.SnapshotId ?? ''] }));
    expect(d.Snapshots?.[0]).toMatchObject({ State: 'completed', Progress: '100%', Description: 'backup before delete', VolumeSize: 100 });
  });

  it('stays pending until a configured delay has passed', async () => {
    sim.configure({ snapshotCompletionDelayMs: 150 });
    const out = await ec2.send(new CreateSnapshotCommand({ VolumeId: 'vol-0a100000000000016' }));
    const early = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [out.SnapshotId ?? ''] }));
    expect(early.Snapshots?.[0]?.State).toBe('pending');
    await new Promise((r) => setTimeout(r, 200));
    const later = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [out.SnapshotId ?? ''] }));
    expect(later.Snapshots?.[0]?.State).toBe('completed');
    await expect(ec2.send(new CreateSnapshotCommand({ VolumeId: 'vol-0ffffffffffffffff' }))).rejects.toMatchObject({ name: 'InvalidVolume.NotFound' });
  });

  it('CreateTags adds and overwrites tags', async () => {
    await ec2.send(new CreateTagsCommand({ Resources: ['vol-0a100000000000011', 'i-0a100000000000001'], Tags: [{ Key: 'Name', Value: 'renamed' }, { Key: 'team', Value: 'x' }] }));
    expect(us().volumes.get('vol-0a100000000000011')?.tags).toEqual([
      { key: 'Name', value: 'renamed' },
      { key: 'team', value: 'x' },
    ]);
    expect(us().instances.get('i-0a100000000000001')?.tags).toContainEqual({ key: 'team', value: 'x' });
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['vol-0ffffffffffffffff'], Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({
      name: 'InvalidVolume.NotFound',
    });
  });
});

describe('DryRun and denied actions', () => {
  it('DryRun success is DryRunOperation (412) and changes nothing', async () => {
    const err = await ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0a100000000000017', DryRun: true })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DryRunOperation', message: 'Request would have succeeded, but DryRun flag is set.', $metadata: { httpStatusCode: 412 } });
    expect(us().volumes.has('vol-0a100000000000017')).toBe(true);
  });

  it('a denied action is UnauthorizedOperation (403) for the dry run and the real call', async () => {
    sim.state.deny.add('ec2:TerminateInstances');
    for (const DryRun of [true, false]) {
      await expect(ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0a100000000000003'], DryRun }))).rejects.toMatchObject({
        name: 'UnauthorizedOperation',
        $metadata: { httpStatusCode: 403 },
      });
    }
    expect(us().instances.get('i-0a100000000000003')?.state).toBe('stopped');
  });

  it('reads deny from the fixture', async () => {
    const denied = await startSimulator({ fixture: { ...sample, deny: ['DescribeVolumes'] } });
    const c = ec2Client(denied.endpoint);
    await expect(c.send(new DescribeVolumesCommand({}))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    c.destroy();
    await denied.close();
  });
});
