/**
 * CloudWatch activity (a finding's `details.metrics`) and the scan's CloudWatch cost meter, for people. Pure, no React.
 * A day without a datapoint is "no data", never 0: CloudWatch publishes some metrics only when non-zero, and an absent
 * day can also mean the resource did not exist or the metric was not collected.
 */
import type { ActivityDto, ActivityVerdict, SeriesDetailDto } from '../../../shared/dto/metrics';
import type { ScanMetricsMeterDto } from '../../../shared/dto/scans';
import { assertNever } from '../../../shared/assert-never';
import { formatCount, formatDay } from './format';

export interface VerdictBadge {
  label: string;
  color: string;
  variant: 'filled' | 'light' | 'outline';
  /** What the verdict means, for a tooltip or a caption. */
  hint: string;
}

/** The verdict as a badge: "unknown" reads as unknown (outlined, grey), never as idle. */
export function verdictBadge(verdict: ActivityVerdict): VerdictBadge {
  switch (verdict) {
    case 'active':
      return { label: 'In use', color: 'blue', variant: 'light', hint: 'CloudWatch shows activity in the window.' };
    case 'idle':
      return { label: 'Idle', color: 'orange', variant: 'light', hint: 'CloudWatch shows no activity in the whole window.' };
    case 'unknown':
      return { label: 'Unknown', color: 'gray', variant: 'outline', hint: 'CloudWatch data cannot tell whether it is in use: not judged idle.' };
    default:
      return assertNever(verdict);
  }
}

const DAY_MS = 86_400_000;
/** More days than any lookback the settings allow (455): a guard against a malformed window. */
const MAX_DAYS = 1000;

function dayMs(day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? null : t;
}

const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** The window's whole UTC days, `start` inclusive to `end` exclusive; empty when the window is malformed. */
export function windowDays(window: ActivityDto['window']): string[] {
  const start = dayMs(window.start);
  const end = dayMs(window.end);
  if (start === null || end === null || end <= start) return [];
  const days: string[] = [];
  for (let t = start; t < end && days.length < MAX_DAYS; t += DAY_MS) days.push(isoDay(t));
  return days;
}

/** The window's last day (its `end` is exclusive), as a YYYY-MM-DD day. */
export function lastWindowDay(window: ActivityDto['window']): string {
  const end = dayMs(window.end);
  return end === null ? window.end : isoDay(end - DAY_MS);
}

export interface ChartPoint {
  day: string;
  /** null = no datapoint that day (drawn as a gap, never as 0). */
  value: number | null;
}

/** One point per day of the window (and any datapoint outside it), in day order; a day without a datapoint is null. */
export function seriesChartData(series: Pick<SeriesDetailDto, 'points'>, window: ActivityDto['window']): ChartPoint[] {
  const values = new Map<string, number>();
  for (const p of series.points) {
    if (Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number' && Number.isFinite(p[1])) values.set(p[0], p[1]);
  }
  const days = new Set(windowDays(window));
  for (const d of values.keys()) days.add(d);
  return [...days].sort().map((day) => ({ day, value: values.get(day) ?? null }));
}

export interface DayRange {
  /** First and last day of a run without data. */
  from: string;
  to: string;
  days: number;
}

/** The runs of days without a datapoint. */
export function gapRanges(data: readonly ChartPoint[]): DayRange[] {
  const out: DayRange[] = [];
  let run: DayRange | null = null;
  for (const p of data) {
    if (p.value === null) {
      if (run) {
        run.to = p.day;
        run.days += 1;
      } else run = { from: p.day, to: p.day, days: 1 };
    } else if (run) {
      out.push(run);
      run = null;
    }
  }
  if (run) out.push(run);
  return out;
}

/**
 * Where to shade a gap on a category axis: from the last day with data before it to the first day with data after it
 * (the span where the line is broken), clipped to the chart's first and last day.
 */
export function gapShade(data: readonly ChartPoint[], gap: DayRange): { x1: string; x2: string } {
  const i = data.findIndex((p) => p.day === gap.from);
  const j = data.findIndex((p) => p.day === gap.to);
  const before = data[Math.max(0, i - 1)]?.day ?? gap.from;
  const after = data[Math.min(data.length - 1, j + 1)]?.day ?? gap.to;
  return { x1: before, x2: after };
}

/** "12 of 30 days without a datapoint (gaps, not zero)", or null when every day has one. */
export function noDataText(data: readonly ChartPoint[]): string | null {
  const missing = data.filter((p) => p.value === null).length;
  if (missing === 0) return null;
  if (missing === data.length) return `No datapoint on any of the ${formatCount(data.length)} days`;
  return `No datapoint on ${formatCount(missing)} of ${formatCount(data.length)} days (shown as gaps, not zero)`;
}

/** "LoadBalancer=app/web/123 · AvailabilityZone=us-east-1a", or "none". */
export function dimensionsText(dimensions: Record<string, string>): string {
  const entries = Object.entries(dimensions ?? {});
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(' · ');
}

/** "AWS/ApplicationELB · RequestCount · Sum". */
export function seriesTitle(s: Pick<SeriesDetailDto, 'namespace' | 'metricName' | 'stat'>): string {
  return `${s.namespace} · ${s.metricName} · ${s.stat}`;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const precise = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A metric value with its unit ("1,204 requests"); for axes, compact ("1.2K"). */
export function formatMetricValue(v: number | null, unit: string, opts: { compact?: boolean } = {}): string {
  if (v === null || !Number.isFinite(v)) return 'no data';
  const n = opts.compact ? compact.format(v) : precise.format(v);
  return unit && !opts.compact ? `${n} ${unit}` : n;
}

/** "Window: Dec 5, 2025 – Jan 3, 2026 (30 whole UTC days)". */
export function windowText(window: ActivityDto['window']): string {
  return `${formatDay(window.start)} – ${formatDay(lastWindowDay(window))} (${formatCount(window.days)} whole UTC day${window.days === 1 ? '' : 's'})`;
}

// ---- The scan's CloudWatch meter -------------------------------------------------------------------------------

/**
 * GetMetricData costs $0.01 per 1,000 metrics: a scan's bill is usually a fraction of a cent, so enough digits to
 * tell 1 metric ($0.00001) from 1,240 ($0.0124); cents above $1.
 */
export function formatMeterUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0';
  if (usd >= 1) return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(usd);
  const decimals = Math.min(5, Math.max(2, Math.ceil(-Math.log10(usd)) + 2));
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: decimals }).format(usd);
}

const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

export const NO_METRICS = 'no CloudWatch metrics requested';

/** "1,240 metrics ≈ $0.0124", or "no CloudWatch metrics requested": for a table cell. */
export function meterShort(m: ScanMetricsMeterDto): string {
  return m.requested > 0 ? `${plural(m.requested, 'metric', 'metrics')} ≈ ${formatMeterUsd(m.usd)}` : NO_METRICS;
}

/** "(38 from cache, 3 GetMetricData calls)": what happened besides the billed metrics. */
export function meterBreakdown(m: ScanMetricsMeterDto): string {
  const parts = [`${formatCount(m.fromCache)} from cache`, plural(m.calls, 'GetMetricData call', 'GetMetricData calls')];
  if (m.listMetricsCalls > 0) parts.push(plural(m.listMetricsCalls, 'ListMetrics call', 'ListMetrics calls'));
  return `(${parts.join(', ')})`;
}

/** Before a scan: what the previous one cost, so the next one's cost is no surprise. */
export function meterBeforeScan(last: ScanMetricsMeterDto): string {
  if (last.requested === 0) {
    return `The last scan: ${NO_METRICS}${last.fromCache > 0 ? ` (${formatCount(last.fromCache)} reused from the cache)` : ''}.`;
  }
  return `The last scan requested ${plural(last.requested, 'CloudWatch metric', 'CloudWatch metrics')} ≈ ${formatMeterUsd(last.usd)}; series fetched within the cache window are reused.`;
}

/** After a scan: what it requested (billed) and what it reused. */
export function meterAfterScan(m: ScanMetricsMeterDto): string {
  if (m.requested === 0) return `This scan: ${NO_METRICS} ${meterBreakdown(m)}.`;
  return `This scan requested ${plural(m.requested, 'metric', 'metrics')} ≈ ${formatMeterUsd(m.usd)} ${meterBreakdown(m)}.`;
}

/** A scan's meter, tolerating a scan recorded before the meter existed (no `metrics`). */
export function meterOf(scan: { metrics?: ScanMetricsMeterDto | null }): ScanMetricsMeterDto {
  return scan.metrics ?? { requested: 0, calls: 0, fromCache: 0, listMetricsCalls: 0, usd: 0 };
}
