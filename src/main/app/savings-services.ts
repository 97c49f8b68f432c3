/** The services behind the savings channels (src/shared/ipc/channels-savings.ts), spread into createAppServices. */
import type { ResourceType } from '../handlers/handler';
import { savingsRealised } from '../db/repos/savings-realised';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';

export type SavingsServices = Pick<AppServices, 'savingsRealised'>;

export function savingsServices(st: AppState): SavingsServices {
  return {
    // Reads the stored audit and cost history only: the bill is refreshed by the user's (paid) "Refresh costs".
    async savingsRealised() {
      const s = st.requireSession();
      return savingsRealised(st.db.db, { accountId: s.account.id, billingServiceOf: (t) => st.registry.get(t as ResourceType)?.billingServiceCode });
    },
  };
}
