/**
 * Idle OpenSearch Service domains (AWS-FACTS-BEYOND-EC2.md, kind 9). A domain bills every hour for each data node,
 * dedicated master and UltraWarm node, plus the EBS storage of each data node. It is idle when CloudWatch shows
 * neither searches nor indexing over the whole lookback: `AWS/ES` SearchRate and IndexingRate (and WarmSearchRate when
 * it has UltraWarm nodes), dimensions DomainName + ClientId (the account id), daily Sum — cluster-level statistics AWS
 * documents as Average, Maximum, Sum; Sum > 0 on a day exactly when any minute had one. A log domain that ingests but is
 * rarely searched is in use (IndexingRate > 0). These metrics are published every minute while the domain exists (not
 * sparse): a missing day is unknown, never 0.
 *
 * Age: the API reports no creation time for a domain (DomainStatus has only the `Created` flag), and none is invented
 * (`createdAt` stays null). The lookback is judged from the series themselves: a continuously published metric has a
 * datapoint on every day of the window only if the domain existed on every day, so a domain younger than the window
 * has missing days and stays unknown. (A domain deleted and recreated under the same name inside the window is judged
 * on the name's series.)
 *
 * A scan makes listing calls and batched metric calls only, never a call per domain: ListDomainNames (one call, not
 * paged), DescribeDomains with up to five names per call (the API's batch read — the only way to read a domain's
 * configuration — counted as listing calls: ⌈domains / 5⌉), one paged `tag:GetResources` for the region's `es:domain`
 * tags (tagging.ts; Describe calls return no tags) and the metrics engine's batched GetMetricData. The re-check reads
 * one domain exactly (DescribeDomain, ListTags, its metrics). OpenSearch has no DryRun: the cleanup verifies the delete
 * by the re-check and an IAM permission check. The delete is irreversible and takes the automated snapshots with it.
 */
import {
  DeleteDomainCommand,
  DescribeDomainCommand,
  DescribeDomainsCommand,
  ListDomainNamesCommand,
  ListTagsCommand,
  OpenSearchClient,
  type DomainStatus,
} from '@aws-sdk/client-opensearch';
import { awsErrorCode } from '../aws/errors';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricQuery, MetricSpec } from '../metrics/types';
import { OPENSEARCH_PRICE_KEYS, openSearchInstanceHourKey, openSearchStorageKey } from '../pricing/keys/opensearch';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH, type RegionPrices } from '../pricing/types';
import { createLimiter } from '../scan/limiter';
import { awsErrorMessage, chunk, isAbort, isUnauthorized } from './ec2-common';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, ItemParts, RecheckResult, ResourceHandler } from './handler';
import { activityFields } from './metric-verdict';
import { tagsByArn } from './tagging';

export const OPENSEARCH_TYPE = 'opensearch:domain';
/** Cost Explorer's "Amazon OpenSearch Service" / "Amazon Elasticsearch Service" (discovery/service-catalog.ts). */
export const SERVICE_OPENSEARCH = 'AmazonES';
/** The tagging API's resource type of a domain. */
export const DOMAIN_RESOURCE_TYPE = 'es:domain';
/** DescribeDomains reads at most five domains per call. */
export const DESCRIBE_BATCH = 5;
/** Domains judged and yielded together (their metrics batched in one request to the engine). */
const PAGE = 100;

const NS = 'AWS/ES';
export const OPENSEARCH_METRICS = {
  search: { namespace: NS, metricName: 'SearchRate', stat: 'Sum', sparse: false, unit: 'search requests' },
  indexing: { namespace: NS, metricName: 'IndexingRate', stat: 'Sum', sparse: false, unit: 'indexing operations' },
  /** Searches served by UltraWarm nodes; read only for domains that have them. */
  warmSearch: { namespace: NS, metricName: 'WarmSearchRate', stat: 'Sum', sparse: false, unit: 'warm search requests' },
} as const satisfies Record<string, MetricSpec>;

export function domainQueries(domainName: string, accountId: string, warm: boolean): MetricQuery[] {
  const dimensions = { DomainName: domainName, ClientId: accountId };
  const specs: MetricSpec[] = [OPENSEARCH_METRICS.search, OPENSEARCH_METRICS.indexing, ...(warm ? [OPENSEARCH_METRICS.warmSearch] : [])];
  return specs.map((spec) => ({ spec, dimensions }));
}

/** What the cost is computed from: the domain's node and storage configuration. */
export interface DomainShape {
  instanceType: string | null;
  instanceCount: number;
  masterType: string | null;
  masterCount: number;
  warmType: string | null;
  warmCount: number;
  /** null: instance storage (no EBS). */
  ebs: { volumeType: string; volumeSize: number; iops: number | null; throughput: number | null } | null;
}

export function shapeOf(d: DomainStatus): DomainShape {
  const c = d.ClusterConfig ?? {};
  const e = d.EBSOptions;
  return {
    instanceType: c.InstanceType ?? null,
    instanceCount: c.InstanceCount ?? 1,
    masterType: c.DedicatedMasterEnabled ? (c.DedicatedMasterType ?? null) : null,
    masterCount: c.DedicatedMasterEnabled ? (c.DedicatedMasterCount ?? 0) : 0,
    warmType: c.WarmEnabled ? (c.WarmType ?? null) : null,
    warmCount: c.WarmEnabled ? (c.WarmCount ?? 0) : 0,
    ebs: e?.EBSEnabled ? { volumeType: e.VolumeType ?? 'gp2', volumeSize: e.VolumeSize ?? 0, iops: e.Iops ?? null, throughput: e.Throughput ?? null } : null,
  };
}

/**
 * Instance hours (data nodes, dedicated masters, UltraWarm nodes) + EBS GB-months × data nodes, at 730 h. Unknown when
 * any price is missing, or when the domain bills something this kind has no price for (io1 provisioned IOPS).
 */
export function domainCost(s: DomainShape, prices: RegionPrices | null, region: string): { monthlyCost: number | null; costBasis: string } {
  const missing: string[] = [];
  const terms: string[] = [];
  const notes: string[] = [];
  let total = 0;
  const hourly = (label: string, type: string | null, count: number): void => {
    if (count <= 0) return;
    const key = type === null ? undefined : openSearchInstanceHourKey(type);
    const p = key !== undefined && prices !== null ? price(prices, key) : null;
    if (p === null) {
      missing.push(`${type ?? 'unknown instance type'} instance hours`);
      return;
    }
    total += count * HOURS_PER_MONTH * p;
    terms.push(`${count} × ${type ?? ''} (${label}) × ${HOURS_PER_MONTH} h × ${usd(p)}`);
  };
  hourly(s.instanceCount === 1 ? 'data node' : 'data nodes', s.instanceType, s.instanceCount);
  hourly(s.masterCount === 1 ? 'dedicated master' : 'dedicated masters', s.masterType, s.masterCount);
  hourly(s.warmCount === 1 ? 'UltraWarm node' : 'UltraWarm nodes', s.warmType, s.warmCount);
  if (s.warmCount > 0) notes.push('UltraWarm managed storage billed apart (not priced)');
  if (s.ebs === null) {
    notes.push('instance storage (included in the instance hours)');
  } else if (s.ebs.volumeSize > 0) {
    const key = openSearchStorageKey(s.ebs.volumeType);
    const p = key !== undefined && prices !== null ? price(prices, key) : null;
    if (p === null) missing.push(`${s.ebs.volumeType} storage`);
    else {
      total += s.ebs.volumeSize * s.instanceCount * p;
      terms.push(`${s.ebs.volumeType} ${num(s.ebs.volumeSize)} GiB × ${s.instanceCount} data node(s) × ${usd(p)}/GB-mo`);
    }
    if (s.ebs.volumeType === 'io1') missing.push('io1 provisioned IOPS');
    if (s.ebs.volumeType === 'gp3') notes.push('gp3 IOPS and throughput provisioned above the baseline billed apart (not priced)');
  }
  if (missing.length > 0) return { monthlyCost: null, costBasis: `Cost unknown: no OpenSearch price for ${missing.join(', ')} (${region})` };
  return { monthlyCost: roundCost(total), costBasis: `${terms.join(' + ')} (${region})${notes.length > 0 ? `; ${notes.join('; ')}` : ''}` };
}

/** DomainProcessingStatus, or what the flags say when it is absent. */
function stateOf(d: DomainStatus): string {
  if (d.Deleted) return 'Deleting';
  if (d.DomainProcessingStatus) return d.DomainProcessingStatus;
  if (d.Created === false) return 'Creating';
  return d.Processing ? 'Modifying' : 'Active';
}

const judgeable = (d: DomainStatus): boolean => d.Created !== false && d.Deleted !== true;

/** Verdicts by domain name, in one batched request to the metrics engine. */
async function judge(ctx: HandlerContext, domains: readonly DomainStatus[]): Promise<Map<string, Activity>> {
  const list = domains.filter((d) => judgeable(d) && d.DomainName);
  if (list.length === 0) return new Map();
  const metrics = metricsOf(ctx);
  const verdicts = await metrics.activity(
    list.map((d) => ({
      // No creation time exists: the window's start is only the lower bound the continuous series prove (see header).
      createdAt: metrics.window.start,
      queries: domainQueries(d.DomainName!, ctx.accountId, d.ClusterConfig?.WarmEnabled === true),
      activity: 'search or indexing',
    })),
  );
  return new Map(list.map((d, i) => [d.DomainName!, verdicts[i]!]));
}

function nodes(count: number, type: string | null): string | null {
  return count > 0 ? `${count} × ${type ?? 'unknown type'}` : null;
}

function toFinding(ctx: HandlerContext, d: DomainStatus, tags: Record<string, string>, activity: Activity | null): Finding {
  const name = d.DomainName ?? '';
  const s = shapeOf(d);
  const cost = domainCost(s, ctx.prices, ctx.region);
  const state = stateOf(d);
  const f = activity === null ? null : activityFields(activity);
  const protectedReason = protectionByTag(tags, ctx.settings.protectionTagKey);
  const engine = d.EngineVersion ?? null;
  return {
    resourceType: OPENSEARCH_TYPE,
    resourceId: name,
    region: ctx.region,
    name,
    state,
    tags,
    // AWS reports no creation time for a domain.
    createdAt: null,
    unused: f?.unused ?? false,
    unusedReason: f?.unusedReason ?? null,
    unusedSince: f?.unusedSince ?? null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      arn: d.ARN ?? null,
      domainId: d.DomainId ?? null,
      engineVersion: engine,
      engineType: engine === null ? null : engine.startsWith('Elasticsearch_') ? 'Elasticsearch' : 'OpenSearch',
      processing: d.Processing === true,
      dataNodes: nodes(s.instanceCount, s.instanceType),
      dedicatedMasters: nodes(s.masterCount, s.masterType),
      warmNodes: nodes(s.warmCount, s.warmType),
      storage:
        s.ebs === null
          ? 'Instance storage'
          : `${s.ebs.volumeType} ${num(s.ebs.volumeSize)} GiB per data node${s.ebs.iops !== null ? `, ${num(s.ebs.iops)} IOPS` : ''}${s.ebs.throughput !== null ? `, ${num(s.ebs.throughput)} MiB/s` : ''}`,
      activity: f?.activity ?? `Not judged: the domain is ${state}`,
      ...(activity !== null ? { metrics: activity } : {}),
    },
  };
}

async function describeBatches(ctx: HandlerContext, names: readonly string[]): Promise<DomainStatus[]> {
  const limit = createLimiter(4);
  const client = ctx.client(OpenSearchClient);
  const pages = await Promise.all(
    chunk(names, DESCRIBE_BATCH).map((batch) =>
      limit(async () => (await client.send(new DescribeDomainsCommand({ DomainNames: batch }), { abortSignal: ctx.signal })).DomainStatusList ?? []),
    ),
  );
  return pages.flat();
}

const isNotFound = (err: unknown): boolean => awsErrorCode(err) === 'ResourceNotFoundException';

const DELETE_WARNING =
  "Irreversible: the domain's data is deleted, and its automated snapshots with it. Cloud Cleaner cannot take a manual " +
  "snapshot first: that needs the domain's own _snapshot API with a snapshot repository registered (an S3 bucket and an " +
  'IAM role). Take one yourself before deleting if the data may be needed.';
const ACTION_IAM = ['es:DeleteDomain', 'es:DescribeDomain', 'es:ListTags'];
const GONE = Symbol('gone');

export const openSearchDomainsHandler: ResourceHandler = {
  type: OPENSEARCH_TYPE,
  label: 'Idle OpenSearch domains',
  noun: 'OpenSearch domain',
  consoleUrl: 'https://{host}/aos/home?region={region}#opensearch/domains/{id}',
  iam: {
    scan: ['es:ListDomainNames', 'es:DescribeDomains', 'tag:GetResources', 'cloudwatch:GetMetricData'],
    // The delete, and the re-check's exact reads the cleanup makes just before it.
    action: ACTION_IAM,
  },
  actionLabel: 'Delete',
  actions: [
    {
      id: 'delete',
      label: 'Delete the domain',
      doneLabel: 'Deleted',
      description: 'Deletes the domain and all its data (DeleteDomain): its instance hours and storage stop billing',
      warning: DELETE_WARNING,
      removes: true,
      iam: ACTION_IAM,
    },
  ],
  verification: {
    method: 'permission-check',
    description:
      'OpenSearch Service has no DryRun: each domain is re-checked (status, its latest search and indexing, tags) and IAM policy simulation says whether you may delete it',
  },
  priceKeys: OPENSEARCH_PRICE_KEYS,
  detailFields: [
    { key: 'activity', label: 'Search and indexing' },
    { key: 'engineVersion', label: 'Engine version' },
    { key: 'dataNodes', label: 'Data nodes' },
    { key: 'dedicatedMasters', label: 'Dedicated master nodes', emptyText: 'None' },
    { key: 'warmNodes', label: 'UltraWarm nodes', emptyText: 'None' },
    { key: 'storage', label: 'Storage' },
    { key: 'arn', label: 'ARN' },
  ],
  category: 'Analytics',
  serviceCodes: [SERVICE_OPENSEARCH],
  billingServiceCode: SERVICE_OPENSEARCH,
  deleteOrder: 55,
  tagTypes: [DOMAIN_RESOURCE_TYPE],

  async *scan(ctx) {
    const client = ctx.client(OpenSearchClient);
    const listed = await client.send(new ListDomainNamesCommand({}), { abortSignal: ctx.signal });
    const names = (listed.DomainNames ?? []).map((d) => d.DomainName).filter((n): n is string => Boolean(n));
    if (names.length === 0) return;
    // One paged listing of the region's domain tags, shared by every page; its failure fails the scan.
    const tags = tagsByArn(ctx, [DOMAIN_RESOURCE_TYPE]);
    void tags.catch(() => undefined); // awaited below: this only keeps an early rejection from going unhandled
    for (const group of chunk(names, PAGE)) {
      ctx.signal?.throwIfAborted();
      const domains = (await describeBatches(ctx, group)).filter((d) => d.DomainName && d.Deleted !== true);
      if (domains.length === 0) continue;
      const [byArn, verdicts] = await Promise.all([tags, judge(ctx, domains)]);
      yield domains.map((d) => toFinding(ctx, d, byArn.get(d.ARN ?? '') ?? {}, verdicts.get(d.DomainName!) ?? null));
    }
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    const client = ctx.client(OpenSearchClient);
    let d: DomainStatus | undefined;
    try {
      d = (await client.send(new DescribeDomainCommand({ DomainName: stored.resourceId }), { abortSignal: ctx.signal })).DomainStatus;
    } catch (err) {
      if (isNotFound(err)) return { status: 'gone', reason: 'The domain no longer exists' };
      throw err;
    }
    if (d === undefined) return { status: 'gone', reason: 'The domain no longer exists' };
    if (d.Deleted) return { status: 'gone', reason: 'The domain is being deleted' };
    const [tagList, verdicts] = await Promise.all([
      client.send(new ListTagsCommand({ ARN: d.ARN }), { abortSignal: ctx.signal }),
      judge(ctx, [d]),
    ]);
    const current = toFinding(ctx, d, tagsToRecord(tagList.TagList), verdicts.get(stored.resourceId) ?? null);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (d.Processing || d.Created === false) {
      return { status: 'changed', reason: `The domain is ${current.state ?? 'processing'}: a change is in progress; review it again when it ends`, current };
    }
    if (stored.state !== current.state) {
      return { status: 'changed', reason: `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
    }
    if (stored.unused && !current.unused) {
      return { status: 'changed', reason: `No longer idle: ${String(current.details['activity'])}`, current };
    }
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    const refusal =
      protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (refusal !== null) return { kind: 'refused', reason: refusal };
    if (dryRun) {
      // The cleanup verifies permission-check kinds itself (re-check + IAM simulation); nothing is sent here.
      return { kind: 'checked', calls: [], note: 'OpenSearch Service has no DryRun: verified by the re-check and an IAM permission check' };
    }
    const name = stored.resourceId;
    const call = { action: 'DeleteDomain', target: name, dryRun: false };
    try {
      const result = await ctx.audited(call, async () => {
        try {
          return await ctx.client(OpenSearchClient).send(new DeleteDomainCommand({ DomainName: name }), { abortSignal: ctx.signal });
        } catch (err) {
          // Gone already (a retried call whose first attempt worked, or deleted meanwhile): what the call was for.
          if (isNotFound(err)) return GONE;
          throw err;
        }
      });
      return { kind: 'deleted', calls: [`DeleteDomain ${name}${result === GONE ? ' (already gone)' : ''}`] };
    } catch (err) {
      if (isAbort(err)) throw err;
      const code = awsErrorCode(err);
      const message = awsErrorMessage(err);
      return isUnauthorized(err) ? { kind: 'unauthorized', code, message } : { kind: 'failed', code, message };
    }
  },

  // Its own cost; nothing stays behind (automated snapshots are free and go with the domain).
  parts(finding): ItemParts {
    return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
  },
};
