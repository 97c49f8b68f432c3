/**
 * The lifecycle merge of the `add-lifecycle-rule` action (s3-incomplete-uploads-actions.ts), a pure function.
 *
 * PutBucketLifecycleConfiguration replaces the whole configuration ("If you want to retain any configuration details,
 * they must be included in the new lifecycle configuration"), so the action reads the configuration, merges, and
 * writes the whole of it back. The merge keeps every existing rule exactly as S3 answered it (same objects, same order:
 * IDs, filters, transitions, expirations, noncurrent-version rules, legacy rule-level prefixes, disabled rules) and the
 * configuration's TransitionDefaultMinimumObjectSize, and appends one rule:
 * `{ ID: 'cloud-cleaner-abort-incomplete-uploads', Filter: { Prefix: '' }, Status: 'Enabled',
 *    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }` — an empty prefix filter applies to every object
 * (the S3 guide's own example of this rule uses it), and S3 refuses AbortIncompleteMultipartUpload with a tag filter.
 *
 * Nothing is added (the action is refused with the reason, never silently "done") when an enabled rule already aborts
 * incomplete uploads for the whole bucket (no tag, no size, an empty prefix), whatever its days — Cloud Cleaner never
 * changes someone's rule —, when a rule already has Cloud Cleaner's ID (it was changed or disabled by someone: left
 * alone), or when the configuration already has S3's limit of 1,000 rules. So a second run after a successful one
 * adds nothing.
 */
import type { LifecycleRule } from '@aws-sdk/client-s3';

export const ABORT_RULE_ID = 'cloud-cleaner-abort-incomplete-uploads';
/** The days of the rule the action adds (its label says 7). */
export const ABORT_RULE_DAYS = 7;
/** PutBucketLifecycleConfiguration: up to 1,000 rules. */
export const MAX_LIFECYCLE_RULES = 1000;

export interface LifecycleConfig {
  rules: LifecycleRule[];
  /** As GetBucketLifecycleConfiguration answered it (a header): written back unchanged. */
  transitionDefaultMinimumObjectSize?: string;
}

export type LifecycleMerge =
  | { kind: 'add'; config: LifecycleConfig; rule: LifecycleRule }
  | { kind: 'refused'; reason: string };

/** An enabled rule that aborts incomplete uploads for every object of the bucket: its ID and days, or null. */
export function wholeBucketAbortRule(rules: readonly LifecycleRule[]): { id: string | null; days: number } | null {
  for (const r of rules) {
    const days = r.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (r.Status !== 'Enabled' || days === undefined || !appliesToWholeBucket(r)) continue;
    return { id: r.ID ?? null, days };
  }
  return null;
}

/** No tag, no object size bound and an empty (or no) prefix, in the rule's Filter or its legacy Prefix. */
export function appliesToWholeBucket(r: LifecycleRule): boolean {
  const f = r.Filter;
  if (f === undefined) return (r.Prefix ?? '') === '';
  if (f.Tag !== undefined || f.ObjectSizeGreaterThan !== undefined || f.ObjectSizeLessThan !== undefined) return false;
  if (f.And !== undefined) {
    const a = f.And;
    if ((a.Tags?.length ?? 0) > 0 || a.ObjectSizeGreaterThan !== undefined || a.ObjectSizeLessThan !== undefined || (a.Prefix ?? '') !== '') return false;
  }
  return (f.Prefix ?? '') === '';
}

/** The rule the action adds. */
export function abortRule(days = ABORT_RULE_DAYS): LifecycleRule {
  return { ID: ABORT_RULE_ID, Filter: { Prefix: '' }, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: days } };
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

/** Why nothing would be added to this configuration, or null (the `add-lifecycle-rule` refusal). */
export function lifecycleRefusal(rules: readonly LifecycleRule[]): string | null {
  const covered = wholeBucketAbortRule(rules);
  if (covered !== null) {
    return `Its lifecycle rule ${covered.id === null ? '(without an ID)' : `"${covered.id}"`} already aborts incomplete uploads after ${plural(covered.days, 'day')} for the whole bucket`;
  }
  const ours = rules.find((r) => r.ID === ABORT_RULE_ID);
  if (ours !== undefined) {
    return `A lifecycle rule named "${ABORT_RULE_ID}" exists but ${ours.Status === 'Enabled' ? 'does not cover the whole bucket' : 'is disabled'}: Cloud Cleaner leaves it as it is`;
  }
  if (rules.length >= MAX_LIFECYCLE_RULES) return `Its lifecycle configuration already has S3's limit of ${MAX_LIFECYCLE_RULES} rules`;
  return null;
}

/** The whole configuration to put: every existing rule as it was, in order, then the abort rule. */
export function mergeAbortRule(current: LifecycleConfig | null, days = ABORT_RULE_DAYS): LifecycleMerge {
  const rules = current?.rules ?? [];
  const reason = lifecycleRefusal(rules);
  if (reason !== null) return { kind: 'refused', reason };
  const rule = abortRule(days);
  const config: LifecycleConfig = { rules: [...rules, rule] };
  if (current?.transitionDefaultMinimumObjectSize !== undefined) config.transitionDefaultMinimumObjectSize = current.transitionDefaultMinimumObjectSize;
  return { kind: 'add', config, rule };
}
