/**
 * Savings realised against the simulator's sample account: a cleanup (an io2 volume and an Elastic IP), days pass on
 * the simulated clock, the costs are refreshed (real Cost Explorer requests, counted), and the savings repo finds the
 * bill lower by what the plan expected, from the day after the cleanup.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { ceClient } from '../../../e2e/aws-sim/test-clients';
import { clearCredentialCache } from '../aws/credentials';
import type { DbHandle } from '../db/connection';
import { openMemoryDatabase } from '../db/database';
import { discover } from '../discovery/discovery';
import { coverageOf } from '../handlers/registry';
import { builtinRegistry } from './account-session';
import { createAppServices } from './app-services';
import { until } from '../test-support/poll';

const DAY = 86_400_000;
let sim: Simulator;
let dir: string;
let db: DbHandle;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-savings-'));
  fs.writeFileSync(path.join(dir, 'config'), `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), '[sim]\naws_access_key_id = AKIDSIMTEST\naws_secret_access_key = sim-secret\n');
  const env: Record<string, string | undefined> = { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
  for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) env[k] = undefined;
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  clearCredentialCache();
  db = await openMemoryDatabase();
});
afterAll(async () => {
  await db.close();
  await sim.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  clearCredentialCache();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('savings realised on the sample account', () => {
  it('a cleanup shows in the refreshed bill from the next day: confirmed, and the Cost Explorer requests counted', async () => {
    const app = createAppServices({ db });
    const session = await app.profilesSelect({ profile: 'sim' });
    const accountId = session.account.id;
    await app.discoveryRefresh({ force: true }); // the 30 days before the cleanup
    expect(await app.savingsRealised(undefined)).toMatchObject({ since: null, cleanups: [], measurements: [] });

    const { scanId } = await app.scansStart({ regions: ['us-east-1'] });
    await until(async () => ((await app.scansGet({ scanId })).status === 'running' ? undefined : true));
    const rows = (await app.findingsList({ limit: 500, offset: 0 })).rows;
    const pick = ['vol-0a100000000000012', 'eipalloc-0a100000000000003'].map((id) => rows.find((r) => r.resourceId === id));
    expect(pick.every((r) => r !== undefined)).toBe(true);
    const plan = await app.cleanupPlan({ findingIds: pick.map((r) => r!.id), snapshotVolumes: false });
    expect(plan.totalMonthlySavings).toBeCloseTo(1048 + 3.65, 2); // io2 64 GiB × $0.125 + 16,000 IOPS × $0.065; one IPv4 address
    await app.cleanupDryRun({ planId: plan.id });
    const run = await app.cleanupExecute({ planId: plan.id, confirmAccountId: accountId });
    expect(run.status).toBe('completed');

    // Right after: nothing in the bill yet.
    let r = await app.savingsRealised(undefined);
    expect(r.cleanups).toMatchObject([{ planId: plan.id, doneCount: 2, expectedMonthly: 1051.65, unknownCount: 0, serviceCodes: ['AmazonEC2Other', 'AmazonVPC'] }]);
    expect(r.measurements.map((m) => [m.serviceCode, m.verdict])).toEqual([
      ['AmazonEC2Other', 'waiting'],
      ['AmazonVPC', 'waiting'],
    ]);

    // Eight days later the user refreshes the costs: paid requests, stored and counted. The app's services take
    // their "today" from the wall clock, so the refresh is the same discovery run with the simulated clock passed in.
    const now = sim.state.advanceClock(9 * DAY);
    const before = (await app.costsCeUsage(undefined)).total;
    sim.resetCounts();
    const ce = ceClient(sim.endpoint);
    const refreshed = await discover({ db, ce: () => ce, accountId, coverage: coverageOf(builtinRegistry()), now }, { force: true }).finally(() => ce.destroy());
    expect(refreshed.status).toBe('succeeded');
    expect(sim.counts().byOperation['ce:GetCostAndUsage']).toBe(refreshed.requests);
    expect((await app.costsCeUsage(undefined)).total).toBe(before + refreshed.requests);

    r = await app.savingsRealised(undefined);
    const cleanupDay = r.measurements[0]?.cleanupDay ?? '';
    const nextDay = new Date(Date.parse(`${cleanupDay}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const ebs = r.measurements.find((m) => m.serviceCode === 'AmazonEC2Other');
    expect(ebs).toMatchObject({ verdict: 'confirmed', expectedMonthly: 1048, after: { from: nextDay, days: 7, estimatedDays: 1 }, before: { days: 7 } });
    // The bill's drop is the volume's price to the cent (the simulator's last week repeats, less the volume).
    expect(ebs?.observedMonthly).toBeCloseTo(1048, 1);
    expect(r.measurements.find((m) => m.serviceCode === 'AmazonVPC')).toMatchObject({ verdict: 'confirmed', expectedMonthly: 3.65 });
    expect(r).toMatchObject({ expectedMonthly: 1051.65, confirmedExpectedMonthly: 1051.65, confirmedFrom: nextDay });
  });
});
