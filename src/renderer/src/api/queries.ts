/** Queries shared by several pages (session, settings). Page-specific queries live beside their page. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionDto } from '../../../shared/dto/aws';
import type { SettingsDto } from '../../../shared/dto/settings';
import type { ChannelInput } from '../../../shared/ipc/contract';
import { api } from './client';
import { queryKeys } from './query-keys';

export function useSession() {
  return useQuery({ queryKey: queryKeys.session, queryFn: () => api().accounts.current(), staleTime: Infinity });
}

/** The selected account's id; pages under the shell only render once a session exists. */
export function useAccountId(): string {
  const { data } = useSession();
  return data?.account.id ?? '';
}

export function useRequiredSession(): SessionDto | null {
  return useSession().data ?? null;
}

export function useSettings() {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api().settings.get(), staleTime: Infinity });
}

export function useUpdateSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: ChannelInput<'settings:update'>) => api().settings.update(patch),
    onSuccess: (s: SettingsDto) => qc.setQueryData(queryKeys.settings, s),
  });
}

/** The last profile chosen (main records it on profiles:select). */
export function lastProfileOf(settings: SettingsDto | undefined): string | null {
  const v = settings?.lastProfile ?? null;
  return v !== null && v.length > 0 ? v : null;
}
