/**
 * Orphaned EBS snapshots: Cloud Custodian's rule (the source volume no longer exists), corrected so that a
 * snapshot backing a registered AMI — disabled AMIs included — is in use, and so that copies are not guessed.
 */
import { DeleteSnapshotCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Snapshot } from '@aws-sdk/client-ec2';
import { EBS_SNAPSHOT_PRICE_KEYS } from '../pricing/keys/ebs';
import { assertNever } from '../../shared/assert-never';
import { SERVICE_EBS, SERVICE_EC2_OTHER } from './ec2-common';
import { auditedMutation, callLabel, dryRunIgnored, failureOutcome } from './ec2-mutation';
import {
  COPIED_SNAPSHOT_VOLUME_ID,
  imagesUsingSnapshots,
  isNotFound,
  loadExistingVolumeIds,
  loadImageSnapshotUsage,
  managedByPolicyReason,
  recheckVerdict,
  volumeExists,
} from './ec2-usage-index';
import { protectionByTag, tagsToRecord } from './handler';
import type {
  DeleteContext,
  DeleteOutcome,
  Finding,
  HandlerContext,
  RecheckResult,
  ResourceHandler,
  StoredFinding,
} from './handler';
import { snapshotPages, volumeListingStartedAt } from './region-inventory';
import { priceSnapshot } from './snapshot-pricing';

/** What the decision needs to know about the rest of the region. */
interface SnapshotLookups {
  volumeExists(volumeId: string): boolean;
  imagesUsing(snapshotId: string): readonly string[];
  /** When the volume list was read; a snapshot started later may come from a volume that list missed. */
  volumesReadAt: Date | null;
}

type Verdict =
  | { unused: true; reason: string }
  /** `why` explains in-use; `unknown` is set when the rule cannot be decided (shown, never guessed). */
  | { unused: false; why: string; unknown: string | null };

function classify(s: Snapshot, lookups: SnapshotLookups): Verdict {
  const id = s.SnapshotId ?? '';
  if (s.State !== 'completed') {
    return { unused: false, why: `State is ${s.State ?? 'unknown'}, not completed`, unknown: null };
  }
  const images = lookups.imagesUsing(id);
  if (images.length > 0) return { unused: false, why: `Used by AMI ${images.join(', ')}`, unknown: null };
  const volumeId = s.VolumeId;
  if (volumeId === undefined || volumeId === '' || volumeId === COPIED_SNAPSHOT_VOLUME_ID) {
    // A copy (CopySnapshot, cross-region or cross-account) records the placeholder vol-ffffffff: its source
    // volume lives elsewhere, so "source volume gone" cannot be checked. Copies are usually deliberate
    // (backups kept in another region): never call them orphaned on a guess.
    const unknown =
      'Copied snapshot: its source volume is in another region or account (AWS records vol-ffffffff), so whether it still exists cannot be checked';
    return { unused: false, why: unknown, unknown };
  }
  if (lookups.volumesReadAt !== null && s.StartTime !== undefined && s.StartTime >= lookups.volumesReadAt) {
    const unknown = `Started after the volume list was read, so whether ${volumeId} exists is decided on the next scan`;
    return { unused: false, why: unknown, unknown };
  }
  if (lookups.volumeExists(volumeId)) {
    return { unused: false, why: `Source volume ${volumeId} still exists`, unknown: null };
  }
  return { unused: true, reason: `Source volume ${volumeId} no longer exists and no AMI uses this snapshot` };
}

function protection(tags: Record<string, string>, description: string | null | undefined, tagKey: string): string | null {
  return protectionByTag(tags, tagKey) ?? managedByPolicyReason(tags, description);
}

function toFinding(ctx: HandlerContext, s: Snapshot, lookups: SnapshotLookups): { finding: Finding; verdict: Verdict } {
  const verdict = classify(s, lookups);
  const tags = tagsToRecord(s.Tags);
  const protectedReason = protection(tags, s.Description, ctx.settings.protectionTagKey);
  const price = priceSnapshot(
    { sizeGiB: s.VolumeSize ?? null, fullSnapshotSizeBytes: s.FullSnapshotSizeInBytes ?? null, storageTier: s.StorageTier ?? null },
    ctx.prices,
  );
  const finding: Finding = {
    resourceType: 'ec2:snapshot',
    resourceId: s.SnapshotId ?? '',
    region: ctx.region,
    name: tags['Name'] ?? null,
    state: s.State ?? null,
    tags,
    createdAt: s.StartTime?.toISOString() ?? null,
    unused: verdict.unused,
    unusedReason: verdict.unused ? verdict.reason : null,
    // AWS records no deletion time for the source volume: unknown, never guessed.
    unusedSince: null,
    monthlyCost: price.monthlyCost,
    costBasis: price.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      volumeId: s.VolumeId ?? null,
      volumeSizeGiB: s.VolumeSize ?? null,
      fullSnapshotSizeBytes: s.FullSnapshotSizeInBytes ?? null,
      storageTier: s.StorageTier ?? null,
      startTime: s.StartTime?.toISOString() ?? null,
      description: s.Description ?? null,
      encrypted: s.Encrypted ?? null,
      usedByImages: [...lookups.imagesUsing(s.SnapshotId ?? '')],
      usageUnknown: verdict.unused ? null : verdict.unknown,
    },
  };
  return { finding, verdict };
}

async function* scan(ctx: HandlerContext): AsyncIterable<Finding[]> {
  // Read once per region, before the first page: every snapshot page is decided against the same picture.
  // Wall clock, not ctx.now: it bounds what the volume list can have seen.
  // In a scan the listing may be shared and have started earlier (another handler): its start is the bound.
  const readStarted = new Date();
  const volumeIds = await loadExistingVolumeIds(ctx);
  const sharedStart = volumeListingStartedAt(ctx);
  const volumesReadAt = sharedStart !== null && sharedStart < readStarted ? sharedStart : readStarted;
  const imageUsage = await loadImageSnapshotUsage(ctx);
  const lookups: SnapshotLookups = {
    volumeExists: (id) => volumeIds.has(id),
    imagesUsing: (id) => imageUsage.get(id) ?? [],
    volumesReadAt,
  };
  // Every snapshot the account owns (paged 5–1000); in a scan, the listing the AMI kind reads its snapshots' sizes from.
  for await (const snapshots of snapshotPages(ctx)) {
    const page: Finding[] = [];
    for (const s of snapshots) {
      if (s.SnapshotId === undefined) continue;
      page.push(toFinding(ctx, s, lookups).finding);
    }
    if (page.length > 0) yield page;
  }
}

async function recheck(ctx: HandlerContext, stored: StoredFinding): Promise<RecheckResult> {
  let snapshot: Snapshot | undefined;
  try {
    const out = await ctx.client(EC2Client).send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], SnapshotIds: [stored.resourceId] }),
      { abortSignal: ctx.signal },
    );
    snapshot = (out.Snapshots ?? []).find((s) => s.SnapshotId === stored.resourceId);
  } catch (err) {
    if (isNotFound(err)) return { status: 'gone', reason: `Snapshot ${stored.resourceId} no longer exists` };
    throw err;
  }
  if (snapshot === undefined) return { status: 'gone', reason: `Snapshot ${stored.resourceId} no longer exists` };

  const volumeId = snapshot.VolumeId;
  const sourceExists =
    volumeId !== undefined && volumeId !== '' && volumeId !== COPIED_SNAPSHOT_VOLUME_ID
      ? await volumeExists(ctx, volumeId)
      : false;
  const usage = await imagesUsingSnapshots(ctx, [stored.resourceId]);
  const lookups: SnapshotLookups = {
    volumeExists: (id) => id === volumeId && sourceExists,
    imagesUsing: (id) => usage.get(id) ?? [],
    // The volume was described after the snapshot: nothing it could have missed.
    volumesReadAt: null,
  };
  const { finding: current, verdict } = toFinding(ctx, snapshot, lookups);
  return recheckVerdict(stored, current, verdict.unused ? null : verdict.why);
}

async function deleteSnapshot(
  ctx: DeleteContext,
  stored: StoredFinding,
  opts: { dryRun: boolean },
): Promise<DeleteOutcome> {
  // The same rule as the scan, on the reviewed tags; a stored protection (e.g. from the scan) also holds.
  const description = typeof stored.details['description'] === 'string' ? stored.details['description'] : null;
  const reason =
    protection(stored.tags, description, ctx.settings.protectionTagKey) ??
    (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (reason !== null) return { kind: 'refused', reason };

  const call = { action: 'DeleteSnapshot', target: stored.resourceId, dryRun: opts.dryRun };
  const result = await auditedMutation(ctx, call, () =>
    ctx.client(EC2Client).send(new DeleteSnapshotCommand({ SnapshotId: stored.resourceId, DryRun: opts.dryRun }), {
      abortSignal: ctx.signal,
    }),
  );
  const calls = [callLabel(call, result)];
  switch (result.kind) {
    case 'dry-run-ok':
      return { kind: 'dry-run-ok', calls };
    case 'done':
      // A dry run that "succeeds" means the endpoint ignored DryRun: say so rather than report a dry run.
      return opts.dryRun ? dryRunIgnored('DeleteSnapshot') : { kind: 'deleted', calls };
    case 'unauthorized':
    case 'error':
      // InvalidSnapshot.InUse (an AMI registered since the review) lands here as `failed`, with AWS's code.
      return failureOutcome(result);
    default:
      return assertNever(result);
  }
}

export const orphanedSnapshotsHandler: ResourceHandler = {
  type: 'ec2:snapshot',
  label: 'Orphaned snapshots',
  noun: 'EBS snapshot',
  consoleUrl: 'https://{host}/ec2/home?region={region}#SnapshotDetails:snapshotId={id}',
  iam: { scan: ['ec2:DescribeSnapshots', 'ec2:DescribeVolumes', 'ec2:DescribeImages'], action: ['ec2:DeleteSnapshot'] },
  actionLabel: 'Delete',
  verification: { method: 'dry-run', description: 'EC2 DryRun: AWS answers whether each call would succeed, permissions included, and changes nothing' },
  priceKeys: EBS_SNAPSHOT_PRICE_KEYS,
  detailFields: [
    { key: 'volumeId', label: 'Source volume' },
    { key: 'volumeSizeGiB', label: 'Source volume size', unit: 'GiB' },
    { key: 'fullSnapshotSizeBytes', label: 'Full snapshot size', unit: 'bytes' },
    { key: 'storageTier', label: 'Storage tier' },
    { key: 'startTime', label: 'Taken', format: 'datetime' },
    { key: 'description', label: 'Description' },
    { key: 'encrypted', label: 'Encrypted', format: 'boolean' },
    { key: 'usedByImages', label: 'Used by AMIs', format: 'list' },
  ],
  category: 'Storage',
  serviceCodes: [SERVICE_EC2_OTHER, SERVICE_EBS],
  billingServiceCode: SERVICE_EC2_OTHER,
  deleteOrder: 30,
  listings: ['volumes', 'images', 'snapshots'],
  scan,
  recheck,
  delete: deleteSnapshot,
  // A snapshot takes nothing with it.
  // A snapshot stands alone: deleting it removes nothing else.
  parts: (finding) => ({ own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] }),
};
