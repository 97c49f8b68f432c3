/*
 * OpenSearch Service price keys (placeholder API, filled in by the pricing work). Undefined: unknown, never $0.
 */
import type { PriceKey, RatePriceKey } from '../types';

/** Per instance-hour of a data or dedicated master node (`r6g.large.search`). */
export function openSearchInstanceHourKey(_instanceType: string): RatePriceKey | undefined {
  return undefined;
}

/** EBS storage attached to a domain, GB-Mo by volume type (`gp2`, `gp3`, `io1`, `standard`). */
export function openSearchStorageKey(_volumeType: string): RatePriceKey | undefined {
  return undefined;
}

export const OPENSEARCH_PRICE_KEYS: readonly PriceKey[] = [];
