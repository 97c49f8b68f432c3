/**
 * Stale ECR images (AWS-FACTS-BEYOND-EC2.md, kind 14; Thrifty's ecr.pp rule, per image). An image in a private
 * repository is stale when ECR's `lastRecordedPullTime` is older than 90 days (a kind setting), or when it was never
 * pulled (no lastRecordedPullTime) and was pushed (`imagePushedAt`) more than 90 days ago. A never-pulled image pushed
 * recently is not stale; an image without a push time is not judged. ECR refreshes lastRecordedPullTime at least once
 * every 24 hours (the API reference), well inside the window. Untagged images (no image tag names them) are flagged
 * as such and listed first in each repository: nothing can pull them by name.
 *
 * Kept unless chosen: the **newest image** (by imagePushedAt) of each repository, and an image tagged `latest` (what a
 * `docker pull <repo>` without a tag fetches, whatever its age). The default action `delete` refuses them with the
 * reason; the `explicit` action `delete-newest` ("Delete, including the newest image") applies to them only.
 *
 * Cost: imageSizeInBytes × ECR storage per GB-month. ECR stores each layer once per repository (and deduplicates
 * layers across images), so deleting one image frees **at most** its size: the cost basis says "at most".
 *
 * Protection: the repository's tags (images have none of their own), read for the whole region in one tag:GetResources
 * listing (`ecr:repository`); a protected repository protects all its images.
 *
 * A scan makes DescribeRepositories (paged, maxResults ≤ 1,000) and then DescribeImages per repository (paged,
 * maxResults ≤ 1,000; at most 8 repositories at a time): no ECR API lists images across repositories, so the
 * per-repository listing is the listing. DescribeImages answers ACTIVE images only (the default imageStatus filter):
 * archived images are not judged. ECR has no DryRun: a cleanup verifies by the re-check (DescribeImages by digest, the
 * repository's listing for "newest", ListTagsForResource for protection) and an IAM permission check.
 */
import {
  BatchDeleteImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ListTagsForResourceCommand,
  type ImageDetail,
  type Repository,
} from '@aws-sdk/client-ecr';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { ECR_PRICE_KEYS, ECR_STORAGE_GB_MONTH } from '../pricing/keys/ecr';
import { price } from '../pricing/price-key';
import { createLimiter } from '../scan/limiter';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { clampPageSize } from './ec2-common';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, RecheckResult, ResourceHandler } from './handler';
import { storedString } from './parts';
import { tagsByArn } from './tagging';

/** The tagging type of a repository (its images' tags are the repository's). */
const REPOSITORY_TAG_TYPE = 'ecr:repository';

export const ECR_IMAGE_TYPE = 'ecr:image';
export const SERVICE_ECR = 'AmazonECR';
export const ECR_STALE_DAYS_SETTING = 'ecrImageStaleDays';
const DEFAULT_STALE_DAYS = 90;
const DAY_MS = 86_400_000;
const GB = 1024 ** 3;
const CONCURRENCY = 8;
const READ_IAM = ['ecr:DescribeImages', 'ecr:ListTagsForResource'];

export const ECR_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'delete',
    label: 'Delete',
    doneLabel: 'Deleted',
    description: 'Deletes the image and every tag that names it (BatchDeleteImage by digest). The newest image of a repository and the one tagged latest are kept.',
    removes: true,
    iam: ['ecr:BatchDeleteImage', ...READ_IAM],
  },
  {
    id: 'delete-newest',
    label: 'Delete, including the newest image',
    doneLabel: 'Deleted',
    description: 'Deletes the newest image of its repository (or the one tagged latest) and every tag that names it.',
    warning: 'Whatever deploys from this repository by its latest push or the latest tag can no longer pull it.',
    removes: true,
    iam: ['ecr:BatchDeleteImage', ...READ_IAM],
    explicit: true,
  },
];

function staleDays(ctx: HandlerContext): number {
  const v = ctx.settings.kinds?.[ECR_STALE_DAYS_SETTING];
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : DEFAULT_STALE_DAYS;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** The newest image by push time (ties: the larger digest, so the choice is stable). */
function newestOf(images: readonly ImageDetail[]): string | null {
  let best: ImageDetail | null = null;
  for (const i of images) {
    if (!i.imageDigest || !i.imagePushedAt) continue;
    const t = new Date(i.imagePushedAt).getTime();
    const b = best?.imagePushedAt ? new Date(best.imagePushedAt).getTime() : -Infinity;
    if (best === null || t > b || (t === b && i.imageDigest > (best.imageDigest ?? ''))) best = i;
  }
  return best?.imageDigest ?? null;
}

interface RepoFacts {
  name: string;
  arn: string | null;
  tags: Record<string, string>;
  newestDigest: string | null;
}

function toFinding(ctx: HandlerContext, repo: RepoFacts, i: ImageDetail): Finding {
  const digest = i.imageDigest ?? '';
  const tags = [...(i.imageTags ?? [])];
  const untagged = tags.length === 0;
  const pushedAt = i.imagePushedAt ? new Date(i.imagePushedAt) : null;
  const pulledAt = i.lastRecordedPullTime ? new Date(i.lastRecordedPullTime) : null;
  const days = staleDays(ctx);
  const cutoff = ctx.now.getTime() - days * DAY_MS;
  const ageOf = (d: Date): number => Math.floor((ctx.now.getTime() - d.getTime()) / DAY_MS);
  let stale = false;
  let judgement: string;
  let since: string | null = null;
  if (pulledAt !== null) {
    stale = pulledAt.getTime() < cutoff;
    judgement = stale ? `Not pulled since ${day(pulledAt)} (${ageOf(pulledAt)} days)` : `Pulled on ${day(pulledAt)}`;
    if (stale) since = pulledAt.toISOString();
  } else if (pushedAt === null) {
    judgement = 'Not judged: ECR gives no push time and no pull';
  } else {
    stale = pushedAt.getTime() < cutoff;
    judgement = stale ? `Never pulled; pushed ${ageOf(pushedAt)} days ago (${day(pushedAt)})` : `Never pulled, but pushed only ${ageOf(pushedAt)} days ago (flagged from ${days})`;
    if (stale) since = pushedAt.toISOString();
  }
  const newest = digest !== '' && digest === repo.newestDigest;
  const taggedLatest = tags.includes('latest');
  const size = i.imageSizeInBytes ?? null;
  const rate = ctx.prices ? price(ctx.prices, ECR_STORAGE_GB_MONTH) : null;
  const gb = size === null ? null : Math.round((size / GB) * 1e6) / 1e6;
  const cost =
    gb === null
      ? { monthlyCost: null, costBasis: 'Cost unknown: ECR reports no size for the image' }
      : rate === null
        ? { monthlyCost: null, costBasis: `Cost unknown: no ECR storage price (${ctx.region})` }
        : {
            monthlyCost: roundCost(gb * rate),
            costBasis: `At most ${num(gb)} GB (imageSizeInBytes) × ${usd(rate)} per GB-month (${ctx.region}): layers shared with other images stay stored, so the saving may be less`,
          };
  const repoProtection = protectionByTag(repo.tags, ctx.settings.protectionTagKey);
  const protectedReason = repoProtection === null ? null : `Repository ${repo.name}: ${repoProtection}`;
  return {
    resourceType: ECR_IMAGE_TYPE,
    resourceId: `${repo.name}@${digest}`,
    region: ctx.region,
    name: tags[0] ?? null,
    state: i.imageStatus ?? 'ACTIVE',
    tags: repo.tags,
    createdAt: pushedAt?.toISOString() ?? null,
    unused: stale,
    unusedReason: stale ? (untagged ? `Untagged; ${judgement.charAt(0).toLowerCase()}${judgement.slice(1)}` : judgement) : null,
    unusedSince: since,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      repositoryName: repo.name,
      repositoryArn: repo.arn,
      imageDigest: digest,
      imageTags: tags,
      untagged,
      sizeGB: gb,
      pushedAt: pushedAt?.toISOString() ?? null,
      lastPulledAt: pulledAt?.toISOString() ?? null,
      newest,
      taggedLatest,
      staleDays: days,
      judgement,
    },
  };
}

// ---- reading AWS ----

async function* repositoryPages(ctx: HandlerContext): AsyncIterable<Repository[]> {
  let token: string | undefined;
  do {
    const out = await ctx.client(ECRClient).send(
      new DescribeRepositoriesCommand({ maxResults: clampPageSize(ctx.pageSize, 1, 1000), ...(token ? { nextToken: token } : {}) }),
      { abortSignal: ctx.signal },
    );
    yield out.repositories ?? [];
    token = out.nextToken || undefined;
  } while (token !== undefined);
}

/** Every ACTIVE image of one repository (its paged listing). */
async function imagesOf(ctx: HandlerContext, repositoryName: string): Promise<ImageDetail[]> {
  const out: ImageDetail[] = [];
  let token: string | undefined;
  do {
    const res = await ctx.client(ECRClient).send(
      new DescribeImagesCommand({ repositoryName, maxResults: clampPageSize(ctx.pageSize, 1, 1000), ...(token ? { nextToken: token } : {}) }),
      { abortSignal: ctx.signal },
    );
    out.push(...(res.imageDetails ?? []));
    token = res.nextToken || undefined;
  } while (token !== undefined);
  return out;
}

const isGoneError = (err: unknown): boolean => /^(ImageNotFoundException|RepositoryNotFoundException)$/.test(awsErrorCode(err));

/** Untagged first, then oldest push first. */
function order(a: Finding, b: Finding): number {
  const u = Number(b.details['untagged'] === true) - Number(a.details['untagged'] === true);
  return u !== 0 ? u : (a.createdAt ?? '').localeCompare(b.createdAt ?? '');
}

function refusal(finding: Finding, action: string): string | null {
  const repo = storedString(finding.details['repositoryName']) ?? finding.resourceId.split('@')[0] ?? '';
  const kept = finding.details['newest'] === true ? `the newest image of ${repo}` : finding.details['taggedLatest'] === true ? `the image tagged latest in ${repo}` : null;
  if (action === 'delete' && kept !== null) return `${kept}: choose “Delete, including the newest image” to remove it`;
  if (action === 'delete-newest' && kept === null) return `Not the newest image of ${repo} (nor tagged latest): choose “Delete”`;
  return null;
}

function idOf(f: Finding): { repositoryName: string; imageDigest: string } {
  const at = f.resourceId.lastIndexOf('@');
  return {
    repositoryName: storedString(f.details['repositoryName']) ?? f.resourceId.slice(0, at),
    imageDigest: storedString(f.details['imageDigest']) ?? f.resourceId.slice(at + 1),
  };
}

export const ecrImagesHandler: ResourceHandler = {
  type: ECR_IMAGE_TYPE,
  label: 'Stale ECR images',
  noun: 'ECR image',
  consoleUrl: 'https://{host}/ecr/repositories?region={region}',
  iam: {
    scan: ['ecr:DescribeRepositories', 'ecr:DescribeImages', 'tag:GetResources'],
    action: [...new Set(ECR_ACTIONS.flatMap((a) => a.iam))],
  },
  actionLabel: 'Delete',
  actions: ECR_ACTIONS,
  verification: {
    method: 'permission-check',
    description: 'ECR has no DryRun: each image is re-checked (still there, not pulled since the review, still not the newest, repository not protected) and IAM policy simulation says whether you may delete it',
  },
  settings: [
    {
      key: ECR_STALE_DAYS_SETTING,
      label: 'ECR images not pulled for',
      description: 'An image is flagged when its last recorded pull is older than this, or when it was never pulled and was pushed longer ago than this.',
      type: 'integer',
      unit: 'days',
      default: DEFAULT_STALE_DAYS,
      min: 1,
      max: 3650,
    },
  ],
  priceKeys: ECR_PRICE_KEYS,
  detailFields: [
    { key: 'judgement', label: 'Pulls' },
    { key: 'repositoryName', label: 'Repository' },
    { key: 'imageTags', label: 'Image tags', format: 'list' },
    { key: 'untagged', label: 'Untagged', format: 'boolean' },
    { key: 'newest', label: 'Newest image of its repository', format: 'boolean' },
    { key: 'taggedLatest', label: 'Tagged latest', format: 'boolean' },
    { key: 'sizeGB', label: 'Size (imageSizeInBytes)', unit: 'GB' },
    { key: 'pushedAt', label: 'Pushed', format: 'datetime' },
    { key: 'lastPulledAt', label: 'Last recorded pull', format: 'datetime', emptyText: 'Never' },
    { key: 'imageDigest', label: 'Digest' },
  ],
  category: 'Containers',
  serviceCodes: [SERVICE_ECR],
  billingServiceCode: SERVICE_ECR,
  deleteOrder: 73,
  tagTypes: [REPOSITORY_TAG_TYPE],

  async *scan(ctx) {
    let tags: Promise<Map<string, Record<string, string>>> | undefined;
    const limited = createLimiter(CONCURRENCY);
    for await (const page of repositoryPages(ctx)) {
      ctx.signal?.throwIfAborted();
      const repos = page.filter((r) => r.repositoryName);
      if (repos.length === 0) continue;
      tags ??= tagsByArn(ctx, [REPOSITORY_TAG_TYPE]);
      const byArn = await tags;
      const lists = await Promise.all(repos.map((r) => limited(() => imagesOf(ctx, r.repositoryName!))));
      const out: Finding[] = [];
      repos.forEach((r, n) => {
        const images = (lists[n] ?? []).filter((i) => i.imageDigest);
        const facts: RepoFacts = { name: r.repositoryName!, arn: r.repositoryArn ?? null, tags: (r.repositoryArn && byArn.get(r.repositoryArn)) || {}, newestDigest: newestOf(images) };
        out.push(...images.map((i) => toFinding(ctx, facts, i)).sort(order));
      });
      if (out.length > 0) yield out;
    }
  },

  actionRefusal: refusal,

  async recheck(ctx, stored): Promise<RecheckResult> {
    const { repositoryName, imageDigest } = idOf(stored);
    const client = ctx.client(ECRClient);
    let image: ImageDetail | undefined;
    try {
      const res = await client.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageDigest }] }), { abortSignal: ctx.signal });
      image = res.imageDetails?.[0];
    } catch (err) {
      if (isGoneError(err)) return { status: 'gone', reason: 'The image no longer exists' };
      throw err;
    }
    if (image === undefined) return { status: 'gone', reason: 'The image no longer exists' };
    const arn = storedString(stored.details['repositoryArn']);
    const [all, tagList] = await Promise.all([
      imagesOf(ctx, repositoryName),
      arn === null ? Promise.resolve([]) : client.send(new ListTagsForResourceCommand({ resourceArn: arn }), { abortSignal: ctx.signal }).then((r) => r.tags ?? []),
    ]);
    const current = toFinding(ctx, { name: repositoryName, arn, tags: tagsToRecord(tagList), newestDigest: newestOf(all) }, image);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    const before = storedString(stored.details['lastPulledAt']);
    const after = storedString(current.details['lastPulledAt']);
    if (after !== null && after !== before) return { status: 'changed', reason: `Pulled since the review (last recorded pull ${after.slice(0, 10)})`, current };
    const no = refusal(current, ctx.action ?? 'delete');
    if (no !== null) return { status: 'changed', reason: no, current };
    if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer stale: ${String(current.details['judgement'])}`, current };
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    // The finding's tags are its repository's.
    const byTag = protectionByTag(stored.tags, ctx.settings.protectionTagKey);
    const protectedBy = byTag !== null ? `Repository ${idOf(stored).repositoryName}: ${byTag}` : stored.protected ? (stored.protectedReason ?? 'Protected') : null;
    if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
    const no = refusal(stored, ctx.action ?? 'delete');
    if (no !== null) return { kind: 'refused', reason: no };
    if (dryRun) return { kind: 'checked', calls: [], note: 'ECR has no DryRun: verified by the re-check and an IAM permission check' };
    const { repositoryName, imageDigest } = idOf(stored);
    const call = { action: 'BatchDeleteImage', target: `${repositoryName}@${imageDigest}`, dryRun: false };
    const result = await auditedMutation(ctx, call, async () => {
      const res = await ctx.client(ECRClient).send(new BatchDeleteImageCommand({ repositoryName, imageIds: [{ imageDigest }] }), { abortSignal: ctx.signal });
      // BatchDeleteImage answers per-image failures with a 200: ImageNotFound means already gone (recorded as done);
      // any other failure is thrown so the audit row records it as failed, with ECR's failure code.
      const failure = res.failures?.[0];
      if (failure === undefined) return 'deleted' as const;
      if (failure.failureCode === 'ImageNotFound') return 'already gone' as const;
      throw Object.assign(new Error(failure.failureReason ?? 'BatchDeleteImage reported a failure'), { name: failure.failureCode ?? 'Unknown', $fault: 'client', $metadata: {} });
    });
    if (result.kind === 'error' && result.code === 'RepositoryNotFoundException') return { kind: 'deleted', calls: [`${callLabel(call)} (already gone)`] };
    if (result.kind === 'unauthorized' || result.kind === 'error') return failureOutcome(result);
    const gone = result.kind === 'done' && result.value === 'already gone';
    return { kind: 'deleted', calls: [`${callLabel(call)}${gone ? ' (already gone)' : ''}`] };
  },

  parts(finding) {
    return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
  },
};
