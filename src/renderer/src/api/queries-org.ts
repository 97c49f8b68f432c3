/**
 * Many accounts (issue #20): the home profile's account list, the roll-up over every account, and the writes. The
 * list is keyed by the home profile (a profile switch removes it with every other non-kept query); the roll-up lives
 * under the findings root, so a scan or a cleanup (which invalidate that root) refreshes it too.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { SessionDto } from '../../../shared/dto/aws';
import type { OrgAccountsDto } from '../../../shared/dto/org';
import type { ChannelInput } from '../../../shared/ipc/contract';
import { api } from './client';
import { useSession } from './queries';
import { queryKeys } from './query-keys';

export const orgKeys = {
  root: ['org'] as const,
  /** The accounts of the home profile's account (the same whichever account is being viewed). */
  accounts: (profile: string) => ['org', profile, 'accounts'] as const,
  /** Under the findings root: every scan end and cleanup invalidates it. */
  rollup: (profile: string) => [...queryKeys.findingsRoot, 'org-rollup', profile] as const,
};

/** The home profile's name ('' before one is chosen): viewing a member keeps it. */
function useProfile(): string {
  return useSession().data?.profile ?? '';
}

export function useOrgAccounts(enabled = true) {
  const profile = useProfile();
  return useQuery({ queryKey: orgKeys.accounts(profile), queryFn: () => api().org.accounts(), enabled: enabled && profile !== '' });
}

export function useOrgRollup(enabled = true) {
  const profile = useProfile();
  return useQuery({ queryKey: orgKeys.rollup(profile), queryFn: () => api().org.rollup(), enabled: enabled && profile !== '' });
}

/** A write answers with the new list: store it, and refresh the roll-up (its accounts may have changed). */
function useListWrite<I>(call: (input: I) => Promise<OrgAccountsDto>) {
  const qc = useQueryClient();
  const profile = useProfile();
  return useMutation<OrgAccountsDto, unknown, I>({
    mutationFn: call,
    onSuccess: (list) => {
      qc.setQueryData(orgKeys.accounts(profile), list);
      void qc.invalidateQueries({ queryKey: orgKeys.rollup(profile) });
    },
  });
}

export function useRefreshOrg() {
  return useListWrite<void>(() => api().org.refresh());
}

export function useSaveOrgAccount() {
  return useListWrite<ChannelInput<'org:account-save'>>((input) => api().org.accountSave(input));
}

export function useRemoveOrgAccount() {
  return useListWrite<string>((accountId) => api().org.accountRemove({ accountId }));
}

export function useSetDefaultRole() {
  return useListWrite<string>((roleName) => api().org.defaultRoleSet({ roleName }));
}

export function useStartOrgScan() {
  return useMutation<{ runId: string }, unknown, ChannelInput<'org:scan-start'>>({ mutationFn: (input) => api().org.scanStart(input) });
}

export function useCancelOrgScan() {
  return useMutation<void, unknown, string>({ mutationFn: (runId) => api().org.scanCancel({ runId }) });
}

/** After a many-account scan: the roll-up, the list (last scans, access errors) and every account's data. */
export function invalidateAfterOrgScan(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: orgKeys.root });
  void qc.invalidateQueries({ queryKey: queryKeys.findingsRoot });
  void qc.invalidateQueries({ queryKey: queryKeys.scansRoot });
  void qc.invalidateQueries({ queryKey: queryKeys.servicesRoot });
}

/**
 * Views another account of the list: main switches its session (assuming the member's role), then every query is
 * asked again for that account. On failure (role not assumable, MFA cancelled) nothing changes here.
 */
export function useViewAccount() {
  const qc = useQueryClient();
  return useMutation<SessionDto, unknown, string>({
    mutationFn: (accountId) => api().org.view({ accountId }),
    onSuccess: (session) => {
      qc.setQueryData(queryKeys.session, session);
      // Account-scoped keys carry the account id; the rest (usage, details by id, the list's "viewing") are refetched.
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    },
  });
}
