/**
 * The drawer's Metrics section, rendered to static markup (the renderer's unit tests run in Node, without a DOM):
 * verdict badge, reason, each series' reading and identity, gaps reported as "no data" (never 0), the exact rule.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MantineProvider } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import type { ActivityDto, SeriesDetailDto } from '../../../../shared/dto/metrics';
import { activityOf } from '../../../../shared/dto/metrics';
import { MetricsSection } from './metrics-section';

const RULE = 'Idle when RequestCount (Sum) is 0 or absent on every one of the 7 whole UTC days, and the series exists.';

const series = (p: Partial<SeriesDetailDto>): SeriesDetailDto => ({
  namespace: 'AWS/ApplicationELB',
  metricName: 'RequestCount',
  stat: 'Sum',
  unit: 'requests',
  dimensions: { LoadBalancer: 'app/web/0123456789abcdef' },
  sparse: true,
  points: [],
  reading: 'zero: no request in 7 days',
  ...p,
});

const activity = (p: Partial<ActivityDto>): ActivityDto => ({
  verdict: 'idle',
  reason: 'No request in the last 7 days',
  rule: RULE,
  window: { start: '2026-01-01', end: '2026-01-08', days: 7 },
  lastActiveDay: null,
  series: [series({})],
  ...p,
});

function render(a: ActivityDto): string {
  return renderToStaticMarkup(createElement(MantineProvider, null, createElement(MetricsSection, { activity: a })));
}

/** The text of the element carrying `data-testid="id"` (first one), tags stripped. */
function textOf(html: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>(.*?)</(p|span|div)>`, 's').exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#x27;/g, "'") : null;
}

describe('MetricsSection', () => {
  it('idle: the badge reads Idle, with the reason and the exact rule', () => {
    const html = render(activity({}));
    expect(html).toContain('data-verdict="idle"');
    expect(textOf(html, 'metrics-verdict')).toBe('Idle');
    expect(textOf(html, 'metrics-reason')).toBe('No request in the last 7 days');
    expect(html).toContain(RULE);
    expect(textOf(html, 'metrics-window')).toMatch(/Jan 1, 2026 – Jan 7, 2026 \(7 whole UTC days\).*Last active day: none in the window/);
  });

  it('unknown reads as unknown, not as idle', () => {
    const html = render(activity({ verdict: 'unknown', reason: 'CloudWatch has no such metric for this load balancer', series: [series({ reading: 'unknown: no series' })] }));
    expect(html).toContain('data-verdict="unknown"');
    expect(textOf(html, 'metrics-verdict')).toBe('Unknown');
    expect(html).not.toMatch(/>Idle</);
    expect(textOf(html, 'metric-reading')).toBe('unknown: no series');
  });

  it('active: In use, with the last active day and each series identified', () => {
    const html = render(
      activity({
        verdict: 'active',
        reason: '412 requests in the last 7 days',
        lastActiveDay: '2026-01-06',
        series: [
          series({ points: [['2026-01-02', 400], ['2026-01-06', 12]], reading: 'active: 412 requests' }),
          series({ namespace: 'AWS/ApplicationELB', metricName: 'ActiveConnectionCount', unit: 'connections', stat: 'Maximum', sparse: false, points: [['2026-01-02', 3]], reading: 'active: up to 3 connections' }),
        ],
      }),
    );
    expect(textOf(html, 'metrics-verdict')).toBe('In use');
    expect(textOf(html, 'metrics-window')).toMatch(/Last active day: Jan 6, 2026/);
    expect(html.match(/data-testid="metric-series"/g)).toHaveLength(2);
    expect(html).toContain('AWS/ApplicationELB · RequestCount · Sum');
    expect(html).toContain('AWS/ApplicationELB · ActiveConnectionCount · Maximum');
    expect(textOf(html, 'metric-dimensions')).toBe('Dimensions: LoadBalancer=app/web/0123456789abcdef');
    expect(html).toContain('active: 412 requests');
    expect(html).toContain('active: up to 3 connections');
  });

  it('days without a datapoint are gaps ("no data"), not zeros', () => {
    const html = render(activity({ verdict: 'active', series: [series({ points: [['2026-01-02', 400], ['2026-01-03', 0], ['2026-01-06', 12]] })] }));
    // 7 days charted, 4 of them without a datapoint: the 0 on Jan 3 is data, the absent days are not.
    expect(html).toContain('data-days="7"');
    expect(html).toContain('data-gap-days="4"');
    expect(textOf(html, 'metric-no-data')).toBe('No datapoint on 4 of 7 days (shown as gaps, not zero). CloudWatch publishes this metric only on days it is non-zero.');
  });

  it('a series with no datapoint at all draws no line at 0: it says so', () => {
    const html = render(activity({ series: [series({ sparse: false })] }));
    expect(html).not.toContain('data-testid="metric-chart"');
    expect(textOf(html, 'metric-no-data')).toBe('No datapoint on any of the 7 days.');
  });

  it('activityOf reads the section out of a finding\'s details, and ignores anything else', () => {
    const a = activity({});
    expect(activityOf({ metrics: a, sizeGiB: 8 })).toBe(a);
    expect(activityOf({ metrics: { verdict: 'idle' } })).toBeNull();
    expect(activityOf({ sizeGiB: 8 })).toBeNull();
  });
});
