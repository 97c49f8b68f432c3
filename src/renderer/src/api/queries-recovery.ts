/** The recovery list's queries (History → Recovery). */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';
import { useAccountId } from './queries';
import { queryKeys } from './query-keys';

/** Under the deletions root: a cleanup (cleanup-modal.tsx invalidates that root) adds recovery points. */
export const recoveryKey = (accountId: string, page: number) => [...queryKeys.deletionsRoot, accountId, 'recovery', page] as const;

export function useRecoveryPoints(page: number, pageSize: number) {
  const accountId = useAccountId();
  return useQuery({
    queryKey: recoveryKey(accountId, page),
    queryFn: () => api().recovery.list({ limit: pageSize, offset: (page - 1) * pageSize }),
    placeholderData: keepPreviousData,
  });
}
