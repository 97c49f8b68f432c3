/**
 * EKS clusters with nothing to run (AWS-FACTS-BEYOND-EC2.md, kind 12). A cluster bills its control plane every hour it
 * exists: $0.10/h while its Kubernetes version is in standard support, $0.60/h in extended support ([EKSP], see
 * pricing/keys/eks.ts). Its nodes, Fargate pods, volumes and load balancers bill elsewhere.
 *
 * Empty: status ACTIVE, created at least the grace period ago (kind setting, default 7 days: a cluster being set up has
 * no nodes yet), no managed node group (ListNodegroups), no Fargate profile (ListFargateProfiles) and no EC2 instance
 * that is not terminated tagged `kubernetes.io/cluster/<name>` (self-managed and Karpenter nodes carry that tag key).
 * EKS Auto Mode clusters (`computeConfig.enabled`) are not judged: Auto Mode makes nodes on demand. Since when it is
 * empty is not exposed: unknown.
 *
 * Cost: `upgradePolicy.supportType` STANDARD means the cluster is upgraded at the end of standard support, so it bills
 * the standard rate. Otherwise the version's status comes from DescribeClusterVersions (one paged listing per region):
 * EXTENDED_SUPPORT → the extended rate; STANDARD_SUPPORT → standard; not read (denied) or unknown → cost unknown, the
 * basis naming both rates. A provisioned control plane tier (`controlPlaneScalingConfig.tier` other than standard)
 * bills apart and is not priced here: unknown.
 *
 * Calls. EKS has no batch describe: ListClusters (paged), then per cluster, at most 8 at a time, DescribeCluster; only
 * for clusters that can be judged (ACTIVE, past the grace period, not Auto Mode) ListNodegroups, and ListFargateProfiles
 * only when it found no node group. Then ONE EC2 DescribeInstances per region (per 100 names: the filter-value limit
 * EC2 does not document; 200 is observed) with `tag-key` = `kubernetes.io/cluster/<name>` for every remaining
 * candidate at once, and `instance-state-name` ≠ terminated.
 *
 * Protection: the protection tag (DescribeCluster's tags) and EKS deletion protection (`deletionProtection`), which is
 * reported (protected; AWS's refusal → refused), never switched off. Action `delete`: DeleteCluster (audited); the
 * re-check refuses (changed) when a node group, Fargate profile or tagged instance appeared. EKS has no DryRun: the
 * cleanup verifies by the re-check and an IAM permission check.
 */
import { DeleteClusterCommand, DescribeClusterCommand, DescribeClusterVersionsCommand, EKSClient, ListClustersCommand, ListFargateProfilesCommand, ListNodegroupsCommand, type Cluster } from '@aws-sdk/client-eks';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { EKS_CLUSTER_EXTENDED_HOUR, EKS_CLUSTER_HOUR, EKS_PRICE_KEYS } from '../pricing/keys/eks';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH } from '../pricing/types';
import { chunk, clampPageSize, isUnauthorized } from './ec2-common';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { protectionByTag, roundCost, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, RecheckResult, ResourceHandler } from './handler';
import { mapLimit } from '../scan/limiter';

export const EKS_CLUSTER_TYPE = 'eks:cluster';
/** Cost Explorer's "Amazon Elastic Container Service for Kubernetes" (discovery catalog code). */
export const SERVICE_EKS = 'AmazonEKS';
export const EKS_GRACE_SETTING = 'eksClusterEmptyDays';
const DEFAULT_GRACE_DAYS = 7;
export const EKS_CONCURRENCY = 8;
/** Tag-key values per DescribeInstances call. */
export const TAG_VALUES_PER_CALL = 100;
const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];
const DAY_MS = 86_400_000;

const READ_IAM = ['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListFargateProfiles', 'ec2:DescribeInstances'];
export const EKS_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'delete',
    label: 'Delete',
    doneLabel: 'Deleted',
    description: 'Deletes the cluster (its control plane stops billing).',
    warning: 'Load balancers, EBS volumes and other AWS resources made by controllers inside the cluster are not deleted with it, and keep billing until you delete them',
    removes: true,
    iam: ['eks:DeleteCluster', ...READ_IAM],
  },
];

const nodeTag = (name: string): string => `kubernetes.io/cluster/${name}`;
const isNotFound = (err: unknown): boolean => awsErrorCode(err) === 'ResourceNotFoundException';

interface Contents {
  nodegroups: string[] | null;
  fargateProfiles: string[] | null;
  instances: string[] | null;
}
type VersionStatus = Map<string, string>;

function graceDays(ctx: HandlerContext): number {
  const v = ctx.settings.kinds?.[EKS_GRACE_SETTING];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : DEFAULT_GRACE_DAYS;
}

// ---- reading AWS ----

async function clusterNames(ctx: HandlerContext): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const r = await ctx.client(EKSClient).send(new ListClustersCommand({ maxResults: clampPageSize(ctx.pageSize, 1, 100), ...(token ? { nextToken: token } : {}) }), { abortSignal: ctx.signal });
    out.push(...(r.clusters ?? []));
    token = r.nextToken || undefined;
  } while (token !== undefined);
  return out;
}

async function describe(ctx: HandlerContext, name: string): Promise<Cluster | null> {
  try {
    return (await ctx.client(EKSClient).send(new DescribeClusterCommand({ name }), { abortSignal: ctx.signal })).cluster ?? null;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

async function listAll(ctx: HandlerContext, name: string, what: 'nodegroups' | 'fargate'): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const base = { clusterName: name, maxResults: 100, ...(token ? { nextToken: token } : {}) };
    const client = ctx.client(EKSClient);
    if (what === 'nodegroups') {
      const r = await client.send(new ListNodegroupsCommand(base), { abortSignal: ctx.signal });
      out.push(...(r.nodegroups ?? []));
      token = r.nextToken || undefined;
    } else {
      const r = await client.send(new ListFargateProfilesCommand(base), { abortSignal: ctx.signal });
      out.push(...(r.fargateProfileNames ?? []));
      token = r.nextToken || undefined;
    }
  } while (token !== undefined);
  return out;
}

/** Instance ids (not terminated) tagged for each cluster: one DescribeInstances per 100 names, paged. */
async function taggedInstances(ctx: HandlerContext, names: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  const wanted = new Map(names.map((n) => [nodeTag(n), n]));
  for (const group of chunk(names, TAG_VALUES_PER_CALL)) {
    let token: string | undefined;
    do {
      const r = await ctx.client(EC2Client).send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag-key', Values: group.map(nodeTag) },
            { Name: 'instance-state-name', Values: LIVE_STATES },
          ],
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
        { abortSignal: ctx.signal },
      );
      for (const i of (r.Reservations ?? []).flatMap((x) => x.Instances ?? [])) {
        for (const t of i.Tags ?? []) {
          const name = t.Key === undefined ? undefined : wanted.get(t.Key);
          if (name !== undefined && i.InstanceId) out.get(name)?.push(i.InstanceId);
        }
      }
      token = r.NextToken || undefined;
    } while (token !== undefined);
  }
  return out;
}

/** Support status by version (`1.31` → EXTENDED_SUPPORT); null when the read was denied. */
async function versionStatus(ctx: HandlerContext): Promise<VersionStatus | null> {
  const out: VersionStatus = new Map();
  let token: string | undefined;
  try {
    do {
      const r = await ctx.client(EKSClient).send(new DescribeClusterVersionsCommand({ includeAll: true, maxResults: 100, ...(token ? { nextToken: token } : {}) }), { abortSignal: ctx.signal });
      for (const v of r.clusterVersions ?? []) if (v.clusterVersion && v.versionStatus) out.set(v.clusterVersion, v.versionStatus);
      token = r.nextToken || undefined;
    } while (token !== undefined);
  } catch (err) {
    if (isUnauthorized(err)) return null;
    throw err;
  }
  return out;
}

// ---- the finding ----

function costOf(ctx: HandlerContext, c: Cluster, versions: VersionStatus | null): { monthlyCost: number | null; costBasis: string; support: string } {
  const version = c.version ?? 'unknown';
  const tier = c.controlPlaneScalingConfig?.tier;
  const std = ctx.prices === null ? null : price(ctx.prices, EKS_CLUSTER_HOUR);
  const ext = ctx.prices === null ? null : price(ctx.prices, EKS_CLUSTER_EXTENDED_HOUR);
  const status = c.upgradePolicy?.supportType === 'STANDARD' ? 'STANDARD_SUPPORT' : (versions?.get(version) ?? null);
  const support =
    status === null ? (versions === null ? 'Not read (eks:DescribeClusterVersions denied)' : `Not listed for version ${version}`) : status === 'STANDARD_SUPPORT' ? 'Standard' : status === 'EXTENDED_SUPPORT' ? 'Extended' : status;
  if (tier !== undefined && tier !== 'standard') return { monthlyCost: null, costBasis: `Cost unknown: provisioned control plane tier ${tier} is billed apart and not priced here`, support };
  if (status === 'STANDARD_SUPPORT' || status === 'EXTENDED_SUPPORT') {
    const extended = status === 'EXTENDED_SUPPORT';
    const rate = extended ? ext : std;
    const why = c.upgradePolicy?.supportType === 'STANDARD' ? 'support type STANDARD: upgraded at the end of standard support' : `Kubernetes ${version} in ${extended ? 'extended' : 'standard'} support`;
    if (rate === null) return { monthlyCost: null, costBasis: `Cost unknown: no EKS ${extended ? 'extended' : 'standard'} support cluster-hour price for ${ctx.region}`, support };
    return { monthlyCost: roundCost(HOURS_PER_MONTH * rate), costBasis: `${HOURS_PER_MONTH} h × ${usd(rate)} per cluster-hour (${why}) (${ctx.region})`, support };
  }
  const rates = std !== null && ext !== null ? `${usd(std)}/h in standard support or ${usd(ext)}/h in extended support` : 'the standard or the extended support rate';
  return { monthlyCost: null, costBasis: `Cost unknown: ${rates}, and the support status of Kubernetes ${version} is not known (${support})`, support };
}

function judge(ctx: HandlerContext, c: Cluster, contents: Contents): { unused: boolean; judgement: string } {
  const age = c.createdAt ? Math.floor((ctx.now.getTime() - new Date(c.createdAt).getTime()) / DAY_MS) : null;
  const grace = graceDays(ctx);
  if (c.status !== 'ACTIVE') return { unused: false, judgement: `Not judged: the cluster is ${c.status ?? 'in an unknown state'}` };
  if (c.computeConfig?.enabled === true) return { unused: false, judgement: 'Not judged: EKS Auto Mode makes nodes on demand' };
  if (age === null) return { unused: false, judgement: 'Not judged: AWS gives no creation time' };
  if (age < grace) return { unused: false, judgement: `Not judged: created ${age} days ago (judged from ${grace})` };
  const has: string[] = [];
  if (contents.nodegroups === null) return { unused: false, judgement: 'Not judged: its node groups were not read' };
  if (contents.nodegroups.length > 0) has.push(`${contents.nodegroups.length} node group(s): ${contents.nodegroups.join(', ')}`);
  if (contents.fargateProfiles !== null && contents.fargateProfiles.length > 0) has.push(`${contents.fargateProfiles.length} Fargate profile(s): ${contents.fargateProfiles.join(', ')}`);
  if (contents.instances !== null && contents.instances.length > 0) has.push(`${contents.instances.length} instance(s) tagged ${nodeTag(c.name ?? '')}: ${contents.instances.slice(0, 5).join(', ')}`);
  if (has.length > 0) return { unused: false, judgement: `Has ${has.join('; ')}` };
  if (contents.fargateProfiles === null || contents.instances === null) return { unused: false, judgement: 'Not judged: its Fargate profiles or tagged instances were not read' };
  return { unused: true, judgement: `No node group, no Fargate profile and no instance tagged ${nodeTag(c.name ?? '')}; the cluster is ${age} days old` };
}

function toFinding(ctx: HandlerContext, c: Cluster, contents: Contents, versions: VersionStatus | null): Finding {
  const tags = c.tags ?? {};
  const v = judge(ctx, c, contents);
  const cost = costOf(ctx, c, versions);
  const reasons = [protectionByTag(tags, ctx.settings.protectionTagKey), c.deletionProtection === true ? 'EKS deletion protection is on (Cloud Cleaner never turns it off)' : null].filter(
    (r): r is string => r !== null,
  );
  return {
    resourceType: EKS_CLUSTER_TYPE,
    resourceId: c.name ?? '',
    region: ctx.region,
    name: c.name ?? null,
    state: c.status ?? null,
    tags,
    createdAt: c.createdAt ? new Date(c.createdAt).toISOString() : null,
    unused: v.unused,
    unusedReason: v.unused ? `Nothing to run: ${v.judgement}` : null,
    unusedSince: null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: reasons.length > 0,
    protectedReason: reasons.length > 0 ? reasons.join('; ') : null,
    details: {
      judgement: v.judgement,
      version: c.version ?? null,
      supportType: c.upgradePolicy?.supportType ?? null,
      versionSupport: cost.support,
      nodegroups: contents.nodegroups?.length ?? null,
      fargateProfiles: contents.fargateProfiles?.length ?? null,
      taggedInstances: contents.instances?.length ?? null,
      autoMode: c.computeConfig?.enabled === true,
      deletionProtection: c.deletionProtection ?? null,
      platformVersion: c.platformVersion ?? null,
      arn: c.arn ?? null,
    },
  };
}

/** Whether a described cluster can be judged at all (the listings are made only for those). */
function judgeable(ctx: HandlerContext, c: Cluster): boolean {
  const created = c.createdAt ? new Date(c.createdAt).getTime() : null;
  return c.status === 'ACTIVE' && c.computeConfig?.enabled !== true && created !== null && ctx.now.getTime() - created >= graceDays(ctx) * DAY_MS;
}

/** Node groups, then Fargate profiles only when there is no node group. */
async function listContents(ctx: HandlerContext, name: string): Promise<Pick<Contents, 'nodegroups' | 'fargateProfiles'>> {
  const nodegroups = await listAll(ctx, name, 'nodegroups');
  return { nodegroups, fargateProfiles: nodegroups.length > 0 ? null : await listAll(ctx, name, 'fargate') };
}

export const emptyEksClustersHandler: ResourceHandler = {
  type: EKS_CLUSTER_TYPE,
  label: 'Empty EKS clusters',
  noun: 'EKS cluster',
  consoleUrl: 'https://{host}/eks/home?region={region}#/clusters/{id}',
  iam: {
    scan: ['eks:ListClusters', 'eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListFargateProfiles', 'eks:DescribeClusterVersions', 'ec2:DescribeInstances'],
    action: [...EKS_ACTIONS[0]!.iam],
  },
  actionLabel: 'Delete',
  actions: EKS_ACTIONS,
  verification: {
    method: 'permission-check',
    description: 'EKS has no DryRun: each cluster is re-checked (still active and empty, no deletion protection, its tags) and IAM policy simulation says whether you may delete it',
  },
  settings: [
    {
      key: EKS_GRACE_SETTING,
      label: 'Empty EKS clusters older than',
      description: 'A cluster with no node group, Fargate profile or tagged instance is flagged only when it was created at least this many days ago (one being set up has no nodes yet).',
      type: 'integer',
      unit: 'days',
      default: DEFAULT_GRACE_DAYS,
      min: 0,
      max: 3650,
    },
  ],
  priceKeys: EKS_PRICE_KEYS,
  detailFields: [
    { key: 'judgement', label: 'What runs on it' },
    { key: 'version', label: 'Kubernetes version' },
    { key: 'versionSupport', label: 'Version support' },
    { key: 'supportType', label: 'Upgrade policy (support type)', emptyText: 'Not answered' },
    { key: 'nodegroups', label: 'Managed node groups', emptyText: 'Not read' },
    { key: 'fargateProfiles', label: 'Fargate profiles', emptyText: 'Not read' },
    { key: 'taggedInstances', label: 'Instances tagged for it', emptyText: 'Not read' },
    { key: 'autoMode', label: 'EKS Auto Mode', format: 'boolean' },
    { key: 'deletionProtection', label: 'Deletion protection', format: 'boolean', emptyText: 'Not answered' },
  ],
  category: 'Containers',
  serviceCodes: [SERVICE_EKS],
  billingServiceCode: SERVICE_EKS,
  deleteOrder: 75,

  async *scan(ctx) {
    const names = await clusterNames(ctx);
    if (names.length === 0) return;
    const clusters = (await mapLimit(names, EKS_CONCURRENCY, (n) => describe(ctx, n))).filter((c): c is Cluster => c !== null && !!c.name);
    const candidates = clusters.filter((c) => judgeable(ctx, c));
    const [listed, versions] = await Promise.all([mapLimit(candidates, EKS_CONCURRENCY, (c) => listContents(ctx, c.name!)), versionStatus(ctx)]);
    const contentsOf = new Map(candidates.map((c, i) => [c.name!, listed[i]!]));
    const bare = candidates.filter((c) => contentsOf.get(c.name!)?.nodegroups?.length === 0 && contentsOf.get(c.name!)?.fargateProfiles?.length === 0).map((c) => c.name!);
    const instances = bare.length > 0 ? await taggedInstances(ctx, bare) : new Map<string, string[]>();
    yield clusters.map((c) => {
      const l = contentsOf.get(c.name!);
      return toFinding(ctx, c, { nodegroups: l?.nodegroups ?? null, fargateProfiles: l?.fargateProfiles ?? null, instances: instances.get(c.name!) ?? null }, versions);
    });
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    const c = await describe(ctx, stored.resourceId);
    if (c === null || c.status === 'DELETING') return { status: 'gone', reason: 'The cluster no longer exists' };
    const contents: Contents = { nodegroups: null, fargateProfiles: null, instances: null };
    if (judgeable(ctx, c)) {
      // All three, so the reason names everything that appeared.
      const [nodegroups, fargateProfiles, instances] = await Promise.all([listAll(ctx, stored.resourceId, 'nodegroups'), listAll(ctx, stored.resourceId, 'fargate'), taggedInstances(ctx, [stored.resourceId])]);
      Object.assign(contents, { nodegroups, fargateProfiles, instances: instances.get(stored.resourceId) ?? [] });
    }
    const current = toFinding(ctx, c, contents, await versionStatus(ctx));
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer empty: ${String(current.details['judgement'])}`, current };
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    const protectedBy = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
    if (dryRun) return { kind: 'checked', calls: [], note: 'EKS has no DryRun: verified by the re-check and an IAM permission check' };
    const call = { action: 'DeleteCluster', target: stored.resourceId, dryRun: false };
    const result = await auditedMutation(ctx, call, async () => {
      try {
        return await ctx.client(EKSClient).send(new DeleteClusterCommand({ name: stored.resourceId }), { abortSignal: ctx.signal });
      } catch (err) {
        if (isNotFound(err)) return 'already gone' as const;
        throw err;
      }
    });
    if (result.kind === 'error' && (/deletion protection/i.test(result.message) || result.code === 'ResourceInUseException')) {
      return { kind: 'refused', reason: `EKS refused: ${result.message}` };
    }
    if (result.kind === 'unauthorized' || result.kind === 'error') return failureOutcome(result);
    return { kind: 'deleted', calls: [`${callLabel(call)}${result.kind === 'done' && result.value === 'already gone' ? ' (already gone)' : ''}`] };
  },

  parts(finding) {
    return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
  },
};
