/**
 * The dashboard's five-second test (#22, item 1), against the simulated sample account: before any scan it says "Not
 * scanned yet" with the scan action first (never a green "$0.00"); after a scan it shows the monthly waste, bars by
 * kind and by region that add up to it, and the five largest items — above the fold at 1024×700.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';

const money = (t: string | null): number => Number((t ?? '').replace(/[−]/g, '-').replace(/[^0-9.-]/g, ''));
async function amount(l: Locator): Promise<number> {
  await expect(l).toHaveText(/\$[\d,]+\.\d\d/);
  return money(await l.textContent());
}
const cents = (n: number): number => Math.round(n * 100);

async function inViewport(page: Page, l: Locator): Promise<boolean> {
  const box = await l.boundingBox();
  const vp = page.viewportSize();
  return box !== null && vp !== null && box.y >= 0 && box.y + box.height <= vp.height && box.x + box.width <= vp.width;
}

test.use({ viewport: { width: 1024, height: 700 } });

test('before a scan: "Not scanned yet" with the scan action first, no $0.00; after: waste by kind and region adding up', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await page.getByTestId('open-dashboard').click();

  await expect(page.getByTestId('not-scanned')).toBeVisible();
  await expect(page.getByTestId('potential-savings-not-scanned')).toHaveText('Not scanned yet');
  await expect(page.getByTestId('potential-savings-value')).toHaveCount(0);
  await expect(page.getByTestId('waste-overview')).toHaveCount(0);
  // The scan action is on screen at 1024×700; the paid refresh is not the page's first button.
  expect(await inViewport(page, page.getByTestId('not-scanned-scan'))).toBe(true);
  expect(await inViewport(page, page.getByTestId('go-scan'))).toBe(true);
  const scanBox = await page.getByTestId('go-scan').boundingBox();
  const refreshBox = await page.getByTestId('refresh-costs').boundingBox();
  expect(refreshBox!.y).toBeGreaterThan(scanBox!.y);
  // The period names its last day, not an exclusive end.
  await expect(page.getByText(/end excluded/)).toHaveCount(0);

  await page.getByTestId('not-scanned-scan').click();
  await ui.startScan();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded', { timeout: 60_000 });
  const scanTotal = await amount(page.getByTestId('scan-savings-total'));
  // The "Scan finished" toast sits bottom left, over the navigation, not over the tables' cost columns on the right.
  const toast = page.locator('.mantine-Notification-root').first();
  await expect(toast).toBeVisible();
  const toastBox = (await toast.boundingBox())!;
  expect(toastBox.x + toastBox.width).toBeLessThan(400);

  await ui.goto('dashboard');
  await expect(page.getByTestId('not-scanned')).toHaveCount(0);
  await expect(page.getByTestId('go-scan')).toHaveText('Scan again');
  const waste = page.getByTestId('waste-overview');
  await expect(waste).toBeVisible();
  const total = await amount(page.getByTestId('waste-total'));
  expect(cents(total)).toBe(cents(scanTotal));
  expect(cents(await amount(page.getByTestId('potential-savings-value')))).toBe(cents(total));

  for (const group of ['waste-by-kind', 'waste-by-region']) {
    const amounts = page.getByTestId(group).getByTestId(`${group}-amount`);
    const n = await amounts.count();
    expect(n).toBeGreaterThan(1);
    let sum = 0;
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push(await amount(amounts.nth(i)));
    for (const v of values) sum += v;
    // Largest first (past eight, the rest is one "N more" bar, last); the bars add up to the total (to the cent,
    // allowing the rounding of each shown amount).
    expect(n).toBeLessThanOrEqual(8);
    const folded = await page.getByTestId(group).locator('[data-folded="true"]').count();
    const ranked = values.slice(0, n - folded);
    expect([...ranked].sort((a, b) => b - a)).toEqual(ranked);
    expect(Math.abs(cents(sum) - cents(total))).toBeLessThanOrEqual(n);
  }
  // The chart's tooltip names the day as people write it ("Nov 20, 2026"), not the data's ISO key.
  const chart = page.getByTestId('daily-cost-chart');
  await chart.scrollIntoViewIfNeeded();
  const chartBox = (await chart.boundingBox())!;
  await page.mouse.move(chartBox.x + chartBox.width / 2, chartBox.y + chartBox.height / 3);
  const tooltip = page.locator('.recharts-tooltip-wrapper');
  await expect(tooltip).toContainText(/[A-Z][a-z]{2} \d{1,2}, \d{4}/);
  await expect(tooltip).not.toContainText(/\d{4}-\d{2}-\d{2}/);

  const top = page.getByTestId('waste-top').locator('tbody tr');
  await expect(top).toHaveCount(5);
  // The sample account has findings of more than eight kinds: seven bars and one for the rest.
  await expect(page.getByTestId('waste-by-kind').locator('[data-folded="true"]')).toContainText(/^\d+ more kinds/);
  await page.getByTestId('waste-view-findings').click();
  await expect(page.getByTestId('findings-filters')).toBeVisible();
});
