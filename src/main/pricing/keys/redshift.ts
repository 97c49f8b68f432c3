import { bundledFrom, rateIn } from '../price-key';
import type { BundledPrices, PriceKey, PriceListProduct, RatePriceKey } from '../types';

/*
 * Redshift price keys, declared once: the Redshift cluster kind imports them. A function returns undefined for what
 * has no declared key (a node type outside REDSHIFT_NODE_TYPES): the cost is then unknown, never $0.
 *
 * What is declared: On-Demand node hours of provisioned clusters (RA3 and DC2 node types), Redshift Managed Storage
 * per GB-month (what RA3 data and RA3 snapshots bill at), and manual snapshot (backup) storage per GB-month of DC2
 * clusters beyond the free allowance, at its first tier (the first 50 TB a month: AWS tiers it at 50 TB and 500 TB
 * of the account's regional total, which one cluster's snapshot does not reach). Serverless, Concurrency Scaling and
 * Spectrum are not declared.
 *
 * Price List (service AmazonRedshift): node hours in product family "Compute Instance", attribute instanceType
 * (ra3.xlplus), usage type Node:<node type>; managed storage in product family "Redshift Managed Storage", usage type
 * RMS:<RA3 node type> (one product per RA3 node type, one price); backup storage in product family "Storage Snapshot"
 * (GB-Mo, tiered by beginRange 0 / 51200 / 512000 GB; usage type Redshift:PaidSnapshots, preferred when the family
 * holds more, file id 585953635). Neighbours that must not match: Concurrency Scaling rows
 * (CS:<node type>, CSFreeUsage:<node type>, family "Redshift Concurrency Scaling"), Serverless RPU rows.
 *  Where seen: infracost's filters (github.com/infracost/infracost internal/resources/aws/redshift_cluster.go, search-tool
 *  file id 38213236894: Compute Instance + instanceType, Redshift Managed Storage + instanceType, Storage Snapshot with
 *  start usage 0 / 51200 / 512000); Price List fixtures naming Node:ra3.4xlarge, RMS:ra3.4xlarge and CS:ra3.4xlarge with
 *  their families (file id 56386907862) and APN2-RMS:ra3.4xlarge (file id 68867371399).
 *
 * Sources of the bundled values (us-east-1 only; a node type or key a source does not name is Price List only):
 *  [RS-RI-2024] github.com/yeo/ec2.shop data/redshift/redshift-reservedinstance-1%20year-All%20Upfront-us-east-1-Yes.json
 *      (commit 44337592; search-tool file id 11450894128): AWS's Redshift pricing-page feed (meteredUnitMaps/redshift/
 *      …/redshift-reservedinstance, current generation), manifest hawkFilePublicationDate 2024-09-11T16:54:27Z; the
 *      On-Demand rate of each row ("OnDemand:PricePerUnit"): ra3.xlplus $1.086 (SKU YVF6CSKM7D9MR6YP), ra3.4xlarge
 *      $3.26 (ZYZ6HF4BA4HB6RED), ra3.16xlarge $13.04 (V3SQDWYU5P43BXJU). It lists no ra3.large (newer) and the
 *      previous-generation file of the same copy (…-us-east-1-No.json, file id 11177148287) is an S3 NoSuchKey error,
 *      so ra3.large, dc2.large and dc2.8xlarge stay unknown, as do managed storage and backup storage (no dated record
 *      found; test fixtures quoting $0.024 were not used).
 */

const REDSHIFT = 'AmazonRedshift';
const GB_MONTH = ['GB-Mo', 'GB-month'];

/** Node types with declared keys. */
export const REDSHIFT_NODE_TYPES = ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge', 'dc2.large', 'dc2.8xlarge'] as const;
export type RedshiftNodeType = (typeof REDSHIFT_NODE_TYPES)[number];

const NODE_SOURCES: ReadonlyArray<{ asOf: string; source: string; regions: Readonly<Record<string, Partial<Record<RedshiftNodeType, number>>>> }> = [
  { asOf: '2024-09-11', source: '[RS-RI-2024]', regions: { 'us-east-1': { 'ra3.xlplus': 1.086, 'ra3.4xlarge': 3.26, 'ra3.16xlarge': 13.04 } } },
];

function nodeBundled(nodeType: RedshiftNodeType): BundledPrices<number> {
  return bundledFrom(
    ...NODE_SOURCES.map((s) => ({
      asOf: s.asOf,
      source: s.source,
      values: Object.fromEntries(
        Object.entries(s.regions).flatMap(([region, byType]) => (byType[nodeType] !== undefined ? [[region, byType[nodeType]] as const] : [])),
      ),
    })),
  );
}

function nodeKey(nodeType: RedshiftNodeType): RatePriceKey {
  return {
    key: `redshiftNodeHour.${nodeType}`,
    shape: 'rate',
    unit: 'Hrs',
    description: `A Redshift ${nodeType} node of a provisioned cluster, per hour it runs`,
    priceList: {
      serviceCode: REDSHIFT,
      filters: { productFamily: 'Compute Instance' },
      match: (p) =>
        p.productFamily === 'Compute Instance' && p.attributes.instanceType === nodeType && p.usage === `Node:${nodeType}` ? rateIn(p, ['Hrs']) : undefined,
    },
    bundled: nodeBundled(nodeType),
  };
}

export const REDSHIFT_NODE_HOUR: Readonly<Record<RedshiftNodeType, RatePriceKey>> = Object.freeze(
  Object.fromEntries(REDSHIFT_NODE_TYPES.map((t) => [t, nodeKey(t)])) as Record<RedshiftNodeType, RatePriceKey>,
);

export const REDSHIFT_MANAGED_STORAGE_GB_MONTH: RatePriceKey = {
  key: 'redshiftManagedStorageGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: 'Redshift Managed Storage (RA3 data and RA3 snapshots), per GB-month',
  priceList: {
    serviceCode: REDSHIFT,
    filters: { productFamily: 'Redshift Managed Storage' },
    match: (p) => (p.productFamily === 'Redshift Managed Storage' && p.usage.startsWith('RMS:') ? rateIn(p, GB_MONTH) : undefined),
  },
  bundled: {},
};

/** The rate of the tier starting at 0 GB (a product may list every tier as a dimension). */
function firstTier(p: PriceListProduct): number | undefined {
  const d = p.dimensions.find((x) => GB_MONTH.includes(x.unit) && x.beginRange === 0 && x.usd > 0);
  return d?.usd;
}

export const REDSHIFT_BACKUP_GB_MONTH: RatePriceKey = {
  key: 'redshiftBackupGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: 'Redshift manual snapshot storage of DC2 clusters beyond the free allowance, per GB-month (first 50 TB tier)',
  priceList: {
    serviceCode: REDSHIFT,
    filters: { productFamily: 'Storage Snapshot' },
    match: (p) => (p.productFamily === 'Storage Snapshot' ? firstTier(p) : undefined),
    rank: (p) => (p.usage === 'Redshift:PaidSnapshots' ? 1 : 0),
  },
  bundled: {},
};

/** Per node-hour of a provisioned cluster (`ra3.xlplus`, `dc2.large`, …). */
export function redshiftNodeHourKey(nodeType: string): RatePriceKey | undefined {
  const t = nodeType.trim().toLowerCase();
  return (REDSHIFT_NODE_TYPES as readonly string[]).includes(t) ? REDSHIFT_NODE_HOUR[t as RedshiftNodeType] : undefined;
}

/** Redshift Managed Storage (RA3 clusters; also what their snapshots bill at), GB-Mo. */
export function redshiftManagedStorageKey(): RatePriceKey | undefined {
  return REDSHIFT_MANAGED_STORAGE_GB_MONTH;
}

/** Manual snapshot storage of DC2/DS2 clusters beyond the free allowance, GB-Mo. */
export function redshiftBackupStorageKey(): RatePriceKey | undefined {
  return REDSHIFT_BACKUP_GB_MONTH;
}

export const REDSHIFT_PRICE_KEYS: readonly PriceKey[] = Object.freeze([
  ...REDSHIFT_NODE_TYPES.map((t) => REDSHIFT_NODE_HOUR[t]),
  REDSHIFT_MANAGED_STORAGE_GB_MONTH,
  REDSHIFT_BACKUP_GB_MONTH,
]);
