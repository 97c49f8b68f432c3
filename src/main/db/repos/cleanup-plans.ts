import type { Kysely } from 'kysely';
import type { PartDto } from '../../../shared/dto/findings';
import { ownerColumns, type OwnerColumns } from '../run-owner';
import type { CleanupPlanRow, Database, PlanStatus } from '../schema';

/** A part of an item: what its action removes with it, or what stays (see ResourceHandler.parts). */
export type PlanRelatedDto = PartDto;

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
  /** The finding's own monthly cost, without its parts (an instance while stopped: $0; a volume: the volume). */
  ownMonthlyCost: number | null;
  /**
   * What running the item's action stops billing: its own cost plus the parts it deletes, minus what it creates
   * (a safety snapshot). Null = unknown (a part that would be deleted could not be priced).
   */
  savings: number | null;
  /** The formula behind `savings`. */
  savingsBasis: string;
  unusedReason: string | null;
  /** The handler's deleteOrder: items run in ascending order within a region. */
  deleteOrder: number;
  /**
   * The action chosen for the item (one of its kind's `actions`: `delete`, `delete-without-snapshot`, `stop`, …) and
   * its label and whether it removes the resource, as they were when planned. Plans of older versions: `delete`.
   */
  action: string;
  actionLabel: string;
  actionRemoves: boolean;
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
  /** Kept parts the user added to the plan, by item: `findingId` → part resource ids. */
  addedParts?: Record<string, string[]>;
  /** The latest dry run: when it ended and the items it cleared. Execute runs only those, while it is fresh. */
  lastDryRun?: { at: string; passed: number[] };
}

export interface CleanupPlanDto {
  id: string;
  accountId: string;
  createdAt: string;
  status: PlanStatus;
  items: PlanItemDto[];
  refused: PlanRefusalDto[];
  /** Sum of the items' known savings (what the plan deletes, never what stays). */
  monthlySavings: number;
  /** Items whose savings are unknown (not counted in monthlySavings). */
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
  // Plans stored before savings were per item read as unknown savings, never as the finding's whole cost.
  const items = (stored.items ?? []).map((i) => ({
    ...i,
    action: i.action ?? 'delete',
    actionLabel: i.actionLabel ?? 'Delete',
    actionRemoves: i.actionRemoves ?? true,
    ownMonthlyCost: i.ownMonthlyCost ?? null,
    savings: i.savings ?? null,
    savingsBasis: i.savingsBasis ?? 'Savings unknown: planned by an older version',
    related: (i.related ?? []).map((p) => ({
      ...p,
      monthlyCost: p.monthlyCost ?? null,
      costBasis: p.costBasis ?? '',
      tags: p.tags ?? null,
      protected: p.protected ?? false,
      protectedReason: p.protectedReason ?? null,
      addable: p.addable ?? false,
    })),
  }));
  const options = JSON.parse(r.options) as Partial<PlanOptionsDto>;
  return {
    id: r.id,
    accountId: r.account_id,
    createdAt: r.created_at,
    status: r.status,
    items,
    refused: stored.refused ?? [],
    monthlySavings: r.monthly_savings,
    unknownCostCount: items.filter((i) => i.savings === null).length,
    options: {
      snapshotVolumes: options.snapshotVolumes === true,
      ...(options.addedParts ? { addedParts: options.addedParts } : {}),
      ...(options.lastDryRun ? { lastDryRun: options.lastDryRun } : {}),
    },
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
/** Records the items a dry run cleared (merged into the plan's options; the rest of them is kept). */
export async function recordDryRun(db: Kysely<Database>, id: string, at: string, passed: readonly number[]): Promise<void> {
  const row = await db.selectFrom('cleanup_plans').select('options').where('id', '=', id).executeTakeFirst();
  if (row === undefined) return;
  const options = JSON.parse(row.options) as Record<string, unknown>;
  await db
    .updateTable('cleanup_plans')
    .set({ options: JSON.stringify({ ...options, lastDryRun: { at, passed: [...passed] } }) })
    .where('id', '=', id)
    .execute();
}

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
 * click) cannot both start. Returns whether this caller made the change. Moving to `running` records this process
 * as the run's owner (recovery leaves the plan alone while it lives).
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
    .set({ status: to, completed_at: completedAt, ...(to === 'running' ? ownerColumns() : {}) })
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

/** A plan still marked `running`, with the process that runs it. */
export interface RunningPlan extends OwnerColumns {
  id: string;
}

export async function listRunningPlans(db: Kysely<Database>): Promise<RunningPlan[]> {
  return db.selectFrom('cleanup_plans').select(['id', 'owner_pid', 'owner_start']).where('status', '=', 'running').orderBy('id').execute();
}

/**
 * Running plans become `interrupted`: those in `ids` (recovery passes the ones whose owner is gone, see
 * app/recovery.ts), or, without `ids`, every running plan — only for a caller that knows no process is running
 * one. Returns their ids.
 */
export async function markRunningPlansInterrupted(db: Kysely<Database>, now: string, ids?: readonly string[]): Promise<string[]> {
  if (ids !== undefined && ids.length === 0) return [];
  let query = db.updateTable('cleanup_plans').set({ status: 'interrupted', completed_at: now }).where('status', '=', 'running');
  if (ids !== undefined) query = query.where('id', 'in', [...ids]);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id);
}
