/**
 * Another process holds this account's scan (alice's app on the shared store, or a CLI job on the same file): the Scan
 * page says who and since when, a scan started here is refused with the holder's name, and once it lets go the scan
 * runs.
 */
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';

test('a scan running elsewhere is shown and blocks a scan here until it ends', async ({ ui, page, app }) => {
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await app.command('holdLeaseElsewhere', { kind: 'scan' });
  await ui.goto('scan');
  const banner = page.getByTestId('runs-elsewhere');
  await expect(banner).toContainText('A scan of this account is running on alice-laptop (alice, pid 4242) since', { timeout: 15_000 });
  await page.getByTestId('start-scan').click();
  // Refused by main with the holder's name (a notification), and nothing started.
  await expect(page.getByText(`A scan of ${ACCOUNT_ID} is running on alice-laptop (alice, pid 4242) since`)).toBeVisible();
  await expect(page.getByTestId('scan-progress')).toHaveCount(0);

  await app.command('releaseLeaseElsewhere', { kind: 'scan' });
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await ui.startScan();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded');
});
