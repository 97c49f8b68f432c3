import { exportFindings } from '../app/export-findings';
import type { SavingsTotalsDto } from '../../shared/dto/findings';
import type { DbHandle } from '../db/connection';
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
  };
}

export function money(n: number | null): string {
  return n === null ? 'unknown' : `$${n.toFixed(2)}`;
}

/** Stored findings (active, unused) of the account's latest resource scan. */
export async function findingsCommand(handle: DbHandle, accountId: string, format: 'json' | 'csv' | 'table', io: CliIo): Promise<number> {
  const scan = await latestScan(handle.db, accountId, 'resources');
  if (format === 'csv') {
    const file = await exportFindings(handle.db, { accountId }, 'csv');
    io.out(file.content.trimEnd());
    return 0;
  }
  const rows: ResourceDto[] = [];
  let savings: SavingsTotalsDto | null = null;
  for (let offset = 0; ; offset += 1000) {
    const page = await listFindings(handle.db, { accountId, limit: 1000, offset });
    rows.push(...page.rows);
    savings ??= page.savings;
    if (page.rows.length < 1000) break;
  }
  if (format === 'json') {
    io.out(JSON.stringify({ accountId, scan, savings, findings: rows.map(findingJson) }, null, 2));
    return 0;
  }
  for (const r of rows) {
    io.out([r.id, r.resourceType, r.region, r.resourceId, money(r.monthlyCost), r.protected ? 'protected' : '', r.unusedReason ?? ''].join('\t'));
  }
  // Potential savings, the app's one definition: what deleting the unprotected findings saves; protected apart.
  const s = savings;
  const unknown = s && s.unknownCount > 0 ? ` (+${s.unknownCount} of unknown savings)` : '';
  const prot = s && s.protectedFindings > 0 ? `; ${s.protectedFindings} protected (${money(s.protectedMonthlyCost)}/month, kept)` : '';
  io.out(
    `${rows.length} findings, ${money(s?.monthlySavings ?? 0)}/month to save${unknown}${prot}${scan ? `, last scan ${scan.startedAt} (${scan.status})` : ''}`,
  );
  return 0;
}
