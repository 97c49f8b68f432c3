/**
 * The app's definition of "unused" (AWS-FACTS.md, "What AWS itself calls unused") evaluated directly on the
 * simulator state: the oracle the sample account's expected list and the generator are checked against.
 * Protection tags are NOT considered here (a protected resource is still unused, just not to be deleted).
 */
import type { UnusedResource } from './generator';
import { databasesUnused } from './unused-oracle-databases';
import { ecrUnused } from './unused-oracle-ecr';
import { eksUnused } from './unused-oracle-eks';
import { kmsUnused } from './unused-oracle-kms';
import { logsUnused } from './unused-oracle-logs';
import { s3Unused } from './unused-oracle-s3';
import { sagemakerUnused } from './unused-oracle-sagemaker';
import { secretsManagerUnused } from './unused-oracle-secretsmanager';
import { DAY_MS, findSeries, hasDataSince, LIST_METRICS_LOOKBACK_DAYS, utcDay } from './metrics-state';
import type { SimMetricSeries } from './metrics-state';
import type { SimAccount, SimRegion } from './state';

/** The app's lookback L: the window is the L whole UTC days ending at today 00:00 UTC. */
export const LOOKBACK_DAYS = 30;
const USER_STOP = /^User initiated \((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)$/;

export function unusedByDefinition(account: SimAccount, now: Date = account.now): UnusedResource[] {
  const out: UnusedResource[] = [];
  for (const [name, r] of account.regions) {
    const usedImages = new Set<string>();
    for (const i of r.instances.values()) if (i.state !== 'terminated') usedImages.add(i.imageId);
    for (const lt of r.launchTemplates.values()) for (const v of lt.versions) if (v.imageId) usedImages.add(v.imageId);
    // An Auto Scaling group launches from its launch configuration's AMI on scale-out: that is use too.
    for (const lc of r.launchConfigurations.values()) usedImages.add(lc.imageId);
    const amiSnapshots = new Set<string>();
    for (const im of r.images.values()) for (const d of im.devices) amiSnapshots.add(d.snapshotId);

    for (const i of r.instances.values()) {
      const m = USER_STOP.exec(i.stateTransitionReason);
      if (i.state !== 'stopped' || !m) continue;
      const stoppedAt = Date.parse(`${m[1]}T${m[2]}Z`);
      if (now.getTime() - stoppedAt >= 30 * DAY_MS) out.push({ type: 'ec2:instance', region: name, id: i.instanceId });
    }
    for (const v of r.volumes.values()) if (v.state === 'available') out.push({ type: 'ec2:volume', region: name, id: v.volumeId });
    for (const a of r.addresses.values()) if (!a.associationId && !a.serviceManaged) out.push({ type: 'ec2:elastic-ip', region: name, id: a.allocationId });
    for (const s of r.snapshots.values()) {
      if (!r.volumes.has(s.volumeId) && !amiSnapshots.has(s.snapshotId)) out.push({ type: 'ec2:snapshot', region: name, id: s.snapshotId });
    }
    for (const im of r.images.values()) if (!usedImages.has(im.imageId)) out.push({ type: 'ec2:image', region: name, id: im.imageId });
    networkUnused(r, now, out);
    databasesUnused(r, account.accountId, now, out);
    logsUnused(r, account.accountId, now, out);
    s3Unused(r, account.accountId, now, out);
    ecrUnused(r, account.accountId, now, out);
    secretsManagerUnused(r, account.accountId, now, out);
    eksUnused(r, account.accountId, now, out);
    sagemakerUnused(r, account.accountId, now, out);
    kmsUnused(r, account.accountId, now, out);
  }
  return out;
}

/**
 * The metric-based kinds (the app's handlers apply the same rules). A non-sparse metric is zero only with a datapoint
 * of 0 on every window day (a missing day is unknown). A sparse metric (published only when non-zero) is zero when no
 * window day has a value > 0 and either every day has a datapoint or its shape is confirmed: ListMetrics finds, in the
 * region, some metric of that namespace and name with exactly that set of dimension names (data in the past 14 days).
 */
function networkUnused(r: SimRegion, now: Date, out: UnusedResource[]): void {
  const today = utcDay(now);
  const windowDays = Array.from({ length: LOOKBACK_DAYS }, (_, i) => today - (LOOKBACK_DAYS - i) * DAY_MS);
  const old = (created: Date): boolean => now.getTime() - created.getTime() >= LOOKBACK_DAYS * DAY_MS;
  const get = (ns: string, metric: string, dims: Record<string, string>): SimMetricSeries | undefined => findSeries(r.metrics, ns, metric, dims);
  const zeroEveryDay = (s: SimMetricSeries | undefined): boolean => s !== undefined && windowDays.every((d) => s.days.get(d) === 0);
  const anyTraffic = (s: SimMetricSeries | undefined): boolean => s !== undefined && windowDays.some((d) => (s.days.get(d) ?? 0) > 0);
  const confirmedShapes = new Set<string>();
  const since = today - LIST_METRICS_LOOKBACK_DAYS * DAY_MS;
  for (const s of r.metrics.values()) if (hasDataSince(s, since)) confirmedShapes.add(shape(s.namespace, s.metricName, s.dimensions.map((d) => d.name)));
  const sparseZero = (ns: string, metric: string, dims: Record<string, string>): boolean => {
    const s = get(ns, metric, dims);
    if (anyTraffic(s)) return false;
    return confirmedShapes.has(shape(ns, metric, Object.keys(dims))) || (s !== undefined && windowDays.every((d) => s.days.has(d)));
  };
  const push = (type: UnusedResource['type'], id: string): void => {
    out.push({ type, region: r.name, id });
  };

  const routed = new Set<string>();
  for (const t of r.routeTables.values()) for (const rt of t.routes) if (rt.natGatewayId) routed.add(rt.natGatewayId);
  for (const n of r.natGateways.values()) {
    if (n.state !== 'available') continue;
    const dims = { NatGatewayId: n.natGatewayId };
    const idle = () => ['ActiveConnectionCount', 'PacketsInFromSource', 'PacketsInFromDestination', 'BytesOutToDestination'].every((m) => zeroEveryDay(get('AWS/NATGateway', m, dims)));
    if (!routed.has(n.natGatewayId) || (old(n.createTime) && idle())) push('ec2:nat-gateway', n.natGatewayId);
  }

  for (const e of r.vpcEndpoints.values()) {
    if (e.type !== 'Interface' || e.state !== 'available' || !old(e.creationTimestamp)) continue;
    const dims = { 'VPC Id': e.vpcId, 'VPC Endpoint Id': e.vpcEndpointId, 'Endpoint Type': 'Interface', 'Service Name': e.serviceName };
    if (['BytesProcessed', 'NewConnections'].every((m) => sparseZero('AWS/PrivateLinkEndpoints', m, dims))) push('ec2:vpc-endpoint', e.vpcEndpointId);
  }

  const ELB_NS = { application: 'AWS/ApplicationELB', network: 'AWS/NetworkELB', gateway: 'AWS/GatewayELB' } as const;
  for (const lb of r.elb.loadBalancers.values()) {
    const ns = ELB_NS[lb.type];
    const lbDim = lb.arn.split(':').slice(5).join(':').replace(/^loadbalancer\//, '');
    const groups = [...r.elb.targetGroups.values()].filter((tg) => tg.loadBalancerArns.includes(lb.arn));
    let unused: boolean;
    if (groups.length === 0) unused = lb.type !== 'application' || !anyTraffic(get(ns, 'RequestCount', { LoadBalancer: lbDim }));
    else if (groups.every((tg) => zeroEveryDay(get(ns, 'HealthyHostCount', { TargetGroup: tg.arn.split(':').slice(5).join(':'), LoadBalancer: lbDim })))) unused = true;
    else if (!old(lb.createdTime)) unused = false;
    else if (lb.type === 'application') unused = sparseZero(ns, 'RequestCount', { LoadBalancer: lbDim });
    else unused = zeroEveryDay(get(ns, 'NewFlowCount', { LoadBalancer: lbDim }));
    if (unused) push('elb:load-balancer', lb.arn);
  }
  for (const c of r.elb.classic.values()) {
    const dims = { LoadBalancerName: c.name };
    const unused =
      c.instances.length === 0 ||
      zeroEveryDay(get('AWS/ELB', 'HealthyHostCount', dims)) ||
      (old(c.createdTime) && sparseZero('AWS/ELB', 'RequestCount', dims));
    if (unused) push('elb:load-balancer', c.name);
  }
}

const shape = (namespace: string, metric: string, dimNames: string[]): string => JSON.stringify([namespace, metric, [...dimNames].sort()]);

export const resourceKey = (u: UnusedResource): string => `${u.region} ${u.type} ${u.id}`;
