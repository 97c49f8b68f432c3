/** Cleanup: plan → re-check + dry run → execute, and the deletion audit log. */
import { z } from 'zod';
import { accountIdSchema, idSchema, pageSchema } from './common';
import type { PageDto } from './common';
import type { PartDto } from './findings';

export type PlanStatus = 'planned' | 'dry-run' | 'running' | 'completed' | 'cancelled' | 'refused' | 'interrupted';

const planIdSchema = z.string().min(1).max(100);

export const cleanupPlanInput = z.strictObject({
  findingIds: z.array(idSchema).min(1).max(1000),
  /** Take a safety snapshot of each unattached volume before deleting it. */
  snapshotVolumes: z.boolean(),
  /**
   * Parts that would stay which the user adds to the plan ("add to this plan"): the item's action then removes them
   * too. Main accepts only parts its handler marks `addable`.
   */
  addParts: z
    .array(z.strictObject({ findingId: idSchema, resourceId: z.string().min(1).max(200) }))
    .max(1000)
    .optional(),
  /**
   * The action per finding (one of its kind's `actions`); a finding not named gets its kind's default. An `explicit`
   * action (delete without a final snapshot) is taken only from here, per finding.
   */
  actions: z
    .array(z.strictObject({ findingId: idSchema, action: z.string().min(1).max(64) }))
    .max(1000)
    .optional(),
});

export const planIdInput = z.strictObject({ planId: planIdSchema });

export const cleanupExecuteInput = z.strictObject({
  planId: planIdSchema,
  /** The user types the account id: main refuses when it is not the plan's account. */
  confirmAccountId: accountIdSchema,
});

export interface CleanupPlanItemDto {
  /** The finding (resources.id). */
  findingId: number;
  resourceType: string;
  region: string;
  resourceId: string;
  name: string | null;
  /** What the finding bills per month (itself and everything with it), as scanned. */
  monthlyCost: number | null;
  costBasis: string;
  /** Its own monthly cost, without parts (a stopped instance: $0). */
  ownMonthlyCost: number | null;
  /** What this item's action stops billing: own cost + parts deleted − parts created. Null = unknown. */
  savings: number | null;
  savingsBasis: string;
  /** The action chosen for it (one of its kind's `actions`), its label, and whether it removes the resource. */
  action: string;
  actionLabel: string;
  actionRemoves: boolean;
  /** Parts deleted with it and parts that stay, each priced and checked for protection. */
  related: PartDto[];
}

export interface RefusedFindingDto {
  findingId: number;
  /** null when the id matched no finding of the account. */
  resourceType: string | null;
  /** null when the id matched no finding of the account. */
  resourceId: string | null;
  reason: string;
}

export interface CleanupPlanDto {
  id: string;
  accountId: string;
  createdAt: string;
  status: PlanStatus;
  snapshotVolumes: boolean;
  /** In deletion order. */
  items: CleanupPlanItemDto[];
  /** Sum of the items' known savings (what the plan deletes, never what stays). */
  totalMonthlySavings: number;
  /** Items whose savings are unknown (not in the total). */
  unknownSavingsCount: number;
  /** Findings left out of the plan (protected, gone, already deleted, unknown id) and why. */
  refusedAtPlan: RefusedFindingDto[];
}

/** Mirrors DeleteOutcome of src/main/handlers/handler.ts. */
export type DeleteOutcomeDto =
  | { kind: 'dry-run-ok'; calls: string[] }
  /** Verified without a DryRun (the API has none): re-checked and permissions simulated; `note` says what was checked. */
  | { kind: 'checked'; calls: string[]; note: string }
  | { kind: 'deleted'; calls: string[]; safetySnapshotId?: string }
  | { kind: 'unauthorized'; code: string; message: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; code: string; message: string };

export type RecheckStatus = 'unchanged' | 'changed' | 'protected' | 'gone';

export interface CleanupItemResultDto {
  findingId: number;
  resourceType: string;
  region: string;
  resourceId: string;
  /** The action the item ran (one of its kind's `actions`). */
  action: string;
  recheck: RecheckStatus;
  /** Why the re-check stopped the item (changed / protected / gone). */
  recheckReason: string | null;
  /** null when the re-check stopped the item before any AWS call. */
  outcome: DeleteOutcomeDto | null;
}

export interface CleanupRunDto {
  planId: string;
  status: PlanStatus;
  dryRun: boolean;
  items: CleanupItemResultDto[];
  /** Sum of the savings of the items deleted (execute) or cleared by the dry run: only what was really removed. */
  monthlySavings: number;
  /** Why the whole plan was refused (a wrong confirmation), when status is `refused`. */
  refusedReason?: string;
}

export type CleanupPhase = 'queued' | 'recheck' | 'dry-run' | 'snapshot' | 'delete' | 'done';

/** Event: one item of a plan moved on. `outcome` is set when phase is `done`. */
export interface CleanupProgressEvent {
  planId: string;
  findingId: number;
  phase: CleanupPhase;
  outcome?: DeleteOutcomeDto;
  done: number;
  total: number;
}

export type DeletionOutcome = 'pending' | 'succeeded' | 'dry-run-ok' | 'unauthorized' | 'refused' | 'failed';

/**
 * One audited mutating AWS call (deletions table), or one refusal. `pending`: the call may have reached AWS while the
 * app died (result unknown). Re-exported by src/main/db/repos/deletions.ts.
 */
export interface DeletionDto {
  id: number;
  accountId: string;
  planId: string;
  resourcePk: number | null;
  resourceType: string;
  region: string;
  resourceId: string;
  /** API action (`TerminateInstances`, `DeleteSnapshot`, …), `Refuse` for a refusal, `Recheck` for a failed re-check. */
  action: string;
  target: string;
  dryRun: boolean;
  /** For dry runs: the code AWS answered (`DryRunOperation`, `UnauthorizedOperation`, …). */
  dryRunResult: string | null;
  outcome: DeletionOutcome;
  errorCode: string | null;
  /** The AWS error message, or the reason of a refusal. */
  errorMessage: string | null;
  requestedAt: string;
  completedAt: string | null;
  details: Record<string, unknown>;
}

export const deletionsListInput = z
  .strictObject({ planId: planIdSchema.optional(), resourcePk: idSchema.optional(), ...pageSchema(100, 1000) })
  .optional();

export type DeletionPageDto = PageDto<DeletionDto>;

/**
 * What happened to one plan item, from its audit rows: `done` (its action ran: the kind's doneLabel says
 * "Deleted", "Stopped", …), `dry-run-ok` (verified by a dry run, never executed), `not-run` (passed its checks in an
 * execute that stopped before it, or never reached: cancelled, interrupted), `pending` (a call whose answer is unknown),
 * or the refusal / failure that stopped it.
 */
export type DeletionItemOutcome = 'done' | 'dry-run-ok' | 'not-run' | 'refused' | 'failed' | 'unauthorized' | 'pending';

/** One item of a plan in the deletion history. */
export interface DeletionPlanItemDto {
  /** `resources.id`, when known. */
  findingId: number | null;
  resourceType: string;
  region: string;
  resourceId: string;
  name: string | null;
  /** The plan action (`delete`, `stop`, …): from the plan, else from the audit rows; null when neither says. */
  action: string | null;
  /** Its label as planned ("Delete, keep a final snapshot"), when the plan is stored. */
  actionLabel: string | null;
  outcome: DeletionItemOutcome;
  /** Why it was refused, or the error that stopped it. */
  message: string | null;
  errorCode: string | null;
  /** The monthly savings the plan computed for it (null: unknown or the plan is not stored). */
  savings: number | null;
  /** Audited calls (dry runs and refusals included). */
  calls: number;
}

/**
 * One cleanup plan in the deletion history: its dry run and its execution are steps of one entry, never two blocks.
 * Built from the audit log (grouped per plan in SQL) and the stored plan.
 */
export interface DeletionPlanDto {
  planId: string;
  /** When the plan was built (the first audit row when the plan is not stored). */
  createdAt: string;
  /** The latest audit row (what "newest first" orders by). */
  lastAt: string;
  /** The stored plan's status; null when the plan is not stored. */
  status: PlanStatus | null;
  /** The latest dry run: when it ended and how many items it cleared (null: none recorded). */
  dryRun: { at: string; passed: number } | null;
  /** Whether it was executed (any call or refusal of an execute), and when the execute began. */
  executedAt: string | null;
  itemCount: number;
  callCount: number;
  /** Items by outcome. */
  counts: Record<DeletionItemOutcome, number>;
  /** What the plan would save per month (stored plans only). */
  plannedSavings: number | null;
  /** The savings of the items whose action ran (known savings only). */
  realisedSavings: number;
  /** Items done whose savings are unknown (not in realisedSavings). */
  unknownSavingsCount: number;
  /** In plan order (audit order for items the plan does not list). */
  items: DeletionPlanItemDto[];
}

export const deletionPlansInput = z.strictObject({ ...pageSchema(20, 100) }).optional();

export type DeletionPlanPageDto = PageDto<DeletionPlanDto>;
