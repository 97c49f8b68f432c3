/**
 * What a metric-based verdict stores in a finding's `details.metrics` (the drawer draws it): the series CloudWatch
 * returned, each one's reading, the verdict and the exact rule. Written by src/main/metrics/verdict.ts.
 */

/** One day's value: `[YYYY-MM-DD, value]`. */
export type DayPoint = readonly [day: string, value: number];

export interface SeriesDetailDto {
  namespace: string;
  metricName: string;
  stat: 'Sum' | 'Maximum' | 'Average' | 'Minimum' | 'SampleCount';
  /** The unit for people: "connections", "bytes", "requests". */
  unit: string;
  dimensions: Record<string, string>;
  /** Published only when non-zero. */
  sparse: boolean;
  /** Days with a datapoint, ascending (a missing day is absent, not 0). */
  points: DayPoint[];
  /** What this series says on its own: `active: …`, `zero: …`, or `unknown: why`. */
  reading: string;
}

export type ActivityVerdict = 'active' | 'idle' | 'unknown';

export interface ActivityDto {
  verdict: ActivityVerdict;
  reason: string;
  rule: string;
  /** `start` inclusive, `end` exclusive (YYYY-MM-DD). */
  window: { start: string; end: string; days: number };
  lastActiveDay: string | null;
  series: SeriesDetailDto[];
}

/** A finding's `details.metrics`, when it has one. */
export function activityOf(details: Record<string, unknown> | null | undefined): ActivityDto | null {
  const m = details?.['metrics'];
  if (typeof m !== 'object' || m === null) return null;
  const a = m as Partial<ActivityDto>;
  if (typeof a.verdict !== 'string' || typeof a.rule !== 'string' || !Array.isArray(a.series) || typeof a.window !== 'object') return null;
  return a as ActivityDto;
}
