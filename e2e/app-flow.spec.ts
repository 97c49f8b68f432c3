/**
 * The whole app as a person uses it, against the simulated sample account: profile → account → costs → scan →
 * findings → filter/sort → delete two with confirmation → gone in AWS → history.
 */
import { test, expect } from './pages/fixtures';
import { ACCOUNT_ID, ALL_UNUSED, EXPECTED_COST, UNUSED, fixtureCosts, formatUsd } from './pages/sample-account';

// Tall enough for all 85 findings to be rendered by the virtual table at once.
test.use({ viewport: { width: 1440, height: 4600 } });

test('choose profile, see costs, scan, review, delete two findings, see history', async ({ app, ui, page }) => {
  test.setTimeout(180_000);

  await test.step('profile → the account is confirmed in the header', async () => {
    await expect(page.getByTestId('profiles-table')).toBeVisible();
    await expect(page.getByTestId('account-none')).toBeVisible();
    await ui.selectProfile('cloud-cleaner-sim');
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
    await expect(page.getByTestId('account-header')).toContainText('acme-sandbox');
    await expect(page.getByTestId('session-confirmed')).toContainText('arn:aws:iam::123456789012:');
    await page.getByTestId('open-dashboard').click();
  });

  await test.step('dashboard: the 30-day total and every service cost equal the fixture', async () => {
    const expected = fixtureCosts();
    await expect(page.getByTestId('period-total-value')).toHaveText(formatUsd(expected.total), { timeout: 20_000 });
    const table = page.getByTestId('services-table');
    await expect(table.locator('tbody tr')).toHaveCount(expected.services.size);
    for (const [name, cost] of expected.services) {
      await expect(table.locator(`tr[data-service="${name}"] [data-testid="service-cost"]`), name).toHaveText(formatUsd(cost));
    }
    // One Cost Explorer request was made for the discovery (and shown as such).
    await expect(page.getByTestId('ce-usage-value')).toHaveText('1 × $0.01 = $0.01');
  });

  await test.step('scan all enabled regions', async () => {
    await ui.startScan();
    await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded');
    await expect(page.getByTestId('scan-findings-total')).toHaveText(String(ALL_UNUSED.length));
    // 3 enabled regions × 23 resource kinds; af-south-1 (not opted in) is not scanned.
    await expect(page.locator('[data-testid="scan-tasks"] tbody tr')).toHaveCount(69); // 3 regions × 23 kinds
    // Savings per task: eu-west-1's two unattached volumes (gp3 250 GiB + st1 1,000 GiB), and the tasks add up to the total.
    await expect(page.locator('[data-testid="scan-tasks"] tr[data-task="eu-west-1|ec2:volume"] [data-col="savings"]')).toHaveText(
      formatUsd((EXPECTED_COST['vol-0e100000000000010'] ?? 0) + (EXPECTED_COST['vol-0e100000000000011'] ?? 0)),
    );
    const money = (t: string | null): number => Number((t ?? '').replace(/[$,]/g, ''));
    const perTask = (await page.locator('[data-testid="scan-tasks"] tbody [data-col="savings"]').allTextContents()).map(money);
    const total = money(await page.locator('[data-testid="scan-tasks-total"] [data-col="savings"]').textContent());
    expect(total).toBeGreaterThan(0);
    expect(Math.abs(perTask.reduce((a, b) => a + b, 0) - total)).toBeLessThan(0.01 * perTask.length);
    await expect(page.getByTestId('scan-savings-total')).toHaveText(`${formatUsd(total)}/mo`);
  });

  await test.step('findings: exactly the expected ones, with the expected costs', async () => {
    await page.getByTestId('view-findings').click();
    await expect(page.getByTestId('totals-count')).toHaveText(String(ALL_UNUSED.length));
    await expect(ui.findingRows()).toHaveCount(ALL_UNUSED.length);
    expect((await ui.visibleResourceIds()).sort()).toEqual([...ALL_UNUSED].sort());
    for (const [id, cost] of Object.entries(EXPECTED_COST)) {
      await expect(ui.row(id).locator('[data-col="cost"]'), id).toHaveText(formatUsd(cost));
    }
    // Default sort: most expensive first.
    const known = await Promise.all((await ui.visibleResourceIds()).map((id) => ui.row(id).locator('[data-col="cost"]').textContent()));
    const numbers = known.filter((v) => v !== 'unknown').map((v) => Number((v ?? '').replace(/[$,]/g, '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  await test.step('"unknown" is said, never a dash or $0: unused-since of volumes, Elastic IPs and snapshots', async () => {
    for (const id of ['vol-0a100000000000013', 'eipalloc-0a100000000000003', 'snap-0a100000000000002']) {
      await expect(ui.row(id).locator('[data-col="unused-since"]'), id).toHaveText('unknown');
    }
    // A stopped instance has a time: when it was stopped.
    await expect(ui.row('i-0a100000000000002').locator('[data-col="unused-since"] time')).toBeVisible();
    await ui.row('vol-0a100000000000013').locator('[data-col="unused-since"] [data-unknown]').hover();
    await expect(page.getByRole('tooltip')).toHaveText('AWS records no time for this; it may have been unused much longer');
    // No dash and no $0.00 in the cost column: a cost is either an amount or "unknown".
    for (const text of await page.locator('[data-testid="finding-row"] [data-col="cost"]').allTextContents()) expect(text).toMatch(/^(\$[\d,]+\.\d+|unknown)$/);
    await ui.row('vol-0a100000000000013').getByTestId('finding-open').click();
    const drawer = page.getByRole('dialog').filter({ has: page.getByText('Unused since') });
    await expect(drawer.getByTestId('unused-since')).toHaveText('unknown');
    await expect(drawer).toContainText('AWS records no time for this; it may have been unused much longer.');
    await expect(drawer.getByTestId('drawer-cost')).toHaveText(formatUsd(EXPECTED_COST['vol-0a100000000000013'] ?? 0));
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
  });

  await test.step('filter by region, then sort by cost ascending', async () => {
    await page.getByTestId('filter-region').click();
    await page.getByRole('option', { name: 'eu-west-1' }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('totals-count')).toHaveText(String(UNUSED['eu-west-1']!.length));
    await expect(ui.findingRows()).toHaveCount(UNUSED['eu-west-1']!.length);
    expect((await ui.visibleResourceIds()).sort()).toEqual([...UNUSED['eu-west-1']!].sort());

    await page.getByTestId('sort-monthlyCost').click(); // desc → asc
    await expect(page.locator('[role="columnheader"][aria-sort="ascending"]')).toContainText('$ / month');
    await expect(async () => {
      const ids = await ui.visibleResourceIds();
      const values = await Promise.all(ids.map((id) => ui.row(id).locator('[data-col="cost"]').textContent()));
      const known = values.filter((v) => v !== 'unknown').map((v) => Number((v ?? '').replace(/[$,]/g, '')));
      expect(known.length).toBeGreaterThan(1);
      expect(known).toEqual([...known].sort((a, b) => a - b));
      // Unknown costs are listed last, never as the cheapest.
      const firstUnknown = values.indexOf('unknown');
      if (firstUnknown >= 0) expect(values.slice(firstUnknown).every((v) => v === 'unknown')).toBe(true);
    }).toPass({ timeout: 5000 });
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.getByTestId('totals-count')).toHaveText(String(ALL_UNUSED.length));
  });

  const doomed = ['vol-0a100000000000011', 'eipalloc-0a100000000000003'];
  await test.step('delete two findings: plan, dry run, typed confirmation, execute', async () => {
    for (const id of doomed) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await expect(page.getByTestId('selection-summary')).toContainText('2 selected');
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await expect(modal.locator('[data-testid="plan-items"] tbody tr')).toHaveCount(2);
    // Savings = what the plan removes, less the safety snapshot it takes of the volume first (priced at the volume's
    // full 50 GiB × $0.05 standard snapshot price: an upper bound, so the savings are never overstated).
    const safetySnapshot = 50 * 0.05;
    const saved = (EXPECTED_COST[doomed[0]!] ?? 0) + (EXPECTED_COST[doomed[1]!] ?? 0) - safetySnapshot;
    await expect(modal.getByTestId('plan-savings')).toHaveText(formatUsd(saved));
    await modal.getByTestId('start-dry-run').click();
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(2, { timeout: 20_000 });
    // What the dry run cleared, as main computed it.
    await expect(modal.getByTestId('dry-run-savings')).toHaveText(formatUsd(saved));
    await modal.getByTestId('to-confirm').click();
    const execute = modal.getByTestId('execute');
    await expect(execute).toBeDisabled();
    await modal.getByTestId('confirm-account-id').fill(ACCOUNT_ID);
    await expect(execute).toBeEnabled();
    await execute.click();
    await expect(modal.locator('[data-testid="execute-results"] [data-outcome="deleted"]')).toHaveCount(2, { timeout: 30_000 });
    await expect(modal.getByTestId('execute-summary')).toContainText('2 deleted');
  });

  await test.step('the two are gone from the simulated account and from the findings', async () => {
    expect(await app.command('resource', { region: 'us-east-1', kind: 'volume', id: doomed[0] })).toBeNull();
    expect(await app.command('resource', { region: 'us-east-1', kind: 'address', id: doomed[1] })).toBeNull();
    await page.getByTestId('close-cleanup').click();
    await expect(page.getByTestId('totals-count')).toHaveText(String(ALL_UNUSED.length - 2));
    for (const id of doomed) await expect(ui.row(id)).toHaveCount(0);
  });

  await test.step('history: the scan and the deletions', async () => {
    await ui.goto('history');
    const scanRow = page.locator('[data-testid="scans-history"] tr[data-kind="resources"]');
    await expect(scanRow).toHaveCount(1);
    await expect(scanRow).toHaveAttribute('data-status', 'succeeded');
    await expect(scanRow).toContainText(String(ALL_UNUSED.length));
    await page.getByTestId('tab-deletions').click();
    for (const id of doomed) {
      await expect(page.locator(`[data-testid="deletions-history"] tr[data-resource-id="${id}"][data-outcome="succeeded"][data-dry-run="false"]`).first()).toBeVisible();
      await expect(page.locator(`[data-testid="deletions-history"] tr[data-resource-id="${id}"][data-dry-run="true"]`).first()).toBeVisible();
    }
  });
});
