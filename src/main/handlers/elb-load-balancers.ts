/**
 * Unused load balancers (AWS-FACTS-BEYOND-EC2.md, kind 2): application, network and gateway load balancers (ELBv2,
 * id = ARN) and Classic ones (id = name), in one kind. A load balancer bills every hour it exists (plus the public IPv4
 * of each zone when internet-facing); it is unused when it cannot forward anything (no target group, no registered
 * instance), when it has had no healthy target on any day of the lookback, or when CloudWatch shows no traffic on it.
 *
 * A scan makes listings and batched metric reads only — never a call per load balancer: paged DescribeLoadBalancers
 * (both APIs), one paged DescribeTargetGroups for the region, DescribeTags 20 at a time, and the metrics engine's
 * batched GetMetricData. The re-check reads one load balancer exactly (target health, deletion protection). ELB has no
 * DryRun: the cleanup verifies the delete by the re-check and an IAM permission check. Deletion protection is
 * reported, never switched off; target groups (free) stay.
 */
import { DeleteLoadBalancerCommand as DeleteClassicCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { DeleteLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { metricsOf } from '../metrics/context';
import type { ActivityRequest } from '../metrics/engine';
import type { Activity } from '../metrics/types';
import { ELB_PRICE_KEYS } from '../pricing/keys/elb';
import { PUBLIC_IPV4_HOUR } from '../pricing/keys/ipv4';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH } from '../pricing/types';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import {
  classicFacts,
  classicLive,
  classicPages,
  DELETION_PROTECTION_REASON,
  ELB_METRICS,
  isNotFound,
  isOperationNotPermitted,
  lbCost,
  lbQueries,
  lbVerdict,
  managedBy,
  tagsOf,
  targetGroupsByLb,
  v2Facts,
  v2Live,
  v2Pages,
  type LbFacts,
  type LbMetricSpecs,
  type LbType,
  type TargetGroupRef,
} from './elb-common';
import { protectionByTag, roundCost, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, ItemParts, Part, RecheckResult, ResourceHandler } from './handler';
import { storedNumber, storedObjects, storedString } from './parts';

export const LB_TYPE = 'elb:load-balancer';
/** Cost Explorer's "Amazon Elastic Load Balancing" (discovery/service-catalog.ts). */
export const SERVICE_ELB = 'AWSELB';

type Specs = Readonly<Record<LbType, LbMetricSpecs>>;

/** Traffic and health verdicts of a page of load balancers, in one batched request to the metrics engine. */
async function judge(ctx: HandlerContext, facts: readonly LbFacts[], specs: Specs): Promise<{ traffic: Activity | null; health: Activity | null }[]> {
  const requests: ActivityRequest[] = [];
  const at = facts.map((f) => {
    const q = lbQueries(f, specs);
    const slot = { traffic: -1, health: -1 };
    if (q.traffic) slot.traffic = requests.push({ createdAt: f.createdAt, queries: q.traffic, activity: 'traffic' }) - 1;
    if (q.health) slot.health = requests.push({ createdAt: f.createdAt, queries: q.health, activity: 'healthy targets' }) - 1;
    return slot;
  });
  const verdicts = requests.length === 0 ? [] : await metricsOf(ctx).activity(requests);
  return at.map((s) => ({ traffic: verdicts[s.traffic] ?? null, health: verdicts[s.health] ?? null }));
}

// ---- the finding ----

function toFinding(ctx: HandlerContext, f: LbFacts, traffic: Activity | null, health: Activity | null): Finding {
  const v = lbVerdict(f, traffic, health);
  const cost = lbCost(f, ctx.prices, ctx.region, v.idle);
  const tags = f.tags ?? {};
  const reasons = [
    f.tags === null ? 'Its tags could not be read (elasticloadbalancing:DescribeTags): its protection cannot be checked' : null,
    protectionByTag(tags, ctx.settings.protectionTagKey),
    ...managedBy(tags),
    f.deletionProtection === true ? DELETION_PROTECTION_REASON : null,
  ].filter((r): r is string => r !== null);
  const ipv4 = ctx.prices ? price(ctx.prices, PUBLIC_IPV4_HOUR) : null;
  return {
    resourceType: LB_TYPE,
    resourceId: f.id,
    region: ctx.region,
    name: f.name || null,
    state: f.state,
    tags,
    createdAt: f.createdAt?.toISOString() ?? null,
    unused: v.unused,
    unusedReason: v.unusedReason,
    unusedSince: v.unusedSince,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: reasons.length > 0,
    protectedReason: reasons.length > 0 ? reasons.join('; ') : null,
    details: {
      lbType: f.lbType,
      scheme: f.scheme,
      dnsName: f.dnsName,
      vpcId: f.vpcId,
      availabilityZones: f.availabilityZones,
      targetGroups: f.targetGroups,
      targetGroupNames: f.targetGroups.map((t) => t.name),
      registeredInstances: f.lbType === 'classic' ? f.registeredInstances : null,
      registeredTargets: f.live?.registered ?? null,
      healthyTargets: f.live?.healthy ?? null,
      deletionProtection: f.deletionProtection,
      unusedRule: v.rule,
      activity: v.activity,
      health: v.health,
      elasticIps: f.elasticIps.map((e) => ({
        ...e,
        monthlyCost: ipv4 === null ? null : roundCost(HOURS_PER_MONTH * ipv4),
        costBasis: ipv4 === null ? `Cost unknown: no public IPv4 price (${ctx.region})` : `public IPv4 ${HOURS_PER_MONTH} h × ${usd(ipv4)} (${ctx.region})`,
      })),
      ...(v.metrics !== null ? { metrics: v.metrics } : {}),
    },
  };
}

function lbTypeOf(stored: Finding): LbType {
  const t = stored.details['lbType'];
  if (t === 'application' || t === 'network' || t === 'gateway' || t === 'classic') return t;
  return stored.resourceId.startsWith('arn:') ? 'application' : 'classic';
}


function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((i) => x.has(i));
}

function storedIds(stored: Finding): string[] {
  if (lbTypeOf(stored) === 'classic') {
    const v = stored.details['registeredInstances'];
    return Array.isArray(v) ? v.filter((i): i is string => typeof i === 'string') : [];
  }
  return storedObjects(stored.details, 'targetGroups').flatMap((t) => (typeof t['arn'] === 'string' ? [t['arn']] : []));
}

function currentIds(f: LbFacts): string[] {
  return f.lbType === 'classic' ? f.registeredInstances : f.targetGroups.map((t) => t.arn);
}

/** An Elastic IP the user allocated for a network load balancer: deleting the load balancer keeps it allocated. */
function elasticIpPart(e: Record<string, unknown>): Part | null {
  const id = storedString(e['allocationId']);
  if (id === null) return null;
  return {
    resourceType: 'ec2:elastic-ip',
    resourceId: id,
    fate: 'kept',
    note: `Deleting the load balancer frees ${storedString(e['publicIp']) ?? 'its address'} but does not release it: it stays allocated and keeps billing`,
    monthlyCost: storedNumber(e['monthlyCost']),
    costBasis: storedString(e['costBasis']) ?? 'Cost unknown: not priced by this scan',
    tags: null,
    // Never touched by this action: nothing to protect.
    protected: false,
    protectedReason: null,
    addable: false,
  };
}

/** The kind, with the metrics each type is judged by (tests pass others). */
export function createLoadBalancersHandler(specs: Specs = ELB_METRICS): ResourceHandler {
  return {
    type: LB_TYPE,
    label: 'Unused load balancers',
    noun: 'load balancer',
    // The load balancer list filtered by the id: works for ARNs (v2) and names (Classic).
    consoleUrl: 'https://{host}/ec2/home?region={region}#LoadBalancers:search={id}',
    iam: {
      scan: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTags',
        'cloudwatch:GetMetricData',
        'cloudwatch:ListMetrics',
      ],
      // The delete, and the re-check's exact reads the cleanup makes just before it.
      action: [
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeInstanceHealth',
      ],
    },
    actionLabel: 'Delete',
    verification: {
      method: 'permission-check',
      description:
        'Elastic Load Balancing has no DryRun: each load balancer is re-checked (targets, health, deletion protection) and IAM policy simulation says whether you may delete it',
    },
    priceKeys: [...ELB_PRICE_KEYS, PUBLIC_IPV4_HOUR],
    detailFields: [
      { key: 'lbType', label: 'Type' },
      { key: 'scheme', label: 'Scheme' },
      { key: 'activity', label: 'Traffic' },
      { key: 'health', label: 'Healthy targets' },
      { key: 'targetGroupNames', label: 'Target groups (stay after deletion, free)', format: 'list', emptyText: 'None' },
      { key: 'registeredInstances', label: 'Registered instances', format: 'list', emptyText: 'Not a Classic load balancer' },
      { key: 'availabilityZones', label: 'Availability Zones', format: 'list' },
      { key: 'deletionProtection', label: 'Deletion protection', format: 'boolean', emptyText: 'Read before deletion' },
      { key: 'dnsName', label: 'DNS name' },
      { key: 'vpcId', label: 'VPC' },
    ],
    category: 'Networking',
    serviceCodes: [SERVICE_ELB],
    billingServiceCode: SERVICE_ELB,
    deleteOrder: 30,

    async *scan(ctx) {
      // The region's target groups, listed once when the first page has load balancers.
      let groups: Promise<Map<string, TargetGroupRef[]>> | undefined;
      for await (const page of v2Pages(ctx)) {
        ctx.signal?.throwIfAborted();
        const lbs = page.filter((lb) => lb.LoadBalancerArn);
        if (lbs.length === 0) continue;
        groups ??= targetGroupsByLb(ctx);
        const [byLb, tags] = await Promise.all([groups, tagsOf(ctx, lbs.map((lb) => lb.LoadBalancerArn!), false)]);
        const facts = lbs.map((lb) => v2Facts(lb, tags.get(lb.LoadBalancerArn!) ?? null, byLb.get(lb.LoadBalancerArn!) ?? []));
        const verdicts = await judge(ctx, facts, specs);
        yield facts.map((f, i) => toFinding(ctx, f, verdicts[i]!.traffic, verdicts[i]!.health));
      }
      for await (const page of classicPages(ctx)) {
        ctx.signal?.throwIfAborted();
        const lbs = page.filter((lb) => lb.LoadBalancerName);
        if (lbs.length === 0) continue;
        const tags = await tagsOf(ctx, lbs.map((lb) => lb.LoadBalancerName!), true);
        const facts = lbs.map((lb) => classicFacts(lb, tags.get(lb.LoadBalancerName!) ?? null));
        const verdicts = await judge(ctx, facts, specs);
        yield facts.map((f, i) => toFinding(ctx, f, verdicts[i]!.traffic, verdicts[i]!.health));
      }
    },

    async recheck(ctx, stored): Promise<RecheckResult> {
      const classic = lbTypeOf(stored) === 'classic';
      let facts: LbFacts | null;
      try {
        facts = classic ? await classicLive(ctx, stored.resourceId) : await v2Live(ctx, stored.resourceId);
      } catch (err) {
        if (isNotFound(err)) return { status: 'gone', reason: 'The load balancer no longer exists' };
        throw err;
      }
      if (facts === null) return { status: 'gone', reason: 'The load balancer no longer exists' };
      const [v] = await judge(ctx, [facts], specs);
      const current = toFinding(ctx, facts, v?.traffic ?? null, v?.health ?? null);
      if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
      if (stored.state !== current.state) {
        return { status: 'changed', reason: `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
      }
      if (!sameSet(storedIds(stored), currentIds(facts))) {
        const what = classic ? 'Registered instances' : 'Target groups';
        return { status: 'changed', reason: `${what} changed since the review: now ${currentIds(facts).join(', ') || 'none'}`, current };
      }
      if (stored.unused && !current.unused) {
        const healthyNow = stored.details['unusedRule'] === 'no-healthy-targets' && facts.live !== null && facts.live.healthy > 0;
        const live = healthyNow ? `now ${facts.live!.healthy} healthy target(s)` : String(current.details['activity']);
        return { status: 'changed', reason: `No longer unused: ${live}`, current };
      }
      // Still unused, but not for the reason reviewed (a target became healthy, yet no traffic): the user decides again.
      if (stored.unused && current.unused && stored.details['unusedRule'] !== current.details['unusedRule']) {
        return { status: 'changed', reason: `Unused now for another reason than the one reviewed: ${current.unusedReason ?? ''}`, current };
      }
      return { status: 'unchanged', current };
    },

    async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
      const refusal =
        protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
      if (refusal !== null) return { kind: 'refused', reason: refusal };
      if (dryRun) {
        // The cleanup verifies permission-check kinds itself (re-check + IAM simulation); nothing is sent here.
        return { kind: 'checked', calls: [], note: 'Elastic Load Balancing has no DryRun: verified by the re-check and an IAM permission check' };
      }
      const id = stored.resourceId;
      const classic = lbTypeOf(stored) === 'classic';
      const call = { action: 'DeleteLoadBalancer', target: id, dryRun: false };
      // No DryRun in ELB: the call is always real (auditedMutation's dry-run branch never applies).
      const result = await auditedMutation(ctx, call, () =>
        classic
          ? ctx.client(ElasticLoadBalancingClient).send(new DeleteClassicCommand({ LoadBalancerName: id }), { abortSignal: ctx.signal })
          : ctx.client(ElasticLoadBalancingV2Client).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: id }), { abortSignal: ctx.signal }),
      );
      if (result.kind === 'error' && isOperationNotPermitted(result.code)) return { kind: 'refused', reason: DELETION_PROTECTION_REASON };
      if (result.kind === 'unauthorized' || result.kind === 'error') return failureOutcome(result);
      return { kind: 'deleted', calls: [callLabel(call, result)] };
    },

    // Its own cost; target groups stay (free, listed in details); a network load balancer's Elastic IPs stay (kept).
    parts(finding): ItemParts {
      const parts = storedObjects(finding.details, 'elasticIps')
        .map(elasticIpPart)
        .filter((p): p is Part => p !== null);
      return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts };
    },
  };
}

export const loadBalancersHandler: ResourceHandler = createLoadBalancersHandler();
