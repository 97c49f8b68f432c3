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
 * product family "Storage Snapshot" (GB-Mo), usage type ElastiCache:BackupUsage (preferred when the family holds more;
 * serverless snapshot rows are ignored). One query per engine plus one for snapshots.
 *  Where seen: a recorded AmazonElastiCache offer product (us-east-1, cache.c7gn.large, cacheEngine Valkey, usagetype
 *  NodeUsage:cache.c7gn.large, operation CreateCacheCluster:Valkey, publicationDate 2025-06-24) in
 *  github.com/bangpound/awspricing tests/data/elasticache_offer.py; a Price List slimming filter keeping
 *  ^(prefix-)?NodeUsage: and dropping ExtendedSupportYr3-NodeUsage rows (search-tool file id 71140705283); infracost's
 *  filters (family Cache Instance + instanceType + cacheEngine; family Storage Snapshot for backups; file id
 *  18619431706); ElastiCache:BackupUsage in a list of billed storage usage types (file id 585953635).
 *
 * Sources of the bundled values (us-east-1 only; every other region and the snapshot key are Price List only):
 *  [EC-RI-2024] github.com/yeo/ec2.shop data/elasticache/elasticache-reservedinstance-1%20year-All%20Upfront-us-east-1-
 *      Standard.json and …-Memory%20optimized.json (commit 6f8701d9; search-tool file ids 11312415114, 11173432804):
 *      AWS's ElastiCache pricing-page feed (meteredUnitMaps/elasticache/…/elasticache-reservedinstance), manifest
 *      hawkFilePublicationDate 2024-06-28T22:15:40Z. Each row carries the On-Demand rate of its node type
 *      ("OnDemand:PricePerUnit", On-Demand rateCode <SKU>.JRTCKXETXF.6YS6EN2CT7); only that field is used. The feed
 *      does not name the engine: it lists every declared node type under two SKUs, always at one On-Demand rate, while
 *      the Redis-only data-tiering types (cache.r6gd.*) appear once each. The two SKUs are read as the Redis OSS and
 *      Memcached products (the feed predates Valkey on ElastiCache, October 2024) and the rate is bundled for the
 *      `redis` and `memcached` keys. Valkey nodes are priced lower and stay Price List only.
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

/** [EC-RI-2024]: the On-Demand rate of both SKUs of each node type, us-east-1. */
const EC_RI_2024: NodeSource = {
  asOf: '2024-06-28',
  source: '[EC-RI-2024]',
  regions: {
    'us-east-1': {
          'cache.t3.micro': 0.017, 'cache.t3.small': 0.034, 'cache.t3.medium': 0.068, 'cache.t4g.micro': 0.016,
          'cache.t4g.small': 0.032, 'cache.t4g.medium': 0.065, 'cache.m5.large': 0.156, 'cache.m5.xlarge': 0.311,
          'cache.m5.2xlarge': 0.623, 'cache.m5.4xlarge': 1.245, 'cache.m6g.large': 0.149, 'cache.m6g.xlarge': 0.297,
          'cache.m6g.2xlarge': 0.593, 'cache.m6g.4xlarge': 1.186, 'cache.m7g.large': 0.158,
          'cache.m7g.xlarge': 0.315, 'cache.m7g.2xlarge': 0.629, 'cache.m7g.4xlarge': 1.257, 'cache.r5.large': 0.216,
          'cache.r5.xlarge': 0.431, 'cache.r5.2xlarge': 0.862, 'cache.r5.4xlarge': 1.724, 'cache.r6g.large': 0.206,
          'cache.r6g.xlarge': 0.411, 'cache.r6g.2xlarge': 0.821, 'cache.r6g.4xlarge': 1.642,
          'cache.r7g.large': 0.219, 'cache.r7g.xlarge': 0.437, 'cache.r7g.2xlarge': 0.873,
          'cache.r7g.4xlarge': 1.745,
    },
  },
};

const NODE_SOURCES: Readonly<Record<ElastiCacheEngine, readonly NodeSource[]>> = { redis: [EC_RI_2024], valkey: [], memcached: [EC_RI_2024] };

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
    rank: (p) => (p.usage === 'ElastiCache:BackupUsage' ? 1 : 0),
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
