#!/usr/bin/env node
// `npm test`: everything that can run on this machine — typecheck, lint, build check, unit and integration tests
// (vitest), and the end-to-end suite (Playwright, headless Chromium through the browser harness; the Electron
// spec runs only where the Electron binary exists). Ends with one line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-test-'));
const env = {
  ...process.env,
  // Nothing in a test may reach real AWS or the instance-metadata address.
  AWS_EC2_METADATA_DISABLED: 'true',
};
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function step(name, cmd, args, opts = {}) {
  const t0 = Date.now();
  console.log(`\n── ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  const ok = r.status === 0;
  console.log(`── ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (!ok) failedSteps.push(name);
  return ok;
}

const only = process.argv.slice(2);
const want = (s) => only.length === 0 || only.includes(s);

if (want('typecheck')) {
  for (const [name, config] of [['typecheck', 'tsconfig.node.json'], ['typecheck (web)', 'tsconfig.web.json'], ['typecheck (e2e)', 'tsconfig.e2e.json']]) {
    step(name, 'npx', ['tsc', '-p', config, '--noEmit']);
  }
}
if (want('lint')) step('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
if (want('build')) {
  if (step('build', 'npx', ['electron-vite', 'build'])) {
    const missing = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'].filter(
      (f) => !fs.existsSync(path.join(root, f)),
    );
    if (missing.length) {
      console.log(`── build check: FAILED, missing ${missing.join(', ')}`);
      failedSteps.push('build check');
    } else console.log('── build check: out/main, out/preload and out/renderer present');
    // Electronegativity over the built app: no high or medium finding. OPEN_EXTERNAL_JS_CHECK is a "review every
    // openExternal" reminder that fires on any non-literal argument; every call goes through openExternalSafely
    // (src/main/window/security.ts), whose https allowlist is unit-tested.
    const report = path.join(tmp, 'electronegativity.csv');
    if (step('electronegativity', 'npx', ['electronegativity', '-i', 'out', '-e', require('electron/package.json').version, '-s', 'medium', '-x', 'OpenExternalJSCheck', '-r', '-o', report])) {
      const rows = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').slice(1).filter((r) => /"(CRITICAL|HIGH|MEDIUM)"/.test(r)) : null;
      if (rows === null) {
        console.log('── electronegativity: FAILED, no report written');
        failedSteps.push('electronegativity report');
      } else if (rows.length > 0) {
        console.log(`── electronegativity: FAILED, ${rows.length} medium or high findings:\n${rows.join('\n')}`);
        failedSteps.push('electronegativity findings');
      } else console.log('── electronegativity: no medium or high finding');
    }
  }
}

// The command line as shipped (out/cli/main.mjs, plain Node; scripts/build-cli.mjs): `electron-vite build` does not
// make it, and the unit tests run bin/cloud-cleaner.mjs, which needs it.
if (want('build') || want('unit')) step('build (cli)', 'node', ['scripts/build-cli.mjs']);

if (want('unit')) {
  const report = path.join(tmp, 'vitest.json');
  step('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (fs.existsSync(report)) {
    const j = JSON.parse(fs.readFileSync(report, 'utf8'));
    totals.passed += j.numPassedTests ?? 0;
    totals.failed += j.numFailedTests ?? 0;
    totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  } else failedSteps.push('vitest report');
}

if (want('e2e') && fs.existsSync(path.join(root, 'playwright.config.ts'))) {
  const report = path.join(tmp, 'playwright.json');
  step('end-to-end tests', 'npx', ['playwright', 'test'], { env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: report } });
  if (fs.existsSync(report)) {
    const s = JSON.parse(fs.readFileSync(report, 'utf8')).stats ?? {};
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    totals.failed += s.unexpected ?? 0;
    totals.skipped += s.skipped ?? 0;
  } else failedSteps.push('playwright report');
}

fs.rmSync(tmp, { recursive: true, force: true });
if (failedSteps.length) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
