import { beforeEach, expect, it } from 'vitest';
import { EBS_GB_MONTH } from '../../pricing/keys/ebs';
import { createBundledPriceBook } from '../../pricing/price-book';
import { price, withPrices } from '../../pricing/price-key';
import type { RegionPrices } from '../../pricing/types';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { getCachedPrices, putCachedPrices } from './price-cache';

const WEEK = 7 * 24 * 3600 * 1000;

function fetched(region: string, gp3: number): RegionPrices {
  const p = createBundledPriceBook().forRegion('us-east-1')!;
  return withPrices({ ...p, region, source: 'price-list', asOf: '2026-06-01' }, [[EBS_GB_MONTH.gp3, gp3]]);
}

describeEachDialect('price cache', (store) => {
  let handle: AppDb;
  beforeEach(async () => {
    handle = await store.open();
  });

  it('returns what was stored while fresh, and nothing once older than maxAge', async () => {
    const at = new Date('2026-06-01T00:00:00Z');
    await putCachedPrices(handle.db, fetched('us-east-1', 0.08), at);
    const hit = await getCachedPrices(handle.db, 'us-east-1', WEEK, new Date(at.getTime() + WEEK - 1));
    expect(price(hit!.prices, EBS_GB_MONTH.gp3)).toBe(0.08);
    expect(hit?.prices.source).toBe('price-list');
    expect(hit?.fetchedAt.toISOString()).toBe(at.toISOString());
    expect(await getCachedPrices(handle.db, 'us-east-1', WEEK, new Date(at.getTime() + WEEK + 1))).toBeNull();
  });

  it('keeps one row per region and replaces it on refresh', async () => {
    await putCachedPrices(handle.db, fetched('eu-west-1', 0.088), new Date('2026-06-01T00:00:00Z'));
    await putCachedPrices(handle.db, fetched('eu-west-1', 0.09), new Date('2026-06-05T00:00:00Z'));
    await putCachedPrices(handle.db, fetched('us-east-1', 0.08), new Date('2026-06-05T00:00:00Z'));
    const now = new Date('2026-06-06T00:00:00Z');
    expect(price((await getCachedPrices(handle.db, 'eu-west-1', WEEK, now))!.prices, EBS_GB_MONTH.gp3)).toBe(0.09);
    expect(price((await getCachedPrices(handle.db, 'us-east-1', WEEK, now))!.prices, EBS_GB_MONTH.gp3)).toBe(0.08);
    const rows = await handle.db.selectFrom('price_cache').select('region').orderBy('region').execute();
    expect(rows).toEqual([{ region: 'eu-west-1' }, { region: 'us-east-1' }]);
  });

  it('treats a missing region or an unreadable row as a miss', async () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(await getCachedPrices(handle.db, 'ap-south-1', WEEK, now)).toBeNull();
    await handle.db.insertInto('price_cache').values({ region: 'ap-south-1', prices: '{not json', fetched_at: now.toISOString() }).execute();
    expect(await getCachedPrices(handle.db, 'ap-south-1', WEEK, now)).toBeNull();
  });
});
