/**
 * Savings realised: what the cleanups were expected to save, and whether the stored Cost Explorer history bears it
 * out, per service, before and after (main decides the verdicts: savings-realised.ts). Costs are not refreshed here:
 * the paid "Refresh costs" stays the user's call.
 */
import { Badge, Button, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { LineChart } from '@mantine/charts';
import type { SavingsMeasurementDto, SavingsRealisedDto, SavingsVerdict } from '../../../../shared/dto/savings';
import { Money } from '../../components/money';
import { formatAbsolute, formatCount, formatDay, formatUsd } from '../../lib/format';

const VERDICT: Record<SavingsVerdict, { label: string; color: string }> = {
  confirmed: { label: 'Confirmed', color: 'teal' },
  waiting: { label: 'Not visible yet', color: 'gray' },
  'no-history': { label: 'Too few costs to compare', color: 'gray' },
  'too-small': { label: 'Too small to see', color: 'gray' },
  'not-dropped': { label: 'Bill did not drop', color: 'orange' },
  partly: { label: 'Partly visible', color: 'yellow' },
  'unknown-expected': { label: 'Expected unknown', color: 'gray' },
};

const days = (n: number): string => `${formatCount(n)} ${n === 1 ? 'day' : 'days'}`;
const perMonth = (v: number | null): string => `${formatUsd(v)}/month`;
/** The bill's change from a drop (positive = lower): "no change", "+$3.20/month", "−$1.10/month", or unknown. */
function change(drop: number | null): string {
  if (drop === null) return 'an unknown change';
  if (Math.abs(drop) < 0.005) return 'no change';
  return `${drop > 0 ? '−' : '+'}${perMonth(Math.abs(drop))}`;
}

/** The verdict in words, with the numbers behind it. */
export function verdictWords(m: SavingsMeasurementDto, minAfterDays: number): string {
  switch (m.verdict) {
    case 'confirmed':
      return `Confirmed by your bill from ${formatDay(m.after?.from ?? '')}: ${perMonth(m.observedMonthly)} lower.`;
    case 'waiting':
      return `Not visible in the bill yet: ${days(m.after?.days ?? 0)} complete after the cleanup stored, ${formatCount(minAfterDays)} needed.`;
    case 'no-history':
      return "Fewer than 3 complete days of this service's costs before the cleanup (and after any earlier cleanup of it) to compare with.";
    case 'too-small':
      return `Too small to see: this service's daily cost usually moves by ${formatUsd(m.dailyNoise)} a day.`;
    case 'not-dropped':
      return `Your bill did not drop (${change(m.observedMonthly)}): other use of this service may have grown.`;
    case 'partly':
      return `Your bill fell by ${perMonth(m.observedMonthly)}, less than half the expected saving.`;
    case 'unknown-expected':
      return `The saving could not be priced; the bill shows ${change(m.observedMonthly)}.`;
    default: {
      const never: never = m.verdict;
      return never;
    }
  }
}

function Headline({ data }: { data: SavingsRealisedDto }): React.JSX.Element {
  const since = formatDay((data.since ?? '').slice(0, 10));
  const all = data.confirmedExpectedMonthly > 0 && data.confirmedExpectedMonthly >= data.expectedMonthly - 0.005;
  const confirmation =
    data.confirmedFrom === null
      ? ', not visible in your bill yet.'
      : all
        ? `, confirmed by your bill from ${formatDay(data.confirmedFrom)}.`
        : `; ${formatUsd(data.confirmedExpectedMonthly)}/month of it confirmed by your bill from ${formatDay(data.confirmedFrom)}.`;
  return (
    <Text size="lg" fw={600} data-testid="savings-realised-headline">
      Saved {formatUsd(data.expectedMonthly)}/month since {since}
      {confirmation}
      {data.unknownCount > 0 && (
        <Text span size="sm" c="dimmed" fw={400}>
          {' '}
          Plus {formatCount(data.unknownCount)} {data.unknownCount === 1 ? 'item' : 'items'} of unknown cost.
        </Text>
      )}
    </Text>
  );
}

function BeforeAfterChart({ m }: { m: SavingsMeasurementDto }): React.JSX.Element {
  const data = m.series.map((p) => ({ date: p.date, [m.displayName]: p.cost }));
  return (
    <LineChart
      h={110}
      w={260}
      data={data}
      dataKey="date"
      series={[{ name: m.displayName, color: 'teal.6' }]}
      withDots={false}
      withLegend={false}
      gridAxis="none"
      withXAxis={false}
      yAxisProps={{ width: 56, tickFormatter: (v: number) => formatUsd(v) }}
      valueFormatter={(v) => formatUsd(v)}
      tooltipProps={{ labelFormatter: (d: unknown) => (typeof d === 'string' ? formatDay(d) : String(d)) }}
      referenceLines={[{ x: m.cleanupDay, label: 'Cleanup', color: 'gray.6' }]}
      data-testid="savings-chart"
    />
  );
}

export function SavingsRealisedCard({
  data,
  onRefresh,
  refreshing,
}: {
  data: SavingsRealisedDto;
  onRefresh: () => void;
  refreshing: boolean;
}): React.JSX.Element {
  const { history } = data;
  return (
    <Card withBorder data-testid="savings-realised">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={4}>Savings realised</Title>
            <Headline data={data} />
          </div>
          <Tooltip label="Costs are not refreshed on their own. Asks Cost Explorer again; each request costs $0.01." multiline maw={300}>
            <Button variant="light" size="xs" onClick={onRefresh} loading={refreshing} data-testid="savings-refresh-costs">
              Refresh costs ($0.01 per request)
            </Button>
          </Tooltip>
        </Group>
        <Text size="xs" c="dimmed" data-testid="savings-history-end">
          {history.lastDay
            ? `Your stored costs end on ${formatDay(history.lastDay)}${history.refreshedAt ? ` (last refreshed ${formatAbsolute(history.refreshedAt)})` : ''}. `
            : 'No daily costs are stored yet. '}
          Cost Explorer is a day or two behind and its latest days are estimates; a cleanup day is partial, so the
          comparison starts the day after. A month here is 730 hours.
        </Text>
        <Table verticalSpacing="xs" data-testid="savings-measurements">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th>
              <Table.Th>Per day, before → after</Table.Th>
              <Table.Th>Expected</Table.Th>
              <Table.Th>What the bill shows</Table.Th>
              <Table.Th>Picture</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.measurements.map((m) => (
              <Table.Tr key={`${m.serviceCode}-${m.planIds.join(',')}`} data-testid="savings-measurement" data-service={m.serviceCode} data-verdict={m.verdict}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {m.displayName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.planIds.length === 1 ? 'Cleanup' : `${formatCount(m.planIds.length)} cleanups, measured together,`} on {formatDay(m.cleanupDay)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {m.before ? formatUsd(m.before.dailyAverage) : 'unknown'} → {m.after ? formatUsd(m.after.dailyAverage) : 'not yet'}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.before ? days(m.before.days) : 'no days'} before, {m.after ? days(m.after.days) : 'no days'} after
                    {m.after && m.after.estimatedDays > 0 ? ` (${formatCount(m.after.estimatedDays)} estimated)` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Money value={m.expectedMonthly} suffix="/month" size="sm" />
                  {m.unknownCount > 0 && (
                    <Text size="xs" c="dimmed">
                      + {formatCount(m.unknownCount)} of unknown cost
                    </Text>
                  )}
                </Table.Td>
                <Table.Td maw={320}>
                  <Badge color={VERDICT[m.verdict].color} variant="light" data-testid="savings-verdict">
                    {VERDICT[m.verdict].label}
                  </Badge>
                  <Text size="xs" mt={4} data-testid="savings-verdict-words">
                    {verdictWords(m, data.minAfterDays)}
                  </Text>
                </Table.Td>
                <Table.Td>{m.series.length > 1 ? <BeforeAfterChart m={m} /> : <Text size="xs" c="dimmed">No daily costs</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
