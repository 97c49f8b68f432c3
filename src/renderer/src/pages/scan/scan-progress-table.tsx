import { Badge, Loader, Table, Text } from '@mantine/core';
import type { ScanProgressEvent, ScanTaskDto, ScanTaskStatus } from '../../../../shared/dto/scans';
import { Money } from '../../components/money';
import { useKinds } from '../../api/kinds';
import { formatCount } from '../../lib/format';
import { kindLabel } from '../../lib/kinds';

const STATUS_COLOR: Record<ScanTaskStatus, string> = { queued: 'gray', running: 'blue', done: 'teal', failed: 'red' };

/** One row per region × resource type of the running scan, and the scan's totals as the last row. */
export function ScanProgressTable({ tasks, totals }: { tasks: readonly ScanTaskDto[]; totals: ScanProgressEvent['totals'] }): React.JSX.Element {
  const kinds = useKinds();
  const sorted = [...tasks].sort((a, b) => a.region.localeCompare(b.region) || a.resourceType.localeCompare(b.resourceType));
  return (
    <Table.ScrollContainer minWidth={600} mah={420}>
      <Table striped stickyHeader data-testid="scan-tasks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Region</Table.Th>
            <Table.Th>Resource type</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th ta="right">Found</Table.Th>
            <Table.Th ta="right">Findings</Table.Th>
            <Table.Th ta="right">Savings / month</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((t) => (
            <Table.Tr key={`${t.region}|${t.resourceType}`} data-task={`${t.region}|${t.resourceType}`} data-status={t.status}>
              <Table.Td>{t.region}</Table.Td>
              <Table.Td>{kindLabel(kinds, t.resourceType)}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[t.status]} variant="light" leftSection={t.status === 'running' ? <Loader size={10} color="blue" /> : undefined}>
                  {t.status}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{formatCount(t.found)}</Table.Td>
              <Table.Td ta="right">{formatCount(t.findings)}</Table.Td>
              <Table.Td ta="right" data-col="savings">
                {t.status === 'failed' ? (
                  <Text c="dimmed" size="sm" fs="italic">
                    not scanned
                  </Text>
                ) : (
                  <Money value={t.monthlySavings} size="sm" />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr data-testid="scan-tasks-total" fw={700}>
            <Table.Td colSpan={3}>Total</Table.Td>
            <Table.Td ta="right">{formatCount(tasks.reduce((n, t) => n + t.found, 0))}</Table.Td>
            <Table.Td ta="right">{formatCount(totals.findings)}</Table.Td>
            <Table.Td ta="right" data-col="savings">
              <Money value={totals.monthlySavings} size="sm" fw={700} />
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
