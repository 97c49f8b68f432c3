/**
 * Redshift provisioned clusters in the simulated account (API 2012-12-01) and their snapshots. Each region holds one
 * `SimRedshiftRegion` (`sim.state.region('eu-west-1').redshift`). Fixture section: `resources[region].redshift`.
 * `taggedResources()` feeds the Resource Groups Tagging API (services/tagging.ts).
 *
 * A cluster with automated snapshots on (retention ≥ 1 day, the default) lists one automated snapshot taken yesterday
 * (`rs:<cluster>-<yyyy-mm-dd-hh-mm-ss>`), sized by the cluster's data. Transitions take time as AWS's do:
 * CreateClusterSnapshot answers `creating` (→ `available` after `redshiftSnapshotDelayMs`), PauseCluster `pausing`
 * (→ `paused`), DeleteCluster `deleting` (→ gone, with its automated snapshots; manual ones stay) after
 * `redshiftTransitionDelayMs` (`settle`, run before every Redshift operation).
 */
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

/** Cluster.ClusterStatus values the simulator uses (the API lists more). */
export type SimRedshiftClusterStatus = 'available' | 'creating' | 'deleting' | 'final-snapshot' | 'modifying' | 'paused' | 'pausing' | 'resuming' | 'rebooting' | 'incompatible-hsm';

export interface SimRedshiftCluster {
  id: string;
  arn: string;
  /** `arn:aws:redshift:<region>:<account>:namespace:<uuid>`. */
  namespaceArn: string;
  nodeType: string;
  numberOfNodes: number;
  status: SimRedshiftClusterStatus;
  createdAt: Date;
  masterUsername: string;
  dbName: string;
  vpcId: string;
  availabilityZone: string;
  automatedSnapshotRetentionPeriod: number;
  manualSnapshotRetentionPeriod: number;
  encrypted: boolean;
  /** TotalStorageCapacityInMegaBytes. */
  totalStorageMb: number;
  /** The data it holds (what its snapshots measure), MB. */
  usedStorageMb: number;
  tags: SimTag[];
  /** Wall-clock ms at which `pausing` becomes `paused`, or `deleting` ends (settle). */
  transitionAtMs?: number;
}

export type SimRedshiftSnapshotStatus = 'creating' | 'available' | 'failed' | 'deleted' | 'final snapshot';

export interface SimRedshiftSnapshot {
  id: string;
  arn: string;
  clusterId: string;
  type: 'manual' | 'automated';
  status: SimRedshiftSnapshotStatus;
  createdAt: Date;
  clusterCreatedAt: Date;
  nodeType: string;
  numberOfNodes: number;
  masterUsername: string;
  dbName: string;
  vpcId: string;
  availabilityZone: string;
  encrypted: boolean;
  sizeMb: number;
  /** -1: kept until deleted. */
  manualSnapshotRetentionPeriod: number;
  tags: SimTag[];
  /** Wall-clock ms at which a `creating` snapshot becomes `available` (settle). */
  availableAtMs?: number;
}

export class SimRedshiftRegion {
  readonly clusters = new Map<string, SimRedshiftCluster>();
  readonly snapshots = new Map<string, SimRedshiftSnapshot>();

  /** Finishes what time has finished: snapshots become available, pauses end paused, deletions end. */
  settle(nowMs: number = Date.now()): void {
    for (const s of this.snapshots.values()) {
      if (s.status === 'creating' && s.availableAtMs !== undefined && s.availableAtMs <= nowMs) {
        s.status = 'available';
        delete s.availableAtMs;
      }
    }
    for (const c of [...this.clusters.values()]) {
      if (c.transitionAtMs === undefined || c.transitionAtMs > nowMs) continue;
      delete c.transitionAtMs;
      if (c.status === 'pausing') c.status = 'paused';
      else if (c.status === 'deleting') {
        this.clusters.delete(c.id);
        for (const [id, s] of this.snapshots) if (s.clusterId === c.id && s.type === 'automated') this.snapshots.delete(id);
      }
    }
  }

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [
      ...[...this.clusters.values()].map((c) => ({ arn: c.arn, resourceType: 'redshift:cluster', tags: c.tags })),
      ...[...this.snapshots.values()].filter((s) => s.type === 'manual').map((s) => ({ arn: s.arn, resourceType: 'redshift:snapshot', tags: s.tags })),
    ];
  }
}

export interface RedshiftClusterFixture {
  id: string;
  nodeType?: string; // default 'ra3.xlplus'
  numberOfNodes?: number; // default 2
  status?: SimRedshiftClusterStatus; // default 'available'
  createdDaysAgo?: number; // default 100
  /** The data it holds, MB (sizes its snapshots); default 16,384 (16 GiB). */
  usedStorageMb?: number;
  /** Default: the node type's (see STORAGE_MB_PER_NODE) × nodes. */
  totalStorageCapacityMb?: number;
  /** Days of automated snapshots (default 1); 0 turns them off (then it cannot be paused, as AWS says). */
  automatedSnapshotRetentionPeriod?: number;
  encrypted?: boolean; // default true
  tags?: FixtureTags;
}

export interface RedshiftSnapshotFixture {
  id: string;
  clusterId: string;
  type?: 'manual' | 'automated'; // default 'manual'
  status?: SimRedshiftSnapshotStatus; // default 'available'
  createdDaysAgo?: number; // default 10
  /** Default: the cluster's used storage (when it is in the fixture), else 1,024. */
  sizeMb?: number;
  tags?: FixtureTags;
}

export interface RedshiftRegionFixture {
  clusters?: RedshiftClusterFixture[];
  snapshots?: RedshiftSnapshotFixture[];
}

const DAY_MS = 86_400_000;

/**
 * Storage per node, MB (TotalStorageCapacityInMegaBytes / nodes): RA3 managed storage quota and DC2 local SSD as the
 * Redshift management guide's node type table lists them. Other types: the fixture's value, else dc2.large's.
 */
export const STORAGE_MB_PER_NODE: Readonly<Record<string, number>> = {
  'ra3.xlplus': 32 * 1024 * 1024,
  'ra3.4xlarge': 128 * 1024 * 1024,
  'ra3.16xlarge': 128 * 1024 * 1024,
  'dc2.large': 160 * 1024,
  'dc2.8xlarge': 2_560 * 1024,
};

export function redshiftArn(region: string, accountId: string, kind: 'cluster' | 'snapshot', id: string, clusterId?: string): string {
  return kind === 'cluster' ? `arn:aws:redshift:${region}:${accountId}:cluster:${id}` : `arn:aws:redshift:${region}:${accountId}:snapshot:${clusterId ?? ''}/${id}`;
}

/** A deterministic UUID-shaped string from a seed (namespace ids). */
function uuidFrom(seed: string): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${seed}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** A snapshot of `c` as it is now (CreateClusterSnapshot, a final snapshot, an automated one). */
export function redshiftSnapshotOf(
  c: SimRedshiftCluster,
  s: { id: string; arn: string; type: 'manual' | 'automated'; status: SimRedshiftSnapshotStatus; createdAt: Date; tags: SimTag[]; sizeMb?: number; manualSnapshotRetentionPeriod?: number },
): SimRedshiftSnapshot {
  return {
    id: s.id,
    arn: s.arn,
    clusterId: c.id,
    type: s.type,
    status: s.status,
    createdAt: s.createdAt,
    clusterCreatedAt: c.createdAt,
    nodeType: c.nodeType,
    numberOfNodes: c.numberOfNodes,
    masterUsername: c.masterUsername,
    dbName: c.dbName,
    vpcId: c.vpcId,
    availabilityZone: c.availabilityZone,
    encrypted: c.encrypted,
    sizeMb: s.sizeMb ?? c.usedStorageMb,
    manualSnapshotRetentionPeriod: s.type === 'manual' ? (s.manualSnapshotRetentionPeriod ?? c.manualSnapshotRetentionPeriod) : -1,
    tags: s.tags,
  };
}

/** Fills `into` from the region's fixture section. */
export function loadRedshiftFixture(into: SimRedshiftRegion, fx: RedshiftRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  const toTags = (t: FixtureTags | undefined): SimTag[] => Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));
  const ago = (days: number | undefined, dflt: number): Date => new Date(ctx.now.getTime() - (days ?? dflt) * DAY_MS);
  for (const f of fx.clusters ?? []) {
    if (into.clusters.has(f.id)) throw new Error(`fixture: Redshift cluster ${f.id} appears twice in ${ctx.region}`);
    const nodeType = f.nodeType ?? 'ra3.xlplus';
    const nodes = f.numberOfNodes ?? 2;
    const perNode = STORAGE_MB_PER_NODE[nodeType] ?? STORAGE_MB_PER_NODE['dc2.large']!;
    const c: SimRedshiftCluster = {
      id: f.id,
      arn: redshiftArn(ctx.region, ctx.accountId, 'cluster', f.id),
      namespaceArn: `arn:aws:redshift:${ctx.region}:${ctx.accountId}:namespace:${uuidFrom(`${ctx.region}/${f.id}`)}`,
      nodeType,
      numberOfNodes: nodes,
      status: f.status ?? 'available',
      createdAt: ago(f.createdDaysAgo, 100),
      masterUsername: 'awsuser',
      dbName: 'dev',
      vpcId: 'vpc-0sim00000000000001',
      availabilityZone: `${ctx.region}a`,
      automatedSnapshotRetentionPeriod: f.automatedSnapshotRetentionPeriod ?? 1,
      manualSnapshotRetentionPeriod: -1,
      encrypted: f.encrypted ?? true,
      totalStorageMb: f.totalStorageCapacityMb ?? perNode * nodes,
      usedStorageMb: f.usedStorageMb ?? 16_384,
      tags: toTags(f.tags),
    };
    into.clusters.set(c.id, c);
    if (c.automatedSnapshotRetentionPeriod > 0) {
      const at = new Date(Math.floor(ctx.now.getTime() / DAY_MS) * DAY_MS - DAY_MS + 3 * 3_600_000);
      const id = `rs:${c.id}-${at.toISOString().slice(0, 19).replace('T', '-').replace(/:/g, '-')}`;
      into.snapshots.set(id, redshiftSnapshotOf(c, { id, arn: redshiftArn(ctx.region, ctx.accountId, 'snapshot', id, c.id), type: 'automated', status: 'available', createdAt: at, tags: [] }));
    }
  }
  for (const s of fx.snapshots ?? []) {
    if (into.snapshots.has(s.id)) throw new Error(`fixture: Redshift snapshot ${s.id} appears twice in ${ctx.region}`);
    const c = into.clusters.get(s.clusterId);
    const base = {
      id: s.id,
      arn: redshiftArn(ctx.region, ctx.accountId, 'snapshot', s.id, s.clusterId),
      type: s.type ?? 'manual',
      status: s.status ?? 'available',
      createdAt: ago(s.createdDaysAgo, 10),
      tags: toTags(s.tags),
      ...(s.sizeMb !== undefined ? { sizeMb: s.sizeMb } : {}),
    } as const;
    // A snapshot of a cluster no longer in the region (deleted): the cluster's facts are made up from the defaults.
    const source: SimRedshiftCluster = c ?? {
      id: s.clusterId,
      arn: redshiftArn(ctx.region, ctx.accountId, 'cluster', s.clusterId),
      namespaceArn: '',
      nodeType: 'ra3.xlplus',
      numberOfNodes: 2,
      status: 'available',
      createdAt: ago((s.createdDaysAgo ?? 10) + 100, 0),
      masterUsername: 'awsuser',
      dbName: 'dev',
      vpcId: 'vpc-0sim00000000000001',
      availabilityZone: `${ctx.region}a`,
      automatedSnapshotRetentionPeriod: 1,
      manualSnapshotRetentionPeriod: -1,
      encrypted: true,
      totalStorageMb: 0,
      usedStorageMb: 1_024,
      tags: [],
    };
    into.snapshots.set(s.id, redshiftSnapshotOf(source, base));
  }
}
