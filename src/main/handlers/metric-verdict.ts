/**
 * What a metric verdict (metrics/verdict.ts) means for a finding, the same for every metric-based kind: idle →
 * unused, with "since" the window's first day (CloudWatch shows no activity from then on: a measured lower bound, and
 * the reason says "at least"); active or unknown → not unused, and `details.activity` says which, in words (unknown is
 * shown as unknown, never as idle).
 */
import type { Activity } from '../metrics/types';

export interface ActivityFields {
  unused: boolean;
  unusedReason: string | null;
  unusedSince: string | null;
  /** `details.activity`: the verdict in a sentence, whatever it is. */
  activity: string;
}

export function activityFields(a: Activity): ActivityFields {
  if (a.verdict === 'idle') {
    return {
      unused: true,
      unusedReason: `${a.reason} (idle at least since ${a.window.start})`,
      unusedSince: `${a.window.start}T00:00:00.000Z`,
      activity: `Idle: ${a.reason}`,
    };
  }
  return {
    unused: false,
    unusedReason: null,
    unusedSince: null,
    activity: a.verdict === 'active' ? a.reason : `Unknown: ${a.reason}`,
  };
}

/** The day after `day` (YYYY-MM-DD) as an ISO instant: a resource last active on `day` is unused since the next. */
export function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
}
