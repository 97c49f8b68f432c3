import type { CleanupItemResultDto, CleanupPlanDto, CleanupProgressEvent, CleanupRunDto, DeleteOutcomeDto } from '../../shared/dto/cleanup';
import { simulatePermissions } from '../aws/permission-check';
import { runPlan } from '../cleanup/cleanup';
import { createPlan, planProtectionReader } from '../cleanup/plan';
import { getPlan } from '../db/repos/cleanup-plans';
import { getResourcesByIds } from '../db/repos/resources';
import { currentSnoozes, snoozesOf } from '../db/repos/snoozes';
import { ignoredRefusal } from '../cleanup/ignored';
import type { RefusedFindingDto } from '../../shared/dto/cleanup';
import { AppError } from '../../shared/errors';
import type { CleanupItemResult } from '../cleanup/types';
import type { AppDb } from '../db/store';
import type { PriceBook } from '../pricing/types';
import type { AccountSession } from './account-session';
import { handlerSettingsOf, loadHandlerSettings, loadSettingsWithKinds, type AppSettings } from './settings';
import { kindSettingsOf } from '../handlers/registry';

/**
 * Builds a plan from stored finding ids (main decides everything else) and shapes it for the renderer. A finding under a
 * current snooze is refused with the snooze's reason (a plan of ignored findings only is refused as a whole).
 */
export async function planCleanup(
  deps: { db: AppDb; session: AccountSession; now?: () => Date },
  input: {
    findingIds: number[];
    snapshotVolumes: boolean;
    addParts?: { findingId: number; resourceId: string }[];
    actions?: { findingId: number; action: string }[];
  },
): Promise<CleanupPlanDto> {
  const accountId = deps.session.account.id;
  const asked = [...new Set(input.findingIds)];
  const rows = await getResourcesByIds(deps.db.db, accountId, asked.filter((id) => Number.isSafeInteger(id) && id > 0));
  const snoozed = await snoozesOf(deps.db.db, accountId, rows, await currentSnoozes(deps.db.db, accountId, (deps.now ?? (() => new Date()))()));
  const ignored: RefusedFindingDto[] = rows
    .filter((r) => snoozed.has(r.id))
    .map((r) => ({ findingId: r.id, resourceType: r.resourceType, resourceId: r.resourceId, reason: ignoredRefusal(snoozed.get(r.id)!) }));
  const findingIds = asked.filter((id) => !snoozed.has(id));
  if (findingIds.length === 0 && ignored.length > 0) {
    const n = ignored.length;
    throw new AppError('validation', `${n === 1 ? 'This finding is' : `All ${n} findings are`} ignored, so not cleaned up. ${ignored[0]!.reason}`);
  }
  const keep = <T extends { findingId: number }>(xs: T[] | undefined): T[] | undefined => xs?.filter((x) => !snoozed.has(x.findingId));
  const addParts = keep(input.addParts);
  const actions = keep(input.actions);
  // Protection is evaluated with the settings in force now (a key changed since the scan counts).
  const settings = await loadHandlerSettings(deps.db, kindSettingsOf(deps.session.registry));
  const plan = await createPlan(
    {
      db: deps.db,
      registry: deps.session.registry,
      settings,
      // Termination protection and the like, which the scan does not read one resource at a time: read for the items.
      readPlanProtection: planProtectionReader({ clients: deps.session.clients, accountId: deps.session.account.id, settings }),
    },
    {
      accountId,
      findingIds,
      snapshotVolumes: input.snapshotVolumes,
      ...(addParts ? { addParts } : {}),
      ...(actions ? { actions } : {}),
    },
  );
  return {
    id: plan.id,
    accountId: plan.accountId,
    createdAt: plan.createdAt,
    status: plan.status,
    snapshotVolumes: plan.options.snapshotVolumes,
    items: plan.items.map((i) => ({
      findingId: i.findingId,
      resourceType: i.resourceType,
      region: i.region,
      resourceId: i.resourceId,
      name: i.name,
      monthlyCost: i.monthlyCost,
      costBasis: i.costBasis,
      ownMonthlyCost: i.ownMonthlyCost,
      savings: i.savings,
      savingsBasis: i.savingsBasis,
      action: i.action,
      actionLabel: i.actionLabel,
      actionRemoves: i.actionRemoves,
      related: i.related,
    })),
    totalMonthlySavings: plan.monthlySavings,
    unknownSavingsCount: plan.unknownCostCount,
    refusedAtPlan: [...ignored, ...plan.refused].map((r) => ({ findingId: r.findingId, resourceType: r.resourceType, resourceId: r.resourceId, reason: r.reason })),
  };
}

function outcomeDto(r: CleanupItemResult): DeleteOutcomeDto | null {
  switch (r.outcome) {
    case 'deleted':
      return { kind: 'deleted', calls: r.calls, ...(r.safetySnapshotId ? { safetySnapshotId: r.safetySnapshotId } : {}) };
    case 'dry-run-ok':
      return { kind: 'dry-run-ok', calls: r.calls };
    case 'checked':
      return { kind: 'checked', calls: r.calls, note: r.reason ?? '' };
    case 'unauthorized':
      return { kind: 'unauthorized', code: r.errorCode ?? 'UnauthorizedOperation', message: r.errorMessage ?? '' };
    case 'failed':
      return { kind: 'failed', code: r.errorCode ?? 'Unknown', message: r.errorMessage ?? '' };
    case 'refused':
      return { kind: 'refused', reason: r.reason ?? 'Refused' };
    case 'cancelled':
      return null;
  }
}

function itemDto(r: CleanupItemResult): CleanupItemResultDto {
  const refused = r.outcome === 'refused';
  const reason = r.reason ?? null;
  // The latest re-check's verdict (an item refused at plan time or by the confirmation has none: 'changed').
  const recheck = r.recheck ?? (refused ? 'changed' : 'unchanged');
  return {
    findingId: r.findingId,
    resourceType: r.resourceType,
    region: r.region,
    resourceId: r.resourceId,
    action: r.action,
    recheck,
    recheckReason: refused || r.outcome === 'cancelled' ? reason : null,
    outcome: outcomeDto(r),
  };
}

/** Runs a stored plan (dry run or execute) with the session's clients; progress goes to `emit`. */
export async function runCleanup(
  deps: { db: AppDb; session: AccountSession; prices: PriceBook; settings: AppSettings; emit: (ev: CleanupProgressEvent) => void },
  input: { planId: string; mode: 'dry-run' | 'execute'; confirmAccountId?: string; signal?: AbortSignal },
): Promise<CleanupRunDto> {
  const s = deps.session;
  const decl = kindSettingsOf(s.registry);
  const handlerSettings = handlerSettingsOf(await loadSettingsWithKinds(deps.db, decl), decl);
  const result = await runPlan(
    {
      db: deps.db,
      accountId: s.account.id,
      registry: s.registry,
      clients: s.clients,
      // Kinds without a DryRun are checked by simulating the caller's IAM policies for their actions.
      permissionCheck: (actions) => simulatePermissions(s.clients.iam(), s.identity.arn, actions, input.signal),
      prices: deps.prices,
      settings: handlerSettings,
      emit: (ev) =>
        deps.emit({
          planId: ev.planId,
          findingId: ev.findingId,
          phase: ev.phase,
          done: ev.completed,
          total: ev.total,
        }),
    },
    input,
  );
  const plan = await getPlan(deps.db.db, input.planId);
  const savings = new Map<number, number>();
  for (const i of plan?.items ?? []) if (i.savings !== null) savings.set(i.findingId, i.savings);
  // Execute: the savings of what was really deleted (parts that stay are not in an item's savings). Dry run: what the
  // dry run cleared (would be saved if executed now).
  const counted = (o: string): boolean => (result.mode === 'dry-run' ? o === 'dry-run-ok' || o === 'checked' : o === 'deleted');
  let micro = 0;
  for (const r of result.items) if (counted(r.outcome)) micro += Math.round((savings.get(r.findingId) ?? 0) * 1e6);
  const monthlySavings = micro / 1e6;
  const refusedReason = result.status === 'refused' ? result.items.find((i) => i.reason)?.reason : undefined;
  return {
    planId: result.planId,
    status: result.status,
    dryRun: result.mode === 'dry-run',
    items: result.items.map(itemDto),
    monthlySavings,
    ...(refusedReason ? { refusedReason } : {}),
  };
}
