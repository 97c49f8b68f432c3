/**
 * Incomplete S3 multipart uploads (AWS-FACTS-BEYOND-EC2.md, kind 7): one finding per bucket, in the bucket's region,
 * id = bucket name. "Until you complete or abort a multipart upload, Amazon S3 stores the uploaded parts and charges
 * you for them", and the parts never appear in the bucket's object listing (S3 user guide, "Configuring a bucket
 * lifecycle configuration to delete incomplete multipart uploads" [MPU]).
 *
 * Unused: uploads ListMultipartUploads shows as initiated more than N days ago (the kind's setting, default 7: the
 * guide's own example rule aborts after 7 days). A younger upload may still be in progress and is left alone; an
 * upload without an Initiated time is never guessed old. A bucket with no such upload is not a finding. Since = the
 * oldest stale upload's initiation.
 *
 * Calls of a scan, per region task:
 * - ListBuckets with `BucketRegion` = the region (paged by ContinuationToken/MaxBuckets): one listing.
 * - ListMultipartUploads per bucket (paged by KeyMarker/UploadIdMarker, up to 1,000 a page). S3 has no cross-bucket
 *   listing of uploads, so this is the one unavoidable per-bucket listing; at most 8 calls at a time.
 * - Only for buckets with stale uploads (the candidates): ListParts per stale upload (paged), because no other call
 *   gives their size and the size is the whole cost; at most 100 uploads sized per bucket — beyond that the size and
 *   cost are unknown (never a partial sum shown as the whole) —, and GetBucketLifecycleConfiguration once, so the
 *   finding says whether a lifecycle rule already aborts uploads (which decides whether "add a lifecycle rule" applies);
 *   a denied or failed read leaves that unknown, it does not fail the scan. All at most 8 at a time.
 * - Tags for protection: one paged tag:GetResources listing (`s3:bucket`) per region, made only when a candidate exists.
 *
 * Cost: Σ parts' bytes / 2^30 × the storage price of each upload's StorageClass (pricing/keys/s3.ts; S3 Standard at
 * its first-tier rate); a class without a declared price makes the cost unknown.
 *
 * Actions (s3-incomplete-uploads-actions.ts): `abort` (default) and `add-lifecycle-rule`. S3 has no DryRun: the
 * cleanup verifies by the re-check and an IAM permission check.
 */
import { ListBucketsCommand, ListPartsCommand, S3Client, type MultipartUpload } from '@aws-sdk/client-s3';
import { awsErrorCode } from '../aws/errors';
import { S3_PRICE_KEYS } from '../pricing/keys/s3';
import { createLimiter, type Limiter } from '../scan/limiter';
import { clampPageSize } from './ec2-common';
import type { HandlerContext, ResourceHandler } from './handler';
import {
  ageDays,
  bucketArn,
  DAY_MS,
  DEFAULT_AGE_DAYS,
  isNoSuchBucket,
  lifecycleOrError,
  listUploads,
  MAX_SIZED_UPLOADS,
  S3_ACTIONS,
  S3_CONCURRENCY,
  S3_UPLOADS_TYPE,
  s3ActionRefusal,
  s3Delete,
  s3Parts,
  s3Recheck,
  staleOf,
  toFinding,
  UPLOAD_AGE_SETTING,
  type BucketFacts,
  type UploadFacts,
} from './s3-incomplete-uploads-actions';
import { tagsByArn } from './tagging';

/** The tagging type of a bucket. */
const BUCKET_TAG_TYPE = 's3:bucket';

export { MAX_SIZED_UPLOADS, S3_ACTIONS, S3_CONCURRENCY, S3_UPLOADS_TYPE, UPLOAD_AGE_SETTING } from './s3-incomplete-uploads-actions';

/** Cost Explorer's "Amazon Simple Storage Service" (discovery/service-catalog.ts). */
export const SERVICE_S3 = 'AmazonS3';

/** The bytes of an upload's parts (paged ListParts); null when the upload is gone meanwhile. */
async function uploadBytes(ctx: HandlerContext, bucket: string, u: UploadFacts): Promise<number | null> {
  let total = 0;
  let marker: string | undefined;
  for (;;) {
    let page;
    try {
      page = await ctx.client(S3Client).send(
        new ListPartsCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId, MaxParts: 1000, ...(marker !== undefined ? { PartNumberMarker: marker } : {}) }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      if (awsErrorCode(err) === 'NoSuchUpload') return null;
      throw err;
    }
    for (const p of page.Parts ?? []) total += p.Size ?? 0;
    if (page.IsTruncated !== true) return total;
    if (page.NextPartNumberMarker === undefined || page.NextPartNumberMarker === marker) throw new Error('s3:ListParts answered the same marker twice');
    marker = page.NextPartNumberMarker;
  }
}

/** Sizes the stale uploads of a bucket (at most MAX_SIZED_UPLOADS; more: none, the cost is unknown anyway). */
async function sizeUploads(ctx: HandlerContext, limit: Limiter, bucket: string, stale: UploadFacts[]): Promise<UploadFacts[]> {
  if (stale.length > MAX_SIZED_UPLOADS) return stale;
  const sized = await Promise.all(stale.map((u) => limit(async () => ({ u, bytes: await uploadBytes(ctx, bucket, u) }))));
  // An upload completed or aborted meanwhile is no longer the bucket's.
  return sized.filter((s) => s.bytes !== null).map((s) => ({ ...s.u, bytes: s.bytes }));
}

async function bucketFacts(ctx: HandlerContext, limit: Limiter, name: string, createdAt: string | null, cutoff: Date): Promise<BucketFacts | null> {
  let uploads: MultipartUpload[];
  try {
    uploads = await limit(() => listUploads(ctx, name));
  } catch (err) {
    if (isNoSuchBucket(err)) return null; // deleted since the listing
    throw err;
  }
  const stale = staleOf(uploads, cutoff);
  if (stale.length === 0) return null;
  const [sized, lc] = await Promise.all([
    sizeUploads(ctx, limit, name, stale),
    limit(() => lifecycleOrError(ctx, name)),
  ]);
  if (sized.length === 0) return null;
  return { name, createdAt, tags: {}, stale: sized, younger: uploads.length - stale.length, lifecycle: lc.facts, lifecycleError: lc.error };
}

export const s3IncompleteUploadsHandler: ResourceHandler = {
  type: S3_UPLOADS_TYPE,
  label: 'Incomplete S3 multipart uploads',
  noun: 'bucket with incomplete uploads',
  consoleUrl: 'https://{host}/s3/buckets/{id}?region={region}&tab=management',
  iam: {
    scan: ['s3:ListAllMyBuckets', 's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:GetLifecycleConfiguration', 'tag:GetResources'],
    action: [...new Set(S3_ACTIONS.flatMap((a) => a.iam))],
  },
  actionLabel: 'Abort uploads',
  actions: S3_ACTIONS,
  verification: {
    method: 'permission-check',
    description: 'S3 has no DryRun: each bucket is re-checked (its uploads listed again, its tags and lifecycle read) and IAM policy simulation says whether you may take the chosen action',
  },
  settings: [
    {
      key: UPLOAD_AGE_SETTING,
      label: 'Incomplete multipart uploads older than',
      description: 'An upload started at least this many days ago and never completed is flagged; a younger one may still be in progress.',
      type: 'integer',
      unit: 'days',
      default: DEFAULT_AGE_DAYS,
      min: 1,
      max: 3650,
    },
  ],
  priceKeys: S3_PRICE_KEYS,
  detailFields: [
    { key: 'staleUploads', label: 'Stale uploads' },
    { key: 'oldestInitiated', label: 'Oldest started', format: 'datetime' },
    { key: 'gb', label: 'Size of their parts', unit: 'GB', emptyText: 'Not measured' },
    { key: 'storageClasses', label: 'Storage class' },
    { key: 'youngerUploads', label: 'Younger uploads (left alone)' },
    { key: 'lifecycleAbortRule', label: 'Lifecycle rule aborting uploads' },
    { key: 'ageDays', label: 'Flagged after', unit: 'days' },
  ],
  category: 'Storage',
  serviceCodes: [SERVICE_S3],
  billingServiceCode: SERVICE_S3,
  deleteOrder: 72,
  tagTypes: [BUCKET_TAG_TYPE],

  async *scan(ctx) {
    const cutoff = new Date(ctx.now.getTime() - ageDays(ctx) * DAY_MS);
    const limit = createLimiter(S3_CONCURRENCY);
    let tags: Promise<Map<string, Record<string, string>>> | undefined;
    let token: string | undefined;
    do {
      ctx.signal?.throwIfAborted();
      const page = await ctx.client(S3Client).send(
        new ListBucketsCommand({ BucketRegion: ctx.region, MaxBuckets: clampPageSize(ctx.pageSize, 1, 10_000), ...(token !== undefined ? { ContinuationToken: token } : {}) }),
        { abortSignal: ctx.signal },
      );
      const buckets = (page.Buckets ?? []).filter((b) => b.Name !== undefined && (b.BucketRegion === undefined || b.BucketRegion === ctx.region));
      const facts = (await Promise.all(buckets.map((b) => bucketFacts(ctx, limit, b.Name!, b.CreationDate ? new Date(b.CreationDate).toISOString() : null, cutoff)))).filter(
        (f): f is BucketFacts => f !== null,
      );
      if (facts.length > 0) {
        tags ??= tagsByArn(ctx, [BUCKET_TAG_TYPE]);
        const byArn = await tags;
        yield facts.map((f) => toFinding(ctx, { ...f, tags: byArn.get(bucketArn(f.name)) ?? {} }, cutoff));
      }
      const next = page.ContinuationToken || undefined;
      if (next !== undefined && next === token) throw new Error('s3:ListBuckets answered the same ContinuationToken twice');
      token = next;
    } while (token !== undefined);
  },

  actionRefusal: s3ActionRefusal,
  recheck: s3Recheck,
  delete: s3Delete,
  parts: s3Parts,
};
