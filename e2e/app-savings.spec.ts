/**
 * Savings are truthful, against the simulated sample account: one definition of "potential savings" on every page,
 * a plan item saves exactly what its action removes (parts that stay are listed with their cost, and can be added),
 * and the bill cross-check warns when the findings are estimated above a service's whole spend.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './pages/fixtures';
import type { AppPage } from './pages/app-page';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID, fixtureCosts, formatUsd } from './pages/sample-account';

// Tall enough for every finding to be rendered by the virtual table at once.
test.use({ viewport: { width: 1440, height: 4600 } });

const INSTANCE = 'i-0a10000000000000d';
const VPC = 'Amazon Virtual Private Cloud';
const EIP_MONTH = 0.005 * 730; // $0.005 per public IPv4 address-hour

/** "$1,234.56" → 1234.56 (and "−$0.40" → -0.4). */
const money = (t: string | null): number => Number((t ?? '').replace(/[−]/g, '-').replace(/[^0-9.-]/g, ''));

async function amount(l: Locator): Promise<number> {
  await expect(l).toHaveText(/\$[\d,]+\.\d\d/);
  return money(await l.textContent());
}

async function selectAndScan(ui: AppPage, page: Page): Promise<void> {
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await page.getByTestId('open-dashboard').click();
  // The discovery (Cost Explorer) runs when the dashboard opens: the services are known before the scan.
  await expect(page.getByTestId('services-table')).toBeVisible({ timeout: 20_000 });
  await ui.startScan();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded');
}

interface FixtureVolume {
  id: string;
  type: string;
  sizeGiB: number;
  iops?: number;
  throughput?: number;
}
interface FixtureInstance {
  id: string;
  state: string;
  volumes?: { volumeId: string; deleteOnTermination: boolean }[];
}
interface FixtureAddress {
  allocationId: string;
  instanceId?: string;
}

/** us-east-1 EBS prices per GiB-month (and gp3's extra IOPS / throughput), from AWS's public price list. */
function volumeMonthly(v: FixtureVolume): number {
  const perGiB: Record<string, number> = { gp3: 0.08, gp2: 0.1, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 };
  const rate = perGiB[v.type];
  if (rate === undefined) throw new Error(`no oracle price for volume type ${v.type}`);
  let cost = v.sizeGiB * rate;
  if (v.type === 'gp3') cost += Math.max(0, (v.iops ?? 3000) - 3000) * 0.005 + Math.max(0, (v.throughput ?? 125) - 125) * 0.04;
  return cost;
}

/** The stopped instance's parts as the fixture defines them: root (DeleteOnTermination), data volume (kept), its EIP. */
function instanceParts(): { root: FixtureVolume; data: FixtureVolume; eip: FixtureAddress } {
  const file = path.join(__dirname, 'aws-sim', 'fixtures', 'sample-account.json');
  const f = JSON.parse(readFileSync(file, 'utf8')) as { resources: Record<string, { instances: FixtureInstance[]; volumes: FixtureVolume[]; addresses: FixtureAddress[] }> };
  const region = f.resources['us-east-1']!;
  const instance = region.instances.find((i) => i.id === INSTANCE);
  expect(instance, `sample-account.json (us-east-1) has no instance ${INSTANCE}: the fixture change adding it has not landed`).toBeDefined();
  const volume = (id: string | undefined): FixtureVolume => {
    const v = region.volumes.find((x) => x.id === id);
    if (!v) throw new Error(`sample-account.json has no volume ${id} of ${INSTANCE}`);
    return v;
  };
  const root = volume(instance!.volumes?.find((v) => v.deleteOnTermination)?.volumeId);
  const data = volume(instance!.volumes?.find((v) => !v.deleteOnTermination)?.volumeId);
  const eip = region.addresses.find((a) => a.instanceId === INSTANCE);
  if (!eip) throw new Error(`sample-account.json has no Elastic IP associated with ${INSTANCE}`);
  return { root, data, eip };
}

test('one potential savings: the dashboard, the last scan card and the findings page show the same amount', async ({ ui, page }) => {
  test.setTimeout(120_000);
  await selectAndScan(ui, page);
  const scanTotal = await amount(page.getByTestId('scan-savings-total'));

  await ui.goto('dashboard');
  await expect(page.getByTestId('services-table')).toBeVisible();
  // The sample account as shipped is consistent: no service's findings are estimated above its spend.
  await expect(page.getByTestId('reconciliation-warning')).toHaveCount(0);
  const dashboard = await amount(page.getByTestId('potential-savings-value'));
  const lastScan = await amount(page.getByTestId('last-scan-savings'));
  expect(dashboard).toBeGreaterThan(0);
  await expect(page.getByTestId('potential-savings-detail')).toContainText('deletable');
  // The sample account has protected findings: their cost is its own figure, never in the savings.
  await expect(page.getByTestId('protected-figure')).toHaveText(/^\$[\d,]+\.\d\d\/month protected, \d+ findings?: kept$/);

  await ui.goto('findings');
  const findings = await amount(page.getByTestId('totals-savings'));
  await expect(page.getByTestId('totals-protected')).toHaveText(/^\$[\d,]+\.\d\d\/month protected, \d+ findings?: kept$/);
  // The protected figure is the same on both pages.
  await ui.goto('dashboard');
  const protectedDashboard = await page.getByTestId('protected-figure').textContent();
  await ui.goto('findings');
  await expect(page.getByTestId('totals-protected')).toHaveText(protectedDashboard ?? '');

  expect({ lastScan, findings, scan: scanTotal }).toEqual({ lastScan: dashboard, findings: dashboard, scan: dashboard });

  // A tag that looks like the protection tag but does not protect (`cloud-cleaner:keep=false`) is said in the drawer.
  await ui.row('vol-0a100000000000017').getByTestId('finding-open').click();
  const nearMiss = page.getByTestId('protection-near-misses').locator('[data-testid="near-miss"][data-tag-key="cloud-cleaner:keep"]');
  await expect(nearMiss).toContainText('cloud-cleaner:keep=false looks like the protection tag but does not protect: ');
});

test(`the stopped instance ${INSTANCE} saves its root volume only; the data volume and the Elastic IP stay, and can be added`, async ({ app, ui, page }) => {
  test.setTimeout(120_000);
  const { root, data, eip } = instanceParts();
  const rootCost = volumeMonthly(root);
  const dataCost = volumeMonthly(data);
  await selectAndScan(ui, page);

  await test.step('the finding drawer lists the parts with their fate and cost', async () => {
    await page.getByTestId('view-findings').click();
    await ui.row(INSTANCE).getByTestId('finding-open').click();
    const drawer = page.getByTestId('finding-drawer');
    const parts = drawer.getByTestId('related');
    await expect(parts.locator(`[data-part-id="${root.id}"]`)).toHaveAttribute('data-fate', 'removed');
    await expect(parts.locator(`[data-part-id="${data.id}"]`)).toHaveAttribute('data-fate', 'kept');
    await expect(parts.locator(`[data-part-id="${eip.allocationId}"]`)).toHaveAttribute('data-fate', 'kept');
    await expect(drawer.getByTestId('drawer-savings')).toHaveText(formatUsd(rootCost));
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
  });

  const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
  const item = modal.locator(`[data-testid="plan-item"][data-resource-id="${INSTANCE}"]`);
  await test.step('plan: savings = the root volume; the data volume and the Elastic IP stay, priced', async () => {
    await page.getByRole('checkbox', { name: `Select ${INSTANCE}` }).check();
    await page.getByTestId('delete-selected').click();
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId('item-savings')).toHaveText(formatUsd(rootCost));
    await expect(modal.getByTestId('plan-savings')).toHaveText(formatUsd(rootCost));

    const rootPart = item.locator(`[data-testid="part"][data-part-id="${root.id}"]`);
    await expect(rootPart).toHaveAttribute('data-fate', 'removed');
    await expect(rootPart.getByTestId('part-cost')).toHaveText(`${formatUsd(rootCost)}/mo`);

    const dataPart = item.locator(`[data-testid="part"][data-part-id="${data.id}"]`);
    await expect(dataPart).toHaveAttribute('data-fate', 'kept');
    await expect(dataPart.getByTestId('part-fate')).toHaveText('stays and keeps billing');
    await expect(dataPart.getByTestId('part-cost')).toHaveText(`${formatUsd(dataCost)}/mo`);

    const eipPart = item.locator(`[data-testid="part"][data-part-id="${eip.allocationId}"]`);
    await expect(eipPart).toHaveAttribute('data-fate', 'kept');
    await expect(eipPart.getByTestId('part-cost')).toHaveText(`${formatUsd(EIP_MONTH)}/mo`);
    await expect(modal.getByTestId('plan-kept-cost')).toHaveText(`${formatUsd(dataCost + EIP_MONTH)}/month`);
  });

  await test.step('"Add to this plan" on the Elastic IP: a new plan, the savings raised by its cost', async () => {
    const eipPart = item.locator(`[data-testid="part"][data-part-id="${eip.allocationId}"]`);
    await eipPart.getByTestId('add-part').click();
    await expect(eipPart).toHaveAttribute('data-fate', 'added');
    await expect(eipPart.getByTestId('add-part')).toHaveCount(0);
    await expect(item.getByTestId('item-savings')).toHaveText(formatUsd(rootCost + EIP_MONTH));
    await expect(modal.getByTestId('plan-savings')).toHaveText(formatUsd(rootCost + EIP_MONTH));
    // The data volume still stays.
    await expect(item.locator(`[data-testid="part"][data-part-id="${data.id}"]`)).toHaveAttribute('data-fate', 'kept');
  });

  await test.step('dry run and delete: the result saves what was really removed; the data volume stays in AWS', async () => {
    await modal.getByTestId('start-dry-run').click();
    await expect(modal.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(1, { timeout: 20_000 });
    await expect(modal.getByTestId('dry-run-savings')).toHaveText(formatUsd(rootCost + EIP_MONTH));
    await modal.getByTestId('to-confirm').click();
    await modal.getByTestId('confirm-account-id').fill(ACCOUNT_ID);
    await modal.getByTestId('execute').click();
    await expect(modal.locator('[data-testid="execute-results"] [data-outcome="deleted"]')).toHaveCount(1, { timeout: 30_000 });
    await expect(modal.getByTestId('execute-savings')).toHaveText(formatUsd(rootCost + EIP_MONTH));
    expect(await app.command('resource', { region: 'us-east-1', kind: 'address', id: eip.allocationId })).toBeNull();
    expect(await app.command('resource', { region: 'us-east-1', kind: 'volume', id: data.id })).toBe('available');
    expect(await app.command('resource', { region: 'us-east-1', kind: 'volume', id: root.id })).toBeNull();
    await modal.getByTestId('close-cleanup').click();
    await expect(modal).toBeHidden();
  });
});

test.describe('the bill cross-check', () => {
  // The sample account as shipped is consistent: its Amazon Virtual Private Cloud bill is lowered to a quarter, below
  // what its public IPv4 addresses (the Elastic IP findings and parts) cost.
  const SCALE = 0.25;
  test.use({ hostOptions: { costScale: { [VPC]: SCALE } } });

  test('warns when the findings are estimated above a service spend, with both numbers', async ({ ui, page }) => {
    test.setTimeout(120_000);
    await selectAndScan(ui, page);
    await ui.goto('dashboard');

    const warning = page.getByTestId('reconciliation-warning');
    await expect(warning).toContainText("Estimated waste above this service's spend: prices or definitions may be off");
    const line = warning.locator(`[data-testid="reconciliation-service"][data-service="${VPC}"]`);
    await expect(line).toBeVisible();
    const estimate = await amount(line.getByTestId('reconciliation-estimate'));
    const spend = await amount(line.getByTestId('reconciliation-spend'));
    expect(estimate).toBeGreaterThan(spend);

    // The spend is the service's Cost Explorer cost over the period, at a 730-hour month.
    const days = Number(/(\d+) days/.exec((await page.getByTestId('period-total').textContent()) ?? '')?.[1]);
    expect(days).toBeGreaterThan(0);
    const vpcPeriod = (fixtureCosts().services.get(VPC) ?? 0) * SCALE;
    expect(Math.abs(spend - (vpcPeriod * 730) / (days * 24))).toBeLessThanOrEqual(0.011);

    // The services table flags the same row, and only the services the callout lists.
    const flagged = page.locator('[data-testid="services-table"] tr[data-exceeds-spend="true"]');
    await expect(flagged.filter({ has: page.getByTestId('reconciliation-flag') })).toHaveCount(await warning.getByTestId('reconciliation-service').count());
    await expect(page.locator(`[data-testid="services-table"] tr[data-service="${VPC}"]`)).toHaveAttribute('data-exceeds-spend', 'true');
    await expect(page.locator(`[data-testid="services-table"] tr[data-service="${VPC}"] [data-testid="reconciliation-flag"]`)).toBeVisible();
  });
});
