/**
 * The cleanup actions of the stopped-instance kind (ec2-instances-stopped.ts): terminate (the default), and create an
 * image (AMI) first, then terminate. Both end with `terminate`: TerminateInstances, then the kept parts the user added
 * to the plan (removed once the instance is `terminated`).
 *
 * `image-then-terminate`: termination protection is read again (an image is never made of an instance AWS will not
 * terminate); CreateImage names the AMI after the instance and the plan (`cloud-cleaner-<instance>-<plan>`, unique in
 * the region: a retried run of the plan finds the image its earlier attempt made, by that name) and tags the AMI and
 * its snapshots with the plan; the image is waited for until `available` (every `ctx.pollMs`, default 15 s, for at
 * most `ctx.waitMs`, default six hours, as a volume's safety snapshot); then the instance is re-checked as the kind's
 * re-check does (and a cancel honoured), and only then terminated. An image that fails or is not ready in time, a failed
 * DescribeImages, a change or a cancel leave the instance as it was, and the result says whether an image was kept.
 * The AMI's snapshots are a part created and kept: they bill as EBS snapshot storage, priced at most at the volumes'
 * full sizes (snapshots hold only the used blocks, compressed). Its id is returned like a safety snapshot's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateImageCommand,
  DeleteVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ReleaseAddressCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type { DescribeImagesCommandInput, Image } from '@aws-sdk/client-ec2';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { SNAPSHOT_STANDARD_GB_MONTH } from '../pricing/keys/ebs';
import { price as priceOf } from '../pricing/price-key';
import { awsErrorMessage, isAbort, isUnauthorized } from './ec2-common';
import { ALREADY_GONE, auditedMutation, callLabel, dryRunIgnored, failureOutcome, isMutationFailure } from './ec2-mutation';
import { num, roundCost, usd } from './handler';
import type { AuditedCall, DeleteContext, DeleteOutcome, Finding, HandlerContext, Part, RecheckResult, StoredFinding } from './handler';
import { storedNumber, storedObjects, storedString } from './parts';

/** The default: the id every plan made before the kind declared actions stored (the implicit `delete`). */
export const TERMINATE = 'delete';
export const IMAGE_THEN_TERMINATE = 'image-then-terminate';
export const TERMINATION_PROTECTION = 'Termination protection is on';
const PLAN_TAG_KEY = 'cloud-cleaner:plan';
const SOURCE_TAG_KEY = 'cloud-cleaner:source-instance';

const TERMINATE_IAM = ['ec2:TerminateInstances', 'ec2:DeleteVolume', 'ec2:ReleaseAddress', 'ec2:DescribeInstanceAttribute'];

export const INSTANCE_ACTIONS: readonly KindActionDto[] = [
  {
    id: TERMINATE,
    label: 'Terminate',
    doneLabel: 'Terminated',
    description:
      'Terminates the instance. Volumes set to be deleted on termination go with it; its other volumes and its Elastic IPs stay, and bill, unless you add them to the plan.',
    removes: true,
    iam: TERMINATE_IAM,
  },
  {
    id: IMAGE_THEN_TERMINATE,
    label: 'Create an image (AMI), then terminate',
    doneLabel: 'Imaged and terminated',
    description:
      'Creates an image (AMI) of the instance, with a snapshot of each of its volumes, tagged with the plan, and waits until it is available; only then terminates the instance. You can launch a copy from the image later. Its snapshots stay and bill as EBS snapshot storage until you deregister the image and delete them.',
    removes: true,
    // CreateTags: the image and its snapshots are tagged on create.
    iam: ['ec2:CreateImage', 'ec2:CreateTags', 'ec2:DescribeImages', 'ec2:DescribeSnapshots', ...TERMINATE_IAM],
  },
];

/** Why `action` cannot be done to this instance, or null. */
export function instanceActionRefusal(finding: Finding, action: string): string | null {
  if (finding.details['terminationProtection'] === true) return TERMINATION_PROTECTION;
  switch (action) {
    case TERMINATE:
      return null;
    case IMAGE_THEN_TERMINATE:
      if (finding.details['rootDeviceType'] === 'instance-store') {
        return 'Its root device is an instance store volume: CreateImage only images an EBS-backed instance. Terminate it without an image instead';
      }
      if (storedObjects(finding.details, 'volumes').length === 0) return 'It has no EBS volume to make an image of';
      return null;
    default:
      return `Unknown action ${action}`;
  }
}

/**
 * What the image's snapshots bill at most, from the instance's volumes (every attached EBS volume is in the image):
 * the sum of their sizes at the standard snapshot price. Stored by the scan, read by `imagePart`.
 */
export function imageSnapshotsPrice(
  ctx: Pick<HandlerContext, 'prices' | 'region'>,
  volumes: readonly { volumeId: string; sizeGiB: number | null }[],
): { monthlyCost: number | null; costBasis: string } {
  const region = ctx.prices?.region ?? ctx.region;
  if (volumes.length === 0) return { monthlyCost: null, costBasis: `No EBS volumes: nothing to image (${region})` };
  const unsized = volumes.filter((v) => v.sizeGiB === null).map((v) => v.volumeId);
  if (unsized.length > 0) return { monthlyCost: null, costBasis: `Cost unknown: the size of ${unsized.join(', ')} is not known (${region})` };
  if (ctx.prices === null) return { monthlyCost: null, costBasis: `Cost unknown: no prices for this region (${region})` };
  const price = priceOf(ctx.prices, SNAPSHOT_STANDARD_GB_MONTH);
  if (price === null) return { monthlyCost: null, costBasis: `Cost unknown: no standard snapshot price (${region})` };
  const sizes = volumes.map((v) => v.sizeGiB as number);
  const total = sizes.reduce((s, n) => s + n, 0);
  const sum = sizes.length > 1 ? `${sizes.map(num).join(' + ')} = ${num(total)}` : num(total);
  return {
    monthlyCost: roundCost(total * price),
    costBasis: `At most ${sum} GiB of volumes × ${usd(price)} standard snapshot storage (snapshots hold only the used blocks, compressed: usually less) (${region})`,
  };
}

/** The image the action creates and keeps, priced from the scan (`imageSnapshotsPrice`). */
export function imagePart(finding: Finding): Part {
  const d = finding.details;
  return {
    resourceType: 'ec2:image',
    resourceId: `image of ${finding.resourceId}`,
    fate: 'kept',
    note: 'Created before the instance is terminated, and kept (tagged with the plan): you can launch a copy from it. Its snapshots bill as EBS snapshot storage until you deregister it and delete them',
    monthlyCost: storedNumber(d['imageMonthlyCost']),
    costBasis: storedString(d['imageCostBasis']) ?? 'Cost unknown: not priced by this scan',
    tags: {},
    protected: false,
    protectedReason: null,
    addable: false,
    created: true,
  };
}

/** `cloud-cleaner-<instance id>-<plan id>`: unique in the region, the same for every attempt of the plan. */
export function imageName(instanceId: string, planId: string): string {
  return `cloud-cleaner-${instanceId}-${planId}`.replace(/[^A-Za-z0-9()[\] ./\-'@_]/g, '-').slice(0, 128);
}

const FAILED_STATES = new Set(['failed', 'error', 'invalid', 'deregistered', 'disabled']);
const IMAGE_POLL_MS = 15_000;
const IMAGE_WAIT_MS = 6 * 60 * 60_000;

/** A DescribeImages that failed: never thrown (a handler's exception interrupts the whole plan), never followed by a terminate. */
class DescribeFailed {
  constructor(readonly err: unknown) {}
  /** `unauthorized` (naming ec2:DescribeImages) or `failed`; `what`: what is known of the image, and that the instance stays. */
  outcome(what: string): DeleteOutcome {
    const code = awsErrorCode(this.err);
    const message = `DescribeImages failed (${awsErrorMessage(this.err)}): ${what}`;
    return isUnauthorized(this.err) ? { kind: 'unauthorized', code, message: `ec2:DescribeImages is not allowed. ${message}` } : { kind: 'failed', code, message };
  }
}

/** Runs a DescribeImages; an abort is rethrown, any other error answered as DescribeFailed. */
async function describeImages(ctx: DeleteContext, input: DescribeImagesCommandInput): Promise<Image[] | DescribeFailed> {
  try {
    return (await ctx.client(EC2Client).send(new DescribeImagesCommand(input))).Images ?? [];
  } catch (err) {
    if (isAbort(err)) throw err;
    return new DescribeFailed(err);
  }
}

/** The image of this name the account owns in the region (not deregistered), or null. */
async function imageByName(ctx: DeleteContext, name: string): Promise<Image | null | DescribeFailed> {
  const images = await describeImages(ctx, { Owners: ['self'], Filters: [{ Name: 'name', Values: [name] }] });
  if (images instanceof DescribeFailed) return images;
  return images.find((i) => i.ImageId !== undefined && i.State !== 'deregistered') ?? null;
}

async function imageById(ctx: DeleteContext, imageId: string): Promise<Image | null | DescribeFailed> {
  const images = await describeImages(ctx, { ImageIds: [imageId] });
  // Just created: DescribeImages may not know it yet (eventual consistency).
  if (images instanceof DescribeFailed) return awsErrorCode(images.err) === 'InvalidAMIID.NotFound' ? null : images;
  return images[0] ?? null;
}

/** How far the image's snapshots are, for a timeout's message ("its snapshots were at 40%, 75%"); empty if unknown. */
async function snapshotProgress(ctx: DeleteContext, image: Image | null): Promise<string> {
  const ids = (image?.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
  if (ids.length === 0) return '';
  try {
    const out = await ctx.client(EC2Client).send(new DescribeSnapshotsCommand({ SnapshotIds: ids }));
    const progress = (out.Snapshots ?? []).map((s) => s.Progress).filter((p): p is string => typeof p === 'string' && p !== '');
    return progress.length > 0 ? `; its snapshots were at ${progress.join(', ')}` : '';
  } catch (err) {
    if (isAbort(err)) throw err;
    return '';
  }
}

type ImageWait =
  | { kind: 'available' }
  | { kind: 'failed'; why: string }
  | { kind: 'timeout'; why: string }
  | { kind: 'cancelled' }
  | { kind: 'unreadable'; failure: DescribeFailed };

/** The plan was cancelled. The delete context carries a signal only if the cleanup gives it one; no call is aborted by it here. */
const cancelled = (ctx: DeleteContext): boolean => ctx.cancelled?.() === true || ctx.signal?.aborted === true;

/** Reads the image until it is `available`, failed, or the wait is over (or the plan is cancelled). */
async function waitForImage(ctx: DeleteContext, imageId: string): Promise<ImageWait> {
  const waitMs = ctx.waitMs ?? IMAGE_WAIT_MS;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (cancelled(ctx)) return { kind: 'cancelled' };
    const image = await imageById(ctx, imageId);
    if (image instanceof DescribeFailed) return { kind: 'unreadable', failure: image };
    const state = image?.State;
    if (state === 'available') return { kind: 'available' };
    if (state !== undefined && FAILED_STATES.has(state)) {
      const reason = image?.StateReason?.Message;
      return { kind: 'failed', why: `is ${state}${reason ? ` (${reason})` : ''}` };
    }
    if (Date.now() >= deadline) {
      const waited = waitMs >= 60_000 ? `${Math.round(waitMs / 60_000)} min` : `${Math.max(1, Math.round(waitMs / 1000))} s`;
      return { kind: 'timeout', why: `was still ${state ?? 'not visible'} after ${waited}${await snapshotProgress(ctx, image)}` };
    }
    try {
      await sleep(ctx.pollMs ?? IMAGE_POLL_MS, undefined, ctx.signal ? { signal: ctx.signal } : undefined);
    } catch (err) {
      if (isAbort(err) && cancelled(ctx)) return { kind: 'cancelled' };
      throw err;
    }
  }
}

export interface ImageThenTerminateDeps {
  /** The kind's own terminate (TerminateInstances, then the parts the user added), the calls made so far first. */
  terminate(calls: readonly string[]): Promise<DeleteOutcome>;
  /** disableApiTermination read now; null when it cannot be read. */
  terminationProtection(): Promise<boolean | null>;
  /** The kind's re-check (state, stop time, protection tag, termination protection, parts), run again after the image wait. */
  recheck(): Promise<RecheckResult>;
}

/** The image's tags: the plan and the instance, on the AMI and on each of its snapshots. */
function tagSpecifications(stored: StoredFinding, planId: string) {
  const tags = [
    { Key: PLAN_TAG_KEY, Value: planId },
    { Key: SOURCE_TAG_KEY, Value: stored.resourceId },
  ];
  const name = `${stored.name ?? stored.resourceId} (image before termination)`.slice(0, 256);
  return [
    { ResourceType: 'image' as const, Tags: [...tags, { Key: 'Name', Value: name }] },
    { ResourceType: 'snapshot' as const, Tags: tags },
  ];
}

/** The dry run: CreateImage and TerminateInstances with DryRun (AWS says whether each would be allowed). */
async function dryRunBoth(ctx: DeleteContext, stored: StoredFinding, deps: ImageThenTerminateDeps): Promise<DeleteOutcome> {
  const call: AuditedCall = { action: 'CreateImage', target: stored.resourceId, dryRun: true };
  const r = await auditedMutation(ctx, call, () =>
    ctx.client(EC2Client).send(
      new CreateImageCommand({ InstanceId: stored.resourceId, Name: imageName(stored.resourceId, ctx.planId), NoReboot: true, TagSpecifications: tagSpecifications(stored, ctx.planId), DryRun: true }),
    ),
  );
  if (isMutationFailure(r)) return failureOutcome(r);
  if (r.kind === 'done') return dryRunIgnored('CreateImage');
  return deps.terminate([callLabel(call, r)]);
}

/** The `image-then-terminate` action of one instance (the guard and the re-check ran before). */
export async function imageThenTerminate(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean, deps: ImageThenTerminateDeps): Promise<DeleteOutcome> {
  const id = stored.resourceId;
  const notApplicable = instanceActionRefusal(stored, IMAGE_THEN_TERMINATE);
  if (notApplicable !== null) return { kind: 'refused', reason: notApplicable };
  if (dryRun) return dryRunBoth(ctx, stored, deps);
  // Read again right before anything is made: an image is never made of an instance AWS will not terminate.
  if ((await deps.terminationProtection()) === true) return { kind: 'refused', reason: TERMINATION_PROTECTION };

  const name = imageName(id, ctx.planId);
  const calls: string[] = [];
  const earlier = await imageByName(ctx, name);
  if (earlier instanceof DescribeFailed) return earlier.outcome(`no image was made, and instance ${id} was NOT terminated`);
  let imageId = earlier?.ImageId;
  if (imageId !== undefined) {
    calls.push(`CreateImage ${id} (not repeated: ${imageId} was made by an earlier attempt of this plan)`);
  } else {
    const call: AuditedCall = { action: 'CreateImage', target: id, dryRun: false };
    const r = await auditedMutation(ctx, call, () =>
      // NoReboot: no effect on a stopped instance; an instance started since the re-check is never rebooted by it.
      ctx.client(EC2Client).send(new CreateImageCommand({ InstanceId: id, Name: name, NoReboot: true, Description: `Cloud Cleaner: image of ${id}${stored.name ? ` (${stored.name})` : ''} before termination, plan ${ctx.planId}`.slice(0, 255), TagSpecifications: tagSpecifications(stored, ctx.planId) })),
    );
    if (r.kind === 'error' && r.code === 'InvalidAMIName.Duplicate') {
      // The SDK retried a call whose first attempt made the image: it is ours (the name holds the plan id).
      const ours = await imageByName(ctx, name);
      if (ours instanceof DescribeFailed) return ours.outcome(`the image named ${name} may exist (tagged ${PLAN_TAG_KEY}=${ctx.planId}); instance ${id} was NOT terminated`);
      imageId = ours?.ImageId;
    } else if (isMutationFailure(r)) {
      const o = failureOutcome(r);
      return o.kind === 'failed' ? { ...o, message: `${o.message}: no image was made, and instance ${id} was NOT terminated` } : o;
    } else if (r.kind === 'done' && r.value !== ALREADY_GONE) {
      imageId = r.value.ImageId;
    }
    if (imageId === undefined) {
      return { kind: 'failed', code: 'ImageFailed', message: `AWS returned no image id: instance ${id} was NOT terminated` };
    }
    calls.push(`CreateImage ${imageId} of ${id}`);
  }

  const waited = await waitForImage(ctx, imageId);
  const keptImage = `image ${imageId} was kept (tagged ${PLAN_TAG_KEY}=${ctx.planId}) and instance ${id} was NOT terminated`;
  if (waited.kind === 'unreadable') return waited.failure.outcome(`${keptImage}. Calls made: ${calls.join(', ')}`);
  if (waited.kind === 'cancelled') return { kind: 'refused', reason: `Cancelled while waiting for the image: ${keptImage}` };
  if (waited.kind !== 'available') {
    const kept =
      waited.kind === 'timeout'
        ? `The image was kept (tagged ${PLAN_TAG_KEY}=${ctx.planId}) and may still become available`
        : `The failed image was kept (tagged ${PLAN_TAG_KEY}=${ctx.planId}): deregister it, and delete any snapshots tagged with the plan`;
    return {
      kind: 'failed',
      code: waited.kind === 'timeout' ? 'ImageTimeout' : 'ImageFailed',
      message: `Image ${imageId} of ${id} ${waited.why}: instance ${id} was NOT terminated. ${kept}. Calls made: ${calls.join(', ')}`,
    };
  }
  // The wait can take hours: the instance is checked again, as the re-check before the delete did, right before it goes.
  const stop = await recheckBeforeTerminate(ctx, deps);
  if (stop !== null) return stop.kind === 'refused' ? { kind: 'refused', reason: `${stop.reason}: ${keptImage}` } : { ...stop, message: `${stop.message}: ${keptImage}` };
  const out = await deps.terminate(calls);
  if (out.kind === 'deleted') return { ...out, safetySnapshotId: imageId };
  if (out.kind === 'failed' || out.kind === 'unauthorized') return { ...out, message: `${out.message} (image ${imageId} was kept)` };
  return out;
}

/** After the image wait: null when the instance may still be terminated, else why not (nothing is sent). */
async function recheckBeforeTerminate(ctx: DeleteContext, deps: ImageThenTerminateDeps): Promise<Exclude<DeleteOutcome, { kind: 'deleted' | 'dry-run-ok' | 'checked' }> | null> {
  if (cancelled(ctx)) return { kind: 'refused', reason: 'Cancelled while waiting for the image' };
  let r: RecheckResult;
  try {
    r = await deps.recheck();
  } catch (err) {
    if (cancelled(ctx)) return { kind: 'refused', reason: 'Cancelled while waiting for the image' };
    if (isAbort(err)) throw err;
    const code = awsErrorCode(err);
    const message = `Could not re-check the instance after the image wait (${awsErrorMessage(err)})`;
    return isUnauthorized(err) ? { kind: 'unauthorized', code, message } : { kind: 'failed', code, message };
  }
  if (r.status === 'unchanged') {
    const notNow = instanceActionRefusal(r.current, IMAGE_THEN_TERMINATE);
    return notNow === null ? (cancelled(ctx) ? { kind: 'refused', reason: 'Cancelled while waiting for the image' } : null) : { kind: 'refused', reason: notNow };
  }
  return { kind: 'refused', reason: r.status === 'protected' ? `protected: ${r.reason}` : `Changed while waiting for the image: ${r.reason}` };
}

/** How long a delete waits for the instance to reach `terminated` before removing the parts the user added. */
const TERMINATE_WAIT_MS = 10 * 60_000;
const TERMINATE_POLL_MS = 3_000;

async function waitTerminated(ctx: DeleteContext, instanceId: string): Promise<boolean> {
  const pollMs = ctx.pollMs ?? TERMINATE_POLL_MS;
  const deadline = Date.now() + (ctx.waitMs ?? TERMINATE_WAIT_MS);
  for (;;) {
    try {
      const out = await ctx.client(EC2Client).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const state = out.Reservations?.flatMap((r) => r.Instances ?? [])[0]?.State?.Name;
      if (state === undefined || state === 'terminated') return true;
    } catch (err) {
      if (awsErrorCode(err) === 'InvalidInstanceID.NotFound') return true;
      throw err;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * The parts the user added to the plan (a volume kept on termination, an Elastic IP that stays allocated): removed
 * after the instance is terminated — a volume detaches and an address disassociates only then.
 */
async function removeAddedParts(ctx: DeleteContext, instanceId: string, added: readonly Part[], dryRun: boolean, calls: string[]): Promise<DeleteOutcome | null> {
  if (added.length === 0) return null;
  if (!dryRun && !(await waitTerminated(ctx, instanceId))) {
    return {
      kind: 'failed',
      code: 'TerminationTimeout',
      message: `Instance ${instanceId} was asked to terminate but did not reach "terminated" in time: ${added.map((p) => p.resourceId).join(', ')} were not removed and still bill. Calls made: ${calls.join(', ')}`,
    };
  }
  const failures: string[] = [];
  for (const part of added) {
    const call =
      part.resourceType === 'ec2:volume'
        ? { action: 'DeleteVolume', target: part.resourceId, dryRun }
        : { action: 'ReleaseAddress', target: part.resourceId, dryRun };
    const r = await auditedMutation(ctx, call, () =>
      call.action === 'DeleteVolume'
        ? ctx.client(EC2Client).send(new DeleteVolumeCommand({ VolumeId: part.resourceId, DryRun: dryRun }))
        : ctx.client(EC2Client).send(new ReleaseAddressCommand({ AllocationId: part.resourceId, DryRun: dryRun })),
    );
    if (r.kind === 'dry-run-ok' || (r.kind === 'done' && !dryRun)) calls.push(callLabel(call, r));
    else if (r.kind === 'done') return dryRunIgnored(call.action);
    else if (dryRun) return failureOutcome(r);
    else failures.push(`${part.resourceId} (${r.code}: ${r.message})`);
  }
  if (failures.length > 0) {
    return {
      kind: 'failed',
      code: 'PartsNotRemoved',
      message: `Instance ${instanceId} was terminated, but ${failures.length} ${failures.length === 1 ? 'part' : 'parts'} added to the plan could not be removed and still bill: ${failures.join('; ')}. Calls made: ${calls.join(', ')}`,
    };
  }
  return null;
}

/** TerminateInstances (DryRun or not), then the parts the user added; `before`: the calls the action made first. */
export async function terminate(ctx: DeleteContext, id: string, added: readonly Part[], dryRun: boolean, before: readonly string[]): Promise<DeleteOutcome> {
  const call = { action: 'TerminateInstances', target: id, dryRun };
  // Termination protection is reported (OperationNotPermitted), never switched off.
  const result = await auditedMutation(ctx, call, () =>
    ctx.client(EC2Client).send(new TerminateInstancesCommand({ InstanceIds: [id], DryRun: dryRun }), { abortSignal: ctx.signal }),
  );
  if (isMutationFailure(result)) return failureOutcome(result);
  if (result.kind === 'done' && dryRun) return dryRunIgnored('TerminateInstances');
  const calls = [...before, callLabel(call, result)];
  const partsOutcome = await removeAddedParts(ctx, id, added, dryRun, calls);
  if (partsOutcome !== null) return partsOutcome;
  return dryRun ? { kind: 'dry-run-ok', calls } : { kind: 'deleted', calls };
}
