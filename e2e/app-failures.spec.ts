/** What a person sees when things go wrong: Cost Explorer denied, a failing region, MFA, expired SSO, refusals. */
import { test, expect } from './pages/fixtures';
import { MFA_PROFILE, SIM_PROFILE, SSO_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID, ALL_UNUSED, UNUSED } from './pages/sample-account';
import type { CloudCleanerApi } from '../src/shared/ipc/contract';

test.use({ viewport: { width: 1440, height: 1400 } });

test.describe('Cost Explorer denied', () => {
  test.use({ hostOptions: { faults: { costExplorerError: 'AccessDeniedException' } } });

  test('the dashboard shows a banner, not an empty chart, and scanning still works', async ({ ui, page }) => {
    await ui.selectProfile(SIM_PROFILE);
    await page.getByTestId('open-dashboard').click();
    const banner = page.getByTestId('ce-banner');
    await expect(banner).toBeVisible({ timeout: 20_000 });
    await expect(banner).toHaveAttribute('data-error-code', /^ce\.(not_enabled|access_denied)$/);
    await expect(banner).toContainText('Scanning for unused resources still works');
    await expect(page.getByTestId('daily-cost-chart')).toHaveCount(0);

    await ui.startScan();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded');
    await expect(page.getByTestId('scan-findings-total')).toHaveText(String(ALL_UNUSED.length));
  });
});

test.describe('one region failing', () => {
  test.use({ hostOptions: { faults: { authFailureRegions: ['eu-west-1'] } } });

  test('the scan is partial, the failure names the AWS code and what to do, the rest is kept', async ({ ui, page }) => {
    await ui.selectProfile(SIM_PROFILE);
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
    await ui.startScan();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'partial');
    const failures = page.getByTestId('scan-failures');
    await expect(failures).toBeVisible();
    // Every kind of eu-west-1 failed with the same AuthFailure: one problem, said once, with the kinds it stopped.
    const failedTasks = page.locator('[data-testid="scan-tasks"] tr[data-status="failed"]');
    await expect(failedTasks).toHaveCount(23); // every resource kind of eu-west-1
    await expect(failures.locator('[data-failure-region]')).toHaveCount(1);
    await expect(failures.locator('[data-failure-region="eu-west-1"]')).toContainText(`${await failedTasks.count()} kinds:`);
    await expect(failures).toContainText('23 tasks failed in 1 region');
    await expect(failures).toContainText('AuthFailure');
    // AuthFailure does not say which: a region that is not enabled, or credentials not valid there.
    await expect(failures).toContainText('either the region is not enabled for this account');
    await expect(failures).not.toContainText('(not opted in)');

    await ui.goto('findings');
    const expected = ALL_UNUSED.length - UNUSED['eu-west-1']!.length;
    await expect(page.getByTestId('totals-count')).toHaveText(String(expected));

    await ui.goto('history');
    const row = page.locator('[data-testid="scans-history"] tr[data-kind="resources"]');
    await expect(row).toHaveAttribute('data-status', 'partial');
    await row.getByRole('button', { name: /failure/ }).click();
    await expect(page.getByTestId('scan-failures')).toContainText('eu-west-1');
  });
});

test('MFA: cancelling is reported, a wrong code is rejected clearly, the right code selects the account', async ({ app, ui, page }) => {
  type AssumeRoleRequest = { roleArn?: string; serialNumber?: string; tokenCode?: string; outcome: string };
  const dialog = page.getByRole('dialog', { name: 'MFA code' });
  const enterCode = async (code: string): Promise<void> => {
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Continue' })).toBeDisabled();
    await dialog.locator('input').first().click();
    await page.keyboard.type(code);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(dialog).toBeHidden();
  };

  await test.step('cancel: the selection fails with the MFA-cancelled message', async () => {
    await ui.selectProfile(MFA_PROFILE);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('arn:aws:iam::123456789012:mfa/demo');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('[data-error-code="aws.mfa_cancelled"]')).toBeVisible();
    await expect(page.getByTestId('account-none')).toBeVisible();
  });

  const right = await app.command<string>('mfaCode');
  const wrong = right === '654321' ? '123456' : '654321';

  await test.step('a wrong code: STS refuses it and the error says so (not "a permission is missing")', async () => {
    await page.getByTestId('select-profile').click();
    await enterCode(wrong);
    const alert = page.getByRole('alert').filter({ hasText: 'MFA code rejected' });
    await expect(alert).toBeVisible({ timeout: 20_000 });
    await expect(alert).toContainText('Choose the profile again and enter the current code');
    await expect(page.getByTestId('account-none')).toBeVisible();
    const last = (await app.command<AssumeRoleRequest[]>('assumeRoleRequests')).at(-1);
    expect(last).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/cleanup', serialNumber: 'arn:aws:iam::123456789012:mfa/demo', tokenCode: wrong });
    expect(last?.outcome).not.toBe('ok');
  });

  await test.step('the right code: AssumeRole succeeds and the assumed role is the confirmed identity', async () => {
    await page.getByTestId('select-profile').click();
    await enterCode(right);
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID, { timeout: 20_000 });
    await expect(page.getByTestId('session-confirmed')).toContainText('assumed-role/cleanup');
    await expect(page.getByRole('alert').filter({ hasText: 'MFA code rejected' })).toHaveCount(0);
    const last = (await app.command<AssumeRoleRequest[]>('assumeRoleRequests')).at(-1);
    expect(last).toMatchObject({ tokenCode: right, outcome: 'ok' });
  });
});

test('expired SSO: the message says how to sign in again, with a command to copy', async ({ ui, page }) => {
  await ui.selectProfile(SSO_PROFILE);
  const alert = page.locator('[data-error-code="aws.sso_expired"]');
  await expect(alert).toBeVisible({ timeout: 20_000 });
  await expect(alert.getByTestId('error-command')).toHaveText(`aws sso login --profile ${SSO_PROFILE}`);
  await expect(alert.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expect(page.getByTestId('account-none')).toBeVisible();
});

test.describe('cleanup refusals', () => {
  test.beforeEach(async ({ ui, page }) => {
    await ui.selectProfile(SIM_PROFILE);
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
    await ui.startScan();
    await ui.goto('findings');
    await expect(page.getByTestId('totals-count')).toHaveText(String(ALL_UNUSED.length));
  });

  test('a wrong account id is refused (in the UI, and by main when the UI is bypassed)', async ({ app, page }) => {
    const id = 'vol-0a100000000000013';
    await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await modal.getByTestId('start-dry-run').click();
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(1, { timeout: 20_000 });
    await modal.getByTestId('to-confirm').click();
    await modal.getByTestId('confirm-account-id').fill('210987654321');
    await expect(modal.getByTestId('execute')).toBeDisabled();
    await expect(modal).toContainText('not the account id of this plan');

    // Bypassing the button: main itself refuses a plan executed with another account id.
    const planId = await page.evaluate(async () => {
      const api = (globalThis as unknown as { cloudCleaner: CloudCleanerApi }).cloudCleaner;
      const page0 = await api.findings.list({ search: 'vol-0a100000000000013', limit: 1 });
      const plan = await api.cleanup.plan({ findingIds: [page0.rows[0]!.id], snapshotVolumes: false });
      return plan.id;
    });
    const refused = await page.evaluate(async (p) => {
      const api = (globalThis as unknown as { cloudCleaner: CloudCleanerApi }).cloudCleaner;
      try {
        const run = await api.cleanup.execute({ planId: p, confirmAccountId: '210987654321' });
        // Main may answer with a refused run instead of an error: then nothing may have been deleted.
        return run.status === 'refused' && run.items.every((i) => i.outcome?.kind !== 'deleted') ? `refused: ${run.refusedReason ?? ''}` : `executed (${run.status})`;
      } catch (e) {
        return (e as { code?: string }).code ?? 'unknown';
      }
    }, planId);
    console.log(JSON.stringify({ wrongAccountExecute: refused }));
    // Refused, with main's reason for the whole plan (what the modal shows).
    expect(refused).toMatch(/^refused: \S/);
    expect(await app.command('resource', { region: 'us-east-1', kind: 'volume', id })).toBe('available');
  });

  test('a finding changed since the scan is refused at the re-check', async ({ app, page }) => {
    const id = 'vol-0a100000000000010';
    await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(1);
    // Someone attaches the volume after the scan.
    await app.command('attachVolume', { region: 'us-east-1', volumeId: id, instanceId: 'i-0a100000000000001' });
    await modal.getByTestId('start-dry-run').click();
    const result = modal.locator(`[data-testid="dry-run-results"] tr[data-resource-id="${id}"]`);
    await expect(result.locator('[data-outcome="refused"]')).toBeVisible({ timeout: 20_000 });
    await expect(result).toContainText('changed since scan');
    await expect(result).toContainText('i-0a100000000000001');
    await expect(modal.getByTestId('to-confirm')).toBeDisabled();
    expect(await app.command('resource', { region: 'us-east-1', kind: 'volume', id })).toBe('in-use');
  });

  test('cancelling a running cleanup: what was not started is listed as cancelled and stays in AWS', async ({ app, page }) => {
    // Deletion order: snapshots (30), then volumes (40), then addresses (50) — cancelling during the snapshot leaves the other two.
    const ids = { snapshot: 'snap-0a100000000000002', volume: 'vol-0a100000000000014', address: 'eipalloc-0a100000000000006' };
    // The table is virtualized: a window tall enough to render all 85 rows, so each checkbox exists to be ticked.
    await page.setViewportSize({ width: 1400, height: 4600 });
    for (const id of Object.values(ids)) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await modal.getByTestId('start-dry-run').click();
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(3, { timeout: 20_000 });
    await modal.getByTestId('to-confirm').click();
    await modal.getByTestId('confirm-account-id').fill(ACCOUNT_ID);

    // Slow AWS down so that the run can be caught in the middle.
    await app.command('setFaults', { latencyMs: 700 });
    await modal.getByTestId('execute').click();
    const progress = modal.getByTestId('execute-progress');
    await expect(progress.locator(`tr[data-resource-id="${ids.snapshot}"] [data-phase="delete"]`)).toBeVisible({ timeout: 20_000 });
    await modal.getByTestId('cancel-cleanup').click();
    await expect(modal.getByTestId('execute-cancelled')).toBeVisible({ timeout: 30_000 });
    await app.command('setFaults', {});

    const results = modal.getByTestId('execute-results');
    await expect(results.locator(`tr[data-resource-id="${ids.volume}"] [data-outcome="cancelled"]`)).toBeVisible();
    await expect(results.locator(`tr[data-resource-id="${ids.address}"] [data-outcome="cancelled"]`)).toBeVisible();
    expect(await app.command('resource', { region: 'us-east-1', kind: 'volume', id: ids.volume })).toBe('available');
    expect(await app.command('resource', { region: 'us-east-1', kind: 'address', id: ids.address })).toBe('present');
    // The snapshot was in flight: its re-check may have been stopped (cancelled, still there) or its delete finished.
    const snapshotOutcome = await results.locator(`tr[data-resource-id="${ids.snapshot}"] [data-outcome]`).getAttribute('data-outcome');
    expect(['cancelled', 'deleted']).toContain(snapshotOutcome);
    expect(await app.command('resource', { region: 'us-east-1', kind: 'snapshot', id: ids.snapshot })).toBe(snapshotOutcome === 'deleted' ? null : 'present');
    const cancelled = snapshotOutcome === 'cancelled' ? 3 : 2;
    await expect(modal.getByTestId('execute-summary')).toContainText(`(${cancelled} cancelled)`);
    await expect(modal.getByTestId('execute-cancelled')).toContainText(`${cancelled} items were not started`);
    console.log(JSON.stringify({ cancelledCleanup: { snapshot: snapshotOutcome, cancelled } }));
  });
});
