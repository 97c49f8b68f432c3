import { useCallback, useMemo, useState } from 'react';
import { Button, Card, EmptyState, Group, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { ResourceDto } from '../../../../shared/dto/findings';
import { api } from '../../api/client';
import { useAccountId } from '../../api/queries';
import { useSnoozes } from '../../api/queries-snooze';
import { queryKeys } from '../../api/query-keys';
import { navigate } from '../../app/routes';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { PageHeader } from '../../components/page-header';
import { formatCount, formatUsd } from '../../lib/format';
import { CleanupModal } from '../cleanup/cleanup-modal';
import { ExportMenu } from './export-menu';
import { FindingDrawer } from './finding-drawer';
import { EMPTY_FILTER, FindingsFilters, type FilterState } from './findings-filters';
import { FindingsTable, type SortState } from './findings-table';
import { IgnoreModal } from './ignore-modal';
import { SnoozesDrawer } from './snoozes-drawer';
import { toApiFilter } from './to-api-filter';
import { useFindingsPages } from './use-findings-pages';

/** A plan takes at most this many findings (the contract's limit). */
const MAX_PLAN = 1000;
const INITIAL_RANGE: [number, number] = [0, 50];

export function FindingsPage(): React.JSX.Element {
  const accountId = useAccountId();
  const [filter, setFilter] = useState<FilterState>(EMPTY_FILTER);
  const [sort, setSort] = useState<SortState>({ column: 'monthlyCost', direction: 'desc' });
  const [search] = useDebouncedValue(filter.search, 250);
  // The rows in view, for the filter they were reported under: a new filter or sort starts at the top (the table
  // scrolls back), so it asks for page 0 only, not also the pages under the previous filter's scroll position.
  const [view, setView] = useState<{ key: string; range: [number, number] }>({ key: '', range: [0, 50] });
  const [selected, setSelected] = useState<ReadonlyMap<number, ResourceDto>>(new Map());
  const [openId, setOpenId] = useState<number | null>(null);
  const [cleanupOpen, setCleanupOpen] = useState(false);
  const [ignoreOpen, setIgnoreOpen] = useState(false);
  const [snoozesOpen, setSnoozesOpen] = useState(false);

  const apiFilter = useMemo(() => toApiFilter(filter, search, sort), [filter, search, sort]);
  const filterKey = useMemo(() => JSON.stringify(apiFilter), [apiFilter]);
  const range = view.key === filterKey ? view.range : INITIAL_RANGE;
  const win = useFindingsPages(apiFilter, range[0], range[1]);
  // The filter menus' choices wait for the first page: main answers one request at a time, and the facets (four
  // DISTINCT scans) would otherwise hold up the rows.
  const facets = useQuery({ queryKey: queryKeys.facets(accountId), queryFn: () => api().findings.facets(), enabled: win.totals !== undefined });
  const snoozes = useSnoozes(win.totals !== undefined);
  const currentSnoozes = snoozes.data?.filter((s) => s.current).length ?? 0;
  const onRange = useCallback(
    (a: number, b: number) => setView((v) => (v.key === filterKey && v.range[0] === a && v.range[1] === b ? v : { key: filterKey, range: [a, b] })),
    [filterKey],
  );

  const toggle = useCallback((row: ResourceDto) => {
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(row.id)) next.delete(row.id);
      else next.set(row.id, row);
      return next;
    });
  }, []);
  const selectable = win.loaded.filter((r) => !r.protected);
  const loadedSelected = selectable.filter((r) => selected.has(r.id)).length;
  const allLoaded: boolean | 'some' = loadedSelected === 0 ? false : loadedSelected === selectable.length ? true : 'some';
  const toggleLoaded = (): void => {
    setSelected((prev) => {
      const next = new Map(prev);
      if (allLoaded === true) selectable.forEach((r) => next.delete(r.id));
      else selectable.forEach((r) => next.set(r.id, r));
      return next;
    });
  };
  // What deleting the selection would save (known savings; the plan review says exactly, parts included).
  const selectedSavings = [...selected.values()].reduce((s, r) => s + (r.monthlySavings ?? 0), 0);
  const selectedUnknown = [...selected.values()].filter((r) => r.monthlySavings === null).length;
  const totals = win.totals;
  const count = totals?.total ?? 0;
  const filtersActive = JSON.stringify(filter) !== JSON.stringify(EMPTY_FILTER);
  const ignored = totals?.ignored;
  const noFindingsAtAll = totals !== undefined && !win.isPlaceholder && count === 0 && !filtersActive;
  const showIgnored = (): void => setFilter((f) => ({ ...f, ignored: 'only' }));
  const noneMatch = totals !== undefined && !win.isPlaceholder && count === 0 && filtersActive;
  // Every deletable finding the filter matches (main's count), not only the rows loaded so far.
  const matchingSelectable = apiFilter.protected === true ? 0 : (totals?.savings.findings ?? 0);
  const [selectingAll, setSelectingAll] = useState(false);
  const selectAllMatching = async (): Promise<void> => {
    setSelectingAll(true);
    try {
      const want = Math.min(matchingSelectable, MAX_PLAN);
      const rows: ResourceDto[] = [];
      while (rows.length < want) {
        const page = await api().findings.list({ ...apiFilter, protected: false, limit: Math.min(1000, want - rows.length), offset: rows.length });
        rows.push(...page.rows);
        if (page.rows.length === 0) break;
      }
      setSelected((prev) => {
        const next = new Map(prev);
        for (const r of rows) next.set(r.id, r);
        return next;
      });
    } finally {
      setSelectingAll(false);
    }
  };

  return (
    <Stack gap="sm">
      <PageHeader title="Findings" description="Unused resources from the last scans. Select some to plan their deletion.">
        <ExportMenu filter={apiFilter} />
        <Button variant="default" onClick={() => setSnoozesOpen(true)} data-testid="snoozes-open">
          Ignored{currentSnoozes > 0 ? ` (${formatCount(currentSnoozes)})` : ''}
        </Button>
        <Button variant="default" disabled={selected.size === 0 || selected.size > MAX_PLAN} onClick={() => setIgnoreOpen(true)} data-testid="ignore-selected">
          Ignore selected…
        </Button>
        <Button color="red" disabled={selected.size === 0 || selected.size > MAX_PLAN} onClick={() => setCleanupOpen(true)} data-testid="delete-selected">
          Clean up selected ({formatCount(selected.size)})
        </Button>
      </PageHeader>
      <Card withBorder padding="sm">
        <FindingsFilters value={filter} onChange={setFilter} facets={facets.data} />
      </Card>
      <Group gap="lg" data-testid="findings-totals" aria-live="polite">
        <Text size="sm">
          <b data-testid="totals-count">{totals ? formatCount(count) : '…'}</b> findings
        </Text>
        <Text size="sm">
          potential savings <Money value={totals?.savings.monthlySavings ?? null} fw={700} size="sm" c="teal" data-testid="totals-savings" /> per month
        </Text>
        {totals && totals.savings.unknownCount > 0 && (
          <Text size="sm" c="dimmed">
            <span data-testid="totals-unknown">{formatCount(totals.savings.unknownCount)}</span> of unknown savings (not counted)
          </Text>
        )}
        {totals && totals.savings.protectedFindings > 0 && (
          <Text size="sm" c="grape" data-testid="totals-protected">
            {formatUsd(totals.savings.protectedMonthlyCost)}/month protected, {formatCount(totals.savings.protectedFindings)}{' '}
            {totals.savings.protectedFindings === 1 ? 'finding' : 'findings'}: kept
          </Text>
        )}
        {ignored && ignored.findings > 0 && filter.ignored === 'exclude' && (
          <Button size="compact-xs" variant="subtle" color="yellow" onClick={showIgnored} data-testid="totals-ignored">
            {formatCount(ignored.findings)} ignored, {formatUsd(ignored.monthlySavings)}/month not counted. Show them
          </Button>
        )}
        {matchingSelectable > selected.size && (selected.size > 0 || loadedSelected > 0) && (
          <Button size="compact-xs" variant="light" loading={selectingAll} onClick={() => void selectAllMatching()} data-testid="select-all-matching">
            {matchingSelectable > MAX_PLAN
              ? `Select the first ${formatCount(MAX_PLAN)} of ${formatCount(matchingSelectable)} matching (a plan takes at most ${formatCount(MAX_PLAN)})`
              : `Select all ${formatCount(matchingSelectable)} matching`}
          </Button>
        )}
        {selected.size > 0 && (
          <Group gap="xs">
            <Text size="sm" data-testid="selection-summary">
              {formatCount(selected.size)} selected · saves <Money value={selectedSavings} size="sm" /> /month
              {selectedUnknown > 0 ? ` (+ ${formatCount(selectedUnknown)} unknown)` : ''}
            </Text>
            <Button size="compact-xs" variant="subtle" onClick={() => setSelected(new Map())}>
              Clear selection
            </Button>
          </Group>
        )}
        {selected.size > MAX_PLAN && (
          <Text size="sm" c="red">
            A deletion plan takes at most {MAX_PLAN} findings.
          </Text>
        )}
      </Group>
      {win.error ? <ErrorAlert error={win.error} /> : null}
      {noFindingsAtAll && ignored && ignored.findings > 0 ? (
        <EmptyState title="Every finding is ignored" description="The findings of the last scan are all ignored for now." data-testid="findings-all-ignored">
          <Button variant="light" onClick={showIgnored}>
            Show the ignored findings
          </Button>
        </EmptyState>
      ) : noFindingsAtAll ? (
        <EmptyState title="No findings" description="No scan yet, or the account is clean. Start a scan to look for unused resources.">
          <Button onClick={() => navigate('scan')}>Start a scan</Button>
        </EmptyState>
      ) : noneMatch ? (
        <EmptyState title="No findings match these filters" description="Widen or reset the filters to see the findings again." data-testid="findings-none-match">
          <Button variant="light" onClick={() => setFilter(EMPTY_FILTER)} data-testid="empty-reset-filters">
            Reset filters
          </Button>
        </EmptyState>
      ) : (
        <FindingsTable
          count={totals ? count : 12}
          rowAt={win.rowAt}
          sort={sort}
          onSort={setSort}
          selected={selected}
          onToggle={toggle}
          allLoadedSelected={allLoaded}
          onToggleLoaded={toggleLoaded}
          onOpen={setOpenId}
          onRange={onRange}
          resetKey={filterKey}
          stale={win.isPlaceholder}
        />
      )}
      <FindingDrawer id={openId} onClose={() => setOpenId(null)} />
      <SnoozesDrawer
        opened={snoozesOpen}
        onClose={() => setSnoozesOpen(false)}
        onOpenFinding={(id) => {
          setSnoozesOpen(false);
          setOpenId(id);
        }}
      />
      {ignoreOpen && (
        <IgnoreModal
          findings={[...selected.values()]}
          onClose={(done) => {
            setIgnoreOpen(false);
            // Ignored findings leave the list (and a plan would refuse them): they leave the selection too.
            if (done) setSelected(new Map());
          }}
        />
      )}
      {cleanupOpen && (
        <CleanupModal
          findings={[...selected.values()]}
          onClose={(deletedIds, removedIds) => {
            setCleanupOpen(false);
            // What was deleted, and what the review took out of the plan, leaves the selection.
            const drop = [...deletedIds, ...removedIds];
            if (drop.length > 0) {
              setSelected((prev) => {
                const next = new Map(prev);
                drop.forEach((id) => next.delete(id));
                return next;
              });
            }
          }}
        />
      )}
    </Stack>
  );
}
