/**
 * Orphaned manual RDS snapshots (AWS-FACTS-BEYOND-EC2.md, kind 4): DB snapshots and DB cluster snapshots in one kind
 * (`details.snapshotType` 'db' | 'cluster'). Thrifty's rule: a manual snapshot whose source DB instance or cluster no
 * longer exists in the region and that is older than 30 days (a kind setting). The free backup allowance is counted
 * from the storage of the region's databases: the deleted source no longer adds to it, so an orphan is priced as fully
 * billable.
 *
 * - Only `manual` snapshots are listed (automated ones go with their database; AWS Backup's are managed by its
 *   plans). DocumentDB and Neptune cluster snapshots, which the same API lists, are skipped.
 * - A copy from another Region (its source ARN names another Region of this account) is not judged: its source lives
 *   there. A copy from **another account** is protected (someone else's backup).
 * - **Shared** snapshots (the `restore` attribute names accounts, or `all`) are protected, but sharing is read only when
 *   a cleanup re-checks the snapshot (one DescribeDB[Cluster]SnapshotAttributes call per item, never in a scan): the
 *   finding says so.
 * - A **final snapshot taken by Cloud Cleaner** (tag `cloud-cleaner:plan`) is flagged like any orphan, because it bills,
 *   but its reason says what it is (the undo of that cleanup); since = its creation (the database was deleted right
 *   after). For any other snapshot AWS does not record when the source was deleted: since is unknown.
 *
 * Ids are the snapshot identifiers. DB and cluster snapshot identifiers are separate namespaces: a cluster snapshot
 * whose identifier a DB snapshot of the region also uses gets the id `cluster-snapshot:<identifier>` (a colon never
 * occurs in an identifier); `details.snapshotIdentifier` is always the identifier itself.
 *
 * A scan makes listings only: DescribeDBSnapshots and DescribeDBClusterSnapshots (manual), DescribeDBInstances and
 * DescribeDBClusters (which sources exist). RDS has no DryRun: the delete is verified by the re-check and an IAM
 * permission check.
 */
import {
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  RDSClient,
  type DBClusterSnapshot,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import { auroraBackupStorageKey, rdsBackupStorageKey, RDS_PRICE_KEYS } from '../pricing/keys/rds';
import { price } from '../pricing/price-key';
import type { RegionPrices } from '../pricing/types';
import { ALREADY_GONE, auditedMutation, callLabel, failureOutcome, isMutationFailure } from './ec2-mutation';
import { num, protectionByTag, roundCost, tagsToRecord, usd } from './handler';
import type { AuditedCall, DeleteOutcome, Finding, HandlerContext, ItemParts, RecheckResult, ResourceHandler } from './handler';
import { storedString } from './parts';
import {
  dbClusterPages,
  dbClusterSnapshotPages,
  dbSnapshotPages,
  describeDbInstance,
  isRdsNotFound,
  PLAN_TAG_KEY,
  regionDbClusterPages,
  regionDbInstancePages,
  SERVICE_RDS,
} from './rds-common';

export const RDS_SNAPSHOT_TYPE = 'rds:snapshot';
/** The kind's setting: how old an orphaned snapshot must be before it is flagged. */
export const ORPHAN_DAYS_SETTING = 'rdsSnapshotOrphanDays';
const DEFAULT_ORPHAN_DAYS = 30;
const DAY_MS = 86_400_000;
export const CLUSTER_ID_PREFIX = 'cluster-snapshot:';
export const SHARING_AT_RECHECK = 'Checked when you plan a cleanup';

type SnapshotType = 'db' | 'cluster';

/** One snapshot, whichever API listed it. */
interface Snap {
  type: SnapshotType;
  identifier: string;
  arn: string | null;
  sourceId: string | null;
  engine: string;
  status: string | null;
  snapshotType: string | null;
  createdAt: Date | null;
  allocatedGiB: number | null;
  tags: Record<string, string>;
  /** The ARN it was copied from (cross-Region or cross-account copies), or null. */
  copiedFrom: string | null;
  encrypted: boolean | null;
}

function fromDb(s: DBSnapshot): Snap {
  const src = s.SourceDBSnapshotIdentifier ?? '';
  return {
    type: 'db',
    identifier: s.DBSnapshotIdentifier ?? '',
    arn: s.DBSnapshotArn ?? null,
    sourceId: s.DBInstanceIdentifier || null,
    engine: s.Engine ?? '',
    status: s.Status ?? null,
    snapshotType: s.SnapshotType ?? null,
    createdAt: s.SnapshotCreateTime ? new Date(s.SnapshotCreateTime) : null,
    allocatedGiB: s.AllocatedStorage ?? null,
    tags: tagsToRecord(s.TagList),
    copiedFrom: src.startsWith('arn:') ? src : null,
    encrypted: s.Encrypted ?? null,
  };
}

function fromCluster(s: DBClusterSnapshot): Snap {
  return {
    type: 'cluster',
    identifier: s.DBClusterSnapshotIdentifier ?? '',
    arn: s.DBClusterSnapshotArn ?? null,
    sourceId: s.DBClusterIdentifier || null,
    engine: s.Engine ?? '',
    status: s.Status ?? null,
    snapshotType: s.SnapshotType ?? null,
    createdAt: s.SnapshotCreateTime ? new Date(s.SnapshotCreateTime) : null,
    allocatedGiB: s.AllocatedStorage ?? null,
    tags: tagsToRecord(s.TagList),
    copiedFrom: s.SourceDBClusterSnapshotArn || null,
    encrypted: s.StorageEncrypted ?? null,
  };
}

/** DocumentDB and Neptune snapshots are listed by the RDS API too: other services. */
const isRdsEngine = (engine: string): boolean => !/^(docdb|neptune)/.test(engine);

/** `arn:partition:rds:region:account:…` → region and account. */
function arnParts(arn: string): { region: string; account: string } | null {
  const p = arn.split(':');
  return p.length >= 6 && p[0] === 'arn' ? { region: p[3] ?? '', account: p[4] ?? '' } : null;
}

// ---- reading AWS ----

async function* snapshotPages(ctx: HandlerContext, type: SnapshotType, id?: string): AsyncIterable<Snap[]> {
  // Listings: manual snapshots only; the re-check names one by identifier.
  if (type === 'db') {
    for await (const page of dbSnapshotPages(ctx, id !== undefined ? { DBSnapshotIdentifier: id } : { SnapshotType: 'manual' })) yield page.map(fromDb);
  } else {
    for await (const page of dbClusterSnapshotPages(ctx, id !== undefined ? { DBClusterSnapshotIdentifier: id } : { SnapshotType: 'manual' })) {
      yield page.map(fromCluster);
    }
  }
}

/** Identifiers of the region's DB instances or clusters: one paged listing (in a scan, the one the RDS kinds share). */
async function sourceIds(ctx: HandlerContext, type: SnapshotType): Promise<Set<string>> {
  const out = new Set<string>();
  if (type === 'db') {
    for await (const page of regionDbInstancePages(ctx)) for (const i of page) if (i.DBInstanceIdentifier) out.add(i.DBInstanceIdentifier);
  } else {
    for await (const page of regionDbClusterPages(ctx)) for (const c of page) if (c.DBClusterIdentifier) out.add(c.DBClusterIdentifier);
  }
  return out;
}

/** Does the source exist now (exact read, for the re-check)? */
async function sourceExists(ctx: HandlerContext, s: Snap): Promise<boolean> {
  if (s.sourceId === null) return false;
  if (s.type === 'db') return (await describeDbInstance(ctx, s.sourceId)) !== null;
  try {
    for await (const page of dbClusterPages(ctx, s.sourceId)) if (page.length > 0) return true;
    return false;
  } catch (err) {
    if (isRdsNotFound(err)) return false;
    throw err;
  }
}

/** Accounts the snapshot is shared with (`all` = public), from its `restore` attribute: one call. */
async function sharedWith(ctx: HandlerContext, s: Snap): Promise<string[]> {
  const client = ctx.client(RDSClient);
  const attrs =
    s.type === 'db'
      ? (await client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: s.identifier }), { abortSignal: ctx.signal }))
          .DBSnapshotAttributesResult?.DBSnapshotAttributes
      : (await client.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: s.identifier }), { abortSignal: ctx.signal }))
          .DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes;
  return (attrs ?? []).filter((a) => a.AttributeName === 'restore').flatMap((a) => a.AttributeValues ?? []);
}

// ---- the finding ----

function orphanDays(ctx: HandlerContext): number {
  const v = ctx.settings.kinds?.[ORPHAN_DAYS_SETTING];
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : DEFAULT_ORPHAN_DAYS;
}

function costOf(s: Snap, prices: RegionPrices | null, region: string): { monthlyCost: number | null; costBasis: string } {
  const aurora = s.type === 'cluster' && s.engine.startsWith('aurora');
  const label = aurora ? 'Aurora backup storage' : 'RDS backup storage';
  if (s.allocatedGiB === null || s.allocatedGiB <= 0) return { monthlyCost: null, costBasis: 'Cost unknown: AWS reports no size for the snapshot' };
  // Aurora's AllocatedStorage is a placeholder (1) where its storage "isn't fixed": not a size to bill.
  if (aurora && s.allocatedGiB <= 1) {
    return { monthlyCost: null, costBasis: `Cost unknown: AWS reports AllocatedStorage ${s.allocatedGiB} for this Aurora cluster snapshot, not its billed size` };
  }
  const key = aurora ? auroraBackupStorageKey(s.engine) : rdsBackupStorageKey();
  const rate = key && prices ? price(prices, key) : null;
  if (rate === null) return { monthlyCost: null, costBasis: `Cost unknown: no ${label} price (${region})` };
  return {
    monthlyCost: roundCost(s.allocatedGiB * rate),
    costBasis:
      `${label} ${num(s.allocatedGiB)} GB (AllocatedStorage as AWS reports it) × ${usd(rate)} (${region}); ` +
      'fully billable: the free backup allowance comes from the storage of the region’s databases, and its source is gone',
  };
}

interface Lookups {
  /** Does the source exist? null = not known (not listed). */
  exists(s: Snap): boolean | null;
}

function toFinding(ctx: HandlerContext, s: Snap, resourceId: string, lookups: Lookups, shared: string[] | null): Finding {
  const cost = costOf(s, ctx.prices, ctx.region);
  const days = orphanDays(ctx);
  const copy = s.copiedFrom ? arnParts(s.copiedFrom) : null;
  const otherAccount = copy !== null && copy.account !== '' && copy.account !== ctx.accountId ? copy.account : null;
  const otherRegion = copy !== null && otherAccount === null && copy.region !== '' && copy.region !== ctx.region ? copy.region : null;
  const exists = lookups.exists(s);
  const plan = Object.entries(s.tags).find(([k]) => k.toLowerCase() === PLAN_TAG_KEY)?.[1] ?? null;
  const ageDays = s.createdAt === null ? null : Math.floor((ctx.now.getTime() - s.createdAt.getTime()) / DAY_MS);
  const source = s.type === 'db' ? `DB instance ${s.sourceId ?? 'unknown'}` : `DB cluster ${s.sourceId ?? 'unknown'}`;

  let unused = false;
  let unusedReason: string | null = null;
  let judgement: string;
  if (s.status !== 'available') judgement = `Not judged: the snapshot is ${s.status ?? 'in an unknown state'}`;
  else if (s.snapshotType !== 'manual') judgement = `Not judged: a ${s.snapshotType ?? 'unknown'} snapshot, not a manual one`;
  else if (otherRegion !== null) judgement = `Not judged: copied from ${otherRegion}, where its source lives`;
  else if (exists === null) judgement = 'Not judged: whether its source exists was not read';
  else if (exists) judgement = `Its source ${source} exists`;
  else if (ageDays === null) judgement = `Its source ${source} is gone, but AWS gives no creation time (never guessed old)`;
  else if (ageDays < days) judgement = `Its source ${source} is gone, but it is ${ageDays} days old (flagged from ${days})`;
  else {
    unused = true;
    judgement = `Its source ${source} no longer exists; the snapshot is ${ageDays} days old`;
    unusedReason = plan !== null ? `${judgement}. It is Cloud Cleaner’s final snapshot from plan ${plan}: the undo of that cleanup — delete it only if you will never restore it` : judgement;
  }
  const reasons = [
    protectionByTag(s.tags, ctx.settings.protectionTagKey),
    otherAccount !== null ? `Copied from account ${otherAccount} (${s.copiedFrom ?? ''}): another account’s backup` : null,
    shared !== null && shared.length > 0
      ? shared.includes('all')
        ? 'Public: shared with every AWS account (restore attribute "all")'
        : `Shared with account(s) ${shared.join(', ')}`
      : null,
  ].filter((r): r is string => r !== null);
  return {
    resourceType: RDS_SNAPSHOT_TYPE,
    resourceId,
    region: ctx.region,
    name: s.tags['Name'] ?? null,
    state: s.status,
    tags: s.tags,
    createdAt: s.createdAt?.toISOString() ?? null,
    unused,
    unusedReason,
    // The reason names the source: the category does not (one filter entry for every orphaned snapshot).
    reasonCategory: unused ? `Its source ${s.type === 'db' ? 'DB instance' : 'DB cluster'} no longer exists` : null,
    unusedSince: unused && plan !== null ? (s.createdAt?.toISOString() ?? null) : null,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: reasons.length > 0,
    protectedReason: reasons.length > 0 ? reasons.join('; ') : null,
    details: {
      snapshotType: s.type,
      snapshotIdentifier: s.identifier,
      snapshotArn: s.arn,
      sourceId: s.sourceId,
      sourceExists: exists,
      engine: s.engine,
      allocatedGiB: s.allocatedGiB,
      ageDays,
      orphanDays: days,
      copiedFrom: s.copiedFrom,
      encrypted: s.encrypted,
      finalSnapshotOfPlan: plan,
      judgement,
      sharing: shared === null ? SHARING_AT_RECHECK : shared.length === 0 ? 'Not shared' : shared.join(', '),
    },
  };
}

function snapOf(stored: Finding): { type: SnapshotType; identifier: string } {
  const type: SnapshotType = stored.details['snapshotType'] === 'cluster' ? 'cluster' : 'db';
  const identifier = storedString(stored.details['snapshotIdentifier']) ?? stored.resourceId.replace(CLUSTER_ID_PREFIX, '');
  return { type, identifier };
}

export const rdsSnapshotsHandler: ResourceHandler = {
    type: RDS_SNAPSHOT_TYPE,
    label: 'Orphaned DB snapshots',
    noun: 'DB snapshot',
    consoleUrl: 'https://{host}/rds/home?region={region}#snapshots-list:',
    iam: {
      scan: ['rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
      action: [
        'rds:DeleteDBSnapshot',
        'rds:DeleteDBClusterSnapshot',
        'rds:DescribeDBSnapshotAttributes',
        'rds:DescribeDBClusterSnapshotAttributes',
      ],
    },
    actionLabel: 'Delete',
    verification: {
      method: 'permission-check',
      description:
        'RDS has no DryRun: each snapshot is re-checked (its source still gone, not shared with another account, not protected) and IAM policy simulation says whether you may delete it',
    },
    settings: [
      {
        key: ORPHAN_DAYS_SETTING,
        label: 'Orphaned DB snapshots older than',
        description: 'A manual DB or cluster snapshot whose source database is gone is flagged only when it is at least this many days old.',
        type: 'integer',
        unit: 'days',
        default: DEFAULT_ORPHAN_DAYS,
        min: 1,
        max: 3650,
      },
    ],
    priceKeys: RDS_PRICE_KEYS,
    detailFields: [
      { key: 'judgement', label: 'Source' },
      { key: 'snapshotType', label: 'Snapshot of (db = DB instance, cluster = DB cluster)' },
      { key: 'snapshotIdentifier', label: 'Snapshot identifier' },
      { key: 'sourceId', label: 'Taken from', emptyText: 'Unknown' },
      { key: 'engine', label: 'Engine' },
      { key: 'allocatedGiB', label: 'Size (AllocatedStorage)', unit: 'GiB' },
      { key: 'ageDays', label: 'Age', unit: 'days' },
      { key: 'copiedFrom', label: 'Copied from', emptyText: 'Not a copy' },
      { key: 'sharing', label: 'Sharing' },
      { key: 'finalSnapshotOfPlan', label: 'Final snapshot of Cloud Cleaner plan', emptyText: 'No' },
      { key: 'encrypted', label: 'Encrypted', format: 'boolean' },
    ],
    category: 'Database',
    serviceCodes: [SERVICE_RDS],
    billingServiceCode: SERVICE_RDS,
    deleteOrder: 60,
    listings: ['db-instances', 'db-clusters'],

    async *scan(ctx) {
      // Which sources exist: one listing of each, made when a page first needs it.
      let instances: Promise<Set<string>> | undefined;
      let clusters: Promise<Set<string>> | undefined;
      const dbIds = new Set<string>();
      for await (const page of snapshotPages(ctx, 'db')) {
        ctx.signal?.throwIfAborted();
        const snaps = page.filter((s) => s.identifier !== '' && isRdsEngine(s.engine));
        if (snaps.length === 0) continue;
        instances ??= sourceIds(ctx, 'db');
        const live = await instances;
        for (const s of snaps) dbIds.add(s.identifier);
        yield snaps.map((s) => toFinding(ctx, s, s.identifier, { exists: (x) => x.sourceId !== null && live.has(x.sourceId) }, null));
      }
      for await (const page of snapshotPages(ctx, 'cluster')) {
        ctx.signal?.throwIfAborted();
        const snaps = page.filter((s) => s.identifier !== '' && isRdsEngine(s.engine));
        if (snaps.length === 0) continue;
        clusters ??= sourceIds(ctx, 'cluster');
        const live = await clusters;
        yield snaps.map((s) =>
          toFinding(ctx, s, dbIds.has(s.identifier) ? `${CLUSTER_ID_PREFIX}${s.identifier}` : s.identifier, { exists: (x) => x.sourceId !== null && live.has(x.sourceId) }, null),
        );
      }
    },

    async recheck(ctx, stored): Promise<RecheckResult> {
      const { type, identifier } = snapOf(stored);
      let snap: Snap | undefined;
      try {
        for await (const page of snapshotPages(ctx, type, identifier)) snap ??= page[0];
      } catch (err) {
        if (isRdsNotFound(err)) return { status: 'gone', reason: 'The snapshot no longer exists' };
        throw err;
      }
      if (snap === undefined || snap.status === 'deleting') return { status: 'gone', reason: 'The snapshot no longer exists' };
      const [exists, shared] = await Promise.all([sourceExists(ctx, snap), sharedWith(ctx, snap)]);
      const current = toFinding(ctx, snap, stored.resourceId, { exists: () => exists }, shared);
      if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
      if (stored.state !== current.state) {
        return { status: 'changed', reason: `Status changed from ${stored.state ?? 'unknown'} to ${current.state ?? 'unknown'}`, current };
      }
      if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer orphaned: ${String(current.details['judgement'])}`, current };
      return { status: 'unchanged', current };
    },

    async delete(ctx, stored, { dryRun }): Promise<DeleteOutcome> {
      const refusal = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
      if (refusal !== null) return { kind: 'refused', reason: refusal };
      if (dryRun) return { kind: 'checked', calls: [], note: 'RDS has no DryRun: verified by the re-check and an IAM permission check' };
      const { type, identifier } = snapOf(stored);
      const call: AuditedCall = { action: type === 'db' ? 'DeleteDBSnapshot' : 'DeleteDBClusterSnapshot', target: identifier, dryRun: false };
      const result = await auditedMutation(ctx, call, async () => {
        try {
          return type === 'db'
            ? await ctx.client(RDSClient).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: identifier }), { abortSignal: ctx.signal })
            : await ctx.client(RDSClient).send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: identifier }), { abortSignal: ctx.signal });
        } catch (err) {
          // Deleted by an earlier attempt, or meanwhile: what the call was for.
          if (isRdsNotFound(err)) return ALREADY_GONE;
          throw err;
        }
      });
      if (isMutationFailure(result)) return failureOutcome(result);
      return { kind: 'deleted', calls: [callLabel(call, result)] };
    },

    parts(finding): ItemParts {
      return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
    },
};
