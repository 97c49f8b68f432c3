import { useState } from 'react';
import { Alert, Button, EmptyState, Group, Pagination, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { RecoveryPointDto } from '../../../../shared/dto/recovery';
import { api, asAppError } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { useRecoveryPoints } from '../../api/queries-recovery';
import { ErrorAlert } from '../../components/error-alert';
import { RelativeDate } from '../../components/relative-date';
import { restoreConsoleUrl } from '../../lib/console-url';
import { formatUsd } from '../../lib/format';
import { kindNoun, type KindList } from '../../lib/kinds';
import { ResourceId } from '../cleanup/resource-id';
import { protectsNote, recoverySummary, retentionText } from './recovery-words';

const PAGE = 50;

async function openInConsole(url: string): Promise<void> {
  try {
    await api().shell.openExternal({ url });
  } catch (e) {
    notifications.show({ color: 'red', title: 'Could not open the AWS console', message: asAppError(e).message });
  }
}

function PointRow({ p, kinds }: { p: RecoveryPointDto; kinds: KindList }): React.JSX.Element {
  const url = restoreConsoleUrl(p);
  const note = protectsNote(p);
  const name = p.resourceName !== null && p.resourceName !== p.resourceId ? ` ${p.resourceName}` : '';
  return (
    <Table.Tr data-testid="recovery-point" data-kind={p.kind} data-point-id={p.id ?? ''}>
      <Table.Td maw={210}>
        <Text size="sm" fw={600} c={p.isCopy ? undefined : 'orange'} data-testid="recovery-kind">
          {p.kindLabel}
        </Text>
        {p.id !== null ? (
          <ResourceId id={p.id} size="xs" testId="recovery-id" />
        ) : (
          <Tooltip label={p.idHint ?? 'Not recorded'} multiline maw={320} withArrow>
            <Text size="xs" c="dimmed" fs="italic" tabIndex={0} data-testid="recovery-id-unknown">
              id not recorded
            </Text>
          </Tooltip>
        )}
        <Text size="xs" c="dimmed">
          {p.region}
        </Text>
      </Table.Td>
      <Table.Td maw={190}>
        <Text size="sm" data-testid="recovery-protects">
          {kindNoun(kinds, p.resourceType)}
          {name}
        </Text>
        <ResourceId id={p.resourceId} size="xs" testId="recovery-resource-id" />
        {note !== null && (
          <Text size="xs" c="orange" data-testid="recovery-resource-kept">
            {note}
          </Text>
        )}
      </Table.Td>
      <Table.Td miw={150}>
        <RelativeDate iso={p.createdAt} size="sm" />
        <Text size="xs" c="dimmed" data-testid="recovery-retention">
          {retentionText(p)}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Tooltip label={p.costBasis} multiline maw={360} withArrow openDelay={200}>
          <Text size="sm" ff="monospace" c={p.isCopy ? undefined : 'dimmed'} tabIndex={0} data-testid="recovery-cost" data-unknown={p.isCopy && p.monthlyCost === null ? 'true' : undefined}>
            {p.isCopy ? formatUsd(p.monthlyCost) : 'not a copy'}
          </Text>
        </Tooltip>
        {url !== null && (
          <Tooltip label={p.restoreHint} multiline maw={320} withArrow openDelay={200}>
            <Button mt={4} size="compact-xs" variant="light" onClick={() => void openInConsole(url)} data-testid="recovery-restore" data-url={url}>
              {p.isCopy ? 'Restore in console' : 'Undo in console'}
            </Button>
          </Tooltip>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** History → Recovery: what cleanups kept so a deleted resource can come back, what it costs, and where to restore it. */
export function RecoveryPoints(): React.JSX.Element {
  const kinds = useKinds();
  const [page, setPage] = useState(1);
  const q = useRecoveryPoints(page, PAGE);
  if (q.isPending) return <Skeleton h={160} />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  if (q.data.total === 0) {
    return (
      <EmptyState
        title="Nothing to restore yet"
        description="When a cleanup keeps a copy (a safety snapshot of a volume, a final snapshot of a database, an image of an instance) or schedules a deletion AWS can still undo (a secret, a KMS key), it is listed here with its cost and a link to restore it."
        data-testid="recovery-empty"
      />
    );
  }
  const pages = Math.max(1, Math.ceil(q.data.total / PAGE));
  return (
    <Stack gap="sm">
      <Alert color={q.data.copies > 0 ? 'blue' : 'gray'} variant="light" data-testid="recovery-summary">
        {recoverySummary(q.data)}
      </Alert>
      <Text size="xs" c="dimmed">
        As recorded when each cleanup ran: a copy deleted in the console since still shows here.
      </Text>
      <Table.ScrollContainer minWidth={740}>
        <Table data-testid="recovery-points" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Copy</Table.Th>
              <Table.Th>Protects</Table.Th>
              <Table.Th miw={150}>Made, kept</Table.Th>
              <Table.Th ta="right" w={140}>
                Cost / month
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.rows.map((p) => (
              <PointRow key={`${p.planId} ${p.kind} ${p.region} ${p.resourceId}`} p={p} kinds={kinds} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group>
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}
    </Stack>
  );
}
