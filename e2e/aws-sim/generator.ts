/**
 * Deterministic synthetic accounts for benchmarks: N regions × counts per kind, with the resources that are
 * unused *by construction* listed beside the fixture (by AWS-FACTS.md's definitions), so a scan can be scored.
 */
import type {
  AccountFixture,
  AddressFixture,
  CostSeriesFixture,
  ImageFixture,
  InstanceFixture,
  LaunchTemplateFixture,
  RegionResourcesFixture,
  SnapshotFixture,
  VolumeFixture,
  VolumeType,
} from './fixture';
import { generateDatabases } from './generator-databases';
import { generateNetwork } from './generator-network';
import { mulberry32 } from './prng';

export type UnusedResourceType =
  | 'ec2:instance'
  | 'ec2:volume'
  | 'ec2:elastic-ip'
  | 'ec2:snapshot'
  | 'ec2:image'
  | 'ec2:nat-gateway'
  | 'ec2:vpc-endpoint'
  /** ELBv2 by ARN, Classic by name. */
  | 'elb:load-balancer'
  | 'rds:db-instance'
  | 'rds:db-cluster'
  /** DB snapshot identifier; a cluster snapshot sharing a DB snapshot's identifier: `cluster-snapshot:<identifier>`. */
  | 'rds:snapshot'
  /** Replication group id, or the cache cluster id of a cluster outside any group. */
  | 'elasticache:cluster'
  | 'redshift:cluster'
  /** Domain name. */
  | 'opensearch:domain'
  /** Log group name (no retention set, still written or not known to be dead). */
  | 'logs:log-group'
  /** Log group name (no ingestion for the dead-group window). */
  | 'logs:dead-log-group'
  /** Bucket name (its incomplete multipart uploads older than the age limit). */
  | 's3:incomplete-uploads'
  /** `<repositoryName>@<imageDigest>`. */
  | 'ecr:image'
  /** Secret ARN. */
  | 'secretsmanager:secret'
  /** Key id. */
  | 'kms:key'
  /** Cluster name. */
  | 'eks:cluster'
  /** Endpoint name. */
  | 'sagemaker:endpoint'
  /** Notebook instance name. */
  | 'sagemaker:notebook-instance';

export interface UnusedResource {
  type: UnusedResourceType;
  region: string;
  id: string;
}

export interface GenerateOptions {
  seed?: number; // default 42
  /** A count (taken from a list of 17 standard regions) or explicit names. Default 17. */
  regions?: number | string[];
  accountId?: string;
  instances?: number; // per region, default 1000
  volumes?: number; // default 3000
  snapshots?: number; // default 3000
  addresses?: number; // default 300
  images?: number; // default 200
  /** Ratios of unused resources per kind. */
  stoppedInstanceRatio?: number; // default 0.3 (user-stopped 31–400 days ago)
  unattachedVolumeRatio?: number; // default 0.4
  orphanedSnapshotRatio?: number; // default 0.3
  freeAddressRatio?: number; // default 0.3
  unusedImageRatio?: number; // default 0.3
  /** Days of cost data (ending yesterday). Default 30. */
  costDays?: number;
  /**
   * Network kinds per region; defaults scale with `instances` (per 1,000 instances: 20 NAT gateways, 40 VPC endpoints
   * of which a quarter Gateway, 30 ELBv2 and 10 Classic load balancers). See generator-network.ts for the cases.
   */
  natGateways?: number;
  vpcEndpoints?: number;
  loadBalancers?: number;
  classicLoadBalancers?: number;
  unusedNatGatewayRatio?: number; // default 0.3
  unusedVpcEndpointRatio?: number; // default 0.3 (of the interface endpoints)
  unusedLoadBalancerRatio?: number; // default 0.3 (ELBv2 and Classic each)
  /** Days of CloudWatch data ending yesterday (at least 30, the app's lookback). Default 35. */
  metricDays?: number;
  /**
   * Database kinds per region; defaults scale with `instances` (per 1,000 instances: 20 RDS DB instances, 5 Aurora
   * clusters, 20 DB snapshots, 10 ElastiCache groups or clusters, 5 Redshift clusters, 5 OpenSearch domains), at least
   * 3 each when there are instances, so a small account still has an unused one, a busy one and an edge case. See
   * generator-databases.ts for the cases.
   */
  rdsInstances?: number;
  dbClusters?: number;
  dbSnapshots?: number;
  cacheClusters?: number;
  redshiftClusters?: number;
  openSearchDomains?: number;
  unusedDatabaseRatio?: number; // default 0.3 (of each database kind)
}

export interface GeneratedAccount {
  fixture: AccountFixture;
  unused: UnusedResource[];
}

export const STANDARD_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
];


/** `prefix-0` + region (2 hex) + kind tag (1 hex) + counter (14 hex): 17 hex digits like EC2's long ids. */
function idFor(prefix: string, region: number, kind: number, n: number): string {
  return `${prefix}-0${region.toString(16).padStart(2, '0')}${kind.toString(16)}${n.toString(16).padStart(14, '0')}`;
}

const VOLUME_TYPES: VolumeType[] = ['gp3', 'gp3', 'gp3', 'gp2', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard'];
const INSTANCE_TYPES = ['t3.micro', 't3.small', 't3.medium', 'm5.large', 'm6i.xlarge', 'c6i.large', 'r6i.large'];

export function generateAccount(opts: GenerateOptions = {}): GeneratedAccount {
  const rand = mulberry32(opts.seed ?? 42);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const regionNames = Array.isArray(opts.regions) ? opts.regions : STANDARD_REGIONS.slice(0, opts.regions ?? 17);
  if (!Array.isArray(opts.regions) && (opts.regions ?? 17) > STANDARD_REGIONS.length) {
    throw new Error(`generateAccount: at most ${STANDARD_REGIONS.length} generated region names; pass names instead`);
  }
  const nInst = opts.instances ?? 1000;
  const nVol = opts.volumes ?? 3000;
  const nSnap = opts.snapshots ?? 3000;
  const nAddr = opts.addresses ?? 300;
  const nImg = opts.images ?? 200;
  const stopped = Math.round(nInst * (opts.stoppedInstanceRatio ?? 0.3));
  const unattached = Math.round(nVol * (opts.unattachedVolumeRatio ?? 0.4));
  const orphaned = Math.round(nSnap * (opts.orphanedSnapshotRatio ?? 0.3));
  const free = Math.round(nAddr * (opts.freeAddressRatio ?? 0.3));
  const unusedImg = Math.round(nImg * (opts.unusedImageRatio ?? 0.3));
  const usedImg = nImg - unusedImg;
  if (nSnap - orphaned < nImg) throw new Error('generateAccount: not enough non-orphaned snapshots to back every AMI');
  if (usedImg > 0 && nInst === 0) throw new Error('generateAccount: used AMIs need instances');
  if (nVol === 0 && nSnap - nImg - orphaned > 0) throw new Error('generateAccount: non-orphaned snapshots need volumes');

  const perThousand = (n: number): number => Math.round((nInst * n) / 1000);
  const metricDays = opts.metricDays ?? 35;
  if (metricDays < 30) throw new Error('generateAccount: metricDays must cover the 30-day lookback');
  const accountId = opts.accountId ?? '111122223333';
  // The network kinds draw from their own stream, so the EC2 resources stay what they were for a seed.
  const netRand = mulberry32(((opts.seed ?? 42) ^ 0x9e3779b9) >>> 0);
  // The database kinds too: adding them changed nothing else of a seed's account.
  const dbRand = mulberry32(((opts.seed ?? 42) ^ 0x85ebca6b) >>> 0);
  const dbCount = (n: number): number => (nInst === 0 ? 0 : Math.max(3, perThousand(n)));
  const dbCounts = {
    rdsInstances: opts.rdsInstances ?? dbCount(20),
    dbClusters: opts.dbClusters ?? dbCount(5),
    dbSnapshots: opts.dbSnapshots ?? dbCount(20),
    cacheClusters: opts.cacheClusters ?? dbCount(10),
    redshiftClusters: opts.redshiftClusters ?? dbCount(5),
    openSearchDomains: opts.openSearchDomains ?? dbCount(5),
  };

  const unused: UnusedResource[] = [];
  const resources: Record<string, RegionResourcesFixture> = {};

  regionNames.forEach((region, r) => {
    // AMIs: the last few used ones are referenced only by a launch template version (not by any instance).
    const ltOnly = Math.min(usedImg, Math.max(0, Math.min(10, usedImg - 1)));
    const byInstance = usedImg - ltOnly;
    const images: ImageFixture[] = [];
    const snapshots: SnapshotFixture[] = [];
    for (let k = 0; k < nImg; k++) {
      const snapId = idFor('snap', r, 1, k);
      // An AMI's snapshot names a long-gone volume: still in use (it backs a registered AMI).
      snapshots.push({ id: snapId, volumeId: idFor('vol', r, 9, k), volumeSizeGiB: 8, startedDaysAgo: int(40, 700), description: `Created by CreateImage for ${idFor('ami', r, 0, k)}` });
      images.push({ id: idFor('ami', r, 0, k), name: `gen-${region}-${k}`, createdDaysAgo: int(40, 700), devices: [{ device: '/dev/xvda', snapshotId: snapId, volumeSizeGiB: 8 }] });
      if (k >= usedImg) unused.push({ type: 'ec2:image', region, id: idFor('ami', r, 0, k) });
    }
    const launchTemplates: LaunchTemplateFixture[] = [];
    for (let k = 0; k < ltOnly; k++) {
      launchTemplates.push({
        id: idFor('lt', r, 0, k),
        name: `gen-lt-${k}`,
        defaultVersion: 1,
        versions: [
          { number: 1, imageId: idFor('ami', r, 0, byInstance + k), instanceType: 't3.micro' },
          { number: 2, imageId: idFor('ami', r, 0, k % Math.max(1, byInstance)), instanceType: 't3.small' },
        ],
      });
    }

    const instances: InstanceFixture[] = [];
    for (let k = 0; k < nInst; k++) {
      const isStopped = k < stopped;
      const id = idFor('i', r, 0, k);
      instances.push({
        id,
        type: INSTANCE_TYPES[k % INSTANCE_TYPES.length],
        state: isStopped ? 'stopped' : 'running',
        launchedDaysAgo: int(400, 900),
        ...(isStopped ? { stoppedDaysAgo: int(31, 400) } : {}),
        imageId: byInstance > 0 ? idFor('ami', r, 0, k % byInstance) : idFor('ami', r, 0, 0),
        volumes: [],
      });
      if (isStopped) unused.push({ type: 'ec2:instance', region, id });
    }

    const volumes: VolumeFixture[] = [];
    const attached = nVol - unattached;
    for (let k = 0; k < nVol; k++) {
      const id = idFor('vol', r, 0, k);
      const type = VOLUME_TYPES[int(0, VOLUME_TYPES.length - 1)] ?? 'gp3';
      const size = type === 'st1' || type === 'sc1' ? int(125, 2000) : int(8, 500);
      volumes.push({
        id,
        type,
        sizeGiB: size,
        ...(type === 'io1' || type === 'io2' ? { iops: int(100, 5000) } : {}),
        createdDaysAgo: int(1, 800),
      });
      if (k < attached && nInst > 0) {
        // Roots first (one per instance, DeleteOnTermination), then data volumes round-robin.
        const inst = instances[k % nInst];
        const root = k < nInst;
        inst?.volumes?.push({ volumeId: id, device: root ? '/dev/xvda' : `/dev/sd${String.fromCharCode(102 + ((Math.floor(k / nInst) - 1) % 20))}`, deleteOnTermination: root });
      } else unused.push({ type: 'ec2:volume', region, id });
    }

    for (let k = nImg; k < nSnap; k++) {
      const id = idFor('snap', r, 2, k);
      const isOrphan = k - nImg < orphaned;
      snapshots.push({
        id,
        volumeId: isOrphan ? idFor('vol', r, 8, k) : idFor('vol', r, 0, k % nVol),
        volumeSizeGiB: int(8, 500),
        ...(k % 3 === 0 ? { fullSnapshotSizeInBytes: int(1, 400) * 1_073_741_824 } : {}),
        storageTier: k % 10 === 0 ? 'archive' : 'standard',
        startedDaysAgo: int(1, 700),
      });
      if (isOrphan) unused.push({ type: 'ec2:snapshot', region, id });
    }

    const addresses: AddressFixture[] = [];
    for (let k = 0; k < nAddr; k++) {
      const allocationId = idFor('eipalloc', r, 0, k);
      const publicIp = `${3 + (r % 200)}.${Math.floor(k / 250) % 250}.${k % 250}.${10 + (r % 200)}`;
      if (k < free) {
        addresses.push({ allocationId, publicIp });
        unused.push({ type: 'ec2:elastic-ip', region, id: allocationId });
      } else {
        const j = k - free;
        // One address per instance (running or stopped — associated either way); beyond that, on an ENI.
        addresses.push(j < nInst ? { allocationId, publicIp, instanceId: instances[j]?.id } : { allocationId, publicIp, networkInterfaceId: idFor('eni', r, 0, j) });
      }
    }

    const net = generateNetwork({
      region,
      r,
      accountId,
      rand: netRand,
      natGateways: opts.natGateways ?? perThousand(20),
      unusedNatGatewayRatio: opts.unusedNatGatewayRatio ?? 0.3,
      vpcEndpoints: opts.vpcEndpoints ?? perThousand(40),
      unusedVpcEndpointRatio: opts.unusedVpcEndpointRatio ?? 0.3,
      loadBalancers: opts.loadBalancers ?? perThousand(30),
      classicLoadBalancers: opts.classicLoadBalancers ?? perThousand(10),
      unusedLoadBalancerRatio: opts.unusedLoadBalancerRatio ?? 0.3,
      metricDays,
      instanceIds: instances.filter((i) => i.state === 'running').map((i) => i.id),
    });
    unused.push(...net.unused);
    const db = generateDatabases({
      region,
      r,
      accountId,
      otherRegion: regionNames.find((n) => n !== region) ?? null,
      rand: dbRand,
      ...dbCounts,
      unusedRatio: opts.unusedDatabaseRatio ?? 0.3,
      metricDays,
    });
    unused.push(...db.unused);
    resources[region] = {
      instances,
      volumes,
      snapshots,
      images,
      launchTemplates,
      addresses: [...addresses, ...net.addresses],
      natGateways: net.natGateways,
      routeTables: net.routeTables,
      vpcEndpoints: net.vpcEndpoints,
      elb: net.elb,
      rds: db.rds,
      elasticache: db.elasticache,
      redshift: db.redshift,
      opensearch: db.opensearch,
      metrics: [...net.metrics, ...db.metrics],
    };
  });

  const days = opts.costDays ?? 30;
  const series = (service: string, base: number): CostSeriesFixture => ({
    service,
    daily: Array.from({ length: days }, () => (base * (0.9 + rand() * 0.2)).toFixed(10)),
  });
  const dbSeries = (service: string, base: number): CostSeriesFixture => ({
    service,
    daily: Array.from({ length: days }, () => (base * (0.9 + dbRand() * 0.2)).toFixed(10)),
  });
  const fixture: AccountFixture = {
    accountId,
    alias: 'generated-account',
    regions: regionNames.map((name) => ({ name, optInStatus: 'opt-in-not-required' as const })),
    resources,
    costExplorer: {
      series: [
        series('Amazon Elastic Compute Cloud - Compute', 40 * regionNames.length),
        series('EC2 - Other', 25 * regionNames.length),
        series('Amazon Virtual Private Cloud', 1.2 * regionNames.length),
        series('Amazon Simple Storage Service', 3.1),
        series('AWS Cost Explorer', 0.02),
        series('Amazon Elastic Load Balancing', 0.6 * (opts.loadBalancers ?? perThousand(30)) * regionNames.length),
        // The database services (their own random stream: the lines above stay what they were for a seed).
        dbSeries('Amazon Relational Database Service', (4 * dbCounts.rdsInstances + 10 * dbCounts.dbClusters + 0.5 * dbCounts.dbSnapshots) * regionNames.length),
        dbSeries('Amazon ElastiCache', 3 * dbCounts.cacheClusters * regionNames.length),
        dbSeries('Amazon Redshift', 80 * dbCounts.redshiftClusters * regionNames.length),
        dbSeries('Amazon OpenSearch Service', 10 * dbCounts.openSearchDomains * regionNames.length),
      ],
    },
  };
  return { fixture, unused };
}
