/** The benchmarks' synthetic findings: deterministic, varied like a real account (types, regions, tags, unknowns). */
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/main/db/connection';
import type { PostgresHandle } from '../src/main/db/postgres';
import type { Finding, ResourceType } from '../src/main/handlers/handler';

export const ACCOUNT = '111122223333';
const TYPES: ResourceType[] = ['ec2:instance', 'ec2:volume', 'ec2:elastic-ip', 'ec2:snapshot', 'ec2:image'];
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2'];

export function makeFinding(i: number): Finding {
  const type = TYPES[i % TYPES.length]!;
  const monthlyCost = i % 23 === 0 ? null : ((i * 7919) % 100_000) / 1000;
  return {
    resourceType: type,
    resourceId: `${type.split(':')[1]}-${i.toString(16).padStart(17, '0')}`,
    region: REGIONS[i % REGIONS.length]!,
    name: i % 3 === 0 ? `workload-${i % 977}` : null,
    state: 'available',
    tags: i % 4 === 0 ? { team: `t${i % 17}`, env: 'dev' } : {},
    createdAt: new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000).toISOString(),
    unused: i % 5 !== 0,
    unusedReason: i % 5 !== 0 ? 'Not attached to any instance' : null,
    unusedSince: i % 9 === 0 ? null : new Date(Date.UTC(2025, 0, 1) + (i % 600) * 86_400_000).toISOString(),
    monthlyCost,
    costBasis: `gp3 ${(i % 500) + 1} GiB × $0.08 (us-east-1)`,
    // What deleting it saves, as the scanner stores it (a volume saves what it costs).
    monthlySavings: monthlyCost,
    protected: i % 31 === 0,
    protectedReason: i % 31 === 0 ? 'Tagged cloud-cleaner:keep' : null,
    details: { volumeType: 'gp3', sizeGiB: (i % 500) + 1, attachments: [] },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The floor of this machine: the same rows, columns (those the scan's writer writes), batches and pragmas as plain
 * INSERTs into a table with no key, no index and no constraint — what SQLite alone needs before any upsert logic.
 * Returns milliseconds.
 */
export function plainInsertFloorMs(dir: string, name: string, rows: readonly Finding[], batchSize: number): number {
  const h = openDatabase({ file: path.join(dir, name) });
  try {
    const cols = ['account_id', 'resource_type', 'region', 'resource_id', 'service_code', 'name', 'state', 'unused', 'unused_reason', 'unused_since', 'monthly_cost', 'cost_basis', 'protected', 'protected_reason', 'tags', 'details', 'created_at', 'monthly_savings', 'first_seen', 'last_seen', 'last_scan_id'];
    h.sqlite.exec(`CREATE TABLE plain (${cols.join(', ')})`);
    const ins = h.sqlite.prepare(`INSERT INTO plain VALUES (${cols.map(() => '?').join(', ')})`);
    const batch = h.sqlite.transaction((rs: readonly Finding[], now: string) => {
      for (const f of rs) {
        ins.run(ACCOUNT, f.resourceType, f.region, f.resourceId, 'AmazonEC2Other', f.name, f.state, f.unused ? 1 : 0, f.unusedReason, f.unusedSince, f.monthlyCost, f.costBasis, f.protected ? 1 : 0, f.protectedReason, JSON.stringify(f.tags), JSON.stringify(f.details), f.createdAt, f.monthlySavings ?? null, now, now, 1);
      }
    });
    const now = new Date().toISOString();
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += batchSize) batch(rows.slice(i, i + batchSize), now);
    return performance.now() - t0;
  } finally {
    h.sqlite.close();
  }
}

/**
 * The same floor on a PostgreSQL server: the same rows and columns, in the same batches (one transaction each) and
 * statements of 2,000 rows as unnest arrays (as the findings writer sends them), into a table with no key, index or
 * constraint. Returns milliseconds; the table is dropped.
 */
export async function plainInsertFloorMsPostgres(h: PostgresHandle, rows: readonly Finding[], batchSize: number): Promise<number> {
  const cols: [string, string][] = [
    ['account_id', 'text'], ['resource_type', 'text'], ['region', 'text'], ['resource_id', 'text'], ['service_code', 'text'], ['name', 'text'],
    ['state', 'text'], ['unused', 'integer'], ['unused_reason', 'text'], ['unused_since', 'text'], ['monthly_cost', 'double precision'],
    ['cost_basis', 'text'], ['protected', 'integer'], ['protected_reason', 'text'], ['tags', 'text'], ['details', 'text'], ['created_at', 'text'],
    ['monthly_savings', 'double precision'], ['first_seen', 'text'], ['last_seen', 'text'], ['last_scan_id', 'bigint'],
  ];
  await sql.raw(`DROP TABLE IF EXISTS bench_plain; CREATE TABLE bench_plain (${cols.map(([c, t]) => `${c} ${t}`).join(', ')})`).execute(h.db);
  const types = cols.map(([, t]) => sql.raw(`::${t}[]`));
  const now = new Date().toISOString();
  try {
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += batchSize) {
      const batch = rows.slice(i, i + batchSize);
      await h.db.transaction().execute(async (trx) => {
        for (let j = 0; j < batch.length; j += 2000) {
          const chunk = batch.slice(j, j + 2000);
          const values = chunk.map((f) => [
            ACCOUNT, f.resourceType, f.region, f.resourceId, 'AmazonEC2Other', f.name, f.state, f.unused ? 1 : 0, f.unusedReason, f.unusedSince,
            f.monthlyCost, f.costBasis, f.protected ? 1 : 0, f.protectedReason, JSON.stringify(f.tags), JSON.stringify(f.details), f.createdAt,
            f.monthlySavings ?? null, now, now, 1,
          ]);
          const arrays = sql.join(cols.map((_, c) => sql`${values.map((v) => v[c])}${types[c]!}`));
          await sql`INSERT INTO bench_plain SELECT * FROM unnest(${arrays})`.execute(trx);
        }
      });
    }
    return performance.now() - t0;
  } finally {
    await sql`DROP TABLE IF EXISTS bench_plain`.execute(h.db);
  }
}
