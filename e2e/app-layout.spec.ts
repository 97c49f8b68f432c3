/**
 * Truncation and clipping at 1024×700 (#22, item 2), on the simulated sample account after a scan: the $/month column
 * is pinned inside the window however wide the other columns are, Elastic IP ids are cut in the middle so their
 * distinct tails stay visible, a protected row with a name shows a protection icon that names its reason, the copy
 * button copies the whole id, the filters fold away, and History's scan outcome is not cut.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';

test.use({ viewport: { width: 1024, height: 700 }, permissions: ['clipboard-read', 'clipboard-write'] });

type Box = { x: number; y: number; width: number; height: number };

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  expect(b, 'element has a box').not.toBeNull();
  return b!;
}

/** `inner` lies entirely inside `outer` (half a pixel of rounding allowed). */
function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
}

function windowBox(page: Page): Box {
  const vp = page.viewportSize()!;
  return { x: 0, y: 0, width: vp.width, height: vp.height };
}

/** The part of the grid rows scroll in: its box below the sticky header, and clipped to the window. */
async function gridViewport(page: Page): Promise<Box> {
  const grid = await box(page.getByTestId('findings-grid'));
  const header = await box(page.locator('[data-testid="findings-grid"] [role="row"][aria-rowindex="1"]'));
  const top = Math.max(header.y + header.height, 0);
  const bottom = Math.min(grid.y + grid.height, windowBox(page).height);
  return { x: grid.x, y: top, width: grid.width, height: bottom - top };
}

test('1024×700: cost pinned, distinct id tails, a protection icon with its reason, copy, folded filters, History outcome', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await ui.startScan();
  await ui.goto('findings');
  const grid = page.getByTestId('findings-grid');
  await expect(grid).toHaveAttribute('aria-busy', 'false');
  await expect(ui.findingRows().first()).toBeVisible();

  await test.step('the filters fold away in a narrow window; the toggle shows them', async () => {
    await expect(page.getByTestId('filter-search')).toBeVisible();
    await expect(page.getByTestId('filter-protection')).toBeVisible();
    await expect(page.getByTestId('filter-reset')).toBeVisible();
    await expect(page.getByTestId('filter-region')).toHaveCount(0);
    await expect(page.getByTestId('filters-toggle')).toHaveAttribute('aria-expanded', 'false');
    await page.getByTestId('filters-toggle').click();
    for (const id of ['filter-service', 'filter-type', 'filter-region', 'filter-reason', 'filter-min-cost', 'filter-min-age']) await expect(page.getByTestId(id)).toBeVisible();
    await page.getByTestId('filters-toggle').click();
    await expect(page.getByTestId('filter-region')).toHaveCount(0);
    // Folded, and the table's first rows are above the fold.
    expect((await box(ui.findingRows().first())).y + 44).toBeLessThan(700);
  });

  await test.step('every cost cell in view is fully inside the window, even scrolled sideways both ways', async () => {
    await grid.scrollIntoViewIfNeeded();
    const overflow = await grid.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow, 'the columns are wider than the window: the grid scrolls sideways').toBeGreaterThan(0);
    for (const scrollLeft of [0, overflow]) {
      await grid.evaluate((el, left) => el.scrollTo({ left }), scrollLeft);
      const view = await gridViewport(page);
      let checked = 0;
      for (const row of await ui.findingRows().all()) {
        const r = await box(row);
        if (r.y < view.y || r.y + r.height > view.y + view.height) continue; // rendered (overscan) but scrolled out
        const cost = await box(row.locator('[data-col="cost"]'));
        expect(inside(cost, windowBox(page)), `${await row.getAttribute('data-resource-id')} cost in the window`).toBe(true);
        expect(inside(cost, view), 'cost inside the grid').toBe(true);
        await expect(row.locator('[data-col="cost"]')).toHaveText(/^(\$[\d,]+\.\d\d|unknown)$/);
        checked++;
      }
      expect(checked, 'rows in view').toBeGreaterThan(3);
      const header = await box(page.locator('[role="columnheader"]').filter({ hasText: '$ / month' }));
      expect(inside(header, windowBox(page))).toBe(true);
      expect(inside(await box(page.getByTestId('sort-monthlyCost')), header), 'the column title is not cut').toBe(true);
    }
    await grid.evaluate((el) => el.scrollTo({ left: 0 }));
  });

  await test.step('Elastic IP ids: cut in the middle, distinct tails visible', async () => {
    await page.getByTestId('filter-search').fill('eipalloc-0a1');
    await expect(page.getByTestId('totals-count')).toHaveText('3');
    const ids = ['eipalloc-0a100000000000003', 'eipalloc-0a100000000000004', 'eipalloc-0a100000000000006'];
    const tails: string[] = [];
    for (const id of ids) {
      const open = ui.row(id).getByTestId('finding-open');
      await expect(open).toHaveText(id); // the whole id is the text (screen readers, search)
      const tail = open.locator('[data-part="tail"]');
      tails.push((await tail.textContent()) ?? '');
      // The tail is drawn inside the id's cell and the window: it is what tells the rows apart.
      const cell = await box(open.locator('xpath=..'));
      expect(inside(await box(tail), cell), `${id}: tail inside its cell`).toBe(true);
      expect(inside(await box(tail), windowBox(page))).toBe(true);
      // At this width the id does not fit: the head is cut (an ellipsis), not the tail.
      const head = open.locator('[data-part="tail"] >> xpath=preceding-sibling::span');
      expect(await head.evaluate((el) => el.scrollWidth > el.clientWidth), `${id}: head cut`).toBe(true);
      expect(id.endsWith(tails.at(-1)!)).toBe(true);
    }
    expect(new Set(tails).size, `visible tails ${tails.join(', ')}`).toBe(3);
  });

  await test.step('a named protected row: a protection icon, its reason in its accessible name, not clipped', async () => {
    const row = ui.row('eipalloc-0a100000000000004');
    const name = row.locator('[role="gridcell"]').nth(2);
    await expect(name).toContainText('reserved-for-dns');
    const icon = row.getByRole('img', { name: /^Protected: / });
    await expect(icon).toBeVisible();
    const label = (await icon.getAttribute('aria-label')) ?? '';
    expect(label).toMatch(/^Protected: Tagged \S+=\S+/); // the finding's own reason (the keep tag)
    expect(inside(await box(icon), await box(name)), 'icon inside the name cell').toBe(true);
    // The checkbox says it cannot be selected; the reason is on hover too.
    await expect(row.getByRole('checkbox', { name: 'eipalloc-0a100000000000004 is protected' })).toBeDisabled();
    await icon.hover();
    await expect(page.getByRole('tooltip')).toHaveText(label.replace(/^Protected: /, ''));
  });

  await test.step('the copy button copies the whole id', async () => {
    const id = 'eipalloc-0a100000000000003';
    const copy = ui.row(id).getByRole('button', { name: `Copy ${id}` });
    await ui.row(id).hover();
    await expect(copy).toBeVisible();
    await expect(copy).toHaveAttribute('data-copy', id);
    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await copy.click();
    await expect(copy).toHaveAttribute('data-copied', 'true');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
  });

  await test.step('History: every scan outcome cell fully visible, no sideways scroll', async () => {
    await ui.goto('history');
    const table = page.getByTestId('scans-history');
    await expect(table.locator('tr[data-kind="resources"]')).toHaveCount(1);
    const tableBox = await box(table);
    const outcomes = table.locator('td[data-col="outcome"]');
    expect(await outcomes.count()).toBeGreaterThan(0);
    for (const cell of await outcomes.all()) {
      const c = await box(cell);
      expect(inside(c, windowBox(page)), 'outcome cell in the window').toBe(true);
      expect(inside(await box(cell.locator('.mantine-Badge-root')), c), 'status badge whole').toBe(true);
    }
    // The last column too: the table fits its container at this width.
    expect(tableBox.x + tableBox.width).toBeLessThanOrEqual(1024);
    const hidden = await table.evaluate((el) => {
      for (let p = el.parentElement; p; p = p.parentElement) if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) return p.scrollWidth - p.clientWidth;
      return 0;
    });
    expect(hidden, 'pixels scrolled out sideways').toBeLessThanOrEqual(1);
    await expect(table.locator('th').filter({ hasText: 'Outcome' })).toBeVisible();
  });
});
