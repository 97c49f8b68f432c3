import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { getAccount } from '../db/repos/accounts';
import { insertPlan } from '../db/repos/cleanup-plans';
import type { CleanupPlanDto, PlanItemDto, PlanRefusalDto } from '../db/repos/cleanup-plans';
import { auditDecision } from '../db/repos/deletions';
import { getResourcesByIds } from '../db/repos/resources';
import type { ResourceDto } from '../db/repos/resources';
import type { AppDb } from '../db/store';
import { protectionByTag } from '../handlers/handler';
import type { Finding, HandlerSettings, ItemParts, ResourceHandler, ResourceType, StoredFinding } from '../handlers/handler';
import { actionById, actionsOf } from '../handlers/actions';
import { itemSavings, partsOf, protectingPart } from '../handlers/parts';
import type { HandlerRegistry } from '../handlers/registry';
import type { RegionClients } from '../aws/clients';
import { createHandlerContext } from '../handlers/context';

/** A plan names findings by id; more than this in one plan is a UI bug, not a cleanup. */
export const MAX_PLAN_FINDINGS = 10_000;

/**
 * Reads, for the items of a plan, what their kind leaves to plan time (ResourceHandler.planProtection): one call per
 * kind and region. See `planProtectionReader`.
 */
export type PlanProtectionReader = (handler: ResourceHandler, region: string, findings: readonly StoredFinding[]) => Promise<Map<string, string>>;

export interface CreatePlanDeps {
  /** Either store (issue #21). */
  db: AppDb;
  registry: HandlerRegistry;
  /** The settings in force: protection is evaluated with today's protection key, not the scan's. */
  settings: HandlerSettings;
  now?: () => Date;
  /**
   * Reads from AWS what the scan does not (termination protection): items it protects are refused at plan time.
   * Absent: not read here (the re-check still reads it before anything runs).
   */
  readPlanProtection?: PlanProtectionReader;
}

/** The reader the app and the CLI use: each kind's `planProtection` with the session's clients. */
export function planProtectionReader(o: { clients: RegionClients; accountId: string; settings: HandlerSettings; now?: () => Date }): PlanProtectionReader {
  return async (handler, region, findings) => {
    if (handler.planProtection === undefined) return new Map();
    const ctx = createHandlerContext({ region, accountId: o.accountId, clients: o.clients, prices: null, settings: o.settings, now: (o.now ?? (() => new Date()))() });
    return handler.planProtection(ctx, findings);
  };
}

export interface CreatePlanInput {
  accountId: string;
  /** `resources.id` values as the renderer got them; nothing else from the renderer is trusted. */
  findingIds: number[];
  snapshotVolumes: boolean;
  /** Kept parts the user adds to the plan ("add to this plan"); only parts the handler marks addable are taken. */
  addParts?: readonly { findingId: number; resourceId: string }[];
  /**
   * The action per item, by finding (one of its kind's `actions`); an item not named gets its kind's default. An
   * `explicit` action (delete without a final snapshot) is only ever taken from here, one finding at a time.
   */
  actions?: readonly { findingId: number; action: string }[];
}

/** A stored row as the handlers see it. */
export function storedFindingOf(r: ResourceDto & { resourceType: ResourceType }): StoredFinding {
  return {
    id: r.id,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    region: r.region,
    name: r.name,
    state: r.state,
    tags: r.tags,
    createdAt: r.createdAt,
    unused: r.unused,
    unusedReason: r.unusedReason,
    unusedSince: r.unusedSince,
    monthlyCost: r.monthlyCost,
    costBasis: r.costBasis,
    protected: r.protected,
    protectedReason: r.protectedReason,
    details: r.details,
  };
}

/** The plan item back as the finding the user reviewed (what re-check and delete act on). */
export function reviewedFinding(item: PlanItemDto & { resourceType: ResourceType }): StoredFinding {
  const r = item.reviewed;
  return {
    id: item.findingId,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    region: item.region,
    name: item.name,
    state: r.state,
    tags: r.tags,
    createdAt: r.createdAt,
    unused: r.unused,
    unusedReason: r.unusedReason,
    unusedSince: r.unusedSince,
    monthlyCost: item.monthlyCost,
    costBasis: item.costBasis,
    protected: r.protected,
    protectedReason: r.protectedReason,
    details: r.details,
  };
}

/** Why a stored row cannot be in a plan, or null when it can. */
export function refusalReason(r: ResourceDto, handler: ResourceHandler | undefined): string | null {
  if (r.status === 'deleted') return 'Already deleted by Cloud Cleaner';
  if (r.status === 'gone') return 'No longer seen in the account (not found by the last scan)';
  if (handler === undefined) return `No handler can delete ${r.resourceType}`;
  if (r.protected) return `protected: ${r.protectedReason ?? 'Protected'}`;
  if (!r.unused) return 'In use: not an unused-resource finding';
  return null;
}

/**
 * The plan-time protection check, from the stored finding with the settings in force: the finding's own tags and every
 * part its action would remove (a snapshot of an AMI tagged to keep, a kept root volume of an instance).
 */
export function planTimeProtection(finding: Finding, settings: HandlerSettings, ip: ItemParts): string | null {
  const own = protectionByTag(finding.tags, settings.protectionTagKey);
  if (own !== null) return `protected: ${own}`;
  const byPart = protectingPart(ip.parts);
  return byPart === null ? null : `protected: ${byPart}`;
}

function planItem(
  r: ResourceDto & { resourceType: ResourceType },
  handler: ResourceHandler,
  ip: ItemParts,
  action: { id: string; label: string; removes: boolean },
): PlanItemDto {
  const { savings, basis } = itemSavings(ip);
  return {
    findingId: r.id,
    resourceType: r.resourceType,
    region: r.region,
    resourceId: r.resourceId,
    name: r.name,
    monthlyCost: r.monthlyCost,
    costBasis: r.costBasis,
    ownMonthlyCost: ip.own.monthlyCost,
    savings,
    savingsBasis: basis,
    unusedReason: r.unusedReason,
    deleteOrder: handler.deleteOrder,
    action: action.id,
    actionLabel: action.label,
    actionRemoves: action.removes,
    related: ip.parts.map((x) => ({ ...x })),
    reviewed: {
      state: r.state,
      tags: r.tags,
      createdAt: r.createdAt,
      unused: r.unused,
      unusedReason: r.unusedReason,
      unusedSince: r.unusedSince,
      protected: r.protected,
      protectedReason: r.protectedReason,
      details: r.details,
    },
  };
}

/**
 * Items in the order a cleanup runs them: by deleteOrder (instances → AMIs → snapshots → volumes → addresses),
 * so an AMI is deregistered before snapshots go and an instance is terminated before a volume it held; then by
 * region and id for a stable listing.
 */
export function compareItems(a: PlanItemDto, b: PlanItemDto): number {
  return (
    a.deleteOrder - b.deleteOrder ||
    cmp(a.region, b.region) ||
    cmp(a.resourceType, b.resourceType) ||
    cmp(a.resourceId, b.resourceId) ||
    a.findingId - b.findingId
  );
}

const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Adds the items' savings without float drift on long lists (costs are stored to 1e-6). */
function sumSavings(items: readonly PlanItemDto[]): number {
  const micro = items.reduce((s, i) => s + (i.savings === null ? 0 : Math.round(i.savings * 1e6)), 0);
  return micro / 1e6;
}

/**
 * Builds a plan from stored findings only: the caller names finding ids; types, regions and AWS ids come from the
 * database. What cannot be deleted is listed as refused with the reason (and, when it names a stored resource of
 * this account, in the audit log). The plan is stored `planned`; nothing in AWS is changed (only what a kind leaves to
 * plan time, such as termination protection, is read, with `readPlanProtection`).
 */
export async function createPlan(deps: CreatePlanDeps, input: CreatePlanInput): Promise<CleanupPlanDto> {
  const now = (deps.now ?? (() => new Date()))();
  const ids = [...new Set(input.findingIds)];
  if (ids.length === 0) throw new AppError('validation', 'Choose at least one finding to clean up');
  if (ids.length > MAX_PLAN_FINDINGS) {
    throw new AppError('validation', `A plan takes at most ${MAX_PLAN_FINDINGS} findings (got ${ids.length})`);
  }
  if ((await getAccount(deps.db.db, input.accountId)) === null) {
    throw new AppError('not_found', `Unknown account ${input.accountId}`);
  }

  const valid = ids.filter((id) => Number.isSafeInteger(id) && id > 0);
  const rows = await getResourcesByIds(deps.db.db, input.accountId, valid);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const planId = randomUUID();
  const addedParts: Record<string, string[]> = {};
  for (const a of input.addParts ?? []) {
    if (!ids.includes(a.findingId)) throw new AppError('validation', `Part ${a.resourceId} names finding ${a.findingId}, which is not in the plan`);
    (addedParts[String(a.findingId)] ??= []).push(a.resourceId);
  }
  const addedFor = (findingId: number): string[] => addedParts[String(findingId)] ?? [];
  const chosen = new Map<number, string>();
  for (const a of input.actions ?? []) {
    if (!ids.includes(a.findingId)) throw new AppError('validation', `Action ${a.action} names finding ${a.findingId}, which is not in the plan`);
    if (chosen.has(a.findingId)) throw new AppError('validation', `Finding ${a.findingId} is given two actions`);
    chosen.set(a.findingId, a.action);
  }
  const items: PlanItemDto[] = [];
  const candidates: { row: ResourceDto; handler: ResourceHandler; stored: StoredFinding }[] = [];
  const refused: PlanRefusalDto[] = [];
  const logged: { row: ResourceDto; reason: string }[] = [];

  for (const id of ids) {
    const row = byId.get(id);
    if (row === undefined) {
      // Another account's finding reads the same as a missing one: the plan leaks nothing across accounts.
      refused.push({ findingId: id, resourceType: null, region: null, resourceId: null, reason: 'Not a finding of this account' });
      continue;
    }
    const type = row.resourceType;
    const handler = deps.registry.get(type);
    const action = handler === undefined ? undefined : actionById(handler, chosen.get(id));
    if (handler !== undefined && action === undefined) {
      const known = actionsOf(handler).map((a) => a.id).join(', ');
      throw new AppError('validation', `${row.resourceId}: ${type} has no action "${chosen.get(id) ?? ''}" (its actions: ${known})`);
    }
    const stored = storedFindingOf({ ...row, resourceType: type as ResourceType });
    const reason =
      refusalReason(row, handler) ?? (handler !== undefined && action !== undefined ? (handler.actionRefusal?.(stored, action.id) ?? null) : null);
    const ip =
      reason === null && handler !== undefined
        ? partsOf(handler, stored, deps.settings, {
            snapshotVolumes: input.snapshotVolumes,
            added: addedFor(id),
            ...(action !== undefined ? { action: action.id } : {}),
          })
        : null;
    const protection = ip === null ? null : planTimeProtection(stored, deps.settings, ip);
    if (reason !== null || protection !== null || ip === null || handler === undefined || action === undefined) {
      const why = reason ?? protection ?? `No handler can delete ${type}`;
      refused.push({ findingId: id, resourceType: type, region: row.region, resourceId: row.resourceId, reason: why });
      logged.push({ row, reason: why });
      continue;
    }
    const notAddable = addedFor(id).filter((pid) => !ip.parts.some((p) => p.resourceId === pid && p.added === true));
    if (notAddable.length > 0) {
      throw new AppError('validation', `${notAddable.join(', ')} cannot be added to the plan with ${row.resourceId}: not a part that may be removed with it`);
    }
    items.push(planItem({ ...row, resourceType: type }, handler, ip, action));
    candidates.push({ row, handler, stored });
  }
  // What the scan left to plan time (termination protection): read now for these items, per kind and region.
  if (deps.readPlanProtection !== undefined) {
    const groups = new Map<string, { handler: ResourceHandler; region: string; list: { row: ResourceDto; stored: StoredFinding }[] }>();
    for (const c of candidates) {
      if (c.handler.planProtection === undefined) continue;
      const key = `${c.handler.type}|${c.row.region}`;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { handler: c.handler, region: c.row.region, list: [] }));
      g.list.push(c);
    }
    for (const g of groups.values()) {
      const reasons = await deps.readPlanProtection(g.handler, g.region, g.list.map((c) => c.stored));
      for (const c of g.list) {
        const why = reasons.get(c.row.resourceId);
        if (why === undefined) continue;
        const reason = `protected: ${why}`;
        items.splice(items.findIndex((i) => i.findingId === c.row.id), 1);
        refused.push({ findingId: c.row.id, resourceType: c.row.resourceType, region: c.row.region, resourceId: c.row.resourceId, reason });
        logged.push({ row: c.row, reason });
      }
    }
    // Refusals in the order the caller named the findings, whichever stage refused them.
    refused.sort((a, b) => ids.indexOf(a.findingId) - ids.indexOf(b.findingId));
    logged.sort((a, b) => ids.indexOf(a.row.id) - ids.indexOf(b.row.id));
  }
  items.sort(compareItems);

  const plan = await insertPlan(deps.db.db, {
    id: planId,
    accountId: input.accountId,
    createdAt: now.toISOString(),
    items,
    refused,
    monthlySavings: sumSavings(items),
    options: { snapshotVolumes: input.snapshotVolumes, ...(Object.keys(addedParts).length > 0 ? { addedParts } : {}) },
  });
  for (const { row, reason } of logged) {
    await auditDecision(
      deps.db,
      {
        accountId: input.accountId,
        planId,
        resourcePk: row.id,
        resourceType: row.resourceType,
        region: row.region,
        resourceId: row.resourceId,
        action: 'Refuse',
        dryRun: false,
        outcome: 'refused',
        message: reason,
        details: { stage: 'plan' },
      },
      now.toISOString(),
    );
  }
  return plan;
}
