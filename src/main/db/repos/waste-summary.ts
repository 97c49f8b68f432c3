/**
 * The dashboard's picture of the waste: potential savings by kind and by region, and the five largest items, over the
 * account's active unused findings. Every figure is the one definition of potential savings (SAVINGS_SELECT:
 * unprotected findings' known savings; protected findings as their own figure), so the groups add up to the total.
 */
import { sql, type Kysely } from 'kysely';
import type { WasteGroupDto, WasteSummaryDto } from '../../../shared/dto/findings';
import type { Database } from '../schema';
import { SAVINGS_SELECT, toResourceDto, toSavingsTotals } from './resources';

const TOP_ITEMS = 5;

export async function wasteSummary(db: Kysely<Database>, accountId: string): Promise<WasteSummaryDto> {
  const base = db.selectFrom('resources').where('account_id', '=', accountId).where('status', '=', 'active').where('unused', '=', 1);
  const group = async (column: 'resource_type' | 'region'): Promise<WasteGroupDto[]> => {
    const rows = await base.select([sql.ref<string>(column).as('k'), ...SAVINGS_SELECT]).groupBy(column).execute();
    return rows
      .map((r) => ({ key: r.k, savings: toSavingsTotals(r) }))
      .sort((a, b) => b.savings.monthlySavings - a.savings.monthlySavings || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  const [totals, byKind, byRegion, top] = await Promise.all([
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
  ]);
  return { totals: toSavingsTotals(totals), byKind, byRegion, top: top.map(toResourceDto) };
}
