import { GetCostAndUsageCommand, GetDimensionValuesCommand } from '@aws-sdk/client-cost-explorer';
import type { CostExplorerClient, GetCostAndUsageCommandInput, GetCostAndUsageCommandOutput } from '@aws-sdk/client-cost-explorer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sumDecimals } from './decimal';
import { loadSampleAccount, SAMPLE_ORGANIZATION, SAMPLE_ORGANIZATION_FIXTURE, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { assumeRoleCredentials, ceClient, memberRoleArn } from './test-clients';
import type { SimClientCredentials } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z'); // yesterday = 2026-11-24; 30 days of data from 2026-10-26
const PERIOD = { Start: '2026-10-26', End: '2026-11-25' };
const MGMT = '123456789012';
const member = (name: string): string => SAMPLE_ORGANIZATION.members.find((m) => m.name === name)?.accountId ?? '';
const PRODUCTION = member('Production');
const STAGING = member('Staging');
const ACTIVE = [MGMT, ...SAMPLE_ORGANIZATION.members.filter((m) => m.status === 'ACTIVE').map((m) => m.accountId)].sort();

let sim: Simulator;
let sample: AccountFixture;
const made: CostExplorerClient[] = [];
const ce = (credentials?: SimClientCredentials): CostExplorerClient => {
  const c = ceClient(sim.endpoint, credentials ? { credentials } : {});
  made.push(c);
  return c;
};

beforeAll(async () => {
  sample = await loadSampleAccount();
  sim = await startSimulator({ now: NOW });
});
afterEach(() => {
  for (const c of made.splice(0)) c.destroy();
  sim.configure({ ceMaxGroupsPerPage: 1000 });
});
afterAll(async () => {
  await sim.close();
});

/** What a fixture says an account spent on each service over the 30 days (Usage and every other record type). */
function fixtureTotals(series: { service: string; daily: (string | null)[] }[] | undefined): Map<string, string> {
  const by = new Map<string, string[]>();
  for (const s of series ?? []) by.set(s.service, [...(by.get(s.service) ?? []), ...s.daily.filter((d): d is string => d !== null)]);
  return new Map([...by].map(([k, v]) => [k, sumDecimals(v)]));
}
const expectedTotals = (accountId: string): Map<string, string> =>
  accountId === MGMT
    ? fixtureTotals(sample.costExplorer?.series)
    : fixtureTotals(SAMPLE_ORGANIZATION_FIXTURE.members.find((m) => m.accountId === accountId)?.account?.costExplorer?.series);

/** Every page, merged: `accountId service` (or just the group key) → summed UnblendedCost over the period. */
async function totalsByGroup(client: CostExplorerClient, input: Partial<GetCostAndUsageCommandInput>): Promise<{ totals: Map<string, string>; pages: GetCostAndUsageCommandOutput[] }> {
  const pages: GetCostAndUsageCommandOutput[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new GetCostAndUsageCommand({ TimePeriod: PERIOD, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], ...input, ...(token ? { NextPageToken: token } : {}) }));
    pages.push(out);
    token = out.NextPageToken;
  } while (token);
  const amounts = new Map<string, string[]>();
  for (const p of pages) for (const r of p.ResultsByTime ?? []) for (const g of r.Groups ?? []) {
    const key = (g.Keys ?? []).join(' ');
    amounts.set(key, [...(amounts.get(key) ?? []), g.Metrics?.UnblendedCost?.Amount ?? '0']);
  }
  return { totals: new Map([...amounts].map(([k, v]) => [k, sumDecimals(v)])), pages };
}

const byLinkedAccountAndService = [
  { Type: 'DIMENSION' as const, Key: 'LINKED_ACCOUNT' },
  { Type: 'DIMENSION' as const, Key: 'SERVICE' },
];

describe('Cost Explorer across the organization (LINKED_ACCOUNT)', () => {
  it('management, GroupBy LINKED_ACCOUNT + SERVICE: every ACTIVE account, each from its own records, in ONE request', async () => {
    sim.resetCounts();
    const { totals, pages } = await totalsByGroup(ce(), { GroupBy: byLinkedAccountAndService });
    expect(pages).toHaveLength(1);
    expect(pages[0]?.GroupDefinitions).toEqual(byLinkedAccountAndService);
    expect([...new Set([...totals.keys()].map((k) => k.split(' ')[0]))].sort()).toEqual(ACTIVE);
    for (const id of ACTIVE) {
      const own = new Map([...totals].filter(([k]) => k.startsWith(`${id} `)).map(([k, v]) => [k.slice(id.length + 1), v]));
      expect(own, id).toEqual(expectedTotals(id));
    }
    expect(totals.get(`${PRODUCTION} EC2 - Other`)).toBe(expectedTotals(PRODUCTION).get('EC2 - Other'));
    expect(sim.counts().byOperation).toEqual({ 'ce:GetCostAndUsage': 1 });
    expect(sim.countsByAccount()).toEqual({ [MGMT]: expect.objectContaining({ total: 1 }) });
  });

  it('SERVICE then LINKED_ACCOUNT (the other order) groups the same amounts with the keys swapped', async () => {
    const a = await totalsByGroup(ce(), { GroupBy: byLinkedAccountAndService });
    const b = await totalsByGroup(ce(), { GroupBy: [...byLinkedAccountAndService].reverse() });
    const swapped = new Map([...b.totals].map(([k, v]) => {
      const i = k.lastIndexOf(' ');
      return [`${k.slice(i + 1)} ${k.slice(0, i)}`, v];
    }));
    expect(swapped).toEqual(a.totals);
  });

  it('paging (a few groups per page) returns the same groups as one page; a day may continue on the next page', async () => {
    const one = await totalsByGroup(ce(), { GroupBy: byLinkedAccountAndService, Granularity: 'DAILY' });
    sim.configure({ ceMaxGroupsPerPage: 7 });
    const paged = await totalsByGroup(ce(), { GroupBy: byLinkedAccountAndService, Granularity: 'DAILY' });
    expect(paged.pages.length).toBeGreaterThan(30);
    expect(paged.totals).toEqual(one.totals);
    const continued = paged.pages.some((p, i) => i > 0 && p.ResultsByTime?.[0]?.TimePeriod?.Start === paged.pages[i - 1]?.ResultsByTime?.at(-1)?.TimePeriod?.Start);
    expect(continued).toBe(true);
  });

  it('Filter on LINKED_ACCOUNT: one member only, or everything but the management account', async () => {
    const prod = await totalsByGroup(ce(), { GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }], Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PRODUCTION] } } });
    expect(prod.totals).toEqual(expectedTotals(PRODUCTION));
    const notMgmt = await totalsByGroup(ce(), {
      GroupBy: byLinkedAccountAndService,
      Filter: { Not: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [MGMT] } } },
    });
    expect([...new Set([...notMgmt.totals.keys()].map((k) => k.split(' ')[0]))].sort()).toEqual(ACTIVE.filter((id) => id !== MGMT));
  });

  it("without LINKED_ACCOUNT the management account's request answers its own bill, as before the organization", async () => {
    const alone = await startSimulator({ fixture: sample, now: NOW });
    try {
      const c = ceClient(alone.endpoint);
      const before = await totalsByGroup(c, { GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] });
      c.destroy();
      const withOrg = await totalsByGroup(ce(), { GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] });
      expect(withOrg.totals).toEqual(before.totals);
    } finally {
      await alone.close();
    }
  });

  it("a member's own request answers its own costs only, even grouped by LINKED_ACCOUNT", async () => {
    const creds = await assumeRoleCredentials(sim.endpoint, { RoleArn: memberRoleArn(STAGING) });
    sim.resetCounts();
    const own = await totalsByGroup(ce(creds), { GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] });
    expect(own.totals).toEqual(expectedTotals(STAGING));
    const linked = await totalsByGroup(ce(creds), { GroupBy: byLinkedAccountAndService });
    expect([...linked.totals.keys()].every((k) => k.startsWith(`${STAGING} `))).toBe(true);
    expect(linked.totals.size).toBe(expectedTotals(STAGING).size);
    expect(sim.countsByAccount()[STAGING]?.byOperation).toEqual({ 'ce:GetCostAndUsage': 2 });
  });

  it('GetDimensionValues LINKED_ACCOUNT: every ACTIVE account with costs, described by alias or organization name', async () => {
    const out = await ce().send(new GetDimensionValuesCommand({ TimePeriod: PERIOD, Dimension: 'LINKED_ACCOUNT' }));
    expect(out.DimensionValues?.map((v) => v.Value)).toEqual(ACTIVE);
    expect(out.DimensionValues?.find((v) => v.Value === MGMT)?.Attributes).toEqual({ description: 'acme-sandbox' });
    expect(out.DimensionValues?.find((v) => v.Value === PRODUCTION)?.Attributes).toEqual({ description: 'Production' });
  });
});
