import { GetProductsCommand } from '@aws-sdk/client-pricing';
import type { Filter, PricingClient } from '@aws-sdk/client-pricing';
import { completeLadder, isPriceValue } from './price-key';
import type { PriceDimension, PriceKey, PriceListProduct, PriceTier, PriceValue, RegionPrices } from './types';

/*
 * Live prices from the AWS Price List Query API (GetProducts, endpoint us-east-1), for the keys the registered kinds
 * declare. Each PriceList entry is a JSON string: { product: { productFamily, attributes: { usagetype, regionCode,
 * locationType, … } }, terms: { OnDemand: { <sku.term>: { priceDimensions: { <rateCode>: { unit, beginRange,
 * endRange, pricePerUnit: { USD } } } } } } }. Nothing here knows a particular price: each key says where it is
 * published and how a product maps to it.
 */

/** One GetProducts query: a service code and its TERM_MATCH filters besides regionCode (added per region). */
export interface PriceListQuery {
  serviceCode: string;
  filters: Readonly<Record<string, string>>;
}

/** Usage types carry a region prefix outside us-east-1 (EUW1-EBS:VolumeUsage.gp3): keys compare what follows it. */
function stripRegionPrefix(usagetype: string): string {
  return usagetype.replace(/^[A-Z]{2,5}\d?-/, '');
}

function num(v: unknown): number | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** One PriceList entry as keys see it; null when malformed. `locationType` is kept apart for the region check. */
export function parseProduct(serviceCode: string, json: string): (PriceListProduct & { locationType: string | undefined }) | null {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return null; // one malformed entry must not lose the others
  }
  const product = obj(obj(doc)?.product);
  const attrs = obj(product?.attributes);
  const usage = attrs?.usagetype;
  if (!product || !attrs || typeof usage !== 'string') return null;
  const dimensions: PriceDimension[] = [];
  for (const term of Object.values(obj(obj(obj(doc)?.terms)?.OnDemand) ?? {})) {
    for (const d of Object.values(obj(obj(term)?.priceDimensions) ?? {})) {
      const dim = obj(d);
      const usd = num(obj(dim?.pricePerUnit)?.USD);
      if (!dim || usd === null) continue;
      const endRange = dim.endRange === 'Inf' || dim.endRange === undefined ? null : num(dim.endRange);
      dimensions.push({ unit: String(dim.unit ?? ''), usd, beginRange: num(dim.beginRange) ?? 0, endRange });
    }
  }
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (typeof v === 'string') attributes[k] = v;
  return {
    serviceCode,
    productFamily: typeof product.productFamily === 'string' ? product.productFamily : '',
    usage: stripRegionPrefix(usage),
    attributes,
    locationType: typeof attrs.locationType === 'string' ? attrs.locationType : undefined,
    dimensions: dimensions.sort((a, b) => a.beginRange - b.beginRange),
  };
}

/**
 * Pure parse of one service's GetProducts `PriceList` entries into the values of `keys` (those of other services are
 * ignored): every product is offered to every key of the service. Malformed, Local Zone and Outposts entries are
 * skipped; a key nothing matched is absent; a value that is not a usable price (0, an incomplete io2 ladder) too.
 */
export function parsePriceListItems(keys: readonly PriceKey[], serviceCode: string, items: readonly string[]): Record<string, PriceValue> {
  const own = keys.filter((k) => k.priceList?.serviceCode === serviceCode);
  const rates = new Map<string, { value: number; rank: number }>();
  const tiers = new Map<string, PriceTier[]>();
  for (const raw of items) {
    const product = parseProduct(serviceCode, raw);
    // Local Zones and Outposts are priced apart from their parent region.
    if (!product || (product.locationType !== undefined && product.locationType !== 'AWS Region')) continue;
    for (const key of own) {
      if (key.shape === 'rate') {
        const spec = key.priceList;
        const value = spec?.match(product);
        if (value === undefined || !isPriceValue(key, value)) continue;
        const rank = spec?.rank?.(product) ?? 0;
        const prev = rates.get(key.key);
        if (prev === undefined || rank >= prev.rank) rates.set(key.key, { value, rank });
      } else {
        const found = key.priceList?.match(product);
        if (found === undefined) continue;
        const list = tiers.get(key.key) ?? [];
        list.push(...found.map((t) => ({ upTo: t.upTo, price: t.price })));
        tiers.set(key.key, list);
      }
    }
  }
  const out: Record<string, PriceValue> = {};
  for (const [k, { value }] of rates) out[k] = value;
  for (const [k, list] of tiers) {
    const ladder = completeLadder(list);
    if (ladder) out[k] = ladder;
  }
  return out;
}

/** The distinct queries of `keys` that the Price List answers, in first-declared order, grouped by service code. */
export function priceListQueries(keys: readonly PriceKey[]): PriceListQuery[] {
  const byService = new Map<string, Map<string, PriceListQuery>>();
  for (const k of keys) {
    const spec = k.priceList;
    if (!spec) continue;
    const queries = byService.get(spec.serviceCode) ?? new Map<string, PriceListQuery>();
    byService.set(spec.serviceCode, queries);
    const filters = Object.fromEntries(Object.entries(spec.filters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const id = JSON.stringify(filters);
    if (!queries.has(id)) queries.set(id, { serviceCode: spec.serviceCode, filters });
  }
  return [...byService.values()].flatMap((q) => [...q.values()]);
}

/** Turns what a fetch found into a RegionPrices: every key the Price List publishes, null where nothing was found. */
export function toRegionPrices(region: string, keys: readonly PriceKey[], found: Readonly<Record<string, PriceValue>>, asOf: string): RegionPrices {
  const values: Record<string, PriceValue | null> = {};
  for (const k of keys) if (k.priceList) values[k.key] = Object.hasOwn(found, k.key) ? found[k.key]! : null;
  return { region, source: 'price-list', asOf, values };
}

/** Every page of one GetProducts query. */
export async function getAllProducts(
  client: PricingClient,
  serviceCode: string,
  filters: Filter[],
  signal?: AbortSignal,
): Promise<string[]> {
  const items: string[] = [];
  let nextToken: string | undefined;
  do {
    signal?.throwIfAborted();
    const page = await client.send(
      new GetProductsCommand({ ServiceCode: serviceCode, Filters: filters, FormatVersion: 'aws_v1', MaxResults: 100, NextToken: nextToken }),
      signal ? { abortSignal: signal } : {},
    );
    items.push(...(page.PriceList ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return items;
}

function termMatch(field: string, value: string): Filter {
  return { Type: 'TERM_MATCH', Field: field, Value: value };
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Fetches one region's prices of `keys` from the Price List API: each distinct query of the keys (grouped by service
 * code) once, paged to the end, then each service's products parsed for its keys. Keys it cannot find stay null;
 * keys without a Price List declaration are not in the result. Errors (access denied, network) propagate: the price
 * service decides what to fall back to.
 */
export async function fetchRegionPrices(
  client: PricingClient,
  region: string,
  keys: readonly PriceKey[],
  opts: { signal?: AbortSignal; now?: Date } = {},
): Promise<RegionPrices> {
  const items = new Map<string, string[]>();
  for (const q of priceListQueries(keys)) {
    const filters = [termMatch('regionCode', region), ...Object.entries(q.filters).map(([f, v]) => termMatch(f, v))];
    const got = await getAllProducts(client, q.serviceCode, filters, opts.signal);
    items.set(q.serviceCode, [...(items.get(q.serviceCode) ?? []), ...got]);
  }
  const found: Record<string, PriceValue> = {};
  for (const [serviceCode, list] of items) Object.assign(found, parsePriceListItems(keys, serviceCode, list));
  return toRegionPrices(region, keys, found, isoDate(opts.now ?? new Date()));
}
