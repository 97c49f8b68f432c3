/**
 * Savings realised (issue #22) on the sample account: scan, clean up an io2 volume and an Elastic IP, the dashboard
 * says the saving is not in the bill yet; nine days pass (the app's and the simulator's clock), the user refreshes
 * the costs (paid, counted), and the dashboard shows the saving confirmed by the bill from the day after the cleanup,
 * with each service's cost before and after.
 */
import { test, expect } from './pages/fixtures';
import { ACCOUNT_ID } from './pages/sample-account';

test.use({ viewport: { width: 1440, height: 2400 } });

const VOLUME = 'vol-0a100000000000012'; // io2 64 GiB, 16,000 IOPS: $1,048 a month (EC2 - Other)
const ADDRESS = 'eipalloc-0a100000000000003'; // an idle public IPv4 address: $3.65 a month (VPC)
const dayText = (day: string): string => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

test('a cleanup, nine days, a refresh: the dashboard shows the saving confirmed by the bill', async ({ app, ui, page }) => {
  test.setTimeout(180_000);

  await test.step('scan the sample account; before any cleanup the dashboard says nothing about savings realised', async () => {
    await ui.scanSampleAccountToFindings();
    await ui.goto('dashboard');
    await expect(page.getByTestId('period-total-value')).toBeVisible();
    await expect(page.getByTestId('savings-realised')).toHaveCount(0);
    await ui.goto('findings');
  });

  let cleanupDay = '';
  await test.step('clean up the volume and the address', async () => {
    for (const id of [VOLUME, ADDRESS]) {
      await ui.row(id).scrollIntoViewIfNeeded();
      await page.getByRole('checkbox', { name: `Select ${id}`, exact: true }).check();
    }
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    cleanupDay = new Date().toISOString().slice(0, 10);
    await ui.dryRunThenExecute(modal, 2, ACCOUNT_ID);
    await page.keyboard.press('Escape');
    await expect(modal).toBeHidden();
    expect(await app.command('resource', { region: 'us-east-1', kind: 'volume', id: VOLUME })).toBeNull();
  });

  const card = page.getByTestId('savings-realised');
  const row = (service: string) => card.locator(`[data-testid="savings-measurement"][data-service="${service}"]`);
  await test.step('right after: the expected saving, not in the bill yet', async () => {
    await ui.goto('dashboard');
    await expect(card.getByTestId('savings-realised-headline')).toContainText(`since ${dayText(cleanupDay)}, not visible in your bill yet.`);
    await expect(row('AmazonEC2Other')).toHaveAttribute('data-verdict', 'waiting');
    await expect(row('AmazonEC2Other').getByTestId('savings-verdict-words')).toContainText('0 days complete after the cleanup stored, 3 needed');
    await expect(row('AmazonVPC')).toHaveAttribute('data-verdict', 'waiting');
    await expect(card.getByTestId('savings-history-end')).toContainText('Your stored costs end on');
  });

  await test.step('nine days later, the user refreshes the costs (a paid request, counted)', async () => {
    const usage = page.getByTestId('ce-usage-value');
    const before = Number(((await usage.textContent()) ?? '').split(' ')[0]);
    await app.command('advanceClock', { days: 9 });
    await card.getByTestId('savings-refresh-costs').click();
    await expect(page.getByText('Costs refreshed')).toBeVisible({ timeout: 30_000 });
    await expect(usage).toHaveText(new RegExp(`^${before + 1} ×`));
  });

  await test.step('the saving confirmed by the bill from the day after the cleanup, per service before → after', async () => {
    const nextDay = new Date(Date.parse(`${cleanupDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const headline = card.getByTestId('savings-realised-headline');
    await expect(headline).toContainText(`since ${dayText(cleanupDay)}, confirmed by your bill from ${dayText(nextDay)}.`);
    // What the plan expected: the volume net of its safety snapshot, and the address.
    const saved = Number(((await headline.textContent()) ?? '').match(/Saved \$([\d,.]+)\/month/)?.[1]?.replace(/,/g, ''));
    expect(saved).toBeGreaterThan(1040);
    expect(saved).toBeLessThan(1051.66);
    await expect(row('AmazonEC2Other')).toHaveAttribute('data-verdict', 'confirmed');
    await expect(row('AmazonEC2Other').getByTestId('savings-verdict-words')).toContainText(`Confirmed by your bill from ${dayText(nextDay)}`);
    await expect(row('AmazonEC2Other')).toContainText('7 days before, 7 days after (1 estimated)');
    await expect(row('AmazonVPC')).toHaveAttribute('data-verdict', 'confirmed');
    await expect(row('AmazonVPC')).toContainText('$1.32 → $1.20');
    await expect(row('AmazonEC2Other').getByTestId('savings-chart')).toBeVisible();
    await card.screenshot({ path: test.info().outputPath('savings-realised-card.png') });
  });
});
