/**
 * CloudWatch in the UI, against the simulated sample account: a metric-judged finding's Metrics section in the drawer,
 * the scan's CloudWatch cost meter (after the scan, before the next one, in the history) and the two CloudWatch settings
 * (range-checked, saved, read back). What the simulator's CloudWatch holds may change, so the drawer checks hold for
 * any verdict; the rendering of each verdict and of gaps is unit-tested in
 * src/renderer/src/pages/findings/metrics-section.test.ts.
 */
import { test, expect } from './pages/fixtures';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID } from './pages/sample-account';

/** The meter's wording (src/renderer/src/lib/metrics.ts): a count with its price to enough digits, or "none". */
const AFTER = /^This scan(: no CloudWatch metrics requested| requested [\d,]+ metrics? ≈ \$\d+\.\d{2,5}) \([\d,]+ from cache, [\d,]+ GetMetricData calls?(, [\d,]+ ListMetrics calls?)?\)\.$/;
const BEFORE = /^The last scan(: no CloudWatch metrics requested( \([\d,]+ reused from the cache\))?\.| requested [\d,]+ CloudWatch metrics? ≈ \$\d+\.\d{2,5}; series fetched within the cache window are reused\.)$/;
const SHORT = /^(no CloudWatch metrics requested|[\d,]+ metrics? ≈ \$\d+\.\d{2,5})$/;

test('the CloudWatch meter after a scan, before the next one and in the history', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await page.getByTestId('open-dashboard').click();

  await ui.goto('scan');
  // No scan yet: nothing to estimate from.
  await expect(page.getByTestId('metrics-estimate')).toHaveCount(0);
  await ui.startScan();

  const meter = page.getByTestId('scan-metrics-meter');
  await expect(meter).toHaveText(AFTER);
  const requested = Number(await meter.getAttribute('data-requested'));
  expect(Number.isInteger(requested) && requested >= 0).toBe(true);

  await test.step('before the next scan: what the last one requested', async () => {
    await expect(page.getByTestId('metrics-estimate')).toHaveText(BEFORE);
    const estimate = (await page.getByTestId('metrics-estimate').textContent()) ?? '';
    if (requested === 0) expect(estimate).toContain('no CloudWatch metrics requested');
    else expect(estimate).toContain(`requested ${requested.toLocaleString('en-US')} CloudWatch metric`);
  });

  await test.step('history: the meter beside the scan', async () => {
    await ui.goto('history');
    const cell = page.locator('[data-testid="scans-history"] tr[data-kind="resources"] [data-testid="scan-metrics-cell"]').first();
    await expect(cell).toHaveAttribute('data-requested', String(requested));
    await expect(cell).toHaveText(SHORT);
  });
});

// The sample account's idle NAT gateway (us-east-1): a kind judged on CloudWatch traffic.
const NAT = 'nat-0a100000000000003';
const VERDICT_LABEL: Record<string, string> = { active: 'In use', idle: 'Idle', unknown: 'Unknown' };

test('the drawer shows what CloudWatch says about a finding: verdict, series with gaps as no data, the rule', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await page.getByTestId('open-dashboard').click();
  await ui.startScan();
  await ui.goto('findings');
  await page.setViewportSize({ width: 1400, height: 4600 }); // the table is virtualized: render every row
  await ui.row(NAT).getByTestId('finding-open').click();

  const drawer = page.getByTestId('finding-drawer').getByRole('dialog');
  const section = drawer.getByTestId('metrics-section');
  await expect(section).toBeVisible();
  const verdict = (await section.getAttribute('data-verdict')) ?? '';
  expect(Object.keys(VERDICT_LABEL)).toContain(verdict);
  await expect(section.getByTestId('metrics-verdict')).toHaveText(VERDICT_LABEL[verdict]!);
  await expect(section.getByTestId('metrics-reason')).not.toBeEmpty();
  await expect(section.getByTestId('metrics-window')).toHaveText(/\(\d+ whole UTC days\)/);

  const series = section.getByTestId('metric-series');
  expect(await series.count()).toBeGreaterThan(0);
  for (const card of await series.all()) {
    await expect(card).toContainText(/^AWS\/\w+ · \w+ · (Sum|Maximum|Average|Minimum|SampleCount)/);
    await expect(card.getByTestId('metric-dimensions')).toContainText(`NatGatewayId=${NAT}`);
    await expect(card.getByTestId('metric-reading')).toHaveText(/^(active|zero|unknown): /);
    // A day without a datapoint is never drawn as 0: a series with none has no chart, one with gaps says how many.
    const chart = card.getByTestId('metric-chart');
    if ((await chart.count()) === 0) {
      await expect(card.getByTestId('metric-no-data')).toHaveText(/^No datapoint on any of the \d+ days/);
    } else {
      const gaps = Number(await chart.getAttribute('data-gap-days'));
      if (gaps > 0) await expect(card.getByTestId('metric-no-data')).toContainText(`No datapoint on ${gaps} of`);
      else await expect(card.getByTestId('metric-no-data')).toHaveCount(0);
    }
  }

  const rule = section.getByTestId('metrics-rule');
  await rule.locator('summary').click();
  await expect(rule.locator('pre, code').first()).toBeVisible();
  await expect(rule.locator('pre, code').first()).not.toBeEmpty();
  // The activity is shown once, in its section: not again in the raw details.
  await drawer.getByTestId('raw-details').locator('summary').click();
  await expect(drawer.getByTestId('raw-details')).not.toContainText('"series"');
});

test('the CloudWatch settings: range-checked, saved, read back', async ({ ui, page }) => {
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await ui.goto('settings');

  const lookback = page.getByTestId('setting-metricsLookbackDays');
  const cache = page.getByTestId('setting-metricsCacheHours');
  const save = page.getByTestId('save-settings');
  await expect(page.getByLabel('Metrics lookback (days)')).toHaveValue('30');
  await expect(page.getByLabel('CloudWatch cache (hours)')).toHaveValue('12');
  await expect(page.getByText(/judged over this many whole UTC days/)).toBeVisible();
  await expect(page.getByText(/\$0\.01 per 1,000 metrics requested/)).toBeVisible();

  await lookback.fill('13');
  await expect(lookback).toHaveAttribute('aria-invalid', 'true');
  await expect(save).toBeDisabled();
  await lookback.fill('456');
  await expect(lookback).toHaveAttribute('aria-invalid', 'true');
  await lookback.fill('60');
  await expect(lookback).not.toHaveAttribute('aria-invalid', 'true');

  await cache.fill('169');
  await expect(cache).toHaveAttribute('aria-invalid', 'true');
  await expect(save).toBeDisabled();
  await cache.fill('0');
  await expect(cache).not.toHaveAttribute('aria-invalid', 'true');

  await save.click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.reload();
  await ui.goto('settings');
  await expect(page.getByLabel('Metrics lookback (days)')).toHaveValue('60');
  await expect(page.getByLabel('CloudWatch cache (hours)')).toHaveValue('0');
});
