/**
 * Many accounts through the app's services, against the simulator's sample organization (management account
 * 123456789012 with Production and Staging reachable, Data Platform without the role, Security behind an MFA role, a
 * suspended account): listing, a scan of every account from one profile, each account's findings kept under its own
 * id, the organization-level Cost Explorer request made once for all, the roll-up, and viewing a member account.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_ORGANIZATION, startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import type { OrgScanProgressEvent } from '../../shared/dto/org';
import type { DbHandle } from '../db/connection';
import { openMemoryDatabase } from '../db/database';
import { getCeRequestStats } from '../db/repos/ce-requests';
import { listFindings } from '../db/repos/resources';
import { until } from '../test-support/poll';
import { useProfileFiles, type ProfileEnv } from '../test-support/profile-env';
import { createAppServices } from './app-services';

const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/tester';
const member = (access: string) => SAMPLE_ORGANIZATION.members.find((m) => m.access === access)!;
const reachable = SAMPLE_ORGANIZATION.members.filter((m) => m.access === 'ok');
const REGIONS = ['us-east-1', 'eu-west-1'];

let sim: Simulator;
let env: ProfileEnv;
let db: DbHandle;

beforeAll(async () => {
  sim = await startSimulator();
  const at = `region = us-east-1\nendpoint_url = ${sim.endpoint}\n`;
  const keys = 'aws_access_key_id = AKIDSIMTEST\naws_secret_access_key = sim-secret\n';
  env = useProfileFiles({
    config:
      `[profile org]\n${at}\n[profile org-mfa]\nmfa_serial = ${MFA_SERIAL}\n${at}\n` +
      `[profile org-admin]\nrole_arn = arn:aws:iam::${SAMPLE_ORGANIZATION.managementAccountId}:role/cleanup\nsource_profile = org\nmfa_serial = ${MFA_SERIAL}\n${at}`,
    credentials: `[org]\n${keys}[org-mfa]\n${keys}`,
  });
});
afterAll(async () => {
  await sim.close();
  env.restore();
});
beforeEach(async () => {
  db = await openMemoryDatabase();
  sim.resetCounts();
});
afterEach(async () => {
  await db.close();
});

/** Starts a many-account scan and collects its progress until every account's final event arrived. */
async function scanAll(svc: ReturnType<typeof createAppServices>, accountIds?: string[]): Promise<Map<string, OrgScanProgressEvent>> {
  const final = new Map<string, OrgScanProgressEvent>();
  const seen: OrgScanProgressEvent[] = [];
  const off = svc.events.on((event, payload) => {
    if (event !== 'org:progress') return;
    const e = payload as OrgScanProgressEvent;
    seen.push(e);
    if (e.done) final.set(e.accountId, e);
  });
  try {
    await svc.orgScanStart({ regions: REGIONS, ...(accountIds ? { accountIds } : {}) });
    const expected = accountIds?.length ?? (await svc.orgAccounts(undefined)).accounts.length;
    await until(async () => (final.size === expected ? true : undefined), 60_000);
    // Progress came per account as it went, not only at the end.
    for (const id of final.keys()) expect(seen.filter((e) => e.accountId === id && !e.done).length).toBeGreaterThan(0);
    return final;
  } finally {
    off();
  }
}

describe('many accounts from one profile (issue #20)', () => {
  it('lists the ACTIVE accounts of the organization, paged, and scans them all: each account under its own id, failures per account', async () => {
    const svc = createAppServices({ db });
    await svc.profilesSelect({ profile: 'org' });
    const listed = await svc.orgRefresh(undefined);
    expect(listed.listError).toBeNull();
    expect(listed.homeAccountId).toBe(SAMPLE_ORGANIZATION.managementAccountId);
    const active = SAMPLE_ORGANIZATION.members.filter((m) => m.status === 'ACTIVE');
    expect(listed.accounts.map((a) => a.accountId).sort()).toEqual([SAMPLE_ORGANIZATION.managementAccountId, ...active.map((m) => m.accountId)].sort());
    expect(listed.accounts[0]).toMatchObject({ source: 'home', roleName: null });
    for (const a of listed.accounts.slice(1)) expect(a).toMatchObject({ source: 'organization', roleName: 'OrganizationAccountAccessRole' });
    expect(sim.counts().byOperation['organizations:ListAccounts']).toBeGreaterThanOrEqual(1);

    const final = await scanAll(svc);
    expect(final.get(SAMPLE_ORGANIZATION.managementAccountId)?.status).toBe('succeeded');
    for (const m of reachable) expect(final.get(m.accountId)).toMatchObject({ status: 'succeeded', error: null });

    // The account without the role: its own failure, naming the role and the account; the rest went on.
    const missing = member('missing-role');
    const failed = final.get(missing.accountId)!;
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('aws.access_denied');
    expect(failed.error?.message).toContain(`role OrganizationAccountAccessRole in account ${missing.accountId}`);
    expect(failed.error?.message).toContain('sts:AssumeRole');
    // The MFA role, from a profile that names no MFA device: AWS only says AccessDenied; the message says what to try.
    const mfa = final.get(member('mfa').accountId)!;
    expect(mfa).toMatchObject({ status: 'failed', error: { code: 'aws.access_denied' } });
    expect(mfa.error?.message).toContain('add mfa_serial (your MFA device) to profile "org"');

    // Findings kept apart: each reachable member's findings are exactly what the simulator says is unused there.
    const all = new Map<string, string[]>();
    for (const m of reachable) {
      const page = await listFindings(db.db, { accountId: m.accountId, limit: 1000, offset: 0 });
      const found = page.rows.map((r) => r.resourceId).sort();
      const expected = sim.unusedOf(m.accountId).filter((u) => REGIONS.includes(u.region)).map((u) => u.id).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(found).toEqual(expected);
      all.set(m.accountId, found);
    }
    const [a, b] = [...all.values()];
    expect(a!.filter((id) => b!.includes(id))).toEqual([]);

    // The account list shows each account's last scan and the failure to reach the ones that failed.
    const after = await svc.orgAccounts(undefined);
    expect(after.accounts.find((x) => x.accountId === missing.accountId)?.lastError?.message).toContain('OrganizationAccountAccessRole');
    for (const m of reachable) expect(after.accounts.find((x) => x.accountId === m.accountId)?.lastScan?.status).toBe('succeeded');

    // The roll-up is the sum of the accounts' own figures.
    const roll = await svc.orgRollup(undefined);
    expect(roll.total.findings).toBe(roll.accounts.reduce((n, r) => n + r.findings, 0));
    expect(roll.total.monthlySavings).toBeCloseTo(roll.accounts.reduce((n, r) => n + r.monthlySavings, 0), 6);
    expect(roll.accounts.find((r) => r.accountId === reachable[0]!.accountId)?.findings).toBe(all.get(reachable[0]!.accountId)!.length);
    expect(roll.byKind.reduce((n, k) => n + k.findings, 0)).toBe(roll.total.findings);
    expect(roll.top.length).toBeGreaterThan(0);
  }, 120_000);

  it('costs come from ONE organization-level Cost Explorer request, made and counted by the home account', async () => {
    const svc = createAppServices({ db });
    await svc.profilesSelect({ profile: 'org' });
    await svc.orgRefresh(undefined);
    sim.resetCounts();
    const targets = [SAMPLE_ORGANIZATION.managementAccountId, ...reachable.map((m) => m.accountId)];
    await scanAll(svc, targets);
    const byAccount = sim.countsByAccount();
    const ceCalls = (id: string) => byAccount[id]?.byOperation['ce:GetCostAndUsage'] ?? 0;
    expect(ceCalls(SAMPLE_ORGANIZATION.managementAccountId)).toBe(1);
    for (const m of reachable) expect(ceCalls(m.accountId)).toBe(0);
    // Stored and shown: on the home account's counter.
    const counted = await getCeRequestStats(db.db, SAMPLE_ORGANIZATION.managementAccountId);
    expect(counted.total).toBe(1);
    // Each member's services came from it (its own costs, not the organization's).
    for (const m of reachable) {
      await svc.orgView({ accountId: m.accountId });
      const services = await svc.servicesList({ activeOnly: true });
      expect(services.services.length).toBeGreaterThan(0);
      const ownTotal = sim.account(m.accountId)!.costs.reduce((n, c) => n + Number(c.amount), 0);
      expect(services.totalCost).toBeLessThanOrEqual(ownTotal + 0.01);
    }
  }, 120_000);

  it('three member accounts from one profile (one behind an MFA role, its code from the prompt): each one\'s findings exactly its own', async () => {
    const svc = createAppServices({ db });
    let prompts = 0;
    const off = svc.events.on((event, payload) => {
      if (event !== 'auth:mfa-request') return;
      prompts++;
      void svc.authMfaAnswer({ requestId: (payload as { requestId: string }).requestId, code: sim.state.mfaCode });
    });
    try {
      await svc.profilesSelect({ profile: 'org-mfa' });
      await svc.orgRefresh(undefined);
      const security = member('mfa');
      const three = [...reachable, security];
      expect(three).toHaveLength(3);
      const final = await scanAll(svc, three.map((m) => m.accountId));
      for (const m of three) expect(final.get(m.accountId)).toMatchObject({ status: 'succeeded', error: null });
      // Only the MFA role asked for a code, once; it was sent with the profile's device.
      expect(prompts).toBe(1);
      const ask = sim.state.assumeRoleRequests.filter((r) => r.roleArn?.includes(security.accountId) && r.outcome === 'ok');
      expect(ask.at(-1)).toMatchObject({ serialNumber: MFA_SERIAL, tokenCode: sim.state.mfaCode });
      // Kept apart: each account's findings are exactly what the simulator holds unused there, no id in two accounts.
      const seen = new Set<string>();
      for (const m of three) {
        const rows = (await listFindings(db.db, { accountId: m.accountId, limit: 1000, offset: 0 })).rows.map((r) => r.resourceId).sort();
        const want = sim.unusedOf(m.accountId).filter((u) => REGIONS.includes(u.region)).map((u) => u.id).sort();
        expect(want.length).toBeGreaterThan(0);
        expect(rows).toEqual(want);
        for (const id of rows) {
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        }
      }
    } finally {
      off();
    }
  }, 60_000);

  it('a home profile that is itself an MFA-protected role: one code for the profile, then every member through it', async () => {
    const svc = createAppServices({ db });
    const before = sim.state.assumeRoleRequests.length;
    let prompts = 0;
    const off = svc.events.on((event, payload) => {
      if (event !== 'auth:mfa-request') return;
      prompts++;
      void svc.authMfaAnswer({ requestId: (payload as { requestId: string }).requestId, code: sim.state.mfaCode });
    });
    try {
      const session = await svc.profilesSelect({ profile: 'org-admin' });
      expect(session.identity.arn).toContain(':assumed-role/cleanup/');
      await svc.orgRefresh(undefined);
      const final = await scanAll(svc, reachable.map((m) => m.accountId));
      for (const m of reachable) expect(final.get(m.accountId)).toMatchObject({ status: 'succeeded', error: null });
      // The members' roles were assumed from the profile's (assumed-role) session: no second MFA code.
      expect(prompts).toBe(1);
      const chained = sim.state.assumeRoleRequests.slice(before).filter((r) => reachable.some((m) => r.roleArn?.includes(m.accountId)) && r.outcome === 'ok');
      expect(chained.length).toBeGreaterThanOrEqual(reachable.length);
      for (const r of chained) expect(r.callerArn).toContain(':assumed-role/cleanup/');
    } finally {
      off();
    }
  }, 60_000);

  it('viewing a member switches every page to it; the home account comes back; a role that cannot be assumed leaves the view as it was', async () => {
    const svc = createAppServices({ db });
    await svc.profilesSelect({ profile: 'org' });
    await svc.orgRefresh(undefined);
    const prod = reachable[0]!;
    const viewed = await svc.orgView({ accountId: prod.accountId });
    expect(viewed.account.id).toBe(prod.accountId);
    expect(viewed.identity.arn).toContain(`assumed-role/OrganizationAccountAccessRole/`);
    expect((await svc.accountsCurrent(undefined))?.account.id).toBe(prod.accountId);
    // A scan from the findings page now scans the member.
    const { scanId } = await svc.scansStart({ regions: REGIONS });
    await until(async () => ((await svc.scansGet({ scanId })).status !== 'running' ? true : undefined), 60_000);
    const page = await svc.findingsList({ limit: 500, offset: 0 });
    expect(page.rows.map((r) => r.resourceId).sort()).toEqual(sim.unusedOf(prod.accountId).filter((u) => REGIONS.includes(u.region)).map((u) => u.id).sort());

    await expect(svc.orgView({ accountId: member('missing-role').accountId })).rejects.toMatchObject({ code: 'aws.access_denied' });
    expect((await svc.accountsCurrent(undefined))?.account.id).toBe(prod.accountId);
    await expect(svc.orgView({ accountId: '999999999999' })).rejects.toMatchObject({ code: 'not_found' });

    const back = await svc.orgView({ accountId: SAMPLE_ORGANIZATION.managementAccountId });
    expect(back.account.id).toBe(SAMPLE_ORGANIZATION.managementAccountId);
    expect((await svc.findingsList({ limit: 500, offset: 0 })).rows.some((r) => page.rows.some((p) => p.resourceId === r.resourceId))).toBe(false);
  }, 120_000);

  it('a profile that cannot list the organization says so and keeps what the user adds by hand', async () => {
    sim.state.deny.add('organizations:ListAccounts');
    try {
      const svc = createAppServices({ db });
      await svc.profilesSelect({ profile: 'org' });
      const out = await svc.orgRefresh(undefined);
      expect(out.listError?.code).toBe('aws.access_denied');
      expect(out.listError?.message).toContain('organizations:ListAccounts');
      expect(out.accounts.map((a) => a.source)).toEqual(['home']);
      const prod = reachable[0]!;
      const added = await svc.orgAccountSave({ accountId: prod.accountId, name: 'prod by hand', roleName: null });
      expect(added.accounts.find((a) => a.accountId === prod.accountId)).toMatchObject({ source: 'manual', name: 'prod by hand', roleName: 'OrganizationAccountAccessRole' });
      // A wrong role is that account's failure, naming the role.
      await svc.orgAccountSave({ accountId: prod.accountId, roleName: 'NoSuchRole' });
      const final = await scanAll(svc, [prod.accountId]);
      expect(final.get(prod.accountId)?.error?.message).toContain('role NoSuchRole in account');
      await svc.orgAccountSave({ accountId: prod.accountId, roleName: null });
      expect((await scanAll(svc, [prod.accountId])).get(prod.accountId)?.status).toBe('succeeded');
      const removed = await svc.orgAccountRemove({ accountId: prod.accountId });
      expect(removed.accounts.map((a) => a.source)).toEqual(['home']);
    } finally {
      sim.state.deny.delete('organizations:ListAccounts');
    }
  }, 120_000);
  it('a cleanup in a member account: the plan is that account’s, confirmed with its id, and deletes there only', async () => {
    const svc = createAppServices({ db });
    await svc.profilesSelect({ profile: 'org' });
    await svc.orgRefresh(undefined);
    const prod = reachable[0]!;
    await svc.orgView({ accountId: prod.accountId });
    const { scanId } = await svc.scansStart({ regions: REGIONS });
    await until(async () => ((await svc.scansGet({ scanId })).status !== 'running' ? true : undefined), 60_000);
    const vol = (await svc.findingsList({ limit: 500, offset: 0 })).rows.find((r) => r.resourceType === 'ec2:volume' && !r.protected);
    expect(vol).toBeDefined();
    // The home account's id does not confirm a member's plan: refused whole, nothing deleted.
    const wrong = await svc.cleanupPlan({ findingIds: [vol!.id], snapshotVolumes: false });
    await svc.cleanupDryRun({ planId: wrong.id });
    const refused = await svc.cleanupExecute({ planId: wrong.id, confirmAccountId: SAMPLE_ORGANIZATION.managementAccountId });
    expect(refused.status).toBe('refused');
    expect(sim.account(prod.accountId)!.region(vol!.region).volumes.has(vol!.resourceId)).toBe(true);
    const plan = await svc.cleanupPlan({ findingIds: [vol!.id], snapshotVolumes: false });
    expect(plan.accountId).toBe(prod.accountId);
    await svc.cleanupDryRun({ planId: plan.id });
    const run = await svc.cleanupExecute({ planId: plan.id, confirmAccountId: prod.accountId });
    expect(run.status).toBe('completed');
    expect(sim.account(prod.accountId)!.region(vol!.region).volumes.has(vol!.resourceId)).toBe(false);
    // The calls (dry runs and the delete) ran in the member's account (its session), none in the management account.
    expect(sim.countsByAccount()[prod.accountId]?.byOperation['ec2:DeleteVolume']).toBeGreaterThanOrEqual(1);
    expect(sim.countsByAccount()[SAMPLE_ORGANIZATION.managementAccountId]?.byOperation['ec2:DeleteVolume'] ?? 0).toBe(0);
    // The history is the member account's own.
    const history = await svc.deletionsPlans({ limit: 10, offset: 0 });
    expect(history.rows.map((p) => p.planId)).toContain(plan.id);
    await svc.orgView({ accountId: SAMPLE_ORGANIZATION.managementAccountId });
    expect((await svc.deletionsPlans({ limit: 10, offset: 0 })).rows.map((p) => p.planId)).not.toContain(plan.id);
  }, 120_000);

  it('cancel stops every account of the run; what was scanned is kept, nothing is left running', async () => {
    sim.setFaults({ latencyMs: 40 });
    try {
      const svc = createAppServices({ db });
      await svc.profilesSelect({ profile: 'org' });
      await svc.orgRefresh(undefined);
      const final = new Map<string, OrgScanProgressEvent>();
      let runId = '';
      let running = false;
      const off = svc.events.on((event, payload) => {
        if (event !== 'org:progress') return;
        const e = payload as OrgScanProgressEvent;
        if (e.status === 'running' && e.tasksDone > 0) running = true;
        if (e.done) final.set(e.accountId, e);
      });
      try {
        ({ runId } = await svc.orgScanStart({ regions: 'all' }));
        // One scan at a time: neither a second many-account scan nor a single scan while this one runs.
        await expect(svc.orgScanStart({ regions: 'all' })).rejects.toMatchObject({ code: 'conflict' });
        await expect(svc.scansStart({ regions: 'all' })).rejects.toMatchObject({ code: 'conflict' });
        await until(async () => (running ? true : undefined), 60_000);
        const t0 = Date.now();
        await svc.orgScanCancel({ runId });
        expect(Date.now() - t0).toBeLessThan(5_000);
        const accounts = (await svc.orgAccounts(undefined)).accounts;
        expect(final.size).toBe(accounts.length);
        expect([...final.values()].some((e) => e.status === 'cancelled')).toBe(true);
        // Every scan record ended (cancelled or finished), none left running.
        const statuses = accounts.map((a) => a.lastScan?.status).filter(Boolean);
        expect(statuses.length).toBeGreaterThan(0);
        expect(statuses).not.toContain('running');
        expect(statuses).toContain('cancelled');
        await expect(svc.orgScanCancel({ runId })).rejects.toMatchObject({ code: 'not_found' });
      } finally {
        off();
      }
    } finally {
      sim.setFaults({});
    }
  }, 120_000);
});
