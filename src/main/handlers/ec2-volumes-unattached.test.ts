import { DEFAULT_HANDLER_SETTINGS } from './handler';
import {
  CreateSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import type { Volume } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { createUnattachedVolumesHandler, unattachedVolumesHandler } from './ec2-volumes-unattached';
import type { DeleteContext, Finding, HandlerContext, StoredFinding } from './handler';
import { awsError, collectPages, ec2Mock, handlerContext as ctx, KEEP, recordingDeleteContext, type RecordingDeleteContext } from './test-support';

const handler = createUnattachedVolumesHandler({ snapshotPollMs: 1 });

const deleteCtx = (over: Partial<DeleteContext> = {}): RecordingDeleteContext =>
  recordingDeleteContext({ planId: 'plan-7', ...over });

const scanAll = (c: HandlerContext): Promise<Finding[][]> => collectPages(handler.scan(c));

const available: Volume = {
  VolumeId: 'vol-1',
  State: 'available',
  VolumeType: 'gp3',
  Size: 500,
  Iops: 4000,
  Throughput: 125,
  AvailabilityZone: 'us-east-1a',
  SnapshotId: 'snap-src',
  Encrypted: true,
  CreateTime: new Date('2025-01-02T03:04:05Z'),
  Attachments: [],
  Tags: [{ Key: 'Name', Value: 'old-data' }],
};
const attachedToStopped: Volume = {
  VolumeId: 'vol-2',
  State: 'in-use',
  VolumeType: 'gp2',
  Size: 8,
  Attachments: [{ InstanceId: 'i-stopped', Device: '/dev/xvda', State: 'attached', DeleteOnTermination: true }],
};

function stored(f: Finding | undefined): StoredFinding {
  if (f === undefined) throw new Error('no finding');
  return { ...f, id: 1 };
}

async function storedVolume(v: Volume = available): Promise<StoredFinding> {
  ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [v] });
  const [page] = await scanAll(ctx());
  return stored(page?.[0]);
}

beforeEach(() => {
  ec2Mock.reset();
});

describe('unattached volumes: scan', () => {
  it('flags available volumes with cost and details; attached volumes (even to a stopped instance) are used', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [available, attachedToStopped] });
    const [page] = await scanAll(ctx());
    expect(page?.[0]).toEqual({
      resourceType: 'ec2:volume',
      resourceId: 'vol-1',
      region: 'us-east-1',
      name: 'old-data',
      state: 'available',
      tags: { Name: 'old-data' },
      createdAt: '2025-01-02T03:04:05.000Z',
      unused: true,
      unusedReason: 'Not attached to any instance',
      unusedSince: null,
      monthlyCost: 45,
      costBasis: 'gp3 500 GiB × $0.08 + 1,000 IOPS over baseline × $0.005 (us-east-1)',
      protected: false,
      protectedReason: null,
      details: {
        volumeType: 'gp3',
        sizeGiB: 500,
        iops: 4000,
        throughput: 125,
        availabilityZone: 'us-east-1a',
        snapshotId: 'snap-src',
        encrypted: true,
        attachments: [],
        safetySnapshot: {
          monthlyCost: 25,
          costBasis: '≤ 500 GiB volume size × $0.05 standard snapshot (upper bound: billing is incremental) (us-east-1)',
        },
      },
    });
    expect(page?.[1]).toMatchObject({ resourceId: 'vol-2', unused: false, unusedReason: null, monthlyCost: 0.8 });
  });

  it('pages with MaxResults clamped to 5–500 and NextToken, passing the abort signal', async () => {
    const inputs: Record<string, unknown>[] = [];
    const pages = [
      { Volumes: [available], NextToken: 't1' },
      { Volumes: [attachedToStopped], NextToken: 't2' },
      { Volumes: [{ ...available, VolumeId: 'vol-3' }] },
    ];
    ec2Mock.on(DescribeVolumesCommand).callsFake((input: Record<string, unknown>) => {
      inputs.push({ ...input });
      return pages[inputs.length - 1];
    });
    const c = ctx({ pageSize: 2 });
    const got = await scanAll(c);
    expect(got.map((p) => p.map((f) => f.resourceId))).toEqual([['vol-1'], ['vol-2'], ['vol-3']]);
    expect(inputs).toEqual([
      { MaxResults: 5, NextToken: undefined },
      { MaxResults: 5, NextToken: 't1' },
      { MaxResults: 5, NextToken: 't2' },
    ]);
    for (const call of ec2Mock.commandCalls(DescribeVolumesCommand)) {
      expect((call.args as unknown[])[1]).toMatchObject({ abortSignal: c.signal });
    }
    inputs.length = 0;
    await scanAll(ctx({ pageSize: 10_000 }));
    expect(inputs[0]?.['MaxResults']).toBe(500);
  });

  it('cost is unknown for an unknown type or without prices', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [{ ...available, VolumeType: 'gp9' as Volume['VolumeType'] }] });
    const [page] = await scanAll(ctx());
    expect(page?.[0]?.monthlyCost).toBeNull();
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [available] });
    const [unpriced] = await scanAll(ctx({ prices: null }));
    expect(unpriced?.[0]?.monthlyCost).toBeNull();
  });

  it('the protection tag protects (still reported); the value false does not', async () => {
    ec2Mock.on(DescribeVolumesCommand).resolves({
      Volumes: [
        { ...available, Tags: [{ Key: KEEP, Value: 'prod' }] },
        { ...available, VolumeId: 'vol-4', Tags: [{ Key: KEEP, Value: ' FALSE ' }] },
      ],
    });
    const [page] = await scanAll(ctx());
    expect(page?.[0]).toMatchObject({ unused: true, protected: true, protectedReason: `Tagged ${KEEP}=prod` });
    expect(page?.[1]).toMatchObject({ unused: true, protected: false });
  });
});

describe('unattached volumes: recheck', () => {
  it('asks by explicit id without MaxResults; unchanged while still available', async () => {
    const s = await storedVolume();
    const r = await handler.recheck(ctx(), s);
    expect(r.status).toBe('unchanged');
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)[1]?.args[0].input).toEqual({ VolumeIds: ['vol-1'] });
  });

  it('changed when attached', async () => {
    const s = await storedVolume();
    ec2Mock.on(DescribeVolumesCommand).resolves({
      Volumes: [{ ...available, State: 'in-use', Attachments: [{ InstanceId: 'i-9', State: 'attached' }] }],
    });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'changed', reason: 'Now attached to i-9' });
  });

  it('gone on InvalidVolume.NotFound or an empty answer', async () => {
    const s = await storedVolume();
    ec2Mock.on(DescribeVolumesCommand).rejects(awsError('InvalidVolume.NotFound'));
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
  });

  it('protected once the tag is added', async () => {
    const s = await storedVolume();
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [{ ...available, Tags: [{ Key: KEEP, Value: 'x' }] }] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'protected', reason: `Tagged ${KEEP}=x` });
  });
});

describe('unattached volumes: delete', () => {
  it('deletes through audited', async () => {
    const s = await storedVolume();
    const c = deleteCtx();
    const inside: boolean[] = [];
    ec2Mock.on(DeleteVolumeCommand).callsFake(() => {
      inside.push(c.inside());
      return {};
    });
    expect(await handler.delete(c, s, { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteVolume vol-1'] });
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)[0]?.args[0].input).toEqual({ VolumeId: 'vol-1', DryRun: false });
    expect(c.log).toEqual([{ action: 'DeleteVolume', target: 'vol-1', dryRun: false }]);
    expect(inside).toEqual([true]);
    expect(ec2Mock.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('VolumeInUse → failed; dry run maps DryRunOperation and UnauthorizedOperation', async () => {
    const s = await storedVolume();
    ec2Mock.on(DeleteVolumeCommand).rejects(awsError('VolumeInUse', 'attached'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: false })).toEqual({
      kind: 'failed',
      code: 'VolumeInUse',
      message: 'attached',
    });
    ec2Mock.on(DeleteVolumeCommand).rejects(awsError('DryRunOperation'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: true })).toEqual({
      kind: 'dry-run-ok',
      calls: ['DeleteVolume vol-1 (dry run)'],
    });
    ec2Mock.on(DeleteVolumeCommand).rejects(awsError('UnauthorizedOperation', 'denied'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: true })).toEqual({
      kind: 'unauthorized',
      code: 'UnauthorizedOperation',
      message: 'denied',
    });
  });

  it('refuses a protected volume without calling AWS', async () => {
    const s = await storedVolume({ ...available, Tags: [{ Key: KEEP, Value: '' }] });
    const c = deleteCtx({ snapshotBeforeDelete: true });
    expect(await handler.delete(c, s, { dryRun: false })).toEqual({ kind: 'refused', reason: `Tagged ${KEEP}` });
    expect(c.log).toEqual([]);
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(CreateSnapshotCommand)).toHaveLength(0);
  });

  it('safety snapshot: CreateSnapshot (tagged) → wait until completed → DeleteVolume', async () => {
    const s = await storedVolume();
    const c = deleteCtx({ snapshotBeforeDelete: true });
    const events: string[] = [];
    ec2Mock.on(CreateSnapshotCommand).callsFake(() => {
      events.push(`create:${String(c.inside())}`);
      return { SnapshotId: 'snap-safe', State: 'pending' };
    });
    const states = ['pending', 'pending', 'completed'];
    ec2Mock.on(DescribeSnapshotsCommand).callsFake((input: { Filters?: unknown[] }) => {
      // The look for an earlier safety snapshot of this plan (by tags): none.
      if (input.Filters !== undefined) return { Snapshots: [] };
      const State = states.shift();
      events.push(`describe:${String(State)}`);
      return { Snapshots: [{ SnapshotId: 'snap-safe', State }] };
    });
    ec2Mock.on(DeleteVolumeCommand).callsFake(() => {
      events.push(`delete:${String(c.inside())}`);
      return {};
    });

    const outcome = await handler.delete(c, s, { dryRun: false });
    expect(outcome).toEqual({
      kind: 'deleted',
      calls: ['CreateSnapshot vol-1', 'DeleteVolume vol-1'],
      safetySnapshotId: 'snap-safe',
    });
    expect(events).toEqual([
      'create:true',
      'describe:pending',
      'describe:pending',
      'describe:completed',
      'delete:true',
    ]);
    const input = ec2Mock.commandCalls(CreateSnapshotCommand)[0]?.args[0].input;
    expect(input?.VolumeId).toBe('vol-1');
    expect(input?.DryRun).toBe(false);
    expect(input?.Description).toMatch(/Cloud Cleaner/);
    expect(input?.TagSpecifications).toEqual([
      {
        ResourceType: 'snapshot',
        Tags: [
          { Key: 'cloud-cleaner:source-volume', Value: 'vol-1' },
          { Key: 'cloud-cleaner:plan', Value: 'plan-7' },
        ],
      },
    ]);
    // First the look for an earlier safety snapshot of this plan (by its tags), then the waits on the new one.
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand).map((x) => x.args[0].input)).toEqual([
      { OwnerIds: ['self'], Filters: [{ Name: 'tag:cloud-cleaner:plan', Values: ['plan-7'] }, { Name: 'tag:cloud-cleaner:source-volume', Values: ['vol-1'] }] },
      { SnapshotIds: ['snap-safe'] },
      { SnapshotIds: ['snap-safe'] },
      { SnapshotIds: ['snap-safe'] },
    ]);
    expect(c.log.map((l) => l.action)).toEqual(['CreateSnapshot', 'DeleteVolume']);
  });

  it('safety snapshot in error → failed, the volume is kept', async () => {
    const s = await storedVolume();
    ec2Mock.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-bad', State: 'pending' });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-bad', State: 'error' }] });
    const outcome = await handler.delete(deleteCtx({ snapshotBeforeDelete: true }), s, { dryRun: false });
    expect(outcome).toMatchObject({ kind: 'failed', code: 'SafetySnapshotFailed' });
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(0);
  });

  it('waiting for the safety snapshot stops when the signal aborts, and the volume is kept', async () => {
    const s = await storedVolume();
    const controller = new AbortController();
    const slow = createUnattachedVolumesHandler({ snapshotPollMs: 50 });
    ec2Mock.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-slow', State: 'pending' });
    ec2Mock.on(DescribeSnapshotsCommand).callsFake(() => {
      controller.abort();
      return { Snapshots: [{ SnapshotId: 'snap-slow', State: 'pending' }] };
    });
    const c = deleteCtx({ snapshotBeforeDelete: true, signal: controller.signal });
    await expect(slow.delete(c, s, { dryRun: false })).rejects.toMatchObject({ name: 'AbortError' });
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(0);
  });

  it('dry run with the safety net dry-runs CreateSnapshot and DeleteVolume, waits for nothing', async () => {
    const s = await storedVolume();
    ec2Mock.on(CreateSnapshotCommand).rejects(awsError('DryRunOperation'));
    ec2Mock.on(DeleteVolumeCommand).rejects(awsError('DryRunOperation'));
    const c = deleteCtx({ snapshotBeforeDelete: true });
    expect(await handler.delete(c, s, { dryRun: true })).toEqual({
      kind: 'dry-run-ok',
      calls: ['CreateSnapshot vol-1 (dry run)', 'DeleteVolume vol-1 (dry run)'],
    });
    expect(ec2Mock.commandCalls(CreateSnapshotCommand)[0]?.args[0].input.DryRun).toBe(true);
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)[0]?.args[0].input.DryRun).toBe(true);
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)).toHaveLength(0);
    expect(c.log).toEqual([
      { action: 'CreateSnapshot', target: 'vol-1', dryRun: true },
      { action: 'DeleteVolume', target: 'vol-1', dryRun: true },
    ]);
  });

  it('a failed snapshot dry run stops before DeleteVolume', async () => {
    const s = await storedVolume();
    ec2Mock.on(CreateSnapshotCommand).rejects(awsError('UnauthorizedOperation', 'no snapshots for you'));
    const outcome = await handler.delete(deleteCtx({ snapshotBeforeDelete: true }), s, { dryRun: true });
    expect(outcome).toEqual({ kind: 'unauthorized', code: 'UnauthorizedOperation', message: 'no snapshots for you' });
    expect(ec2Mock.commandCalls(DeleteVolumeCommand)).toHaveLength(0);
  });

  it('the exported handler has the registry identity', () => {
    expect(unattachedVolumesHandler).toMatchObject({
      type: 'ec2:volume',
      label: 'Unattached volumes',
      category: 'Storage',
      serviceCodes: ['AmazonEC2Other', 'AmazonEBS'],
      deleteOrder: 40,
    });
    expect(unattachedVolumesHandler.parts({} as Finding, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toEqual([]);
  });
});
