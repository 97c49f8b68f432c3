/**
 * Who uses a snapshot or an AMI, read once per scan of a region and kept as sets of ids (thousands of ids per
 * region × many regions: keep no SDK objects). Shared by the snapshot and AMI handlers.
 */
import { AutoScalingClient, DescribeLaunchConfigurationsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { Image, InstanceStateName, Snapshot } from '@aws-sdk/client-ec2';
import { awsErrorCode } from '../aws/errors';
import { chunk, clampPageSize, isUnauthorized } from './ec2-common';
import { NoClientError, tagsToRecord } from './handler';
import type { Finding, HandlerContext, RecheckResult, StoredFinding } from './handler';
import { imagePages, instancePages, snapshotPages, volumePages } from './region-inventory';

/** CopySnapshot (and AMI copies) write this placeholder: a copy has no source volume in its region. */
export const COPIED_SNAPSHOT_VOLUME_ID = 'vol-ffffffff';

/**
 * Instance states in which an instance still uses its AMI. `shutting-down` and `terminated` do not count:
 * the instance is going or gone.
 */
export function instanceStateUsesImage(state: InstanceStateName | string | undefined): boolean {
  switch (state as InstanceStateName) {
    case 'pending':
    case 'running':
    case 'stopping':
    case 'stopped':
      return true;
    case 'shutting-down':
    case 'terminated':
      return false;
    default:
      // Unknown (or missing) state: count it as using the AMI rather than guess it is gone.
      return true;
  }
}

/** The distinct EBS snapshot ids an AMI's block-device mappings reference. */
export function imageSnapshotIds(image: Image): string[] {
  const ids = new Set<string>();
  for (const m of image.BlockDeviceMappings ?? []) {
    const id = m.Ebs?.SnapshotId;
    if (id !== undefined && id !== '') ids.add(id);
  }
  return [...ids];
}

/** Every volume id in the region (DescribeVolumes, paged 5–500; shared with the other handlers in a scan). */
export async function loadExistingVolumeIds(ctx: HandlerContext): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const volumes of volumePages(ctx)) {
    for (const v of volumes) if (v.VolumeId !== undefined) ids.add(v.VolumeId);
  }
  return ids;
}

/** Whether one volume exists (explicit id: no MaxResults). */
export async function volumeExists(ctx: HandlerContext, volumeId: string): Promise<boolean> {
  try {
    const out = await ctx.client(EC2Client).send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }), {
      abortSignal: ctx.signal,
    });
    return (out.Volumes ?? []).some((v) => v.VolumeId === volumeId);
  } catch (err) {
    if (awsErrorCode(err) === 'InvalidVolume.NotFound') return false;
    throw err;
  }
}

/**
 * The account's AMIs in the region, page by page (DescribeImages, paged 5–1000), disabled AMIs included: without
 * `IncludeDisabled` AWS omits them, yet they still hold (and bill for) their snapshots.
 */
export function ownImagePages(ctx: HandlerContext): AsyncIterable<Image[]> {
  return imagePages(ctx, () => listOwnImagePages(ctx));
}

async function* listOwnImagePages(ctx: HandlerContext): AsyncGenerator<Image[]> {
  let token: string | undefined;
  do {
    const out = await ctx.client(EC2Client).send(
      new DescribeImagesCommand({
        Owners: ['self'],
        IncludeDisabled: true,
        MaxResults: clampPageSize(ctx.pageSize, 5, 1000),
        NextToken: token,
      }),
      { abortSignal: ctx.signal },
    );
    yield out.Images ?? [];
    token = out.NextToken;
  } while (token);
}

/** snapshot id → the account's AMIs in the region that reference it, disabled AMIs included. */
export async function loadImageSnapshotUsage(ctx: HandlerContext): Promise<Map<string, string[]>> {
  const usage = new Map<string, string[]>();
  for await (const images of ownImagePages(ctx)) {
    for (const image of images) addImageToUsage(usage, image);
  }
  return usage;
}

function addImageToUsage(usage: Map<string, string[]>, image: Image): void {
  if (image.ImageId === undefined || image.State === 'deregistered') return;
  for (const snapshotId of imageSnapshotIds(image)) {
    const users = usage.get(snapshotId);
    if (users === undefined) usage.set(snapshotId, [image.ImageId]);
    else if (!users.includes(image.ImageId)) users.push(image.ImageId);
  }
}

/**
 * The same map restricted to a few snapshots (recheck). The filter narrows the answer; the mappings are
 * checked again here so a server that ignored the filter cannot make an unrelated AMI count.
 */
export async function imagesUsingSnapshots(
  ctx: HandlerContext,
  snapshotIds: readonly string[],
): Promise<Map<string, string[]>> {
  const usage = new Map<string, string[]>();
  if (snapshotIds.length === 0) return usage;
  const wanted = new Set(snapshotIds);
  let token: string | undefined;
  do {
    const out = await ctx.client(EC2Client).send(
      new DescribeImagesCommand({
        Owners: ['self'],
        IncludeDisabled: true,
        Filters: [{ Name: 'block-device-mapping.snapshot-id', Values: [...snapshotIds] }],
        NextToken: token,
      }),
      { abortSignal: ctx.signal },
    );
    for (const image of out.Images ?? []) addImageToUsage(usage, image);
    token = out.NextToken;
  } while (token);
  for (const id of [...usage.keys()]) if (!wanted.has(id)) usage.delete(id);
  return usage;
}

/** What pricing needs from DescribeSnapshots about one snapshot. */
export interface SnapshotFacts {
  volumeSizeGiB: number | null;
  fullSnapshotSizeBytes: number | null;
  storageTier: string | null;
  /** The snapshot's own tags (protection of an AMI's snapshot protects the AMI). */
  tags: Record<string, string>;
  description: string | null;
}

function snapshotFactsOf(s: Snapshot): SnapshotFacts {
  return {
    volumeSizeGiB: s.VolumeSize ?? null,
    fullSnapshotSizeBytes: s.FullSnapshotSizeInBytes ?? null,
    storageTier: s.StorageTier ?? null,
    tags: tagsToRecord(s.Tags),
    description: s.Description ?? null,
  };
}

/**
 * The same facts for `ids`, read from the region's shared listing of the account's snapshots: for a scan in which
 * another kind (orphaned snapshots) lists every snapshot anyway, instead of DescribeSnapshots by id on top of it.
 */
export async function listedSnapshotFacts(ctx: HandlerContext, ids: ReadonlySet<string>): Promise<Map<string, SnapshotFacts>> {
  const facts = new Map<string, SnapshotFacts>();
  for await (const page of snapshotPages(ctx)) {
    for (const s of page) if (s.SnapshotId !== undefined && ids.has(s.SnapshotId)) facts.set(s.SnapshotId, snapshotFactsOf(s));
  }
  return facts;
}

/** Snapshot facts (full size, tier) by id, in batches. Missing ones fall back to the mappings' VolumeSize. */
export async function describeSnapshotFacts(ctx: HandlerContext, ids: readonly string[]): Promise<Map<string, SnapshotFacts>> {
  const facts = new Map<string, SnapshotFacts>();
  const describe = async (batch: string[]): Promise<void> => {
    const out = await ctx.client(EC2Client).send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], SnapshotIds: batch }), {
      abortSignal: ctx.signal,
    });
    for (const s of out.Snapshots ?? []) if (s.SnapshotId !== undefined) facts.set(s.SnapshotId, snapshotFactsOf(s));
  };
  for (const batch of chunk([...new Set(ids)], 100)) {
    try {
      await describe(batch);
    } catch (err) {
      if (awsErrorCode(err) !== 'InvalidSnapshot.NotFound') throw err;
      // One vanished id fails the whole batch: ask one by one so the others keep their facts (and their tags).
      for (const id of batch) {
        try {
          await describe([id]);
        } catch (e) {
          if (awsErrorCode(e) !== 'InvalidSnapshot.NotFound') throw e;
        }
      }
    }
  }
  return facts;
}

/**
 * AMI ids used by an instance in any state but shutting-down/terminated (all states listed, paged 5–1000; shared
 * with the instance handler in a scan).
 */
export async function loadInstanceImageIds(ctx: HandlerContext): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const instances of instancePages(ctx)) {
    for (const i of instances) {
      if (i.ImageId !== undefined && instanceStateUsesImage(i.State?.Name)) ids.add(i.ImageId);
    }
  }
  return ids;
}

/** Instances (not shutting-down/terminated) launched from one AMI (recheck). */
export async function instancesUsingImage(ctx: HandlerContext, imageId: string): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.client(EC2Client).send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'image-id', Values: [imageId] }], NextToken: token }),
      { abortSignal: ctx.signal },
    );
    for (const r of out.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        if (i.ImageId === imageId && i.InstanceId !== undefined && instanceStateUsesImage(i.State?.Name)) {
          found.push(i.InstanceId);
        }
      }
    }
    token = out.NextToken;
  } while (token);
  return found;
}

// Launch templates (every version, with a batched `$Latest,$Default` call where it provably covers them all).
export { loadLaunchTemplateImageUsage } from './ec2-launch-template-usage';
export type { LaunchTemplateImageUsage, UnresolvedImageRef } from './ec2-launch-template-usage';

/**
 * AMI ids named by the region's Auto Scaling launch configurations (the legacy predecessor of launch templates: an
 * Auto Scaling group launches from them on scale-out), or why they could not be read. `unknown` is never read as
 * "none": the AMI handler then protects otherwise-unused AMIs instead of guessing.
 */
export type LaunchConfigurationImageUsage =
  | { status: 'read'; imageIds: Set<string> }
  | { status: 'unknown'; reason: string };

/**
 * Every launch configuration of the region (DescribeLaunchConfigurations, paged 1–100). A missing client or a denied
 * call gives `unknown`; any other error (throttling after retries, network) fails the task like other Describes.
 */
export async function loadLaunchConfigurationImageUsage(ctx: HandlerContext): Promise<LaunchConfigurationImageUsage> {
  let client: AutoScalingClient;
  try {
    client = ctx.client(AutoScalingClient);
  } catch (err) {
    if (err instanceof NoClientError) return { status: 'unknown', reason: 'no Auto Scaling client for this region' };
    throw err;
  }
  const imageIds = new Set<string>();
  let token: string | undefined;
  do {
    let out;
    try {
      out = await client.send(
        new DescribeLaunchConfigurationsCommand({ MaxRecords: clampPageSize(ctx.pageSize, 1, 100), NextToken: token }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      if (isUnauthorized(err)) return { status: 'unknown', reason: 'autoscaling:DescribeLaunchConfigurations denied' };
      throw err;
    }
    for (const lc of out.LaunchConfigurations ?? []) {
      const id = lc.ImageId?.trim();
      if (id !== undefined && id !== '') imageIds.add(id);
    }
    token = out.NextToken;
  } while (token);
  return { status: 'read', imageIds };
}

/**
 * Snapshots and AMIs made by AWS Backup or Amazon Data Lifecycle Manager belong to a policy with its own
 * retention: deleting them behind the policy's back is not what the user asked for (and AWS Backup refuses
 * EC2-API deletes of its recovery points anyway). They are reported as protected, with this reason.
 */
export function managedByPolicyReason(tags: Record<string, string>, description?: string | null): string | null {
  for (const [key, value] of Object.entries(tags)) {
    if (key.startsWith('aws:backup:')) {
      return `Managed by AWS Backup (tag ${key}${value === '' ? '' : `=${value}`}): remove it through its backup plan`;
    }
  }
  const dlmPolicy = tags['aws:dlm:lifecycle-policy-id'];
  if (dlmPolicy !== undefined) {
    return `Managed by Data Lifecycle Manager policy ${dlmPolicy}: the policy's retention deletes it`;
  }
  for (const key of Object.keys(tags)) {
    if (key.startsWith('aws:dlm:')) return `Managed by Data Lifecycle Manager (tag ${key}): the policy's retention deletes it`;
  }
  if (description?.startsWith('This snapshot is created by the AWS Backup service')) {
    return 'Managed by AWS Backup (its description says so): remove it through its backup plan';
  }
  return null;
}

/** Error codes that mean "this id no longer exists" for the describes the handlers re-run. */
export function isNotFound(err: unknown): boolean {
  const code = awsErrorCode(err);
  return (
    code === 'InvalidSnapshot.NotFound' ||
    code === 'InvalidAMIID.NotFound' ||
    code === 'InvalidAMIID.Unavailable' ||
    code === 'InvalidVolume.NotFound'
  );
}

/**
 * The recheck verdict shared by the snapshot and AMI handlers, from the finding built again with the same
 * rules as the scan. `whyUsed` says why the resource no longer counts as unused (null when it still does).
 */
export function recheckVerdict(stored: StoredFinding, current: Finding, whyUsed: string | null): RecheckResult {
  if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
  if (!current.unused) return { status: 'changed', reason: whyUsed ?? 'No longer unused', current };
  if (!stored.unused) return { status: 'changed', reason: 'Now unused (it was in use when reviewed)', current };
  if (stored.protected) return { status: 'changed', reason: 'No longer protected (it was when reviewed)', current };
  if (current.state !== stored.state) {
    return { status: 'changed', reason: `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
  }
  return { status: 'unchanged', current };
}
