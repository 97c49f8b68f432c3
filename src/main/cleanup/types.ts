import type { RegionClients } from '../aws/clients';
import type { PermissionCheck } from '../aws/permission-check';
import type { AppDb } from '../db/store';
import type { PlanStatus } from '../db/schema';
import type { HandlerSettings } from '../handlers/handler';
import type { HandlerRegistry } from '../handlers/registry';
import type { PriceBook } from '../pricing/types';

export type CleanupMode = 'dry-run' | 'execute';

export const ITEM_OUTCOMES = ['deleted', 'dry-run-ok', 'checked', 'refused', 'failed', 'unauthorized', 'cancelled'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

export interface CleanupItemResult {
  findingId: number;
  resourceType: string;
  region: string;
  resourceId: string;
  /** The action the item ran (one of its kind's `actions`; `delete` for kinds that declare none). */
  action: string;
  outcome: ItemOutcome;
  /** Why it was refused or cancelled; for `checked`, what was checked. */
  reason?: string;
  /** What the latest re-check against AWS said (absent when none was made, e.g. refused before it). */
  recheck?: 'unchanged' | 'changed' | 'protected' | 'gone';
  /** AWS error code (failed, unauthorized). */
  errorCode?: string;
  errorMessage?: string;
  /** The mutating calls made for it, e.g. `DeleteVolume vol-… (dry run)`. */
  calls: string[];
  /** The tagged snapshot taken before the volume was deleted. */
  safetySnapshotId?: string;
}

export interface CleanupResult {
  planId: string;
  mode: CleanupMode;
  /** The plan's status after this run. */
  status: PlanStatus;
  /** In plan order. */
  items: CleanupItemResult[];
  counts: Record<ItemOutcome, number>;
}

export type CleanupPhase = 'recheck' | 'dry-run' | 'delete' | 'done';

/** `cleanup:progress` payload: an item entering a phase, or (`done`) its outcome. */
export interface CleanupProgressEvent {
  planId: string;
  findingId: number;
  phase: CleanupPhase;
  /** Set when phase is `done`. */
  outcome?: ItemOutcome;
  reason?: string;
  /** Items with an outcome so far, and in the plan. */
  completed: number;
  total: number;
}

export interface RunPlanDeps {
  db: AppDb;
  /** The account the credentials belong to (from STS), never from the renderer. */
  accountId: string;
  registry: HandlerRegistry;
  /** Regional SDK clients by service (the client factory: each service's retry and endpoint policy). */
  clients: RegionClients;
  prices: PriceBook;
  settings: HandlerSettings;
  emit?: (ev: CleanupProgressEvent) => void;
  now?: () => Date;
  /**
   * Execute runs only the items the plan's latest dry run cleared, and only within this long of it (default
   * DRY_RUN_FRESHNESS_MS, 15 minutes). Null: no binding (tests of the later stages).
   */
  dryRunFreshnessMs?: number | null;
  /**
   * For kinds verified by `permission-check` (no DryRun in their API): whether the caller may make these actions (IAM
   * SimulatePrincipalPolicy). Absent: such items are checked by the re-check alone, and the result says so.
   */
  permissionCheck?: (actions: readonly string[]) => Promise<PermissionCheck>;
  /** Items in flight per region (default 4: well inside EC2's mutating-call buckets with adaptive retries). */
  concurrencyPerRegion?: number;
}

export interface RunPlanInput {
  planId: string;
  mode: CleanupMode;
  /** Execute only: the account id typed by the user; must equal the account id (surrounding spaces ignored). */
  confirmAccountId?: string;
  /** Cancels between items: items not started end `cancelled`; calls in flight finish and are recorded. */
  signal?: AbortSignal;
}
