/**
 * The deletion history by plan (#22, item 7), against the simulated sample account: a cleanup of two findings (dry run,
 * typed confirmation, execute) is ONE entry in History → Deletions — labelled by its time and size, not a hex id, its
 * dry run a step of it ("Dry run OK, then executed"), its outcome "1 deleted, 1 released" — and opening it shows the two items and,
 * below each, its audited calls (the dry run's, and the execute's own verification and delete). Read at 1024×700.
 */
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID, EXPECTED_COST, formatUsd } from './pages/sample-account';

const DOOMED = ['vol-0a100000000000011', 'eipalloc-0a100000000000003'];
const DONE_WORD: Record<string, string> = { 'vol-0a100000000000011': 'deleted', 'eipalloc-0a100000000000003': 'released' };

test('a cleanup is one plan in the deletion history, with its dry run as a step, its outcome and its calls', async ({ ui, page }) => {
  test.setTimeout(180_000);
  // Tall while selecting (the findings table renders only the rows in view), then a small laptop screen for History.
  await page.setViewportSize({ width: 1440, height: 4600 });
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);

  await test.step('before any cleanup: an empty history that says what will be there', async () => {
    await ui.goto('history');
    await page.getByTestId('tab-deletions').click();
    await expect(page.getByText('No cleanup yet')).toBeVisible();
  });

  await test.step('scan, then clean up two findings: dry run, confirm with the account id, execute', async () => {
    await ui.startScan();
    await ui.goto('findings');
    for (const id of DOOMED) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await ui.dryRunThenExecute(modal, 2, ACCOUNT_ID);
    await page.getByTestId('close-cleanup').click();
  });

  await page.setViewportSize({ width: 1024, height: 700 });
  const plans = page.getByTestId('deletion-plan');
  await test.step('History → Deletions: one plan, labelled by time and size, its dry run a step, "1 deleted, 1 released"', async () => {
    await ui.goto('history');
    await page.getByTestId('tab-deletions').click();
    await expect(plans).toHaveCount(1);
    const plan = plans.first();
    await expect(plan).toHaveAttribute('data-kind', 'Cleanup');
    await expect(plan).toHaveAttribute('data-status', 'completed');
    const toggle = plan.getByTestId('deletion-plan-toggle');
    await expect(toggle).toContainText(/Cleanup of \d{1,2} [A-Z][a-z]{2}, \d\d:\d\d · 2 items/);
    // No hex plan id in the words; the id is there on hover and to copy.
    const planId = (await plan.getAttribute('data-plan-id')) ?? '';
    expect(planId.length).toBeGreaterThan(8);
    await expect(plan).not.toContainText(planId.slice(0, 8));
    await expect(toggle).toHaveAttribute('title', `Plan ${planId}`);
    await expect(plan.getByTestId('deletion-plan-steps')).toHaveText('Dry run OK, then executed');
    // Each item by its action's own word: the volume is deleted, the Elastic IP released.
    await expect(plan.getByTestId('deletion-plan-outcome')).toHaveText('1 deleted, 1 released');
    // What the two deletions save: the volume and the address, less the safety snapshot of the volume (50 GiB × $0.05).
    const saved = (EXPECTED_COST[DOOMED[0]!] ?? 0) + (EXPECTED_COST[DOOMED[1]!] ?? 0) - 50 * 0.05;
    await expect(plan.getByTestId('deletion-plan-savings')).toHaveText(formatUsd(saved));
    // The outcome is not cut at 1024 px.
    const box = await plan.getByTestId('deletion-plan-outcome').boundingBox();
    expect(box !== null && box.x + box.width <= 1024).toBe(true);
  });

  await test.step('the newest plan is open: its two items and, below each, its calls (dry run, verify, delete)', async () => {
    const items = page.getByTestId('deletion-item');
    await expect(items).toHaveCount(2);
    for (const id of DOOMED) {
      const item = page.locator(`[data-testid="deletion-item"][data-item-id="${id}"]`);
      await expect(item).toHaveAttribute('data-item-outcome', 'done');
      await expect(item.getByTestId('deletion-item-outcome')).toHaveText(DONE_WORD[id] ?? '');
      const calls = page.locator(`[data-testid="deletion-call"][data-resource-id="${id}"]`);
      // The dry run's call, the execute's verification (a dry run again) and the delete itself: the audit in full.
      await expect(calls.filter({ hasText: /Dry run/ }).first()).toBeVisible();
      await expect(calls.filter({ hasText: 'Execute · verify' }).first()).toHaveAttribute('data-dry-run', 'true');
      await expect(page.locator(`[data-testid="deletion-call"][data-resource-id="${id}"][data-dry-run="false"][data-outcome="succeeded"]`).first()).toBeVisible();
    }
    // The volume's safety snapshot is named under its calls.
    await expect(page.locator(`[data-testid="deletion-call"][data-resource-id="${DOOMED[0]}"]`).filter({ hasText: /snapshot snap-\S+ kept/ })).toHaveCount(1);
  });

  await test.step('closing and opening the plan hides and shows its items', async () => {
    const toggle = plans.first().getByTestId('deletion-plan-toggle');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('deletion-item')).toHaveCount(0);
    await toggle.click();
    await expect(page.getByTestId('deletion-item')).toHaveCount(2);
  });

  await test.step('the full audit log is one click away, call by call', async () => {
    await page.getByText('Every call (audit log)').click();
    const log = page.getByTestId('deletions-audit-log');
    for (const id of DOOMED) await expect(log.locator(`tr[data-resource-id="${id}"][data-dry-run="false"][data-outcome="succeeded"]`).first()).toBeVisible();
  });
});
