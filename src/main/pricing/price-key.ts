import type {
  BundledPrices,
  PriceKey,
  PriceListProduct,
  PriceTier,
  PriceValue,
  RatePriceKey,
  RegionPrices,
  TieredPriceKey,
} from './types';

/*
 * Reading and building prices over declared keys. Nothing here knows any particular price: the keys carry their
 * Price List query, their mapping and their bundled values (keys/ holds the ones several kinds share).
 */

function isRate(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/**
 * Well-formed tiers: at least one, bounds strictly ascending, only the last one may be unbounded, every price
 * positive. (Whether they cover a quantity is the pricing helper's question: a ladder that stops short prices what it
 * covers and leaves the rest unknown.)
 */
function isTiers(v: unknown): v is readonly PriceTier[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  let last = 0;
  for (let i = 0; i < v.length; i++) {
    const t = v[i] as Partial<PriceTier> | null;
    if (t === null || typeof t !== 'object' || !isRate(t.price)) return false;
    if (t.upTo === null && i === v.length - 1) continue;
    if (typeof t.upTo !== 'number' || !Number.isFinite(t.upTo) || t.upTo <= last) return false;
    last = t.upTo;
  }
  return true;
}

/** Whether `v` is a usable value of `key` (a positive rate, or well-formed tiers): 0 and junk are never prices. */
export function isPriceValue(key: PriceKey, v: unknown): v is PriceValue {
  return key.shape === 'rate' ? isRate(v) : isTiers(v);
}

/** A key's value in a region; null when unknown (absent, null, or not a usable price of that key). */
export function price(p: RegionPrices, key: RatePriceKey): number | null;
export function price(p: RegionPrices, key: TieredPriceKey): readonly PriceTier[] | null;
export function price(p: RegionPrices, key: PriceKey): PriceValue | null;
export function price(p: RegionPrices, key: PriceKey): PriceValue | null {
  const v = Object.hasOwn(p.values, key.key) ? p.values[key.key] : null;
  return isPriceValue(key, v) ? v : null;
}

export function copyValue(v: PriceValue): PriceValue;
export function copyValue(v: PriceValue | null): PriceValue | null;
export function copyValue(v: PriceValue | null): PriceValue | null {
  return Array.isArray(v) ? v.map((t: PriceTier) => ({ ...t })) : v;
}

/** Region prices from explicit values (test fixtures, a kind's own defaults). */
export function regionPrices(
  region: string,
  entries: ReadonlyArray<readonly [PriceKey, PriceValue | null]>,
  origin: Pick<RegionPrices, 'source' | 'asOf'> = { source: 'bundled', asOf: '1970-01-01' },
): RegionPrices {
  const values: Record<string, PriceValue | null> = {};
  for (const [k, v] of entries) values[k.key] = copyValue(v);
  return { region, ...origin, values };
}

/** A copy of `p` with some values replaced (null = unknown). */
export function withPrices(p: RegionPrices, entries: ReadonlyArray<readonly [PriceKey, PriceValue | null]>): RegionPrices {
  const out: RegionPrices = { ...p, values: { ...p.values } };
  for (const [k, v] of entries) out.values[k.key] = copyValue(v);
  return out;
}

/**
 * Bundled values from dated sources, each listing the regions it gives a value for: a region's value comes from the
 * first source that lists it.
 */
export function bundledFrom<V extends PriceValue>(
  ...sources: ReadonlyArray<{ asOf: string; source: string; values: Readonly<Record<string, V>> }>
): BundledPrices<V> {
  const out: Record<string, { value: V; asOf: string; source: string }> = {};
  for (const s of sources) {
    for (const [region, value] of Object.entries(s.values)) {
      if (!Object.hasOwn(out, region)) out[region] = { value, asOf: s.asOf, source: s.source };
    }
  }
  return Object.freeze(out);
}

/** The price of a single-rate product in one of `units`; a zero (free) rate is ignored, never taken as a price. */
export function rateIn(product: PriceListProduct, units: readonly string[]): number | undefined {
  return product.dimensions.find((d) => units.includes(d.unit) && d.usd > 0)?.usd;
}

/**
 * Tiers gathered from several Price List products as one ladder: ascending by bound, duplicates dropped. Only a
 * complete ladder (ending unbounded) is kept: tier 1 alone would undercharge above its bound.
 */
export function completeLadder(tiers: readonly PriceTier[]): PriceTier[] | undefined {
  const sorted = [...tiers].sort((a, b) => (a.upTo ?? Infinity) - (b.upTo ?? Infinity));
  const unique = sorted.filter((t, i) => i === 0 || t.upTo !== sorted[i - 1]?.upTo);
  return isTiers(unique) && unique[unique.length - 1]?.upTo === null ? unique : undefined;
}

/**
 * The keys of several kinds as one list, in first-declared order: a key several kinds use is listed once. Two
 * different declarations of one key id are a programming error (their prices could disagree), so they throw.
 */
export function collectPriceKeys(lists: Iterable<readonly PriceKey[] | undefined>): PriceKey[] {
  const byId = new Map<string, PriceKey>();
  for (const list of lists) {
    for (const k of list ?? []) {
      const seen = byId.get(k.key);
      if (seen === undefined) byId.set(k.key, k);
      else if (seen !== k) throw new Error(`Price key ${k.key} is declared twice: declare it once and import it`);
    }
  }
  return [...byId.values()];
}
