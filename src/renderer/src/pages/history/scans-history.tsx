import { Fragment, useState } from 'react';
import { Badge, Button, EmptyState, Group, Skeleton, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ScanDto, ScanStatus } from '../../../../shared/dto/scans';
import { api } from '../../api/client';
import { useAccountId } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { navigate } from '../../app/routes';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { RelativeDate } from '../../components/relative-date';
import { formatCount, formatDuration, formatUsd } from '../../lib/format';
import { meterBreakdown, meterOf, meterShort } from '../../lib/metrics';
import { ScanFailures } from '../scan/scan-failures';

export const SCAN_STATUS_COLOR: Record<ScanStatus, string> = {
  running: 'blue',
  succeeded: 'teal',
  partial: 'yellow',
  failed: 'red',
  cancelled: 'gray',
  interrupted: 'orange',
};

function Failures({ scanId }: { scanId: number }): React.JSX.Element {
  const q = useQuery({ queryKey: queryKeys.scan(scanId), queryFn: () => api().scans.get({ scanId }) });
  if (q.isPending) return <Skeleton h={60} />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  return q.data.failures.length === 0 ? (
    <Text size="sm">{q.data.error ?? 'No task failed.'}</Text>
  ) : (
    <ScanFailures failures={q.data.failures.map((f) => ({ region: f.region, handler: f.handler, code: f.errorCode, message: f.message }))} />
  );
}

/** The paid requests a scan made: Cost Explorer ($0.01 each) for a discovery, CloudWatch metrics for a resource scan. */
function PaidRequests({ scan }: { scan: ScanDto }): React.JSX.Element {
  const ce = scan.requests > 0 ? `${formatCount(scan.requests)} Cost Explorer request${scan.requests === 1 ? '' : 's'} ≈ ${formatUsd(scan.requests * 0.01)}` : null;
  if (scan.kind !== 'resources') return <Text size="xs">{ce ?? 'no Cost Explorer requests'}</Text>;
  const m = meterOf(scan);
  return (
    <Text size="xs" title={`CloudWatch GetMetricData: $0.01 per 1,000 metrics requested ${meterBreakdown(m)}`} data-testid="scan-metrics-cell" data-requested={m.requested}>
      {meterShort(m)}
      {ce ? ` · ${ce}` : ''}
    </Text>
  );
}

function regionsText(s: ScanDto): string {
  return s.regions.length <= 3 ? s.regions.join(', ') : `${s.regions.slice(0, 3).join(', ')} +${s.regions.length - 3}`;
}

export function ScansHistory(): React.JSX.Element {
  const accountId = useAccountId();
  const q = useQuery({ queryKey: queryKeys.scans(accountId), queryFn: () => api().scans.list({ limit: 50, offset: 0 }) });
  const [open, setOpen] = useState<number | null>(null);
  if (q.isPending) return <Skeleton h={160} />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  if (q.data.length === 0) {
    return (
      <EmptyState title="No scan yet — start one" description="Scans and Cost Explorer refreshes are listed here.">
        <Button onClick={() => navigate('scan')}>Go to Scan</Button>
      </EmptyState>
    );
  }
  // The outcome (status and failures) comes right after the scan, and the table fits a 1024-pixel window without a
  // sideways scroll: the regions and paid requests wrap instead of pushing the last columns out of view.
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover verticalSpacing="xs" data-testid="scans-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Scan</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th ta="right">Findings</Table.Th>
            <Table.Th ta="right">Savings / month</Table.Th>
            <Table.Th>Regions</Table.Th>
            <Table.Th>Paid requests</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.map((s) => (
            <Fragment key={s.id}>
              <Table.Tr data-scan-id={s.id} data-kind={s.kind} data-status={s.status}>
                <Table.Td>{s.id}</Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {s.kind === 'resources' ? 'Resource scan' : 'Cost discovery'}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    <RelativeDate iso={s.startedAt} size="xs" c="dimmed" /> · {formatDuration(s.durationMs)}
                  </Text>
                </Table.Td>
                <Table.Td data-col="outcome">
                  <Group gap={6} wrap="nowrap">
                    {/* Its full width: a narrow table must not cut the status to "SUCCEE…". */}
                    <Badge color={SCAN_STATUS_COLOR[s.status]} variant="light" style={{ minWidth: 'max-content' }}>
                      {s.status}
                    </Badge>
                    {(s.tasksFailed > 0 || s.error) && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setOpen(open === s.id ? null : s.id)} aria-expanded={open === s.id}>
                        {open === s.id ? 'Hide' : `${s.tasksFailed || 1} failure${s.tasksFailed > 1 ? 's' : ''}`}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right" title={`${formatCount(s.resourcesSeen)} resources seen`}>
                  {formatCount(s.findingsCount)}
                  {s.kind === 'resources' && (
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      of {formatCount(s.resourcesSeen)} seen
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Money value={s.monthlySavings} size="sm" />
                </Table.Td>
                <Table.Td title={s.regions.join(', ')}>{s.kind === 'resources' ? regionsText(s) : '—'}</Table.Td>
                <Table.Td>
                  <PaidRequests scan={s} />
                </Table.Td>
              </Table.Tr>
              {open === s.id && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Failures scanId={s.id} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
