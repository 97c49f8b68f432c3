/**
 * TEST-ONLY Playwright fixtures: one app process per test, the page object. The browser (Debian's Chromium) comes
 * from playwright.config.ts: a `test.use()` here, in a helper shared by several spec files, makes Playwright fail
 * whichever spec loads it second ("inconsistent test.use() options", reported at 0 ms before the test started).
 */
import { test as base, expect } from '@playwright/test';
import type { HostOptions } from './app-host';
import { AppPage } from './app-page';
import { startAppProcess, type AppProcess } from './app-process';

export const test = base.extend<{ hostOptions: HostOptions; app: AppProcess; ui: AppPage }>({
  hostOptions: [{}, { option: true }],
  app: async ({ hostOptions }, use) => {
    const app = await startAppProcess(hostOptions);
    await use(app);
    await app.close();
  },
  ui: async ({ page, app }, use) => {
    // Any console error or uncaught page error fails the spec (a CSP violation logs one).
    const errors: string[] = [];
    page.on('pageerror', (e) => {
      console.log(`[pageerror] ${e.message}`);
      errors.push(`pageerror: ${e.message}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()} (${m.location().url})`);
    });
    await page.goto(app.url);
    await use(new AppPage(page));
    expect(errors, 'console errors during the spec').toEqual([]);
    // Close the page before the app process goes: its open event stream must not keep the host's server alive.
    await page.close();
  },
});

export { expect };
