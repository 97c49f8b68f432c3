import { useMemo } from 'react';
import { Badge, Card, Code, Group, Stack, Text, Title, Tooltip } from '@mantine/core';
import { LineChart } from '@mantine/charts';
import type { ActivityDto, SeriesDetailDto } from '../../../../shared/dto/metrics';
import { formatDay } from '../../lib/format';
import { dimensionsText, formatMetricValue, gapRanges, gapShade, noDataText, seriesChartData, seriesTitle, verdictBadge, windowText } from '../../lib/metrics';

const shortDay = (d: string): string => formatDay(d).replace(/, \d{4}$/, '');

/** One series over the window: a line that breaks where CloudWatch has no datapoint, the gap shaded "no data". */
function SeriesChart({ series, window }: { series: SeriesDetailDto; window: ActivityDto['window'] }): React.JSX.Element {
  const data = useMemo(() => seriesChartData(series, window), [series, window]);
  const gaps = useMemo(() => gapRanges(data), [data]);
  const missing = noDataText(data);
  const hasData = data.some((p) => p.value !== null);
  return (
    <Card withBorder padding="sm" data-testid="metric-series" data-metric={series.metricName}>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {seriesTitle(series)}
        </Text>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }} data-testid="metric-dimensions">
          Dimensions: {dimensionsText(series.dimensions)}
        </Text>
        <Text size="sm" data-testid="metric-reading">
          {series.reading}
        </Text>
        {hasData ? (
          <LineChart
            h={140}
            data={data}
            dataKey="day"
            series={[{ name: 'value', label: series.metricName, color: 'blue.6' }]}
            // A missing day is no data, not zero: the line breaks there instead of dipping to the axis.
            connectNulls={false}
            curveType="linear"
            withDots
            dotProps={{ r: 2 }}
            strokeWidth={1.5}
            // Each run of days without a datapoint is shaded (and, when wide enough, labelled) "no data".
            referenceAreas={gaps.map((g) => ({
              ...gapShade(data, g),
              color: 'gray.5',
              fillOpacity: 0.15,
              strokeOpacity: 0,
              ifOverflow: 'extendDomain' as const,
              ...(g.days >= 4 ? { label: 'no data', labelPosition: 'insideTop' as const } : {}),
            }))}
            valueFormatter={(v) => formatMetricValue(v, series.unit)}
            xAxisProps={{ tickFormatter: shortDay, minTickGap: 24 }}
            yAxisProps={{ tickFormatter: (v: number) => formatMetricValue(v, series.unit, { compact: true }), width: 48 }}
            data-testid="metric-chart"
            data-days={data.length}
            data-gap-days={data.length - data.filter((p) => p.value !== null).length}
          />
        ) : null}
        {missing && (
          <Text size="xs" c="dimmed" fs="italic" data-testid="metric-no-data">
            {missing}
            {series.sparse ? '. CloudWatch publishes this metric only on days it is non-zero.' : '.'}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** What CloudWatch says about the finding: the verdict, why, each series over the window, and the exact rule. */
export function MetricsSection({ activity }: { activity: ActivityDto }): React.JSX.Element {
  const badge = verdictBadge(activity.verdict);
  return (
    <Stack gap="xs" data-testid="metrics-section" data-verdict={activity.verdict}>
      <Group gap="xs" mt="sm">
        <Title order={5}>Metrics</Title>
        <Tooltip label={badge.hint} withArrow>
          <Badge color={badge.color} variant={badge.variant} data-testid="metrics-verdict">
            {badge.label}
          </Badge>
        </Tooltip>
      </Group>
      <Text size="sm" data-testid="metrics-reason">
        {activity.reason}
      </Text>
      <Text size="xs" c="dimmed" data-testid="metrics-window">
        Window: {windowText(activity.window)} · Last active day: {activity.lastActiveDay ? formatDay(activity.lastActiveDay) : 'none in the window'}
      </Text>
      {activity.series.length === 0 ? (
        <Text size="sm" c="dimmed" fs="italic">
          No series recorded.
        </Text>
      ) : (
        activity.series.map((s, i) => <SeriesChart key={`${seriesTitle(s)}|${dimensionsText(s.dimensions)}|${i}`} series={s} window={activity.window} />)
      )}
      <details data-testid="metrics-rule">
        <summary style={{ cursor: 'pointer' }}>
          <Text span size="sm" c="dimmed">
            The rule
          </Text>
        </summary>
        <Code block mt="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {activity.rule}
        </Code>
      </details>
    </Stack>
  );
}
