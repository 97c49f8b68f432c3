import { DEFAULT_HANDLER_SETTINGS } from './handler';
import {
  DeleteSnapshotCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import type { Image, Snapshot } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { orphanedSnapshotsHandler as handler } from './ec2-snapshots-orphaned';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { awsError, collectPages, ec2Mock, handlerContext as ctx, KEEP, recordingDeleteContext as deleteCtx } from './test-support';

const GIB = 2 ** 30;

const scanAll = (c: HandlerContext): Promise<Finding[][]> => collectPages(handler.scan(c));

function snap(id: string, over: Partial<Snapshot> = {}): Snapshot {
  return {
    SnapshotId: id,
    VolumeId: 'vol-gone',
    VolumeSize: 20,
    State: 'completed',
    StartTime: new Date('2025-01-02T03:04:05Z'),
    Description: 'nightly',
    Encrypted: true,
    OwnerId: '111122223333',
    ...over,
  };
}

const disabledAmi: Image = {
  ImageId: 'ami-disabled',
  State: 'disabled',
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-ami', VolumeSize: 8 } }],
};

function byId(pages: Finding[][]): Map<string, Finding> {
  return new Map(pages.flat().map((f) => [f.resourceId, f]));
}

function stored(f: Finding): StoredFinding {
  return { ...f, id: 1 };
}

beforeEach(() => {
  ec2Mock.reset();
  ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-live' }] });
  ec2Mock.on(DescribeImagesCommand).resolves({ Images: [disabledAmi] });
});

describe('orphanedSnapshotsHandler.scan', () => {
  const snapshots: Snapshot[] = [
    snap('snap-live', { VolumeId: 'vol-live' }),
    snap('snap-ami'),
    snap('snap-full', { VolumeSize: 500, FullSnapshotSizeInBytes: 10 * GIB }),
    snap('snap-vol'),
    snap('snap-archive', { StorageTier: 'archive', FullSnapshotSizeInBytes: 40 * GIB }),
    snap('snap-copy', { VolumeId: 'vol-ffffffff' }),
    snap('snap-pending', { State: 'pending' }),
    snap('snap-keep', { Tags: [{ Key: KEEP, Value: 'yes' }] }),
    snap('snap-keep-false', { Tags: [{ Key: KEEP, Value: ' FALSE ' }] }),
    snap('snap-backup', { Tags: [{ Key: 'aws:backup:source-resource', Value: 'arn:aws:ec2:us-east-1::volume/vol-x' }] }),
    snap('snap-dlm', { Tags: [{ Key: 'aws:dlm:lifecycle-policy-id', Value: 'policy-0123' }] }),
  ];

  it('decides each snapshot: source volume gone AND no AMI (disabled included) uses it', async () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: snapshots });
    const f = byId(await scanAll(ctx()));
    expect(f.size).toBe(snapshots.length); // every snapshot reported, used or not

    expect(f.get('snap-live')).toMatchObject({ unused: false, unusedReason: null });
    expect(f.get('snap-ami')).toMatchObject({ unused: false, unusedReason: null });
    expect(f.get('snap-ami')?.details['usedByImages']).toEqual(['ami-disabled']);
    const imagesCall = ec2Mock.commandCalls(DescribeImagesCommand)[0]?.args[0].input;
    expect(imagesCall).toMatchObject({ Owners: ['self'], IncludeDisabled: true });

    expect(f.get('snap-vol')).toMatchObject({
      unused: true,
      unusedReason: 'Source volume vol-gone no longer exists and no AMI uses this snapshot',
      unusedSince: null,
      protected: false,
      monthlyCost: 1,
      costBasis: '≤ 20 GiB volume size × $0.05 standard snapshot (upper bound: billing is incremental) (us-east-1)',
      createdAt: '2025-01-02T03:04:05.000Z',
    });
    expect(f.get('snap-vol')?.details).toMatchObject({
      volumeId: 'vol-gone',
      volumeSizeGiB: 20,
      fullSnapshotSizeBytes: null,
      storageTier: null,
      startTime: '2025-01-02T03:04:05.000Z',
      description: 'nightly',
      encrypted: true,
    });
    expect(f.get('snap-full')).toMatchObject({ unused: true, monthlyCost: 0.5 });
    expect(f.get('snap-full')?.costBasis).toContain('≤ 10 GiB full size × $0.05');
    expect(f.get('snap-archive')).toMatchObject({ unused: true, monthlyCost: 0.5 });
    expect(f.get('snap-archive')?.costBasis).toContain('40 GiB full size × $0.0125 archive snapshot');
    expect(f.get('snap-archive')?.costBasis).toContain('90-day minimum');
  });

  it('does not call a copied snapshot (vol-ffffffff) orphaned, and says why it cannot tell', async () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: snapshots });
    const copy = byId(await scanAll(ctx())).get('snap-copy');
    expect(copy).toMatchObject({ unused: false, unusedReason: null });
    expect(String(copy?.details['usageUnknown'])).toContain('Copied snapshot');
    const pending = byId(await scanAll(ctx())).get('snap-pending');
    expect(pending?.unused).toBe(false);
  });

  it('does not decide a snapshot started after the volume list was read (its volume may be new)', async () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-new', { StartTime: new Date(Date.now() + 60_000) })] });
    const [page] = await scanAll(ctx());
    expect(page?.[0]).toMatchObject({ unused: false, unusedReason: null });
    expect(String(page?.[0]?.details['usageUnknown'])).toContain('Started after the volume list was read');
  });

  it('protects by tag (but not `false`), and protects AWS Backup / DLM snapshots with that reason', async () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: snapshots });
    const f = byId(await scanAll(ctx()));
    expect(f.get('snap-keep')).toMatchObject({ unused: true, protected: true, protectedReason: `Tagged ${KEEP}=yes` });
    expect(f.get('snap-keep-false')).toMatchObject({ unused: true, protected: false, protectedReason: null });
    expect(f.get('snap-backup')?.protected).toBe(true);
    expect(f.get('snap-backup')?.protectedReason).toContain('AWS Backup');
    expect(f.get('snap-dlm')?.protectedReason).toContain('Data Lifecycle Manager policy policy-0123');
  });

  it('null prices give a null cost, never $0', async () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol')] });
    const [page] = await scanAll(ctx({ prices: null }));
    expect(page?.[0]).toMatchObject({ unused: true, monthlyCost: null, costBasis: 'Cost unknown: no prices for this region' });
  });

  it('pages every Describe with clamped MaxResults and NextToken, yielding one array per snapshot page', async () => {
    ec2Mock.on(DescribeVolumesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'v2' ? { Volumes: [{ VolumeId: 'vol-b' }] } : { Volumes: [{ VolumeId: 'vol-a' }], NextToken: 'v2' },
    );
    ec2Mock.on(DescribeImagesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'i2'
        ? { Images: [{ ...disabledAmi, ImageId: 'ami-2', BlockDeviceMappings: [{ Ebs: { SnapshotId: 'snap-3' } }] }] }
        : { Images: [], NextToken: 'i2' },
    );
    ec2Mock.on(DescribeSnapshotsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 's2'
        ? { Snapshots: [snap('snap-3'), snap('snap-4')] }
        : { Snapshots: [snap('snap-1', { VolumeId: 'vol-b' }), snap('snap-2')], NextToken: 's2' },
    );
    const signal = new AbortController().signal;
    const pages = await scanAll(ctx({ pageSize: 2, signal }));
    expect(pages.map((p) => p.map((f) => `${f.resourceId}:${f.unused}`))).toEqual([
      ['snap-1:false', 'snap-2:true'],
      ['snap-3:false', 'snap-4:true'],
    ]);
    const snapCalls = ec2Mock.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input);
    expect(snapCalls).toEqual([
      { OwnerIds: ['self'], MaxResults: 5, NextToken: undefined },
      { OwnerIds: ['self'], MaxResults: 5, NextToken: 's2' },
    ]);
    expect(ec2Mock.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 5, NextToken: undefined },
      { MaxResults: 5, NextToken: 'v2' },
    ]);
    expect(ec2Mock.commandCalls(DescribeImagesCommand)).toHaveLength(2);
    for (const call of ec2Mock.calls()) expect((call.args as unknown[])[1]).toMatchObject({ abortSignal: signal });
  });

  it('clamps a large page size to the documented maxima', async () => {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    await scanAll(ctx({ pageSize: 5000 }));
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input.MaxResults).toBe(1000);
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)[0]?.args[0].input.MaxResults).toBe(500);
    expect(ec2Mock.commandCalls(DescribeImagesCommand)[0]?.args[0].input.MaxResults).toBe(1000);
  });
});

describe('orphanedSnapshotsHandler.recheck', () => {
  async function scannedOrphan(): Promise<StoredFinding> {
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol')] });
    const [page] = await scanAll(ctx());
    const f = page?.[0];
    if (f === undefined) throw new Error('no finding');
    ec2Mock.reset();
    return stored(f);
  }

  it('unchanged when still orphaned (explicit id, no MaxResults)', async () => {
    const s = await scannedOrphan();
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol')] });
    ec2Mock.on(DescribeVolumesCommand).rejects(awsError('InvalidVolume.NotFound'));
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [] });
    const r = await handler.recheck(ctx(), s);
    expect(r.status).toBe('unchanged');
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input).toEqual({
      OwnerIds: ['self'],
      SnapshotIds: ['snap-vol'],
    });
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)[0]?.args[0].input).toEqual({ VolumeIds: ['vol-gone'] });
    expect(ec2Mock.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toMatchObject({
      IncludeDisabled: true,
      Filters: [{ Name: 'block-device-mapping.snapshot-id', Values: ['snap-vol'] }],
    });
  });

  it('gone on InvalidSnapshot.NotFound or an empty answer', async () => {
    const s = await scannedOrphan();
    ec2Mock.on(DescribeSnapshotsCommand).rejects(awsError('InvalidSnapshot.NotFound'));
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
  });

  it('changed when an AMI (even disabled) now uses it', async () => {
    const s = await scannedOrphan();
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol')] });
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    ec2Mock.on(DescribeImagesCommand).resolves({
      Images: [{ ...disabledAmi, BlockDeviceMappings: [{ Ebs: { SnapshotId: 'snap-vol' } }] }],
    });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'changed', reason: 'Used by AMI ami-disabled' });
  });

  it('does not count an AMI that does not map this snapshot (a server that ignored the filter)', async () => {
    const s = await scannedOrphan();
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol')] });
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [disabledAmi] });
    expect((await handler.recheck(ctx(), s)).status).toBe('unchanged');
  });

  it('changed when the source volume exists again', async () => {
    const s = await scannedOrphan();
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol')] });
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-gone' }] });
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'changed', reason: 'Source volume vol-gone still exists' });
  });

  it('protected when the tag appeared (and not when its value is false)', async () => {
    const s = await scannedOrphan();
    ec2Mock.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    ec2Mock.on(DescribeImagesCommand).resolves({ Images: [] });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol', { Tags: [{ Key: KEEP, Value: '' }] })] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'protected', reason: `Tagged ${KEEP}` });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [snap('snap-vol', { Tags: [{ Key: KEEP, Value: 'false' }] })] });
    expect((await handler.recheck(ctx(), s)).status).toBe('unchanged');
  });
});

describe('orphanedSnapshotsHandler.delete', () => {
  function orphan(over: Partial<Finding> = {}): StoredFinding {
    return {
      id: 7,
      resourceType: 'ec2:snapshot',
      resourceId: 'snap-vol',
      region: 'us-east-1',
      name: null,
      state: 'completed',
      tags: {},
      createdAt: null,
      unused: true,
      unusedReason: 'Source volume vol-gone no longer exists and no AMI uses this snapshot',
      unusedSince: null,
      monthlyCost: 1,
      costBasis: '',
      protected: false,
      protectedReason: null,
      details: { description: 'nightly' },
      ...over,
    };
  }

  it('deletes through audited()', async () => {
    const c = deleteCtx();
    ec2Mock.on(DeleteSnapshotCommand).callsFake(() => {
      expect(c.inside()).toBe(true);
      return {};
    });
    expect(await handler.delete(c, orphan(), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteSnapshot snap-vol'] });
    expect(c.log).toEqual([{ action: 'DeleteSnapshot', target: 'snap-vol', dryRun: false }]);
    expect(ec2Mock.commandCalls(DeleteSnapshotCommand)[0]?.args[0].input).toEqual({ SnapshotId: 'snap-vol', DryRun: false });
  });

  it('maps the dry run: DryRunOperation → dry-run-ok, UnauthorizedOperation → unauthorized', async () => {
    const c = deleteCtx();
    ec2Mock.on(DeleteSnapshotCommand).rejects(awsError('DryRunOperation', 'Request would have succeeded'));
    expect(await handler.delete(c, orphan(), { dryRun: true })).toEqual({
      kind: 'dry-run-ok',
      calls: ['DeleteSnapshot snap-vol (dry run)'],
    });
    expect(c.log).toEqual([{ action: 'DeleteSnapshot', target: 'snap-vol', dryRun: true }]);
    expect(ec2Mock.commandCalls(DeleteSnapshotCommand)[0]?.args[0].input.DryRun).toBe(true);
    ec2Mock.on(DeleteSnapshotCommand).rejects(awsError('UnauthorizedOperation', 'not allowed'));
    expect(await handler.delete(deleteCtx(), orphan(), { dryRun: true })).toEqual({
      kind: 'unauthorized',
      code: 'UnauthorizedOperation',
      message: 'not allowed',
    });
  });

  it('InvalidSnapshot.InUse → failed with that code', async () => {
    ec2Mock.on(DeleteSnapshotCommand).rejects(awsError('InvalidSnapshot.InUse', 'in use by ami-1'));
    expect(await handler.delete(deleteCtx(), orphan(), { dryRun: false })).toEqual({
      kind: 'failed',
      code: 'InvalidSnapshot.InUse',
      message: 'in use by ami-1',
    });
  });

  it('refuses protected snapshots without calling AWS; a `false` tag does not protect', async () => {
    const c = deleteCtx();
    const r1 = await handler.delete(c, orphan({ tags: { [KEEP]: 'true' } }), { dryRun: false });
    expect(r1).toEqual({ kind: 'refused', reason: `Tagged ${KEEP}=true` });
    const r2 = await handler.delete(c, orphan({ tags: { 'aws:backup:source-resource': 'x' } }), { dryRun: true });
    expect(r2.kind).toBe('refused');
    expect(c.log).toEqual([]);
    expect(ec2Mock.calls()).toHaveLength(0);
    ec2Mock.on(DeleteSnapshotCommand).resolves({});
    expect((await handler.delete(c, orphan({ tags: { [KEEP]: 'false' } }), { dryRun: false })).kind).toBe('deleted');
  });

  it('rethrows aborts', async () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    ec2Mock.on(DeleteSnapshotCommand).rejects(abort);
    await expect(handler.delete(deleteCtx(), orphan(), { dryRun: false })).rejects.toThrow('aborted');
  });

  it('relates nothing', () => {
    expect(handler.parts(orphan(), DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toEqual([]);
  });
});
