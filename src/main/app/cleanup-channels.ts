/** The cleanup channels: plan, dry run, execute (the account asked again first), cancel, and the audit log. */
import { AppError } from '../../shared/errors';
import type { CleanupRunDto } from '../../shared/dto/cleanup';
import { listDeletionPlans } from '../db/repos/deletion-plans';
import { listDeletions } from '../db/repos/deletions';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';
import { planCleanup, runCleanup } from './cleanup-service';
import { loadSettings } from './settings';

export type CleanupChannels = Pick<AppServices, 'cleanupPlan' | 'cleanupDryRun' | 'cleanupExecute' | 'cleanupCancel' | 'deletionsList' | 'deletionsPlans'>;

export function cleanupChannels(st: AppState): CleanupChannels {
  const { db, events } = st;

  async function runWith(planId: string, mode: 'dry-run' | 'execute', confirmAccountId?: string): Promise<CleanupRunDto> {
    const s = st.requireSession();
    if (st.cleanups.has(planId)) throw new AppError('conflict', 'This plan is already running.');
    // Registered before the first await: a second run of the plan and a profile switch see it at once.
    const controller = new AbortController();
    st.cleanups.set(planId, controller);
    try {
      const settings = await loadSettings(db);
      // Deleting under the wrong account is the one mistake that cannot be undone: ask STS right before it.
      if (mode === 'execute') await s.verifyAccount(controller.signal);
      return await runCleanup(
        { db, session: s, prices: st.priceService(s).book(), settings, emit: (ev) => events.emit('cleanup:progress', ev) },
        { planId, mode, ...(confirmAccountId !== undefined ? { confirmAccountId } : {}), signal: controller.signal },
      );
    } finally {
      st.cleanups.delete(planId);
    }
  }

  return {
    async cleanupPlan({ findingIds, snapshotVolumes, addParts, actions }) {
      const s = st.requireSession();
      return planCleanup({ db, session: s }, { findingIds, snapshotVolumes, ...(addParts ? { addParts } : {}), ...(actions ? { actions } : {}) });
    },

    async cleanupDryRun({ planId }) {
      return runWith(planId, 'dry-run');
    },

    async cleanupExecute({ planId, confirmAccountId }) {
      return runWith(planId, 'execute', confirmAccountId);
    },

    async cleanupCancel({ planId }) {
      const c = st.cleanups.get(planId);
      if (!c) throw new AppError('not_found', `Plan ${planId} is not running.`);
      c.abort();
    },

    async deletionsList(input) {
      const s = st.requireSession();
      const q = {
        accountId: s.account.id,
        ...(input?.planId ? { planId: input.planId } : {}),
        ...(input?.resourcePk ? { resourcePk: input.resourcePk } : {}),
        limit: input?.limit ?? 100,
        offset: input?.offset ?? 0,
      };
      let count = db.db.selectFrom('deletions').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', q.accountId);
      if (q.planId) count = count.where('plan_id', '=', q.planId);
      if (q.resourcePk) count = count.where('resource_pk', '=', q.resourcePk);
      const [rows, total] = await Promise.all([listDeletions(db.db, q), count.executeTakeFirstOrThrow().then((r) => Number(r.n))]);
      return { rows, total, limit: q.limit, offset: q.offset };
    },

    async deletionsPlans(input) {
      const s = st.requireSession();
      return listDeletionPlans(db.db, { accountId: s.account.id, limit: input?.limit ?? 20, offset: input?.offset ?? 0 });
    },
  };
}
