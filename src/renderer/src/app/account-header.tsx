import { Badge, Button, Group, Loader, Menu, Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { SessionDto } from '../../../shared/dto/aws';
import type { OrgAccountsDto } from '../../../shared/dto/org';
import { useOrgAccounts } from '../api/queries-org';
import { sourceLabel } from '../pages/accounts/account-words';
import { useViewAccountWithFeedback } from '../pages/accounts/use-view-account';
import { navigate } from './routes';

/**
 * The account being viewed, and (when the profile reaches more than one) the switcher: choosing an account makes
 * every page show it. A failure to reach one is notified and the view stays where it was.
 */
function AccountSwitcher({ session, list }: { session: SessionDto; list: OrgAccountsDto }): React.JSX.Element {
  const { view, pendingId } = useViewAccountWithFeedback();
  const { account, identity } = session;
  const current = list.accounts.find((a) => a.accountId === account.id);
  const name = current?.name ?? account.alias;
  return (
    <Menu position="bottom-end" withArrow shadow="md" width={340}>
      <Menu.Target>
        <UnstyledButton aria-label={`Account ${name ?? account.id}: choose another account to view`} data-testid="account-switcher" data-viewing={account.id}>
          <Badge variant="light" size="lg" tt="none" rightSection={pendingId ? <Loader size={12} /> : '▾'} style={{ cursor: 'pointer' }}>
            {name ? `${name} · ` : ''}
            <span data-testid="account-id">{account.id}</span>
          </Badge>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown data-testid="account-switcher-menu">
        <Menu.Label>
          <Text size="xs" style={{ wordBreak: 'break-all' }}>
            As {identity.arn}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        {list.accounts.map((a) => {
          const viewing = a.accountId === account.id;
          return (
            <Menu.Item
              key={a.accountId}
              disabled={viewing || pendingId !== null}
              onClick={() => view(a.accountId, a.name ? `${a.name} (${a.accountId})` : a.accountId)}
              rightSection={viewing ? <Text size="xs">viewing</Text> : undefined}
              data-testid="account-switcher-item"
              data-account-id={a.accountId}
            >
              <Text size="sm">{a.name ?? a.accountId}</Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {a.accountId} · {sourceLabel(a.source)}
                {a.lastError ? ' · not reached last time' : ''}
              </Text>
            </Menu.Item>
          );
        })}
        <Menu.Divider />
        <Menu.Item onClick={() => navigate('accounts')} data-testid="account-switcher-manage">
          Manage accounts
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Who the app is acting as: confirmed by STS before any page shows account data. */
export function AccountHeader({ session }: { session: SessionDto | null }): React.JSX.Element {
  const org = useOrgAccounts(session !== null);
  if (!session) {
    return (
      <Text size="sm" c="dimmed" data-testid="account-none">
        No profile selected
      </Text>
    );
  }
  const { identity, account, profile } = session;
  const many = org.data !== undefined && org.data.accounts.length > 1;
  return (
    <Group gap="xs" wrap="nowrap" data-testid="account-header">
      {many ? (
        <AccountSwitcher session={session} list={org.data} />
      ) : (
        <Tooltip label={identity.arn} withArrow multiline maw={480}>
          <Badge variant="light" size="lg" tt="none" tabIndex={0}>
            <span data-testid="account-id">{account.id}</span>
            {account.alias ? ` · ${account.alias}` : ''}
          </Badge>
        </Tooltip>
      )}
      <Text size="sm" c="dimmed" visibleFrom="sm">
        profile <b data-testid="account-profile">{profile}</b>
      </Text>
      <Button size="compact-sm" variant="subtle" onClick={() => navigate('profiles')}>
        Switch
      </Button>
    </Group>
  );
}
