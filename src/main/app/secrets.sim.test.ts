/**
 * The secret access key of the selected profile must appear nowhere outside the SDK's signer: not in the database
 * file, not in the logs (debug level, SDK logs included), not in any IPC response or event — after a full scan,
 * an export and a cleanup dry run against the simulator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import log from 'electron-log/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { openAndMigrate } from '../db/database';
import { createRouter } from '../ipc/router';
import { configureLog, type ElectronLogLike } from '../log/configure';
import { createAppServices } from './app-services';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9SECRETcc';
const KEY_ID = 'AKIAZZTESTONLY00KEY1';

let sim: Simulator;
let dir: string;
const saved: Record<string, string | undefined> = {};
const setEnv = (k: string, v: string | undefined) => {
  if (!(k in saved)) saved[k] = process.env[k];
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
};

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-secrets-'));
  fs.writeFileSync(path.join(dir, 'config'), `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), `[sim]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);
  setEnv('AWS_CONFIG_FILE', path.join(dir, 'config'));
  setEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_PROFILE']) setEnv(k, undefined);
});

afterAll(async () => {
  await sim.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('secrets stay in the signer', () => {
  it('after a full scan, export and dry run, the secret key is in no database byte, log line or IPC message', async () => {
    const logFile = path.join(dir, 'main.log');
    log.transports.file.resolvePathFn = () => logFile;
    const { logger } = configureLog(log as unknown as ElectronLogLike, { dev: false, fileLevel: 'debug' });
    const sdkLogger = { debug: logger.debug, info: logger.info, warn: logger.warn, error: logger.error, trace: logger.debug };
    const db = await openAndMigrate({ file: path.join(dir, 'app.db') });
    const services = createAppServices({ db, logger: sdkLogger, sdkLogger });
    const router = createRouter(services, logger);
    const messages: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    router.onEvent((event, payload) => {
      messages.push(JSON.stringify({ event, payload }));
      if (event === 'scans:progress' && (payload as { status: string }).status !== 'running') done();
    });
    const call = async (channel: string, input?: unknown) => {
      const res = await router.handle(channel, input);
      messages.push(JSON.stringify(res));
      if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
      return res.value;
    };

    await call('profiles:list');
    await call('profiles:select', { profile: 'sim' });
    await call('discovery:refresh', { force: true });
    await call('scans:start', { regions: 'all' });
    await finished;
    const page = (await call('findings:list', { limit: 1000 })) as { rows: { id: number; resourceType: string }[] };
    expect(page.rows.length).toBeGreaterThan(20);
    await call('findings:facets');
    await call('services:list', { activeOnly: false });
    await call('costs:history');
    await call('export:findings', { format: 'json', filter: {} });
    await call('export:findings', { format: 'csv', filter: {} });
    const vol = page.rows.find((r) => r.resourceType === 'ec2:volume')!;
    await call('resources:get', { id: vol.id });
    const plan = (await call('cleanup:plan', { findingIds: [vol.id], snapshotVolumes: false })) as { id: string };
    await call('cleanup:dry-run', { planId: plan.id });
    await call('deletions:list');
    await call('scans:list');
    await call('accounts:current');
    await call('settings:get');
    // A failing call's error message too.
    messages.push(JSON.stringify(await router.handle('profiles:select', { profile: 'no-such-profile' })));
    logger.debug('sdk and app logs flushed');
    await db.close();

    const files = fs.readdirSync(dir).filter((f) => f.startsWith('app.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.readFileSync(path.join(dir, f)).includes(Buffer.from(SECRET)), f).toBe(false);
    const logText = fs.readFileSync(logFile, 'utf8');
    expect(logText.length).toBeGreaterThan(1000); // the SDK and the app did log, at debug level
    expect(logText).not.toContain(SECRET);
    expect(logText).not.toContain(KEY_ID); // key ids are masked too
    const all = messages.join('\n');
    expect(all.length).toBeGreaterThan(10_000);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(KEY_ID);
  });
});
