import type { Kysely } from 'kysely';
import type { CleanupPlanRow, Database, PlanStatus } from '../schema';

/** A resource that goes with an item when it is deleted (or explicitly stays): see ResourceHandler.related. */
export interface PlanRelatedDto {
  resourceType: string;
  resourceId: string;
  fate: 'deleted' | 'kept';
  note: string;
}

/** The finding as the user reviewed it: what the re-check compares AWS against and what the delete acts on. */
export interface ReviewedFindingDto {
  state: string | null;
  tags: Record<string, string>;
  createdAt: string | null;
  unused: boolean;
  unusedReason: string | null;
  unusedSince: string | null;
  protected: boolean;
  protectedReason: string | null;
  details: Record<string, unknown>;
}

export interface PlanItemDto {
  /** `resources.id`. */
  findingId: number;
  resourceType: string;
  region: string;
  resourceId: string;
  name: string | null;
  monthlyCost: number | null;
  costBasis: string;
  unusedReason: string | null;
  /** The handler's deleteOrder: items run in ascending order within a region. */
  deleteOrder: number;
  related: PlanRelatedDto[];
  reviewed: ReviewedFindingDto;
}

/** A finding the caller named that the plan will not touch, and why (decided at plan time). */
export interface PlanRefusalDto {
  findingId: number;
  /** Null when the id names no finding of this account. */
  resourceType: string | null;
  region: string | null;
  resourceId: string | null;
  reason: string;
}

export interface PlanOptionsDto {
  /** Snapshot each volume (tagged) before deleting it. */
  snapshotVolumes: boolean;
}

export interface CleanupPlanDto {
  id: string;
  accountId: string;
  createdAt: string;
  status: PlanStatus;
  items: PlanItemDto[];
  refused: PlanRefusalDto[];
  /** Sum of the items' known monthly costs. */
  monthlySavings: number;
  /** Items whose cost is unknown (not counted in monthlySavings). */
  unknownCostCount: number;
  options: PlanOptionsDto;
  completedAt: string | null;
}

/** `cleanup_plans.items` holds both lists. */
interface StoredItems {
  items: PlanItemDto[];
  refused: PlanRefusalDto[];
}

export function toCleanupPlanDto(r: CleanupPlanRow): CleanupPlanDto {
  const stored = JSON.parse(r.items) as Partial<StoredItems>;
  const items = stored.items ?? [];
  const options = JSON.parse(r.options) as Partial<PlanOptionsDto>;
  return {
    id: r.id,
    accountId: r.account_id,
    createdAt: r.created_at,
    status: r.status,
    items,
    refused: stored.refused ?? [],
    monthlySavings: r.monthly_savings,
    unknownCostCount: items.filter((i) => i.monthlyCost === null).length,
    options: { snapshotVolumes: options.snapshotVolumes === true },
    completedAt: r.completed_at,
  };
}

export async function insertPlan(
  db: Kysely<Database>,
  p: {
    id: string;
    accountId: string;
    createdAt: string;
    items: PlanItemDto[];
    refused: PlanRefusalDto[];
    monthlySavings: number;
    options: PlanOptionsDto;
  },
): Promise<CleanupPlanDto> {
  const stored: StoredItems = { items: p.items, refused: p.refused };
  await db
    .insertInto('cleanup_plans')
    .values({
      id: p.id,
      account_id: p.accountId,
      created_at: p.createdAt,
      status: 'planned',
      items: JSON.stringify(stored),
      monthly_savings: p.monthlySavings,
      options: JSON.stringify(p.options),
    })
    .execute();
  const plan = await getPlan(db, p.id);
  if (plan === null) throw new Error(`Plan ${p.id} vanished after insert`);
  return plan;
}

/** A plan by id; with `accountId`, only that account's. */
export async function getPlan(db: Kysely<Database>, id: string, accountId?: string): Promise<CleanupPlanDto | null> {
  let query = db.selectFrom('cleanup_plans').selectAll().where('id', '=', id);
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  const row = await query.executeTakeFirst();
  return row ? toCleanupPlanDto(row) : null;
}

/** Sets the status; `completedAt` is written for end states (pass null to clear it). */
export async function updatePlanStatus(
  db: Kysely<Database>,
  id: string,
  status: PlanStatus,
  completedAt?: string | null,
): Promise<void> {
  await db
    .updateTable('cleanup_plans')
    .set(completedAt === undefined ? { status } : { status, completed_at: completedAt })
    .where('id', '=', id)
    .execute();
}

/**
 * Moves a plan from one of `from` to `to` in one statement, so two runs of the same plan (two windows, a double
 * click) cannot both start. Returns whether this caller made the change.
 */
export async function transitionPlan(
  db: Kysely<Database>,
  id: string,
  from: readonly PlanStatus[],
  to: PlanStatus,
  completedAt: string | null,
): Promise<boolean> {
  if (from.length === 0) return false;
  const res = await db
    .updateTable('cleanup_plans')
    .set({ status: to, completed_at: completedAt })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** `transitionPlan` to `running`. */
export function claimPlan(db: Kysely<Database>, id: string, from: readonly PlanStatus[]): Promise<boolean> {
  return transitionPlan(db, id, from, 'running', null);
}

/** The account's plans, newest first. */
export async function listPlans(
  db: Kysely<Database>,
  q: { accountId: string; limit?: number; offset?: number },
): Promise<CleanupPlanDto[]> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  const offset = Math.max(q.offset ?? 0, 0);
  const rows = await db
    .selectFrom('cleanup_plans')
    .selectAll()
    .where('account_id', '=', q.accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(toCleanupPlanDto);
}

/** Plans left `running` by a crash become `interrupted` (at start-up, before any cleanup runs). Returns their ids. */
export async function markRunningPlansInterrupted(db: Kysely<Database>, now: string): Promise<string[]> {
  const rows = await db
    .updateTable('cleanup_plans')
    .set({ status: 'interrupted', completed_at: now })
    .where('status', '=', 'running')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
