import { BUNDLED_PRICES, BUNDLED_PRICES_AS_OF, BUNDLED_REGIONS } from './bundled-prices';
import { EBS_VOLUME_TYPES } from './types';
import type { PriceBook, RegionPrices } from './types';

export { BUNDLED_PRICES_AS_OF, BUNDLED_REGIONS };

/** A deep copy, so a caller can never alter the shared bundled data. */
export function copyRegionPrices(p: RegionPrices): RegionPrices {
  return {
    ...p,
    ebsGbMonth: { ...p.ebsGbMonth },
    io2IopsTiers: p.io2IopsTiers ? p.io2IopsTiers.map((t) => ({ ...t })) : null,
  };
}

/** The price book shipped with the app (see bundled-prices.ts for the sources). Unknown regions give null. */
export function createBundledPriceBook(): PriceBook {
  return {
    forRegion(region: string): RegionPrices | null {
      const p = Object.hasOwn(BUNDLED_PRICES, region) ? BUNDLED_PRICES[region] : undefined;
      return p ? copyRegionPrices(p) : null;
    },
  };
}

/**
 * `primary` item by item, each missing (null) item taken from `fallback`. The result keeps `primary`'s source and
 * date: it is what was fetched, completed where the fetch had nothing.
 */
export function mergeRegionPrices(primary: RegionPrices, fallback: RegionPrices | null): RegionPrices {
  if (!fallback) return copyRegionPrices(primary);
  const ebsGbMonth = { ...primary.ebsGbMonth };
  for (const t of EBS_VOLUME_TYPES) ebsGbMonth[t] = primary.ebsGbMonth[t] ?? fallback.ebsGbMonth[t];
  const tiers = primary.io2IopsTiers ?? fallback.io2IopsTiers;
  return {
    region: primary.region,
    source: primary.source,
    asOf: primary.asOf,
    ebsGbMonth,
    gp3IopsMonth: primary.gp3IopsMonth ?? fallback.gp3IopsMonth,
    gp3ThroughputMibpsMonth: primary.gp3ThroughputMibpsMonth ?? fallback.gp3ThroughputMibpsMonth,
    io1IopsMonth: primary.io1IopsMonth ?? fallback.io1IopsMonth,
    io2IopsTiers: tiers ? tiers.map((t) => ({ ...t })) : null,
    standardIoPerMillion: primary.standardIoPerMillion ?? fallback.standardIoPerMillion,
    snapshotStandardGbMonth: primary.snapshotStandardGbMonth ?? fallback.snapshotStandardGbMonth,
    snapshotArchiveGbMonth: primary.snapshotArchiveGbMonth ?? fallback.snapshotArchiveGbMonth,
    publicIpv4Hour: primary.publicIpv4Hour ?? fallback.publicIpv4Hour,
  };
}

/** Every priced item of a region, flattened (null items included), for checks such as "no price is 0". */
export function priceItems(p: RegionPrices): Array<[string, number | null]> {
  const items: Array<[string, number | null]> = EBS_VOLUME_TYPES.map((t) => [`ebsGbMonth.${t}`, p.ebsGbMonth[t]]);
  items.push(
    ['gp3IopsMonth', p.gp3IopsMonth],
    ['gp3ThroughputMibpsMonth', p.gp3ThroughputMibpsMonth],
    ['io1IopsMonth', p.io1IopsMonth],
    ['standardIoPerMillion', p.standardIoPerMillion],
    ['snapshotStandardGbMonth', p.snapshotStandardGbMonth],
    ['snapshotArchiveGbMonth', p.snapshotArchiveGbMonth],
    ['publicIpv4Hour', p.publicIpv4Hour],
  );
  (p.io2IopsTiers ?? []).forEach((t, i) => items.push([`io2IopsTiers[${i}]`, t.pricePerIopsMonth]));
  if (!p.io2IopsTiers) items.push(['io2IopsTiers', null]);
  return items;
}
