/** TEST-ONLY page object: the Accounts page (issue #20) and the header's account switcher. */
import { expect, type Locator, type Page } from '@playwright/test';

/** "$1,234.56" → 1234.56 (the minus sign as the formatter writes it too). */
export function parseMoney(text: string | null): number {
  return Number((text ?? '').replace(/[−]/g, '-').replace(/[^0-9.-]/g, ''));
}

export const cents = (n: number): number => Math.round(n * 100);

export class OrgPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-accounts').click();
    await expect(this.page.locator('[data-page="accounts"]')).toBeVisible();
    await expect(this.page.getByTestId('org-accounts')).toBeVisible();
  }

  /** One row of the account list. */
  account(accountId: string): Locator {
    return this.page.locator(`[data-testid="org-account-row"][data-account-id="${accountId}"]`);
  }

  /** The account ids of the list, top to bottom. */
  async accountIds(): Promise<string[]> {
    return this.page.getByTestId('org-account-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account-id') ?? ''));
  }

  async refreshOrganization(): Promise<void> {
    await this.page.getByTestId('org-refresh').click();
    // Done when the list says when it was listed, or why it could not be.
    await expect(this.page.getByTestId('org-listed-at').filter({ hasText: /^Listed from/ }).or(this.page.getByTestId('org-list-error'))).toBeVisible({ timeout: 20_000 });
  }

  /** Starts a scan of every listed account (none chosen) and waits for the run's end. */
  async scanAll(timeout = 120_000): Promise<void> {
    await expect(this.page.getByTestId('org-scan-start')).toHaveText(/^Scan all \d+ accounts$/);
    await this.page.getByTestId('org-scan-start').click();
    await expect(this.page.getByTestId('org-scan')).toHaveAttribute('data-run-status', 'done', { timeout });
  }

  /** One account's row of the many-account scan. */
  scanRow(accountId: string): Locator {
    return this.page.locator(`[data-testid="org-scan-row"][data-account-id="${accountId}"]`);
  }

  rollupRow(accountId: string): Locator {
    return this.page.locator(`[data-testid="rollup-account-row"][data-account-id="${accountId}"]`);
  }

  /** The roll-up's total, from the page. */
  async rollupTotal(): Promise<number> {
    const total = this.page.getByTestId('rollup-total');
    await expect(total).toHaveText(/\$[\d,]+\.\d\d/);
    return parseMoney(await total.textContent());
  }

  /** Each scanned account's savings per month as the roll-up table shows them (accounts never scanned are absent). */
  async rollupAccountSavings(): Promise<Map<string, number>> {
    const rows = this.page.locator('[data-testid="rollup-account-row"][data-scanned="true"]');
    const out = new Map<string, number>();
    for (const row of await rows.all()) {
      const id = (await row.getAttribute('data-account-id')) ?? '';
      const cell = row.getByTestId('rollup-account-savings');
      await expect(cell).toHaveText(/\$[\d,]+\.\d\d/);
      out.set(id, parseMoney(await cell.textContent()));
    }
    return out;
  }

  /** The amounts of these money cells, top to bottom. */
  async amounts(cells: Locator): Promise<number[]> {
    const out: number[] = [];
    for (const cell of await cells.all()) {
      await expect(cell).toHaveText(/\$[\d,]+\.\d\d/);
      out.push(parseMoney(await cell.textContent()));
    }
    return out;
  }

  /** Views an account through the header's switcher and waits until the header shows it. */
  async viewFromSwitcher(accountId: string): Promise<void> {
    await this.page.getByTestId('account-switcher').click();
    await this.page.locator(`[data-testid="account-switcher-item"][data-account-id="${accountId}"]`).click();
    await expect(this.page.getByTestId('account-switcher')).toHaveAttribute('data-viewing', accountId, { timeout: 20_000 });
    await expect(this.page.getByTestId('account-id')).toHaveText(accountId);
  }
}
