/**
 * CreateImage (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html): an EBS-backed AMI of a
 * running or stopped instance. Its block-device snapshots are taken of the instance's attached volumes (`pending`,
 * completing after `snapshotCompletionDelayMs`, as CreateSnapshot's); the AMI is `pending` until all of them complete,
 * then `available` — or `failed` (with a StateReason) when `imageCreationFailure` is set, as a failed AMI is.
 *
 * What the simulated state cannot say yet (state.ts has no field for it) is kept here, by object: which AMIs are being
 * created, and an AMI's StateReason; an instance's root device type is read from an optional `rootDeviceType`.
 */
import { ApiError } from '../../api-error';
import type { SimImage, SimInstance, SimRegion, SimSnapshot } from '../../state';
import { el } from '../../protocols/xml';
import type { Ec2Context } from './describe';
import { tagSpecs } from './tag-specs';

/** AMIs CreateImage is still making: their snapshots, and how they end. */
const inProgress = new WeakMap<SimImage, { failWith: string | null }>();
/** StateReason of an AMI that failed. */
const stateReasons = new WeakMap<SimImage, { code: string; message: string }>();
/** The instance an AMI was created from (DescribeImages' SourceInstanceId). */
const sourceInstances = new WeakMap<SimImage, string>();

/** The instance CreateImage made the AMI of, if it was made by CreateImage here. */
export function imageSourceInstance(im: SimImage): string | undefined {
  return sourceInstances.get(im);
}

/** The StateReason DescribeImages shows for an AMI (a failed one), if any. */
export function imageStateReason(im: SimImage): { code: string; message: string } | undefined {
  return stateReasons.get(im);
}

/** `ebs` unless the instance says `instance-store` (an optional field a fixture or test may set). */
export function rootDeviceTypeOf(i: SimInstance): 'ebs' | 'instance-store' {
  return i.rootDeviceType ?? 'ebs';
}

function settleSnapshot(s: SimSnapshot, nowMs: number): void {
  if (s.state === 'pending' && s.completesAtMs !== undefined && nowMs >= s.completesAtMs) {
    s.state = 'completed';
    s.completesAtMs = undefined;
  }
}

/**
 * AMIs being created end once their snapshots have: `available` when every snapshot completed, `failed` when one
 * errored or vanished (or a failure was configured). Runs before DescribeImages and CreateImage.
 */
export function settleImages(region: SimRegion, nowMs: number = Date.now()): void {
  for (const im of region.images.values()) {
    const job = inProgress.get(im);
    if (job === undefined || im.state !== 'pending') continue;
    const snaps = im.devices.map((d) => region.snapshots.get(d.snapshotId));
    for (const s of snaps) if (s !== undefined) settleSnapshot(s, nowMs);
    const broken = snaps.some((s) => s === undefined || s.state === 'error');
    if (!broken && snaps.some((s) => s?.state !== 'completed')) continue;
    inProgress.delete(im);
    if (broken || job.failWith !== null) {
      im.state = 'failed';
      stateReasons.set(im, { code: 'Client.ImageCreationFailed', message: job.failWith ?? 'A snapshot of the image failed' });
    } else {
      im.state = 'available';
    }
  }
}

/** 3–128 letters, digits, ( ) [ ] space . / - ' @ _ (API_CreateImage, Name). */
const AMI_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;

export function createImage(ctx: Ec2Context, o: { snapshotCompletionDelayMs: number; imageCreationFailure?: string | null }): string {
  const { account, region, p } = ctx;
  settleImages(region);
  const instanceId = p.get('InstanceId');
  const name = p.get('Name');
  if (instanceId === undefined || instanceId === '') throw new ApiError('MissingParameter', 'The request must contain the parameter InstanceId');
  if (name === undefined) throw new ApiError('MissingParameter', 'The request must contain the parameter Name');
  if (!AMI_NAME.test(name)) {
    throw new ApiError(
      'InvalidAMIName.Malformed',
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '[', ']', ' ', '.', '/', '-', ''', '@' and '_'",
    );
  }
  const description = p.get('Description');
  if (description !== undefined && description.length > 255) {
    throw new ApiError('InvalidParameterValue', 'Value for parameter Description is invalid: it is longer than 255 characters');
  }
  const instance = region.instances.get(instanceId);
  if (!instance) throw new ApiError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  if (instance.state !== 'running' && instance.state !== 'stopping' && instance.state !== 'stopped') {
    throw new ApiError('InvalidParameterValue', `Invalid value '${instanceId}' for instanceId. Instance is not in state 'running' or 'stopping' or 'stopped'`);
  }
  const volumes = [...region.volumes.values()].flatMap((v) => v.attachments.filter((a) => a.instanceId === instanceId).map((a) => ({ v, a })));
  if (rootDeviceTypeOf(instance) !== 'ebs' || !volumes.some(({ a }) => a.device === instance.rootDeviceName)) {
    throw new ApiError('InvalidParameterValue', `Invalid value '${instanceId}' for instanceId. Instance does not have a volume attached at root (${instance.rootDeviceName})`);
  }
  const taken = [...region.images.values()].find((im) => im.name === name && im.state !== 'deregistered');
  if (taken) throw new ApiError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${taken.imageId}`);

  const imageId = account.newId('ami');
  const now = account.currentTime();
  const snapshotTags = tagSpecs(ctx, 'snapshot');
  const devices = volumes.map(({ v, a }) => {
    const snap: SimSnapshot = {
      snapshotId: account.newId('snap'),
      volumeId: v.volumeId,
      volumeSize: v.size,
      storageTier: 'standard',
      startTime: now,
      state: 'pending',
      completesAtMs: Date.now() + o.snapshotCompletionDelayMs,
      // As EC2 writes it: what the orphaned-snapshot check reads to find the AMI.
      description: `Created by CreateImage(${instanceId}) for ${imageId}`,
      encrypted: v.encrypted,
      tags: snapshotTags.map((t) => ({ ...t })),
    };
    region.snapshots.set(snap.snapshotId, snap);
    return { device: a.device, snapshotId: snap.snapshotId, volumeSize: v.size, volumeType: v.volumeType, deleteOnTermination: a.deleteOnTermination };
  });
  const image: SimImage = {
    imageId,
    name,
    state: 'pending',
    creationDate: now,
    ...(description !== undefined ? { description } : {}),
    rootDeviceName: instance.rootDeviceName,
    devices,
    tags: tagSpecs(ctx, 'image'),
  };
  region.images.set(imageId, image);
  inProgress.set(image, { failWith: o.imageCreationFailure ?? null });
  sourceInstances.set(image, instanceId);
  return el('imageId', imageId);
}
