import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { describeEachDialect } from '../../test-support/dialects';
import { endTask, writeFindings } from '../../test-support/seed-findings';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { findingFacets, getResource, listFindings, type FindingsQuery } from './resources';
import { createScan } from './scans';
import { currentSnoozes, listSnoozes, removeSnooze, setFindingSnoozes, setTagSnooze } from './snoozes';
import { wasteSummary } from './waste-summary';

const A = '111122223333';
const B = '444455556666';
const T0 = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);

function finding(id: string, savings: number | null, over: Partial<Finding> = {}): Finding {
  return {
    resourceType: 'ec2:volume',
    resourceId: id,
    region: 'eu-west-1',
    name: null,
    state: 'available',
    tags: {},
    createdAt: '2025-01-01T00:00:00.000Z',
    unused: true,
    unusedReason: 'Not attached to any instance',
    unusedSince: null,
    monthlyCost: savings,
    monthlySavings: savings,
    costBasis: 'test',
    protected: false,
    protectedReason: null,
    details: {},
    ...over,
  };
}

const FINDINGS = [
  finding('vol-1', 10),
  finding('vol-2', 20, { tags: { env: 'dev', team: 'a' } }),
  finding('vol-3', 30, { tags: { env: 'dev' }, region: 'us-east-1' }),
  finding('vol-4', 40, { tags: { env: 'prod' } }),
  finding('snap-1', 5, { resourceType: 'ec2:snapshot', tags: { 'app.name': 'billing' } }),
];

const target = (resourceId: string) => ({ resourceType: resourceId.startsWith('snap') ? 'ec2:snapshot' : 'ec2:volume', region: resourceId === 'vol-3' ? 'us-east-1' : 'eu-west-1', resourceId });

describeEachDialect('snoozes', (store) => {
  let h: AppDb;
  let scanA: number;
  async function write(account: string, rows: Finding[]): Promise<number> {
    const scan = await createScan(h.db, { accountId: account, kind: 'resources' });
    await writeFindings(h, account, rows, scan, { now: T0.toISOString(), serviceCode: 'AmazonEC2Other' });
    return scan;
  }
  const idOf = async (resourceId: string, account = A): Promise<number> =>
    (await h.db.selectFrom('resources').select('id').where('account_id', '=', account).where('resource_id', '=', resourceId).executeTakeFirstOrThrow()).id;
  const list = (q: Partial<FindingsQuery> = {}, now = T0) => listFindings(h.db, { accountId: A, now, ...q });
  const ids = async (q: Partial<FindingsQuery> = {}, now = T0): Promise<string[]> => (await list(q, now)).rows.map((r) => r.resourceId).sort();
  /**
   * Something that changes with every write and with nothing else: SQLite's total_changes(); on PostgreSQL the next
   * transaction id (xmax of the server's snapshot), which moves when a transaction that wrote ends.
   */
  const writeMark = async (): Promise<string> =>
    h.dialect === 'sqlite'
      ? String((h.sqlite.prepare('SELECT total_changes() AS c').get() as { c: number }).c)
      : (await sql<{ x: string }>`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`.execute(h.db)).rows[0]!.x;

  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: A, alias: null, partition: 'aws', arn: null, profile: 'p' });
    await upsertAccount(h.db, { id: B, alias: null, partition: 'aws', arn: null, profile: 'q' });
    scanA = await write(A, FINDINGS);
    await write(B, FINDINGS);
  });

  it('a finding snooze takes it out of the list, the totals and the facets, and says so in the ignored totals', async () => {
    const before = await list();
    expect(before.total).toBe(5);
    expect(before.savings.monthlySavings).toBe(105);
    expect(before.ignored).toEqual({ findings: 0, monthlySavings: 0 });

    await setFindingSnoozes(h.db, A, [target('vol-1'), target('snap-1')], { reason: 'kept for the audit', until: at(30).toISOString(), now: T0 });
    const after = await list();
    expect(after.rows.map((r) => r.resourceId).sort()).toEqual(['vol-2', 'vol-3', 'vol-4']);
    expect(after.total).toBe(3);
    expect(after.savings.monthlySavings).toBe(90);
    expect(after.ignored).toEqual({ findings: 2, monthlySavings: 15 });
    expect(after.rows.every((r) => r.snooze === null)).toBe(true);
    // The snapshot was the only ec2:snapshot: its type leaves the filter menus.
    expect((await findingFacets(h.db, A, T0)).resourceTypes).toEqual(['ec2:volume']);

    const only = await list({ ignored: 'only' });
    expect(only.rows.map((r) => r.resourceId).sort()).toEqual(['snap-1', 'vol-1']);
    expect(only.total).toBe(2);
    expect(only.rows[0]?.snooze).toMatchObject({ scope: 'finding', reason: 'kept for the audit', until: at(30).toISOString(), tagKey: null });
    expect(await ids({ ignored: 'include' })).toEqual(['snap-1', 'vol-1', 'vol-2', 'vol-3', 'vol-4']);
    // The drawer's resource carries its snooze too.
    expect((await getResource(h.db, A, await idOf('vol-1'), T0))?.snooze?.reason).toBe('kept for the audit');
  });

  it('comes back when `until` passes, with no write (the cached totals end with it)', async () => {
    await setFindingSnoozes(h.db, A, [target('vol-4')], { reason: 'migration in March', until: at(7).toISOString(), now: T0 });
    const changes = await writeMark();
    expect((await list({}, at(6))).total).toBe(4);
    expect((await list({}, at(6))).savings.monthlySavings).toBe(65); // cached for the same filter
    const later = await list({}, at(8));
    expect(later.total).toBe(5);
    expect(later.savings.monthlySavings).toBe(105);
    expect(later.ignored).toEqual({ findings: 0, monthlySavings: 0 });
    expect(later.rows.find((r) => r.resourceId === 'vol-4')?.snooze).toBeNull();
    expect(await writeMark()).toBe(changes);
    // The exact end: still ignored one millisecond before, back at it.
    expect((await list({}, new Date(at(7).getTime() - 1))).total).toBe(4);
    expect((await list({}, at(7))).total).toBe(5);
    expect((await wasteSummary(h.db, A, at(8))).totals.monthlySavings).toBe(105);
    // Listed as ended, still removable.
    expect((await listSnoozes(h.db, A, at(8)))[0]).toMatchObject({ current: false, reason: 'migration in March', findings: 1 });
  });

  it('for good (until null) holds at any time', async () => {
    await setFindingSnoozes(h.db, A, [target('vol-2')], { reason: 'owned by the data team', until: null, now: T0 });
    expect(await ids({}, at(3650))).toEqual(['snap-1', 'vol-1', 'vol-3', 'vol-4']);
  });

  it('a tag snooze covers every finding with that tag, also those found later, and only with that value', async () => {
    await setTagSnooze(h.db, A, { key: 'env', value: 'dev' }, { reason: 'dev is cleaned by its team', until: null, now: T0 });
    expect(await ids()).toEqual(['snap-1', 'vol-1', 'vol-4']);
    const only = await list({ ignored: 'only' });
    expect(only.rows.map((r) => r.snooze?.scope)).toEqual(['tag', 'tag']);
    expect(only.rows[0]?.snooze).toMatchObject({ tagKey: 'env', tagValue: 'dev' });
    await write(A, [...FINDINGS, finding('vol-5', 50, { tags: { env: 'dev' } })]);
    expect(await ids()).toEqual(['snap-1', 'vol-1', 'vol-4']);
    // A key with a dot is looked up as one key, not a path.
    await setTagSnooze(h.db, A, { key: 'app.name', value: 'billing' }, { reason: 'billing keeps its snapshots', until: at(1).toISOString(), now: T0 });
    expect(await ids()).toEqual(['vol-1', 'vol-4']);
    const snoozes = await listSnoozes(h.db, A, T0);
    expect(snoozes.map((s) => [s.tagKey, s.findings, s.current])).toEqual([
      ['app.name', 1, true], // ends first
      ['env', 3, true], // for good
    ]);
  });

  it('a finding under a finding and a tag snooze shows the one that holds longer', async () => {
    await setTagSnooze(h.db, A, { key: 'env', value: 'dev' }, { reason: 'by tag', until: at(90).toISOString(), now: T0 });
    await setFindingSnoozes(h.db, A, [target('vol-2')], { reason: 'by finding', until: at(10).toISOString(), now: T0 });
    expect((await list({ ignored: 'only' })).rows.find((r) => r.resourceId === 'vol-2')?.snooze?.reason).toBe('by tag');
    const summary = await list();
    expect(summary.ignored).toEqual({ findings: 2, monthlySavings: 50 }); // vol-2 counted once
  });

  it('is scoped by account: the same resource identity in another account stays in its totals', async () => {
    await setFindingSnoozes(h.db, A, [target('vol-1')], { reason: 'a', until: null, now: T0 });
    await setTagSnooze(h.db, A, { key: 'env', value: 'prod' }, { reason: 'b', until: null, now: T0 });
    expect((await listFindings(h.db, { accountId: B, now: T0 })).total).toBe(5);
    expect((await wasteSummary(h.db, B, T0)).ignored.findings).toBe(0);
    expect(await listSnoozes(h.db, B, T0)).toEqual([]);
    const mine = (await listSnoozes(h.db, A, T0))[0]!;
    expect(await removeSnooze(h.db, B, mine.id)).toBe(false);
    expect(await listSnoozes(h.db, A, T0)).toHaveLength(2);
  });

  it('survives a re-scan and a resource that goes and comes back (it is stored by identity, not row id)', async () => {
    await setFindingSnoozes(h.db, A, [target('vol-3')], { reason: 'waiting for the owner', until: null, now: T0 });
    const scan2 = await write(A, FINDINGS.filter((f) => f.resourceId !== 'vol-3'));
    await endTask(h, { accountId: A, resourceType: 'ec2:volume', region: 'us-east-1', scanId: scan2, seen: new Set(FINDINGS.filter((f) => f.resourceId !== 'vol-3').map((f) => f.resourceId)) });
    expect(scan2).not.toBe(scanA);
    expect((await listSnoozes(h.db, A, T0))[0]?.findings).toBe(0); // gone: covers no finding now
    await write(A, FINDINGS);
    expect(await ids()).toEqual(['snap-1', 'vol-1', 'vol-2', 'vol-4']);
    expect((await listSnoozes(h.db, A, T0))[0]).toMatchObject({ findings: 1, findingId: await idOf('vol-3') });
  });

  it('snoozing again replaces the reason and end; removing it brings the finding back at once', async () => {
    await setFindingSnoozes(h.db, A, [target('vol-1')], { reason: 'first', until: at(3).toISOString(), now: T0 });
    await setFindingSnoozes(h.db, A, [target('vol-1')], { reason: 'second', until: null, now: at(1) });
    const [s] = await listSnoozes(h.db, A, at(1));
    expect(s).toMatchObject({ reason: 'second', until: null, createdAt: at(1).toISOString() });
    expect(await listSnoozes(h.db, A, at(1))).toHaveLength(1);
    expect(await removeSnooze(h.db, A, s!.id)).toBe(true);
    expect(await ids({}, at(1))).toHaveLength(5);
    expect((await currentSnoozes(h.db, A, at(1))).anyFinding).toBe(false);
  });

  it('the dashboard waste summary leaves ignored findings out of every figure and counts them apart', async () => {
    await setFindingSnoozes(h.db, A, [target('vol-4')], { reason: 'r', until: null, now: T0 });
    await setTagSnooze(h.db, A, { key: 'env', value: 'dev' }, { reason: 'r', until: null, now: T0 });
    const w = await wasteSummary(h.db, A, T0);
    expect(w.totals.monthlySavings).toBe(15);
    expect(w.totals.findings).toBe(2);
    expect(w.ignored).toEqual({ findings: 3, monthlySavings: 90 });
    expect(w.byRegion.map((g) => g.key)).toEqual(['eu-west-1']); // vol-3, the only us-east-1 finding, is ignored
    expect(w.top.map((r) => r.resourceId)).toEqual(['vol-1', 'snap-1']);
    expect(w.byKind.reduce((s, g) => s + g.savings.monthlySavings, 0)).toBe(15);
  });
});
