/**
 * The generator's network part (generator.ts calls it per region): NAT gateways with their Elastic IPs and route
 * tables, interface and gateway VPC endpoints, ELBv2 and Classic load balancers, and the CloudWatch series their
 * verdicts read — each resource unused or not *by construction*, by the definitions in unused-oracle.ts:
 *
 * - NAT gateways: the first half of the unused ones have no route; the others a route and 0 on every day of all four
 *   `AWS/NATGateway` metrics. Used ones carry traffic, except a young one (no traffic, created 10 days ago) and one
 *   whose zeros miss a day (unknown): both "not unused".
 * - VPC endpoints: a quarter are Gateway endpoints (never flagged, routed from a route table). Idle interface
 *   endpoints are old with no `AWS/PrivateLinkEndpoints` data (sparse) — confirmed by the region's active endpoints,
 *   else written as explicit zeros on every day. Edge cases among the used: a young idle one and a `pending` one.
 * - Load balancers: unused ELBv2 cycle through no target group, only unhealthy targets (HealthyHostCount 0 every
 *   day), healthy but no traffic, and the same tagged `elbv2.k8s.aws/cluster`; Classic ones through no instances,
 *   out-of-service instances, and no requests. Used ones have healthy targets and traffic (a young ALB has none).
 */
import type { ElbRegionFixture, LoadBalancerFixture, TargetGroupFixture, ClassicLoadBalancerFixture, SimLoadBalancerType } from './elb-state';
import type { AddressFixture, MetricSeriesFixture, NatGatewayFixture, RouteTableFixture, VpcEndpointFixture } from './fixture';
import type { UnusedResource } from './generator';

export interface NetworkGenInput {
  region: string;
  /** The region's index (ids carry it). */
  r: number;
  accountId: string;
  rand: () => number;
  natGateways: number;
  unusedNatGatewayRatio: number;
  vpcEndpoints: number;
  unusedVpcEndpointRatio: number;
  loadBalancers: number;
  classicLoadBalancers: number;
  unusedLoadBalancerRatio: number;
  /** Days of metric data ending yesterday (≥ 30, the app's lookback). */
  metricDays: number;
  /** Instances targets and Classic registrations may name. */
  instanceIds: string[];
}

export interface NetworkGenOutput {
  natGateways: NatGatewayFixture[];
  addresses: AddressFixture[];
  routeTables: RouteTableFixture[];
  vpcEndpoints: VpcEndpointFixture[];
  elb: ElbRegionFixture;
  metrics: MetricSeriesFixture[];
  unused: UnusedResource[];
}

const VPC = 'vpc-0sim00000000000001';
const INTERFACE_SERVICES = ['ssm', 'ssmmessages', 'ec2messages', 'kms', 'secretsmanager', 'logs', 'ecr.api', 'ecr.dkr', 'sts', 'sqs'];
const ELB_NS: Record<SimLoadBalancerType, string> = { application: 'AWS/ApplicationELB', network: 'AWS/NetworkELB', gateway: 'AWS/GatewayELB' };
const ELB_PREFIX: Record<SimLoadBalancerType, string> = { application: 'app', network: 'net', gateway: 'gwy' };
/** ELBv2 type by position: 6 application, 3 network, 1 gateway in every 10. */
const lbType = (k: number): SimLoadBalancerType => (k % 10 < 6 ? 'application' : k % 10 < 9 ? 'network' : 'gateway');

/** `prefix-0` + region (2 hex) + kind tag (1 hex) + counter (14 hex), as generator.ts's ids. */
function idFor(prefix: string, region: number, kind: number, n: number): string {
  return `${prefix}-0${region.toString(16).padStart(2, '0')}${kind.toString(16)}${n.toString(16).padStart(14, '0')}`;
}

/**
 * The ARN elb-state.ts gives the k-th ELBv2 load balancer of a region's fixture (its id is its 1-based position, 16
 * hex digits). generator.test.ts checks the unused list built from it against the oracle on the resolved state.
 */
export function generatedLoadBalancerArn(region: string, accountId: string, type: SimLoadBalancerType, name: string, k: number): string {
  return `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${ELB_PREFIX[type]}/${name}/${(k + 1).toString(16).padStart(16, '0')}`;
}

export function generateNetwork(g: NetworkGenInput): NetworkGenOutput {
  const { region, r, rand, metricDays } = g;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const unused: UnusedResource[] = [];
  const metrics: MetricSeriesFixture[] = [];
  /** A daily array (oldest first, last = yesterday); days before creation are null. */
  const daily = (createdDaysAgo: number, value: (age: number) => number | null): (number | null)[] =>
    Array.from({ length: metricDays }, (_, i) => {
      const age = metricDays - i; // 1 = yesterday
      return age > createdDaysAgo ? null : value(age);
    });
  const series = (namespace: string, metricName: string, dimensions: Record<string, string>, values: (number | null)[]): void => {
    metrics.push({ namespace, metricName, dimensions, daily: values });
  };
  const old = (): number => int(40, 700);
  /** Sparse traffic: most days, always the last three (so ListMetrics sees the shape). */
  const sparseTraffic = (lo: number, hi: number) => (age: number): number | null => (age <= 3 || rand() < 0.75 ? int(lo, hi) : null);
  const instance = (i: number): string => g.instanceIds.length > 0 ? (g.instanceIds[i % g.instanceIds.length] ?? '') : idFor('i', r, 15, i);

  // ---- NAT gateways, their EIPs and route tables
  const natGateways: NatGatewayFixture[] = [];
  const addresses: AddressFixture[] = [];
  const routeTables: RouteTableFixture[] = [{ id: idFor('rtb', r, 0, 0), vpcId: VPC, main: true, routes: [{ destination: '0.0.0.0/0', gatewayId: idFor('igw', r, 0, 0) }] }];
  const nNat = g.natGateways;
  const unusedNat = Math.round(nNat * g.unusedNatGatewayRatio);
  const noRoute = Math.ceil(unusedNat / 2);
  const usedNat = nNat - unusedNat;
  const NAT_METRICS = ['ActiveConnectionCount', 'PacketsInFromSource', 'PacketsInFromDestination', 'BytesOutToDestination'];
  for (let k = 0; k < nNat; k++) {
    const id = idFor('nat', r, 0, k);
    const allocationId = idFor('eipalloc', r, 1, k);
    const eni = idFor('eni', r, 1, k);
    const publicIp = `52.${r % 250}.${Math.floor(k / 250) % 250}.${k % 250}`;
    const privateIp = `10.0.${200 + (Math.floor(k / 250) % 50)}.${k % 250}`;
    const young = k === unusedNat && usedNat >= 3;
    const gap = k === unusedNat + 1 && usedNat >= 3;
    const idle = k < unusedNat || young || gap;
    const created = young ? 10 : k < noRoute ? int(1, 700) : old();
    natGateways.push({ id, createdDaysAgo: created, subnetId: idFor('subnet', r, 1, k), vpcId: VPC, addresses: [{ allocationId, publicIp, privateIp, networkInterfaceId: eni }], tags: { Name: `gen-nat-${k}` } });
    addresses.push({ allocationId, publicIp, networkInterfaceId: eni, privateIp });
    if (k >= noRoute) {
      routeTables.push({ id: idFor('rtb', r, 1, k), vpcId: VPC, subnetIds: [idFor('subnet', r, 2, k)], routes: [{ destination: '0.0.0.0/0', natGatewayId: id }] });
    }
    const missingAge = gap ? int(2, 29) : -1;
    for (const m of NAT_METRICS) {
      series('AWS/NATGateway', m, { NatGatewayId: id }, daily(created, (age) => (age === missingAge ? null : idle ? 0 : m === 'ActiveConnectionCount' ? int(1, 500) : int(1_000, 5_000_000))));
    }
    if (k < unusedNat) unused.push({ type: 'ec2:nat-gateway', region, id });
  }

  // ---- VPC endpoints
  const vpcEndpoints: VpcEndpointFixture[] = [];
  const nGw = Math.floor(g.vpcEndpoints / 4);
  const nIf = g.vpcEndpoints - nGw;
  const unusedIf = Math.round(nIf * g.unusedVpcEndpointRatio);
  const edgesIf = nIf - unusedIf >= 4 ? 2 : 0;
  const activeIf = nIf - unusedIf - edgesIf;
  for (let k = 0; k < nGw; k++) {
    const id = idFor('vpce', r, 0, k);
    vpcEndpoints.push({ id, type: 'Gateway', vpcId: VPC, serviceName: `com.amazonaws.${region}.${k % 2 === 0 ? 's3' : 'dynamodb'}`, createdDaysAgo: old() });
    const table = routeTables[1 + (k % Math.max(1, routeTables.length - 1))] ?? routeTables[0];
    table?.routes.push({ destination: `pl-${(0x63a54000 + r * 4096 + k).toString(16)}`, vpcEndpointId: id });
  }
  for (let j = 0; j < nIf; j++) {
    const id = idFor('vpce', r, 1, j);
    const serviceName = `com.amazonaws.${region}.${INTERFACE_SERVICES[j % INTERFACE_SERVICES.length] ?? 'ssm'}`;
    const young = edgesIf > 0 && j === unusedIf;
    const pending = edgesIf > 0 && j === unusedIf + 1;
    const idle = j < unusedIf || young || pending;
    const created = young ? 5 : old();
    const subnetIds = Array.from({ length: 1 + (j % 3) }, (_, a) => idFor('subnet', r, 0, a));
    vpcEndpoints.push({ id, type: 'Interface', vpcId: VPC, serviceName, subnetIds, createdDaysAgo: created, ...(pending ? { state: 'pending' as const } : {}), tags: { Name: `gen-vpce-${j}` } });
    const dims = { 'VPC Id': VPC, 'VPC Endpoint Id': id, 'Endpoint Type': 'Interface', 'Service Name': serviceName };
    if (!idle) {
      const bytes = daily(created, sparseTraffic(1_000, 100_000_000));
      series('AWS/PrivateLinkEndpoints', 'BytesProcessed', dims, bytes);
      series('AWS/PrivateLinkEndpoints', 'NewConnections', dims, bytes.map((b) => (b === null ? null : Math.max(1, Math.round(b / 100_000)))));
    } else if (activeIf === 0) {
      // No active endpoint confirms the shape: the zeros must be explicit on every day.
      for (const m of ['BytesProcessed', 'NewConnections']) series('AWS/PrivateLinkEndpoints', m, dims, daily(created, () => 0));
    } else if (j % 3 === 0) {
      // A zero published now and then (the rest missing) is still idle.
      for (const m of ['BytesProcessed', 'NewConnections']) series('AWS/PrivateLinkEndpoints', m, dims, daily(created, (age) => (age % 7 === 0 ? 0 : null)));
    }
    if (j < unusedIf) unused.push({ type: 'ec2:vpc-endpoint', region, id });
  }

  // ---- ELBv2
  const loadBalancers: LoadBalancerFixture[] = [];
  const targetGroups: TargetGroupFixture[] = [];
  const nLb = g.loadBalancers;
  const unusedLb = Math.round(nLb * g.unusedLoadBalancerRatio);
  const youngAlb = nLb - unusedLb >= 3 ? Array.from({ length: nLb }, (_, k) => k).find((k) => k >= unusedLb && lbType(k) === 'application') : undefined;
  const activeAlb = Array.from({ length: nLb }, (_, k) => k).some((k) => k >= unusedLb && k !== youngAlb && lbType(k) === 'application');
  for (let k = 0; k < nLb; k++) {
    const type = lbType(k);
    const ns = ELB_NS[type];
    const name = `gen-${ELB_PREFIX[type]}-${k}`;
    const young = k === youngAlb;
    const kase = k < unusedLb ? k % 4 : -1; // 0 no TG, 1 unhealthy, 2 idle, 3 idle + k8s tag
    const created = young ? 10 : old();
    const tags: Record<string, string> = { Name: name };
    if (kase === 3) tags['elbv2.k8s.aws/cluster'] = 'gen-cluster';
    if (kase === 1 && k % 8 === 1) tags['cloud-cleaner:keep'] = 'true';
    loadBalancers.push({ name, type, scheme: k % 3 === 0 ? 'internal' : 'internet-facing', createdDaysAgo: created, tags });
    const lbDim = { LoadBalancer: `{{loadBalancer:${name}}}` };
    if (kase !== 0) {
      const tg = `gen-tg-${k}`;
      const health = kase === 1 ? 'unhealthy' : 'healthy';
      targetGroups.push({
        name: tg,
        protocol: type === 'application' ? 'HTTP' : type === 'network' ? 'TCP' : 'GENEVE',
        port: type === 'gateway' ? 6081 : 80,
        loadBalancers: [name],
        targets: [0, 1].map((t) => ({ id: instance(k * 2 + t), health })),
      });
      series(ns, 'HealthyHostCount', { TargetGroup: `{{targetGroup:${tg}}}`, ...lbDim }, daily(created, () => (kase === 1 ? 0 : 2)));
    }
    const idle = kase >= 0 || young;
    if (type === 'application') {
      if (!idle) series(ns, 'RequestCount', lbDim, daily(created, sparseTraffic(1, 50_000)));
      else if ((kase === 2 || kase === 3) && !activeAlb) series(ns, 'RequestCount', lbDim, daily(created, () => 0));
    } else if (kase !== 0) {
      series(ns, 'NewFlowCount', lbDim, daily(created, () => (idle ? 0 : int(1, 100_000))));
    }
    if (k < unusedLb) unused.push({ type: 'elb:load-balancer', region, id: generatedLoadBalancerArn(region, g.accountId, type, name, k) });
  }

  // ---- Classic
  const classicLoadBalancers: ClassicLoadBalancerFixture[] = [];
  const nClb = g.classicLoadBalancers;
  const unusedClb = Math.round(nClb * g.unusedLoadBalancerRatio);
  const activeClb = nClb - unusedClb > 0;
  for (let k = 0; k < nClb; k++) {
    const name = `gen-clb-${k}`;
    const kase = k < unusedClb ? k % 3 : -1; // 0 no instances, 1 out of service, 2 no requests
    const created = old();
    const dims = { LoadBalancerName: name };
    classicLoadBalancers.push({
      name,
      createdDaysAgo: created,
      instances: kase === 0 ? [] : [0, 1].map((t) => ({ instanceId: instance(k * 2 + t + 7), state: kase === 1 ? ('OutOfService' as const) : ('InService' as const) })),
      tags: { Name: name },
    });
    if (kase !== 0) series('AWS/ELB', 'HealthyHostCount', dims, daily(created, () => (kase === 1 ? 0 : 2)));
    if (kase === -1) series('AWS/ELB', 'RequestCount', dims, daily(created, sparseTraffic(1, 20_000)));
    else if (kase === 2 && !activeClb) series('AWS/ELB', 'RequestCount', dims, daily(created, () => 0));
    if (kase >= 0) unused.push({ type: 'elb:load-balancer', region, id: name });
  }

  return { natGateways, addresses, routeTables, vpcEndpoints, elb: { loadBalancers, targetGroups, classicLoadBalancers }, metrics, unused };
}
