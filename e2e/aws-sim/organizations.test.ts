import { DescribeOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import type { Account, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleAccount, SAMPLE_ORGANIZATION, SAMPLE_ORGANIZATION_FIXTURE, startSimulator } from './index';
import type { Simulator } from './index';
import { assumeRoleCredentials, errorOf, rejectionOf, memberRoleArn, organizationsClient } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z');
const MGMT = '123456789012';
const PRODUCTION = '222233334444';
const ORG = SAMPLE_ORGANIZATION.id;

let sim: Simulator;
const made: OrganizationsClient[] = [];
const org = (o: Parameters<typeof organizationsClient>[1] = {}): OrganizationsClient => {
  const c = organizationsClient(sim.endpoint, o);
  made.push(c);
  return c;
};

beforeAll(async () => {
  sim = await startSimulator({ now: NOW }); // no fixture: the sample account and its organization
});
afterEach(() => {
  for (const c of made.splice(0)) c.destroy();
  sim.configure({ organizationsPageSize: undefined });
  sim.setFaults({});
});
afterAll(async () => {
  await sim.close();
});

async function listAll(client: OrganizationsClient, maxResults?: number): Promise<{ accounts: Account[]; pages: number }> {
  const accounts: Account[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await client.send(new ListAccountsCommand({ ...(maxResults ? { MaxResults: maxResults } : {}), ...(token ? { NextToken: token } : {}) }));
    pages += 1;
    accounts.push(...(out.Accounts ?? []));
    token = out.NextToken;
  } while (token);
  return { accounts, pages };
}

describe('Organizations ListAccounts (real SDK client)', () => {
  it('lists the management account first, then every member, ACTIVE and SUSPENDED, with AWS fields', async () => {
    const { accounts } = await listAll(org());
    expect(accounts.map((a) => a.Id)).toEqual([MGMT, ...SAMPLE_ORGANIZATION.members.map((m) => m.accountId)]);
    expect(accounts[0]).toMatchObject({ Id: MGMT, Name: 'Acme Sandbox', Status: 'ACTIVE', JoinedMethod: 'CREATED' });
    const prod = accounts.find((a) => a.Id === PRODUCTION);
    expect(prod).toEqual({
      Id: PRODUCTION,
      Arn: `arn:aws:organizations::${MGMT}:account/${ORG}/${PRODUCTION}`,
      Email: 'aws+production@acme.example',
      Name: 'Production',
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'CREATED',
      // epoch seconds on the wire → a Date: 800 days before the clock, whole seconds
      JoinedTimestamp: new Date(Math.floor((NOW.getTime() - 800 * 86_400_000) / 1000) * 1000),
    });
    const suspended = accounts.filter((a) => a.Status === 'SUSPENDED');
    expect(suspended.map((a) => [a.Id, a.Name, a.State])).toEqual([['777788889999', 'Old Sandbox', 'SUSPENDED']]);
    expect(SAMPLE_ORGANIZATION.members.map((m) => [m.name, m.status, m.access])).toEqual([
      ['Production', 'ACTIVE', 'ok'],
      ['Staging', 'ACTIVE', 'ok'],
      ['Data Platform', 'ACTIVE', 'missing-role'],
      ['Security', 'ACTIVE', 'mfa'],
      ['Old Sandbox', 'SUSPENDED', 'suspended'],
    ]);
  });

  it('pages: MaxResults 2 → three pages of 2; without MaxResults the default page (4) still needs two', async () => {
    sim.resetCounts();
    const two = await listAll(org(), 2);
    expect(two.pages).toBe(3);
    expect(two.accounts).toHaveLength(6);
    const byDefault = await listAll(org());
    expect(byDefault.pages).toBe(2);
    expect(byDefault.accounts.map((a) => a.Id)).toEqual(two.accounts.map((a) => a.Id));
    expect(new Set(two.accounts.map((a) => a.Id)).size).toBe(6);
    expect(sim.counts().byOperation).toEqual({ 'organizations:ListAccounts': 5 });
    sim.configure({ organizationsPageSize: 20 });
    expect((await listAll(org(), 20)).pages).toBe(1);
  });

  it('validates MaxResults (1–20) and NextToken as AWS does', async () => {
    expect(await errorOf(org().send(new ListAccountsCommand({ MaxResults: 0 })))).toEqual({ name: 'InvalidInputException', status: 400 });
    expect(await errorOf(org().send(new ListAccountsCommand({ MaxResults: 21 })))).toEqual({ name: 'InvalidInputException', status: 400 });
    await expect(org().send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toThrow(/less than or equal to 20/);
    await expect(org().send(new ListAccountsCommand({ NextToken: 'bm90LWEtdG9rZW4' }))).rejects.toThrow(/NextToken is not valid/);
  });

  it('a member account is denied: AccessDeniedException "You don\'t have permissions to access this resource."', async () => {
    const creds = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(PRODUCTION) });
    const member = org({ credentials: creds });
    const err = await rejectionOf(member.send(new ListAccountsCommand({})));
    expect(err).toMatchObject({ name: 'AccessDeniedException', message: "You don't have permissions to access this resource." });
    // DescribeOrganization is allowed from any account of the organization, as on AWS.
    const desc = await member.send(new DescribeOrganizationCommand({}));
    expect(desc.Organization).toMatchObject({ Id: ORG, MasterAccountId: MGMT });
    expect(sim.countsByAccount()[PRODUCTION]?.byOperation).toEqual({ 'organizations:ListAccounts': 1, 'organizations:DescribeOrganization': 1 });
  });

  it('DescribeOrganization from the management account', async () => {
    const out = await org().send(new DescribeOrganizationCommand({}));
    expect(out.Organization).toEqual({
      Id: ORG,
      Arn: `arn:aws:organizations::${MGMT}:organization/${ORG}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `arn:aws:organizations::${MGMT}:account/${ORG}/${MGMT}`,
      MasterAccountId: MGMT,
      MasterAccountEmail: 'aws+sandbox@acme.example',
      AvailablePolicyTypes: [],
    });
  });

  it('throttling faults answer TooManyRequestsException (a code the SDK classes as throttling)', async () => {
    sim.setFaults({ throttleRate: 1 });
    expect(await errorOf(org().send(new ListAccountsCommand({})))).toEqual({ name: 'TooManyRequestsException', status: 400 });
  });
});

describe('Organizations outside an organization, and the deny list', () => {
  it('an account in no organization: AWSOrganizationsNotInUseException', async () => {
    const alone = await startSimulator({ fixture: await loadSampleAccount(), now: NOW });
    try {
      expect(alone.organization).toBeNull();
      const c = organizationsClient(alone.endpoint);
      const err = await rejectionOf(c.send(new ListAccountsCommand({})));
      expect(err).toMatchObject({ name: 'AWSOrganizationsNotInUseException', message: 'Your account is not a member of an organization.' });
      expect(await errorOf(c.send(new DescribeOrganizationCommand({})))).toEqual({ name: 'AWSOrganizationsNotInUseException', status: 400 });
      c.destroy();
    } finally {
      await alone.close();
    }
  });

  it('organizations:ListAccounts on the deny list → AccessDeniedException naming the action; DescribeOrganization still answers', async () => {
    const sample = await loadSampleAccount();
    const denied = await startSimulator({ fixture: { ...sample, deny: ['organizations:ListAccounts'] }, organization: SAMPLE_ORGANIZATION_FIXTURE, now: NOW });
    try {
      const c = organizationsClient(denied.endpoint);
      const err = await rejectionOf(c.send(new ListAccountsCommand({})));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toBe(
        `User: ${sample.arn} is not authorized to perform: organizations:ListAccounts because no identity-based policy allows the organizations:ListAccounts action`,
      );
      expect((await c.send(new DescribeOrganizationCommand({}))).Organization?.Id).toBe(ORG);
      c.destroy();
    } finally {
      await denied.close();
    }
  });
});
