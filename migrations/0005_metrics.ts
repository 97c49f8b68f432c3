import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0005 — the metrics engine. FROZEN (see migrations/index.ts).
 *
 * 1. `scans` meter their CloudWatch use: metrics requested from GetMetricData (what AWS bills, $0.01 per 1,000),
 *    GetMetricData calls, series answered from the local cache, and ListMetrics calls.
 * 2. `metric_series` caches fetched daily series per account and region, keyed by the series (namespace, metric,
 *    statistic, dimensions) and its exact window, so scans inside the cache window reuse them instead of paying again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`ALTER TABLE scans ADD COLUMN metrics_requested INTEGER NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE scans ADD COLUMN metric_calls INTEGER NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE scans ADD COLUMN metrics_cached INTEGER NOT NULL DEFAULT 0`.execute(db);
  await sql`ALTER TABLE scans ADD COLUMN list_metrics_calls INTEGER NOT NULL DEFAULT 0`.execute(db);
  await sql`
    CREATE TABLE metric_series (
      account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      region      TEXT NOT NULL,
      query_key   TEXT NOT NULL,
      start_time  TEXT NOT NULL,
      end_time    TEXT NOT NULL,
      points      TEXT NOT NULL,
      fetched_at  TEXT NOT NULL,
      PRIMARY KEY (account_id, region, query_key, start_time, end_time)
    )${d.strictWithoutRowid}`.execute(db);
}
