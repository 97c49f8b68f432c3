import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DeleteVolumeCommand, DescribeAddressesCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSampleAccount, SAMPLE_ORGANIZATION, SAMPLE_ORGANIZATION_FIXTURE, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { assumeRoleCredentials, ceClient, ec2Client, errorOf, rejectionOf, memberRoleArn, stsClient } from './test-clients';
import type { SimClientCredentials } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z');
const MGMT = '123456789012';
const member = (name: string): string => SAMPLE_ORGANIZATION.members.find((m) => m.name === name)?.accountId ?? '';
const PRODUCTION = member('Production');
const STAGING = member('Staging');
const DATA = member('Data Platform');
const SECURITY = member('Security');
const SUSPENDED = member('Old Sandbox');
const SERIAL = `arn:aws:iam::${MGMT}:mfa/alice`;

let sim: Simulator;
let sample: AccountFixture;
const clients: { destroy(): void }[] = [];
const ec2 = (credentials?: SimClientCredentials, region = 'us-east-1'): EC2Client => {
  const c = ec2Client(sim.endpoint, { region, ...(credentials ? { credentials } : {}) });
  clients.push(c);
  return c;
};
const assume = (input: Partial<AssumeRoleCommandInput>, credentials?: SimClientCredentials) => {
  const sts = stsClient(sim.endpoint, credentials ? { credentials } : {});
  clients.push(sts);
  return sts.send(new AssumeRoleCommand({ RoleSessionName: 'scan', ...input } as AssumeRoleCommandInput));
};
const volumeIds = async (c: EC2Client): Promise<string[]> => ((await c.send(new DescribeVolumesCommand({}))).Volumes ?? []).map((v) => v.VolumeId ?? '').sort();

beforeAll(async () => {
  sample = await loadSampleAccount();
  sim = await startSimulator({ now: NOW });
});
beforeEach(() => {
  sim.state.mfaCode = '123456';
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await sim.close();
});

describe('AssumeRole into member accounts, and routing by session', () => {
  it("member credentials see the member's own volumes only; the base credentials still see the management account's", async () => {
    const creds = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(PRODUCTION) });
    const own = (region: string, accountId: string): string[] =>
      [...(sim.account(accountId)?.region(region).volumes.keys() ?? [])].sort();
    expect(await volumeIds(ec2(creds))).toEqual(own('us-east-1', PRODUCTION));
    expect(await volumeIds(ec2(creds))).toEqual(['vol-0b200000000000001', 'vol-0b200000000000002', 'vol-0b200000000000003', 'vol-0b200000000000004']);
    expect(await volumeIds(ec2(creds, 'eu-west-1'))).toEqual(['vol-0b200000000000005']);
    expect(await volumeIds(ec2())).toEqual(own('us-east-1', MGMT));
    expect(own('us-east-1', MGMT)).toHaveLength(20);
    // The owner is the member; GetCallerIdentity answers the assumed role in the member account.
    const vols = (await ec2(creds).send(new DescribeAddressesCommand({}))).Addresses ?? [];
    expect(vols.map((a) => a.AllocationId).sort()).toEqual(['eipalloc-0b200000000000001', 'eipalloc-0b200000000000002']);
    const sts = stsClient(sim.endpoint, { credentials: creds });
    clients.push(sts);
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: PRODUCTION,
      Arn: `arn:aws:sts::${PRODUCTION}:assumed-role/OrganizationAccountAccessRole/sim-test`,
    });
  });

  it('requests are counted per account as well as globally', async () => {
    const creds = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(STAGING) });
    sim.resetCounts();
    await volumeIds(ec2(creds));
    await volumeIds(ec2(creds, 'eu-west-1'));
    await volumeIds(ec2());
    const by = sim.countsByAccount();
    expect(by[STAGING]?.byOperationAndRegion).toEqual({ 'ec2:DescribeVolumes': { 'us-east-1': 1, 'eu-west-1': 1 } });
    expect(by[MGMT]?.byOperation).toEqual({ 'ec2:DescribeVolumes': 1 });
    expect(sim.counts().byOperation).toEqual({ 'ec2:DescribeVolumes': 3 });
    expect(Object.keys(by).sort()).toEqual([MGMT, STAGING]);
  });

  it("a deletion with member credentials changes that member only (and its bill, not the management account's)", async () => {
    const s = await startSimulator({ now: NOW }); // its own: the deletion must not reach the other tests
    try {
      const creds = await assumeRoleCredentials(s.endpoint, { RoleArn: memberRoleArn(STAGING) });
      const m = ec2Client(s.endpoint, { credentials: creds });
      const base = ec2Client(s.endpoint);
      const mgmtVolumes = s.state.region('us-east-1').volumes.size;
      const mgmtBilling = s.state.billing.length;
      await m.send(new DeleteVolumeCommand({ VolumeId: 'vol-0c300000000000002' }));
      expect(s.account(STAGING)?.region('us-east-1').volumes.has('vol-0c300000000000002')).toBe(false);
      // The member's bill recorded the state as loaded, then without the volume (EC2 - Other went down).
      const bill = s.account(STAGING)?.billing ?? [];
      expect(bill).toHaveLength(2);
      expect(bill[1]?.daily['EC2 - Other']).toBeLessThan(bill[0]?.daily['EC2 - Other'] ?? 0);
      expect(s.state.region('us-east-1').volumes.size).toBe(mgmtVolumes);
      expect(s.state.billing.length).toBe(mgmtBilling);
      // The management account has no such volume: its own credentials cannot delete the member's.
      expect(await errorOf(base.send(new DeleteVolumeCommand({ VolumeId: 'vol-0c300000000000001' })))).toEqual({ name: 'InvalidVolume.NotFound', status: 400 });
      m.destroy();
      base.destroy();
    } finally {
      await s.close();
    }
  });

  it("the missing role: AWS's exact AccessDenied naming the caller and the role", async () => {
    const roleArn = memberRoleArn(DATA);
    const err = await rejectionOf(assume({ RoleArn: roleArn }));
    expect(err).toMatchObject({ name: 'AccessDenied', message: `User: ${sample.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}` });
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(sim.state.lastAssumeRole).toMatchObject({ roleArn, outcome: 'AccessDenied', callerArn: sample.arn });
    // A suspended account cannot be reached either.
    expect(await errorOf(assume({ RoleArn: memberRoleArn(SUSPENDED) }))).toEqual({ name: 'AccessDenied', status: 403 });
    // Another role name in a normal member does not exist there.
    expect(await errorOf(assume({ RoleArn: memberRoleArn(PRODUCTION, 'Admin') }))).toEqual({ name: 'AccessDenied', status: 403 });
  });

  it('the MFA-protected role: refused without a code, refused with a wrong one, assumed with the right one', async () => {
    const roleArn = memberRoleArn(SECURITY);
    await expect(assume({ RoleArn: roleArn })).rejects.toThrow(`User: ${sample.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    await expect(assume({ RoleArn: roleArn, SerialNumber: SERIAL, TokenCode: '000000' })).rejects.toThrow(
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    sim.state.mfaCode = '654321'; // the management account's device code is the one checked
    const creds = await assumeRoleCredentials(sim.endpoint, { RoleArn: roleArn, SerialNumber: SERIAL, TokenCode: '654321' });
    expect(await volumeIds(ec2(creds))).toEqual(['vol-0d500000000000001']);
  });

  it("a member's role trusts the management account only: a member session cannot chain into another member", async () => {
    const prod = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(PRODUCTION), RoleSessionName: 'hop' });
    const roleArn = memberRoleArn(STAGING);
    await expect(assume({ RoleArn: roleArn }, prod)).rejects.toThrow(
      `User: arn:aws:sts::${PRODUCTION}:assumed-role/OrganizationAccountAccessRole/hop is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  });

  it("the management account's own roles keep today's rules (cleanup needs MFA; an account outside the organization is not assumable)", async () => {
    await expect(assume({ RoleArn: `arn:aws:iam::${MGMT}:role/CloudCleanerReadOnly` })).resolves.toBeDefined();
    expect(await errorOf(assume({ RoleArn: `arn:aws:iam::${MGMT}:role/cleanup` }))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await errorOf(assume({ RoleArn: 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole' }))).toEqual({ name: 'AccessDenied', status: 403 });
  });
});

describe('session expiry', () => {
  it("expireSessions(account): that member's calls fail with ExpiredToken on every service; others keep working", async () => {
    const prod = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(PRODUCTION) });
    const staging = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(STAGING) });
    expect(await volumeIds(ec2(prod))).toHaveLength(4);
    expect(sim.expireSessions(PRODUCTION)).toBeGreaterThanOrEqual(1);
    const err = await rejectionOf(ec2(prod).send(new DescribeVolumesCommand({})));
    expect(err).toMatchObject({ name: 'ExpiredToken', message: 'The security token included in the request is expired' });
    const sts = stsClient(sim.endpoint, { credentials: prod });
    const ce = ceClient(sim.endpoint, { credentials: prod });
    clients.push(sts, ce);
    expect(await errorOf(sts.send(new GetCallerIdentityCommand({})))).toEqual({ name: 'ExpiredToken', status: 403 });
    const ceErr = await errorOf(
      ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-01', End: '2026-11-25' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] })),
    );
    expect(ceErr).toEqual({ name: 'ExpiredTokenException', status: 400 });
    expect(await volumeIds(ec2(staging))).toEqual(['vol-0c300000000000001', 'vol-0c300000000000002']);
    // A fresh AssumeRole (what the app's refresh does) works again.
    const again = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(PRODUCTION) });
    expect(await volumeIds(ec2(again))).toHaveLength(4);
  });

  it('configure({ assumeRoleSessionLifetimeMs }): sessions say they expire that soon, and then do', async () => {
    sim.configure({ assumeRoleSessionLifetimeMs: 400 });
    try {
      const before = Date.now();
      const out = await assume({ RoleArn: memberRoleArn(PRODUCTION) });
      const expiresIn = (out.Credentials?.Expiration?.getTime() ?? 0) - before;
      expect(expiresIn).toBeGreaterThan(0);
      expect(expiresIn).toBeLessThanOrEqual(1400); // whole seconds on the wire
      const c = out.Credentials;
      const creds = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
      expect(await volumeIds(ec2(creds))).toHaveLength(4);
      await new Promise((r) => setTimeout(r, 500));
      expect(await errorOf(ec2(creds).send(new DescribeVolumesCommand({})))).toEqual({ name: 'ExpiredToken', status: 403 });
    } finally {
      sim.configure({ assumeRoleSessionLifetimeMs: undefined });
    }
  });

  it('expireSessions() with no account expires every session', async () => {
    const a = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(STAGING) });
    const b = await assumeRoleCredentials(sim.endpoint, { RoleArn: `arn:aws:iam::${MGMT}:role/CloudCleanerReadOnly` });
    sim.expireSessions();
    expect(await errorOf(ec2(a).send(new DescribeVolumesCommand({})))).toEqual({ name: 'ExpiredToken', status: 403 });
    expect(await errorOf(ec2(b).send(new DescribeVolumesCommand({})))).toEqual({ name: 'ExpiredToken', status: 403 });
  });
});

describe('per-account deny lists', () => {
  it("a member's deny list applies to its sessions only", async () => {
    const fixture = structuredClone(SAMPLE_ORGANIZATION_FIXTURE);
    const prod = fixture.members.find((m) => m.accountId === PRODUCTION);
    if (!prod?.account) throw new Error('sample organization: Production has no account');
    prod.account.deny = ['ec2:DescribeVolumes'];
    const s = await startSimulator({ now: NOW, organization: fixture, fixture: sample });
    try {
      const creds = await assumeRoleCredentials(s.endpoint, { RoleArn: memberRoleArn(PRODUCTION) });
      const m = ec2Client(s.endpoint, { credentials: creds });
      const base = ec2Client(s.endpoint);
      const err = await rejectionOf(m.send(new DescribeVolumesCommand({})));
      expect(err.name).toBe('UnauthorizedOperation');
      expect(err.message).toContain(`User: arn:aws:sts::${PRODUCTION}:assumed-role/OrganizationAccountAccessRole/sim-test is not authorized to perform: ec2:DescribeVolumes`);
      expect((await base.send(new DescribeVolumesCommand({}))).Volumes).toHaveLength(20);
      m.destroy();
      base.destroy();
    } finally {
      await s.close();
    }
  });
});

describe('the sample organization', () => {
  it('every ACTIVE member has resources of its own (ids distinct from every other account) and unused ones the oracle finds', () => {
    const seen = new Map<string, string>();
    const ids = (accountId: string): string[] => {
      const a = sim.account(accountId);
      if (!a) return [];
      return [...a.regions.values()].flatMap((r) => [...r.instances.keys(), ...r.volumes.keys(), ...r.snapshots.keys(), ...r.addresses.keys(), ...r.images.keys()]);
    };
    for (const id of [MGMT, ...SAMPLE_ORGANIZATION.members.map((m) => m.accountId)]) {
      for (const rid of ids(id)) {
        expect(seen.get(rid), `${rid} in ${id} and ${seen.get(rid) ?? ''}`).toBeUndefined();
        seen.set(rid, id);
      }
    }
    const unused = (id: string): number => sim.unusedOf(id).length;
    // Production's: a stopped instance, 3 volumes, an address, 2 snapshots over two regions; the management account's 85 stay.
    expect(sim.unusedOf(PRODUCTION).map((u) => `${u.region} ${u.id}`).sort()).toEqual([
      'eu-west-1 snap-0b200000000000003',
      'eu-west-1 vol-0b200000000000005',
      'us-east-1 eipalloc-0b200000000000002',
      'us-east-1 i-0b200000000000002',
      'us-east-1 snap-0b200000000000001',
      'us-east-1 vol-0b200000000000003',
      'us-east-1 vol-0b200000000000004',
    ]);
    expect([unused(MGMT), unused(STAGING), unused(DATA), unused(SECURITY), unused(SUSPENDED)]).toEqual([85, 5, 2, 2, 0]);
    expect(sim.account(SUSPENDED)).toBeUndefined();
  });
});
