/**
 * The housekeeping kinds (#18) as a person uses them on the sample account: a log group that never expires gets a
 * retention (chosen per item: 90 days instead of the default 365), a disabled KMS key is scheduled for deletion in 30
 * days with the warning that its data becomes unreadable, an unused secret is scheduled for deletion (restorable), and
 * the newest image of a repository is kept unless chosen by its own action. Each goes through the same review → dry
 * run → typed confirmation → audited run as a delete.
 */
import { test, expect } from './pages/fixtures';
import { ACCOUNT_ID } from './pages/sample-account';

test.use({ viewport: { width: 1440, height: 4600 } });

const LOG_GROUP = '/app/orders-api';
const KEY = '1a2b3c4d-0000-4000-8000-00000000d001';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:old/partner-ftp-password-6WDjJ0';
const NEWEST = 'legacy/batch-worker@sha256:10e73dbd32697d44e3eb6992511fccd06ff376fbe8d90f8033914850d94d35f7';

test('set a retention, schedule a key and a secret for deletion, keep the newest image unless chosen', async ({ app, ui, page }) => {
  test.setTimeout(180_000);

  await test.step('scan the sample account', () => ui.scanSampleAccountToFindings());

  const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
  await test.step('review: each item with its own action; the newest image refused until its explicit action is chosen', async () => {
    for (const id of [LOG_GROUP, KEY, SECRET, NEWEST]) {
      await ui.row(id).scrollIntoViewIfNeeded();
      await page.getByRole('checkbox', { name: `Select ${id}`, exact: true }).check();
    }
    await page.getByTestId('delete-selected').click();
    const group = modal.locator(`[data-testid="plan-item"][data-resource-id="${LOG_GROUP}"]`);
    await expect(group.getByTestId('item-action-choice')).toHaveAttribute('data-action', 'retention-365');
    await group.getByTestId('item-action-choice').selectOption('retention-90');
    await expect(modal.locator(`[data-testid="plan-item"][data-resource-id="${LOG_GROUP}"]`).getByTestId('item-action-warning')).toContainText('older than 90 days');

    const key = modal.locator(`[data-testid="plan-item"][data-resource-id="${KEY}"]`);
    await expect(key.getByTestId('item-action')).toHaveAttribute('data-action', 'schedule-deletion'); // its only action
    await expect(key.getByTestId('item-action-warning')).toContainText('becomes unreadable');

    const newest = modal.locator(`[data-testid="refused-item"][data-resource-id="${NEWEST}"]`);
    await expect(newest).toContainText('the newest image of legacy/batch-worker');
    await newest.getByTestId('refused-action-choice').selectOption('delete-newest');
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(4);
    await expect(modal.getByTestId('plan-actions')).toContainText('1 to set retention to 90 days');
  });

  await test.step('dry run (checked: re-read and permissions simulated), typed confirmation, run', async () => {
    await modal.getByTestId('start-dry-run').click();
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(4, { timeout: 30_000 });
    await modal.getByTestId('to-confirm').click();
    await modal.getByTestId('confirm-account-id').fill(ACCOUNT_ID);
    await modal.getByTestId('execute').click();
    await expect(modal.locator('[data-testid="execute-results"] [data-outcome="deleted"]')).toHaveCount(4, { timeout: 60_000 });
    const results = modal.getByTestId('execute-results');
    await expect(results.locator(`tr[data-resource-id="${LOG_GROUP}"]`)).toContainText(/retention set/i);
    await expect(results.locator(`tr[data-resource-id="${KEY}"]`)).toContainText(/scheduled for deletion/i);
    await expect(results.locator(`tr[data-resource-id="${SECRET}"]`)).toContainText('restorable until');
  });

  await test.step('in the simulated account: retention 90, key pending deletion, secret scheduled, newest image gone', async () => {
    expect(await app.command('resource', { region: 'us-east-1', kind: 'log-group-retention', id: LOG_GROUP })).toBe(90);
    expect(await app.command('resource', { region: 'us-east-1', kind: 'kms-key', id: KEY })).toBe('PendingDeletion');
    expect(await app.command('resource', { region: 'us-east-1', kind: 'secret', id: SECRET })).toMatch(/^deletion scheduled /);
    expect(await app.command('resource', { region: 'us-east-1', kind: 'ecr-image', id: NEWEST })).toBeNull();
  });
});
