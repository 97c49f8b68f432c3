import type { DbHandle } from '../db/connection';
import { listRunningPlans, markRunningPlansInterrupted } from '../db/repos/cleanup-plans';
import { pendingDeletions, type DeletionDto } from '../db/repos/deletions';
import { listRunningScans, markInterruptedScans } from '../db/repos/scans';
import { ownerGoneChecker, type OwnerColumns } from '../db/run-owner';

export interface RecoveryReport {
  /** Scans whose process is gone, now `interrupted`. */
  interruptedScans: number;
  /** Plans whose process is gone, now `interrupted`. */
  interruptedPlans: string[];
  /** Audit rows of calls written but never completed by a process that is gone (they may or may not have reached AWS). */
  pendingCalls: DeletionDto[];
  /** Runs another live process (the CLI, the app) is running: left alone. */
  liveScans: number[];
  livePlans: string[];
}

/**
 * Scans and cleanups left `running` by a process that is gone (crashed, killed, power lost) become `interrupted`,
 * and the audit rows of calls that process wrote but never completed are returned (the next scan tells whether
 * they happened). A run whose owner still lives — the CLI while the app starts, or the reverse — is left alone,
 * and so are its pending calls. Nothing is deleted or rewritten. The app runs this at start; read-only CLI
 * commands never do.
 */
export async function recoverAfterCrash(
  db: DbHandle,
  isOwnerGone: (row: OwnerColumns) => boolean = ownerGoneChecker(),
): Promise<RecoveryReport> {
  const scans = await listRunningScans(db.db);
  const plans = await listRunningPlans(db.db);
  const deadScans = scans.filter(isOwnerGone).map((s) => s.id);
  const deadPlans = plans.filter(isOwnerGone).map((p) => p.id);
  const livePlans = plans.map((p) => p.id).filter((id) => !deadPlans.includes(id));
  const pendingCalls = (await pendingDeletions(db.db)).filter((d) => !livePlans.includes(d.planId));
  const interruptedScans = await markInterruptedScans(db.db, deadScans);
  const interruptedPlans = await markRunningPlansInterrupted(db.db, new Date().toISOString(), deadPlans);
  return {
    interruptedScans,
    interruptedPlans,
    pendingCalls,
    liveScans: scans.map((s) => s.id).filter((id) => !deadScans.includes(id)),
    livePlans,
  };
}
