/**
 * Elastic Load Balancing in the simulated account: application, network and gateway load balancers with their
 * target groups (ELBv2, API 2015-12-01) and Classic load balancers (API 2012-06-01). Each region holds one
 * `SimElbRegion` (`sim.state.region('eu-west-1').elb`). Fixture section: `resources[region].elb`.
 */
import type { FixtureTags } from './fixture';
import type { SimTag } from './state';

export type SimLoadBalancerType = 'application' | 'network' | 'gateway';
export type SimTargetHealth = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface SimLoadBalancerV2 {
  arn: string;
  name: string;
  type: SimLoadBalancerType;
  scheme: 'internet-facing' | 'internal';
  state: 'active' | 'provisioning' | 'active_impaired' | 'failed';
  createdTime: Date;
  vpcId: string;
  /** One per enabled Availability Zone. */
  availabilityZones: { zoneName: string; subnetId: string }[];
  dnsName: string;
  ipAddressType: 'ipv4' | 'dualstack';
  deletionProtection: boolean;
  tags: SimTag[];
}

export interface SimTarget {
  id: string;
  port?: number;
  health: SimTargetHealth;
}

export interface SimTargetGroup {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  targetType: 'instance' | 'ip' | 'lambda' | 'alb';
  vpcId: string;
  loadBalancerArns: string[];
  targets: SimTarget[];
  tags: SimTag[];
}

export interface SimClassicLoadBalancer {
  name: string;
  dnsName: string;
  scheme: 'internet-facing' | 'internal';
  createdTime: Date;
  vpcId: string;
  availabilityZones: string[];
  instances: { instanceId: string; state: 'InService' | 'OutOfService' | 'Unknown' }[];
  tags: SimTag[];
}

export class SimElbRegion {
  /** ELBv2 load balancers by ARN. */
  readonly loadBalancers = new Map<string, SimLoadBalancerV2>();
  /** ELBv2 target groups by ARN. */
  readonly targetGroups = new Map<string, SimTargetGroup>();
  /** Classic load balancers by name (unique per region). */
  readonly classic = new Map<string, SimClassicLoadBalancer>();
}

export interface LoadBalancerFixture {
  name: string;
  type?: SimLoadBalancerType; // default 'application'
  scheme?: 'internet-facing' | 'internal'; // default 'internet-facing'
  state?: SimLoadBalancerV2['state']; // default 'active'
  createdDaysAgo?: number; // default 100
  vpcId?: string;
  /** Availability Zone names; default two (`<region>a`, `<region>b`). */
  availabilityZones?: string[];
  deletionProtection?: boolean;
  tags?: FixtureTags;
}

export interface TargetGroupFixture {
  name: string;
  protocol?: string; // default 'HTTP'
  port?: number; // default 80
  targetType?: SimTargetGroup['targetType']; // default 'instance'
  /** Names of this region's ELBv2 load balancers the group is attached to (through listeners or rules). */
  loadBalancers?: string[];
  targets?: { id: string; port?: number; health?: SimTargetHealth }[]; // health default 'healthy'
  tags?: FixtureTags;
}

export interface ClassicLoadBalancerFixture {
  name: string;
  scheme?: 'internet-facing' | 'internal';
  createdDaysAgo?: number;
  vpcId?: string;
  availabilityZones?: string[];
  instances?: { instanceId: string; state?: 'InService' | 'OutOfService' | 'Unknown' }[];
  tags?: FixtureTags;
}

export interface ElbRegionFixture {
  loadBalancers?: LoadBalancerFixture[];
  targetGroups?: TargetGroupFixture[];
  classicLoadBalancers?: ClassicLoadBalancerFixture[];
}

/** Fills `into` from the region's fixture section (ARNs, DNS names and ids derived as AWS forms them). */
export function loadElbFixture(
  into: SimElbRegion,
  fx: ElbRegionFixture | undefined,
  ctx: { region: string; accountId: string; now: Date },
): void {
  if (fx === undefined) return;
  const DAY_MS = 86_400_000;
  const toTags = (t: FixtureTags | undefined): SimTag[] => Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));
  const created = (days: number | undefined): Date => new Date(ctx.now.getTime() - (days ?? 100) * DAY_MS);
  const azs = (list: string[] | undefined): string[] => list ?? [`${ctx.region}a`, `${ctx.region}b`];
  const byName = new Map<string, string>();
  let n = 0;
  const hex = (): string => (++n).toString(16).padStart(16, '0');
  for (const lb of fx.loadBalancers ?? []) {
    const type = lb.type ?? 'application';
    const prefix = type === 'application' ? 'app' : type === 'network' ? 'net' : 'gwy';
    const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/${prefix}/${lb.name}/${hex()}`;
    byName.set(lb.name, arn);
    into.loadBalancers.set(arn, {
      arn,
      name: lb.name,
      type,
      scheme: lb.scheme ?? 'internet-facing',
      state: lb.state ?? 'active',
      createdTime: created(lb.createdDaysAgo),
      vpcId: lb.vpcId ?? 'vpc-0sim00000000000001',
      availabilityZones: azs(lb.availabilityZones).map((zoneName, i) => ({ zoneName, subnetId: `subnet-0sim${String(i + 1).padStart(13, '0')}` })),
      dnsName: `${lb.name}-${n}.${ctx.region}.elb.amazonaws.com`,
      ipAddressType: 'ipv4',
      deletionProtection: lb.deletionProtection ?? false,
      tags: toTags(lb.tags),
    });
  }
  for (const tg of fx.targetGroups ?? []) {
    const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${tg.name}/${hex()}`;
    const lbArns = (tg.loadBalancers ?? []).map((name) => {
      const a = byName.get(name);
      if (a === undefined) throw new Error(`fixture: target group ${tg.name} names unknown load balancer ${name} in ${ctx.region}`);
      return a;
    });
    into.targetGroups.set(arn, {
      arn,
      name: tg.name,
      protocol: tg.protocol ?? 'HTTP',
      port: tg.port ?? 80,
      targetType: tg.targetType ?? 'instance',
      vpcId: 'vpc-0sim00000000000001',
      loadBalancerArns: lbArns,
      targets: (tg.targets ?? []).map((t) => ({ id: t.id, ...(t.port !== undefined ? { port: t.port } : {}), health: t.health ?? 'healthy' })),
      tags: toTags(tg.tags),
    });
  }
  for (const c of fx.classicLoadBalancers ?? []) {
    if (into.classic.has(c.name)) throw new Error(`fixture: classic load balancer ${c.name} appears twice in ${ctx.region}`);
    into.classic.set(c.name, {
      name: c.name,
      dnsName: `${c.name}-${++n}.${ctx.region}.elb.amazonaws.com`,
      scheme: c.scheme ?? 'internet-facing',
      createdTime: created(c.createdDaysAgo),
      vpcId: c.vpcId ?? 'vpc-0sim00000000000001',
      availabilityZones: azs(c.availabilityZones),
      instances: (c.instances ?? []).map((i) => ({ instanceId: i.instanceId, state: i.state ?? 'InService' })),
      tags: toTags(c.tags),
    });
  }
}
