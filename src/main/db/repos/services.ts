import { assertNever } from '../../../shared/assert-never';
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { ServiceDto } from '../../../shared/dto/services';
import { inTransaction } from '../connection';
import type { Database, ServiceRow } from '../schema';

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
 * The known monthly cost of the account's active unused findings per Cost Explorer service, from what each finding
 * bills under which service (`details.costByService`, written by the scan).
 */
export async function findingsCostByService(db: Kysely<Database>, accountId: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ code: string; cost: number }>`
    SELECT j.key AS code, SUM(j.value) AS cost
    FROM resources r, json_each(r.details, '$.costByService') j
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
 */
export function saveDiscoveredServices(sqlite: BetterSqlite3.Database, input: SaveServicesInput): Map<string, number> {
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
      const metadata = JSON.stringify({ ...(s.metadata ?? {}), periodCostText: s.periodCostText });
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
        metadata,
      );
      if (!row) throw new Error(`upsert of service ${s.code} returned no id`);
      ids.set(s.code, row.id);
    }
    retire.run(input.period.start, input.period.end, input.accountId, JSON.stringify([...ids.keys()]));
    return ids;
  });
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

