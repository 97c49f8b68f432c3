/**
 * The services behind the recovery channels (src/shared/ipc/channels-recovery.ts), spread into createAppServices.
 * Not to be confused with app/recovery.ts (crash recovery of interrupted runs).
 */
import { listRecoveryPoints } from '../db/repos/recovery-points';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';

export type RecoveryServices = Pick<AppServices, 'recoveryList'>;

export function recoveryServices(st: AppState): RecoveryServices {
  return {
    async recoveryList(input) {
      const s = st.requireSession();
      return listRecoveryPoints(st.db.db, { accountId: s.account.id, now: new Date(), limit: input?.limit ?? 50, offset: input?.offset ?? 0 });
    },
  };
}
