/**
 * Savings realised: the executed cleanups (the audit's outcome per item, deletion-plans.ts), each succeeded item's
 * expected monthly saving split by the Cost Explorer service it bills under (the plan's stored own cost and parts;
 * the kind's `billingServiceCode`), and each service's stored daily cost (cost_history) before and after.
 *
 * Rules (a claim only when the numbers show it):
 * - The cleanup day is partial: it is in neither window. Before = up to 7 full days before it, and after the previous
 *   cleanup (day) of the same service, so a window never spans an earlier cleanup and no saving is counted twice;
 *   after = every full day from the next one to the end of the stored history (or to the next cleanup of the service).
 * - A day is in the history when any service has a row on it; a service without a row that day cost $0.
 * - Only complete days count (toward the minimums and the averages): a day stored at least a full day after it ended
 *   (its rows' earliest `updated_at` ≥ the day + 2, 00:00 UTC). Cost Explorer lags a day or more, so the latest day of
 *   a refresh (yesterday, the period ends today) is usually partial and would look like a drop. Not the `estimated`
 *   mark: Cost Explorer keeps whole open months estimated (the simulator only its last 2 days), so it would hold every
 *   verdict back to the month's end. Incomplete days stay in the series (the picture), estimated days in both.
 * - Compared only with at least MIN_BEFORE_DAYS complete before-days (fewer: 'no-history', the window still shown):
 *   fewer cannot show the service's usual day-to-day change.
 * - Confirmed: at least MIN_AFTER_DAYS complete after-days, the drop at least half the expected saving and larger than
 *   the service's usual day-to-day change (twice the standard error of the difference of the two averages).
 * - Cleanups of one service fewer than MIN_AFTER_DAYS full days apart cannot be told apart: measured together.
 * - Monthly = daily × 730 / 24 (the app's month of 730 hours, as every price in it).
 */
import { sql, type Kysely } from 'kysely';
import type { SavingsCleanupDto, SavingsMeasurementDto, SavingsRealisedDto, SavingsVerdict, SavingsWindowDto } from '../../../shared/dto/savings';
import type { Database } from '../schema';
import { toCleanupPlanDto, type PlanItemDto } from './cleanup-plans';

export type { SavingsRealisedDto };

export const MIN_AFTER_DAYS = 3;
/** Complete days before a cleanup (after any earlier one of the service) needed to compare with. */
export const MIN_BEFORE_DAYS = 3;
export const BEFORE_DAYS = 7;
/** The bill must show at least this share of the expected saving to confirm it. */
export const CONFIRM_SHARE = 0.5;
const MONTH_DAYS = 730 / 24;
const DAY_MS = 86_400_000;

/** The Cost Explorer service code a kind bills under (the registry's `billingServiceCode`), if the kind is known. */
export type BillingServiceOf = (resourceType: string) => string | undefined;

const round2 = (n: number): number => Math.round(n * 100) / 100;
const dayOf = (iso: string): string => iso.slice(0, 10);
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

/**
 * An item's expected saving by service: its own cost under its kind's service, each part it removes under the part's
 * kind's service, less what it creates (a safety snapshot). When that split does not add up to the item's saving (a
 * stop, whose saving is not its whole cost), the whole saving goes to the kind's service. Null: unknown saving.
 */
export function savingsByService(item: PlanItemDto, serviceOf: BillingServiceOf): Map<string, number> | null {
  const own = serviceOf(item.resourceType);
  if (item.savings === null || own === undefined) return null;
  const split = new Map<string, number>();
  const add = (code: string, v: number): void => void split.set(code, (split.get(code) ?? 0) + v);
  let complete = item.ownMonthlyCost !== null;
  add(own, item.ownMonthlyCost ?? 0);
  for (const p of item.related) {
    const removed = p.fate === 'deleted' && p.created !== true;
    if (!removed && p.created !== true) continue;
    if (p.monthlyCost === null) complete = false;
    add(serviceOf(p.resourceType) ?? own, (removed ? 1 : -1) * (p.monthlyCost ?? 0));
  }
  const sum = [...split.values()].reduce((a, b) => a + b, 0);
  if (!complete || Math.abs(sum - item.savings) > 0.01) return new Map([[own, item.savings]]);
  for (const [k, v] of split) if (Math.abs(v) < 1e-9) split.delete(k);
  return split;
}

interface ServiceEvent {
  planId: string;
  day: string;
  expected: number;
  known: boolean;
}

interface DayCost {
  cost: number;
  estimated: boolean;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

function windowOf(days: readonly string[], costOf: (d: string) => DayCost): SavingsWindowDto | null {
  if (days.length === 0) return null;
  const costs = days.map(costOf);
  return {
    from: days[0] ?? '',
    to: days.at(-1) ?? '',
    days: days.length,
    estimatedDays: costs.filter((c) => c.estimated).length,
    dailyAverage: mean(costs.map((c) => c.cost)),
  };
}

/** The verdict from the numbers (pure: unit-tested through the repo). */
export function verdictOf(m: {
  expectedMonthly: number | null;
  before: readonly number[] | null;
  after: readonly number[];
}): { verdict: SavingsVerdict; observedMonthly: number | null; dailyNoise: number | null } {
  if (m.before === null || m.before.length < MIN_BEFORE_DAYS) return { verdict: 'no-history', observedMonthly: null, dailyNoise: null };
  const noise = stdev(m.before);
  if (m.after.length === 0) return { verdict: 'waiting', observedMonthly: null, dailyNoise: noise };
  const observedDaily = mean(m.before) - mean(m.after);
  const observedMonthly = round2(observedDaily * MONTH_DAYS);
  const base = { observedMonthly, dailyNoise: noise };
  if (m.after.length < MIN_AFTER_DAYS) return { verdict: 'waiting', ...base };
  if (m.expectedMonthly === null) return { verdict: 'unknown-expected', ...base };
  const expectedDaily = m.expectedMonthly / MONTH_DAYS;
  const threshold = 2 * noise * Math.sqrt(1 / m.before.length + 1 / m.after.length);
  // A saving smaller than the service's usual change cannot be seen, whatever the bill did.
  if (expectedDaily <= threshold) return { verdict: 'too-small', ...base };
  if (observedDaily >= CONFIRM_SHARE * expectedDaily) return { verdict: observedDaily > threshold ? 'confirmed' : 'too-small', ...base };
  if (observedDaily <= 0) return { verdict: 'not-dropped', ...base };
  return { verdict: 'partly', ...base };
}

interface DoneItem {
  resourceType: string;
  region: string;
  resourceId: string;
}

/**
 * Every executed plan of the account with its done items, in one grouped query (not the history's pages). "Done" is
 * the history's own definition (deletion-plans.ts `itemOutcome`): the item's decisive real row (its latest succeeded
 * or real, non-Refuse/Recheck call) succeeded. Newest plan first, as the history lists them.
 */
async function executedPlans(db: Kysely<Database>, accountId: string): Promise<{ planId: string; items: DoneItem[] }[]> {
  const rows = await sql<{ plan_id: string; resource_type: string; region: string; resource_id: string }>`
    WITH real AS (
      SELECT MAX(id) AS id FROM deletions
      WHERE account_id = ${accountId} AND (outcome = 'succeeded' OR (dry_run = 0 AND action NOT IN ('Refuse', 'Recheck')))
      GROUP BY plan_id, resource_type, region, resource_id
    ),
    newest AS (SELECT plan_id, MAX(id) AS last_id FROM deletions WHERE account_id = ${accountId} GROUP BY plan_id)
    SELECT d.plan_id, d.resource_type, d.region, d.resource_id FROM deletions d
    JOIN real ON real.id = d.id JOIN newest n ON n.plan_id = d.plan_id
    WHERE d.outcome = 'succeeded' ORDER BY n.last_id DESC, d.id`.execute(db);
  const byPlan = new Map<string, DoneItem[]>();
  for (const r of rows.rows) byPlan.set(r.plan_id, [...(byPlan.get(r.plan_id) ?? []), { resourceType: r.resource_type, region: r.region, resourceId: r.resource_id }]);
  return [...byPlan].map(([planId, items]) => ({ planId, items }));
}

export async function savingsRealised(db: Kysely<Database>, q: { accountId: string; billingServiceOf: BillingServiceOf }): Promise<SavingsRealisedDto> {
  const { accountId } = q;
  const plans = await executedPlans(db, accountId);
  // When the deletions happened: the plan's last succeeded call.
  const doneAt = new Map(
    (
      await db
        .selectFrom('deletions')
        .select(['plan_id', (eb) => eb.fn.max(eb.fn.coalesce('completed_at', 'requested_at')).as('at')])
        .where('account_id', '=', accountId)
        .where('outcome', '=', 'succeeded')
        .groupBy('plan_id')
        .execute()
    ).map((r) => [r.plan_id, r.at]),
  );
  const stored = plans.length
    ? await db.selectFrom('cleanup_plans').selectAll().where('account_id', '=', accountId).where('id', 'in', plans.map((p) => p.planId)).execute()
    : [];
  const storedById = new Map(stored.map((r) => [r.id, toCleanupPlanDto(r)]));

  const cleanups: SavingsCleanupDto[] = [];
  const events = new Map<string, ServiceEvent[]>();
  const unknownBy = new Map<string, number>();
  for (const p of plans) {
    const at = doneAt.get(p.planId) ?? ''; // a done item has a succeeded row
    const planItems = new Map((storedById.get(p.planId)?.items ?? []).map((i) => [`${i.resourceType}\u0000${i.region}\u0000${i.resourceId}`, i]));
    let expected = 0;
    let unknown = 0;
    const byService = new Map<string, { expected: number; known: boolean }>();
    for (const it of p.items) {
      const item = planItems.get(`${it.resourceType}\u0000${it.region}\u0000${it.resourceId}`);
      const split = item ? savingsByService(item, q.billingServiceOf) : null;
      if (split === null) {
        unknown += 1;
        const code = q.billingServiceOf(it.resourceType);
        if (code !== undefined) {
          unknownBy.set(`${p.planId}\u0000${code}`, (unknownBy.get(`${p.planId}\u0000${code}`) ?? 0) + 1);
          byService.set(code, { expected: byService.get(code)?.expected ?? 0, known: byService.get(code)?.known ?? false });
        }
        continue;
      }
      for (const [code, v] of split) {
        expected += v;
        byService.set(code, { expected: (byService.get(code)?.expected ?? 0) + v, known: true });
      }
    }
    cleanups.push({ planId: p.planId, executedAt: at, doneCount: p.items.length, expectedMonthly: round2(expected), unknownCount: unknown, serviceCodes: [...byService.keys()].sort() });
    for (const [code, e] of byService) {
      if (e.known && e.expected <= 0 && !unknownBy.has(`${p.planId}\u0000${code}`)) continue; // nothing to measure
      events.set(code, [...(events.get(code) ?? []), { planId: p.planId, day: dayOf(at), expected: e.expected, known: e.known }]);
    }
  }
  cleanups.sort((a, b) => a.executedAt.localeCompare(b.executedAt));

  const hist = await db
    .selectFrom('cost_history as h')
    .innerJoin('services as s', 's.id', 'h.service_id')
    .select((eb) => [eb.fn.max('h.date').as('last'), eb.fn.max('h.updated_at').as('at')])
    .where('s.account_id', '=', accountId)
    .executeTakeFirst();
  const history = { lastDay: hist?.last ?? null, refreshedAt: hist?.at ?? null };

  const measurements = events.size > 0 ? await measure(db, accountId, events, unknownBy) : [];
  const confirmed = measurements.filter((m) => m.verdict === 'confirmed');
  return {
    accountId,
    since: cleanups[0]?.executedAt ?? null,
    cleanups,
    expectedMonthly: round2(cleanups.reduce((a, c) => a + c.expectedMonthly, 0)),
    unknownCount: cleanups.reduce((a, c) => a + c.unknownCount, 0),
    confirmedExpectedMonthly: round2(confirmed.reduce((a, m) => a + (m.expectedMonthly ?? 0), 0)),
    confirmedFrom: confirmed.reduce<string | null>((a, m) => (m.after && (a === null || m.after.from > a) ? m.after.from : a), null),
    confirmedObservedMonthly: round2(confirmed.reduce((a, m) => a + (m.observedMonthly ?? 0), 0)),
    measurements,
    history,
    minAfterDays: MIN_AFTER_DAYS,
  };
}

async function measure(
  db: Kysely<Database>,
  accountId: string,
  events: Map<string, ServiceEvent[]>,
  unknownBy: Map<string, number>,
): Promise<SavingsMeasurementDto[]> {
  const codes = [...events.keys()];
  const firstDay = [...events.values()].flat().reduce((a, e) => (e.day < a ? e.day : a), '9999-12-31');
  const from = addDays(firstDay, -BEFORE_DAYS);
  // Every stored day of the account (a day any service has a row on), with Cost Explorer's "estimated" mark.
  const days = await sql<{ date: string; estimated: number; written: string }>`
    SELECT h.date AS date, MAX(h.estimated) AS estimated, MIN(h.updated_at) AS written FROM cost_history h JOIN services s ON s.id = h.service_id
    WHERE s.account_id = ${accountId} AND h.date >= ${from} GROUP BY h.date ORDER BY h.date`.execute(db);
  const rows = await db
    .selectFrom('cost_history as h')
    .innerJoin('services as s', 's.id', 'h.service_id')
    .select(['s.code as code', 's.display_name as name', 'h.date as date', 'h.cost as cost'])
    .where('s.account_id', '=', accountId)
    .where('s.code', 'in', codes)
    .where('h.date', '>=', from)
    .execute();
  const names = new Map((await db.selectFrom('services').select(['code', 'display_name']).where('account_id', '=', accountId).where('code', 'in', codes).execute()).map((r) => [r.code, r.display_name]));
  const cost = new Map(rows.map((r) => [`${r.code}\u0000${r.date}`, r.cost]));
  const estimated = new Map(days.rows.map((d) => [d.date, Number(d.estimated) === 1]));
  const allDays = days.rows.map((d) => d.date);
  // Complete: stored at least a full day after the day ended (see the rules above).
  const complete = new Set(days.rows.filter((d) => Date.parse(d.written) >= Date.parse(`${addDays(d.date, 2)}T00:00:00Z`)).map((d) => d.date));

  const out: SavingsMeasurementDto[] = [];
  for (const [code, list] of events) {
    const sorted = [...list].sort((a, b) => a.day.localeCompare(b.day) || a.planId.localeCompare(b.planId));
    // Cleanups too close to tell apart are one measurement.
    const groups: ServiceEvent[][] = [];
    for (const e of sorted) {
      const g = groups.at(-1);
      const lastOfG = g?.at(-1);
      if (g && lastOfG && daysBetween(lastOfG.day, e.day) - 1 < MIN_AFTER_DAYS) g.push(e);
      else groups.push([e]);
    }
    const costOf = (d: string): DayCost => ({ cost: cost.get(`${code}\u0000${d}`) ?? 0, estimated: estimated.get(d) ?? false });
    groups.forEach((g, i) => {
      const first = g[0]?.day ?? '';
      const last = g.at(-1)?.day ?? '';
      const nextStart = groups[i + 1]?.[0]?.day ?? null;
      // Never across the previous cleanup of the service: its days before it are not this cleanup's "before".
      const prevEnd = groups[i - 1]?.at(-1)?.day ?? null;
      const beforeAll = allDays.filter((d) => d >= addDays(first, -BEFORE_DAYS) && d < first && (prevEnd === null || d > prevEnd));
      const afterAll = allDays.filter((d) => d > last && (nextStart === null || d < nextStart));
      const beforeDays = beforeAll.filter((d) => complete.has(d));
      const afterDays = afterAll.filter((d) => complete.has(d));
      const hasRows = beforeDays.some((d) => cost.has(`${code}\u0000${d}`));
      const known = g.some((e) => e.known);
      const expectedMonthly = known ? round2(g.reduce((a, e) => a + e.expected, 0)) : null;
      const before = hasRows ? beforeDays.map((d) => costOf(d).cost) : null;
      const v = verdictOf({ expectedMonthly, before, after: afterDays.map((d) => costOf(d).cost) });
      const shown = allDays.filter((d) => d >= (beforeAll[0] ?? first) && d <= (afterAll.at(-1) ?? last));
      out.push({
        serviceCode: code,
        displayName: names.get(code) ?? code,
        planIds: g.map((e) => e.planId),
        cleanupDay: last,
        expectedMonthly,
        unknownCount: g.reduce((a, e) => a + (unknownBy.get(`${e.planId}\u0000${code}`) ?? 0), 0),
        before: hasRows ? windowOf(beforeDays, costOf) : null,
        after: windowOf(afterDays, costOf),
        ...v,
        series: shown.map((d) => ({ date: d, ...costOf(d) })),
      });
    });
  }
  return out.sort((a, b) => a.cleanupDay.localeCompare(b.cleanupDay) || (b.expectedMonthly ?? 0) - (a.expectedMonthly ?? 0));
}
