import { beforeEach, expect, it } from 'vitest';
import type { OrgAccountDto } from '../../../shared/dto/org';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { orgRollup } from './org-rollup';

const HOME = '111111111111';
const MEMBER = '222222222222';
const NOW = new Date('2026-03-15T10:00:00Z');

function account(accountId: string, name: string | null, source: OrgAccountDto['source']): OrgAccountDto {
  return { accountId, name, email: null, source, roleName: null, roleOverride: null, lastScan: null, lastError: null };
}

describeEachDialect('org roll-up', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    for (const id of [HOME, MEMBER]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
  });

  let n = 0;
  async function finding(accountId: string, resourceType: string, region: string, savings: number | null, opts: { protected?: boolean; unused?: boolean } = {}): Promise<void> {
    n++;
    await h.db
      .insertInto('resources')
      .values({
        account_id: accountId,
        resource_type: resourceType,
        region,
        resource_id: `r-${n}`,
        service_code: 'AmazonEC2',
        unused: opts.unused === false ? 0 : 1,
        protected: opts.protected ? 1 : 0,
        monthly_cost: savings,
        monthly_savings: savings,
        first_seen: '2026-03-01T00:00:00.000Z',
        last_seen: '2026-03-01T00:00:00.000Z',
      })
      .execute();
  }

  it("sums the accounts' own figures, merges kinds and regions, and ranks the largest items over all accounts", async () => {
    await finding(HOME, 'ec2:volume', 'us-east-1', 10.5);
    await finding(HOME, 'ec2:volume', 'eu-west-1', 0.1);
    await finding(HOME, 'ec2:elastic-ip', 'us-east-1', null); // unknown savings: counted, not ranked
    await finding(HOME, 'ec2:volume', 'us-east-1', 99, { protected: true }); // protected: not a candidate
    await finding(MEMBER, 'ec2:volume', 'us-east-1', 20.2);
    await finding(MEMBER, 'ec2:snapshot', 'eu-west-1', 3.3);
    await finding(MEMBER, 'ec2:snapshot', 'eu-west-1', 50, { unused: false }); // in use: not waste

    const r = await orgRollup(h.db, [account(HOME, null, 'home'), account(MEMBER, 'Member', 'organization')], NOW);
    expect(r.total).toEqual({ accounts: 2, findings: 5, monthlySavings: 34.1, unknownCount: 1 });
    expect(r.accounts.map((a) => [a.accountId, a.findings, a.monthlySavings, a.unknownCount])).toEqual([
      [HOME, 3, 10.6, 1],
      [MEMBER, 2, 23.5, 0],
    ]);
    expect(r.byKind).toEqual([
      { resourceType: 'ec2:volume', findings: 3, monthlySavings: 30.8 },
      { resourceType: 'ec2:snapshot', findings: 1, monthlySavings: 3.3 },
      { resourceType: 'ec2:elastic-ip', findings: 1, monthlySavings: 0 },
    ]);
    expect(r.byRegion).toEqual([
      { region: 'us-east-1', findings: 3, monthlySavings: 30.7 },
      { region: 'eu-west-1', findings: 2, monthlySavings: 3.4 },
    ]);
    expect(r.top.map((t) => [t.accountId, t.accountName, t.monthlySavings])).toEqual([
      [MEMBER, 'Member', 20.2],
      [HOME, null, 10.5],
      [MEMBER, 'Member', 3.3],
      [HOME, null, 0.1],
    ]);
  });

  it('is empty for no accounts', async () => {
    expect(await orgRollup(h.db, [], NOW)).toEqual({ total: { accounts: 0, findings: 0, monthlySavings: 0, unknownCount: 0 }, accounts: [], byKind: [], byRegion: [], top: [] });
  });
});
