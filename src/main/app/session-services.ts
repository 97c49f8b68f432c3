/** Profiles, MFA and the selected session: one profile at a time, never switched under a running cleanup. */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { listProfiles } from '../aws/profiles';
import type { AppServices } from '../ipc/app-services';
import { listRegions } from '../scan/regions';
import { openAccountSession } from './account-session';
import type { AppState } from './app-state';
import { updateSettings } from './settings';

/** An unanswered MFA prompt gives up after this long, so the profile can be tried again (5 minutes). */
export const MFA_PROMPT_TIMEOUT_MS = 5 * 60 * 1000;

export type SessionServices = Pick<AppServices, 'profilesList' | 'profilesSelect' | 'authMfaAnswer' | 'accountsCurrent' | 'regionsList'> & {
  rendererReloaded(): void;
};

export function sessionServices(st: AppState): SessionServices {
  const { db, deps, events, mfaWaiting } = st;
  const mfaTimeoutMs = deps.mfaTimeoutMs ?? MFA_PROMPT_TIMEOUT_MS;

  const mfaPrompt = (req: { profile: string; mfaSerial: string }): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const requestId = randomUUID();
      // Unanswered (the window closed or reloaded, the user walked away), the prompt must end: until it does, every
      // use of the profile's credentials waits on it.
      const timer = setTimeout(() => {
        if (!mfaWaiting.delete(requestId)) return;
        const minutes = Math.round(mfaTimeoutMs / 60_000);
        const after = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(mfaTimeoutMs / 1000)} seconds`;
        reject(new AppError('aws.mfa_cancelled', `No MFA code was entered for profile "${req.profile}" within ${after}; select the profile again to retry.`, { profile: req.profile, reason: 'timeout' }));
      }, mfaTimeoutMs);
      timer.unref?.();
      mfaWaiting.set(requestId, {
        resolve: (code) => {
          clearTimeout(timer);
          resolve(code);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      events.emit('auth:mfa-request', { requestId, profile: req.profile, mfaSerial: req.mfaSerial });
    });

  st.mfaPrompt = mfaPrompt;

  // Switching profile closes the clients a running cleanup uses (its deletes would fail half-way): refused.
  const refuseWhileCleaning = (): void => {
    if (st.cleanups.size > 0) {
      throw new AppError('conflict', 'A cleanup is running; wait for it to finish (or cancel it) before switching profile.', {
        reason: 'cleanup_running',
        plans: [...st.cleanups.keys()],
      });
    }
  };

  return {
    rendererReloaded() {
      for (const [requestId, w] of [...mfaWaiting]) {
        mfaWaiting.delete(requestId);
        w.reject(new AppError('aws.mfa_cancelled', 'The window was reloaded while it asked for an MFA code; select the profile again.', { reason: 'renderer_reloaded' }));
      }
    },

    async profilesList() {
      return listProfiles();
    },

    async profilesSelect({ profile }) {
      refuseWhileCleaning();
      const credentials = deps.credentialsFor?.(profile);
      const next = await openAccountSession({
        db,
        registry: st.registry,
        profile,
        mfaPrompt,
        ...(credentials ? { credentials } : {}),
        ...(deps.sdkLogger ? { logger: deps.sdkLogger } : {}),
      });
      try {
        // Opening may have waited minutes for an MFA code: a cleanup started meanwhile keeps the current session.
        refuseWhileCleaning();
      } catch (e) {
        next.close();
        throw e;
      }
      st.scanStarting?.abort();
      for (const r of st.scans.values()) r.controller.abort();
      for (const r of st.orgRuns.values()) r.controller.abort();
      st.closeSessions();
      st.home = next;
      st.session = next;
      st.resetPrices();
      await updateSettings(db, { lastProfile: profile });
      // Prices: refresh from the Price List API in the background (weekly cache, bundled fallback).
      const ps = st.priceService(next);
      void listRegions(next.clients.ec2(next.clients.defaultRegion))
        .then((rs) => ps.refresh(rs.filter((r) => r.enabled).map((r) => r.name)))
        .catch(() => undefined);
      return { profile, identity: next.identity, account: next.account };
    },

    async authMfaAnswer({ requestId, code }) {
      const w = mfaWaiting.get(requestId);
      if (!w) throw new AppError('not_found', 'That MFA request is no longer waiting for a code.');
      mfaWaiting.delete(requestId);
      if (code === null) w.reject(new AppError('aws.mfa_cancelled', 'MFA was cancelled; the profile was not selected.'));
      else w.resolve(code);
    },

    async accountsCurrent() {
      const s = st.session;
      return s ? { profile: s.profile, identity: s.identity, account: s.account } : null;
    },

    async regionsList() {
      const s = st.requireSession();
      return (await listRegions(s.clients.ec2(s.clients.defaultRegion))).map((r) => ({
        ...r,
        optInStatus: r.optInStatus as 'opt-in-not-required' | 'opted-in' | 'not-opted-in',
      }));
    },
  };
}
