/**
 * The team store's writer (migration 0013): a re-scan sends keys and digests first and only what changed whole; a first
 * scan stops probing after a chunk of new rows; a row without a digest (uploaded history) is rewritten once.
 */
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { postgresFixture } from '../../test-support/dialects';
import type { PostgresHandle } from '../postgres';
import { upsertAccount } from './accounts';
import { CONTENT_COLUMNS, findingValues } from './resource-writer';
import { PostgresResourceWriter, contentHash } from './resource-writer-pg';
import { createScan } from './scans';

const ACCOUNT = '111122223333';
const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';

function vol(i: number, over: Partial<Finding> = {}): Finding {
  return {
    resourceType: 'ec2:volume', resourceId: `vol-${String(i).padStart(5, '0')}`, region: 'us-east-1', name: null, state: 'available',
    tags: i % 2 === 0 ? { team: 'a' } : {}, createdAt: null, unused: true, unusedReason: 'Not attached to any instance', unusedSince: null,
    monthlyCost: i, costBasis: 'gp3', protected: false, protectedReason: null, details: { i }, monthlySavings: i, ...over,
  };
}

describe('contentHash', () => {
  const values = findingValues(ACCOUNT, () => 'AmazonEC2');
  it('tells apart what a finding reports, value by value, and nothing else', () => {
    const base = contentHash(values(vol(1)));
    expect(contentHash(values(vol(1)))).toBe(base);
    // The key and the account are not content (they find the row); every reported column is.
    expect(contentHash(findingValues('999988887777', () => 'AmazonEC2')(vol(1, { resourceId: 'vol-other', region: 'eu-west-1' })))).toBe(base);
    for (const over of [{ name: '' }, { name: 'null' }, { state: null }, { monthlyCost: 1.0000001 }, { monthlySavings: null }, { tags: { team: 'b' } },
      { details: { i: '1' } }, { protected: true }, { unusedSince: '2026-01-01T00:00:00.000Z' }, { costBasis: 'gp2' }] as Partial<Finding>[]) {
      expect(contentHash(values(vol(1, over))), JSON.stringify(over)).not.toBe(base);
    }
    // A value cannot slide into its neighbour: ('ab', 'c') and ('a', 'bc').
    expect(contentHash(values(vol(1, { name: 'ab', state: 'c' })))).not.toBe(contentHash(values(vol(1, { name: 'a', state: 'bc' }))));
  });
});

describe('PostgresResourceWriter', () => {
  const pg = postgresFixture();
  let h: PostgresHandle;
  beforeEach(async () => {
    h = (await pg.open()) as PostgresHandle;
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  });
  const stored = async () =>
    (await h.db.selectFrom('resources').select(['resource_id', 'monthly_cost', 'status', 'content_hash', 'last_scan_id']).orderBy('resource_id').execute());

  it('sends a re-scan whole only for what changed, came back or has no digest; probes a first scan only until it sees new rows', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => vol(i));
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const first = new PostgresResourceWriter(h, ACCOUNT, () => 'AmazonEC2');
    await first.write(rows, s1, T1);
    // The first chunk (2,000 rows) was probed and all new: the rest went whole without a probe.
    expect(first.sent).toEqual({ whole: 5000, probed: 2000 });
    const before = await stored();
    expect(before).toHaveLength(5000);
    expect(before.every((r) => r.content_hash !== null && r.last_scan_id === s1)).toBe(true);

    // Between scans: one row goes gone, one loses its digest (as an uploaded row has none), one changes in AWS.
    await sql`UPDATE resources SET status = 'gone' WHERE resource_id = 'vol-00010'`.execute(h.db);
    await sql`UPDATE resources SET content_hash = NULL WHERE resource_id = 'vol-00020'`.execute(h.db);
    const changed = rows.map((f, i) => (i === 30 ? vol(30, { monthlyCost: 99, monthlySavings: 99 }) : f));

    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const rescan = new PostgresResourceWriter(h, ACCOUNT, () => 'AmazonEC2');
    await rescan.write(changed, s2, T2);
    expect(rescan.sent).toEqual({ whole: 3, probed: 5000 });
    const after = new Map((await stored()).map((r) => [r.resource_id, r]));
    expect(after.get('vol-00010')).toMatchObject({ status: 'active', last_scan_id: s2 });
    expect(after.get('vol-00020')).toMatchObject({ content_hash: before[20]!.content_hash, last_scan_id: s2 });
    expect(after.get('vol-00030')).toMatchObject({ monthly_cost: 99, last_scan_id: s2 });
    expect(after.get('vol-00030')!.content_hash).not.toBe(before[30]!.content_hash);
    // Everything else untouched: the first scan's write.
    expect(after.get('vol-00040')).toEqual(before[40]);
    expect([...after.values()].filter((r) => r.last_scan_id === s2).map((r) => r.resource_id)).toEqual(['vol-00010', 'vol-00020', 'vol-00030']);
  });

  it('goes back to probing when whole chunks turn out unchanged', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) => vol(i));
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await new PostgresResourceWriter(h, ACCOUNT, () => 'AmazonEC2').write(rows.slice(0, 2000), s1, T1);
    // A writer whose first chunk is new (so it stops probing), then meets 2,000 rows it already has: one chunk sent
    // whole for nothing, then probing again.
    const w = new PostgresResourceWriter(h, ACCOUNT, () => 'AmazonEC2');
    await w.write([...rows.slice(2000, 4000), ...rows.slice(0, 2000), ...rows.slice(0, 2000)], s1, T1);
    expect(w.sent).toEqual({ whole: 4000, probed: 4000 });
    expect(await stored()).toHaveLength(4000);
  });

  it('a write that changes a reported column but not the digest clears it (an older app on the store); status or the digest alone do not', async () => {
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await new PostgresResourceWriter(h, ACCOUNT, () => 'AmazonEC2').write([vol(1), vol(2)], s1, T1);
    const hashOf = async (id: string) =>
      (await sql<{ h: string | null }>`SELECT content_hash AS h FROM resources WHERE resource_id = ${id}`.execute(h.db)).rows[0]!.h;
    const first = await hashOf('vol-00001');
    expect(first).not.toBeNull();
    await sql`UPDATE resources SET status = 'gone', last_seen = ${T2} WHERE resource_id = 'vol-00001'`.execute(h.db);
    expect(await hashOf('vol-00001')).toBe(first);
    // As a 0012-era writer's upsert does: new content, digest untouched.
    await sql`UPDATE resources SET monthly_cost = 5, status = 'active' WHERE resource_id = 'vol-00001'`.execute(h.db);
    expect(await hashOf('vol-00001')).toBeNull();
    // A writer that sends its digest with the content keeps it.
    await sql`UPDATE resources SET monthly_cost = 6, content_hash = 'given' WHERE resource_id = 'vol-00002'`.execute(h.db);
    expect(await hashOf('vol-00002')).toBe('given');
    // The guard watches exactly the columns the digest covers.
    const { rows } = await sql<{ def: string }>`SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgname = 'resources_content_hash_guard'`.execute(h.db);
    const watched = [...rows[0]!.def.matchAll(/new\.(\w+)/gi)].map((m) => m[1]).filter((c) => c !== 'content_hash');
    expect(watched).toEqual([...CONTENT_COLUMNS]);
  });
});
