/**
 * Snoozes ("ignore with a reason"): the account's list and the two writes. The list lives under the findings root, so a
 * scan or a cleanup (which invalidate that root) refreshes its counts; a write invalidates the whole root, because
 * ignoring changes every findings page, its totals, the filter menus, the dashboard's waste and the open drawer.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SnoozeSetResultDto } from '../../../shared/dto/snooze';
import type { ChannelInput } from '../../../shared/ipc/contract';
import { api } from './client';
import { useAccountId } from './queries';
import { queryKeys } from './query-keys';

export const snoozesKey = (accountId: string) => [...queryKeys.findingsRoot, accountId, 'snoozes'] as const;

export function useSnoozes(enabled = true) {
  const accountId = useAccountId();
  return useQuery({ queryKey: snoozesKey(accountId), queryFn: () => api().snooze.list(), enabled: enabled && accountId !== '' });
}

export function useSetSnooze() {
  const qc = useQueryClient();
  return useMutation<SnoozeSetResultDto, unknown, ChannelInput<'snooze:set'>>({
    mutationFn: (input) => api().snooze.set(input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.findingsRoot }),
  });
}

export function useRemoveSnooze() {
  const qc = useQueryClient();
  return useMutation<void, unknown, number>({
    mutationFn: (id) => api().snooze.remove({ id }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: queryKeys.findingsRoot }),
  });
}
