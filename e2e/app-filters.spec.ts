/**
 * Filters and selection (#22, item 3) on 525 seeded findings: the Reason filter lists categories (not one sentence
 * per day count or id), the Service filter the names Cost Explorer shows, an empty result says so with "Reset
 * filters", and "Select all N matching" selects every deletable finding the filter matches — not just the loaded rows.
 */
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';
import { syntheticFinding } from './pages/synthetic-findings';

const N = 525;
test.use({ hostOptions: { seedFindings: N }, viewport: { width: 1440, height: 900 } });

const deletable = Array.from({ length: N }, (_, i) => syntheticFinding(i)).filter((f) => f.unused && !f.protected).length;

test('reason categories, service names, an empty state with reset, and select all matching', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await ui.goto('findings');
  await expect(page.getByTestId('totals-count')).toHaveText(String(N));

  await test.step('the Reason filter lists categories; choosing one filters by it', async () => {
    await page.getByTestId('filter-reason').click();
    const options = page.getByRole('option');
    await expect(options).toHaveCount(5); // one per synthetic reason, whatever the rows' numbers
    await expect(page.getByRole('option', { name: 'Not attached to any instance', exact: true })).toBeVisible();
    await page.getByRole('option', { name: 'Stopped by the user more than N days ago', exact: true }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('totals-count')).toHaveText(String(N / 5));
    await page.getByTestId('filter-reset').click();
    await expect(page.getByTestId('totals-count')).toHaveText(String(N));
  });

  await test.step('the Service filter shows the names Cost Explorer shows', async () => {
    await page.getByTestId('filter-service').click();
    // The seeded rows all bill under AmazonEC2.
    await expect(page.getByRole('option', { name: 'Amazon Elastic Compute Cloud - Compute', exact: true })).toBeVisible();
    await expect(page.getByRole('option', { name: /^Amazon[A-Z]/ })).toHaveCount(0); // no internal code
    await page.keyboard.press('Escape');
  });

  await test.step('no match: an empty state that says so, and resets the filters', async () => {
    await page.getByTestId('filter-search').fill('zzz-matches-nothing');
    await expect(page.getByTestId('findings-none-match')).toBeVisible();
    await expect(page.getByTestId('findings-none-match')).toContainText('No findings match these filters');
    await page.getByTestId('empty-reset-filters').click();
    await expect(page.getByTestId('totals-count')).toHaveText(String(N));
    await expect(page.getByTestId('filter-search')).toHaveValue('');
  });

  await test.step('select the loaded rows, then all matching: every deletable finding of the filter', async () => {
    await page.getByRole('checkbox', { name: 'Select the loaded rows' }).check();
    const summary = page.getByTestId('selection-summary');
    await expect(summary).toBeVisible();
    const loaded = Number((await summary.textContent())!.match(/^([\d,]+) selected/)![1]!.replace(/,/g, ''));
    expect(loaded).toBeLessThan(deletable);
    await expect(page.getByTestId('select-all-matching')).toHaveText(`Select all ${deletable} matching`);
    await page.getByTestId('select-all-matching').click();
    await expect(summary).toContainText(`${deletable} selected`);
    await expect(page.getByTestId('delete-selected')).toHaveText(`Clean up selected (${deletable})`);
    await expect(page.getByTestId('select-all-matching')).toHaveCount(0);
  });
});
