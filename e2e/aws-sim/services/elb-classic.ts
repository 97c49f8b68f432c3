/**
 * Classic Elastic Load Balancing over the AWS Query protocol (signing name `elasticloadbalancing`, API 2012-06-01).
 * Shares its signing name with ELBv2 (services/elbv2.ts); told apart by `Version`.
 *
 * DescribeLoadBalancers, DescribeInstanceHealth, DescribeTags, DescribeLoadBalancerAttributes and DeleteLoadBalancer
 * (idempotent: "If the load balancer does not exist or has already been deleted, the call to DeleteLoadBalancer still
 * succeeds"; Classic load balancers have no deletion protection).
 * https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/
 */
import { ApiError } from '../api-error';
import type { SimClassicLoadBalancer, SimElbRegion } from '../elb-state';
import { classicListenersOf, instanceHealthOf } from '../elb-state';
import { awsQueryService } from '../protocols/aws-query';
import { el, node } from '../protocols/xml';
import { boundedList, elbPage, members, required, stringMembers, tagMembers } from './elbv2';

export const ELB_CLASSIC_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/';
export const ELB_CLASSIC_VERSION = '2012-06-01';

/** AWS's message for an unknown name (`aws elb describe-load-balancers --load-balancer-names x`). */
const notFound = (name: string): ApiError => new ApiError('LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${name}'`);

function classicOf(elb: SimElbRegion, name: string): SimClassicLoadBalancer {
  const lb = elb.classic.get(name);
  if (lb === undefined) throw notFound(name);
  return lb;
}

/** The inner XML of one LoadBalancerDescriptions member. */
function renderClassic(lb: SimClassicLoadBalancer, accountId: string): string {
  const listeners = classicListenersOf(lb);
  const first = listeners[0];
  // The health check of a load balancer created without one: the first listener's instance side.
  const target = first === undefined ? 'TCP:80' : `${first.instanceProtocol}:${first.instancePort}${first.instanceProtocol.startsWith('HTTP') ? '/index.html' : ''}`;
  return [
    el('LoadBalancerName', lb.name),
    el('DNSName', lb.dnsName),
    el('CanonicalHostedZoneName', lb.dnsName),
    el('CanonicalHostedZoneNameID', lb.canonicalHostedZoneNameId),
    members(
      'ListenerDescriptions',
      listeners.map(
        (l) =>
          node(
            'Listener',
            el('Protocol', l.protocol),
            el('LoadBalancerPort', l.loadBalancerPort),
            el('InstanceProtocol', l.instanceProtocol),
            el('InstancePort', l.instancePort),
            el('SSLCertificateId', l.sslCertificateId),
          ) + '<PolicyNames/>',
      ),
    ),
    node('Policies', '<AppCookieStickinessPolicies/>', '<LBCookieStickinessPolicies/>', '<OtherPolicies/>'),
    '<BackendServerDescriptions/>',
    stringMembers('AvailabilityZones', lb.availabilityZones),
    stringMembers('Subnets', lb.subnets ?? []),
    el('VPCId', lb.vpcId),
    members('Instances', lb.instances.map((i) => el('InstanceId', i.instanceId))),
    node('HealthCheck', el('Target', target), el('Interval', 30), el('Timeout', 5), el('UnhealthyThreshold', 2), el('HealthyThreshold', 10)),
    node('SourceSecurityGroup', el('OwnerAlias', accountId), el('GroupName', 'default')),
    stringMembers('SecurityGroups', lb.securityGroups ?? []),
    el('CreatedTime', lb.createdTime),
    el('Scheme', lb.scheme),
  ].join('');
}

export const elbClassicService = awsQueryService({
  name: 'Elastic Load Balancing',
  signingName: 'elasticloadbalancing',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: ELB_CLASSIC_VERSION,
  xmlNamespace: ELB_CLASSIC_XMLNS,
  operations: {
    DescribeLoadBalancers: ({ region, account }, p) => {
      const elb = region.elb;
      const names = p.list('LoadBalancerNames.member');
      const missing = names.find((n) => !elb.classic.has(n));
      if (missing !== undefined) throw notFound(missing);
      const lbs = [...elb.classic.values()].filter((lb) => names.length === 0 || names.includes(lb.name));
      const { page, nextMarker } = elbPage(lbs, (lb) => lb.name, p);
      return members('LoadBalancerDescriptions', page.map((lb) => renderClassic(lb, account.accountId))) + el('NextMarker', nextMarker);
    },

    DescribeInstanceHealth: ({ region }, p) => {
      const lb = classicOf(region.elb, required(p, 'LoadBalancerName'));
      const asked = collectInstanceIds(p);
      const rows =
        asked.length === 0
          ? lb.instances.map((i) => ({ instanceId: i.instanceId, ...instanceHealthOf(i, region) }))
          : asked.map((id) => {
              const i = lb.instances.find((x) => x.instanceId === id);
              return i === undefined
                ? { instanceId: id, state: 'OutOfService', reasonCode: 'ELB', description: 'Instance is not currently registered with the LoadBalancer.' }
                : { instanceId: id, ...instanceHealthOf(i, region) };
            });
      return members(
        'InstanceStates',
        rows.map((r) => el('InstanceId', r.instanceId) + el('State', r.state) + el('ReasonCode', r.reasonCode) + el('Description', r.description)),
      );
    },

    DescribeTags: ({ region }, p) => {
      const names = boundedList(p, 'LoadBalancerNames', 20, true);
      const lbs = names.map((n) => classicOf(region.elb, n));
      return members('TagDescriptions', lbs.map((lb) => el('LoadBalancerName', lb.name) + tagMembers(lb.tags)));
    },

    DescribeLoadBalancerAttributes: ({ region }, p) => {
      const lb = classicOf(region.elb, required(p, 'LoadBalancerName'));
      const draining = lb.connectionDraining ?? { enabled: false, timeout: 300 };
      return node(
        'LoadBalancerAttributes',
        node('CrossZoneLoadBalancing', el('Enabled', lb.crossZoneLoadBalancing ?? false)),
        node('AccessLog', el('Enabled', false)),
        node('ConnectionDraining', el('Enabled', draining.enabled), el('Timeout', draining.timeout)),
        node('ConnectionSettings', el('IdleTimeout', lb.idleTimeoutSeconds ?? 60)),
        members('AdditionalAttributes', [el('Key', 'elb.http.desyncmitigationmode') + el('Value', 'defensive')]),
      );
    },

    DeleteLoadBalancer: ({ region }, p) => {
      // Unknown or already deleted: success, as documented.
      region.elb.classic.delete(required(p, 'LoadBalancerName'));
      return '';
    },
  },
});

/** `Instances.member.N.InstanceId` (the SDK's shape for DescribeInstanceHealth's Instances list). */
function collectInstanceIds(p: { get(name: string): string | undefined }): string[] {
  const ids: string[] = [];
  for (let i = 1; p.get(`Instances.member.${i}.InstanceId`) !== undefined; i++) ids.push(p.get(`Instances.member.${i}.InstanceId`) ?? '');
  return ids;
}
