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
 * (GB-Mo, tiered by beginRange 0 / 51200 / 512000 GB). Neighbours that must not match: Concurrency Scaling rows
 * (CS:<node type>, CSFreeUsage:<node type>, family "Redshift Concurrency Scaling"), Serverless RPU rows.
 *  Where seen: infracost's filters (github.com/infracost/infracost internal/resources/aws/redshift_cluster.go, search-tool
 *  file id 38213236894: Compute Instance + instanceType, Redshift Managed Storage + instanceType, Storage Snapshot with
 *  start usage 0 / 51200 / 512000); Price List fixtures naming Node:ra3.4xlarge, RMS:ra3.4xlarge and CS:ra3.4xlarge with
 *  their families (file id 56386907862) and APN2-RMS:ra3.4xlarge (file id 68867371399).
 *
 * Sources of the bundled values: none yet (every value is Price List only; unknown when it cannot be fetched).
 */

const REDSHIFT = 'AmazonRedshift';
const GB_MONTH = ['GB-Mo', 'GB-month'];

/** Node types with declared keys. */
export const REDSHIFT_NODE_TYPES = ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge', 'dc2.large', 'dc2.8xlarge'] as const;
export type RedshiftNodeType = (typeof REDSHIFT_NODE_TYPES)[number];

const NODE_SOURCES: ReadonlyArray<{ asOf: string; source: string; regions: Readonly<Record<string, Partial<Record<RedshiftNodeType, number>>>> }> = [];

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
