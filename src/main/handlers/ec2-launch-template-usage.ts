/**
 * Which AMIs the region's launch templates name, in ANY version: an Auto Scaling group, an EC2 fleet or a
 * RunInstances call can launch a specific version number, so an AMI named only by an old version is still in use.
 *
 * DescribeLaunchTemplateVersions has no "all versions of all templates" form: without a template id it returns only
 * the `$Latest` and `$Default` version of every template. That answer is used only where it provably holds every
 * version the template has, so the result is the same as asking each template for all its versions:
 *   - every version number of a template lies in 1..LatestVersionNumber (numbers start at 1 and only grow), and a
 *     version's data never changes once created;
 *   - so a template whose batched answer holds every number in 1..max(LatestVersionNumber as listed, the highest
 *     number in the answer) is complete: one version (latest 1), or two with the older as default (latest 2,
 *     default 1). A number missing (a version in the middle, a default that is not 1, a version created or a
 *     template deleted meanwhile) sends that template to its own all-versions call, as before.
 *   - the batched call failing for any reason sends every template to its own call (the old path, old errors).
 * Calls per region: DescribeLaunchTemplates pages + the batched pages (only when the templates it can cover
 * outnumber its pages) + one call (or more pages) per template it does not cover.
 */
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { awsErrorCode } from '../aws/errors';
import { clampPageSize } from './ec2-common';
import type { HandlerContext } from './handler';

/** A launch template version whose AMI is chosen at launch time (`resolve:ssm:…`), so no AMI id is known. */
export interface UnresolvedImageRef {
  launchTemplateId: string;
  version: number | null;
  imageRef: string;
}

export interface LaunchTemplateImageUsage {
  /** AMI ids named by any version (not only the latest or default) of any launch template in the region. */
  imageIds: Set<string>;
  /** How many versions name their AMI through an SSM parameter, and the first one (for the reason shown). */
  unresolvedCount: number;
  firstUnresolved: UnresolvedImageRef | null;
}

interface ListedTemplate {
  id: string;
  /** LatestVersionNumber and DefaultVersionNumber as DescribeLaunchTemplates gave them (null when absent). */
  latest: number | null;
  default: number | null;
}

/** A version as kept between the calls: its number and its ImageId field only. */
interface VersionRef {
  version: number | null;
  imageRef: string | undefined;
}

/**
 * Whether the batched answer ($Latest and $Default) can hold every version, by the listing: one version, or two with
 * the older as default. (The answer itself is checked again: the listing may be stale.)
 */
function batchCanCover(t: ListedTemplate): boolean {
  return t.latest === 1 || (t.latest === 2 && t.default === 1);
}

/** Whether the batched versions of one template are all the versions it has (see the top of this file). */
export function coversAllVersions(listedLatest: number, versions: readonly VersionRef[]): boolean {
  const numbers = new Set<number>();
  for (const v of versions) {
    if (v.version === null || !Number.isInteger(v.version) || v.version < 1) return false;
    numbers.add(v.version);
  }
  const highest = Math.max(listedLatest, ...numbers);
  for (let n = 1; n <= highest; n++) if (!numbers.has(n)) return false;
  return true;
}

/**
 * Every version of every launch template in the region (DescribeLaunchTemplates 1–200; then one paged
 * `$Latest,$Default` call for all templates and DescribeLaunchTemplateVersions per template it does not cover, 1–200).
 * Versions are read without `ResolveAlias`: an SSM parameter can point at another AMI tomorrow, so what it resolves
 * to today does not prove the others unused.
 */
export async function loadLaunchTemplateImageUsage(ctx: HandlerContext): Promise<LaunchTemplateImageUsage> {
  const usage: LaunchTemplateImageUsage = { imageIds: new Set(), unresolvedCount: 0, firstUnresolved: null };
  const templates: ListedTemplate[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.client(EC2Client).send(
      new DescribeLaunchTemplatesCommand({ MaxResults: clampPageSize(ctx.pageSize, 1, 200), NextToken: token }),
      { abortSignal: ctx.signal },
    );
    for (const t of out.LaunchTemplates ?? []) {
      if (t.LaunchTemplateId === undefined) continue;
      templates.push({ id: t.LaunchTemplateId, latest: t.LatestVersionNumber ?? null, default: t.DefaultVersionNumber ?? null });
    }
    token = out.NextToken;
  } while (token);

  const candidates = new Set(templates.filter(batchCanCover).map((t) => t.id));
  // The batched answer has up to two rows per template, covered or not: ask it only when the calls it saves (one per
  // covered template) outnumber its own pages, so it never costs more calls than asking each template.
  const batchedPages = Math.ceil((2 * templates.length) / clampPageSize(ctx.pageSize, 1, 200));
  const batched = candidates.size > batchedPages ? await latestAndDefaultVersions(ctx, candidates) : null;
  // In listing order, as before: the first SSM-named version found is the one the reason names.
  for (const t of templates) {
    const versions = batched?.get(t.id);
    if (versions !== undefined && t.latest !== null && coversAllVersions(t.latest, versions)) {
      addVersions(usage, t.id, versions);
    } else {
      await addTemplateVersions(ctx, t.id, usage);
    }
  }
  return usage;
}

/**
 * `$Latest` and `$Default` of every template in the region, kept for the wanted templates only, each template's
 * versions once and in ascending order (as its own all-versions call gives them). Null when the call fails: every
 * template is then asked on its own, with that path's error handling.
 */
async function latestAndDefaultVersions(ctx: HandlerContext, wanted: ReadonlySet<string>): Promise<Map<string, VersionRef[]> | null> {
  const byTemplate = new Map<string, Map<number | null, VersionRef>>();
  let token: string | undefined;
  try {
    do {
      const out = await ctx.client(EC2Client).send(
        new DescribeLaunchTemplateVersionsCommand({
          Versions: ['$Latest', '$Default'],
          MaxResults: clampPageSize(ctx.pageSize, 1, 200),
          NextToken: token,
        }),
        { abortSignal: ctx.signal },
      );
      for (const v of out.LaunchTemplateVersions ?? []) {
        if (v.LaunchTemplateId === undefined || !wanted.has(v.LaunchTemplateId)) continue;
        let versions = byTemplate.get(v.LaunchTemplateId);
        if (versions === undefined) byTemplate.set(v.LaunchTemplateId, (versions = new Map()));
        const ref = toVersionRef(v);
        versions.set(ref.version, ref);
      }
      token = out.NextToken;
    } while (token);
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    return null;
  }
  const out = new Map<string, VersionRef[]>();
  for (const [id, versions] of byTemplate) out.set(id, [...versions.values()].sort((a, b) => (a.version ?? 0) - (b.version ?? 0)));
  return out;
}

function toVersionRef(v: LaunchTemplateVersion): VersionRef {
  return { version: v.VersionNumber ?? null, imageRef: v.LaunchTemplateData?.ImageId };
}

function addVersions(usage: LaunchTemplateImageUsage, launchTemplateId: string, versions: readonly VersionRef[]): void {
  for (const v of versions) {
    const ref = v.imageRef?.trim();
    if (ref === undefined || ref === '') continue;
    if (ref.startsWith('ami-')) {
      usage.imageIds.add(ref);
    } else {
      // `resolve:ssm:…` (or anything else that is not an AMI id): the AMI is chosen at launch time.
      usage.unresolvedCount += 1;
      usage.firstUnresolved ??= { launchTemplateId, version: v.version, imageRef: ref };
    }
  }
}

/** All versions of one template (paged 1–200). A template deleted since the listing references nothing any more. */
async function addTemplateVersions(ctx: HandlerContext, launchTemplateId: string, usage: LaunchTemplateImageUsage): Promise<void> {
  let token: string | undefined;
  do {
    let out;
    try {
      out = await ctx.client(EC2Client).send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: launchTemplateId,
          MaxResults: clampPageSize(ctx.pageSize, 1, 200),
          NextToken: token,
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      if (awsErrorCode(err) === 'InvalidLaunchTemplateId.NotFound') return;
      throw err;
    }
    addVersions(usage, launchTemplateId, (out.LaunchTemplateVersions ?? []).map(toVersionRef));
    token = out.NextToken;
  } while (token);
}
