/**
 * The log-group kinds' definitions of "unused", evaluated directly on the simulator state (unused-oracle.ts calls it per
 * region). Written from the header of src/main/handlers/logs-groups-common.ts, not from its code. Protection (tags,
 * deletion protection) is NOT considered here: a protected group is still unused.
 *
 * Default settings: dead after 90 days without ingestion; ingestion read over 180 whole UTC days ending today 00:00 UTC.
 *
 * - `logs:dead-log-group`: created at least 90 days before now, and either (a) `AWS/Logs` IncomingBytes {LogGroupName}
 *   has a datapoint above 0 in the window and none above 0 on the last 90 days, or (b) none above 0 in the whole window,
 *   the group was created at or before the window's first instant, and the metric's shape is known in the region:
 *   every window day has a datapoint, or some IncomingBytes {LogGroupName} series has a datapoint in the last 14 days
 *   (what ListMetrics lists) or in the window (a series the scan fetched with data confirms the shape too).
 * - `logs:log-group`: no retention set, and not dead (a dead group is the dead kind's only).
 */
import type { UnusedResource } from './generator';
import { DAY_MS, findSeries, hasDataSince, LIST_METRICS_LOOKBACK_DAYS, utcDay } from './metrics-state';
import type { SimRegion } from './state';

const DEAD_DAYS = 90;
const WINDOW_DAYS = 180;

export function logsUnused(r: SimRegion, _accountId: string, now: Date, out: UnusedResource[]): void {
  const today = utcDay(now);
  const windowStart = today - WINDOW_DAYS * DAY_MS;
  const cutoff = today - DEAD_DAYS * DAY_MS;
  const windowDays = Array.from({ length: WINDOW_DAYS }, (_, i) => windowStart + i * DAY_MS);
  const shapeSeries = [...r.metrics.values()].filter(
    (s) => s.namespace === 'AWS/Logs' && s.metricName === 'IncomingBytes' && s.dimensions.length === 1 && s.dimensions[0]!.name === 'LogGroupName',
  );
  const shapeKnown =
    shapeSeries.some((s) => hasDataSince(s, today - LIST_METRICS_LOOKBACK_DAYS * DAY_MS)) ||
    shapeSeries.some((s) => windowDays.some((d) => s.days.has(d)));

  for (const g of r.logs.groups.values()) {
    const s = findSeries(r.metrics, 'AWS/Logs', 'IncomingBytes', { LogGroupName: g.name });
    const positive = windowDays.filter((d) => (s?.days.get(d) ?? 0) > 0);
    const last = positive.at(-1);
    const oldEnough = g.creationTime <= now.getTime() - DEAD_DAYS * DAY_MS;
    let isDead = false;
    if (oldEnough && last !== undefined) isDead = last < cutoff;
    else if (oldEnough && last === undefined) {
      const everyDay = s !== undefined && windowDays.every((d) => s.days.has(d));
      isDead = g.creationTime <= windowStart && (everyDay || shapeKnown);
    }
    if (isDead) out.push({ type: 'logs:dead-log-group', region: r.name, id: g.name });
    else if (g.retentionInDays === undefined) out.push({ type: 'logs:log-group', region: r.name, id: g.name });
  }
}
