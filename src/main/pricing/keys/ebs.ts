import { completeLadder, rateIn } from '../price-key';
import type { PriceListProduct, PriceTier, RatePriceKey, TieredPriceKey } from '../types';
import { ebsBundled, round10 } from './ebs-bundled';

/*
 * EBS price keys, declared once: volumes, stopped instances (their volumes), unused AMIs and orphaned snapshots (and
 * the safety snapshot of a volume) import the ones they use. Bundled values: ebs-bundled.ts (sources there).
 *
 * Price List: service AmazonEC2, one query per product family. Products are recognised by usage type, which carries a
 * region prefix outside us-east-1 (EUW1-EBS:VolumeUsage.gp3); the price service strips it before `match`.
 */

export const EBS_VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
export type EbsVolumeType = (typeof EBS_VOLUME_TYPES)[number];

const EC2 = 'AmazonEC2';
const GB_MONTH = ['GB-Mo', 'GB-month'];

const STORAGE_USAGE: Readonly<Record<EbsVolumeType, string>> = {
  standard: 'EBS:VolumeUsage',
  gp2: 'EBS:VolumeUsage.gp2',
  gp3: 'EBS:VolumeUsage.gp3',
  io1: 'EBS:VolumeUsage.piops',
  io2: 'EBS:VolumeUsage.io2',
  st1: 'EBS:VolumeUsage.st1',
  sc1: 'EBS:VolumeUsage.sc1',
};

/** A single-rate product of one usage type. */
function usageRate(usage: string, units: readonly string[]): (p: PriceListProduct) => number | undefined {
  return (p) => (p.usage === usage ? rateIn(p, units) : undefined);
}

function storageKey(type: EbsVolumeType): RatePriceKey {
  return {
    key: `ebsGbMonth.${type}`,
    shape: 'rate',
    unit: 'GB-Mo',
    description: `EBS ${type} volume storage, per GB-month`,
    priceList: { serviceCode: EC2, filters: { productFamily: 'Storage' }, match: usageRate(STORAGE_USAGE[type], GB_MONTH) },
    bundled: ebsBundled((e) => e.ebsGbMonth?.[type]),
  };
}

/** Volume storage per GB-month, by volume type. */
export const EBS_GB_MONTH: Readonly<Record<EbsVolumeType, RatePriceKey>> = Object.freeze(
  Object.fromEntries(EBS_VOLUME_TYPES.map((t) => [t, storageKey(t)])) as Record<EbsVolumeType, RatePriceKey>,
);

export const GP3_IOPS_MONTH: RatePriceKey = {
  key: 'gp3IopsMonth',
  shape: 'rate',
  unit: 'IOPS-Mo',
  description: 'EBS gp3 IOPS above the 3,000 free baseline, per IOPS-month',
  priceList: { serviceCode: EC2, filters: { productFamily: 'System Operation' }, match: usageRate('EBS:VolumeP-IOPS.gp3', ['IOPS-Mo']) },
  bundled: ebsBundled((e) => e.gp3IopsMonth),
};

export const GP3_THROUGHPUT_MIBPS_MONTH: RatePriceKey = {
  key: 'gp3ThroughputMibpsMonth',
  shape: 'rate',
  unit: 'MiBps-Mo',
  description: 'EBS gp3 throughput above the 125 MiB/s free baseline, per MiB/s-month',
  priceList: {
    serviceCode: EC2,
    filters: { productFamily: 'Provisioned Throughput' },
    match: (p) => {
      if (p.usage !== 'EBS:VolumeP-Throughput.gp3') return undefined;
      // Published per GiB/s-month; AWS bills (and the app counts) MiB/s above the 125 MiB/s baseline.
      const gib = rateIn(p, ['GiBps-mo']);
      return gib !== undefined ? round10(gib / 1024) : rateIn(p, ['MiBps-Mo', 'MiBps-mo']);
    },
  },
  bundled: ebsBundled((e) => (e.gp3ThroughputGibpsMonth === undefined ? undefined : round10(e.gp3ThroughputGibpsMonth / 1024))),
};

export const IO1_IOPS_MONTH: RatePriceKey = {
  key: 'io1IopsMonth',
  shape: 'rate',
  unit: 'IOPS-Mo',
  description: 'EBS io1 provisioned IOPS, per IOPS-month',
  priceList: { serviceCode: EC2, filters: { productFamily: 'System Operation' }, match: usageRate('EBS:VolumeP-IOPS.piops', ['IOPS-Mo']) },
  bundled: ebsBundled((e) => e.io1IopsMonth),
};

/** io2 IOPS usage types and the upper bound of the tier each one bills. */
const IO2_TIER_BOUNDS: Readonly<Record<string, number | null>> = {
  'EBS:VolumeP-IOPS.io2': 32_000,
  'EBS:VolumeP-IOPS.io2.tier2': 64_000,
  'EBS:VolumeP-IOPS.io2.tier3': null,
};

export const IO2_IOPS_TIERS: TieredPriceKey = {
  key: 'io2IopsTiers',
  shape: 'tiers',
  unit: 'IOPS-Mo',
  description: 'EBS io2 provisioned IOPS, per IOPS-month, by tier (≤ 32,000, 32,001–64,000, > 64,000)',
  priceList: {
    serviceCode: EC2,
    filters: { productFamily: 'System Operation' },
    match: (p) => {
      if (!Object.hasOwn(IO2_TIER_BOUNDS, p.usage)) return undefined;
      // Some offers publish io2 as one product with ranged dimensions rather than one product per tier.
      const ranged = p.dimensions.filter((d) => d.unit === 'IOPS-Mo' && d.usd > 0);
      if (ranged.length > 1) return ranged.map((d) => ({ upTo: d.endRange, price: d.usd }));
      const rate = rateIn(p, ['IOPS-Mo']);
      return rate === undefined ? undefined : [{ upTo: IO2_TIER_BOUNDS[p.usage] ?? null, price: rate }];
    },
  },
  bundled: ebsBundled((e): PriceTier[] | undefined =>
    e.io2Tiers
      ? completeLadder([
          { upTo: 32_000, price: e.io2Tiers[0] },
          { upTo: 64_000, price: e.io2Tiers[1] },
          { upTo: null, price: e.io2Tiers[2] },
        ])
      : undefined,
  ),
};

export const STANDARD_IO_PER_MILLION: RatePriceKey = {
  key: 'standardIoPerMillion',
  shape: 'rate',
  unit: 'million IOs',
  description: 'EBS Magnetic (standard) I/O requests, per million (usage based: never part of a monthly estimate)',
  priceList: {
    serviceCode: EC2,
    filters: { productFamily: 'System Operation' },
    match: (p) => {
      const perIo = p.usage === 'EBS:VolumeIOUsage' ? rateIn(p, ['IOs']) : undefined;
      return perIo === undefined ? undefined : round10(perIo * 1_000_000);
    },
  },
  bundled: ebsBundled((e) => (e.standardIoPerRequest === undefined ? undefined : round10(e.standardIoPerRequest * 1_000_000))),
};

export const SNAPSHOT_STANDARD_GB_MONTH: RatePriceKey = {
  key: 'snapshotStandardGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: 'EBS snapshot storage, standard tier, per GB-month',
  priceList: { serviceCode: EC2, filters: { productFamily: 'Storage Snapshot' }, match: usageRate('EBS:SnapshotUsage', GB_MONTH) },
  bundled: ebsBundled((e) => e.snapshotStandardGbMonth),
};

export const SNAPSHOT_ARCHIVE_GB_MONTH: RatePriceKey = {
  key: 'snapshotArchiveGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: 'EBS snapshot storage, archive tier, per GB-month',
  priceList: { serviceCode: EC2, filters: { productFamily: 'Storage Snapshot' }, match: usageRate('EBS:SnapshotArchiveStorage', GB_MONTH) },
  bundled: ebsBundled((e) => e.snapshotArchiveGbMonth),
};

/** What pricing an EBS volume reads (ebs-pricing.ts). */
export const EBS_VOLUME_PRICE_KEYS: readonly (RatePriceKey | TieredPriceKey)[] = Object.freeze([
  ...EBS_VOLUME_TYPES.map((t) => EBS_GB_MONTH[t]),
  GP3_IOPS_MONTH,
  GP3_THROUGHPUT_MIBPS_MONTH,
  IO1_IOPS_MONTH,
  IO2_IOPS_TIERS,
  STANDARD_IO_PER_MILLION,
]);

/** What pricing an EBS snapshot reads (snapshot-pricing.ts). */
export const EBS_SNAPSHOT_PRICE_KEYS: readonly RatePriceKey[] = Object.freeze([SNAPSHOT_STANDARD_GB_MONTH, SNAPSHOT_ARCHIVE_GB_MONTH]);

/** Every EBS key. */
export const EBS_PRICE_KEYS: readonly (RatePriceKey | TieredPriceKey)[] = Object.freeze([...EBS_VOLUME_PRICE_KEYS, ...EBS_SNAPSHOT_PRICE_KEYS]);
