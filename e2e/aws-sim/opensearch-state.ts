/**
 * OpenSearch Service in the simulated account: each region's domains (`sim.state.region('eu-west-1').opensearch`),
 * the fixture section `resources[region].opensearch` and its loader. services/opensearch.ts answers the REST-JSON API
 * from it; `taggedResources()` feeds the Resource Groups Tagging API (services/tagging.ts).
 *
 * The API reports no creation time for a domain (DomainStatus has `Created`, a boolean, and nothing dated): the
 * fixture's age is kept here for the simulator's own use (`createdAt`) and never answered.
 */
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

/** DomainStatus.DomainProcessingStatus (the SDK's DomainProcessingStatusType). */
export type SimDomainProcessingStatus =
  | 'Creating'
  | 'Active'
  | 'Modifying'
  | 'UpgradingEngineVersion'
  | 'UpdatingServiceSoftware'
  | 'Isolated'
  | 'Deleting';

export type SimOpenSearchVolumeType = 'gp2' | 'gp3' | 'io1' | 'standard';

export interface SimOpenSearchDomain {
  domainName: string;
  /** `<accountId>/<domainName>`, as AWS forms it. */
  domainId: string;
  /** `arn:aws:es:<region>:<accountId>:domain/<domainName>`. */
  arn: string;
  /** `OpenSearch_2.11`, `Elasticsearch_7.10`. */
  engineVersion: string;
  status: SimDomainProcessingStatus;
  /** Set by DeleteDomain: the domain answers `Deleted: true` until it disappears (`removesAtMs`). */
  deleted: boolean;
  /** Wall-clock ms (Date.now()) at which a deleted domain disappears from every answer. */
  removesAtMs?: number;
  /** The simulator's own record of when it was created: the API has no such field. */
  createdAt: Date;
  endpoint: string;
  clusterConfig: {
    instanceType: string;
    instanceCount: number;
    dedicatedMasterEnabled: boolean;
    dedicatedMasterType?: string;
    dedicatedMasterCount?: number;
    warmEnabled: boolean;
    warmType?: string;
    warmCount?: number;
    zoneAwarenessEnabled: boolean;
    availabilityZoneCount?: number;
    multiAZWithStandbyEnabled: boolean;
  };
  /** EBSEnabled false: instance storage. */
  ebs: { enabled: boolean; volumeType?: SimOpenSearchVolumeType; volumeSize?: number; iops?: number; throughput?: number };
  tags: SimTag[];
}

export interface OpenSearchDomainFixture {
  /** 3–28 characters: a lower-case letter, then lower-case letters, digits and hyphens. */
  name: string;
  engineVersion?: string; // default 'OpenSearch_2.11'
  /** Kept by the simulator only (the API has no creation time). Default 100. */
  createdDaysAgo?: number;
  createTime?: string; // ISO; wins over createdDaysAgo
  status?: Exclude<SimDomainProcessingStatus, 'Deleting'>; // default 'Active'
  instanceType?: string; // default 'r6g.large.search'
  instanceCount?: number; // default 1
  dedicatedMaster?: { type: string; count: number };
  /** UltraWarm nodes. */
  warm?: { type: string; count: number };
  /** Zone awareness over this many Availability Zones (2 or 3). */
  zones?: number;
  multiAZWithStandby?: boolean;
  /** EBS per data node; `false`: instance storage. Default gp3 10 GiB (3,000 IOPS, 125 MiB/s). */
  ebs?: { volumeType: SimOpenSearchVolumeType; volumeSize: number; iops?: number; throughput?: number } | false;
  tags?: FixtureTags;
}

export interface OpenSearchRegionFixture {
  domains?: OpenSearchDomainFixture[];
}

/** AWS's domain name rule (CreateDomain): starts with a lower-case letter, 3–28 of [a-z0-9-]. */
export const DOMAIN_NAME_PATTERN = /^[a-z][a-z0-9-]{2,27}$/;

export class SimOpenSearchRegion {
  /** Domains by name (unique per account and region). */
  readonly domains = new Map<string, SimOpenSearchDomain>();

  /** Removes deleted domains whose deletion has finished (wall clock); every OpenSearch call runs it first. */
  settle(nowMs = Date.now()): void {
    for (const [name, d] of this.domains) {
      if (d.deleted && (d.removesAtMs ?? 0) <= nowMs) this.domains.delete(name);
    }
  }

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    this.settle();
    return [...this.domains.values()].map((d) => ({ arn: d.arn, resourceType: 'es:domain', tags: d.tags.map((t) => ({ ...t })) }));
  }
}

export function domainArn(region: string, accountId: string, name: string): string {
  return `arn:aws:es:${region}:${accountId}:domain/${name}`;
}

export function loadOpenSearchFixture(
  into: SimOpenSearchRegion,
  fx: OpenSearchRegionFixture | undefined,
  ctx: { region: string; accountId: string; now: Date },
): void {
  if (fx === undefined) return;
  let n = 0;
  for (const d of fx.domains ?? []) {
    if (!DOMAIN_NAME_PATTERN.test(d.name)) throw new Error(`fixture: OpenSearch domain name ${d.name} breaks AWS's rule [a-z][a-z0-9-]{2,27}`);
    if (into.domains.has(d.name)) throw new Error(`fixture: OpenSearch domain ${d.name} appears twice in ${ctx.region}`);
    n++;
    const createdAt = d.createTime !== undefined ? new Date(d.createTime) : new Date(ctx.now.getTime() - (d.createdDaysAgo ?? 100) * 86_400_000);
    const vol = d.ebs === false ? null : (d.ebs ?? { volumeType: 'gp3' as const, volumeSize: 10 });
    // gp3 domains report their provisioned IOPS and throughput (the baseline when none was chosen).
    const gp3 = vol?.volumeType === 'gp3' ? { iops: vol.iops ?? 3000, throughput: vol.throughput ?? 125 } : {};
    const ebs: SimOpenSearchDomain['ebs'] = vol === null ? { enabled: false } : { enabled: true, ...vol, ...gp3 };
    into.domains.set(d.name, {
      domainName: d.name,
      domainId: `${ctx.accountId}/${d.name}`,
      arn: domainArn(ctx.region, ctx.accountId, d.name),
      engineVersion: d.engineVersion ?? 'OpenSearch_2.11',
      status: d.status ?? 'Active',
      deleted: false,
      createdAt,
      endpoint: `search-${d.name}-sim${n.toString(36).padStart(22, '0')}.${ctx.region}.es.amazonaws.com`,
      clusterConfig: {
        instanceType: d.instanceType ?? 'r6g.large.search',
        instanceCount: d.instanceCount ?? 1,
        dedicatedMasterEnabled: d.dedicatedMaster !== undefined,
        ...(d.dedicatedMaster ? { dedicatedMasterType: d.dedicatedMaster.type, dedicatedMasterCount: d.dedicatedMaster.count } : {}),
        warmEnabled: d.warm !== undefined,
        ...(d.warm ? { warmType: d.warm.type, warmCount: d.warm.count } : {}),
        zoneAwarenessEnabled: (d.zones ?? 1) > 1,
        ...((d.zones ?? 1) > 1 ? { availabilityZoneCount: d.zones } : {}),
        multiAZWithStandbyEnabled: d.multiAZWithStandby ?? false,
      },
      ebs,
      tags: Object.entries(d.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
  }
}
