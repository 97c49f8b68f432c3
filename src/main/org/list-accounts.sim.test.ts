/** ListAccounts through the app's client factory against the simulator's sample organization: paged, ACTIVE only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ORGANIZATION } from '../../../e2e/aws-sim/index';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { listOrganizationAccounts } from './list-accounts';

let s: SimSession;
beforeAll(async () => {
  s = await openSimSession();
});
afterAll(async () => {
  await s.close();
});

describe('listOrganizationAccounts', () => {
  it('reads every page and keeps the ACTIVE accounts only (the management account included, the suspended one left out)', async () => {
    s.sim.resetCounts();
    const out = await listOrganizationAccounts(s.clients, { partition: 'aws', accountId: s.accountId, profile: 'sim', pageSize: 2 });
    const active = SAMPLE_ORGANIZATION.members.filter((m) => m.status === 'ACTIVE');
    expect(out.accounts.map((a) => a.accountId).sort()).toEqual([SAMPLE_ORGANIZATION.managementAccountId, ...active.map((m) => m.accountId)].sort());
    expect(out.skipped).toBe(SAMPLE_ORGANIZATION.members.length - active.length);
    expect(out.pages).toBeGreaterThanOrEqual(3);
    expect(s.sim.counts().byOperation['organizations:ListAccounts']).toBe(out.pages);
    expect(out.organizationId).toBe(SAMPLE_ORGANIZATION.id);
    expect(out.accounts.find((a) => a.accountId === active[0]!.accountId)).toMatchObject({ name: active[0]!.name, email: active[0]!.email });
  });

  it('names organizations:ListAccounts when it is denied', async () => {
    s.sim.state.deny.add('organizations:ListAccounts');
    try {
      await expect(listOrganizationAccounts(s.clients, { partition: 'aws', accountId: s.accountId, profile: 'sim' })).rejects.toMatchObject({
        code: 'aws.access_denied',
        details: { action: 'organizations:ListAccounts' },
      });
    } finally {
      s.sim.state.deny.delete('organizations:ListAccounts');
    }
  });
});
