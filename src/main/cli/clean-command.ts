import { openAccountSession } from '../app/account-session';
import { runCleanup, planCleanup } from '../app/cleanup-service';
import { loadSettings } from '../app/settings';
import { priceKeysOf } from '../handlers/registry';
import { createPriceService } from '../pricing/prices';
import { openCliDatabase, type CliStore } from './cli-db';
import { money } from './findings-command';
import type { CliIo } from './main';

export interface CleanCommandInput {
  profile: string;
  /** The SQLite file or team store (cli-db.ts). */
  store: CliStore;
  findingIds: number[];
  /** The action per finding (`--action ID=ACTION`); others get their kind's default. */
  actions?: { findingId: number; action: string }[];
  confirmAccountId: string | undefined;
  dryRun: boolean;
  snapshotVolumes: boolean;
  json: boolean;
}

/** Plan from stored finding ids → re-check → dry run → (typed confirmation) → delete. Prints each item's outcome. */
export async function runCleanupCommand(input: CleanCommandInput, io: CliIo): Promise<number> {
  const handle = await openCliDatabase(input.store, { recover: true, notice: io.err });
  let session;
  try {
    session = await openAccountSession({ db: handle, profile: input.profile });
    const s = session;
    // A wrong confirmation refuses the whole plan before anything else happens.
    if (!input.dryRun && (input.confirmAccountId ?? '').trim() !== s.account.id) {
      io.err(`cloud-cleaner: --confirm-account ${input.confirmAccountId ?? ''} is not the account of profile ${input.profile} (${s.account.id}); nothing was deleted.`);
      return 2;
    }
    const st = await loadSettings(handle);
    const plan = await planCleanup({ db: handle, session: s }, {
      findingIds: input.findingIds,
      snapshotVolumes: input.snapshotVolumes,
      ...(input.actions && input.actions.length > 0 ? { actions: input.actions } : {}),
    });
    const prices = createPriceService({ db: handle.db, priceKeys: () => priceKeysOf(s.registry) });
    const deps = { db: handle, session: s, prices: prices.book(), settings: st, emit: () => undefined };
    // Execute deletes only what a dry run cleared: the dry run comes first, as in the app.
    const dry = await runCleanup(deps, { planId: plan.id, mode: 'dry-run' });
    const run = input.dryRun
      ? dry
      : await runCleanup(deps, { planId: plan.id, mode: 'execute', ...(input.confirmAccountId ? { confirmAccountId: input.confirmAccountId } : {}) });
    if (input.json) io.out(JSON.stringify({ plan, run }, null, 2));
    else {
      for (const r of plan.refusedAtPlan) io.out(`refused\t${r.findingId}\t${r.resourceId ?? '-'}\t${r.reason}`);
      for (const i of run.items) {
        const o = i.outcome;
        const text =
          o === null ? `cancelled\t${i.recheckReason ?? ''}`
          : o.kind === 'deleted' ? `${doneWord(plan, i.findingId)}${o.safetySnapshotId ? ` (${o.safetySnapshotId.startsWith('ami-') ? 'image' : 'snapshot'} ${o.safetySnapshotId} kept)` : ''}`
          : o.kind === 'dry-run-ok' ? 'dry-run ok'
          : o.kind === 'checked' ? `checked\t${o.note}`
          : o.kind === 'refused' ? `refused\t${o.reason}`
          : `${o.kind}\t${o.code}: ${o.message}`;
        io.out(`${i.findingId}\t${i.resourceType}\t${i.region}\t${i.resourceId}\t${text}`);
      }
      io.out(`plan ${plan.id} ${run.status}; ${input.dryRun ? 'would save' : 'saved'} ${money(input.dryRun ? plan.totalMonthlySavings : run.monthlySavings)}/month`);
    }
    const passed = (k: string | undefined): boolean => (input.dryRun ? k === 'dry-run-ok' || k === 'checked' : k === 'deleted');
    const allOk = plan.refusedAtPlan.length === 0 && run.items.length > 0 && run.items.every((i) => passed(i.outcome?.kind));
    return allOk ? 0 : 3;
  } finally {
    session?.close();
    await handle.close();
  }
}

/** What a successful item did, in a word: `deleted`, or the action's own ("stopped", "paused"). */
function doneWord(plan: { items: { findingId: number; actionLabel: string; actionRemoves: boolean }[] }, findingId: number): string {
  const item = plan.items.find((x) => x.findingId === findingId);
  if (item === undefined || item.actionRemoves) return 'deleted';
  return `done: ${item.actionLabel.toLowerCase()}`;
}
