/*
 * RDS and Aurora price keys (placeholder API: the declarations, their Price List specs and bundled values with dated
 * sources are filled in by the pricing work). A function returns undefined for what has no declared key: the cost is
 * then unknown, never $0.
 */
import type { PriceKey, RatePriceKey } from '../types';

/** Per instance-hour of a DB instance: `engine` as DescribeDBInstances writes it (`mysql`, `postgres`, `aurora-postgresql`, …). */
export function rdsInstanceHourKey(_engine: string, _instanceClass: string, _multiAz: boolean): RatePriceKey | undefined {
  return undefined;
}

/** Storage of a (non-Aurora) DB instance: GB-Mo by storage type (`gp2`, `gp3`, `io1`, `io2`, `standard`), and provisioned IOPS-Mo where billed. */
export function rdsStorageKeys(_storageType: string, _multiAz: boolean): { storage?: RatePriceKey; iops?: RatePriceKey } {
  return {};
}

/** Aurora cluster storage, GB-Mo (`engine`: `aurora-mysql`, `aurora-postgresql`; I/O-Optimized when `ioOptimized`). */
export function auroraStorageKey(_engine: string, _ioOptimized: boolean): RatePriceKey | undefined {
  return undefined;
}

/** Backup storage beyond the free allowance (manual and final snapshots of DB instances), GB-Mo. */
export function rdsBackupStorageKey(): RatePriceKey | undefined {
  return undefined;
}

/** Aurora backup storage (cluster snapshots), GB-Mo. */
export function auroraBackupStorageKey(_engine: string): RatePriceKey | undefined {
  return undefined;
}

/** Every RDS/Aurora key (the kinds' `priceKeys`). */
export const RDS_PRICE_KEYS: readonly PriceKey[] = [];
