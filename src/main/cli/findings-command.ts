import { exportFindings } from '../app/export-findings';
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
  for (let offset = 0; ; offset += 1000) {
    const page = await listFindings(handle.db, { accountId, limit: 1000, offset });
    rows.push(...page.rows);
    if (page.rows.length < 1000) break;
  }
  if (format === 'json') {
    io.out(JSON.stringify({ accountId, scan, findings: rows.map(findingJson) }, null, 2));
    return 0;
  }
  for (const r of rows) {
    io.out([r.id, r.resourceType, r.region, r.resourceId, money(r.monthlyCost), r.protected ? 'protected' : '', r.unusedReason ?? ''].join('\t'));
  }
  const total = rows.reduce((s, r) => s + (r.protected ? 0 : r.monthlyCost ?? 0), 0);
  io.out(`${rows.length} findings, ${money(total)}/month (protected excluded)${scan ? `, last scan ${scan.startedAt} (${scan.status})` : ''}`);
  return 0;
}
