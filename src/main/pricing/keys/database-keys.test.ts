import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundledPriceBook } from '../price-book';
import { collectPriceKeys, price } from '../price-key';
import { parsePriceListItems, parseProduct, priceListQueries } from '../price-list';
import type { PriceKey, PriceListProduct, RatePriceKey } from '../types';
import { ELASTICACHE_PRICE_KEYS, ELASTICACHE_SNAPSHOT_GB_MONTH, elastiCacheNodeHourKey, elastiCacheSnapshotStorageKey } from './elasticache';
import { OPENSEARCH_PRICE_KEYS, openSearchInstanceHourKey, openSearchStorageKey } from './opensearch';
import {
  RDS_BACKUP_GB_MONTH,
  RDS_PRICE_KEYS,
  auroraBackupStorageKey,
  auroraIoOptimizedInstanceHourKey,
  auroraStorageKey,
  rdsBackupStorageKey,
  rdsGp3ExtraIopsKey,
  rdsInstanceHourKey,
  rdsStorageKeys,
} from './rds';
import {
  REDSHIFT_BACKUP_GB_MONTH,
  REDSHIFT_MANAGED_STORAGE_GB_MONTH,
  REDSHIFT_PRICE_KEYS,
  redshiftBackupStorageKey,
  redshiftManagedStorageKey,
  redshiftNodeHourKey,
} from './redshift';

/*
 * The database and analytics keys (RDS/Aurora, ElastiCache, Redshift, OpenSearch): the functions the kinds call, the
 * Price List matches on products built in the GetProducts shape (usage types, families and attributes as the offers
 * write them, see each module's notes), and the bundled values against their cited sources.
 */

const ALL: ReadonlyArray<readonly [string, readonly PriceKey[]]> = [
  ['rds.ts', RDS_PRICE_KEYS],
  ['elasticache.ts', ELASTICACHE_PRICE_KEYS],
  ['redshift.ts', REDSHIFT_PRICE_KEYS],
  ['opensearch.ts', OPENSEARCH_PRICE_KEYS],
];

/** The commercial regions the app scans (as in network-keys.test.ts). */
const SCANNED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'mx-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ap-south-1', 'ap-south-2', 'ap-east-1', 'me-south-1',
  'me-central-1', 'af-south-1', 'il-central-1',
];

interface Dim {
  unit: string;
  usd: string;
  beginRange?: string;
  endRange?: string;
}

/** One GetProducts PriceList entry (a JSON string), in the shape the Price List Query API returns. */
function entry(serviceCode: string, sku: string, productFamily: string, attributes: Record<string, string>, dims: Dim[], locationType = 'AWS Region'): string {
  const term = `${sku}.JRTCKXETXF`;
  const priceDimensions = Object.fromEntries(
    dims.map((d, i) => {
      const rateCode = `${term}.${['6YS6EN2CT7', '2TG2D8R56U', 'RFXJ2X4CRE'][i] ?? '6YS6EN2CT7'}`;
      return [rateCode, { unit: d.unit, endRange: d.endRange ?? 'Inf', beginRange: d.beginRange ?? '0', rateCode, appliesTo: [], pricePerUnit: { USD: d.usd } }];
    }),
  );
  return JSON.stringify({
    product: { productFamily, attributes: { locationType, servicecode: serviceCode, ...attributes }, sku },
    serviceCode,
    terms: { OnDemand: { [term]: { priceDimensions, sku, offerTermCode: 'JRTCKXETXF', effectiveDate: '2026-09-01T00:00:00Z', termAttributes: {} } } },
  });
}

function product(serviceCode: string, json: string): PriceListProduct {
  const p = parseProduct(serviceCode, json);
  if (!p) throw new Error('unparseable fixture');
  return p;
}

function matchOf(key: RatePriceKey | undefined, serviceCode: string, json: string): number | undefined {
  if (!key?.priceList) throw new Error('no key or no Price List spec');
  return key.priceList.match(product(serviceCode, json));
}

describe('declared keys', () => {
  it('have unique ids, collect without conflict and each has a Price List spec of its service', () => {
    const all = ALL.flatMap(([, keys]) => keys);
    expect(new Set(all.map((k) => k.key)).size).toBe(all.length);
    expect(collectPriceKeys([...ALL.map(([, keys]) => keys), RDS_PRICE_KEYS])).toHaveLength(all.length);
    const services: Record<string, string> = { 'rds.ts': 'AmazonRDS', 'elasticache.ts': 'AmazonElastiCache', 'redshift.ts': 'AmazonRedshift', 'opensearch.ts': 'AmazonES' };
    for (const [file, keys] of ALL) {
      expect(keys.length, file).toBeGreaterThan(0);
      for (const k of keys) {
        expect(k.shape, k.key).toBe('rate');
        expect(k.priceList?.serviceCode, k.key).toBe(services[file]);
      }
    }
  });

  it('share few Price List queries (many keys, one query per engine/deployment or product family)', () => {
    const queries = priceListQueries(ALL.flatMap(([, keys]) => keys));
    const count = (svc: string): number => queries.filter((q) => q.serviceCode === svc).length;
    // RDS: 3 engines × 2 deployments, 2 Aurora engines, storage, provisioned IOPS, snapshots.
    expect(count('AmazonRDS')).toBe(11);
    expect(count('AmazonElastiCache')).toBe(4);
    expect(count('AmazonRedshift')).toBe(3);
    expect(count('AmazonES')).toBe(2);
    for (const q of queries) expect(Object.keys(q.filters)).toContain('productFamily');
  });

  it('every key the functions return is a declared key', () => {
    const declared = new Set<PriceKey>(ALL.flatMap(([, keys]) => keys));
    const returned = [
      rdsInstanceHourKey('postgres', 'db.t3.micro', false),
      rdsInstanceHourKey('aurora-mysql', 'db.r6g.large', false),
      auroraIoOptimizedInstanceHourKey('aurora-postgresql', 'db.r7g.xlarge'),
      rdsStorageKeys('io2', true).storage,
      rdsStorageKeys('io2', true).iops,
      rdsGp3ExtraIopsKey(false),
      auroraStorageKey('aurora-postgresql', true),
      rdsBackupStorageKey(),
      auroraBackupStorageKey('aurora-mysql'),
      elastiCacheNodeHourKey('valkey', 'cache.r7g.large'),
      elastiCacheSnapshotStorageKey(),
      redshiftNodeHourKey('ra3.xlplus'),
      redshiftManagedStorageKey(),
      redshiftBackupStorageKey(),
      openSearchInstanceHourKey('r6g.large.search'),
      openSearchStorageKey('gp3'),
    ];
    for (const k of returned) {
      expect(k).toBeDefined();
      expect(declared.has(k!), k?.key).toBe(true);
    }
  });
});

describe('RDS and Aurora functions', () => {
  it('map DescribeDBInstances engines, classes and Multi-AZ to distinct keys', () => {
    const keys = new Set<string>();
    for (const engine of ['mysql', 'postgres', 'mariadb']) {
      for (const cls of ['db.t3.micro', 'db.t4g.2xlarge', 'db.m5.large', 'db.m6g.4xlarge', 'db.m6i.xlarge', 'db.m7g.2xlarge', 'db.r5.large', 'db.r6g.xlarge', 'db.r6i.2xlarge', 'db.r7g.4xlarge']) {
        const single = rdsInstanceHourKey(engine, cls, false);
        const multi = rdsInstanceHourKey(engine, cls, true);
        expect(single?.key).toBe(`rdsInstanceHour.${engine}.${cls}.singleAz`);
        expect(multi?.key).toBe(`rdsInstanceHour.${engine}.${cls}.multiAz`);
        keys.add(single!.key).add(multi!.key);
      }
    }
    expect(keys.size).toBe(60);
  });

  it('gives Aurora one Standard key per instance whatever multiAz says, and an I/O-Optimized key apart', () => {
    const std = rdsInstanceHourKey('aurora-postgresql', 'db.r6g.large', false);
    expect(std?.key).toBe('auroraInstanceHour.aurora-postgresql.db.r6g.large');
    expect(rdsInstanceHourKey('aurora-postgresql', 'db.r6g.large', true)).toBe(std);
    const io = auroraIoOptimizedInstanceHourKey('aurora-postgresql', 'db.r6g.large');
    expect(io?.key).toBe('auroraIoOptimizedInstanceHour.aurora-postgresql.db.r6g.large');
    expect(rdsInstanceHourKey('aurora', 'db.t3.medium', false)).toBe(rdsInstanceHourKey('aurora-mysql', 'db.t3.medium', false));
    expect(rdsInstanceHourKey('aurora-mysql', 'db.r6g.large', false)).not.toBe(std);
  });

  it('returns undefined for engines, classes and storage types it does not price', () => {
    for (const engine of ['oracle-ee', 'oracle-se2', 'sqlserver-se', 'sqlserver-ex', 'db2-se', 'custom-oracle-ee', 'neptune', 'docdb', '']) {
      expect(rdsInstanceHourKey(engine, 'db.m5.large', false), engine).toBeUndefined();
    }
    for (const cls of ['db.m5.24xlarge', 'db.x2g.large', 'db.serverless', 'db.t3.micro ', 'm5.large', 'toString', 'constructor', '__proto__']) {
      expect(rdsInstanceHourKey('mysql', cls, false), cls).toBeUndefined();
      expect(rdsInstanceHourKey('aurora-mysql', cls, false), cls).toBeUndefined();
      expect(auroraIoOptimizedInstanceHourKey('aurora-mysql', cls), cls).toBeUndefined();
    }
    expect(rdsInstanceHourKey('aurora-mysql', 'db.t3.micro', false)).toBeUndefined();
    expect(auroraIoOptimizedInstanceHourKey('mysql', 'db.r6g.large')).toBeUndefined();
    expect(rdsStorageKeys('aurora', false)).toEqual({});
    expect(rdsStorageKeys('st1', false)).toEqual({});
    expect(rdsStorageKeys('', true)).toEqual({});
    expect(auroraStorageKey('postgres', false)).toBeUndefined();
    expect(auroraBackupStorageKey('mysql')).toBeUndefined();
  });

  it('maps storage types to GB-month keys, with IOPS keys only where every IOPS is billed', () => {
    for (const type of ['gp2', 'gp3', 'standard']) {
      const s = rdsStorageKeys(type, false);
      expect(s.storage?.key).toBe(`rdsStorageGbMonth.${type}.singleAz`);
      expect(s.iops).toBeUndefined();
      expect(rdsStorageKeys(type, true).storage?.key).toBe(`rdsStorageGbMonth.${type}.multiAz`);
    }
    for (const type of ['io1', 'io2']) {
      expect(rdsStorageKeys(type, true)).toEqual({ storage: expect.objectContaining({ key: `rdsStorageGbMonth.${type}.multiAz` }), iops: expect.objectContaining({ key: `rdsIopsMonth.${type}.multiAz` }) });
    }
    expect(rdsGp3ExtraIopsKey(true).key).toBe('rdsGp3ExtraIopsMonth.multiAz');
    expect(auroraStorageKey('aurora-mysql', false)?.key).toBe('auroraStorageGbMonth.aurora-mysql.standard');
    expect(auroraStorageKey('aurora-mysql', true)?.key).toBe('auroraStorageGbMonth.aurora-mysql.ioOptimized');
    expect(auroraBackupStorageKey('aurora-postgresql')?.key).toBe('auroraBackupGbMonth.aurora-postgresql');
    expect(rdsBackupStorageKey()).toBe(RDS_BACKUP_GB_MONTH);
  });
});

describe('ElastiCache, Redshift and OpenSearch functions', () => {
  it('map engines and node types; unknown ones are undefined', () => {
    expect(elastiCacheNodeHourKey('redis', 'cache.t3.micro')?.key).toBe('elastiCacheNodeHour.redis.cache.t3.micro');
    expect(elastiCacheNodeHourKey('valkey', 'cache.r7g.4xlarge')?.key).toBe('elastiCacheNodeHour.valkey.cache.r7g.4xlarge');
    expect(elastiCacheNodeHourKey('memcached', 'cache.m6g.large')?.key).toBe('elastiCacheNodeHour.memcached.cache.m6g.large');
    expect(elastiCacheNodeHourKey('redis', 'cache.m6g.large')).not.toBe(elastiCacheNodeHourKey('valkey', 'cache.m6g.large'));
    for (const [engine, type] of [['redis', 'cache.r6gd.xlarge'], ['redis', 'cache.t2.micro'], ['redis', 'constructor'], ['mongodb', 'cache.t3.micro'], ['', 'cache.t3.micro'], ['redis', 't3.micro']]) {
      expect(elastiCacheNodeHourKey(engine!, type!), `${engine} ${type}`).toBeUndefined();
    }
    expect(elastiCacheSnapshotStorageKey()).toBe(ELASTICACHE_SNAPSHOT_GB_MONTH);

    for (const t of ['ra3.large', 'ra3.xlplus', 'ra3.4xlarge', 'ra3.16xlarge', 'dc2.large', 'dc2.8xlarge']) expect(redshiftNodeHourKey(t)?.key).toBe(`redshiftNodeHour.${t}`);
    for (const t of ['ds2.xlarge', 'dc1.large', 'ra3', '', 'toString']) expect(redshiftNodeHourKey(t), t).toBeUndefined();
    expect(redshiftManagedStorageKey()).toBe(REDSHIFT_MANAGED_STORAGE_GB_MONTH);
    expect(redshiftBackupStorageKey()).toBe(REDSHIFT_BACKUP_GB_MONTH);

    expect(openSearchInstanceHourKey('r6g.large.search')?.key).toBe('openSearchInstanceHour.r6g.large.search');
    expect(openSearchInstanceHourKey('m5.large.elasticsearch')).toBe(openSearchInstanceHourKey('m5.large.search'));
    for (const t of ['r6g.large', 'ultrawarm1.medium.search', 'or1.large.search', 'r6gd.large.search', 'constructor', '']) expect(openSearchInstanceHourKey(t), t).toBeUndefined();
    for (const v of ['gp2', 'gp3', 'io1', 'standard']) expect(openSearchStorageKey(v)?.key).toBe(`openSearchStorageGbMonth.${v}`);
    for (const v of ['io2', 'st1', 'sc1', '', 'toString']) expect(openSearchStorageKey(v), v).toBeUndefined();
  });
});

// ---- Price List matching ----------------------------------------------------------------------------------------------

function rds(sku: string, family: string, attributes: Record<string, string>, dims: Dim[], locationType?: string): string {
  return entry('AmazonRDS', sku, family, { regionCode: 'eu-west-1', location: 'EU (Ireland)', ...attributes }, dims, locationType);
}

function dbInstance(sku: string, usagetype: string, instanceType: string, databaseEngine: string, deploymentOption: string, usd: string, extra: Record<string, string> = {}): string {
  return rds(sku, 'Database Instance', { usagetype, instanceType, databaseEngine, deploymentOption, licenseModel: 'No license required', ...extra }, [{ unit: 'Hrs', usd }]);
}

describe('RDS Price List matches', () => {
  const pgSingle = dbInstance('PGS', 'EU-InstanceUsage:db.m5.large', 'db.m5.large', 'PostgreSQL', 'Single-AZ', '0.1910000000', { operation: 'CreateDBInstance:0014' });
  const pgMulti = dbInstance('PGM', 'EU-Multi-AZUsage:db.m5.large', 'db.m5.large', 'PostgreSQL', 'Multi-AZ', '0.3820000000', { operation: 'CreateDBInstance:0014' });
  const pgCluster = dbInstance('PGC', 'EU-Multi-AZClusterUsage:db.m5.large', 'db.m5.large', 'PostgreSQL', 'Multi-AZ (readable standbys)', '0.5730000000');
  const mysqlSingle = dbInstance('MYS', 'EU-InstanceUsage:db.m5.large', 'db.m5.large', 'MySQL', 'Single-AZ', '0.1830000000', { operation: 'CreateDBInstance:0002' });
  const mysqlOutposts = rds('MYO', 'Database Instance', { usagetype: 'EU-InstanceUsage:db.m5.large', instanceType: 'db.m5.large', databaseEngine: 'MySQL', deploymentOption: 'Single-AZ', licenseModel: 'No license required' }, [{ unit: 'Hrs', usd: '0.9900000000' }], 'AWS Outposts');
  const oracleByol = dbInstance('ORB', 'EU-InstanceUsage:db.m5.large', 'db.m5.large', 'Oracle', 'Single-AZ', '0.1830000000', { licenseModel: 'Bring your own license', databaseEdition: 'Enterprise' });
  const auroraStd = dbInstance('AUS', 'EU-InstanceUsage:db.r6g.large', 'db.r6g.large', 'Aurora PostgreSQL', 'Single-AZ', '0.2840000000', { storage: 'EBS Only' });
  const auroraIo = dbInstance('AUI', 'EU-InstanceUsageIOOptimized:db.r6g.large', 'db.r6g.large', 'Aurora PostgreSQL', 'Single-AZ', '0.3692000000', { storage: 'Aurora IO Optimization Mode' });
  const auroraMysql = dbInstance('AUM', 'EU-InstanceUsage:db.r6g.large', 'db.r6g.large', 'Aurora MySQL', 'Single-AZ', '0.2840000000');
  // The class in a usage type may be abbreviated: the instanceType attribute decides.
  const abbreviated = dbInstance('PGA', 'EU-InstanceUsage:db.m5.4xl', 'db.m5.4xlarge', 'PostgreSQL', 'Single-AZ', '1.5280000000');

  it('instance keys pick their engine, deployment and class; neighbours are not matched', () => {
    const single = rdsInstanceHourKey('postgres', 'db.m5.large', false);
    const multi = rdsInstanceHourKey('postgres', 'db.m5.large', true);
    expect(matchOf(single, 'AmazonRDS', pgSingle)).toBe(0.191);
    expect(matchOf(multi, 'AmazonRDS', pgMulti)).toBe(0.382);
    for (const other of [pgMulti, pgCluster, mysqlSingle, oracleByol, auroraStd]) expect(matchOf(single, 'AmazonRDS', other)).toBeUndefined();
    for (const other of [pgSingle, pgCluster]) expect(matchOf(multi, 'AmazonRDS', other)).toBeUndefined();
    expect(matchOf(rdsInstanceHourKey('mysql', 'db.m5.large', false), 'AmazonRDS', mysqlSingle)).toBe(0.183);
    expect(matchOf(rdsInstanceHourKey('mysql', 'db.m5.large', false), 'AmazonRDS', pgSingle)).toBeUndefined();
    expect(matchOf(rdsInstanceHourKey('postgres', 'db.m5.4xlarge', false), 'AmazonRDS', abbreviated)).toBe(1.528);
  });

  it('Aurora Standard and I/O-Optimized instance keys are told apart by usage type', () => {
    const std = rdsInstanceHourKey('aurora-postgresql', 'db.r6g.large', false);
    const io = auroraIoOptimizedInstanceHourKey('aurora-postgresql', 'db.r6g.large');
    expect(matchOf(std, 'AmazonRDS', auroraStd)).toBe(0.284);
    expect(matchOf(std, 'AmazonRDS', auroraIo)).toBeUndefined();
    expect(matchOf(io, 'AmazonRDS', auroraIo)).toBe(0.3692);
    expect(matchOf(io, 'AmazonRDS', auroraStd)).toBeUndefined();
    expect(matchOf(std, 'AmazonRDS', auroraMysql)).toBeUndefined();
  });

  it('Outposts rows are left out of a parse', () => {
    const key = rdsInstanceHourKey('mysql', 'db.m5.large', false)!;
    expect(parsePriceListItems([key], 'AmazonRDS', [mysqlOutposts])).toEqual({});
    expect(parsePriceListItems([key], 'AmazonRDS', [mysqlSingle, mysqlOutposts])).toEqual({ [key.key]: 0.183 });
  });

  const storage = (sku: string, usagetype: string, volumeType: string, deploymentOption: string, usd: string, databaseEngine = 'Any'): string =>
    rds(sku, 'Database Storage', { usagetype, volumeType, deploymentOption, databaseEngine }, [{ unit: 'GB-Mo', usd }]);
  const STORAGE = {
    gp2: storage('G2S', 'EU-RDS:GP2-Storage', 'General Purpose', 'Single-AZ', '0.1270000000'),
    gp2Multi: storage('G2M', 'EU-RDS:Multi-AZ-GP2-Storage', 'General Purpose', 'Multi-AZ', '0.2540000000'),
    gp2Mirror: storage('G2R', 'EU-RDS:Mirror-GP2-Storage', 'General Purpose', 'Multi-AZ (SQL Server Mirror)', '0.2540000000', 'SQL Server'),
    gp3: storage('G3S', 'EU-RDS:GP3-Storage', 'General Purpose-GP3', 'Single-AZ', '0.1270000000'),
    gp3Pg: storage('G3P', 'EU-RDS:GP3-Storage', 'General Purpose-GP3', 'Single-AZ', '0.1280000000', 'PostgreSQL'),
    gp3Multi: storage('G3M', 'EU-RDS:Multi-AZ-GP3-Storage', 'General Purpose-GP3', 'Multi-AZ', '0.2540000000'),
    gp3Cluster: storage('G3C', 'EU-RDS:Multi-AZCluster-GP3-Storage', 'General Purpose-GP3', 'Multi-AZ (readable standbys)', '0.3810000000'),
    io1: storage('I1S', 'EU-RDS:PIOPS-Storage', 'Provisioned IOPS', 'Single-AZ', '0.1380000000'),
    io1Multi: storage('I1M', 'EU-RDS:Multi-AZ-PIOPS-Storage', 'Provisioned IOPS', 'Multi-AZ', '0.2760000000'),
    io2: storage('I2S', 'EU-RDS:PIOPS-Storage-IO2', 'Provisioned IOPS-IO2', 'Single-AZ', '0.1380000000'),
    io2Multi: storage('I2M', 'EU-RDS:Multi-AZ-PIOPS-Storage-IO2', 'Provisioned IOPS-IO2', 'Multi-AZ', '0.2760000000'),
    magnetic: storage('MGS', 'EU-RDS:StorageUsage', 'Magnetic', 'Single-AZ', '0.1100000000'),
    magneticMulti: storage('MGM', 'EU-RDS:Multi-AZ-StorageUsage', 'Magnetic', 'Multi-AZ', '0.2200000000'),
    auroraAny: storage('AUA', 'EU-Aurora:StorageUsage', 'General Purpose-Aurora', 'Single-AZ', '0.1100000000'),
    auroraPg: storage('AUP', 'EU-Aurora:StorageUsage', 'General Purpose-Aurora', 'Single-AZ', '0.1110000000', 'Aurora PostgreSQL'),
    auroraIo: storage('AUO', 'EU-Aurora:IO-OptimizedStorageUsage', 'General Purpose-Aurora', 'Single-AZ', '0.2480000000', 'Aurora PostgreSQL'),
  };

  it('storage keys match their usage type, "Any" rows win, cluster and mirror rows are ignored', () => {
    const keys = RDS_PRICE_KEYS.filter((k) => k.key.startsWith('rdsStorageGbMonth.') || k.key.startsWith('auroraStorageGbMonth.'));
    const found = parsePriceListItems(keys, 'AmazonRDS', Object.values(STORAGE).reverse());
    expect(found).toEqual({
      'rdsStorageGbMonth.gp2.singleAz': 0.127,
      'rdsStorageGbMonth.gp2.multiAz': 0.254,
      'rdsStorageGbMonth.gp3.singleAz': 0.127,
      'rdsStorageGbMonth.gp3.multiAz': 0.254,
      'rdsStorageGbMonth.io1.singleAz': 0.138,
      'rdsStorageGbMonth.io1.multiAz': 0.276,
      'rdsStorageGbMonth.io2.singleAz': 0.138,
      'rdsStorageGbMonth.io2.multiAz': 0.276,
      'rdsStorageGbMonth.standard.singleAz': 0.11,
      'rdsStorageGbMonth.standard.multiAz': 0.22,
      // Aurora MySQL has no row of its own here: the "Any" row; Aurora PostgreSQL its own.
      'auroraStorageGbMonth.aurora-mysql.standard': 0.11,
      'auroraStorageGbMonth.aurora-postgresql.standard': 0.111,
      'auroraStorageGbMonth.aurora-postgresql.ioOptimized': 0.248,
    });
    expect(matchOf(auroraStorageKey('aurora-postgresql', false), 'AmazonRDS', STORAGE.auroraIo)).toBeUndefined();
    expect(matchOf(auroraStorageKey('aurora-postgresql', true), 'AmazonRDS', STORAGE.auroraPg)).toBeUndefined();
    expect(matchOf(auroraStorageKey('aurora-mysql', false), 'AmazonRDS', STORAGE.auroraPg)).toBeUndefined();
  });

  it('IOPS keys match io1, io2 and gp3 above baseline by deployment', () => {
    const iops = (sku: string, usagetype: string, deploymentOption: string, usd: string): string =>
      rds(sku, 'Provisioned IOPS', { usagetype, deploymentOption, databaseEngine: 'Any', groupDescription: 'RDS Provisioned IOPS' }, [{ unit: 'IOPS-Mo', usd }]);
    const rows = [
      iops('P1S', 'EU-RDS:PIOPS', 'Single-AZ', '0.1100000000'),
      iops('P1M', 'EU-RDS:Multi-AZ-PIOPS', 'Multi-AZ', '0.2200000000'),
      iops('P2S', 'EU-RDS:IO2-PIOPS', 'Single-AZ', '0.1100000000'),
      iops('P2M', 'EU-RDS:Multi-AZ-IO2-PIOPS', 'Multi-AZ', '0.2200000000'),
      iops('G3S', 'EU-RDS:GP3-PIOPS', 'Single-AZ', '0.0220000000'),
      iops('G3M', 'EU-RDS:Multi-AZ-GP3-PIOPS', 'Multi-AZ', '0.0440000000'),
      iops('G3C', 'EU-RDS:Multi-AZCluster-GP3-PIOPS', 'Multi-AZ (readable standbys)', '0.0660000000'),
    ];
    const keys = RDS_PRICE_KEYS.filter((k) => k.unit === 'IOPS-Mo');
    expect(parsePriceListItems(keys, 'AmazonRDS', rows)).toEqual({
      'rdsIopsMonth.io1.singleAz': 0.11,
      'rdsIopsMonth.io1.multiAz': 0.22,
      'rdsIopsMonth.io2.singleAz': 0.11,
      'rdsIopsMonth.io2.multiAz': 0.22,
      'rdsGp3ExtraIopsMonth.singleAz': 0.022,
      'rdsGp3ExtraIopsMonth.multiAz': 0.044,
    });
  });

  it('backup keys: RDS takes the "Any" ChargedBackupUsage row, Aurora its engine row', () => {
    const snap = (sku: string, usagetype: string, databaseEngine: string, usd: string): string =>
      rds(sku, 'Storage Snapshot', { usagetype, databaseEngine }, [{ unit: 'GB-Mo', usd }]);
    const rows = [
      snap('BKA', 'EU-RDS:ChargedBackupUsage', 'Any', '0.0950000000'),
      snap('BKP', 'EU-RDS:ChargedBackupUsage', 'PostgreSQL', '0.0960000000'),
      snap('BAM', 'EU-Aurora:BackupUsage', 'Aurora MySQL', '0.0210000000'),
      snap('BAP', 'EU-Aurora:BackupUsage', 'Aurora PostgreSQL', '0.0220000000'),
    ];
    const keys = [RDS_BACKUP_GB_MONTH, auroraBackupStorageKey('aurora-mysql')!, auroraBackupStorageKey('aurora-postgresql')!];
    expect(parsePriceListItems(keys, 'AmazonRDS', rows)).toEqual({ rdsBackupGbMonth: 0.095, 'auroraBackupGbMonth.aurora-mysql': 0.021, 'auroraBackupGbMonth.aurora-postgresql': 0.022 });
    expect(parsePriceListItems(keys, 'AmazonRDS', [...rows].reverse())).toEqual({ rdsBackupGbMonth: 0.095, 'auroraBackupGbMonth.aurora-mysql': 0.021, 'auroraBackupGbMonth.aurora-postgresql': 0.022 });
  });
});

describe('ElastiCache, Redshift and OpenSearch Price List matches', () => {
  const node = (sku: string, usagetype: string, instanceType: string, cacheEngine: string, dims: Dim[]): string =>
    entry('AmazonElastiCache', sku, 'Cache Instance', { usagetype, instanceType, cacheEngine, regionCode: 'us-east-1' }, dims);

  it('ElastiCache node keys: engine and plain NodeUsage only; a $0 reserved-applied dimension is never the price', () => {
    const redis = node('RDS', 'NodeUsage:cache.r6g.large', 'cache.r6g.large', 'Redis', [{ unit: 'Hrs', usd: '0.0000000000' }, { unit: 'Hrs', usd: '0.2060000000' }]);
    const valkey = node('VLK', 'NodeUsage:cache.r6g.large', 'cache.r6g.large', 'Valkey', [{ unit: 'Hrs', usd: '0.1648000000' }]);
    const extended = node('EXT', 'ExtendedSupportYr1-NodeUsage:cache.r6g.large', 'cache.r6g.large', 'Redis', [{ unit: 'Hrs', usd: '0.1650000000' }]);
    const key = elastiCacheNodeHourKey('redis', 'cache.r6g.large');
    expect(matchOf(key, 'AmazonElastiCache', redis)).toBe(0.206);
    expect(matchOf(key, 'AmazonElastiCache', valkey)).toBeUndefined();
    expect(matchOf(key, 'AmazonElastiCache', extended)).toBeUndefined();
    expect(matchOf(elastiCacheNodeHourKey('valkey', 'cache.r6g.large'), 'AmazonElastiCache', valkey)).toBe(0.1648);
  });

  it('Redshift node keys, managed storage and the first backup tier; Concurrency Scaling is ignored', () => {
    const rs = (sku: string, family: string, attrs: Record<string, string>, dims: Dim[]): string =>
      entry('AmazonRedshift', sku, family, { regionCode: 'us-east-1', ...attrs }, dims);
    const rows = [
      rs('N1', 'Compute Instance', { usagetype: 'Node:ra3.xlplus', instanceType: 'ra3.xlplus' }, [{ unit: 'Hrs', usd: '1.0860000000' }]),
      rs('N2', 'Compute Instance', { usagetype: 'Node:dc2.large', instanceType: 'dc2.large' }, [{ unit: 'Hrs', usd: '0.2500000000' }]),
      rs('CS', 'Redshift Concurrency Scaling', { usagetype: 'CS:ra3.xlplus', instanceType: 'ra3.xlplus' }, [{ unit: 'seconds', usd: '0.0003016667' }]),
      rs('RM', 'Redshift Managed Storage', { usagetype: 'RMS:ra3.xlplus', instanceType: 'ra3.xlplus' }, [{ unit: 'GB-Mo', usd: '0.0240000000' }]),
      rs('SS', 'Storage Snapshot', { usagetype: 'PaidSnapshots' }, [
        { unit: 'GB-Mo', usd: '0.0230000000', beginRange: '0', endRange: '51200' },
        { unit: 'GB-Mo', usd: '0.0220000000', beginRange: '51200', endRange: '512000' },
        { unit: 'GB-Mo', usd: '0.0210000000', beginRange: '512000' },
      ]),
    ];
    expect(parsePriceListItems(REDSHIFT_PRICE_KEYS, 'AmazonRedshift', rows)).toEqual({
      'redshiftNodeHour.ra3.xlplus': 1.086,
      'redshiftNodeHour.dc2.large': 0.25,
      redshiftManagedStorageGbMonth: 0.024,
      redshiftBackupGbMonth: 0.023,
    });
  });

  it('OpenSearch instance and storage keys; IOPS rows and UltraWarm are ignored', () => {
    const es = (sku: string, family: string, attrs: Record<string, string>, dims: Dim[]): string =>
      entry('AmazonES', sku, family, { regionCode: 'us-east-1', ...attrs }, dims);
    const rows = [
      es('I1', 'Amazon OpenSearch Service Instance', { usagetype: 'ESInstance:r6g.large', instanceType: 'r6g.large.search' }, [{ unit: 'Hrs', usd: '0.1670000000' }]),
      es('UW', 'Amazon OpenSearch Service Instance', { usagetype: 'ESInstance:ultrawarm1.medium', instanceType: 'ultrawarm1.medium.search' }, [{ unit: 'Hrs', usd: '0.2380000000' }]),
      es('V2', 'Amazon OpenSearch Service Volume', { usagetype: 'ES:GP2-Storage', storageMedia: 'GP2' }, [{ unit: 'GB-Mo', usd: '0.1350000000' }]),
      es('V3', 'Amazon OpenSearch Service Volume', { usagetype: 'ES:GP3-Storage', storageMedia: 'GP3' }, [{ unit: 'GB-Mo', usd: '0.1220000000' }]),
      es('VP', 'Amazon OpenSearch Service Volume', { usagetype: 'ES:PIOPS-Storage', storageMedia: 'PIOPS-Storage' }, [{ unit: 'GB-Mo', usd: '0.1690000000' }]),
      es('VI', 'Amazon OpenSearch Service Volume', { usagetype: 'ES:PIOPS', storageMedia: 'PIOPS' }, [{ unit: 'IOPS-Mo', usd: '0.0880000000' }]),
      es('VM', 'Amazon OpenSearch Service Volume', { usagetype: 'ES:Magnetic-Storage', storageMedia: 'Magnetic' }, [{ unit: 'GB-Mo', usd: '0.0670000000' }]),
    ];
    expect(parsePriceListItems(OPENSEARCH_PRICE_KEYS, 'AmazonES', rows)).toEqual({
      'openSearchInstanceHour.r6g.large.search': 0.167,
      'openSearchStorageGbMonth.gp2': 0.135,
      'openSearchStorageGbMonth.gp3': 0.122,
      'openSearchStorageGbMonth.io1': 0.169,
      'openSearchStorageGbMonth.standard': 0.067,
    });
  });
});

// ---- Recorded rows (us-east-1) ------------------------------------------------------------------------------------------

type RecordedService = 'AmazonRDS' | 'AmazonElastiCache' | 'AmazonRedshift';
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../__fixtures__/db-price-list-us-east-1.json'), 'utf8')) as Record<RecordedService, unknown[]>;

/** The fixture's entries of one service as the JSON strings GetProducts returns. */
function recorded(service: RecordedService): string[] {
  return fixture[service].map((e) => JSON.stringify(e));
}

describe('Price List parse of recorded us-east-1 rows (__fixtures__/db-price-list-us-east-1.json)', () => {
  const rds = parsePriceListItems(RDS_PRICE_KEYS, 'AmazonRDS', recorded('AmazonRDS'));

  it('finds each recorded RDS/Aurora price under its own key, and nothing for the neighbours', () => {
    expect(rds).toEqual({
      'rdsInstanceHour.postgres.db.t4g.micro.singleAz': 0.016,
      'rdsInstanceHour.postgres.db.m6g.large.singleAz': 0.159,
      'rdsInstanceHour.postgres.db.m6g.large.multiAz': 0.318,
      'rdsInstanceHour.postgres.db.r6g.xlarge.singleAz': 0.45,
      'rdsInstanceHour.postgres.db.r6g.xlarge.multiAz': 0.899,
      'rdsInstanceHour.mysql.db.m6g.large.singleAz': 0.152,
      'auroraInstanceHour.aurora-postgresql.db.r6g.large': 0.26,
      'auroraIoOptimizedInstanceHour.aurora-postgresql.db.r6g.large': 0.338,
      'rdsStorageGbMonth.gp3.singleAz': 0.115,
      'rdsStorageGbMonth.gp3.multiAz': 0.23,
      'rdsStorageGbMonth.io1.singleAz': 0.125,
      'rdsStorageGbMonth.io2.singleAz': 0.125,
      'rdsIopsMonth.io1.singleAz': 0.1,
      'rdsIopsMonth.io2.singleAz': 0.1,
      'rdsGp3ExtraIopsMonth.singleAz': 0.02,
      'rdsGp3ExtraIopsMonth.multiAz': 0.04,
      rdsBackupGbMonth: 0.095,
      'auroraStorageGbMonth.aurora-postgresql.standard': 0.1,
      'auroraStorageGbMonth.aurora-postgresql.ioOptimized': 0.225,
      'auroraBackupGbMonth.aurora-postgresql': 0.021,
    });
    // The readable-standby gp3 row ($0.345), Aurora I/O requests and Serverless v2 ACUs are no key's price.
    expect(Object.values(rds)).not.toContain(0.345);
  });

  it('equals the bundled us-east-1 value wherever both exist (the bundled book and the Price List agree)', () => {
    const bundled = createBundledPriceBook(RDS_PRICE_KEYS).forRegion('us-east-1')!;
    let compared = 0;
    for (const k of RDS_PRICE_KEYS) {
      if (!Object.hasOwn(rds, k.key) || !Object.hasOwn(k.bundled, 'us-east-1')) continue;
      expect(price(bundled, k), k.key).toBe(rds[k.key]);
      compared++;
    }
    expect(compared).toBe(Object.keys(rds).length);
  });

  it('reads ElastiCache node rates per engine past the $0 reserved-applied dimension; extended support and other types are ignored', () => {
    const found = parsePriceListItems(ELASTICACHE_PRICE_KEYS, 'AmazonElastiCache', recorded('AmazonElastiCache'));
    expect(found).toEqual({
      'elastiCacheNodeHour.redis.cache.r6g.large': 0.206,
      'elastiCacheNodeHour.memcached.cache.r6g.large': 0.206,
      'elastiCacheNodeHour.redis.cache.t3.micro': 0.017,
      'elastiCacheNodeHour.memcached.cache.t3.micro': 0.017,
    });
    for (const [key, value] of Object.entries(found)) {
      const k = ELASTICACHE_PRICE_KEYS.find((x) => x.key === key)!;
      expect(k.bundled['us-east-1']?.value, key).toBe(value);
    }
  });

  it('reads Redshift node rates, not Concurrency Scaling', () => {
    const found = parsePriceListItems(REDSHIFT_PRICE_KEYS, 'AmazonRedshift', recorded('AmazonRedshift'));
    expect(found).toEqual({ 'redshiftNodeHour.ra3.xlplus': 1.086, 'redshiftNodeHour.ra3.4xlarge': 3.26 });
    expect(redshiftNodeHourKey('ra3.xlplus')?.bundled['us-east-1']?.value).toBe(1.086);
  });
});

// ---- Bundled values -------------------------------------------------------------------------------------------------

describe('bundled values', () => {
  it('each has a date and a source named in its module’s notes, is positive, and is for a scanned region', () => {
    for (const [file, keys] of ALL) {
      const text = readFileSync(join(import.meta.dirname, file), 'utf8');
      const notes = text.slice(0, text.indexOf('*/'));
      for (const k of keys) {
        for (const [region, b] of Object.entries(k.bundled)) {
          const where = `${k.key} ${region}`;
          expect(SCANNED_REGIONS, where).toContain(region);
          expect(typeof b.value === 'number' && b.value > 0 && Number.isFinite(b.value), where).toBe(true);
          expect(b.asOf, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          const cited = b.source.match(/\[[A-Z0-9-]+\]/g) ?? [];
          expect(cited.length, where).toBeGreaterThan(0);
          for (const s of cited) expect(notes, `${where}: ${s} not in the notes of ${file}`).toContain(`${s} `);
        }
      }
    }
  });

  it('equal the cited source values (us-east-1)', () => {
    const at = (k: RatePriceKey | undefined): { value: number; asOf: string; source: string } | undefined => k?.bundled['us-east-1'];
    const inst = (engine: string, cls: string, multiAz = false): number | undefined => at(rdsInstanceHourKey(engine, cls, multiAz))?.value;
    // [RDS-RI-2024]
    expect(inst('postgres', 'db.t3.micro')).toBe(0.018);
    expect(inst('postgres', 'db.m5.large')).toBe(0.178);
    expect(inst('postgres', 'db.r7g.4xlarge')).toBe(1.913);
    expect(inst('mysql', 'db.t3.micro')).toBe(0.017);
    expect(inst('mysql', 'db.m5.large')).toBe(0.171);
    expect(inst('mysql', 'db.r6g.large')).toBe(0.215);
    expect(inst('mysql', 'db.r6i.4xlarge')).toBe(1.92);
    // [PG-2026] (the newer source wins where both give a value; they agree) and [RUNBOOK-2026]
    expect(at(rdsInstanceHourKey('postgres', 'db.r6g.large', false))).toEqual({ value: 0.225, asOf: '2026-07-28', source: '[PG-2026]' });
    expect(at(rdsInstanceHourKey('postgres', 'db.t4g.micro', false))).toEqual({ value: 0.016, asOf: '2026-09-24', source: '[RUNBOOK-2026]' });
    expect(inst('postgres', 'db.m6g.2xlarge', true)).toBe(1.272);
    expect(inst('postgres', 'db.r7g.2xlarge', true)).toBe(1.913);
    expect(inst('postgres', 'db.m5.large', true)).toBeUndefined();
    expect(inst('aurora-postgresql', 'db.r6g.2xlarge')).toBe(1.038);
    expect(at(auroraIoOptimizedInstanceHourKey('aurora-postgresql', 'db.r7g.xlarge'))?.value).toBe(0.719);
    expect(at(rdsStorageKeys('gp3', false).storage)?.value).toBe(0.115);
    expect(at(rdsStorageKeys('gp3', true).storage)?.value).toBe(0.23);
    expect(at(rdsStorageKeys('io1', false).iops)?.value).toBe(0.1);
    expect(at(rdsGp3ExtraIopsKey(true))?.value).toBe(0.04);
    expect(at(rdsBackupStorageKey())).toEqual({ value: 0.095, asOf: '2026-09-24', source: '[RUNBOOK-2026]' });
    expect(at(auroraStorageKey('aurora-postgresql', true))?.value).toBe(0.225);
    expect(at(auroraStorageKey('aurora-mysql', false))).toEqual({ value: 0.1, asOf: '2026-06-01', source: '[PE-2026]' });
    expect(at(auroraBackupStorageKey('aurora-postgresql'))?.value).toBe(0.021);
    // [EC-RI-2024], [RS-RI-2024]
    expect(at(elastiCacheNodeHourKey('redis', 'cache.t3.micro'))).toEqual({ value: 0.017, asOf: '2024-06-28', source: '[EC-RI-2024]' });
    expect(at(elastiCacheNodeHourKey('memcached', 'cache.r7g.4xlarge'))?.value).toBe(1.745);
    expect(at(elastiCacheNodeHourKey('redis', 'cache.m6g.large'))?.value).toBe(0.149);
    expect(at(redshiftNodeHourKey('ra3.16xlarge'))).toEqual({ value: 13.04, asOf: '2024-09-11', source: '[RS-RI-2024]' });
    // Every declared PostgreSQL/MySQL Single-AZ class and every redis/memcached node type is sourced.
    for (const engine of ['postgres', 'mysql']) {
      for (const k of RDS_PRICE_KEYS.filter((x) => x.key.startsWith(`rdsInstanceHour.${engine}.`) && x.key.endsWith('.singleAz'))) {
        expect(k.bundled['us-east-1']?.value, k.key).toBeGreaterThan(0);
      }
    }
    for (const k of ELASTICACHE_PRICE_KEYS.filter((x) => /\.(redis|memcached)\./.test(x.key))) expect(k.bundled['us-east-1']?.value, k.key).toBeGreaterThan(0);
  });

  it('leave what no source gives unknown (Price List only)', () => {
    const none = [
      rdsInstanceHourKey('mariadb', 'db.m5.large', false),
      rdsInstanceHourKey('aurora-mysql', 'db.r6g.large', false),
      rdsInstanceHourKey('mysql', 'db.m5.large', true),
      rdsStorageKeys('gp2', false).storage,
      rdsStorageKeys('standard', true).storage,
      rdsStorageKeys('io1', true).iops,
      auroraBackupStorageKey('aurora-mysql'),
      elastiCacheNodeHourKey('valkey', 'cache.r7g.large'),
      elastiCacheSnapshotStorageKey(),
      redshiftNodeHourKey('dc2.large'),
      redshiftNodeHourKey('ra3.large'),
      redshiftManagedStorageKey(),
      redshiftBackupStorageKey(),
      ...OPENSEARCH_PRICE_KEYS,
    ];
    for (const k of none) expect(k?.bundled, k?.key).toEqual({});
  });

  it('leave unsourced regions unknown', () => {
    for (const [, keys] of ALL) for (const k of keys) for (const r of ['ca-west-1', 'mx-central-1', 'ap-southeast-7']) expect(Object.hasOwn(k.bundled, r), `${k.key} ${r}`).toBe(false);
  });
});
