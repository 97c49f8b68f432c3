import { useMemo } from 'react';
import { AreaChart } from '@mantine/charts';
import type { CostHistoryDto } from '../../../../shared/dto/costs';
import { formatDay, formatUsd, formatUsdCompact } from '../../lib/format';

const COLORS = ['teal.6', 'blue.6', 'violet.6', 'orange.6', 'pink.6', 'cyan.6', 'gray.5'];

/** Daily cost stacked by service: the top N services by period cost, the rest summed as "Other". */
export function DailyCostChart({ history, top = 6 }: { history: CostHistoryDto; top?: number }): React.JSX.Element {
  const { data, series } = useMemo(() => {
    const totals = new Map<string, number>();
    for (const r of history.rows) totals.set(r.displayName, (totals.get(r.displayName) ?? 0) + r.cost);
    const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([n]) => n);
    const shown = new Set(ranked.slice(0, top));
    const hasOther = ranked.length > top;
    const byDay = new Map<string, Record<string, number | string>>();
    for (const t of history.totals) byDay.set(t.date, { date: t.date });
    for (const r of history.rows) {
      const day = byDay.get(r.date) ?? { date: r.date };
      const key = shown.has(r.displayName) ? r.displayName : 'Other';
      day[key] = ((day[key] as number | undefined) ?? 0) + r.cost;
      byDay.set(r.date, day);
    }
    const names = [...ranked.slice(0, top), ...(hasOther ? ['Other'] : [])];
    for (const day of byDay.values()) for (const n of names) day[n] ??= 0;
    return {
      data: [...byDay.values()].sort((a, b) => String(a['date']).localeCompare(String(b['date']))),
      series: names.map((name, i) => ({ name, color: COLORS[i % COLORS.length] ?? 'gray.5' })),
    };
  }, [history, top]);

  return (
    <AreaChart
      h={300}
      data={data}
      dataKey="date"
      type="stacked"
      series={series}
      curveType="monotone"
      withLegend
      legendProps={{ verticalAlign: 'bottom' }}
      valueFormatter={(v) => formatUsd(v)}
      xAxisProps={{ tickFormatter: (d: string) => formatDay(d).replace(/, \d{4}$/, '') }}
      // The tooltip names the day as people write it, not the data's ISO key.
      tooltipProps={{ labelFormatter: (d: unknown) => (typeof d === 'string' ? formatDay(d) : String(d)) }}
      yAxisProps={{ tickFormatter: (v: number) => formatUsdCompact(v) }}
      withDots={false}
      fillOpacity={0.5}
      data-testid="daily-cost-chart"
    />
  );
}
