/**
 * Words and dates of an ignore (snooze). An end is stored as an instant: the local midnight after the last day ignored,
 * so "until Jan 6, 2027" means through that day, and the finding is back the next morning.
 */
import type { FindingSnoozeDto } from '../../../../shared/dto/snooze';

const dayFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** The last day an end covers ("Jan 6, 2027"). */
export function lastDayIgnored(until: string): string {
  const t = Date.parse(until);
  return Number.isNaN(t) ? until : dayFormat.format(new Date(t - 1));
}

/** "Ignored until Jan 6, 2027" or "Ignored for good". */
export function ignoredLabel(s: Pick<FindingSnoozeDto, 'until'>): string {
  return s.until === null ? 'Ignored for good' : `Ignored until ${lastDayIgnored(s.until)}`;
}

/** What the ignore covers: "this finding" or "every finding tagged env=dev". */
export function scopeText(s: Pick<FindingSnoozeDto, 'scope' | 'tagKey' | 'tagValue'>): string {
  return s.scope === 'tag' ? `every finding tagged ${s.tagKey ?? ''}=${s.tagValue ?? ''}` : 'this finding';
}

/** "Ignored until Jan 6, 2027: kept for the audit" (with the tag when the ignore is by tag). */
export function ignoredSentence(s: FindingSnoozeDto): string {
  const tag = s.scope === 'tag' ? ` (tag ${s.tagKey ?? ''}=${s.tagValue ?? ''})` : '';
  return `${ignoredLabel(s)}${tag}: ${s.reason}`;
}

/** The end of an ignore of `days` days from today: the local midnight after the last day. */
export function endAfterDays(days: number, now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days + 1);
  return d.toISOString();
}

/** A date input's value (YYYY-MM-DD, the last day ignored) as the end; null when not a date. */
export function endOfDay(day: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Today + n days as a date input's value (YYYY-MM-DD, local). */
export function dayInput(days: number, now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
