import { SNAPSHOT_ARCHIVE_GB_MONTH, SNAPSHOT_STANDARD_GB_MONTH } from '../pricing/keys/ebs';
import { price as priceOf } from '../pricing/price-key';
import type { RegionPrices } from '../pricing/types';
import { num, roundCost, usd } from './handler';

const BYTES_PER_GIB = 2 ** 30;

export interface SnapshotToPrice {
  /** Size of the source volume in GiB (DescribeSnapshots `VolumeSize`, or an AMI mapping's `VolumeSize`). */
  sizeGiB: number | null;
  /** `FullSnapshotSizeInBytes` (DescribeSnapshots, since Feb 2025) when AWS reports it. */
  fullSnapshotSizeBytes?: number | null;
  /** `StorageTier`: `standard` | `archive`; absent means standard. */
  storageTier?: string | null;
}

export interface SnapshotPrice {
  /** USD per month, or null when a price or a fact is missing (unknown, never $0). */
  monthlyCost: number | null;
  /** The formula (or why there is none), ending with the region. */
  costBasis: string;
}

/** The same price without the region suffix, so an AMI can add several snapshots and name the region once. */
export interface SnapshotPriceTerms {
  monthlyCost: number | null;
  terms: string;
}

function unknown(terms: string): SnapshotPriceTerms {
  return { monthlyCost: null, terms };
}

/**
 * The size to bill: the full snapshot size when AWS reports one, else the volume size. Both are upper bounds
 * of what a standard-tier snapshot bills. A non-positive `FullSnapshotSizeInBytes` is treated as not reported,
 * so an unfilled field never prices a snapshot at $0.
 */
function billableSize(s: SnapshotToPrice): { gib: number; label: 'full size' | 'volume size' } | null {
  const bytes = s.fullSnapshotSizeBytes;
  if (typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0) {
    return { gib: bytes / BYTES_PER_GIB, label: 'full size' };
  }
  if (typeof s.sizeGiB === 'number' && Number.isFinite(s.sizeGiB) && s.sizeGiB > 0) {
    return { gib: s.sizeGiB, label: 'volume size' };
  }
  return null;
}

export function priceSnapshotTerms(s: SnapshotToPrice, prices: RegionPrices | null): SnapshotPriceTerms {
  if (prices === null) return unknown('Cost unknown: no prices for this region');
  const tier = s.storageTier ?? 'standard';
  if (tier !== 'standard' && tier !== 'archive') return unknown(`Cost unknown: storage tier ${tier} has no known price`);
  const size = billableSize(s);
  if (size === null) return unknown('Cost unknown: AWS did not report the snapshot or volume size');

  if (tier === 'standard') {
    const price = priceOf(prices, SNAPSHOT_STANDARD_GB_MONTH);
    if (price === null) return unknown('Cost unknown: no standard snapshot price');
    // Standard snapshots bill only the blocks that changed since the previous snapshot of the volume: the full
    // (or volume) size is what it would cost alone, never less than what it bills.
    return {
      monthlyCost: roundCost(size.gib * price),
      terms: `≤ ${num(size.gib)} GiB ${size.label} × ${usd(price)} standard snapshot (upper bound: billing is incremental)`,
    };
  }

  const price = priceOf(prices, SNAPSHOT_ARCHIVE_GB_MONTH);
  if (price === null) return unknown('Cost unknown: no archive snapshot price');
  // Archive stores (and bills) the full snapshot. The volume size is only an upper bound of that full size.
  const bound = size.label === 'full size' ? '' : '≤ ';
  return {
    monthlyCost: roundCost(size.gib * price),
    terms: `${bound}${num(size.gib)} GiB ${size.label} × ${usd(price)} archive snapshot (archive bills the full snapshot, 90-day minimum)`,
  };
}

/** Monthly cost of one EBS snapshot, with its formula (see `SnapshotToPrice`). */
export function priceSnapshot(s: SnapshotToPrice, prices: RegionPrices | null): SnapshotPrice {
  const t = priceSnapshotTerms(s, prices);
  if (prices === null) return { monthlyCost: null, costBasis: t.terms };
  return { monthlyCost: t.monthlyCost, costBasis: `${t.terms} (${prices.region})` };
}
