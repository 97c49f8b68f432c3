/** The dashboard's queries: discovery first (it fills services and cost history), then what depends on it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DiscoveryResultDto } from '../../../../shared/dto/services';
import { api } from '../../api/client';
import { useAccountId } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { savingsRealisedKey, useSavingsRealised } from '../../api/queries-savings';

export function useDashboardData() {
  const accountId = useAccountId();
  const qc = useQueryClient();

  // Not forced: main answers from its cache (free) unless the cache window has passed.
  const discovery = useQuery({
    queryKey: queryKeys.discovery(accountId),
    queryFn: () => api().discovery.refresh({}),
    staleTime: Infinity,
  });
  const settled = discovery.isSuccess || discovery.isError;

  const services = useQuery({
    queryKey: queryKeys.services(accountId),
    queryFn: () => api().services.list({ activeOnly: true }),
    enabled: settled,
  });
  const history = useQuery({
    queryKey: queryKeys.costHistory(accountId),
    queryFn: () => api().costs.history({}),
    enabled: settled,
  });
  const ceUsage = useQuery({ queryKey: queryKeys.ceUsage, queryFn: () => api().costs.ceUsage(), enabled: settled });
  // Potential savings: the same unfiltered query as the findings page's, read from its `savings` (main's one
  // definition: unprotected findings' known savings; protected findings are their own figure).
  const savings = useQuery({
    queryKey: queryKeys.findingsTotals(accountId),
    queryFn: () => api().findings.list({ limit: 1, offset: 0 }),
    select: (page) => page.savings,
  });
  const waste = useQuery({ queryKey: queryKeys.wasteSummary(accountId), queryFn: () => api().findings.wasteSummary() });
  const scans = useQuery({ queryKey: queryKeys.scans(accountId), queryFn: () => api().scans.list({ limit: 50, offset: 0 }) });
  // Read from the stored costs: it changes after a cleanup (deletions root) and after a refresh (below).
  const realised = useSavingsRealised();

  const refresh = useMutation({
    mutationFn: () => api().discovery.refresh({ force: true }),
    onSuccess: (result: DiscoveryResultDto) => {
      qc.setQueryData(queryKeys.discovery(accountId), result);
      void qc.invalidateQueries({ queryKey: queryKeys.services(accountId) });
      void qc.invalidateQueries({ queryKey: queryKeys.costHistory(accountId) });
      void qc.invalidateQueries({ queryKey: savingsRealisedKey(accountId) });
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: queryKeys.ceUsage }),
  });

  const lastScan = scans.data?.find((s) => s.kind === 'resources') ?? null;
  return { discovery, services, history, ceUsage, savings, waste, scans, lastScan, refresh, realised };
}
