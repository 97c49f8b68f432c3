/**
 * The deletion history by plan: the audit log (`deletions`, one row per call or refusal) grouped per cleanup plan
 * and per item in SQL, joined with the stored plan (`cleanup_plans`: items, savings, the latest dry run).
 *
 * A plan's dry run and its execute are steps of one entry. The audit rows do not say which run wrote them, so the
 * split is by the plan's latest dry run (`options.lastDryRun.at`, written when a dry run ends): a row after it, or a
 * real (non-dry-run) row, belongs to the execute; the execute's own re-verification is part of the execute.
 */
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import type { DeletionItemOutcome, DeletionPlanDto, DeletionPlanItemDto, DeletionPlanPageDto } from '../../../shared/dto/cleanup';
import type { Database, DeletionOutcome } from '../schema';
import { toCleanupPlanDto, type CleanupPlanDto } from './cleanup-plans';

export type { DeletionItemOutcome, DeletionPlanDto, DeletionPlanItemDto, DeletionPlanPageDto };

export const DELETION_ITEM_OUTCOMES: readonly DeletionItemOutcome[] = ['done', 'dry-run-ok', 'not-run', 'refused', 'failed', 'unauthorized', 'pending'];

interface PlanGroupRow {
  plan_id: string;
  first_at: string;
  last_at: string;
  exec_at: string | null;
  calls: number;
}

/** One item's audit rows in aggregate, with the rows that decide its outcome. */
export interface ItemAuditRow {
  plan_id: string;
  resource_pk: number | null;
  resource_type: string;
  region: string;
  resource_id: string;
  first_id: number;
  calls: number;
  plan_action: string | null;
  /** The latest call that made (or may have made) a change: a real call, or a "dry run" AWS carried out. */
  real_outcome: DeletionOutcome | null;
  real_code: string | null;
  real_message: string | null;
  /** The latest row of the execute, and of the dry run(s) before it. */
  exec_outcome: DeletionOutcome | null;
  exec_code: string | null;
  exec_message: string | null;
  dry_outcome: DeletionOutcome | null;
  dry_code: string | null;
  dry_message: string | null;
}

/** The item's outcome from its decisive rows (pure: unit-tested through the repo). */
export function itemOutcome(r: ItemAuditRow): { outcome: DeletionItemOutcome; code: string | null; message: string | null } {
  const of = (o: DeletionOutcome, code: string | null, message: string | null, passed: DeletionItemOutcome) => ({
    outcome: o === 'succeeded' ? ('done' as const) : o === 'dry-run-ok' ? passed : o,
    code,
    message,
  });
  // A call that changed something decides; a refusal by a later run (the finding is gone now) does not undo it.
  if (r.real_outcome !== null) return of(r.real_outcome, r.real_code, r.real_message, 'not-run');
  if (r.exec_outcome !== null) return of(r.exec_outcome, r.exec_code, r.exec_message, 'not-run');
  if (r.dry_outcome !== null) return of(r.dry_outcome, r.dry_code, r.dry_message, 'dry-run-ok');
  return { outcome: 'not-run', code: null, message: null };
}

/**
 * The one difference between the stores here (issue #21): the text at `path` in a JSON TEXT column (a trusted
 * identifier and key names, never input). SQLite's json_extract; PostgreSQL reads the column as jsonb.
 */
function jsonText(db: Kysely<Database>, column: string, path: readonly string[]): RawBuilder<string | null> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql`(${sql.raw(column)}::jsonb) #>> ${sql.lit(`{${path.join(',')}}`)}`
    : sql`json_extract(${sql.raw(column)}, ${sql.lit(`$.${path.join('.')}`)})`;
}

/** The account's plans in the audit log, newest activity first, paged in SQL, each with its items and outcomes. */
export async function listDeletionPlans(
  db: Kysely<Database>,
  q: { accountId: string; limit?: number; offset?: number },
): Promise<DeletionPlanPageDto> {
  const limit = Math.min(Math.max(q.limit ?? 20, 1), 100);
  const offset = Math.max(q.offset ?? 0, 0);
  // `exec` marks the rows of an execute: real calls, or anything after the plan's latest dry run ended.
  const rowsCte = sql`
    SELECT d.*, CASE WHEN d.dry_run = 0 OR (p.dry_at IS NOT NULL AND d.requested_at > p.dry_at) THEN 1 ELSE 0 END AS exec
    FROM deletions d
    LEFT JOIN (SELECT id, ${jsonText(db, 'options', ['lastDryRun', 'at'])} AS dry_at FROM cleanup_plans) p ON p.id = d.plan_id
    WHERE d.account_id = ${q.accountId}`;
  const [groups, total] = await Promise.all([
    sql<PlanGroupRow>`
      WITH r AS (${rowsCte})
      SELECT plan_id, MIN(requested_at) AS first_at, MAX(COALESCE(completed_at, requested_at)) AS last_at,
        MIN(CASE WHEN exec = 1 THEN requested_at END) AS exec_at, COUNT(*) AS calls
      FROM r GROUP BY plan_id ORDER BY MAX(id) DESC LIMIT ${limit} OFFSET ${offset}`.execute(db),
    db
      .selectFrom('deletions')
      .select((eb) => eb.fn.count<number>('plan_id').distinct().as('n'))
      .where('account_id', '=', q.accountId)
      .executeTakeFirstOrThrow(),
  ]);
  const ids = groups.rows.map((g) => g.plan_id);
  if (ids.length === 0) return { rows: [], total: Number(total.n), limit, offset };

  const [items, plans] = await Promise.all([
    sql<ItemAuditRow>`
      WITH r AS (${rowsCte} AND d.plan_id IN (${sql.join(ids)})),
      i AS (
        SELECT plan_id, resource_type, region, resource_id, MAX(resource_pk) AS resource_pk, MIN(id) AS first_id,
          COUNT(*) AS calls, MAX(${jsonText(db, 'details', ['planAction'])}) AS plan_action,
          MAX(CASE WHEN outcome = 'succeeded' OR (dry_run = 0 AND action NOT IN ('Refuse', 'Recheck')) THEN id END) AS real_id,
          MAX(CASE WHEN exec = 1 THEN id END) AS exec_id,
          MAX(CASE WHEN exec = 0 THEN id END) AS dry_id
        FROM r GROUP BY plan_id, resource_type, region, resource_id
      )
      SELECT i.plan_id, i.resource_pk, i.resource_type, i.region, i.resource_id, i.first_id, i.calls, i.plan_action,
        x.outcome AS real_outcome, x.error_code AS real_code, x.error_message AS real_message,
        e.outcome AS exec_outcome, e.error_code AS exec_code, e.error_message AS exec_message,
        d.outcome AS dry_outcome, d.error_code AS dry_code, d.error_message AS dry_message
      FROM i
      LEFT JOIN deletions x ON x.id = i.real_id
      LEFT JOIN deletions e ON e.id = i.exec_id
      LEFT JOIN deletions d ON d.id = i.dry_id
      ORDER BY i.first_id`.execute(db),
    db.selectFrom('cleanup_plans').selectAll().where('account_id', '=', q.accountId).where('id', 'in', ids).execute(),
  ]);
  const planById = new Map(plans.map((p) => [p.id, toCleanupPlanDto(p)]));
  const itemsByPlan = new Map<string, ItemAuditRow[]>();
  for (const it of items.rows) itemsByPlan.set(it.plan_id, [...(itemsByPlan.get(it.plan_id) ?? []), it]);

  const rows = groups.rows.map((g) => toPlanDto(g, planById.get(g.plan_id) ?? null, itemsByPlan.get(g.plan_id) ?? []));
  return { rows, total: Number(total.n), limit, offset };
}

function toPlanDto(g: PlanGroupRow, plan: CleanupPlanDto | null, audit: readonly ItemAuditRow[]): DeletionPlanDto {
  const keyOf = (t: string, region: string, id: string): string => `${t}\u0000${region}\u0000${id}`;
  const byKey = new Map(audit.map((a) => [keyOf(a.resource_type, a.region, a.resource_id), a]));
  const items: DeletionPlanItemDto[] = [];
  const seen = new Set<string>();
  const fromAudit = (a: ItemAuditRow | undefined): Pick<DeletionPlanItemDto, 'outcome' | 'message' | 'errorCode' | 'calls'> => {
    if (a === undefined) return { outcome: 'not-run', message: null, errorCode: null, calls: 0 };
    const o = itemOutcome(a);
    return { outcome: o.outcome, message: o.message, errorCode: o.code, calls: Number(a.calls) };
  };
  // The plan's items first, in plan order (an item the run ended without a row, e.g. cancelled, is still listed).
  for (const it of plan?.items ?? []) {
    const key = keyOf(it.resourceType, it.region, it.resourceId);
    seen.add(key);
    items.push({
      findingId: it.findingId,
      resourceType: it.resourceType,
      region: it.region,
      resourceId: it.resourceId,
      name: it.name,
      action: it.action,
      actionLabel: it.actionLabel,
      savings: it.savings,
      ...fromAudit(byKey.get(key)),
    });
  }
  for (const a of audit) {
    const key = keyOf(a.resource_type, a.region, a.resource_id);
    if (seen.has(key)) continue;
    items.push({
      findingId: a.resource_pk,
      resourceType: a.resource_type,
      region: a.region,
      resourceId: a.resource_id,
      name: null,
      action: a.plan_action,
      actionLabel: null,
      savings: null,
      ...fromAudit(a),
    });
  }
  const counts = Object.fromEntries(DELETION_ITEM_OUTCOMES.map((o) => [o, 0])) as Record<DeletionItemOutcome, number>;
  let realisedSavings = 0;
  let unknownSavingsCount = 0;
  for (const it of items) {
    counts[it.outcome] += 1;
    if (it.outcome !== 'done') continue;
    if (it.savings === null) unknownSavingsCount += 1;
    else realisedSavings += it.savings;
  }
  const last = plan?.options.lastDryRun;
  return {
    planId: g.plan_id,
    createdAt: plan?.createdAt ?? g.first_at,
    lastAt: g.last_at,
    status: plan?.status ?? null,
    dryRun: last ? { at: last.at, passed: last.passed.length } : null,
    executedAt: g.exec_at,
    itemCount: items.length,
    callCount: Number(g.calls),
    counts,
    plannedSavings: plan ? plan.monthlySavings : null,
    realisedSavings: Math.round(realisedSavings * 100) / 100,
    unknownSavingsCount,
    items,
  };
}
