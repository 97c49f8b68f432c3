/**
 * Ignore with a reason (#22, "Add"): on the simulated sample account, two findings ignored for 30 days leave the
 * findings totals and the dashboard's waste by exactly what they would save; the Ignored filter shows them with the
 * reason and the last day; the export carries the reason; stopping (from the drawer and from the list of ignores)
 * brings them back.
 */
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';

const money = (t: string | null): number => Number((t ?? '').replace(/[^0-9.-]/g, ''));
async function amount(l: Locator, timeout = 5_000): Promise<number> {
  await expect(l).toHaveText(/\$[\d,]+\.\d\d/, { timeout });
  return money(await l.textContent());
}
const cents = (n: number): number => Math.round(n * 100);
const REASON = 'Kept until the Q1 migration ends';

/** The last day of a 30-day ignore started today, as the app writes it ("Jan 6, 2027"). */
function lastDayIn30(): string {
  const now = new Date();
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 30));
}

async function dashboardWaste(page: Page): Promise<number> {
  await page.getByTestId('nav-dashboard').click();
  // The dashboard loads its costs and the waste one request at a time: on a busy machine that takes a while.
  return amount(page.getByTestId('waste-total'), 20_000);
}

async function chooseIgnored(page: Page, label: 'Hidden' | 'Shown' | 'Only ignored'): Promise<void> {
  await page.getByTestId('filter-ignored').click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

test('ignore two findings for 30 days: out of the totals and the dashboard, shown with the reason, exported, and back when stopped', async ({ ui, page }) => {
  test.setTimeout(150_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await ui.startScan();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded');
  const waste0 = await dashboardWaste(page);

  await ui.goto('findings');
  await expect(page.getByTestId('findings-grid')).toHaveAttribute('aria-busy', 'false');
  const count0 = Number(await page.getByTestId('totals-count').textContent());
  const savings0 = await amount(page.getByTestId('totals-savings'));
  await expect(page.getByTestId('snoozes-open')).toHaveText('Ignored');

  // The two costliest deletable findings (the default sort is by cost).
  const ids = (await ui.visibleResourceIds()).filter(Boolean);
  const chosen: string[] = [];
  for (const id of ids) {
    if (chosen.length === 2) break;
    const box = page.getByRole('checkbox', { name: `Select ${id}` });
    if ((await box.count()) === 1) {
      await box.check();
      chosen.push(id);
    }
  }
  expect(chosen).toHaveLength(2);
  const selectedSavings = money((await page.getByTestId('selection-summary').textContent())?.split('saves')[1] ?? '');
  expect(selectedSavings).toBeGreaterThan(0);

  await test.step('Ignore… with a reason, for 30 days', async () => {
    await page.getByTestId('ignore-selected').click();
    const modal = page.getByRole('dialog', { name: 'Ignore 2 findings' });
    await expect(modal).toBeVisible();
    await expect(page.getByTestId('ignore-confirm')).toBeDisabled(); // a reason is required
    await page.getByTestId('ignore-reason').fill(REASON);
    await page.getByTestId('ignore-length').getByText('30 days', { exact: true }).click();
    await expect(page.getByTestId('ignore-when')).toContainText(`until ${lastDayIn30()}`);
    await page.getByTestId('ignore-confirm').click();
    await expect(modal).toHaveCount(0);
  });

  await test.step('the totals drop by what they would save; they are counted apart', async () => {
    for (const id of chosen) await expect(ui.row(id)).toHaveCount(0);
    await expect(page.getByTestId('totals-count')).toHaveText(String(count0 - 2));
    expect(cents(await amount(page.getByTestId('totals-savings')))).toBe(cents(savings0 - selectedSavings));
    await expect(page.getByTestId('totals-ignored')).toContainText('2 ignored');
    await expect(page.getByTestId('snoozes-open')).toHaveText('Ignored (2)');
    await expect(page.getByTestId('selection-summary')).toHaveCount(0); // ignored findings left the selection
    expect(cents(await dashboardWaste(page))).toBe(cents(waste0 - selectedSavings));
    // The dashboard says what it leaves out.
    await expect(page.getByTestId('waste-ignored')).toHaveText(`2 ignored findings, $${(selectedSavings).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}/mo not counted`);
  });

  await test.step('the Ignored filter shows them, each with its reason and last day', async () => {
    await ui.goto('findings');
    await chooseIgnored(page, 'Only ignored');
    await expect(page.getByTestId('totals-count')).toHaveText('2');
    for (const id of chosen) {
      await expect(ui.row(id).getByTestId('ignored-badge')).toHaveText('Ignored');
      await expect(ui.row(id).getByTestId('ignored-reason')).toHaveText(REASON);
      await expect(ui.row(id).getByTestId('ignored-reason')).toBeVisible();
      await expect(ui.row(id).getByTestId('ignored-cell')).toHaveAttribute('title', new RegExp(`^Ignored until ${lastDayIn30()}: ${REASON}\n`));
    }
  });

  await test.step('the export carries the reason and the end', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('export').click();
    await page.getByTestId('export-csv').click();
    const file = await (await download).path();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toContain('ignored,ignoredScope,ignoredReason,ignoredUntil');
    expect(lines).toHaveLength(3);
    for (const id of chosen) expect(lines.find((l) => l.includes(id))).toContain(`,true,finding,${REASON},`);
  });

  await test.step('stop ignoring: one from its drawer, one from the list of ignores; both are back', async () => {
    await ui.row(chosen[0]!).getByTestId('finding-open').click();
    await expect(page.getByTestId('drawer-ignored-reason')).toHaveText(REASON);
    await page.getByTestId('drawer-stop-ignoring').click();
    await expect(page.getByTestId('drawer-ignored')).toHaveCount(0);
    await expect(page.getByTestId('drawer-ignore')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('totals-count')).toHaveText('1');

    await page.getByTestId('snoozes-open').click();
    const rows = page.getByTestId('snooze-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.getByTestId('snooze-reason')).toHaveText(REASON);
    await rows.getByTestId('snooze-remove').click();
    await expect(page.getByTestId('snoozes-empty')).toBeVisible();
    await page.keyboard.press('Escape');

    await chooseIgnored(page, 'Hidden');
    await expect(page.getByTestId('totals-count')).toHaveText(String(count0));
    expect(cents(await amount(page.getByTestId('totals-savings')))).toBe(cents(savings0));
    await expect(page.getByTestId('totals-ignored')).toHaveCount(0);
    for (const id of chosen) await expect(ui.row(id)).toHaveCount(1);
    expect(cents(await dashboardWaste(page))).toBe(cents(waste0));
    await expect(page.getByTestId('waste-ignored')).toHaveCount(0);
  });
});
