/** EC2 mutations with AWS's side effects and error codes (messages as EC2 writes them). */
import { ApiError } from '../../api-error';
import { userInitiatedReason } from '../../resolve-fixture';
import type { SimRegion, SimSnapshot, SimTag } from '../../state';
import { el, itemSet, tagSet } from '../../protocols/xml';
import type { Ec2Context } from './describe';
import { settleSnapshots } from './describe';
import { instanceStateXml } from './render';

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

function tagSpecs(ctx: Ec2Context, resourceType: string): SimTag[] {
  const tags: SimTag[] = [];
  for (let n = 1; ctx.p.get(`TagSpecification.${n}.ResourceType`) !== undefined; n++) {
    if (ctx.p.get(`TagSpecification.${n}.ResourceType`) !== resourceType) continue;
    for (let m = 1; ctx.p.get(`TagSpecification.${n}.Tag.${m}.Key`) !== undefined; m++) {
      tags.push({ key: ctx.p.get(`TagSpecification.${n}.Tag.${m}.Key`) ?? '', value: ctx.p.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? '' });
    }
  }
  return tags;
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

const NOT_FOUND_BY_PREFIX: [string, string][] = [
  ['i-', 'InvalidInstanceID.NotFound'],
  ['vol-', 'InvalidVolume.NotFound'],
  ['snap-', 'InvalidSnapshot.NotFound'],
  ['ami-', 'InvalidAMIID.NotFound'],
  ['eipalloc-', 'InvalidAllocationID.NotFound'],
  ['nat-', 'NatGatewayNotFound'],
  ['lt-', 'InvalidLaunchTemplateId.NotFound'],
];

export function createTags({ region, p }: Ec2Context): string {
  const ids = p.list('ResourceId');
  const tags: SimTag[] = [];
  for (let n = 1; p.get(`Tag.${n}.Key`) !== undefined; n++) tags.push({ key: p.get(`Tag.${n}.Key`) ?? '', value: p.get(`Tag.${n}.Value`) ?? '' });
  const targets = ids.map((id) => {
    const r =
      region.instances.get(id) ?? region.volumes.get(id) ?? region.snapshots.get(id) ?? region.images.get(id) ??
      region.addresses.get(id) ?? region.natGateways.get(id) ?? region.launchTemplates.get(id);
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
