/**
 * Many accounts (issue #20): the roll-up over every account, the account list (organization, added by hand, roles,
 * last access failures) and the many-account scan with its live progress.
 */
import { useState } from 'react';
import { Alert, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useSession } from '../../api/queries';
import { useOrgAccounts } from '../../api/queries-org';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { AccountList } from './account-list';
import { accountLabel } from './account-words';
import { OrgScanSection } from './org-scan-section';
import { RollupSection } from './rollup-section';
import { useViewAccountWithFeedback } from './use-view-account';

export function AccountsPage(): React.JSX.Element {
  const accounts = useOrgAccounts();
  const session = useSession().data ?? null;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const { view, pendingId } = useViewAccountWithFeedback();
  const list = accounts.data;
  const labelOf = (id: string): string => {
    const a = list?.accounts.find((x) => x.accountId === id);
    return a ? accountLabel(a) : id;
  };
  const onView = (id: string): void => {
    if (id !== session?.account.id) view(id, labelOf(id));
  };
  const home = list?.accounts.find((a) => a.accountId === list.homeAccountId) ?? null;
  const onlyHome = list !== undefined && list.accounts.length <= 1;
  const listSection = list && <AccountList list={list} selected={selected} onSelect={setSelected} onView={onView} viewPending={pendingId} />;
  const viewingMember = list !== undefined && session !== null && session.account.id !== list.homeAccountId;

  return (
    <Stack>
      <PageHeader title="Accounts" description="Every account this profile reaches: their waste in one place, scanned together." />
      {viewingMember && home && (
        <Alert color="blue" data-testid="viewing-member">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              The pages show account <b>{labelOf(session.account.id)}</b>, reached from {accountLabel(home)}.
            </Text>
            <Button size="compact-sm" variant="light" loading={pendingId === home.accountId} onClick={() => view(home.accountId, accountLabel(home))} data-testid="view-home">
              Back to {home.name ?? home.accountId}
            </Button>
          </Group>
        </Alert>
      )}
      {accounts.isPending ? (
        <Skeleton h={200} />
      ) : accounts.isError ? (
        <ErrorAlert error={accounts.error} onRetry={() => void accounts.refetch()} />
      ) : (
        <>
          {/* Only the profile's own account yet: listing the organization (or adding accounts) comes first. */}
          {onlyHome && listSection}
          <RollupSection viewingAccountId={session?.account.id ?? null} onView={onView} />
          <OrgScanSection list={accounts.data} selected={selected} />
          {!onlyHome && listSection}
        </>
      )}
    </Stack>
  );
}
