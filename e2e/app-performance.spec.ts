/**
 * 100,000 findings in the database (seeded through ResourceWriter before the app starts): the findings page shows
 * its first rows in < 500 ms and answers a sort or filter in < 150 ms (median, measured in the browser with
 * performance.now() from the click until the table shows the expected new first row). Numbers are printed as JSON.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';
import { syntheticFinding } from './pages/synthetic-findings';
import type { Finding } from '../src/main/handlers/handler';
import type { CloudCleanerApi } from '../src/shared/ipc/contract';

const N = 100_000;
test.use({ hostOptions: { seedFindings: N }, viewport: { width: 1440, height: 900 } });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The oracle: the seeded rows sorted the way SQL does (NULLs last, then insertion order = id). */
function expectedFirst(sortKey: keyof Finding, direction: 'asc' | 'desc', keep: (f: Finding) => boolean = () => true): string {
  let best: Finding | null = null;
  for (let i = 0; i < N; i++) {
    const f = syntheticFinding(i);
    if (!keep(f)) continue;
    const v = f[sortKey] as string | number | null;
    if (v === null) continue;
    if (best === null) {
      best = f;
      continue;
    }
    const b = best[sortKey] as string | number;
    if (direction === 'asc' ? v < b : v > b) best = f;
  }
  return best!.resourceId;
}

/**
 * Clicks `selector` in the page and resolves with the ms until the top row of the table is `expectedId` and the grid
 * is not aria-busy. While a new filter's first page loads the table keeps the previous rows (grid aria-busy="true"):
 * without that condition an action whose expected top row is already on top (name ▲ after unused since ▼ both start
 * with vol-00000100000000000) would be "answered" by the previous query's rows.
 */
async function timeUntilFirstRow(page: Page, selector: string, expectedId: string): Promise<number> {
  return page.evaluate(
    ({ selector, expectedId }) =>
      new Promise<number>((resolve, reject) => {
        const firstId = (): string | null => document.querySelector('[data-testid="finding-row"][aria-rowindex="2"]')?.getAttribute('data-resource-id') ?? null;
        const busy = (): boolean => document.querySelector('[data-testid="findings-grid"]')?.getAttribute('aria-busy') === 'true';
        const target = document.querySelector<HTMLElement>(selector);
        if (!target) return reject(new Error(`no ${selector}`));
        const t0 = performance.now();
        const timer = setTimeout(() => reject(new Error(`first row never became ${expectedId} (is ${firstId()}, busy ${busy()})`)), 10_000);
        const check = (): boolean => {
          if (firstId() !== expectedId || busy()) return false;
          // One frame later the new row is on screen, not just in the DOM.
          requestAnimationFrame(() => resolve(performance.now() - t0));
          clearTimeout(timer);
          observer.disconnect();
          return true;
        };
        const observer = new MutationObserver(() => void check());
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-resource-id', 'aria-busy'] });
        target.click();
        // First check one task later, not synchronously: React 19 renders a click's update in a microtask after the
        // event, so right after click() the DOM still shows the previous query (not yet aria-busy) and an action whose
        // expected top row is already on top would be "answered" before it was handled. Mutations trigger the rest.
        setTimeout(check, 0);
      }),
    { selector, expectedId },
  );
}

test('findings page with 100,000 findings: first rows < 500 ms, sort/filter < 150 ms', async ({ ui, page }) => {
  test.setTimeout(180_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  const firstByCost = expectedFirst('monthlyCost', 'desc');

  // First rows: from the click on "Findings" until the most expensive finding is the top row. Each round reloads
  // the renderer (on the Settings page, so nothing about findings is cached) and measures a cold navigation.
  const firstRows: number[] = [];
  for (let round = 0; round < 5; round++) {
    await page.goto(`${new URL(page.url()).origin}/#/settings`);
    await expect(page.getByTestId('theme')).toBeVisible();
    firstRows.push(await timeUntilFirstRow(page, '[data-testid="nav-findings"]', firstByCost));
  }
  await expect(page.getByTestId('totals-count')).toHaveText('100,000');

  // Sorts and filters: each one a query the renderer has not cached.
  const actions: { name: string; selector: string; expected: string }[] = [
    { name: 'sort resource id ▲', selector: '[data-testid="sort-resourceId"]', expected: expectedFirst('resourceId', 'asc') },
    { name: 'sort resource id ▼', selector: '[data-testid="sort-resourceId"]', expected: expectedFirst('resourceId', 'desc') },
    { name: 'sort region ▲', selector: '[data-testid="sort-region"]', expected: expectedFirst('region', 'asc') },
    { name: 'sort region ▼', selector: '[data-testid="sort-region"]', expected: expectedFirst('region', 'desc') },
    { name: 'sort unused since ▲', selector: '[data-testid="sort-unusedSince"]', expected: expectedFirst('unusedSince', 'asc') },
    { name: 'sort unused since ▼', selector: '[data-testid="sort-unusedSince"]', expected: expectedFirst('unusedSince', 'desc') },
    { name: 'sort name ▲', selector: '[data-testid="sort-name"]', expected: expectedFirst('name', 'asc') },
    { name: 'sort name ▼', selector: '[data-testid="sort-name"]', expected: expectedFirst('name', 'desc') },
  ];
  const rpc: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/rpc/')) rpc.push(`${new URL(r.url()).pathname.slice(5)} ${r.postData()?.slice(0, 120) ?? ''}`);
  });
  const sortTimes: Record<string, number> = {};
  for (const a of actions) sortTimes[a.name] = await timeUntilFirstRow(page, a.selector, a.expected);

  // Filters (protection) on top of the name ▼ sort.
  const filterTimes: Record<string, number> = {};
  const seg = (label: string): string => `[data-testid="filter-protection"] input[value="${label}"]`;
  filterTimes['protected only'] = await timeUntilFirstRow(page, seg('protected'), expectedFirst('name', 'desc', (f) => f.protected));
  filterTimes['deletable only'] = await timeUntilFirstRow(page, seg('unprotected'), expectedFirst('name', 'desc', (f) => !f.protected));

  // Scrolling deep: jump to the middle and time until real rows (not skeletons) are there.
  const deepScrollMs = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const grid = document.querySelector<HTMLElement>('[data-testid="findings-grid"]')!;
        const t0 = performance.now();
        grid.scrollTop = grid.scrollHeight / 2;
        const poll = (): void => {
          const rows = Array.from(document.querySelectorAll('[data-testid="finding-row"]'));
          const idx = rows.map((r) => Number(r.getAttribute('aria-rowindex')));
          if (rows.length > 0 && Math.min(...idx) > 40_000) requestAnimationFrame(() => resolve(performance.now() - t0));
          else requestAnimationFrame(poll);
        };
        poll();
      }),
  );
  const domRows = await page.locator('[role="row"]').count();

  // Diagnosis: the same queries straight through window.cloudCleaner (main + transport only, no rendering).
  const apiMs = await page.evaluate(async () => {
    const api = (globalThis as unknown as { cloudCleaner: CloudCleanerApi }).cloudCleaner;
    const out: Record<string, number> = {};
    const cases: [string, Parameters<CloudCleanerApi['findings']['list']>[0]][] = [
      ['cost ▼ (indexed)', { sort: { column: 'monthlyCost', direction: 'desc' }, limit: 200, offset: 0 }],
      ['region ▲', { sort: { column: 'region', direction: 'asc' }, limit: 200, offset: 0 }],
      ['name ▼', { sort: { column: 'name', direction: 'desc' }, limit: 200, offset: 0 }],
      ['protected, name ▼', { protected: true, sort: { column: 'name', direction: 'desc' }, limit: 200, offset: 0 }],
    ];
    for (const [name, input] of cases) {
      const t0 = performance.now();
      await api.findings.list(input);
      out[name] = Math.round(performance.now() - t0);
    }
    return out;
  });

  const interactions = [...Object.values(sortTimes), ...Object.values(filterTimes)];
  const result = {
    findings: N,
    firstRowsMs: firstRows.map((x) => Math.round(x)),
    firstRowsMedianMs: Math.round(median(firstRows)),
    sortMs: Object.fromEntries(Object.entries(sortTimes).map(([k, v]) => [k, Math.round(v)])),
    filterMs: Object.fromEntries(Object.entries(filterTimes).map(([k, v]) => [k, Math.round(v)])),
    sortFilterMedianMs: Math.round(median(interactions)),
    deepScrollMs: Math.round(deepScrollMs),
    domRowsRendered: domRows,
    apiOnlyMs: apiMs,
  };
  console.log(JSON.stringify(result));
  console.log(JSON.stringify({ rpcDuringSortAndFilter: rpc.length, sample: rpc.slice(0, 6) }));

  expect(result.firstRowsMedianMs).toBeLessThan(500);
  expect(result.sortFilterMedianMs).toBeLessThan(150);
  // Virtualized: a screenful of rows in the DOM, not 100,000.
  expect(domRows).toBeLessThan(100);
});
