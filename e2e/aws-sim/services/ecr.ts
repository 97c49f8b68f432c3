/**
 * Amazon ECR over JSON 1.1 (target prefix `AmazonEC2ContainerRegistry_V20150921`, signing name and IAM prefix `ecr`),
 * answered from ecr-state.ts:
 *
 * - DescribeRepositories: repositoryNames (1–100; a name not here → RepositoryNotFoundException) or paging with
 *   maxResults 1–1000 (default 100) and nextToken, ordered by name; maxResults with repositoryNames →
 *   InvalidParameterException (the model: "cannot be used when you specify repositories with repositoryNames").
 * - DescribeImages: repositoryName (unknown → RepositoryNotFoundException); imageIds (1–100, by imageDigest and/or
 *   imageTag; one not found → ImageNotFoundException) or paging (maxResults 1–1000, default 100, nextToken, ordered by
 *   digest) with filter.tagStatus TAGGED | UNTAGGED | ANY; maxResults with imageIds → InvalidParameterException.
 *   Only ACTIVE images exist here (no archive storage class), so filter.imageStatus is accepted and ignored unless it
 *   asks for ARCHIVED/ACTIVATING only (then nothing matches).
 * - BatchDeleteImage: imageIds (1–100). By digest the image goes with all its tags; by tag only that tag goes, and the
 *   image with it when it was its last tag (AWS's rule). Not found → a `failures` entry with failureCode ImageNotFound
 *   (never an error); the answer lists `imageIds` deleted.
 * - ListTagsForResource: a repository ARN of this region (else InvalidParameterException / RepositoryNotFoundException).
 *
 * Timestamps are epoch seconds (JSON 1.1). Every ECR error is a client error (400) except ServerException (500). Denied
 * actions (`deny: ['ecr:DescribeRepositories']`) answer AccessDeniedException naming the action.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { SimEcrImage, SimEcrRepository } from '../ecr-state';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';

const DEFAULT_PAGE = 100;
const MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const ARTIFACT_TYPE = 'application/vnd.docker.container.image.v1+json';

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const epoch = (d: Date): number => d.getTime() / 1000;

function repoNotFound(ctx: CallContext, name: string): ApiError {
  return new ApiError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${ctx.account.accountId}'`,
    400,
  );
}

function intParam(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid(`${name} must be an integer from ${min} to ${max}`);
  return v;
}

function registryCheck(ctx: CallContext, input: JsonObject): void {
  const id = input['registryId'];
  if (id !== undefined && id !== null && id !== ctx.account.accountId) {
    throw invalid(`Invalid parameter at 'registryId' failed to satisfy constraint: the registry ${String(id)} is not this account's`);
  }
}

function repository(ctx: CallContext, input: JsonObject): SimEcrRepository {
  const name = input['repositoryName'];
  if (typeof name !== 'string' || name === '') throw invalid("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must not be null'");
  const r = ctx.region.ecr.repositories.get(name);
  if (r === undefined) throw repoNotFound(ctx, name);
  return r;
}

// ---- paging tokens: opaque, bound to the request's other parameters ----

function queryHash(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

function pageAfter(token: unknown, q: string): string | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  if (typeof token !== 'string') throw invalid('Invalid parameter: nextToken');
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { a?: unknown; q?: unknown };
    if (typeof t.a === 'string' && t.q === q) return t.a;
  } catch {
    // fall through
  }
  throw invalid('Invalid parameter at nextToken: the token is invalid');
}

function page<T>(sorted: T[], keyOf: (t: T) => string, limit: number, after: string | undefined, q: string): { items: T[]; nextToken?: string } {
  const rest = after === undefined ? sorted : sorted.filter((x) => keyOf(x) > after);
  const items = rest.slice(0, limit);
  return rest.length > limit ? { items, nextToken: Buffer.from(JSON.stringify({ a: keyOf(items.at(-1)!), q })).toString('base64url') } : { items };
}

// ---- shapes ----

function repoOut(ctx: CallContext, r: SimEcrRepository): JsonObject {
  return {
    repositoryArn: r.arn,
    registryId: ctx.account.accountId,
    repositoryName: r.name,
    repositoryUri: r.uri,
    createdAt: epoch(r.createdAt),
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

function imageOut(ctx: CallContext, r: SimEcrRepository, i: SimEcrImage): JsonObject {
  return {
    registryId: ctx.account.accountId,
    repositoryName: r.name,
    imageDigest: i.digest,
    ...(i.imageTags.length > 0 ? { imageTags: [...i.imageTags] } : {}),
    imageSizeInBytes: i.sizeBytes,
    imagePushedAt: epoch(i.pushedAt),
    imageManifestMediaType: MEDIA_TYPE,
    artifactMediaType: ARTIFACT_TYPE,
    ...(i.lastPulledAt !== null ? { lastRecordedPullTime: epoch(i.lastPulledAt) } : {}),
    imageStatus: 'ACTIVE',
  };
}

interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

function imageIds(v: unknown): ImageId[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length < 1 || v.length > 100) throw invalid('imageIds must list 1 to 100 image ids');
  return v.map((x: unknown) => {
    const o = (x ?? {}) as JsonObject;
    const d = o['imageDigest'];
    const t = o['imageTag'];
    if ((d !== undefined && typeof d !== 'string') || (t !== undefined && typeof t !== 'string') || (d === undefined && t === undefined)) {
      throw invalid('Invalid parameter at imageIds: each image id needs an imageDigest or an imageTag');
    }
    return { ...(d !== undefined ? { imageDigest: d as string } : {}), ...(t !== undefined ? { imageTag: t as string } : {}) };
  });
}

function findImage(r: SimEcrRepository, id: ImageId): SimEcrImage | undefined {
  const byDigest = id.imageDigest !== undefined ? r.images.get(id.imageDigest) : undefined;
  if (id.imageDigest !== undefined && byDigest === undefined) return undefined;
  if (id.imageTag === undefined) return byDigest;
  const byTag = [...r.images.values()].find((i) => i.imageTags.includes(id.imageTag!));
  if (byDigest !== undefined && byTag !== byDigest) return undefined;
  return byTag;
}

const idText = (id: ImageId): string => [id.imageDigest ? `imageDigest=${id.imageDigest}` : '', id.imageTag ? `imageTag=${id.imageTag}` : ''].filter(Boolean).join(', ');

// ---- operations ----

function describeRepositories(ctx: CallContext, input: JsonObject): JsonObject {
  registryCheck(ctx, input);
  const names = input['repositoryNames'];
  const max = intParam(input['maxResults'], 'maxResults', 1, 1000);
  if (names !== undefined && names !== null) {
    if (!Array.isArray(names) || names.length < 1 || names.length > 100 || names.some((n) => typeof n !== 'string')) {
      throw invalid('repositoryNames must list 1 to 100 names');
    }
    if (max !== undefined || (input['nextToken'] ?? '') !== '') throw invalid('maxResults and nextToken cannot be used when you specify repositories with repositoryNames');
    const out = (names as string[]).map((n) => {
      const r = ctx.region.ecr.repositories.get(n);
      if (r === undefined) throw repoNotFound(ctx, n);
      return repoOut(ctx, r);
    });
    return { repositories: out };
  }
  const q = queryHash(['repos', max ?? null]);
  const sorted = [...ctx.region.ecr.repositories.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const p = page(sorted, (r) => r.name, max ?? DEFAULT_PAGE, pageAfter(input['nextToken'], q), q);
  return { repositories: p.items.map((r) => repoOut(ctx, r)), ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
}

function describeImages(ctx: CallContext, input: JsonObject): JsonObject {
  registryCheck(ctx, input);
  const r = repository(ctx, input);
  const ids = imageIds(input['imageIds']);
  const max = intParam(input['maxResults'], 'maxResults', 1, 1000);
  const filter = (input['filter'] ?? {}) as JsonObject;
  const tagStatus = filter['tagStatus'] ?? 'ANY';
  if (!['TAGGED', 'UNTAGGED', 'ANY'].includes(String(tagStatus))) throw invalid(`Invalid parameter at 'filter.tagStatus': ${String(tagStatus)}`);
  const imageStatus = filter['imageStatus'] ?? 'ACTIVE';
  if (!['ACTIVE', 'ARCHIVED', 'ACTIVATING', 'ANY'].includes(String(imageStatus))) throw invalid(`Invalid parameter at 'filter.imageStatus': ${String(imageStatus)}`);
  if (ids !== undefined) {
    if (max !== undefined || (input['nextToken'] ?? '') !== '') throw invalid('maxResults and nextToken cannot be used when you specify images with imageIds');
    const out = ids.map((id) => {
      const i = findImage(r, id);
      if (i === undefined) {
        throw new ApiError(
          'ImageNotFoundException',
          `The image with imageId {${idText(id)}} does not exist within the repository with name '${r.name}' in the registry with id '${ctx.account.accountId}'`,
          400,
        );
      }
      return imageOut(ctx, r, i);
    });
    return { imageDetails: out };
  }
  const q = queryHash(['images', r.name, tagStatus, imageStatus, max ?? null]);
  const active = imageStatus === 'ACTIVE' || imageStatus === 'ANY';
  const sorted = [...r.images.values()]
    .filter((i) => active && (tagStatus === 'ANY' || (tagStatus === 'TAGGED') === i.imageTags.length > 0))
    .sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const p = page(sorted, (i) => i.digest, max ?? DEFAULT_PAGE, pageAfter(input['nextToken'], q), q);
  return { imageDetails: p.items.map((i) => imageOut(ctx, r, i)), ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
}

function batchDeleteImage(ctx: CallContext, input: JsonObject): JsonObject {
  registryCheck(ctx, input);
  const r = repository(ctx, input);
  const ids = imageIds(input['imageIds']);
  if (ids === undefined) throw invalid("Invalid parameter at 'imageIds' failed to satisfy constraint: 'must not be null'");
  const deleted: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const id of ids) {
    const i = findImage(r, id);
    if (i === undefined) {
      failures.push({ imageId: { ...id }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
      continue;
    }
    if (id.imageDigest !== undefined) {
      // By digest: the image and every tag of it.
      r.images.delete(i.digest);
      if (i.imageTags.length === 0) deleted.push({ imageDigest: i.digest });
      for (const t of i.imageTags) deleted.push({ imageDigest: i.digest, imageTag: t });
    } else {
      i.imageTags = i.imageTags.filter((t) => t !== id.imageTag);
      if (i.imageTags.length === 0) r.images.delete(i.digest);
      deleted.push({ imageDigest: i.digest, imageTag: id.imageTag });
    }
  }
  return { imageIds: deleted, failures };
}

function listTagsForResource(ctx: CallContext, input: JsonObject): JsonObject {
  const arn = input['resourceArn'];
  if (typeof arn !== 'string') throw invalid("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'must not be null'");
  const m = /^arn:aws:ecr:([^:]+):(\d{12}):repository\/(.+)$/.exec(arn);
  if (m === null || m[1] !== ctx.regionName || m[2] !== ctx.account.accountId) throw invalid(`Invalid parameter at 'resourceArn': ${arn}`);
  const r = ctx.region.ecr.repositories.get(m[3]!);
  if (r === undefined) throw repoNotFound(ctx, m[3]!);
  return { tags: r.tags.map((t) => ({ Key: t.key, Value: t.value })) };
}

export const ecrService = jsonService({
  name: 'ECR',
  signingName: 'ecr',
  rejectsAuthFailureRegions: true,
  version: '2015-09-21',
  jsonVersion: '1.1',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  faultErrors: {
    serverError: new ApiError('ServerException', 'These errors are usually caused by a server-side issue.', 500),
  },
  operations: {
    DescribeRepositories: describeRepositories,
    DescribeImages: describeImages,
    BatchDeleteImage: batchDeleteImage,
    ListTagsForResource: listTagsForResource,
  },
});
