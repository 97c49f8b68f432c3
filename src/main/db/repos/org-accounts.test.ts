import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import {
  listOrgAccounts,
  orgHome,
  removeAccount,
  roleFor,
  saveAccessOutcome,
  saveAccount,
  saveListing,
  saveListingFailure,
  setDefaultRole,
} from './org-accounts';

const HOME = '111111111111';
const A = '222222222222';
const B = '333333333333';
const C = '444444444444';
const T1 = '2026-03-01T00:00:00.000Z';
const T2 = '2026-03-02T00:00:00.000Z';

describeEachDialect('org accounts', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: HOME, alias: 'home-alias', partition: 'aws', arn: null, profile: 'home' }, T1);
  });

  const ids = async () => (await listOrgAccounts(h.db, HOME)).map((a) => `${a.accountId}:${a.source}`);

  it('creates the home with the default role, and keeps a role set for it', async () => {
    expect(await orgHome(h.db, HOME)).toEqual({ homeAccountId: HOME, defaultRoleName: 'OrganizationAccountAccessRole', organizationId: null, listedAt: null, listError: null });
    await setDefaultRole(h.db, HOME, 'Auditor');
    expect((await orgHome(h.db, HOME)).defaultRoleName).toBe('Auditor');
    expect(await roleFor(h.db, HOME, A)).toEqual({ roleName: 'Auditor', known: false });
  });

  it('a listing replaces the organization accounts, keeps the ones added by hand and the role overrides', async () => {
    await saveListing(h.db, HOME, { organizationId: 'o-1', accounts: [{ accountId: A, name: 'Alpha', email: 'a@x' }, { accountId: B, name: null, email: null }, { accountId: HOME, name: 'Home', email: null }] }, T1);
    await saveAccount(h.db, HOME, { accountId: C, name: 'Charlie', roleName: null }, T1);
    await saveAccount(h.db, HOME, { accountId: A, roleName: 'ReadOnly' }, T1);
    expect(await ids()).toEqual([`${HOME}:home`, `${A}:organization`, `${C}:manual`, `${B}:organization`]);

    // B leaves the organization, C (added by hand) joins it, A is renamed.
    await saveListing(h.db, HOME, { organizationId: 'o-1', accounts: [{ accountId: C, name: 'Charlie Org', email: 'c@x' }, { accountId: A, name: 'Alpha 2', email: 'a2@x' }] }, T2);
    const list = await listOrgAccounts(h.db, HOME);
    expect(list.map((a) => `${a.accountId}:${a.source}`)).toEqual([`${HOME}:home`, `${A}:organization`, `${C}:organization`]);
    expect(list[0]).toMatchObject({ name: 'home-alias', roleName: null, lastScan: null });
    expect(list[1]).toMatchObject({ name: 'Alpha 2', email: 'a2@x', roleName: 'ReadOnly', roleOverride: 'ReadOnly' });
    expect(list[2]).toMatchObject({ name: 'Charlie Org', roleName: 'OrganizationAccountAccessRole', roleOverride: null });
    expect(await orgHome(h.db, HOME)).toMatchObject({ organizationId: 'o-1', listedAt: T2, listError: null });
    expect(await roleFor(h.db, HOME, A)).toEqual({ roleName: 'ReadOnly', known: true });

    // An empty listing removes every organization account.
    await saveListing(h.db, HOME, { organizationId: 'o-1', accounts: [] }, T2);
    expect(await ids()).toEqual([`${HOME}:home`]);
  });

  it('writes a large organization in a few statements, an account listed twice once', async () => {
    const accounts = Array.from({ length: 2500 }, (_, i) => ({ accountId: String(500000000000 + i), name: `acct-${i}`, email: null }));
    await saveListing(h.db, HOME, { organizationId: 'o-big', accounts: [...accounts, { accountId: accounts[7]!.accountId, name: 'renamed', email: null }] }, T1);
    const list = await listOrgAccounts(h.db, HOME);
    expect(list).toHaveLength(2501);
    expect(list.find((a) => a.accountId === accounts[7]!.accountId)?.name).toBe('renamed');
    await saveListing(h.db, HOME, { organizationId: 'o-big', accounts: accounts.slice(0, 1200) }, T2);
    expect(await listOrgAccounts(h.db, HOME)).toHaveLength(1201);
  });

  it('refuses the home account, removes only accounts added by hand, and keeps the last failure until a success', async () => {
    await expect(saveAccount(h.db, HOME, { accountId: HOME, roleName: null })).rejects.toMatchObject({ code: 'validation' });
    await saveListing(h.db, HOME, { organizationId: null, accounts: [{ accountId: A, name: 'Alpha', email: null }] }, T1);
    await saveAccount(h.db, HOME, { accountId: B, name: 'Bravo', roleName: 'R' }, T1);
    await expect(removeAccount(h.db, HOME, A)).rejects.toMatchObject({ code: 'conflict' });
    await expect(removeAccount(h.db, HOME, C)).rejects.toMatchObject({ code: 'not_found' });

    await saveAccessOutcome(h.db, HOME, B, { code: 'aws.access_denied', message: 'no' }, T2);
    expect((await listOrgAccounts(h.db, HOME)).find((a) => a.accountId === B)?.lastError).toEqual({ code: 'aws.access_denied', message: 'no', at: T2 });
    await saveAccessOutcome(h.db, HOME, B, null);
    expect((await listOrgAccounts(h.db, HOME)).find((a) => a.accountId === B)?.lastError).toBeNull();
    await removeAccount(h.db, HOME, B);
    expect(await ids()).toEqual([`${HOME}:home`, `${A}:organization`]);

    await saveListingFailure(h.db, HOME, { code: 'aws.access_denied', message: 'cannot list' }, T2);
    expect((await orgHome(h.db, HOME)).listError).toEqual({ code: 'aws.access_denied', message: 'cannot list', at: T2 });
    expect(await ids()).toEqual([`${HOME}:home`, `${A}:organization`]);
  });

  it('shows each account with its latest resource scan', async () => {
    await saveListing(h.db, HOME, { organizationId: null, accounts: [{ accountId: A, name: 'Alpha', email: null }] }, T1);
    await upsertAccount(h.db, { id: A, alias: null, partition: 'aws', arn: null, profile: null }, T1);
    const scan = (accountId: string, kind: 'resources' | 'discovery', startedAt: string, findings: number) =>
      h.db
        .insertInto('scans')
        .values({ account_id: accountId, kind, status: 'succeeded', started_at: startedAt, completed_at: startedAt, findings_count: findings, monthly_savings: findings * 2 })
        .returning('id')
        .executeTakeFirstOrThrow();
    await scan(A, 'resources', T1, 1);
    const latest = await scan(A, 'resources', T2, 3);
    await scan(A, 'discovery', '2026-03-03T00:00:00.000Z', 0);
    const list = await listOrgAccounts(h.db, HOME);
    expect(list[0]?.lastScan).toBeNull();
    expect(list[1]?.lastScan).toEqual({ scanId: latest.id, status: 'succeeded', startedAt: T2, completedAt: T2, findings: 3, monthlySavings: 6 });
  });
});
