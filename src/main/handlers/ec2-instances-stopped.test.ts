import {
  DescribeAddressesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { Instance, Volume } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseUserStopTime, stoppedInstancesHandler as handler } from './ec2-instances-stopped';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import { applyParts, itemSavings, partsOf } from './parts';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { awsError, collectPages, ec2Mock, handlerContext as ctx, KEEP, recordingDeleteContext as deleteCtx } from './test-support';

const scanAll = (c: HandlerContext): Promise<Finding[][]> => collectPages(handler.scan(c));

function instance(id: string, state: string, reason: string, over: Partial<Instance> = {}): Instance {
  return {
    InstanceId: id,
    InstanceType: 't3.micro',
    ImageId: 'ami-1',
    LaunchTime: new Date('2026-03-01T00:00:00Z'),
    State: { Name: state as NonNullable<Instance['State']>['Name'] },
    StateTransitionReason: reason,
    BlockDeviceMappings: [],
    ...over,
  };
}

const oldStopped = instance('i-old', 'stopped', 'User initiated (2026-04-01 10:00:00 GMT)', {
  BlockDeviceMappings: [
    { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root', DeleteOnTermination: true } },
    { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-data', DeleteOnTermination: false } },
  ],
  NetworkInterfaces: [{ Attachment: { DeviceIndex: 0, AttachTime: new Date('2025-12-01T00:00:00Z') } }],
});
const volumes: Volume[] = [
  { VolumeId: 'vol-root', VolumeType: 'gp3', Size: 100, Iops: 3000, Throughput: 125 },
  { VolumeId: 'vol-data', VolumeType: 'gp2', Size: 50 },
];

/** Default mocks: one page of instances, their volumes, one Elastic IP on i-old, no termination protection. */
function mockWorld(instances: Instance[], opts: { protectedIds?: string[] } = {}): void {
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
  ec2Mock.on(DescribeVolumesCommand).callsFake((input: { VolumeIds?: string[] }) => ({
    Volumes: volumes.filter((v) => input.VolumeIds?.includes(v.VolumeId ?? '')),
  }));
  ec2Mock.on(DescribeAddressesCommand).resolves({
    Addresses: [
      { AllocationId: 'eipalloc-1', PublicIp: '3.3.3.3', InstanceId: 'i-old', AssociationId: 'eipassoc-1' },
    ],
  });
  ec2Mock.on(DescribeInstanceAttributeCommand).callsFake((input: { InstanceId: string }) => ({
    InstanceId: input.InstanceId,
    DisableApiTermination: { Value: opts.protectedIds?.includes(input.InstanceId) ?? false },
  }));
}

function stored(f: Finding | undefined): StoredFinding {
  if (f === undefined) throw new Error('no finding');
  return { ...f, id: 1 };
}

async function scanOne(i: Instance, opts: { protectedIds?: string[] } = {}): Promise<Finding> {
  mockWorld([i], opts);
  const [page] = await scanAll(ctx());
  const f = page?.[0];
  if (f === undefined) throw new Error('no finding');
  return f;
}

beforeEach(() => {
  ec2Mock.reset();
});

describe('parseUserStopTime', () => {
  it('reads GMT, UTC and a missing seconds part; rejects everything else', () => {
    expect(parseUserStopTime('User initiated (2019-09-12 16:38:34 GMT)')?.toISOString()).toBe('2019-09-12T16:38:34.000Z');
    expect(parseUserStopTime('User initiated (2019-09-12 16:38:34 UTC)')?.toISOString()).toBe('2019-09-12T16:38:34.000Z');
    expect(parseUserStopTime('User initiated (2019-09-12 16:38 GMT)')?.toISOString()).toBe('2019-09-12T16:38:00.000Z');
    expect(parseUserStopTime('')).toBeNull();
    expect(parseUserStopTime(undefined)).toBeNull();
    expect(parseUserStopTime('User initiated')).toBeNull();
    expect(parseUserStopTime('Server.ScheduledStop: Stopped due to scheduled retirement')).toBeNull();
    expect(parseUserStopTime('Server initiated (2019-09-12 16:38:34 GMT)')).toBeNull();
    expect(parseUserStopTime('User initiated (2019-02-31 16:38:34 GMT)')).toBeNull();
  });
});

describe('stopped instances: scan', () => {
  it('flags an instance the user stopped more than N days ago, priced as its volumes plus its Elastic IP', async () => {
    const f = await scanOne(oldStopped);
    expect(f).toMatchObject({
      resourceType: 'ec2:instance',
      resourceId: 'i-old',
      state: 'stopped',
      unused: true,
      unusedReason: 'Stopped by the user 60 days ago',
      unusedSince: '2026-04-01T10:00:00.000Z',
      createdAt: '2025-12-01T00:00:00.000Z',
      protected: false,
    });
    // 100 GiB gp3 at baseline ($8) + 50 GiB gp2 ($5) + public IPv4 ($3.65); no compute.
    expect(f.monthlyCost).toBeCloseTo(16.65, 6);
    expect(f.costBasis).toBe(
      'vol-root gp3 100 GiB × $0.08 + vol-data gp2 50 GiB × $0.10 + Elastic IP 3.3.3.3 public IPv4 730 h × $0.005; ' +
        'no compute while stopped (us-east-1)',
    );
    expect(f.details).toEqual({
      instanceType: 't3.micro',
      launchTime: '2026-03-01T00:00:00.000Z',
      stateTransitionReason: 'User initiated (2026-04-01 10:00:00 GMT)',
      stopTime: '2026-04-01T10:00:00.000Z',
      stopTimeKnown: true,
      // Not read by the scan (one call per instance): read for the items of a plan and at the re-check.
      terminationProtection: null,
      volumes: [
        { volumeId: 'vol-root', deviceName: '/dev/xvda', sizeGiB: 100, volumeType: 'gp3', deleteOnTermination: true, monthlyCost: 8, costBasis: 'gp3 100 GiB × $0.08 (us-east-1)', tags: {} },
        { volumeId: 'vol-data', deviceName: '/dev/sdf', sizeGiB: 50, volumeType: 'gp2', deleteOnTermination: false, monthlyCost: 5, costBasis: 'gp2 50 GiB × $0.10 (us-east-1)', tags: {} },
      ],
      elasticIps: [{ allocationId: 'eipalloc-1', publicIp: '3.3.3.3', monthlyCost: 3.65, costBasis: 'public IPv4 730 h × $0.005 (us-east-1)', tags: {} }],
      imageId: 'ami-1',
      // DescribeInstances said nothing (this mock): unknown, never guessed.
      rootDeviceType: null,
      // What an image made before termination keeps billing, at most: every volume at the us-east-1 snapshot price.
      imageMonthlyCost: 7.5,
      imageCostBasis:
        'At most 100 + 50 = 150 GiB of volumes × $0.05 standard snapshot storage (snapshots hold only the used blocks, compressed: usually less) (us-east-1)',
    });
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)[0]?.args[0].input).toEqual({ VolumeIds: ['vol-root', 'vol-data'] });
    expect(ec2Mock.commandCalls(DescribeInstanceAttributeCommand)).toHaveLength(0);
  });

  it('the UTC variant is parsed and flagged', async () => {
    const f = await scanOne(instance('i-utc', 'stopped', 'User initiated (2026-04-01 10:00:00 UTC)'));
    expect(f).toMatchObject({ unused: true, unusedSince: '2026-04-01T10:00:00.000Z' });
  });

  it('no stop timestamp → unknown age, never flagged as old', async () => {
    for (const reason of ['', 'Server.ScheduledStop: Stopped due to scheduled retirement', 'User initiated']) {
      const f = await scanOne(instance('i-unknown', 'stopped', reason));
      expect(f).toMatchObject({ state: 'stopped', unused: false, unusedReason: null, unusedSince: null });
      expect(f.details).toMatchObject({ stopTime: null, stopTimeKnown: false });
      // Still priced: a stopped instance keeps billing for its storage.
      expect(f.monthlyCost).toBe(0);
    }
  });

  it('stopped less than N days ago → not flagged, the stop time kept', async () => {
    const f = await scanOne(instance('i-recent', 'stopped', 'User initiated (2026-05-20 10:00:00 GMT)'));
    expect(f).toMatchObject({ unused: false, unusedReason: null, unusedSince: null });
    expect(f.details).toMatchObject({ stopTime: '2026-05-20T10:00:00.000Z', stopTimeKnown: true });
    const custom = ctx({ settings: { ...DEFAULT_HANDLER_SETTINGS, stoppedInstanceDays: 7 } });
    const [page] = await scanAll(custom);
    expect(page?.[0]?.unused).toBe(true);
  });

  it('running instances are reported as used and not priced', async () => {
    mockWorld([instance('i-run', 'running', ''), instance('i-gone', 'terminated', '')]);
    const [page] = await scanAll(ctx());
    expect(page).toHaveLength(1);
    expect(page?.[0]).toMatchObject({ resourceId: 'i-run', state: 'running', unused: false, monthlyCost: null });
    // Nothing stopped: no volume or attribute look-ups.
    expect(ec2Mock.commandCalls(DescribeVolumesCommand)).toHaveLength(0);
    expect(ec2Mock.commandCalls(DescribeInstanceAttributeCommand)).toHaveLength(0);
  });

  it('an unpriceable volume makes the total unknown and says which', async () => {
    volumes.push({ VolumeId: 'vol-odd', VolumeType: 'gp9' as Volume['VolumeType'], Size: 10 });
    try {
      const f = await scanOne(
        instance('i-odd', 'stopped', 'User initiated (2026-01-01 00:00:00 GMT)', {
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-root' } },
            { DeviceName: '/dev/sdg', Ebs: { VolumeId: 'vol-odd' } },
          ],
        }),
      );
      expect(f.monthlyCost).toBeNull();
      expect(f.costBasis).toMatch(/^Cost unknown: vol-odd: .*gp9/);
      expect(f.costBasis).toContain('vol-root gp3 100 GiB × $0.08');
    } finally {
      volumes.pop();
    }
  });

  it('no prices for the region → cost unknown', async () => {
    mockWorld([oldStopped]);
    const [page] = await scanAll(ctx({ prices: null }));
    expect(page?.[0]?.monthlyCost).toBeNull();
    expect(page?.[0]?.costBasis).toMatch(/unknown/i);
  });

  it('the protection tag protects (still reported); the value false does not; termination protection is not read by the scan', async () => {
    const tp = await scanOne(oldStopped, { protectedIds: ['i-old'] });
    expect(tp).toMatchObject({ unused: true, protected: false, protectedReason: null });
    expect(tp?.details['terminationProtection']).toBeNull();
    expect(ec2Mock.commandCalls(DescribeInstanceAttributeCommand)).toHaveLength(0);
    const tagged = await scanOne({ ...oldStopped, Tags: [{ Key: KEEP, Value: '1' }] });
    expect(tagged).toMatchObject({ unused: true, protected: true, protectedReason: `Tagged ${KEEP}=1` });
    const falseTag = await scanOne({ ...oldStopped, Tags: [{ Key: KEEP, Value: 'false' }] });
    expect(falseTag).toMatchObject({ protected: false, protectedReason: null });
  });

  it('pages with MaxResults (5–1000) and NextToken; DescribeAddresses once per region', async () => {
    mockWorld([]);
    const inputs: Record<string, unknown>[] = [];
    const pages = [
      { Reservations: [{ Instances: [oldStopped] }], NextToken: 'n1' },
      { Reservations: [{ Instances: [instance('i-b', 'stopped', 'User initiated (2026-04-02 00:00:00 GMT)')] }], NextToken: 'n2' },
      { Reservations: [{ Instances: [instance('i-c', 'running', '')] }, { Instances: [instance('i-d', 'stopped', '')] }] },
    ];
    ec2Mock.on(DescribeInstancesCommand).callsFake((input: Record<string, unknown>) => {
      inputs.push({ ...input });
      return pages[inputs.length - 1];
    });
    const c = ctx({ pageSize: 1 });
    const got = await scanAll(c);
    expect(got.map((p) => p.map((f) => f.resourceId))).toEqual([['i-old'], ['i-b'], ['i-c', 'i-d']]);
    expect(inputs).toEqual([
      { MaxResults: 5, NextToken: undefined },
      { MaxResults: 5, NextToken: 'n1' },
      { MaxResults: 5, NextToken: 'n2' },
    ]);
    expect(ec2Mock.commandCalls(DescribeAddressesCommand)).toHaveLength(1);
    for (const call of ec2Mock.calls()) expect((call.args as unknown[])[1]).toMatchObject({ abortSignal: c.signal });
    inputs.length = 0;
    await scanAll(ctx({ pageSize: 50_000 }));
    expect(inputs[0]?.['MaxResults']).toBe(1000);
  });

  it('reads termination protection for the items of a plan, at most 8 at a time; the scan reads none', async () => {
    const many = Array.from({ length: 20 }, (_, n) => instance(`i-${n}`, 'stopped', ''));
    mockWorld(many);
    let inFlight = 0;
    let peak = 0;
    ec2Mock.on(DescribeInstanceAttributeCommand).callsFake(async (input: unknown) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return { DisableApiTermination: { Value: (input as { InstanceId: string }).InstanceId === 'i-3' } };
    });
    const [page] = await scanAll(ctx());
    expect(page).toHaveLength(20);
    expect(ec2Mock.commandCalls(DescribeInstanceAttributeCommand)).toHaveLength(0);
    const reasons = await handler.planProtection!(ctx(), (page ?? []).map(stored));
    expect([...reasons]).toEqual([['i-3', 'Termination protection is on']]);
    expect(ec2Mock.commandCalls(DescribeInstanceAttributeCommand)).toHaveLength(20);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
  });
});

describe('stopped instances: recheck', () => {
  it('unchanged when still stopped the same way, asking by explicit id', async () => {
    const s = stored(await scanOne(oldStopped));
    const r = await handler.recheck(ctx(), s);
    expect(r.status).toBe('unchanged');
    expect(ec2Mock.commandCalls(DescribeInstancesCommand)[1]?.args[0].input).toEqual({ InstanceIds: ['i-old'] });
  });

  it('changed when started', async () => {
    const s = stored(await scanOne(oldStopped));
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ ...oldStopped, State: { Name: 'running' } }] }] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({
      status: 'changed',
      reason: 'State changed from stopped to running',
    });
  });

  it('changed when started and stopped again since', async () => {
    const s = stored(await scanOne(oldStopped));
    ec2Mock.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ ...oldStopped, StateTransitionReason: 'User initiated (2026-05-30 00:00:00 GMT)' }] }],
    });
    const r = await handler.recheck(ctx(), s);
    expect(r.status).toBe('changed');
    expect(r.status === 'changed' && r.reason).toMatch(/Stop time changed/);
  });

  it('gone when NotFound, empty or terminated', async () => {
    const s = stored(await scanOne(oldStopped));
    ec2Mock.on(DescribeInstancesCommand).rejects(awsError('InvalidInstanceID.NotFound'));
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ ...oldStopped, State: { Name: 'terminated' } }] }] });
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
  });

  it('protected when termination protection or the tag is now on; the value false does not protect', async () => {
    const s = stored(await scanOne(oldStopped));
    mockWorld([oldStopped], { protectedIds: ['i-old'] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'protected', reason: 'Termination protection is on' });
    mockWorld([{ ...oldStopped, Tags: [{ Key: KEEP, Value: 'yes' }] }]);
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'protected', reason: `Tagged ${KEEP}=yes` });
    mockWorld([{ ...oldStopped, Tags: [{ Key: KEEP, Value: 'false' }] }]);
    expect((await handler.recheck(ctx(), s)).status).toBe('unchanged');
  });
});

describe('stopped instances: delete', () => {
  it('terminates through audited', async () => {
    const s = stored(await scanOne(oldStopped));
    const c = deleteCtx();
    const inside: boolean[] = [];
    ec2Mock.on(TerminateInstancesCommand).callsFake(() => {
      inside.push(c.inside());
      return {};
    });
    expect(await handler.delete(c, s, { dryRun: false })).toEqual({ kind: 'deleted', calls: ['TerminateInstances i-old'] });
    expect(ec2Mock.commandCalls(TerminateInstancesCommand)[0]?.args[0].input).toEqual({ InstanceIds: ['i-old'], DryRun: false });
    expect(c.log).toEqual([{ action: 'TerminateInstances', target: 'i-old', dryRun: false }]);
    expect(inside).toEqual([true]);
  });

  it('dry run maps DryRunOperation and UnauthorizedOperation', async () => {
    const s = stored(await scanOne(oldStopped));
    ec2Mock.on(TerminateInstancesCommand).rejects(awsError('DryRunOperation'));
    const c = deleteCtx();
    expect(await handler.delete(c, s, { dryRun: true })).toEqual({ kind: 'dry-run-ok', calls: ['TerminateInstances i-old (dry run)'] });
    expect(ec2Mock.commandCalls(TerminateInstancesCommand)[0]?.args[0].input.DryRun).toBe(true);
    expect(c.log).toEqual([{ action: 'TerminateInstances', target: 'i-old', dryRun: true }]);
    ec2Mock.on(TerminateInstancesCommand).rejects(awsError('UnauthorizedOperation', 'nope'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: true })).toEqual({
      kind: 'unauthorized',
      code: 'UnauthorizedOperation',
      message: 'nope',
    });
  });

  it('OperationNotPermitted → failed with that code (protection is never switched off)', async () => {
    const s = stored(await scanOne(oldStopped));
    ec2Mock.on(TerminateInstancesCommand).rejects(awsError('OperationNotPermitted', 'disableApiTermination'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: false })).toEqual({
      kind: 'failed',
      code: 'OperationNotPermitted',
      message: 'disableApiTermination',
    });
    expect(ec2Mock.calls().filter((c) => c.args[0].constructor.name === 'ModifyInstanceAttributeCommand')).toHaveLength(0);
  });

  it('refuses termination-protected and tagged instances without calling AWS; the value false does not protect', async () => {
    // As the re-check stores it (it reads termination protection): protected.
    const tp = stored(await handler.recheck(ctx(), stored(await scanOne(oldStopped, { protectedIds: ['i-old'] }))).then((r) => (r.status === 'protected' ? r.current : undefined)));
    const c = deleteCtx();
    expect(await handler.delete(c, tp, { dryRun: false })).toEqual({ kind: 'refused', reason: 'Termination protection is on' });
    const tagged = stored(await scanOne({ ...oldStopped, Tags: [{ Key: KEEP, Value: '' }] }));
    expect(await handler.delete(c, tagged, { dryRun: true })).toEqual({ kind: 'refused', reason: `Tagged ${KEEP}` });
    expect(ec2Mock.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    expect(c.log).toEqual([]);

    const notProtected = stored(await scanOne({ ...oldStopped, Tags: [{ Key: KEEP, Value: 'FALSE' }] }));
    ec2Mock.on(TerminateInstancesCommand).resolves({});
    expect((await handler.delete(deleteCtx(), notProtected, { dryRun: false })).kind).toBe('deleted');
  });
});

describe('stopped instances: related', () => {
  it('DeleteOnTermination volumes go with it; other volumes and Elastic IPs stay', async () => {
    const f = await scanOne(oldStopped);
    const ip = handler.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false });
    expect(ip.own).toEqual({ monthlyCost: 0, costBasis: 'No compute while stopped' });
    expect(ip.parts).toEqual([
      expect.objectContaining({ resourceType: 'ec2:volume', resourceId: 'vol-root', fate: 'deleted', monthlyCost: 8, protected: false, addable: false }),
      expect.objectContaining({ resourceType: 'ec2:volume', resourceId: 'vol-data', fate: 'kept', note: expect.stringMatching(/billing/), monthlyCost: 5, addable: true }),
      expect.objectContaining({ resourceType: 'ec2:elastic-ip', resourceId: 'eipalloc-1', fate: 'kept', note: expect.stringMatching(/3\.3\.3\.3/), monthlyCost: 3.65, addable: true }),
    ]);
    // Savings are what terminating removes: the root volume ($8), not the finding's $16.65.
    expect(itemSavings(ip)).toEqual({ savings: 8, basis: expect.stringContaining('not counted, stays: volume vol-data, Elastic IP eipalloc-1') });
    // Added to the plan, a kept part is removed too and counts.
    expect(itemSavings(partsOf(handler, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, added: ['eipalloc-1'] })).savings).toBeCloseTo(11.65, 6);
  });

  it('a kept root volume tagged to keep protects the instance (the tag key matched case-insensitively)', async () => {
    const f = await scanOne(oldStopped);
    const vols = f.details['volumes'] as { volumeId: string; tags: Record<string, string> }[];
    vols[0]!.tags = { 'Cloud-Cleaner:Keep': 'true' };
    const scanned = applyParts(handler, f, DEFAULT_HANDLER_SETTINGS, () => undefined);
    expect(scanned).toMatchObject({ protected: true, protectedReason: 'its volume vol-root is tagged Cloud-Cleaner:Keep=true' });
    // The data volume is not deleted on termination: its protection does not protect the instance.
    vols[0]!.tags = {};
    vols[1]!.tags = { 'cloud-cleaner:keep': '' };
    expect(applyParts(handler, f, DEFAULT_HANDLER_SETTINGS, () => undefined).protected).toBe(false);
  });

  it('tolerates details without lists', () => {
    expect(handler.parts({ details: {} } as Finding, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toEqual([]);
  });
});
