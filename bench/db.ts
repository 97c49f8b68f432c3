/**
 * bench:db — 100,000 findings upserted into a file database, each task (kind × region) ended with markGone as the
 * scanner does (then the same again, as an unchanged re-scan does),
 * and the median time to fetch one filtered, sorted page of them. Prints one JSON object on its last line.
 *
 * plain_insert_floor_ms: the same rows written as plain INSERTs into a table with no key, index or constraint (same
 * pragmas and batches) — what SQLite alone costs on this machine before any upsert logic or index.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAndMigrate } from '../src/main/db/database';
import { upsertAccount } from '../src/main/db/repos/accounts';
import { createScan } from '../src/main/db/repos/scans';
import { ResourceWriter, listFindings, markGone } from '../src/main/db/repos/resources';
import { ACCOUNT, makeFinding, median, plainInsertFloorMs } from './synthetic-findings';

const N = Number(process.env.BENCH_ROWS ?? 100_000);
// The scanner commits in transactions of up to 5,000 rows (scan/batched-writer.ts).
const BATCH = Number(process.env.BENCH_BATCH ?? 5000);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-db-'));
  const h = await openAndMigrate({ file: path.join(dir, 'bench.db') });
  try {
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'bench' });
    const rows = Array.from({ length: N }, (_, i) => makeFinding(i));
    const writer = new ResourceWriter(h.sqlite, ACCOUNT, () => 'AmazonEC2Other');

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
      for (let i = 0; i < rows.length; i += BATCH) writer.write(rows.slice(i, i + BATCH), scanId, now);
      const t1 = performance.now();
      for (const task of tasks.values()) markGone(h.sqlite, { accountId: ACCOUNT, scanId, ...task }, now);
      markGoneMs.push(performance.now() - t1);
      return performance.now() - t0;
    };
    const firstMs = await upsert();
    const rerunMs = await upsert(); // a re-scan: every row exists, all updated
    const count = (h.sqlite.prepare('SELECT COUNT(*) AS n FROM resources').get() as { n: number }).n;
    if (count !== N) throw new Error(`expected ${N} rows, found ${count}`);

    const queries = [
      { accountId: ACCOUNT, limit: 100 },
      { accountId: ACCOUNT, regions: ['eu-west-1'], limit: 100, sort: { column: 'unusedSince', direction: 'asc' } },
      { accountId: ACCOUNT, resourceTypes: ['ec2:volume'], minMonthlyCost: 10, limit: 100 },
      { accountId: ACCOUNT, protected: false, sort: { column: 'region', direction: 'desc' }, limit: 100, offset: 5000 },
      { accountId: ACCOUNT, search: 'workload-12', limit: 100 },
    ] as const;
    const times: number[] = [];
    const byQuery = queries.map(() => [] as number[]);
    for (let round = 0; round < 5; round++) {
      for (const [n, q] of queries.entries()) {
        const t0 = performance.now();
        const page = await listFindings(h.db, { ...q, regions: 'regions' in q ? [...q.regions] : undefined, resourceTypes: 'resourceTypes' in q ? [...q.resourceTypes] : undefined });
        times.push(performance.now() - t0);
        byQuery[n]?.push(performance.now() - t0);
        if (page.rows.length === 0) throw new Error(`query returned nothing: ${JSON.stringify(q)}`);
      }
    }
    // The floor of this machine (plain INSERTs of the same rows into an index-free table).
    const floorMs = plainInsertFloorMs(dir, 'floor.db', rows, BATCH);
    const result = {
      rows: N,
      upsert_first_ms: Math.round(firstMs),
      upsert_rerun_ms: Math.round(rerunMs),
      upsert_100k_ms: Math.round(Math.max(firstMs, rerunMs)),
      // Of which the tasks' ends (markGone), first and re-run.
      mark_gone_ms: markGoneMs.map((ms) => Math.round(ms)),
      upsert_first_over_floor: Number((firstMs / floorMs).toFixed(2)),
      upsert_rerun_over_floor: Number((rerunMs / floorMs).toFixed(2)),
      plain_insert_floor_ms: Math.round(floorMs),
      query_ms: Number(median(times).toFixed(2)),
      query_p90_ms: Number([...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!.toFixed(2)),
      queries: times.length,
      // Which filter or sort is slow: the median of each query shape.
      query_ms_by_query: Object.fromEntries(queries.map((q, n) => [JSON.stringify({ ...q, accountId: undefined }), Number(median(byQuery[n] ?? []).toFixed(2))])),
      // The first round counts the filter's totals (later rounds reuse them until the data changes): its times.
      query_first_round_ms: Object.fromEntries(queries.map((q, n) => [JSON.stringify({ ...q, accountId: undefined }), Number((byQuery[n]?.[0] ?? 0).toFixed(2))])),
    };
    console.log(JSON.stringify(result));
  } finally {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
