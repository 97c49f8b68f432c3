import { describe, expect, it } from 'vitest';
import type { ScanMetricsMeterDto } from '../../../shared/dto/scans';
import {
  dimensionsText,
  formatMeterUsd,
  gapRanges,
  gapShade,
  lastWindowDay,
  meterAfterScan,
  meterBeforeScan,
  meterOf,
  meterShort,
  NO_METRICS,
  noDataText,
  seriesChartData,
  verdictBadge,
  windowDays,
} from './metrics';

const WINDOW = { start: '2026-01-01', end: '2026-01-08', days: 7 };
const meter = (p: Partial<ScanMetricsMeterDto>): ScanMetricsMeterDto => ({ requested: 0, calls: 0, fromCache: 0, listMetricsCalls: 0, usd: 0, ...p });

describe('verdictBadge', () => {
  it('names each verdict, and unknown is not idle', () => {
    expect(verdictBadge('active').label).toBe('In use');
    expect(verdictBadge('idle').label).toBe('Idle');
    const unknown = verdictBadge('unknown');
    expect(unknown.label).toBe('Unknown');
    expect(unknown.color).not.toBe(verdictBadge('idle').color);
    expect(unknown.hint).toMatch(/not judged idle/);
  });
});

describe('windowDays', () => {
  it('lists whole UTC days, start inclusive, end exclusive', () => {
    expect(windowDays(WINDOW)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07']);
    expect(lastWindowDay(WINDOW)).toBe('2026-01-07');
  });
  it('crosses a month and a year end', () => {
    expect(windowDays({ start: '2025-12-30', end: '2026-01-02', days: 3 })).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
  });
  it('is empty for a malformed window', () => {
    expect(windowDays({ start: '2026-01-08', end: '2026-01-01', days: 7 })).toEqual([]);
    expect(windowDays({ start: 'yesterday', end: '2026-01-01', days: 7 })).toEqual([]);
  });
});

describe('seriesChartData', () => {
  it('gives a missing day null, never 0, and keeps a real 0', () => {
    const data = seriesChartData({ points: [['2026-01-02', 5], ['2026-01-03', 0], ['2026-01-06', 2]] }, WINDOW);
    expect(data).toEqual([
      { day: '2026-01-01', value: null },
      { day: '2026-01-02', value: 5 },
      { day: '2026-01-03', value: 0 },
      { day: '2026-01-04', value: null },
      { day: '2026-01-05', value: null },
      { day: '2026-01-06', value: 2 },
      { day: '2026-01-07', value: null },
    ]);
  });
  it('keeps a datapoint outside the window rather than dropping it', () => {
    const data = seriesChartData({ points: [['2026-01-09', 1]] }, WINDOW);
    expect(data).toHaveLength(8);
    expect(data.at(-1)).toEqual({ day: '2026-01-09', value: 1 });
  });
  it('an empty series is all gaps', () => {
    const data = seriesChartData({ points: [] }, WINDOW);
    expect(data.every((p) => p.value === null)).toBe(true);
    expect(noDataText(data)).toBe('No datapoint on any of the 7 days');
  });
});

describe('gaps', () => {
  const data = seriesChartData({ points: [['2026-01-02', 5], ['2026-01-03', 0], ['2026-01-06', 2]] }, WINDOW);
  it('finds each run of days without data', () => {
    expect(gapRanges(data)).toEqual([
      { from: '2026-01-01', to: '2026-01-01', days: 1 },
      { from: '2026-01-04', to: '2026-01-05', days: 2 },
      { from: '2026-01-07', to: '2026-01-07', days: 1 },
    ]);
  });
  it('shades from the day with data before a gap to the day with data after it, clipped to the chart', () => {
    const [first, middle, last] = gapRanges(data);
    expect(gapShade(data, first!)).toEqual({ x1: '2026-01-01', x2: '2026-01-02' });
    expect(gapShade(data, middle!)).toEqual({ x1: '2026-01-03', x2: '2026-01-06' });
    expect(gapShade(data, last!)).toEqual({ x1: '2026-01-06', x2: '2026-01-07' });
  });
  it('says how many days have no datapoint (a 0 is data)', () => {
    expect(noDataText(data)).toBe('No datapoint on 4 of 7 days (shown as gaps, not zero)');
    expect(noDataText(seriesChartData({ points: windowDays(WINDOW).map((d) => [d, 0] as const) }, WINDOW))).toBeNull();
  });
});

describe('dimensionsText', () => {
  it('lists name=value pairs, or none', () => {
    expect(dimensionsText({ LoadBalancer: 'app/web/123', AvailabilityZone: 'us-east-1a' })).toBe('LoadBalancer=app/web/123 · AvailabilityZone=us-east-1a');
    expect(dimensionsText({})).toBe('none');
  });
});

describe('the CloudWatch meter', () => {
  it('formats tiny dollars with enough precision', () => {
    expect(formatMeterUsd(0.0124)).toBe('$0.0124');
    expect(formatMeterUsd(0.00001)).toBe('$0.00001');
    expect(formatMeterUsd(0.01)).toBe('$0.01');
    expect(formatMeterUsd(0.5)).toBe('$0.50');
    expect(formatMeterUsd(0.12345)).toBe('$0.123');
    expect(formatMeterUsd(12.3456)).toBe('$12.35');
    expect(formatMeterUsd(0)).toBe('$0');
  });
  it('before a scan: what the last one requested', () => {
    expect(meterBeforeScan(meter({ requested: 1240, calls: 3, usd: 0.0124 }))).toBe(
      'The last scan requested 1,240 CloudWatch metrics ≈ $0.0124; series fetched within the cache window are reused.',
    );
    expect(meterBeforeScan(meter({ requested: 1, calls: 1, usd: 0.00001 }))).toBe(
      'The last scan requested 1 CloudWatch metric ≈ $0.00001; series fetched within the cache window are reused.',
    );
    expect(meterBeforeScan(meter({}))).toBe(`The last scan: ${NO_METRICS}.`);
    expect(meterBeforeScan(meter({ fromCache: 38 }))).toBe(`The last scan: ${NO_METRICS} (38 reused from the cache).`);
  });
  it('after a scan: requested, from cache, calls', () => {
    expect(meterAfterScan(meter({ requested: 1240, calls: 3, fromCache: 38, usd: 0.0124 }))).toBe('This scan requested 1,240 metrics ≈ $0.0124 (38 from cache, 3 GetMetricData calls).');
    expect(meterAfterScan(meter({ requested: 2, calls: 1, listMetricsCalls: 2, usd: 0.00002 }))).toBe('This scan requested 2 metrics ≈ $0.00002 (0 from cache, 1 GetMetricData call, 2 ListMetrics calls).');
    expect(meterAfterScan(meter({ fromCache: 12 }))).toBe('This scan: no CloudWatch metrics requested (12 from cache, 0 GetMetricData calls).');
  });
  it('short, for a table cell; and a scan recorded without a meter reads as none', () => {
    expect(meterShort(meter({ requested: 1240, usd: 0.0124 }))).toBe('1,240 metrics ≈ $0.0124');
    expect(meterShort(meter({}))).toBe('no CloudWatch metrics requested');
    expect(meterShort(meterOf({}))).toBe('no CloudWatch metrics requested');
  });
});
