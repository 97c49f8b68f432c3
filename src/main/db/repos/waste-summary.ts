/**
 * The dashboard's picture of the waste: potential savings by kind and by region, and the five largest items, over the
 * account's active unused findings. Every figure is the one definition of potential savings (SAVINGS_SELECT:
 * unprotected findings' known savings; protected findings as their own figure), so the groups add up to the total.
 * Findings under a current snooze are in none of them: they are counted apart (`ignored`), and come back when it ends.
 */
import { sql, type Kysely } from 'kysely';
import type { WasteGroupDto, WasteSummaryDto } from '../../../shared/dto/findings';
import type { Database } from '../schema';
import { ACTIVE_UNUSED, SAVINGS_SELECT, toResourceDto, toSavingsTotals, withTaskSeen } from './resources';
import { currentSnoozes, ignoredCondition } from './snoozes';

const TOP_ITEMS = 5;

export async function wasteSummary(db: Kysely<Database>, accountId: string, now: Date = new Date()): Promise<WasteSummaryDto> {
  const findings = db.selectFrom('resources').where('account_id', '=', accountId).where(ACTIVE_UNUSED);
  const snoozes = await currentSnoozes(db, accountId, now);
  const notIgnored = ignoredCondition(snoozes, 'exclude');
  const base = notIgnored === null ? findings : findings.where(notIgnored);
  const ignoredOnly = ignoredCondition(snoozes, 'only');
  const group = async (column: 'resource_type' | 'region'): Promise<WasteGroupDto[]> => {
    const rows = await base.select([sql.ref<string>(column).as('k'), ...SAVINGS_SELECT]).groupBy(column).execute();
    return rows
      .map((r) => ({ key: r.k, savings: toSavingsTotals(r) }))
      .sort((a, b) => b.savings.monthlySavings - a.savings.monthlySavings || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  const [totals, byKind, byRegion, top, ignored] = await Promise.all([
    base.select([...SAVINGS_SELECT]).executeTakeFirstOrThrow(),
    group('resource_type'),
    group('region'),
    base
      .selectAll()
      .where('protected', '=', 0)
      .where('monthly_savings', 'is not', null)
      .where('monthly_savings', '>', 0)
      .orderBy('monthly_savings', 'desc')
      .orderBy('id', 'asc')
      .limit(TOP_ITEMS)
      .execute(),
    notIgnored === null || ignoredOnly === null
      ? null
      : findings.where(ignoredOnly).select([sql<number>`COUNT(*)`.as('n'), ...SAVINGS_SELECT]).executeTakeFirstOrThrow(),
  ]);
  return {
    totals: toSavingsTotals(totals),
    byKind,
    byRegion,
    top: (await withTaskSeen(db, top)).map(toResourceDto),
    ignored: ignored === null ? { findings: 0, monthlySavings: 0 } : { findings: Number(ignored.n), monthlySavings: toSavingsTotals(ignored).monthlySavings },
  };
}
