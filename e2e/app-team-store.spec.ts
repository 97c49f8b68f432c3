/**
 * Issue #21: a team store. The CLI (a scheduled job, say) scans the account into PostgreSQL; the app, on the same
 * store, shows those findings without scanning itself. A real PostgreSQL server on 127.0.0.1 started by the host.
 */
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';

test.use({ hostOptions: { teamStore: true } });

test('findings the CLI scanned into the team store are shown by the app', async ({ ui, page, app }) => {
  const scanned = (await app.command('cliScan')) as { scan: { status: string; findingsCount: number }; findings: { resourceId: string }[] };
  expect(scanned.scan.status).toBe('succeeded');
  expect(scanned.findings.length).toBeGreaterThan(10);

  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await ui.goto('findings');
  await expect(page.getByTestId('totals-count')).toHaveText(String(scanned.findings.length), { timeout: 15_000 });
  // A finding of the CLI's scan, searched for by its id: on the page.
  const one = scanned.findings[0]!.resourceId;
  await page.getByTestId('filter-search').fill(one);
  await expect(page.getByTestId('totals-count')).toHaveText('1', { timeout: 15_000 });
  await expect(page.getByTestId('finding-row')).toHaveCount(1);
  await expect(page.getByTestId('finding-row')).toContainText(one);
});
