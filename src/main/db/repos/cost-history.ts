import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type RawBuilder } from 'kysely';
import { dialectOf, type DialectName } from '../../../../migrations/dialect';
import type { CostHistoryPointDto as CostHistoryPoint, DailyCostTotalDto as DailyCostTotal } from '../../../shared/dto/costs';
import { AppError } from '../../../shared/errors';
import { sumDecimalStrings } from '../../../shared/decimal';
import { inTransaction } from '../connection';
import type { Database } from '../schema';
import { isSqlite, type AppDb } from '../store';

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
 * Upserts daily costs on (service, date): a re-run replaces values, never adds rows. All rows in one transaction, so
 * a 13-month × 100-service history (~40k rows) is one fast write. Returns rows written (as given).
 *
 * - On an AppDb (either store): in a transaction of its own.
 * - On the raw SQLite connection: the fast path (one prepared statement), synchronous, in an IMMEDIATE transaction —
 *   or inside the caller's (discovery writes services and cost history in one).
 * - On a kysely transaction (or Kysely): in it, with batched multi-row statements (how PostgreSQL writes).
 */
export function upsertCostHistory(h: AppDb | Kysely<Database>, rows: Iterable<CostHistoryInput>, now?: string): Promise<number>;
export function upsertCostHistory(sqlite: BetterSqlite3.Database, rows: Iterable<CostHistoryInput>, now?: string): number;
export function upsertCostHistory(
  target: AppDb | Kysely<Database> | BetterSqlite3.Database,
  rows: Iterable<CostHistoryInput>,
  now = new Date().toISOString(),
): number | Promise<number> {
  if (target instanceof Kysely) return upsertWithKysely(target, rows, now);
  if ('dialect' in target) {
    if (isSqlite(target)) return Promise.resolve().then(() => upsertOnSqlite(target.sqlite, rows, now));
    return upsertWithKysely(target.db, rows, now);
  }
  return upsertOnSqlite(target, rows, now);
}

function upsertOnSqlite(sqlite: BetterSqlite3.Database, rows: Iterable<CostHistoryInput>, now: string): number {
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

/** Rows per INSERT: 8 parameters each, below SQLite's 32,766 and PostgreSQL's 65,535. */
const HISTORY_PER_STATEMENT = 4000;

async function upsertWithKysely(db: Kysely<Database>, rows: Iterable<CostHistoryInput>, now: string): Promise<number> {
  if (!db.isTransaction) return db.transaction().execute((trx) => upsertWithKysely(trx, rows, now));
  // One row per (service, date) — the same key twice in one INSERT … ON CONFLICT is an error on PostgreSQL —, the
  // last one winning as when rows are upserted one by one; sorted, so two writers lock rows in the same order.
  let n = 0;
  const byKey = new Map<string, CostHistoryInput>();
  for (const r of rows) {
    byKey.set(`${r.serviceId}\u0000${r.date}`, r);
    n++;
  }
  const sorted = [...byKey.values()].sort((a, b) => a.serviceId - b.serviceId || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (let i = 0; i < sorted.length; i += HISTORY_PER_STATEMENT) {
    await db
      .insertInto('cost_history')
      .values(
        sorted.slice(i, i + HISTORY_PER_STATEMENT).map((r) => ({
          service_id: r.serviceId,
          date: r.date,
          cost: r.cost,
          cost_text: r.costText,
          usage_quantity: r.usageQuantity,
          usage_unit: r.usageUnit,
          estimated: r.estimated ? 1 : 0,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['service_id', 'date']).doUpdateSet((eb) => ({
          cost: eb.ref('excluded.cost'),
          cost_text: eb.ref('excluded.cost_text'),
          usage_quantity: eb.ref('excluded.usage_quantity'),
          usage_unit: eb.ref('excluded.usage_unit'),
          estimated: eb.ref('excluded.estimated'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  return n;
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

/**
 * This file's one difference between the stores: a group's amounts as one comma-joined text (amounts never contain
 * commas, so it is safe to split).
 */
const JOIN_TEXTS: Record<DialectName, RawBuilder<string>> = {
  sqlite: sql`group_concat(h.cost_text)`,
  postgres: sql`string_agg(h.cost_text, ',')`,
};

/** One total per day across the selected services (exact decimal sum as text, and as a number). */
export async function getDailyCostTotals(db: Kysely<Database>, q: CostHistoryQuery): Promise<DailyCostTotal[]> {
  checkRange(q);
  const rows = await baseQuery(db, q)
    .select((eb) => [
      'h.date as date',
      eb.fn.max('h.estimated').as('estimated'),
      eb.fn.countAll<number>().as('services'),
      JOIN_TEXTS[dialectOf(db as Kysely<unknown>).name].as('texts'),
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
