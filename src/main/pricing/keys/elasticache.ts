import { bundledFrom, rateIn } from '../price-key';
import type { BundledPrices, PriceKey, RatePriceKey } from '../types';

/*
 * ElastiCache price keys, declared once: the ElastiCache cluster kind imports them. A function returns undefined for
 * what has no declared key (an engine or node type outside the documented sets): the cost is then unknown, never $0.
 *
 * What is declared: On-Demand node hours of node-based clusters for the engines Redis OSS, Valkey and Memcached and
 * the node types in ELASTICACHE_NODE_TYPES (Valkey nodes are priced below Redis OSS ones, so the engine is part of the
 * key), and snapshot (backup) storage per GB-month. Serverless caches, data-tiering nodes (r6gd) and reserved nodes are
 * not declared.
 *
 * Price List (service AmazonElastiCache): product family "Cache Instance", attributes instanceType
 * (cache.r6g.large), cacheEngine (Redis, Valkey, Memcached), usage type NodeUsage:<node type> (with a region prefix
 * outside us-east-1). Neighbours that must not match: the extended-support add-on rows
 * (ExtendedSupportYr1/2/3-NodeUsage:…), the same node type of another engine. A node product's OnDemand term can also
 * hold a $0 "reserved instance applied" dimension beside the hourly rate: a zero rate is never taken. Snapshots:
 * product family "Storage Snapshot" (GB-Mo). One query per engine plus one for snapshots.
 *  Where seen: a recorded AmazonElastiCache offer product (us-east-1, cache.c7gn.large, cacheEngine Valkey, usagetype
 *  NodeUsage:cache.c7gn.large, operation CreateCacheCluster:Valkey, publicationDate 2025-06-24) in
 *  github.com/bangpound/awspricing tests/data/elasticache_offer.py; a Price List slimming filter keeping
 *  ^(prefix-)?NodeUsage: and dropping ExtendedSupportYr3-NodeUsage rows (search-tool file id 71140705283); infracost's
 *  filters (family Cache Instance + instanceType + cacheEngine; family Storage Snapshot for backups; file id
 *  18619431706).
 *
 * Sources of the bundled values: none yet (every value is Price List only; unknown when it cannot be fetched).
 */

const ELASTICACHE = 'AmazonElastiCache';

export const ELASTICACHE_ENGINES = ['redis', 'valkey', 'memcached'] as const;
export type ElastiCacheEngine = (typeof ELASTICACHE_ENGINES)[number];

const ENGINE_NAME: Readonly<Record<ElastiCacheEngine, string>> = { redis: 'Redis', valkey: 'Valkey', memcached: 'Memcached' };

function sizes(families: readonly string[], names: readonly string[]): string[] {
  return families.flatMap((f) => names.map((n) => `cache.${f}.${n}`));
}

/** Node types with declared keys. */
export const ELASTICACHE_NODE_TYPES: readonly string[] = Object.freeze([
  ...sizes(['t3', 't4g'], ['micro', 'small', 'medium']),
  ...sizes(['m5', 'm6g', 'm7g', 'r5', 'r6g', 'r7g'], ['large', 'xlarge', '2xlarge', '4xlarge']),
]);

interface NodeSource {
  asOf: string;
  source: string;
  /** Hourly price by node type, by region. */
  regions: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const NODE_SOURCES: Readonly<Record<ElastiCacheEngine, readonly NodeSource[]>> = { redis: [], valkey: [], memcached: [] };

function nodeBundled(engine: ElastiCacheEngine, nodeType: string): BundledPrices<number> {
  return bundledFrom(
    ...NODE_SOURCES[engine].map((s) => ({
      asOf: s.asOf,
      source: s.source,
      values: Object.fromEntries(
        Object.entries(s.regions).flatMap(([region, byType]) => (Object.hasOwn(byType, nodeType) ? [[region, byType[nodeType]!] as const] : [])),
      ),
    })),
  );
}

function nodeKey(engine: ElastiCacheEngine, nodeType: string): RatePriceKey {
  const name = ENGINE_NAME[engine];
  return {
    key: `elastiCacheNodeHour.${engine}.${nodeType}`,
    shape: 'rate',
    unit: 'Hrs',
    description: `An ElastiCache ${name} ${nodeType} node, per hour it runs`,
    priceList: {
      serviceCode: ELASTICACHE,
      filters: { productFamily: 'Cache Instance', cacheEngine: name },
      match: (p) =>
        p.productFamily === 'Cache Instance' &&
        p.attributes.cacheEngine === name &&
        p.attributes.instanceType === nodeType &&
        p.usage.startsWith('NodeUsage:')
          ? rateIn(p, ['Hrs'])
          : undefined,
    },
    bundled: nodeBundled(engine, nodeType),
  };
}

/** Node-hour keys by engine and node type. */
export const ELASTICACHE_NODE_HOUR: Readonly<Record<ElastiCacheEngine, Readonly<Record<string, RatePriceKey>>>> = Object.freeze(
  Object.fromEntries(
    ELASTICACHE_ENGINES.map((e) => [e, Object.freeze(Object.fromEntries(ELASTICACHE_NODE_TYPES.map((t) => [t, nodeKey(e, t)])))]),
  ) as Record<ElastiCacheEngine, Record<string, RatePriceKey>>,
);

export const ELASTICACHE_SNAPSHOT_GB_MONTH: RatePriceKey = {
  key: 'elastiCacheSnapshotGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: 'ElastiCache snapshot (backup) storage, per GB-month',
  priceList: {
    serviceCode: ELASTICACHE,
    filters: { productFamily: 'Storage Snapshot' },
    match: (p) => (p.productFamily === 'Storage Snapshot' && !/Serverless/i.test(p.usage) ? rateIn(p, ['GB-Mo', 'GB-month']) : undefined),
  },
  bundled: {},
};

/** Per node-hour: `engine` as DescribeCacheClusters writes it (`redis`, `valkey`, `memcached`), `nodeType` `cache.r6g.large`. */
export function elastiCacheNodeHourKey(engine: string, nodeType: string): RatePriceKey | undefined {
  const e = engine.trim().toLowerCase();
  if (!(ELASTICACHE_ENGINES as readonly string[]).includes(e)) return undefined;
  const byType = ELASTICACHE_NODE_HOUR[e as ElastiCacheEngine];
  return Object.hasOwn(byType, nodeType) ? byType[nodeType] : undefined;
}

/** Snapshot (backup) storage, GB-Mo. */
export function elastiCacheSnapshotStorageKey(): RatePriceKey | undefined {
  return ELASTICACHE_SNAPSHOT_GB_MONTH;
}

export const ELASTICACHE_PRICE_KEYS: readonly PriceKey[] = Object.freeze([
  ...ELASTICACHE_ENGINES.flatMap((e) => ELASTICACHE_NODE_TYPES.map((t) => ELASTICACHE_NODE_HOUR[e][t]!)),
  ELASTICACHE_SNAPSHOT_GB_MONTH,
]);
