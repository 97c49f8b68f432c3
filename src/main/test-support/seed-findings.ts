/**
 * Test support: findings written the way a scan writes them, on either store (issue #21), for the tests of the read
 * side (resources, snoozes, waste summary, last seen).
 *
 * SQLite: the scan's own writer (ResourceWriter, markGone, markDeleted on the raw connection), exactly as before.
 * PostgreSQL: the same statements through kysely — the upsert that writes only what changed (or revives what was gone),
 * the task's end that marks what it did not see gone and records the task, the delete that keeps the last sighting.
 * The effective last seen / last scan SQL is the writer's own (EFFECTIVE_LAST_*_SQL). When the scan's writer gains
 * its PostgreSQL version, this file should call it instead.
 */
import { sql } from 'kysely';
import { reasonCategory } from '../findings/reason-category';
import type { Finding } from '../handlers/handler';
import { EFFECTIVE_LAST_SCAN_SQL, EFFECTIVE_LAST_SEEN_SQL, markDeleted, markGone, ResourceWriter } from '../db/repos/resource-writer';
import { jsonArrayValues, type AppDb } from '../db/store';

export interface GoneTask {
  accountId: string;
  resourceType: string;
  region: string;
  scanId: number;
  /** The resource ids the task saw in this scan. */
  seen: ReadonlySet<string>;
}

// The writer's columns (resource-writer.ts UPSERT_COLUMNS / CONTENT_COLUMNS).
const UPSERT_COLUMNS = [
  'account_id', 'resource_type', 'region', 'resource_id', 'service_code', 'name', 'state', 'unused', 'unused_reason',
  'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected', 'protected_reason', 'tags', 'details', 'created_at',
  'monthly_savings', 'first_seen', 'last_seen', 'last_scan_id',
] as const;
const KEY = ['account_id', 'resource_type', 'region', 'resource_id'];
const UPDATED_ON_CONFLICT = UPSERT_COLUMNS.filter((c) => !KEY.includes(c) && c !== 'first_seen');
const CONTENT_COLUMNS = [
  'service_code', 'name', 'state', 'unused', 'unused_reason', 'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected',
  'protected_reason', 'tags', 'details', 'created_at', 'monthly_savings',
] as const;
const BATCH = 500; // 23 parameters a row: well under PostgreSQL's 65,535

const UPSERT_TAIL = sql.raw(`
ON CONFLICT (account_id, resource_type, region, resource_id) DO UPDATE SET
  ${UPDATED_ON_CONFLICT.map((c) => `${c} = excluded.${c}`).join(',\n  ')},
  status_changed_at = CASE WHEN resources.status <> 'active' THEN excluded.last_seen ELSE resources.status_changed_at END,
  status = 'active'
WHERE resources.status <> 'active' OR ${CONTENT_COLUMNS.map((c) => `resources.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ')}`);

const SETTLE_SEEN = `last_scan_id = ${EFFECTIVE_LAST_SCAN_SQL}, last_seen = ${EFFECTIVE_LAST_SEEN_SQL}`;

/** Upserts a scan's findings (one transaction), as the scan's writer does. */
export async function writeFindings(
  h: AppDb,
  accountId: string,
  findings: readonly Finding[],
  scanId: number | null,
  opts: { now?: string; serviceCode?: string } = {},
): Promise<void> {
  const now = opts.now ?? new Date().toISOString();
  const serviceCode = opts.serviceCode ?? 'AmazonEC2Other';
  if (h.dialect === 'sqlite') {
    new ResourceWriter(h.sqlite, accountId, () => serviceCode).write(findings, scanId, now);
    return;
  }
  if (findings.length === 0) return;
  // One row per resource (the last, as consecutive upserts would leave it): one INSERT cannot update a row twice.
  const byKey = new Map(findings.map((f) => [`${f.resourceType}\u0000${f.region}\u0000${f.resourceId}`, f]));
  const rows = [...byKey.values()].map((f) => [
    accountId, f.resourceType, f.region, f.resourceId, serviceCode, f.name, f.state, f.unused ? 1 : 0, f.unusedReason,
    f.reasonCategory !== undefined ? f.reasonCategory : reasonCategory(f.unusedReason), f.unusedSince, f.monthlyCost, f.costBasis,
    f.protected ? 1 : 0, f.protectedReason, JSON.stringify(f.tags), JSON.stringify(f.details), f.createdAt, f.monthlySavings ?? null,
    now, now, scanId,
  ]);
  await h.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const values = sql.join(rows.slice(i, i + BATCH).map((r) => sql`(${sql.join(r)}, 'active')`));
      await sql`INSERT INTO resources (${sql.raw(UPSERT_COLUMNS.join(', '))}, status) VALUES ${values} ${UPSERT_TAIL}`.execute(trx);
    }
  });
}

/** A task's successful end, as the scan does it: what it did not see is gone; the task is recorded as seen now. */
export async function endTask(h: AppDb, q: GoneTask, now = new Date().toISOString()): Promise<number> {
  if (h.dialect === 'sqlite') return markGone(h.sqlite, q, now);
  return h.db.transaction().execute(async (trx) => {
    const res = await sql`
      UPDATE resources SET status = 'gone', status_changed_at = ${now}, ${sql.raw(SETTLE_SEEN)}
      WHERE account_id = ${q.accountId} AND resource_type = ${q.resourceType} AND region = ${q.region} AND status = 'active'
        AND resource_id NOT IN ${jsonArrayValues('postgres', JSON.stringify([...q.seen]))}`.execute(trx);
    await sql`
      INSERT INTO resource_tasks (account_id, resource_type, region, last_scan_id, last_seen) VALUES (${q.accountId}, ${q.resourceType}, ${q.region}, ${q.scanId}, ${now})
      ON CONFLICT (account_id, resource_type, region) DO UPDATE SET last_scan_id = excluded.last_scan_id, last_seen = excluded.last_seen`.execute(trx);
    return Number(res.numAffectedRows ?? 0);
  });
}

/** The app deleted the resource: its row stays, `deleted`, with the last time a scan really saw it. */
export async function deleteFinding(h: AppDb, id: number, now = new Date().toISOString()): Promise<void> {
  if (h.dialect === 'sqlite') {
    markDeleted(h.sqlite, id, now);
    return;
  }
  await sql`UPDATE resources SET status = 'deleted', status_changed_at = ${now}, ${sql.raw(SETTLE_SEEN)} WHERE id = ${id}`.execute(h.db);
}
