/**
 * Launch templates' AMIs against the simulator: the batched `$Latest,$Default` call replaces the per-template call
 * only for templates it provably covers, so the AMIs in use (and the SSM-named versions) are exactly what asking every
 * template for all its versions gives — an AMI named only by an old or a middle version stays in use — with fewer
 * DescribeLaunchTemplateVersions calls.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { AccountFixture, LaunchTemplateFixture } from '../../../e2e/aws-sim/fixture';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { unusedImagesHandler } from './ec2-images-unused';
import { loadLaunchTemplateImageUsage, type LaunchTemplateImageUsage } from './ec2-launch-template-usage';
import type { HandlerContext } from './handler';
import { kindContext, scanAll } from './sim-kind-harness';

const R = 'us-east-1';
const SSM_REGION = 'eu-west-1';
const ami = (n: number): string => `ami-0a10000000000000${n}`;
const lt = (n: number, versions: [number, string][], defaultVersion = 1): LaunchTemplateFixture => ({
  id: `lt-0a10000000000000${n}`,
  name: `lt-${n}`,
  defaultVersion,
  versions: versions.map(([number, imageId]) => ({ number, imageId })),
});

const TEMPLATES: LaunchTemplateFixture[] = [
  // One version each: the batched answer holds it.
  lt(1, [[1, ami(1)]]),
  lt(2, [[1, ami(1)]]),
  lt(3, [[1, ami(9)]]),
  lt(4, [[1, ami(1)]]),
  // Two versions, the older the default: both in the batched answer.
  lt(5, [[1, ami(2)], [2, ami(3)]], 1),
  // Two versions, the newer the default: version 1 (ami 4, named nowhere else) is in no batched answer.
  lt(6, [[1, ami(4)], [2, ami(3)]], 2),
  // Three versions: the middle one (ami 6) is neither latest nor default.
  lt(7, [[1, ami(5)], [2, ami(6)], [3, ami(3)]], 3),
  // Version 2 deleted: latest 3, default 1; version 1 is in the batched answer, yet the template is asked on its own.
  lt(8, [[1, ami(7)], [3, ami(1)]], 1),
];

const FIXTURE: AccountFixture = {
  accountId: '111122223333',
  regions: [{ name: R }, { name: SSM_REGION }],
  resources: {
    [R]: {
      images: Array.from({ length: 9 }, (_, i) => ({ id: ami(i + 1), name: `img-${i + 1}`, createdDaysAgo: 100 })),
      launchTemplates: TEMPLATES,
    },
    [SSM_REGION]: {
      launchTemplates: [
        lt(1, [[1, 'resolve:ssm:/golden/one']]),
        lt(2, [[1, ami(1)], [2, 'resolve:ssm:/golden/two']], 1),
        lt(3, [[1, 'resolve:ssm:/golden/three'], [2, ami(2)], [3, 'resolve:ssm:/golden/four']], 2),
      ],
    },
  },
};

/** The reference: every template asked for all its versions, one by one (what the loader did before the batching). */
async function everyVersionOneByOne(ctx: HandlerContext): Promise<LaunchTemplateImageUsage> {
  const ec2 = ctx.client(EC2Client);
  const usage: LaunchTemplateImageUsage = { imageIds: new Set(), unresolvedCount: 0, firstUnresolved: null };
  const templates = (await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
  for (const t of templates) {
    const versions = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: t.LaunchTemplateId }))).LaunchTemplateVersions ?? [];
    for (const v of versions) {
      const ref = v.LaunchTemplateData?.ImageId?.trim();
      if (ref === undefined || ref === '') continue;
      if (ref.startsWith('ami-')) usage.imageIds.add(ref);
      else {
        usage.unresolvedCount += 1;
        usage.firstUnresolved ??= { launchTemplateId: t.LaunchTemplateId!, version: v.VersionNumber ?? null, imageRef: ref };
      }
    }
  }
  return usage;
}

const sorted = (u: LaunchTemplateImageUsage) => ({ ...u, imageIds: [...u.imageIds].sort() });

let s: SimSession;
beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE });
});
afterAll(async () => s.close());
beforeEach(() => s.sim.resetCounts());

const ctxIn = (region: string, over: Partial<HandlerContext> = {}): HandlerContext =>
  kindContext(s, region, { accountId: s.accountId, prices: null, now: new Date('2026-12-01T00:00:00Z'), ...over });

/** DescribeLaunchTemplates / DescribeLaunchTemplateVersions requests since the last reset. */
function templateCalls(): { list: number; versions: number } {
  const ops = s.sim.counts().byOperation;
  return { list: ops['ec2:DescribeLaunchTemplates'] ?? 0, versions: ops['ec2:DescribeLaunchTemplateVersions'] ?? 0 };
}

describe('loadLaunchTemplateImageUsage against the simulator', () => {
  it('gives what asking every template for all its versions gives, with one batched call instead of 5 per-template ones', async () => {
    const reference = await everyVersionOneByOne(ctxIn(R));
    expect(templateCalls()).toEqual({ list: 1, versions: 8 });
    s.sim.resetCounts();

    const usage = await loadLaunchTemplateImageUsage(ctxIn(R));
    expect(sorted(usage)).toEqual(sorted(reference));
    // The old (ami 4), middle (ami 6) and default-but-older (ami 2) versions' AMIs are there; ami 8 is named nowhere.
    expect([...usage.imageIds].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 9].map(ami));
    // Templates 1–5 come from one batched page; 6, 7 and 8 are asked on their own.
    expect(templateCalls()).toEqual({ list: 1, versions: 1 + 3 });
  });

  it('counts and names SSM-picked versions as before (batched or not)', async () => {
    const reference = await everyVersionOneByOne(ctxIn(SSM_REGION));
    const usage = await loadLaunchTemplateImageUsage(ctxIn(SSM_REGION));
    expect(sorted(usage)).toEqual(sorted(reference));
    expect(usage.unresolvedCount).toBe(4);
    expect(usage.firstUnresolved).toEqual({ launchTemplateId: 'lt-0a100000000000001', version: 1, imageRef: 'resolve:ssm:/golden/one' });
  });

  it('small pages: the batched call would take more pages than it saves, so every template is asked on its own', async () => {
    const usage = await loadLaunchTemplateImageUsage(ctxIn(R, { pageSize: 1 }));
    expect([...usage.imageIds].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 9].map(ami));
    // 8 templates, one version per page: 1+1+1+1 + 2 + 2 + 3 + 2 pages; the listing 8 pages (+0: the last has no token).
    expect(templateCalls()).toEqual({ list: 8, versions: 13 });
  });
});

describe('the AMI kind with launch templates', () => {
  it('only the AMI no version of any template names is unused', async () => {
    const findings = await scanAll(unusedImagesHandler, ctxIn(R));
    expect(findings.map((f) => f.resourceId).sort()).toEqual(Array.from({ length: 9 }, (_, i) => ami(i + 1)));
    expect(findings.filter((f) => f.unused).map((f) => f.resourceId)).toEqual([ami(8)]);
    const why = (id: string): string | null | undefined => findings.find((f) => f.resourceId === id)?.unusedReason;
    expect(why(ami(8))).toBeTruthy();
    for (const id of [ami(2), ami(4), ami(6)]) expect(findings.find((f) => f.resourceId === id)?.unused).toBe(false);
    expect(templateCalls()).toEqual({ list: 1, versions: 1 + 3 });
  });
});
