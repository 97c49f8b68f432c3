import { useMemo } from 'react';
import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { Sparkline } from '@mantine/charts';
import type { CostHistoryDto } from '../../../../shared/dto/costs';
import type { ServiceSummaryDto } from '../../../../shared/dto/services';
import { useKinds } from '../../api/kinds';
import { Money } from '../../components/money';
import { formatShare } from '../../lib/format';
import { kindLabel } from '../../lib/kinds';
import { ReconciliationFlag } from './reconciliation';

/** One row per paid service: cost over the period, its share, a daily trend and whether the app can clean it. */
export function ServicesTable({ services, history }: { services: ServiceSummaryDto[]; history: CostHistoryDto | undefined }): React.JSX.Element {
  const kinds = useKinds();
  const trends = useMemo(() => {
    const days = history?.totals.map((t) => t.date) ?? [];
    const index = new Map(days.map((d, i) => [d, i]));
    const out = new Map<string, number[]>();
    for (const r of history?.rows ?? []) {
      const i = index.get(r.date);
      if (i === undefined) continue;
      let arr = out.get(r.serviceCode);
      if (!arr) out.set(r.serviceCode, (arr = new Array<number>(days.length).fill(0)));
      arr[i] = (arr[i] ?? 0) + r.cost;
    }
    return out;
  }, [history]);

  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover data-testid="services-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service</Table.Th>
            <Table.Th ta="right">Cost</Table.Th>
            <Table.Th ta="right">Share</Table.Th>
            <Table.Th w={140}>Daily trend</Table.Th>
            <Table.Th>Cleanup</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {services.map((s) => {
            const trend = trends.get(s.code);
            return (
              <Table.Tr key={s.code} data-service={s.displayName} data-exceeds-spend={s.reconciliation?.exceedsSpend === true}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {s.displayName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {s.category}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" data-testid="service-cost">
                  <Money value={s.periodCost} size="sm" hint={`Cost Explorer: ${s.periodCostText} USD`} />
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{formatShare(s.share)}</Text>
                </Table.Td>
                <Table.Td>
                  {trend && trend.length > 1 ? (
                    <Sparkline w={120} h={28} data={trend} curveType="linear" color="teal" fillOpacity={0.3} strokeWidth={1.5} aria-label={`${s.displayName} daily cost`} />
                  ) : (
                    <Text size="xs" c="dimmed">
                      no daily data
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {s.covered ? (
                      <Tooltip label={`Looks at: ${s.handlerTypes.map((t) => kindLabel(kinds, t)).join(', ')}`} multiline maw={320}>
                        <Badge color="teal" variant="light" tabIndex={0}>
                          covered
                        </Badge>
                      </Tooltip>
                    ) : (
                      <Badge color="gray" variant="outline">
                        not covered yet
                      </Badge>
                    )}
                    <ReconciliationFlag service={s} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
