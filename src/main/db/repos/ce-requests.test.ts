import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { getCeRequestStats, recordCeRequests } from './ce-requests';

const ACCOUNT = '123456789012';

describeEachDialect('ce_requests', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: null });
    await upsertAccount(h.db, { id: '999999999999', alias: null, partition: 'aws', arn: null, profile: null });
  });

  it('counts per account per UTC day and prices each request at one cent', async () => {
    const now = new Date('2026-03-15T23:30:00Z');
    await recordCeRequests(h.db, ACCOUNT, 1, new Date('2026-03-15T00:00:01Z'));
    await recordCeRequests(h.db, ACCOUNT, 2, now);
    await recordCeRequests(h.db, ACCOUNT, 4, new Date('2026-03-14T23:59:59Z'));
    await recordCeRequests(h.db, ACCOUNT, 5, new Date('2026-02-14T12:00:00Z')); // 29 days before: inside 30 days
    await recordCeRequests(h.db, ACCOUNT, 7, new Date('2026-02-13T12:00:00Z')); // 30 days before: outside
    await recordCeRequests(h.db, ACCOUNT, 0, now);
    await recordCeRequests(h.db, '999999999999', 100, now);

    const rows = await h.db.selectFrom('ce_requests').select(['day', 'requests']).where('account_id', '=', ACCOUNT).orderBy('day').execute();
    expect(rows).toEqual([
      { day: '2026-02-13', requests: 7 },
      { day: '2026-02-14', requests: 5 },
      { day: '2026-03-14', requests: 4 },
      { day: '2026-03-15', requests: 3 },
    ]);
    expect(await getCeRequestStats(h.db, ACCOUNT, now)).toEqual({ today: 3, last30Days: 12, total: 19, costUsd: 0.19 });
  });

  it('reports zeros for an account that never asked', async () => {
    expect(await getCeRequestStats(h.db, ACCOUNT)).toEqual({ today: 0, last30Days: 0, total: 0, costUsd: 0 });
  });

  it('refuses negative or fractional counts', async () => {
    await expect(recordCeRequests(h.db, ACCOUNT, -1)).rejects.toThrow();
    await expect(recordCeRequests(h.db, ACCOUNT, 1.5)).rejects.toThrow();
  });
});
