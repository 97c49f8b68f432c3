/**
 * The cleanup review (#22, item 4) on the simulated sample account: a full-height review grouped by kind and region,
 * each group with a subtotal equal to the sum of its items; "Remove" takes an item out of the plan and the total drops
 * by its savings; at 1440×900 the list uses the window's height and no id wraps; the dry run counts "n of N" from
 * before its first item finishes, and n reaches N.
 */
import type { Locator } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { formatUsd } from './pages/sample-account';

// Four kinds in three regions, with a long load balancer ARN (the id most likely to wrap).
const ALB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orphan-alb/0000000000000002';
const SELECTED = [
  'vol-0a100000000000011',
  'vol-0a100000000000013',
  'eipalloc-0a100000000000003',
  'eipalloc-0a100000000000006',
  'snap-0a100000000000002',
  ALB,
  'vol-0e100000000000010',
  'eipalloc-0e100000000000002',
  'snap-0e100000000000001',
  'eipalloc-0c100000000000001',
];
const REMOVED = 'eipalloc-0a100000000000006';

const valueOf = async (l: Locator): Promise<number> => Number(await l.getAttribute('data-value'));
const sumOf = async (l: Locator): Promise<number> => {
  const values = await l.evaluateAll((els) => els.map((e) => e.getAttribute('data-value') ?? ''));
  // Unknown savings (empty) are not in a subtotal.
  return values.filter((v) => v !== '').reduce((s, v) => s + Math.round(Number(v) * 1e6), 0) / 1e6;
};

test('review: full height, grouped with subtotals, remove from the plan, one-line ids, a dry-run count', async ({ app, ui, page }) => {
  test.setTimeout(180_000);
  // Tall while selecting (the findings table is virtualized), then a laptop-sized window for the review.
  await page.setViewportSize({ width: 1440, height: 4600 });
  await ui.selectProfile(SIM_PROFILE);
  await ui.startScan();
  await ui.goto('findings');
  for (const id of SELECTED) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
  await expect(page.getByTestId('selection-summary')).toContainText(`${SELECTED.length} selected`);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('delete-selected').click();
  const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
  const items = modal.locator('[data-testid="plan-items"] tbody tr');
  await expect(items).toHaveCount(SELECTED.length);

  await test.step('grouped by kind, then region, each subtotal the sum of its items', async () => {
    const groups = modal.getByTestId('plan-group');
    expect(await groups.count()).toBeGreaterThanOrEqual(3);
    const regions = new Set<string>();
    for (const group of await groups.all()) {
      const kindSum = await sumOf(group.getByTestId('item-savings'));
      expect(await valueOf(group.getByTestId('group-savings'))).toBeCloseTo(kindSum, 6);
      const kind = await group.getAttribute('data-kind');
      for (const region of await group.getByTestId('plan-region-group').all()) {
        const name = (await region.getAttribute('data-region')) ?? '';
        regions.add(name);
        expect(await valueOf(region.getByTestId('region-savings'))).toBeCloseTo(await sumOf(region.getByTestId('item-savings')), 6);
        // Every item of the group is of its kind and region.
        const rows = await region.getByTestId('plan-item').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')} ${e.getAttribute('data-region')}`));
        expect(rows.length).toBeGreaterThan(0);
        expect(new Set(rows)).toEqual(new Set([`${kind} ${name}`]));
      }
    }
    expect(regions.size).toBeGreaterThanOrEqual(2);
    // The kinds' subtotals add up to the plan's total.
    expect(await sumOf(modal.getByTestId('group-savings'))).toBeCloseTo(await sumOf(modal.getByTestId('item-savings')), 6);
  });

  await test.step('at 1440×900 the list takes the window’s height and no id wraps', async () => {
    const box = await modal.getByTestId('plan-items').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(600);
    const ids = modal.locator('[data-testid="plan-items"] [data-testid="item-id"]');
    await expect(ids).toHaveCount(SELECTED.length);
    const lines = await ids.evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('title'), height: e.getBoundingClientRect().height, line: parseFloat(getComputedStyle(e).lineHeight) })),
    );
    for (const l of lines) expect(l.height, `${l.id} on one line`).toBeLessThanOrEqual(1.5 * l.line);
    // The long ARN is cut in the middle: its end is on screen, the whole id in its title.
    await expect(modal.locator(`[data-testid="plan-item"][data-resource-id="${ALB}"] [data-testid="item-id"]`)).toHaveAttribute('title', ALB);
  });

  await test.step('remove one item: it leaves the plan and the total drops by its savings', async () => {
    const total = await sumOf(modal.getByTestId('item-savings'));
    await expect(modal.getByTestId('plan-savings')).toHaveText(formatUsd(total));
    const row = modal.locator(`[data-testid="plan-item"][data-resource-id="${REMOVED}"]`);
    const saves = await valueOf(row.getByTestId('item-savings'));
    expect(saves).toBeGreaterThan(0);
    await row.getByTestId('remove-item').click();
    await expect(items).toHaveCount(SELECTED.length - 1);
    await expect(row).toHaveCount(0);
    await expect(modal.getByTestId('plan-removed')).toContainText('1 finding taken out of this plan');
    await expect(modal.getByTestId('plan-savings')).toHaveText(formatUsd(total - saves));
    expect(await sumOf(modal.getByTestId('group-savings'))).toBeCloseTo(await sumOf(modal.getByTestId('item-savings')), 6);
  });

  await test.step('the dry run counts "n of N" while it runs, and n reaches N', async () => {
    const total = SELECTED.length - 1;
    // Slow AWS down so that the run can be watched: every item is re-checked (one call or more) before any dry run.
    await app.command('setFaults', { latencyMs: 800 });
    await modal.getByTestId('start-dry-run').click();
    const progress = modal.getByTestId('run-progress');
    const count = modal.getByTestId('run-progress-count');
    const bar = modal.getByRole('progressbar', { name: 'Dry run progress' });
    await expect(progress).toHaveAttribute('data-running', 'true');
    // The count is there from the start, before any item has finished and before the results.
    await expect(count).toHaveText(new RegExp(`^\\d+ of ${total} checked$`));
    await expect(modal.getByTestId('dry-run-results')).toHaveCount(0);
    // The bar moves during the re-checks, while no item has finished yet (it used to stay empty until one had).
    await expect
      .poll(async () => ({ done: await count.getAttribute('data-done'), moved: Number(await bar.getAttribute('aria-valuenow')) > 0 }), { timeout: 10_000 })
      .toEqual({ done: '0', moved: true });
    await expect(count).toHaveText(`${total} of ${total} checked`, { timeout: 60_000 });
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome]')).toHaveCount(total, { timeout: 60_000 });
    await app.command('setFaults', {});
    await expect(modal.locator('[data-testid="dry-run-results"] [data-testid="result-id"]')).toHaveCount(total);
  });
});
