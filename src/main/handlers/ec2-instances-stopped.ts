import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { Address, Instance, Volume } from '@aws-sdk/client-ec2';
import { EBS_VOLUME_PRICE_KEYS, SNAPSHOT_STANDARD_GB_MONTH } from '../pricing/keys/ebs';
import { PUBLIC_IPV4_HOUR } from '../pricing/keys/ipv4';
import { mapLimit } from '../scan/limiter';
import { priceVolumeTerms } from './ebs-pricing';
import { pricePublicIpv4 } from './ec2-elastic-ips-idle';
import { awsErrorCode } from '../aws/errors';
import { chunk, isAbort, isUnauthorized, SERVICE_EC2_COMPUTE, SERVICE_EC2_OTHER } from './ec2-common';
import {
  IMAGE_THEN_TERMINATE,
  imagePart,
  imageSnapshotsPrice,
  imageThenTerminate,
  INSTANCE_ACTIONS,
  instanceActionRefusal,
  terminate,
  TERMINATE,
  TERMINATION_PROTECTION,
} from './ec2-instance-actions';
import { protectionByTag, roundCost, tagsToRecord } from './handler';
import { compareParts, keptAddressPart, partProtection, partsOf, storedNumber, storedObjects, storedString, storedTags } from './parts';
import { instancePages, regionAddresses, volumePages } from './region-inventory';
import type {
  DeleteContext,
  DeleteOutcome,
  Finding,
  HandlerContext,
  HandlerSettings,
  ItemParts,
  Part,
  RecheckResult,
  ResourceHandler,
  StoredFinding,
} from './handler';

const DAY_MS = 86_400_000;
/**
 * DescribeInstanceAttribute is one call per instance, so the scan never makes it: termination protection is read for
 * the items of a plan (plan time, `planProtection`) and at the re-check, a few in flight at a time.
 */
const ATTRIBUTE_CONCURRENCY = 8;
const VOLUME_ID_BATCH = 100;

// `User initiated (2019-09-12 16:38:34 GMT)`; emulators write UTC; seconds are optional to be safe.
const USER_STOP = /^User initiated \((\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))? (?:GMT|UTC)\)/;

/** The time a user stopped the instance, from StateTransitionReason; null when AWS does not say. */
export function parseUserStopTime(reason: string | undefined): Date | null {
  const m = USER_STOP.exec(reason ?? '');
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((p) => (p === undefined ? 0 : Number(p))) as [
    number, number, number, number, number, number,
  ];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 2024-02-31 over into March: reject what does not round-trip.
  const ok = t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return ok ? t : null;
}

/** What the scan learns beyond DescribeInstances, for the stopped instances of one page. */
interface Facts {
  /** Volumes by id; an id missing from the map was not found (deleted meanwhile). Null: could not list. */
  volumes: Map<string, Volume> | null;
  /** Elastic IPs by instance id; null: could not list. */
  addresses: Map<string, Address[]> | null;
  /** disableApiTermination by instance id; missing or null: unknown. */
  terminationProtection: Map<string, boolean | null>;
}

/** Missing permission leaves a fact unknown instead of failing the whole scan. */
async function unlessUnauthorized<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (isUnauthorized(err)) return null;
    throw err;
  }
}

async function loadAddresses(ctx: HandlerContext): Promise<Map<string, Address[]>> {
  const byInstance = new Map<string, Address[]>();
  for (const a of await regionAddresses(ctx)) {
    if (a.InstanceId === undefined) continue;
    byInstance.set(a.InstanceId, [...(byInstance.get(a.InstanceId) ?? []), a]);
  }
  return byInstance;
}

async function loadVolumes(ctx: HandlerContext, ids: readonly string[]): Promise<Map<string, Volume>> {
  const found = new Map<string, Volume>();
  if (ctx.inventory) {
    // In a scan the region's volumes are listed anyway (volume and snapshot handlers): look them up there.
    const wanted = new Set(ids);
    for await (const volumes of volumePages(ctx)) {
      for (const v of volumes) if (v.VolumeId !== undefined && wanted.has(v.VolumeId)) found.set(v.VolumeId, v);
    }
    return found;
  }
  const describe = async (volumeIds: string[]): Promise<void> => {
    const out = await ctx.client(EC2Client).send(new DescribeVolumesCommand({ VolumeIds: volumeIds }), { abortSignal: ctx.signal });
    for (const v of out.Volumes ?? []) if (v.VolumeId !== undefined) found.set(v.VolumeId, v);
  };
  for (const batch of chunk([...new Set(ids)], VOLUME_ID_BATCH)) {
    try {
      await describe(batch);
    } catch (err) {
      if (awsErrorCode(err) !== 'InvalidVolume.NotFound') throw err;
      // One id of the batch went away since DescribeInstances: ask one by one and skip the missing.
      for (const id of batch) {
        try {
          await describe([id]);
        } catch (e) {
          if (awsErrorCode(e) !== 'InvalidVolume.NotFound') throw e;
        }
      }
    }
  }
  return found;
}

async function loadTerminationProtection(ctx: HandlerContext, instanceId: string): Promise<boolean | null> {
  try {
    const out = await ctx.client(EC2Client).send(
      new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' }),
      { abortSignal: ctx.signal },
    );
    return out.DisableApiTermination?.Value ?? null;
  } catch (err) {
    if (isAbort(err)) throw err;
    // Unknown is safe: TerminateInstances itself refuses a protected instance (OperationNotPermitted).
    return null;
  }
}

/**
 * Looks up what DescribeInstances does not say: Elastic IPs (for every instance), and volumes (for the stopped ones,
 * the only ones that can be flagged and priced); termination protection only when `terminationProtection` is asked
 * (the re-check: one instance), never in a scan.
 */
async function loadFacts(
  ctx: HandlerContext,
  instances: readonly Instance[],
  addresses: () => Promise<Map<string, Address[]> | null>,
  opts: { terminationProtection: boolean },
): Promise<Facts> {
  const terminationProtection = new Map<string, boolean | null>();
  if (instances.length === 0) return { volumes: new Map(), addresses: new Map(), terminationProtection };
  const stopped = instances.filter((i) => i.State?.Name === 'stopped');
  const volumeIds = stopped.flatMap((i) =>
    (i.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.VolumeId ? [m.Ebs.VolumeId] : [])),
  );
  const volumes = volumeIds.length === 0 ? new Map<string, Volume>() : await unlessUnauthorized(() => loadVolumes(ctx, volumeIds));
  if (opts.terminationProtection) {
    const ids = stopped.flatMap((i) => (i.InstanceId ? [i.InstanceId] : []));
    const flags = await mapLimit(ids, ATTRIBUTE_CONCURRENCY, (id) => loadTerminationProtection(ctx, id));
    ids.forEach((id, n) => terminationProtection.set(id, flags[n] ?? null));
  }
  return { volumes, addresses: await addresses(), terminationProtection };
}

/** One priced part as the scan stores it. */
interface PricedPart {
  monthlyCost: number | null;
  costBasis: string;
}

function priceVolume(ctx: HandlerContext, id: string, facts: Facts): PricedPart {
  const region = ctx.prices?.region ?? ctx.region;
  const v = facts.volumes?.get(id);
  if (facts.volumes === null) return { monthlyCost: null, costBasis: `Cost unknown: volumes could not be listed (${region})` };
  if (v === undefined) return { monthlyCost: null, costBasis: `Cost unknown: not found (${region})` };
  if (v.Size === undefined) return { monthlyCost: null, costBasis: `Cost unknown: AWS did not report the size (${region})` };
  if (ctx.prices === null) return { monthlyCost: null, costBasis: `Cost unknown: no prices for this region (${region})` };
  const t = priceVolumeTerms({ type: v.VolumeType, sizeGiB: v.Size, iops: v.Iops, throughputMiBps: v.Throughput }, ctx.prices);
  return { monthlyCost: t.monthlyCost, costBasis: `${t.terms} (${region})` };
}

/** Monthly cost while stopped: EBS volumes and Elastic IPs, never compute. */
function stoppedCost(
  ctx: HandlerContext,
  volumes: readonly { volumeId: string; price: PricedPart }[],
  addresses: readonly { label: string; price: PricedPart }[] | null,
): { monthlyCost: number | null; costBasis: string } {
  const region = ctx.prices?.region ?? ctx.region;
  if (ctx.prices === null && (volumes.length > 0 || addresses === null || addresses.length > 0)) {
    return { monthlyCost: null, costBasis: `Cost unknown: no prices for this region (${region})` };
  }
  const parts: string[] = [];
  const unknowns: string[] = [];
  let total = 0;
  const strip = (basis: string): string => basis.replace(/^Cost unknown: /, '').replace(/ \([a-z0-9-]+\)$/, '');
  for (const { volumeId, price } of volumes) {
    if (price.monthlyCost === null) unknowns.push(`${volumeId}: ${strip(price.costBasis)}`);
    else {
      total += price.monthlyCost;
      parts.push(`${volumeId} ${strip(price.costBasis)}`);
    }
  }
  if (addresses === null) unknowns.push('Elastic IPs could not be listed');
  for (const { label, price } of addresses ?? []) {
    if (price.monthlyCost === null) unknowns.push(`${label}: ${strip(price.costBasis)}`);
    else {
      total += price.monthlyCost;
      parts.push(`${label} ${strip(price.costBasis)}`);
    }
  }
  if (unknowns.length > 0) {
    const priced = parts.length > 0 ? `; priced: ${parts.join(' + ')}` : '';
    return { monthlyCost: null, costBasis: `Cost unknown: ${unknowns.join('; ')}${priced} (${region})` };
  }
  if (parts.length === 0) {
    return { monthlyCost: 0, costBasis: `No EBS volumes or Elastic IPs; no compute while stopped (${region})` };
  }
  return { monthlyCost: roundCost(total), costBasis: `${parts.join(' + ')}; no compute while stopped (${region})` };
}

function toFinding(ctx: HandlerContext, i: Instance, facts: Facts): Finding {
  const id = i.InstanceId ?? '';
  const tags = tagsToRecord(i.Tags);
  const state = i.State?.Name ?? null;
  const stopped = state === 'stopped';
  const stopTime = stopped ? parseUserStopTime(i.StateTransitionReason) : null;
  const days = ctx.settings.stoppedInstanceDays;
  // Unknown stop time is never treated as old: only a user stop at least N days ago flags the instance.
  const unused = stopTime !== null && ctx.now.getTime() - stopTime.getTime() >= days * DAY_MS;
  const ageDays = stopTime === null ? 0 : Math.floor((ctx.now.getTime() - stopTime.getTime()) / DAY_MS);

  const termination = facts.terminationProtection.get(id) ?? null;
  const reasons = [
    protectionByTag(tags, ctx.settings.protectionTagKey),
    termination === true ? TERMINATION_PROTECTION : null,
  ].filter((r): r is string => r !== null);

  const mappings = (i.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.VolumeId !== undefined);
  const volumes = mappings.map((m) => {
    const volumeId = m.Ebs?.VolumeId ?? '';
    const v = facts.volumes?.get(volumeId);
    const price = stopped ? priceVolume(ctx, volumeId, facts) : { monthlyCost: null, costBasis: 'Not priced: the instance is not stopped' };
    return {
      volumeId,
      deviceName: m.DeviceName ?? null,
      sizeGiB: v?.Size ?? null,
      volumeType: v?.VolumeType ?? null,
      deleteOnTermination: m.Ebs?.DeleteOnTermination ?? false,
      monthlyCost: price.monthlyCost,
      costBasis: price.costBasis,
      // The volume's own tags (a kept root volume protects the instance); null when the volume was not listed.
      tags: v === undefined ? null : tagsToRecord(v.Tags),
    };
  });
  const addresses = facts.addresses === null ? null : (facts.addresses.get(id) ?? []);
  const elasticIps = (addresses ?? []).map((a) => {
    const p = pricePublicIpv4(a, ctx.prices, ctx.region);
    return {
      allocationId: a.AllocationId ?? null,
      publicIp: a.PublicIp ?? null,
      monthlyCost: p.monthlyCost,
      costBasis: p.costBasis,
      tags: tagsToRecord(a.Tags),
    };
  });
  const cost = stopped
    ? stoppedCost(
        ctx,
        volumes.map((v) => ({ volumeId: v.volumeId, price: v })),
        addresses === null ? null : elasticIps.map((a) => ({ label: `Elastic IP ${a.publicIp ?? a.allocationId ?? ''}`, price: a })),
      )
    : { monthlyCost: null, costBasis: `Not priced: only stopped instances are priced (${ctx.region})` };
  // What the image-then-terminate action would keep: its snapshots, at most the volumes' sizes (parts() reads it).
  const image = stopped ? imageSnapshotsPrice(ctx, volumes) : { monthlyCost: null, costBasis: 'Not priced: the instance is not stopped' };
  // LaunchTime moves on every start; the primary network interface keeps the original launch time.
  const primaryEni = (i.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0);

  return {
    resourceType: 'ec2:instance',
    resourceId: id,
    region: ctx.region,
    name: tags['Name'] ?? null,
    state,
    tags,
    createdAt: primaryEni?.Attachment?.AttachTime?.toISOString() ?? null,
    unused,
    unusedReason: unused ? `Stopped by the user ${ageDays} days ago` : null,
    unusedSince: unused && stopTime !== null ? stopTime.toISOString() : null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: reasons.length > 0,
    protectedReason: reasons.length > 0 ? reasons.join('; ') : null,
    details: {
      instanceType: i.InstanceType ?? null,
      launchTime: i.LaunchTime?.toISOString() ?? null,
      stateTransitionReason: i.StateTransitionReason ?? null,
      stopTime: stopTime?.toISOString() ?? null,
      stopTimeKnown: stopTime !== null,
      terminationProtection: stopped ? termination : null,
      volumes,
      elasticIps,
      imageId: i.ImageId ?? null,
      rootDeviceType: i.RootDeviceType ?? null,
      imageMonthlyCost: image.monthlyCost,
      imageCostBasis: image.costBasis,
    },
  };
}

/** Terminated instances linger for about an hour; they are gone for every purpose here. */
const isGone = (i: Instance): boolean => i.State?.Name === 'terminated';

function changeReason(stored: Finding, current: Finding): string | null {
  if (stored.state !== current.state) {
    return `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`;
  }
  const before = stored.details['stopTime'] ?? null;
  const after = current.details['stopTime'] ?? null;
  if (before !== after) return `Stop time changed from ${String(before ?? 'unknown')} to ${String(after ?? 'unknown')}`;
  if (stored.unused && !current.unused) return 'No longer flagged as stopped long enough';
  return null;
}

function volumePart(v: Record<string, unknown>, settings: HandlerSettings): Part | null {
  const volumeId = storedString(v['volumeId']);
  if (volumeId === null) return null;
  const tags = storedTags(v['tags']);
  const size = storedNumber(v['sizeGiB']);
  const what = `${size === null ? '' : `${size} GiB `}${storedString(v['volumeType']) ?? ''}`.trim();
  const dot = v['deleteOnTermination'] === true;
  return {
    resourceType: 'ec2:volume',
    resourceId: volumeId,
    fate: dot ? 'deleted' : 'kept',
    note: dot
      ? `Deleted on termination${what ? ` (${what})` : ''}`
      : `Not deleted on termination${what ? ` (${what})` : ''}: stays, detached, and keeps billing`,
    monthlyCost: storedNumber(v['monthlyCost']),
    costBasis: storedString(v['costBasis']) ?? 'Cost unknown: not priced by this scan',
    tags,
    ...partProtection('ec2:volume', volumeId, tags, settings),
    addable: !dot,
  };
}

function addressPart(a: Record<string, unknown>, settings: HandlerSettings): Part | null {
  return keptAddressPart(a, settings, (ip) => `Terminating does not release ${ip ?? 'the address'}: it stays allocated, idle, and keeps billing`);
}

export const stoppedInstancesHandler: ResourceHandler = {
  type: 'ec2:instance',
  label: 'Stopped instances',
  noun: 'EC2 instance',
  consoleUrl: 'https://{host}/ec2/home?region={region}#InstanceDetails:instanceId={id}',
  iam: {
    scan: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeAddresses'],
    // DescribeInstanceAttribute: termination protection, read for the items of a plan and at the re-check.
    action: [...new Set(INSTANCE_ACTIONS.flatMap((a) => a.iam))],
  },
  actionLabel: 'Terminate',
  // Terminate (the default), or create an image (AMI) first: ec2-instance-actions.ts.
  actions: INSTANCE_ACTIONS,
  actionRefusal: instanceActionRefusal,
  verification: { method: 'dry-run', description: 'EC2 DryRun: AWS answers whether each call would succeed, permissions included, and changes nothing' },
  settings: [
    {
      key: 'stoppedInstanceDays',
      label: 'Stopped for at least',
      description: 'An instance is flagged only when the user stopped it at least this many days ago (an unknown stop time is never "old").',
      type: 'integer',
      default: 30,
      min: 1,
      max: 3650,
    },
  ],
  // No compute while stopped: its volumes and the public IPv4 of its Elastic IPs; an image's snapshots, if one is made.
  priceKeys: [...EBS_VOLUME_PRICE_KEYS, PUBLIC_IPV4_HOUR, SNAPSHOT_STANDARD_GB_MONTH],
  detailFields: [
    { key: 'instanceType', label: 'Instance type' },
    { key: 'stopTime', label: 'Stopped by the user at', format: 'datetime' },
    { key: 'launchTime', label: 'Last started', format: 'datetime' },
    // Not read by the scan (one call per instance): null until a plan or a re-check reads it.
    { key: 'terminationProtection', label: 'Termination protection', format: 'boolean', emptyText: 'checked when you plan a cleanup' },
    { key: 'imageId', label: 'Launched from AMI' },
    { key: 'rootDeviceType', label: 'Root device type' },
    { key: 'imageCostBasis', label: 'Image before termination (its snapshots)' },
    { key: 'stateTransitionReason', label: 'State reason' },
  ],
  category: 'Compute',
  serviceCodes: [SERVICE_EC2_COMPUTE, SERVICE_EC2_OTHER],
  // While stopped it bills nothing itself; its volumes bill under EC2 - Other, its addresses under VPC.
  billingServiceCode: SERVICE_EC2_COMPUTE,
  deleteOrder: 10,
  listings: ['instances', 'volumes', 'addresses'],

  async *scan(ctx) {
    // One DescribeAddresses per region (not paginated), made when the first page has instances.
    let addresses: Promise<Map<string, Address[]> | null> | undefined;
    const lazyAddresses = (): Promise<Map<string, Address[]> | null> =>
      (addresses ??= unlessUnauthorized(() => loadAddresses(ctx)));
    // Paged 5–1000; in a scan the listing is shared with the AMI handler.
    for await (const page of instancePages(ctx)) {
      ctx.signal?.throwIfAborted();
      const instances = page.filter((i) => !isGone(i));
      const facts = await loadFacts(ctx, instances, lazyAddresses, { terminationProtection: false });
      yield instances.map((i) => toFinding(ctx, i, facts));
    }
  },

  async planProtection(ctx, findings) {
    const ids = findings.map((f) => f.resourceId);
    const flags = await mapLimit(ids, ATTRIBUTE_CONCURRENCY, (id) => loadTerminationProtection(ctx, id));
    const out = new Map<string, string>();
    ids.forEach((id, n) => {
      if (flags[n] === true) out.set(id, TERMINATION_PROTECTION);
    });
    return out;
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    let instance: Instance | undefined;
    try {
      const out = await ctx.client(EC2Client).send(new DescribeInstancesCommand({ InstanceIds: [stored.resourceId] }), {
        abortSignal: ctx.signal,
      });
      instance = out.Reservations?.flatMap((r) => r.Instances ?? [])[0];
    } catch (err) {
      if (awsErrorCode(err) === 'InvalidInstanceID.NotFound') {
        return { status: 'gone', reason: 'The instance no longer exists' };
      }
      throw err;
    }
    if (instance === undefined || isGone(instance)) return { status: 'gone', reason: 'The instance has been terminated' };
    const facts = await loadFacts(ctx, [instance], () => unlessUnauthorized(() => loadAddresses(ctx)), { terminationProtection: true });
    const current = toFinding(ctx, instance, facts);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    const reason = changeReason(stored, current);
    return reason === null ? { status: 'unchanged', current } : { status: 'changed', reason, current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    const refusal =
      protectionByTag(stored.tags, ctx.settings.protectionTagKey) ??
      (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (refusal !== null) return { kind: 'refused', reason: refusal };
    if ((ctx.action ?? TERMINATE) === IMAGE_THEN_TERMINATE) {
      return imageThenTerminate(ctx, stored, dryRun, {
        terminate: (calls) => terminate(ctx, stored.resourceId, addedPartsOf(ctx, stored), dryRun, calls),
        terminationProtection: () => loadTerminationProtection(ctx, stored.resourceId),
        recheck: () => recheckWithParts(ctx, stored),
      });
    }
    return terminate(ctx, stored.resourceId, addedPartsOf(ctx, stored), dryRun, []);
  },

  parts(finding, settings, options): ItemParts {
    const stopped = finding.state === 'stopped';
    const parts = [
      ...storedObjects(finding.details, 'volumes').map((v) => volumePart(v, settings)),
      ...storedObjects(finding.details, 'elasticIps').map((a) => addressPart(a, settings)),
    ].filter((p): p is Part => p !== null);
    if (options.action === IMAGE_THEN_TERMINATE && stopped) parts.push(imagePart(finding));
    return {
      own: stopped
        ? { monthlyCost: 0, costBasis: 'No compute while stopped' }
        : { monthlyCost: null, costBasis: 'Not priced: only stopped instances are priced' },
      parts,
    };
  },
};

/** The kind's re-check, then what goes with the instance now against what was reviewed (as the cleanup's re-check). */
async function recheckWithParts(ctx: DeleteContext, stored: StoredFinding): Promise<RecheckResult> {
  const r = await stoppedInstancesHandler.recheck(ctx, stored);
  if (r.status !== 'unchanged') return r;
  const options = { snapshotVolumes: false, action: IMAGE_THEN_TERMINATE, ...(ctx.addedParts ? { added: ctx.addedParts } : {}) };
  const parts = (f: Finding): Part[] => partsOf(stoppedInstancesHandler, f, ctx.settings, options).parts;
  const byParts = compareParts(parts(stored), parts(r.current));
  return byParts.status === 'unchanged' ? r : { ...byParts, current: r.current };
}

/** The kept parts the user added to the item: the delete removes them after the instance is terminated. */
function addedPartsOf(ctx: DeleteContext, stored: StoredFinding): Part[] {
  return stoppedInstancesHandler
    .parts(stored, ctx.settings, { snapshotVolumes: false, ...(ctx.addedParts ? { added: ctx.addedParts } : {}) })
    .parts.filter((p) => ctx.addedParts?.includes(p.resourceId) === true && p.addable);
}
