/**
 * The services behind every IPC channel, over one database; one selected profile at a time. Composed from one module
 * per domain (session, costs, scans, findings, cleanup) over the state they share (app-state.ts).
 */
import { AppError } from '../../shared/errors';
import type { SettingsDto } from '../../shared/dto/settings';
import { describeKinds, kindSettingsOf } from '../handlers/registry';
import type { AppServices } from '../ipc/app-services';
import { isAllowedExternalUrl } from '../window/security';
import { createAppState, type AppServicesDeps } from './app-state';
import { cleanupChannels } from './cleanup-channels';
import { costServices } from './cost-services';
import { findingsServices } from './findings-services';
import { orgServices } from './org-services';
import { recoveryServices } from './recovery-services';
import { savingsServices } from './savings-services';
import { snoozeServices } from './snooze-services';
import { storeServices } from './store-services';
import { storeUploadServices } from './store-upload';
import { scanServices } from './scan-services';
import { sessionServices } from './session-services';
import { loadSettingsWithKinds, updateSettings } from './settings';
import { storeName } from '../db/store';

export type { AppServicesDeps } from './app-state';
export { MFA_PROMPT_TIMEOUT_MS } from './session-services';

/** What the Electron layer calls besides the IPC channels. */
export interface AppServicesLifecycle {
  /**
   * The renderer reloaded or went away: nobody is left to answer a waiting MFA prompt, so each one fails at once
   * (aws.mfa_cancelled) instead of blocking its profile until it times out.
   */
  rendererReloaded(): void;
}

export function createAppServices(deps: AppServicesDeps): AppServices & AppServicesLifecycle {
  const st = createAppState(deps);
  const { db } = st;
  const settingsDto = (s: SettingsDto): SettingsDto => ({ ...s });
  return {
    events: st.events,
    ...sessionServices(st),
    ...costServices(st),
    ...scanServices(st),
    ...findingsServices(st),
    ...cleanupChannels(st),
    ...snoozeServices(st),
    ...savingsServices(st),
    ...recoveryServices(st),
    ...orgServices(st),
    ...storeServices(st),
    ...storeUploadServices(st),

    async appInfo() {
      return {
        version: deps.appInfo?.version ?? '0.1.0',
        dbFile: storeName(db),
        logFile: deps.appInfo?.logFile ?? '',
        platform: process.platform,
        arch: process.arch,
      };
    },

    async handlersList() {
      return describeKinds(st.registry);
    },

    async settingsGet() {
      // The app's settings and, flat beside them, each kind's declared setting (stored value or its default).
      return settingsDto(await loadSettingsWithKinds(db, kindSettingsOf(st.registry)));
    },

    async settingsUpdate(patch) {
      return settingsDto(await updateSettings(db, patch, kindSettingsOf(st.registry)));
    },

    async shellOpenExternal({ url }) {
      if (!isAllowedExternalUrl(url)) throw new AppError('validation', 'Only AWS console and documentation links can be opened.');
      await deps.openExternal?.(url);
    },
  };
}
