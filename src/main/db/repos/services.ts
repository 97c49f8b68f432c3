import { assertNever } from '../../../shared/assert-never';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type RawBuilder } from 'kysely';
import { dialectOf, type DialectName } from '../../../../migrations/dialect';
import type { ServiceDto } from '../../../shared/dto/services';
import { inTransaction } from '../connection';
import type { Database, ServiceRow } from '../schema';
import { isSqlite, type AppDb } from '../store';

/** A service counts as active when it cost at least this much (USD) over the period. */
export const DEFAULT_MIN_COST = 0.01;

export type { ServiceDto };

const DAY_MS = 86_400_000;
/** A month in the app's prices: 730 hours. */
const MONTH_DAYS = 730 / 24;

/**
 * The bill cross-check for one service: the findings' monthly cost billed under it against the service's actual
 * monthly run-rate (its period cost scaled to a 730-hour month). The estimate "exceeds" the spend when it is above it
 * by more than $0.50 and 5% — a margin for month lengths and the rounding of daily costs, so the warning means that
 * prices or definitions may really be off.
 */
export function reconcile(
  r: Pick<ServiceRow, 'period_cost' | 'period_start' | 'period_end'>,
  findingsMonthlyCost: number | undefined,
): ServiceDto['reconciliation'] {
  if (findingsMonthlyCost === undefined || r.period_start === null || r.period_end === null) return null;
  const days = (Date.parse(`${r.period_end}T00:00:00Z`) - Date.parse(`${r.period_start}T00:00:00Z`)) / DAY_MS;
  if (!Number.isFinite(days) || days <= 0) return null;
  const monthlyRunRate = Math.round(((r.period_cost * MONTH_DAYS) / days) * 100) / 100;
  const findings = Math.round(findingsMonthlyCost * 100) / 100;
  const margin = Math.max(0.5, monthlyRunRate * 0.05);
  return { findingsMonthlyCost: findings, monthlyRunRate, exceedsSpend: findings > monthlyRunRate + margin };
}

/**
 * The one place where this file's SQL differs between the stores: its JSON. The columns are TEXT on both; PostgreSQL
 * reads them as jsonb.
 */
interface JsonSql {
  /** The pairs (key, value) of a finding's `details.costByService`, as `j` (FROM resources r, …). */
  costByService: RawBuilder<unknown>;
  /** A pair's amount: on PostgreSQL a non-number counts nothing, as a non-object costByService counts nothing. */
  amount: RawBuilder<number>;
  /**
   * The upsert's new metadata: SQLite's json_patch, and at the top level its equivalent on PostgreSQL — the new keys
   * replace the old ones, a null removes its key, other keys stay (the app's metadata is flat).
   */
  merge: RawBuilder<string>;
  /** A retired service's metadata: periodCostText "0". */
  retired: RawBuilder<string>;
  /** `code` is none of `codes` (one parameter: a JSON array on SQLite, a text[] on PostgreSQL). */
  notIn: (codes: readonly string[]) => RawBuilder<boolean>;
}

const JSON_SQL: Record<DialectName, JsonSql> = {
  sqlite: {
    costByService: sql`json_each(r.details, '$.costByService') j`,
    amount: sql`j.value`,
    merge: sql`json_patch(services.metadata, excluded.metadata)`,
    retired: sql`json_set(metadata, '$.periodCostText', '0')`,
    notIn: (codes) => sql`code NOT IN (SELECT value FROM json_each(${JSON.stringify(codes)}))`,
  },
  postgres: {
    costByService: sql`LATERAL jsonb_each(CASE WHEN jsonb_typeof(r.details::jsonb -> 'costByService') = 'object'
                                               THEN r.details::jsonb -> 'costByService' END) j`,
    amount: sql`CASE WHEN jsonb_typeof(j.value) = 'number' THEN (j.value)::float8 END`,
    merge: sql`((services.metadata::jsonb - ARRAY(SELECT key FROM jsonb_each(excluded.metadata::jsonb) WHERE jsonb_typeof(value) = 'null'))
                || jsonb_strip_nulls(excluded.metadata::jsonb))::text`,
    retired: sql`jsonb_set(metadata::jsonb, '{periodCostText}', '"0"')::text`,
    notIn: (codes) => sql`code <> ALL(${[...codes]}::text[])`,
  },
};

const jsonSql = (db: Kysely<Database>): JsonSql => JSON_SQL[dialectOf(db as Kysely<unknown>).name];

/**
 * The known monthly cost of the account's active unused findings per Cost Explorer service, from what each finding
 * bills under which service (`details.costByService`, written by the scan).
 */
export async function findingsCostByService(db: Kysely<Database>, accountId: string): Promise<Map<string, number>> {
  const json = jsonSql(db);
  const { rows } = await sql<{ code: string; cost: number }>`
    SELECT j.key AS code, SUM(${json.amount}) AS cost
    FROM resources r, ${json.costByService}
    WHERE r.account_id = ${accountId} AND r.status = 'active' AND r.unused = 1
    GROUP BY j.key`.execute(db);
  return new Map(rows.map((x) => [x.code, Number(x.cost)]));
}

/** Which kinds cover a service code (the handler registry's coverageOf); none given: nothing is covered. */
export type ServiceCoverage = (serviceCode: string) => string[];

export function toServiceDto(r: ServiceRow, findingsCost?: Map<string, number>, coverage?: ServiceCoverage): ServiceDto {
  const handlerTypes = coverage ? coverage(r.code) : [];
  let meta: { periodCostText?: unknown } = {};
  try {
    meta = JSON.parse(r.metadata) as { periodCostText?: unknown };
  } catch {
    // A hand-edited row: the number alone is still right.
  }
  return {
    id: r.id,
    accountId: r.account_id,
    code: r.code,
    displayName: r.display_name,
    category: r.category,
    active: r.active === 1,
    periodCost: r.period_cost,
    periodCostText: typeof meta.periodCostText === 'string' ? meta.periodCostText : String(r.period_cost),
    periodStart: r.period_start,
    periodEnd: r.period_end,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    handlerTypes,
    covered: handlerTypes.length > 0,
    reconciliation: reconcile(r, findingsCost?.get(r.code)),
  };
}

export interface DiscoveredService {
  code: string;
  displayName: string;
  category: string;
  periodCost: number;
  periodCostText: string;
  /** Extra facts kept in `metadata` (merged into what is there). */
  metadata?: Record<string, unknown>;
}

export interface SaveServicesInput {
  accountId: string;
  period: { start: string; end: string };
  /** Every service of one complete Cost Explorer result. */
  services: readonly DiscoveredService[];
  minCost?: number;
  now?: string;
}

/**
 * Stores one discovery result for an account, in one transaction: each service upserted on (account, code),
 * active when its period cost reaches `minCost`; services absent from the result become inactive with a zero
 * period cost. Nothing is deleted (history stays). Returns code → services.id.
 *
 * - On an AppDb (either store): in a transaction of its own.
 * - On the raw SQLite connection: the fast path (prepared statements), synchronous, in an IMMEDIATE transaction —
 *   or inside the caller's (discovery writes services and cost history in one).
 * - On a kysely transaction (or Kysely): in it, with batched multi-row statements (how PostgreSQL writes).
 */
export function saveDiscoveredServices(h: AppDb | Kysely<Database>, input: SaveServicesInput): Promise<Map<string, number>>;
export function saveDiscoveredServices(sqlite: BetterSqlite3.Database, input: SaveServicesInput): Map<string, number>;
export function saveDiscoveredServices(
  target: AppDb | Kysely<Database> | BetterSqlite3.Database,
  input: SaveServicesInput,
): Map<string, number> | Promise<Map<string, number>> {
  if (target instanceof Kysely) return saveWithKysely(target, input);
  if ('dialect' in target) {
    if (isSqlite(target)) return Promise.resolve().then(() => saveOnSqlite(target.sqlite, input));
    return saveWithKysely(target.db, input);
  }
  return saveOnSqlite(target, input);
}

function metadataOf(s: DiscoveredService): string {
  return JSON.stringify({ ...(s.metadata ?? {}), periodCostText: s.periodCostText });
}

function saveOnSqlite(sqlite: BetterSqlite3.Database, input: SaveServicesInput): Map<string, number> {
  const now = input.now ?? new Date().toISOString();
  const minCost = input.minCost ?? DEFAULT_MIN_COST;
  const upsert = sqlite.prepare<[string, string, string, string, number, number, string, string, string, string, string], { id: number }>(`
    INSERT INTO services (account_id, code, display_name, category, active, period_cost, period_start, period_end,
                          first_seen, last_seen, metadata)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id, code) DO UPDATE SET
      display_name = excluded.display_name,
      category     = excluded.category,
      active       = excluded.active,
      period_cost  = excluded.period_cost,
      period_start = excluded.period_start,
      period_end   = excluded.period_end,
      last_seen    = excluded.last_seen,
      metadata     = json_patch(services.metadata, excluded.metadata)
    RETURNING id`);
  const retire = sqlite.prepare<[string, string, string, string]>(`
    UPDATE services
       SET active = 0, period_cost = 0, period_start = ?, period_end = ?,
           metadata = json_set(metadata, '$.periodCostText', '0')
     WHERE account_id = ? AND code NOT IN (SELECT value FROM json_each(?))`);
  return inTransaction(sqlite, () => {
    const ids = new Map<string, number>();
    for (const s of input.services) {
      const row = upsert.get(
        input.accountId,
        s.code,
        s.displayName,
        s.category,
        s.periodCost >= minCost ? 1 : 0,
        s.periodCost,
        input.period.start,
        input.period.end,
        now,
        now,
        metadataOf(s),
      );
      if (!row) throw new Error(`upsert of service ${s.code} returned no id`);
      ids.set(s.code, row.id);
    }
    retire.run(input.period.start, input.period.end, input.accountId, JSON.stringify([...ids.keys()]));
    return ids;
  });
}

/** Rows per INSERT: 11 parameters each, far below SQLite's 32,766 and PostgreSQL's 65,535. */
const SERVICES_PER_STATEMENT = 500;

async function saveWithKysely(db: Kysely<Database>, input: SaveServicesInput): Promise<Map<string, number>> {
  if (!db.isTransaction) return db.transaction().execute((trx) => saveWithKysely(trx, input));
  const now = input.now ?? new Date().toISOString();
  const minCost = input.minCost ?? DEFAULT_MIN_COST;
  const json = jsonSql(db);
  // One row per code (a code twice in one INSERT … ON CONFLICT is an error on PostgreSQL): the last one wins, as
  // when the rows are upserted one by one. Sorted by code, so two writers lock the same rows in the same order.
  const byCode = new Map(input.services.map((s) => [s.code, s]));
  const rows = [...byCode.values()]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((s) => ({
      account_id: input.accountId,
      code: s.code,
      display_name: s.displayName,
      category: s.category,
      active: s.periodCost >= minCost ? 1 : 0,
      period_cost: s.periodCost,
      period_start: input.period.start,
      period_end: input.period.end,
      first_seen: now,
      last_seen: now,
      metadata: metadataOf(s),
    }));
  const idOf = new Map<string, number>();
  for (let i = 0; i < rows.length; i += SERVICES_PER_STATEMENT) {
    const written = await db
      .insertInto('services')
      .values(rows.slice(i, i + SERVICES_PER_STATEMENT))
      .onConflict((oc) =>
        oc.columns(['account_id', 'code']).doUpdateSet((eb) => ({
          display_name: eb.ref('excluded.display_name'),
          category: eb.ref('excluded.category'),
          active: eb.ref('excluded.active'),
          period_cost: eb.ref('excluded.period_cost'),
          period_start: eb.ref('excluded.period_start'),
          period_end: eb.ref('excluded.period_end'),
          last_seen: eb.ref('excluded.last_seen'),
          metadata: json.merge,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    for (const r of written) idOf.set(r.code, r.id);
  }
  await db
    .updateTable('services')
    .set({ active: 0, period_cost: 0, period_start: input.period.start, period_end: input.period.end, metadata: json.retired })
    .where('account_id', '=', input.accountId)
    .where(json.notIn([...byCode.keys()]))
    .execute();
  const ids = new Map<string, number>();
  for (const code of byCode.keys()) {
    const id = idOf.get(code);
    if (id === undefined) throw new Error(`upsert of service ${code} returned no id`);
    ids.set(code, id);
  }
  return ids;
}

export type ServiceSort = 'cost' | 'name' | 'category' | 'lastSeen';

export async function listServices(
  db: Kysely<Database>,
  q: { accountId: string; activeOnly?: boolean; sort?: ServiceSort; coverage?: ServiceCoverage },
): Promise<ServiceDto[]> {
  let query = db.selectFrom('services').selectAll().where('account_id', '=', q.accountId);
  if (q.activeOnly) query = query.where('active', '=', 1);
  const sort = q.sort ?? 'cost';
  switch (sort) {
    case 'cost':
      query = query.orderBy('period_cost', 'desc').orderBy('display_name', 'asc');
      break;
    case 'name':
      query = query.orderBy('display_name', 'asc');
      break;
    case 'category':
      query = query.orderBy('category', 'asc').orderBy('period_cost', 'desc').orderBy('display_name', 'asc');
      break;
    case 'lastSeen':
      query = query.orderBy('last_seen', 'desc').orderBy('period_cost', 'desc');
      break;
    default:
      return assertNever(sort);
  }
  const rows = await query.orderBy('id', 'asc').execute();
  const findingsCost = await findingsCostByService(db, q.accountId);
  return rows.map((r) => toServiceDto(r, findingsCost, q.coverage));
}

export async function getServiceByCode(db: Kysely<Database>, accountId: string, code: string, coverage?: ServiceCoverage): Promise<ServiceDto | null> {
  const row = await db
    .selectFrom('services')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? toServiceDto(row, undefined, coverage) : null;
}

