/** The services behind the snooze channels (src/shared/ipc/channels-snooze.ts), spread into createAppServices. */
import type { AppState } from './app-state';

 
export function snoozeServices(_st: AppState): Record<string, never> {
  return {};
}
