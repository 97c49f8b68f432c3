import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import type { Volume } from '@aws-sdk/client-ec2';
import { EBS_VOLUME_PRICE_KEYS, SNAPSHOT_STANDARD_GB_MONTH } from '../pricing/keys/ebs';
import { priceVolume } from './ebs-pricing';
import { awsErrorCode } from '../aws/errors';
import { awsErrorMessage, isAbort, SERVICE_EBS, SERVICE_EC2_OTHER } from './ec2-common';
import { ALREADY_GONE, auditedMutation, callLabel, failureOutcome, isMutationFailure } from './ec2-mutation';
import { protectionByTag, tagsToRecord } from './handler';
import { storedNumber, storedString } from './parts';
import { volumePages } from './region-inventory';
import { priceSnapshotTerms } from './snapshot-pricing';
import type {
  ItemParts,
  AuditedCall,
  DeleteContext,
  DeleteOutcome,
  Finding,
  HandlerContext,
  RecheckResult,
  ResourceHandler,
} from './handler';

const UNUSED_REASON = 'Not attached to any instance';

export interface UnattachedVolumesOptions {
  /** How often to look at a safety snapshot while it is being taken. */
  snapshotPollMs?: number;
  /** Give up (and keep the volume) when the safety snapshot takes longer than this. */
  snapshotMaxWaitMs?: number;
}

function toFinding(ctx: HandlerContext, v: Volume): Finding {
  const tags = tagsToRecord(v.Tags);
  const protectedReason = protectionByTag(tags, ctx.settings.protectionTagKey);
  const attachments = (v.Attachments ?? []).map((a) => ({
    instanceId: a.InstanceId ?? null,
    device: a.Device ?? null,
    state: a.State ?? null,
    deleteOnTermination: a.DeleteOnTermination ?? null,
  }));
  // `available` is the only state in which a volume is attached to nothing; `in-use` counts as used even
  // when the instance is stopped (that instance is the stopped-instance handler's business).
  const unused = v.State === 'available' && attachments.length === 0;
  const sizeGiB = v.Size ?? 0;
  const cost =
    v.Size === undefined
      ? { monthlyCost: null, costBasis: `Cost unknown: AWS did not report the size (${ctx.region})` }
      : priceVolume({ type: v.VolumeType, sizeGiB, iops: v.Iops, throughputMiBps: v.Throughput }, ctx.prices);
  return {
    resourceType: 'ec2:volume',
    resourceId: v.VolumeId ?? '',
    region: ctx.region,
    name: tags['Name'] ?? null,
    state: v.State ?? null,
    tags,
    createdAt: v.CreateTime?.toISOString() ?? null,
    unused,
    unusedReason: unused ? UNUSED_REASON : null,
    // AWS records no detach time: unknown, never guessed.
    unusedSince: null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      volumeType: v.VolumeType ?? null,
      sizeGiB: v.Size ?? null,
      iops: v.Iops ?? null,
      throughput: v.Throughput ?? null,
      availabilityZone: v.AvailabilityZone ?? null,
      snapshotId: v.SnapshotId ?? null,
      encrypted: v.Encrypted ?? null,
      attachments,
      // What a safety snapshot taken before the delete would cost at most (a first snapshot of a volume holds at
      // most its used blocks; the full size is the upper bound, so the savings shown are never overstated).
      safetySnapshot: safetySnapshotPrice(ctx, v.Size ?? null),
    },
  };
}

function safetySnapshotPrice(ctx: HandlerContext, sizeGiB: number | null): { monthlyCost: number | null; costBasis: string } {
  const t = priceSnapshotTerms({ sizeGiB, fullSnapshotSizeBytes: null, storageTier: 'standard' }, ctx.prices);
  return { monthlyCost: t.monthlyCost, costBasis: `${t.terms} (${ctx.prices?.region ?? ctx.region})` };
}

/** The safety snapshot this plan already took of the volume (by its tags), or null. Failed ones do not count. */
async function earlierSafetySnapshot(ctx: DeleteContext, volumeId: string): Promise<string | null> {
  const out = await ctx.client(EC2Client).send(
    new DescribeSnapshotsCommand({
      OwnerIds: ['self'],
      Filters: [
        { Name: 'tag:cloud-cleaner:plan', Values: [ctx.planId] },
        { Name: 'tag:cloud-cleaner:source-volume', Values: [volumeId] },
      ],
    }),
    { abortSignal: ctx.signal },
  );
  const found = (out.Snapshots ?? []).find((x) => x.SnapshotId !== undefined && x.State !== 'error');
  return found?.SnapshotId ?? null;
}

/** Waits until the snapshot is `completed`; a failure outcome when it errors, vanishes or takes too long. */
async function waitForSnapshot(
  ctx: DeleteContext,
  snapshotId: string,
  pollMs: number,
  maxWaitMs: number,
): Promise<DeleteOutcome | null> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    let state: string | undefined;
    let stateMessage: string | undefined;
    try {
      const out = await ctx.client(EC2Client).send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }), {
        abortSignal: ctx.signal,
      });
      state = out.Snapshots?.[0]?.State;
      stateMessage = out.Snapshots?.[0]?.StateMessage;
    } catch (err) {
      if (isAbort(err)) throw err;
      // A snapshot just created can take a moment to become visible (eventual consistency).
      if (awsErrorCode(err) !== 'InvalidSnapshot.NotFound') {
        return { kind: 'failed', code: awsErrorCode(err), message: awsErrorMessage(err) };
      }
    }
    if (state === 'completed') return null;
    if (state === 'error') {
      return {
        kind: 'failed',
        code: 'SafetySnapshotFailed',
        message: `Safety snapshot ${snapshotId} failed${stateMessage ? `: ${stateMessage}` : ''}; the volume was kept`,
      };
    }
    if (Date.now() + pollMs > deadline) {
      return {
        kind: 'failed',
        code: 'SafetySnapshotTimeout',
        message: `Safety snapshot ${snapshotId} did not complete in time; the volume was kept`,
      };
    }
    await sleep(pollMs, undefined, { signal: ctx.signal });
  }
}

export function createUnattachedVolumesHandler(options: UnattachedVolumesOptions = {}): ResourceHandler {
  const pollMs = options.snapshotPollMs ?? 5_000;
  const maxWaitMs = options.snapshotMaxWaitMs ?? 6 * 60 * 60 * 1000;

  return {
    type: 'ec2:volume',
    label: 'Unattached volumes',
    noun: 'EBS volume',
    consoleUrl: 'https://{host}/ec2/home?region={region}#VolumeDetails:volumeId={id}',
    iam: { scan: ['ec2:DescribeVolumes'], action: ['ec2:DeleteVolume', 'ec2:CreateSnapshot', 'ec2:CreateTags'] },
    actionLabel: 'Delete',
    verification: { method: 'dry-run', description: 'EC2 DryRun: AWS answers whether each call would succeed, permissions included, and changes nothing' },
    planOptions: [
      {
        key: 'snapshotVolumes',
        label: 'Snapshot each volume first',
        description: 'A tagged snapshot of each volume is taken, and completed, before the volume is deleted: you can restore it. Its cost is subtracted from the savings.',
      },
    ],
    // The volume, and the standard-tier safety snapshot a plan may take of it first.
    priceKeys: [...EBS_VOLUME_PRICE_KEYS, SNAPSHOT_STANDARD_GB_MONTH],
    detailFields: [
      { key: 'volumeType', label: 'Volume type' },
      { key: 'sizeGiB', label: 'Size', unit: 'GiB' },
      { key: 'iops', label: 'IOPS', unit: 'IOPS' },
      { key: 'throughput', label: 'Throughput', unit: 'MiB/s' },
      { key: 'availabilityZone', label: 'Availability Zone' },
      { key: 'snapshotId', label: 'Created from snapshot' },
      { key: 'encrypted', label: 'Encrypted', format: 'boolean' },
    ],
    category: 'Storage',
    serviceCodes: [SERVICE_EC2_OTHER, SERVICE_EBS],
    billingServiceCode: SERVICE_EC2_OTHER,
    deleteOrder: 40,
    listings: ['volumes'],

    async *scan(ctx) {
      // Paged 5–500; in a scan the listing is shared with the snapshot and instance handlers.
      for await (const volumes of volumePages(ctx)) {
        ctx.signal?.throwIfAborted();
        yield volumes.filter((v) => v.State !== 'deleted').map((v) => toFinding(ctx, v));
      }
    },

    async recheck(ctx, stored): Promise<RecheckResult> {
      let volume: Volume | undefined;
      try {
        const out = await ctx.client(EC2Client).send(new DescribeVolumesCommand({ VolumeIds: [stored.resourceId] }), {
          abortSignal: ctx.signal,
        });
        volume = out.Volumes?.[0];
      } catch (err) {
        if (awsErrorCode(err) === 'InvalidVolume.NotFound') return { status: 'gone', reason: 'The volume no longer exists' };
        throw err;
      }
      if (volume === undefined || volume.State === 'deleted') {
        return { status: 'gone', reason: 'The volume no longer exists' };
      }
      const current = toFinding(ctx, volume);
      if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
      if (stored.unused && !current.unused) {
        const to = (volume.Attachments ?? []).map((a) => a.InstanceId).filter(Boolean);
        const reason =
          to.length > 0 ? `Now attached to ${to.join(', ')}` : `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`;
        return { status: 'changed', reason, current };
      }
      if (stored.state !== current.state) {
        return {
          status: 'changed',
          reason: `State changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`,
          current,
        };
      }
      return { status: 'unchanged', current };
    },

    async delete(ctx, stored, { dryRun }) {
      const refusal =
        protectionByTag(stored.tags, ctx.settings.protectionTagKey) ??
        (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
      if (refusal !== null) return { kind: 'refused', reason: refusal };

      const volumeId = stored.resourceId;
      const calls: string[] = [];
      let safetySnapshotId: string | undefined;

      // A safety snapshot this plan already took of this volume (an earlier, interrupted or failed attempt) is used
      // again, never taken twice: the tags say which plan and volume it is for.
      const earlier = ctx.snapshotBeforeDelete && !dryRun ? await earlierSafetySnapshot(ctx, volumeId) : null;
      if (earlier !== null) {
        safetySnapshotId = earlier;
        calls.push(`CreateSnapshot ${volumeId} (not repeated: ${earlier} was taken by an earlier attempt of this plan)`);
        const waited = await waitForSnapshot(ctx, earlier, pollMs, maxWaitMs);
        if (waited !== null) return waited;
      } else if (ctx.snapshotBeforeDelete) {
        const snapshotCall: AuditedCall = { action: 'CreateSnapshot', target: volumeId, dryRun };
        const created = await auditedMutation(ctx, snapshotCall, () =>
          ctx.client(EC2Client).send(
            new CreateSnapshotCommand({
              VolumeId: volumeId,
              Description: `Cloud Cleaner safety snapshot of ${volumeId} before deletion (plan ${ctx.planId})`,
              TagSpecifications: [
                {
                  ResourceType: 'snapshot',
                  Tags: [
                    { Key: 'cloud-cleaner:source-volume', Value: volumeId },
                    { Key: 'cloud-cleaner:plan', Value: ctx.planId },
                  ],
                },
              ],
              DryRun: dryRun,
            }),
            { abortSignal: ctx.signal },
          ),
        );
        if (isMutationFailure(created)) return failureOutcome(created);
        calls.push(callLabel(snapshotCall));
        if (!dryRun) {
          const snapshotId = created.kind === 'done' && created.value !== ALREADY_GONE ? created.value.SnapshotId : undefined;
          if (snapshotId === undefined) {
            return { kind: 'failed', code: 'SafetySnapshotFailed', message: 'AWS returned no snapshot id; the volume was kept' };
          }
          safetySnapshotId = snapshotId;
          const waited = await waitForSnapshot(ctx, snapshotId, pollMs, maxWaitMs);
          if (waited !== null) return waited;
        }
      }

      const deleteCall: AuditedCall = { action: 'DeleteVolume', target: volumeId, dryRun };
      const deleted = await auditedMutation(ctx, deleteCall, () =>
        ctx.client(EC2Client).send(new DeleteVolumeCommand({ VolumeId: volumeId, DryRun: dryRun }), { abortSignal: ctx.signal }),
      );
      if (isMutationFailure(deleted)) {
        const o = failureOutcome(deleted);
        // Say where the data is when the snapshot was taken but the volume could not go.
        if (o.kind === 'failed' && safetySnapshotId !== undefined) {
          return { ...o, message: `${o.message} (safety snapshot ${safetySnapshotId} was kept)` };
        }
        return o;
      }
      calls.push(callLabel(deleteCall, deleted));
      if (dryRun) return { kind: 'dry-run-ok', calls };
      return safetySnapshotId === undefined ? { kind: 'deleted', calls } : { kind: 'deleted', calls, safetySnapshotId };
    },

    parts(finding, _settings, options): ItemParts {
      const own = { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis };
      if (!options.snapshotVolumes) return { own, parts: [] };
      // An unattached volume takes nothing with it; a safety snapshot, if asked for, is created and stays.
      const snap = typeof finding.details['safetySnapshot'] === 'object' && finding.details['safetySnapshot'] !== null
        ? (finding.details['safetySnapshot'] as Record<string, unknown>)
        : {};
      return {
        own,
        parts: [
          {
            resourceType: 'ec2:snapshot',
            resourceId: `safety snapshot of ${finding.resourceId}`,
            fate: 'kept',
            note: 'Taken before the delete and kept (tagged with the plan): you can restore the volume from it',
            monthlyCost: storedNumber(snap['monthlyCost']),
            costBasis: storedString(snap['costBasis']) ?? 'Cost unknown: not priced by this scan',
            tags: {},
            protected: false,
            protectedReason: null,
            addable: false,
            created: true,
          },
        ],
      };
    },
  };
}

export const unattachedVolumesHandler: ResourceHandler = createUnattachedVolumesHandler();
