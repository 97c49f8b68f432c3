/**
 * Settings → Team store → "Upload my history" (store:upload-history): this app's local file copied once into the team
 * store it runs on. Asked for first (it writes into a shared database); the result is counted per table. Running it
 * again adds nothing, and says so. Shown when a team store is in use or saved; enabled only when the app runs on one.
 */
import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, Stack, Table, Text } from '@mantine/core';
import type { StoreInfoDto, StoreUploadResultDto } from '../../../../shared/dto/store';
import { useUploadHistory } from '../../api/queries-store';
import { ErrorAlert } from '../../components/error-alert';
import { formatCount } from '../../lib/format';

function UploadSummary({ result }: { result: StoreUploadResultDto }): React.JSX.Element {
  const rows = result.tables.filter((t) => t.copied + t.updated + t.alreadyThere + t.skipped > 0);
  return (
    <Alert color="teal" title="History uploaded" data-testid="upload-history-result">
      <Stack gap="xs">
        <Text size="sm" data-testid="upload-history-summary">
          {result.message}
        </Text>
        {rows.length > 0 && (
          <Table withRowBorders={false} verticalSpacing={2} fz="xs" data-testid="upload-history-tables">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Table</Table.Th>
                <Table.Th ta="right">Copied</Table.Th>
                <Table.Th ta="right">Updated</Table.Th>
                <Table.Th ta="right">Already there</Table.Th>
                <Table.Th ta="right">Skipped</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((t) => (
                <Table.Tr key={t.table} data-table={t.table}>
                  <Table.Td>{t.table}</Table.Td>
                  <Table.Td ta="right">{formatCount(t.copied)}</Table.Td>
                  <Table.Td ta="right">{formatCount(t.updated)}</Table.Td>
                  <Table.Td ta="right">{formatCount(t.alreadyThere)}</Table.Td>
                  <Table.Td ta="right" title={Object.entries(t.reasons).map(([why, n]) => `${formatCount(n)} ${why}`).join('; ')}>
                    {formatCount(t.skipped)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Alert>
  );
}

export function UploadHistoryPanel({ info }: { info: StoreInfoDto }): React.JSX.Element | null {
  const upload = useUploadHistory();
  const [asking, setAsking] = useState(false);
  const onTeamStore = info.current.kind === 'postgres';
  if (!onTeamStore && info.saved.kind !== 'postgres') return null;

  const confirm = (): void => {
    setAsking(false);
    upload.mutate();
  };

  return (
    <Stack gap="xs" data-testid="upload-history">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {onTeamStore
            ? 'Copy what this computer recorded before the team store (scans, findings, the audit log) into it.'
            : 'Restart on the team store to upload your local history into it.'}
        </Text>
        <Button variant="default" onClick={() => setAsking(true)} loading={upload.isPending} disabled={!onTeamStore} data-testid="upload-history-button">
          Upload my history
        </Button>
      </Group>
      {upload.isError && <ErrorAlert error={upload.error} />}
      {upload.isSuccess && <UploadSummary result={upload.data} />}
      <Modal opened={asking} onClose={() => setAsking(false)} title="Upload my history" data-testid="upload-history-modal">
        <Stack gap="md">
          <Text size="sm">
            This copies your local scans, findings and audit log into the team store ({info.current.name}), where everyone on it sees them.
          </Text>
          <Text size="sm">
            Your local file is not changed (a file an older version wrote is first upgraded, with a backup, as at every start): <Code>{info.localFile}</Code>. Running it again adds nothing.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)} data-testid="upload-history-cancel">
              Cancel
            </Button>
            <Button onClick={confirm} data-testid="upload-history-confirm">
              Upload
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
