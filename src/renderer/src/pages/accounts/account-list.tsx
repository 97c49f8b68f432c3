/**
 * The accounts the profile reaches (org:accounts): the home account first, then the organization's and the ones added
 * by hand, each with the role used, its last scan and its last access failure. Checkboxes choose what "Scan" scans.
 */
import { useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { OrgAccountDto, OrgAccountsDto } from '../../../../shared/dto/org';
import { useRefreshOrg, useRemoveOrgAccount } from '../../api/queries-org';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { RelativeDate } from '../../components/relative-date';
import { formatCount } from '../../lib/format';
import { AddAccountModal, DefaultRoleModal, RoleModal } from './account-modals';
import { roleWords, scanStatusColor, sourceLabel } from './account-words';

interface AccountListProps {
  list: OrgAccountsDto;
  selected: ReadonlySet<string>;
  onSelect: (next: Set<string>) => void;
  onView: (accountId: string) => void;
  viewPending: string | null;
}

function LastScan({ a }: { a: OrgAccountDto }): React.JSX.Element {
  const s = a.lastScan;
  if (!s)
    return (
      <Text size="sm" c="dimmed">
        never
      </Text>
    );
  return (
    <Stack gap={0}>
      <Group gap={6} wrap="nowrap">
        <Badge color={scanStatusColor(s.status)} variant="light" style={{ minWidth: 'max-content' }} data-testid="org-account-scan-status">
          {s.status}
        </Badge>
        <RelativeDate iso={s.startedAt} size="xs" c="dimmed" />
      </Group>
      <Text size="xs" c="dimmed">
        {formatCount(s.findings)} {s.findings === 1 ? 'finding' : 'findings'} · <Money value={s.monthlySavings} suffix="/mo" size="xs" />
      </Text>
    </Stack>
  );
}

function AccountRow({ a, list, checked, onCheck, onEditRole, onView, viewPending }: { a: OrgAccountDto; list: OrgAccountsDto; checked: boolean; onCheck: (v: boolean) => void; onEditRole: () => void; onView: () => void; viewPending: boolean }): React.JSX.Element {
  const remove = useRemoveOrgAccount();
  const viewing = list.viewingAccountId === a.accountId;
  const role = roleWords(a, list.defaultRoleName);
  return (
    <Table.Tr data-testid="org-account-row" data-account-id={a.accountId} data-source={a.source} data-error={a.lastError ? 'true' : undefined}>
      <Table.Td>
        <Checkbox checked={checked} onChange={(e) => onCheck(e.currentTarget.checked)} aria-label={`Scan ${a.name ?? a.accountId}`} data-testid="org-account-select" />
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500} data-testid="org-account-name">
          {a.name ?? (
            <Text span c="dimmed" fs="italic" size="sm">
              no name
            </Text>
          )}
          {viewing && (
            <Badge ml={6} size="xs" variant="light">
              viewing
            </Badge>
          )}
        </Text>
        <Text size="xs" c="dimmed">
          <Text span ff="monospace" size="xs" data-testid="org-account-id">
            {a.accountId}
          </Text>{' '}
          · <span data-testid="org-account-source">{sourceLabel(a.source)}</span>
        </Text>
      </Table.Td>
      <Table.Td>
        {role === null ? (
          <Text size="sm" c="dimmed">
            none needed
          </Text>
        ) : (
          <Stack gap={2} align="flex-start">
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-word' }} data-testid="org-account-role">
              {role}
            </Text>
            <Button size="compact-xs" variant="subtle" px={0} onClick={onEditRole} aria-label={`Change the role of ${a.name ?? a.accountId}`} data-testid="org-account-role-edit">
              Change
            </Button>
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        <LastScan a={a} />
      </Table.Td>
      <Table.Td maw={300}>
        {a.lastError ? (
          <Stack gap={0} data-testid="org-account-error" data-error-code={a.lastError.code}>
            <Text size="sm" c="red" fw={500}>
              Not reached
              {a.roleName ? ` with role ${a.roleName}` : ''}
            </Text>
            <Tooltip label={a.lastError.message} multiline maw={420} withArrow openDelay={200}>
              <Text size="xs" c="red" lineClamp={3} style={{ wordBreak: 'break-word' }} tabIndex={0}>
                {a.lastError.message}
              </Text>
            </Tooltip>
            <RelativeDate iso={a.lastError.at} size="xs" c="dimmed" />
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {a.lastScan ? 'reached' : '—'}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <Button size="compact-sm" variant="light" disabled={viewing} loading={viewPending} onClick={onView} data-testid="org-account-view">
            {viewing ? 'Viewing' : 'View'}
          </Button>
          {a.source === 'manual' && (
            <Button size="compact-sm" variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(a.accountId)} data-testid="org-account-remove">
              Remove
            </Button>
          )}
        </Group>
        {remove.isError && <ErrorAlert error={remove.error} />}
      </Table.Td>
    </Table.Tr>
  );
}

export function AccountList({ list, selected, onSelect, onView, viewPending }: AccountListProps): React.JSX.Element {
  const refresh = useRefreshOrg();
  const [adding, setAdding] = useState(false);
  const [editingDefault, setEditingDefault] = useState(false);
  const [roleOf, setRoleOf] = useState<OrgAccountDto | null>(null);
  const all = list.accounts.length > 0 && list.accounts.every((a) => selected.has(a.accountId));
  const some = list.accounts.some((a) => selected.has(a.accountId));

  return (
    <Card withBorder data-testid="org-accounts">
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Title order={4}>Accounts</Title>
          <Text size="sm" c="dimmed" data-testid="org-listed-at">
            {list.listedAt ? (
              <>
                Listed from AWS Organizations <RelativeDate iso={list.listedAt} size="sm" />.
              </>
            ) : (
              'Not listed from AWS Organizations yet.'
            )}{' '}
            Members are reached by assuming a role in each with this profile&apos;s credentials.
          </Text>
        </div>
        <Group gap="xs">
          <Tooltip label="Asks AWS Organizations for the organization's active accounts (organizations:ListAccounts)." multiline maw={280} withArrow>
            <Button variant="light" onClick={() => refresh.mutate()} loading={refresh.isPending} data-testid="org-refresh">
              Refresh from AWS Organizations
            </Button>
          </Tooltip>
          <Button variant="default" onClick={() => setAdding(true)} data-testid="org-add-account">
            Add account
          </Button>
        </Group>
      </Group>

      {refresh.isError && <ErrorAlert error={refresh.error} />}
      {list.listError && (
        <Alert color="yellow" title="The organization could not be listed" data-testid="org-list-error" data-error-code={list.listError.code} mb="sm">
          <Text size="sm">{list.listError.message}</Text>
          <Text size="sm" mt={4}>
            Listing needs the organization&apos;s management account (or a delegated administrator). Add the accounts this profile can reach by hand with Add account.
          </Text>
        </Alert>
      )}

      <Group gap="xs" mb="xs">
        <Text size="sm">
          Default role: <b data-testid="org-default-role">{list.defaultRoleName}</b>
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => setEditingDefault(true)} data-testid="org-default-role-edit">
          Change
        </Button>
      </Group>

      <Table.ScrollContainer minWidth={800}>
        <Table verticalSpacing={6} data-testid="org-account-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>
                <Checkbox
                  checked={all}
                  indeterminate={some && !all}
                  onChange={(e) => onSelect(e.currentTarget.checked ? new Set(list.accounts.map((a) => a.accountId)) : new Set())}
                  aria-label="Choose every account"
                  data-testid="org-account-select-all"
                />
              </Table.Th>
              <Table.Th>Account</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Last scan</Table.Th>
              <Table.Th>Access</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.accounts.map((a) => (
              <AccountRow
                key={a.accountId}
                a={a}
                list={list}
                checked={selected.has(a.accountId)}
                onCheck={(v) => {
                  const next = new Set(selected);
                  if (v) next.add(a.accountId);
                  else next.delete(a.accountId);
                  onSelect(next);
                }}
                onEditRole={() => setRoleOf(a)}
                onView={() => onView(a.accountId)}
                viewPending={viewPending === a.accountId}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.accounts.length === 1 && (
        <Text size="sm" c="dimmed" mt="xs" data-testid="org-only-home">
          Only this profile&apos;s own account so far: refresh from AWS Organizations, or add accounts by hand.
        </Text>
      )}

      <AddAccountModal opened={adding} onClose={() => setAdding(false)} defaultRoleName={list.defaultRoleName} />
      <DefaultRoleModal opened={editingDefault} onClose={() => setEditingDefault(false)} current={list.defaultRoleName} />
      <RoleModal account={roleOf} onClose={() => setRoleOf(null)} defaultRoleName={list.defaultRoleName} />
    </Card>
  );
}
