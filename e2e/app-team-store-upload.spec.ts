/**
 * Issue #21: "Upload my history" in Settings → Team store, the app running on a team store (a real PostgreSQL started
 * by the host). Asked for first; refused without a local file; then the local history is copied, counted per table,
 * and a second upload copies nothing.
 */
import { test, expect } from './pages/fixtures';

test.use({ hostOptions: { teamStore: true } });

test('the local history is uploaded into the team store after a confirmation; a second upload copies nothing', async ({ ui, page, app }) => {
  await ui.goto('settings');
  const section = page.getByTestId('upload-history');
  const button = section.getByTestId('upload-history-button');
  const modal = page.getByTestId('upload-history-modal');
  await expect(button).toBeEnabled();

  // Cancel: nothing happens.
  await button.click();
  await expect(modal).toContainText('copies your local scans, findings and audit log into the team store');
  await expect(modal).toContainText('Your local file is not changed');
  await expect(modal).toContainText('Running it again adds nothing.');
  await modal.getByTestId('upload-history-cancel').click();
  await expect(modal).toBeHidden();
  await expect(section.getByTestId('upload-history-result')).toHaveCount(0);

  // No local file yet: refused, by name.
  await button.click();
  await modal.getByTestId('upload-history-confirm').click();
  const refused = section.locator('[data-error-code="not_found"]');
  await expect(refused).toContainText('No local database at', { timeout: 15_000 });
  await expect(refused).toContainText('cloud-cleaner.db: nothing to upload.');

  await app.command('writeLocalHistory');
  await button.click();
  await modal.getByTestId('upload-history-confirm').click();
  const summary = section.getByTestId('upload-history-summary');
  await expect(summary).toHaveText(/^\d[\d,]* rows copied, 0 already there, 2 skipped\.$/, { timeout: 30_000 });
  await expect(refused).toHaveCount(0);
  const copied = Number((await summary.textContent())!.split(' ')[0]!.replace(/,/g, ''));
  expect(copied).toBeGreaterThan(20);
  const resources = section.getByTestId('upload-history-tables').locator('[data-table="resources"]').getByRole('cell');
  await expect(resources).toHaveText(['resources', '4', '0', '0', '0']);

  // Again: everything is already there.
  await button.click();
  await modal.getByTestId('upload-history-confirm').click();
  await expect(summary).toHaveText(`0 rows copied, ${copied.toLocaleString('en-US')} already there, 2 skipped.`, { timeout: 30_000 });
  await expect(resources).toHaveText(['resources', '0', '0', '4', '0']);
});
