import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../connection';
import { openMemoryDatabase } from '../database';
import { upsertAccount } from './accounts';
import { completeDeletion, insertDecision, insertPendingDeletion, listDeletions, pendingDeletions } from './deletions';
import type { PendingCall } from './deletions';

const A = '111122223333';
const B = '444455556666';
let h: DbHandle;
beforeEach(async () => {
  h = await openMemoryDatabase();
  for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
});
afterEach(async () => {
  await h.close();
});

const call = (over: Partial<PendingCall> = {}): PendingCall => ({
  accountId: A,
  planId: 'p1',
  resourcePk: null,
  resourceType: 'ec2:volume',
  region: 'us-east-1',
  resourceId: 'vol-1',
  action: 'DeleteVolume',
  target: 'vol-1',
  dryRun: false,
  ...over,
});

describe('deletions repo', () => {
  it('writes a pending row, completes it once, and never rewrites a completed row', async () => {
    const id = insertPendingDeletion(h.sqlite, call(), '2026-11-20T10:00:00.000Z');
    expect((await pendingDeletions(h.db)).map((d) => d.id)).toEqual([id]);
    completeDeletion(h.sqlite, id, { outcome: 'failed', errorCode: 'VolumeInUse', errorMessage: 'attached', details: { requestId: 'r1' } }, '2026-11-20T10:00:01.000Z');
    completeDeletion(h.sqlite, id, { outcome: 'succeeded' }, '2026-11-20T10:00:09.000Z');
    const [row] = await listDeletions(h.db, { accountId: A });
    expect(row).toEqual({
      id,
      accountId: A,
      planId: 'p1',
      resourcePk: null,
      resourceType: 'ec2:volume',
      region: 'us-east-1',
      resourceId: 'vol-1',
      action: 'DeleteVolume',
      target: 'vol-1',
      dryRun: false,
      dryRunResult: null,
      outcome: 'failed',
      errorCode: 'VolumeInUse',
      errorMessage: 'attached',
      requestedAt: '2026-11-20T10:00:00.000Z',
      completedAt: '2026-11-20T10:00:01.000Z',
      details: { requestId: 'r1' },
    });
    expect(await pendingDeletions(h.db)).toEqual([]);
  });

  it('records refusals complete, with the reason', async () => {
    insertDecision(
      h.sqlite,
      { ...call(), action: 'Refuse', dryRun: true, outcome: 'refused', message: 'Now attached to i-1', details: { stage: 'recheck' } },
      '2026-11-20T10:00:00.000Z',
    );
    expect((await listDeletions(h.db, { accountId: A }))[0]).toMatchObject({
      action: 'Refuse',
      target: 'vol-1',
      dryRun: true,
      outcome: 'refused',
      errorMessage: 'Now attached to i-1',
      completedAt: '2026-11-20T10:00:00.000Z',
      details: { stage: 'recheck' },
    });
    expect(await pendingDeletions(h.db)).toEqual([]);
  });

  it('lists newest first, filtered by account, plan and resource, paged', async () => {
    const t = '2026-11-20T10:00:00.000Z';
    const ids = [
      insertPendingDeletion(h.sqlite, call({ planId: 'p1', resourcePk: null }), t),
      insertPendingDeletion(h.sqlite, call({ planId: 'p2' }), t),
      insertPendingDeletion(h.sqlite, call({ planId: 'p1', accountId: B }), t),
      insertPendingDeletion(h.sqlite, call({ planId: 'p1', action: 'CreateSnapshot' }), t),
    ];
    const listed = (q: Parameters<typeof listDeletions>[1]) => listDeletions(h.db, q).then((r) => r.map((d) => d.id));
    expect(await listed({ accountId: A })).toEqual([ids[3], ids[1], ids[0]]);
    expect(await listed({ accountId: A, planId: 'p1' })).toEqual([ids[3], ids[0]]);
    expect(await listed({ accountId: A, limit: 1, offset: 1 })).toEqual([ids[1]]);
    expect(await listed({ accountId: B })).toEqual([ids[2]]);
    expect((await pendingDeletions(h.db)).map((d) => d.id)).toEqual(ids);
    expect((await pendingDeletions(h.db, B)).map((d) => d.id)).toEqual([ids[2]]);
  });

  it('filters by resource', async () => {
    const pk = Number(
      h.sqlite
        .prepare(`INSERT INTO resources (account_id, resource_type, region, resource_id, service_code, unused, first_seen, last_seen)
                  VALUES (?, 'ec2:volume', 'us-east-1', 'vol-1', 'x', 1, 't', 't')`)
        .run(A).lastInsertRowid,
    );
    const mine = insertPendingDeletion(h.sqlite, call({ resourcePk: pk }), 't');
    insertPendingDeletion(h.sqlite, call(), 't');
    expect((await listDeletions(h.db, { accountId: A, resourcePk: pk })).map((d) => d.id)).toEqual([mine]);
  });

  it('refuses to write a pending row inside a transaction (a rollback would erase it)', () => {
    h.sqlite.exec('BEGIN');
    expect(() => insertPendingDeletion(h.sqlite, call(), 't')).toThrow(/transaction/);
    h.sqlite.exec('ROLLBACK');
  });
});
