/**
 * Runs and the audit log for "upload my history" (upload-history.ts): scans, their failures, cleanup plans and
 * deletions. Scans, failures and audit rows have surrogate ids only: they get the server's ids and an origin (migration
 * 0012) that makes each an insert-if-absent; plans keep their UUID. Their references are remapped to server ids.
 */
import { sql } from 'kysely';
import type { DbHandle } from './connection';
import type { Run } from './upload-history';
import { big, inServerTransaction, insertWithOrigin, int, localChunks, localCount, real, text, unnest, upsertChunk, type Row } from './upload-pg';

const SCAN_COLS = [
  ...text('account_id', 'kind'), ...big('parent_scan_id'), ...text('regions', 'status', 'started_at', 'completed_at'),
  ...int('duration_ms', 'tasks_total', 'tasks_failed', 'resources_seen', 'findings_count'), ...real('monthly_savings'),
  ...int('services_found', 'requests'), ...text('error_code', 'error', 'options'),
  ...int('metrics_requested', 'metric_calls', 'metrics_cached', 'list_metrics_calls'),
];
const RUNNING = 'still running here (upload again once it has ended)';

/**
 * Scans are history: inserted once (by origin), never rewritten. A scan still running here is skipped. The owner
 * (pid, process start) is this machine's and means nothing on the server: not copied. A child is linked to its parent
 * once both are on the server (at the end: the parent may have been running, and skipped, when the child went up).
 */
export async function uploadScans(run: Run): Promise<void> {
  const sqlite = run.from.sqlite;
  run.skip('scans', RUNNING, localCount(sqlite, 'scans', `status = 'running'`));
  const total = localCount(sqlite, 'scans', `status <> 'running'`);
  const children: { id: number; parent: number }[] = [];
  const select = `id, ${SCAN_COLS.map((c) => c.name).join(', ')}`;
  for (const local of localChunks(sqlite, { table: 'scans', select, where: `status <> 'running'` }, run.chunk)) {
    const rows = local.map((r): Row => {
      const parent = r['parent_scan_id'] as number | null;
      if (parent !== null) children.push({ id: r['id'] as number, parent });
      return { ...r, parent_scan_id: null, origin: `${run.storeId}/${r['id'] as number}@${r['started_at'] as string}` };
    });
    await run.step('scans', rows, total, async (trx) => {
      const { inserted, ids } = await insertWithOrigin(trx, { table: 'scans', originTable: 'scan_origins', idColumn: 'scan_id' }, SCAN_COLS, rows);
      for (const r of rows) {
        const id = ids.get(r['origin'] as string);
        if (id !== undefined) run.scanIds.set(r['id'] as number, id);
      }
      return { inserted, updated: 0 };
    });
  }
  const links = children.flatMap((o) => {
    const child = run.scanIds.get(o.id);
    const parent = run.scanIds.get(o.parent);
    return child !== undefined && parent !== undefined ? [{ child, parent }] : [];
  });
  if (links.length > 0) {
    await inServerTransaction(run.to, run.storeId, async (trx) => {
      await sql`UPDATE scans SET parent_scan_id = u.parent FROM unnest(${links.map((l) => l.child)}::bigint[], ${links.map((l) => l.parent)}::bigint[]) AS u(child, parent)
        WHERE scans.id = u.child AND scans.parent_scan_id IS NULL`.execute(trx);
    });
  }
}

const FAILURE_COLS = [...big('scan_id'), ...text('region', 'handler', 'error_code', 'message', 'at')];

export async function uploadScanFailures(run: Run): Promise<void> {
  const total = localCount(run.from.sqlite, 'scan_failures', `scan_id NOT IN (SELECT id FROM scans WHERE status = 'running')`);
  const select = `id, ${FAILURE_COLS.map((c) => c.name).join(', ')}`;
  for (const local of localChunks(run.from.sqlite, { table: 'scan_failures', select }, run.chunk)) {
    const rows = local
      .filter((r) => run.scanIds.has(r['scan_id'] as number))
      .map((r) => ({ ...r, scan_id: run.scanIds.get(r['scan_id'] as number), origin: `${run.storeId}/${r['id'] as number}@${r['at'] as string}` }));
    run.skip('scan_failures', `its scan is ${RUNNING}`, local.length - rows.length);
    await run.step('scan_failures', rows, total, async (trx) => {
      const { inserted } = await insertWithOrigin(trx, { table: 'scan_failures', originTable: 'scan_failure_origins', idColumn: 'scan_failure_id' }, FAILURE_COLS, rows);
      return { inserted, updated: 0 };
    });
  }
}

/** Local resource ids the plans and the audit log name (their server ids are looked up by natural key). */
export function referencedResources(from: DbHandle): Set<number> {
  const ids = new Set<number>();
  for (const r of from.sqlite.prepare('SELECT DISTINCT resource_pk AS id FROM deletions WHERE resource_pk IS NOT NULL').all() as { id: number }[]) ids.add(r.id);
  for (const p of from.sqlite.prepare('SELECT items, options FROM cleanup_plans').all() as { items: string; options: string }[]) {
    remapPlanJson(p.items, p.options, (id) => {
      ids.add(id);
      return id;
    });
  }
  return ids;
}

interface StoredPlanJson {
  items?: { findingId: number }[];
  refused?: { findingId: number }[];
}
interface PlanOptionsJson {
  addedParts?: Record<string, string[]>;
  lastDryRun?: { at: string; passed: number[] };
}

/** A plan's JSON with every finding id (`resources.id`) passed through `map`. */
export function remapPlanJson(items: string, options: string, map: (id: number) => number): { items: string; options: string } {
  const stored = JSON.parse(items) as StoredPlanJson;
  for (const i of stored.items ?? []) i.findingId = map(i.findingId);
  for (const r of stored.refused ?? []) r.findingId = map(r.findingId);
  const o = JSON.parse(options) as PlanOptionsJson;
  if (o.addedParts) o.addedParts = Object.fromEntries(Object.entries(o.addedParts).map(([k, v]) => [String(map(Number(k))), v]));
  if (o.lastDryRun?.passed) o.lastDryRun.passed = o.lastDryRun.passed.map(map);
  return { items: JSON.stringify(stored), options: JSON.stringify(o) };
}

const PLAN_COLS = [...text('id', 'account_id', 'created_at', 'status', 'items'), ...real('monthly_savings'), ...text('options', 'completed_at')];

/**
 * Plans keep their id (a random UUID: the same plan everywhere). A plan the server has and has not ended takes the
 * local state (this machine ran it); an ended one is history. Finding ids are remapped; a finding id that names no
 * local resource (a refused id that named nothing) becomes 0, which names nothing on the server either.
 */
export async function uploadPlans(run: Run, resourceIds: Map<number, number>): Promise<void> {
  const sqlite = run.from.sqlite;
  run.skip('cleanup_plans', RUNNING, localCount(sqlite, 'cleanup_plans', `status = 'running'`));
  const total = localCount(sqlite, 'cleanup_plans', `status <> 'running'`);
  const conflict = sql.raw(`ON CONFLICT (id) DO UPDATE SET status = excluded.status, items = excluded.items, monthly_savings = excluded.monthly_savings,
    options = excluded.options, completed_at = excluded.completed_at
    WHERE cleanup_plans.completed_at IS NULL
      AND (cleanup_plans.status, cleanup_plans.options, cleanup_plans.completed_at) IS DISTINCT FROM (excluded.status, excluded.options, excluded.completed_at)`);
  for (const local of localChunks(sqlite, { table: 'cleanup_plans', select: PLAN_COLS.map((c) => c.name).join(', '), where: `status <> 'running'` }, run.chunk)) {
    const rows = local.map((r) => ({ ...r, ...remapPlanJson(r['items'] as string, r['options'] as string, (id) => resourceIds.get(id) ?? 0) }));
    await run.step('cleanup_plans', rows, total, (trx) => upsertChunk(trx, 'cleanup_plans', PLAN_COLS, rows, conflict));
  }
}

const DELETION_COLS = [
  ...text('account_id', 'plan_id'), ...big('resource_pk'), ...text('resource_type', 'region', 'resource_id', 'action', 'target'),
  ...int('dry_run'), ...text('dry_run_result', 'outcome', 'error_code', 'error_message', 'requested_at', 'completed_at', 'details'),
];

/**
 * The audit log is history: each row inserted once (by origin), in the local order. The one change the log allows
 * locally — a `pending` call completed with AWS's answer — is carried over too.
 */
export async function uploadDeletions(run: Run, resourceIds: Map<number, number>): Promise<void> {
  const total = localCount(run.from.sqlite, 'deletions');
  const select = `id, ${DELETION_COLS.map((c) => c.name).join(', ')}`;
  for (const local of localChunks(run.from.sqlite, { table: 'deletions', select }, run.chunk)) {
    const rows = local.map((r): Row => ({
      ...r,
      resource_pk: r['resource_pk'] === null ? null : (resourceIds.get(r['resource_pk'] as number) ?? null),
      origin: `${run.storeId}/${r['id'] as number}@${r['requested_at'] as string}`,
    }));
    await run.step('deletions', rows, total, async (trx) => {
      const { inserted } = await insertWithOrigin(trx, { table: 'deletions', originTable: 'deletion_origins', idColumn: 'deletion_id' }, DELETION_COLS, rows);
      const done = rows.filter((r) => r['outcome'] !== 'pending');
      if (done.length === 0) return { inserted, updated: 0 };
      const cols = text('origin', 'outcome', 'dry_run_result', 'error_code', 'error_message', 'completed_at', 'details');
      const res = await sql`UPDATE deletions SET outcome = u.outcome, dry_run_result = u.dry_run_result, error_code = u.error_code,
          error_message = u.error_message, completed_at = u.completed_at, details = u.details
        FROM ${unnest(cols, done)}
        JOIN deletion_origins o ON o.origin = u.origin
        WHERE deletions.id = o.deletion_id AND deletions.outcome = 'pending'`.execute(trx);
      return { inserted, updated: Number(res.numAffectedRows ?? 0n) };
    });
  }
}
