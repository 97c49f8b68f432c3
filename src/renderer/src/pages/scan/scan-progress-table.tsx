import { Badge, Loader, Table, Text } from '@mantine/core';
import type { ScanTaskDto, ScanTaskStatus } from '../../../../shared/dto/scans';
import { Money } from '../../components/money';
import { formatCount, formatResourceType } from '../../lib/format';

const STATUS_COLOR: Record<ScanTaskStatus, string> = { queued: 'gray', running: 'blue', done: 'teal', failed: 'red' };

/** Main's task events also carry the task's savings (not in the shared DTO yet): read it when present. */
function taskSavings(t: ScanTaskDto): number | null {
  const v = (t as ScanTaskDto & { monthlySavings?: unknown }).monthlySavings;
  return typeof v === 'number' ? v : null;
}

/** One row per region × resource type of the running scan. */
export function ScanProgressTable({ tasks }: { tasks: readonly ScanTaskDto[] }): React.JSX.Element {
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
              <Table.Td>{formatResourceType(t.resourceType)}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[t.status]} variant="light" leftSection={t.status === 'running' ? <Loader size={10} color="blue" /> : undefined}>
                  {t.status}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{formatCount(t.found)}</Table.Td>
              <Table.Td ta="right">{formatCount(t.findings)}</Table.Td>
              <Table.Td ta="right">{taskSavings(t) === null ? <Text c="dimmed" size="sm">—</Text> : <Money value={taskSavings(t)} size="sm" />}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
