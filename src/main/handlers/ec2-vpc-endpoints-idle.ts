/**
 * Unused interface VPC endpoints (AWS-FACTS-BEYOND-EC2.md, kind 6). An interface endpoint bills per hour in each
 * Availability Zone it has a network interface in, plus per GB. It is unused when `AWS/PrivateLinkEndpoints` shows no
 * bytes and no new connections over the whole lookback. Those metrics are published only with traffic (sparse), so a
 * missing day counts as 0 only when the endpoint is older than the window and CloudWatch lists that metric with the
 * same dimension names in the region (metrics/verdict.ts). Gateway endpoints (S3, DynamoDB) are free: listed, never
 * flagged. Endpoints a service manages for you (requester-managed) are protected.
 */
import { DeleteVpcEndpointsCommand, DescribeVpcEndpointsCommand, EC2Client, type VpcEndpoint } from '@aws-sdk/client-ec2';
import { awsErrorCode } from '../aws/errors';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricQuery, MetricSpec } from '../metrics/types';
import { VPC_ENDPOINT_GB, VPC_ENDPOINT_HOUR } from '../pricing/keys/vpc-endpoint';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH } from '../pricing/types';
import { clampPageSize, SERVICE_VPC } from './ec2-common';
import { auditedMutation, callLabel, dryRunIgnored, failureOutcome, isMutationFailure } from './ec2-mutation';
import { protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, RecheckResult, ResourceHandler } from './handler';
import { activityFields } from './metric-verdict';

export const VPCE_TYPE = 'ec2:vpc-endpoint';

const NS = 'AWS/PrivateLinkEndpoints';
export const VPCE_METRICS: readonly MetricSpec[] = [
  { namespace: NS, metricName: 'BytesProcessed', stat: 'Sum', sparse: true, unit: 'bytes' },
  { namespace: NS, metricName: 'NewConnections', stat: 'Sum', sparse: true, unit: 'connections' },
];

/** The dimension set CloudWatch publishes these metrics with (names with spaces). */
export function vpceQueries(e: Pick<VpcEndpoint, 'VpcId' | 'VpcEndpointId' | 'ServiceName'>, specs: readonly MetricSpec[] = VPCE_METRICS): MetricQuery[] {
  return specs.map((spec) => ({
    spec,
    dimensions: {
      'VPC Id': e.VpcId ?? '',
      'VPC Endpoint Id': e.VpcEndpointId ?? '',
      'Endpoint Type': 'Interface',
      'Service Name': e.ServiceName ?? '',
    },
  }));
}

const isInterface = (e: VpcEndpoint): boolean => e.VpcEndpointType === 'Interface';
const isAvailable = (e: VpcEndpoint): boolean => (e.State ?? '').toLowerCase() === 'available';

async function* endpointPages(ctx: HandlerContext, ids?: string[]): AsyncIterable<VpcEndpoint[]> {
  let token: string | undefined;
  do {
    const res = await ctx.client(EC2Client).send(
      new DescribeVpcEndpointsCommand({
        ...(ids ? { VpcEndpointIds: ids } : { MaxResults: clampPageSize(ctx.pageSize, 5, 1000) }),
        ...(token ? { NextToken: token } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    yield res.VpcEndpoints ?? [];
    token = res.NextToken || undefined;
  } while (token !== undefined);
}

/** Availability Zones it bills in: one network interface per zone (one subnet per zone). */
function zoneCount(e: VpcEndpoint): number {
  return Math.max(e.NetworkInterfaceIds?.length ?? 0, e.SubnetIds?.length ?? 0);
}

function cost(ctx: HandlerContext, e: VpcEndpoint): { monthlyCost: number | null; costBasis: string } {
  if (!isInterface(e)) {
    return e.VpcEndpointType === 'Gateway'
      ? { monthlyCost: 0, costBasis: 'Gateway endpoints are free' }
      : { monthlyCost: null, costBasis: `Not priced: ${e.VpcEndpointType ?? 'unknown'} endpoints are not covered` };
  }
  const hour = ctx.prices ? price(ctx.prices, VPC_ENDPOINT_HOUR) : null;
  if (hour === null) return { monthlyCost: null, costBasis: `Cost unknown: no interface endpoint price for ${ctx.region}` };
  const zones = zoneCount(e);
  if (zones === 0) return { monthlyCost: null, costBasis: 'Cost unknown: AWS lists no subnet or network interface for it' };
  const gb = ctx.prices ? price(ctx.prices, VPC_ENDPOINT_GB) : null;
  return {
    monthlyCost: roundCost(zones * HOURS_PER_MONTH * hour),
    costBasis: `${zones} AZ × ${HOURS_PER_MONTH} h × ${usd(hour)} (${ctx.region})${gb === null ? '' : `; + ${usd(gb)} per GB processed`}`,
  };
}

function toFinding(ctx: HandlerContext, e: VpcEndpoint, activity: Activity | null): Finding {
  const tags = tagsToRecord(e.Tags);
  const byTag = protectionByTag(tags, ctx.settings.protectionTagKey);
  const managed = e.RequesterManaged === true ? 'Managed by another AWS service (requester-managed): remove it from that service' : null;
  const protectedReason = byTag ?? managed;
  const c = cost(ctx, e);
  let verdict = { unused: false, unusedReason: null as string | null, unusedSince: null as string | null, activity: '' };
  if (!isInterface(e)) {
    verdict.activity = e.VpcEndpointType === 'Gateway' ? 'Gateway endpoint: free, never flagged' : `Not judged: ${e.VpcEndpointType ?? 'unknown'} endpoint`;
  } else if (!isAvailable(e)) {
    verdict.activity = `Not judged: ${e.State ?? 'unknown'}`;
  } else if (activity !== null) {
    verdict = activityFields(activity);
  }
  return {
    resourceType: VPCE_TYPE,
    resourceId: e.VpcEndpointId ?? '',
    region: ctx.region,
    name: tags['Name'] ?? null,
    state: e.State ? e.State.toLowerCase() : null,
    tags,
    createdAt: e.CreationTimestamp ? new Date(e.CreationTimestamp).toISOString() : null,
    unused: verdict.unused,
    unusedReason: verdict.unusedReason,
    unusedSince: verdict.unusedSince,
    monthlyCost: c.monthlyCost,
    costBasis: c.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      endpointType: e.VpcEndpointType ?? null,
      serviceName: e.ServiceName ?? null,
      vpcId: e.VpcId ?? null,
      availabilityZones: zoneCount(e),
      subnetIds: e.SubnetIds ?? [],
      privateDnsEnabled: e.PrivateDnsEnabled ?? null,
      requesterManaged: e.RequesterManaged ?? false,
      activity: verdict.activity,
      ...(activity !== null ? { metrics: activity } : {}),
    },
  };
}

async function judge(ctx: HandlerContext, endpoints: readonly VpcEndpoint[]): Promise<Map<string, Activity>> {
  const judged = endpoints.filter((e) => isInterface(e) && isAvailable(e) && e.VpcEndpointId);
  if (judged.length === 0) return new Map();
  const verdicts = await metricsOf(ctx).activity(
    judged.map((e) => ({ createdAt: e.CreationTimestamp ? new Date(e.CreationTimestamp) : null, queries: vpceQueries(e), activity: 'traffic' })),
  );
  return new Map(judged.map((e, i) => [e.VpcEndpointId!, verdicts[i]!]));
}

export const unusedVpcEndpointsHandler: ResourceHandler = {
  type: VPCE_TYPE,
  label: 'Unused interface VPC endpoints',
  noun: 'VPC endpoint',
  consoleUrl: 'https://{host}/vpcconsole/home?region={region}#EndpointDetails:vpcEndpointId={id}',
  iam: {
    scan: ['ec2:DescribeVpcEndpoints', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
    action: ['ec2:DeleteVpcEndpoints'],
  },
  actionLabel: 'Delete',
  verification: { method: 'dry-run', description: 'EC2 DryRun: AWS answers whether each call would succeed, permissions included, and changes nothing' },
  priceKeys: [VPC_ENDPOINT_HOUR, VPC_ENDPOINT_GB],
  detailFields: [
    { key: 'activity', label: 'Traffic' },
    { key: 'endpointType', label: 'Endpoint type' },
    { key: 'serviceName', label: 'Service' },
    { key: 'vpcId', label: 'VPC' },
    { key: 'availabilityZones', label: 'Availability Zones (billed each)' },
    { key: 'privateDnsEnabled', label: 'Private DNS (removing it reroutes that service\'s traffic)', format: 'boolean' },
  ],
  category: 'Networking',
  serviceCodes: [SERVICE_VPC],
  billingServiceCode: SERVICE_VPC,
  deleteOrder: 45,

  async *scan(ctx) {
    for await (const page of endpointPages(ctx)) {
      ctx.signal?.throwIfAborted();
      const endpoints = page.filter((e) => !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase()));
      if (endpoints.length === 0) continue;
      const verdicts = await judge(ctx, endpoints);
      yield endpoints.map((e) => toFinding(ctx, e, verdicts.get(e.VpcEndpointId ?? '') ?? null));
    }
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    let e: VpcEndpoint | undefined;
    try {
      for await (const page of endpointPages(ctx, [stored.resourceId])) e ??= page[0];
    } catch (err) {
      if (awsErrorCode(err) === 'InvalidVpcEndpointId.NotFound') return { status: 'gone', reason: 'The endpoint no longer exists' };
      throw err;
    }
    const state = (e?.State ?? '').toLowerCase();
    if (e === undefined || state === 'deleted' || state === 'deleting') return { status: 'gone', reason: `The endpoint is ${state || 'gone'}` };
    const current = toFinding(ctx, e, (await judge(ctx, [e])).get(stored.resourceId) ?? null);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (stored.state !== current.state) return { status: 'changed', reason: `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
    if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer unused: ${String(current.details['activity'])}`, current };
    if (stored.details['availabilityZones'] !== current.details['availabilityZones']) {
      return { status: 'changed', reason: 'Its Availability Zones changed since the review', current };
    }
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    const refusal =
      protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (refusal !== null) return { kind: 'refused', reason: refusal };
    if (stored.details['endpointType'] !== 'Interface') return { kind: 'refused', reason: 'Only interface endpoints are deleted by Cloud Cleaner' };
    const id = stored.resourceId;
    const call = { action: 'DeleteVpcEndpoints', target: id, dryRun };
    const result = await auditedMutation(ctx, call, async () => {
      const out = await ctx.client(EC2Client).send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id], DryRun: dryRun }), { abortSignal: ctx.signal });
      // A batch call: a refused item is an entry of Unsuccessful, not an error. Surface it as one (audited as failed).
      const bad = out.Unsuccessful?.find((u) => u.ResourceId === id) ?? out.Unsuccessful?.[0];
      if (bad !== undefined) {
        const code = bad.Error?.Code ?? 'Unsuccessful';
        throw Object.assign(new Error(bad.Error?.Message ?? `DeleteVpcEndpoints did not delete ${id}`), { name: code, code });
      }
      return out;
    });
    if (isMutationFailure(result)) return failureOutcome(result);
    if (result.kind === 'done' && dryRun) return dryRunIgnored('DeleteVpcEndpoints');
    const calls = [callLabel(call, result)];
    return dryRun ? { kind: 'dry-run-ok', calls } : { kind: 'deleted', calls };
  },

  // It stands alone: its network interfaces go with it, and they bill nothing of their own.
  parts: (finding) => ({ own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] }),
};
