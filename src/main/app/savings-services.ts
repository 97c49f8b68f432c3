/** The services behind the savings channels (src/shared/ipc/channels-savings.ts), spread into createAppServices. */
import type { AppState } from './app-state';

 
export function savingsServices(_st: AppState): Record<string, never> {
  return {};
}
