/**
 * The load balancer kind's parts beside its handler (elb-load-balancers.ts): the CloudWatch metrics each type is judged
 * by, the verdict rules and the price of one load balancer (pure), the owners (EKS, Kubernetes, Beanstalk,
 * CloudFormation) whose load balancers are not the user's to delete here, and the reads of both ELB APIs — listings
 * for the scan (never a call per load balancer), one load balancer exactly for the re-check.
 */
import {
  DescribeInstanceHealthCommand,
  DescribeLoadBalancersCommand as DescribeClassicCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  ElasticLoadBalancingClient,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsErrorCode } from '../aws/errors';
import type { Activity, MetricQuery, MetricSpec } from '../metrics/types';
import { ALB_HOUR, CLB_HOUR, GWLB_HOUR, NLB_HOUR } from '../pricing/keys/elb';
import { PUBLIC_IPV4_HOUR } from '../pricing/keys/ipv4';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH } from '../pricing/types';
import type { RegionPrices } from '../pricing/types';
import { createLimiter } from '../scan/limiter';
import { chunk, clampPageSize, isUnauthorized } from './ec2-common';
import { roundCost, tagsToRecord, usd } from './handler';
import type { HandlerContext } from './handler';
import { activityFields } from './metric-verdict';

export type LbType = 'application' | 'network' | 'gateway' | 'classic';

/** What a load balancer type is judged by: its traffic, and how many healthy targets it has. */
export interface LbMetricSpecs {
  traffic: MetricSpec;
  healthy: MetricSpec;
}

const healthy = (namespace: string): MetricSpec => ({ namespace, metricName: 'HealthyHostCount', stat: 'Maximum', sparse: false, unit: 'healthy targets' });

/**
 * Per type. ALB and Classic RequestCount are published only when non-zero (sparse); NLB/GWLB NewFlowCount and every
 * HealthyHostCount are published while the load balancer exists (a missing day is unknown).
 */
export const ELB_METRICS: Readonly<Record<LbType, LbMetricSpecs>> = {
  application: {
    traffic: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', stat: 'Sum', sparse: true, unit: 'requests' },
    healthy: healthy('AWS/ApplicationELB'),
  },
  network: {
    traffic: { namespace: 'AWS/NetworkELB', metricName: 'NewFlowCount', stat: 'Sum', sparse: false, unit: 'new flows' },
    healthy: healthy('AWS/NetworkELB'),
  },
  gateway: {
    traffic: { namespace: 'AWS/GatewayELB', metricName: 'NewFlowCount', stat: 'Sum', sparse: false, unit: 'new flows' },
    healthy: healthy('AWS/GatewayELB'),
  },
  classic: {
    traffic: { namespace: 'AWS/ELB', metricName: 'RequestCount', stat: 'Sum', sparse: true, unit: 'requests' },
    healthy: healthy('AWS/ELB'),
  },
};

/** One target group attached to a v2 load balancer (free: it stays when the load balancer is deleted). */
export interface TargetGroupRef {
  arn: string;
  name: string;
  targetType: string | null;
}

/** An Elastic IP the user allocated for a network load balancer's zone: deleting the load balancer keeps it. */
export interface LbElasticIp {
  allocationId: string;
  publicIp: string | null;
  zone: string;
}

/** What the handler knows about one load balancer, from either API. */
export interface LbFacts {
  /** The ARN (v2) or the name (Classic). */
  id: string;
  name: string;
  lbType: LbType;
  /** v2 State.Code; null for Classic (its API reports no state). */
  state: string | null;
  scheme: string | null;
  dnsName: string | null;
  vpcId: string | null;
  createdAt: Date | null;
  availabilityZones: string[];
  /** Null: the tags could not be read (then it is protected: its protection cannot be checked). */
  tags: Record<string, string> | null;
  /** v2 only. */
  targetGroups: TargetGroupRef[];
  /** Classic only: instance ids from DescribeLoadBalancers. */
  registeredInstances: string[];
  elasticIps: LbElasticIp[];
  /** v2: read by the re-check (null in a scan); Classic has none (false). */
  deletionProtection: boolean | null;
  /** The re-check's exact counts (DescribeTargetHealth / DescribeInstanceHealth); null in a scan. */
  live: { registered: number; healthy: number } | null;
}

/** The metric dimension value of a v2 load balancer: `app/name/id` (the ARN after `:loadbalancer/`). */
export function lbDimension(arn: string): string {
  const at = arn.indexOf(':loadbalancer/');
  return at < 0 ? arn : arn.slice(at + ':loadbalancer/'.length);
}

/** The metric dimension value of a target group: `targetgroup/name/id` (the ARN's resource part). */
export function tgDimension(arn: string): string {
  const at = arn.indexOf(':targetgroup/');
  return at < 0 ? arn : arn.slice(at + 1);
}

/** Is the load balancer in a state its verdict is judged in (v2 `active`; Classic always)? */
export function judgeable(f: LbFacts): boolean {
  return f.lbType === 'classic' || f.state === 'active';
}

/** The CloudWatch series one load balancer is judged by; null where a rule decides without them. */
export function lbQueries(f: LbFacts, specs: Readonly<Record<LbType, LbMetricSpecs>> = ELB_METRICS): { traffic: MetricQuery[] | null; health: MetricQuery[] | null } {
  const s = specs[f.lbType];
  if (!judgeable(f)) return { traffic: null, health: null };
  if (f.lbType === 'classic') {
    if (f.registeredInstances.length === 0) return { traffic: null, health: null };
    const dims = { LoadBalancerName: f.name };
    return { traffic: [{ spec: s.traffic, dimensions: dims }], health: [{ spec: s.healthy, dimensions: dims }] };
  }
  const lb = lbDimension(f.id);
  const traffic = [{ spec: s.traffic, dimensions: { LoadBalancer: lb } }];
  if (f.targetGroups.length === 0) return { traffic: f.lbType === 'application' ? traffic : null, health: null };
  return { traffic, health: f.targetGroups.map((tg) => ({ spec: s.healthy, dimensions: { TargetGroup: tgDimension(tg.arn), LoadBalancer: lb } })) };
}

/** Which rule found it unused (the re-check compares it with the reviewed one). */
export type LbRule = 'no-target-group' | 'no-instances' | 'no-healthy-targets' | 'idle';

export interface LbVerdict {
  unused: boolean;
  rule: LbRule | null;
  unusedReason: string | null;
  unusedSince: string | null;
  /** `details.activity`: the traffic verdict in a sentence. */
  activity: string;
  /** `details.health`: what is known of its healthy targets. */
  health: string;
  /** `details.metrics`: the Activity that decided (the drawer draws it), or null. */
  metrics: Activity | null;
  /** No traffic measured or possible: no capacity units are billed beyond the hours. */
  idle: boolean;
}

const lastDay = (a: Activity): string => new Date(Date.parse(`${a.window.end}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * The rules, in order (the load balancer must be active): (1) a v2 load balancer without a target group (an ALB that
 * still answers requests is in use: redirects or fixed responses); (2) a Classic one without registered instances;
 * (3) HealthyHostCount 0 on every day of the window (the re-check's live count overrides: a healthy target now is in
 * use); (4) its traffic metric idle. Unknown is never unused.
 */
export function lbVerdict(f: LbFacts, traffic: Activity | null, health: Activity | null): LbVerdict {
  const none = (activity: string, healthText: string, metrics: Activity | null = null): LbVerdict => ({
    unused: false,
    rule: null,
    unusedReason: null,
    unusedSince: null,
    activity,
    health: healthText,
    metrics,
    idle: false,
  });
  if (!judgeable(f)) return none(`Not judged: the load balancer is ${f.state ?? 'in an unknown state'}`, 'Not judged');
  const live = f.live === null ? null : `${f.live.healthy} healthy of ${f.live.registered} registered (now)`;
  const trafficText = traffic === null ? 'Not read' : activityFields(traffic).activity;

  if (f.lbType !== 'classic' && f.targetGroups.length === 0) {
    if (f.lbType === 'application' && traffic?.verdict === 'active') {
      return none(`In use: answers requests without targets (redirects or fixed responses): ${traffic.reason.replace(/^In use: /, '')}`, 'No target group', traffic);
    }
    const reason = f.lbType === 'application' ? 'No target group' : 'No target group: it cannot forward anything';
    return { unused: true, rule: 'no-target-group', unusedReason: reason, unusedSince: null, activity: traffic === null ? 'None possible without a target group' : trafficText, health: 'No target group', metrics: traffic, idle: true };
  }
  if (f.lbType === 'classic' && f.registeredInstances.length === 0) {
    return { unused: true, rule: 'no-instances', unusedReason: 'No registered instances', unusedSince: null, activity: 'None possible without instances', health: 'No registered instances', metrics: null, idle: true };
  }

  const healthText = live ?? (health === null ? 'Not read' : health.verdict === 'idle' ? `0 every day from ${health.window.start} to ${lastDay(health)}` : activityFields(health).activity);
  const healthyNow = f.live !== null && f.live.healthy > 0;
  if (health?.verdict === 'idle' && !healthyNow) {
    const busy = traffic?.verdict === 'active';
    const still = busy ? `; it still received traffic (last on ${traffic.lastActiveDay ?? 'a recent day'}): errors or fixed responses` : '';
    return {
      unused: true,
      rule: 'no-healthy-targets',
      unusedReason: `No healthy targets in ${health.window.days} days (HealthyHostCount 0 every day from ${health.window.start} to ${lastDay(health)})${still}`,
      unusedSince: `${health.window.start}T00:00:00.000Z`,
      activity: trafficText,
      health: healthText,
      metrics: health,
      idle: !busy,
    };
  }
  if (traffic === null) return none('Not read', healthText);
  const v = activityFields(traffic);
  return { unused: v.unused, rule: v.unused ? 'idle' : null, unusedReason: v.unusedReason, unusedSince: v.unusedSince, activity: v.activity, health: healthText, metrics: traffic, idle: v.unused };
}

const TYPE_LABEL: Readonly<Record<LbType, string>> = { application: 'ALB', network: 'NLB', gateway: 'GWLB', classic: 'Classic LB' };
const HOUR_KEY = { application: ALB_HOUR, network: NLB_HOUR, gateway: GWLB_HOUR, classic: CLB_HOUR } as const;

/**
 * Its own monthly cost at 730 h: the hourly charge (a GWLB's per Availability Zone) plus, when internet-facing (ALB,
 * NLB, Classic), one public IPv4 address per zone — except zones whose address is the user's Elastic IP (it stays
 * allocated after the delete: a kept part). Capacity units (or Classic's GB processed) are usage: none while idle,
 * not estimated otherwise. Null when any price is unknown.
 */
export function lbCost(f: LbFacts, prices: RegionPrices | null, region: string, idle: boolean): { monthlyCost: number | null; costBasis: string } {
  const label = TYPE_LABEL[f.lbType];
  if (prices === null) return { monthlyCost: null, costBasis: `Cost unknown: no prices for this region (${region})` };
  const hour = price(prices, HOUR_KEY[f.lbType]);
  if (hour === null) return { monthlyCost: null, costBasis: `Cost unknown: no ${label} hourly price (${prices.region})` };
  const zones = Math.max(1, f.availabilityZones.length);
  const terms: string[] = [];
  let total: number;
  if (f.lbType === 'gateway') {
    total = zones * HOURS_PER_MONTH * hour;
    terms.push(`${label} ${zones} AZ${zones === 1 ? '' : 's'} × ${HOURS_PER_MONTH} h × ${usd(hour)}`);
  } else {
    total = HOURS_PER_MONTH * hour;
    terms.push(`${label} ${HOURS_PER_MONTH} h × ${usd(hour)}`);
  }
  let eipNote = '';
  if (f.scheme === 'internet-facing' && f.lbType !== 'gateway') {
    const own = Math.max(0, f.availabilityZones.length - f.elasticIps.length);
    if (own > 0) {
      const ipv4 = price(prices, PUBLIC_IPV4_HOUR);
      if (ipv4 === null) return { monthlyCost: null, costBasis: `Cost unknown: no public IPv4 price for its ${own} public address(es) (${prices.region})` };
      total += own * HOURS_PER_MONTH * ipv4;
      terms.push(`1 public IPv4 per AZ (${own} AZ${own === 1 ? '' : 's'}) × ${HOURS_PER_MONTH} h × ${usd(ipv4)}`);
    }
    if (f.elasticIps.length > 0) eipNote = `; its ${f.elasticIps.length} Elastic IP(s) stay allocated and bill apart`;
  }
  const usage = f.lbType === 'classic' ? 'data processed' : 'LCU usage';
  const tail = idle ? `no ${usage} charges without traffic` : `+ ${usage} (not estimated)`;
  return { monthlyCost: roundCost(total), costBasis: `${terms.join(' + ')} (${prices.region}); ${tail}${eipNote}` };
}

const OWNER_HINT = 'delete it from its owner';

/**
 * Load balancers another system owns: deleting them here gets them recreated (EKS / Kubernetes controllers, Elastic
 * Beanstalk) or leaves the owner drifted (CloudFormation). Reasons, one per owner tag found.
 */
export function managedBy(tags: Record<string, string>): string[] {
  const out: string[] = [];
  const v = (k: string): string | undefined => tags[k];
  const eks = v('elbv2.k8s.aws/cluster');
  if (eks !== undefined) out.push(`Managed by the AWS Load Balancer Controller of the EKS cluster ${eks}: it will be recreated — ${OWNER_HINT}`);
  const svc = v('kubernetes.io/service-name');
  if (svc !== undefined) out.push(`Created by Kubernetes for the service ${svc}: it will be recreated — ${OWNER_HINT}`);
  const cluster = Object.keys(tags).find((k) => k.startsWith('kubernetes.io/cluster/'));
  if (cluster !== undefined && eks === undefined && svc === undefined) {
    out.push(`Belongs to the Kubernetes cluster ${cluster.slice('kubernetes.io/cluster/'.length)}: it will be recreated — ${OWNER_HINT}`);
  }
  const eb = v('elasticbeanstalk:environment-name');
  if (eb !== undefined) out.push(`Managed by the Elastic Beanstalk environment ${eb}: it will be recreated — ${OWNER_HINT}`);
  const stack = v('aws:cloudformation:stack-name');
  if (stack !== undefined) out.push(`Managed by the CloudFormation stack ${stack}: it will be recreated or the stack will drift — ${OWNER_HINT}`);
  return out;
}

export const DELETION_PROTECTION_REASON =
  'Deletion protection is on: turn it off yourself if you mean to delete it (Cloud Cleaner never switches it off)';

// ---- reading AWS (listings for the scan; one load balancer exactly for the re-check) ----

/** DescribeTags takes at most 20 ARNs (v2) or names (Classic). */
const TAG_BATCH = 20;
/** DescribeTags calls in flight per page. */
const TAG_CONCURRENCY = 4;

export const isNotFound = (err: unknown): boolean =>
  /^(LoadBalancerNotFound|AccessPointNotFound)(Exception)?$/.test(awsErrorCode(err)) ||
  /^(LoadBalancerNotFound|AccessPointNotFound)(Exception)?$/.test((err as { name?: string } | null)?.name ?? '');
export const isOperationNotPermitted = (code: string): boolean => /^OperationNotPermitted(Exception)?$/.test(code);

export async function* v2Pages(ctx: HandlerContext, arns?: string[]): AsyncIterable<LoadBalancer[]> {
  let marker: string | undefined;
  do {
    const out = await ctx.client(ElasticLoadBalancingV2Client).send(
      new DescribeLoadBalancersCommand({
        ...(arns ? { LoadBalancerArns: arns } : { PageSize: clampPageSize(ctx.pageSize, 1, 400) }),
        ...(marker ? { Marker: marker } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    yield out.LoadBalancers ?? [];
    marker = out.NextMarker || undefined;
  } while (marker !== undefined);
}

export async function* classicPages(ctx: HandlerContext, names?: string[]): AsyncIterable<LoadBalancerDescription[]> {
  let marker: string | undefined;
  do {
    const out = await ctx.client(ElasticLoadBalancingClient).send(
      new DescribeClassicCommand({
        ...(names ? { LoadBalancerNames: names } : { PageSize: clampPageSize(ctx.pageSize, 1, 400) }),
        ...(marker ? { Marker: marker } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    yield out.LoadBalancerDescriptions ?? [];
    marker = out.NextMarker || undefined;
  } while (marker !== undefined);
}

/** Target groups by the load balancer they are attached to: the region's (paged), or one load balancer's. */
export async function targetGroupsByLb(ctx: HandlerContext, lbArn?: string): Promise<Map<string, TargetGroupRef[]>> {
  const out = new Map<string, TargetGroupRef[]>();
  let marker: string | undefined;
  do {
    const res = await ctx.client(ElasticLoadBalancingV2Client).send(
      new DescribeTargetGroupsCommand({
        ...(lbArn ? { LoadBalancerArn: lbArn } : {}),
        PageSize: clampPageSize(ctx.pageSize, 1, 400),
        ...(marker ? { Marker: marker } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    for (const tg of res.TargetGroups ?? []) {
      if (!tg.TargetGroupArn) continue;
      const ref = { arn: tg.TargetGroupArn, name: tg.TargetGroupName ?? tg.TargetGroupArn, targetType: tg.TargetType ?? null };
      for (const arn of tg.LoadBalancerArns ?? []) out.set(arn, [...(out.get(arn) ?? []), ref]);
    }
    marker = res.NextMarker || undefined;
  } while (marker !== undefined);
  return out;
}

/**
 * Tags by ARN (v2) or name (Classic), 20 per call. A denied DescribeTags leaves them unknown (null): the load balancer
 * is then protected, never deleted on a guess.
 */
export async function tagsOf(ctx: HandlerContext, ids: readonly string[], classic: boolean): Promise<Map<string, Record<string, string> | null>> {
  const out = new Map<string, Record<string, string> | null>();
  const describe = async (batch: string[]): Promise<void> => {
    if (classic) {
      const res = await ctx.client(ElasticLoadBalancingClient).send(new DescribeClassicTagsCommand({ LoadBalancerNames: batch }), { abortSignal: ctx.signal });
      for (const d of res.TagDescriptions ?? []) if (d.LoadBalancerName) out.set(d.LoadBalancerName, tagsToRecord(d.Tags));
    } else {
      const res = await ctx.client(ElasticLoadBalancingV2Client).send(new DescribeTagsCommand({ ResourceArns: batch }), { abortSignal: ctx.signal });
      for (const d of res.TagDescriptions ?? []) if (d.ResourceArn) out.set(d.ResourceArn, tagsToRecord(d.Tags));
    }
  };
  const limited = createLimiter(TAG_CONCURRENCY);
  try {
    await Promise.all(
      chunk(ids, TAG_BATCH).map((batch) =>
        limited(async () => {
          try {
            await describe(batch);
          } catch (err) {
            if (!isNotFound(err)) throw err;
            // One of the batch was deleted since the listing: ask one by one (the missing one keeps unknown tags).
            for (const id of batch) await describe([id]).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
          }
        }),
      ),
    );
  } catch (err) {
    if (!isUnauthorized(err)) throw err;
    return new Map(ids.map((id) => [id, null]));
  }
  return out;
}

export function v2Facts(lb: LoadBalancer, tags: Record<string, string> | null, tgs: TargetGroupRef[]): LbFacts {
  const zones = lb.AvailabilityZones ?? [];
  const elasticIps: LbElasticIp[] = zones.flatMap((z) =>
    (z.LoadBalancerAddresses ?? []).filter((a) => a.AllocationId).map((a) => ({ allocationId: a.AllocationId!, publicIp: a.IpAddress ?? null, zone: z.ZoneName ?? '' })),
  );
  return {
    id: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    lbType: (lb.Type ?? 'application') as LbType,
    state: lb.State?.Code ?? null,
    scheme: lb.Scheme ?? null,
    dnsName: lb.DNSName ?? null,
    vpcId: lb.VpcId ?? null,
    createdAt: lb.CreatedTime ? new Date(lb.CreatedTime) : null,
    availabilityZones: zones.map((z) => z.ZoneName ?? '').filter(Boolean),
    tags,
    targetGroups: tgs,
    registeredInstances: [],
    elasticIps,
    deletionProtection: null,
    live: null,
  };
}

export function classicFacts(lb: LoadBalancerDescription, tags: Record<string, string> | null): LbFacts {
  return {
    id: lb.LoadBalancerName ?? '',
    name: lb.LoadBalancerName ?? '',
    lbType: 'classic',
    state: null,
    scheme: lb.Scheme ?? null,
    dnsName: lb.DNSName ?? null,
    vpcId: lb.VPCId ?? null,
    createdAt: lb.CreatedTime ? new Date(lb.CreatedTime) : null,
    availabilityZones: lb.AvailabilityZones ?? [],
    tags,
    targetGroups: [],
    registeredInstances: (lb.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean),
    elasticIps: [],
    // Classic load balancers have no deletion protection.
    deletionProtection: false,
    live: null,
  };
}

/** The re-check's exact reads of one load balancer (target health, deletion protection): null when gone. */

export async function v2Live(ctx: HandlerContext, arn: string): Promise<LbFacts | null> {
  let lb: LoadBalancer | undefined;
  for await (const page of v2Pages(ctx, [arn])) lb ??= page[0];
  if (lb === undefined) return null;
  const client = ctx.client(ElasticLoadBalancingV2Client);
  const [tags, tgs, attrs] = await Promise.all([
    tagsOf(ctx, [arn], false),
    targetGroupsByLb(ctx, arn),
    client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }), { abortSignal: ctx.signal }),
  ]);
  const groups = tgs.get(arn) ?? [];
  const health = await Promise.all(
    groups.map((g) => client.send(new DescribeTargetHealthCommand({ TargetGroupArn: g.arn }), { abortSignal: ctx.signal })),
  );
  const targets = health.flatMap((h) => h.TargetHealthDescriptions ?? []);
  const facts = v2Facts(lb, tags.get(arn) ?? null, groups);
  const protection = attrs.Attributes?.find((a) => a.Key === 'deletion_protection.enabled')?.Value;
  return {
    ...facts,
    deletionProtection: protection === undefined ? null : protection === 'true',
    live: { registered: targets.length, healthy: targets.filter((t) => t.TargetHealth?.State === 'healthy').length },
  };
}

export async function classicLive(ctx: HandlerContext, name: string): Promise<LbFacts | null> {
  let lb: LoadBalancerDescription | undefined;
  for await (const page of classicPages(ctx, [name])) lb ??= page[0];
  if (lb === undefined) return null;
  const tags = await tagsOf(ctx, [name], true);
  const facts = classicFacts(lb, tags.get(name) ?? null);
  let healthy = 0;
  if (facts.registeredInstances.length > 0) {
    const out = await ctx.client(ElasticLoadBalancingClient).send(new DescribeInstanceHealthCommand({ LoadBalancerName: name }), { abortSignal: ctx.signal });
    healthy = (out.InstanceStates ?? []).filter((s) => s.State === 'InService').length;
  }
  return { ...facts, live: { registered: facts.registeredInstances.length, healthy } };
}
