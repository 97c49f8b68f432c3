/**
 * The one rule every metric-based verdict applies ("no datapoints is not zero"), as a pure function of the series:
 *
 * - any datapoint above 0 in the window → active;
 * - a metric that is not sparse (CloudWatch publishes it while the resource exists, zero included) reads 0 only when it
 *   has a datapoint on every day of the window and each is 0; a missing day is unknown;
 * - a sparse metric (published only when non-zero) counts a missing day as 0 only when the resource is older than the
 *   window (it existed every day) and its namespace and dimension names are confirmed (CloudWatch lists that metric
 *   with exactly those dimension names in the region): a wrong namespace or dimension then stays unknown, never idle;
 * - idle = every metric reads 0; anything unknown (and nothing active) = unknown, and the resource is not called idle.
 */
import type { Activity, MetricQuery, MetricSeries, MetricsWindow, SeriesDetail } from './types';
import { isoDay, windowDays, DAY_MS } from './window';

export interface JudgeInput {
  series: readonly MetricSeries[];
  window: MetricsWindow;
  /** The resource's creation time; null = AWS does not say (then nothing is judged zero). */
  createdAt: Date | null;
  /** Is a sparse series' namespace + dimension-name set confirmed in its region? */
  shapeConfirmed(q: MetricQuery): boolean;
  /** What activity is, in a word: "traffic", "connections". */
  activity: string;
}

export function dimensionNames(q: MetricQuery): string[] {
  return Object.keys(q.dimensions).sort();
}

function describeQuery(q: MetricQuery): string {
  return `${q.spec.namespace} ${q.spec.metricName} (${q.spec.stat})`;
}

export function ruleText(queries: readonly MetricQuery[], w: MetricsWindow): string {
  const metrics = queries.map(describeQuery).join(', ');
  const [first, last] = [isoDay(w.start), isoDay(new Date(w.end.getTime() - DAY_MS))];
  return (
    `Idle when every metric is 0 on every day from ${first} to ${last} (${w.days} days, daily periods): ${metrics}. ` +
    'Any datapoint above 0 means in use. A metric CloudWatch publishes continuously must have a datapoint each day (a missing day is unknown, not 0); ' +
    'a sparse metric (published only when non-zero) counts a missing day as 0 only when the resource is older than the window and CloudWatch lists ' +
    'that metric with the same dimension names in the region. Anything unknown: not called idle.'
  );
}

type Reading = { kind: 'active'; day: string; value: number } | { kind: 'zero'; note: string } | { kind: 'unknown'; why: string };

function read(s: MetricSeries, input: JudgeInput, days: readonly string[]): Reading {
  const w = input.window;
  const inWindow = s.points.filter(([d]) => d >= days[0]! && d <= days.at(-1)!);
  let best: { day: string; value: number } | null = null;
  for (const [day, value] of inWindow) if (value > 0 && (best === null || day > best.day)) best = { day, value };
  if (best !== null) return { kind: 'active', ...best };
  if (s.status !== 'Complete') return { kind: 'unknown', why: `CloudWatch answered ${s.status} for ${describeQuery(s.query)}` };
  const created = input.createdAt;
  if (created === null) return { kind: 'unknown', why: 'AWS gives no creation time, so the days before it cannot be judged' };
  if (created.getTime() > w.start.getTime()) {
    return { kind: 'unknown', why: `created ${isoDay(created)}, inside the ${w.days}-day lookback (too young to judge)` };
  }
  const missing = days.length - new Set(inWindow.map(([d]) => d)).size;
  if (!s.query.spec.sparse) {
    if (missing > 0) {
      return {
        kind: 'unknown',
        why: `${describeQuery(s.query)} has no datapoints on ${missing} of ${days.length} days (CloudWatch publishes it continuously: a missing day is not 0)`,
      };
    }
    return { kind: 'zero', note: `0 on all ${days.length} days` };
  }
  if (missing > 0 && !input.shapeConfirmed(s.query)) {
    return {
      kind: 'unknown',
      why:
        `CloudWatch lists no ${s.query.spec.namespace} ${s.query.spec.metricName} with dimensions {${dimensionNames(s.query).join(', ')}} in this region ` +
        'in the last 14 days, so the namespace and dimensions cannot be confirmed and missing days are not counted as 0',
    };
  }
  return { kind: 'zero', note: missing === 0 ? `0 on all ${days.length} days` : `no datapoint on ${missing} of ${days.length} days (sparse: counted as 0), the rest 0` };
}

export function judgeActivity(input: JudgeInput): Activity {
  const w = input.window;
  const days = windowDays(w);
  const readings = input.series.map((s) => read(s, input, days));
  const series: SeriesDetail[] = input.series.map((s, i) => {
    const r = readings[i]!;
    return {
      namespace: s.query.spec.namespace,
      metricName: s.query.spec.metricName,
      stat: s.query.spec.stat,
      unit: s.query.spec.unit,
      dimensions: { ...s.query.dimensions },
      sparse: s.query.spec.sparse,
      points: s.points.filter(([d]) => d >= days[0]! && d <= days.at(-1)!).map(([d, v]) => [d, v] as const),
      reading: r.kind === 'active' ? `active: ${r.value} on ${r.day}` : r.kind === 'zero' ? `zero: ${r.note}` : `unknown: ${r.why}`,
    };
  });
  const base = {
    rule: ruleText(input.series.map((s) => s.query), w),
    window: { start: isoDay(w.start), end: isoDay(w.end), days: w.days },
    series,
  };
  let latest: { day: string; value: number; q: MetricQuery } | null = null;
  readings.forEach((r, i) => {
    if (r.kind === 'active' && (latest === null || r.day > latest.day)) latest = { day: r.day, value: r.value, q: input.series[i]!.query };
  });
  if (latest !== null) {
    const l = latest as { day: string; value: number; q: MetricQuery };
    return {
      ...base,
      verdict: 'active',
      reason: `In use: ${l.q.spec.metricName} ${l.value} ${l.q.spec.unit} on ${l.day}`,
      lastActiveDay: l.day,
    };
  }
  const unknown = readings.find((r): r is Extract<Reading, { kind: 'unknown' }> => r.kind === 'unknown');
  if (unknown !== undefined || input.series.length === 0) {
    return {
      ...base,
      verdict: 'unknown',
      reason: `No ${input.activity} seen, but idleness is unknown: ${unknown?.why ?? 'no metric was read'}`,
      lastActiveDay: null,
    };
  }
  const names = [...new Set(input.series.map((s) => s.query.spec.metricName))].join(', ');
  const lastDay = isoDay(new Date(w.end.getTime() - DAY_MS));
  return {
    ...base,
    verdict: 'idle',
    reason: `No ${input.activity} for ${w.days} days: ${names} 0 every day from ${isoDay(w.start)} to ${lastDay}`,
    lastActiveDay: null,
  };
}
