import { DescribeAddressesCommand, EC2Client, ReleaseAddressCommand } from '@aws-sdk/client-ec2';
import type { Address } from '@aws-sdk/client-ec2';
import { PUBLIC_IPV4_HOUR } from '../pricing/keys/ipv4';
import { price } from '../pricing/price-key';
import { HOURS_PER_MONTH } from '../pricing/types';
import type { RegionPrices } from '../pricing/types';
import { awsErrorCode } from '../aws/errors';
import { SERVICE_EC2_OTHER, SERVICE_VPC } from './ec2-common';
import { auditedMutation, callLabel, failureOutcome, isMutationFailure } from './ec2-mutation';
import { protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import { regionAddresses } from './region-inventory';
import type { AuditedCall, Finding, HandlerContext, RecheckResult, ResourceHandler } from './handler';

const UNUSED_REASON = 'Not associated with any instance or network interface';

/**
 * What one public IPv4 address bills per month (idle or in use, since Feb 2024). Addresses brought to AWS
 * (BYOIP pools) carry no public IPv4 charge.
 */
export function pricePublicIpv4(
  address: Pick<Address, 'PublicIpv4Pool'>,
  prices: RegionPrices | null,
  region: string,
): { monthlyCost: number | null; terms: string; costBasis: string } {
  const pool = address.PublicIpv4Pool;
  if (pool !== undefined && pool !== '' && pool !== 'amazon') {
    const terms = `BYOIP address from ${pool}: no public IPv4 charge`;
    return { monthlyCost: 0, terms, costBasis: `${terms} (${region})` };
  }
  if (prices === null) {
    const terms = 'Cost unknown: no prices for this region';
    return { monthlyCost: null, terms, costBasis: `${terms} (${region})` };
  }
  const hour = price(prices, PUBLIC_IPV4_HOUR);
  if (hour === null) {
    const terms = 'Cost unknown: no public IPv4 price';
    return { monthlyCost: null, terms, costBasis: `${terms} (${prices.region})` };
  }
  const terms = `public IPv4 ${HOURS_PER_MONTH} h × ${usd(hour)}`;
  return {
    monthlyCost: roundCost(HOURS_PER_MONTH * hour),
    terms,
    costBasis: `${terms} (${prices.region})`,
  };
}

/** Service-managed addresses (load balancers, regional NAT) are not the user's to release. */
function isServiceManaged(a: Address): boolean {
  return a.ServiceManaged !== undefined && (a.ServiceManaged as string) !== '';
}

/** EC2-Classic-style results have no AllocationId: the public IP is then the only id. */
function addressId(a: Address): string {
  return a.AllocationId ?? a.PublicIp ?? '';
}

function isAssociated(a: Address): boolean {
  return Boolean(a.AssociationId) || Boolean(a.InstanceId);
}

function toFinding(ctx: HandlerContext, a: Address): Finding {
  const tags = tagsToRecord(a.Tags);
  const protectedReason = protectionByTag(tags, ctx.settings.protectionTagKey);
  const unused = !isAssociated(a);
  const cost = pricePublicIpv4(a, ctx.prices, ctx.region);
  return {
    resourceType: 'ec2:elastic-ip',
    resourceId: addressId(a),
    region: ctx.region,
    name: tags['Name'] ?? null,
    state: unused ? 'unassociated' : 'associated',
    tags,
    // AWS records no allocation time for an address.
    createdAt: null,
    unused,
    unusedReason: unused ? UNUSED_REASON : null,
    // Nor a disassociation time: unknown, never guessed.
    unusedSince: null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      publicIp: a.PublicIp ?? null,
      allocationId: a.AllocationId ?? null,
      domain: a.Domain ?? null,
      associationId: a.AssociationId ?? null,
      instanceId: a.InstanceId ?? null,
      networkInterfaceId: a.NetworkInterfaceId ?? null,
      privateIpAddress: a.PrivateIpAddress ?? null,
      networkBorderGroup: a.NetworkBorderGroup ?? null,
      publicIpv4Pool: a.PublicIpv4Pool ?? null,
    },
  };
}

function isNotFound(err: unknown): boolean {
  const code = awsErrorCode(err);
  return code.endsWith('.NotFound');
}

function associationTarget(a: Address): string {
  return a.InstanceId ?? a.NetworkInterfaceId ?? a.AssociationId ?? 'a resource';
}

export const idleElasticIpsHandler: ResourceHandler = {
  type: 'ec2:elastic-ip',
  label: 'Idle Elastic IPs',
  noun: 'Elastic IP',
  consoleUrl: 'https://{host}/ec2/home?region={region}#ElasticIpDetails:AllocationId={id}',
  iam: { scan: ['ec2:DescribeAddresses'], action: ['ec2:ReleaseAddress'] },
  actionLabel: 'Release',
  verification: { method: 'dry-run', description: 'EC2 DryRun: AWS answers whether each call would succeed, permissions included, and changes nothing' },
  priceKeys: [PUBLIC_IPV4_HOUR],
  detailFields: [
    { key: 'publicIp', label: 'Public IP' },
    { key: 'domain', label: 'Domain' },
    { key: 'networkBorderGroup', label: 'Network border group' },
    { key: 'instanceId', label: 'Associated instance' },
    { key: 'networkInterfaceId', label: 'Associated network interface' },
  ],
  category: 'Networking',
  serviceCodes: [SERVICE_VPC, SERVICE_EC2_OTHER],
  // Public IPv4 addresses bill under Amazon Virtual Private Cloud since February 2024.
  billingServiceCode: SERVICE_VPC,
  deleteOrder: 50,
  listings: ['addresses'],

  async *scan(ctx) {
    // DescribeAddresses is not paginated: one call lists every address in the region (shared in a scan).
    const addresses = await regionAddresses(ctx);
    yield addresses.filter((a) => !isServiceManaged(a)).map((a) => toFinding(ctx, a));
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    const byAllocation = stored.resourceId.startsWith('eipalloc-');
    let addresses: Address[];
    try {
      const out = await ctx.client(EC2Client).send(
        new DescribeAddressesCommand(
          byAllocation ? { AllocationIds: [stored.resourceId] } : { PublicIps: [stored.resourceId] },
        ),
        { abortSignal: ctx.signal },
      );
      addresses = out.Addresses ?? [];
    } catch (err) {
      if (isNotFound(err)) return { status: 'gone', reason: 'The address has been released' };
      throw err;
    }
    const a = addresses[0];
    if (a === undefined) return { status: 'gone', reason: 'The address has been released' };
    if (isServiceManaged(a)) {
      return { status: 'changed', reason: `The address is now managed by ${String(a.ServiceManaged)}`, current: null };
    }
    const current = toFinding(ctx, a);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (stored.unused && !current.unused) {
      return { status: 'changed', reason: `Now associated with ${associationTarget(a)}`, current };
    }
    if (stored.state !== current.state) {
      return { status: 'changed', reason: `State changed from ${stored.state ?? 'unknown'} to ${current.state}`, current };
    }
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }) {
    const refusal =
      protectionByTag(stored.tags, ctx.settings.protectionTagKey) ??
      (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (refusal !== null) return { kind: 'refused', reason: refusal };

    const id = stored.resourceId;
    const byAllocation = id.startsWith('eipalloc-');
    const call: AuditedCall = { action: 'ReleaseAddress', target: id, dryRun };
    const result = await auditedMutation(ctx, call, () =>
      ctx.client(EC2Client).send(
        new ReleaseAddressCommand(
          byAllocation ? { AllocationId: id, DryRun: dryRun } : { PublicIp: id, DryRun: dryRun },
        ),
        { abortSignal: ctx.signal },
      ),
    );
    if (isMutationFailure(result)) return failureOutcome(result);
    const calls = [callLabel(call, result)];
    return dryRun ? { kind: 'dry-run-ok', calls } : { kind: 'deleted', calls };
  },

  // An address stands alone: releasing it takes nothing else with it.
  parts: (finding) => ({ own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] }),
};
