import type { Kysely } from 'kysely';
import type { RegionPrices } from '../../pricing/types';
import type { Database } from '../schema';

/** Prices fetched from the Price List API for one region, and when. */
export interface CachedPrices {
  prices: RegionPrices;
  fetchedAt: Date;
}

function isRegionPrices(v: unknown, region: string): v is RegionPrices {
  const p = v as Partial<RegionPrices> | null;
  // Rows written before prices were keyed (no `values`) are misses: the next refresh overwrites them.
  return (
    !!p && typeof p === 'object' && p.region === region && typeof p.asOf === 'string' &&
    !!p.values && typeof p.values === 'object' && !Array.isArray(p.values)
  );
}

/**
 * The cached prices of a region when fetched less than `maxAgeMs` before `now`; null when absent, stale or
 * unreadable (a row the app cannot read is treated as a miss, so the next refresh overwrites it).
 */
export async function getCachedPrices(
  db: Kysely<Database>,
  region: string,
  maxAgeMs: number,
  now: Date,
): Promise<CachedPrices | null> {
  const row = await db.selectFrom('price_cache').selectAll().where('region', '=', region).executeTakeFirst();
  if (!row) return null;
  const fetchedAt = new Date(row.fetched_at);
  const age = now.getTime() - fetchedAt.getTime();
  if (Number.isNaN(age) || age > maxAgeMs) return null;
  let prices: unknown;
  try {
    prices = JSON.parse(row.prices);
  } catch {
    return null;
  }
  return isRegionPrices(prices, region) ? { prices, fetchedAt } : null;
}

/** Stores (or replaces) a region's fetched prices, stamped `now`. */
export async function putCachedPrices(db: Kysely<Database>, prices: RegionPrices, now: Date): Promise<void> {
  const values = { region: prices.region, prices: JSON.stringify(prices), fetched_at: now.toISOString() };
  await db
    .insertInto('price_cache')
    .values(values)
    .onConflict((oc) => oc.column('region').doUpdateSet({ prices: values.prices, fetched_at: values.fetched_at }))
    .execute();
}
