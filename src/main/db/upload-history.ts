/**
 * "Upload my history" (issue #21): a one-way copy of the local SQLite history into a PostgreSQL team store,
 * idempotent — a second run, or a run after an interrupted one, adds nothing twice. The local file is only read.
 *
 * Identity on the server:
 * - tables with a natural key (accounts, org_*, services, cost_history, ce_requests, resources, resource_tasks,
 *   cleanup_plans — a random UUID —, snoozes, metric_series, price_cache) meet the server's rows on that key (ON
 *   CONFLICT), and a local row replaces the server's only when it is newer (each table's rule below);
 * - scans, scan_failures and deletions have only surrogate ids: they get new ids on the server, and an origin
 *   (`<local store id>/<local id>@<time>`, migration 0012) recorded beside them makes them insert-if-absent;
 * - every foreign key is remapped: services → cost_history, scans → scans.parent / scan_failures / resources /
 *   resource_tasks, resources → deletions.resource_pk and the plans' finding ids (items, refusals, added parts, the
 *   dry run's cleared items).
 * Not copied: settings (local preferences, local paths), run_leases (who runs what on this machine now),
 * kysely_migration*, store_identity, the origin tables, resource_search (the server's triggers rebuild it).
 * Runs still going here (a `running` scan or plan) are skipped: upload again once they have ended.
 */
import { sql, type Transaction } from 'kysely';
import { AppError } from '../../shared/errors';
import type { DbHandle } from './connection';
import type { PostgresHandle } from './postgres';
import type { Database } from './schema';
import { uploadResources, uploadResourceTasks, resourceIdMap } from './upload-resources';
import { referencedResources, uploadDeletions, uploadPlans, uploadScanFailures, uploadScans } from './upload-runs';
import {
  big, inServerTransaction, int, localChunks, localCount, real, text, upsertChunk,
  type Col, type Row, type Written,
} from './upload-pg';

export const UPLOAD_TABLES = [
  'accounts', 'org_homes', 'org_accounts', 'services', 'cost_history', 'ce_requests', 'scans', 'scan_failures', 'resources',
  'resource_tasks', 'cleanup_plans', 'deletions', 'snoozes', 'metric_series', 'price_cache',
] as const;
export type UploadTable = (typeof UPLOAD_TABLES)[number];

export interface TableUpload {
  /** Rows the server did not have. */
  copied: number;
  /** Rows the server had, replaced by a newer local version (never for scans and failures: history). */
  updated: number;
  /** Rows the server already had in this or a newer version. */
  alreadyThere: number;
  skipped: number;
  /** Why rows were skipped: reason → rows. */
  reasons: Record<string, number>;
}

export interface UploadReport {
  /** The local store's id (origins on the server start with it). */
  storeId: string;
  tables: Record<UploadTable, TableUpload>;
  /** Server resources marked gone: active there, but not seen by a later scan of their task here. */
  markedGone: number;
  ms: number;
}

export interface UploadProgress {
  table: UploadTable;
  /** Local rows of the table handled so far, of `total`. */
  done: number;
  total: number;
}

export interface UploadOptions {
  /** Checked before each chunk: an aborted upload stops between two committed chunks (run it again to finish). */
  signal?: AbortSignal;
  onProgress?: (p: UploadProgress) => void;
  /** Rows per chunk (one statement, one transaction on the server). */
  chunkRows?: number;
}

const DEFAULT_CHUNK = 5000;

/** The per-run context shared by the table steps. */
export interface Run {
  from: DbHandle;
  to: PostgresHandle;
  storeId: string;
  chunk: number;
  report: UploadReport;
  scanIds: Map<number, number>;
  /** One chunk (its rows, or their number): abort check, a transaction on the server, counts, progress. */
  step(table: UploadTable, rows: readonly Row[] | number, total: number, fn: (trx: Transaction<Database>) => Promise<Written>): Promise<void>;
  skip(table: UploadTable, reason: string, rows: number): void;
}

export async function uploadHistory(from: DbHandle, to: PostgresHandle, opts: UploadOptions = {}): Promise<UploadReport> {
  const started = Date.now();
  const storeId = await localStoreId(from);
  await requireOriginTables(to);
  const tables = Object.fromEntries(UPLOAD_TABLES.map((t) => [t, { copied: 0, updated: 0, alreadyThere: 0, skipped: 0, reasons: {} }])) as Record<UploadTable, TableUpload>;
  const report: UploadReport = { storeId, tables, markedGone: 0, ms: 0 };
  const done = new Map<UploadTable, number>();
  const run: Run = {
    from, to, storeId, report,
    chunk: opts.chunkRows ?? DEFAULT_CHUNK,
    scanIds: new Map(),
    async step(table, chunk, total, fn) {
      const rows = typeof chunk === 'number' ? chunk : chunk.length;
      if (opts.signal?.aborted) {
        throw new AppError('cancelled', `The upload was stopped before ${table} (what was sent is on the server; upload again to finish).`, { table });
      }
      const w = rows === 0 ? { inserted: 0, updated: 0 } : await inServerTransaction(to, storeId, fn);
      tables[table].copied += w.inserted;
      tables[table].updated += w.updated;
      tables[table].alreadyThere += rows - w.inserted - w.updated;
      done.set(table, (done.get(table) ?? 0) + rows);
      opts.onProgress?.({ table, done: done.get(table)!, total });
    },
    skip(table, reason, rows) {
      if (rows === 0) return;
      tables[table].skipped += rows;
      tables[table].reasons[reason] = (tables[table].reasons[reason] ?? 0) + rows;
    },
  };
  for (const t of ACCOUNT_TABLES) await simpleTable(run, t);
  await uploadServices(run);
  await simpleTable(run, CE_REQUESTS);
  await uploadScans(run);
  await uploadScanFailures(run);
  await uploadResources(run);
  await uploadResourceTasks(run);
  const resourceIds = await resourceIdMap(run, referencedResources(from));
  await uploadPlans(run, resourceIds);
  await uploadDeletions(run, resourceIds);
  await uploadSnoozes(run);
  for (const t of CACHES) await simpleTable(run, t);
  report.ms = Date.now() - started;
  return report;
}

async function localStoreId(from: DbHandle): Promise<string> {
  try {
    const row = from.sqlite.prepare('SELECT id FROM store_identity ORDER BY created_at LIMIT 1').get() as { id: string } | undefined;
    if (row) return row.id;
  } catch {
    // no such table: an older schema
  }
  throw new AppError('db.needs_migration', `The local database ${from.file} must be updated by this version of Cloud Cleaner before its history can be uploaded.`, { file: from.file });
}

async function requireOriginTables(to: PostgresHandle): Promise<void> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::integer AS n FROM pg_tables
    WHERE schemaname = current_schema() AND tablename IN ('scan_origins', 'scan_failure_origins', 'deletion_origins')`.execute(to.db);
  if (rows[0]?.n !== 3) {
    throw new AppError('db.needs_migration', `The team store (PostgreSQL ${to.server}) must be updated to this version of Cloud Cleaner before a history can be uploaded into it.`, { server: to.server });
  }
}

/** A table copied as it is, on its natural key, with its rule for "the local row is newer". */
interface SimpleTable {
  table: UploadTable;
  cols: Col[];
  key: string;
  /** Columns a newer local row replaces. */
  set: string[];
  /** SQL true when `excluded` (local) is newer than the server's row (named by the table). */
  newer: string;
  withoutRowid?: boolean;
  /** Extra assignments of an update. */
  also?: string;
}

const version = (row: string, cols: string[]): string => `greatest(${cols.map((c) => `coalesce(${row}.${c}, '')`).join(', ')})`;

const ACCOUNT_TABLES: SimpleTable[] = [
  {
    table: 'accounts',
    cols: text('id', 'alias', 'partition', 'arn', 'last_profile', 'first_seen', 'last_seen'),
    key: '(id)',
    set: ['alias', 'partition', 'arn', 'last_profile', 'last_seen'],
    newer: 'excluded.last_seen > accounts.last_seen',
    also: 'first_seen = least(accounts.first_seen, excluded.first_seen)',
  },
  {
    table: 'org_homes',
    cols: text('home_account_id', 'default_role_name', 'organization_id', 'listed_at', 'list_error_code', 'list_error', 'list_error_at'),
    key: '(home_account_id)',
    set: ['default_role_name', 'organization_id', 'listed_at', 'list_error_code', 'list_error', 'list_error_at'],
    newer: `${version('excluded', ['listed_at', 'list_error_at'])} > ${version('org_homes', ['listed_at', 'list_error_at'])}`,
  },
  {
    table: 'org_accounts',
    cols: text('home_account_id', 'account_id', 'name', 'email', 'source', 'role_name', 'listed_at', 'last_error_code', 'last_error', 'last_error_at', 'created_at'),
    key: '(home_account_id, account_id)',
    set: ['name', 'email', 'source', 'role_name', 'listed_at', 'last_error_code', 'last_error', 'last_error_at', 'created_at'],
    newer: `${version('excluded', ['created_at', 'listed_at', 'last_error_at'])} > ${version('org_accounts', ['created_at', 'listed_at', 'last_error_at'])}`,
  },
];

/**
 * Caches, shared too: a metric series costs money to fetch again (GetMetricData), and prices are the same for everyone
 * in a region. The later fetch wins.
 */
const CACHES: SimpleTable[] = [
  {
    table: 'metric_series',
    cols: text('account_id', 'region', 'query_key', 'start_time', 'end_time', 'points', 'fetched_at'),
    key: '(account_id, region, query_key, start_time, end_time)',
    set: ['points', 'fetched_at'],
    newer: 'excluded.fetched_at > metric_series.fetched_at',
    withoutRowid: true,
  },
  {
    table: 'price_cache',
    cols: text('region', 'prices', 'fetched_at'),
    key: '(region)',
    set: ['prices', 'fetched_at'],
    newer: 'excluded.fetched_at > price_cache.fetched_at',
  },
];

/**
 * Cost Explorer requests per account and day: two people's requests of one day add up, but a re-run must not add
 * them again, and the server cannot tell whether its count already holds ours: the larger count is kept.
 */
const CE_REQUESTS: SimpleTable = {
  table: 'ce_requests',
  cols: [...text('account_id', 'day'), ...int('requests')],
  key: '(account_id, day)',
  set: ['requests'],
  newer: 'excluded.requests > ce_requests.requests',
};

async function simpleTable(run: Run, t: SimpleTable): Promise<void> {
  const total = localCount(run.from.sqlite, t.table);
  const conflict = sql.raw(
    `ON CONFLICT ${t.key} DO UPDATE SET ${[...t.set.map((c) => `${c} = excluded.${c}`), ...(t.also ? [t.also] : [])].join(', ')} WHERE ${t.newer}`,
  );
  const select = t.cols.map((c) => c.name).join(', ');
  for (const rows of localChunks(run.from.sqlite, { table: t.table, select, ...(t.withoutRowid ? { withoutRowid: true } : {}) }, run.chunk)) {
    await run.step(t.table, rows, total, (trx) => upsertChunk(trx, t.table, t.cols, rows, conflict));
  }
}

const SERVICE_COLS = [...text('account_id', 'code', 'display_name', 'category'), ...int('active'), ...real('period_cost'), ...text('period_start', 'period_end', 'first_seen', 'last_seen', 'metadata')];
const COST_COLS = [...big('service_id'), ...text('date'), ...real('cost'), ...text('cost_text'), ...real('usage_quantity'), ...text('usage_unit'), ...int('estimated'), ...text('updated_at')];

/** Services on (account, code), the later `last_seen` wins; then their daily costs on (service, date), the later update wins. */
async function uploadServices(run: Run): Promise<void> {
  const serviceIds = new Map<number, number>();
  const conflict = sql.raw(`ON CONFLICT (account_id, code) DO UPDATE SET
    ${['display_name', 'category', 'active', 'period_cost', 'period_start', 'period_end', 'last_seen', 'metadata'].map((c) => `${c} = excluded.${c}`).join(', ')},
    first_seen = least(services.first_seen, excluded.first_seen) WHERE excluded.last_seen > services.last_seen`);
  const total = localCount(run.from.sqlite, 'services');
  for (const rows of localChunks(run.from.sqlite, { table: 'services', select: `id, ${SERVICE_COLS.map((c) => c.name).join(', ')}` }, run.chunk)) {
    await run.step('services', rows, total, async (trx) => {
      const w = await upsertChunk(trx, 'services', SERVICE_COLS, rows, conflict);
      const { rows: ids } = await sql<{ id: number; lid: number }>`
        SELECT s.id, u.lid FROM unnest(${rows.map((r) => r['account_id'])}::text[], ${rows.map((r) => r['code'])}::text[], ${rows.map((r) => r['id'])}::bigint[]) AS u(account_id, code, lid)
        JOIN services s ON s.account_id = u.account_id AND s.code = u.code`.execute(trx);
      for (const r of ids) serviceIds.set(r.lid, r.id);
      return w;
    });
  }
  const costConflict = sql.raw(`ON CONFLICT (service_id, date) DO UPDATE SET
    ${['cost', 'cost_text', 'usage_quantity', 'usage_unit', 'estimated', 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE excluded.updated_at > cost_history.updated_at`);
  const costTotal = localCount(run.from.sqlite, 'cost_history');
  for (const local of localChunks(run.from.sqlite, { table: 'cost_history', select: COST_COLS.map((c) => c.name).join(', ') }, run.chunk)) {
    const rows = local.filter((r) => serviceIds.has(r['service_id'] as number)).map((r) => ({ ...r, service_id: serviceIds.get(r['service_id'] as number) }));
    run.skip('cost_history', 'its service was not uploaded', local.length - rows.length);
    await run.step('cost_history', rows, costTotal, (trx) => upsertChunk(trx, 'cost_history', COST_COLS, rows, costConflict));
  }
}

const SNOOZE_COLS = text('account_id', 'scope', 'resource_type', 'region', 'resource_id', 'tag_key', 'tag_value', 'until', 'reason', 'created_at');

/** One snooze per finding and per tag (0008): the later snooze (created_at) wins, as snoozing again does. */
async function uploadSnoozes(run: Run): Promise<void> {
  const set = 'DO UPDATE SET until = excluded.until, reason = excluded.reason, created_at = excluded.created_at WHERE excluded.created_at > snoozes.created_at';
  const conflicts = {
    finding: sql.raw(`ON CONFLICT (account_id, resource_type, region, resource_id) WHERE scope = 'finding' ${set}`),
    tag: sql.raw(`ON CONFLICT (account_id, tag_key, tag_value) WHERE scope = 'tag' ${set}`),
  };
  const total = localCount(run.from.sqlite, 'snoozes');
  for (const rows of localChunks(run.from.sqlite, { table: 'snoozes', select: SNOOZE_COLS.map((c) => c.name).join(', ') }, run.chunk)) {
    await run.step('snoozes', rows, total, async (trx) => {
      const a = await upsertChunk(trx, 'snoozes', SNOOZE_COLS, rows.filter((r) => r['scope'] === 'finding'), conflicts.finding);
      const b = await upsertChunk(trx, 'snoozes', SNOOZE_COLS, rows.filter((r) => r['scope'] === 'tag'), conflicts.tag);
      return { inserted: a.inserted + b.inserted, updated: a.updated + b.updated };
    });
  }
}
