/**
 * `npm run demo`: try the app without an AWS account. Starts the local AWS simulator with its sample account,
 * writes an AWS config with a profile `cloud-cleaner-sim` pointed at it (endpoint_url + static test keys), then
 * opens the app: Electron where its binary is installed, else the browser harness (printing the URL to open).
 *   npm run demo [-- --browser] [-- --port N]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices } from '../../src/main/app/app-services';
import { openAndMigrate } from '../../src/main/db/database';
import { redactLogArgs } from '../../src/main/log/redact';
import { startSimulator } from '../aws-sim/index';
import { startHarness } from './server';

const root = path.resolve(__dirname, '../..');

function electronBinaryPresent(): boolean {
  const pathTxt = path.join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathTxt)) return false;
  return existsSync(path.join(root, 'node_modules/electron/dist', readFileSync(pathTxt, 'utf8').trim()));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { browser: { type: 'boolean' }, port: { type: 'string' } } });
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const sim = await startSimulator();
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-demo-'));
  writeFileSync(
    path.join(dir, 'config'),
    `[profile cloud-cleaner-sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n\n[profile cloud-cleaner-sim-eu]\nregion = eu-west-1\nendpoint_url = ${sim.endpoint}\n`,
  );
  writeFileSync(
    path.join(dir, 'credentials'),
    '[cloud-cleaner-sim]\naws_access_key_id = AKIDDEMO\naws_secret_access_key = demo-secret-not-real\n\n' +
      '[cloud-cleaner-sim-eu]\naws_access_key_id = AKIDDEMO\naws_secret_access_key = demo-secret-not-real\n',
  );
  const env = {
    ...process.env,
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_PROFILE: 'cloud-cleaner-sim',
  };
  Object.assign(process.env, env);
  console.log(`AWS simulator (sample account ${sim.state.accountId}) at ${sim.endpoint}; profile cloud-cleaner-sim in ${dir}/config`);

  const cleanup = async (): Promise<void> => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  };

  if (!values.browser && electronBinaryPresent()) {
    // A separate userData folder, so the demo never mixes with a real account's data.
    const child = spawn('npm', ['run', 'dev', '--', '--', `--user-data-dir=${path.join(dir, 'user-data')}`], { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (code) => void cleanup().then(() => process.exit(code ?? 0)));
    return;
  }
  if (!values.browser) console.log('Electron binary not installed here: opening the app in the browser harness instead.');
  if (!existsSync(path.join(root, 'out/renderer/index.html'))) {
    const b = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('electron-vite build failed');
  }
  const db = await openAndMigrate({ file: path.join(dir, 'cloud-cleaner.db') });
  const log = (level: 'log' | 'warn' | 'error') => (...args: unknown[]) => console[level](...redactLogArgs(args));
  const logger = { debug: () => undefined, info: () => undefined, warn: log('warn'), error: log('error') };
  const services = createAppServices({ db, appInfo: { version: 'demo', logFile: '(demo: console)' }, logger });
  const harness = await startHarness({
    services,
    rendererDir: path.join(root, 'out/renderer'),
    port: values.port ? Number(values.port) : 0,
    logger,
  });
  console.log(`Open Cloud Cleaner: ${harness.url}`);
  const stop = async (): Promise<void> => {
    await harness.close();
    await db.close();
    await cleanup();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
