import { DEFAULT_METRICS_LOOKBACK_DAYS, MIN_METRICS_LOOKBACK_DAYS, type MetricsWindow } from './types';

export const DAY_MS = 86_400_000;

/**
 * The lookback as whole UTC days ending at today 00:00 UTC: every day judged is complete, and scans on the same day
 * ask for (and cache) exactly the same window. Fewer days than the minimum are raised to it.
 */
export function metricsWindow(now: Date, days: number = DEFAULT_METRICS_LOOKBACK_DAYS): MetricsWindow {
  const d = Math.max(MIN_METRICS_LOOKBACK_DAYS, Math.floor(days));
  const end = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  return { start: new Date(end.getTime() - d * DAY_MS), end, days: d };
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The window's days, oldest first. */
export function windowDays(w: MetricsWindow): string[] {
  const out: string[] = [];
  for (let t = w.start.getTime(); t < w.end.getTime(); t += DAY_MS) out.push(isoDay(new Date(t)));
  return out;
}
