/** TEST-ONLY page object: the Cloud Cleaner UI as a person uses it (roles and labels first, test ids where needed). */
import { expect, type Locator, type Page } from '@playwright/test';

export type PageName = 'profiles' | 'dashboard' | 'scan' | 'findings' | 'history' | 'settings';

export class AppPage {
  constructor(readonly page: Page) {}

  nav(name: PageName): Locator {
    return this.page.getByTestId(`nav-${name}`);
  }

  async goto(name: PageName): Promise<void> {
    await this.nav(name).click();
    await expect(this.page.locator(`[data-page="${name}"]`)).toBeVisible();
  }

  /** Chooses a profile on the first screen and waits until main confirmed the account. */
  async selectProfile(name: string): Promise<void> {
    await this.page.locator(`tr[data-profile="${name}"]`).click();
    await this.page.getByTestId('select-profile').click();
  }

  async startScan(): Promise<void> {
    await this.goto('scan');
    await this.page.getByTestId('start-scan').click();
    await expect(this.page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', /succeeded|partial|failed|cancelled/, { timeout: 60_000 });
  }

  /**
   * In the open cleanup review: dry run (all `count` items cleared), the account id typed, execute (all `count` items
   * done). The review stays open on its results.
   */
  async dryRunThenExecute(review: Locator, count: number, accountId: string): Promise<void> {
    await review.getByTestId('start-dry-run').click();
    await expect(review.locator('[data-testid="dry-run-results"] [data-outcome="ok"]')).toHaveCount(count, { timeout: 30_000 });
    await review.getByTestId('to-confirm').click();
    await review.getByTestId('confirm-account-id').fill(accountId);
    await review.getByTestId('execute').click();
    await expect(review.locator('[data-testid="execute-results"] [data-outcome="deleted"]')).toHaveCount(count, { timeout: 60_000 });
  }

  /** The sample account picked, scanned to success, and its findings open (the start of the cleanup specs). */
  async scanSampleAccountToFindings(): Promise<void> {
    await this.selectProfile('cloud-cleaner-sim');
    await this.page.getByTestId('open-dashboard').click();
    await this.startScan();
    await expect(this.page.getByTestId('scan-progress')).toHaveAttribute('data-scan-status', 'succeeded', { timeout: 60_000 });
    await this.page.getByTestId('view-findings').click();
  }

  findingRows(): Locator {
    return this.page.getByTestId('finding-row');
  }

  /** The resource ids of the rows currently rendered, top to bottom. */
  async visibleResourceIds(): Promise<string[]> {
    return this.findingRows().evaluateAll((rows) =>
      rows
        .map((r) => ({ id: r.getAttribute('data-resource-id') ?? '', top: parseFloat((r as HTMLElement).style.top) }))
        .sort((a, b) => a.top - b.top)
        .map((r) => r.id),
    );
  }

  row(resourceId: string): Locator {
    return this.page.locator(`[data-testid="finding-row"][data-resource-id="${resourceId}"]`);
  }
}
