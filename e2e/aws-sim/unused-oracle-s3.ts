/**
 * The S3 kind's definition of "unused", evaluated directly on the simulator state (unused-oracle.ts calls it per
 * region). Written from the handler's header comment (src/main/handlers/s3-incomplete-uploads.ts), not from its code.
 * Protection (the bucket's tags) is NOT considered here: a protected bucket is still reported.
 *
 * - `s3:incomplete-uploads` (id = bucket name, in the bucket's region): the bucket has at least one incomplete
 *   multipart upload initiated at or before `now` minus 7 days (the kind's default age limit). A bucket whose uploads are
 *   all younger, or that has none, is not a finding.
 */
import type { UnusedResource } from './generator';
import type { SimRegion } from './state';

/** The kind's default age limit (days). */
const AGE_DAYS = 7;

export function s3Unused(r: SimRegion, _accountId: string, now: Date, out: UnusedResource[]): void {
  const cutoff = now.getTime() - AGE_DAYS * 86_400_000;
  for (const b of r.s3.buckets.values()) {
    if ([...b.uploads.values()].some((u) => u.initiated.getTime() <= cutoff)) out.push({ type: 's3:incomplete-uploads', region: r.name, id: b.name });
  }
}
