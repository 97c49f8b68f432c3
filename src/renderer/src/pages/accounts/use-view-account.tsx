import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { asAppError } from '../../api/client';
import { describeError } from '../../api/describe-error';
import { useViewAccount } from '../../api/queries-org';

/**
 * Views an account (the header's switcher, the Accounts page): on failure (role not assumable, MFA cancelled) the
 * app stays on the current account and says why.
 */
export function useViewAccountWithFeedback(): { view: (accountId: string, label?: string) => void; pendingId: string | null } {
  const m = useViewAccount();
  const view = (accountId: string, label?: string): void =>
    m.mutate(accountId, {
      onSuccess: (s) => notifications.show({ color: 'teal', title: 'Viewing another account', message: `Every page now shows account ${s.account.id}.` }),
      onError: (e) => {
        const advice = describeError(asAppError(e));
        notifications.show({
          color: 'red',
          autoClose: 15_000,
          title: `Could not view ${label ?? accountId}`,
          message: (
            <Text size="sm" data-testid="account-view-error" data-account-id={accountId}>
              {advice.message}
              {advice.action ? ` ${advice.action}` : ''}
            </Text>
          ),
        });
      },
    });
  return { view, pendingId: m.isPending ? (m.variables ?? null) : null };
}
