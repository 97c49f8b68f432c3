/**
 * S3 over REST-XML (signing name `s3`, API 2006-03-01, S3's own error shape), path-style addressing (`/{Bucket}`,
 * `/{Bucket}/{Key+}`), as the installed `@aws-sdk/client-s3` sends with `forcePathStyle` on a configured endpoint:
 *
 * - ListBuckets `GET /` (`max-buckets` 1–10,000, `continuation-token`, `bucket-region`, `prefix`): every bucket of the
 *   account, whatever region state holds it (S3's bucket list is global), by name; `BucketRegion` on each; a page
 *   with more answers `ContinuationToken`. Without `max-buckets` every bucket is answered at once.
 * - ListMultipartUploads `GET /{Bucket}?uploads` (`key-marker`, `upload-id-marker`, `max-uploads` ≤ 1,000 (a larger
 *   value is capped, as S3 does), `prefix`): by key, then by initiation time; `NextKeyMarker`/`NextUploadIdMarker`
 *   when truncated. `delimiter` is not simulated.
 * - ListParts `GET /{Bucket}/{Key+}?uploadId=` (`part-number-marker`, `max-parts` ≤ 1,000); AbortMultipartUpload
 *   `DELETE /{Bucket}/{Key+}?uploadId=` → 204. An upload that is not there: NoSuchUpload 404.
 * - GetBucketLifecycleConfiguration / PutBucketLifecycleConfiguration `GET|PUT /{Bucket}?lifecycle`: none →
 *   NoSuchLifecycleConfiguration 404; a put replaces the whole configuration, is checked by `parseLifecycle`
 *   (s3-state.ts) and needs `Content-MD5` or an `x-amz-checksum-*` header (InvalidRequest 400 without; a CRC32, SHA-1,
 *   SHA-256 or MD5 that does not match the body: BadDigest 400; CRC32C/CRC64NVME values are accepted unchecked).
 *   The response header x-amz-transition-default-minimum-object-size is not answered.
 * - GetBucketTagging `GET /{Bucket}?tagging`: no tags → NoSuchTagSet 404.
 *
 * A bucket that does not exist: NoSuchBucket 404. A request signed for another region than the bucket's:
 * AuthorizationHeaderMalformed 400 ("the region 'x' is wrong; expecting 'y'"), as S3 answers a request signed for the
 * wrong region (the simulator has one host, so the signing region stands for the endpoint).
 *
 * Permissions: S3's IAM actions are not its operation names (ListBuckets needs `s3:ListAllMyBuckets`, ListMultipartUploads
 * `s3:ListBucketMultipartUploads`, ListParts `s3:ListMultipartUploadParts`, Get/PutBucketLifecycleConfiguration
 * `s3:Get/PutLifecycleConfiguration`), so each operation checks the fixture's deny list under its IAM action and answers
 * AccessDenied 403 naming it, as S3 does for a caller of the same account ("… is not authorized to perform:
 * s3:ListAllMyBuckets …"). Counters still count the operation (`s3:ListBuckets`).
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { CallContext } from '../protocols/protocol';
import { notAuthorizedMessage } from '../protocols/protocol';
import { restXmlService } from '../protocols/rest-xml';
import type { RestInput } from '../protocols/rest-routing';
import { el, node } from '../protocols/xml';
import type { SimS3Bucket, SimS3Upload } from '../s3-state';
import { bucketArn, parseLifecycle, renderXml } from '../s3-state';

const MAX_KEYS = 1000;

/** A request header's single value, '' when absent. */
function hdr(input: RestInput<string>, name: string): string {
  const v = input.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function deny(ctx: CallContext, action: string, resource?: string): void {
  if (ctx.account.isDenied('s3', action)) throw new ApiError('AccessDenied', notAuthorizedMessage(ctx.account.arn, `s3:${action}`, resource), 403);
}

/** The bucket, wherever it is; NoSuchBucket, or the wrong-region answer. */
function bucketOf(ctx: CallContext, name: string): SimS3Bucket {
  for (const r of ctx.account.regions.values()) {
    const b = r.s3.buckets.get(name);
    if (b === undefined) continue;
    if (r.name !== ctx.regionName) {
      throw new ApiError('AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${ctx.regionName}' is wrong; expecting '${r.name}'`, 400);
    }
    return b;
  }
  throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404);
}

/** The account's canonical user id (64 hex digits), as Owner/Initiator answer it. */
const canonicalId = (ctx: CallContext): string => createHash('sha256').update(`canonical:${ctx.account.accountId}`).digest('hex');

function intParam(q: URLSearchParams, name: string, dflt: number, min: number, max: number, cap: boolean): number {
  const raw = q.get(name);
  if (raw === null) return dflt;
  const n = /^-?[0-9]+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < min || (!cap && n > max)) throw new ApiError('InvalidArgument', `Argument ${name} must be an integer between ${min} and ${max}`, 400);
  return Math.min(n, max);
}

const owner = (ctx: CallContext): string => `${el('ID', canonicalId(ctx))}`;
const initiator = (ctx: CallContext): string => node('Initiator', el('ID', ctx.account.arn), el('DisplayName', ctx.account.arn.split('/').pop()));

function uploadOf(b: SimS3Bucket, key: string, uploadId: string | null): SimS3Upload {
  const u = uploadId === null ? undefined : b.uploads.get(uploadId);
  if (u === undefined || u.key !== key) {
    throw new ApiError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404);
  }
  return u;
}

// ---- checksums of a request body ----

const CRC32_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): string {
  let c = 0xffffffff;
  for (const b of buf) c = CRC32_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

const digest = (algo: string, buf: Buffer): string => createHash(algo).update(buf).digest('base64');

/** Content-MD5 or an x-amz-checksum-* header is required, and must match the body when the simulator can compute it. */
function checkIntegrity(input: RestInput<string>): void {
  const body = Buffer.from(input.body, 'utf8');
  const given: [string, string, (() => string) | null][] = [
    ['Content-MD5', hdr(input, 'content-md5'), () => digest('md5', body)],
    ['CRC32', hdr(input, 'x-amz-checksum-crc32'), () => crc32(body)],
    ['SHA1', hdr(input, 'x-amz-checksum-sha1'), () => digest('sha1', body)],
    ['SHA256', hdr(input, 'x-amz-checksum-sha256'), () => digest('sha256', body)],
    ['CRC32C', hdr(input, 'x-amz-checksum-crc32c'), null],
    ['CRC64NVME', hdr(input, 'x-amz-checksum-crc64nvme'), null],
  ];
  const present = given.filter(([, v]) => v !== '');
  if (present.length === 0) throw new ApiError('InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*', 400);
  for (const [name, value, compute] of present) {
    if (compute === null || compute() === value) continue;
    throw new ApiError(
      'BadDigest',
      name === 'Content-MD5' ? 'The Content-MD5 you specified did not match what we received.' : `The ${name} you specified did not match the calculated checksum.`,
      400,
    );
  }
}

// ---- operations ----

function listBuckets(ctx: CallContext, { query }: RestInput<string>): string {
  deny(ctx, 'ListAllMyBuckets');
  const max = query.has('max-buckets') ? intParam(query, 'max-buckets', 10_000, 1, 10_000, false) : Infinity;
  const region = query.get('bucket-region');
  const prefix = query.get('prefix') ?? '';
  const token = query.get('continuation-token');
  let after = '';
  if (token !== null) {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after.startsWith('b:')) throw new ApiError('InvalidArgument', 'The continuation token provided is incorrect', 400);
    after = after.slice(2);
  }
  const all = [...ctx.account.regions.values()]
    .flatMap((r) => [...r.s3.buckets.values()])
    .filter((b) => (region === null || b.region === region) && b.name.startsWith(prefix) && b.name > after)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = all.slice(0, max);
  const more = all.length > page.length;
  const buckets = page.map((b) => node('Bucket', el('Name', b.name), el('CreationDate', b.createdAt), el('BucketRegion', b.region), el('BucketArn', bucketArn(b.name))));
  return (
    node('Buckets', ...buckets) +
    node('Owner', owner(ctx)) +
    (more ? el('ContinuationToken', Buffer.from(`b:${page.at(-1)!.name}`).toString('base64url')) : '') +
    (query.has('prefix') ? el('Prefix', prefix) : '')
  );
}

function listMultipartUploads(ctx: CallContext, { labels, query }: RestInput<string>): string {
  const name = labels['Bucket'] ?? '';
  deny(ctx, 'ListBucketMultipartUploads', bucketArn(name));
  const b = bucketOf(ctx, name);
  const max = intParam(query, 'max-uploads', MAX_KEYS, 0, MAX_KEYS, true);
  const keyMarker = query.get('key-marker') ?? '';
  const idMarker = query.get('upload-id-marker') ?? '';
  const prefix = query.get('prefix') ?? '';
  const sorted = [...b.uploads.values()]
    .filter((u) => u.key.startsWith(prefix))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.initiated.getTime() - y.initiated.getTime() || (x.uploadId < y.uploadId ? -1 : 1)));
  let start = 0;
  if (keyMarker !== '') {
    const marked = idMarker === '' ? -1 : sorted.findIndex((u) => u.key === keyMarker && u.uploadId === idMarker);
    // With an upload-id-marker: the uploads of that key after it; without (or unknown): the keys after key-marker.
    start = marked >= 0 ? marked + 1 : sorted.findIndex((u) => u.key > keyMarker);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + max);
  const truncated = start + page.length < sorted.length;
  const last = page.at(-1);
  return (
    el('Bucket', b.name) +
    el('KeyMarker', keyMarker) +
    el('UploadIdMarker', idMarker) +
    (truncated && last ? el('NextKeyMarker', last.key) + el('NextUploadIdMarker', last.uploadId) : '') +
    (query.has('prefix') ? el('Prefix', prefix) : '') +
    el('MaxUploads', max) +
    el('IsTruncated', truncated) +
    page
      .map((u) =>
        node('Upload', el('Key', u.key), el('UploadId', u.uploadId), initiator(ctx), node('Owner', owner(ctx)), el('StorageClass', u.storageClass), el('Initiated', u.initiated)),
      )
      .join('')
  );
}

function listParts(ctx: CallContext, { labels, query }: RestInput<string>): string {
  const name = labels['Bucket'] ?? '';
  const key = labels['Key'] ?? '';
  deny(ctx, 'ListMultipartUploadParts', `${bucketArn(name)}/${key}`);
  const u = uploadOf(bucketOf(ctx, name), key, query.get('uploadId'));
  const max = intParam(query, 'max-parts', MAX_KEYS, 0, MAX_KEYS, true);
  const marker = intParam(query, 'part-number-marker', 0, 0, 10_000, false);
  const after = u.parts.filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  return (
    el('Bucket', name) +
    el('Key', key) +
    el('UploadId', u.uploadId) +
    el('PartNumberMarker', marker) +
    (page.length > 0 ? el('NextPartNumberMarker', page.at(-1)!.partNumber) : '') +
    el('MaxParts', max) +
    el('IsTruncated', truncated) +
    page.map((p) => node('Part', el('PartNumber', p.partNumber), el('LastModified', p.lastModified), el('ETag', p.etag), el('Size', p.size))).join('') +
    initiator(ctx) +
    node('Owner', owner(ctx)) +
    el('StorageClass', u.storageClass)
  );
}

function abortMultipartUpload(ctx: CallContext, { labels, query }: RestInput<string>): undefined {
  const name = labels['Bucket'] ?? '';
  const key = labels['Key'] ?? '';
  deny(ctx, 'AbortMultipartUpload', `${bucketArn(name)}/${key}`);
  const b = bucketOf(ctx, name);
  b.uploads.delete(uploadOf(b, key, query.get('uploadId')).uploadId);
  return undefined;
}

function getLifecycle(ctx: CallContext, { labels }: RestInput<string>): string {
  const name = labels['Bucket'] ?? '';
  deny(ctx, 'GetLifecycleConfiguration', bucketArn(name));
  const b = bucketOf(ctx, name);
  if (b.lifecycle === null) throw new ApiError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404);
  return b.lifecycle.map(renderXml).join('');
}

function putLifecycle(ctx: CallContext, input: RestInput<string>): undefined {
  const name = input.labels['Bucket'] ?? '';
  deny(ctx, 'PutLifecycleConfiguration', bucketArn(name));
  const b = bucketOf(ctx, name);
  checkIntegrity(input);
  const rules = parseLifecycle(input.body);
  b.lifecycle = rules;
  const size = hdr(input, 'x-amz-transition-default-minimum-object-size');
  if (size !== '') b.transitionDefaultMinimumObjectSize = size;
  return undefined;
}

function getTagging(ctx: CallContext, { labels }: RestInput<string>): string {
  const name = labels['Bucket'] ?? '';
  deny(ctx, 'GetBucketTagging', bucketArn(name));
  const b = bucketOf(ctx, name);
  if (b.tags.length === 0) throw new ApiError('NoSuchTagSet', 'The TagSet does not exist', 404);
  return node('TagSet', ...b.tags.map((t) => node('Tag', el('Key', t.key), el('Value', t.value))));
}

export const s3Service = restXmlService({
  name: 'S3',
  signingName: 's3',
  rejectsAuthFailureRegions: true,
  version: '2006-03-01',
  xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
  errorStyle: 's3',
  // Each operation checks its own IAM action (they differ from the operation names).
  permissionCheck: 'in-operation',
  operations: {
    ListBuckets: { method: 'GET', path: '/', output: 'ListAllMyBucketsResult', handler: listBuckets },
    ListMultipartUploads: { method: 'GET', path: '/{Bucket}/?uploads', output: 'ListMultipartUploadsResult', handler: listMultipartUploads },
    ListParts: { method: 'GET', path: '/{Bucket}/{Key+}?uploadId', output: 'ListPartsResult', handler: listParts },
    AbortMultipartUpload: { method: 'DELETE', path: '/{Bucket}/{Key+}?uploadId', status: 204, handler: abortMultipartUpload },
    GetBucketLifecycleConfiguration: { method: 'GET', path: '/{Bucket}/?lifecycle', output: 'LifecycleConfiguration', handler: getLifecycle },
    PutBucketLifecycleConfiguration: { method: 'PUT', path: '/{Bucket}/?lifecycle', handler: putLifecycle },
    GetBucketTagging: { method: 'GET', path: '/{Bucket}/?tagging', output: 'Tagging', handler: getTagging },
  },
});
