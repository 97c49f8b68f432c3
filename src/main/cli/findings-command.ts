import { exportFindings } from '../app/export-findings';
import type { SavingsTotalsDto } from '../../shared/dto/findings';
import type { IgnoredMode, IgnoredTotalsDto } from '../../shared/dto/snooze';
import type { AppDb } from '../db/store';
import { latestScan } from '../db/repos/scans';
import { listFindings, type ResourceDto } from '../db/repos/resources';
import type { CliIo } from './main';

/** The CLI's view of a finding (`id` is what `clean --finding` takes). */
export function findingJson(r: ResourceDto) {
  return {
    id: r.id,
    resourceId: r.resourceId,
    type: r.resourceType,
    region: r.region,
    name: r.name,
    state: r.state,
    reason: r.unusedReason,
    since: r.unusedSince,
    monthlyCost: r.monthlyCost,
    /** What deleting it saves (own cost + parts removed with it); null = unknown. */
    monthlySavings: r.monthlySavings,
    costBasis: r.costBasis,
    protected: r.protected,
    protectedReason: r.protectedReason,
    tags: r.tags,
    /** The current snooze ("ignored until … because …"); null when not ignored. */
    ignored: r.snooze === null ? null : { scope: r.snooze.scope, tagKey: r.snooze.tagKey, tagValue: r.snooze.tagValue, reason: r.snooze.reason, until: r.snooze.until },
  };
}

export function money(n: number | null): string {
  return n === null ? 'unknown' : `$${n.toFixed(2)}`;
}

/**
 * Stored findings (active, unused) of the account's latest resource scan. Findings the user ignores (snoozes) are left
 * out, as in the app's totals; the summary says how many and what they would save.
 */
export async function findingsCommand(
  handle: AppDb,
  accountId: string,
  format: 'json' | 'csv' | 'table',
  io: CliIo,
  /** Ignored (snoozed) findings: left out (default), included, or the only ones listed. */
  ignoredMode: IgnoredMode = 'exclude',
): Promise<number> {
  const scan = await latestScan(handle.db, accountId, 'resources');
  if (format === 'csv') {
    const file = await exportFindings(handle.db, { accountId, ignored: ignoredMode }, 'csv');
    io.out(file.content.trimEnd());
    return 0;
  }
  const rows: ResourceDto[] = [];
  let savings: SavingsTotalsDto | null = null;
  let ignored: IgnoredTotalsDto = { findings: 0, monthlySavings: 0 };
  for (let offset = 0; ; offset += 1000) {
    const page = await listFindings(handle.db, { accountId, ignored: ignoredMode, limit: 1000, offset });
    rows.push(...page.rows);
    if (savings === null) {
      savings = page.savings;
      ignored = page.ignored ?? ignored;
    }
    if (page.rows.length < 1000) break;
  }
  if (format === 'json') {
    io.out(JSON.stringify({ accountId, scan, savings, ignored, findings: rows.map(findingJson) }, null, 2));
    return 0;
  }
  for (const r of rows) {
    const why = r.snooze === null ? '' : `ignored ${r.snooze.until === null ? 'for good' : `until ${r.snooze.until}`}: ${r.snooze.reason}`;
    io.out([r.id, r.resourceType, r.region, r.resourceId, money(r.monthlyCost), r.protected ? 'protected' : '', r.unusedReason ?? '', ...(why ? [why] : [])].join('\t'));
  }
  // Potential savings, the app's one definition: what deleting the unprotected findings saves; protected apart.
  const s = savings;
  const unknown = s && s.unknownCount > 0 ? ` (+${s.unknownCount} of unknown savings)` : '';
  const prot = s && s.protectedFindings > 0 ? `; ${s.protectedFindings} protected (${money(s.protectedMonthlyCost)}/month, kept)` : '';
  const ign = ignored.findings > 0 && ignoredMode === 'exclude' ? `; ${ignored.findings} ignored (${money(ignored.monthlySavings)}/month, not counted)` : '';
  io.out(
    `${rows.length} findings, ${money(s?.monthlySavings ?? 0)}/month to save${unknown}${prot}${ign}${scan ? `, last scan ${scan.startedAt} (${scan.status})` : ''}`,
  );
  return 0;
}
