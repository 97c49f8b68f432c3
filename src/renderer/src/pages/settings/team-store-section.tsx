/**
 * Settings → Team store (PostgreSQL), issue #21: which store the app is on, a connection string to test, and Save only
 * after a successful test of exactly the typed URL (an older database also needs "I have a backup"; a newer one is
 * refused). The password goes to main once; nothing shown here ever carries it back. A switch applies at the next start.
 */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Code, Group, List, Stack, Text, TextInput } from '@mantine/core';
import type { StoreRefDto, StoreTestResultDto, StoreTestState } from '../../../../shared/dto/store';
import { useSaveStore, useStoreInfo, useTestStore, useUseLocalStore } from '../../api/queries-store';
import { ErrorAlert } from '../../components/error-alert';
import { UploadHistoryPanel } from './upload-history-panel';

const STATE_TITLE: Record<StoreTestState, string> = {
  empty: 'Empty database: it will be set up',
  current: 'Up to date',
  older: 'Older schema: it needs an update',
  newer: 'Refused: written by a newer Cloud Cleaner (update the app)',
};
const STATE_COLOR: Record<StoreTestState, string> = { empty: 'teal', current: 'teal', older: 'yellow', newer: 'red' };

/** The typed URL with its password masked (what is shown back; the input itself is the user's own typing). */
export function maskedUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '';
  }
}

function storeLabel(s: StoreRefDto): string {
  return s.kind === 'local' ? `Local database (${s.name})` : s.name;
}

export function TeamStoreSection(): React.JSX.Element {
  const info = useStoreInfo();
  const test = useTestStore();
  const save = useSaveStore();
  const useLocal = useUseLocalStore();
  const [url, setUrl] = useState('');
  const [tested, setTested] = useState<{ url: string; result: StoreTestResultDto } | null>(null);
  const [backupConfirmed, setBackupConfirmed] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const typed = url.trim();
  const result = tested && tested.url === typed ? tested.result : null;
  const canSave = result !== null && result.state !== 'newer' && (result.state !== 'older' || backupConfirmed);

  const runTest = (): void => {
    setDone(null);
    save.reset();
    setBackupConfirmed(false);
    setTested(null);
    test.mutate({ url: typed }, { onSuccess: (r) => setTested({ url: typed, result: r }) });
  };
  const runSave = (): void =>
    save.mutate(
      { url: typed, ...(result?.state === 'older' ? { confirmOlder: backupConfirmed } : {}) },
      {
        onSuccess: (r) => {
          setDone(r.message);
          setUrl('');
          setTested(null);
        },
      },
    );

  const d = info.data;
  return (
    <Card withBorder data-testid="team-store">
      <Text fw={600} mb="xs">
        Team store (PostgreSQL)
      </Text>
      <Stack gap="sm">
        {info.isError && <ErrorAlert error={info.error} onRetry={() => void info.refetch()} />}
        {d && (
          <Stack gap={2}>
            <Text size="sm">
              Now: <span data-testid="team-store-current">{storeLabel(d.current)}</span>
            </Text>
            <Text size="sm">
              From the next start: <span data-testid="team-store-saved">{storeLabel(d.saved)}</span>
              {d.saved.url && (
                <>
                  {' '}
                  <Code data-testid="team-store-saved-url">{d.saved.url}</Code>
                </>
              )}
            </Text>
            {d.restartNeeded && (
              <Text size="sm" c="orange" data-testid="team-store-restart">
                Restart Cloud Cleaner to switch.
              </Text>
            )}
            {d.savedProblem && (
              <Text size="sm" c="red" data-testid="team-store-saved-problem">
                {d.savedProblem}
              </Text>
            )}
            {d.keychainProblem && (
              <Text size="sm" c="dimmed" data-testid="team-store-keychain">
                {d.keychainProblem}
              </Text>
            )}
          </Stack>
        )}
        {d && <UploadHistoryPanel info={d} />}
        <TextInput
          label="Connection string"
          description="postgres://user:password@host:5432/database — add ?sslmode=require, or ?sslmode=verify-full&sslrootcert=/path/to/ca.pem. The password is kept in the OS keychain."
          placeholder="postgres://user:password@host:5432/database"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="team-store-url"
        />
        {typed !== '' && maskedUrl(typed) !== '' && (
          <Text size="xs" c="dimmed" data-testid="team-store-url-shown">
            {maskedUrl(typed)}
          </Text>
        )}
        {test.isError && <ErrorAlert error={test.error} />}
        {result && (
          <Alert color={STATE_COLOR[result.state]} title={STATE_TITLE[result.state]} data-testid="team-store-state" data-state={result.state}>
            <Stack gap="xs">
              <Text size="sm">{result.message}</Text>
              {result.state === 'older' && (
                <>
                  <List size="sm" data-testid="team-store-pending">
                    {result.pending.map((m) => (
                      <List.Item key={m}>{m}</List.Item>
                    ))}
                  </List>
                  <Checkbox
                    label="I have a backup; update it"
                    description="Cloud Cleaner takes no backup of a server database."
                    checked={backupConfirmed}
                    onChange={(e) => setBackupConfirmed(e.currentTarget.checked)}
                    data-testid="team-store-confirm"
                  />
                </>
              )}
            </Stack>
          </Alert>
        )}
        {save.isError && <ErrorAlert error={save.error} />}
        {useLocal.isError && <ErrorAlert error={useLocal.error} />}
        {done && (
          <Alert color="teal" data-testid="team-store-done">
            {done}
          </Alert>
        )}
        <Group justify="space-between">
          <Button
            variant="default"
            onClick={() => useLocal.mutate(undefined, { onSuccess: (r) => setDone(r.message) })}
            loading={useLocal.isPending}
            disabled={d?.saved.kind === 'local'}
            data-testid="team-store-use-local"
          >
            Use the local database
          </Button>
          <Group>
            <Button variant="default" onClick={runTest} loading={test.isPending} disabled={typed === ''} data-testid="team-store-test">
              Test connection
            </Button>
            <Button onClick={runSave} loading={save.isPending} disabled={!canSave} data-testid="team-store-save">
              Save
            </Button>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}
