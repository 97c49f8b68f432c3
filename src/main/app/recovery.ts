import { markInterruptedPlans } from '../cleanup/cleanup';
import type { DbHandle } from '../db/connection';
import { pendingDeletions, type DeletionDto } from '../db/repos/deletions';
import { markInterruptedScans } from '../db/repos/scans';

/**
 * At start, before anything runs: scans and cleanups left `running` by a crash become `interrupted`, and the
 * audit rows of calls that were written but never completed are returned (they may or may not have reached AWS;
 * the next scan tells). Nothing is deleted or rewritten.
 */
export async function recoverAfterCrash(
  db: DbHandle,
): Promise<{ interruptedScans: number; interruptedPlans: string[]; pendingCalls: DeletionDto[] }> {
  const pendingCalls = await pendingDeletions(db.db);
  const interruptedScans = await markInterruptedScans(db.db);
  const interruptedPlans = await markInterruptedPlans(db);
  return { interruptedScans, interruptedPlans, pendingCalls };
}
