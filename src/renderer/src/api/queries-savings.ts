/** Savings realised (savings:realised): under the deletions root, so a cleanup refreshes it with the history. */
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { useAccountId } from './queries';
import { queryKeys } from './query-keys';

export const savingsRealisedKey = (accountId: string) => [...queryKeys.deletionsRoot, accountId, 'savings-realised'] as const;

export function useSavingsRealised() {
  const accountId = useAccountId();
  return useQuery({ queryKey: savingsRealisedKey(accountId), queryFn: () => api().savings.realised(), enabled: accountId !== '' });
}
