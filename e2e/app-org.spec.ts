/**
 * Many accounts (issue #20) as a person uses them, against the simulator's sample organization (the sample account is
 * its management account): list the organization's accounts, scan all of them from the one profile — the member whose
 * role is missing and the one whose role demands MFA fail alone, with the role and the error, the others succeed —
 * the roll-up's total equals the sum of its account rows, and viewing a member from the header's switcher makes the
 * findings page show that member's findings only, until the home account is viewed again.
 */
import { SAMPLE_ORGANIZATION_FIXTURE } from './aws-sim/fixtures/sample-organization';
import { test, expect } from './pages/fixtures';
import { cents, OrgPage } from './pages/org-page';
import { SIM_PROFILE } from './pages/profile-names';
import { ACCOUNT_ID, ALL_UNUSED } from './pages/sample-account';

const ROLE = 'OrganizationAccountAccessRole';
const member = (name: string): { accountId: string; name: string } => {
  const m = SAMPLE_ORGANIZATION_FIXTURE.members.find((x) => x.name === name);
  if (!m) throw new Error(`no member ${name} in the sample organization`);
  return m;
};
const PRODUCTION = member('Production');
const STAGING = member('Staging');
const DATA = member('Data Platform'); // no role at all
const SECURITY = member('Security'); // the role demands MFA; the sim profile names no MFA device
const SUSPENDED = member('Old Sandbox');
/** Unused in Production (detached volumes, us-east-1 and eu-west-1). */
const PRODUCTION_UNUSED = ['vol-0b200000000000003', 'vol-0b200000000000005'];

// Tall enough for every finding of a member to be rendered by the virtual table at once.
test.use({ viewport: { width: 1440, height: 2400 } });

test('an organization: list, scan every account (one role missing, one MFA), roll-up adds up, view a member', async ({ ui, page }) => {
  test.setTimeout(300_000);
  const org = new OrgPage(page);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);

  await test.step('before listing: only the profile own account, the plain header', async () => {
    await org.goto();
    expect(await org.accountIds()).toEqual([ACCOUNT_ID]);
    await expect(org.account(ACCOUNT_ID)).toContainText('this profile');
    await expect(page.getByTestId('org-only-home')).toBeVisible();
    await expect(page.getByTestId('account-switcher')).toHaveCount(0);
    await expect(page.getByTestId('rollup-not-scanned')).toBeVisible();
  });

  await test.step('refresh from AWS Organizations: the active members appear, home first, the suspended one not', async () => {
    await org.refreshOrganization();
    await expect(page.getByTestId('org-list-error')).toHaveCount(0);
    await expect(page.getByTestId('org-account-row')).toHaveCount(5);
    const ids = await org.accountIds();
    expect(ids[0]).toBe(ACCOUNT_ID);
    expect(new Set(ids.slice(1))).toEqual(new Set([PRODUCTION.accountId, STAGING.accountId, DATA.accountId, SECURITY.accountId]));
    expect(ids).not.toContain(SUSPENDED.accountId);
    for (const m of [PRODUCTION, STAGING, DATA, SECURITY]) {
      const row = org.account(m.accountId);
      await expect(row.getByTestId('org-account-name')).toHaveText(m.name);
      await expect(row).toHaveAttribute('data-source', 'organization');
      await expect(row.getByTestId('org-account-role')).toHaveText(`${ROLE} (default)`);
    }
    // More than one account: the header is a switcher now, still naming the account shown.
    await expect(page.getByTestId('account-switcher')).toHaveAttribute('data-viewing', ACCOUNT_ID);
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  });

  await test.step('scan all accounts: two members fail alone with the role and the error, the rest succeed', async () => {
    await org.scanAll(180_000);
    // The end is notified.
    await expect(page.getByText('Accounts scanned, some failed')).toBeVisible();
    for (const id of [ACCOUNT_ID, PRODUCTION.accountId, STAGING.accountId]) {
      await expect(org.scanRow(id), id).toHaveAttribute('data-status', 'succeeded');
      await expect(org.scanRow(id).getByTestId('org-scan-error')).toHaveCount(0);
    }
    for (const m of [DATA, SECURITY]) {
      await expect(org.scanRow(m.accountId), m.name).toHaveAttribute('data-status', 'failed');
      const error = org.scanRow(m.accountId).getByTestId('org-scan-error');
      await expect(error).toContainText(ROLE);
      await expect(error).toContainText(m.accountId);
      // The list keeps the access failure, in red, with the role that could not be assumed.
      const access = org.account(m.accountId).getByTestId('org-account-error');
      await expect(access).toContainText(`Not reached with role ${ROLE}`);
      await expect(access).toContainText(m.accountId);
    }
    // The MFA role: the profile names no MFA device, so the message says how to give one.
    await expect(org.scanRow(SECURITY.accountId).getByTestId('org-scan-error')).toContainText('mfa_serial');
    await expect(org.account(PRODUCTION.accountId).getByTestId('org-account-error')).toHaveCount(0);
    await expect(org.account(PRODUCTION.accountId).getByTestId('org-account-scan-status')).toHaveText('succeeded');
  });

  await test.step("the roll-up's total equals the sum of its accounts' rows", async () => {
    const total = await org.rollupTotal();
    const rows = await org.rollupAccountSavings();
    expect(new Set(rows.keys())).toEqual(new Set([ACCOUNT_ID, PRODUCTION.accountId, STAGING.accountId]));
    for (const id of rows.keys()) expect(rows.get(id), id).toBeGreaterThan(0);
    const sum = [...rows.values()].reduce((a, b) => a + b, 0);
    // To the cent, allowing the rounding of each shown amount.
    expect(Math.abs(cents(sum) - cents(total))).toBeLessThanOrEqual(rows.size);
    // The members that were never scanned read "not scanned", never $0.00.
    for (const m of [DATA, SECURITY]) {
      await expect(org.rollupRow(m.accountId).getByTestId('rollup-account-not-scanned')).toHaveText('not scanned');
      await expect(org.rollupRow(m.accountId)).not.toContainText('$0.00');
    }
    // The bars by kind and by region add up to the same total (past eight kinds, the rest is one "N more" bar).
    for (const group of ['rollup-by-kind', 'rollup-by-region']) {
      const amounts = await org.amounts(page.getByTestId(group).getByTestId(`${group}-amount`));
      expect(amounts.length, group).toBeGreaterThan(1);
      expect(amounts.length, group).toBeLessThanOrEqual(8);
      expect(Math.abs(cents(amounts.reduce((a, b) => a + b, 0)) - cents(total)), group).toBeLessThanOrEqual(amounts.length);
    }
    await expect(page.getByTestId('rollup-by-kind').locator('[data-folded="true"]')).toContainText(/^\d+ more kinds/);
    // The largest items across the accounts name their account; a member's are among them.
    await expect(page.getByTestId('rollup-top-row').first()).toBeVisible();
    await expect(page.locator(`[data-testid="rollup-top-row"][data-account-id="${STAGING.accountId}"]`).first()).toContainText(STAGING.name);
  });

  await test.step('a member that cannot be reached: the error is shown and the view stays on the home account', async () => {
    await page.getByTestId('account-switcher').click();
    await page.locator(`[data-testid="account-switcher-item"][data-account-id="${DATA.accountId}"]`).click();
    await expect(page.locator(`[data-testid="account-view-error"][data-account-id="${DATA.accountId}"]`)).toContainText(ROLE, { timeout: 20_000 });
    await expect(page.getByTestId('account-switcher')).toHaveAttribute('data-viewing', ACCOUNT_ID);
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  });

  await test.step("view Production from the switcher: the findings page shows Production's findings only", async () => {
    await org.viewFromSwitcher(PRODUCTION.accountId);
    await expect(page.getByTestId('account-switcher')).toContainText(PRODUCTION.name);
    await ui.goto('findings');
    await expect(page.getByTestId('findings-grid')).toHaveAttribute('aria-busy', 'false');
    for (const id of PRODUCTION_UNUSED) await expect(ui.row(id), id).toBeVisible();
    const shown = await ui.visibleResourceIds();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((id) => ALL_UNUSED.includes(id)), 'the management account findings are not shown').toEqual([]);
    await expect(page.getByTestId('totals-count')).toHaveText(String(shown.length));
  });

  await test.step('back to the home account: its findings again', async () => {
    await org.viewFromSwitcher(ACCOUNT_ID);
    await expect(page.getByTestId('findings-grid')).toHaveAttribute('aria-busy', 'false');
    await expect(page.getByTestId('totals-count')).toHaveText(String(ALL_UNUSED.length));
    const shown = await ui.visibleResourceIds();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((id) => !ALL_UNUSED.includes(id)), 'only the home account findings').toEqual([]);
    for (const id of PRODUCTION_UNUSED) await expect(ui.row(id)).toHaveCount(0);
  });
});

test('accounts kept by hand: add one with a role, change roles, the default role, remove it', async ({ ui, page }) => {
  test.setTimeout(120_000);
  const org = new OrgPage(page);
  await ui.selectProfile(SIM_PROFILE);
  await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  await org.goto();
  const LAB = '111122223333';

  await test.step('add an account by hand: listed as added by you, with its role; the header switches', async () => {
    await page.getByTestId('org-add-account').click();
    await page.getByTestId('add-account-id').fill('1234');
    await expect(page.getByText('An account id is 12 digits')).toBeVisible();
    await expect(page.getByTestId('add-account-save')).toBeDisabled();
    await page.getByTestId('add-account-id').fill(LAB);
    await page.getByTestId('add-account-name').fill('Lab');
    await page.getByTestId('add-account-role').fill('LabAudit');
    await page.getByTestId('add-account-save').click();
    const row = org.account(LAB);
    await expect(row).toHaveAttribute('data-source', 'manual');
    await expect(row).toContainText('added by you');
    await expect(row.getByTestId('org-account-name')).toHaveText('Lab');
    await expect(row.getByTestId('org-account-role')).toHaveText('LabAudit');
    await expect(page.getByTestId('account-switcher')).toBeVisible();
  });

  await test.step("an account's role back to the default, then the default changed", async () => {
    await org.account(LAB).getByTestId('org-account-role-edit').click();
    await page.getByTestId('role-mode-default').click();
    await page.getByTestId('role-save').click();
    await expect(org.account(LAB).getByTestId('org-account-role')).toHaveText(`${ROLE} (default)`);
    await page.getByTestId('org-default-role-edit').click();
    await page.getByTestId('default-role-name').fill('CloudCleanerAudit');
    await page.getByTestId('default-role-save').click();
    await expect(page.getByTestId('org-default-role')).toHaveText('CloudCleanerAudit');
    await expect(org.account(LAB).getByTestId('org-account-role')).toHaveText('CloudCleanerAudit (default)');
  });

  await test.step('remove it: only the home account again, the plain header', async () => {
    await org.account(LAB).getByTestId('org-account-remove').click();
    await expect(org.account(LAB)).toHaveCount(0);
    await expect(page.getByTestId('account-switcher')).toHaveCount(0);
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
  });
});

test.describe('an account in no organization', () => {
  test.use({ hostOptions: { organization: false } });

  test('Refresh says why the organization cannot be listed; an account added by hand whose role fails fails alone', async ({ ui, page }) => {
    test.setTimeout(180_000);
    const org = new OrgPage(page);
    await ui.selectProfile(SIM_PROFILE);
    await expect(page.getByTestId('account-id')).toHaveText(ACCOUNT_ID);
    await org.goto();
    await org.refreshOrganization();
    const alert = page.getByTestId('org-list-error');
    await expect(alert).toHaveAttribute('data-error-code', 'not_found');
    await expect(alert).toContainText(`Account ${ACCOUNT_ID} is not in an AWS Organization`);
    expect(await org.accountIds()).toEqual([ACCOUNT_ID]);

    // Added by hand: the simulator has no account 444455556666, so its role cannot be assumed.
    const OTHER = '444455556666';
    await page.getByTestId('org-add-account').click();
    await page.getByTestId('add-account-id').fill(OTHER);
    await page.getByTestId('add-account-save').click();
    await expect(org.account(OTHER)).toHaveAttribute('data-source', 'manual');
    await org.scanAll();
    await expect(org.scanRow(ACCOUNT_ID)).toHaveAttribute('data-status', 'succeeded');
    await expect(org.scanRow(OTHER)).toHaveAttribute('data-status', 'failed');
    await expect(org.scanRow(OTHER).getByTestId('org-scan-error')).toContainText(`role ${ROLE} in account ${OTHER}`);
  });
});
