/**
 * EKS in the simulated account: each region's clusters with their node groups and Fargate profiles
 * (`sim.state.region('eu-west-1').eks`), the Kubernetes versions and their support status (DescribeClusterVersions),
 * the fixture section `resources[region].eks` and its loader. services/eks.ts answers the REST-JSON API from it;
 * `taggedResources()` feeds the Resource Groups Tagging API (resource type `eks:cluster`).
 *
 * Nodes are EC2 instances: self-managed and Karpenter nodes are fixture instances (`resources[region].instances`)
 * tagged `kubernetes.io/cluster/<name>`; node groups here are names only (their instances are not modelled).
 */
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

/** Cluster.status (the SDK's ClusterStatus). */
export type SimEksClusterStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING' | 'PENDING';
/** ClusterVersionInformation.versionStatus (the SDK's VersionStatus). */
export type SimEksVersionStatus = 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';

export interface SimEksCluster {
  name: string;
  arn: string;
  createdAt: Date;
  version: string;
  status: SimEksClusterStatus;
  /** upgradePolicy.supportType; null: the cluster answers no upgradePolicy. */
  supportType: 'STANDARD' | 'EXTENDED' | null;
  deletionProtection: boolean;
  /** EKS Auto Mode: computeConfig.enabled with its node pools. */
  autoMode: boolean;
  /** controlPlaneScalingConfig.tier (provisioned control plane); null: none answered. */
  tier: string | null;
  nodegroups: string[];
  fargateProfiles: string[];
  tags: SimTag[];
  /** Wall-clock ms at which a DELETING cluster disappears. */
  removesAtMs?: number;
}

export interface SimEksVersion {
  version: string;
  status: SimEksVersionStatus;
  endOfStandardSupport: Date;
  endOfExtendedSupport: Date;
}

export interface EksClusterFixture {
  /** 1–100 characters: a letter or digit, then letters, digits, hyphens and underscores. */
  name: string;
  status?: Exclude<SimEksClusterStatus, 'DELETING'>; // default ACTIVE
  createdDaysAgo?: number; // default 100
  version?: string; // default '1.33'
  /** Default EXTENDED (AWS's default); null: no upgradePolicy answered (older clusters / API). */
  supportType?: 'STANDARD' | 'EXTENDED' | null;
  deletionProtection?: boolean;
  autoMode?: boolean;
  tier?: string;
  nodegroups?: string[];
  fargateProfiles?: string[];
  tags?: FixtureTags;
}

export interface EksVersionFixture {
  version: string;
  status: SimEksVersionStatus;
}

export interface EksRegionFixture {
  clusters?: EksClusterFixture[];
  /** The versions DescribeClusterVersions answers; default DEFAULT_EKS_VERSIONS. */
  versions?: EksVersionFixture[];
}

/** The default version table: a made-up but consistent snapshot (1.30–1.31 in extended support, 1.32–1.34 standard). */
export const DEFAULT_EKS_VERSIONS: readonly EksVersionFixture[] = [
  { version: '1.30', status: 'EXTENDED_SUPPORT' },
  { version: '1.31', status: 'EXTENDED_SUPPORT' },
  { version: '1.32', status: 'STANDARD_SUPPORT' },
  { version: '1.33', status: 'STANDARD_SUPPORT' },
  { version: '1.34', status: 'STANDARD_SUPPORT' },
];

/** AWS's cluster name rule (CreateCluster). */
export const CLUSTER_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

export class SimEksRegion {
  readonly clusters = new Map<string, SimEksCluster>();
  readonly versions: SimEksVersion[] = [];

  /** Removes DELETING clusters whose deletion has finished (wall clock); every EKS call runs it first. */
  settle(nowMs = Date.now()): void {
    for (const [name, c] of this.clusters) if (c.status === 'DELETING' && (c.removesAtMs ?? 0) <= nowMs) this.clusters.delete(name);
  }

  /** Every cluster with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    this.settle();
    return [...this.clusters.values()].map((c) => ({ arn: c.arn, resourceType: 'eks:cluster', tags: c.tags.map((t) => ({ ...t })) }));
  }
}

export function loadEksFixture(into: SimEksRegion, fx: EksRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  const day = 86_400_000;
  into.versions.splice(0);
  (fx?.versions ?? DEFAULT_EKS_VERSIONS).forEach((v, i, all) => {
    // Dates consistent with the status at the fixture's now: standard support ends 14 months after release, extended 12 later.
    const endStd = v.status === 'STANDARD_SUPPORT' ? ctx.now.getTime() + (all.length - i) * 120 * day : ctx.now.getTime() - (all.length - i) * 60 * day;
    into.versions.push({ version: v.version, status: v.status, endOfStandardSupport: new Date(endStd), endOfExtendedSupport: new Date(endStd + 365 * day) });
  });
  for (const c of fx?.clusters ?? []) {
    if (!CLUSTER_NAME_PATTERN.test(c.name)) throw new Error(`fixture: EKS cluster name ${c.name} breaks AWS's rule`);
    if (into.clusters.has(c.name)) throw new Error(`fixture: EKS cluster ${c.name} appears twice in ${ctx.region}`);
    into.clusters.set(c.name, {
      name: c.name,
      arn: `arn:aws:eks:${ctx.region}:${ctx.accountId}:cluster/${c.name}`,
      createdAt: new Date(ctx.now.getTime() - (c.createdDaysAgo ?? 100) * day),
      version: c.version ?? '1.33',
      status: c.status ?? 'ACTIVE',
      supportType: c.supportType === undefined ? 'EXTENDED' : c.supportType,
      deletionProtection: c.deletionProtection ?? false,
      autoMode: c.autoMode ?? false,
      tier: c.tier ?? null,
      nodegroups: [...(c.nodegroups ?? [])],
      fargateProfiles: [...(c.fargateProfiles ?? [])],
      tags: Object.entries(c.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
  }
}
