import { bundledFrom, rateIn } from '../price-key';
import type { BundledPrices, PriceKey, PriceListProduct, RatePriceKey } from '../types';

/*
 * RDS and Aurora price keys, declared once: the DB instance, DB cluster and DB snapshot kinds import them. A function
 * returns undefined for what has no declared key (an engine, class or storage type outside the documented sets): the
 * cost is then unknown, never $0.
 *
 * What is declared:
 *  - Instance hours, On-Demand, for the engines MySQL, PostgreSQL and MariaDB (license "No license required";
 *    Single-AZ and Multi-AZ DB instance deployments) and Aurora MySQL / Aurora PostgreSQL (one price per instance:
 *    an Aurora cluster is made highly available by adding instances, each billed; Aurora Standard and, through
 *    auroraIoOptimizedInstanceHourKey, Aurora I/O-Optimized), for the classes in RDS_INSTANCE_CLASSES /
 *    AURORA_INSTANCE_CLASSES. Oracle, SQL Server and Db2 are not declared: their price depends on the license model
 *    and edition (license included vs bring your own license, SE2/EE, Web/Standard/Enterprise), which the engine
 *    string alone does not settle, so they stay unknown. Multi-AZ DB clusters (three instances, "Multi-AZ (readable
 *    standbys)") are not declared either.
 *  - Storage GB-month of a DB instance by storage type and deployment (gp2, gp3, io1, io2, standard = Magnetic),
 *    provisioned IOPS-month for io1 and io2, and gp3 IOPS above the free baseline (rdsGp3ExtraIopsKey).
 *  - Aurora cluster storage GB-month (Standard, I/O-Optimized) per engine; backup storage GB-month beyond the free
 *    allowance for DB instances (one rate for every engine) and for Aurora clusters (per engine).
 *
 * Price List (service AmazonRDS), as the offer writes it (sources below):
 *  - Instances: product family "Database Instance", attributes instanceType (db.t3.micro), databaseEngine (MySQL,
 *    PostgreSQL, MariaDB, Aurora MySQL, Aurora PostgreSQL), deploymentOption (Single-AZ, Multi-AZ, Multi-AZ (readable
 *    standbys)), licenseModel, deploymentModel ("Custom" on RDS Custom rows). Usage types InstanceUsage:<class>
 *    (Single-AZ), Multi-AZUsage:<class> (Multi-AZ), InstanceUsageIOOptimized:<class> (Aurora I/O-Optimized); the class
 *    in a usage type is sometimes abbreviated (db.r7g.4xl), so keys compare the usage type's prefix and the
 *    instanceType attribute. One query per engine (and deployment option for the non-Aurora engines).
 *  - Storage: product family "Database Storage", usage types RDS:GP2-Storage, RDS:GP3-Storage, RDS:PIOPS-Storage (io1),
 *    RDS:PIOPS-Storage-IO2, RDS:StorageUsage (Magnetic), each with a Multi-AZ twin RDS:Multi-AZ-… ; neighbours that
 *    must not match: RDS:Multi-AZCluster-… (readable standbys), RDS:Mirror-… (SQL Server). Rows exist for
 *    databaseEngine "Any" and for single engines: "Any" wins. Aurora:StorageUsage (Standard) and
 *    Aurora:IO-OptimizedStorageUsage, listed per engine in some regions and under "Any" in others: the engine's own
 *    row wins.
 *  - Provisioned IOPS: product family "Provisioned IOPS", usage types RDS:PIOPS / RDS:Multi-AZ-PIOPS (io1),
 *    RDS:IO2-PIOPS / RDS:Multi-AZ-IO2-PIOPS (io2), RDS:GP3-PIOPS / RDS:Multi-AZ-GP3-PIOPS (gp3 above its baseline).
 *  - Backup storage: product family "Storage Snapshot", usage types RDS:ChargedBackupUsage (databaseEngine "Any" wins
 *    over per-engine rows) and Aurora:BackupUsage (databaseEngine Aurora MySQL / Aurora PostgreSQL).
 *  Where seen: infracost's AmazonRDS product filters (github.com/infracost/infracost internal/resources/aws/
 *  db_instance.go, rds_cluster.go, rds_cluster_instance.go; search-tool file ids 49038987385, 38025511044,
 *  49736548808); a Price List slimming filter naming the Custom and Outposts rows (file id 71140705283); a parser test
 *  listing the storage rows with their volumeType and deployment option (file id 69030691523); the IOPS usage types
 *  (file ids 2866112512, 70522359746); Aurora storage usage types per engine or "Any" (file ids 71533161658,
 *  61418343369). Usage types carry a region prefix outside us-east-1 (EU-, USW2-, APS1-; some us-east-1 rows USE1-),
 *  which the price service strips.
 *
 * Sources of the bundled values (us-east-1 only; a region or key a source does not name has no value from it):
 *  [RDS-RI-2024] github.com/yeo/ec2.shop data/rds/<region>-rds-<engine>-reservedinstance-<deployment>-1y.json: AWS's RDS
 *      pricing-page feeds (b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/rds/USD/current/rds-<engine>-
 *      reservedinstance/…), manifest hawkFilePublicationDate 2024-09-28T00:07:42Z. Every row carries the On-Demand
 *      price of its instance ("OnDemand:PricePerUnit", with its On-Demand rateCode <SKU>.JRTCKXETXF.6YS6EN2CT7); only
 *      that field is used. Files read in full (every class of RDS_INSTANCE_CLASSES found): us-east-1 PostgreSQL
 *      Single-AZ (data/rds/us-east-1-rds-postgresql-reservedinstance-single-az-1y.json, commit 44337592, search-tool
 *      file id 10950859303; e.g. db.t3.micro $0.018, db.m5.large $0.178, db.r6g.large $0.225) and us-east-1 MySQL
 *      Single-AZ (…-rds-mysql-reservedinstance-single-az-1y.json, same commit, file id 11092759212; e.g. db.t3.micro
 *      $0.017, db.m5.large $0.171, db.r6g.large $0.215).
 *  [PG-2026] search-tool file id 61631184241, a cost study whose us-east-1 rates were "verified live against AWS's bulk
 *      API 2026-07-28" and quoted as Price List rows: RDS for PostgreSQL instance hours Single-AZ and Multi-AZ
 *      (db.m6g.large/xlarge/2xlarge, db.r6g.large (Single-AZ only)/xlarge/2xlarge, db.r7g.xlarge/2xlarge; every
 *      Single-AZ value equals [RDS-RI-2024]'s, so that feed is still current for them); RDS storage (PostgreSQL rows):
 *      RDS:GP3-Storage $0.115, RDS:Multi-AZ-GP3-Storage $0.23, readable-standby gp3 $0.345 (not a key), RDS:GP3-PIOPS
 *      $0.02 and RDS:Multi-AZ-GP3-PIOPS $0.04 per IOPS-month ("RDS Provisioned GP3 IOPS"), io1 RDS:PIOPS-Storage $0.125
 *      and RDS:PIOPS $0.10, io2 storage $0.125 (usage type written there as RDS:IO2-PIOPS-Storage; other records write
 *      RDS:PIOPS-Storage-IO2, so the io2 keys accept both) and RDS:IO2-PIOPS $0.10, all Single-AZ unless named;
 *      RDS:ChargedBackupUsage $0.095; Aurora PostgreSQL: Aurora:StorageUsage $0.10, Aurora:IO-OptimizedStorageUsage
 *      $0.225, Aurora:BackupUsage $0.021, instances db.r6g.large $0.26 (I/O-Optimized $0.338), db.r6g.xlarge $0.519
 *      ($0.675), db.r6g.2xlarge $1.038 ($1.349), db.r7g.xlarge $0.553 ($0.719).
 *  [RUNBOOK-2026] search-tool file id 68557060608, an operations runbook's price table re-checked against the Price List
 *      API (us-east-1, On-Demand) on 2026-09-24: InstanceUsage:db.t4g.micro PostgreSQL Single-AZ $0.016,
 *      RDS:GP3-Storage (PostgreSQL, Single-AZ) $0.115 per GB-month, RDS:ChargedBackupUsage (PostgreSQL) $0.095.
 *  [PE-2026] search-tool file id 56142574194, a pricing engine's fallback notes: "Live us-east-1 (Pricing API 2026-06):
 *      Aurora:IO-OptimizedStorageUsage $0.225 − Aurora:StorageUsage $0.10" (no day given: dated 2026-06-01; no engine
 *      named: used for Aurora MySQL, which no other source covers; [PG-2026] gives the same two values for Aurora
 *      PostgreSQL). Its other RDS constants are not used (they are marked "as of 2024-Q4" or undated, and its io1
 *      $0.200 contradicts [PG-2026]).
 *  The storage, IOPS and backup keys are engine-independent (they prefer the "Any" rows); the sources quote the
 *  PostgreSQL rows, which carry the same usage types.
 *  Unknown (Price List only): MariaDB, Aurora MySQL instances, MySQL Multi-AZ, PostgreSQL Multi-AZ classes not listed
 *  above, gp2 and Magnetic storage, Multi-AZ io1/io2 storage and IOPS, Aurora MySQL backup storage, and every region
 *  but us-east-1. Not used: test fixtures with made-up rates, Cost Explorer unit costs, and undated price tables.
 */

const RDS = 'AmazonRDS';
const GB_MONTH = ['GB-Mo', 'GB-month'];

/** Engines with declared keys, as DescribeDBInstances / DescribeDBClusters write them. */
export const RDS_ENGINES = ['mysql', 'postgres', 'mariadb'] as const;
export const AURORA_ENGINES = ['aurora-mysql', 'aurora-postgresql'] as const;
export type RdsEngine = (typeof RDS_ENGINES)[number];
export type AuroraEngine = (typeof AURORA_ENGINES)[number];

/** The Price List's databaseEngine by engine string ("aurora" is Aurora MySQL 5.6-compatible, the old engine name). */
const ENGINE_NAME: Readonly<Record<RdsEngine | AuroraEngine, string>> = {
  mysql: 'MySQL',
  postgres: 'PostgreSQL',
  mariadb: 'MariaDB',
  'aurora-mysql': 'Aurora MySQL',
  'aurora-postgresql': 'Aurora PostgreSQL',
};

function sizes(families: readonly string[], names: readonly string[]): string[] {
  return families.flatMap((f) => names.map((n) => `db.${f}.${n}`));
}

/** DB instance classes with declared keys (MySQL, PostgreSQL, MariaDB). */
export const RDS_INSTANCE_CLASSES: readonly string[] = Object.freeze([
  ...sizes(['t3', 't4g'], ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge']),
  ...sizes(['m5', 'm6g', 'm6i', 'm7g', 'r5', 'r6g', 'r6i', 'r7g'], ['large', 'xlarge', '2xlarge', '4xlarge']),
]);

/** Aurora instance classes with declared keys (Aurora has no micro/small burstables or m classes for these engines). */
export const AURORA_INSTANCE_CLASSES: readonly string[] = Object.freeze([
  ...sizes(['t3', 't4g'], ['medium', 'large']),
  ...sizes(['r5', 'r6g', 'r6i', 'r7g'], ['large', 'xlarge', '2xlarge', '4xlarge']),
]);

export const RDS_STORAGE_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'standard'] as const;
export type RdsStorageType = (typeof RDS_STORAGE_TYPES)[number];

type Deployment = 'singleAz' | 'multiAz';
const DEPLOYMENTS: readonly Deployment[] = ['singleAz', 'multiAz'];
const DEPLOYMENT_OPTION: Readonly<Record<Deployment, string>> = { singleAz: 'Single-AZ', multiAz: 'Multi-AZ' };

/** `obj[k]` when `k` is an own key (never an Object.prototype member such as `constructor`). */
function own<V>(obj: Readonly<Record<string, V>>, k: string): V | undefined {
  return Object.hasOwn(obj, k) ? obj[k] : undefined;
}

function lower(s: string): string {
  return s.trim().toLowerCase();
}

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v);
}

function rdsEngine(engine: string): RdsEngine | undefined {
  const e = lower(engine);
  return isOneOf(RDS_ENGINES, e) ? e : undefined;
}

function auroraEngine(engine: string): AuroraEngine | undefined {
  const e = lower(engine);
  if (e === 'aurora') return 'aurora-mysql';
  return isOneOf(AURORA_ENGINES, e) ? e : undefined;
}

/** A row of RDS Custom or of an Outposts engine: never one of these keys. */
function isCustomOrOutposts(p: PriceListProduct): boolean {
  return p.attributes.deploymentModel === 'Custom' || /Outposts|Custom/.test(p.attributes.databaseEngine ?? '');
}

// ---- Bundled instance prices ----------------------------------------------------------------------------------------

interface InstanceSource {
  asOf: string;
  source: string;
  /** Hourly price by instance class, by region. */
  regions: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const RDS_RI_2024 = { asOf: '2024-09-28', source: '[RDS-RI-2024]' };
const PG_2026 = { asOf: '2026-07-28', source: '[PG-2026]' };
const RUNBOOK_2026 = { asOf: '2026-09-24', source: '[RUNBOOK-2026]' };
const PE_2026 = { asOf: '2026-06-01', source: '[PE-2026]' };

/** Bundled instance-hour sources by engine and deployment (Aurora: by engine, 'aurora' and 'auroraIo' tables). */
const INSTANCE_SOURCES: Readonly<Record<string, readonly InstanceSource[]>> = {
  'postgres.singleAz': [
    {
      ...RUNBOOK_2026,
      regions: { 'us-east-1': { 'db.t4g.micro': 0.016 } },
    },
    {
      ...PG_2026,
      regions: {
        'us-east-1': {
          'db.m6g.large': 0.159, 'db.m6g.xlarge': 0.318, 'db.m6g.2xlarge': 0.636, 'db.r6g.large': 0.225,
          'db.r6g.xlarge': 0.45, 'db.r6g.2xlarge': 0.899, 'db.r7g.xlarge': 0.478, 'db.r7g.2xlarge': 0.956,
        },
      },
    },
    {
      ...RDS_RI_2024,
      regions: {
        'us-east-1': {
          'db.t3.micro': 0.018, 'db.t3.small': 0.036, 'db.t3.medium': 0.072, 'db.t3.large': 0.145,
          'db.t3.xlarge': 0.29, 'db.t3.2xlarge': 0.579, 'db.t4g.micro': 0.016, 'db.t4g.small': 0.032,
          'db.t4g.medium': 0.065, 'db.t4g.large': 0.129, 'db.t4g.xlarge': 0.258, 'db.t4g.2xlarge': 0.517,
          'db.m5.large': 0.178, 'db.m5.xlarge': 0.356, 'db.m5.2xlarge': 0.712, 'db.m5.4xlarge': 1.424,
          'db.m6g.large': 0.159, 'db.m6g.xlarge': 0.318, 'db.m6g.2xlarge': 0.636, 'db.m6g.4xlarge': 1.272,
          'db.m6i.large': 0.178, 'db.m6i.xlarge': 0.356, 'db.m6i.2xlarge': 0.712, 'db.m6i.4xlarge': 1.424,
          'db.m7g.large': 0.168, 'db.m7g.xlarge': 0.337, 'db.m7g.2xlarge': 0.674, 'db.m7g.4xlarge': 1.348,
          'db.r5.large': 0.25, 'db.r5.xlarge': 0.5, 'db.r5.2xlarge': 1, 'db.r5.4xlarge': 2, 'db.r6g.large': 0.225,
          'db.r6g.xlarge': 0.45, 'db.r6g.2xlarge': 0.899, 'db.r6g.4xlarge': 1.798, 'db.r6i.large': 0.25,
          'db.r6i.xlarge': 0.5, 'db.r6i.2xlarge': 1, 'db.r6i.4xlarge': 2, 'db.r7g.large': 0.239,
          'db.r7g.xlarge': 0.478, 'db.r7g.2xlarge': 0.956, 'db.r7g.4xlarge': 1.913,
        },
      },
    },
  ],
  'mysql.singleAz': [
    {
      ...RDS_RI_2024,
      regions: {
        'us-east-1': {
          'db.t3.micro': 0.017, 'db.t3.small': 0.034, 'db.t3.medium': 0.068, 'db.t3.large': 0.136,
          'db.t3.xlarge': 0.272, 'db.t3.2xlarge': 0.544, 'db.t4g.micro': 0.016, 'db.t4g.small': 0.032,
          'db.t4g.medium': 0.065, 'db.t4g.large': 0.129, 'db.t4g.xlarge': 0.258, 'db.t4g.2xlarge': 0.517,
          'db.m5.large': 0.171, 'db.m5.xlarge': 0.342, 'db.m5.2xlarge': 0.684, 'db.m5.4xlarge': 1.368,
          'db.m6g.large': 0.152, 'db.m6g.xlarge': 0.304, 'db.m6g.2xlarge': 0.608, 'db.m6g.4xlarge': 1.216,
          'db.m6i.large': 0.171, 'db.m6i.xlarge': 0.342, 'db.m6i.2xlarge': 0.684, 'db.m6i.4xlarge': 1.368,
          'db.m7g.large': 0.168, 'db.m7g.xlarge': 0.337, 'db.m7g.2xlarge': 0.674, 'db.m7g.4xlarge': 1.348,
          'db.r5.large': 0.24, 'db.r5.xlarge': 0.48, 'db.r5.2xlarge': 0.96, 'db.r5.4xlarge': 1.92,
          'db.r6g.large': 0.215, 'db.r6g.xlarge': 0.43, 'db.r6g.2xlarge': 0.859, 'db.r6g.4xlarge': 1.718,
          'db.r6i.large': 0.24, 'db.r6i.xlarge': 0.48, 'db.r6i.2xlarge': 0.96, 'db.r6i.4xlarge': 1.92,
          'db.r7g.large': 0.239, 'db.r7g.xlarge': 0.478, 'db.r7g.2xlarge': 0.956, 'db.r7g.4xlarge': 1.913,
        },
      },
    },
  ],
  'postgres.multiAz': [
    {
      ...PG_2026,
      regions: {
        'us-east-1': {
          'db.m6g.large': 0.318, 'db.m6g.xlarge': 0.636, 'db.m6g.2xlarge': 1.272, 'db.r6g.xlarge': 0.899,
          'db.r6g.2xlarge': 1.798, 'db.r7g.xlarge': 0.956, 'db.r7g.2xlarge': 1.913,
        },
      },
    },
  ],
  'aurora-postgresql.aurora': [
    {
      ...PG_2026,
      regions: { 'us-east-1': { 'db.r6g.large': 0.26, 'db.r6g.xlarge': 0.519, 'db.r6g.2xlarge': 1.038, 'db.r7g.xlarge': 0.553 } },
    },
  ],
  'aurora-postgresql.auroraIo': [
    {
      ...PG_2026,
      regions: { 'us-east-1': { 'db.r6g.large': 0.338, 'db.r6g.xlarge': 0.675, 'db.r6g.2xlarge': 1.349, 'db.r7g.xlarge': 0.719 } },
    },
  ],
};

/** Bundled storage, IOPS and backup values by key id (us-east-1; the sources name PostgreSQL rows, see the notes). */
const BUNDLED_BY_KEY: Readonly<Record<string, BundledPrices<number>>> = {
  'rdsStorageGbMonth.gp3.singleAz': bundledFrom({ ...RUNBOOK_2026, values: { 'us-east-1': 0.115 } }),
  'rdsStorageGbMonth.gp3.multiAz': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.23 } }),
  'rdsStorageGbMonth.io1.singleAz': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.125 } }),
  'rdsStorageGbMonth.io2.singleAz': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.125 } }),
  'rdsIopsMonth.io1.singleAz': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.1 } }),
  'rdsIopsMonth.io2.singleAz': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.1 } }),
  'rdsGp3ExtraIopsMonth.singleAz': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.02 } }),
  'rdsGp3ExtraIopsMonth.multiAz': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.04 } }),
  rdsBackupGbMonth: bundledFrom({ ...RUNBOOK_2026, values: { 'us-east-1': 0.095 } }),
  'auroraStorageGbMonth.aurora-postgresql.standard': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.1 } }),
  'auroraStorageGbMonth.aurora-postgresql.ioOptimized': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.225 } }),
  'auroraStorageGbMonth.aurora-mysql.standard': bundledFrom({ ...PE_2026, values: { 'us-east-1': 0.1 } }),
  'auroraStorageGbMonth.aurora-mysql.ioOptimized': bundledFrom({ ...PE_2026, values: { 'us-east-1': 0.225 } }),
  'auroraBackupGbMonth.aurora-postgresql': bundledFrom({ ...PG_2026, values: { 'us-east-1': 0.021 } }),
};

function instanceBundled(table: string, instanceClass: string): BundledPrices<number> {
  return bundledFrom(
    ...(INSTANCE_SOURCES[table] ?? []).map((s) => ({
      asOf: s.asOf,
      source: s.source,
      values: Object.fromEntries(
        Object.entries(s.regions).flatMap(([region, byClass]) =>
          Object.hasOwn(byClass, instanceClass) ? [[region, byClass[instanceClass]!] as const] : [],
        ),
      ),
    })),
  );
}

// ---- Instance keys ------------------------------------------------------------------------------------------------------

function rdsInstanceKey(engine: RdsEngine, instanceClass: string, deployment: Deployment): RatePriceKey {
  const name = ENGINE_NAME[engine];
  const option = DEPLOYMENT_OPTION[deployment];
  const usagePrefix = deployment === 'multiAz' ? 'Multi-AZUsage:' : 'InstanceUsage:';
  return {
    key: `rdsInstanceHour.${engine}.${instanceClass}.${deployment}`,
    shape: 'rate',
    unit: 'Hrs',
    description: `An RDS for ${name} ${instanceClass} ${option} DB instance, per hour it runs (storage, IOPS and backups are billed apart)`,
    priceList: {
      serviceCode: RDS,
      filters: { productFamily: 'Database Instance', databaseEngine: name, deploymentOption: option },
      match: (p) =>
        p.productFamily === 'Database Instance' &&
        p.attributes.instanceType === instanceClass &&
        p.attributes.databaseEngine === name &&
        p.attributes.deploymentOption === option &&
        (p.attributes.licenseModel ?? 'No license required') === 'No license required' &&
        p.usage.startsWith(usagePrefix) &&
        !isCustomOrOutposts(p)
          ? rateIn(p, ['Hrs'])
          : undefined,
    },
    bundled: instanceBundled(`${engine}.${deployment}`, instanceClass),
  };
}

function auroraInstanceKey(engine: AuroraEngine, instanceClass: string, ioOptimized: boolean): RatePriceKey {
  const name = ENGINE_NAME[engine];
  const usagePrefix = ioOptimized ? 'InstanceUsageIOOptimized:' : 'InstanceUsage:';
  const config = ioOptimized ? 'I/O-Optimized' : 'Standard';
  return {
    key: `${ioOptimized ? 'auroraIoOptimizedInstanceHour' : 'auroraInstanceHour'}.${engine}.${instanceClass}`,
    shape: 'rate',
    unit: 'Hrs',
    description: `An ${name} ${instanceClass} instance in an Aurora ${config} cluster, per hour it runs (cluster storage is billed apart)`,
    priceList: {
      serviceCode: RDS,
      filters: { productFamily: 'Database Instance', databaseEngine: name },
      match: (p) =>
        p.productFamily === 'Database Instance' &&
        p.attributes.instanceType === instanceClass &&
        p.attributes.databaseEngine === name &&
        p.usage.startsWith(usagePrefix) &&
        !isCustomOrOutposts(p)
          ? rateIn(p, ['Hrs'])
          : undefined,
    },
    bundled: instanceBundled(`${engine}.${ioOptimized ? 'auroraIo' : 'aurora'}`, instanceClass),
  };
}

function table<K extends string, V>(keys: readonly K[], make: (k: K) => V): Readonly<Record<K, V>> {
  return Object.freeze(Object.fromEntries(keys.map((k) => [k, make(k)])) as Record<K, V>);
}

/** RDS instance-hour keys by engine, class and deployment. */
export const RDS_INSTANCE_HOUR: Readonly<Record<RdsEngine, Readonly<Record<string, Readonly<Record<Deployment, RatePriceKey>>>>>> = table(
  RDS_ENGINES,
  (engine) => table(RDS_INSTANCE_CLASSES, (cls) => table(DEPLOYMENTS, (d) => rdsInstanceKey(engine, cls, d))),
);

/** Aurora instance-hour keys by engine and class: Standard and I/O-Optimized. */
export const AURORA_INSTANCE_HOUR: Readonly<Record<AuroraEngine, Readonly<Record<string, { standard: RatePriceKey; ioOptimized: RatePriceKey }>>>> = table(
  AURORA_ENGINES,
  (engine) =>
    table(AURORA_INSTANCE_CLASSES, (cls) => ({
      standard: auroraInstanceKey(engine, cls, false),
      ioOptimized: auroraInstanceKey(engine, cls, true),
    })),
);

// ---- Storage, IOPS, backup keys -----------------------------------------------------------------------------------------

/** Usage type suffixes by storage type (io2 is written both ways in the records, see the notes). */
const STORAGE_USAGE: Readonly<Record<RdsStorageType, readonly string[]>> = {
  gp2: ['GP2-Storage'],
  gp3: ['GP3-Storage'],
  io1: ['PIOPS-Storage'],
  io2: ['PIOPS-Storage-IO2', 'IO2-PIOPS-Storage'],
  standard: ['StorageUsage'],
};

const STORAGE_LABEL: Readonly<Record<RdsStorageType, string>> = {
  gp2: 'General Purpose SSD (gp2)',
  gp3: 'General Purpose SSD (gp3)',
  io1: 'Provisioned IOPS SSD (io1)',
  io2: 'Provisioned IOPS SSD (io2)',
  standard: 'Magnetic (standard)',
};

function rdsUsage(deployment: Deployment, suffixes: string | readonly string[]): readonly string[] {
  return (typeof suffixes === 'string' ? [suffixes] : suffixes).map((x) => (deployment === 'multiAz' ? `RDS:Multi-AZ-${x}` : `RDS:${x}`));
}

/** "Any" rows beat rows of a single engine (same usage type, listed per engine in some regions). */
function anyEngineFirst(p: PriceListProduct): number {
  return p.attributes.databaseEngine === 'Any' ? 1 : 0;
}

function usageKey(
  key: string,
  unit: string,
  description: string,
  productFamily: string,
  usages: string | readonly string[],
  units: readonly string[],
): RatePriceKey {
  const accepted = typeof usages === 'string' ? [usages] : usages;
  return {
    key,
    shape: 'rate',
    unit,
    description,
    priceList: {
      serviceCode: RDS,
      filters: { productFamily },
      match: (p) => (p.productFamily === productFamily && accepted.includes(p.usage) && !isCustomOrOutposts(p) ? rateIn(p, units) : undefined),
      rank: anyEngineFirst,
    },
    bundled: BUNDLED_BY_KEY[key] ?? {},
  };
}

/** DB instance storage per GB-month, by storage type and deployment. */
export const RDS_STORAGE_GB_MONTH: Readonly<Record<RdsStorageType, Readonly<Record<Deployment, RatePriceKey>>>> = table(RDS_STORAGE_TYPES, (type) =>
  table(DEPLOYMENTS, (d) =>
    usageKey(
      `rdsStorageGbMonth.${type}.${d}`,
      'GB-Mo',
      `RDS ${STORAGE_LABEL[type]} storage of a ${DEPLOYMENT_OPTION[d]} DB instance, per GB-month`,
      'Database Storage',
      rdsUsage(d, STORAGE_USAGE[type]),
      GB_MONTH,
    ),
  ),
);

const IOPS_USAGE = { io1: 'PIOPS', io2: 'IO2-PIOPS' } as const;

/** Provisioned IOPS per IOPS-month (io1, io2), by deployment. */
export const RDS_IOPS_MONTH: Readonly<Record<'io1' | 'io2', Readonly<Record<Deployment, RatePriceKey>>>> = table(['io1', 'io2'] as const, (type) =>
  table(DEPLOYMENTS, (d) =>
    usageKey(
      `rdsIopsMonth.${type}.${d}`,
      'IOPS-Mo',
      `RDS ${type} provisioned IOPS of a ${DEPLOYMENT_OPTION[d]} DB instance, per IOPS-month`,
      'Provisioned IOPS',
      rdsUsage(d, IOPS_USAGE[type]),
      ['IOPS-Mo'],
    ),
  ),
);

/** gp3 IOPS above the baseline the storage size includes, per IOPS-month, by deployment. */
export const RDS_GP3_EXTRA_IOPS_MONTH: Readonly<Record<Deployment, RatePriceKey>> = table(DEPLOYMENTS, (d) =>
  usageKey(
    `rdsGp3ExtraIopsMonth.${d}`,
    'IOPS-Mo',
    `RDS gp3 IOPS above the included baseline (3,000, or 12,000 from 400 GB for most engines) of a ${DEPLOYMENT_OPTION[d]} DB instance, per IOPS-month`,
    'Provisioned IOPS',
    rdsUsage(d, 'GP3-PIOPS'),
    ['IOPS-Mo'],
  ),
);

/** Backup storage beyond the free allowance (automated backups, manual and final snapshots of DB instances). */
export const RDS_BACKUP_GB_MONTH: RatePriceKey = usageKey(
  'rdsBackupGbMonth',
  'GB-Mo',
  'RDS backup storage (DB snapshots beyond the free allowance), per GB-month',
  'Storage Snapshot',
  'RDS:ChargedBackupUsage',
  GB_MONTH,
);

function auroraEngineRow(name: string): (p: PriceListProduct) => number {
  return (p) => (p.attributes.databaseEngine === name ? 1 : 0);
}

function auroraUsageKey(engine: AuroraEngine, key: string, description: string, productFamily: string, usage: string): RatePriceKey {
  const name = ENGINE_NAME[engine];
  return {
    key,
    shape: 'rate',
    unit: 'GB-Mo',
    description,
    priceList: {
      serviceCode: RDS,
      filters: { productFamily },
      match: (p) => {
        const e = p.attributes.databaseEngine ?? 'Any';
        return p.productFamily === productFamily && p.usage === usage && (e === name || e === 'Any') ? rateIn(p, GB_MONTH) : undefined;
      },
      rank: auroraEngineRow(name),
    },
    bundled: BUNDLED_BY_KEY[key] ?? {},
  };
}

/** Aurora cluster storage per GB-month, by engine: Standard and I/O-Optimized. */
export const AURORA_STORAGE_GB_MONTH: Readonly<Record<AuroraEngine, { standard: RatePriceKey; ioOptimized: RatePriceKey }>> = table(AURORA_ENGINES, (engine) => ({
  standard: auroraUsageKey(
    engine,
    `auroraStorageGbMonth.${engine}.standard`,
    `${ENGINE_NAME[engine]} cluster storage (Aurora Standard: I/O billed apart), per GB-month`,
    'Database Storage',
    'Aurora:StorageUsage',
  ),
  ioOptimized: auroraUsageKey(
    engine,
    `auroraStorageGbMonth.${engine}.ioOptimized`,
    `${ENGINE_NAME[engine]} cluster storage (Aurora I/O-Optimized: I/O included), per GB-month`,
    'Database Storage',
    'Aurora:IO-OptimizedStorageUsage',
  ),
}));

/** Aurora backup storage (cluster snapshots beyond the free allowance) per GB-month, by engine. */
export const AURORA_BACKUP_GB_MONTH: Readonly<Record<AuroraEngine, RatePriceKey>> = table(AURORA_ENGINES, (engine) =>
  auroraUsageKey(
    engine,
    `auroraBackupGbMonth.${engine}`,
    `${ENGINE_NAME[engine]} backup storage (cluster snapshots beyond the free allowance), per GB-month`,
    'Storage Snapshot',
    'Aurora:BackupUsage',
  ),
);

// ---- The API the kinds call ---------------------------------------------------------------------------------------------

/**
 * Per instance-hour of a DB instance: `engine` as DescribeDBInstances writes it (`mysql`, `postgres`, `mariadb`,
 * `aurora-mysql`, `aurora-postgresql`; `aurora` = Aurora MySQL), `instanceClass` `db.t3.micro`. For Aurora engines
 * `multiAz` is ignored (each instance of a cluster is billed alone) and the key is the Aurora Standard rate: an
 * instance of an I/O-Optimized cluster bills at auroraIoOptimizedInstanceHourKey.
 */
export function rdsInstanceHourKey(engine: string, instanceClass: string, multiAz: boolean): RatePriceKey | undefined {
  const aurora = auroraEngine(engine);
  if (aurora) return own(AURORA_INSTANCE_HOUR[aurora], instanceClass)?.standard;
  const rds = rdsEngine(engine);
  return rds ? own(RDS_INSTANCE_HOUR[rds], instanceClass)?.[multiAz ? 'multiAz' : 'singleAz'] : undefined;
}

/** Per instance-hour of an instance in an Aurora I/O-Optimized cluster (`aurora-mysql`, `aurora-postgresql`). */
export function auroraIoOptimizedInstanceHourKey(engine: string, instanceClass: string): RatePriceKey | undefined {
  const aurora = auroraEngine(engine);
  return aurora ? own(AURORA_INSTANCE_HOUR[aurora], instanceClass)?.ioOptimized : undefined;
}

/**
 * Storage of a (non-Aurora) DB instance: GB-Mo by storage type (`gp2`, `gp3`, `io1`, `io2`, `standard`), and
 * provisioned IOPS-Mo where every provisioned IOPS is billed (io1, io2). gp3 IOPS are billed only above a baseline:
 * see rdsGp3ExtraIopsKey.
 */
export function rdsStorageKeys(storageType: string, multiAz: boolean): { storage?: RatePriceKey; iops?: RatePriceKey } {
  const type = lower(storageType);
  if (!isOneOf(RDS_STORAGE_TYPES, type)) return {};
  const d: Deployment = multiAz ? 'multiAz' : 'singleAz';
  const storage = RDS_STORAGE_GB_MONTH[type][d];
  return type === 'io1' || type === 'io2' ? { storage, iops: RDS_IOPS_MONTH[type][d] } : { storage };
}

/** gp3 IOPS above the baseline included with the storage size, per IOPS-month. */
export function rdsGp3ExtraIopsKey(multiAz: boolean): RatePriceKey {
  return RDS_GP3_EXTRA_IOPS_MONTH[multiAz ? 'multiAz' : 'singleAz'];
}

/** Aurora cluster storage, GB-Mo (`engine`: `aurora-mysql`, `aurora-postgresql`; I/O-Optimized when `ioOptimized`). */
export function auroraStorageKey(engine: string, ioOptimized: boolean): RatePriceKey | undefined {
  const aurora = auroraEngine(engine);
  return aurora ? AURORA_STORAGE_GB_MONTH[aurora][ioOptimized ? 'ioOptimized' : 'standard'] : undefined;
}

/** Backup storage beyond the free allowance (manual and final snapshots of DB instances), GB-Mo. */
export function rdsBackupStorageKey(): RatePriceKey | undefined {
  return RDS_BACKUP_GB_MONTH;
}

/** Aurora backup storage (cluster snapshots), GB-Mo. */
export function auroraBackupStorageKey(engine: string): RatePriceKey | undefined {
  const aurora = auroraEngine(engine);
  return aurora ? AURORA_BACKUP_GB_MONTH[aurora] : undefined;
}

/** Every RDS/Aurora key (the kinds' `priceKeys`). */
export const RDS_PRICE_KEYS: readonly PriceKey[] = Object.freeze([
  ...RDS_ENGINES.flatMap((e) => RDS_INSTANCE_CLASSES.flatMap((c) => DEPLOYMENTS.map((d) => RDS_INSTANCE_HOUR[e][c]![d]))),
  ...AURORA_ENGINES.flatMap((e) => AURORA_INSTANCE_CLASSES.flatMap((c) => [AURORA_INSTANCE_HOUR[e][c]!.standard, AURORA_INSTANCE_HOUR[e][c]!.ioOptimized])),
  ...RDS_STORAGE_TYPES.flatMap((t) => DEPLOYMENTS.map((d) => RDS_STORAGE_GB_MONTH[t][d])),
  ...(['io1', 'io2'] as const).flatMap((t) => DEPLOYMENTS.map((d) => RDS_IOPS_MONTH[t][d])),
  ...DEPLOYMENTS.map((d) => RDS_GP3_EXTRA_IOPS_MONTH[d]),
  RDS_BACKUP_GB_MONTH,
  ...AURORA_ENGINES.flatMap((e) => [AURORA_STORAGE_GB_MONTH[e].standard, AURORA_STORAGE_GB_MONTH[e].ioOptimized, AURORA_BACKUP_GB_MONTH[e]]),
]);
