/**
 * Many accounts at once (issue #20): each account is reached (the home account with the profile's own session, every
 * other one by assuming its role), then scanned exactly as a single account is — its own scan record, findings and
 * costs under its own account id. Accounts run a few at a time (ORG_ACCOUNT_CONCURRENCY), sharing the app's global
 * task bound between them; AWS's request limits are per account and region, so accounts never slow each other.
 *
 * Costs: one organization-level Cost Explorer request, grouped by LINKED_ACCOUNT and SERVICE, made by the home
 * account for every account that needs fresh costs (one request, or one per page, for all — recorded on the home
 * account's counter). An account the answer does not cover (the home is not the payer) asks for its own costs.
 * A failure to reach or scan one account is that account's, never a stop for the rest; cancel stops them all.
 */
import { AppError, type AppErrorDto } from '../../shared/errors';
import type { OrgScanProgressEvent } from '../../shared/dto/org';
import type { AccountSession } from '../app/account-session';
import { toAppError } from '../aws/errors';
import type { AppDb } from '../db/store';
import { recordCeRequests } from '../db/repos/ce-requests';
import { saveAccessOutcome } from '../db/repos/org-accounts';
import { fetchLinkedAccountCosts, fetchServiceCosts, type CostExplorerResult, type CostPeriod, type LinkedAccountCosts } from '../discovery/cost-explorer';
import type { PriceBook } from '../pricing/types';
import { workerCount } from '../scan/region-pool';
import { runScan, type ScanOutcome, type ScanProgressEvent, type ScanSettings } from '../scan/scanner';

/** Accounts scanned at once by default. */
export const ORG_ACCOUNT_CONCURRENCY = 3;

export interface OrgScanTarget {
  accountId: string;
  name: string | null;
  /** Null: the home account (the profile's own credentials). */
  roleName: string | null;
}

/** One account's progress: the org:progress event without the run's own fields. */
export type OrgAccountProgress = Omit<OrgScanProgressEvent, 'runId' | 'lastTask' | 'done'>;

export interface OrgAccountResult extends OrgAccountProgress {
  name: string | null;
  outcome: ScanOutcome | null;
}

export interface OrgScanOutcome {
  status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  accounts: OrgAccountResult[];
  /** Paid requests of the organization-level Cost Explorer query (0: not made, every account's costs were cached). */
  orgCostRequests: number;
  /** Why the organization-level request was not used, if it failed. */
  orgCostError: AppErrorDto | null;
}

/** A reached account's session, and what to do with it afterwards (close it, or leave it to a cache). */
export interface ReachedAccount {
  session: AccountSession;
  release(): void;
}

export interface OrgScanDeps {
  db: AppDb;
  home: AccountSession;
  /** Reaches a member account (assumes its role); throws an AppError naming the role and the error. */
  openMember: (t: OrgScanTarget, signal: AbortSignal) => Promise<ReachedAccount>;
  settings: ScanSettings;
  prices: PriceBook;
  /** The organization's management account, when known: its Cost Explorer sees every member's costs. */
  managementAccountId?: string | null;
  accountConcurrency?: number;
  /**
   * The region workers' module: with the app's own kinds, each account's regions run on worker threads
   * (scan/region-pool.ts): the machine's worker count divided among the accounts scanned at once, at least one each.
   */
  workerScript?: string;
  /** Region workers in all (default workerCount()), divided among the accounts scanned at once. */
  workers?: number;
  onAccount?: (p: OrgAccountProgress) => void;
  onScan?: (accountId: string, ev: ScanProgressEvent) => void;
}

export async function runOrgScan(
  deps: OrgScanDeps,
  targets: readonly OrgScanTarget[],
  req: { regions: 'all' | string[]; signal?: AbortSignal },
): Promise<OrgScanOutcome> {
  const signal = req.signal ?? new AbortController().signal;
  const homeId = deps.home.account.id;
  const results = new Map<string, OrgAccountResult>(
    targets.map((t) => [t.accountId, { accountId: t.accountId, name: t.name, status: 'queued', scanId: null, findings: 0, monthlySavings: 0, tasksDone: 0, tasksTotal: 0, error: null, outcome: null }]),
  );
  const update = (id: string, patch: Partial<OrgAccountResult>): void => {
    const r = results.get(id);
    if (!r) return;
    Object.assign(r, patch);
    const { name: _n, outcome: _o, ...progress } = r;
    deps.onAccount?.(progress);
  };

  // The organization-level costs: requested once, when the first account needs fresh costs.
  let orgCosts: Promise<LinkedAccountCosts | null> | null = null;
  let orgCostRequests = 0;
  let orgCostError: AppErrorDto | null = null;
  const linkedCosts = (period: CostPeriod, exclude: readonly string[]): Promise<LinkedAccountCosts | null> => {
    orgCosts ??= (async () => {
      let requests = 0;
      try {
        const out = await fetchLinkedAccountCosts(deps.home.clients.costExplorer(), { period, excludeRecordTypes: exclude, signal, onRequest: () => void requests++ });
        return out;
      } catch (err) {
        orgCostError = (err instanceof AppError ? err : toAppError(err, { service: 'ce' })).toDto();
        return null;
      } finally {
        orgCostRequests = requests;
        // Paid, so counted on the account that made it, success or not.
        if (requests > 0) await recordCeRequests(deps.db.db, homeId, requests, new Date());
      }
    })();
    return orgCosts;
  };
  const costsFor = (s: AccountSession) => ({
    source: 'organization' as const,
    fetch: async (period: CostPeriod, exclude: readonly string[], sig?: AbortSignal): Promise<CostExplorerResult> => {
      const org = await linkedCosts(period, exclude);
      const covered = org !== null && (org.accounts.includes(s.account.id) || deps.managementAccountId === homeId);
      if (org && covered) return org.of(s.account.id);
      return fetchServiceCosts(s.clients.costExplorer(), { period, excludeRecordTypes: exclude, ...(sig ? { signal: sig } : {}) });
    },
  });

  const atOnce = Math.max(1, Math.min(deps.accountConcurrency ?? ORG_ACCOUNT_CONCURRENCY, targets.length));
  // The global task bound is shared: N accounts at once run concurrency / N tasks each (at least one region's worth).
  const settings: ScanSettings = { ...deps.settings, concurrency: Math.max(deps.settings.perRegionConcurrency, Math.ceil(deps.settings.concurrency / atOnce)) };

  const scanOne = async (t: OrgScanTarget): Promise<void> => {
    if (signal.aborted) return update(t.accountId, { status: 'cancelled' });
    let reached: ReachedAccount;
    if (t.roleName === null) {
      reached = { session: deps.home, release: () => undefined };
    } else {
      update(t.accountId, { status: 'connecting' });
      try {
        reached = await deps.openMember(t, signal);
        await saveAccessOutcome(deps.db.db, homeId, t.accountId, null);
      } catch (err) {
        const e = err instanceof AppError ? err : toAppError(err, { service: 'sts' });
        if (signal.aborted || e.code === 'cancelled') return update(t.accountId, { status: 'cancelled' });
        await saveAccessOutcome(deps.db.db, homeId, t.accountId, { code: e.code, message: e.message });
        return update(t.accountId, { status: 'failed', error: e.toDto() });
      }
    }
    const s = reached.session;
    try {
      update(t.accountId, { status: 'running' });
      const outcome = await runScan(
        {
          db: deps.db,
          accountId: s.account.id,
          clients: s.clients,
          costExplorer: () => s.clients.costExplorer(),
          costs: costsFor(s),
          homeRegion: s.clients.defaultRegion,
          registry: s.registry,
          prices: deps.prices,
          settings,
          ...(deps.workerScript ? { workers: { script: deps.workerScript, clients: s.clients.replica, size: Math.max(1, Math.floor((deps.workers ?? workerCount()) / atOnce)) } } : {}),
          emit: (ev) => {
            deps.onScan?.(t.accountId, ev);
            update(t.accountId, { scanId: ev.scanId, findings: ev.totals.findings, monthlySavings: ev.totals.monthlySavings, tasksDone: ev.totals.tasksDone, tasksTotal: ev.totals.tasksTotal });
          },
        },
        { regions: req.regions, signal, onStarted: (scanId) => update(t.accountId, { scanId }) },
      );
      results.get(t.accountId)!.outcome = outcome;
      update(t.accountId, {
        status: outcome.status,
        scanId: outcome.scanId,
        findings: outcome.findings,
        monthlySavings: outcome.monthlySavings,
        tasksTotal: outcome.tasksTotal,
        error: outcome.error ?? null,
      });
    } catch (err) {
      const e = err instanceof AppError ? err : toAppError(err, {});
      update(t.accountId, { status: signal.aborted ? 'cancelled' : 'failed', error: e.toDto() });
    } finally {
      reached.release();
    }
  };

  const queue = [...targets];
  await Promise.all(
    Array.from({ length: atOnce }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await scanOne(t);
    }),
  );

  const accounts = [...results.values()];
  const ok = accounts.filter((a) => a.status === 'succeeded').length;
  const status: OrgScanOutcome['status'] = signal.aborted
    ? 'cancelled'
    : ok === accounts.length
      ? 'succeeded'
      : accounts.some((a) => a.status === 'succeeded' || a.status === 'partial')
        ? 'partial'
        : 'failed';
  return { status, accounts, orgCostRequests, orgCostError };
}
