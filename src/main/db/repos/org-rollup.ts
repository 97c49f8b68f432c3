/**
 * The waste of every account a home account reaches, in one picture (issue #20): each account's figures are its own
 * dashboard's (wasteSummary: unprotected, not ignored, known savings), so the roll-up's totals are exactly the sums of
 * the accounts' rows; kinds and regions are merged from the accounts' groups, and the top items are the largest over
 * all accounts.
 */
import type { Kysely } from 'kysely';
import type { OrgAccountDto, OrgRollupDto } from '../../../shared/dto/org';
import type { Database } from '../schema';
import { wasteSummary } from './waste-summary';
import { toResourceDto } from './resources';
import { currentSnoozes, ignoredCondition } from './snoozes';

const TOP_ITEMS = 10;

/** Sums rounded to a millionth of a dollar, so many accounts do not drift in floating point. */
const add = (a: number, b: number): number => Math.round((a + b) * 1e6) / 1e6;

export async function orgRollup(db: Kysely<Database>, accounts: readonly OrgAccountDto[], now: Date = new Date()): Promise<OrgRollupDto> {
  const rows: OrgRollupDto['accounts'] = [];
  const kinds = new Map<string, { findings: number; monthlySavings: number }>();
  const regions = new Map<string, { findings: number; monthlySavings: number }>();
  const top: OrgRollupDto['top'] = [];
  for (const a of accounts) {
    const w = await wasteSummary(db, a.accountId, now);
    rows.push({
      accountId: a.accountId,
      name: a.name,
      source: a.source,
      findings: w.totals.findings,
      monthlySavings: w.totals.monthlySavings,
      unknownCount: w.totals.unknownCount,
      lastScanAt: a.lastScan?.completedAt ?? a.lastScan?.startedAt ?? null,
      lastScanStatus: a.lastScan?.status ?? null,
    });
    for (const [map, groups] of [
      [kinds, w.byKind],
      [regions, w.byRegion],
    ] as const) {
      for (const g of groups) {
        const cur = map.get(g.key) ?? { findings: 0, monthlySavings: 0 };
        map.set(g.key, { findings: cur.findings + g.savings.findings, monthlySavings: add(cur.monthlySavings, g.savings.monthlySavings) });
      }
    }
    top.push(...(await largest(db, a.accountId, now)).map((r) => ({ ...r, accountName: a.name })));
  }
  const sorted = (m: Map<string, { findings: number; monthlySavings: number }>) =>
    [...m.entries()].sort(([ka, a], [kb, b]) => b.monthlySavings - a.monthlySavings || (ka < kb ? -1 : ka > kb ? 1 : 0));
  return {
    total: {
      accounts: rows.length,
      findings: rows.reduce((n, r) => n + r.findings, 0),
      monthlySavings: rows.reduce((n, r) => add(n, r.monthlySavings), 0),
      unknownCount: rows.reduce((n, r) => n + r.unknownCount, 0),
    },
    accounts: rows,
    byKind: sorted(kinds).map(([resourceType, v]) => ({ resourceType, ...v })),
    byRegion: sorted(regions).map(([region, v]) => ({ region, ...v })),
    top: top.sort((a, b) => b.monthlySavings - a.monthlySavings || a.id - b.id).slice(0, TOP_ITEMS),
  };
}

/** The account's largest unprotected findings with known savings, not ignored. */
async function largest(db: Kysely<Database>, accountId: string, now: Date): Promise<Omit<OrgRollupDto['top'][number], 'accountName'>[]> {
  let q = db
    .selectFrom('resources')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .where('unused', '=', 1)
    .where('protected', '=', 0)
    .where('monthly_savings', 'is not', null)
    .where('monthly_savings', '>', 0);
  const notIgnored = ignoredCondition(await currentSnoozes(db, accountId, now), 'exclude');
  if (notIgnored !== null) q = q.where(notIgnored);
  const rows = await q.orderBy('monthly_savings', 'desc').orderBy('id', 'asc').limit(TOP_ITEMS).execute();
  return rows.map((r) => {
    const d = toResourceDto(r);
    return { accountId, id: d.id, resourceType: d.resourceType, region: d.region, resourceId: d.resourceId, name: d.name, monthlySavings: d.monthlySavings ?? 0 };
  });
}
