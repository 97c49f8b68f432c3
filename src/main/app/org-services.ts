/**
 * Many accounts (issue #20): the accounts the selected profile reaches (its organization's, or added by hand), the
 * account the pages show, many-account scans and the roll-up. Member sessions are opened on first use (assuming the
 * account's role, MFA through the app's prompt) and kept until the profile changes.
 */
import { randomUUID } from 'node:crypto';
import { AppError, isAppError, type ErrorCode } from '../../shared/errors';
import type { OrgAccountsDto, OrgScanProgressEvent } from '../../shared/dto/org';
import { toAppError } from '../aws/errors';
import {
  listOrgAccounts,
  orgHome,
  removeAccount,
  roleFor,
  saveAccessOutcome,
  saveAccount,
  saveListing,
  saveListingFailure,
  setDefaultRole,
} from '../db/repos/org-accounts';
import { orgRollup } from '../db/repos/org-rollup';
import type { AppServices } from '../ipc/app-services';
import { listOrganizationAccounts } from '../org/list-accounts';
import { openMemberSession } from '../org/member-session';
import { runOrgScan, type OrgAccountProgress, type OrgScanTarget } from '../org/org-scan';
import type { AccountSession } from './account-session';
import type { AppState } from './app-state';
import { loadScanSettings } from './settings';

export type OrgServices = Pick<
  AppServices,
  'orgAccounts' | 'orgRefresh' | 'orgAccountSave' | 'orgAccountRemove' | 'orgDefaultRoleSet' | 'orgScanStart' | 'orgScanCancel' | 'orgRollup' | 'orgView'
>;

export function orgServices(st: AppState): OrgServices {
  const { db, deps, events } = st;

  const accountsDto = async (): Promise<OrgAccountsDto> => {
    const home = st.requireHome();
    const h = await orgHome(db.db, home.account.id);
    return {
      homeAccountId: home.account.id,
      defaultRoleName: h.defaultRoleName,
      listedAt: h.listedAt,
      listError: h.listError ? { code: h.listError.code as ErrorCode, message: h.listError.message } : null,
      accounts: await listOrgAccounts(db.db, home.account.id),
      viewingAccountId: st.session?.account.id ?? home.account.id,
    };
  };

  /** The member's session: cached, or opened by assuming its role (the outcome is kept on the account's row). */
  const memberSession = async (accountId: string, signal?: AbortSignal): Promise<AccountSession> => {
    const home = st.requireHome();
    const { roleName, known } = await roleFor(db.db, home.account.id, accountId);
    if (!known) {
      throw new AppError('not_found', `Account ${accountId} is not in this profile's list: refresh the organization's accounts or add it by hand.`, { accountId });
    }
    const cached = st.members.get(accountId);
    if (cached && cached.roleName === roleName) return cached;
    let s;
    try {
      s = await openMemberSession({
        db,
        home,
        accountId,
        roleName,
        ...(st.mfaPrompt ? { mfaPrompt: st.mfaPrompt } : {}),
        ...(deps.sdkLogger ? { logger: deps.sdkLogger } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      const e = isAppError(err) ? err : toAppError(err, { service: 'sts' });
      if (e.code !== 'cancelled') await saveAccessOutcome(db.db, home.account.id, accountId, { code: e.code, message: e.message });
      throw e;
    }
    if (st.home !== home) {
      // The profile changed while the role was assumed: this session belongs to nobody now.
      s.close();
      throw new AppError('conflict', 'The profile was switched while the account was being reached.');
    }
    await saveAccessOutcome(db.db, home.account.id, accountId, null);
    if (cached && st.session !== cached) cached.close();
    st.members.set(accountId, s);
    return s;
  };

  const busy = (): boolean =>
    st.scanStarting !== null || [...st.scans.values(), ...st.orgRuns.values()].some((r) => !r.controller.signal.aborted);

  return {
    async orgAccounts() {
      return accountsDto();
    },

    async orgRefresh() {
      const home = st.requireHome();
      try {
        const listing = await listOrganizationAccounts(home.clients, { partition: home.identity.partition, accountId: home.account.id, profile: home.profile });
        await saveListing(db.db, home.account.id, listing);
      } catch (err) {
        const e = isAppError(err) ? err : toAppError(err, { service: 'organizations' });
        if (e.code === 'cancelled') throw e;
        // Kept and shown on the list (with what to do instead); the accounts listed before stay.
        await saveListingFailure(db.db, home.account.id, { code: e.code, message: e.message });
      }
      return accountsDto();
    },

    async orgAccountSave({ accountId, name, roleName }) {
      const home = st.requireHome();
      await saveAccount(db.db, home.account.id, { accountId, ...(name !== undefined ? { name } : {}), roleName });
      return accountsDto();
    },

    async orgAccountRemove({ accountId }) {
      const home = st.requireHome();
      if (st.session?.account.id === accountId) throw new AppError('conflict', `Account ${accountId} is the one shown now; switch to another account first.`);
      await removeAccount(db.db, home.account.id, accountId);
      return accountsDto();
    },

    async orgDefaultRoleSet({ roleName }) {
      const home = st.requireHome();
      await setDefaultRole(db.db, home.account.id, roleName);
      return accountsDto();
    },

    async orgView({ accountId }) {
      const home = st.requireHome();
      // Cleanups run on the session they were planned in; switching the shown account under one is refused.
      if (st.cleanups.size > 0) {
        throw new AppError('conflict', 'A cleanup is running; wait for it to finish (or cancel it) before switching account.', { reason: 'cleanup_running' });
      }
      const next = accountId === home.account.id ? home : await memberSession(accountId);
      if (st.cleanups.size > 0) throw new AppError('conflict', 'A cleanup started meanwhile; the account shown was not switched.', { reason: 'cleanup_running' });
      st.session = next;
      return { profile: next.profile, identity: next.identity, account: next.account };
    },

    async orgScanStart({ accountIds, regions }) {
      const home = st.requireHome();
      if (busy()) throw new AppError('conflict', 'A scan is already running.');
      const listed = await listOrgAccounts(db.db, home.account.id);
      const unknown = (accountIds ?? []).filter((id) => !listed.some((a) => a.accountId === id));
      if (unknown.length > 0) throw new AppError('validation', `Not in this profile's list of accounts: ${unknown.join(', ')}.`, { accountIds: unknown });
      const chosen = accountIds ? listed.filter((a) => accountIds.includes(a.accountId)) : listed;
      const targets: OrgScanTarget[] = chosen.map((a) => ({ accountId: a.accountId, name: a.name, roleName: a.source === 'home' ? null : a.roleName }));
      const settings = await loadScanSettings(db, st.registry);
      if (busy()) throw new AppError('conflict', 'A scan is already running.');
      const runId = randomUUID();
      const controller = new AbortController();
      const lastTask = new Map<string, OrgScanProgressEvent['lastTask']>();
      const emit = (p: OrgAccountProgress, done: boolean): void =>
        events.emit('org:progress', { runId, ...p, lastTask: lastTask.get(p.accountId) ?? null, done });
      const done = runOrgScan(
        {
          db,
          home,
          settings,
          prices: st.priceService(home).book(),
          // A worker builds the app's own kinds: a registry given by a test keeps its tasks on this thread.
          ...(st.deps.scanWorkerScript && !st.deps.registry ? { workerScript: st.deps.scanWorkerScript } : {}),
          openMember: async (t, signal) => ({ session: await memberSession(t.accountId, signal), release: () => undefined }),
          onAccount: (p) => emit(p, false),
          onScan: (accountId, ev) => {
            if (ev.task) lastTask.set(accountId, { region: ev.task.region, resourceType: ev.task.resourceType, status: ev.task.status });
          },
        },
        targets,
        { regions, signal: controller.signal },
      ).then((outcome) => {
        for (const a of outcome.accounts) {
          const { name: _n, outcome: _o, ...p } = a;
          emit(p, true);
        }
        return outcome;
      });
      st.orgRuns.set(runId, { controller, done });
      void done.finally(() => st.orgRuns.delete(runId)).catch(() => undefined);
      return { runId };
    },

    async orgScanCancel({ runId }) {
      const r = st.orgRuns.get(runId);
      if (!r) throw new AppError('not_found', `No many-account scan ${runId} is running.`);
      r.controller.abort();
      await r.done.catch(() => undefined);
    },

    async orgRollup() {
      const home = st.requireHome();
      return orgRollup(db.db, await listOrgAccounts(db.db, home.account.id));
    },
  };
}
