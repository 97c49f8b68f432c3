import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { FindingsPage, ResourceDto, ResourceStatus, SavingsTotalsDto } from '../../../shared/dto/findings';
import type { IgnoredMode, IgnoredTotalsDto } from '../../../shared/dto/snooze';
import type { Database, ResourceRow } from '../schema';
import { dialectOf } from '../../../../migrations/dialect';
import type { Dialect } from '../store';
import { currentSnoozes, ignoredCondition, storeVersion, withSnoozes, type CurrentSnoozes } from './snoozes';

export type { FindingsPage, ResourceDto };

export function toResourceDto(r: ResourceRow): ResourceDto {
  return {
    id: r.id,
    accountId: r.account_id,
    resourceType: r.resource_type,
    region: r.region,
    resourceId: r.resource_id,
    serviceCode: r.service_code,
    name: r.name,
    state: r.state,
    unused: r.unused === 1,
    unusedReason: r.unused_reason,
    unusedSince: r.unused_since,
    monthlyCost: r.monthly_cost,
    costBasis: r.cost_basis,
    monthlySavings: r.monthly_savings,
    protected: r.protected === 1,
    protectedReason: r.protected_reason,
    tags: JSON.parse(r.tags) as Record<string, string>,
    details: JSON.parse(r.details) as Record<string, unknown>,
    createdAt: r.created_at,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    lastScanId: r.last_scan_id,
    status: r.status,
    statusChangedAt: r.status_changed_at,
    snooze: null,
  };
}


// The scan's writer lives in resource-writer.ts; re-exported here, where its callers have always found it.
export { ResourceWriter, markDeleted, markGone } from './resource-writer';
import { EFFECTIVE_LAST_SCAN_SQL, EFFECTIVE_LAST_SEEN_SQL } from './resource-writer';

// Last seen and last scan as a reader sees them (defined once, in resource-writer.ts).
const EFFECTIVE_LAST_SCAN = sql.raw(EFFECTIVE_LAST_SCAN_SQL);
const EFFECTIVE_LAST_SEEN = sql.raw(EFFECTIVE_LAST_SEEN_SQL);

export async function withTaskSeen<R extends Pick<ResourceRow, 'account_id' | 'resource_type' | 'region' | 'status' | 'last_seen' | 'last_scan_id'>>(
  db: Kysely<Database>,
  rows: R[],
): Promise<R[]> {
  const accounts = [...new Set(rows.filter((r) => r.status === 'active').map((r) => r.account_id))];
  if (accounts.length === 0) return rows;
  const tasks = await db.selectFrom('resource_tasks').selectAll().where('account_id', 'in', accounts).execute();
  if (tasks.length === 0) return rows;
  const byTask = new Map(tasks.map((t) => [`${t.account_id}\u0000${t.resource_type}\u0000${t.region}`, t]));
  return rows.map((r) => {
    if (r.status !== 'active') return r;
    const t = byTask.get(`${r.account_id}\u0000${r.resource_type}\u0000${r.region}`);
    return t !== undefined && t.last_seen > r.last_seen ? { ...r, last_seen: t.last_seen, last_scan_id: t.last_scan_id } : r;
  });
}

export const FINDING_SORT_COLUMNS = {
  monthlyCost: 'monthly_cost',
  unusedSince: 'unused_since',
  region: 'region',
  resourceType: 'resource_type',
  resourceId: 'resource_id',
  name: 'name',
  createdAt: 'created_at',
  lastSeen: 'last_seen', // sorted by its effective value (EFFECTIVE_LAST_SEEN)
  serviceCode: 'service_code',
  state: 'state',
} as const;
export type FindingSortColumn = keyof typeof FINDING_SORT_COLUMNS;

export interface FindingsQuery {
  accountId: string;
  /** Default: only unused resources. */
  unusedOnly?: boolean;
  /** Default: ['active']. */
  statuses?: ResourceStatus[];
  resourceTypes?: string[];
  regions?: string[];
  serviceCodes?: string[];
  /** Reason categories (reason_category: the reason without its numbers, dates and ids). */
  reasons?: string[];
  protected?: boolean;
  minMonthlyCost?: number;
  /** Unused for at least this many days (unknown "since" never matches). */
  minAgeDays?: number;
  /** Case-insensitive substring of id, name, reason or a tag value. */
  search?: string;
  /** Resources last seen by this scan. */
  scanId?: number;
  /** Findings under a current snooze: left out (default), included, or the only ones. */
  ignored?: IgnoredMode;
  sort?: { column: FindingSortColumn; direction: 'asc' | 'desc' };
  limit?: number;
  offset?: number;
  now?: Date;
}

/** "Unused for at least N days" as a cutoff time, to the minute (so repeated queries share cached totals). */
function ageCutoffMinute(q: FindingsQuery): number {
  const t = (q.now ?? new Date()).getTime() - (q.minAgeDays ?? 0) * 86_400_000;
  return Math.floor(t / 60_000) * 60_000;
}

/**
 * Text compared as SQLite compares it (BINARY: byte by byte) on both stores: a PostgreSQL database's own collation
 * (en_US.UTF-8 and the like) orders by language rules, and pages must not depend on the store.
 */
function binaryText(dialect: Dialect, e: RawBuilder<unknown>): RawBuilder<unknown> {
  return dialect === 'sqlite' ? e : sql`${e} COLLATE "C"`;
}

/**
 * "Contains `like`, ASCII letters in any case" as SQLite's LIKE means it. PostgreSQL's LIKE is case-sensitive: ILIKE,
 * under the "C" collation, which folds ASCII letters only (as SQLite does), whatever the database's locale.
 */
function containsText(dialect: Dialect, column: string, like: string): RawBuilder<boolean> {
  return dialect === 'sqlite'
    ? sql<boolean>`${sql.raw(column)} LIKE ${like} ESCAPE '\\'`
    : sql<boolean>`${sql.raw(column)} COLLATE "C" ILIKE ${like} ESCAPE '\\'`;
}

/** ASCII letters lowered, nothing else: what lower() does under the "C" collation (and SQLite's LIKE ignores). */
function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** The default filter: active unused findings only. */
function activeUnusedOnly(q: FindingsQuery): boolean {
  const statuses: ResourceStatus[] = q.statuses && q.statuses.length > 0 ? q.statuses : ['active'];
  return statuses.length === 1 && statuses[0] === 'active' && (q.unusedOnly ?? true);
}

function applyFilters(db: Kysely<Database>, q: FindingsQuery, snoozes: CurrentSnoozes) {
  const dialect = snoozes.dialect;
  let query = db.selectFrom('resources').where('account_id', '=', q.accountId);
  const statuses: ResourceStatus[] = q.statuses && q.statuses.length > 0 ? q.statuses : ['active'];
  const unusedOnly = q.unusedOnly ?? true;
  if (activeUnusedOnly(q)) {
    query = query.where(ACTIVE_UNUSED);
  } else {
    query = query.where('status', 'in', statuses);
    if (unusedOnly) query = query.where('unused', '=', 1);
  }
  if (q.resourceTypes?.length) query = query.where('resource_type', 'in', q.resourceTypes);
  if (q.regions?.length) query = query.where('region', 'in', q.regions);
  if (q.serviceCodes?.length) query = query.where('service_code', 'in', q.serviceCodes);
  if (q.reasons?.length) query = query.where('reason_category', 'in', q.reasons);
  if (q.protected !== undefined) query = query.where('protected', '=', q.protected ? 1 : 0);
  if (q.minMonthlyCost !== undefined) query = query.where('monthly_cost', '>=', q.minMonthlyCost);
  if (q.scanId !== undefined) query = query.where(sql<boolean>`${EFFECTIVE_LAST_SCAN} = ${q.scanId}`);
  if (q.minAgeDays !== undefined) {
    const cutoff = new Date(ageCutoffMinute(q)).toISOString();
    query = query.where('unused_since', 'is not', null).where('unused_since', '<=', cutoff);
  }
  if (q.search && q.search.trim() !== '') {
    const like = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        containsText(dialect, 'resource_id', like),
        containsText(dialect, 'name', like),
        // Reason and tags from their narrow table (migration 0010), not from the wide rows. Where that table's text is
        // kept lowered (PostgreSQL, migration 0014): LIKE on the lowered pattern, not ILIKE.
        sql<boolean>`id IN (SELECT id FROM resource_search WHERE ${
          dialectOf(db as Kysely<unknown>).lowersSearchText
            ? sql<boolean>`text COLLATE "C" LIKE ${lowerAscii(like)} ESCAPE '\\'`
            : containsText(dialect, 'text', like)
        })`,
      ]),
    );
  }
  // Last: SQLite tests the terms in the order written, and the other filters are cheaper than the snoozed-id lookup.
  const ignored = ignoredCondition(snoozes, q.ignored ?? 'exclude');
  if (ignored !== null) query = query.where(ignored);
  return query;
}

interface FindingTotals {
  total: number;
  totalMonthlyCost: number;
  unknownCostCount: number;
  savings: SavingsTotalsDto;
  ignored: IgnoredTotalsDto;
}

/**
 * "Potential savings" in SQL, the one definition (SavingsTotalsDto): over the matching rows, the active unused
 * unprotected findings' known savings; protected findings as their own figure. Shared by the findings list, the
 * dashboard, exports and the CLI.
 */
const CANDIDATE = sql`status = 'active' AND unused = 1 AND protected = 0`;
const PROTECTED_FINDING = sql`status = 'active' AND unused = 1 AND protected = 1`;
export const SAVINGS_SELECT = [
  sql<number | null>`SUM(CASE WHEN ${CANDIDATE} THEN monthly_savings END)`.as('savings'),
  sql<number | null>`SUM(CASE WHEN ${CANDIDATE} THEN 1 ELSE 0 END)`.as('candidates'),
  sql<number | null>`SUM(CASE WHEN ${CANDIDATE} AND monthly_savings IS NULL THEN 1 ELSE 0 END)`.as('unknown_savings'),
  sql<number | null>`SUM(CASE WHEN ${PROTECTED_FINDING} THEN monthly_cost END)`.as('protected_cost'),
  sql<number | null>`SUM(CASE WHEN ${PROTECTED_FINDING} THEN 1 ELSE 0 END)`.as('protected_count'),
] as const;
/**
 * "Active unused finding", written as literals, not parameters: only then can SQLite prove the partial index
 * resources_findings_browse (WHERE status = 'active' AND unused = 1) applies. With `monthly_savings` in that index
 * (migration 0010), the totals above over these rows read the index alone.
 */
export const ACTIVE_UNUSED = sql<boolean>`status = 'active' AND unused = 1`;

export function toSavingsTotals(t: {
  savings: number | null;
  candidates: number | null;
  unknown_savings: number | null;
  protected_cost: number | null;
  protected_count: number | null;
}): SavingsTotalsDto {
  const money = (n: number | null): number => Math.round((n ?? 0) * 1e6) / 1e6;
  return {
    monthlySavings: money(t.savings),
    findings: Number(t.candidates ?? 0),
    unknownCount: Number(t.unknown_savings ?? 0),
    protectedMonthlyCost: money(t.protected_cost),
    protectedFindings: Number(t.protected_count ?? 0),
  };
}

/**
 * Totals per filter, reused while the data has not changed: scrolling and re-sorting ask the same filter again and
 * again, and counting 100k rows is most of a page's cost. The version is storeVersion (snoozes.ts): on SQLite
 * `total_changes()` with `data_version`, on PostgreSQL the server's snapshot; never cached inside a PostgreSQL
 * transaction.
 */
const totalsCache = new WeakMap<Kysely<Database>, Map<string, { version: string; totals: FindingTotals }>>();
const TOTALS_CACHE_SIZE = 64;

function filterKey(q: FindingsQuery, cutoffMinute: number | null): string {
  const { sort: _sort, limit: _limit, offset: _offset, now: _now, ...filter } = q;
  return JSON.stringify([filter, cutoffMinute]);
}

/** The totals of a filter (exported for the query-plan test: the default filter's totals read the browse index only). */
export function totalsQuery(db: Kysely<Database>, q: FindingsQuery, snoozes: CurrentSnoozes) {
  return applyFilters(db, q, snoozes).select([
    sql<number>`COUNT(*)`.as('total'),
    sql<number | null>`SUM(monthly_cost)`.as('cost'),
    sql<number>`SUM(CASE WHEN monthly_cost IS NULL THEN 1 ELSE 0 END)`.as('unknown'),
    ...SAVINGS_SELECT,
  ]);
}

async function findingTotals(db: Kysely<Database>, q: FindingsQuery, snoozes: CurrentSnoozes): Promise<FindingTotals> {
  const data = await storeVersion(db);
  // A snooze ends by the clock, without a write: the totals hold until the next end as well.
  const version = data === null ? null : `${data}|${snoozes.nextEnd ?? ''}`;
  const key = filterKey(q, q.minAgeDays === undefined ? null : ageCutoffMinute(q));
  let cache = totalsCache.get(db);
  if (!cache) totalsCache.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (version !== null && hit && hit.version === version) return hit.totals;
  const t = await totalsQuery(db, q, snoozes).executeTakeFirstOrThrow();
  const savings = toSavingsTotals(t);
  const mode = q.ignored ?? 'exclude';
  let ignored: IgnoredTotalsDto = { findings: 0, monthlySavings: 0 };
  if (mode === 'only') ignored = { findings: Number(t.total), monthlySavings: savings.monthlySavings };
  else if (snoozes.count > 0) {
    // What the snoozes take out of this filter (shown beside the totals: "3 ignored, $12/month not counted").
    const i = await applyFilters(db, { ...q, ignored: 'only' }, snoozes).select([sql<number>`COUNT(*)`.as('n'), ...SAVINGS_SELECT]).executeTakeFirstOrThrow();
    ignored = { findings: Number(i.n), monthlySavings: toSavingsTotals(i).monthlySavings };
  }
  const totals = {
    total: Number(t.total),
    totalMonthlyCost: t.cost ?? 0,
    unknownCostCount: Number(t.unknown ?? 0),
    savings,
    ignored,
  };
  if (version === null) return totals;
  if (cache.size >= TOTALS_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, { version, totals });
  return totals;
}

/** One page of findings, filtered and sorted in SQL, with totals for the whole filter. */
export async function listFindings(db: Kysely<Database>, q: FindingsQuery): Promise<FindingsPage> {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  const offset = Math.max(q.offset ?? 0, 0);
  const column = FINDING_SORT_COLUMNS[q.sort?.column ?? 'monthlyCost'];
  const dir = q.sort?.direction ?? 'desc';
  // Two steps: the page's ids first, so that a sort without an index (any column but cost and age) carries only
  // (key, id) pairs through SQLite's sorter instead of whole rows with their JSON; then those rows by id.
  // NULLs (unknown cost / since) always last, whatever the direction: unknown is not "cheapest". SQLite sorts
  // NULLs first ascending and last descending, so only ascending needs NULLS LAST — and descending (the default
  // cost sort) stays a plain walk of the (account, status, unused, monthly_cost DESC) index.
  // PostgreSQL sorts NULLs the other way (last ascending, first descending): it says NULLS LAST both ways, and compares
  // text byte by byte as SQLite does (binaryText), so that a page is the same on both stores.
  const snoozes = await currentSnoozes(db, q.accountId, q.now);
  const pg = snoozes.dialect === 'postgres';
  const key = column === 'last_seen' ? EFFECTIVE_LAST_SEEN : sql.ref(column);
  const nulls = dir === 'asc' ? 'ASC NULLS LAST' : pg ? 'DESC NULLS LAST' : 'DESC';
  // The page and the filter's totals at once: on PostgreSQL two connections, so a page waits for the slower of the two,
  // not their sum (SQLite runs them one after the other either way).
  const totalsPending = findingTotals(db, q, snoozes);
  totalsPending.catch(() => {}); // awaited below; a rejection before then is not unhandled
  const idRows = await applyFilters(db, q, snoozes)
    .select('id')
    .orderBy(sql`${column === 'monthly_cost' ? key : binaryText(snoozes.dialect, key)} ${sql.raw(nulls)}`)
    .orderBy('id', 'asc')
    .limit(limit)
    .offset(offset)
    .execute();
  const ids = idRows.map((r) => r.id);
  const full = ids.length === 0 ? [] : await withTaskSeen(db, await db.selectFrom('resources').selectAll().where('id', 'in', ids).execute());
  const totals = await totalsPending;
  const byId = new Map(full.map((r) => [r.id, r]));
  return {
    rows: await withSnoozes(db, q.accountId, ids.map((id) => toResourceDto(byId.get(id)!)), snoozes),
    ...totals,
    limit,
    offset,
  };
}

export async function getResource(db: Kysely<Database>, accountId: string, id: number, now: Date = new Date()): Promise<ResourceDto | null> {
  const row = await db
    .selectFrom('resources')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return null;
  const [seen] = await withTaskSeen(db, [row]);
  return (await withSnoozes(db, accountId, [toResourceDto(seen!)], await currentSnoozes(db, accountId, now)))[0] ?? null;
}

export async function getResourcesByIds(db: Kysely<Database>, accountId: string, ids: number[]): Promise<ResourceDto[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('resources')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return (await withTaskSeen(db, rows)).map(toResourceDto);
}

/** Distinct values present in the account's active findings (ignored ones left out), for the filter menus. */
export async function findingFacets(
  db: Kysely<Database>,
  accountId: string,
  now: Date = new Date(),
): Promise<{ resourceTypes: string[]; regions: string[]; serviceCodes: string[]; reasons: string[] }> {
  const snoozes = await currentSnoozes(db, accountId, now);
  const notIgnored = ignoredCondition(snoozes, 'exclude');
  // Sorted byte by byte on both stores (binaryText); the column is selected that way, as DISTINCT needs.
  const value = <T extends string | null = string>(column: 'resource_type' | 'region' | 'service_code' | 'reason_category') =>
    snoozes.dialect === 'sqlite' ? sql.ref<T>(column).as('v') : sql<T>`${sql.ref(column)} COLLATE "C"`.as('v');
  let base = db
    .selectFrom('resources')
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .where('unused', '=', 1);
  if (notIgnored !== null) base = base.where(notIgnored);
  const [types, regions, services, reasons] = await Promise.all([
    base.select(value('resource_type')).distinct().orderBy('v').execute(),
    base.select(value('region')).distinct().orderBy('v').execute(),
    base.select(value('service_code')).distinct().orderBy('v').execute(),
    base.select(value<string | null>('reason_category')).distinct().orderBy('v').execute(),
  ]);
  return {
    resourceTypes: types.map((r) => r.v),
    regions: regions.map((r) => r.v),
    serviceCodes: services.map((r) => r.v),
    reasons: reasons.map((r) => r.v).filter((v): v is string => v !== null),
  };
}
