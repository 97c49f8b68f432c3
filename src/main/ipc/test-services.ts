/**
 * TEST-ONLY: an AppServices whose every method is a stub that fails with `not_found`, with per-test overrides.
 * Used by the router/IPC unit tests and by the harness smoke spec (which only needs profiles).
 */
import { AppError } from '../../shared/errors';
import { CHANNEL_NAMES } from '../../shared/ipc/contract';
import { createAppEvents, serviceMethodName, type AppServices, type ServiceMethods } from './app-services';

export function createTestServices(overrides: Partial<ServiceMethods> = {}): AppServices {
  const methods: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    methods[serviceMethodName(channel)] = async () => {
      throw new AppError('not_found', `${channel} is not available in this test build.`);
    };
  }
  return { ...(methods as unknown as ServiceMethods), ...overrides, events: createAppEvents() };
}
