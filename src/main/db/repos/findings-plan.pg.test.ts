/**
 * On a team store the findings list's totals read the browse index alone (migration 0013's PostgreSQL index, the
 * app's session settings, the scan end's VACUUM): no visit to the wide rows. bench:db measures what this buys; this
 * test keeps the plans from regressing.
 */
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { postgresFixture } from '../../test-support/dialects';
import type { PostgresHandle } from '../postgres';
import { upsertAccount } from './accounts';
import { findingsWriter, refreshStatistics } from './findings-store';
import { totalsQuery, type FindingsQuery } from './resources';
import { createScan } from './scans';
import { currentSnoozes } from './snoozes';

const ACCOUNT = '111122223333';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const pg = postgresFixture();
let h: PostgresHandle;

beforeEach(async () => {
  h = (await pg.open()) as PostgresHandle;
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'test' });
  const scanId = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const rows: Finding[] = Array.from({ length: 20_000 }, (_, i) => ({
    resourceType: 'ec2:volume', resourceId: `vol-${i.toString(16).padStart(17, '0')}`, region: REGIONS[i % 3]!, name: i % 3 ? `w-${i}` : null,
    state: 'available', tags: (i % 4 ? {} : { team: 't' }) as Record<string, string>, createdAt: null, unused: i % 5 !== 0, unusedReason: 'Not attached to any instance',
    unusedSince: null, monthlyCost: i % 23 ? i / 100 : null, costBasis: 'gp3', protected: i % 31 === 0, protectedReason: null,
    details: { sizeGiB: i % 500 }, monthlySavings: i % 23 ? i / 100 : null,
  }));
  await findingsWriter(h, ACCOUNT, () => 'AmazonEC2').write(rows, scanId);
  // The tests' server commits asynchronously (synchronous_commit off): until the WAL holding those commits is flushed,
  // VACUUM may not mark their rows visible to all (hint bits wait for the flush). A synchronous commit flushes it, as
  // every commit does on a server with the default setting.
  await h.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL synchronous_commit = on`.execute(trx);
    await sql`UPDATE accounts SET last_seen = last_seen WHERE id = ${ACCOUNT}`.execute(trx);
  });
  await refreshStatistics(h);
});

async function plan(q: FindingsQuery): Promise<string> {
  const c = totalsQuery(h.db, q, await currentSnoozes(h.db, ACCOUNT)).compile();
  const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql.raw(c.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const v = c.parameters[Number(n) - 1];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  }))}`.execute(h.db);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

it("the app's sessions plan for SSD storage and without parallel workers", async () => {
  const { rows } = await sql<{ rpc: string; workers: string }>`
    SELECT current_setting('random_page_cost') AS rpc, current_setting('max_parallel_workers_per_gather') AS workers`.execute(h.db);
  expect(rows[0]).toEqual({ rpc: '1.1', workers: '0' });
});

it("the default filter's totals, and a filtered one's, are index-only scans of the browse index that visit no row", async () => {
  for (const q of [{ accountId: ACCOUNT }, { accountId: ACCOUNT, regions: ['eu-west-1'], protected: false, minMonthlyCost: 5 }]) {
    const p = await plan(q);
    expect(p).toMatch(/Index Only Scan using resources_findings_browse/);
    expect(p).toMatch(/Heap Fetches: 0/);
  }
});
