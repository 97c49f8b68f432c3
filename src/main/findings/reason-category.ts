/**
 * A finding's reason as a filter category: what its sentence says, without what differs from one resource to the
 * next (day counts, dates, ids, amounts), and without the detail after its first clause. "Stopped by the user 45 days
 * ago" and "… 120 days ago" are one category, "Stopped by the user N days ago"; "No traffic for 30 days: RequestCount 0
 * every day from …" is "No traffic for N days". A kind whose reason names a resource by a free name sets
 * `Finding.reasonCategory` itself.
 */

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z| UTC)?)?/g;
// AWS ids and ARNs: vol-0a1…, snap-…, i-…, eipalloc-…, sha256:…, arn:aws:…
const AWS_ID = /\b(?:arn:aws[\w-]*:\S+|sha256:[0-9a-f]+|[a-z]{1,12}-[0-9a-f]{8,})\b/g;
const AMOUNT = /\$\d[\d,]*(?:\.\d+)?/g;
const NUMBER = /\b\d[\d,]*(?:\.\d+)?\b/g;
const MAX_LENGTH = 80;

export function reasonCategory(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined) return null;
  const masked = reason.replace(ISO_INSTANT, 'a date').replace(AWS_ID, '…').replace(AMOUNT, '$N').replace(NUMBER, 'N');
  // The first clause: up to the first colon, semicolon, parenthesis or sentence end.
  const head = masked.split(/:\s|;|\s\(|\.\s/)[0]!.trim();
  const text = head.length > 0 ? head : masked.trim();
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1).trimEnd()}…` : text;
}
