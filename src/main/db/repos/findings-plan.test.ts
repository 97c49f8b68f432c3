/**
 * The findings list's queries read what they need and no more: the default filter's totals sum the narrow browse
 * index (never the wide rows with their JSON), and a search reads reason and tags from `resource_search`.
 * bench:db measures what this buys (first page of 100,000 findings); this test keeps the plans from regressing.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openMemoryDatabase } from '../database';
import type { DbHandle } from '../connection';
import { upsertAccount } from './accounts';
import { currentSnoozes } from './snoozes';
import { totalsQuery, type FindingsQuery } from './resources';

const ACCOUNT = '111122223333';
let h: DbHandle;
beforeEach(async () => {
  h = await openMemoryDatabase();
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'test' });
});
afterEach(async () => {
  await h.close();
});

async function plan(q: FindingsQuery): Promise<string> {
  const c = totalsQuery(h.db, q, await currentSnoozes(h.db, ACCOUNT)).compile();
  return (h.sqlite.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join(' | ');
}

it("the default filter's totals (count, cost, savings, protected) read only the browse index", async () => {
  expect(await plan({ accountId: ACCOUNT })).toMatch(/USING COVERING INDEX resources_findings_browse/);
  expect(await plan({ accountId: ACCOUNT, regions: ['eu-west-1'], protected: false, minMonthlyCost: 5 })).toMatch(/USING COVERING INDEX resources_findings_browse/);
});

it('a search reads reason and tags from resource_search, id and name from the index', async () => {
  const p = await plan({ accountId: ACCOUNT, search: 'blue' });
  expect(p).toMatch(/resource_search/);
  expect(p).toMatch(/USING COVERING INDEX resources_findings_browse/);
});

it('other statuses (gone, deleted) are not in the partial index: their totals read the table, and say so', async () => {
  expect(await plan({ accountId: ACCOUNT, statuses: ['gone'] })).not.toMatch(/resources_findings_browse/);
});
