import { useEffect } from 'react';
import { AppShell, Burger, Center, Group, Loader, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useSession } from '../api/queries';
import { ErrorAlert } from '../components/error-alert';
import { MfaModal } from '../components/mfa-modal';
import { AccountsPage } from '../pages/accounts/accounts-page';
import { useOrgScanEvents } from '../pages/accounts/use-org-scan-events';
import { DashboardPage } from '../pages/dashboard/dashboard-page';
import { FindingsPage } from '../pages/findings/findings-page';
import { HistoryPage } from '../pages/history/history-page';
import { ProfilesPage } from '../pages/profiles/profiles-page';
import { ScanPage } from '../pages/scan/scan-page';
import { SettingsPage } from '../pages/settings/settings-page';
import { useScanEvents } from '../state/use-scan-events';
import { AccountHeader } from './account-header';
import { navigate, PAGE_LABELS, PAGES, useRoute, type PageId } from './routes';
import { ThemeSync } from './theme-sync';

/** Pages that need a selected account (everything but choosing one and the settings). */
const NEEDS_ACCOUNT: ReadonlySet<PageId> = new Set(['dashboard', 'accounts', 'scan', 'findings', 'history']);

function PageBody({ page }: { page: PageId }): React.JSX.Element {
  switch (page) {
    case 'profiles':
      return <ProfilesPage />;
    case 'dashboard':
      return <DashboardPage />;
    case 'accounts':
      return <AccountsPage />;
    case 'scan':
      return <ScanPage />;
    case 'findings':
      return <FindingsPage />;
    case 'history':
      return <HistoryPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

export function App(): React.JSX.Element {
  const [navOpen, { toggle, close }] = useDisclosure(false);
  const session = useSession();
  const route = useRoute();
  useScanEvents();
  useOrgScanEvents();

  const hasAccount = Boolean(session.data);
  // Pin the profile screen in the URL while no account is chosen, so choosing one confirms it there first.
  useEffect(() => {
    if (route === null && session.isSuccess && !session.data) navigate('profiles');
  }, [route, session.isSuccess, session.data]);
  // The profile screen comes first until an account is confirmed; then the dashboard is home.
  const page: PageId = route === null ? (hasAccount ? 'dashboard' : 'profiles') : NEEDS_ACCOUNT.has(route) && !hasAccount ? 'profiles' : route;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="lg">
      <ThemeSync />
      <MfaModal />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={3} fw={700}>
              Cloud Cleaner
            </Title>
          </Group>
          <AccountHeader session={session.data ?? null} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        <Stack gap={2}>
          {PAGES.map((p) => {
            const disabled = NEEDS_ACCOUNT.has(p) && !hasAccount;
            return (
              <NavLink
                key={p}
                component="button"
                label={PAGE_LABELS[p]}
                active={p === page}
                disabled={disabled}
                description={disabled ? 'Choose a profile first' : undefined}
                aria-current={p === page ? 'page' : undefined}
                data-testid={`nav-${p}`}
                onClick={() => {
                  navigate(p);
                  close();
                }}
              />
            );
          })}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        {session.isPending ? (
          <Center h={300}>
            <Loader aria-label="Loading" />
          </Center>
        ) : session.isError ? (
          <ErrorAlert error={session.error} onRetry={() => void session.refetch()} />
        ) : (
          <div data-page={page}>
            <PageBody page={page} />
          </div>
        )}
        <Text size="xs" c="dimmed" mt="xl" ta="center">
          Cloud Cleaner never deletes anything without a plan, a dry run and your typed confirmation.
        </Text>
      </AppShell.Main>
    </AppShell>
  );
}
