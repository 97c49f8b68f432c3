import { GetProductsCommand } from '@aws-sdk/client-pricing';
import type { Filter, PricingClient } from '@aws-sdk/client-pricing';
import type { EbsVolumeType, Io2IopsTier, RegionPrices } from './types';

/*
 * Live prices from the AWS Price List Query API (GetProducts, endpoint us-east-1). Each PriceList entry is a JSON
 * string: { product: { productFamily, attributes: { usagetype, regionCode, locationType, volumeApiName, … } },
 * terms: { OnDemand: { <sku.term>: { priceDimensions: { <rateCode>: { unit, beginRange, endRange,
 * pricePerUnit: { USD } } } } } } }.
 * Items are recognised by usage type, which carries a region prefix outside us-east-1 (EUW1-EBS:VolumeUsage.gp3),
 * so only the part after the prefix is compared.
 */

export type PriceListService = 'AmazonEC2' | 'AmazonVPC';

/** The EC2 product families that hold EBS volume, IOPS, throughput and snapshot prices. */
export const EBS_PRODUCT_FAMILIES = ['Storage', 'System Operation', 'Provisioned Throughput', 'Storage Snapshot'] as const;

/** Prices found in a set of price-list items; an item that was not found is absent. */
export interface PartialRegionPrices {
  ebsGbMonth: Partial<Record<EbsVolumeType, number>>;
  gp3IopsMonth?: number;
  gp3ThroughputMibpsMonth?: number;
  io1IopsMonth?: number;
  io2IopsTiers?: Io2IopsTier[];
  standardIoPerMillion?: number;
  snapshotStandardGbMonth?: number;
  snapshotArchiveGbMonth?: number;
  publicIpv4Hour?: number;
}

interface Dimension {
  unit: string;
  usd: number;
  begin: number;
  end: number | null;
}

interface ParsedItem {
  family: string;
  usage: string;
  locationType: string | undefined;
  dims: Dimension[];
}

const STORAGE_USAGE: Record<string, EbsVolumeType> = {
  'EBS:VolumeUsage': 'standard',
  'EBS:VolumeUsage.gp2': 'gp2',
  'EBS:VolumeUsage.gp3': 'gp3',
  'EBS:VolumeUsage.piops': 'io1',
  'EBS:VolumeUsage.io2': 'io2',
  'EBS:VolumeUsage.st1': 'st1',
  'EBS:VolumeUsage.sc1': 'sc1',
};

const IO2_TIER_BOUNDS: Record<string, number | null> = {
  'EBS:VolumeP-IOPS.io2': 32_000,
  'EBS:VolumeP-IOPS.io2.tier2': 64_000,
  'EBS:VolumeP-IOPS.io2.tier3': null,
};

function stripRegionPrefix(usagetype: string): string {
  return usagetype.replace(/^[A-Z]{2,5}\d?-/, '');
}

function num(v: unknown): number | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function parseItem(json: string): ParsedItem | null {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return null; // one malformed entry must not lose the others
  }
  const product = obj(obj(doc)?.product);
  const attrs = obj(product?.attributes);
  const usage = attrs?.usagetype;
  if (!product || !attrs || typeof usage !== 'string') return null;
  const dims: Dimension[] = [];
  for (const term of Object.values(obj(obj(obj(doc)?.terms)?.OnDemand) ?? {})) {
    for (const d of Object.values(obj(obj(term)?.priceDimensions) ?? {})) {
      const dim = obj(d);
      const usd = num(obj(dim?.pricePerUnit)?.USD);
      if (!dim || usd === null) continue;
      const end = dim.endRange === 'Inf' || dim.endRange === undefined ? null : num(dim.endRange);
      dims.push({ unit: String(dim.unit ?? ''), usd, begin: num(dim.beginRange) ?? 0, end });
    }
  }
  return {
    family: typeof product.productFamily === 'string' ? product.productFamily : '',
    usage: stripRegionPrefix(usage),
    locationType: typeof attrs.locationType === 'string' ? attrs.locationType : undefined,
    dims: dims.sort((a, b) => a.begin - b.begin),
  };
}

/** The price of a single-rate item in the expected unit; a zero (free) rate is ignored, never taken as a price. */
function single(item: ParsedItem, units: readonly string[]): number | undefined {
  const d = item.dims.find((x) => units.includes(x.unit) && x.usd > 0);
  return d?.usd;
}

const GB_MONTH = ['GB-Mo', 'GB-month'];

/**
 * Pure parse of GetProducts `PriceList` entries into the prices the app uses. Unknown, malformed, Local Zone or
 * Outposts items are skipped; anything not found stays absent.
 */
export function parsePriceListItems(service: PriceListService, items: readonly string[]): PartialRegionPrices {
  const out: PartialRegionPrices = { ebsGbMonth: {} };
  const io2: Io2IopsTier[] = [];
  for (const raw of items) {
    const item = parseItem(raw);
    // Local Zones and Outposts are priced apart from their parent region.
    if (!item || (item.locationType !== undefined && item.locationType !== 'AWS Region')) continue;
    if (service === 'AmazonVPC') {
      if (item.usage === 'PublicIPv4:InUseAddress' || item.usage === 'PublicIPv4:IdleAddress') {
        const p = single(item, ['Hrs']);
        if (p !== undefined && (out.publicIpv4Hour === undefined || item.usage === 'PublicIPv4:InUseAddress')) {
          out.publicIpv4Hour = p;
        }
      }
      continue;
    }
    const volume = STORAGE_USAGE[item.usage];
    if (volume) {
      const p = single(item, GB_MONTH);
      if (p !== undefined) out.ebsGbMonth[volume] = p;
      continue;
    }
    if (item.usage in IO2_TIER_BOUNDS) {
      // Some offers publish io2 as one item with ranged dimensions rather than one item per tier.
      const ranged = item.dims.filter((d) => d.unit === 'IOPS-Mo' && d.usd > 0);
      if (ranged.length > 1) {
        for (const d of ranged) io2.push({ upTo: d.end, pricePerIopsMonth: d.usd });
      } else {
        const p = single(item, ['IOPS-Mo']);
        if (p !== undefined) io2.push({ upTo: IO2_TIER_BOUNDS[item.usage] ?? null, pricePerIopsMonth: p });
      }
      continue;
    }
    switch (item.usage) {
      case 'EBS:VolumeP-IOPS.gp3':
        out.gp3IopsMonth = single(item, ['IOPS-Mo']) ?? out.gp3IopsMonth;
        break;
      case 'EBS:VolumeP-IOPS.piops':
        out.io1IopsMonth = single(item, ['IOPS-Mo']) ?? out.io1IopsMonth;
        break;
      case 'EBS:VolumeP-Throughput.gp3': {
        // Published per GiB/s-month; AWS bills (and the app counts) MiB/s above the 125 MiB/s baseline.
        const gib = single(item, ['GiBps-mo']);
        const mib = single(item, ['MiBps-Mo', 'MiBps-mo']);
        const v = gib !== undefined ? Number((gib / 1024).toFixed(10)) : mib;
        if (v !== undefined) out.gp3ThroughputMibpsMonth = v;
        break;
      }
      case 'EBS:VolumeIOUsage': {
        const perIo = single(item, ['IOs']);
        if (perIo !== undefined) out.standardIoPerMillion = Number((perIo * 1_000_000).toFixed(10));
        break;
      }
      case 'EBS:SnapshotUsage':
        out.snapshotStandardGbMonth = single(item, GB_MONTH) ?? out.snapshotStandardGbMonth;
        break;
      case 'EBS:SnapshotArchiveStorage':
        out.snapshotArchiveGbMonth = single(item, GB_MONTH) ?? out.snapshotArchiveGbMonth;
        break;
      default:
        break;
    }
  }
  const tiers = normaliseTiers(io2);
  if (tiers) out.io2IopsTiers = tiers;
  return out;
}

/** Ascending by bound, unbounded last; only a complete ladder (ending without a bound) is a usable price. */
function normaliseTiers(tiers: Io2IopsTier[]): Io2IopsTier[] | undefined {
  const sorted = [...tiers].sort((a, b) => (a.upTo ?? Infinity) - (b.upTo ?? Infinity));
  const unique = sorted.filter((t, i) => i === 0 || t.upTo !== sorted[i - 1]?.upTo);
  return unique.length > 0 && unique[unique.length - 1]?.upTo === null ? unique : undefined;
}

/** Turns a partial parse into a full RegionPrices; what was not found is null. */
export function toRegionPrices(region: string, p: PartialRegionPrices, asOf: string): RegionPrices {
  const gb = p.ebsGbMonth;
  return {
    region,
    source: 'price-list',
    asOf,
    ebsGbMonth: {
      gp2: gb.gp2 ?? null,
      gp3: gb.gp3 ?? null,
      io1: gb.io1 ?? null,
      io2: gb.io2 ?? null,
      st1: gb.st1 ?? null,
      sc1: gb.sc1 ?? null,
      standard: gb.standard ?? null,
    },
    gp3IopsMonth: p.gp3IopsMonth ?? null,
    gp3ThroughputMibpsMonth: p.gp3ThroughputMibpsMonth ?? null,
    io1IopsMonth: p.io1IopsMonth ?? null,
    io2IopsTiers: p.io2IopsTiers ?? null,
    standardIoPerMillion: p.standardIoPerMillion ?? null,
    snapshotStandardGbMonth: p.snapshotStandardGbMonth ?? null,
    snapshotArchiveGbMonth: p.snapshotArchiveGbMonth ?? null,
    publicIpv4Hour: p.publicIpv4Hour ?? null,
  };
}

/** Every page of one GetProducts query. */
export async function getAllProducts(
  client: PricingClient,
  serviceCode: PriceListService,
  filters: Filter[],
  signal?: AbortSignal,
): Promise<string[]> {
  const items: string[] = [];
  let nextToken: string | undefined;
  do {
    signal?.throwIfAborted();
    const page = await client.send(
      new GetProductsCommand({ ServiceCode: serviceCode, Filters: filters, FormatVersion: 'aws_v1', MaxResults: 100, NextToken: nextToken }),
      signal ? { abortSignal: signal } : {},
    );
    items.push(...(page.PriceList ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return items;
}

function termMatch(field: string, value: string): Filter {
  return { Type: 'TERM_MATCH', Field: field, Value: value };
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** True when the parse found no price at all (a region the price list does not know, or an empty answer). */
export function isEmptyPrices(p: RegionPrices): boolean {
  return (
    Object.values(p.ebsGbMonth).every((v) => v === null) &&
    p.gp3IopsMonth === null &&
    p.gp3ThroughputMibpsMonth === null &&
    p.io1IopsMonth === null &&
    p.io2IopsTiers === null &&
    p.standardIoPerMillion === null &&
    p.snapshotStandardGbMonth === null &&
    p.snapshotArchiveGbMonth === null &&
    p.publicIpv4Hour === null
  );
}

/**
 * Fetches one region's prices from the Price List API: one query per EBS product family plus one for AmazonVPC
 * (public IPv4), each paged to the end. Items it cannot find stay null. Errors (access denied, network) propagate:
 * the price service decides what to fall back to.
 */
export async function fetchRegionPrices(
  client: PricingClient,
  region: string,
  opts: { signal?: AbortSignal; now?: Date } = {},
): Promise<RegionPrices> {
  const items: string[] = [];
  for (const family of EBS_PRODUCT_FAMILIES) {
    const filters = [termMatch('regionCode', region), termMatch('productFamily', family)];
    items.push(...(await getAllProducts(client, 'AmazonEC2', filters, opts.signal)));
  }
  const ec2 = parsePriceListItems('AmazonEC2', items);
  // The VPC offer is small per region; matching on usage type avoids depending on its product-family name.
  const vpcItems = await getAllProducts(client, 'AmazonVPC', [termMatch('regionCode', region)], opts.signal);
  const vpc = parsePriceListItems('AmazonVPC', vpcItems);
  if (vpc.publicIpv4Hour !== undefined) ec2.publicIpv4Hour = vpc.publicIpv4Hour;
  return toRegionPrices(region, ec2, isoDate(opts.now ?? new Date()));
}
