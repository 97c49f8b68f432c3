import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import { openPostgres } from '../postgres';
import { isSqlite, type AppDb } from '../store';
import { upsertAccount } from './accounts';
import { auditComplete, auditDecision, auditPending, listDeletions, pendingDeletions } from './deletions';
import type { PendingCall } from './deletions';

const A = '111122223333';
const B = '444455556666';

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

describeEachDialect('deletions repo', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
  });

  it('writes a pending row, completes it once, and never rewrites a completed row', async () => {
    const id = await auditPending(h, call(), '2026-11-20T10:00:00.000Z');
    expect((await pendingDeletions(h.db)).map((d) => d.id)).toEqual([id]);
    await auditComplete(h, id, { outcome: 'failed', errorCode: 'VolumeInUse', errorMessage: 'attached', details: { requestId: 'r1' } }, '2026-11-20T10:00:01.000Z');
    await auditComplete(h, id, { outcome: 'succeeded' }, '2026-11-20T10:00:09.000Z');
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
    await auditDecision(
      h,
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
      await auditPending(h, call({ planId: 'p1', resourcePk: null }), t),
      await auditPending(h, call({ planId: 'p2' }), t),
      await auditPending(h, call({ planId: 'p1', accountId: B }), t),
      await auditPending(h, call({ planId: 'p1', action: 'CreateSnapshot' }), t),
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
    const { id: pk } = await h.db
      .insertInto('resources')
      .values({ account_id: A, resource_type: 'ec2:volume', region: 'us-east-1', resource_id: 'vol-1', service_code: 'x', unused: 1, first_seen: 't', last_seen: 't' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mine = await auditPending(h, call({ resourcePk: pk }), 't');
    await auditPending(h, call(), 't');
    expect((await listDeletions(h.db, { accountId: A, resourcePk: pk })).map((d) => d.id)).toEqual([mine]);
  });

  it('refuses to write a pending row inside a transaction (a rollback would erase it)', async () => {
    if (isSqlite(h)) {
      h.sqlite.exec('BEGIN');
      await expect(auditPending(h, call(), 't')).rejects.toThrow(/transaction/);
      h.sqlite.exec('ROLLBACK');
    }
    // Through kysely, on either store: a transaction's handle is refused.
    await expect(h.db.transaction().execute((tx) => auditPending({ ...h, db: tx }, call(), 't'))).rejects.toThrow(/transaction/);
    expect(await listDeletions(h.db, { accountId: A })).toEqual([]);
  });

  store.only('postgres')('commits the pending row before it returns: another connection sees it at once', async () => {
    const url = await store.url();
    const [writer, reader] = [await openPostgres({ url }), await openPostgres({ url })];
    try {
      await upsertAccount(writer.db, { id: A, alias: null, partition: 'aws', arn: null, profile: null });
      const id = await auditPending(writer, call(), '2026-11-20T10:00:00.000Z');
      expect((await pendingDeletions(reader.db)).map((d) => d.id)).toEqual([id]);
      await auditComplete(writer, id, { outcome: 'succeeded' }, '2026-11-20T10:00:01.000Z');
      expect(await pendingDeletions(reader.db)).toEqual([]);
    } finally {
      await Promise.all([writer.close(), reader.close()]);
    }
  });
});
