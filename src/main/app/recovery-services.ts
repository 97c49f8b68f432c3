/** The services behind the recovery channels (src/shared/ipc/channels-recovery.ts), spread into createAppServices. */
import type { AppState } from './app-state';

 
export function recoveryServices(_st: AppState): Record<string, never> {
  return {};
}
