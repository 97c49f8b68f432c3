/**
 * CloudWatch metric series in the simulated account (`sim.state.region('us-east-1').metrics`), read by
 * services/cloudwatch.ts. A series is one metric — namespace + metric name + its exact dimension set — with one value
 * per UTC day: that day's aggregate, answered for every statistic (Sum, Maximum, Minimum, Average, SampleCount). A day
 * without a value has no datapoint (sparse metrics such as ELB RequestCount are published only when non-zero).
 * Fixture section: `resources[region].metrics` (fixture.ts, `MetricSeriesFixture`).
 */

export const DAY_MS = 86_400_000;

export interface SimDimension {
  name: string;
  value: string;
}

export interface SimMetricSeries {
  namespace: string;
  metricName: string;
  /** Sorted by name (dimension sets are order-insensitive). */
  dimensions: SimDimension[];
  /** UTC midnight (ms) → that day's value. */
  days: Map<number, number>;
}

/** Dimensions in canonical order. */
export function sortDimensions(dims: readonly SimDimension[]): SimDimension[] {
  return [...dims].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The map key of a series: namespace, metric name and the exact dimension set (names and values, order-insensitive). */
export function metricKey(namespace: string, metricName: string, dims: readonly SimDimension[]): string {
  return JSON.stringify([namespace, metricName, sortDimensions(dims).map((d) => [d.name, d.value])]);
}

/** UTC midnight (ms) of the day containing `t`. */
export function utcDay(t: number | Date): number {
  const ms = typeof t === 'number' ? t : t.getTime();
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * Adds (or replaces) a series. `daily` is oldest first; its LAST element is the UTC day before `now`'s day
 * ("yesterday"); `null` is a day without a datapoint.
 */
export function putDailySeries(
  into: Map<string, SimMetricSeries>,
  s: { namespace: string; metricName: string; dimensions: readonly SimDimension[]; daily: readonly (number | null)[] },
  now: Date,
): SimMetricSeries {
  const yesterday = utcDay(now) - DAY_MS;
  const days = new Map<number, number>();
  const n = s.daily.length;
  s.daily.forEach((v, i) => {
    if (v === null) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`fixture: metric ${s.namespace} ${s.metricName} has a non-numeric value ${String(v)}`);
    days.set(yesterday - (n - 1 - i) * DAY_MS, v);
  });
  const series: SimMetricSeries = { namespace: s.namespace, metricName: s.metricName, dimensions: sortDimensions(s.dimensions), days };
  into.set(metricKey(s.namespace, s.metricName, s.dimensions), series);
  return series;
}

/** The series with exactly these dimensions, if any. */
export function findSeries(
  metrics: ReadonlyMap<string, SimMetricSeries>,
  namespace: string,
  metricName: string,
  dims: readonly SimDimension[] | Record<string, string>,
): SimMetricSeries | undefined {
  const list = Array.isArray(dims) ? dims : Object.entries(dims).map(([name, value]) => ({ name, value }));
  return metrics.get(metricKey(namespace, metricName, list));
}

/** Has the series a datapoint on a day whose midnight is at or after `sinceMs` (ListMetrics' "recent data")? */
export function hasDataSince(s: SimMetricSeries, sinceMs: number): boolean {
  for (const d of s.days.keys()) if (d >= sinceMs) return true;
  return false;
}

/** How many days ListMetrics looks back: metrics without a datapoint in the past two weeks are not listed. */
export const LIST_METRICS_LOOKBACK_DAYS = 14;
