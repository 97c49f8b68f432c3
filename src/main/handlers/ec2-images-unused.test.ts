import { DEFAULT_HANDLER_SETTINGS } from './handler';
import { AutoScalingClient, AutoScalingServiceException, DescribeLaunchConfigurationsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  EC2Client,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSnapshotsCommand,
} from '@aws-sdk/client-ec2';
import type { Image, LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { unusedImagesHandler as handler } from './ec2-images-unused';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { awsError, collectPages, ec2Mock, handlerContext, KEEP, recordingDeleteContext as deleteCtx, testClients } from './test-support';

const GIB = 2 ** 30;

/** Every AutoScalingClient of this file answers from this mock (default: no launch configurations, see beforeEach). */
const asMock = mockClient(AutoScalingClient);

/** The shared test context plus an Auto Scaling client: without one, every otherwise-unused AMI is protected. */
function ctx(over: Partial<HandlerContext> = {}): HandlerContext {
  return handlerContext({ client: testClients([EC2Client, AutoScalingClient]), ...over });
}

function asError(code: string, message = code): AutoScalingServiceException {
  return new AutoScalingServiceException({ name: code, $fault: 'client', $metadata: {}, message });
}

const LC_REASON = (why: string): string => `Could not check Auto Scaling launch configurations (${why}); this AMI may be in use`;

const scanAll = (c: HandlerContext): Promise<Finding[][]> => collectPages(handler.scan(c));

function ami(id: string, snapshots: string[], over: Partial<Image> = {}): Image {
  return {
    ImageId: id,
    Name: `${id}-name`,
    State: 'available',
    CreationDate: '2024-01-01T00:00:00.000Z',
    RootDeviceType: 'ebs',
    Architecture: 'x86_64',
    PlatformDetails: 'Linux/UNIX',
    BlockDeviceMappings: snapshots.map((s, i) => ({ DeviceName: `/dev/sd${i}`, Ebs: { SnapshotId: s, VolumeSize: 8 } })),
    ...over,
  };
}

const IMAGES: Image[] = [
  ami('ami-unused', ['snap-u1', 'snap-shared'], { LastLaunchedTime: '2025-03-01T00:00:00Z' }),
  ami('ami-other', ['snap-shared']),
  ami('ami-terminated-only', ['snap-t']),
  ami('ami-lt-old', ['snap-o']),
  ami('ami-lt-new', ['snap-n']),
  ami('ami-disabled', ['snap-d'], { State: 'disabled' }),
  ami('ami-keep', ['snap-k'], { Tags: [{ Key: KEEP, Value: 'prod' }] }),
  ami('ami-keep-false', ['snap-kf'], { Tags: [{ Key: KEEP, Value: 'False' }] }),
  ami('ami-dp', ['snap-dp'], { DeregistrationProtection: 'enabled-with-cooldown' }),
  ami('ami-pending', ['snap-p'], { State: 'pending' }),
];

function versions(list: Array<[number, string | undefined]>): LaunchTemplateVersion[] {
  return list.map(([n, imageId]) => ({ LaunchTemplateId: 'lt-1', VersionNumber: n, LaunchTemplateData: { ImageId: imageId } }));
}

function mockRegion(opts: { images?: Image[]; ltVersions?: LaunchTemplateVersion[] } = {}): void {
  ec2Mock.on(DescribeImagesCommand).resolves({ Images: opts.images ?? IMAGES });
  ec2Mock.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
  ec2Mock.on(DescribeInstancesCommand).resolves({
    Reservations: [
      { Instances: [{ InstanceId: 'i-stopped', ImageId: 'ami-other', State: { Name: 'stopped' } }] },
      {
        Instances: [
          { InstanceId: 'i-term', ImageId: 'ami-terminated-only', State: { Name: 'terminated' } },
          { InstanceId: 'i-going', ImageId: 'ami-terminated-only', State: { Name: 'shutting-down' } },
        ],
      },
    ],
  });
  ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [{ LaunchTemplateId: 'lt-1' }] });
  ec2Mock.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: opts.ltVersions ?? versions([[1, 'ami-lt-old'], [2, 'ami-lt-new'], [3, undefined]]),
  });
  ec2Mock.on(DescribeSnapshotsCommand).resolves({
    Snapshots: [
      { SnapshotId: 'snap-u1', VolumeSize: 8, FullSnapshotSizeInBytes: 4 * GIB, State: 'completed' },
      { SnapshotId: 'snap-shared', VolumeSize: 8, FullSnapshotSizeInBytes: 6 * GIB, State: 'completed' },
    ],
  });
}

function byId(pages: Finding[][]): Map<string, Finding> {
  return new Map(pages.flat().map((f) => [f.resourceId, f]));
}

async function scanned(id: string, opts?: Parameters<typeof mockRegion>[0]): Promise<StoredFinding> {
  mockRegion(opts);
  const f = byId(await scanAll(ctx())).get(id);
  if (f === undefined) throw new Error(`${id} not scanned`);
  ec2Mock.reset();
  // Re-check reads the launch permissions: nobody else may launch it unless a test says so.
  ec2Mock.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
  return { ...f, id: 3 };
}

beforeEach(() => {
  ec2Mock.reset();
  asMock.reset();
  asMock.on(DescribeLaunchConfigurationsCommand).resolves({ LaunchConfigurations: [] });
});

describe('unusedImagesHandler.scan', () => {
  it('reports every AMI; instances in any state but shutting-down/terminated and every launch template version count', async () => {
    mockRegion();
    const f = byId(await scanAll(ctx()));
    expect([...f.keys()].sort()).toEqual(IMAGES.map((i) => i.ImageId).sort());
    expect(f.get('ami-other')).toMatchObject({ unused: false, unusedReason: null }); // stopped instance
    expect(f.get('ami-other')?.details['usedBy']).toBe('Used by an instance that is not terminated');
    expect(f.get('ami-lt-old')).toMatchObject({ unused: false }); // only an older (not latest) version
    expect(f.get('ami-lt-new')).toMatchObject({ unused: false });
    expect(f.get('ami-terminated-only')).toMatchObject({ unused: true });
    expect(f.get('ami-disabled')).toMatchObject({ unused: true, state: 'disabled' });
    expect(f.get('ami-pending')).toMatchObject({ unused: false });

    for (const call of ec2Mock.commandCalls(DescribeImagesCommand)) {
      expect(call.args[0].input).toMatchObject({ Owners: ['self'], IncludeDisabled: true });
    }
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters).toBeUndefined();
    expect(ec2Mock.commandCalls(DescribeLaunchTemplateVersionsCommand)[0]?.args[0].input).toMatchObject({
      LaunchTemplateId: 'lt-1',
    });
    expect(ec2Mock.commandCalls(DescribeLaunchTemplateVersionsCommand)[0]?.args[0].input.Versions).toBeUndefined();
  });

  it('prices only its own snapshots (shared ones keep billing) and records the details', async () => {
    mockRegion();
    const f = byId(await scanAll(ctx())).get('ami-unused');
    expect(f).toMatchObject({
      unused: true,
      unusedSince: '2025-03-01T00:00:00Z',
      monthlyCost: 0.2, // snap-u1: 4 GiB × $0.05; snap-shared (6 GiB) not counted
      protected: false,
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    expect(f?.unusedReason).toContain(
      'No instance (in any state but terminated), no launch template version and no Auto Scaling launch configuration in this region uses this AMI',
    );
    expect(f?.costBasis).toBe(
      'snap-u1 ≤ 4 GiB full size × $0.05 standard snapshot (upper bound: billing is incremental)' +
        ' (not counted, shared: snap-shared also backs ami-other) (us-east-1)',
    );
    expect(f?.details).toMatchObject({
      name: 'ami-unused-name',
      state: 'available',
      creationDate: '2024-01-01T00:00:00.000Z',
      lastLaunchedTime: '2025-03-01T00:00:00Z',
      platform: 'Linux/UNIX',
      architecture: 'x86_64',
      snapshots: [
        { snapshotId: 'snap-u1', sizeGiB: 8, sharedWithImages: [] },
        { snapshotId: 'snap-shared', sizeGiB: 8, sharedWithImages: ['ami-other'] },
      ],
    });
    // Without LastLaunchedTime the time is unknown; without snapshot facts the mapping's VolumeSize prices it.
    const t = byId(await scanAll(ctx())).get('ami-terminated-only');
    expect(t).toMatchObject({ unusedSince: null, monthlyCost: 0.4 });
    expect(t?.costBasis).toContain('≤ 8 GiB volume size');
  });

  it('null prices → null cost', async () => {
    mockRegion();
    const f = byId(await scanAll(ctx({ prices: null }))).get('ami-unused');
    expect(f).toMatchObject({ unused: true, monthlyCost: null, costBasis: 'Cost unknown: no prices for this region' });
  });

  it('protection: tag (not `false`), AWS Backup marker, deregistration protection', async () => {
    const backup = ami('ami-backup', ['snap-b'], { Tags: [{ Key: 'aws:backup:source-resource', Value: 'arn:x' }] });
    mockRegion({ images: [...IMAGES, backup] });
    const f = byId(await scanAll(ctx()));
    expect(f.get('ami-keep')).toMatchObject({ unused: true, protected: true, protectedReason: `Tagged ${KEEP}=prod` });
    expect(f.get('ami-keep-false')).toMatchObject({ unused: true, protected: false });
    expect(f.get('ami-backup')?.protectedReason).toContain('AWS Backup');
    expect(f.get('ami-dp')?.protectedReason).toBe('Deregistration protection is on (enabled-with-cooldown)');
  });

  it('resolve:ssm: in any launch template version protects every otherwise-unused AMI, with the reason', async () => {
    mockRegion({ ltVersions: versions([[1, 'ami-lt-old'], [4, 'resolve:ssm:/golden/ami']]) });
    const f = byId(await scanAll(ctx()));
    const unused = f.get('ami-unused');
    expect(unused).toMatchObject({ unused: true, protected: true });
    expect(unused?.protectedReason).toBe(
      'Launch template lt-1 version 4 picks its AMI at launch from resolve:ssm:/golden/ami; the app cannot tell which AMI that is, so this AMI may be in use',
    );
    expect(f.get('ami-terminated-only')?.protected).toBe(true);
    // An AMI in use stays simply "in use".
    expect(f.get('ami-other')).toMatchObject({ unused: false, protected: false });
    // Without the SSM reference nothing is protected by it.
    ec2Mock.reset();
    mockRegion();
    expect(byId(await scanAll(ctx())).get('ami-unused')?.protected).toBe(false);
  });

  it('pages every Describe with clamped MaxResults and NextToken; one yielded array per AMI page', async () => {
    ec2Mock.on(DescribeImagesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'i2' ? { Images: [ami('ami-b', ['snap-b'])] } : { Images: [ami('ami-a', ['snap-a'])], NextToken: 'i2' },
    );
    ec2Mock.on(DescribeInstancesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'r2'
        ? { Reservations: [{ Instances: [{ ImageId: 'ami-b', State: { Name: 'running' } }] }] }
        : { Reservations: [], NextToken: 'r2' },
    );
    ec2Mock.on(DescribeLaunchTemplatesCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 't2' ? { LaunchTemplates: [{ LaunchTemplateId: 'lt-2' }] } : { LaunchTemplates: [], NextToken: 't2' },
    );
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'v2'
        ? { LaunchTemplateVersions: versions([[1, 'ami-a']]) }
        : { LaunchTemplateVersions: versions([[2, 'ami-zzz']]), NextToken: 'v2' },
    );
    ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    const c = ctx({ pageSize: 2 });
    const pages = await scanAll(c);
    for (const call of ec2Mock.calls()) expect((call.args as unknown[])[1]).toMatchObject({ abortSignal: c.signal });
    expect(pages.map((p) => p.map((f) => `${f.resourceId}:${f.unused}`))).toEqual([['ami-a:false'], ['ami-b:false']]);
    const inputs = (cmd: Parameters<typeof ec2Mock.commandCalls>[0]) =>
      ec2Mock.commandCalls(cmd).map((c) => ({ MaxResults: c.args[0].input.MaxResults, NextToken: c.args[0].input.NextToken }));
    // Two passes over DescribeImages: the sharing index first, then the yielded pages.
    expect(inputs(DescribeImagesCommand)).toEqual([
      { MaxResults: 5, NextToken: undefined },
      { MaxResults: 5, NextToken: 'i2' },
      { MaxResults: 5, NextToken: undefined },
      { MaxResults: 5, NextToken: 'i2' },
    ]);
    expect(inputs(DescribeInstancesCommand)).toEqual([
      { MaxResults: 5, NextToken: undefined },
      { MaxResults: 5, NextToken: 'r2' },
    ]);
    expect(inputs(DescribeLaunchTemplatesCommand)).toEqual([
      { MaxResults: 2, NextToken: undefined },
      { MaxResults: 2, NextToken: 't2' },
    ]);
    expect(inputs(DescribeLaunchTemplateVersionsCommand)).toEqual([
      { MaxResults: 2, NextToken: undefined },
      { MaxResults: 2, NextToken: 'v2' },
    ]);
    // Snapshot facts by explicit ids: no MaxResults.
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand)[0]?.args[0].input).toEqual({ OwnerIds: ['self'], SnapshotIds: ['snap-a'] });
  });
});

describe('unusedImagesHandler.recheck', () => {
  function mockRecheck(image: Image | null, opts: { instances?: string[]; ltImage?: string; sharedBy?: Image[] } = {}): void {
    ec2Mock.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
    ec2Mock.on(DescribeImagesCommand).callsFake((input: { ImageIds?: string[] }) =>
      input.ImageIds !== undefined
        ? { Images: image === null ? [] : [image] }
        : { Images: [IMAGES[0] as Image, ...(opts.sharedBy ?? [IMAGES[1] as Image])] },
    );
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: (opts.instances ?? []).map((id) => ({ InstanceId: id, ImageId: 'ami-unused', State: { Name: 'stopped' as const } })) }],
    });
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [{ LaunchTemplateId: 'lt-1' }] });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand).resolves({ LaunchTemplateVersions: versions([[1, opts.ltImage]]) });
    ec2Mock.on(DescribeSnapshotsCommand).resolves({
      Snapshots: [{ SnapshotId: 'snap-u1', VolumeSize: 8, FullSnapshotSizeInBytes: 4 * GIB }],
    });
  }

  it('unchanged when still unused; describes by id without MaxResults', async () => {
    const s = await scanned('ami-unused');
    mockRecheck(IMAGES[0] ?? null);
    expect((await handler.recheck(ctx(), s)).status).toBe('unchanged');
    const byIdCall = ec2Mock.commandCalls(DescribeImagesCommand).find((c) => c.args[0].input.ImageIds !== undefined);
    expect(byIdCall?.args[0].input).toEqual({ ImageIds: ['ami-unused'], Owners: ['self'], IncludeDisabled: true });
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: 'image-id', Values: ['ami-unused'] },
    ]);
  });

  it('gone: InvalidAMIID.NotFound, empty answer, or state deregistered', async () => {
    const s = await scanned('ami-unused');
    ec2Mock.on(DescribeImagesCommand).rejects(awsError('InvalidAMIID.NotFound'));
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
    ec2Mock.reset();
    mockRecheck(null);
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
    ec2Mock.reset();
    mockRecheck({ ...IMAGES[0], State: 'deregistered' });
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
  });

  it('protected when shared with another account, an organization, or everyone (launch permissions read at re-check)', async () => {
    const s = await scanned('ami-unused');
    for (const [perm, text] of [
      [{ UserId: '444455556666' }, 'Shared with 444455556666: may be launched by others'],
      [{ OrganizationArn: 'arn:aws:organizations::111122223333:organization/o-abc' }, 'o-abc'],
      [{ Group: 'all' as const }, 'Public AMI'],
    ] as const) {
      ec2Mock.reset();
      mockRecheck(IMAGES[0] ?? null);
      ec2Mock.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [perm] });
      const r = await handler.recheck(ctx(), s);
      expect(r).toMatchObject({ status: 'protected', reason: expect.stringContaining(text) });
      expect(ec2Mock.commandCalls(DescribeImageAttributeCommand)[0]?.args[0].input).toEqual({ ImageId: 'ami-unused', Attribute: 'launchPermission' });
    }
    // A denied read is an unknown that protects: it may be shared.
    ec2Mock.reset();
    mockRecheck(IMAGES[0] ?? null);
    ec2Mock.on(DescribeImageAttributeCommand).rejects(awsError('UnauthorizedOperation'));
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'protected', reason: expect.stringContaining('DescribeImageAttribute was denied') });
  });

  it('a public AMI (DescribeImages says so) is protected in the scan: it may be launched by others', async () => {
    mockRegion({ images: [ami('ami-public', ['snap-pub'], { Public: true })] });
    const f = byId(await scanAll(ctx())).get('ami-public');
    expect(f).toMatchObject({ unused: true, protected: true, protectedReason: 'Public AMI: may be launched by others' });
  });

  it('changed when an instance or a launch template version now uses it', async () => {
    const s = await scanned('ami-unused');
    mockRecheck(IMAGES[0] ?? null, { instances: ['i-new'] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'changed', reason: 'Used by instance i-new' });
    ec2Mock.reset();
    mockRecheck(IMAGES[0] ?? null, { ltImage: 'ami-unused' });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'changed', reason: 'Named by a launch template version' });
  });

  it('changed when its own snapshots changed (the shared one is now its own)', async () => {
    const s = await scanned('ami-unused');
    mockRecheck(IMAGES[0] ?? null, { sharedBy: [] });
    const r = await handler.recheck(ctx(), s);
    expect(r.status).toBe('changed');
    if (r.status === 'changed') expect(r.reason).toContain('snap-shared');
  });

  it('protected when the tag appeared; a `false` value does not protect', async () => {
    const s = await scanned('ami-unused');
    mockRecheck({ ...IMAGES[0], Tags: [{ Key: KEEP, Value: 'yes' }] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'protected', reason: `Tagged ${KEEP}=yes` });
    ec2Mock.reset();
    mockRecheck({ ...IMAGES[0], Tags: [{ Key: KEEP, Value: 'false' }] });
    expect((await handler.recheck(ctx(), s)).status).toBe('unchanged');
  });
});

describe('unusedImagesHandler.delete', () => {
  it('deregisters, then deletes only its own snapshots, every call through audited()', async () => {
    const s = await scanned('ami-unused');
    const c = deleteCtx();
    const order: string[] = [];
    ec2Mock.on(DeregisterImageCommand).callsFake((input: { ImageId: string }) => {
      order.push(`dereg ${input.ImageId} inside=${c.inside()}`);
      return {};
    });
    ec2Mock.on(DeleteSnapshotCommand).callsFake((input: { SnapshotId: string }) => {
      order.push(`del ${input.SnapshotId} inside=${c.inside()}`);
      return {};
    });
    expect(await handler.delete(c, s, { dryRun: false })).toEqual({
      kind: 'deleted',
      calls: ['DeregisterImage ami-unused', 'DeleteSnapshot snap-u1'],
    });
    expect(order).toEqual(['dereg ami-unused inside=true', 'del snap-u1 inside=true']);
    expect(c.log).toEqual([
      { action: 'DeregisterImage', target: 'ami-unused', dryRun: false },
      { action: 'DeleteSnapshot', target: 'snap-u1', dryRun: false },
    ]);
    expect(handler.parts(s, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toEqual([
      expect.objectContaining({ resourceType: 'ec2:snapshot', resourceId: 'snap-u1', fate: 'deleted' }),
      expect.objectContaining({ resourceType: 'ec2:snapshot', resourceId: 'snap-shared', fate: 'kept' }),
    ]);
  });

  it('dry run: both calls with DryRun; DryRunOperation → dry-run-ok; UnauthorizedOperation → unauthorized', async () => {
    const s = await scanned('ami-unused');
    const c = deleteCtx();
    ec2Mock.on(DeregisterImageCommand).rejects(awsError('DryRunOperation'));
    ec2Mock.on(DeleteSnapshotCommand).rejects(awsError('DryRunOperation'));
    expect(await handler.delete(c, s, { dryRun: true })).toEqual({
      kind: 'dry-run-ok',
      calls: ['DeregisterImage ami-unused (dry run)', 'DeleteSnapshot snap-u1 (dry run)'],
    });
    expect(ec2Mock.commandCalls(DeregisterImageCommand)[0]?.args[0].input).toEqual({ ImageId: 'ami-unused', DryRun: true });
    expect(ec2Mock.commandCalls(DeleteSnapshotCommand)[0]?.args[0].input).toEqual({ SnapshotId: 'snap-u1', DryRun: true });
    expect(c.log.every((l) => l.dryRun)).toBe(true);

    ec2Mock.reset();
    ec2Mock.on(DeregisterImageCommand).rejects(awsError('UnauthorizedOperation', 'no ec2:DeregisterImage'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: true })).toEqual({
      kind: 'unauthorized',
      code: 'UnauthorizedOperation',
      message: 'no ec2:DeregisterImage',
    });
    expect(ec2Mock.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);

    ec2Mock.reset();
    ec2Mock.on(DeregisterImageCommand).rejects(awsError('DryRunOperation'));
    ec2Mock.on(DeleteSnapshotCommand).rejects(awsError('UnauthorizedOperation', 'no ec2:DeleteSnapshot'));
    expect((await handler.delete(deleteCtx(), s, { dryRun: true })).kind).toBe('unauthorized');
  });

  it('a snapshot that fails after the deregister → failed, naming the calls made and what remains', async () => {
    const base = await scanned('ami-unused');
    const s: StoredFinding = {
      ...base,
      details: {
        ...base.details,
        snapshots: [
          { snapshotId: 'snap-a', sizeGiB: 8, sharedWithImages: [] },
          { snapshotId: 'snap-b', sizeGiB: 8, sharedWithImages: [] },
        ],
      },
    };
    ec2Mock.on(DeregisterImageCommand).resolves({});
    ec2Mock.on(DeleteSnapshotCommand, { SnapshotId: 'snap-a' }).rejects(awsError('InvalidSnapshot.InUse', 'used by ami-x'));
    ec2Mock.on(DeleteSnapshotCommand, { SnapshotId: 'snap-b' }).resolves({});
    const r = await handler.delete(deleteCtx(), s, { dryRun: false });
    expect(r.kind).toBe('failed');
    if (r.kind !== 'failed') return;
    expect(r.code).toBe('InvalidSnapshot.InUse');
    expect(r.message).toContain('AMI ami-unused was deregistered');
    expect(r.message).toContain('snap-a (InvalidSnapshot.InUse: used by ami-x)');
    expect(r.message).toContain('Calls made: DeregisterImage ami-unused, DeleteSnapshot snap-a (failed: InvalidSnapshot.InUse), DeleteSnapshot snap-b');
  });

  it('a failing DeregisterImage stops before any snapshot', async () => {
    const s = await scanned('ami-unused');
    ec2Mock.on(DeregisterImageCommand).rejects(awsError('InvalidAMIID.Unavailable', 'gone'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: false })).toEqual({
      kind: 'failed',
      code: 'InvalidAMIID.Unavailable',
      message: 'gone',
    });
    expect(ec2Mock.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });

  it('refuses a protected AMI without calling AWS; a `false` tag does not protect', async () => {
    const s = await scanned('ami-unused');
    const c = deleteCtx();
    expect(await handler.delete(c, { ...s, tags: { [KEEP]: '' } }, { dryRun: true })).toEqual({
      kind: 'refused',
      reason: `Tagged ${KEEP}`,
    });
    const ssm = { ...s, protected: true, protectedReason: 'Launch template lt-1 version 4 picks its AMI at launch …' };
    expect((await handler.delete(c, ssm, { dryRun: false })).kind).toBe('refused');
    expect(c.log).toEqual([]);
    expect(ec2Mock.calls()).toHaveLength(0);
    ec2Mock.on(DeregisterImageCommand).resolves({});
    ec2Mock.on(DeleteSnapshotCommand).resolves({});
    expect((await handler.delete(c, { ...s, tags: { [KEEP]: 'false' } }, { dryRun: false })).kind).toBe('deleted');
  });

  it('refuses when the stored snapshot list is missing (would strand unreviewed snapshots)', async () => {
    const s = await scanned('ami-unused');
    const r = await handler.delete(deleteCtx(), { ...s, details: {} }, { dryRun: false });
    expect(r.kind).toBe('refused');
    expect(ec2Mock.calls()).toHaveLength(0);
  });
});

describe('Auto Scaling launch configurations', () => {
  const lc = (name: string, imageId: string) => ({ LaunchConfigurationName: name, ImageId: imageId, InstanceType: 't3.micro', CreatedTime: new Date('2025-01-01T00:00:00Z') });

  it('an AMI named only by a launch configuration is in use; every launch configuration is read, 100 per page', async () => {
    mockRegion();
    asMock.on(DescribeLaunchConfigurationsCommand).resolves({ LaunchConfigurations: [lc('workers', 'ami-unused')] });
    const c = ctx();
    const f = byId(await scanAll(c));
    expect(f.get('ami-unused')).toMatchObject({ unused: false, unusedReason: null, protected: false, protectedReason: null });
    expect(f.get('ami-unused')?.details['usedBy']).toBe('Named by an Auto Scaling launch configuration');
    expect(f.get('ami-terminated-only')).toMatchObject({ unused: true, protected: false });
    const calls = asMock.commandCalls(DescribeLaunchConfigurationsCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([{ MaxRecords: 100, NextToken: undefined }]);
    expect((calls[0]?.args as unknown[])[1]).toMatchObject({ abortSignal: c.signal });
  });

  it('reads launch configurations across pages (NextToken), MaxRecords clamped to 1–100', async () => {
    mockRegion();
    asMock.on(DescribeLaunchConfigurationsCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken === 'p2'
        ? { LaunchConfigurations: [lc('b', 'ami-terminated-only')] }
        : { LaunchConfigurations: [lc('a', 'ami-disabled')], NextToken: 'p2' },
    );
    const f = byId(await scanAll(ctx({ pageSize: 500 })));
    expect(f.get('ami-disabled')).toMatchObject({ unused: false });
    expect(f.get('ami-terminated-only')).toMatchObject({ unused: false }); // named on the second page only
    expect(f.get('ami-unused')).toMatchObject({ unused: true, protected: false });
    expect(asMock.commandCalls(DescribeLaunchConfigurationsCommand).map((call) => call.args[0].input)).toEqual([
      { MaxRecords: 100, NextToken: undefined },
      { MaxRecords: 100, NextToken: 'p2' },
    ]);
    asMock.resetHistory();
    ec2Mock.reset();
    mockRegion();
    await scanAll(ctx({ pageSize: 0 }));
    expect(asMock.commandCalls(DescribeLaunchConfigurationsCommand)[0]?.args[0].input.MaxRecords).toBe(1);
  });

  it.each(['AccessDenied', 'UnauthorizedOperation'])(
    'DescribeLaunchConfigurations denied (%s): otherwise-unused AMIs are reported unused but protected, never guessed',
    async (code) => {
      mockRegion();
      asMock.on(DescribeLaunchConfigurationsCommand).rejects(asError(code, 'not authorized to perform autoscaling:DescribeLaunchConfigurations'));
      const f = byId(await scanAll(ctx()));
      const reason = LC_REASON('autoscaling:DescribeLaunchConfigurations denied');
      expect(f.get('ami-unused')).toMatchObject({ unused: true, protected: true, protectedReason: reason });
      // The reason for "unused" claims only what was checked.
      expect(f.get('ami-unused')?.unusedReason).toContain('No instance (in any state but terminated) and no launch template version in this region');
      expect(f.get('ami-unused')?.unusedReason).not.toContain('launch configuration');
      expect(f.get('ami-disabled')).toMatchObject({ unused: true, protected: true, protectedReason: reason });
      // Stronger reasons keep their own wording; AMIs in use stay simply "in use".
      expect(f.get('ami-keep')?.protectedReason).toBe(`Tagged ${KEEP}=prod`);
      expect(f.get('ami-other')).toMatchObject({ unused: false, protected: false });
    },
  );

  it('without an Auto Scaling client: the same conservative result', async () => {
    mockRegion();
    const f = byId(await scanAll(handlerContext()));
    expect(f.get('ami-unused')).toMatchObject({ unused: true, protected: true, protectedReason: LC_REASON('no Auto Scaling client for this region') });
    expect(f.get('ami-lt-new')).toMatchObject({ unused: false, protected: false });
    expect(asMock.commandCalls(DescribeLaunchConfigurationsCommand)).toHaveLength(0);
  });

  it('other errors (throttling after the retries) fail the scan, as other Describe errors do', async () => {
    mockRegion();
    asMock.on(DescribeLaunchConfigurationsCommand).rejects(asError('Throttling', 'Rate exceeded'));
    await expect(scanAll(ctx())).rejects.toMatchObject({ name: 'Throttling' });
  });

  describe('recheck', () => {
    function mockRecheck(): void {
      ec2Mock.on(DescribeImageAttributeCommand).resolves({ LaunchPermissions: [] });
      ec2Mock.on(DescribeImagesCommand).callsFake((input: { ImageIds?: string[] }) =>
        input.ImageIds !== undefined ? { Images: [IMAGES[0] as Image] } : { Images: [IMAGES[0] as Image, IMAGES[1] as Image] },
      );
      ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
      ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [] });
      ec2Mock.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-u1', VolumeSize: 8, FullSnapshotSizeInBytes: 4 * GIB }] });
    }

    it('changed when a launch configuration now names it (every page read again)', async () => {
      const s = await scanned('ami-unused');
      mockRecheck();
      expect((await handler.recheck(ctx(), s)).status).toBe('unchanged');
      asMock.on(DescribeLaunchConfigurationsCommand).callsFake((input: { NextToken?: string }) =>
        input.NextToken === 'p2' ? { LaunchConfigurations: [lc('b', 'ami-unused')] } : { LaunchConfigurations: [lc('a', 'ami-x')], NextToken: 'p2' },
      );
      expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'changed', reason: 'Named by an Auto Scaling launch configuration' });
    });

    it('protected when launch configurations cannot be read (denied, or no client): the delete does not go ahead', async () => {
      const s = await scanned('ami-unused');
      mockRecheck();
      asMock.on(DescribeLaunchConfigurationsCommand).rejects(asError('AccessDenied'));
      expect(await handler.recheck(ctx(), s)).toMatchObject({
        status: 'protected',
        reason: LC_REASON('autoscaling:DescribeLaunchConfigurations denied'),
      });
      expect(await handler.recheck(handlerContext(), s)).toMatchObject({
        status: 'protected',
        reason: LC_REASON('no Auto Scaling client for this region'),
      });
    });
  });
});
