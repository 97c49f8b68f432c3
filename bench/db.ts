/**
 * bench:db — 100,000 findings upserted, each task (kind × region) ended with markGone as the scanner does (then the
 * same again, as an unchanged re-scan does), and the median time to fetch one filtered, sorted page of them. Prints
 * one JSON line per store: the SQLite file, then (issue #21) a PostgreSQL database — the server given by
 * BENCH_DATABASE_URL (a database the bench may fill and empty), else a throwaway local server (Debian's binaries,
 * as the tests start it), else a line saying why it was skipped. The last line is the SQLite one's summary too.
 *
 * plain_insert_floor_ms: the same rows written as plain INSERTs into a table with no key, index or constraint, in the
 * same batches, on the same store — what the store alone costs on this machine before any upsert logic or index; the
 * median of three runs (plain_insert_floor_runs_ms).
 */
import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAndMigrate } from '../src/main/db/database';
import { migratePostgres } from '../src/main/db/migrator';
import { openPostgres } from '../src/main/db/postgres';
import type { AppDb } from '../src/main/db/store';
import { upsertAccount } from '../src/main/db/repos/accounts';
import { findingsWriter, markTaskGone, refreshStatistics } from '../src/main/db/repos/findings-store';
import { createScan } from '../src/main/db/repos/scans';
import { listFindings } from '../src/main/db/repos/resources';
import { freshDatabase, startPostgres, type PostgresServer } from '../src/main/test-support/postgres-server';
import type { Finding } from '../src/main/handlers/handler';
import { ACCOUNT, makeFinding, median, plainInsertFloorMs, plainInsertFloorMsPostgres } from './synthetic-findings';

const N = Number(process.env.BENCH_ROWS ?? 100_000);
// The scanner commits in transactions of up to 5,000 rows (scan/batched-writer.ts).
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);

async function workload(h: AppDb, rows: readonly Finding[], floorMs: () => Promise<number>): Promise<Record<string, unknown>> {
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'bench' });
  // BENCH_WRITER=inline: SQLite's writer on this thread, as before the writer thread (for comparison).
  const writer = findingsWriter(h, ACCOUNT, () => 'AmazonEC2Other', { thread: process.env.BENCH_WRITER !== 'inline' });
  // The tasks (kind × region) and what each saw: a scan ends each task with markGone, timed with the writes (an
  // unchanged re-scan writes no row; its resources' last seen moves with their task's, recorded there).
  const tasks = new Map<string, { resourceType: string; region: string; seen: Set<string> }>();
  for (const f of rows) {
    const key = `${f.resourceType}|${f.region}`;
    let task = tasks.get(key);
    if (!task) tasks.set(key, (task = { resourceType: f.resourceType, region: f.region, seen: new Set() }));
    task.seen.add(f.resourceId);
  }
  const markGoneMs: number[] = [];
  const upsert = async (): Promise<number> => {
    const scanId = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const t0 = performance.now();
    const now = new Date().toISOString();
    for (let i = 0; i < rows.length; i += BATCH) await writer.write(rows.slice(i, i + BATCH), scanId, now);
    const t1 = performance.now();
    for (const task of tasks.values()) await markTaskGone(h, { accountId: ACCOUNT, scanId, ...task }, now);
    markGoneMs.push(performance.now() - t1);
    return performance.now() - t0;
  };
  const firstMs = await upsert();
  const rerunMs = await upsert(); // a re-scan: every row exists, none changed
  // SQLite: the scan's writer thread (resource-writer-thread.ts), each batch awaited before the next as above.
  const report = writer.describe?.() ?? null;
  await writer.close?.();
  // As the scanner does at a scan's end (PostgreSQL's planner statistics; nothing on SQLite), not timed with the writes.
  const statsMs = await (async () => {
    const t0 = performance.now();
    await refreshStatistics(h);
    return performance.now() - t0;
  })();
  const { n } = await h.db.selectFrom('resources').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(n) !== rows.length) throw new Error(`expected ${rows.length} rows, found ${n}`);

  const queries = [
    { accountId: ACCOUNT, limit: 100 },
    { accountId: ACCOUNT, regions: ['eu-west-1'], limit: 100, sort: { column: 'unusedSince', direction: 'asc' } },
    { accountId: ACCOUNT, resourceTypes: ['ec2:volume'], minMonthlyCost: 10, limit: 100 },
    { accountId: ACCOUNT, protected: false, sort: { column: 'region', direction: 'desc' }, limit: 100, offset: 5000 },
    { accountId: ACCOUNT, search: 'workload-12', limit: 100 },
  ] as const;
  // A page reads on several connections at once on PostgreSQL (rows, totals, snoozes): three opened and warmed before
  // timing, as an app that has shown a page has them. Opening one costs a password exchange; a new server process's first pass
  // over the shared buffers costs a page fault per page it touches (measured: the default filter's totals 128 ms on a
  // fresh connection, 51 ms on the next call, every buffer a hit both times). The warm-up reads the browse index and
  // the search table whole, none of the filters timed below (their totals are not cached by it).
  const warm = sql`SELECT (SELECT SUM(monthly_cost) FROM resources WHERE account_id = ${ACCOUNT} AND status = 'active' AND unused = 1)
    + (SELECT COUNT(*) FROM resource_search WHERE text LIKE '%warm-up%') AS n`;
  await Promise.all([warm.execute(h.db), warm.execute(h.db), warm.execute(h.db)]);
  const times: number[] = [];
  const byQuery = queries.map(() => [] as number[]);
  for (let round = 0; round < 5; round++) {
    for (const [i, q] of queries.entries()) {
      const t0 = performance.now();
      const page = await listFindings(h.db, { ...q, regions: 'regions' in q ? [...q.regions] : undefined, resourceTypes: 'resourceTypes' in q ? [...q.resourceTypes] : undefined });
      times.push(performance.now() - t0);
      byQuery[i]?.push(performance.now() - t0);
      if (page.rows.length === 0) throw new Error(`query returned nothing: ${JSON.stringify(q)}`);
    }
  }
  // The floor three times, its median: one run of it swung 1.3–2.3 s on a PostgreSQL server (checkpoints, autovacuum).
  const floorRuns: number[] = [];
  for (let i = 0; i < 3; i++) floorRuns.push(await floorMs());
  const floor = median(floorRuns);
  return {
    rows: rows.length,
    upsert_first_ms: Math.round(firstMs),
    upsert_rerun_ms: Math.round(rerunMs),
    upsert_100k_ms: Math.round(Math.max(firstMs, rerunMs)),
    // Of which the tasks' ends (markGone), first and re-run.
    mark_gone_ms: markGoneMs.map((ms) => Math.round(ms)),
    // The scan end's statistics refresh (PostgreSQL ANALYZE), after the writes.
    refresh_statistics_ms: Math.round(statsMs),
    ...(report ? { writer_thread: report.thread, ...(report.fallbackReason ? { writer_fallback: report.fallbackReason } : {}) } : {}),
    upsert_first_over_floor: Number((firstMs / floor).toFixed(2)),
    upsert_rerun_over_floor: Number((rerunMs / floor).toFixed(2)),
    plain_insert_floor_ms: Math.round(floor),
    plain_insert_floor_runs_ms: floorRuns.map((ms) => Math.round(ms)),
    query_ms: Number(median(times).toFixed(2)),
    query_p90_ms: Number([...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!.toFixed(2)),
    queries: times.length,
    // Which filter or sort is slow: the median of each query shape.
    query_ms_by_query: Object.fromEntries(queries.map((q, i) => [JSON.stringify({ ...q, accountId: undefined }), Number(median(byQuery[i] ?? []).toFixed(2))])),
    // The first round counts the filter's totals (SQLite reuses them until the data changes): its times.
    query_first_round_ms: Object.fromEntries(queries.map((q, i) => [JSON.stringify({ ...q, accountId: undefined }), Number((byQuery[i]?.[0] ?? 0).toFixed(2))])),
  };
}

async function sqliteRun(rows: readonly Finding[]): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-db-'));
  const h = await openAndMigrate({ file: path.join(dir, 'bench.db') });
  try {
    let floors = 0;
    return { store: 'sqlite', ...(await workload(h, rows, async () => plainInsertFloorMs(dir, `floor-${++floors}.db`, rows, BATCH))) };
  } finally {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(rows: readonly Finding[]): Promise<Record<string, unknown>> {
  let server: PostgresServer | null = null;
  let url = process.env.BENCH_DATABASE_URL;
  try {
    if (!url) {
      try {
        // PostgreSQL's own default shared_buffers (128MB), not the tests' lean 16MB: 100,000 findings do not fit in 16MB,
        // and a team's server (RDS sizes it to a quarter of memory) is never that small.
        server = await startPostgres({ sharedBuffers: '128MB' });
      } catch (e) {
        return { store: 'postgres', skipped: `no BENCH_DATABASE_URL and no local PostgreSQL could start: ${(e as Error).message}` };
      }
      url = await freshDatabase(server.url);
    }
    const h = await openPostgres({ url });
    try {
      await migratePostgres(h);
      await h.db.deleteFrom('resources').where('account_id', '=', ACCOUNT).execute();
      const result = await workload(h, rows, () => plainInsertFloorMsPostgres(h, rows, BATCH));
      // What the server is (a throwaway local one runs with fsync off, as the tests' does).
      const { rows: v } = await sql<{ version: string; fsync: string }>`SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync`.execute(h.db);
      return { store: 'postgres', server: server ? 'local throwaway (127.0.0.1)' : 'BENCH_DATABASE_URL', version: v[0]?.version, fsync: v[0]?.fsync, ...result };
    } finally {
      await h.db.deleteFrom('resources').where('account_id', '=', ACCOUNT).execute().catch(() => {});
      await h.close();
    }
  } finally {
    await server?.stop();
  }
}

async function main(): Promise<void> {
  const rows = Array.from({ length: N }, (_, i) => makeFinding(i));
  const sqlite = await sqliteRun(rows);
  const postgres = process.env.BENCH_SKIP_POSTGRES
    ? { store: 'postgres', skipped: 'BENCH_SKIP_POSTGRES is set' }
    : await postgresRun(rows).catch((e: unknown) => ({ store: 'postgres', error: e instanceof Error ? e.message : String(e) }));
  console.log(JSON.stringify(postgres));
  console.log(JSON.stringify(sqlite));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
