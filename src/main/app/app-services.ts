import { randomUUID } from 'node:crypto';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Logger } from '@smithy/types';
import { AppError } from '../../shared/errors';
import type { CleanupRunDto } from '../../shared/dto/cleanup';
import type { SettingsDto } from '../../shared/dto/settings';
import { listProfiles } from '../aws/profiles';
import type { DbHandle } from '../db/connection';
import { getCeRequestStats } from '../db/repos/ce-requests';
import { listDeletions } from '../db/repos/deletions';
import { getCostHistory, getDailyCostTotals } from '../db/repos/cost-history';
import { findingFacets, getResource, listFindings, type FindingsQuery } from '../db/repos/resources';
import { getScan, listScans } from '../db/repos/scans';
import { listServices } from '../db/repos/services';
import { discover, type DiscoveryResult } from '../discovery/discovery';
import { coverageOf, describeKinds, priceKeysOf, type HandlerRegistry } from '../handlers/registry';
import { createAppEvents, type AppServices } from '../ipc/app-services';
import { createPriceService, type PriceService } from '../pricing/prices';
import { listRegions } from '../scan/regions';
import { runScan } from '../scan/scanner';
import { isAllowedExternalUrl } from '../window/security';
import { builtinRegistry, openAccountSession, type AccountSession } from './account-session';
import { runCleanup, planCleanup } from './cleanup-service';
import { NO_SAVINGS, resourceDetail } from './resource-detail';
import { exportFindings } from './export-findings';
import { loadSettings, updateSettings, type AppSettings } from './settings';

export interface AppServicesDeps {
  db: DbHandle;
  appInfo?: { version: string; logFile: string };
  logger?: Logger;
  /** The SDK's own request/response logs (debugging only: at 100k resources they cost seconds and megabytes). */
  sdkLogger?: Logger;
  /** Opens an allowlisted URL in the system browser (Electron's shell.openExternal); absent in the harness. */
  openExternal?: (url: string) => Promise<void>;
  /** The resource kinds (default: the ones that ship with the app); tests register kinds of their own. */
  registry?: HandlerRegistry;
  /** Tests: explicit credentials for a profile instead of resolving it. */
  credentialsFor?: (profile: string) => AwsCredentialIdentityProvider | undefined;
  /** How long an MFA prompt waits for its code before the selection fails (default MFA_PROMPT_TIMEOUT_MS). */
  mfaTimeoutMs?: number;
}

/** An unanswered MFA prompt gives up after this long, so the profile can be tried again (5 minutes). */
export const MFA_PROMPT_TIMEOUT_MS = 5 * 60 * 1000;

/** What the Electron layer calls besides the IPC channels. */
export interface AppServicesLifecycle {
  /**
   * The renderer reloaded or went away: nobody is left to answer a waiting MFA prompt, so each one fails at once
   * (aws.mfa_cancelled) instead of blocking its profile until it times out.
   */
  rendererReloaded(): void;
}

interface Running {
  controller: AbortController;
  done: Promise<unknown>;
}

function toSettingsDto(s: AppSettings): SettingsDto & { lastProfile: string | null } {
  return { ...s };
}

/** The services behind every IPC channel, over one database; one selected profile at a time. */
export function createAppServices(deps: AppServicesDeps): AppServices & AppServicesLifecycle {
  const { db } = deps;
  const registry = deps.registry ?? builtinRegistry();
  const events = createAppEvents();
  let session: AccountSession | null = null;
  let prices: PriceService | null = null;
  const scans = new Map<number, Running>();
  // A scan between scans:start and its id: registered before the first await, so a second start sees it.
  let scanStarting: AbortController | null = null;
  const cleanups = new Map<string, AbortController>();
  const mfaWaiting = new Map<string, { resolve: (code: string) => void; reject: (e: unknown) => void }>();

  const requireSession = (): AccountSession => {
    if (!session) throw new AppError('conflict', 'Choose an AWS profile first.');
    return session;
  };
  const priceService = (s: AccountSession): PriceService => {
    prices ??= createPriceService({ db: db.db, pricingClient: () => s.clients.pricing(), priceKeys: () => priceKeysOf(registry) });
    return prices;
  };

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

  // Switching profile closes the clients a running cleanup uses (its deletes would fail half-way): refused.
  const refuseWhileCleaning = (): void => {
    if (cleanups.size > 0) {
      throw new AppError('conflict', 'A cleanup is running; wait for it to finish (or cancel it) before switching profile.', {
        reason: 'cleanup_running',
        plans: [...cleanups.keys()],
      });
    }
  };

  async function discovery(force: boolean): Promise<DiscoveryResult> {
    const s = requireSession();
    const st = await loadSettings(db);
    const result = await discover(
      { db, ce: () => s.clients.costExplorer(), accountId: s.account.id, coverage: coverageOf(registry) },
      { force, lookbackDays: st.lookbackDays, minCost: st.minServiceCost, cacheHours: st.ceCacheHours },
    );
    return result;
  }

  const findingsQuery = (accountId: string, f: Record<string, unknown>): FindingsQuery => {
    const q = f as {
      types?: string[]; regions?: string[]; serviceCodes?: string[]; reasons?: string[]; protected?: boolean;
      minMonthlyCost?: number; minAgeDays?: number; search?: string; unusedOnly?: boolean;
      statuses?: ('active' | 'gone' | 'deleted')[]; scanId?: number;
      sort?: FindingsQuery['sort']; limit?: number; offset?: number;
    };
    return {
      accountId,
      ...(q.types ? { resourceTypes: q.types } : {}),
      ...(q.regions ? { regions: q.regions } : {}),
      ...(q.serviceCodes ? { serviceCodes: q.serviceCodes } : {}),
      ...(q.reasons ? { reasons: q.reasons } : {}),
      ...(q.protected !== undefined ? { protected: q.protected } : {}),
      ...(q.minMonthlyCost !== undefined ? { minMonthlyCost: q.minMonthlyCost } : {}),
      ...(q.minAgeDays !== undefined ? { minAgeDays: q.minAgeDays } : {}),
      ...(q.search !== undefined ? { search: q.search } : {}),
      ...(q.unusedOnly !== undefined ? { unusedOnly: q.unusedOnly } : {}),
      ...(q.statuses ? { statuses: q.statuses } : {}),
      ...(q.scanId !== undefined ? { scanId: q.scanId } : {}),
      ...(q.sort ? { sort: q.sort } : {}),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      ...(q.offset !== undefined ? { offset: q.offset } : {}),
    };
  };

  const services: AppServices & AppServicesLifecycle = {
    events,

    rendererReloaded() {
      for (const [requestId, w] of [...mfaWaiting]) {
        mfaWaiting.delete(requestId);
        w.reject(new AppError('aws.mfa_cancelled', 'The window was reloaded while it asked for an MFA code; select the profile again.', { reason: 'renderer_reloaded' }));
      }
    },

    async appInfo() {
      return {
        version: deps.appInfo?.version ?? '0.1.0',
        dbFile: db.file,
        logFile: deps.appInfo?.logFile ?? '',
        platform: process.platform,
        arch: process.arch,
      };
    },

    async profilesList() {
      return listProfiles();
    },

    async profilesSelect({ profile }) {
      refuseWhileCleaning();
      const credentials = deps.credentialsFor?.(profile);
      const next = await openAccountSession({
        db,
        registry,
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
      scanStarting?.abort();
      for (const r of scans.values()) r.controller.abort();
      session?.close();
      session = next;
      prices = null;
      await updateSettings(db, { lastProfile: profile });
      // Prices: refresh from the Price List API in the background (weekly cache, bundled fallback).
      const ps = priceService(next);
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
      return session ? { profile: session.profile, identity: session.identity, account: session.account } : null;
    },

    async handlersList() {
      return describeKinds(registry);
    },

    async regionsList() {
      const s = requireSession();
      return (await listRegions(s.clients.ec2(s.clients.defaultRegion))).map((r) => ({
        ...r,
        optInStatus: r.optInStatus as 'opt-in-not-required' | 'opted-in' | 'not-opted-in',
      }));
    },

    async discoveryRefresh(input) {
      const result = await discovery(input?.force ?? false);
      events.emit('discovery:done', result);
      return result;
    },

    async servicesList({ activeOnly }) {
      const s = requireSession();
      const list = await listServices(db.db, { accountId: s.account.id, activeOnly, coverage: coverageOf(registry) });
      const total = list.filter((x) => x.active).reduce((sum, x) => sum + x.periodCost, 0);
      const first = list.find((x) => x.periodStart && x.periodEnd);
      return {
        services: list.map((x) => ({ ...x, share: total > 0 && x.active ? x.periodCost / total : 0 })),
        totalCost: total,
        period: first ? { start: first.periodStart!, end: first.periodEnd! } : null,
      };
    },

    async servicesResources({ serviceCode, region, unusedOnly, limit, offset }) {
      const s = requireSession();
      const handlerTypes = coverageOf(registry)(serviceCode);
      if (handlerTypes.length === 0) {
        return { serviceCode, handlerTypes, rows: [], total: 0, totalMonthlyCost: 0, unknownCostCount: 0, savings: NO_SAVINGS, limit, offset };
      }
      const page = await listFindings(db.db, {
        accountId: s.account.id,
        resourceTypes: handlerTypes,
        ...(region ? { regions: [region] } : {}),
        unusedOnly,
        limit,
        offset,
      });
      return { serviceCode, handlerTypes, ...page };
    },

    async costsHistory(input) {
      const s = requireSession();
      const st = await loadSettings(db);
      const to = input?.to ?? new Date().toISOString().slice(0, 10);
      const from = input?.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - st.lookbackDays * 86_400_000).toISOString().slice(0, 10);
      const q = { accountId: s.account.id, from, to, ...(input?.serviceCodes ? { serviceCodes: input.serviceCodes } : {}) };
      const [rows, totals] = await Promise.all([getCostHistory(db.db, q), getDailyCostTotals(db.db, q)]);
      return { from, to, rows, totals };
    },

    async costsCeUsage() {
      const s = requireSession();
      return getCeRequestStats(db.db, s.account.id);
    },

    async scansStart({ regions }) {
      const s = requireSession();
      const busy = scanStarting !== null || [...scans.values()].some((r) => !r.controller.signal.aborted);
      if (busy) throw new AppError('conflict', 'A scan is already running.');
      // Registered before the first await: a second scans:start (a double click, two windows) gets `conflict`.
      const controller = new AbortController();
      scanStarting = controller;
      try {
        // The credentials may point at another account by now: refuse before anything is written under this one.
        await s.verifyAccount(controller.signal);
        const st = await loadSettings(db);
        if (controller.signal.aborted) throw new AppError('cancelled', 'The scan was cancelled before it started.');
        let resolveId!: (id: number) => void;
        const started = new Promise<number>((r) => (resolveId = r));
        const done = runScan(
          {
            db,
            accountId: s.account.id,
            clients: s.clients,
            costExplorer: () => s.clients.costExplorer(),
            homeRegion: s.clients.defaultRegion,
            registry: s.registry,
            prices: priceService(s).book(),
            settings: {
              concurrency: st.scanConcurrency,
              perRegionConcurrency: 5,
              stoppedInstanceDays: st.stoppedInstanceDays,
              protectionTagKey: st.protectionTagKey,
              discovery: { lookbackDays: st.lookbackDays, minCost: st.minServiceCost, cacheHours: st.ceCacheHours },
            },
            emit: (ev) =>
              events.emit('scans:progress', {
                scanId: ev.scanId,
                ...(ev.task
                  ? {
                      task: {
                        region: ev.task.region,
                        resourceType: ev.task.resourceType,
                        status: ev.task.status === 'cancelled' ? 'failed' : ev.task.status,
                        found: ev.task.found,
                        findings: ev.task.findings,
                        monthlySavings: ev.task.monthlySavings,
                        ...(ev.task.error ? { error: ev.task.error } : {}),
                      },
                    }
                  : {}),
                totals: { tasksDone: ev.totals.tasksDone, tasksTotal: ev.totals.tasksTotal, findings: ev.totals.findings, monthlySavings: ev.totals.monthlySavings },
                status: ev.status ?? 'running',
              }),
          },
          { regions, signal: controller.signal, onStarted: (id) => resolveId(id) },
        );
        const scanId = await Promise.race([started, done.then((o) => o.scanId)]);
        scans.set(scanId, { controller, done });
        void done.finally(() => scans.delete(scanId)).catch(() => undefined);
        return { scanId };
      } finally {
        if (scanStarting === controller) scanStarting = null;
      }
    },

    async scansCancel({ scanId }) {
      const r = scans.get(scanId);
      if (!r) throw new AppError('not_found', `Scan ${scanId} is not running.`);
      r.controller.abort();
      await r.done.catch(() => undefined);
    },

    async scansList(input) {
      const s = requireSession();
      return listScans(db.db, { accountId: s.account.id, limit: input?.limit ?? 50, offset: input?.offset ?? 0 });
    },

    async scansGet({ scanId }) {
      const s = requireSession();
      const scan = await getScan(db.db, scanId);
      if (!scan || scan.accountId !== s.account.id) throw new AppError('not_found', `No scan ${scanId} for this account.`);
      return scan;
    },

    async findingsList(input) {
      const s = requireSession();
      return listFindings(db.db, findingsQuery(s.account.id, input));
    },

    async findingsFacets() {
      const s = requireSession();
      return findingFacets(db.db, s.account.id);
    },

    async resourcesGet({ id }) {
      const s = requireSession();
      const r = await getResource(db.db, s.account.id, id);
      if (!r) throw new AppError('not_found', `No resource ${id} in this account.`);
      // Its parts, priced and with protection evaluated under today's settings, and near-misses of the protection tag.
      return resourceDetail(db, s.registry, r);
    },

    async cleanupPlan({ findingIds, snapshotVolumes, addParts }) {
      const s = requireSession();
      return planCleanup({ db, session: s }, { findingIds, snapshotVolumes, ...(addParts ? { addParts } : {}) });
    },

    async cleanupDryRun({ planId }) {
      return runCleanupWith(planId, 'dry-run');
    },

    async cleanupExecute({ planId, confirmAccountId }) {
      return runCleanupWith(planId, 'execute', confirmAccountId);
    },

    async cleanupCancel({ planId }) {
      const c = cleanups.get(planId);
      if (!c) throw new AppError('not_found', `Plan ${planId} is not running.`);
      c.abort();
    },

    async deletionsList(input) {
      const s = requireSession();
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

    async settingsGet() {
      return toSettingsDto(await loadSettings(db));
    },

    async settingsUpdate(patch) {
      return toSettingsDto(await updateSettings(db, patch));
    },

    async exportFindings({ format, filter }) {
      const s = requireSession();
      return exportFindings(db.db, findingsQuery(s.account.id, filter), format);
    },

    async shellOpenExternal({ url }) {
      if (!isAllowedExternalUrl(url)) throw new AppError('validation', 'Only AWS console and documentation links can be opened.');
      await deps.openExternal?.(url);
    },
  };

  async function runCleanupWith(planId: string, mode: 'dry-run' | 'execute', confirmAccountId?: string): Promise<CleanupRunDto> {
    const s = requireSession();
    if (cleanups.has(planId)) throw new AppError('conflict', 'This plan is already running.');
    // Registered before the first await: a second run of the plan and a profile switch see it at once.
    const controller = new AbortController();
    cleanups.set(planId, controller);
    try {
      const st = await loadSettings(db);
      // Deleting under the wrong account is the one mistake that cannot be undone: ask STS right before it.
      if (mode === 'execute') await s.verifyAccount(controller.signal);
      return await runCleanup(
        { db, session: s, prices: priceService(s).book(), settings: st, emit: (ev) => events.emit('cleanup:progress', ev) },
        { planId, mode, ...(confirmAccountId !== undefined ? { confirmAccountId } : {}), signal: controller.signal },
      );
    } finally {
      cleanups.delete(planId);
    }
  }

  return services;
}
