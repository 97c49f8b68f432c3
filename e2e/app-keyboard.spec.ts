/**
 * Keyboard only (#22, item 5), scan → select → review on the simulated sample account: the findings grid is one Tab
 * stop (nothing inside a row is one, and the focus never drops to the page body), ↑ ↓ move the active row and scroll
 * it into view, Space selects it, Enter opens it, Escape gives the focus back to the grid, and the selection goes to
 * the review dialog with Enter. Only the profile is chosen with the mouse (the first screen is not this issue's).
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID, ALL_UNUSED } from './pages/sample-account';

test.use({ viewport: { width: 1024, height: 700 } });

/** The focused element's test id, or its tag and role (the page body is "BODY"). */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    return el.getAttribute('data-testid') ?? `${el.tagName}${el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : ''}`;
  });
}

/**
 * Presses Tab (or Shift+Tab) until the element with `testId` has the focus; returns how many presses it took. `kept`:
 * the focus must never be on the page body on the way (it is, before the first Tab after a page change).
 */
async function tabTo(page: Page, testId: string, opts: { back?: boolean; max?: number; kept?: boolean } = {}): Promise<number> {
  const max = opts.max ?? 40;
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (opts.kept) expect(now, 'the focus never drops to the page body').not.toBe('BODY');
    if (now === testId) return i;
  }
  throw new Error(`${testId} not reached in ${max} Tab presses (focus on ${await focused(page)})`);
}

/** The active row's resource id, through aria-activedescendant (what a screen reader follows). */
async function activeRowId(grid: Locator): Promise<string | null> {
  return grid.evaluate((g) => {
    const id = g.getAttribute('aria-activedescendant');
    const row = id ? document.getElementById(id) : null;
    return row?.getAttribute('data-active') === 'true' ? row.getAttribute('data-resource-id') : null;
  });
}

test('keyboard only: scan, one Tab stop into the grid, arrows, Space selects, Enter opens, review', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);

  await test.step('scan with the keyboard', async () => {
    await tabTo(page, 'nav-scan');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-page="scan"]')).toBeVisible();
    await tabTo(page, 'start-scan');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded', { timeout: 60_000 });
    await tabTo(page, 'nav-findings', { back: true });
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-page="findings"]')).toBeVisible();
    await expect(page.getByTestId('totals-count')).toHaveText(String(ALL_UNUSED.length));
  });

  const grid = page.getByTestId('findings-grid');
  await expect(grid).toHaveAttribute('aria-busy', 'false');
  const ids = await ui.visibleResourceIds();

  await test.step('the grid is one Tab stop: Reset → grid → out', async () => {
    await tabTo(page, 'filter-reset', { kept: true });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('findings-grid');
    expect(await activeRowId(grid)).toBe(ids[0]);
    await page.keyboard.press('Tab');
    const after = await focused(page);
    expect(after).not.toBe('BODY');
    expect(await grid.evaluate((g) => g.contains(document.activeElement)), `focus left the grid (on ${after})`).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('findings-grid');
  });

  // The first deletable row below the top (the most expensive rows include protected ones).
  const deletable: string[] = [];
  for (const id of ids.slice(1, 12)) if ((await ui.row(id).getByRole('checkbox', { name: `Select ${id}` }).count()) > 0) deletable.push(id);
  const target = deletable[0]!;
  const steps = ids.indexOf(target);

  await test.step('↓ and ↑ move the active row; Space selects it', async () => {
    for (let i = 0; i < steps + 1; i++) await page.keyboard.press('ArrowDown');
    expect(await activeRowId(grid)).toBe(ids[steps + 1]);
    await expect(ui.row(ids[steps + 1]!)).toHaveAttribute('data-active', 'true');
    await page.keyboard.press('ArrowUp');
    expect(await activeRowId(grid)).toBe(target);
    await expect(ui.row(ids[steps + 1]!)).not.toHaveAttribute('data-active', 'true');
    expect(await focused(page)).toBe('findings-grid');
    await page.keyboard.press('Space');
    await expect(page.getByRole('checkbox', { name: `Select ${target}` })).toBeChecked();
    await expect(ui.row(target)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('selection-summary')).toContainText('1 selected');
    // Space again deselects, and once more selects.
    await page.keyboard.press('Space');
    await expect(page.getByRole('checkbox', { name: `Select ${target}` })).not.toBeChecked();
    await page.keyboard.press('Space');
    await expect(page.getByRole('checkbox', { name: `Select ${target}` })).toBeChecked();
  });

  await test.step('the active row scrolls into view: End, then Home', async () => {
    await page.keyboard.press('End');
    const lastIndex = String(ALL_UNUSED.length + 1); // aria-rowindex: the header is row 1
    const last = page.locator(`[data-testid="finding-row"][aria-rowindex="${lastIndex}"]`);
    await expect(last).toHaveAttribute('data-active', 'true');
    const g = (await grid.boundingBox())!;
    const r = (await last.boundingBox())!;
    expect(r.y + r.height).toBeLessThanOrEqual(g.y + g.height + 0.5);
    expect(r.y).toBeGreaterThanOrEqual(g.y);
    await page.keyboard.press('Home');
    expect(await activeRowId(grid)).toBe(ids[0]);
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
    expect(await activeRowId(grid)).toBe(target);
  });

  await test.step('Enter opens the finding; Escape closes it and the focus is back on the grid', async () => {
    await page.keyboard.press('Enter');
    const drawer = page.getByTestId('finding-drawer').getByRole('dialog');
    await expect(drawer).toBeVisible();
    await expect(drawer).toContainText(target);
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect.poll(() => focused(page)).toBe('findings-grid');
    expect(await activeRowId(grid)).toBe(target);
  });

  await test.step('to "Clean up selected" and Enter: the review of the selection', async () => {
    await tabTo(page, 'delete-selected', { back: true, kept: true });
    await expect(page.getByTestId('delete-selected')).toHaveText('Clean up selected (1)');
    await page.keyboard.press('Enter');
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await expect(modal).toBeVisible();
    await expect(modal).toContainText(target);
  });
});
