import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { getAccount, listAccounts, upsertAccount } from './accounts';

describeEachDialect('accounts', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
  });

  it('keeps first seen, updates the rest, and lists the last seen first', async () => {
    const first = await upsertAccount(h.db, { id: '123456789012', alias: null, partition: 'aws', arn: null, profile: 'a' }, '2026-03-01T00:00:00.000Z');
    expect(first).toEqual({ id: '123456789012', alias: null, partition: 'aws', arn: null, lastProfile: 'a', firstSeen: '2026-03-01T00:00:00.000Z', lastSeen: '2026-03-01T00:00:00.000Z' });
    await upsertAccount(h.db, { id: '210987654321', alias: 'other', partition: 'aws', arn: null, profile: 'o' }, '2026-03-02T00:00:00.000Z');
    const again = await upsertAccount(
      h.db,
      { id: '123456789012', alias: 'main', partition: 'aws-us-gov', arn: 'arn:aws-us-gov:iam::123456789012:root', profile: 'b' },
      '2026-03-03T00:00:00.000Z',
    );
    expect(again).toEqual({
      id: '123456789012',
      alias: 'main',
      partition: 'aws-us-gov',
      arn: 'arn:aws-us-gov:iam::123456789012:root',
      lastProfile: 'b',
      firstSeen: '2026-03-01T00:00:00.000Z',
      lastSeen: '2026-03-03T00:00:00.000Z',
    });
    expect(await getAccount(h.db, '123456789012')).toEqual(again);
    expect(await getAccount(h.db, '999999999999')).toBeNull();
    expect((await listAccounts(h.db)).map((a) => a.id)).toEqual(['123456789012', '210987654321']);
  });
});
