import { assertNever } from '../../shared/assert-never';
import { holdLease } from '../db/repos/run-leases';
import { AppError } from '../../shared/errors';
import { awsErrorCode } from '../aws/errors';
import { getPlan, markRunningPlansInterrupted, recordDryRun, transitionPlan, updatePlanStatus } from '../db/repos/cleanup-plans';
import type { CleanupPlanDto, PlanItemDto } from '../db/repos/cleanup-plans';
import { auditDecision } from '../db/repos/deletions';
import { getResourcesByIds } from '../db/repos/resources';
import { markResourceDeleted } from '../db/repos/findings-store';
import type { PlanStatus } from '../db/schema';
import type { AppDb } from '../db/store';
import type { DeleteContext, DeleteOutcome, RecheckResult, ResourceHandler, StoredFinding } from '../handlers/handler';
import { actionById } from '../handlers/actions';
import { createHandlerContext } from '../handlers/context';
import { compareParts, deleteGuard, guardedDelete, partsOf } from '../handlers/parts';
import { createLimiter } from '../scan/limiter';
import { createAudited } from './audit';
import { currentSnoozes, snoozesOf } from '../db/repos/snoozes';
import { ignoredRefusal } from './ignored';
import { refusalReason, reviewedFinding } from './plan';
import { ITEM_OUTCOMES } from './types';
import type {
  CleanupItemResult,
  CleanupPhase,
  CleanupProgressEvent,
  CleanupResult,
  ItemOutcome,
  RunPlanDeps,
  RunPlanInput,
} from './types';

/** Plans that may run (again: every run re-checks). `completed` and `refused` are final: a new plan re-reads the findings. */
const RUNNABLE: readonly PlanStatus[] = ['planned', 'dry-run', 'interrupted', 'cancelled'];
const DEFAULT_CONCURRENCY = 4;
const UNAUTHORIZED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException']);

/** How long a dry run stays valid for execute: AWS state moves, and the user confirmed what they saw then. */
export const DRY_RUN_FRESHNESS_MS = 15 * 60_000;

/** The findings the latest dry run cleared, or an AppError when there is none or it is too old. */
function dryRunCleared(plan: CleanupPlanDto, now: Date, freshnessMs: number): Set<number> {
  const last = plan.options.lastDryRun;
  if (last === undefined) {
    throw new AppError('conflict', `Run a dry run of plan ${plan.id} first: execute deletes only what a dry run cleared`);
  }
  const age = now.getTime() - Date.parse(last.at);
  if (!(age <= freshnessMs)) {
    const minutes = Math.round(age / 60_000);
    throw new AppError(
      'conflict',
      `The dry run of plan ${plan.id} is ${minutes} minutes old (the limit is ${Math.round(freshnessMs / 60_000)}): run it again before deleting`,
    );
  }
  return new Set(last.passed);
}

/** One plan item and, once known, its outcome. */
interface Slot {
  item: PlanItemDto;
  result: CleanupItemResult | null;
  /** The latest re-check's verdict. */
  recheck?: RecheckResult['status'];
}

/** A slot still on its way through the run. */
interface Work extends Slot {
  handler: ResourceHandler;
  stored: StoredFinding;
}

type Final = Omit<CleanupItemResult, 'findingId' | 'resourceType' | 'region' | 'resourceId' | 'calls' | 'action'> & { calls?: string[] };

/** Runs `fn` over `items`, at most `limit` at a time, in order of start (the scanner's limiter: one implementation). */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const limited = createLimiter(Math.max(1, limit));
  await Promise.all(items.map((item) => limited(() => fn(item))));
}

function byRegion(works: readonly Work[]): Work[][] {
  const map = new Map<string, Work[]>();
  for (const w of works) map.set(w.item.region, [...(map.get(w.item.region) ?? []), w]);
  return [...map.values()];
}

/**
 * Runs a stored plan: (1) for `execute`, the typed account id must match, else the whole plan is refused and
 * nothing is sent to AWS; (2) every item is re-checked against AWS; (3) every remaining item is dry-run, so
 * missing permissions are reported before anything is deleted; (4) `execute` only: per region, deleteOrder group
 * after group, a few items at a time, each re-checked once more just before its delete. Every mutating call is
 * audited (pending row first), every refusal logged, every deleted finding marked `deleted`.
 *
 * A wrong confirmation is a result, not an error: the plan becomes `refused`, each item `refused` with the reason,
 * and the audit log records it. Errors (AppError) are for plans that cannot run: unknown (`not_found`), another
 * account's or already final or running (`conflict`).
 */
export async function runPlan(deps: RunPlanDeps, input: RunPlanInput): Promise<CleanupResult> {
  // At most one cleanup per account at a time, across processes and machines (run-leases.ts): a second is refused
  // with the holder's host, user and start. A plan that is unknown or of another account is refused first (runPlanHeld
  // checks again, under the lease).
  const plan = await getPlan(deps.db.db, input.planId);
  if (plan === null) throw new AppError('not_found', `No cleanup plan ${input.planId}`);
  if (plan.accountId !== deps.accountId) {
    throw new AppError('conflict', `Plan ${plan.id} is for account ${plan.accountId}, but the credentials are for ${deps.accountId}`);
  }
  // A cleanup that loses its lease stops between items (as a cancel does): two must never delete at once.
  return holdLease(deps.db.db, { accountId: deps.accountId, kind: 'cleanup' }, (lost) =>
    runPlanHeld(deps, { ...input, signal: input.signal ? AbortSignal.any([input.signal, lost]) : lost }),
  );
}

async function runPlanHeld(deps: RunPlanDeps, input: RunPlanInput): Promise<CleanupResult> {
  const now = deps.now ?? (() => new Date());
  // Either store (issue #21): the audit and the plan go through AppDb-neutral repositories.
  const store: AppDb = deps.db;
  const { db } = store;
  const plan = await getPlan(db, input.planId);
  if (plan === null) throw new AppError('not_found', `No cleanup plan ${input.planId}`);
  if (plan.accountId !== deps.accountId) {
    throw new AppError('conflict', `Plan ${plan.id} is for account ${plan.accountId}, but the credentials are for ${deps.accountId}`);
  }
  if (!RUNNABLE.includes(plan.status)) {
    throw new AppError('conflict', `Plan ${plan.id} is ${plan.status}; build a new plan to clean up again`);
  }
  const dryRun = input.mode === 'dry-run';
  const total = plan.items.length;
  let completed = 0;
  const emit = (findingId: number, phase: CleanupPhase, outcome?: ItemOutcome, reason?: string): void =>
    safeEmit(deps, { planId: plan.id, findingId, phase, completed, total, ...(outcome ? { outcome } : {}), ...(reason ? { reason } : {}) });
  const subject = (w: Slot) => ({
    accountId: plan.accountId,
    planId: plan.id,
    resourcePk: w.item.findingId,
    resourceType: w.item.resourceType,
    region: w.item.region,
    resourceId: w.item.resourceId,
  });

  if (!dryRun && (input.confirmAccountId ?? '').trim() !== plan.accountId) {
    return refuseWholePlan(deps, plan, input, now);
  }
  // Execute acts on what the user saw pass: the items of the latest dry run, while it is fresh. A missing or stale
  // dry run is an error (the plan stays runnable: run the dry run again), not a result.
  const freshness = deps.dryRunFreshnessMs === undefined ? DRY_RUN_FRESHNESS_MS : deps.dryRunFreshnessMs;
  const cleared = !dryRun && freshness !== null ? dryRunCleared(plan, now(), freshness) : null;
  if (!(await transitionPlan(db, plan.id, RUNNABLE, 'running', null))) {
    throw new AppError('conflict', `Plan ${plan.id} is already running or has finished`);
  }

  const finish = (w: Slot, f: Final): void => {
    if (w.result !== null) return;
    w.result = {
      findingId: w.item.findingId,
      resourceType: w.item.resourceType,
      region: w.item.region,
      resourceId: w.item.resourceId,
      action: w.item.action,
      ...f,
      ...(w.recheck ? { recheck: w.recheck } : {}),
      calls: f.calls ?? [],
    };
    completed += 1;
    emit(w.item.findingId, 'done', f.outcome, f.reason);
  };
  const refuse = async (w: Slot, reason: string, stage: string): Promise<void> => {
    await auditDecision(
      store,
      { ...subject(w), action: 'Refuse', dryRun, outcome: 'refused', message: reason, details: { stage } },
      now().toISOString(),
    );
    finish(w, { outcome: 'refused', reason });
  };
  const aborted = (): boolean => input.signal?.aborted === true;
  const lastCallSucceeded = async (w: Slot): Promise<boolean> => {
    const last = await db
      .selectFrom('deletions')
      .select('outcome')
      .where('plan_id', '=', plan.id)
      .where('resource_type', '=', w.item.resourceType)
      .where('region', '=', w.item.region)
      .where('resource_id', '=', w.item.resourceId)
      .where('dry_run', '=', 0)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last?.outcome === 'succeeded';
  };
  // SQLite only for now: an execute on PostgreSQL was refused before it started (above), never after a delete.
  const markFindingDeleted = (findingId: number): Promise<void> => markResourceDeleted(store, findingId, now().toISOString());
  const addedFor = (findingId: number): string[] => plan.options.addedParts?.[String(findingId)] ?? [];

  const ctxFor = (w: Work, withSignal: boolean): DeleteContext => ({
    ...createHandlerContext({
      region: w.item.region,
      accountId: plan.accountId,
      clients: deps.clients,
      prices: deps.prices.forRegion(w.item.region),
      settings: deps.settings,
      now: now(),
      // Only re-checks (reads) are aborted mid-call; a mutating call in flight finishes and is recorded.
      ...(withSignal && input.signal ? { signal: input.signal } : {}),
    }),
    planId: plan.id,
    cancelled: aborted,
    snapshotBeforeDelete: plan.options.snapshotVolumes,
    addedParts: addedFor(w.item.findingId),
    action: w.item.action,
    audited: createAudited({ db: store, subject: subject(w), now, details: { planAction: w.item.action } }),
  });

  /** Re-check; true when the item may proceed. */
  const recheck = async (w: Work, stage: 'recheck' | 'before-delete'): Promise<boolean> => {
    let r: RecheckResult;
    try {
      r = await w.handler.recheck(ctxFor(w, true), w.stored);
    } catch (err) {
      if (aborted()) return false; // ends `cancelled`
      const code = awsErrorCode(err);
      const message = err instanceof Error ? err.message : String(err);
      const outcome = UNAUTHORIZED.has(code) ? 'unauthorized' : 'failed';
      await auditDecision(
        store,
        { ...subject(w), action: 'Recheck', dryRun, outcome, errorCode: code, message, details: { stage } },
        now().toISOString(),
      );
      finish(w, { outcome, reason: 'Could not re-check it, so it was not touched', errorCode: code, errorMessage: message });
      return false;
    }
    w.recheck = r.status;
    if (r.status === 'unchanged') {
      // The parts AWS shows now against the parts the user reviewed: a different set, a flipped
      // DeleteOnTermination, or a part that would be removed and is now protected stops the item.
      const current = partsOf(w.handler, r.current, deps.settings, {
        snapshotVolumes: plan.options.snapshotVolumes,
        added: addedFor(w.item.findingId),
        action: w.item.action,
      });
      const byParts = compareParts(w.item.related, current.parts);
      if (byParts.status !== 'unchanged') {
        w.recheck = byParts.status;
        await refuse(w, byParts.status === 'protected' ? `protected: ${byParts.reason}` : byParts.reason, stage);
        return false;
      }
      // The chosen action must still apply to what AWS shows now (an instance to stop that is stopped already).
      const notNow = w.handler.actionRefusal?.(r.current, w.item.action) ?? null;
      if (notNow !== null) {
        w.recheck = 'changed';
        await refuse(w, notNow, stage);
        return false;
      }
    }
    switch (r.status) {
      case 'unchanged':
        return true;
      case 'changed':
      case 'gone':
        await refuse(w, r.reason, stage);
        return false;
      case 'protected':
        await refuse(w, `protected: ${r.reason}`, stage);
        return false;
      default:
        return assertNever(r);
    }
  };

  /**
   * The dry run of one item, as its kind declares: EC2's DryRun through the handler, or — for an API without one — the
   * guard, then the permissions simulated (the re-check ran just before). Recorded in the audit log either way.
   */
  const verify = async (w: Work): Promise<DeleteOutcome> => {
    if (w.handler.verification.method === 'dry-run') return guardedDelete(w.handler, ctxFor(w, false), w.stored, { dryRun: true });
    const refused = deleteGuard(w.handler, ctxFor(w, false), w.stored);
    if (refused !== null) return refused;
    const actions = actionById(w.handler, w.item.action)?.iam ?? w.handler.iam.action;
    const check = deps.permissionCheck
      ? await deps.permissionCheck(actions)
      : ({ status: 'unknown', note: 'Permissions not simulated (no IAM access here)' } as const);
    const outcome = check.status === 'denied' ? 'unauthorized' : 'dry-run-ok';
    await auditDecision(
      store,
      {
        ...subject(w),
        action: 'CheckPermissions',
        dryRun: true,
        outcome,
        ...(check.status === 'denied' ? { errorCode: 'AccessDenied' } : {}),
        message: `Re-checked; ${check.note}`,
        details: { stage: 'dry-run', method: 'permission-check', actions: [...actions], planAction: w.item.action },
      },
      now().toISOString(),
    );
    if (check.status === 'denied') return { kind: 'unauthorized', code: 'AccessDenied', message: check.note };
    return { kind: 'checked', calls: [`SimulatePrincipalPolicy ${actions.join(', ')}`], note: `Re-checked; ${check.note}` };
  };

  /** Maps a handler outcome to the item's end (or, for a passed dry run in execute mode, to "go on"). */
  const settle = async (w: Work, o: DeleteOutcome, stage: 'dry-run' | 'delete'): Promise<boolean> => {
    switch (o.kind) {
      case 'checked':
        if (stage === 'delete') {
          finish(w, { outcome: 'failed', errorCode: 'UnexpectedCheck', errorMessage: 'The delete answered like a check', calls: o.calls });
          return false;
        }
        if (dryRun) finish(w, { outcome: 'checked', calls: o.calls, reason: o.note });
        return !dryRun;
      case 'dry-run-ok':
        if (stage === 'delete') {
          finish(w, { outcome: 'failed', errorCode: 'UnexpectedDryRun', errorMessage: 'The delete answered like a dry run', calls: o.calls });
          return false;
        }
        if (dryRun) finish(w, { outcome: 'dry-run-ok', calls: o.calls });
        return !dryRun;
      case 'deleted':
        // An action short of deleting (stop, pause) leaves the resource: its finding stays for the next scan to judge.
        if (w.item.actionRemoves) await markFindingDeleted(w.item.findingId);
        finish(w, { outcome: 'deleted', calls: o.calls, ...(o.safetySnapshotId ? { safetySnapshotId: o.safetySnapshotId } : {}) });
        return false;
      case 'unauthorized':
      case 'failed':
        // The item's outcome in the audit when its last call said otherwise (a CreateImage that succeeded before the
        // image failed must not make the item read "done" in the history or in savings realised).
        if (stage === 'delete' && !dryRun && (await lastCallSucceeded(w))) {
          await auditDecision(
            store,
            { ...subject(w), action: 'Outcome', dryRun: false, outcome: o.kind, errorCode: o.code, message: o.message, details: { stage } },
            now().toISOString(),
          );
        }
        finish(w, { outcome: o.kind, errorCode: o.code, errorMessage: o.message });
        return false;
      case 'refused':
        await refuse(w, o.reason, stage);
        return false;
      default:
        return assertNever(o);
    }
  };

  try {
    const { slots, works } = await prepare(deps, plan, refuse, finish);
    const open = (): Work[] => works.filter((w) => w.result === null);
    if (cleared !== null) {
      for (const w of open()) {
        if (!cleared.has(w.item.findingId)) await refuse(w, 'It did not pass the latest dry run: run a new dry run to include it', 'dry-run-binding');
      }
    }
    const concurrency = Math.max(1, deps.concurrencyPerRegion ?? DEFAULT_CONCURRENCY);
    const perRegion = async (list: Work[], fn: (w: Work) => Promise<void>): Promise<void> => {
      await Promise.all(byRegion(list).map((ws) => pool(ws, concurrency, async (w) => (aborted() ? undefined : fn(w)))));
    };

    // (2) Re-check everything, then (3) dry-run everything: refusals and missing permissions are known and
    // reported before the first delete, in any region.
    await perRegion(open(), async (w) => {
      emit(w.item.findingId, 'recheck');
      await recheck(w, 'recheck');
    });
    await perRegion(open(), async (w) => {
      emit(w.item.findingId, 'dry-run');
      await settle(w, await verify(w), 'dry-run');
    });

    // (4) Per region, group by group in deleteOrder: all instances finish before the AMIs start, and so on.
    if (!dryRun) {
      await Promise.all(
        byRegion(open()).map(async (ws) => {
          const orders = [...new Set(ws.map((w) => w.item.deleteOrder))].sort((a, b) => a - b);
          for (const order of orders) {
            if (aborted()) return;
            await pool(ws.filter((w) => w.item.deleteOrder === order), concurrency, async (w) => {
              if (aborted()) return;
              emit(w.item.findingId, 'delete');
              if (!(await recheck(w, 'before-delete'))) return;
              await settle(w, await guardedDelete(w.handler, ctxFor(w, false), w.stored, { dryRun: false }), 'delete');
            });
          }
        }),
      );
    }

    for (const w of open()) finish(w, { outcome: 'cancelled', reason: 'Cancelled before it was started' });
    const items = slots.map((w) => w.result as CleanupItemResult);
    const status: PlanStatus = items.some((i) => i.outcome === 'cancelled') ? 'cancelled' : dryRun ? 'dry-run' : 'completed';
    if (dryRun) await recordDryRun(db, plan.id, now().toISOString(), items.filter((i) => i.outcome === 'dry-run-ok' || i.outcome === 'checked').map((i) => i.findingId));
    await updatePlanStatus(db, plan.id, status, now().toISOString());
    return { planId: plan.id, mode: input.mode, status, items, counts: countOutcomes(items) };
  } catch (err) {
    // Not an AWS answer (those are outcomes): the database failed or a bug. Leave the plan as a crash would.
    await updatePlanStatus(db, plan.id, 'interrupted', now().toISOString()).catch(() => undefined);
    throw err;
  }
}

/**
 * Turns plan items into work, ending at once those the database now rules out: gone from the store, deleted by
 * another plan, found in use or protected by a newer scan, or of a type no handler takes any more.
 */
async function prepare(
  deps: RunPlanDeps,
  plan: CleanupPlanDto,
  refuse: (w: Slot, reason: string, stage: string) => Promise<void>,
  finish: (w: Slot, f: Final) => void,
): Promise<{ slots: Slot[]; works: Work[] }> {
  const rows = await getResourcesByIds(deps.db.db, plan.accountId, plan.items.map((i) => i.findingId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  // Ignored since the plan was made (or snoozed by a tag it gained): not cleaned up, whatever the plan says.
  const now = (deps.now ?? (() => new Date()))();
  const snoozed = await snoozesOf(deps.db.db, plan.accountId, rows, await currentSnoozes(deps.db.db, plan.accountId, now));
  const slots: Slot[] = [];
  const works: Work[] = [];
  for (const item of plan.items) {
    const slot: Slot = { item, result: null };
    slots.push(slot);
    const type = item.resourceType;
    const handler = deps.registry.get(type);
    const row = byId.get(item.findingId);
    if (row === undefined) {
      finish(slot, { outcome: 'refused', reason: 'The finding is no longer stored' });
      continue;
    }
    const reason = refusalReason(row, handler);
    if (reason !== null || handler === undefined) {
      await refuse(slot, reason ?? `No handler can delete ${type}`, 'stored');
      continue;
    }
    const snooze = snoozed.get(item.findingId);
    if (snooze !== undefined) {
      await refuse(slot, ignoredRefusal(snooze), 'ignored');
      continue;
    }
    if (actionById(handler, item.action) === undefined) {
      await refuse(slot, `${type} no longer offers the action "${item.action}": plan it again`, 'stored');
      continue;
    }
    const work: Work = Object.assign(slot, { handler, stored: reviewedFinding({ ...item, resourceType: type }) });
    works.push(work);
  }
  return { slots, works };
}

function safeEmit(deps: RunPlanDeps, ev: CleanupProgressEvent): void {
  try {
    deps.emit?.(ev);
  } catch {
    // A listener that throws (a closed window) must not stop a cleanup half-way.
  }
}

function countOutcomes(items: readonly CleanupItemResult[]): Record<ItemOutcome, number> {
  const counts = Object.fromEntries(ITEM_OUTCOMES.map((o) => [o, 0])) as Record<ItemOutcome, number>;
  for (const i of items) counts[i.outcome] += 1;
  return counts;
}

/** A wrong confirmation: nothing is sent to AWS; every item is refused and logged; the plan is final. */
async function refuseWholePlan(
  deps: RunPlanDeps,
  plan: CleanupPlanDto,
  input: RunPlanInput,
  now: () => Date,
): Promise<CleanupResult> {
  const at = now().toISOString();
  if (!(await transitionPlan(deps.db.db, plan.id, RUNNABLE, 'refused', at))) {
    throw new AppError('conflict', `Plan ${plan.id} is already running or has finished`);
  }
  const reason = `The confirmation did not match account ${plan.accountId}: nothing was deleted`;
  const items: CleanupItemResult[] = [];
  for (const [n, item] of plan.items.entries()) {
    await auditDecision(
      deps.db,
      {
        accountId: plan.accountId,
        planId: plan.id,
        resourcePk: item.findingId,
        resourceType: item.resourceType,
        region: item.region,
        resourceId: item.resourceId,
        action: 'Refuse',
        dryRun: false,
        outcome: 'refused',
        message: reason,
        details: { stage: 'confirmation' },
      },
      at,
    );
    const r: CleanupItemResult = {
      findingId: item.findingId,
      resourceType: item.resourceType,
      region: item.region,
      resourceId: item.resourceId,
      action: item.action,
      outcome: 'refused',
      reason,
      calls: [],
    };
    safeEmit(deps, { planId: plan.id, findingId: item.findingId, phase: 'done', outcome: 'refused', reason, completed: n + 1, total: plan.items.length });
    items.push(r);
  }
  return { planId: plan.id, mode: input.mode, status: 'refused', items, counts: countOutcomes(items) };
}

/** At start-up: plans a crash left `running` become `interrupted`. Returns their ids. */
export function markInterruptedPlans(handle: AppDb, now: Date = new Date()): Promise<string[]> {
  return markRunningPlansInterrupted(handle.db, now.toISOString());
}
