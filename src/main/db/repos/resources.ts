import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Finding } from '../../handlers/handler';
import { reasonCategory } from '../../findings/reason-category';
import type { FindingsPage, ResourceDto, ResourceStatus, SavingsTotalsDto } from '../../../shared/dto/findings';
import type { IgnoredMode, IgnoredTotalsDto } from '../../../shared/dto/snooze';
import type { Database, ResourceRow } from '../schema';
import { currentSnoozes, ignoredCondition, withSnoozes, type CurrentSnoozes } from './snoozes';

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


const UPSERT_COLUMNS = [
  'account_id', 'resource_type', 'region', 'resource_id', 'service_code', 'name', 'state', 'unused', 'unused_reason',
  'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected', 'protected_reason', 'tags', 'details', 'created_at',
  'monthly_savings', 'first_seen', 'last_seen', 'last_scan_id',
] as const;
const UPDATED_ON_CONFLICT = UPSERT_COLUMNS.filter((c) => !['account_id', 'resource_type', 'region', 'resource_id', 'first_seen'].includes(c));

// The columns a scan reports. On a re-scan most resources come back unchanged: for those only last_seen and
// last_scan_id move, and TOUCH_SQL writes just that (no indexed column is assigned, so no index entry is rewritten).
const CONTENT_COLUMNS = [
  'service_code', 'name', 'state', 'unused', 'unused_reason', 'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected',
  'protected_reason', 'tags', 'details', 'created_at', 'monthly_savings',
] as const;

// Positional parameters: binding by name costs a property lookup per column per row on the hot path.
// The update branch runs only when something changed (or the resource comes back from gone/deleted): an UPDATE that
// assigns an indexed column rewrites its index entries even when the value is the same.
const UPSERT_SQL = `
INSERT INTO resources (${UPSERT_COLUMNS.join(', ')}, status)
VALUES (${UPSERT_COLUMNS.map(() => '?').join(', ')}, 'active')
ON CONFLICT (account_id, resource_type, region, resource_id) DO UPDATE SET
  ${UPDATED_ON_CONFLICT.map((c) => `${c} = excluded.${c}`).join(',\n  ')},
  status_changed_at = CASE WHEN resources.status <> 'active' THEN excluded.last_seen ELSE resources.status_changed_at END,
  status = 'active'
WHERE resources.status <> 'active' OR ${CONTENT_COLUMNS.map((c) => `resources.${c} IS NOT excluded.${c}`).join(' OR ')}`;

const TOUCH_SQL = `
UPDATE resources SET last_seen = ?, last_scan_id = ?
WHERE account_id = ? AND resource_type = ? AND region = ? AND resource_id = ?`;

/**
 * Upserts scan findings in batches on the raw connection: prepared statements, one transaction per batch.
 * (kysely builds SQL per call; at 100k rows a scan would spend more time compiling SQL than writing it.)
 *
 * Per finding: the upsert inserts a new resource, or updates one that changed or comes back from gone/deleted; when it
 * wrote nothing (the resource is unchanged), the touch moves its last seen and last scan.
 *
 * Foreign keys: the batch checks its two parents (the account, the scan) once, inside its transaction, then writes
 * with per-row foreign-key checks off — those checks would look up the same two rows 100,000 times. The connection's
 * setting is restored before write() returns, also when the batch throws.
 */
export class ResourceWriter {
  private readonly upsertStmt: BetterSqlite3.Statement;
  private readonly touchStmt: BetterSqlite3.Statement;
  private readonly accountExists: BetterSqlite3.Statement;
  private readonly scanExists: BetterSqlite3.Statement;
  private readonly writeBatch: (rows: readonly Finding[], scanId: number | null, now: string) => void;
  /** Reason → category: most reasons repeat across a scan's rows, the regexes run once per distinct reason. */
  private readonly categories = new Map<string, string | null>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly accountId: string,
    private readonly serviceCodeFor: (f: Finding) => string,
  ) {
    this.upsertStmt = sqlite.prepare(UPSERT_SQL);
    this.touchStmt = sqlite.prepare(TOUCH_SQL);
    this.accountExists = sqlite.prepare('SELECT 1 FROM accounts WHERE id = ?').pluck();
    this.scanExists = sqlite.prepare('SELECT 1 FROM scans WHERE id = ?').pluck();
    this.writeBatch = sqlite.transaction((rows: readonly Finding[], scanId: number | null, now: string) => {
      if (this.accountExists.get(this.accountId) === undefined) {
        throw new Error(`FOREIGN KEY constraint failed: no account ${this.accountId}`);
      }
      if (scanId !== null && this.scanExists.get(scanId) === undefined) {
        throw new Error(`FOREIGN KEY constraint failed: no scan ${scanId}`);
      }
      const account = this.accountId;
      for (const f of rows) {
        const serviceCode = this.serviceCodeFor(f);
        const unused = f.unused ? 1 : 0;
        const prot = f.protected ? 1 : 0;
        const tags = JSON.stringify(f.tags);
        const details = JSON.stringify(f.details);
        const written = this.upsertStmt.run(
          account, f.resourceType, f.region, f.resourceId,
          serviceCode, f.name, f.state, unused, f.unusedReason, this.categoryOf(f), f.unusedSince, f.monthlyCost, f.costBasis, prot,
          f.protectedReason, tags, details, f.createdAt, f.monthlySavings ?? null,
          now, now, scanId,
        ).changes;
        if (written === 0) this.touchStmt.run(now, scanId, account, f.resourceType, f.region, f.resourceId);
      }
    });
  }

  private categoryOf(f: Finding): string | null {
    if (f.reasonCategory !== undefined) return f.reasonCategory;
    if (f.unusedReason === null) return null;
    let c = this.categories.get(f.unusedReason);
    if (c === undefined) {
      if (this.categories.size >= 10_000) this.categories.clear();
      c = reasonCategory(f.unusedReason);
      this.categories.set(f.unusedReason, c);
    }
    return c;
  }

  /** Writes one batch atomically. */
  write(rows: readonly Finding[], scanId: number | null, now = new Date().toISOString()): void {
    if (rows.length === 0) return;
    const fkOn = this.sqlite.pragma('foreign_keys', { simple: true }) === 1;
    if (fkOn && !this.sqlite.inTransaction) this.sqlite.pragma('foreign_keys = OFF');
    try {
      this.writeBatch(rows, scanId, now);
    } finally {
      if (fkOn) this.sqlite.pragma('foreign_keys = ON');
    }
  }
}

/**
 * After a task (region × type) succeeded: what it did not see in this scan is `gone` (kept, never deleted).
 * Resources the app deleted stay `deleted`.
 */
export function markGone(
  sqlite: BetterSqlite3.Database,
  q: { accountId: string; resourceType: string; region: string; scanId: number },
  now = new Date().toISOString(),
): number {
  const res = sqlite
    .prepare(
      `UPDATE resources SET status = 'gone', status_changed_at = ?
       WHERE account_id = ? AND resource_type = ? AND region = ? AND status = 'active'
         AND (last_scan_id IS NULL OR last_scan_id <> ?)`,
    )
    .run(now, q.accountId, q.resourceType, q.region, q.scanId);
  return res.changes;
}

export function markDeleted(sqlite: BetterSqlite3.Database, id: number, now = new Date().toISOString()): void {
  sqlite.prepare(`UPDATE resources SET status = 'deleted', status_changed_at = ? WHERE id = ?`).run(now, id);
}

export const FINDING_SORT_COLUMNS = {
  monthlyCost: 'monthly_cost',
  unusedSince: 'unused_since',
  region: 'region',
  resourceType: 'resource_type',
  resourceId: 'resource_id',
  name: 'name',
  createdAt: 'created_at',
  lastSeen: 'last_seen',
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

function applyFilters(db: Kysely<Database>, q: FindingsQuery, snoozes: CurrentSnoozes) {
  let query = db.selectFrom('resources').where('account_id', '=', q.accountId);
  const statuses: ResourceStatus[] = q.statuses && q.statuses.length > 0 ? q.statuses : ['active'];
  const unusedOnly = q.unusedOnly ?? true;
  if (statuses.length === 1 && statuses[0] === 'active' && unusedOnly) {
    // Written as literals, not parameters: only then can SQLite prove the partial index
    // resources_findings_browse (WHERE status = 'active' AND unused = 1) applies.
    query = query.where(sql<boolean>`status = 'active' AND unused = 1`);
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
  if (q.scanId !== undefined) query = query.where('last_scan_id', '=', q.scanId);
  if (q.minAgeDays !== undefined) {
    const cutoff = new Date(ageCutoffMinute(q)).toISOString();
    query = query.where('unused_since', 'is not', null).where('unused_since', '<=', cutoff);
  }
  if (q.search && q.search.trim() !== '') {
    const like = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`resource_id LIKE ${like} ESCAPE '\\'`,
        sql<boolean>`name LIKE ${like} ESCAPE '\\'`,
        sql<boolean>`unused_reason LIKE ${like} ESCAPE '\\'`,
        sql<boolean>`tags LIKE ${like} ESCAPE '\\'`,
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
 * again, and counting 100k rows is most of a page's cost. The version is `total_changes()` (this connection's
 * writes) with `data_version` (other connections' commits, e.g. the CLI), both free to read.
 */
const totalsCache = new WeakMap<Kysely<Database>, Map<string, { version: string; totals: FindingTotals }>>();
const TOTALS_CACHE_SIZE = 64;

function filterKey(q: FindingsQuery, cutoffMinute: number | null): string {
  const { sort: _sort, limit: _limit, offset: _offset, now: _now, ...filter } = q;
  return JSON.stringify([filter, cutoffMinute]);
}

async function findingTotals(db: Kysely<Database>, q: FindingsQuery, snoozes: CurrentSnoozes): Promise<FindingTotals> {
  const { rows } = await sql<{ c: number; v: number }>`SELECT total_changes() AS c, (SELECT data_version FROM pragma_data_version) AS v`.execute(db);
  // A snooze ends by the clock, without a write: the totals hold until the next end as well.
  const version = `${rows[0]?.c}|${rows[0]?.v}|${snoozes.nextEnd ?? ''}`;
  const key = filterKey(q, q.minAgeDays === undefined ? null : ageCutoffMinute(q));
  let cache = totalsCache.get(db);
  if (!cache) totalsCache.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.totals;
  const t = await applyFilters(db, q, snoozes)
    .select([
      sql<number>`COUNT(*)`.as('total'),
      sql<number | null>`SUM(monthly_cost)`.as('cost'),
      sql<number>`SUM(CASE WHEN monthly_cost IS NULL THEN 1 ELSE 0 END)`.as('unknown'),
      ...SAVINGS_SELECT,
    ])
    .executeTakeFirstOrThrow();
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
  const snoozes = await currentSnoozes(db, q.accountId, q.now);
  const idRows = await applyFilters(db, q, snoozes)
    .select('id')
    .orderBy(sql`${sql.ref(column)} ${sql.raw(dir === 'asc' ? 'ASC NULLS LAST' : 'DESC')}`)
    .orderBy('id', 'asc')
    .limit(limit)
    .offset(offset)
    .execute();
  const ids = idRows.map((r) => r.id);
  const full = ids.length === 0 ? [] : await db.selectFrom('resources').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(full.map((r) => [r.id, r]));
  const totals = await findingTotals(db, q, snoozes);
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
  return row ? ((await withSnoozes(db, accountId, [toResourceDto(row)], await currentSnoozes(db, accountId, now)))[0] ?? null) : null;
}

export async function getResourcesByIds(db: Kysely<Database>, accountId: string, ids: number[]): Promise<ResourceDto[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('resources')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return rows.map(toResourceDto);
}

/** Distinct values present in the account's active findings (ignored ones left out), for the filter menus. */
export async function findingFacets(
  db: Kysely<Database>,
  accountId: string,
  now: Date = new Date(),
): Promise<{ resourceTypes: string[]; regions: string[]; serviceCodes: string[]; reasons: string[] }> {
  const notIgnored = ignoredCondition(await currentSnoozes(db, accountId, now), 'exclude');
  let base = db
    .selectFrom('resources')
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .where('unused', '=', 1);
  if (notIgnored !== null) base = base.where(notIgnored);
  const [types, regions, services, reasons] = await Promise.all([
    base.select('resource_type as v').distinct().orderBy('v').execute(),
    base.select('region as v').distinct().orderBy('v').execute(),
    base.select('service_code as v').distinct().orderBy('v').execute(),
    base.select('reason_category as v').distinct().orderBy('v').execute(),
  ]);
  return {
    resourceTypes: types.map((r) => r.v),
    regions: regions.map((r) => r.v),
    serviceCodes: services.map((r) => r.v),
    reasons: reasons.map((r) => r.v).filter((v): v is string => v !== null),
  };
}
