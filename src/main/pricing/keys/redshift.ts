/*
 * Redshift price keys (placeholder API, filled in by the pricing work). Undefined: unknown, never $0.
 */
import type { PriceKey, RatePriceKey } from '../types';

/** Per node-hour of a provisioned cluster (`ra3.xlplus`, `dc2.large`, …). */
export function redshiftNodeHourKey(_nodeType: string): RatePriceKey | undefined {
  return undefined;
}

/** Redshift Managed Storage (RA3 clusters; also what their snapshots bill at), GB-Mo. */
export function redshiftManagedStorageKey(): RatePriceKey | undefined {
  return undefined;
}

/** Manual snapshot storage of DC2/DS2 clusters beyond the free allowance, GB-Mo. */
export function redshiftBackupStorageKey(): RatePriceKey | undefined {
  return undefined;
}

export const REDSHIFT_PRICE_KEYS: readonly PriceKey[] = [];
