/** The account's ignores (snoozes): what each covers, why, until when, and "Stop ignoring". Ended ones stay listed, dimmed. */
import { Alert, Badge, Button, Drawer, Group, ScrollArea, Skeleton, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SnoozeDto } from '../../../../shared/dto/snooze';
import { asAppError } from '../../api/client';
import { useRemoveSnooze, useSnoozes } from '../../api/queries-snooze';
import { ErrorAlert } from '../../components/error-alert';
import { formatCount, formatRelative } from '../../lib/format';
import { lastDayIgnored } from './snooze-text';

function What({ s, onOpenFinding }: { s: SnoozeDto; onOpenFinding: (id: number) => void }): React.JSX.Element {
  if (s.scope === 'tag') {
    return (
      <Text size="sm">
        Tag <Text span ff="monospace" size="sm">{`${s.tagKey ?? ''}=${s.tagValue ?? ''}`}</Text>
      </Text>
    );
  }
  return s.findingId !== null ? (
    <Button variant="subtle" size="compact-sm" ff="monospace" onClick={() => onOpenFinding(s.findingId!)} styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }} maw={240}>
      {s.resourceId}
    </Button>
  ) : (
    <Text size="sm" ff="monospace">
      {s.resourceId}
    </Text>
  );
}

function Until({ s }: { s: SnoozeDto }): React.JSX.Element {
  if (s.until === null) return <Text size="sm">For good</Text>;
  return (
    <Text size="sm" c={s.current ? undefined : 'dimmed'} title={s.current ? `Back in the totals ${formatRelative(s.until)}` : undefined}>
      {s.current ? lastDayIgnored(s.until) : `Ended ${formatRelative(s.until)}`}
    </Text>
  );
}

export function SnoozesDrawer({ opened, onClose, onOpenFinding }: { opened: boolean; onClose: () => void; onOpenFinding: (id: number) => void }): React.JSX.Element {
  const q = useSnoozes(opened);
  const remove = useRemoveSnooze();
  const rows = q.data ?? [];
  const current = rows.filter((s) => s.current).length;
  const stop = (s: SnoozeDto): void =>
    remove.mutate(s.id, {
      onError: (e) => notifications.show({ color: 'red', title: 'Could not stop ignoring', message: asAppError(e).message }),
    });
  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="xl" title={<Text fw={700}>Ignored findings</Text>} scrollAreaComponent={ScrollArea.Autosize} data-testid="snoozes-drawer">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Ignored findings are left out of the totals, the dashboard and "select all matching", and come back when their time ends.
        </Text>
        {q.isPending && opened && <Skeleton h={120} />}
        {q.isError && <ErrorAlert error={q.error} />}
        {q.data && rows.length === 0 && (
          <Alert color="gray" data-testid="snoozes-empty">
            Nothing is ignored. Select findings and choose Ignore, or use Ignore in a finding's details.
          </Alert>
        )}
        {rows.length > 0 && (
          <>
            <Text size="sm" data-testid="snoozes-count">
              {formatCount(current)} current, {formatCount(rows.length - current)} ended
            </Text>
            <Table verticalSpacing={6} data-testid="snoozes-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>What</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Last day</Table.Th>
                  <Table.Th ta="right">Findings now</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((s) => (
                  <Table.Tr key={s.id} data-testid="snooze-row" data-snooze-id={s.id} data-current={s.current} style={s.current ? undefined : { opacity: 0.65 }}>
                    <Table.Td>
                      <What s={s} onOpenFinding={onOpenFinding} />
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Text size="sm" data-testid="snooze-reason">
                        {s.reason}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Until s={s} />
                        {!s.current && <Badge color="gray" variant="light" size="xs">ended</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(s.findings)}</Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="light" color={s.current ? 'blue' : 'gray'} loading={remove.isPending && remove.variables === s.id} onClick={() => stop(s)} data-testid="snooze-remove">
                        {s.current ? 'Stop ignoring' : 'Remove'}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Drawer>
  );
}
