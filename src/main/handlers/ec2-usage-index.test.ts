import {
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  describeSnapshotFacts,
  instanceStateUsesImage,
  loadLaunchTemplateImageUsage,
  managedByPolicyReason,
  recheckVerdict,
} from './ec2-usage-index';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import { testClients } from './test-support';
import type { Finding, HandlerContext, StoredFinding } from './handler';

const ec2Mock = mockClient(EC2Client);

function awsError(code: string): EC2ServiceException {
  return new EC2ServiceException({ name: code, $fault: 'client', $metadata: {}, message: code });
}

function ctx(): HandlerContext {
  return {
    region: 'eu-west-1',
    accountId: '111122223333',
    client: testClients([EC2Client], 'eu-west-1'),
    prices: null,
    settings: DEFAULT_HANDLER_SETTINGS,
    now: new Date('2026-06-01T00:00:00Z'),
  };
}

beforeEach(() => ec2Mock.reset());

describe('loadLaunchTemplateImageUsage', () => {
  it('reads all versions of every template, skips a template deleted meanwhile, counts SSM references', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [{ LaunchTemplateId: 'lt-gone' }, { LaunchTemplateId: 'lt-2' }],
    });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-gone' }).rejects(
      awsError('InvalidLaunchTemplateId.NotFound'),
    );
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-2' }).resolves({
      LaunchTemplateVersions: [
        { VersionNumber: 1, LaunchTemplateData: { ImageId: 'ami-1' } },
        { VersionNumber: 2, LaunchTemplateData: { ImageId: 'resolve:ssm:/a' } },
        { VersionNumber: 3, LaunchTemplateData: { ImageId: 'resolve:ssm:/b' } },
        { VersionNumber: 4, LaunchTemplateData: {} },
      ],
    });
    const u = await loadLaunchTemplateImageUsage(ctx());
    expect([...u.imageIds]).toEqual(['ami-1']);
    expect(u.unresolvedCount).toBe(2);
    expect(u.firstUnresolved).toEqual({ launchTemplateId: 'lt-2', version: 2, imageRef: 'resolve:ssm:/a' });
  });

  it('other errors propagate (never read as "no launch template uses it")', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [{ LaunchTemplateId: 'lt-1' }] });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand).rejects(awsError('UnauthorizedOperation'));
    await expect(loadLaunchTemplateImageUsage(ctx())).rejects.toThrow('UnauthorizedOperation');
  });
});

describe('describeSnapshotFacts', () => {
  it('batches explicit ids by 100; a batch with a vanished id is asked one by one, so the others keep their facts', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `snap-${i}`);
    ec2Mock.on(DescribeSnapshotsCommand).callsFake((input: { SnapshotIds: string[] }) => {
      if (input.SnapshotIds.length === 100) throw awsError('InvalidSnapshot.NotFound');
      return { Snapshots: input.SnapshotIds.map((id) => ({ SnapshotId: id, VolumeSize: 1, StorageTier: 'archive' })) };
    });
    const facts = await describeSnapshotFacts(ctx(), [...ids, 'snap-0']);
    expect(ec2Mock.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input.SnapshotIds?.length)).toEqual([
      100,
      ...Array.from({ length: 100 }, () => 1),
      50,
    ]);
    expect(facts.size).toBe(150);
    expect(facts.get('snap-149')).toEqual({ volumeSizeGiB: 1, fullSnapshotSizeBytes: null, storageTier: 'archive', tags: {}, description: null });
  });
});

describe('small rules', () => {
  it('instance states: shutting-down and terminated do not use an AMI', () => {
    expect(['pending', 'running', 'stopping', 'stopped'].every(instanceStateUsesImage)).toBe(true);
    expect(instanceStateUsesImage('shutting-down')).toBe(false);
    expect(instanceStateUsesImage('terminated')).toBe(false);
  });

  it('policy-managed markers: AWS Backup tag or description, DLM tags', () => {
    expect(managedByPolicyReason({})).toBeNull();
    expect(managedByPolicyReason({ 'aws:dlm:lifecycle-schedule-name': 'daily' })).toContain('Data Lifecycle Manager');
    expect(managedByPolicyReason({}, 'This snapshot is created by the AWS Backup service.')).toContain('AWS Backup');
  });

  it('recheckVerdict: state change and lifted protection are changes', () => {
    const f: Finding = {
      resourceType: 'ec2:snapshot', resourceId: 'snap-1', region: 'eu-west-1', name: null, state: 'completed',
      tags: {}, createdAt: null, unused: true, unusedReason: 'x', unusedSince: null, monthlyCost: null,
      costBasis: '', protected: false, protectedReason: null, details: {},
    };
    const s: StoredFinding = { ...f, id: 1 };
    expect(recheckVerdict(s, f, null).status).toBe('unchanged');
    expect(recheckVerdict(s, { ...f, state: 'error' }, null)).toMatchObject({
      status: 'changed',
      reason: 'State changed from completed to error',
    });
    expect(recheckVerdict({ ...s, protected: true }, f, null).status).toBe('changed');
    expect(recheckVerdict(s, { ...f, unused: false }, 'Used by AMI ami-1')).toMatchObject({ reason: 'Used by AMI ami-1' });
  });
});
