/*
 * ElastiCache price keys (placeholder API, filled in by the pricing work). Undefined: unknown, never $0.
 */
import type { PriceKey, RatePriceKey } from '../types';

/** Per node-hour: `engine` as DescribeCacheClusters writes it (`redis`, `valkey`, `memcached`), `nodeType` `cache.r6g.large`. */
export function elastiCacheNodeHourKey(_engine: string, _nodeType: string): RatePriceKey | undefined {
  return undefined;
}

/** Snapshot (backup) storage, GB-Mo. */
export function elastiCacheSnapshotStorageKey(): RatePriceKey | undefined {
  return undefined;
}

export const ELASTICACHE_PRICE_KEYS: readonly PriceKey[] = [];
