import type { PricingClient } from '@aws-sdk/client-pricing';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { getCachedPrices, putCachedPrices } from '../db/repos/price-cache';
import { createBundledPriceBook, mergeRegionPrices } from './price-book';
import { fetchRegionPrices, isEmptyPrices } from './price-list';
import type { PriceBook, RegionPrices } from './types';

export { HOURS_PER_MONTH } from './types';

export const DEFAULT_PRICE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** How many regions are fetched at once: each is 5+ sequential paged queries, and the API throttles. */
const REFRESH_CONCURRENCY = 3;

export interface PriceLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
}

export interface PriceServiceOptions {
  db: Kysely<Database>;
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

function errorName(e: unknown): string {
  const err = e as { name?: unknown; code?: unknown; Code?: unknown } | null;
  const name = err?.name ?? err?.code ?? err?.Code;
  return typeof name === 'string' ? name : 'Error';
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
  const name = errorName(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (name === 'AccessDeniedException' || name === 'UnauthorizedOperation' || name === 'AccessDenied') {
    return { kind: 'access-denied', reason: `price list access denied (${name}): ${errorMessage(e)}` };
  }
  if (NETWORK_CODES.has(name) || (typeof code === 'string' && NETWORK_CODES.has(code))) {
    return { kind: 'network', reason: `price list unreachable (${typeof code === 'string' ? code : name}): ${errorMessage(e)}` };
  }
  return { kind: 'other', reason: `price list error (${name}): ${errorMessage(e)}` };
}

export function createPriceService(opts: PriceServiceOptions): PriceService {
  const { db, pricingClient, logger } = opts;
  const maxAgeMs = opts.maxAgeMs ?? DEFAULT_PRICE_MAX_AGE_MS;
  const now = opts.now ?? (() => new Date());
  const bundled = createBundledPriceBook();
  // book() must be synchronous; this mirrors the fresh cache rows that refresh() loaded or wrote.
  const live = new Map<string, { prices: RegionPrices; fetchedAt: Date }>();
  let client: PricingClient | undefined;

  const book: PriceBook = {
    forRegion(region: string): RegionPrices | null {
      const entry = live.get(region);
      const base = bundled.forRegion(region);
      if (entry && now().getTime() - entry.fetchedAt.getTime() <= maxAgeMs) {
        return mergeRegionPrices(entry.prices, base);
      }
      return base;
    },
  };

  async function refresh(regions: string[], ropts: { force?: boolean; signal?: AbortSignal } = {}): Promise<RefreshResult> {
    const result: RefreshResult = { refreshed: [], cached: [], fallback: [] };
    const toFetch: string[] = [];
    for (const region of [...new Set(regions)]) {
      const hit = ropts.force ? null : await getCachedPrices(db, region, maxAgeMs, now());
      if (hit) {
        live.set(region, hit);
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
          const fetched = await fetchRegionPrices(pc, region, { signal: ropts.signal, now: now() });
          if (isEmptyPrices(fetched)) {
            result.fallback.push({ region, reason: 'the price list has no EBS or public IPv4 prices for this region' });
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
