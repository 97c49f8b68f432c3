/**
 * The metrics engine's cache (migration 0005): daily series per account, region, series key and exact window. Reads
 * and writes are synchronous (better-sqlite3, prepared once): the engine calls them between its GetMetricData calls.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { MetricCache } from '../../metrics/engine';
import type { DayPoint, MetricsWindow } from '../../metrics/types';

/** SQLite's bound-parameter limit is far above this; chunks keep each statement small. */
const KEYS_PER_SELECT = 400;

export function sqliteMetricCache(sqlite: BetterSqlite3.Database, accountId: string): MetricCache {
  const insert = sqlite.prepare(
    `INSERT INTO metric_series (account_id, region, query_key, start_time, end_time, points, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, region, query_key, start_time, end_time) DO UPDATE SET points = excluded.points, fetched_at = excluded.fetched_at`,
  );
  const putAll = sqlite.transaction(
    (region: string, entries: ReadonlyArray<readonly [string, DayPoint[]]>, start: string, end: string, at: string) => {
      for (const [key, points] of entries) insert.run(accountId, region, key, start, end, JSON.stringify(points), at);
    },
  );
  return {
    get(region, keys, window: MetricsWindow, freshAfter) {
      const out = new Map<string, DayPoint[]>();
      const start = window.start.toISOString();
      const end = window.end.toISOString();
      for (let i = 0; i < keys.length; i += KEYS_PER_SELECT) {
        const chunk = keys.slice(i, i + KEYS_PER_SELECT);
        const rows = sqlite
          .prepare(
            `SELECT query_key, points FROM metric_series
             WHERE account_id = ? AND region = ? AND start_time = ? AND end_time = ? AND fetched_at >= ?
               AND query_key IN (${chunk.map(() => '?').join(',')})`,
          )
          .all(accountId, region, start, end, freshAfter.toISOString(), ...chunk) as { query_key: string; points: string }[];
        for (const r of rows) out.set(r.query_key, JSON.parse(r.points) as DayPoint[]);
      }
      return out;
    },
    put(region, entries, window, fetchedAt) {
      if (entries.length === 0) return;
      putAll(region, entries, window.start.toISOString(), window.end.toISOString(), fetchedAt.toISOString());
    },
  };
}

/** Drops cached series whose window ended before `before` (they can never be asked for again). */
export function pruneMetricSeries(sqlite: BetterSqlite3.Database, before: Date): number {
  return sqlite.prepare('DELETE FROM metric_series WHERE end_time < ?').run(before.toISOString()).changes;
}
