import type { PricingClient } from '@aws-sdk/client-pricing';
import type { Kysely } from 'kysely';
import { awsErrorCode } from '../aws/errors';
import type { Database } from '../db/schema';
import { getCachedPrices, putCachedPrices } from '../db/repos/price-cache';
import { bundledRegionPrices, isEmptyPrices, mergeRegionPrices } from './price-book';
import { isPriceValue } from './price-key';
import { fetchRegionPrices } from './price-list';
import type { PriceBook, PriceKey, PriceValue, RegionPrices } from './types';

export { HOURS_PER_MONTH } from './types';

export const DEFAULT_PRICE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** How many regions are fetched at once: each is several sequential paged queries, and the API throttles. */
const REFRESH_CONCURRENCY = 3;

export interface PriceLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
}

export interface PriceServiceOptions {
  db: Kysely<Database>;
  /**
   * The keys to price: those the registered kinds declare, read at each use so a kind registered later is priced
   * too. The app passes `() => priceKeysOf(registry)` (handlers/registry.ts).
   */
  priceKeys: () => readonly PriceKey[];
  /** Builds the Price List client (endpoint us-east-1); absent = no live prices, bundled only. */
  pricingClient?: () => PricingClient;
  maxAgeMs?: number;
  now?: () => Date;
  logger?: PriceLogger;
}

export interface RefreshResult {
  /** Regions fetched from the Price List API and cached now. */
  refreshed: string[];
  /** Regions whose cache was still fresh: nothing was fetched. */
  cached: string[];
  /** Regions left on bundled prices, and why. */
  fallback: { region: string; reason: string }[];
}

export interface PriceService {
  /** Synchronous: fresh price-list prices (completed from the bundled book), else bundled, else null. */
  book(): PriceBook;
  /** Fills the cache for regions whose cache is older than maxAgeMs (all of them with `force`). */
  refresh(regions: string[], opts?: { force?: boolean; signal?: AbortSignal }): Promise<RefreshResult>;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

/** A short, user-facing reason; access denied is singled out because every later region will be denied too. */
export function classifyPriceListError(e: unknown): { kind: 'access-denied' | 'network' | 'other'; reason: string } {
  const name = awsErrorCode(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (name === 'AccessDeniedException' || name === 'UnauthorizedOperation' || name === 'AccessDenied') {
    return { kind: 'access-denied', reason: `price list access denied (${name}): ${errorMessage(e)}` };
  }
  if (NETWORK_CODES.has(name) || (typeof code === 'string' && NETWORK_CODES.has(code))) {
    return { kind: 'network', reason: `price list unreachable (${typeof code === 'string' ? code : name}): ${errorMessage(e)}` };
  }
  return { kind: 'other', reason: `price list error (${name}): ${errorMessage(e)}` };
}

/**
 * A cached row as usable prices for `keys`, or null (a miss: refetch) when it is not in the current shape or does not
 * cover every key the Price List publishes (a kind registered since it was fetched). Values that are not a usable
 * price of their key are dropped to null, so the bundled value completes them.
 */
function fromCache(cached: RegionPrices, keys: readonly PriceKey[]): RegionPrices | null {
  const stored: unknown = (cached as { values?: unknown }).values;
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return null;
  const raw = stored as Record<string, unknown>;
  const values: Record<string, PriceValue | null> = {};
  for (const k of keys) {
    if (!k.priceList) continue;
    if (!Object.hasOwn(raw, k.key)) return null;
    const v = raw[k.key];
    values[k.key] = isPriceValue(k, v) ? v : null;
  }
  return { region: cached.region, source: 'price-list', asOf: cached.asOf, values };
}

export function createPriceService(opts: PriceServiceOptions): PriceService {
  const { db, pricingClient, logger, priceKeys } = opts;
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_PRICE_MAX_AGE_MS;
  const now = opts.now ?? (() => new Date());
  // book() must be synchronous; this mirrors the fresh cache rows that refresh() loaded or wrote.
  const live = new Map<string, { prices: RegionPrices; fetchedAt: Date }>();
  let client: PricingClient | undefined;

  const book: PriceBook = {
    forRegion(region: string): RegionPrices | null {
      const entry = live.get(region);
      const base = bundledRegionPrices(priceKeys(), region);
      if (entry && now().getTime() - entry.fetchedAt.getTime() <= maxAgeMs) {
        return mergeRegionPrices(entry.prices, base);
      }
      return base;
    },
  };

  async function refresh(regions: string[], ropts: { force?: boolean; signal?: AbortSignal } = {}): Promise<RefreshResult> {
    const result: RefreshResult = { refreshed: [], cached: [], fallback: [] };
    const keys = priceKeys();
    const toFetch: string[] = [];
    for (const region of [...new Set(regions)]) {
      const row = ropts.force ? null : await getCachedPrices(db, region, maxAgeMs, now());
      const hit = row ? fromCache(row.prices, keys) : null;
      if (row && hit) {
        live.set(region, { prices: hit, fetchedAt: row.fetchedAt });
        result.cached.push(region);
      } else {
        toFetch.push(region);
      }
    }
    if (toFetch.length === 0) return result;

    if (!pricingClient) {
      for (const region of toFetch) result.fallback.push({ region, reason: 'no Price List client configured' });
      return result;
    }
    try {
      client ??= pricingClient();
    } catch (e) {
      const reason = `cannot create the Price List client: ${errorMessage(e)}`;
      logger?.warn('prices: falling back to bundled prices', { reason });
      for (const region of toFetch) result.fallback.push({ region, reason });
      return result;
    }
    const pc = client;

    let denied: string | null = null;
    const queue = [...toFetch];
    const worker = async (): Promise<void> => {
      for (let region = queue.shift(); region !== undefined; region = queue.shift()) {
        ropts.signal?.throwIfAborted();
        if (denied) {
          // Permissions do not differ per region: do not spend calls learning the same thing again.
          result.fallback.push({ region, reason: denied });
          continue;
        }
        try {
          const fetched = await fetchRegionPrices(pc, region, keys, { signal: ropts.signal, now: now() });
          if (isEmptyPrices(fetched)) {
            result.fallback.push({ region, reason: 'the price list has none of the declared prices for this region' });
            continue;
          }
          const at = now();
          await putCachedPrices(db, fetched, at);
          live.set(region, { prices: fetched, fetchedAt: at });
          result.refreshed.push(region);
        } catch (e) {
          // A cancelled refresh is the caller's decision, not a price-list failure.
          if (ropts.signal?.aborted) throw ropts.signal.reason ?? e;
          const { kind, reason } = classifyPriceListError(e);
          if (kind === 'access-denied') denied = reason;
          logger?.warn('prices: falling back to bundled prices', { region, reason });
          result.fallback.push({ region, reason });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REFRESH_CONCURRENCY, toFetch.length) }, worker));
    // Workers finish in any order; report regions in the order they were asked for.
    const order = new Map(regions.map((r, i) => [r, i]));
    const byOrder = (a: string, b: string): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    result.refreshed.sort(byOrder);
    result.fallback.sort((a, b) => byOrder(a.region, b.region));
    return result;
  }

  return { book: () => book, refresh };
}
