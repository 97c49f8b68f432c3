import {
  GetCostAndUsageCommand,
  type CostExplorerClient,
  type GetCostAndUsageCommandInput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { AppError } from '../../shared/errors';
import { awsErrorCode } from '../aws/errors';
import { awsErrorMessage, isAbort } from '../handlers/ec2-common';
import { isDecimalString, sumDecimalStrings } from '../../shared/decimal';
import { lookupService, type ServiceCategory } from './service-catalog';

/**
 * The one paid Cost Explorer query behind discovery: daily unblended cost and usage for the whole lookback,
 * grouped by SERVICE. Every page of it is a $0.01 request, so nothing here ever asks per service.
 */

export const DEFAULT_LOOKBACK_DAYS = 30;
/** 13 months plus the current month, give or take month lengths; the start is also clamped, see costPeriod. */
export const MAX_LOOKBACK_DAYS = 395;
export const DEFAULT_EXCLUDED_RECORD_TYPES: readonly string[] = ['Credit', 'Refund', 'Tax'];
export const CE_METRICS = ['UnblendedCost', 'UsageQuantity'] as const;
/** A safety stop: a real 13-month × few-hundred-service result is a handful of pages. */
const MAX_PAGES = 500;

export interface CostPeriod {
  /** Inclusive, YYYY-MM-DD. */
  start: string;
  /** Exclusive, YYYY-MM-DD (today, UTC). */
  end: string;
}

export interface DailyServiceCost {
  date: string;
  /** The amount exactly as Cost Explorer sent it (or the exact sum, when one code merged several names). */
  costText: string;
  cost: number;
  usageQuantity: number | null;
  usageUnit: string | null;
  /** Cost Explorer may still revise this day. */
  estimated: boolean;
}

export interface ServiceCosts {
  code: string;
  displayName: string;
  category: ServiceCategory;
  /** false: the catalog does not know this name (code derived from it). */
  known: boolean;
  /** Exact sum over the period. */
  totalText: string;
  total: number;
  /** Summed usage; null when CE sent none. Units mix across usage types, so the unit is often "N/A". */
  usageQuantity: number | null;
  usageUnit: string | null;
  currency: string;
  days: DailyServiceCost[];
}

export interface CostExplorerResult {
  period: CostPeriod;
  /** Paid requests made (pages, restarts included). */
  requests: number;
  /** Highest total first. */
  services: ServiceCosts[];
  totalText: string;
  total: number;
  /** Days Cost Explorer marked Estimated. */
  estimatedDays: string[];
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The lookback ending today (UTC, exclusive); never earlier than the oldest month Cost Explorer keeps. */
export function costPeriod(now: Date, lookbackDays: number): CostPeriod {
  if (!Number.isInteger(lookbackDays) || lookbackDays < 1 || lookbackDays > MAX_LOOKBACK_DAYS) {
    throw new AppError('validation', `The lookback must be a whole number of days from 1 to ${MAX_LOOKBACK_DAYS}.`, {
      lookbackDays,
    });
  }
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const oldest = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 13, 1);
  const start = Math.max(end - lookbackDays * 86_400_000, oldest);
  return { start: ymd(new Date(start)), end: ymd(new Date(end)) };
}

export function buildCostAndUsageInput(
  period: CostPeriod,
  excludeRecordTypes: readonly string[],
  nextPageToken?: string,
  /** The organization-level request: grouped by LINKED_ACCOUNT then SERVICE (one request for every account). */
  byAccount = false,
): GetCostAndUsageCommandInput {
  return {
    TimePeriod: { Start: period.start, End: period.end },
    Granularity: 'DAILY',
    GroupBy: byAccount
      ? [
          { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ]
      : [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    Metrics: [...CE_METRICS],
    // Cost Explorer rejects an empty expression: no exclusions means no Filter at all.
    ...(excludeRecordTypes.length > 0
      ? { Filter: { Not: { Dimensions: { Key: 'RECORD_TYPE', Values: [...excludeRecordTypes] } } } }
      : {}),
    ...(nextPageToken ? { NextPageToken: nextPageToken } : {}),
  };
}

interface DayAcc {
  costTexts: string[];
  usage: number | null;
  units: Set<string>;
  estimated: boolean;
}

interface ServiceAcc {
  code: string;
  displayName: string;
  category: ServiceCategory;
  known: boolean;
  currency: string | null;
  days: Map<string, DayAcc>;
}

/** Gathers groups across pages: a day's groups may be split over two pages, and several names may share a code. */
class ResultAccumulator {
  private readonly services = new Map<string, ServiceAcc>();
  private readonly estimated = new Set<string>();

  /** `accountId`: only the groups of that linked account (the organization-level request); else every group. */
  add(results: readonly ResultByTime[], accountId?: string): void {
    for (const r of results) {
      const date = r.TimePeriod?.Start;
      if (!date) continue;
      if (r.Estimated) this.estimated.add(date);
      for (const g of r.Groups ?? []) {
        if (accountId !== undefined && g.Keys?.[0] !== accountId) continue;
        const name = accountId === undefined ? g.Keys?.[0] : g.Keys?.[1];
        if (name === undefined) continue;
        const info = lookupService(name);
        let svc = this.services.get(info.code);
        if (!svc) {
          svc = { ...info, currency: null, days: new Map() };
          this.services.set(info.code, svc);
        }
        let day = svc.days.get(date);
        if (!day) {
          day = { costTexts: [], usage: null, units: new Set(), estimated: false };
          svc.days.set(date, day);
        }
        const cost = g.Metrics?.UnblendedCost;
        const amount = cost?.Amount ?? '0';
        if (!isDecimalString(amount)) {
          throw new AppError('aws.service_error', `Cost Explorer sent an amount that is not a number: ${JSON.stringify(amount)}.`);
        }
        day.costTexts.push(amount);
        if (cost?.Unit && svc.currency === null) svc.currency = cost.Unit;
        const usage = g.Metrics?.UsageQuantity;
        if (usage?.Amount !== undefined && Number.isFinite(Number(usage.Amount))) {
          day.usage = (day.usage ?? 0) + Number(usage.Amount);
          if (usage.Unit) day.units.add(usage.Unit);
        }
      }
    }
  }

  finish(period: CostPeriod, requests: number): CostExplorerResult {
    const services: ServiceCosts[] = [];
    for (const s of this.services.values()) {
      const days: DailyServiceCost[] = [...s.days.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([date, d]) => {
          // One amount: keep AWS's string verbatim; several (merged names): their exact sum.
          const costText = d.costTexts.length === 1 ? (d.costTexts[0] as string) : sumDecimalStrings(d.costTexts);
          return {
            date,
            costText,
            cost: Number(costText),
            usageQuantity: d.usage,
            usageUnit: d.units.size === 0 ? null : d.units.size === 1 ? ([...d.units][0] as string) : 'N/A',
            estimated: this.estimated.has(date),
          };
        });
      const totalText = sumDecimalStrings(days.map((d) => d.costText));
      const usageDays = days.filter((d) => d.usageQuantity !== null);
      const units = new Set(usageDays.map((d) => d.usageUnit).filter((u): u is string => u !== null));
      services.push({
        code: s.code,
        displayName: s.displayName,
        category: s.category,
        known: s.known,
        totalText,
        total: Number(totalText),
        usageQuantity: usageDays.length === 0 ? null : usageDays.reduce((a, d) => a + (d.usageQuantity ?? 0), 0),
        usageUnit: units.size === 0 ? null : units.size === 1 ? ([...units][0] as string) : 'N/A',
        currency: s.currency ?? 'USD',
        days,
      });
    }
    services.sort((a, b) => b.total - a.total || a.displayName.localeCompare(b.displayName));
    const totalText = sumDecimalStrings(services.map((s) => s.totalText));
    return {
      period,
      requests,
      services,
      totalText,
      total: Number(totalText),
      estimatedDays: [...this.estimated].sort(),
    };
  }
}

export interface FetchCostsOptions {
  period: CostPeriod;
  excludeRecordTypes: readonly string[];
  signal?: AbortSignal;
  /** Called just before each paid request is sent (for the ce_requests counter). */
  onRequest?: () => void;
}

/**
 * Reads the whole grouped result, page by page. A token Cost Explorer no longer accepts, or data that changed
 * between pages, restarts from the first page once (a mix of two versions would be wrong). Errors are AppErrors.
 */
export async function fetchServiceCosts(client: CostExplorerClient, opts: FetchCostsOptions): Promise<CostExplorerResult> {
  const { pages, requests } = await fetchPages(client, opts, false);
  const acc = new ResultAccumulator();
  for (const p of pages) acc.add(p);
  return acc.finish(opts.period, requests);
}

export interface LinkedAccountCosts {
  period: CostPeriod;
  /** Paid requests made, for every account together. */
  requests: number;
  /** The accounts the request covered: each one's costs, as its own grouped-by-SERVICE request would give them. */
  accounts: string[];
  of(accountId: string): CostExplorerResult;
}

/**
 * The organization-level query (management account, or a payer): one grouped request (per page) for every linked
 * account, split per account afterwards. Its requests are paid once, by the account that made it.
 */
export async function fetchLinkedAccountCosts(client: CostExplorerClient, opts: FetchCostsOptions): Promise<LinkedAccountCosts> {
  const { pages, requests } = await fetchPages(client, opts, true);
  const accounts = new Set<string>();
  for (const p of pages) for (const r of p) for (const g of r.Groups ?? []) if (g.Keys?.[0]) accounts.add(g.Keys[0]);
  return {
    period: opts.period,
    requests,
    accounts: [...accounts].sort(),
    of(accountId) {
      const acc = new ResultAccumulator();
      for (const p of pages) acc.add(p, accountId);
      // The paid requests belong to the organization-level call, not to any one account.
      return acc.finish(opts.period, 0);
    },
  };
}

async function fetchPages(client: CostExplorerClient, opts: FetchCostsOptions, byAccount: boolean): Promise<{ pages: ResultByTime[][]; requests: number }> {
  let requests = 0;
  for (let attempt = 0; ; attempt++) {
    const pagesRead: ResultByTime[][] = [];
    try {
      let token: string | undefined;
      let pages = 0;
      do {
        if (opts.signal?.aborted) throw new AppError('cancelled', 'Discovery was cancelled.');
        if (++pages > MAX_PAGES) {
          throw new AppError('aws.service_error', `Cost Explorer kept paging past ${MAX_PAGES} pages; stopped to limit cost.`);
        }
        requests++;
        opts.onRequest?.();
        const out = await client.send(
          new GetCostAndUsageCommand(buildCostAndUsageInput(opts.period, opts.excludeRecordTypes, token, byAccount)),
          opts.signal ? { abortSignal: opts.signal } : {},
        );
        pagesRead.push(out.ResultsByTime ?? []);
        const next = out.NextPageToken || undefined;
        if (next !== undefined && next === token) {
          throw new AppError('aws.service_error', 'Cost Explorer returned the same page token twice; stopped to limit cost.');
        }
        token = next;
      } while (token !== undefined);
      return { pages: pagesRead, requests };
    } catch (err) {
      const code = awsErrorCode(err);
      if (attempt === 0 && (code === 'InvalidNextTokenException' || code === 'RequestChangedException')) continue;
      throw mapCostExplorerError(err, { requests });
    }
  }
}

const NOT_ENABLED_RE = /not enabled for cost explorer/i;

/** Cost Explorer's errors as AppErrors with messages a user can act on. */
export function mapCostExplorerError(err: unknown, extra: Record<string, unknown> = {}): AppError {
  if (err instanceof AppError) return err;
  const awsCode = awsErrorCode(err);
  const awsMessage = awsErrorMessage(err);
  const details = { ...extra, awsCode, awsMessage };
  if (isAbort(err)) return new AppError('cancelled', 'Discovery was cancelled.', details, { cause: err });
  switch (awsCode) {
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnauthorizedOperation':
    case 'UnauthorizedException':
      if (NOT_ENABLED_RE.test(awsMessage)) {
        return new AppError(
          'ce.not_enabled',
          'Cost Explorer is not enabled for this AWS account. Open the Billing and Cost Management console, choose Cost Explorer and launch it (once, from the management account or a user allowed to); its data appears within 24 hours. Resource scans still run meanwhile.',
          details,
          { cause: err },
        );
      }
      return new AppError(
        'ce.access_denied',
        `Cost Explorer refused access. Allow the action ce:GetCostAndUsage for this profile's user or role (and IAM access to billing data, if the account restricts it). AWS said: ${awsMessage}`,
        details,
        { cause: err },
      );
    case 'DataUnavailableException':
      return new AppError(
        'ce.data_unavailable',
        'Cost Explorer has no data for this account yet. A new account or a newly enabled Cost Explorer needs up to 24 hours; try again later.',
        details,
        { cause: err },
      );
    case 'LimitExceededException':
      return new AppError(
        'ce.limit_exceeded',
        'Cost Explorer request limit reached. Wait a minute before refreshing; the costs already stored are kept.',
        details,
        { cause: err },
      );
    case 'BillExpirationException':
      return new AppError(
        'ce.bill_expired',
        'Part of the requested period is older than the bills Cost Explorer keeps (13 months plus the current month). Choose a shorter lookback.',
        details,
        { cause: err },
      );
    case 'ThrottlingException':
    case 'TooManyRequestsException':
    case 'Throttling':
      return new AppError('aws.throttled', 'Cost Explorer is throttling requests. Try again in a minute.', details, { cause: err });
    case 'ExpiredTokenException':
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
    case 'InvalidSignatureException':
      return new AppError('aws.credentials_invalid', `AWS rejected the credentials: ${awsMessage}`, details, { cause: err });
    case 'InvalidNextTokenException':
    case 'RequestChangedException':
      return new AppError(
        'aws.service_error',
        'Cost Explorer data changed while it was being read, twice in a row. Try again in a few minutes.',
        details,
        { cause: err },
      );
    default:
      if (isNetworkError(err)) {
        return new AppError('aws.network', `Cannot reach Cost Explorer: ${awsMessage}`, details, { cause: err });
      }
      return new AppError('aws.service_error', `Cost Explorer failed: ${awsMessage}`, details, { cause: err });
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError', 'EPIPE']);

function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; name?: unknown };
  return (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) || (typeof e.name === 'string' && NETWORK_CODES.has(e.name));
}
