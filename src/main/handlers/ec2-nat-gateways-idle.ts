/**
 * Idle NAT gateways (AWS-FACTS-BEYOND-EC2.md, kind 1). A NAT gateway bills every hour it exists, plus per GB it
 * processes, plus the public IPv4 of its Elastic IP. It is unused when no route table sends traffic to it, or when
 * CloudWatch shows no traffic on it (`AWS/NATGateway`, published every minute: a missing day is unknown, never 0) over
 * the whole lookback. The scan lists gateways, route tables and addresses once per region and reads the metrics in
 * batches; deleting it leaves its Elastic IP allocated (a part that stays, offered for release in the same plan) and
 * its routes as blackholes (listed).
 */
import {
  DeleteNatGatewayCommand,
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  ReleaseAddressCommand,
  type Address,
  type NatGateway,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { awsErrorCode } from '../aws/errors';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricQuery, MetricSpec } from '../metrics/types';
import { PUBLIC_IPV4_HOUR } from '../pricing/keys/ipv4';
import { NAT_GATEWAY_GB, NAT_GATEWAY_HOUR } from '../pricing/keys/nat-gateway';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH } from '../pricing/types';
import { clampPageSize, SERVICE_EC2_OTHER } from './ec2-common';
import { pricePublicIpv4 } from './ec2-elastic-ips-idle';
import { auditedMutation, callLabel, dryRunIgnored, failureOutcome, isMutationFailure } from './ec2-mutation';
import { protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { DeleteContext, DeleteOutcome, Finding, HandlerContext, HandlerSettings, ItemParts, Part, RecheckResult, ResourceHandler } from './handler';
import { activityFields, dayAfter } from './metric-verdict';
import { keptAddressPart, storedNumber, storedObjects } from './parts';
import { regionAddresses } from './region-inventory';

export const NAT_TYPE = 'ec2:nat-gateway';

const NS = 'AWS/NATGateway';
/** The traffic AWS's own idle check (Compute Optimizer) reads; all published every minute (not sparse). */
export const NAT_METRICS: readonly MetricSpec[] = [
  { namespace: NS, metricName: 'ActiveConnectionCount', stat: 'Maximum', sparse: false, unit: 'connections' },
  { namespace: NS, metricName: 'PacketsInFromSource', stat: 'Sum', sparse: false, unit: 'packets' },
  { namespace: NS, metricName: 'PacketsInFromDestination', stat: 'Sum', sparse: false, unit: 'packets' },
  { namespace: NS, metricName: 'BytesOutToDestination', stat: 'Sum', sparse: false, unit: 'bytes' },
];

export function natQueries(natGatewayId: string, specs: readonly MetricSpec[] = NAT_METRICS): MetricQuery[] {
  return specs.map((spec) => ({ spec, dimensions: { NatGatewayId: natGatewayId } }));
}

interface RouteRef {
  routeTableId: string;
  destination: string;
  state: string;
}

/** Routes by the NAT gateway they target, from one paged listing of the region's route tables. */
async function routesByGateway(ctx: HandlerContext, filter?: { natGatewayId: string }): Promise<Map<string, RouteRef[]>> {
  const out = new Map<string, RouteRef[]>();
  let token: string | undefined;
  do {
    const res = await ctx.client(EC2Client).send(
      new DescribeRouteTablesCommand({
        ...(filter ? { Filters: [{ Name: 'route.nat-gateway-id', Values: [filter.natGatewayId] }] } : {}),
        MaxResults: clampPageSize(ctx.pageSize, 5, 100),
        ...(token ? { NextToken: token } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    for (const rt of res.RouteTables ?? []) addRoutes(out, rt);
    token = res.NextToken || undefined;
  } while (token !== undefined);
  return out;
}

function addRoutes(out: Map<string, RouteRef[]>, rt: RouteTable): void {
  for (const r of rt.Routes ?? []) {
    if (!r.NatGatewayId) continue;
    const list = out.get(r.NatGatewayId) ?? [];
    list.push({
      routeTableId: rt.RouteTableId ?? '',
      destination: r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId ?? '',
      state: r.State ?? 'active',
    });
    out.set(r.NatGatewayId, list);
  }
}

async function* natPages(ctx: HandlerContext, ids?: string[]): AsyncIterable<NatGateway[]> {
  let token: string | undefined;
  do {
    const res = await ctx.client(EC2Client).send(
      new DescribeNatGatewaysCommand({
        ...(ids ? { NatGatewayIds: ids } : { MaxResults: clampPageSize(ctx.pageSize, 5, 1000) }),
        ...(token ? { NextToken: token } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    yield res.NatGateways ?? [];
    token = res.NextToken || undefined;
  } while (token !== undefined);
}

function gatewayCost(ctx: HandlerContext): { monthlyCost: number | null; costBasis: string } {
  const hour = ctx.prices ? price(ctx.prices, NAT_GATEWAY_HOUR) : null;
  if (hour === null) return { monthlyCost: null, costBasis: `Cost unknown: no NAT gateway price for ${ctx.region}` };
  const gb = ctx.prices ? price(ctx.prices, NAT_GATEWAY_GB) : null;
  const data = gb === null ? 'data processed billed apart' : `+ ${usd(gb)} per GB processed`;
  return {
    monthlyCost: roundCost(HOURS_PER_MONTH * hour),
    costBasis: `NAT gateway ${HOURS_PER_MONTH} h × ${usd(hour)} (${ctx.region}); ${data}; its public IPv4 is billed with its Elastic IP`,
  };
}

interface Facts {
  routes: Map<string, RouteRef[]>;
  addresses: Map<string, Address>;
}

function toFinding(ctx: HandlerContext, g: NatGateway, facts: Facts, activity: Activity | null): Finding {
  const id = g.NatGatewayId ?? '';
  const tags = tagsToRecord(g.Tags);
  const protectedReason = protectionByTag(tags, ctx.settings.protectionTagKey);
  const routes = facts.routes.get(id) ?? [];
  const available = g.State === 'available';
  const cost = gatewayCost(ctx);
  let unused = false;
  let unusedReason: string | null = null;
  let unusedSince: string | null = null;
  let activityText = available ? 'Not read' : `Not judged: ${g.State ?? 'unknown'}`;
  if (available && activity !== null) {
    const f = activityFields(activity);
    activityText = f.activity;
    if (routes.length === 0) {
      unused = true;
      if (activity.verdict === 'active') {
        unusedReason = `No route table sends traffic to it (it carried traffic until ${activity.lastActiveDay ?? 'recently'})`;
        unusedSince = activity.lastActiveDay ? dayAfter(activity.lastActiveDay) : null;
      } else {
        unusedReason = 'No route table sends traffic to it';
      }
    } else if (f.unused) {
      unused = true;
      unusedReason = `${f.unusedReason ?? ''}; ${routes.length} route(s) still point at it`;
      unusedSince = f.unusedSince;
    }
  }
  const elasticIps = (g.NatGatewayAddresses ?? [])
    .filter((a) => a.AllocationId || a.PublicIp)
    .map((a) => {
      const addr = a.AllocationId ? facts.addresses.get(a.AllocationId) : undefined;
      const ipv4 = pricePublicIpv4(addr ?? {}, ctx.prices, ctx.region);
      return {
        allocationId: a.AllocationId ?? null,
        publicIp: a.PublicIp ?? null,
        // Tags read with the region's addresses; null when the address was not listed (then it protects).
        tags: addr ? tagsToRecord(addr.Tags) : null,
        monthlyCost: ipv4.monthlyCost,
        costBasis: ipv4.costBasis,
      };
    });
  return {
    resourceType: NAT_TYPE,
    resourceId: id,
    region: ctx.region,
    name: tags['Name'] ?? null,
    state: g.State ?? null,
    tags,
    createdAt: g.CreateTime ? new Date(g.CreateTime).toISOString() : null,
    unused,
    unusedReason,
    unusedSince,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      vpcId: g.VpcId ?? null,
      subnetId: g.SubnetId ?? null,
      connectivityType: g.ConnectivityType ?? null,
      routeCount: routes.length,
      routes,
      blackholesAfterDelete:
        routes.length === 0 ? 'None' : routes.map((r) => `${r.routeTableId} ${r.destination}`).join(', '),
      elasticIps,
      activity: activityText,
      ...(activity !== null ? { metrics: activity } : {}),
    },
  };
}

async function loadAddresses(ctx: HandlerContext, gateways: readonly NatGateway[]): Promise<Map<string, Address>> {
  const wanted = gateways.flatMap((g) => (g.NatGatewayAddresses ?? []).map((a) => a.AllocationId).filter((x): x is string => Boolean(x)));
  if (wanted.length === 0) return new Map();
  let list: Address[];
  if (ctx.inventory) list = await regionAddresses(ctx);
  else list = (await ctx.client(EC2Client).send(new DescribeAddressesCommand({ AllocationIds: wanted }), { abortSignal: ctx.signal })).Addresses ?? [];
  return new Map(list.filter((a) => a.AllocationId).map((a) => [a.AllocationId!, a]));
}

async function judge(ctx: HandlerContext, gateways: readonly NatGateway[]) {
  const available = gateways.filter((g) => g.State === 'available' && g.NatGatewayId);
  const verdicts = await metricsOf(ctx).activity(
    available.map((g) => ({ createdAt: g.CreateTime ? new Date(g.CreateTime) : null, queries: natQueries(g.NatGatewayId!), activity: 'traffic' })),
  );
  return new Map(available.map((g, i) => [g.NatGatewayId!, verdicts[i]!]));
}

function addressPart(a: Record<string, unknown>, settings: HandlerSettings): Part | null {
  return keptAddressPart(
    a,
    settings,
    (ip) => `Deleting the NAT gateway disassociates ${ip ?? 'its address'} but does not release it: it stays allocated, idle, and keeps billing`,
  );
}

const DELETE_WAIT_MS = 10 * 60_000;
const DELETE_POLL_MS = 5_000;

async function waitDeleted(ctx: DeleteContext, id: string): Promise<boolean> {
  const deadline = Date.now() + (ctx.waitMs ?? DELETE_WAIT_MS);
  for (;;) {
    try {
      const out = await ctx.client(EC2Client).send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }), { abortSignal: ctx.signal });
      const state = out.NatGateways?.[0]?.State;
      if (state === undefined || state === 'deleted') return true;
    } catch (err) {
      if (awsErrorCode(err) === 'NatGatewayNotFound') return true;
      throw err;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, ctx.pollMs ?? DELETE_POLL_MS));
  }
}

export const idleNatGatewaysHandler: ResourceHandler = {
  type: NAT_TYPE,
  label: 'Idle NAT gateways',
  noun: 'NAT gateway',
  consoleUrl: 'https://{host}/vpcconsole/home?region={region}#NatGatewayDetails:natGatewayId={id}',
  iam: {
    scan: ['ec2:DescribeNatGateways', 'ec2:DescribeRouteTables', 'ec2:DescribeAddresses', 'cloudwatch:GetMetricData'],
    action: ['ec2:DeleteNatGateway', 'ec2:ReleaseAddress'],
  },
  actionLabel: 'Delete',
  verification: { method: 'dry-run', description: 'EC2 DryRun: AWS answers whether each call would succeed, permissions included, and changes nothing' },
  priceKeys: [NAT_GATEWAY_HOUR, NAT_GATEWAY_GB, PUBLIC_IPV4_HOUR],
  detailFields: [
    { key: 'activity', label: 'Traffic' },
    { key: 'connectivityType', label: 'Connectivity' },
    { key: 'vpcId', label: 'VPC' },
    { key: 'subnetId', label: 'Subnet' },
    { key: 'routeCount', label: 'Routes pointing at it' },
    { key: 'blackholesAfterDelete', label: 'Routes left as blackholes after deletion' },
  ],
  category: 'Networking',
  serviceCodes: [SERVICE_EC2_OTHER],
  // NatGateway-Hours and -Bytes bill under "EC2 - Other"; its address under VPC (the part).
  billingServiceCode: SERVICE_EC2_OTHER,
  // Before Elastic IPs (its address is released after it, when added).
  deleteOrder: 40,
  listings: ['addresses'],

  async *scan(ctx) {
    // One paged listing of the region's route tables, made when the first page has gateways.
    let routes: Promise<Map<string, RouteRef[]>> | undefined;
    for await (const page of natPages(ctx)) {
      ctx.signal?.throwIfAborted();
      const gateways = page.filter((g) => g.State !== 'deleted' && g.State !== 'failed');
      if (gateways.length === 0) continue;
      routes ??= routesByGateway(ctx);
      const [routeMap, addresses, verdicts] = await Promise.all([routes, loadAddresses(ctx, gateways), judge(ctx, gateways)]);
      yield gateways.map((g) => toFinding(ctx, g, { routes: routeMap, addresses }, verdicts.get(g.NatGatewayId ?? '') ?? null));
    }
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    let g: NatGateway | undefined;
    try {
      for await (const page of natPages(ctx, [stored.resourceId])) g ??= page[0];
    } catch (err) {
      if (awsErrorCode(err) === 'NatGatewayNotFound') return { status: 'gone', reason: 'The NAT gateway no longer exists' };
      throw err;
    }
    if (g === undefined || g.State === 'deleted' || g.State === 'deleting') {
      return { status: 'gone', reason: `The NAT gateway is ${g?.State ?? 'gone'}` };
    }
    const [routes, addresses, verdicts] = await Promise.all([
      routesByGateway(ctx, { natGatewayId: stored.resourceId }),
      loadAddresses(ctx, [g]),
      judge(ctx, [g]),
    ]);
    const current = toFinding(ctx, g, { routes, addresses }, verdicts.get(stored.resourceId) ?? null);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (stored.state !== current.state) {
      return { status: 'changed', reason: `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
    }
    if (stored.unused && !current.unused) {
      return { status: 'changed', reason: `No longer unused: ${String(current.details['activity'])}`, current };
    }
    const before = storedNumber(stored.details['routeCount']) ?? 0;
    const after = storedNumber(current.details['routeCount']) ?? 0;
    if (before === 0 && after > 0) return { status: 'changed', reason: `${after} route(s) now point at it`, current };
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    const refusal =
      protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (refusal !== null) return { kind: 'refused', reason: refusal };
    const id = stored.resourceId;
    const call = { action: 'DeleteNatGateway', target: id, dryRun };
    const result = await auditedMutation(ctx, call, () =>
      ctx.client(EC2Client).send(new DeleteNatGatewayCommand({ NatGatewayId: id, DryRun: dryRun }), { abortSignal: ctx.signal }),
    );
    if (isMutationFailure(result)) return failureOutcome(result);
    if (result.kind === 'done' && dryRun) return dryRunIgnored('DeleteNatGateway');
    const calls = [callLabel(call, result)];
    const added = idleNatGatewaysHandler
      .parts(stored, ctx.settings, { snapshotVolumes: false, ...(ctx.addedParts ? { added: ctx.addedParts } : {}) })
      .parts.filter((p) => p.addable && ctx.addedParts?.includes(p.resourceId) === true);
    if (added.length > 0) {
      // The address is disassociated only once the gateway is deleted.
      if (!dryRun && !(await waitDeleted(ctx, id))) {
        return {
          kind: 'failed',
          code: 'DeletionTimeout',
          message: `NAT gateway ${id} was asked to delete but did not reach "deleted" in time: ${added.map((p) => p.resourceId).join(', ')} not released and still bill. Calls made: ${calls.join(', ')}`,
        };
      }
      const failures: string[] = [];
      for (const part of added) {
        const rc = { action: 'ReleaseAddress', target: part.resourceId, dryRun };
        const r = await auditedMutation(ctx, rc, () =>
          ctx.client(EC2Client).send(new ReleaseAddressCommand({ AllocationId: part.resourceId, DryRun: dryRun }), { abortSignal: ctx.signal }),
        );
        if (r.kind === 'dry-run-ok' || (r.kind === 'done' && !dryRun)) calls.push(callLabel(rc, r));
        else if (r.kind === 'done') return dryRunIgnored('ReleaseAddress');
        else if (dryRun) return failureOutcome(r);
        else failures.push(`${part.resourceId} (${r.code}: ${r.message})`);
      }
      if (failures.length > 0) {
        return {
          kind: 'failed',
          code: 'PartsNotRemoved',
          message: `NAT gateway ${id} was deleted, but ${failures.join('; ')} could not be released and still bill. Calls made: ${calls.join(', ')}`,
        };
      }
    }
    return dryRun ? { kind: 'dry-run-ok', calls } : { kind: 'deleted', calls };
  },

  parts(finding, settings): ItemParts {
    const parts = storedObjects(finding.details, 'elasticIps')
      .map((a) => addressPart(a, settings))
      .filter((p): p is Part => p !== null);
    return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts };
  },
};
