import { builtinPriceKeys } from '../handlers/builtin';
import { copyValue } from './price-key';
import type { PriceBook, PriceKey, PriceValue, RegionPrices } from './types';

export { priceItems, mergeRegionPrices, copyRegionPrices, isEmptyPrices };

/** A deep copy, so a caller can never alter the shared bundled data. */
function copyRegionPrices(p: RegionPrices): RegionPrices {
  const values: Record<string, PriceValue | null> = {};
  for (const [k, v] of Object.entries(p.values)) values[k] = copyValue(v);
  return { ...p, values };
}

/** The bundled prices of `keys` in `region`, dated by the oldest source behind them; null when none has a value. */
export function bundledRegionPrices(keys: readonly PriceKey[], region: string): RegionPrices | null {
  const values: Record<string, PriceValue | null> = {};
  let asOf: string | null = null;
  for (const k of keys) {
    const b = Object.hasOwn(k.bundled, region) ? k.bundled[region] : undefined;
    values[k.key] = b ? copyValue(b.value) : null;
    if (b && (asOf === null || b.asOf < asOf)) asOf = b.asOf;
  }
  return asOf === null ? null : { region, source: 'bundled', asOf, values };
}

/** The regions at least one of `keys` has a bundled value for. */
export function bundledRegions(keys: readonly PriceKey[]): string[] {
  return [...new Set(keys.flatMap((k) => Object.keys(k.bundled)))];
}

/** The oldest publication date behind any bundled value of `keys`: every bundled price is at least this recent. */
export function bundledAsOf(keys: readonly PriceKey[]): string | null {
  const dates = keys.flatMap((k) => Object.values(k.bundled).map((b) => b.asOf));
  return dates.length === 0 ? null : dates.reduce((a, b) => (a < b ? a : b));
}

/**
 * The price book shipped with the app, over the keys the registered kinds declare (`priceKeysOf(registry)`): each
 * key's bundled values (see keys/ for the sources). Unknown regions give null.
 *
 * Without `keys` it prices the keys of the kinds that ship with the app: a transitional default for callers that do
 * not hand their registry's keys yet (a kind registered only there is then unpriced).
 */
export function createBundledPriceBook(keys: readonly PriceKey[] = builtinPriceKeys()): PriceBook {
  return { forRegion: (region) => bundledRegionPrices(keys, region) };
}

/** The date of the shipped kinds' bundled prices (see bundledAsOf). */
export const BUNDLED_PRICES_AS_OF: string = bundledAsOf(builtinPriceKeys()) ?? '1970-01-01';

/**
 * `primary` key by key, each missing (null) value taken from `fallback`. The result keeps `primary`'s source and
 * date: it is what was fetched, completed where the fetch had nothing.
 */
function mergeRegionPrices(primary: RegionPrices, fallback: RegionPrices | null): RegionPrices {
  if (!fallback) return copyRegionPrices(primary);
  const values: Record<string, PriceValue | null> = {};
  for (const k of new Set([...Object.keys(primary.values), ...Object.keys(fallback.values)])) {
    values[k] = copyValue(primary.values[k] ?? fallback.values[k] ?? null);
  }
  return { region: primary.region, source: primary.source, asOf: primary.asOf, values };
}

/** Every priced item of a region, flattened (null items included; a ladder's tiers one by one), for checks such as "no price is 0". */
function priceItems(p: RegionPrices): Array<[string, number | null]> {
  const items: Array<[string, number | null]> = [];
  for (const [k, v] of Object.entries(p.values)) {
    if (v === null) items.push([k, null]);
    else if (typeof v === 'number') items.push([k, v]);
    else v.forEach((t, i) => items.push([`${k}[${i}]`, t.price]));
  }
  return items;
}

/** True when no key has a value (a region the price list does not know, or an empty answer). */
function isEmptyPrices(p: RegionPrices): boolean {
  return Object.values(p.values).every((v) => v === null);
}
