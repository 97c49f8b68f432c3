/**
 * Cost Explorer over AWS JSON 1.1 (signing name `ce`, target prefix `AWSInsightsIndexService`, API 2017-10-25):
 * GetCostAndUsage and GetDimensionValues over the fixture's daily cost records, continued into the days that passed
 * since it was loaded (costRecords). A fixture with Cost Explorer disabled, or `Faults.costExplorerError`, fails every
 * call before its input is read. LINKED_ACCOUNT: an organization's management account sees its ACTIVE members' own
 * records too when the request groups or filters by it (linkedRecords); a member sees only its own.
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import { removedOnDay } from '../billing';
import { sumDecimals } from '../decimal';
import { jsonService } from '../protocols/json';
import type { SimOptions } from '../protocols/protocol';
import type { SimAccount, SimCostRecord } from '../state';

const DAY_MS = 86_400_000;
const METRICS = ['AmortizedCost', 'BlendedCost', 'NetAmortizedCost', 'NetUnblendedCost', 'NormalizedUsageAmount', 'UnblendedCost', 'UsageQuantity'];
/** Dimensions the simulator can answer (its cost records carry no region, usage type, …). */
const DIMENSIONS = ['SERVICE', 'RECORD_TYPE', 'LINKED_ACCOUNT'] as const;
type Dimension = (typeof DIMENSIONS)[number];

declare module '../protocols/protocol' {
  interface SimOptions {
    /** Cost Explorer groups (or, without GroupBy, periods) per page before a NextPageToken is returned. */
    ceMaxGroupsPerPage: number;
  }
}

export type CeOptions = Pick<SimOptions, 'ceMaxGroupsPerPage'>;

const CE_MESSAGES: Record<string, string> = {
  AccessDeniedException: 'User not enabled for cost explorer access',
  LimitExceededException: 'You have exceeded the rate limit for Cost Explorer requests.',
  DataUnavailableException: 'Data is not available. Please try to adjust the time period.',
  BillExpirationException: 'The requested time period is older than the bill expiration date.',
};

export const costExplorerService = jsonService({
  name: 'Cost Explorer',
  signingName: 'ce',
  version: '2017-10-25',
  jsonVersion: '1.1',
  targetPrefix: 'AWSInsightsIndexService',
  faultErrors: { serverError: new ApiError('InternalServerException', 'An internal error has occurred', 500) },
  guard: ({ account, faults }) => {
    const fault = faults.costExplorerError ?? (account.costExplorerEnabled ? null : 'AccessDeniedException');
    if (fault) throw new ApiError(fault, CE_MESSAGES[fault] ?? fault);
  },
  operations: {
    GetCostAndUsage: (ctx, input) => getCostAndUsage(ctx.account, input, ctx.options),
    GetDimensionValues: (ctx, input) => getDimensionValues(ctx.account, input, ctx.options),
  },
});

type Json = Record<string, unknown>;

const invalid = (message: string): ApiError => new ApiError('ValidationException', message);

function asObject(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${what} must be an object`);
  return v as Json;
}

function parseDay(s: unknown, what: string): number {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) {
    throw invalid(`${what} ${String(s)} is not in the yyyy-MM-dd format`);
  }
  return Date.parse(`${s}T00:00:00Z`);
}

function timePeriod(body: Json): { start: number; end: number } {
  const tp = asObject(body.TimePeriod, 'TimePeriod');
  const start = parseDay(tp.Start, 'Start date');
  const end = parseDay(tp.End, 'End date');
  if (start >= end) throw invalid('Start date (and hour) should be before end date (and hour)');
  return { start, end };
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const utcDayStart = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/**
 * The account's cost records up to yesterday on the simulated clock. The fixture's records end the day before it was
 * loaded; each full day since then repeats, per service and record type, the fixture's amount of the same weekday in
 * its last week (a bill keeps its weekly rhythm), minus what the resources deleted before or during that day cost
 * (billing.ts) — so a cleanup shows in the bill from the next day. A repeated amount that was absent stays absent.
 */
export function costRecords(account: SimAccount): SimCostRecord[] {
  const firstNew = utcDayStart(account.now);
  const today = utcDayStart(account.currentTime());
  if (today <= firstNew) return account.costs;
  const byKey = new Map<string, SimCostRecord>();
  for (const r of account.costs) byKey.set(`${r.service}\u0000${r.recordType}\u0000${r.date}`, r);
  const lines = new Map<string, { service: string; recordType: SimCostRecord['recordType'] }>();
  for (const r of account.costs) lines.set(`${r.service}\u0000${r.recordType}`, { service: r.service, recordType: r.recordType });
  const out = [...account.costs];
  for (let day = firstNew; day < today; day += DAY_MS) {
    const weeksBack = Math.ceil((day - (firstNew - DAY_MS)) / (7 * DAY_MS));
    const sourceDay = dayOf(day - weeksBack * 7 * DAY_MS);
    for (const [key, line] of lines) {
      const src = byKey.get(`${key}\u0000${sourceDay}`);
      if (!src) continue;
      const removed = line.recordType === 'Usage' ? removedOnDay(account, line.service, day) : 0;
      const amount = removed === 0 ? src.amount : Math.max(0, Number(src.amount) - removed).toFixed(10);
      out.push({ ...src, date: dayOf(day), amount });
    }
  }
  return out;
}

/** A cost record with the account it was billed to (LINKED_ACCOUNT). */
type LinkedRecord = SimCostRecord & { linkedAccount: string };

/** Does the request group or filter by LINKED_ACCOUNT? */
function mentionsLinkedAccount(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(mentionsLinkedAccount);
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Json;
  if (o.Key === 'LINKED_ACCOUNT') return true;
  return Object.values(o).some(mentionsLinkedAccount);
}

/**
 * The records a request sees. The management account of an organization sees its members' bills too (each ACTIVE
 * member's own records, LINKED_ACCOUNT = the member) when the request names LINKED_ACCOUNT (GroupBy, Filter, or
 * GetDimensionValues of it); otherwise, and for every other account, its own records only. (On AWS the payer's
 * unfiltered view is consolidated; the simulator keeps the management account's own bill there so single-account
 * numbers stay the sample account's.)
 */
function linkedRecords(account: SimAccount, orgWide: boolean): LinkedRecord[] {
  const own = costRecords(account).map((r) => ({ ...r, linkedAccount: account.accountId }));
  if (!orgWide || !account.isManagementAccount) return own;
  const members = account.organization?.memberAccounts() ?? [];
  return [...own, ...members.flatMap((m) => costRecords(m).map((r) => ({ ...r, linkedAccount: m.accountId })))];
}

function dimensionValue(r: LinkedRecord, d: Dimension): string {
  switch (d) {
    case 'SERVICE':
      return r.service;
    case 'RECORD_TYPE':
      return r.recordType;
    case 'LINKED_ACCOUNT':
      return r.linkedAccount;
    default: {
      const never: never = d;
      return never;
    }
  }
}

function dimensionKey(key: unknown): Dimension {
  if (key === 'CHARGE_TYPE') throw invalid('Dimension CHARGE_TYPE is not allowed in a filter. Use RECORD_TYPE instead.');
  if (typeof key !== 'string' || !(DIMENSIONS as readonly string[]).includes(key)) {
    throw invalid(`Dimension ${String(key)} is not supported by the simulator (supported: ${DIMENSIONS.join(', ')})`);
  }
  return key as Dimension;
}

/** A CE Expression: exactly one of And, Or, Not, Dimensions (Tags/CostCategories cannot match: no tags in cost data). */
function compileFilter(expr: unknown): (r: LinkedRecord) => boolean {
  const e = asObject(expr, 'Filter');
  const keys = Object.keys(e).filter((k) => e[k] !== undefined && e[k] !== null);
  if (keys.length !== 1) throw invalid('Expression must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories');
  const k = keys[0];
  if (k === 'And' || k === 'Or') {
    const list = e[k];
    if (!Array.isArray(list) || list.length < 2) throw invalid(`${k} expression must have at least 2 operands`);
    const parts = list.map((x) => compileFilter(x));
    return k === 'And' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  if (k === 'Not') {
    const inner = compileFilter(e.Not);
    return (r) => !inner(r);
  }
  if (k === 'Dimensions') {
    const d = asObject(e.Dimensions, 'Dimensions');
    const key = dimensionKey(d.Key);
    const values = Array.isArray(d.Values) ? d.Values.map(String) : [];
    if (values.length === 0) throw invalid('Dimensions must have at least one value');
    const opts = Array.isArray(d.MatchOptions) ? d.MatchOptions.map(String) : ['EQUALS'];
    const ci = opts.includes('CASE_INSENSITIVE');
    const norm = (s: string): string => (ci ? s.toLowerCase() : s);
    const set = new Set(values.map(norm));
    // A misspelled value simply matches nothing, as CE does.
    return (r) => set.has(norm(dimensionValue(r, key)));
  }
  if (k === 'Tags' || k === 'CostCategories') return () => false;
  throw invalid(`Unknown expression operator ${k}`);
}

function periods(start: number, end: number, granularity: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  if (granularity === 'DAILY') {
    for (let t = start; t < end; t += DAY_MS) out.push({ start: t, end: t + DAY_MS });
    return out;
  }
  for (let t = start; t < end; ) {
    const d = new Date(t);
    const next = Math.min(end, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    out.push({ start: t, end: next });
    t = next;
  }
  return out;
}

function pageToken(body: Json, offset: number): string {
  return Buffer.from(JSON.stringify({ f: fingerprint(body), o: offset })).toString('base64url');
}

function fingerprint(body: Json): string {
  const { NextPageToken: _ignored, ...rest } = body;
  return createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 16);
}

function pageOffset(body: Json): number {
  const raw = body.NextPageToken;
  if (raw === undefined || raw === null) return 0;
  try {
    const t = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as { f?: string; o?: number };
    if (t.f === fingerprint(body) && Number.isInteger(t.o) && (t.o ?? -1) >= 0) return t.o ?? 0;
  } catch {
    // fall through
  }
  throw new ApiError('InvalidNextTokenException', 'Invalid NextPageToken');
}

export function getCostAndUsage(account: SimAccount, body: Json, opts: CeOptions): Json {
  const { start, end } = timePeriod(body);
  const granularity = body.Granularity;
  if (granularity === 'HOURLY') throw invalid('Hourly granularity is not enabled for this account');
  if (granularity !== 'DAILY' && granularity !== 'MONTHLY') throw invalid(`Granularity ${String(granularity)} is not valid; use DAILY, MONTHLY or HOURLY`);
  const metrics = Array.isArray(body.Metrics) ? body.Metrics.map(String) : [];
  if (metrics.length === 0) throw invalid('Metrics must not be empty');
  for (const m of metrics) if (!METRICS.includes(m)) throw invalid(`Metric ${m} is not valid. Valid values: ${METRICS.join(', ')}`);
  const groupBy = Array.isArray(body.GroupBy) ? body.GroupBy.map((g) => asObject(g, 'GroupBy')) : [];
  if (groupBy.length > 2) throw invalid('GroupBy can have at most 2 entries');
  const groupDims = groupBy.map((g) => {
    if (g.Type !== 'DIMENSION') throw invalid(`GroupBy type ${String(g.Type)} is not supported by the simulator`);
    if (g.Key === 'CHARGE_TYPE') throw invalid('Group by CHARGE_TYPE is not supported. Use RECORD_TYPE instead.');
    return dimensionKey(g.Key);
  });
  const filter = body.Filter === undefined ? () => true : compileFilter(body.Filter);

  const today = utcDayStart(account.currentTime());
  const estimatedFrom = today - 2 * DAY_MS; // the last 2 days before "today" (and later) are still estimates
  const records = linkedRecords(account, mentionsLinkedAccount(body.GroupBy) || mentionsLinkedAccount(body.Filter)).filter(filter);

  const metricValue = (rs: LinkedRecord[], m: string): { Amount: string; Unit: string } => {
    const usage = m === 'UsageQuantity' || m === 'NormalizedUsageAmount';
    return { Amount: sumDecimals(rs.map((r) => (usage ? r.usageQuantity : r.amount))), Unit: usage ? 'N/A' : 'USD' };
  };
  const metricsOf = (rs: LinkedRecord[]): Json => Object.fromEntries(metrics.map((m) => [m, metricValue(rs, m)]));

  // Flatten into page units: one per group (or per period without GroupBy); an empty period still takes one.
  type Unit = { period: number; group?: Json };
  const results: Json[] = [];
  const units: Unit[] = [];
  for (const p of periods(start, end, granularity)) {
    const inPeriod = records.filter((r) => {
      const t = Date.parse(`${r.date}T00:00:00Z`);
      return t >= p.start && t < p.end;
    });
    const idx = results.length;
    results.push({ TimePeriod: { Start: dayOf(p.start), End: dayOf(p.end) }, Estimated: p.end - DAY_MS >= estimatedFrom });
    if (groupDims.length === 0) {
      units.push({ period: idx });
      results[idx] = { ...results[idx], Total: metricsOf(inPeriod) };
      continue;
    }
    const groups = new Map<string, LinkedRecord[]>();
    for (const r of inPeriod) {
      const key = JSON.stringify(groupDims.map((d) => dimensionValue(r, d)));
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    const keys = [...groups.keys()].sort();
    if (keys.length === 0) units.push({ period: idx });
    for (const k of keys) units.push({ period: idx, group: { Keys: JSON.parse(k) as string[], Metrics: metricsOf(groups.get(k) ?? []) } });
  }

  const offset = pageOffset(body);
  const pageUnits = units.slice(offset, offset + opts.ceMaxGroupsPerPage);
  const byTime: Json[] = [];
  let current: { idx: number; out: Json } | undefined;
  for (const u of pageUnits) {
    if (!current || current.idx !== u.period) {
      const base = results[u.period] ?? {};
      current = { idx: u.period, out: groupDims.length > 0 ? { TimePeriod: base.TimePeriod, Total: {}, Groups: [], Estimated: base.Estimated } : { ...base, Groups: [] } };
      byTime.push(current.out);
    }
    if (u.group) (current.out.Groups as Json[]).push(u.group);
  }
  const next = offset + opts.ceMaxGroupsPerPage < units.length ? pageToken(body, offset + opts.ceMaxGroupsPerPage) : undefined;
  return {
    ...(groupDims.length > 0 ? { GroupDefinitions: groupDims.map((d) => ({ Type: 'DIMENSION', Key: d })) } : {}),
    ResultsByTime: byTime,
    DimensionValueAttributes: [],
    ...(next ? { NextPageToken: next } : {}),
  };
}

/** LINKED_ACCOUNT's description: the account's own alias, a member's name in the organization. */
function linkedAccountAttributes(account: SimAccount, id: string): Record<string, string> {
  if (id === account.accountId) return account.alias ? { description: account.alias } : {};
  const name = account.organization?.get(id)?.name;
  return name ? { description: name } : {};
}

export function getDimensionValues(account: SimAccount, body: Json, opts: CeOptions): Json {
  const { start, end } = timePeriod(body);
  const dim = dimensionKey(body.Dimension);
  const filter = body.Filter === undefined ? () => true : compileFilter(body.Filter);
  const search = typeof body.SearchString === 'string' ? body.SearchString.toLowerCase() : '';
  const values = new Set<string>();
  for (const r of linkedRecords(account, dim === 'LINKED_ACCOUNT' || mentionsLinkedAccount(body.Filter))) {
    const t = Date.parse(`${r.date}T00:00:00Z`);
    if (t < start || t >= end || !filter(r)) continue;
    const v = dimensionValue(r, dim);
    if (v.toLowerCase().includes(search)) values.add(v);
  }
  const all = [...values].sort();
  const max = typeof body.MaxResults === 'number' ? Math.max(1, body.MaxResults) : opts.ceMaxGroupsPerPage;
  const offset = pageOffset(body);
  const page = all.slice(offset, offset + max);
  const next = offset + max < all.length ? pageToken(body, offset + max) : undefined;
  return {
    DimensionValues: page.map((v) => ({ Value: v, Attributes: dim === 'LINKED_ACCOUNT' ? linkedAccountAttributes(account, v) : {} })),
    ReturnSize: page.length,
    TotalSize: all.length,
    ...(next ? { NextPageToken: next } : {}),
  };
}
