/**
 * Elastic Load Balancing in the simulated account: application, network and gateway load balancers with their
 * target groups (ELBv2, API 2015-12-01) and Classic load balancers (API 2012-06-01). Each region holds one
 * `SimElbRegion` (`sim.state.region('eu-west-1').elb`). Fixture section: `resources[region].elb`.
 */
import type { FixtureTags } from './fixture';
import type { SimRegion, SimTag } from './state';

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
  /** Route 53 zone of the DNS name (AWS's per-region value for the type); absent for gateway load balancers. */
  canonicalHostedZoneId?: string;
  /** Application load balancers (and network ones created with groups); absent = none. */
  securityGroups?: string[];
}

export interface SimTarget {
  id: string;
  port?: number;
  health: SimTargetHealth;
  /** TargetHealth.Reason (`Target.FailedHealthChecks`, …); absent: the usual one for the state (see targetHealthOf). */
  reason?: string;
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

export type SimClassicInstanceState = 'InService' | 'OutOfService' | 'Unknown';

export interface SimClassicListener {
  protocol: string; // HTTP | HTTPS | TCP | SSL
  loadBalancerPort: number;
  instanceProtocol: string;
  instancePort: number;
  sslCertificateId?: string;
}

export interface SimClassicLoadBalancer {
  name: string;
  dnsName: string;
  scheme: 'internet-facing' | 'internal';
  createdTime: Date;
  vpcId: string;
  availabilityZones: string[];
  instances: { instanceId: string; state: SimClassicInstanceState; reasonCode?: string; description?: string }[];
  tags: SimTag[];
  /** Absent: one HTTP:80 → HTTP:80 listener. */
  listeners?: SimClassicListener[];
  /** One per Availability Zone (VPC load balancers). */
  subnets?: string[];
  securityGroups?: string[];
  canonicalHostedZoneNameId?: string;
  /** DescribeLoadBalancerAttributes; AWS's API defaults when absent (cross-zone off, no access log, no draining, idle 60 s). */
  crossZoneLoadBalancing?: boolean;
  connectionDraining?: { enabled: boolean; timeout: number };
  idleTimeoutSeconds?: number;
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
  /** Default: one `sg-…` for application load balancers, none for network and gateway ones. */
  securityGroups?: string[];
  ipAddressType?: 'ipv4' | 'dualstack'; // default 'ipv4'
}

export interface TargetGroupFixture {
  name: string;
  protocol?: string; // default 'HTTP'
  port?: number; // default 80
  targetType?: SimTargetGroup['targetType']; // default 'instance'
  /** Names of this region's ELBv2 load balancers the group is attached to (through listeners or rules). */
  loadBalancers?: string[];
  /**
   * health default 'healthy'; `reason` the TargetHealth reason code (default: the usual one for the state). A group no
   * load balancer uses reports its targets `unused` / `Target.NotInUse`, and instance targets whose EC2 instance is
   * stopped or terminated `unused` / `Target.InvalidState`, whatever is stored (as AWS does).
   */
  targets?: { id: string; port?: number; health?: SimTargetHealth; reason?: string }[];
  tags?: FixtureTags;
  vpcId?: string; // default: the first attached load balancer's, else the simulator's default VPC
}

export interface ClassicLoadBalancerFixture {
  name: string;
  scheme?: 'internet-facing' | 'internal';
  createdDaysAgo?: number;
  vpcId?: string;
  availabilityZones?: string[];
  /**
   * state default 'InService' (an instance whose EC2 instance is stopped or terminated is reported OutOfService
   * anyway); `reasonCode` ELB | Instance | N/A and `description` default to AWS's usual ones for the state.
   */
  instances?: { instanceId: string; state?: SimClassicInstanceState; reasonCode?: string; description?: string }[];
  tags?: FixtureTags;
  /** Default: one HTTP:80 → HTTP:80 listener. `instanceProtocol`/`instancePort` default to the front end's. */
  listeners?: { protocol: string; loadBalancerPort: number; instanceProtocol?: string; instancePort?: number; sslCertificateId?: string }[];
  crossZoneLoadBalancing?: boolean; // default false (the API's default)
  securityGroups?: string[]; // default one sg-…
}

export interface ElbRegionFixture {
  loadBalancers?: LoadBalancerFixture[];
  targetGroups?: TargetGroupFixture[];
  classicLoadBalancers?: ClassicLoadBalancerFixture[];
}

/**
 * Route 53 hosted zones of ELB DNS names, per region (https://docs.aws.amazon.com/general/latest/gr/elb.html):
 * `[application & Classic, network]`. Regions not listed get a simulator-made id.
 */
const HOSTED_ZONES: Readonly<Record<string, readonly [string, string]>> = {
  'us-east-1': ['Z35SXDOTRQ7X7K', 'Z26RNL4JYFTOTI'],
  'us-east-2': ['Z3AADJGX6KTTL2', 'ZLMOA37VPKANP'],
  'us-west-1': ['Z368ELLRRE2KJ0', 'Z24FKFUX50B4VW'],
  'us-west-2': ['Z1H1FL5HABSF5', 'Z18D5FSROUN65G'],
  'ca-central-1': ['ZQSVJUPU6J1EY', 'Z2EPGBW3API2WT'],
  'eu-west-1': ['Z32O12XQLNTSW2', 'Z2IFOLAFXWLO4F'],
  'eu-west-2': ['ZHURV8PSTC4K8', 'ZD4D7Y8KGAS4G'],
  'eu-west-3': ['Z3Q77PNBQS71R4', 'Z1CMS0P5QUZ6D5'],
  'eu-central-1': ['Z215JYRZR1TBD5', 'Z3F0SRJ5LGBH90'],
  'eu-north-1': ['Z23TAZ6LKFMNIO', 'Z1UDT6IFJ4EJM'],
  'ap-south-1': ['ZP97RAFLXTNZK', 'ZVDDRBQ08TROA'],
  'ap-northeast-1': ['Z14GRHDCWA56QT', 'Z31USIVHYNEOWT'],
  'ap-northeast-2': ['ZWKZPGTI48KDX', 'ZIBE1TIR4HY56'],
  'ap-southeast-1': ['Z1LMS91P8CMLE5', 'ZKVM4W9LS7TM'],
  'ap-southeast-2': ['Z1GM3OXH4ZPM65', 'ZCT6FZBF4DROD'],
  'sa-east-1': ['Z2P70J7HTTTPLU', 'ZTK26PT1VY4CU'],
};

export function hostedZoneFor(region: string, kind: 'application' | 'classic' | 'network'): string {
  const z = HOSTED_ZONES[region];
  if (z !== undefined) return kind === 'network' ? z[1] : z[0];
  return `Z0SIM${kind === 'network' ? 'N' : 'A'}${region.replace(/[^a-z0-9]/g, '').toUpperCase()}`.slice(0, 14);
}

const DEFAULT_VPC = 'vpc-0sim00000000000001';

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
  const subnet = (i: number): string => `subnet-0sim${String(i + 1).padStart(13, '0')}`;
  const byName = new Map<string, SimLoadBalancerV2>();
  let n = 0;
  const hex = (): string => (++n).toString(16).padStart(16, '0');
  // The decimal id in application and Classic DNS names (`my-lb-1234567890.us-east-1.elb.amazonaws.com`).
  const dnsNumber = (): string => String(1_000_000_000 + n * 7_919);
  for (const lb of fx.loadBalancers ?? []) {
    if (byName.has(lb.name)) throw new Error(`fixture: load balancer ${lb.name} appears twice in ${ctx.region}`);
    const type = lb.type ?? 'application';
    const scheme = lb.scheme ?? 'internet-facing';
    const prefix = type === 'application' ? 'app' : type === 'network' ? 'net' : 'gwy';
    const id = hex();
    const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/${prefix}/${lb.name}/${id}`;
    const internal = scheme === 'internal' ? 'internal-' : '';
    // Application: name-<decimal>.<region>.elb.amazonaws.com; network: name-<hex id>.elb.<region>.amazonaws.com.
    const dnsName = type === 'application' ? `${internal}${lb.name}-${dnsNumber()}.${ctx.region}.elb.amazonaws.com` : `${lb.name}-${id}.elb.${ctx.region}.amazonaws.com`;
    const sim: SimLoadBalancerV2 = {
      arn,
      name: lb.name,
      type,
      scheme,
      state: lb.state ?? 'active',
      createdTime: created(lb.createdDaysAgo),
      vpcId: lb.vpcId ?? DEFAULT_VPC,
      availabilityZones: azs(lb.availabilityZones).map((zoneName, i) => ({ zoneName, subnetId: subnet(i) })),
      dnsName,
      ipAddressType: lb.ipAddressType ?? 'ipv4',
      deletionProtection: lb.deletionProtection ?? false,
      tags: toTags(lb.tags),
      ...(type === 'gateway' ? {} : { canonicalHostedZoneId: hostedZoneFor(ctx.region, type) }),
      securityGroups: lb.securityGroups ?? (type === 'application' ? [`sg-0sim${String(n).padStart(13, '0')}`] : []),
    };
    byName.set(lb.name, sim);
    into.loadBalancers.set(arn, sim);
  }
  const tgNames = new Set<string>();
  for (const tg of fx.targetGroups ?? []) {
    if (tgNames.has(tg.name)) throw new Error(`fixture: target group ${tg.name} appears twice in ${ctx.region}`);
    tgNames.add(tg.name);
    const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${tg.name}/${hex()}`;
    const lbs = (tg.loadBalancers ?? []).map((name) => {
      const lb = byName.get(name);
      if (lb === undefined) throw new Error(`fixture: target group ${tg.name} names unknown load balancer ${name} in ${ctx.region}`);
      return lb;
    });
    into.targetGroups.set(arn, {
      arn,
      name: tg.name,
      protocol: tg.protocol ?? 'HTTP',
      port: tg.port ?? 80,
      targetType: tg.targetType ?? 'instance',
      vpcId: tg.vpcId ?? lbs[0]?.vpcId ?? DEFAULT_VPC,
      loadBalancerArns: lbs.map((lb) => lb.arn),
      targets: (tg.targets ?? []).map((t) => ({
        id: t.id,
        ...(t.port !== undefined ? { port: t.port } : {}),
        health: t.health ?? 'healthy',
        ...(t.reason !== undefined ? { reason: t.reason } : {}),
      })),
      tags: toTags(tg.tags),
    });
  }
  for (const c of fx.classicLoadBalancers ?? []) {
    if (into.classic.has(c.name)) throw new Error(`fixture: classic load balancer ${c.name} appears twice in ${ctx.region}`);
    ++n;
    const scheme = c.scheme ?? 'internet-facing';
    const zones = azs(c.availabilityZones);
    into.classic.set(c.name, {
      name: c.name,
      dnsName: `${scheme === 'internal' ? 'internal-' : ''}${c.name}-${dnsNumber()}.${ctx.region}.elb.amazonaws.com`,
      scheme,
      createdTime: created(c.createdDaysAgo),
      vpcId: c.vpcId ?? DEFAULT_VPC,
      availabilityZones: zones,
      instances: (c.instances ?? []).map((i) => ({
        instanceId: i.instanceId,
        state: i.state ?? 'InService',
        ...(i.reasonCode !== undefined ? { reasonCode: i.reasonCode } : {}),
        ...(i.description !== undefined ? { description: i.description } : {}),
      })),
      tags: toTags(c.tags),
      listeners: (c.listeners ?? [{ protocol: 'HTTP', loadBalancerPort: 80 }]).map((l) => ({
        protocol: l.protocol,
        loadBalancerPort: l.loadBalancerPort,
        instanceProtocol: l.instanceProtocol ?? l.protocol,
        instancePort: l.instancePort ?? l.loadBalancerPort,
        ...(l.sslCertificateId !== undefined ? { sslCertificateId: l.sslCertificateId } : {}),
      })),
      subnets: zones.map((_, i) => subnet(i)),
      securityGroups: c.securityGroups ?? [`sg-0sim${String(n).padStart(13, '0')}`],
      canonicalHostedZoneNameId: hostedZoneFor(ctx.region, 'classic'),
      crossZoneLoadBalancing: c.crossZoneLoadBalancing ?? false,
    });
  }
}

// ---- health as AWS reports it (used by DescribeTargetHealth / DescribeInstanceHealth) ----

/**
 * Reason codes and descriptions from the ELB user guides ("Health check reason codes",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
 */
const TARGET_REASONS: Readonly<Record<string, string>> = {
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Elb.InternalError': 'Health checks failed due to an internal error',
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Target.HealthCheckDisabled': 'Health checks are disabled',
  'Target.InvalidState': 'Target is in an invalid state',
  'Target.IpUnusable': 'The IP address cannot be used as a target, as it is in use by a load balancer',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
  'Target.NotRegistered': 'Target is not registered to the target group',
  'Target.ResponseCodeMismatch': 'Health checks failed with these codes: [404]',
  'Target.Timeout': 'Request timed out',
};

const DEFAULT_TARGET_REASON: Readonly<Record<SimTargetHealth, string | undefined>> = {
  healthy: undefined,
  initial: 'Elb.RegistrationInProgress',
  unhealthy: 'Target.FailedHealthChecks',
  unused: 'Target.NotInUse',
  draining: 'Target.DeregistrationInProgress',
  unavailable: 'Target.HealthCheckDisabled',
};

export interface TargetHealthView {
  state: SimTargetHealth;
  reason?: string;
  description?: string;
}

/**
 * A target's health as DescribeTargetHealth reports it: a group no load balancer uses → `unused` /
 * `Target.NotInUse`; an instance target whose EC2 instance is stopped or terminated → `unused` /
 * `Target.InvalidState`; else the stored state with its reason (healthy targets carry none).
 */
export function targetHealthOf(tg: SimTargetGroup, t: SimTarget, region: SimRegion): TargetHealthView {
  const view = (state: SimTargetHealth, reason: string | undefined, description?: string): TargetHealthView =>
    reason === undefined ? { state } : { state, reason, description: description ?? TARGET_REASONS[reason] ?? reason };
  if (t.health === 'draining') return view('draining', t.reason ?? DEFAULT_TARGET_REASON.draining);
  if (tg.targetType === 'instance') {
    const ec2 = region.instances.get(t.id)?.state;
    if (ec2 === 'stopped' || ec2 === 'stopping') return view('unused', 'Target.InvalidState', 'Target is in the stopped state');
    if (ec2 === 'terminated' || ec2 === 'shutting-down') return view('unused', 'Target.InvalidState', 'Target is in the terminated state');
  }
  if (tg.loadBalancerArns.length === 0 && t.health !== 'unavailable') return view('unused', 'Target.NotInUse');
  return view(t.health, t.reason ?? DEFAULT_TARGET_REASON[t.health]);
}

export interface InstanceHealthView {
  state: SimClassicInstanceState;
  reasonCode: string;
  description: string;
}

/** Descriptions from the API reference's InstanceState (2012-06-01). */
const CLASSIC_DEFAULTS: Readonly<Record<SimClassicInstanceState, InstanceHealthView>> = {
  InService: { state: 'InService', reasonCode: 'N/A', description: 'N/A' },
  OutOfService: {
    state: 'OutOfService',
    reasonCode: 'Instance',
    description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
  },
  Unknown: { state: 'Unknown', reasonCode: 'ELB', description: 'A transient error occurred. Please try again later.' },
};

/** A registered instance's health as DescribeInstanceHealth reports it (a stopped/terminated EC2 instance is OutOfService). */
export function instanceHealthOf(entry: SimClassicLoadBalancer['instances'][number], region: SimRegion): InstanceHealthView {
  const ec2 = region.instances.get(entry.instanceId)?.state;
  if (ec2 === 'stopped' || ec2 === 'terminated' || ec2 === 'pending') {
    return { state: 'OutOfService', reasonCode: 'Instance', description: `Instance is in ${ec2} state.` };
  }
  const d = CLASSIC_DEFAULTS[entry.state];
  return { state: entry.state, reasonCode: entry.reasonCode ?? d.reasonCode, description: entry.description ?? d.description };
}

/** The Classic listeners (one HTTP:80 → HTTP:80 when none are stored). */
export function classicListenersOf(lb: SimClassicLoadBalancer): SimClassicListener[] {
  return lb.listeners ?? [{ protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80 }];
}
