import { describe, expect, it } from 'vitest';
import { judgeActivity } from './verdict';
import type { MetricQuery, MetricSeries, MetricSpec } from './types';
import { metricsWindow, windowDays } from './window';

const NOW = new Date('2026-12-06T15:00:00Z');
const W = metricsWindow(NOW, 30);
const DAYS = windowDays(W);
const OLD = new Date('2026-09-01T00:00:00Z');

const dense: MetricSpec = { namespace: 'AWS/NATGateway', metricName: 'BytesOutToDestination', stat: 'Sum', sparse: false, unit: 'bytes' };
const sparse: MetricSpec = { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', sparse: true, unit: 'requests' };
const q = (spec: MetricSpec): MetricQuery => ({ spec, dimensions: { Id: 'x' } });
const series = (spec: MetricSpec, values: (number | null)[]): MetricSeries => ({
  query: q(spec),
  points: DAYS.flatMap((d, i) => (values[i] === null || values[i] === undefined ? [] : [[d, values[i]!] as const])),
  status: 'Complete',
  fromCache: false,
});
const zeros = (): number[] => DAYS.map(() => 0);
const judge = (s: MetricSeries[], opts: { createdAt?: Date | null; confirmed?: boolean } = {}) =>
  judgeActivity({
    series: s,
    window: W,
    createdAt: opts.createdAt === undefined ? OLD : opts.createdAt,
    shapeConfirmed: () => opts.confirmed ?? false,
    activity: 'traffic',
  });

describe('metrics window', () => {
  it('is whole UTC days ending at today 00:00 UTC, at least 14', () => {
    expect(W.end.toISOString()).toBe('2026-12-06T00:00:00.000Z');
    expect(W.start.toISOString()).toBe('2026-11-06T00:00:00.000Z');
    expect(DAYS).toHaveLength(30);
    expect(DAYS[0]).toBe('2026-11-06');
    expect(DAYS.at(-1)).toBe('2026-12-05');
    expect(metricsWindow(NOW, 3).days).toBe(14);
  });
});

describe('judgeActivity: no datapoints is not zero', () => {
  it('a dense metric with a datapoint of 0 every day is idle', () => {
    const a = judge([series(dense, zeros())]);
    expect(a.verdict).toBe('idle');
    expect(a.reason).toContain('2026-11-06');
    expect(a.rule).toContain('AWS/NATGateway BytesOutToDestination (Sum)');
  });

  it('any datapoint above 0 is active, naming the latest day', () => {
    const v = zeros();
    v[3] = 5;
    v[10] = 7;
    const a = judge([series(dense, zeros()), series(dense, v)]);
    expect(a.verdict).toBe('active');
    expect(a.lastActiveDay).toBe(DAYS[10]);
  });

  it('a dense metric missing a day is unknown, not idle', () => {
    const v: (number | null)[] = zeros();
    v[7] = null;
    const a = judge([series(dense, v)]);
    expect(a.verdict).toBe('unknown');
    expect(a.reason).toContain('1 of 30 days');
  });

  it('a dense metric with no datapoints at all (a wrong namespace) is unknown', () => {
    const wrong: MetricSpec = { ...dense, namespace: 'AWS/VPC' };
    const a = judge([series(wrong, DAYS.map(() => null))], { confirmed: true });
    expect(a.verdict).toBe('unknown');
  });

  it('a sparse metric with no datapoints is idle only when its shape is confirmed', () => {
    const empty = series(sparse, DAYS.map(() => null));
    expect(judge([empty], { confirmed: false }).verdict).toBe('unknown');
    expect(judge([empty], { confirmed: false }).reason).toContain('cannot be confirmed');
    expect(judge([empty], { confirmed: true }).verdict).toBe('idle');
  });

  it('a resource younger than the window, or of unknown age, is never idle', () => {
    expect(judge([series(dense, zeros())], { createdAt: new Date('2026-11-20T00:00:00Z') }).verdict).toBe('unknown');
    expect(judge([series(sparse, DAYS.map(() => null))], { createdAt: new Date('2026-11-20T00:00:00Z'), confirmed: true }).verdict).toBe('unknown');
    expect(judge([series(dense, zeros())], { createdAt: null }).verdict).toBe('unknown');
  });

  it('a series CloudWatch did not answer completely is unknown', () => {
    const s = { ...series(dense, zeros()), status: 'PartialData' };
    expect(judge([s]).verdict).toBe('unknown');
  });

  it('idle needs every metric to read 0: one unknown metric makes the whole verdict unknown', () => {
    const v: (number | null)[] = zeros();
    v[0] = null;
    expect(judge([series(dense, zeros()), series(dense, v)]).verdict).toBe('unknown');
  });

  it('keeps only the window days in the drawer series, missing days absent', () => {
    const v: (number | null)[] = zeros();
    v[2] = null;
    const a = judge([series(dense, v)]);
    expect(a.series[0]!.points).toHaveLength(29);
    expect(a.series[0]!.reading).toMatch(/^unknown: /);
  });
});
