/**
 * Elastic Load Balancing v2 over the AWS Query protocol (signing name `elasticloadbalancing`, API 2015-12-01):
 * application, network and gateway load balancers and their target groups. Shares its signing name with Classic ELB
 * (services/elb-classic.ts); told apart by `Version`.
 *
 * DescribeLoadBalancers, DescribeTargetGroups, DescribeTargetHealth, DescribeLoadBalancerAttributes, DescribeTags,
 * DeleteLoadBalancer (refused with deletion protection; idempotent; attached target groups stay, detached) and
 * DeleteTargetGroup (refused while a load balancer uses the group; idempotent).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/
 *
 * Also exports the paging and validation helpers Classic shares (Marker / NextMarker, PageSize 1–400).
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { SimElbRegion, SimLoadBalancerV2, SimTargetGroup } from '../elb-state';
import { targetHealthOf } from '../elb-state';
import { awsQueryService } from '../protocols/aws-query';
import type { QueryParams } from '../protocols/query-params';
import { el, esc, node } from '../protocols/xml';
import type { SimTag } from '../state';

export const ELBV2_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
export const ELBV2_VERSION = '2015-12-01';

// ---- shared with Classic (services/elb-classic.ts) ----

/** PageSize bounds of both APIs ("Valid Range: Minimum value of 1. Maximum value of 400."); the default is the maximum. */
export const ELB_MAX_PAGE_SIZE = 400;

/** AWS's (Coral) validation message: `1 validation error detected: Value 'x' at 'pageSize' failed to satisfy constraint: …`. */
export function validationError(value: string | null, member: string, constraint: string): ApiError {
  const v = value === null ? 'null' : `'${value}'`;
  return new ApiError('ValidationError', `1 validation error detected: Value ${v} at '${member}' failed to satisfy constraint: Member ${constraint}`);
}

/** A required scalar parameter (`LoadBalancerArn` → member `loadBalancerArn` in the message). */
export function required(p: QueryParams, name: string): string {
  const v = p.get(name);
  if (v === undefined || v === '') throw validationError(null, name[0]?.toLowerCase() + name.slice(1), 'must not be null');
  return v;
}

/** A list parameter with at most `max` members (`ResourceArns.member.N`). */
export function boundedList(p: QueryParams, name: string, max: number, requiredList = false): string[] {
  const list = p.list(`${name}.member`);
  const member = name[0]?.toLowerCase() + name.slice(1);
  if (requiredList && list.length === 0) throw validationError(null, member, 'must not be null');
  if (list.length > max) throw validationError(`[${list.join(', ')}]`, member, `must have length less than or equal to ${max}`);
  return list;
}

export function pageSizeOf(p: QueryParams): number {
  const raw = p.int('PageSize');
  if (raw === undefined) return ELB_MAX_PAGE_SIZE;
  if (Number.isNaN(raw) || raw < 1) throw validationError(p.get('PageSize') ?? '', 'pageSize', 'must have value greater than or equal to 1');
  if (raw > ELB_MAX_PAGE_SIZE) throw validationError(String(raw), 'pageSize', `must have value less than or equal to ${ELB_MAX_PAGE_SIZE}`);
  return raw;
}

interface Marker {
  /** Fingerprint of the request's other parameters: a marker only continues the listing it came from. */
  f: string;
  /** The last name returned (items are ordered by name, so deletions between pages skip or repeat nothing). */
  a: string;
}

/**
 * One page of `items` (sorted here by `nameOf`, unique per region) after the request's `Marker`, and the
 * `NextMarker` when more follow. Markers are opaque, bound to the request's other parameters.
 */
export function elbPage<T>(items: readonly T[], nameOf: (t: T) => string, p: QueryParams): { page: T[]; nextMarker?: string } {
  const size = pageSizeOf(p);
  const all = [...items].sort((x, y) => (nameOf(x) < nameOf(y) ? -1 : nameOf(x) > nameOf(y) ? 1 : 0));
  const fp = createHash('sha256').update(p.fingerprint(['Marker', 'PageSize'])).digest('base64url').slice(0, 16);
  let start = 0;
  const marker = p.get('Marker');
  if (marker !== undefined && marker !== '') {
    let m: Marker | undefined;
    try {
      m = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as Marker;
    } catch {
      m = undefined;
    }
    if (!m || typeof m.a !== 'string' || m.f !== fp) throw new ApiError('ValidationError', 'Invalid value for Marker');
    const after = m.a;
    start = all.findIndex((t) => nameOf(t) > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < all.length && last !== undefined;
  return { page, nextMarker: more ? Buffer.from(JSON.stringify({ f: fp, a: nameOf(last) } satisfies Marker)).toString('base64url') : undefined };
}

/** An awsQuery list: `<Name><member>…</member></Name>`, `<Name/>` when empty. */
export function members(name: string, items: readonly string[]): string {
  return items.length === 0 ? `<${name}/>` : node(name, ...items.map((i) => node('member', i)));
}

/** A list of strings (`<SecurityGroups><member>sg-1</member></SecurityGroups>`). */
export function stringMembers(name: string, values: readonly string[]): string {
  return members(name, values.map(esc));
}

export function tagMembers(tags: readonly SimTag[]): string {
  return members('Tags', tags.map((t) => el('Key', t.key) + el('Value', t.value)));
}

// ---- ELBv2 ----

const LB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(app|net|gwy)\/[^/]+\/[0-9a-f]+$/;
const TG_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/;

const lbNotFound = (): ApiError => new ApiError('LoadBalancerNotFound', 'One or more load balancers not found');
const tgNotFound = (): ApiError => new ApiError('TargetGroupNotFound', 'One or more target groups not found');

function checkLbArn(arn: string): void {
  if (!LB_ARN.test(arn)) throw new ApiError('ValidationError', `'${arn}' is not a valid load balancer ARN`);
}

function checkTgArn(arn: string): void {
  if (!TG_ARN.test(arn)) throw new ApiError('ValidationError', `'${arn}' is not a valid target group ARN`);
}

function loadBalancerOf(elb: SimElbRegion, arn: string): SimLoadBalancerV2 {
  checkLbArn(arn);
  const lb = elb.loadBalancers.get(arn);
  if (lb === undefined) throw lbNotFound();
  return lb;
}

function targetGroupOf(elb: SimElbRegion, arn: string): SimTargetGroup {
  checkTgArn(arn);
  const tg = elb.targetGroups.get(arn);
  if (tg === undefined) throw tgNotFound();
  return tg;
}

/** The inner XML of one LoadBalancer member. */
function renderLoadBalancer(lb: SimLoadBalancerV2): string {
  return [
    el('LoadBalancerArn', lb.arn),
    el('DNSName', lb.dnsName),
    el('CanonicalHostedZoneId', lb.canonicalHostedZoneId),
    el('CreatedTime', lb.createdTime),
    el('LoadBalancerName', lb.name),
    el('Scheme', lb.scheme),
    el('VpcId', lb.vpcId),
    node('State', el('Code', lb.state)),
    el('Type', lb.type),
    members('AvailabilityZones', lb.availabilityZones.map((z) => el('ZoneName', z.zoneName) + el('SubnetId', z.subnetId))),
    // AWS omits SecurityGroups for load balancers without any (network without groups, gateway).
    lb.securityGroups !== undefined && lb.securityGroups.length > 0 ? stringMembers('SecurityGroups', lb.securityGroups) : '',
    el('IpAddressType', lb.ipAddressType),
  ].join('');
}

const isHttp = (protocol: string): boolean => protocol === 'HTTP' || protocol === 'HTTPS';

/** AWS's defaults for a group created without health-check settings (ALB: HTTP / 5 s / 5 healthy; NLB: TCP / 10 s / 5). */
function renderTargetGroup(tg: SimTargetGroup): string {
  const lambda = tg.targetType === 'lambda';
  const http = lambda || isHttp(tg.protocol);
  return [
    el('TargetGroupArn', tg.arn),
    el('TargetGroupName', tg.name),
    lambda ? '' : el('Protocol', tg.protocol),
    lambda ? '' : el('Port', tg.port),
    lambda ? '' : el('VpcId', tg.vpcId),
    lambda ? '' : el('HealthCheckProtocol', http ? tg.protocol : 'TCP'),
    lambda ? '' : el('HealthCheckPort', 'traffic-port'),
    el('HealthCheckEnabled', !lambda),
    el('HealthCheckIntervalSeconds', lambda ? 35 : 30),
    el('HealthCheckTimeoutSeconds', lambda ? 30 : http ? 5 : 10),
    el('HealthyThresholdCount', 5),
    el('UnhealthyThresholdCount', 2),
    http ? el('HealthCheckPath', '/') : '',
    http ? node('Matcher', el('HttpCode', '200')) : '',
    stringMembers('LoadBalancerArns', tg.loadBalancerArns),
    el('TargetType', tg.targetType),
    http && !lambda ? el('ProtocolVersion', 'HTTP1') : '',
    lambda ? '' : el('IpAddressType', 'ipv4'),
  ].join('');
}

/** Realistic attributes of a new load balancer of each type, with its deletion protection. */
function attributesOf(lb: SimLoadBalancerV2): [string, string][] {
  const protection: [string, string] = ['deletion_protection.enabled', String(lb.deletionProtection)];
  const logs: [string, string][] = [
    ['access_logs.s3.enabled', 'false'],
    ['access_logs.s3.bucket', ''],
    ['access_logs.s3.prefix', ''],
  ];
  switch (lb.type) {
    case 'application':
      return [
        ...logs,
        protection,
        ['idle_timeout.timeout_seconds', '60'],
        ['routing.http2.enabled', 'true'],
        ['routing.http.drop_invalid_header_fields.enabled', 'false'],
        ['load_balancing.cross_zone.enabled', 'true'],
      ];
    case 'network':
      return [...logs, protection, ['load_balancing.cross_zone.enabled', 'false'], ['dns_record.client_routing_policy', 'any_availability_zone']];
    case 'gateway':
      return [protection, ['load_balancing.cross_zone.enabled', 'false']];
  }
}

export const elbv2Service = awsQueryService({
  name: 'Elastic Load Balancing v2',
  signingName: 'elasticloadbalancing',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: ELBV2_VERSION,
  xmlNamespace: ELBV2_XMLNS,
  operations: {
    DescribeLoadBalancers: ({ region }, p) => {
      const elb = region.elb;
      const arns = boundedList(p, 'LoadBalancerArns', 20);
      const names = p.list('Names.member');
      if (arns.length > 0 && names.length > 0) throw new ApiError('ValidationError', 'Load balancer ARNs and names cannot be specified together');
      let lbs = [...elb.loadBalancers.values()];
      if (arns.length > 0) {
        arns.forEach(checkLbArn);
        if (arns.some((a) => !elb.loadBalancers.has(a))) throw lbNotFound();
        lbs = lbs.filter((lb) => arns.includes(lb.arn));
      } else if (names.length > 0) {
        const missing = names.filter((n) => !lbs.some((lb) => lb.name === n));
        if (missing.length > 0) throw new ApiError('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
        lbs = lbs.filter((lb) => names.includes(lb.name));
      }
      const { page, nextMarker } = elbPage(lbs, (lb) => lb.name, p);
      return members('LoadBalancers', page.map(renderLoadBalancer)) + el('NextMarker', nextMarker);
    },

    DescribeTargetGroups: ({ region }, p) => {
      const elb = region.elb;
      const lbArn = p.get('LoadBalancerArn');
      const arns = p.list('TargetGroupArns.member');
      const names = p.list('Names.member');
      let tgs = [...elb.targetGroups.values()];
      if (lbArn !== undefined && lbArn !== '') {
        loadBalancerOf(elb, lbArn);
        tgs = tgs.filter((tg) => tg.loadBalancerArns.includes(lbArn));
      }
      if (arns.length > 0) {
        arns.forEach(checkTgArn);
        if (arns.some((a) => !elb.targetGroups.has(a))) throw tgNotFound();
        tgs = tgs.filter((tg) => arns.includes(tg.arn));
      }
      if (names.length > 0) {
        if (names.some((n) => ![...elb.targetGroups.values()].some((tg) => tg.name === n))) throw tgNotFound();
        tgs = tgs.filter((tg) => names.includes(tg.name));
      }
      const { page, nextMarker } = elbPage(tgs, (tg) => tg.name, p);
      return members('TargetGroups', page.map(renderTargetGroup)) + el('NextMarker', nextMarker);
    },

    DescribeTargetHealth: ({ region }, p) => {
      const tg = targetGroupOf(region.elb, required(p, 'TargetGroupArn'));
      // Targets.member.N.Id / .Port: only those (a target not registered is `unused` / Target.NotRegistered).
      const asked: { id: string; port?: number }[] = [];
      for (let i = 1; p.get(`Targets.member.${i}.Id`) !== undefined; i++) {
        const port = p.int(`Targets.member.${i}.Port`);
        asked.push({ id: p.get(`Targets.member.${i}.Id`) ?? '', ...(port !== undefined && !Number.isNaN(port) ? { port } : {}) });
      }
      const lambda = tg.targetType === 'lambda';
      const portOf = (port: number | undefined): number | undefined => (lambda ? undefined : (port ?? tg.port));
      const rows =
        asked.length === 0
          ? tg.targets.map((t) => ({ id: t.id, port: portOf(t.port), health: targetHealthOf(tg, t, region), registered: true }))
          : asked.map((a) => {
              const t = tg.targets.find((x) => x.id === a.id && (a.port === undefined || portOf(x.port) === a.port));
              return t === undefined
                ? { id: a.id, port: portOf(a.port), registered: false, health: { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' } }
                : { id: t.id, port: portOf(t.port), health: targetHealthOf(tg, t, region), registered: true };
            });
      return members(
        'TargetHealthDescriptions',
        rows.map((r) =>
          [
            node('Target', el('Id', r.id), el('Port', r.port)),
            r.registered && r.port !== undefined ? el('HealthCheckPort', String(r.port)) : '',
            node('TargetHealth', el('State', r.health.state), el('Reason', r.health.reason), el('Description', r.health.description)),
          ].join(''),
        ),
      );
    },

    DescribeLoadBalancerAttributes: ({ region }, p) => {
      const lb = loadBalancerOf(region.elb, required(p, 'LoadBalancerArn'));
      return members('Attributes', attributesOf(lb).map(([k, v]) => el('Key', k) + el('Value', v)));
    },

    DescribeTags: ({ region }, p) => {
      const elb = region.elb;
      const arns = boundedList(p, 'ResourceArns', 20, true);
      const described = arns.map((arn) => {
        if (LB_ARN.test(arn)) return { arn, tags: loadBalancerOf(elb, arn).tags };
        if (TG_ARN.test(arn)) return { arn, tags: targetGroupOf(elb, arn).tags };
        throw new ApiError('ValidationError', `'${arn}' is not a valid load balancer ARN`);
      });
      return members('TagDescriptions', described.map((d) => el('ResourceArn', d.arn) + tagMembers(d.tags)));
    },

    DeleteLoadBalancer: ({ region }, p) => {
      const elb = region.elb;
      const arn = required(p, 'LoadBalancerArn');
      checkLbArn(arn);
      const lb = elb.loadBalancers.get(arn);
      // "If the load balancer does not exist or has already been deleted, the call succeeds."
      if (lb === undefined) return '';
      if (lb.deletionProtection) throw new ApiError('OperationNotPermitted', `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);
      elb.loadBalancers.delete(arn);
      // Its listeners go with it, so its target groups (which stay, targets registered) no longer name it.
      for (const tg of elb.targetGroups.values()) tg.loadBalancerArns = tg.loadBalancerArns.filter((a) => a !== arn);
      return '';
    },

    DeleteTargetGroup: ({ region }, p) => {
      const elb = region.elb;
      const arn = required(p, 'TargetGroupArn');
      checkTgArn(arn);
      const tg = elb.targetGroups.get(arn);
      if (tg === undefined) return '';
      if (tg.loadBalancerArns.length > 0) throw new ApiError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
      elb.targetGroups.delete(arn);
      return '';
    },
  },
});
