/**
 * Incomplete S3 multipart uploads (s3-incomplete-uploads.ts): how a bucket's uploads are read and judged (shared by the
 * scan, the re-check and the actions, kept here so the kind module imports this one and not the other way round), the
 * re-check, and the two cleanup actions.
 *
 * - `abort` (default, removes): lists the bucket's uploads again and calls AbortMultipartUpload for each upload that is
 *   the finding's — initiated at or before the review's cutoff (`details.cutoff`, the scan's "now" minus the age
 *   limit) and older than the limit now. An upload started after the review, or younger than the limit, is never
 *   aborted. One audited call per upload, at most 8 at a time; an upload gone meanwhile (NoSuchUpload) is "already gone".
 * - `add-lifecycle-rule` (does not remove: AWS aborts the uploads itself, "within a day" of them passing the rule's age,
 *   so the finding stays for the next scan): GetBucketLifecycleConfiguration (NoSuchLifecycleConfiguration = none),
 *   merged by s3-lifecycle.ts (every rule kept, one whole-bucket AbortIncompleteMultipartUpload rule of 7 days
 *   appended), then one audited PutBucketLifecycleConfiguration of the whole configuration (the SDK adds its CRC32
 *   checksum header, which S3 requires). Refused with the reason when a rule already covers the bucket. S3 offers no
 *   conditional lifecycle put: a change made by someone between the read and the write would be overwritten.
 *
 * Re-check: ListMultipartUploads again (the bucket gone, or none of the reviewed uploads left: gone), GetBucketTagging
 * (protection; NoSuchTagSet = no tags), GetBucketLifecycleConfiguration (whether the lifecycle action still applies).
 * The parts' sizes are not read again: the cost stays as the scan measured it.
 */
import {
  AbortMultipartUploadCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  ListMultipartUploadsCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
  type MultipartUpload,
} from '@aws-sdk/client-s3';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { price } from '../pricing/price-key';
import { s3StorageKey, s3StorageLabel } from '../pricing/keys/s3';
import { createLimiter } from '../scan/limiter';
import { clampPageSize } from './ec2-common';
import { ALREADY_GONE, auditedMutation, callLabel, failureOutcome, isMutationFailure, type MutationFailure } from './ec2-mutation';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { AuditedCall, DeleteContext, DeleteOutcome, Finding, HandlerContext, ItemParts, RecheckResult, StoredFinding } from './handler';
import { storedNumber, storedString } from './parts';
import { ABORT_RULE_DAYS, mergeAbortRule, wholeBucketAbortRule, type LifecycleConfig } from './s3-lifecycle';

export const S3_UPLOADS_TYPE = 's3:incomplete-uploads';
export const UPLOAD_AGE_SETTING = 's3IncompleteUploadDays';
export const DEFAULT_AGE_DAYS = 7;
export const DAY_MS = 86_400_000;
/** Per-bucket reads and aborts run at most this many at a time. */
export const S3_CONCURRENCY = 8;
/** Stale uploads sized per bucket (one paged ListParts each); more: size and cost unknown. */
export const MAX_SIZED_UPLOADS = 100;
const SAMPLES = 20;
const GIB = 1024 ** 3;

const READ_IAM = ['s3:ListBucketMultipartUploads', 's3:GetBucketTagging', 's3:GetLifecycleConfiguration'];

export const S3_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'abort',
    label: 'Abort the stale uploads',
    doneLabel: 'Aborted',
    description: 'Aborts each incomplete upload of the bucket that was older than the age limit at the review; S3 deletes their parts and stops billing them. Younger uploads are left alone.',
    warning: 'A client still uploading one of these would have to start again.',
    removes: true,
    iam: ['s3:AbortMultipartUpload', ...READ_IAM],
  },
  {
    id: 'add-lifecycle-rule',
    label: `Add a lifecycle rule that aborts incomplete uploads after ${ABORT_RULE_DAYS} days`,
    doneLabel: 'Rule added',
    description: `Adds the rule "cloud-cleaner-abort-incomplete-uploads" (whole bucket, abort after ${ABORT_RULE_DAYS} days) to the bucket's lifecycle configuration, keeping every existing rule. AWS then aborts these uploads and any future stale ones itself, within about a day.`,
    removes: false,
    iam: ['s3:PutLifecycleConfiguration', ...READ_IAM],
  },
];

export interface UploadFacts {
  key: string;
  uploadId: string;
  initiated: string;
  storageClass: string;
  /** Sum of its parts' sizes, or null when not read. */
  bytes: number | null;
}

export interface LifecycleFacts {
  /** A rule aborting uploads across the whole bucket, in words, or why none does. */
  summary: string;
  covered: boolean;
}

export interface BucketFacts {
  name: string;
  createdAt: string | null;
  tags: Record<string, string>;
  stale: UploadFacts[];
  /** Uploads not old enough (in progress, or too young to judge): left alone. */
  younger: number;
  lifecycle: LifecycleFacts | null;
  lifecycleError: string | null;
}

export function ageDays(ctx: Pick<HandlerContext, 'settings'>): number {
  const v = ctx.settings.kinds?.[UPLOAD_AGE_SETTING];
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : DEFAULT_AGE_DAYS;
}

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
export const isNoSuchBucket = (err: unknown): boolean => awsErrorCode(err) === 'NoSuchBucket';

// ---- reading AWS ----

/** Every incomplete upload of a bucket (paged by KeyMarker/UploadIdMarker). Throws AWS's error. */
export async function listUploads(ctx: HandlerContext, bucket: string): Promise<MultipartUpload[]> {
  const out: MultipartUpload[] = [];
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  for (;;) {
    const page = await ctx.client(S3Client).send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        MaxUploads: clampPageSize(ctx.pageSize, 1, 1000),
        ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
        ...(idMarker !== undefined ? { UploadIdMarker: idMarker } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    out.push(...(page.Uploads ?? []));
    if (page.IsTruncated !== true) return out;
    if (page.NextKeyMarker === keyMarker && page.NextUploadIdMarker === idMarker) throw new Error('s3:ListMultipartUploads answered the same markers twice');
    keyMarker = page.NextKeyMarker;
    idMarker = page.NextUploadIdMarker;
  }
}

/** The bucket's lifecycle configuration; null when it has none (NoSuchLifecycleConfiguration). Throws other errors. */
export async function readLifecycle(ctx: HandlerContext, bucket: string): Promise<LifecycleConfig | null> {
  try {
    const out = await ctx.client(S3Client).send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }), { abortSignal: ctx.signal });
    return { rules: out.Rules ?? [], ...(out.TransitionDefaultMinimumObjectSize !== undefined ? { transitionDefaultMinimumObjectSize: out.TransitionDefaultMinimumObjectSize } : {}) };
  } catch (err) {
    if (awsErrorCode(err) === 'NoSuchLifecycleConfiguration') return null;
    throw err;
  }
}

export function lifecycleFacts(config: LifecycleConfig | null): LifecycleFacts {
  const rule = config === null ? null : wholeBucketAbortRule(config.rules);
  if (rule === null) {
    return { summary: config === null ? 'None: the bucket has no lifecycle configuration' : 'None of its lifecycle rules aborts incomplete uploads for the whole bucket', covered: false };
  }
  return { summary: `Rule ${rule.id === null ? '(without an ID)' : `"${rule.id}"`} aborts them after ${rule.days} day${rule.days === 1 ? '' : 's'}`, covered: true };
}

/** The lifecycle facts, or the error code of a read that failed (never fails the caller). */
export async function lifecycleOrError(ctx: HandlerContext, bucket: string): Promise<{ facts: LifecycleFacts | null; error: string | null }> {
  try {
    return { facts: lifecycleFacts(await readLifecycle(ctx, bucket)), error: null };
  } catch (err) {
    return { facts: null, error: awsErrorCode(err) };
  }
}

async function bucketTags(ctx: HandlerContext, bucket: string): Promise<Record<string, string>> {
  try {
    return tagsToRecord((await ctx.client(S3Client).send(new GetBucketTaggingCommand({ Bucket: bucket }), { abortSignal: ctx.signal })).TagSet);
  } catch (err) {
    if (awsErrorCode(err) === 'NoSuchTagSet') return {};
    throw err;
  }
}

// ---- the finding ----

/** Uploads initiated at or before `cutoff`, oldest first (one without an Initiated time is never guessed old). */
export function staleOf(uploads: readonly MultipartUpload[], cutoff: Date): UploadFacts[] {
  return uploads
    .filter((u) => u.Key !== undefined && u.UploadId !== undefined && u.Initiated !== undefined && new Date(u.Initiated).getTime() <= cutoff.getTime())
    .map((u) => ({ key: u.Key!, uploadId: u.UploadId!, initiated: new Date(u.Initiated!).toISOString(), storageClass: u.StorageClass ?? 'STANDARD', bytes: null }))
    .sort((a, b) => a.initiated.localeCompare(b.initiated));
}

function costOf(ctx: HandlerContext, stale: readonly UploadFacts[]): { monthlyCost: number | null; costBasis: string; bytes: number | null } {
  if (stale.some((u) => u.bytes === null)) {
    const why = stale.length > MAX_SIZED_UPLOADS ? `${num(stale.length)} stale uploads, more than the ${MAX_SIZED_UPLOADS} Cloud Cleaner sizes per bucket (one ListParts listing each)` : 'the size of their parts was not read';
    return { monthlyCost: null, costBasis: `Cost unknown: ${why}`, bytes: null };
  }
  const byClass = new Map<string, number>();
  for (const u of stale) byClass.set(u.storageClass, (byClass.get(u.storageClass) ?? 0) + (u.bytes ?? 0));
  const bytes = [...byClass.values()].reduce((a, b) => a + b, 0);
  let total = 0;
  const terms: string[] = [];
  for (const [cls, b] of byClass) {
    const key = s3StorageKey(cls);
    const rate = key && ctx.prices ? price(ctx.prices, key) : null;
    if (rate === null) return { monthlyCost: null, costBasis: `Cost unknown: no ${s3StorageLabel(cls)} storage price (${ctx.region})`, bytes };
    total += (b / GIB) * rate;
    terms.push(`${num(b / GIB)} GB ${s3StorageLabel(cls)} × ${usd(rate)} per GB-month`);
  }
  return { monthlyCost: roundCost(total), costBasis: `Parts of ${num(stale.length)} stale upload${stale.length === 1 ? '' : 's'}: ${terms.join(' + ')} (${ctx.region})`, bytes };
}

/** The finding of a bucket with stale uploads; `cutoff`: uploads initiated at or before it are the finding's. */
export function toFinding(ctx: HandlerContext, b: BucketFacts, cutoff: Date): Finding {
  const days = ageDays(ctx);
  const cost = costOf(ctx, b.stale);
  const oldest = b.stale[0]?.initiated ?? null;
  const protectedReason = protectionByTag(b.tags, ctx.settings.protectionTagKey);
  const n = b.stale.length;
  return {
    resourceType: S3_UPLOADS_TYPE,
    resourceId: b.name,
    region: ctx.region,
    name: b.tags['Name'] ?? null,
    state: null,
    tags: b.tags,
    createdAt: b.createdAt,
    unused: n > 0,
    unusedReason:
      n > 0
        ? `${num(n)} incomplete multipart upload${n === 1 ? '' : 's'} started more than ${days} days ago (the oldest on ${oldest?.slice(0, 10) ?? '?'}): their parts bill as storage but never appear among the bucket's objects`
        : null,
    reasonCategory: n > 0 ? `Incomplete multipart uploads started more than ${days} days ago` : null,
    unusedSince: oldest,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      staleUploads: n,
      youngerUploads: b.younger,
      oldestInitiated: oldest,
      bytes: cost.bytes,
      gb: cost.bytes === null ? null : Math.round((cost.bytes / GIB) * 1000) / 1000,
      storageClasses: [...new Set(b.stale.map((u) => u.storageClass))].join(', '),
      ageDays: days,
      cutoff: cutoff.toISOString(),
      lifecycleAbortRule: b.lifecycle?.summary ?? `Not read${b.lifecycleError ? `: ${b.lifecycleError}` : ''}`,
      lifecycleCovered: b.lifecycle?.covered ?? null,
      uploads: b.stale.slice(0, SAMPLES),
    },
  };
}

/** The cutoff of the finding's uploads: the review's, or the age limit now if that is earlier (a longer setting). */
function effectiveCutoff(ctx: HandlerContext, stored: Finding): Date {
  const now = ctx.now.getTime() - ageDays(ctx) * DAY_MS;
  const reviewed = Date.parse(storedString(stored.details['cutoff']) ?? '');
  return new Date(Number.isFinite(reviewed) ? Math.min(reviewed, now) : now);
}

// ---- refusal, parts, re-check ----

export function s3ActionRefusal(finding: Finding, action: string): string | null {
  if (action === 'add-lifecycle-rule' && finding.details['lifecycleCovered'] === true) {
    return `Its lifecycle configuration already aborts incomplete uploads (${String(finding.details['lifecycleAbortRule'])}): abort them instead`;
  }
  return null;
}

export function s3Parts(finding: Finding, _settings: unknown, options: { action?: string }): ItemParts {
  const own = { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis };
  if (options.action !== 'add-lifecycle-rule') return { own, parts: [] };
  const days = storedNumber(finding.details['ageDays']) ?? DEFAULT_AGE_DAYS;
  if (days < ABORT_RULE_DAYS) {
    return { own: { monthlyCost: null, costBasis: `Unknown: the rule aborts uploads older than ${ABORT_RULE_DAYS} days, and some of these are younger (flagged from ${days} days)` } , parts: [] };
  }
  return { own: { monthlyCost: finding.monthlyCost, costBasis: `AWS aborts these uploads (all older than ${ABORT_RULE_DAYS} days) within about a day of the rule, and future ones after ${ABORT_RULE_DAYS} days; ${finding.costBasis}` }, parts: [] };
}

export async function s3Recheck(ctx: HandlerContext, stored: StoredFinding): Promise<RecheckResult> {
  const bucket = stored.resourceId;
  let uploads: MultipartUpload[];
  try {
    uploads = await listUploads(ctx, bucket);
  } catch (err) {
    if (isNoSuchBucket(err)) return { status: 'gone', reason: 'The bucket no longer exists' };
    throw err;
  }
  const cutoff = effectiveCutoff(ctx, stored);
  const stale = staleOf(uploads, cutoff);
  if (stale.length === 0) return { status: 'gone', reason: 'None of the reviewed incomplete uploads remains (completed or aborted since)' };
  const [tags, lc] = await Promise.all([bucketTags(ctx, bucket), lifecycleOrError(ctx, bucket)]);
  const facts: BucketFacts = { name: bucket, createdAt: stored.createdAt, tags, stale, younger: uploads.length - stale.length, lifecycle: lc.facts, lifecycleError: lc.error };
  const fresh = toFinding(ctx, facts, cutoff);
  // The parts are not sized again: the cost is the scan's.
  const current: Finding = { ...fresh, monthlyCost: stored.monthlyCost, costBasis: stored.costBasis, details: { ...fresh.details, bytes: stored.details['bytes'] ?? null, gb: stored.details['gb'] ?? null } };
  if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
  const no = s3ActionRefusal(current, ctx.action ?? 'abort');
  if (no !== null) return { status: 'changed', reason: no, current };
  return { status: 'unchanged', current };
}

// ---- the actions ----

async function abortStale(ctx: DeleteContext, stored: StoredFinding): Promise<DeleteOutcome> {
  const bucket = stored.resourceId;
  let uploads: MultipartUpload[];
  try {
    uploads = await listUploads(ctx, bucket);
  } catch (err) {
    if (isNoSuchBucket(err)) return { kind: 'deleted', calls: [`ListMultipartUploads ${bucket} (bucket gone)`] };
    return { kind: 'failed', code: awsErrorCode(err), message: err instanceof Error ? err.message : String(err) };
  }
  const targets = staleOf(uploads, effectiveCutoff(ctx, stored));
  const limit = createLimiter(S3_CONCURRENCY);
  const results = await Promise.all(
    targets.map((u) =>
      limit(async () => {
        const call: AuditedCall = { action: 'AbortMultipartUpload', target: `s3://${bucket}/${u.key} (upload ${u.uploadId})`, dryRun: false };
        const result = await auditedMutation(ctx, call, async () => {
          try {
            return await ctx.client(S3Client).send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.uploadId }), { abortSignal: ctx.signal });
          } catch (err) {
            // Completed or aborted since the listing: what the call was for.
            if (awsErrorCode(err) === 'NoSuchUpload') return ALREADY_GONE;
            throw err;
          }
        });
        return { call, result };
      }),
    ),
  );
  const failed = results.find((r) => isMutationFailure(r.result));
  if (failed !== undefined) {
    const f = failureOutcome(failed.result as MutationFailure);
    const done = results.filter((r) => !isMutationFailure(r.result)).length;
    return f.kind === 'failed' ? { ...f, message: `${f.message} (${done} of ${results.length} uploads aborted)` } : f;
  }
  return { kind: 'deleted', calls: results.map((r) => callLabel(r.call, r.result)) };
}

async function addLifecycleRule(ctx: DeleteContext, stored: StoredFinding): Promise<DeleteOutcome> {
  const bucket = stored.resourceId;
  let current: LifecycleConfig | null;
  try {
    current = await readLifecycle(ctx, bucket);
  } catch (err) {
    const code = awsErrorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    return code === 'AccessDenied' ? { kind: 'unauthorized', code, message } : { kind: 'failed', code, message: `Reading the lifecycle configuration failed, nothing written: ${message}` };
  }
  const merge = mergeAbortRule(current);
  if (merge.kind === 'refused') return { kind: 'refused', reason: merge.reason };
  const call: AuditedCall = { action: 'PutBucketLifecycleConfiguration', target: bucket, dryRun: false };
  const result = await auditedMutation(ctx, call, () =>
    ctx.client(S3Client).send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: merge.config.rules },
        ...(merge.config.transitionDefaultMinimumObjectSize !== undefined ? { TransitionDefaultMinimumObjectSize: merge.config.transitionDefaultMinimumObjectSize as never } : {}),
      }),
      { abortSignal: ctx.signal },
    ),
  );
  if (isMutationFailure(result)) return failureOutcome(result);
  return { kind: 'deleted', calls: [`${callLabel(call, result)} (${merge.config.rules.length - 1} existing rule${merge.config.rules.length === 2 ? '' : 's'} kept, "${merge.rule.ID ?? ''}" added)`] };
}

export async function s3Delete(ctx: DeleteContext, stored: StoredFinding, { dryRun }: { dryRun: boolean }): Promise<DeleteOutcome> {
  const protectedBy = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
  if (dryRun) return { kind: 'checked', calls: [], note: 'S3 has no DryRun: verified by the re-check and an IAM permission check' };
  const action = ctx.action ?? 'abort';
  const no = s3ActionRefusal(stored, action);
  if (no !== null) return { kind: 'refused', reason: no };
  if (action === 'abort') return abortStale(ctx, stored);
  if (action === 'add-lifecycle-rule') return addLifecycleRule(ctx, stored);
  return { kind: 'failed', code: 'UnknownAction', message: `Incomplete S3 uploads have no action "${action}"` };
}
