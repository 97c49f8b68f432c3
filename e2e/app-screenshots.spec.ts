/**
 * Screenshots of every page in light and dark, against the simulated sample account: docs/screenshots/<page>-<theme>.png.
 * One app process, one profile selection and one scan for both themes: the theme is switched on the Settings page
 * (no reload), so the live scan progress stays on the Scan page for the dark pass too.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import type { AppPage } from './pages/app-page';
import { OrgPage } from './pages/org-page';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';

const OUT = path.resolve(__dirname, '..', 'docs', 'screenshots');
test.use({ viewport: { width: 1440, height: 960 } });

async function setTheme(ui: AppPage, theme: 'light' | 'dark'): Promise<void> {
  await ui.goto('settings');
  await ui.page.getByTestId('theme').getByText(theme === 'light' ? 'Light' : 'Dark', { exact: true }).click();
  await expect(ui.page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
}

async function shoot(page: Page, name: string, theme: string, settleMs = 250, fullPage = false): Promise<void> {
  // Charts animate in with JavaScript (dashboard: settleMs); CSS transitions are stopped by the screenshot itself.
  await page.waitForTimeout(settleMs);
  // Toasts ("Scan finished") would land on whichever page is shot next: hidden for the shot only. Through the CSSOM,
  // which the app's CSP allows: Playwright's `style` and `caret` options inject a <style> tag, which the CSP blocks (a
  // console error, and the style would not apply anyway).
  const toasts = (display: string) =>
    page.evaluate((d) => {
      for (const el of document.querySelectorAll<HTMLElement>('.mantine-Notifications-root')) el.style.display = d;
    }, display);
  await toasts('none');
  await page.screenshot({ path: path.join(OUT, `${name}-${theme}.png`), animations: 'disabled', caret: 'initial', fullPage });
  await toasts('');
}

test('every page, light and dark', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await ui.startScan();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded');

  for (const theme of ['light', 'dark'] as const) {
    await setTheme(ui, theme);

    await ui.goto('profiles');
    await expect(page.getByTestId('session-confirmed')).toBeVisible();
    await shoot(page, 'profiles', theme);

    await ui.goto('dashboard');
    await expect(page.getByTestId('services-table')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('potential-savings-value')).not.toHaveText('$0.00');
    await shoot(page, 'dashboard', theme, 900);

    await ui.goto('scan');
    await expect(page.getByTestId('scan-tasks-total')).toBeVisible();
    await shoot(page, 'scan', theme);

    await ui.goto('findings');
    await expect(ui.findingRows().first()).toBeVisible();
    await shoot(page, 'findings', theme);

    // The most expensive finding is a volume: AWS records no "unused since" for volumes, so the drawer says unknown.
    await ui.findingRows().first().getByTestId('finding-open').click();
    await expect(page.getByTestId('related').or(page.getByText('Nothing else is affected.'))).toBeVisible();
    await shoot(page, 'finding-detail', theme);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('finding-drawer')).toBeHidden();

    for (const id of ['orders-db', 'vol-0a100000000000013', 'eipalloc-0e100000000000002']) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(3);
    // The idle database is stopped instead of deleted: the review shows a stop's savings and AWS's seven-day restart.
    await modal.locator('[data-testid="plan-item"][data-resource-id="orders-db"]').getByTestId('item-action-choice').selectOption('stop');
    await expect(modal.getByTestId('plan-actions')).toHaveText('2 to delete, 1 to stop');
    await shoot(page, 'cleanup-review', theme);
    await modal.getByTestId('start-dry-run').click();
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(3, { timeout: 20_000 });
    await shoot(page, 'cleanup-dry-run', theme);
    await modal.getByTestId('to-confirm').click();
    await modal.getByTestId('confirm-account-id').fill(ACCOUNT_ID.slice(0, 8));
    await shoot(page, 'cleanup-confirm', theme);
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Clear selection' }).click();

    await ui.goto('history');
    await expect(page.getByTestId('scans-history')).toBeVisible();
    await shoot(page, 'history', theme);

    await ui.goto('settings');
    await expect(page.getByTestId('save-settings')).toBeVisible();
    await shoot(page, 'settings', theme);
  }
});

/**
 * After a cleanup (issue #22's additions): a finding ignored with a reason, a cleanup that keeps two volumes' safety
 * snapshots, nine days on the host's and the simulator's clock and a cost refresh — then the dashboard's
 * savings realised, History's recovery list and the ignored findings, light and dark.
 */
test('after a cleanup: savings realised, the recovery list, ignored findings', async ({ app, ui, page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 4600 }); // every row rendered while selecting
  await ui.scanSampleAccountToFindings();

  await page.getByRole('checkbox', { name: 'Select nat-0a100000000000003', exact: true }).check();
  await page.getByTestId('ignore-selected').click();
  await page.getByTestId('ignore-reason').fill('Standby for the DR failover test in March');
  await page.getByTestId('ignore-length').getByText('90 days', { exact: true }).click();
  await page.getByTestId('ignore-confirm').click();
  await expect(page.getByRole('dialog', { name: 'Ignore 1 finding' })).toHaveCount(0);
  // The list reloads without the ignored row (the rows below move up): select only once it has.
  await expect(ui.row('nat-0a100000000000003')).toHaveCount(0);
  await expect(page.getByTestId('findings-grid')).toHaveAttribute('aria-busy', 'false');

  // What the simulated bill prices (volumes, public IPv4), so the savings card can show the bill confirming them.
  for (const id of ['vol-0a100000000000011', 'vol-0a100000000000012', 'eipalloc-0a100000000000003']) {
    await page.getByRole('checkbox', { name: `Select ${id}`, exact: true }).check();
  }
  await page.getByTestId('delete-selected').click();
  const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
  await expect(modal.locator('[data-testid="plan-item"]')).toHaveCount(3);
  for (const id of ['vol-0a100000000000011', 'vol-0a100000000000012', 'eipalloc-0a100000000000003']) {
    await expect(modal.locator(`[data-testid="plan-item"][data-resource-id="${id}"]`)).toHaveCount(1);
  }
  await ui.dryRunThenExecute(modal, 3, ACCOUNT_ID);
  await page.getByTestId('close-cleanup').click();

  await app.command('advanceClock', { days: 9 });
  await page.setViewportSize({ width: 1440, height: 960 });
  await ui.goto('dashboard');
  const card = page.getByTestId('savings-realised');
  await card.getByTestId('savings-refresh-costs').click();
  await expect(card.getByTestId('savings-realised-headline')).toContainText('confirmed by your bill', { timeout: 30_000 });

  for (const theme of ['light', 'dark'] as const) {
    await setTheme(ui, theme);
    await ui.goto('dashboard');
    await expect(card.getByTestId('savings-chart').first()).toBeVisible({ timeout: 20_000 });
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'savings-realised', theme, 900);

    await ui.goto('history');
    await page.getByTestId('tab-recovery').click();
    // The two volumes' safety snapshots.
    await expect(page.getByTestId('recovery-point')).toHaveCount(2);
    await shoot(page, 'recovery', theme);

    await ui.goto('findings');
    await page.getByTestId('filter-ignored').click();
    await page.getByRole('option', { name: 'Only ignored', exact: true }).click();
    await expect(page.getByTestId('totals-count')).toHaveText('1');
    await shoot(page, 'findings-ignored', theme);
    await page.getByTestId('filter-ignored').click();
    await page.getByRole('option', { name: 'Hidden', exact: true }).click();
  }
});

/** Many accounts (issue #20): the Accounts page after the organization was listed and every account scanned. */
test('many accounts: the Accounts page, light and dark', async ({ ui, page }) => {
  test.setTimeout(240_000);
  const org = new OrgPage(page);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await org.goto();
  await org.refreshOrganization();
  await org.scanAll();
  await expect(page.getByTestId('rollup-total')).toHaveText(/\$[\d,]+\.\d\d/);
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(ui, theme);
    await org.goto();
    await expect(page.getByTestId('org-rollup')).toBeVisible();
    await shoot(page, 'accounts', theme, 900, true);
  }
});
