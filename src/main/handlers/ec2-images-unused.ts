/**
 * Unused AMIs: owned by the account, used by no instance (in any state but shutting-down/terminated) and named
 * by no version of any launch template nor by any Auto Scaling launch configuration in the region. Deleting one
 * deregisters it, then deletes the snapshots only it uses (a snapshot shared by several AMIs keeps billing until the
 * last one goes, so it stays).
 */
import { DeleteSnapshotCommand, DeregisterImageCommand, DescribeImageAttributeCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Image, ImageState, LaunchPermission } from '@aws-sdk/client-ec2';
import { EBS_SNAPSHOT_PRICE_KEYS } from '../pricing/keys/ebs';
import { assertNever } from '../../shared/assert-never';
import { isUnauthorized, SERVICE_EBS, SERVICE_EC2_OTHER } from './ec2-common';
import { auditedMutation, callLabel, dryRunIgnored, failureOutcome } from './ec2-mutation';
import {
  describeSnapshotFacts,
  imageSnapshotIds,
  imagesUsingSnapshots,
  instancesUsingImage,
  isNotFound,
  loadImageSnapshotUsage,
  loadInstanceImageIds,
  loadLaunchConfigurationImageUsage,
  listedSnapshotFacts,
  loadLaunchTemplateImageUsage,
  managedByPolicyReason,
  ownImagePages,
  recheckVerdict,
} from './ec2-usage-index';
import type { LaunchConfigurationImageUsage, LaunchTemplateImageUsage, SnapshotFacts } from './ec2-usage-index';
import { protectionByTag, roundCost, tagsToRecord } from './handler';
import type { DeleteContext, DeleteOutcome, Finding, HandlerContext, HandlerSettings, ItemParts, Part, RecheckResult, ResourceHandler, StoredFinding } from './handler';
import { partProtection, storedTags } from './parts';
import { priceSnapshotTerms } from './snapshot-pricing';

/** One snapshot of an AMI, as stored in `details.snapshots`. */
export interface ImageSnapshot {
  snapshotId: string;
  sizeGiB: number | null;
  /** Other AMIs of the account that also use this snapshot: it stays (and bills) while any remains. */
  sharedWithImages: string[];
  fullSnapshotSizeBytes: number | null;
  storageTier: string | null;
  /** Its monthly cost (null = unknown) and the formula. */
  monthlyCost: number | null;
  costBasis: string;
  /** Its own tags; null when the snapshot could not be described. */
  tags: Record<string, string> | null;
  description: string | null;
}

interface ImageLookups {
  /** Why an instance counts as using the AMI (`instance i-…`), or null. */
  instanceUser(imageId: string): string | null;
  launchTemplates: LaunchTemplateImageUsage;
  launchConfigurations: LaunchConfigurationImageUsage;
  imagesUsingSnapshot(snapshotId: string): readonly string[];
  snapshotFacts(snapshotId: string): SnapshotFacts | undefined;
  /** The AMI's launch permissions; undefined in a scan (read at re-check, one call per AMI). */
  launchPermissions?: readonly LaunchPermission[];
}

const PUBLIC_AMI = 'Public AMI: may be launched by others';

/** Who else may launch the AMI, from its launch permissions (read at re-check), or null when nobody. */
function sharedWith(permissions: readonly LaunchPermission[] | undefined): string | null {
  if (permissions === undefined || permissions.length === 0) return null;
  if (permissions.some((p) => p.Group === 'all')) return PUBLIC_AMI;
  const who = permissions.map((p) => p.UserId ?? p.OrganizationArn ?? p.OrganizationalUnitArn ?? '').filter((x) => x !== '');
  return who.length === 0 ? null : `Shared with ${who.join(', ')}: may be launched by others`;
}

type Verdict = { unused: true; reason: string } | { unused: false; why: string };

function classify(image: Image, lookups: ImageLookups): Verdict {
  const id = image.ImageId ?? '';
  const state = (image.State ?? 'unknown') as ImageState | 'unknown';
  switch (state) {
    case 'available':
    case 'disabled':
      break;
    case 'pending':
    case 'transient':
    case 'failed':
    case 'error':
    case 'invalid':
    case 'deregistered':
    case 'unknown':
      // Being created, broken or going: not a cleanup candidate on this handler's rule.
      return { unused: false, why: `State is ${state}` };
    default:
      return assertNever(state);
  }
  const user = lookups.instanceUser(id);
  if (user !== null) return { unused: false, why: `Used by ${user}` };
  if (lookups.launchTemplates.imageIds.has(id)) return { unused: false, why: 'Named by a launch template version' };
  const lcs = lookups.launchConfigurations;
  if (lcs.status === 'read' && lcs.imageIds.has(id)) return { unused: false, why: 'Named by an Auto Scaling launch configuration' };
  const last = image.LastLaunchedTime ? `; last used to launch an instance ${image.LastLaunchedTime}` : '';
  // Only claim what was checked: unread launch configurations are named in the protection reason instead.
  const users =
    lcs.status === 'read'
      ? 'No instance (in any state but terminated), no launch template version and no Auto Scaling launch configuration'
      : 'No instance (in any state but terminated) and no launch template version';
  return { unused: true, reason: `${users} in this region uses this AMI${last}` };
}

/**
 * Why the AMI may not be deleted. A launch template version that takes its AMI from an SSM parameter
 * (`resolve:ssm:…`) may launch ANY AMI the parameter points to, now or later; the app cannot tell which. An
 * AMI otherwise unused is then still reported (it is a candidate) but protected with that reason, so it is
 * shown and never deleted on a guess. Once the template names AMI ids, the protection lifts on the next scan.
 * Launch configurations that could not be read (no client, or the call denied) are the same kind of unknown: any
 * of them may name this AMI, so an otherwise-unused AMI is protected with that reason.
 */
function protection(
  ctx: HandlerContext,
  image: Image,
  tags: Record<string, string>,
  verdict: Verdict,
  lookups: ImageLookups,
): string | null {
  const byTag = protectionByTag(tags, ctx.settings.protectionTagKey);
  if (byTag !== null) return byTag;
  const managed = managedByPolicyReason(tags);
  if (managed !== null) return managed;
  const dp = image.DeregistrationProtection;
  if (dp !== undefined && dp.startsWith('enabled')) return `Deregistration protection is on (${dp})`;
  if (image.Public === true) return PUBLIC_AMI;
  const shared = sharedWith(lookups.launchPermissions);
  if (shared !== null) return shared;
  // Only matters for a candidate: an AMI in use is not deleted anyway.
  if (!verdict.unused) return null;
  return ssmAmbiguity(lookups.launchTemplates) ?? launchConfigurationsUnknown(lookups.launchConfigurations);
}

function launchConfigurationsUnknown(lcs: LaunchConfigurationImageUsage): string | null {
  if (lcs.status === 'read') return null;
  return `Could not check Auto Scaling launch configurations (${lcs.reason}); this AMI may be in use`;
}

function ssmAmbiguity(t: LaunchTemplateImageUsage): string | null {
  if (t.firstUnresolved === null) return null;
  const f = t.firstUnresolved;
  const version = f.version === null ? '' : ` version ${f.version}`;
  const more = t.unresolvedCount > 1 ? ` (and ${t.unresolvedCount - 1} more version(s))` : '';
  return `Launch template ${f.launchTemplateId}${version}${more} picks its AMI at launch from ${f.imageRef}; the app cannot tell which AMI that is, so this AMI may be in use`;
}

function imageSnapshots(image: Image, lookups: ImageLookups, ctx: HandlerContext): ImageSnapshot[] {
  const out: ImageSnapshot[] = [];
  const seen = new Set<string>();
  for (const m of image.BlockDeviceMappings ?? []) {
    const snapshotId = m.Ebs?.SnapshotId;
    if (snapshotId === undefined || snapshotId === '' || seen.has(snapshotId)) continue;
    seen.add(snapshotId);
    const facts = lookups.snapshotFacts(snapshotId);
    const sizeGiB = facts?.volumeSizeGiB ?? m.Ebs?.VolumeSize ?? null;
    const fullSnapshotSizeBytes = facts?.fullSnapshotSizeBytes ?? null;
    const storageTier = facts?.storageTier ?? null;
    const price =
      ctx.prices === null
        ? { monthlyCost: null, terms: 'Cost unknown: no prices for this region' }
        : priceSnapshotTerms({ sizeGiB, fullSnapshotSizeBytes, storageTier }, ctx.prices);
    out.push({
      snapshotId,
      sizeGiB,
      sharedWithImages: lookups.imagesUsingSnapshot(snapshotId).filter((other) => other !== image.ImageId),
      fullSnapshotSizeBytes,
      storageTier,
      monthlyCost: price.monthlyCost,
      costBasis: `${price.terms} (${ctx.prices?.region ?? ctx.region})`,
      tags: facts?.tags ?? null,
      description: facts?.description ?? null,
    });
  }
  return out;
}

/** What deleting the AMI saves: its own snapshots; shared ones keep billing until their last AMI goes. */
function priceImage(image: Image, snapshots: readonly ImageSnapshot[], ctx: HandlerContext): { monthlyCost: number | null; costBasis: string } {
  const prices = ctx.prices;
  if (prices === null) return { monthlyCost: null, costBasis: 'Cost unknown: no prices for this region' };
  const region = prices.region;
  if (snapshots.length === 0) {
    const why = image.RootDeviceType === 'instance-store'
      ? 'instance-store AMI (its bundle is stored in S3, not priced here)'
      : 'AWS listed no EBS snapshots for this AMI';
    return { monthlyCost: null, costBasis: `Cost unknown: ${why} (${region})` };
  }
  const own = snapshots.filter((s) => s.sharedWithImages.length === 0);
  const shared = snapshots.filter((s) => s.sharedWithImages.length > 0);
  const sharedNote = shared.map((s) => `${s.snapshotId} also backs ${s.sharedWithImages.join(', ')}`).join('; ');
  if (own.length === 0) {
    return {
      monthlyCost: 0,
      costBasis: `$0: every snapshot is shared (${sharedNote}) and keeps billing until the last of those AMIs goes (${region})`,
    };
  }
  let total = 0;
  const terms: string[] = [];
  for (const s of own) {
    if (s.monthlyCost === null) {
      return { monthlyCost: null, costBasis: `Cost unknown for ${s.snapshotId}: ${s.costBasis.replace(/^Cost unknown: /, '').replace(/ \([a-z0-9-]+\)$/, '')} (${region})` };
    }
    total += s.monthlyCost;
    terms.push(`${s.snapshotId} ${s.costBasis.replace(/ \([a-z0-9-]+\)$/, '')}`);
  }
  const excluded = shared.length > 0 ? ` (not counted, shared: ${sharedNote})` : '';
  return { monthlyCost: roundCost(total), costBasis: `${terms.join(' + ')}${excluded} (${region})` };
}

function toFinding(ctx: HandlerContext, image: Image, lookups: ImageLookups): { finding: Finding; verdict: Verdict } {
  const tags = tagsToRecord(image.Tags);
  const verdict = classify(image, lookups);
  const protectedReason = protection(ctx, image, tags, verdict, lookups);
  const snapshots = imageSnapshots(image, lookups, ctx);
  const price = priceImage(image, snapshots, ctx);
  const finding: Finding = {
    resourceType: 'ec2:image',
    resourceId: image.ImageId ?? '',
    region: ctx.region,
    name: tags['Name'] ?? null,
    state: image.State ?? null,
    tags,
    createdAt: image.CreationDate ?? null,
    unused: verdict.unused,
    unusedReason: verdict.unused ? verdict.reason : null,
    // LastLaunchedTime is the last launch from this AMI (AWS reports it with up to 24 h delay); without it the
    // time is unknown, never guessed from the creation date.
    unusedSince: verdict.unused ? (image.LastLaunchedTime ?? null) : null,
    monthlyCost: price.monthlyCost,
    costBasis: price.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      name: image.Name ?? null,
      state: image.State ?? null,
      creationDate: image.CreationDate ?? null,
      lastLaunchedTime: image.LastLaunchedTime ?? null,
      snapshots,
      platform: image.PlatformDetails ?? image.Platform ?? null,
      architecture: image.Architecture ?? null,
      rootDeviceType: image.RootDeviceType ?? null,
      deregistrationProtection: image.DeregistrationProtection ?? null,
      usedBy: verdict.unused ? null : verdict.why,
    },
  };
  return { finding, verdict };
}

async function* scan(ctx: HandlerContext): AsyncIterable<Finding[]> {
  // Read once per region, before the first page (sets of ids only).
  const snapshotUsage = await loadImageSnapshotUsage(ctx);
  const instanceImages = await loadInstanceImageIds(ctx);
  const launchTemplates = await loadLaunchTemplateImageUsage(ctx);
  const launchConfigurations = await loadLaunchConfigurationImageUsage(ctx);
  // When another kind of this scan lists every snapshot of the region anyway, the AMIs' snapshots are read from that
  // listing (their ids are the usage map's keys); otherwise by id, 100 a call, page by page.
  const listed = (ctx.inventory?.declaredBy('snapshots') ?? 0) > 1 ? await listedSnapshotFacts(ctx, new Set(snapshotUsage.keys())) : null;
  for await (const all of ownImagePages(ctx)) {
    const images = all.filter((i) => i.ImageId !== undefined && i.State !== 'deregistered');
    const facts = listed ?? (await describeSnapshotFacts(ctx, images.flatMap(imageSnapshotIds)));
    const lookups: ImageLookups = {
      instanceUser: (id) => (instanceImages.has(id) ? 'an instance that is not terminated' : null),
      launchTemplates,
      launchConfigurations,
      imagesUsingSnapshot: (id) => snapshotUsage.get(id) ?? [],
      snapshotFacts: (id) => facts.get(id),
    };
    const page = images.map((i) => toFinding(ctx, i, lookups).finding);
    if (page.length > 0) yield page;
  }
}

async function recheck(ctx: HandlerContext, stored: StoredFinding): Promise<RecheckResult> {
  const gone: RecheckResult = { status: 'gone', reason: `AMI ${stored.resourceId} is no longer registered` };
  let image: Image | undefined;
  try {
    const out = await ctx.client(EC2Client).send(
      new DescribeImagesCommand({ ImageIds: [stored.resourceId], Owners: ['self'], IncludeDisabled: true }),
      { abortSignal: ctx.signal },
    );
    image = (out.Images ?? []).find((i) => i.ImageId === stored.resourceId);
  } catch (err) {
    if (isNotFound(err)) return gone;
    throw err;
  }
  if (image === undefined || image.State === 'deregistered') return gone;

  const instances = await instancesUsingImage(ctx, stored.resourceId);
  const launchTemplates = await loadLaunchTemplateImageUsage(ctx);
  // The API filters by name only, so every launch configuration of the region is read again.
  const launchConfigurations = await loadLaunchConfigurationImageUsage(ctx);
  const snapshotIds = imageSnapshotIds(image);
  const sharing = await imagesUsingSnapshots(ctx, snapshotIds);
  const facts = await describeSnapshotFacts(ctx, snapshotIds);
  const launchPermissions = await loadLaunchPermissions(ctx, stored.resourceId);
  const lookups: ImageLookups = {
    launchPermissions,
    instanceUser: () => (instances.length > 0 ? `instance ${instances.join(', ')}` : null),
    launchTemplates,
    launchConfigurations,
    imagesUsingSnapshot: (id) => sharing.get(id) ?? [],
    snapshotFacts: (id) => facts.get(id),
  };
  const { finding: current, verdict } = toFinding(ctx, image, lookups);
  const result = recheckVerdict(stored, current, verdict.unused ? null : verdict.why);
  if (result.status !== 'unchanged') return result;
  // Delete acts on the reviewed list of its own snapshots: if that list moved, the review is stale.
  const before = ownSnapshotIds(parseSnapshots(stored.details) ?? []);
  const after = ownSnapshotIds(parseSnapshots(current.details) ?? []);
  if (before !== after) {
    return { status: 'changed', reason: `The snapshots deleted with it changed (was: ${before || 'none'}; now: ${after || 'none'})`, current };
  }
  return result;
}

/**
 * Who may launch the AMI besides the account (one call per AMI: read at re-check, for the items of a plan only, never
 * in a scan). A denied read is an unknown that protects: the AMI may be shared.
 */
async function loadLaunchPermissions(ctx: HandlerContext, imageId: string): Promise<LaunchPermission[]> {
  try {
    const out = await ctx.client(EC2Client).send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }), {
      abortSignal: ctx.signal,
    });
    return out.LaunchPermissions ?? [];
  } catch (err) {
    if (isUnauthorized(err)) return [{ UserId: 'unknown accounts (ec2:DescribeImageAttribute was denied, so sharing could not be checked)' }];
    throw err;
  }
}

function ownSnapshotIds(snapshots: readonly ImageSnapshot[]): string {
  return snapshots.filter((s) => s.sharedWithImages.length === 0).map((s) => s.snapshotId).sort().join(', ');
}

/** `details.snapshots` read back from storage (JSON), or null when it is not what the scan wrote. */
export function parseSnapshots(details: Record<string, unknown>): ImageSnapshot[] | null {
  const raw = details['snapshots'];
  if (!Array.isArray(raw)) return null;
  const out: ImageSnapshot[] = [];
  for (const item of raw as unknown[]) {
    if (typeof item !== 'object' || item === null) return null;
    const s = item as Record<string, unknown>;
    const shared = s['sharedWithImages'];
    if (typeof s['snapshotId'] !== 'string' || !Array.isArray(shared) || !shared.every((x) => typeof x === 'string')) return null;
    const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
    out.push({
      snapshotId: s['snapshotId'],
      sizeGiB: num(s['sizeGiB']),
      sharedWithImages: shared as string[],
      fullSnapshotSizeBytes: num(s['fullSnapshotSizeBytes']),
      storageTier: typeof s['storageTier'] === 'string' ? s['storageTier'] : null,
      monthlyCost: num(s['monthlyCost']),
      costBasis: typeof s['costBasis'] === 'string' ? s['costBasis'] : 'Cost unknown: not priced by this scan',
      tags: storedTags(s['tags']),
      description: typeof s['description'] === 'string' ? s['description'] : null,
    });
  }
  return out;
}

async function deleteImage(ctx: DeleteContext, stored: StoredFinding, opts: { dryRun: boolean }): Promise<DeleteOutcome> {
  const reason =
    protectionByTag(stored.tags, ctx.settings.protectionTagKey) ??
    managedByPolicyReason(stored.tags) ??
    (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (reason !== null) return { kind: 'refused', reason };
  const snapshots = parseSnapshots(stored.details);
  // Without the reviewed snapshot list, deregistering would strand snapshots nobody reviewed.
  if (snapshots === null) return { kind: 'refused', reason: 'The reviewed details do not list its snapshots: scan again' };
  const own = snapshots.filter((s) => s.sharedWithImages.length === 0).map((s) => s.snapshotId);
  const { dryRun } = opts;
  const calls: string[] = [];

  const deregister = { action: 'DeregisterImage', target: stored.resourceId, dryRun };
  const first = await auditedMutation(ctx, deregister, () =>
    ctx.client(EC2Client).send(new DeregisterImageCommand({ ImageId: stored.resourceId, DryRun: dryRun }), { abortSignal: ctx.signal }),
  );
  switch (first.kind) {
    case 'unauthorized':
    case 'error':
      return failureOutcome(first);
    case 'done':
      if (dryRun) return dryRunIgnored('DeregisterImage');
      break;
    case 'dry-run-ok':
      break;
    default:
      return assertNever(first);
  }
  calls.push(callLabel(deregister, first));

  // Snapshots only after the AMI is gone: AWS refuses to delete a snapshot a registered AMI uses.
  const failures: { snapshotId: string; code: string; message: string }[] = [];
  for (const snapshotId of own) {
    const call = { action: 'DeleteSnapshot', target: snapshotId, dryRun };
    const r = await auditedMutation(ctx, call, () =>
      ctx.client(EC2Client).send(new DeleteSnapshotCommand({ SnapshotId: snapshotId, DryRun: dryRun }), { abortSignal: ctx.signal }),
    );
    switch (r.kind) {
      case 'dry-run-ok':
        calls.push(callLabel(call));
        break;
      case 'done':
        if (dryRun) return dryRunIgnored('DeleteSnapshot');
        calls.push(callLabel(call, r));
        break;
      case 'unauthorized':
      case 'error':
        if (dryRun) {
          // In a dry run the AMI is still registered, so "in use" by it is expected, not a failure.
          if (r.code === 'InvalidSnapshot.InUse') {
            calls.push(`${callLabel(call)}: in use by ${stored.resourceId} until it is deregistered`);
            break;
          }
          return failureOutcome(r);
        }
        // The AMI is already deregistered: try the other snapshots too, then report what remains.
        failures.push({ snapshotId, code: r.code, message: r.message });
        calls.push(`${callLabel(call)} (failed: ${r.code})`);
        break;
      default:
        return assertNever(r);
    }
  }
  if (dryRun) return { kind: 'dry-run-ok', calls };
  const firstFailure = failures[0];
  if (firstFailure !== undefined) {
    const remain = failures.map((f) => `${f.snapshotId} (${f.code}: ${f.message})`).join('; ');
    return {
      kind: 'failed',
      code: firstFailure.code,
      message:
        `AMI ${stored.resourceId} was deregistered, but ${failures.length} of its snapshots could not be deleted and ` +
        `still exist (and bill): ${remain}. Calls made: ${calls.join(', ')}`,
    };
  }
  return { kind: 'deleted', calls };
}

/** An AMI is free itself; its snapshots bill. Own snapshots go with it; shared ones stay (another AMI uses them). */
function parts(finding: Finding, settings: HandlerSettings): ItemParts {
  const list = (parseSnapshots(finding.details) ?? []).map((s): Part => {
    const size = s.sizeGiB === null ? '' : ` (${s.sizeGiB} GiB volume)`;
    const own = s.sharedWithImages.length === 0;
    return {
      resourceType: 'ec2:snapshot',
      resourceId: s.snapshotId,
      fate: own ? 'deleted' : 'kept',
      note: own
        ? `Its own snapshot${size}: deleted after the AMI is deregistered`
        : `Also backs ${s.sharedWithImages.join(', ')}: kept, and bills until the last of those AMIs goes`,
      monthlyCost: s.monthlyCost,
      costBasis: s.costBasis,
      tags: s.tags,
      ...partProtection('ec2:snapshot', s.snapshotId, s.tags, settings, (t) => managedByPolicyReason(t, s.description)),
      addable: false,
      ...(own ? {} : { shared: true }),
    };
  });
  return { own: { monthlyCost: 0, costBasis: 'An AMI itself is free: its snapshots bill' }, parts: list };
}

export const unusedImagesHandler: ResourceHandler = {
  type: 'ec2:image',
  label: 'Unused AMIs',
  noun: 'AMI',
  consoleUrl: 'https://{host}/ec2/home?region={region}#ImageDetails:imageId={id}',
  iam: {
    scan: [
      'ec2:DescribeImages',
      'ec2:DescribeInstances',
      'ec2:DescribeLaunchTemplates',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeSnapshots',
      'autoscaling:DescribeLaunchConfigurations',
      'ec2:DescribeImageAttribute',
    ],
    action: ['ec2:DeregisterImage', 'ec2:DeleteSnapshot'],
  },
  actionLabel: 'Deregister',
  verification: { method: 'dry-run', description: 'EC2 DryRun: AWS answers whether each call would succeed, permissions included, and changes nothing' },
  // An AMI costs what its snapshots cost.
  priceKeys: EBS_SNAPSHOT_PRICE_KEYS,
  detailFields: [
    { key: 'name', label: 'AMI name' },
    { key: 'creationDate', label: 'Created', format: 'datetime' },
    { key: 'lastLaunchedTime', label: 'Last used to launch', format: 'datetime' },
    { key: 'platform', label: 'Platform' },
    { key: 'architecture', label: 'Architecture' },
    { key: 'deregistrationProtection', label: 'Deregistration protection' },
    { key: 'usedBy', label: 'Used by' },
  ],
  category: 'Compute',
  serviceCodes: [SERVICE_EC2_OTHER, SERVICE_EBS],
  billingServiceCode: SERVICE_EC2_OTHER,
  deleteOrder: 20,
  listings: ['images', 'instances', 'snapshots'],
  scan,
  recheck,
  delete: deleteImage,
  parts,
};
