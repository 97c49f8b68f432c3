/** The metrics engine's series cache on both stores. */
import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { metricCacheFor } from './metric-series';

const A = '111122223333';
const B = '444455556666';
const W = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-15T00:00:00Z'), days: 14 };
const W2 = { start: new Date('2026-11-02T00:00:00Z'), end: new Date('2026-11-16T00:00:00Z'), days: 14 };
const T = (h: number) => new Date(Date.UTC(2026, 10, 15, h));

describeEachDialect('metric series cache', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
  });

  it('returns the series of exactly this account, region and window, fetched after the freshness limit', async () => {
    const a = metricCacheFor(h, A);
    await a.put('us-east-1', [['k1', [['2026-11-01', 3]]], ['k2', []], ['k3', [['2026-11-02', 0.5]]]], W, T(1));
    await a.put('us-east-1', [['k4', [['2026-11-01', 1]]]], W, T(6));
    await a.put('eu-west-1', [['k1', [['2026-11-01', 99]]]], W, T(6));
    await a.put('us-east-1', [['k1', [['2026-11-01', 77]]]], W2, T(6));
    await metricCacheFor(h, B).put('us-east-1', [['k1', [['2026-11-01', 55]]]], W, T(6));

    const got = await a.get('us-east-1', ['k1', 'k2', 'k4', 'k9'], W, T(0));
    expect(Object.fromEntries(got)).toEqual({ k1: [['2026-11-01', 3]], k2: [], k4: [['2026-11-01', 1]] });
    // Too old: only what was fetched at or after the limit.
    expect([...(await a.get('us-east-1', ['k1', 'k4'], W, T(2))).keys()]).toEqual(['k4']);
    expect(await a.get('us-east-1', [], W, T(0))).toEqual(new Map());
  });

  it('a second put of a key replaces its points and fetch time; the last of a repeated key wins', async () => {
    const a = metricCacheFor(h, A);
    await a.put('us-east-1', [['k1', [['2026-11-01', 3]]]], W, T(1));
    await a.put('us-east-1', [['k1', [['2026-11-01', 4]]], ['k1', [['2026-11-01', 5]]]], W, T(3));
    expect(Object.fromEntries(await a.get('us-east-1', ['k1'], W, T(2)))).toEqual({ k1: [['2026-11-01', 5]] });
  });

  it('reads and writes thousands of keys at once', async () => {
    const a = metricCacheFor(h, A);
    const keys = Array.from({ length: 2500 }, (_, i) => `key-${i}`);
    await a.put('us-east-1', keys.map((k, i) => [k, [['2026-11-01', i]]] as const), W, T(1));
    const got = await a.get('us-east-1', keys, W, T(0));
    expect(got.size).toBe(2500);
    expect(got.get('key-2499')).toEqual([['2026-11-01', 2499]]);
  });
});
