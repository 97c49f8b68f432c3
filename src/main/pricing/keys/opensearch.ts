import { bundledFrom, rateIn } from '../price-key';
import type { BundledPrices, PriceKey, RatePriceKey } from '../types';

/*
 * OpenSearch Service price keys, declared once: the OpenSearch domain kind imports them. A function returns undefined
 * for what has no declared key (an instance type or volume type outside the documented sets): the cost is then
 * unknown, never $0.
 *
 * What is declared: On-Demand instance hours of data and dedicated master nodes for the instance types in
 * OPENSEARCH_INSTANCE_TYPES (`*.search` names; the older `*.elasticsearch` spelling DescribeElasticsearchDomains may
 * return maps to the same key), and EBS storage per GB-month by volume type (gp2, gp3, io1, standard = Magnetic).
 * UltraWarm, cold storage, OR1 instances, provisioned IOPS/throughput and Serverless are not declared.
 *
 * Price List (service AmazonES): instance hours in product family "Amazon OpenSearch Service Instance", attribute
 * instanceType (r6g.large.search, operation ESDomain), usage type ESInstance:<type> (recorded both without and with the
 * .search suffix: keys compare the ESInstance: prefix and the instanceType attribute); storage in product family "Amazon
 * OpenSearch Service Volume", usage types ES:GP2-Storage, ES:GP3-Storage, ES:PIOPS-Storage (io1), ES:Magnetic-Storage
 * (attribute storageMedia GP2 / GP3 / PIOPS-Storage / Magnetic). Neighbours that must not match: the IOPS and
 * throughput rows of the same volume family (ES:PIOPS, ES:GP3-PIOPS, ES:GP3-Throughput), UltraWarm and cold storage
 * rows. One query per product family.
 *  Where seen: infracost's filters (github.com/infracost/infracost internal/resources/aws/elasticsearch_domain.go,
 *  search-tool file id 17662581200: Instance family + /ESInstance/ + instanceType with .search, Volume family +
 *  /ES.+-Storage/ + storageMedia GP2 / PIOPS-Storage / Magnetic, ES:PIOPS for IOPS); a fetcher test with
 *  ES:PIOPS-Storage and ES:Magnetic-Storage in the Volume family (file id 68444746154); ES:GP3-Storage listed as
 *  OpenSearch storage (file ids 66449485225, 55168725523); AWS documentation giving USE1-ESInstance:r6g.large.search as
 *  an example usage type (file id 56208466557) and a validation note giving usagetype ESInstance:r6g.large, family
 *  "Amazon OpenSearch Service Instance", operation ESDomain (file id 56472058067).
 *
 * Sources of the bundled values: none. No dated record was found: the two us-east-1 rates seen for r6g.large.search
 * disagree ($0.167 in file id 56472058067, $0.154 in file id 56960587205) and neither is dated, so every OpenSearch value
 * is Price List only (unknown when it cannot be fetched).
 */

const ES = 'AmazonES';
const INSTANCE_FAMILY = 'Amazon OpenSearch Service Instance';
const VOLUME_FAMILY = 'Amazon OpenSearch Service Volume';

function sizes(families: readonly string[], names: readonly string[]): string[] {
  return families.flatMap((f) => names.map((n) => `${f}.${n}.search`));
}

/** Instance types with declared keys. */
export const OPENSEARCH_INSTANCE_TYPES: readonly string[] = Object.freeze([
  ...sizes(['t3'], ['small', 'medium']),
  ...sizes(['m5', 'm6g', 'm7g', 'c5', 'c6g', 'c7g', 'r5', 'r6g', 'r7g'], ['large', 'xlarge', '2xlarge', '4xlarge']),
]);

export const OPENSEARCH_VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'standard'] as const;
export type OpenSearchVolumeType = (typeof OPENSEARCH_VOLUME_TYPES)[number];

const VOLUME_USAGE: Readonly<Record<OpenSearchVolumeType, string>> = {
  gp2: 'ES:GP2-Storage',
  gp3: 'ES:GP3-Storage',
  io1: 'ES:PIOPS-Storage',
  standard: 'ES:Magnetic-Storage',
};

const INSTANCE_SOURCES: ReadonlyArray<{ asOf: string; source: string; regions: Readonly<Record<string, Readonly<Record<string, number>>>> }> = [];

function instanceBundled(instanceType: string): BundledPrices<number> {
  return bundledFrom(
    ...INSTANCE_SOURCES.map((s) => ({
      asOf: s.asOf,
      source: s.source,
      values: Object.fromEntries(
        Object.entries(s.regions).flatMap(([region, byType]) => (Object.hasOwn(byType, instanceType) ? [[region, byType[instanceType]!] as const] : [])),
      ),
    })),
  );
}

function instanceKey(instanceType: string): RatePriceKey {
  return {
    key: `openSearchInstanceHour.${instanceType}`,
    shape: 'rate',
    unit: 'Hrs',
    description: `An OpenSearch Service ${instanceType} node (data or dedicated master), per hour it runs`,
    priceList: {
      serviceCode: ES,
      filters: { productFamily: INSTANCE_FAMILY },
      match: (p) =>
        p.productFamily === INSTANCE_FAMILY && p.attributes.instanceType === instanceType && p.usage.startsWith('ESInstance:') ? rateIn(p, ['Hrs']) : undefined,
    },
    bundled: instanceBundled(instanceType),
  };
}

export const OPENSEARCH_INSTANCE_HOUR: Readonly<Record<string, RatePriceKey>> = Object.freeze(
  Object.fromEntries(OPENSEARCH_INSTANCE_TYPES.map((t) => [t, instanceKey(t)])),
);

function storageKey(type: OpenSearchVolumeType): RatePriceKey {
  return {
    key: `openSearchStorageGbMonth.${type}`,
    shape: 'rate',
    unit: 'GB-Mo',
    description: `OpenSearch Service EBS ${type} storage, per GB-month`,
    priceList: {
      serviceCode: ES,
      filters: { productFamily: VOLUME_FAMILY },
      match: (p) => (p.productFamily === VOLUME_FAMILY && p.usage === VOLUME_USAGE[type] ? rateIn(p, ['GB-Mo', 'GB-month']) : undefined),
    },
    bundled: {},
  };
}

export const OPENSEARCH_STORAGE_GB_MONTH: Readonly<Record<OpenSearchVolumeType, RatePriceKey>> = Object.freeze(
  Object.fromEntries(OPENSEARCH_VOLUME_TYPES.map((t) => [t, storageKey(t)])) as Record<OpenSearchVolumeType, RatePriceKey>,
);

/** Per instance-hour of a data or dedicated master node (`r6g.large.search`; `r6g.large.elasticsearch` too). */
export function openSearchInstanceHourKey(instanceType: string): RatePriceKey | undefined {
  const t = instanceType.trim().toLowerCase().replace(/\.elasticsearch$/, '.search');
  return Object.hasOwn(OPENSEARCH_INSTANCE_HOUR, t) ? OPENSEARCH_INSTANCE_HOUR[t] : undefined;
}

/** EBS storage attached to a domain, GB-Mo by volume type (`gp2`, `gp3`, `io1`, `standard`). */
export function openSearchStorageKey(volumeType: string): RatePriceKey | undefined {
  const t = volumeType.trim().toLowerCase();
  return (OPENSEARCH_VOLUME_TYPES as readonly string[]).includes(t) ? OPENSEARCH_STORAGE_GB_MONTH[t as OpenSearchVolumeType] : undefined;
}

export const OPENSEARCH_PRICE_KEYS: readonly PriceKey[] = Object.freeze([
  ...OPENSEARCH_INSTANCE_TYPES.map((t) => OPENSEARCH_INSTANCE_HOUR[t]!),
  ...OPENSEARCH_VOLUME_TYPES.map((t) => OPENSEARCH_STORAGE_GB_MONTH[t]),
]);
