import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import type { DescribeLaunchTemplateVersionsCommandInput, LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { coversAllVersions, loadLaunchTemplateImageUsage } from './ec2-launch-template-usage';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { HandlerContext } from './handler';
import { testClients } from './test-support';

const ec2Mock = mockClient(EC2Client);

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

const v = (id: string, n: number, imageId: string): LaunchTemplateVersion => ({
  LaunchTemplateId: id,
  VersionNumber: n,
  LaunchTemplateData: { ImageId: imageId },
});

/** Who asked DescribeLaunchTemplateVersions how: 'batched' (no template) or the template id. */
function versionCalls(): string[] {
  return ec2Mock
    .commandCalls(DescribeLaunchTemplateVersionsCommand)
    .map((c) => (c.args[0].input as DescribeLaunchTemplateVersionsCommandInput).LaunchTemplateId ?? 'batched');
}

beforeEach(() => ec2Mock.reset());

describe('coversAllVersions', () => {
  it('holds only when every number from 1 to the highest (listed or answered) is there', () => {
    const refs = (...ns: (number | null)[]) => ns.map((version) => ({ version, imageRef: 'ami-1' }));
    expect(coversAllVersions(1, refs(1))).toBe(true);
    expect(coversAllVersions(2, refs(2, 1))).toBe(true);
    expect(coversAllVersions(2, refs(2))).toBe(false); // default 2: version 1 may exist
    expect(coversAllVersions(1, refs(2, 1))).toBe(true); // a version 2 created meanwhile, both answered
    expect(coversAllVersions(2, refs(3, 1))).toBe(false); // version 3 created meanwhile: version 2 unseen
    expect(coversAllVersions(2, refs(1))).toBe(false); // listed latest 2 not answered
    expect(coversAllVersions(1, refs(null))).toBe(false);
    expect(coversAllVersions(1, [])).toBe(false); // deleted meanwhile: its own call says so
  });
});

describe('loadLaunchTemplateImageUsage (batched $Latest,$Default)', () => {
  it('a version created after the listing sends its template to its own all-versions call', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [
        { LaunchTemplateId: 'lt-1', LatestVersionNumber: 1, DefaultVersionNumber: 1 },
        { LaunchTemplateId: 'lt-2', LatestVersionNumber: 2, DefaultVersionNumber: 1 },
      ],
    });
    // Meanwhile lt-2 got version 3: the batched answer has 3 and 1, not 2.
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { Versions: ['$Latest', '$Default'] }).resolves({
      LaunchTemplateVersions: [v('lt-1', 1, 'ami-a'), v('lt-2', 3, 'ami-c'), v('lt-2', 1, 'ami-x'), v('lt-unlisted', 1, 'ami-new')],
    });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-2' }).resolves({
      LaunchTemplateVersions: [v('lt-2', 1, 'ami-x'), v('lt-2', 2, 'ami-only-v2'), v('lt-2', 3, 'ami-c')],
    });
    const u = await loadLaunchTemplateImageUsage(ctx());
    expect([...u.imageIds].sort()).toEqual(['ami-a', 'ami-c', 'ami-only-v2', 'ami-x']);
    expect(versionCalls()).toEqual(['batched', 'lt-2']);
  });

  it('the batched call failing falls back to every template on its own (same answer)', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [
        { LaunchTemplateId: 'lt-1', LatestVersionNumber: 1, DefaultVersionNumber: 1 },
        { LaunchTemplateId: 'lt-2', LatestVersionNumber: 1, DefaultVersionNumber: 1 },
      ],
    });
    ec2Mock
      .on(DescribeLaunchTemplateVersionsCommand, { Versions: ['$Latest', '$Default'] })
      .rejects(new EC2ServiceException({ name: 'InvalidParameterValue', $fault: 'client', $metadata: {}, message: 'no' }));
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-1' }).resolves({ LaunchTemplateVersions: [v('lt-1', 1, 'ami-a')] });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-2' }).resolves({ LaunchTemplateVersions: [v('lt-2', 1, 'ami-b')] });
    const u = await loadLaunchTemplateImageUsage(ctx());
    expect([...u.imageIds].sort()).toEqual(['ami-a', 'ami-b']);
    expect(versionCalls()).toEqual(['batched', 'lt-1', 'lt-2']);
  });

  it('one version answered as both $Latest and $Default counts once; listing order names the first SSM version', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [
        { LaunchTemplateId: 'lt-multi', LatestVersionNumber: 4, DefaultVersionNumber: 4 },
        { LaunchTemplateId: 'lt-1', LatestVersionNumber: 1, DefaultVersionNumber: 1 },
        { LaunchTemplateId: 'lt-2', LatestVersionNumber: 1, DefaultVersionNumber: 1 },
      ],
    });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { Versions: ['$Latest', '$Default'] }).resolves({
      LaunchTemplateVersions: [v('lt-1', 1, 'resolve:ssm:/one'), v('lt-1', 1, 'resolve:ssm:/one'), v('lt-2', 1, 'ami-b'), v('lt-multi', 4, 'ami-m4')],
    });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-multi' }).resolves({
      LaunchTemplateVersions: [v('lt-multi', 2, 'resolve:ssm:/multi'), v('lt-multi', 4, 'ami-m4')],
    });
    const u = await loadLaunchTemplateImageUsage(ctx());
    expect([...u.imageIds].sort()).toEqual(['ami-b', 'ami-m4']);
    expect(u.unresolvedCount).toBe(2);
    expect(u.firstUnresolved).toEqual({ launchTemplateId: 'lt-multi', version: 2, imageRef: 'resolve:ssm:/multi' });
    expect(versionCalls()).toEqual(['batched', 'lt-multi']);
  });

  it('no batched call when it could cover too few templates to pay for its page', async () => {
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({
      LaunchTemplates: [
        { LaunchTemplateId: 'lt-1', LatestVersionNumber: 1, DefaultVersionNumber: 1 },
        { LaunchTemplateId: 'lt-2', LatestVersionNumber: 2, DefaultVersionNumber: 2 },
      ],
    });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-1' }).resolves({ LaunchTemplateVersions: [v('lt-1', 1, 'ami-a')] });
    ec2Mock.on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-2' }).resolves({
      LaunchTemplateVersions: [v('lt-2', 1, 'ami-old'), v('lt-2', 2, 'ami-b')],
    });
    const u = await loadLaunchTemplateImageUsage(ctx());
    expect([...u.imageIds].sort()).toEqual(['ami-a', 'ami-b', 'ami-old']);
    expect(versionCalls()).toEqual(['lt-1', 'lt-2']);
  });
});
