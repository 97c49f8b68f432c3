/**
 * The recovery list (issue #22): what a cleanup kept so a deleted resource can come back, read from the audit log
 * (`deletions`: the call that made each copy, and the id its answer named — see cleanup/audit.ts createdIdOf) and
 * the plan (`cleanup_plans`: the price of the part created and kept). Grouped, priced, filtered and paged in SQL.
 *
 * A copy (a volume's safety snapshot, a database's final snapshot, an instance's AMI) is kept until someone deletes
 * it and bills every month meanwhile. A scheduled deletion (a secret, a KMS key) is not a copy: the resource waits
 * in AWS's recovery window and is listed only while it can still be restored.
 */
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import type { RecoveryKind, RecoveryPageDto, RecoveryPointDto } from '../../../shared/dto/recovery';
import type { Database } from '../schema';

export type { RecoveryPageDto, RecoveryPointDto };

interface KindDef {
  label: string;
  isCopy: boolean;
  /** The console page to restore from, with the point's id; and the list page when the id was not recorded. */
  restore: string;
  list: string;
  hint: string;
}

/**
 * Console pages (filled by the renderer's lib/console-url.ts; their hosts pass main's openExternal allowlist). Only
 * deep links seen in use are taken: where no direct "restore" route is known, the point's own page or its list.
 */
export const RECOVERY_KIND_DEFS: Readonly<Record<RecoveryKind, KindDef>> = {
  'ebs-snapshot': {
    label: 'EBS snapshot',
    isCopy: true,
    restore: 'https://{host}/ec2/home?region={region}#SnapshotDetails:snapshotId={id}',
    list: 'https://{host}/ec2/home?region={region}#Snapshots:',
    hint: 'On the snapshot, choose Actions, then Create volume from snapshot',
  },
  ami: {
    label: 'AMI',
    isCopy: true,
    restore: 'https://{host}/ec2/home?region={region}#LaunchInstances:ami={id}',
    list: 'https://{host}/ec2/home?region={region}#Images:',
    hint: 'Opens the launch page with this AMI chosen: pick the instance type and launch',
  },
  'rds-snapshot': {
    label: 'RDS DB snapshot',
    isCopy: true,
    restore: 'https://{host}/rds/home?region={region}#db-snapshot:id={id}',
    list: 'https://{host}/rds/home?region={region}#snapshots-list:',
    hint: 'On the snapshot, choose Actions, then Restore snapshot',
  },
  'rds-cluster-snapshot': {
    label: 'Aurora cluster snapshot',
    isCopy: true,
    restore: 'https://{host}/rds/home?region={region}#snapshots-list:',
    list: 'https://{host}/rds/home?region={region}#snapshots-list:',
    hint: 'In Snapshots, select it, then choose Actions, Restore snapshot',
  },
  'redshift-snapshot': {
    label: 'Redshift snapshot',
    isCopy: true,
    restore: 'https://{host}/redshiftv2/home?region={region}#snapshots',
    list: 'https://{host}/redshiftv2/home?region={region}#snapshots',
    hint: 'In Snapshots, select it, then choose Restore snapshot',
  },
  'elasticache-snapshot': {
    label: 'ElastiCache backup',
    isCopy: true,
    restore: 'https://{host}/elasticache/home?region={region}#/',
    list: 'https://{host}/elasticache/home?region={region}#/',
    hint: 'Open Backups, select it, then choose Restore',
  },
  'secret-pending-deletion': {
    label: 'Secret pending deletion',
    isCopy: false,
    restore: 'https://{host}/secretsmanager/secret?name={id}&region={region}',
    list: 'https://{host}/secretsmanager/listsecrets?region={region}',
    hint: 'On the secret, choose Cancel deletion',
  },
  'kms-key-pending-deletion': {
    label: 'KMS key pending deletion',
    isCopy: false,
    restore: 'https://{host}/kms/home?region={region}#/kms/keys/{id}',
    list: 'https://{host}/kms/home?region={region}#/kms/keys',
    hint: 'On the key, choose Key actions, then Cancel key deletion',
  },
};

/** The audit actions that make a copy (or schedule a deletion). */
const CREATES = ['CreateSnapshot', 'CreateImage', 'CreateDBSnapshot', 'CreateDBClusterSnapshot', 'CreateClusterSnapshot'] as const;
const SCHEDULES = ['DeleteSecret', 'ScheduleKeyDeletion'] as const;
/** Rows that record a decision, not a call on the resource. */
const DECISIONS = ['Refuse', 'Recheck', 'CheckPermissions'] as const;

/**
 * What differs between the stores (issue #21), all of it here: reading the JSON TEXT columns (an audit row's details,
 * a plan's items and their parts). SQLite's json_extract / json_each / group_concat; on PostgreSQL the column read as
 * jsonb, ->> and jsonb_array_elements, string_agg. Keys and aliases are trusted constants, never input.
 */
interface JsonSql {
  /** The value at `key` of the audit row `d`'s details (text, or null). */
  detail(key: string): RawBuilder<unknown>;
  /** FROM items: the plan `cp`'s items as `i`; with `parts`, each item's parts (`related`) as `p`. */
  items(parts: boolean): RawBuilder<unknown>;
  /** The text at `key` of the JSON object `alias.value` (`i` or `p`). */
  text(alias: 'i' | 'p', key: string): RawBuilder<unknown>;
  /** The number at `key`: null when absent or null. */
  num(alias: 'i' | 'p', key: string): RawBuilder<unknown>;
  /** Whether `key` is JSON true. */
  isTrue(alias: 'i' | 'p', key: string): RawBuilder<unknown>;
  /** The texts of a group joined with '; '. */
  joined(expr: RawBuilder<unknown>): RawBuilder<unknown>;
}

const SQLITE_JSON: JsonSql = {
  detail: (key) => sql`json_extract(d.details, ${`$.${key}`})`,
  items: (parts) => sql.raw(`json_each(cp.items, '$.items') i${parts ? `, json_each(i.value, '$.related') p` : ''}`),
  text: (alias, key) => sql.raw(`json_extract(${alias}.value, '$.${key}')`),
  num: (alias, key) => sql.raw(`json_extract(${alias}.value, '$.${key}')`),
  isTrue: (alias, key) => sql.raw(`json_extract(${alias}.value, '$.${key}') = 1`),
  joined: (expr) => sql`group_concat(${expr}, '; ')`,
};

const POSTGRES_JSON: JsonSql = {
  detail: (key) => sql`((d.details::jsonb) ->> ${sql.lit(key)})`,
  items: (parts) =>
    sql.raw(`jsonb_array_elements((cp.items::jsonb) -> 'items') AS i(value)${parts ? `, jsonb_array_elements(i.value -> 'related') AS p(value)` : ''}`),
  text: (alias, key) => sql.raw(`(${alias}.value ->> '${key}')`),
  num: (alias, key) => sql.raw(`((${alias}.value ->> '${key}')::double precision)`),
  isTrue: (alias, key) => sql.raw(`(${alias}.value -> '${key}') = 'true'::jsonb`),
  joined: (expr) => sql`string_agg(${expr}, '; ')`,
};

function jsonSqlOf(db: Kysely<Database>): JsonSql {
  return db.getExecutor().adapter instanceof PostgresAdapter ? POSTGRES_JSON : SQLITE_JSON;
}

/**
 * The point a row stands for. The id is the one the answer named (createdIdOf); rows written before it was recorded
 * fall back to what the request itself named: Redshift's and ElastiCache's snapshot name is the call's target.
 * RDS rows of that age named only the DB instance: their id stays unknown, never rebuilt.
 */
const kindOf = (j: JsonSql['detail']) => sql<RecoveryKind | null>`CASE
  WHEN d.action = 'CreateSnapshot' AND ${j('snapshotId')} IS NOT NULL THEN 'ebs-snapshot'
  WHEN d.action = 'CreateSnapshot' AND (${j('snapshotName')} IS NOT NULL OR d.resource_type LIKE 'elasticache:%') THEN 'elasticache-snapshot'
  WHEN d.action = 'CreateImage' THEN 'ami'
  WHEN d.action = 'CreateDBSnapshot' THEN 'rds-snapshot'
  WHEN d.action = 'CreateDBClusterSnapshot' THEN 'rds-cluster-snapshot'
  WHEN d.action = 'CreateClusterSnapshot' THEN 'redshift-snapshot'
  WHEN d.action = 'DeleteSecret' THEN 'secret-pending-deletion'
  WHEN d.action = 'ScheduleKeyDeletion' THEN 'kms-key-pending-deletion'
END`;
const idOf = (j: JsonSql['detail']) => sql<string | null>`COALESCE(${j('snapshotId')}, ${j('imageId')}, ${j('dbSnapshotIdentifier')}, ${j('dbClusterSnapshotIdentifier')},
  ${j('snapshotIdentifier')}, ${j('snapshotName')},
  CASE WHEN d.action = 'CreateClusterSnapshot' OR (d.action = 'CreateSnapshot' AND d.resource_type LIKE 'elasticache:%') THEN d.target
       WHEN d.action IN ('DeleteSecret', 'ScheduleKeyDeletion') THEN d.resource_id END)`;

interface PointRow {
  kind: RecoveryKind;
  plan_id: string;
  region: string;
  resource_type: string;
  resource_id: string;
  created_id: string | null;
  created_at: string;
  deletion_date: string | null;
  resource_name: string | null;
  monthly_cost: number | null;
  cost_basis: string | null;
  last_outcome: string | null;
}

/**
 * The account's points, one per plan, resource and kind (a retried cleanup reuses its copy: one point, its earliest
 * call), scheduled deletions only while restorable (`now` before their date). Each with its plan item's name, the
 * cost of the parts created and kept (null when one is unpriced or none was recorded), and the outcome of the latest
 * call on the resource in the plan (did the resource go?).
 */
function pointsQuery(js: JsonSql, accountId: string, now: string) {
  const j = js.detail;
  const creates = sql.join(CREATES.map((a) => sql.lit(a)));
  const schedules = sql.join(SCHEDULES.map((a) => sql.lit(a)));
  const notCalls = sql.join([...CREATES, ...DECISIONS].map((a) => sql.lit(a)));
  const itemMatch = sql`${js.text('i', 'resourceId')} = g.resource_id AND ${js.text('i', 'region')} = g.region
    AND ${js.text('i', 'resourceType')} = g.resource_type`;
  const createdParts = sql`FROM ${js.items(true)}
    WHERE ${itemMatch} AND ${js.isTrue('p', 'created')} AND ${js.text('p', 'fate')} = 'kept'`;
  return sql`
    WITH r AS (
      SELECT ${kindOf(j)} AS kind, ${idOf(j)} AS created_id, d.plan_id, d.region, d.resource_type, d.resource_id, d.requested_at,
        ${j('deletionDate')} AS deletion_date
      FROM deletions d
      WHERE d.account_id = ${accountId} AND d.dry_run = 0 AND d.outcome = 'succeeded'
        AND (d.action IN (${creates}) OR (d.action IN (${schedules}) AND ${j('deletionDate')} > ${now}))
    ),
    g AS (
      SELECT kind, plan_id, region, resource_type, resource_id, MAX(created_id) AS created_id, MIN(requested_at) AS created_at,
        MAX(deletion_date) AS deletion_date
      FROM r WHERE kind IS NOT NULL
      GROUP BY kind, plan_id, region, resource_type, resource_id
    )
    SELECT g.*,
      (SELECT ${js.text('i', 'name')} FROM ${js.items(false)} WHERE ${itemMatch} LIMIT 1) AS resource_name,
      (SELECT CASE WHEN COUNT(*) = 0 OR COUNT(${js.num('p', 'monthlyCost')}) < COUNT(*) THEN NULL
              ELSE SUM(${js.num('p', 'monthlyCost')}) END ${createdParts}) AS monthly_cost,
      (SELECT ${js.joined(js.text('p', 'costBasis'))} ${createdParts}) AS cost_basis,
      (SELECT x.outcome FROM deletions x WHERE x.plan_id = g.plan_id AND x.region = g.region AND x.resource_type = g.resource_type
        AND x.resource_id = g.resource_id AND x.dry_run = 0 AND x.action NOT IN (${notCalls}) ORDER BY x.id DESC LIMIT 1) AS last_outcome
    FROM g LEFT JOIN cleanup_plans cp ON cp.id = g.plan_id AND cp.account_id = ${accountId}`;
}

const ID_HINT = 'Not recorded by the version of the app that made it: in the console, look for the tag cloud-cleaner:plan';

export function toRecoveryPoint(r: PointRow): RecoveryPointDto {
  const def = RECOVERY_KIND_DEFS[r.kind];
  const removed = def.isCopy ? r.last_outcome === 'succeeded' : true;
  const costBasis = !def.isCopy
    ? 'Not a copy: the resource itself, in the waiting period AWS gives before deleting it'
    : r.cost_basis !== null && r.cost_basis !== ''
      ? r.cost_basis
      : 'Cost unknown: the plan recorded no price for it';
  return {
    kind: r.kind,
    kindLabel: def.label,
    isCopy: def.isCopy,
    id: r.created_id,
    idHint: r.created_id === null ? `${ID_HINT} = ${r.plan_id}` : null,
    region: r.region,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    resourceName: r.resource_name,
    resourceRemoved: removed,
    planId: r.plan_id,
    createdAt: r.created_at,
    monthlyCost: def.isCopy ? r.monthly_cost : null,
    costBasis,
    retention: def.isCopy || r.deletion_date === null ? { kind: 'until-deleted' } : { kind: 'until-date', date: r.deletion_date },
    restoreUrlTemplate: r.created_id === null ? def.list : def.restore,
    restoreHint: def.hint,
  };
}

interface Totals {
  total: number;
  copies: number;
  copies_cost: number | null;
  copies_unknown: number;
}

const COPY_KINDS = (Object.keys(RECOVERY_KIND_DEFS) as RecoveryKind[]).filter((k) => RECOVERY_KIND_DEFS[k].isCopy);

/** The account's recovery points, newest first, paged in SQL, with the totals of all of them. */
export async function listRecoveryPoints(
  db: Kysely<Database>,
  q: { accountId: string; now: Date; limit?: number; offset?: number },
): Promise<RecoveryPageDto> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const offset = Math.max(q.offset ?? 0, 0);
  const points = pointsQuery(jsonSqlOf(db), q.accountId, q.now.toISOString());
  const copies = sql.join(COPY_KINDS.map((k) => sql.lit(k)));
  const [page, totals] = await Promise.all([
    sql<PointRow>`${points} ORDER BY g.created_at DESC, g.plan_id, g.resource_id, g.kind LIMIT ${limit} OFFSET ${offset}`.execute(db),
    sql<Totals>`WITH pts AS (${points})
      SELECT COUNT(*) AS total, COUNT(CASE WHEN kind IN (${copies}) THEN 1 END) AS copies,
        SUM(CASE WHEN kind IN (${copies}) THEN monthly_cost END) AS copies_cost,
        COUNT(CASE WHEN kind IN (${copies}) AND monthly_cost IS NULL THEN 1 END) AS copies_unknown
      FROM pts`.execute(db),
  ]);
  const t = totals.rows[0] ?? { total: 0, copies: 0, copies_cost: null, copies_unknown: 0 };
  return {
    rows: page.rows.map(toRecoveryPoint),
    total: t.total,
    limit,
    offset,
    copies: t.copies,
    copiesMonthlyCost: t.copies_cost ?? 0,
    copiesUnknownCost: t.copies_unknown,
    restorable: t.total - t.copies,
  };
}
