/**
 * Random-access paging for the virtual table: only the pages under the viewport (plus page 0, which carries the
 * filter's totals) are fetched from main, each cached by react-query under (filter, page). Nothing loads the whole
 * result: at 100,000 findings the renderer holds a few hundred rows.
 */
import { useCallback, useMemo, useState } from 'react';
import { useQueries, type UseQueryResult } from '@tanstack/react-query';
import type { FindingsFilter, FindingsPage, ResourceDto } from '../../../../shared/dto/findings';
import { api } from '../../api/client';
import { useAccountId } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';

export const PAGE_SIZE = 200;

export interface FindingsWindow {
  /** Rows by absolute index, for the pages loaded. */
  rowAt(index: number): ResourceDto | undefined;
  /** Every row currently held (for "select the loaded rows"). */
  loaded: ResourceDto[];
  /** Totals of the current filter (from page 0), undefined until it arrives. */
  totals: Pick<FindingsPage, 'total' | 'totalMonthlyCost' | 'unknownCostCount' | 'savings' | 'ignored'> | undefined;
  /** Page 0 of the current filter is still loading (the table may show the previous filter meanwhile). */
  isFetchingFirst: boolean;
  isPlaceholder: boolean;
  error: unknown;
}

export function useFindingsPages(filter: FindingsFilter, firstIndex: number, lastIndex: number): FindingsWindow {
  const accountId = useAccountId();
  const pages = useMemo(() => {
    const from = Math.floor(Math.max(0, firstIndex) / PAGE_SIZE);
    const to = Math.floor(Math.max(0, lastIndex) / PAGE_SIZE);
    const set = new Set<number>([0]);
    for (let p = from; p <= to; p++) set.add(p);
    return [...set].sort((a, b) => a - b);
  }, [firstIndex, lastIndex]);

  const combine = useCallback(
    (results: UseQueryResult<FindingsPage>[]): FindingsWindow => {
      const byPage = new Map<number, FindingsPage>();
      results.forEach((r, i) => {
        const page = pages[i];
        if (page !== undefined && r.data) byPage.set(page, r.data);
      });
      const first = results[0];
      const loaded: ResourceDto[] = [];
      for (const p of byPage.values()) loaded.push(...p.rows);
      return {
        rowAt(index: number) {
          const page = byPage.get(Math.floor(index / PAGE_SIZE));
          return page?.rows[index - page.offset];
        },
        loaded,
        totals: first?.data,
        isFetchingFirst: first?.isFetching ?? false,
        isPlaceholder: first?.isPlaceholderData ?? false,
        error: results.find((r) => r.error)?.error ?? null,
      };
    },
    [pages],
  );

  const current = useQueries({
    queries: pages.map((page) => ({
      queryKey: queryKeys.findingsPage(accountId, filter, page, PAGE_SIZE),
      queryFn: () => api().findings.list({ ...filter, limit: PAGE_SIZE, offset: page * PAGE_SIZE }),
      staleTime: 60_000,
    })),
    combine,
  });

  // The previous filter's rows stay on screen until page 0 of the new filter arrives (no flash of skeletons, and the
  // rows already mounted are not re-rendered twice). Not react-query's keepPreviousData: useQueries matches its
  // observers by query key, so a new filter gets a fresh observer whose placeholderData never sees the old rows.
  const [shown, setShown] = useState<{ accountId: string; window: FindingsWindow } | null>(null);
  if (current.totals !== undefined) {
    if (shown?.window !== current) setShown({ accountId, window: current });
    return current;
  }
  if (shown && shown.accountId === accountId && !current.error) return { ...shown.window, isFetchingFirst: true, isPlaceholder: true };
  return current;
}
