/**
 * Unused Secrets Manager secrets (AWS-FACTS-BEYOND-EC2.md, kind 13; Thrifty's secretsmanager.pp rule). A secret is
 * unused when its `LastAccessedDate` (a date: AWS rounds it to the day) is more than 90 days ago (a kind setting), or
 * when it was never accessed (no LastAccessedDate) and was created more than 90 days ago. A never-accessed secret
 * created recently is not unused; one without a creation date is not judged.
 *
 * Not judged (listed, never called unused): a secret another service created and manages (`OwningService`: RDS,
 * AppFlow, …; deleting it breaks that service), and a secret already scheduled for deletion (ListSecrets leaves those
 * out: IncludePlannedDeletion false).
 *
 * Replication: a replica is a secret of its own Region (its `PrimaryRegion` names another), billed there and judged by
 * its own LastAccessedDate; DeleteSecret does not remove it (RemoveRegionsFromReplication on the primary does), so the
 * action is refused for it. A primary with replicas cannot be deleted either ("You can't delete a primary secret that
 * is replicated to other Regions": DeleteSecret API reference): the action is refused with that reason, and Cloud
 * Cleaner never removes replicas itself. ListSecrets does not list replicas, so for the unused secrets whose
 * PrimaryRegion is this Region (the only ones that may have replicas) the scan reads DescribeSecret (ReplicationStatus),
 * at most 8 at a time.
 *
 * Cost: one secret-month (Price List; each replica bills separately in its own Region). API calls are billed apart
 * (an unused secret makes none).
 *
 * Action `delete`: DeleteSecret with RecoveryWindowInDays (a kind setting, 7–30, default 30), never
 * ForceDeleteWithoutRecovery: the secret stays restorable (RestoreSecret) until its DeletionDate, which the outcome
 * names ("restorable until …"). A scan makes ListSecrets (paged, MaxResults ≤ 100) plus the DescribeSecret reads above;
 * Secrets Manager has no DryRun: a cleanup verifies by the re-check (DescribeSecret) and an IAM permission check.
 */
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  SecretsManagerClient,
  type DescribeSecretResponse,
  type SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { SECRET_MONTH, SECRETS_MANAGER_PRICE_KEYS } from '../pricing/keys/secretsmanager';
import { price } from '../pricing/price-key';
import { createLimiter } from '../scan/limiter';
import { clampPageSize } from './ec2-common';
import { auditedMutation, callLabel, failureOutcome } from './ec2-mutation';
import { protectionByTag, tagsToRecord, usd } from './handler';
import type { DeleteOutcome, Finding, HandlerContext, RecheckResult, ResourceHandler } from './handler';
import { storedString } from './parts';

export const SECRET_TYPE = 'secretsmanager:secret';
export const SERVICE_SECRETS_MANAGER = 'AWSSecretsManager';
export const SECRET_UNUSED_DAYS_SETTING = 'secretUnusedDays';
export const SECRET_RECOVERY_DAYS_SETTING = 'secretRecoveryWindowDays';
const DEFAULT_UNUSED_DAYS = 90;
const DEFAULT_RECOVERY_DAYS = 30;
const DAY_MS = 86_400_000;
const CONCURRENCY = 8;

export const SECRET_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'delete',
    label: 'Schedule deletion (restorable for 30 days)',
    doneLabel: 'Scheduled for deletion',
    description:
      'DeleteSecret with a recovery window (30 days unless you set 7–30 in the settings), never an immediate delete: until the deletion date the secret can be restored (RestoreSecret), and any read of it fails.',
    warning: 'Anything that still reads the secret fails from now on; restore it within the window if something breaks.',
    removes: true,
    iam: ['secretsmanager:DeleteSecret', 'secretsmanager:DescribeSecret'],
  },
];

// ---- settings ----

function setting(ctx: Pick<HandlerContext, 'settings'>, key: string, def: number, min: number, max: number): number {
  const v = ctx.settings.kinds?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? Math.floor(v) : def;
}
const unusedDays = (ctx: HandlerContext): number => setting(ctx, SECRET_UNUSED_DAYS_SETTING, DEFAULT_UNUSED_DAYS, 1, 3650);
const recoveryDays = (ctx: Pick<HandlerContext, 'settings'>): number => setting(ctx, SECRET_RECOVERY_DAYS_SETTING, DEFAULT_RECOVERY_DAYS, 7, 30);

const day = (d: Date): string => d.toISOString().slice(0, 10);
const utcDay = (d: Date): number => Math.floor(d.getTime() / DAY_MS) * DAY_MS;

/** What both listings carry (SecretListEntry and DescribeSecret's answer). */
type SecretFacts = Pick<SecretListEntry, 'ARN' | 'Name' | 'LastAccessedDate' | 'DeletedDate' | 'OwningService' | 'CreatedDate' | 'PrimaryRegion' | 'Tags' | 'RotationEnabled'>;

interface Verdict {
  unused: boolean;
  judgement: string;
  since: string | null;
}

function verdict(ctx: HandlerContext, s: SecretFacts): Verdict {
  if (s.DeletedDate) return { unused: false, judgement: `Not judged: already scheduled for deletion (on ${day(new Date(s.DeletedDate))})`, since: null };
  if (s.OwningService) return { unused: false, judgement: `Not judged: managed by ${s.OwningService}, which created it`, since: null };
  const days = unusedDays(ctx);
  const today = utcDay(ctx.now);
  const ageOf = (d: Date): number => Math.floor((today - utcDay(d)) / DAY_MS);
  if (s.LastAccessedDate) {
    const at = new Date(s.LastAccessedDate);
    const unused = ageOf(at) > days;
    return { unused, judgement: unused ? `Not accessed since ${day(at)} (${ageOf(at)} days)` : `Accessed on ${day(at)}`, since: unused ? at.toISOString() : null };
  }
  if (!s.CreatedDate) return { unused: false, judgement: 'Not judged: never accessed, and AWS gives no creation date', since: null };
  const created = new Date(s.CreatedDate);
  const unused = ageOf(created) > days;
  return {
    unused,
    judgement: unused ? `Never accessed; created ${ageOf(created)} days ago (${day(created)})` : `Never accessed, but created only ${ageOf(created)} days ago (flagged from ${days})`,
    since: unused ? created.toISOString() : null,
  };
}

/** `replicaRegions`: a primary's replica Regions as read (DescribeSecret), or null when not read. */
function toFinding(ctx: HandlerContext, s: SecretFacts, replicaRegions: string[] | null): Finding {
  const tags = tagsToRecord(s.Tags);
  const v = verdict(ctx, s);
  const replicaOf = s.PrimaryRegion && s.PrimaryRegion !== ctx.region ? s.PrimaryRegion : null;
  const rate = ctx.prices ? price(ctx.prices, SECRET_MONTH) : null;
  const replicas = replicaRegions !== null && replicaRegions.length > 0 ? `; its replicas (${replicaRegions.join(', ')}) bill separately in their Regions` : '';
  const cost =
    rate === null
      ? { monthlyCost: null, costBasis: `Cost unknown: no Secrets Manager secret price (${ctx.region})` }
      : { monthlyCost: rate, costBasis: `1 secret × ${usd(rate)} per month (${ctx.region})${replicaOf ? `: a replica of the secret in ${replicaOf}, billed here` : replicas}` };
  const protectedReason = protectionByTag(tags, ctx.settings.protectionTagKey);
  return {
    resourceType: SECRET_TYPE,
    resourceId: s.ARN ?? '',
    region: ctx.region,
    name: s.Name ?? null,
    state: s.DeletedDate ? 'scheduled for deletion' : 'active',
    tags,
    createdAt: s.CreatedDate ? new Date(s.CreatedDate).toISOString() : null,
    unused: v.unused,
    unusedReason: v.unused ? v.judgement : null,
    unusedSince: v.since,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      secretName: s.Name ?? null,
      lastAccessedDate: s.LastAccessedDate ? day(new Date(s.LastAccessedDate)) : null,
      owningService: s.OwningService ?? null,
      primaryRegion: s.PrimaryRegion ?? null,
      replicaOf,
      replicaRegions,
      rotationEnabled: s.RotationEnabled ?? false,
      unusedDays: unusedDays(ctx),
      recoveryWindowDays: recoveryDays(ctx),
      judgement: v.judgement,
    },
  };
}

// ---- reading AWS ----

async function* secretPages(ctx: HandlerContext): AsyncIterable<SecretListEntry[]> {
  let token: string | undefined;
  do {
    const out = await ctx.client(SecretsManagerClient).send(
      new ListSecretsCommand({ MaxResults: clampPageSize(ctx.pageSize, 1, 100), IncludePlannedDeletion: false, ...(token ? { NextToken: token } : {}) }),
      { abortSignal: ctx.signal },
    );
    yield out.SecretList ?? [];
    token = out.NextToken || undefined;
  } while (token !== undefined);
}

function describe(ctx: HandlerContext, secretId: string): Promise<DescribeSecretResponse> {
  return ctx.client(SecretsManagerClient).send(new DescribeSecretCommand({ SecretId: secretId }), { abortSignal: ctx.signal });
}

const replicasOf = (d: DescribeSecretResponse): string[] => (d.ReplicationStatus ?? []).flatMap((r) => (r.Region ? [r.Region] : []));

function refusal(finding: Finding): string | null {
  const replicaOf = storedString(finding.details['replicaOf']);
  if (replicaOf !== null) {
    return `A replica of the secret in ${replicaOf}: DeleteSecret does not remove it; remove it there with RemoveRegionsFromReplication (Cloud Cleaner does not)`;
  }
  const replicas = finding.details['replicaRegions'];
  if (Array.isArray(replicas) && replicas.length > 0) {
    return `Replicated to ${replicas.join(', ')}: AWS deletes a primary only after RemoveRegionsFromReplication removes its replicas, which Cloud Cleaner does not do for you`;
  }
  return null;
}

export const unusedSecretsHandler: ResourceHandler = {
  type: SECRET_TYPE,
  label: 'Unused secrets',
  noun: 'secret',
  consoleUrl: 'https://{host}/secretsmanager/secret?name={id}&region={region}',
  iam: { scan: ['secretsmanager:ListSecrets', 'secretsmanager:DescribeSecret'], action: [...new Set(SECRET_ACTIONS.flatMap((a) => a.iam))] },
  actionLabel: 'Schedule deletion',
  actions: SECRET_ACTIONS,
  verification: {
    method: 'permission-check',
    description: 'Secrets Manager has no DryRun: each secret is re-checked (not accessed since the review, not replicated, not protected) and IAM policy simulation says whether you may schedule its deletion',
  },
  settings: [
    {
      key: SECRET_UNUSED_DAYS_SETTING,
      label: 'Secrets not accessed for',
      description: 'A secret is flagged when its last access is older than this, or when it was never accessed and was created longer ago than this.',
      type: 'integer',
      unit: 'days',
      default: DEFAULT_UNUSED_DAYS,
      min: 1,
      max: 3650,
    },
    {
      key: SECRET_RECOVERY_DAYS_SETTING,
      label: 'Secret recovery window',
      description: 'A deleted secret stays restorable for this many days (AWS allows 7 to 30) before Secrets Manager deletes it for good.',
      type: 'integer',
      unit: 'days',
      default: DEFAULT_RECOVERY_DAYS,
      min: 7,
      max: 30,
    },
  ],
  priceKeys: SECRETS_MANAGER_PRICE_KEYS,
  detailFields: [
    { key: 'judgement', label: 'Access' },
    { key: 'lastAccessedDate', label: 'Last accessed (date)', emptyText: 'Never' },
    { key: 'owningService', label: 'Managed by', emptyText: 'You (no owning service)' },
    { key: 'replicaOf', label: 'Replica of the secret in', emptyText: 'Not a replica' },
    { key: 'replicaRegions', label: 'Replicated to', format: 'list', emptyText: 'Not read (only for primaries)' },
    { key: 'rotationEnabled', label: 'Rotation on', format: 'boolean' },
    { key: 'recoveryWindowDays', label: 'Recovery window on delete', unit: 'days' },
  ],
  category: 'Security',
  serviceCodes: [SERVICE_SECRETS_MANAGER],
  billingServiceCode: SERVICE_SECRETS_MANAGER,
  deleteOrder: 74,

  async *scan(ctx) {
    const limited = createLimiter(CONCURRENCY);
    for await (const page of secretPages(ctx)) {
      ctx.signal?.throwIfAborted();
      const secrets = page.filter((s) => s.ARN);
      if (secrets.length === 0) continue;
      // Only an unused primary of this Region may have replicas that refuse its delete: read those.
      const replicas = await Promise.all(
        secrets.map((s) =>
          s.PrimaryRegion === ctx.region && verdict(ctx, s).unused ? limited(async () => replicasOf(await describe(ctx, s.ARN!))) : Promise.resolve(s.PrimaryRegion ? null : []),
        ),
      );
      yield secrets.map((s, i) => toFinding(ctx, s, replicas[i] ?? null));
    }
  },

  actionRefusal: (finding) => refusal(finding),

  async recheck(ctx, stored): Promise<RecheckResult> {
    let d: DescribeSecretResponse;
    try {
      d = await describe(ctx, stored.resourceId);
    } catch (err) {
      if (awsErrorCode(err) === 'ResourceNotFoundException') return { status: 'gone', reason: 'The secret no longer exists' };
      throw err;
    }
    if (d.DeletedDate) return { status: 'gone', reason: `Already scheduled for deletion (on ${day(new Date(d.DeletedDate))})` };
    const current = toFinding(ctx, d, replicasOf(d));
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    const before = storedString(stored.details['lastAccessedDate']);
    const after = storedString(current.details['lastAccessedDate']);
    if (after !== null && after !== before) return { status: 'changed', reason: `Accessed since the review (on ${after})`, current };
    const no = refusal(current);
    if (no !== null) return { status: 'changed', reason: no, current };
    if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer unused: ${String(current.details['judgement'])}`, current };
    return { status: 'unchanged', current };
  },

  async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
    const protectedBy = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
    if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
    const no = refusal(stored);
    if (no !== null) return { kind: 'refused', reason: no };
    if ((ctx.action ?? 'delete') !== 'delete') return { kind: 'failed', code: 'UnknownAction', message: `Secrets have no action "${ctx.action ?? ''}"` };
    if (dryRun) return { kind: 'checked', calls: [], note: 'Secrets Manager has no DryRun: verified by the re-check and an IAM permission check' };
    const window = recoveryDays(ctx);
    const call = { action: 'DeleteSecret', target: stored.resourceId, dryRun: false };
    // Never ForceDeleteWithoutRecovery: the secret stays restorable until its DeletionDate.
    const result = await auditedMutation(ctx, call, () =>
      ctx.client(SecretsManagerClient).send(new DeleteSecretCommand({ SecretId: stored.resourceId, RecoveryWindowInDays: window }), { abortSignal: ctx.signal }),
    );
    if (result.kind === 'error' && result.code === 'ResourceNotFoundException') return { kind: 'deleted', calls: [`${callLabel(call)} (already gone)`] };
    if (result.kind === 'error' && result.code === 'InvalidRequestException' && /marked for deletion/i.test(result.message)) {
      return { kind: 'deleted', calls: [`${callLabel(call)} (already scheduled for deletion)`] };
    }
    if (result.kind === 'unauthorized' || result.kind === 'error') return failureOutcome(result);
    const at = result.kind === 'done' && typeof result.value === 'object' && result.value.DeletionDate ? new Date(result.value.DeletionDate) : null;
    return { kind: 'deleted', calls: [`${callLabel(call)} (${window}-day recovery window: restorable until ${at ? day(at) : 'an unknown date'})`] };
  },

  parts(finding) {
    return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
  },
};
