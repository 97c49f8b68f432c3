/**
 * Actions short of deleting, as a person uses them on the sample account's databases: an idle RDS instance is stopped
 * instead of deleted (the plan shows the savings of a stop and the seven-day restart warning), a stopped one is deleted
 * with its final snapshot (taken before the delete, kept, its cost subtracted), an action that does not apply is left
 * out with the reason and another chosen, and deletion protection refuses the delete (never switched off) but not a stop.
 */
import { test, expect } from './pages/fixtures';
import { ACCOUNT_ID } from './pages/sample-account';

// Tall enough for every finding to be rendered by the virtual table at once.
test.use({ viewport: { width: 1440, height: 4600 } });

const money = (t: string | null): number => Number((t ?? '').replace(/[$,]/g, ''));

test('stop idle databases, delete a stopped one with its final snapshot, deletion protection honoured', async ({ app, ui, page }) => {
  test.setTimeout(180_000);

  await test.step('scan the sample account', () => ui.scanSampleAccountToFindings());

  const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
  await test.step('plan: delete with a final snapshot by default, net of the snapshot; deletion protection refuses the delete', async () => {
    await expect(ui.row('ledger-db')).toContainText('deletion protection is on');
    for (const id of ['orders-db', 'reporting-db', 'ledger-db']) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByTestId('delete-selected').click();
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(2);
    const ledger = modal.locator('[data-testid="refused-item"][data-resource-id="ledger-db"]');
    await expect(ledger).toContainText('deletion protection is on (reported, never switched off): it can be stopped, not deleted');
    await expect(modal.getByTestId('plan-actions')).toHaveText('2 to delete');
    const orders = modal.locator('[data-testid="plan-item"][data-resource-id="orders-db"]');
    await expect(orders.getByTestId('item-action-choice')).toHaveAttribute('data-action', 'delete');
    await expect(orders.getByTestId('item-parts')).toContainText('final snapshot of orders-db');
    await expect(orders.getByTestId('item-savings-basis')).toContainText('− new DB snapshot');
  });

  await test.step('the protected one can be stopped instead', async () => {
    await modal.locator('[data-testid="refused-item"][data-resource-id="ledger-db"]').getByTestId('refused-action-choice').selectOption('stop');
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(3);
    await expect(modal.getByTestId('plan-actions')).toHaveText('2 to delete, 1 to stop');
    await expect(modal.getByTestId('refused-at-plan')).toHaveCount(0);
  });

  let deleteSavings = 0;
  await test.step('choose stop for the idle one: the plan shows what a stop saves, and AWS restarts it after seven days', async () => {
    const orders = modal.locator('[data-testid="plan-item"][data-resource-id="orders-db"]');
    deleteSavings = money(await orders.getByTestId('item-savings').textContent());
    await orders.getByTestId('item-action-choice').selectOption('stop');
    await expect(modal.getByTestId('plan-actions')).toHaveText('1 to delete, 2 to stop');
    const stopped = modal.locator('[data-testid="plan-item"][data-resource-id="orders-db"]');
    await expect(stopped.getByTestId('item-action-choice')).toHaveAttribute('data-action', 'stop');
    await expect(stopped.getByTestId('item-action-warning')).toContainText('seven days');
    // A stop saves the compute only (the storage stays billed): less than the delete, and no snapshot is taken.
    const stopSavings = money(await stopped.getByTestId('item-savings').textContent());
    expect(stopSavings).toBeGreaterThan(0);
    expect(stopSavings).not.toBe(deleteSavings);
    await expect(stopped.getByTestId('item-parts')).not.toContainText('final snapshot');
  });

  await test.step('stop does not apply to a stopped database: left out with the reason, then given another action', async () => {
    const reporting = modal.locator('[data-testid="plan-item"][data-resource-id="reporting-db"]');
    await reporting.getByTestId('item-action-choice').selectOption('stop');
    const refused = modal.locator('[data-testid="refused-item"][data-resource-id="reporting-db"]');
    await expect(refused).toContainText('reporting-db');
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(2);
    await refused.getByTestId('refused-action-choice').selectOption('delete');
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(3);
    await expect(modal.getByTestId('plan-actions')).toHaveText('1 to delete, 2 to stop');
  });

  await test.step('dry run (re-checked, permissions simulated), typed confirmation, run', async () => {
    await modal.getByTestId('start-dry-run').click();
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(3, { timeout: 30_000 });
    await modal.getByTestId('to-confirm').click();
    await expect(modal.getByTestId('confirm-actions')).toHaveText('1 to delete, 2 to stop.');
    await modal.getByTestId('confirm-account-id').fill(ACCOUNT_ID);
    await expect(modal.getByTestId('execute')).toHaveText('Clean up 3 resources');
    await modal.getByTestId('execute').click();
    await expect(modal.locator('[data-testid="execute-results"] [data-outcome="deleted"]')).toHaveCount(3, { timeout: 60_000 });
    const results = modal.getByTestId('execute-results');
    await expect(results.locator('tr[data-resource-id="orders-db"]')).toContainText('stopped');
    await expect(results.locator('tr[data-resource-id="ledger-db"]')).toContainText('stopped');
    await expect(results.locator('tr[data-resource-id="reporting-db"]')).toContainText('deleted');
    await expect(results.locator('tr[data-resource-id="reporting-db"]')).toContainText(/snapshot cloud-cleaner-final-reporting-db-\w+ kept/);
  });

  await test.step('in the simulated account: two stopped (deletion protection still on), one gone with its final snapshot kept', async () => {
    expect(await app.command('resource', { region: 'us-east-1', kind: 'db-instance', id: 'orders-db' })).toBe('stopped');
    expect(await app.command('resource', { region: 'us-east-1', kind: 'db-instance', id: 'ledger-db' })).toBe('stopped');
    // Deleting (AWS takes a while) or already gone.
    expect([null, 'deleting']).toContain(await app.command('resource', { region: 'us-east-1', kind: 'db-instance', id: 'reporting-db' }));
    const snapshots = (await app.command('resource', { region: 'us-east-1', kind: 'db-snapshots', id: 'reporting-db' })) as string[];
    expect(snapshots.some((s) => s.startsWith('cloud-cleaner-final-reporting-db-'))).toBe(true);
  });
});
