import type { LifecycleRule } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ABORT_RULE_ID, abortRule, appliesToWholeBucket, lifecycleRefusal, MAX_LIFECYCLE_RULES, mergeAbortRule, wholeBucketAbortRule } from './s3-lifecycle';

/** Rules of every shape S3 answers, in an order the merge must keep. */
const EXISTING: LifecycleRule[] = [
  { ID: 'logs-to-ia', Filter: { Prefix: 'logs/' }, Status: 'Enabled', Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'GLACIER' }], Expiration: { Days: 365 } },
  { ID: 'legacy', Prefix: 'old/', Status: 'Disabled', Expiration: { Date: new Date('2027-01-01T00:00:00Z') } },
  {
    ID: 'versions',
    Filter: { And: { Prefix: 'data/', Tags: [{ Key: 'keep', Value: 'no' }], ObjectSizeGreaterThan: 1024 } },
    Status: 'Enabled',
    NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: 'GLACIER_IR', NewerNoncurrentVersions: 3 }],
    NoncurrentVersionExpiration: { NoncurrentDays: 90, NewerNoncurrentVersions: 5 },
  },
  { ID: 'markers', Filter: {}, Status: 'Enabled', Expiration: { ExpiredObjectDeleteMarker: true } },
  { ID: 'tmp-aborts', Filter: { Prefix: 'tmp/' }, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
];

describe('mergeAbortRule', () => {
  it('keeps every existing rule as it was, in order, and appends the abort rule for the whole bucket', () => {
    const snapshot = structuredClone(EXISTING);
    const out = mergeAbortRule({ rules: EXISTING, transitionDefaultMinimumObjectSize: 'varies_by_storage_class' });
    expect(out.kind).toBe('add');
    if (out.kind !== 'add') return;
    expect(out.config.rules.slice(0, EXISTING.length)).toEqual(snapshot);
    expect(out.config.rules.at(-1)).toEqual({ ID: ABORT_RULE_ID, Filter: { Prefix: '' }, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } });
    expect(out.config.rules).toHaveLength(EXISTING.length + 1);
    // The configuration-wide setting goes back as it was (a put without it would reset it to S3's default).
    expect(out.config.transitionDefaultMinimumObjectSize).toBe('varies_by_storage_class');
    // The input is not changed.
    expect(EXISTING).toEqual(snapshot);
  });

  it('a bucket without a configuration gets the one rule', () => {
    expect(mergeAbortRule(null)).toEqual({ kind: 'add', config: { rules: [abortRule()] }, rule: abortRule() });
  });

  it('is idempotent: merged once, a second merge adds nothing and says why', () => {
    const first = mergeAbortRule({ rules: EXISTING });
    if (first.kind !== 'add') throw new Error('expected add');
    expect(mergeAbortRule(first.config)).toEqual({
      kind: 'refused',
      reason: `Its lifecycle rule "${ABORT_RULE_ID}" already aborts incomplete uploads after 7 days for the whole bucket`,
    });
  });

  it("refuses when someone's enabled whole-bucket rule already aborts uploads, whatever its days or filter spelling", () => {
    for (const rule of [
      { ID: 'theirs', Filter: {}, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 30 } },
      { ID: 'theirs', Filter: { Prefix: '' }, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 30 } },
      { ID: 'theirs', Prefix: '', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 30 } },
    ] as LifecycleRule[]) {
      expect(mergeAbortRule({ rules: [...EXISTING, rule] })).toEqual({
        kind: 'refused',
        reason: 'Its lifecycle rule "theirs" already aborts incomplete uploads after 30 days for the whole bucket',
      });
    }
    const unnamed = mergeAbortRule({ rules: [{ Filter: {}, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] });
    expect(unnamed).toEqual({ kind: 'refused', reason: 'Its lifecycle rule (without an ID) already aborts incomplete uploads after 1 day for the whole bucket' });
  });

  it('a disabled or prefix-limited abort rule does not cover the bucket; Cloud Cleaner never edits a rule with its own ID', () => {
    expect(wholeBucketAbortRule(EXISTING)).toBeNull(); // tmp-aborts covers tmp/ only
    const disabled: LifecycleRule = { ID: 'off', Filter: {}, Status: 'Disabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } };
    expect(mergeAbortRule({ rules: [disabled] }).kind).toBe('add');
    const oursOff: LifecycleRule = { ...abortRule(), Status: 'Disabled' };
    expect(lifecycleRefusal([oursOff])).toBe(`A lifecycle rule named "${ABORT_RULE_ID}" exists but is disabled: Cloud Cleaner leaves it as it is`);
    const oursNarrowed: LifecycleRule = { ...abortRule(), Filter: { Prefix: 'x/' } };
    expect(lifecycleRefusal([oursNarrowed])).toBe(`A lifecycle rule named "${ABORT_RULE_ID}" exists but does not cover the whole bucket: Cloud Cleaner leaves it as it is`);
  });

  it("respects S3's limit of 1,000 rules", () => {
    const full: LifecycleRule[] = Array.from({ length: MAX_LIFECYCLE_RULES }, (_, i) => ({ ID: `r${i}`, Filter: { Prefix: `p${i}/` }, Status: 'Enabled', Expiration: { Days: 30 } }));
    expect(mergeAbortRule({ rules: full })).toEqual({ kind: 'refused', reason: "Its lifecycle configuration already has S3's limit of 1000 rules" });
    const out = mergeAbortRule({ rules: full.slice(1) });
    expect(out.kind === 'add' ? out.config.rules.length : 0).toBe(MAX_LIFECYCLE_RULES);
  });

  it('tells a whole-bucket filter from a narrower one', () => {
    expect(appliesToWholeBucket({ Status: 'Enabled' })).toBe(true);
    expect(appliesToWholeBucket({ Status: 'Enabled', Filter: { And: { Prefix: '', Tags: [] } } })).toBe(true);
    expect(appliesToWholeBucket({ Status: 'Enabled', Filter: { Tag: { Key: 'a', Value: 'b' } } })).toBe(false);
    expect(appliesToWholeBucket({ Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 1 } })).toBe(false);
    expect(appliesToWholeBucket({ Status: 'Enabled', Filter: { And: { Prefix: 'a/', ObjectSizeLessThan: 9 } } })).toBe(false);
    expect(appliesToWholeBucket({ Status: 'Enabled', Prefix: 'a/' })).toBe(false);
  });
});
