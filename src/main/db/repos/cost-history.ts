import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { CostHistoryPointDto as CostHistoryPoint, DailyCostTotalDto as DailyCostTotal } from '../../../shared/dto/costs';
import { AppError } from '../../../shared/errors';
import { sumDecimalStrings } from '../../../shared/decimal';
import { inTransaction } from '../connection';
import type { Database } from '../schema';

export interface CostHistoryInput {
  serviceId: number;
  /** YYYY-MM-DD (UTC day). */
  date: string;
  cost: number;
  /** The exact decimal string behind `cost`. */
  costText: string;
  usageQuantity: number | null;
  usageUnit: string | null;
  estimated: boolean;
}

/**
 * Upserts daily costs on (service, date): a re-run replaces values, never adds rows. One prepared statement in
 * one transaction, so a 13-month × 100-service history (~40k rows) is one fast write. Returns rows written.
 */
export function upsertCostHistory(
  sqlite: BetterSqlite3.Database,
  rows: Iterable<CostHistoryInput>,
  now = new Date().toISOString(),
): number {
  const stmt = sqlite.prepare<[number, string, number, string, number | null, string | null, number, string]>(`
    INSERT INTO cost_history (service_id, date, cost, cost_text, usage_quantity, usage_unit, estimated, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (service_id, date) DO UPDATE SET
      cost           = excluded.cost,
      cost_text      = excluded.cost_text,
      usage_quantity = excluded.usage_quantity,
      usage_unit     = excluded.usage_unit,
      estimated      = excluded.estimated,
      updated_at     = excluded.updated_at`);
  return inTransaction(sqlite, () => {
    let n = 0;
    for (const r of rows) {
      stmt.run(r.serviceId, r.date, r.cost, r.costText, r.usageQuantity, r.usageUnit, r.estimated ? 1 : 0, now);
      n++;
    }
    return n;
  });
}

export interface CostHistoryQuery {
  accountId: string;
  /** Limit to these service codes; omitted = every service of the account. */
  serviceCodes?: readonly string[];
  /** Inclusive, YYYY-MM-DD. */
  from: string;
  /** Exclusive, YYYY-MM-DD (the Cost Explorer convention). */
  to: string;
}

export type { CostHistoryPoint, DailyCostTotal };

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function checkRange(q: CostHistoryQuery): void {
  if (!DAY_RE.test(q.from) || !DAY_RE.test(q.to)) {
    throw new AppError('validation', 'Dates must be written YYYY-MM-DD.', { from: q.from, to: q.to });
  }
}

function baseQuery(db: Kysely<Database>, q: CostHistoryQuery) {
  let query = db
    .selectFrom('cost_history as h')
    .innerJoin('services as s', 's.id', 'h.service_id')
    .where('s.account_id', '=', q.accountId)
    .where('h.date', '>=', q.from)
    .where('h.date', '<', q.to);
  if (q.serviceCodes) query = query.where('s.code', 'in', q.serviceCodes.length > 0 ? [...q.serviceCodes] : ['']);
  return query;
}

/** Daily rows per service, by date then highest cost. */
export async function getCostHistory(db: Kysely<Database>, q: CostHistoryQuery): Promise<CostHistoryPoint[]> {
  checkRange(q);
  const rows = await baseQuery(db, q)
    .select([
      's.code as code',
      's.display_name as display_name',
      'h.date as date',
      'h.cost as cost',
      'h.cost_text as cost_text',
      'h.usage_quantity as usage_quantity',
      'h.usage_unit as usage_unit',
      'h.estimated as estimated',
    ])
    .orderBy('h.date', 'asc')
    .orderBy('h.cost', 'desc')
    .orderBy('s.code', 'asc')
    .execute();
  return rows.map((r) => ({
    serviceCode: r.code,
    displayName: r.display_name,
    date: r.date,
    cost: r.cost,
    costText: r.cost_text,
    usageQuantity: r.usage_quantity,
    usageUnit: r.usage_unit,
    estimated: r.estimated === 1,
  }));
}

/** One total per day across the selected services (exact decimal sum as text, and as a number). */
export async function getDailyCostTotals(db: Kysely<Database>, q: CostHistoryQuery): Promise<DailyCostTotal[]> {
  checkRange(q);
  const rows = await baseQuery(db, q)
    .select((eb) => [
      'h.date as date',
      eb.fn.max('h.estimated').as('estimated'),
      eb.fn.countAll<number>().as('services'),
      // Amounts never contain commas: a comma-joined list is safe to split.
      eb.fn<string>('group_concat', ['h.cost_text']).as('texts'),
    ])
    .groupBy('h.date')
    .orderBy('h.date', 'asc')
    .execute();
  return rows.map((r) => {
    const costText = sumDecimalStrings(r.texts.split(','));
    return {
      date: r.date,
      cost: Number(costText),
      costText,
      estimated: Number(r.estimated) === 1,
      services: Number(r.services),
    };
  });
}
