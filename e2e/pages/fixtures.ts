/** TEST-ONLY Playwright fixtures: Debian's Chromium, one app process per test, the page object. */
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
    page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
    await page.goto(app.url);
    await use(new AppPage(page));
  },
});

// No browser downloads here: Debian's Chromium (playwright.config may set the same).
test.use({ launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' } });

export { expect };
