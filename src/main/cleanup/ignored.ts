import type { FindingSnoozeDto } from '../../shared/dto/snooze';

const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });

/** Why an ignored finding is not in a plan: "Ignored until Jan 3, 2027: waiting for the migration". */
export function ignoredRefusal(s: FindingSnoozeDto): string {
  const scope = s.scope === 'tag' ? ` (every finding tagged ${s.tagKey ?? ''}=${s.tagValue ?? ''})` : '';
  // An end is the midnight after the last day ignored: that day is the one named.
  const until = s.until === null ? ' for good' : ` until ${day.format(new Date(Date.parse(s.until) - 1))}`;
  return `Ignored${scope}${until}: ${s.reason}. Stop ignoring it to clean it up.`;
}
