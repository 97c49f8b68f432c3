import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { AppError, type AppErrorDto } from '../../shared/errors';
import { inTransaction } from '../db/connection';
import { isSqlite, type AppDb } from '../db/store';
import { recordCeRequests } from '../db/repos/ce-requests';
import { upsertCostHistory, type CostHistoryInput } from '../db/repos/cost-history';
import { completeScan, createScan, latestScan, type ScanDto } from '../db/repos/scans';
import { DEFAULT_MIN_COST, listServices, saveDiscoveredServices, type SaveServicesInput, type ServiceDto } from '../db/repos/services';
import {
  DEFAULT_EXCLUDED_RECORD_TYPES,
  DEFAULT_LOOKBACK_DAYS,
  costPeriod,
  fetchServiceCosts,
  mapCostExplorerError,
  type CostExplorerResult,
  type CostPeriod,
} from './cost-explorer';
import { sumDecimalStrings } from '../../shared/decimal';

/**
 * Which services does this account pay for? One grouped Cost Explorer query (one request per page), stored as
 * services + daily cost history, recorded as a `discovery` scan, cached per account. AWS failures come back as a
 * failed result (never thrown) so the scanner can go on with every handler; stored data is only written after the
 * whole result was read, so a failure leaves it intact.
 */

export const DEFAULT_CACHE_HOURS = 12;

export interface DiscoveryDeps {
  /** The store: the embedded SQLite file or a PostgreSQL team store. */
  db: AppDb;
  /** Built only when a request is really needed (a cache hit builds nothing). */
  ce: () => CostExplorerClient;
  accountId: string;
  /** Which resource kinds cover a service (the registry's coverageOf): services come back marked covered or not. */
  coverage?: (serviceCode: string) => string[];
  /** The clock (tests pass a fixed date). */
  now?: Date;
  signal?: AbortSignal;
  /**
   * Where the costs come from instead of this account's own request: the organization-level request (one for every
   * account, made and counted by the home account). Its `requests` are this account's own paid requests (0 when the
   * costs came from the shared request). Called only when the cache does not answer.
   */
  costs?: { source: 'organization'; fetch: (period: CostPeriod, excludeRecordTypes: readonly string[], signal?: AbortSignal) => Promise<CostExplorerResult> };
}

export interface DiscoveryOptions {
  /** Ask Cost Explorer even inside the cache window. */
  force?: boolean;
  /** Days before today (1..395), default 30. */
  lookbackDays?: number;
  /** Minimum cost over the period (USD) for a service to be active, default $0.01. */
  minCost?: number;
  /** Cache window, default 12 hours; 0 disables the cache. */
  cacheHours?: number;
  /** RECORD_TYPE values left out, default Credit, Refund, Tax; [] leaves nothing out. */
  excludeRecordTypes?: string[];
}

export type DiscoveryStatus = 'succeeded' | 'failed' | 'cached';

export interface DiscoveryResult {
  /** The scan that produced the data: this run's, or for a cache hit the cached one's. */
  scanId: number;
  status: DiscoveryStatus;
  fromCache: boolean;
  /** Paid requests made by this call. */
  requests: number;
  /** Every known service of the account (active or not), highest period cost first. On failure: as stored before. */
  services: ServiceDto[];
  totalCost: number;
  totalCostText: string;
  period: CostPeriod;
  error?: AppErrorDto;
}

interface ResolvedOptions {
  force: boolean;
  lookbackDays: number;
  minCost: number;
  cacheHours: number;
  excludeRecordTypes: string[];
}

function resolveOptions(o: DiscoveryOptions): ResolvedOptions {
  const minCost = o.minCost ?? DEFAULT_MIN_COST;
  if (!Number.isFinite(minCost) || minCost < 0) {
    throw new AppError('validation', 'The minimum cost must be a number of dollars, 0 or more.', { minCost });
  }
  const cacheHours = o.cacheHours ?? DEFAULT_CACHE_HOURS;
  if (!Number.isFinite(cacheHours) || cacheHours < 0) {
    throw new AppError('validation', 'The cache window must be a number of hours, 0 or more.', { cacheHours });
  }
  const exclude = o.excludeRecordTypes ?? [...DEFAULT_EXCLUDED_RECORD_TYPES];
  if (!Array.isArray(exclude) || exclude.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw new AppError('validation', 'Excluded record types must be non-empty names such as Credit, Refund or Tax.');
  }
  return {
    force: o.force ?? false,
    lookbackDays: o.lookbackDays ?? DEFAULT_LOOKBACK_DAYS,
    minCost,
    cacheHours,
    excludeRecordTypes: [...new Set(exclude.map((v) => v.trim()))],
  };
}

/** What a cached result must match to stand for a new request. */
function cacheKey(o: Pick<ResolvedOptions, 'lookbackDays' | 'minCost' | 'excludeRecordTypes'>): string {
  return JSON.stringify([o.lookbackDays, o.minCost, [...o.excludeRecordTypes].sort()]);
}

function keyOfScan(s: ScanDto): string | null {
  const o = s.options;
  if (typeof o.lookbackDays !== 'number' || typeof o.minCost !== 'number' || !Array.isArray(o.excludeRecordTypes)) return null;
  return cacheKey({ lookbackDays: o.lookbackDays, minCost: o.minCost, excludeRecordTypes: o.excludeRecordTypes as string[] });
}

function isPeriod(v: unknown): v is CostPeriod {
  return typeof v === 'object' && v !== null && typeof (v as CostPeriod).start === 'string' && typeof (v as CostPeriod).end === 'string';
}

function totals(services: readonly ServiceDto[]): { totalCost: number; totalCostText: string } {
  const totalCostText = sumDecimalStrings(services.map((s) => s.periodCostText));
  return { totalCost: Number(totalCostText), totalCostText };
}

/** Concurrent calls for the same account and options share one request (a double click costs $0.01 once). */
const inFlight = new WeakMap<AppDb, Map<string, Promise<DiscoveryResult>>>();

export async function discover(deps: DiscoveryDeps, opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const o = resolveOptions(opts);
  const key = `${deps.accountId}\u0000${cacheKey(o)}`;
  let running = inFlight.get(deps.db);
  const shared = running?.get(key);
  if (shared) return shared;
  if (!running) {
    running = new Map();
    inFlight.set(deps.db, running);
  }
  const p = run(deps, o).finally(() => running.delete(key));
  running.set(key, p);
  return p;
}

async function run(deps: DiscoveryDeps, o: ResolvedOptions): Promise<DiscoveryResult> {
  const { db } = deps.db;
  const accountId = deps.accountId;
  const now = deps.now ?? new Date();
  const period = costPeriod(now, o.lookbackDays);

  if (!o.force && o.cacheHours > 0) {
    const last = await latestScan(db, accountId, 'discovery', ['succeeded']);
    const completedAt = last?.completedAt ? Date.parse(last.completedAt) : NaN;
    if (last && keyOfScan(last) === cacheKey(o) && now.getTime() - completedAt < o.cacheHours * 3_600_000) {
      const services = await listServices(db, { accountId, ...(deps.coverage ? { coverage: deps.coverage } : {}) });
      return {
        scanId: last.id,
        status: 'cached',
        fromCache: true,
        requests: 0,
        services,
        ...totals(services),
        period: isPeriod(last.options.period) ? last.options.period : period,
      };
    }
  }

  // The scan record keeps the clock of the caller plus real elapsed time, so durations are true with a fixed `now`.
  const t0 = performance.now();
  const at = () => new Date(now.getTime() + Math.round(performance.now() - t0)).toISOString();
  const scanId = await createScan(db, {
    accountId,
    kind: 'discovery',
    startedAt: now.toISOString(),
    options: {
      lookbackDays: o.lookbackDays,
      minCost: o.minCost,
      excludeRecordTypes: o.excludeRecordTypes,
      cacheHours: o.cacheHours,
      force: o.force,
      period,
      ...(deps.costs ? { costSource: deps.costs.source } : {}),
    },
  });

  let requests = 0;
  const fail = async (err: unknown): Promise<DiscoveryResult> => {
    const e = mapCostExplorerError(err, { requests });
    await recordCeRequests(db, accountId, requests, now);
    await completeScan(db, scanId, {
      status: e.code === 'cancelled' ? 'cancelled' : 'failed',
      completedAt: at(),
      requests,
      servicesFound: 0,
      errorCode: e.code,
      error: e.message,
    });
    const services = await listServices(db, { accountId, ...(deps.coverage ? { coverage: deps.coverage } : {}) });
    return { scanId, status: 'failed', fromCache: false, requests, services, ...totals(services), period, error: e.toDto() };
  };

  let result: CostExplorerResult;
  try {
    if (deps.costs) {
      result = await deps.costs.fetch(period, o.excludeRecordTypes, deps.signal);
      requests += result.requests;
    } else {
      result = await fetchServiceCosts(deps.ce(), {
        period,
        excludeRecordTypes: o.excludeRecordTypes,
        ...(deps.signal ? { signal: deps.signal } : {}),
        onRequest: () => {
          requests++;
        },
      });
    }
  } catch (err) {
    return fail(err);
  }

  try {
    const writtenAt = at();
    await saveResult(
      deps.db,
      {
        accountId,
        period,
        minCost: o.minCost,
        now: writtenAt,
        services: result.services.map((s) => ({
          code: s.code,
          displayName: s.displayName,
          category: s.category,
          periodCost: s.total,
          periodCostText: s.totalText,
          metadata: { known: s.known, currency: s.currency, usageQuantity: s.usageQuantity, usageUnit: s.usageUnit },
        })),
      },
      result,
    );
  } catch (err) {
    return fail(saveError(err));
  }

  await recordCeRequests(db, accountId, requests, now);
  await completeScan(db, scanId, {
    status: 'succeeded',
    completedAt: at(),
    requests,
    servicesFound: result.services.length,
  });
  const services = await listServices(db, { accountId, ...(deps.coverage ? { coverage: deps.coverage } : {}) });
  return {
    scanId,
    status: 'succeeded',
    fromCache: false,
    requests,
    services,
    totalCost: result.total,
    totalCostText: result.totalText,
    period,
  };
}

/**
 * Services and their daily costs, in one transaction: on SQLite the raw connection's prepared statements (one
 * IMMEDIATE transaction, nothing else interleaves), on PostgreSQL a kysely transaction with batched statements.
 */
async function saveResult(h: AppDb, input: SaveServicesInput & { now: string }, result: CostExplorerResult): Promise<void> {
  if (isSqlite(h)) {
    inTransaction(h.sqlite, () => {
      const ids = saveDiscoveredServices(h.sqlite, input);
      upsertCostHistory(h.sqlite, historyRows(result, ids), input.now);
    });
    return;
  }
  await h.db.transaction().execute(async (trx) => {
    const ids = await saveDiscoveredServices(trx, input);
    await upsertCostHistory(trx, historyRows(result, ids), input.now);
  });
}

/**
 * Another writer in the way: SQLite's busy database; PostgreSQL's serialization failure, deadlock (the server
 * aborted this transaction to break it) or lock not available.
 */
const BUSY_CODES = new Set(['SQLITE_BUSY', '40001', '40P01', '55P03']);

function saveError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = `The costs were read but could not be saved (${(err as Error).message}); the data stored before is unchanged.`;
  const code = (err as { code?: unknown }).code;
  const busy = typeof code === 'string' && BUSY_CODES.has(code);
  return new AppError(busy ? 'db.busy' : 'internal', message, {}, { cause: err });
}

function* historyRows(result: CostExplorerResult, ids: ReadonlyMap<string, number>): Generator<CostHistoryInput> {
  for (const s of result.services) {
    const serviceId = ids.get(s.code);
    if (serviceId === undefined) throw new Error(`no id for service ${s.code}`);
    for (const d of s.days) {
      yield {
        serviceId,
        date: d.date,
        cost: d.cost,
        costText: d.costText,
        usageQuantity: d.usageQuantity,
        usageUnit: d.usageUnit,
        estimated: d.estimated,
      };
    }
  }
}
