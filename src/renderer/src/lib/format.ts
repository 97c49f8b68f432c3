/** Display formatting: money (USD), counts, dates and durations. Pure functions, no React. */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
// Sub-cent amounts (Lambda, DynamoDB) would all read "$0.00": show two significant digits instead.
const usdSmall = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumSignificantDigits: 1,
  maximumSignificantDigits: 2,
});
const usdCompact = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('en-US');
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** USD; `null` (unknown cost) reads "unknown", never $0. */
export function formatUsd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return 'unknown';
  if (amount !== 0 && Math.abs(amount) < 0.01) return usdSmall.format(amount);
  return usd.format(amount);
}

/** Short money for chart axes. */
export function formatUsdCompact(amount: number): string {
  return Math.abs(amount) < 1 ? formatUsd(amount) : usdCompact.format(amount);
}

export function formatCount(n: number): string {
  return count.format(n);
}

export function formatShare(share: number): string {
  if (share > 0 && share < 0.001) return '< 0.1%';
  return percent.format(share);
}

const absolute = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const dayOnly = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });

export function formatAbsolute(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : absolute.format(d);
}

/** A YYYY-MM-DD day as a readable date (UTC, as Cost Explorer days are). */
export function formatDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : dayOnly.format(d);
}

/** The last day of a period whose end is exclusive (Cost Explorer's `End`): the day before, as YYYY-MM-DD. */
export function lastDayOf(exclusiveEnd: string): string {
  const d = new Date(`${exclusiveEnd}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? exclusiveEnd : new Date(d.getTime() - 86_400_000).toISOString().slice(0, 10);
}

const DAY_S = 24 * 3600;

/**
 * "3 days ago", "in 2 hours"; `now` is injectable for tests. Whole units, counted down (as `daysSince` does), and in
 * days up to 90 days: a finding's reason says "stopped 45 days ago", so the column beside it must not say "2 months
 * ago". Months from 90 days, years from two years.
 */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const seconds = (t - now) / 1000;
  const abs = Math.abs(seconds);
  const sign = seconds < 0 ? -1 : 1;
  if (abs < 45) return 'just now';
  const whole = (size: number): number => sign * Math.max(1, Math.floor(abs / size));
  if (abs < 3600) return relative.format(whole(60), 'minute');
  if (abs < DAY_S) return relative.format(whole(3600), 'hour');
  if (abs < 90 * DAY_S) return relative.format(whole(DAY_S), 'day');
  if (abs < 730 * DAY_S) return relative.format(whole(30.44 * DAY_S), 'month');
  return relative.format(whole(365.25 * DAY_S), 'year');
}

/** Whole days between an ISO date and now (for "unused for N days"). */
export function daysSince(iso: string, now: number = Date.now()): number | null {
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now - t) / 86_400_000));
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
