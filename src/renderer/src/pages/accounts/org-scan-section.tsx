/**
 * Scans every account (or the chosen ones) at once: one row per account with its status, tasks, findings, savings and
 * error as `org:progress` reports them; Cancel stops the run (finished accounts keep their results).
 */
import { Badge, Button, Card, Group, Loader, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { OrgAccountsDto, OrgScanProgressEvent } from '../../../../shared/dto/org';
import { asAppError } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { useCancelOrgScan, useStartOrgScan } from '../../api/queries-org';
import { Money } from '../../components/money';
import { formatCount } from '../../lib/format';
import { kindLabel } from '../../lib/kinds';
import { accountLabel, scanStatusColor, taskWords } from './account-words';
import { isRunning, orgScanStore, useLiveOrgScan, ORG_SCAN_ENDED } from './org-scan-store';

function ProgressRow({ e, name }: { e: OrgScanProgressEvent; name: string }): React.JSX.Element {
  const kinds = useKinds();
  const ended = ORG_SCAN_ENDED.has(e.status);
  const pct = e.tasksTotal > 0 ? (100 * e.tasksDone) / e.tasksTotal : 0;
  return (
    <Table.Tr data-testid="org-scan-row" data-account-id={e.accountId} data-status={e.status}>
      <Table.Td>
        <Text size="sm">{name}</Text>
      </Table.Td>
      <Table.Td>
        <Badge
          color={scanStatusColor(e.status)}
          variant="light"
          style={{ minWidth: 'max-content' }}
          leftSection={e.status === 'running' || e.status === 'connecting' ? <Loader size={10} color="blue" /> : undefined}
          data-testid="org-scan-status"
        >
          {e.status}
        </Badge>
      </Table.Td>
      <Table.Td miw={140}>
        {e.tasksTotal > 0 ? (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {taskWords(e.tasksDone, e.tasksTotal)}
            </Text>
            <Progress value={pct} size="xs" aria-label={`${name}: ${taskWords(e.tasksDone, e.tasksTotal)}`} />
            {e.lastTask && !ended && (
              <Text size="xs" c="dimmed" truncate="end">
                {e.lastTask.region} · {kindLabel(kinds, e.lastTask.resourceType)}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="xs" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">{e.scanId !== null ? formatCount(e.findings) : '—'}</Table.Td>
      <Table.Td ta="right">
        {e.scanId !== null && e.status !== 'failed' ? (
          <Money value={e.monthlySavings} size="sm" data-testid="org-scan-savings" />
        ) : (
          <Text size="sm" c="dimmed" fs="italic">
            {ended ? 'not scanned' : '—'}
          </Text>
        )}
      </Table.Td>
      <Table.Td maw={360}>
        {e.error && (
          <Text size="xs" c="red" style={{ wordBreak: 'break-word' }} data-testid="org-scan-error" data-error-code={e.error.code}>
            {e.error.message}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function OrgScanSection({ list, selected }: { list: OrgAccountsDto; selected: ReadonlySet<string> }): React.JSX.Element {
  const live = useLiveOrgScan();
  const start = useStartOrgScan();
  const cancel = useCancelOrgScan();
  const running = isRunning(live);
  const chosen = list.accounts.filter((a) => selected.has(a.accountId)).map((a) => a.accountId);
  const names = new Map(list.accounts.map((a) => [a.accountId, accountLabel(a)]));
  const rows = live ? [...live.accounts.values()] : [];
  const done = rows.filter((e) => ORG_SCAN_ENDED.has(e.status)).length;

  const onStart = (): void => {
    const accountIds = chosen.length > 0 ? chosen : list.accounts.map((a) => a.accountId);
    start.mutate(chosen.length > 0 ? { regions: 'all', accountIds: chosen } : { regions: 'all' }, {
      onSuccess: ({ runId }) => orgScanStore.begin(runId, accountIds),
      onError: (e) => notifications.show({ color: 'red', title: 'Scan not started', message: asAppError(e).message }),
    });
  };

  return (
    <Card withBorder data-testid="org-scan" data-run-status={live ? (live.done ? 'done' : 'running') : 'none'}>
      <Group justify="space-between" align="flex-start" mb={rows.length > 0 ? 'sm' : 0}>
        <div>
          <Title order={4}>Scan the accounts</Title>
          <Text size="sm" c="dimmed">
            Every enabled region of each account, several accounts at a time. An account that cannot be reached fails alone; the others go on.
          </Text>
        </div>
        <Group gap="xs">
          {running && live && (
            <Button variant="default" color="red" onClick={() => cancel.mutate(live.runId)} loading={cancel.isPending} data-testid="org-scan-cancel">
              Cancel
            </Button>
          )}
          <Button onClick={onStart} loading={start.isPending} disabled={running} data-testid="org-scan-start">
            {chosen.length > 0
              ? `Scan ${formatCount(chosen.length)} chosen ${chosen.length === 1 ? 'account' : 'accounts'}`
              : list.accounts.length === 1
                ? 'Scan this account'
                : `Scan all ${formatCount(list.accounts.length)} accounts`}
          </Button>
        </Group>
      </Group>
      {rows.length > 0 && (
        <>
          <Text size="sm" c="dimmed" mb={4} data-testid="org-scan-summary">
            {running ? `${formatCount(done)} of ${formatCount(rows.length)} accounts done` : `Last run: ${formatCount(rows.length)} ${rows.length === 1 ? 'account' : 'accounts'}`}
          </Text>
          <Table.ScrollContainer minWidth={720}>
            <Table data-testid="org-scan-table" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Progress</Table.Th>
                  <Table.Th ta="right">Findings</Table.Th>
                  <Table.Th ta="right">Savings / month</Table.Th>
                  <Table.Th>Error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((e) => (
                  <ProgressRow key={e.accountId} e={e} name={names.get(e.accountId) ?? e.accountId} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Card>
  );
}
