/**
 * The session guards of the app's services, against the simulator: the account is asked again before a scan starts
 * and before a plan executes; a profile switch waits for cleanups; an MFA prompt ends (timeout, window reload) and
 * the next attempt works; two quick scans:start calls start one scan.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { AppError } from '../../shared/errors';
import { clearCredentialCache } from '../aws/credentials';
import { ACCOUNT_CHANGED } from '../aws/identity';
import type { DbHandle } from '../db/connection';
import { openMemoryDatabase } from '../db/database';
import { insertPlan } from '../db/repos/cleanup-plans';
import { createAppServices, type AppServicesDeps } from './app-services';

const OTHER_ACCOUNT = '999988887777';
const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/tester';
let sim: Simulator;
let dir: string;
let db: DbHandle;
const saved: Record<string, string | undefined> = {};
const setEnv = (k: string, v: string | undefined): void => {
  if (!(k in saved)) saved[k] = process.env[k];
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
};

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-services-'));
  const at = `region = us-east-1\nendpoint_url = ${sim.endpoint}\n`;
  fs.writeFileSync(
    path.join(dir, 'config'),
    `[profile sim]\n${at}\n[profile moving]\n${at}\n[profile held]\n${at}\n` +
      `[profile mfa]\nrole_arn = arn:aws:iam::${sim.state.accountId}:role/cleanup\nsource_profile = sim\nmfa_serial = ${MFA_SERIAL}\n${at}`,
  );
  fs.writeFileSync(path.join(dir, 'credentials'), '[sim]\naws_access_key_id = AKIDSIMTEST\naws_secret_access_key = sim-secret\n');
  setEnv('AWS_CONFIG_FILE', path.join(dir, 'config'));
  setEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  setEnv('AWS_EC2_METADATA_DISABLED', 'true');
  for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) {
    setEnv(k, undefined);
  }
});
afterAll(async () => {
  await sim.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  db = await openMemoryDatabase();
  sim.setFaults({});
  clearCredentialCache();
});
afterEach(async () => {
  sim.setFaults({});
  clearCredentialCache();
  await db.close();
});

const services = (over: Partial<AppServicesDeps> = {}) => createAppServices({ db, ...over });
const errorOf = (p: Promise<unknown>): Promise<AppError> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as AppError,
  );
const count = (table: 'scans' | 'deletions'): number =>
  (db.sqlite.prepare(table === 'scans' ? `SELECT COUNT(*) AS n FROM scans WHERE kind = 'resources'` : `SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

/**
 * "held": a profile whose credentials the test can hold back — every request asks the provider (the credentials
 * expire within the SDK's refresh window), and while `hold` is set the provider waits for it: a cleanup using this
 * profile stays mid-flight until the test lets it go.
 */
let hold: Promise<void> | null = null;
let release: () => void = () => undefined;
function holdCredentials(): void {
  hold = new Promise<void>((r) => (release = () => {
    hold = null;
    r();
  }));
}
const held = () =>
  services({
    credentialsFor: (p) =>
      p === 'held'
        ? async () => {
            await hold;
            return { accessKeyId: 'AKIDSIMTEST', secretAccessKey: 'sim-secret', expiration: new Date(Date.now() + 60_000) };
          }
        : undefined,
  });

async function emptyPlan(id: string): Promise<void> {
  // A plan that has just passed its dry run (execute acts only on what a fresh dry run cleared).
  const now = new Date().toISOString();
  await insertPlan(db.db, { id, accountId: sim.state.accountId, createdAt: now, items: [], refused: [], monthlySavings: 0, options: { snapshotVolumes: false, lastDryRun: { at: now, passed: [] } } });
}

describe('the account is asked again before acting', () => {
  // "moving": a profile whose credentials are re-read on every request (they expire within the SDK's refresh
  // window), as an expiring role or credential_process profile is once its file points at another account.
  let keys: AwsCredentialIdentity;
  const own = { accessKeyId: 'AKIDSIMTEST', secretAccessKey: 'sim-secret' };
  const elsewhere = { accessKeyId: 'ASIAOTHERACCOUNT01', secretAccessKey: 'other-secret', sessionToken: 'other-token' };
  const moving = () => services({ credentialsFor: (p) => (p === 'moving' ? async () => ({ ...keys, expiration: new Date(Date.now() + 60_000) }) : undefined) });
  beforeAll(() => {
    sim.state.sessions.set(elsewhere.accessKeyId, {
      ...elsewhere,
      expiration: new Date(Date.now() + 3_600_000),
      accountId: OTHER_ACCOUNT,
      arn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/admin/repointed`,
      userId: 'AROAOTHER:repointed',
      roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/admin`,
    });
  });
  beforeEach(() => {
    keys = own;
  });

  it('a scan does not start when the profile now signs in to another account, and nothing is written', async () => {
    const app = moving();
    expect((await app.profilesSelect({ profile: 'moving' })).account.id).toBe(sim.state.accountId);
    const scansBefore = count('scans');
    keys = elsewhere; // the profile was repointed mid-session

    const err = await errorOf(app.scansStart({ regions: ['us-east-1'] }));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'aws.account_changed', details: { reason: ACCOUNT_CHANGED, expectedAccountId: sim.state.accountId, actualAccountId: OTHER_ACCOUNT } });
    expect(err.message).toContain(sim.state.accountId);
    expect(err.message).toContain(OTHER_ACCOUNT);
    expect(count('scans')).toBe(scansBefore);
    expect(db.sqlite.prepare('SELECT id FROM accounts').all()).toEqual([{ id: sim.state.accountId }]);

    // Back on the selected account, the same call starts the scan (the check refuses only a change).
    keys = own;
    const { scanId } = await app.scansStart({ regions: ['us-east-1'] });
    await app.scansCancel({ scanId });
  });

  it('a plan does not execute when the profile now signs in to another account; a dry run is not asked', async () => {
    const app = moving();
    await app.profilesSelect({ profile: 'moving' });
    await emptyPlan('plan-moved');
    keys = elsewhere;
    const stsBefore = sim.counts().byOperation['sts:GetCallerIdentity'] ?? 0;

    const err = await errorOf(app.cleanupExecute({ planId: 'plan-moved', confirmAccountId: sim.state.accountId }));
    expect(err).toMatchObject({ code: 'aws.account_changed', details: { reason: ACCOUNT_CHANGED, actualAccountId: OTHER_ACCOUNT } });
    expect(err.message).toMatch(new RegExp(`${OTHER_ACCOUNT}.*${sim.state.accountId}`));
    expect(sim.counts().byOperation['sts:GetCallerIdentity']).toBe(stsBefore + 1);
    const plan = db.sqlite.prepare(`SELECT status FROM cleanup_plans WHERE id = 'plan-moved'`).get();
    expect(plan).toEqual({ status: 'planned' });
    expect(count('deletions')).toBe(0);

    keys = own;
    await emptyPlan('plan-dry');
    await app.cleanupDryRun({ planId: 'plan-dry' });
    expect(sim.counts().byOperation['sts:GetCallerIdentity']).toBe(stsBefore + 1); // execute only
    await expect(app.cleanupExecute({ planId: 'plan-moved', confirmAccountId: sim.state.accountId })).resolves.toBeDefined();
    expect(db.sqlite.prepare(`SELECT status FROM cleanup_plans WHERE id = 'plan-moved'`).get()).not.toEqual({ status: 'planned' });
  });
});

describe('a profile switch waits for cleanups', () => {
  afterEach(() => release());

  it('is refused while a cleanup runs (its clients stay), and allowed after it ends', async () => {
    const app = held();
    await app.profilesSelect({ profile: 'held' });
    await emptyPlan('plan-busy');
    holdCredentials(); // the cleanup is mid-flight (its account check waits for credentials)
    const running = app.cleanupExecute({ planId: 'plan-busy', confirmAccountId: sim.state.accountId });

    const err = await errorOf(app.profilesSelect({ profile: 'sim' }));
    expect(err).toMatchObject({ code: 'conflict', details: { reason: 'cleanup_running', plans: ['plan-busy'] } });
    expect(err.message).toMatch(/^A cleanup is running/);
    expect((await app.accountsCurrent(undefined))?.profile).toBe('held');

    release();
    await expect(running).resolves.toBeDefined(); // its session was not closed under it
    await expect(app.profilesSelect({ profile: 'sim' })).resolves.toMatchObject({ profile: 'sim' });
  });

  it('a cleanup started while the new profile waited for its MFA code keeps the current session', async () => {
    const app = held();
    await app.profilesSelect({ profile: 'held' });
    const before = await app.accountsCurrent(undefined);
    await emptyPlan('plan-meanwhile');
    let requestId = '';
    app.events.on((event, payload) => {
      if (event === 'auth:mfa-request') requestId = (payload as { requestId: string }).requestId;
    });
    const switching = app.profilesSelect({ profile: 'mfa' });
    await until(() => requestId !== '');
    holdCredentials();
    const running = app.cleanupExecute({ planId: 'plan-meanwhile', confirmAccountId: sim.state.accountId });
    await app.authMfaAnswer({ requestId, code: sim.state.mfaCode });

    await expect(switching).rejects.toMatchObject({ code: 'conflict', details: { reason: 'cleanup_running' } });
    release();
    await expect(running).resolves.toBeDefined();
    expect(await app.accountsCurrent(undefined)).toEqual(before);
  });
});

describe('an MFA prompt ends', () => {
  it('times out when nobody answers, and the next attempt prompts again and works', async () => {
    const app = services({ mfaTimeoutMs: 150 });
    const requests: string[] = [];
    app.events.on((event, payload) => {
      if (event === 'auth:mfa-request') requests.push((payload as { requestId: string }).requestId);
    });
    const started = Date.now();
    const err = await errorOf(app.profilesSelect({ profile: 'mfa' }));
    expect(err).toMatchObject({ code: 'aws.mfa_cancelled', details: { reason: 'timeout' } });
    expect(err.message).toContain('No MFA code was entered for profile "mfa"');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(requests).toHaveLength(1);
    // The late answer finds nothing waiting.
    await expect(app.authMfaAnswer({ requestId: requests[0]!, code: '123456' })).rejects.toMatchObject({ code: 'not_found' });

    const again = app.profilesSelect({ profile: 'mfa' });
    await until(() => requests.length === 2);
    await app.authMfaAnswer({ requestId: requests[1]!, code: sim.state.mfaCode });
    await expect(again).resolves.toMatchObject({ profile: 'mfa', account: { id: sim.state.accountId } });
  });

  it('fails at once when the window reloads, and the next attempt works', async () => {
    const app = services(); // the default 5-minute timeout: only the reload can end this prompt in time
    const requests: string[] = [];
    app.events.on((event, payload) => {
      if (event === 'auth:mfa-request') requests.push((payload as { requestId: string }).requestId);
    });
    const first = app.profilesSelect({ profile: 'mfa' });
    await until(() => requests.length === 1);
    app.rendererReloaded();
    await expect(first).rejects.toMatchObject({ code: 'aws.mfa_cancelled', details: { reason: 'renderer_reloaded' } });

    const again = app.profilesSelect({ profile: 'mfa' });
    await until(() => requests.length === 2);
    await app.authMfaAnswer({ requestId: requests[1]!, code: sim.state.mfaCode });
    await expect(again).resolves.toMatchObject({ profile: 'mfa' });
  });
});

describe('scans:start', () => {
  it('two quick calls start one scan: the second gets conflict', async () => {
    const app = services();
    await app.profilesSelect({ profile: 'sim' });
    const scansBefore = count('scans');
    const first = app.scansStart({ regions: ['us-east-1'] });
    const second = app.scansStart({ regions: ['us-east-1'] });
    await expect(second).rejects.toMatchObject({ code: 'conflict', message: 'A scan is already running.' });
    const { scanId } = await first;
    await app.scansCancel({ scanId });
    expect(count('scans')).toBe(scansBefore + 1);
    // Once it has ended, a new one may start.
    const next = await app.scansStart({ regions: ['us-east-1'] });
    await app.scansCancel(next);
  });
});

it('logs why a scan wrote its findings on the main thread, not the writer thread (here: an in-memory database)', async () => {
  const warnings: string[] = [];
  // An in-memory database: expected, so logged at info (a file database's fallback is a warning).
  const logger = { debug() {}, info: (m: unknown) => void warnings.push(String(m)), warn() {}, error() {} };
  const app = services({ logger });
  await app.profilesSelect({ profile: 'sim' });
  const { scanId } = await app.scansStart({ regions: ['us-east-1'] });
  await until(() => warnings.length > 0);
  expect(warnings).toEqual([`Scan ${scanId}: its findings were written on the main thread, not the writer thread: an in-memory or read-only database cannot be shared with a worker`]);
  await app.scansCancel({ scanId }).catch(() => undefined);
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
