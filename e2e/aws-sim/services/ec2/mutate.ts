/** EC2 mutations with AWS's side effects and error codes (messages as EC2 writes them). */
import { ApiError } from '../../api-error';
import { userInitiatedReason } from '../../resolve-fixture';
import type { SimRegion, SimSnapshot, SimTag } from '../../state';
import { el, itemSet, node, tagSet } from '../../protocols/xml';
import type { Ec2Context } from './describe';
import { settleSnapshots } from './describe';
import { instanceStateXml } from './render';
import { tagSpecs } from './tag-specs';

const ok = el('return', true);

/**
 * TerminateInstances: protected instances fail the whole call with OperationNotPermitted; otherwise
 * DeleteOnTermination volumes are deleted, other volumes detach (available), Elastic IPs are disassociated.
 */
export function terminateInstances({ account, region, p }: Ec2Context): string {
  const ids = [...new Set(p.list('InstanceId'))];
  const missing = ids.filter((id) => !region.instances.has(id));
  if (missing.length > 0) {
    const pl = missing.length > 1;
    throw new ApiError('InvalidInstanceID.NotFound', `The instance ID${pl ? 's' : ''} '${missing.join(', ')}' ${pl ? 'do' : 'does'} not exist`);
  }
  const instances = ids.map((id) => region.instances.get(id)!);
  const protectedOne = instances.find((i) => i.disableApiTermination && i.state !== 'terminated');
  if (protectedOne) {
    throw new ApiError(
      'OperationNotPermitted',
      `The instance '${protectedOne.instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    );
  }
  const now = account.currentTime();
  const changes = instances.map((i) => {
    const previous = i.state;
    if (previous !== 'terminated') {
      i.state = 'terminated';
      i.stateTransitionReason = userInitiatedReason(now);
      i.stateReason = { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
      releaseInstanceResources(region, i.instanceId);
    }
    // The response reports the transition in progress; Describe* then sees the end state.
    return (
      el('instanceId', i.instanceId) +
      instanceStateXml('currentState', previous === 'terminated' ? 'terminated' : 'shutting-down') +
      instanceStateXml('previousState', previous)
    );
  });
  return itemSet('instancesSet', changes);
}

function releaseInstanceResources(region: SimRegion, instanceId: string): void {
  for (const v of [...region.volumes.values()]) {
    const att = v.attachments.find((a) => a.instanceId === instanceId);
    if (!att) continue;
    if (att.deleteOnTermination) region.volumes.delete(v.volumeId);
    else {
      v.attachments = v.attachments.filter((a) => a !== att);
      if (v.attachments.length === 0) v.state = 'available';
    }
  }
  for (const a of region.addresses.values()) {
    if (a.instanceId !== instanceId) continue;
    a.instanceId = undefined;
    a.associationId = undefined;
    a.networkInterfaceId = undefined;
    a.privateIpAddress = undefined;
  }
}

export function deleteVolume({ region, p }: Ec2Context): string {
  const id = p.get('VolumeId') ?? '';
  const v = region.volumes.get(id);
  if (!v) throw new ApiError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
  const att = v.attachments[0];
  if (att) throw new ApiError('VolumeInUse', `Volume ${id} is currently attached to ${att.instanceId}`);
  region.volumes.delete(id);
  return ok;
}

export function releaseAddress({ region, p }: Ec2Context): string {
  const alloc = p.get('AllocationId');
  const ip = p.get('PublicIp');
  const a = alloc !== undefined ? region.addresses.get(alloc) : [...region.addresses.values()].find((x) => x.publicIp === ip);
  if (!a) {
    throw alloc !== undefined
      ? new ApiError('InvalidAllocationID.NotFound', `The allocation ID '${alloc}' does not exist`)
      : new ApiError('AuthFailure', 'The address does not belong to you.', 401);
  }
  if (a.associationId) throw new ApiError('InvalidIPAddress.InUse', `Address ${a.publicIp} is in use.`);
  region.addresses.delete(a.allocationId);
  return ok;
}

/** Registered AMIs (disabled ones included) that reference the snapshot. */
function imagesUsing(region: SimRegion, snapshotId: string): string[] {
  return [...region.images.values()].filter((im) => im.devices.some((d) => d.snapshotId === snapshotId)).map((im) => im.imageId);
}

export function deleteSnapshot({ region, p }: Ec2Context): string {
  const id = p.get('SnapshotId') ?? '';
  if (!region.snapshots.has(id)) throw new ApiError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  const users = imagesUsing(region, id);
  if (users.length > 0) throw new ApiError('InvalidSnapshot.InUse', `The snapshot ${id} is currently in use by ${users[0]}`);
  region.snapshots.delete(id);
  return ok;
}

/**
 * DeregisterImage; with DeleteAssociatedSnapshots=true its snapshots are deleted too, except those another
 * AMI still uses ("skipped"), or when DeleteSnapshot is denied ("missing-permissions").
 */
export function deregisterImage({ account, region, p }: Ec2Context): string {
  const id = p.get('ImageId') ?? '';
  const im = region.images.get(id);
  if (!im) throw new ApiError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
  region.images.delete(id);
  if (!p.bool('DeleteAssociatedSnapshots')) return ok;
  const results = [...new Set(im.devices.map((d) => d.snapshotId))].map((snapId) => {
    let code: string;
    if (!region.snapshots.has(snapId)) code = 'client-error';
    else if (account.isDenied('ec2', 'DeleteSnapshot')) code = 'missing-permissions';
    else if (imagesUsing(region, snapId).length > 0) code = 'skipped';
    else {
      region.snapshots.delete(snapId);
      code = 'success';
    }
    return el('snapshotId', snapId) + el('returnCode', code);
  });
  return ok + itemSet('deleteSnapshotResultSet', results);
}

/** CreateSnapshot answers `pending`; it completes after the configured delay (checked at the next Describe). */
export function createSnapshot(ctx: Ec2Context, completionDelayMs: number): string {
  const { account, region, p } = ctx;
  settleSnapshots(region);
  const volumeId = p.get('VolumeId') ?? '';
  const v = region.volumes.get(volumeId);
  if (!v) throw new ApiError('InvalidVolume.NotFound', `The volume '${volumeId}' does not exist.`);
  const snap: SimSnapshot = {
    snapshotId: account.newId('snap'),
    volumeId,
    volumeSize: v.size,
    storageTier: 'standard',
    startTime: account.currentTime(),
    state: 'pending',
    completesAtMs: Date.now() + completionDelayMs,
    description: p.get('Description') ?? '',
    encrypted: v.encrypted,
    tags: tagSpecs(ctx, 'snapshot'),
  };
  region.snapshots.set(snap.snapshotId, snap);
  return [
    el('snapshotId', snap.snapshotId),
    el('volumeId', volumeId),
    el('status', 'pending'),
    el('startTime', snap.startTime),
    el('progress', ''),
    el('ownerId', account.accountId),
    el('volumeSize', snap.volumeSize),
    el('description', snap.description),
    el('encrypted', snap.encrypted),
    tagSet(snap.tags),
  ].join('');
}

/**
 * NAT gateways and VPC endpoints in `deleting` become `deleted` once their (wall-clock) delay has passed; a NAT
 * gateway's Elastic IPs are then disassociated (still allocated: DeleteNatGateway releases nothing) and the routes
 * that target it become `blackhole`. Runs before every EC2 operation (ec2.ts).
 */
export function settleNetwork(region: SimRegion, nowMs: number = Date.now()): void {
  for (const n of region.natGateways.values()) {
    if (n.state !== 'deleting' || n.deletesAtMs === undefined || nowMs < n.deletesAtMs) continue;
    n.state = 'deleted';
    n.deletesAtMs = undefined;
    const allocations = new Set(n.addresses.map((a) => a.allocationId).filter((a) => a !== undefined));
    const enis = new Set(n.addresses.map((a) => a.networkInterfaceId));
    for (const a of region.addresses.values()) {
      if (!allocations.has(a.allocationId) && !(a.networkInterfaceId !== undefined && enis.has(a.networkInterfaceId))) continue;
      a.associationId = undefined;
      a.networkInterfaceId = undefined;
      a.privateIpAddress = undefined;
    }
    for (const t of region.routeTables.values()) for (const r of t.routes) if (r.natGatewayId === n.natGatewayId) r.state = 'blackhole';
  }
  for (const e of region.vpcEndpoints.values()) {
    if (e.state !== 'deleting' || e.deletesAtMs === undefined || nowMs < e.deletesAtMs) continue;
    e.state = 'deleted';
    e.deletesAtMs = undefined;
    e.networkInterfaceIds = [];
  }
}

/**
 * DeleteNatGateway (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html): answers the
 * id; the gateway is `deleting`, then `deleted` after `networkDeletionDelayMs` (wall clock; 0 = by the next EC2 call).
 */
export function deleteNatGateway({ account, region, p }: Ec2Context, delayMs: number): string {
  const id = p.get('NatGatewayId') ?? '';
  const n = region.natGateways.get(id);
  if (!n || n.state === 'deleted') throw new ApiError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`);
  if (n.state !== 'deleting') {
    n.state = 'deleting';
    n.deleteTime = account.currentTime();
    n.deletesAtMs = Date.now() + delayMs;
  }
  return el('natGatewayId', id);
}

/** DeleteRoute: by RouteTableId and one of DestinationCidrBlock / DestinationIpv6CidrBlock / DestinationPrefixListId. */
export function deleteRoute({ region, p }: Ec2Context): string {
  const id = p.get('RouteTableId') ?? '';
  const t = region.routeTables.get(id);
  if (!t) throw new ApiError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
  const cidr = p.get('DestinationCidrBlock');
  const ipv6 = p.get('DestinationIpv6CidrBlock');
  const pl = p.get('DestinationPrefixListId');
  const idx = t.routes.findIndex(
    (r) =>
      (cidr !== undefined && r.destinationCidrBlock === cidr) ||
      (ipv6 !== undefined && r.destinationIpv6CidrBlock === ipv6) ||
      (pl !== undefined && r.destinationPrefixListId === pl),
  );
  const what = cidr !== undefined ? `destination-cidr-block ${cidr}` : ipv6 !== undefined ? `destination-ipv6-cidr-block ${ipv6}` : `destination-prefix-list-id ${pl ?? ''}`;
  const route = t.routes[idx];
  if (!route) throw new ApiError('InvalidRoute.NotFound', `no route with ${what} in route table ${id}`);
  if (route.gatewayId === 'local') throw new ApiError('InvalidParameterValue', `cannot remove local route ${route.destinationCidrBlock ?? ''} in route table ${id}`);
  if (route.gatewayId?.startsWith('vpce-')) throw new ApiError('InvalidParameterValue', `Route ${what} in route table ${id} is managed by VPC endpoint ${route.gatewayId} and cannot be deleted`);
  t.routes.splice(idx, 1);
  return ok;
}

/**
 * DeleteVpcEndpoints (batch): ids that do not exist (or are already deleted) come back as `unsuccessful` items with
 * `InvalidVpcEndpointId.NotFound`; the others go `deleting` → `deleted`. A gateway endpoint's routes are removed.
 */
export function deleteVpcEndpoints({ region, p }: Ec2Context, delayMs: number): string {
  const ids = [...new Set(p.list('VpcEndpointId'))];
  if (ids.length === 0) throw new ApiError('MissingParameter', 'The request must contain the parameter VpcEndpointId');
  const failed: string[] = [];
  for (const id of ids) {
    const e = region.vpcEndpoints.get(id);
    if (!e || e.state === 'deleted') {
      failed.push(
        node('error', el('code', 'InvalidVpcEndpointId.NotFound'), el('message', `The Vpc Endpoint Id '${id}' does not exist`)) + el('resourceId', id),
      );
      continue;
    }
    if (e.state === 'deleting') continue;
    e.state = 'deleting';
    e.deletesAtMs = Date.now() + delayMs;
    for (const t of region.routeTables.values()) t.routes = t.routes.filter((r) => r.gatewayId !== id);
  }
  return itemSet('unsuccessful', failed);
}

const NOT_FOUND_BY_PREFIX: [string, string][] = [
  ['i-', 'InvalidInstanceID.NotFound'],
  ['vol-', 'InvalidVolume.NotFound'],
  ['snap-', 'InvalidSnapshot.NotFound'],
  ['ami-', 'InvalidAMIID.NotFound'],
  ['eipalloc-', 'InvalidAllocationID.NotFound'],
  ['nat-', 'NatGatewayNotFound'],
  ['lt-', 'InvalidLaunchTemplateId.NotFound'],
  ['rtb-', 'InvalidRouteTableID.NotFound'],
  ['vpce-', 'InvalidVpcEndpointId.NotFound'],
];

export function createTags({ region, p }: Ec2Context): string {
  const ids = p.list('ResourceId');
  const tags: SimTag[] = [];
  for (let n = 1; p.get(`Tag.${n}.Key`) !== undefined; n++) tags.push({ key: p.get(`Tag.${n}.Key`) ?? '', value: p.get(`Tag.${n}.Value`) ?? '' });
  const targets = ids.map((id) => {
    const r =
      region.instances.get(id) ?? region.volumes.get(id) ?? region.snapshots.get(id) ?? region.images.get(id) ??
      region.addresses.get(id) ?? region.natGateways.get(id) ?? region.launchTemplates.get(id) ??
      region.routeTables.get(id) ?? region.vpcEndpoints.get(id);
    if (!r) {
      const code = NOT_FOUND_BY_PREFIX.find(([prefix]) => id.startsWith(prefix))?.[1];
      throw code ? new ApiError(code, `The ID '${id}' does not exist`) : new ApiError('InvalidID', `The ID '${id}' is not valid`);
    }
    return r;
  });
  for (const r of targets) {
    for (const t of tags) {
      const existing = r.tags.find((x) => x.key === t.key);
      if (existing) existing.value = t.value;
      else r.tags.push({ ...t });
    }
  }
  return ok;
}
