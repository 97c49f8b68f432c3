/**
 * Snoozes ("ignore with a reason", issue #22): findings taken out of the totals until a date or for good, one finding
 * at a time or every finding with a tag. Expiry needs no write: a snooze whose `until` has passed simply stops matching.
 */
import { z } from 'zod';
import { idSchema } from './common';

export const SNOOZE_REASON_MAX = 500;
/** Longest snooze with an end: ten years (further than that, "for good" says it better). */
export const SNOOZE_MAX_DAYS = 3650;

export type SnoozeScope = 'finding' | 'tag';

/** The snooze a finding is under (on each finding of a list while it is current). */
export interface FindingSnoozeDto {
  id: number;
  scope: SnoozeScope;
  /** The tag of a `tag` snooze (null for a `finding` one). */
  tagKey: string | null;
  tagValue: string | null;
  reason: string;
  /** ISO time it ends; null = for good. */
  until: string | null;
  createdAt: string;
}

/** One snooze of the account, as listed (current or ended). */
export interface SnoozeDto extends FindingSnoozeDto {
  /** The finding of a `finding` snooze, by identity (null for a `tag` one). */
  resourceType: string | null;
  region: string | null;
  resourceId: string | null;
  /** The stored finding it names (`finding` scope), when there is one; what the drawer opens. */
  findingId: number | null;
  /** Until is null or later than now. */
  current: boolean;
  /** Active unused findings it covers now (a `finding` snooze: 0 or 1). */
  findings: number;
}

/** What a list of findings says about the findings the snoozes left out (or, in "only ignored", kept). */
export interface IgnoredTotalsDto {
  /** Matching findings under a current snooze. */
  findings: number;
  /** Their known potential savings (the one definition: unprotected findings' known savings). */
  monthlySavings: number;
}

/** The findings list's choice: leave ignored findings out (default), include them, or show only them. */
export const IGNORED_MODES = ['exclude', 'include', 'only'] as const;
export type IgnoredMode = (typeof IGNORED_MODES)[number];

const reasonSchema = z
  .string()
  .trim()
  .min(1, 'Say why these findings are ignored')
  .max(SNOOZE_REASON_MAX, `A reason has at most ${SNOOZE_REASON_MAX} characters`);

/** An ISO time with a zone; main checks it is in the future (and not past SNOOZE_MAX_DAYS). Null: for good. */
const untilSchema = z.iso.datetime({ offset: true }).nullable();

/**
 * A tag key or value as AWS allows them (letters, digits, spaces and _ . : / = + - @); no quote or backslash, so the
 * key can be looked up in the stored JSON as it is.
 */
const tagText = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .regex(/^[^"\\\u0000-\u001f]*$/, 'Tags hold no quotes, backslashes or control characters');

export const snoozeSetInput = z.discriminatedUnion('scope', [
  z.strictObject({
    scope: z.literal('finding'),
    /** Findings of the account (resources.id), e.g. the findings table's selection. */
    findingIds: z.array(idSchema).min(1).max(1000),
    reason: reasonSchema,
    until: untilSchema,
  }),
  z.strictObject({
    scope: z.literal('tag'),
    tagKey: tagText(128).min(1),
    tagValue: tagText(256),
    reason: reasonSchema,
    until: untilSchema,
  }),
]);
export type SnoozeSetInput = z.output<typeof snoozeSetInput>;

export interface SnoozeSetResultDto {
  /** The snoozes written (one per finding, or the tag's). */
  snoozes: SnoozeDto[];
  /** Active unused findings they cover now. */
  findings: number;
}

export const snoozeRemoveInput = z.strictObject({ id: idSchema });
