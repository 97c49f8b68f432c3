import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { listFindings, type FindingsQuery, type ResourceDto } from '../db/repos/resources';

export const EXPORT_COLUMNS = [
  'id',
  'resourceType',
  'region',
  'resourceId',
  'name',
  'state',
  'unusedReason',
  'unusedSince',
  'monthlyCost',
  // What deleting it saves (the potential-savings definition): own cost + parts removed with it.
  'monthlySavings',
  'costBasis',
  'protected',
  'protectedReason',
  'createdAt',
  'firstSeen',
  'lastSeen',
  'status',
  'tags',
] as const;

/**
 * Every row says whether it is ignored, why and until when (empty when not ignored; an ignored row with an empty
 * ignoredUntil is ignored for good). Which rows are exported follows the filter: by default ignored findings are left
 * out, as in the totals; the findings page's Ignored choice exports them too, or only them.
 */
export const IGNORED_COLUMNS = ['ignored', 'ignoredScope', 'ignoredReason', 'ignoredUntil'] as const;

function ignoredCells(r: ResourceDto): unknown[] {
  const s = r.snooze;
  if (s === null) return [false, null, null, null];
  return [true, s.scope === 'tag' ? `tag ${s.tagKey ?? ''}=${s.tagValue ?? ''}` : 'finding', s.reason, s.until];
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; formula-leading cells are neutralised. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheet apps (CSV injection): prefix a quote.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function row(r: ResourceDto): unknown[] {
  return [...EXPORT_COLUMNS.map((c) => r[c]), ...ignoredCells(r)];
}

/** Every finding matching the filter, read page by page in SQL (never one huge query result). */
async function* allFindings(db: Kysely<Database>, q: FindingsQuery): AsyncGenerator<ResourceDto[]> {
  const limit = 1000;
  for (let offset = 0; ; offset += limit) {
    const page = await listFindings(db, { ...q, limit, offset });
    if (page.rows.length > 0) yield page.rows;
    if (page.rows.length < limit) return;
  }
}

export async function exportFindings(
  db: Kysely<Database>,
  q: FindingsQuery,
  format: 'csv' | 'json',
  now = new Date(),
): Promise<{ filename: string; mimeType: string; content: string }> {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const base = `cloud-cleaner-findings-${q.accountId}-${stamp}`;
  if (format === 'csv') {
    const lines = [[...EXPORT_COLUMNS, ...IGNORED_COLUMNS].join(',')];
    for await (const rows of allFindings(db, q)) for (const r of rows) lines.push(row(r).map(csvField).join(','));
    return { filename: `${base}.csv`, mimeType: 'text/csv', content: `${lines.join('\r\n')}\r\n` };
  }
  const all: ResourceDto[] = [];
  for await (const rows of allFindings(db, q)) all.push(...rows);
  return { filename: `${base}.json`, mimeType: 'application/json', content: JSON.stringify(all, null, 2) };
}
