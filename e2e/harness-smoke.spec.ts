/**
 * The built renderer in Chromium through the browser harness, over the real router and real services (in-memory
 * database, fixture AWS config — no AWS call is made).
 */
import http from 'node:http';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { DiscoveryResultDto } from '../src/shared/dto/services';
import type { CloudCleanerApi } from '../src/shared/ipc/contract';
import { createAppServices } from '../src/main/app/app-services';
import type { DbHandle } from '../src/main/db/connection';
import { openMemoryDatabase } from '../src/main/db/database';
import type { AppServices } from '../src/main/ipc/app-services';
import { startHarness, type Harness } from './harness/server';

type Api = { cloudCleaner: CloudCleanerApi };

const root = path.resolve(__dirname, '..');
let harness: Harness;
let db: DbHandle;
let services: AppServices;
const savedEnv = { ...process.env };

test.beforeAll(async () => {
  Object.assign(process.env, {
    AWS_CONFIG_FILE: path.join(__dirname, 'harness/fixtures/aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(__dirname, 'harness/fixtures/aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[k];
  db = await openMemoryDatabase();
  const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  services = createAppServices({ db, appInfo: { version: 'harness', logFile: '(none)' }, logger: quiet });
  harness = await startHarness({ services, rendererDir: path.join(root, 'out/renderer'), logger: { error: () => undefined } });
});

test.afterAll(async () => {
  await harness?.close();
  await db?.close();
  process.env = savedEnv;
});

test('the built renderer loads and window.cloudCleaner lists the fixture profiles', async ({ page }) => {
  const response = await page.goto(harness.url);
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Cloud Cleaner');
  const list = await page.evaluate(() => (globalThis as unknown as Api).cloudCleaner.profiles.list());
  expect(list.profiles.map((p) => p.name).sort()).toEqual(['default', 'harness-dev', 'harness-sso', 'harness-static']);
  expect(list.profiles.find((p) => p.name === 'harness-sso')?.kind).toBe('sso');
  expect(JSON.stringify(list)).not.toContain('harness-fake-secret');
  expect(list.problems).toEqual([]);
});

test('the page is served with the app CSP and a nonce, and the renderer starts without CSP violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    // (The Node tsconfig has no DOM lib: the event is typed by hand.)
    type Violation = { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number };
    const doc = (globalThis as unknown as { document: { addEventListener(t: string, cb: (e: Violation) => void): void } }).document;
    doc.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
  });
  const response = await page.goto(harness.url);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/^default-src 'none'; script-src 'self';/);
  expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
  const nonce = await page.locator('meta[name="csp-nonce"]').getAttribute('content');
  expect(nonce).toBeTruthy();
  expect(csp).toContain(`'nonce-${nonce}'`);
  // React rendered something into #root.
  await expect(page.locator('#root > *').first()).toBeAttached();
  await page.waitForTimeout(500);
  expect(violations).toEqual([]);
});

test('errors keep their code across the bridge; events arrive over SSE; the API is not writable', async ({ page }) => {
  await page.goto(harness.url);
  const err = await page.evaluate(async () => {
    try {
      await (globalThis as unknown as Api).cloudCleaner.findings.list({ limit: 5000 });
      return null;
    } catch (e) {
      const r = e as { code?: string; message?: string };
      return { code: r.code, message: r.message };
    }
  });
  expect(err).toEqual({ code: 'validation', message: expect.stringContaining('limit') });

  const received = page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const off = (globalThis as unknown as Api).cloudCleaner.discovery.onDone((p) => {
          off();
          resolve(p);
        });
      }),
  );
  // The subscription opens the SSE stream; emit until the page has it (the stream connects asynchronously).
  const payload = { scanId: 42, status: 'cached', fromCache: true, requests: 0, services: [], totalCost: 0, totalCostText: '0', period: { start: '2026-01-01', end: '2026-01-31' } } as DiscoveryResultDto;
  const timer = setInterval(() => services.events.emit('discovery:done', payload), 100);
  try {
    expect(await received).toEqual(payload);
  } finally {
    clearInterval(timer);
  }

  const overwritten = await page.evaluate(() => {
    try {
      (globalThis as unknown as { cloudCleaner: unknown }).cloudCleaner = {};
    } catch {
      // strict-mode assignment to a read-only property throws; sloppy mode ignores it
    }
    return typeof (globalThis as unknown as Api).cloudCleaner.scans.start;
  });
  expect(overwritten).toBe('function');
});

test('the RPC endpoint refuses calls without the token and from a foreign Host', async ({ request }) => {
  const noToken = await request.post(`${harness.url}rpc/profiles:list`, { data: {} });
  expect(noToken.status()).toBe(403);
  const badHost = await request.post(`${harness.url}rpc/profiles:list`, {
    data: {},
    headers: { 'x-harness-token': harness.token, host: 'evil.example:80' },
  });
  expect(badHost.status()).toBe(421);
  const ok = await request.post(`${harness.url}rpc/profiles:list`, { data: {}, headers: { 'x-harness-token': harness.token } });
  expect(await ok.json()).toMatchObject({ ok: true });
});

test('static files never leave the renderer directory, even with raw encoded traversal', async () => {
  // node:http sends the path as written (a browser or Playwright's request would normalize %2e%2e away first).
  const rawGet = (p: string) =>
    new Promise<number>((resolve, reject) => {
      const u = new URL(harness.url);
      http.get({ host: u.hostname, port: u.port, path: p }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
  expect(await rawGet('/%2e%2e/package.json')).toBe(400);
  expect(await rawGet('/..%2fpackage.json')).toBe(400);
  expect(await rawGet('/assets/..%5c..%5cpackage.json')).toBe(400);
  expect(await rawGet('/index.html%00.js')).toBe(400);
  expect(await rawGet('/index.html')).toBe(200);
});
