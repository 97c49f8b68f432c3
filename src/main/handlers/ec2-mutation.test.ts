/**
 * Retried removals: a removing call answered "not found" means the resource is gone (an earlier attempt of the same
 * call, or meanwhile) — recorded as removed, not failed. A safety snapshot is never taken twice for one plan.
 */
import { CreateSnapshotCommand, DeleteSnapshotCommand, DeleteVolumeCommand, DescribeSnapshotsCommand, ReleaseAddressCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { idleElasticIpsHandler } from './ec2-elastic-ips-idle';
import { ALREADY_GONE, auditedMutation } from './ec2-mutation';
import { orphanedSnapshotsHandler } from './ec2-snapshots-orphaned';
import { stoppedInstancesHandler } from './ec2-instances-stopped';
import { createUnattachedVolumesHandler } from './ec2-volumes-unattached';
import type { StoredFinding } from './handler';
import { awsError, ec2Mock, recordingDeleteContext } from './test-support';

beforeEach(() => {
  ec2Mock.reset();
});

const stored = (resourceType: StoredFinding['resourceType'], resourceId: string, details: Record<string, unknown> = {}): StoredFinding => ({
  id: 1,
  resourceType,
  resourceId,
  region: 'us-east-1',
  name: null,
  state: resourceType === 'ec2:instance' ? 'stopped' : 'available',
  tags: {},
  createdAt: null,
  unused: true,
  unusedReason: 'x',
  unusedSince: null,
  monthlyCost: 1,
  costBasis: 'x',
  protected: false,
  protectedReason: null,
  details,
});

describe('a removing call that finds its target gone', () => {
  it.each([
    ['ec2:volume', 'vol-1', DeleteVolumeCommand, 'InvalidVolume.NotFound', 'DeleteVolume vol-1 (already gone)'],
    ['ec2:snapshot', 'snap-1', DeleteSnapshotCommand, 'InvalidSnapshot.NotFound', 'DeleteSnapshot snap-1 (already gone)'],
    ['ec2:elastic-ip', 'eipalloc-1', ReleaseAddressCommand, 'InvalidAllocationID.NotFound', 'ReleaseAddress eipalloc-1 (already gone)'],
    ['ec2:instance', 'i-1', TerminateInstancesCommand, 'InvalidInstanceID.NotFound', 'TerminateInstances i-1 (already gone)'],
  ] as const)('%s: NotFound on the real call is recorded as deleted (audited as succeeded)', async (type, id, command, code, label) => {
    const handlers = {
      'ec2:volume': createUnattachedVolumesHandler(),
      'ec2:snapshot': orphanedSnapshotsHandler,
      'ec2:elastic-ip': idleElasticIpsHandler,
      'ec2:instance': stoppedInstancesHandler,
    } as const;
    ec2Mock.on(command as never).rejects(awsError(code));
    const ctx = recordingDeleteContext();
    const outcomes: unknown[] = [];
    const audited = ctx.audited.bind(ctx);
    ctx.audited = async (call, fn) => {
      const v = await audited(call, fn);
      outcomes.push(v);
      return v;
    };
    const out = await handlers[type].delete(ctx, stored(type, id, type === 'ec2:elastic-ip' ? { allocationId: id } : {}), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: [label] });
    // audited() saw the call succeed (no exception reached it): its row completes as succeeded.
    expect(outcomes).toEqual([ALREADY_GONE]);
  });

  it('not in a dry run, and not for a call that creates: those stay failures', async () => {
    const ctx = recordingDeleteContext();
    const dry = await auditedMutation(ctx, { action: 'DeleteVolume', target: 'vol-1', dryRun: true }, () => Promise.reject(awsError('InvalidVolume.NotFound')));
    expect(dry).toMatchObject({ kind: 'error', code: 'InvalidVolume.NotFound' });
    const create = await auditedMutation(ctx, { action: 'CreateSnapshot', target: 'vol-1', dryRun: false }, () => Promise.reject(awsError('InvalidVolume.NotFound')));
    expect(create).toMatchObject({ kind: 'error', code: 'InvalidVolume.NotFound' });
  });
});

describe('a safety snapshot is never taken twice for one plan', () => {
  it("re-uses the snapshot an earlier attempt of the plan took (found by the plan's and the volume's tags)", async () => {
    const handler = createUnattachedVolumesHandler({ snapshotPollMs: 1, snapshotMaxWaitMs: 1000 });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-earlier', State: 'completed' }] });
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    const ctx = recordingDeleteContext({ snapshotBeforeDelete: true });
    const out = await handler.delete(ctx, stored('ec2:volume', 'vol-1'), { dryRun: false });
    expect(out).toMatchObject({ kind: 'deleted', safetySnapshotId: 'snap-earlier' });
    expect(ec2Mock.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input).toEqual({
      OwnerIds: ['self'],
      Filters: [
        { Name: 'tag:cloud-cleaner:plan', Values: ['plan-1'] },
        { Name: 'tag:cloud-cleaner:source-volume', Values: ['vol-1'] },
      ],
    });
    expect(ctx.log.map((c) => c.action)).toEqual(['DeleteVolume']);
  });

  it('takes one when there is none (a failed earlier one does not count)', async () => {
    const handler = createUnattachedVolumesHandler({ snapshotPollMs: 1, snapshotMaxWaitMs: 1000 });
    ec2Mock.on(DescribeSnapshotsCommand, { OwnerIds: ['self'] }).resolves({ Snapshots: [{ SnapshotId: 'snap-failed', State: 'error' }] });
    ec2Mock.on(DescribeSnapshotsCommand, { SnapshotIds: ['snap-new'] }).resolves({ Snapshots: [{ SnapshotId: 'snap-new', State: 'completed' }] });
    ec2Mock.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-new' });
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    const out = await handler.delete(recordingDeleteContext({ snapshotBeforeDelete: true }), stored('ec2:volume', 'vol-1'), { dryRun: false });
    expect(out).toMatchObject({ kind: 'deleted', safetySnapshotId: 'snap-new' });
    expect(ec2Mock.commandCalls(CreateSnapshotCommand)).toHaveLength(1);
  });
});
