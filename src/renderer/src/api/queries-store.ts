/** The store queries (Settings → Team store, issue #21). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChannelInput } from '../../../shared/ipc/contract';
import type { StoreSaveResultDto } from '../../../shared/dto/store';
import { api } from './client';

export const storeKey = ['store'] as const;

export function useStoreInfo() {
  return useQuery({ queryKey: storeKey, queryFn: () => api().store.get() });
}

export function useTestStore() {
  return useMutation({ mutationFn: (input: ChannelInput<'store:test'>) => api().store.test(input) });
}

export function useSaveStore() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput<'store:save'>) => api().store.save(input),
    onSuccess: (r: StoreSaveResultDto) => qc.setQueryData(storeKey, r.info),
  });
}

export function useUseLocalStore() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api().store.useLocal(),
    onSuccess: (r: StoreSaveResultDto) => qc.setQueryData(storeKey, r.info),
  });
}

/** "Upload my history": the local file into the team store; everything shown may have changed after it. */
export function useUploadHistory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api().store.uploadHistory({ confirm: true }),
    onSuccess: () => void qc.invalidateQueries(),
  });
}
