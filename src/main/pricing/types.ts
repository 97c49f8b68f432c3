/**
 * Prices the handlers use, for one region. All amounts are on-demand USD as AWS publishes them.
 * A missing price is `null`, never 0: the handler then shows the cost as unknown.
 */
export const EBS_VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
export type EbsVolumeType = (typeof EBS_VOLUME_TYPES)[number];

export const HOURS_PER_MONTH = 730;

export interface Io2IopsTier {
  /** Inclusive upper bound of provisioned IOPS billed at `pricePerIopsMonth`; null = no upper bound. */
  upTo: number | null;
  pricePerIopsMonth: number;
}

export interface RegionPrices {
  region: string;
  /** Where these prices come from. */
  source: 'bundled' | 'price-list';
  /** The date the prices were published (bundled) or fetched (price list), YYYY-MM-DD. */
  asOf: string;
  /** Storage per GB-month, per volume type. */
  ebsGbMonth: Record<EbsVolumeType, number | null>;
  /** gp3 IOPS above the 3,000 free baseline, per IOPS-month. */
  gp3IopsMonth: number | null;
  /** gp3 throughput above the 125 MiB/s free baseline, per MiB/s-month. */
  gp3ThroughputMibpsMonth: number | null;
  /** io1 provisioned IOPS, per IOPS-month. */
  io1IopsMonth: number | null;
  /** io2 provisioned IOPS tiers, in ascending order. */
  io2IopsTiers: Io2IopsTier[] | null;
  /** Magnetic (standard) I/O requests per million. Not part of a monthly estimate (usage based). */
  standardIoPerMillion: number | null;
  /** EBS snapshot storage, standard tier, per GB-month. */
  snapshotStandardGbMonth: number | null;
  /** EBS snapshot storage, archive tier, per GB-month. */
  snapshotArchiveGbMonth: number | null;
  /** Public IPv4 address (idle or in use), per hour. */
  publicIpv4Hour: number | null;
}

export interface PriceBook {
  /** Prices for a region, or null when the app has no prices for it (cost is then unknown). */
  forRegion(region: string): RegionPrices | null;
}
