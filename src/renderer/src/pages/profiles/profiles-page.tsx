import { useState } from 'react';
import { Alert, Button, Card, Code, Group, List, Skeleton, Stack, Text } from '@mantine/core';
import { EmptyState } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AppErrorDto } from '../../../../shared/errors';
import { api } from '../../api/client';
import { lastProfileOf, useSession, useSettings } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { navigate } from '../../app/routes';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { ProfileTable } from './profile-table';

/** Queries not tied to an account (the session itself is replaced, not removed: observers stay attached). */
const KEEP_ON_SWITCH = new Set(['profiles', 'settings', 'session']);

function problemLocation(p: AppErrorDto): string | null {
  const file = p.details?.['file'];
  const line = p.details?.['line'];
  if (typeof file !== 'string') return null;
  return typeof line === 'number' || typeof line === 'string' ? `${file}:${line}` : file;
}

export function ProfilesPage(): React.JSX.Element {
  const qc = useQueryClient();
  const profiles = useQuery({ queryKey: queryKeys.profiles, queryFn: () => api().profiles.list() });
  const settings = useSettings();
  const session = useSession();
  const [chosen, setChosen] = useState<string | null>(null);

  const select = useMutation({
    mutationFn: (profile: string) => api().profiles.select({ profile }),
    onSuccess: (s) => {
      // Another account's cached data must never show under this one.
      qc.removeQueries({ predicate: (q) => !KEEP_ON_SWITCH.has(String(q.queryKey[0])) });
      qc.setQueryData(queryKeys.session, s);
      void qc.invalidateQueries({ queryKey: queryKeys.settings });
    },
  });

  const list = profiles.data;
  const preselected = lastProfileOf(settings.data) ?? session.data?.profile ?? list?.defaultProfile ?? list?.profiles[0]?.name ?? null;
  const value = chosen ?? (list?.profiles.some((p) => p.name === preselected) ? preselected : null);
  const current = session.data;

  return (
    <Stack>
      <PageHeader
        title="Choose an AWS profile"
        description="Profiles come from your local AWS config and credentials files. Nothing is read from the account until you choose one."
      />
      {profiles.isPending && (
        <Stack gap="xs">
          <Skeleton h={36} />
          <Skeleton h={36} />
          <Skeleton h={36} />
        </Stack>
      )}
      {profiles.isError && <ErrorAlert error={profiles.error} onRetry={() => void profiles.refetch()} />}
      {list && list.problems.length > 0 && (
        <Alert color="yellow" title="Some AWS configuration could not be read" data-testid="profile-problems">
          <List size="sm" spacing={4}>
            {list.problems.map((p, i) => (
              <List.Item key={i}>
                {p.message}
                {problemLocation(p) && (
                  <>
                    {' '}
                    — <Code>{problemLocation(p)}</Code>
                  </>
                )}
              </List.Item>
            ))}
          </List>
          <Text size="sm" mt="xs">
            The other profiles are still usable.
          </Text>
        </Alert>
      )}
      {list && list.profiles.length === 0 && (
        <EmptyState
          title="No AWS profiles found"
          description={
            <>
              Create one with <Code>aws configure</Code> (access keys) or <Code>aws configure sso</Code>, then look again.
            </>
          }
          data-testid="no-profiles"
        >
          <Button variant="light" onClick={() => void profiles.refetch()} loading={profiles.isFetching} data-testid="profiles-look-again">
            Look again
          </Button>
        </EmptyState>
      )}
      {list && list.profiles.length > 0 && (
        <Card withBorder padding="sm">
          <ProfileTable profiles={list.profiles} value={value} onChange={setChosen} />
          <Group justify="flex-end" mt="sm">
            <Button
              disabled={value === null}
              loading={select.isPending}
              onClick={() => value && select.mutate(value)}
              data-testid="select-profile"
            >
              Use {value ?? 'profile'}
            </Button>
          </Group>
        </Card>
      )}
      {select.isError && (
        <ErrorAlert error={select.error} profile={select.variables} mfa={list?.profiles.find((p) => p.name === select.variables)?.mfaRequired === true} />
      )}
      {current && !select.isPending && (
        <Alert color="teal" title="Connected" data-testid="session-confirmed">
          <Stack gap={4}>
            <Text size="sm">
              Account <b data-testid="confirmed-account-id">{current.account.id}</b>
              {current.account.alias ? ` (${current.account.alias})` : ''} via profile <b>{current.profile}</b>
            </Text>
            <Text size="sm">
              Identity <Code>{current.identity.arn}</Code>
            </Text>
            <Group mt="xs">
              <Button onClick={() => navigate('dashboard')} data-testid="open-dashboard">
                Open the dashboard
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
