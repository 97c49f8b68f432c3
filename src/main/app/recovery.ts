import { isSqlite, type AppDb } from '../db/store';
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
  db: AppDb,
  isOwnerGone: (row: OwnerColumns) => boolean = ownerGoneChecker(),
): Promise<RecoveryReport> {
  const scans = await listRunningScans(db.db);
  const plans = await listRunningPlans(db.db);
  const gone = isSqlite(db) ? { scans: scans.filter(isOwnerGone).map((s) => s.id), plans: plans.filter(isOwnerGone).map((p) => p.id) } : await goneOnTeamStore(db);
  const deadScans = gone.scans;
  const deadPlans = gone.plans;
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

/**
 * On a PostgreSQL team store the runs may be other machines' (their pids mean nothing here). A resource scan or a
 * cleanup holds its account's lease while it runs (run-leases.ts, renewed every 20 s): one whose account has no
 * unexpired lease of its kind has no live owner anywhere. Runs that hold no lease (account-less and cost scans) are
 * left alone: on a shared store nothing here can tell whether their owner lives.
 */
async function goneOnTeamStore(db: AppDb, now = new Date()): Promise<{ scans: number[]; plans: string[] }> {
  const leases = await db.db.selectFrom('run_leases').select(['account_id', 'kind']).where('expires_at', '>', now.toISOString()).execute();
  const live = new Set(leases.map((l) => `${l.kind}|${l.account_id}`));
  const scans = await db.db.selectFrom('scans').select(['id', 'account_id']).where('status', '=', 'running').where('kind', '=', 'resources').execute();
  const plans = await db.db.selectFrom('cleanup_plans').select(['id', 'account_id']).where('status', '=', 'running').execute();
  return {
    scans: scans.filter((s) => s.account_id !== null && !live.has(`scan|${s.account_id}`)).map((s) => s.id),
    plans: plans.filter((p) => !live.has(`cleanup|${p.account_id}`)).map((p) => p.id),
  };
}
