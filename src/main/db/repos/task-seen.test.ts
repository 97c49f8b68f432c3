/**
 * An unchanged re-scan writes no resource row: a resource's "last seen" and "last scan" move with its task's
 * (resource_tasks, recorded by markGone when the task succeeds). What readers see must be what the old per-row touch
 * gave: the page rows, the scan filter and the sort; and a resource that becomes gone or deleted keeps the last time
 * it was really seen.
 */
import { beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { describeEachDialect } from '../../test-support/dialects';
import { deleteFinding, endTask, writeFindings } from '../../test-support/seed-findings';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { getResource, getResourcesByIds, listFindings } from './resources';
import { createScan } from './scans';

const ACCOUNT = '111122223333';
const TASK = { accountId: ACCOUNT, resourceType: 'ec2:volume', region: 'us-east-1' };

const vol = (id: string, cost = 10): Finding => ({
  resourceType: 'ec2:volume', resourceId: id, region: 'us-east-1', name: null, state: 'available', tags: {}, createdAt: null,
  unused: true, unusedReason: 'Not attached to any instance', unusedSince: null, monthlyCost: cost, costBasis: 'gp3', protected: false,
  protectedReason: null, details: {},
});
const t = (day: number, minute = 0) => new Date(Date.UTC(2026, 10, day, 0, minute)).toISOString();

describeEachDialect('last seen with the task', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'test' });
  });

  /** One scan of the task: write what it saw at `day`, then end the task successfully a minute later. */
  async function scanTask(day: number, findings: Finding[]): Promise<number> {
    const scanId = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await writeFindings(h, ACCOUNT, findings, scanId, { now: t(day), serviceCode: 'AmazonEC2' });
    await endTask(h, { ...TASK, scanId, seen: new Set(findings.map((f) => f.resourceId)) }, t(day, 1));
    return scanId;
  }
  const row = (id: string) => h.db.selectFrom('resources').selectAll().where('resource_id', '=', id).executeTakeFirstOrThrow();
  const dto = async (id: string) => (await listFindings(h.db, { accountId: ACCOUNT, statuses: ['active', 'gone', 'deleted'], search: id })).rows.find((r) => r.resourceId === id)!;

  it('an unchanged resource is not rewritten, yet reads as seen by every later scan of its task', async () => {
    const s1 = await scanTask(1, [vol('vol-a'), vol('vol-b')]);
    const written = await row('vol-a');
    const s2 = await scanTask(2, [vol('vol-a'), vol('vol-b', 20)]);
    const s3 = await scanTask(3, [vol('vol-a'), vol('vol-b', 20)]);
    expect(await row('vol-a')).toEqual(written); // never written again
    expect(await row('vol-b')).toMatchObject({ last_seen: t(2), last_scan_id: s2 }); // written once more, when it changed
    for (const id of ['vol-a', 'vol-b']) expect(await dto(id)).toMatchObject({ lastSeen: t(3, 1), lastScanId: s3, status: 'active' });
    const id = (await dto('vol-a')).id;
    expect(await getResource(h.db, ACCOUNT, id)).toMatchObject({ lastSeen: t(3, 1), lastScanId: s3 });
    expect((await getResourcesByIds(h.db, ACCOUNT, [id]))[0]).toMatchObject({ lastSeen: t(3, 1), lastScanId: s3 });
    // "Last seen by this scan": the latest scan only.
    const inScan = async (scanId: number) => (await listFindings(h.db, { accountId: ACCOUNT, scanId })).rows.map((r) => r.resourceId).sort();
    expect(await inScan(s3)).toEqual(['vol-a', 'vol-b']);
    expect(await inScan(s1)).toEqual([]);
    expect(await inScan(s2)).toEqual([]);
  });

  it('a resource that goes keeps the last time a scan really saw it; a deleted one too; a failed task moves nothing', async () => {
    await scanTask(1, [vol('vol-a'), vol('vol-b'), vol('vol-c')]);
    const s2 = await scanTask(2, [vol('vol-a'), vol('vol-b'), vol('vol-c')]);
    // Day 3: the task sees only vol-a — vol-b and vol-c are gone, last seen by scan 2 (not day 1, when last written).
    const s3 = await scanTask(3, [vol('vol-a')]);
    expect(await row('vol-b')).toMatchObject({ status: 'gone', status_changed_at: t(3, 1), last_seen: t(2, 1), last_scan_id: s2 });
    expect(await dto('vol-c')).toMatchObject({ status: 'gone', lastSeen: t(2, 1), lastScanId: s2 });
    // Day 4: a scan whose task fails writes what it saw so far and never reaches markGone: vol-a stays as of scan 3.
    const s4 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await writeFindings(h, ACCOUNT, [vol('vol-new')], s4, { now: t(4), serviceCode: 'AmazonEC2' });
    expect(await dto('vol-a')).toMatchObject({ lastSeen: t(3, 1), lastScanId: s3 });
    expect(await dto('vol-new')).toMatchObject({ lastSeen: t(4), lastScanId: s4 });
    // The app deletes vol-a: its row keeps scan 3 as its last sighting.
    await deleteFinding(h, (await dto('vol-a')).id, t(5));
    expect(await row('vol-a')).toMatchObject({ status: 'deleted', last_seen: t(3, 1), last_scan_id: s3 });
    // vol-b comes back on day 6: written again, active, seen by that scan.
    const s6 = await scanTask(6, [vol('vol-b')]);
    expect(await dto('vol-b')).toMatchObject({ status: 'active', lastSeen: t(6, 1), lastScanId: s6, statusChangedAt: t(6) });
  });

  it('sorts by the last seen a reader sees, not the row column', async () => {
    await scanTask(1, [vol('vol-old'), vol('vol-x')]);
    // vol-x changes on day 2 (written, its own last seen day 2); vol-old is unchanged but seen by the same task later.
    await scanTask(2, [vol('vol-old'), vol('vol-x', 99)]);
    const sorted = async (direction: 'asc' | 'desc') =>
      (await listFindings(h.db, { accountId: ACCOUNT, sort: { column: 'lastSeen', direction } })).rows.map((r) => [r.resourceId, r.lastSeen]);
    // Both were last seen at the task's end on day 2; the id breaks the tie. With the row column, vol-old (day 1) would be first ascending and last descending.
    expect(await sorted('asc')).toEqual([['vol-old', t(2, 1)], ['vol-x', t(2, 1)]]);
    expect(await sorted('desc')).toEqual([['vol-old', t(2, 1)], ['vol-x', t(2, 1)]]);
  });
});
