import { useState } from 'react';
import { Button, Card, EmptyState, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ScanStatus, ScanTaskDto } from '../../../../shared/dto/scans';
import { api, asAppError } from '../../api/client';
import { useAccountId } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { navigate } from '../../app/routes';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { PageHeader } from '../../components/page-header';
import { RelativeDate } from '../../components/relative-date';
import { formatCount, formatDuration } from '../../lib/format';
import { meterAfterScan, meterBeforeScan, meterOf, meterShort } from '../../lib/metrics';
import { scanProgressStore, useLiveScan } from '../../state/scan-progress-store';
import { RegionPicker, type RegionChoice } from './region-picker';
import { ScanFailures, type FailureRow } from './scan-failures';
import { ScanProgressTable } from './scan-progress-table';
import { RunsElsewhere } from './runs-elsewhere';

function taskFailure(t: ScanTaskDto): FailureRow | null {
  if (t.status !== 'failed' || !t.error) return null;
  const aws = t.error.details?.['awsCode'];
  return { region: t.region, handler: t.resourceType, code: typeof aws === 'string' ? aws : t.error.code, message: t.error.message };
}

/** What a scan's card is called, by its status (no internal number: a discovery run shares the sequence). */
function scanTitle(status: ScanStatus): string {
  switch (status) {
    case 'running':
      return 'Scanning…';
    case 'succeeded':
      return 'Scan finished';
    case 'partial':
      return 'Scan finished, some tasks failed';
    case 'failed':
      return 'Scan failed';
    case 'cancelled':
      return 'Scan cancelled';
    case 'interrupted':
      return 'Scan interrupted';
  }
}

export function ScanPage(): React.JSX.Element {
  const accountId = useAccountId();
  const live = useLiveScan();
  const [choice, setChoice] = useState<RegionChoice>({ mode: 'all' });
  const regions = useQuery({ queryKey: queryKeys.regions(accountId), queryFn: () => api().regions.list() });
  const scans = useQuery({ queryKey: queryKeys.scans(accountId), queryFn: () => api().scans.list({ limit: 50, offset: 0 }) });
  const last = scans.data?.find((s) => s.kind === 'resources') ?? null;
  const running = live?.status === 'running';
  // The scan to explain: the live one, else the last one recorded.
  const shownId = live?.scanId ?? last?.id ?? null;
  const detail = useQuery({
    queryKey: queryKeys.scan(shownId ?? 0),
    queryFn: () => api().scans.get({ scanId: shownId ?? 0 }),
    enabled: shownId !== null && !running,
  });

  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: () => api().scans.start({ regions: choice.mode === 'all' ? 'all' : choice.regions }),
    onSuccess: ({ scanId }) => scanProgressStore.begin(scanId),
    onError: (e) => {
      notifications.show({ color: 'red', title: 'Scan not started', message: asAppError(e).message });
      // Refused because another process scans this account: show who at once, not at the next poll.
      void queryClient.invalidateQueries({ queryKey: queryKeys.runsElsewhere(accountId) });
    },
  });
  const cancel = useMutation({ mutationFn: (scanId: number) => api().scans.cancel({ scanId }) });

  const tasks = live ? [...live.tasks.values()] : [];
  const failures: FailureRow[] =
    !running && detail.data
      ? detail.data.failures.map((f) => ({ region: f.region, handler: f.handler, code: f.errorCode, message: f.message }))
      : tasks.map(taskFailure).filter((f): f is FailureRow => f !== null);
  const totals = live?.totals;
  const pct = totals && totals.tasksTotal > 0 ? (100 * totals.tasksDone) / totals.tasksTotal : 0;
  const noSubset = choice.mode === 'subset' && choice.regions.length === 0;
  // The ended live scan as recorded (its CloudWatch meter is known once it ends).
  const ended = live && !running ? (detail.data?.id === live.scanId ? detail.data : scans.data?.find((s) => s.id === live.scanId)) ?? null : null;

  return (
    <Stack>
      <PageHeader title="Scan" description="Lists the account's resources in each region (read-only) and flags the unused ones. Nothing is changed in AWS." />
      <RunsElsewhere accountId={accountId} />
      <Card withBorder>
        <Stack>
          <Title order={4}>Regions</Title>
          <RegionPicker regions={regions.data} value={choice} onChange={setChoice} disabled={running} />
          {regions.isError && <ErrorAlert error={regions.error} />}
          <Group>
            <Button onClick={() => start.mutate()} loading={start.isPending} disabled={running || noSubset} data-testid="start-scan">
              Start scan
            </Button>
            {running && live && (
              <Button variant="default" color="red" onClick={() => cancel.mutate(live.scanId)} loading={cancel.isPending} data-testid="cancel-scan">
                Cancel
              </Button>
            )}
            {noSubset && (
              <Text size="sm" c="dimmed">
                Choose at least one region.
              </Text>
            )}
          </Group>
          {last && !running && (
            <Text size="sm" c="dimmed" data-testid="metrics-estimate">
              {meterBeforeScan(meterOf(last))}
            </Text>
          )}
        </Stack>
      </Card>

      {live && totals ? (
        <Card withBorder data-testid="scan-progress" data-scan-status={live.status}>
          <Stack>
            <Group justify="space-between">
              <Title order={4}>
                {scanTitle(live.status)}
              </Title>
              {!running && (
                <Button variant="light" onClick={() => navigate('findings')} data-testid="view-findings">
                  View findings
                </Button>
              )}
            </Group>
            <Progress value={pct} animated={running} size="lg" aria-label="Scan progress" />
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Text size="sm">
                Tasks <b>{formatCount(totals.tasksDone)}</b> / {formatCount(totals.tasksTotal)}
              </Text>
              <Text size="sm">
                Findings <b data-testid="scan-findings-total">{formatCount(totals.findings)}</b>
              </Text>
              <Text size="sm">
                Savings <Money value={totals.monthlySavings} fw={700} size="sm" suffix="/mo" data-testid="scan-savings-total" />
              </Text>
              <Text size="sm">Failed {formatCount(tasks.filter((t) => t.status === 'failed').length)}</Text>
            </SimpleGrid>
            {ended && (
              <Text size="sm" data-testid="scan-metrics-meter" data-requested={meterOf(ended).requested}>
                {meterAfterScan(meterOf(ended))}
              </Text>
            )}
            {tasks.length > 0 && <ScanProgressTable tasks={tasks} totals={totals} />}
          </Stack>
        </Card>
      ) : last ? (
        <Card withBorder data-testid="last-scan-summary">
          <Title order={4}>Last scan</Title>
          <Text size="sm">
            {last.status} · <RelativeDate iso={last.startedAt} size="sm" /> · {formatDuration(last.durationMs)} · {last.regions.length} regions ·{' '}
            {formatCount(last.findingsCount)} findings · <Money value={last.monthlySavings} size="sm" suffix="/mo" /> · CloudWatch: {meterShort(meterOf(last))}
          </Text>
        </Card>
      ) : (
        scans.isSuccess && <EmptyState title="No scan yet — start one" description="A scan of all enabled regions usually takes under a minute." />
      )}
      <ScanFailures failures={failures} />
    </Stack>
  );
}
