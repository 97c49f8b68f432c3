/**
 * The metrics engine's cache (migration 0005): daily series per account, region, series key and exact window. On
 * SQLite reads and writes are synchronous (better-sqlite3, prepared once): the engine calls them between its
 * GetMetricData calls. On a PostgreSQL store they are one statement per read or write (a list of keys, a set of rows).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';
import { isSqlite, type AppDb } from '../store';
import type { MetricCache } from '../../metrics/engine';
import type { SqlStatement } from './resource-writer';
import type { DayPoint, MetricsWindow } from '../../metrics/types';

/** SQLite's bound-parameter limit is far above this; chunks keep each statement small. */
const KEYS_PER_SELECT = 400;

/** Runs a put's statements elsewhere (one transaction), or returns null: then the cache writes on its own connection. */
export type MetricWrites = (statements: readonly SqlStatement[]) => number[] | Promise<number[]> | null;

const PUT_SQL = `INSERT INTO metric_series (account_id, region, query_key, start_time, end_time, points, fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, region, query_key, start_time, end_time) DO UPDATE SET points = excluded.points, fetched_at = excluded.fetched_at`;

/**
 * The cache on SQLite. `exec`: where its writes go instead of this connection when it takes them (a scan's writer
 * thread: findings-store.ts FindingsWriter.exec), one transaction per put; reads stay on this connection.
 */
export function sqliteMetricCache(
  sqlite: BetterSqlite3.Database,
  accountId: string,
  exec?: MetricWrites,
): MetricCache {
  const insert = sqlite.prepare(PUT_SQL);
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
      const [start, end, at] = [window.start.toISOString(), window.end.toISOString(), fetchedAt.toISOString()];
      const done = exec?.(entries.map(([key, points]) => ({ sql: PUT_SQL, params: [accountId, region, key, start, end, JSON.stringify(points), at] })));
      if (done instanceof Promise) return done.then(() => undefined);
      if (done == null) putAll(region, entries, start, end, at);
    },
  };
}

/** The cache on either store; on SQLite its writes through `exec` where given (sqliteMetricCache). */
export function metricCacheFor(h: AppDb, accountId: string, exec?: MetricWrites): MetricCache {
  return isSqlite(h) ? sqliteMetricCache(h.sqlite, accountId, exec) : postgresMetricCache(h.db, accountId);
}

/** PostgreSQL rows per INSERT: 7 parameters each, far below the protocol's 65,535. */
const ROWS_PER_INSERT = 1000;

export function postgresMetricCache(db: Kysely<Database>, accountId: string): MetricCache {
  return {
    async get(region, keys, window: MetricsWindow, freshAfter) {
      const out = new Map<string, DayPoint[]>();
      if (keys.length === 0) return out;
      const rows = await db
        .selectFrom('metric_series')
        .select(['query_key', 'points'])
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('start_time', '=', window.start.toISOString())
        .where('end_time', '=', window.end.toISOString())
        .where('fetched_at', '>=', freshAfter.toISOString())
        .where(sql<boolean>`query_key = ANY(${[...keys]}::text[])`)
        .execute();
      for (const r of rows) out.set(r.query_key, JSON.parse(r.points) as DayPoint[]);
      return out;
    },
    async put(region, entries, window, fetchedAt) {
      const start = window.start.toISOString();
      const end = window.end.toISOString();
      const at = fetchedAt.toISOString();
      // One key twice in one INSERT … ON CONFLICT is an error on PostgreSQL: the last one wins, as on SQLite.
      const unique = [...new Map(entries.map(([k, p]) => [k, p])).entries()];
      for (let i = 0; i < unique.length; i += ROWS_PER_INSERT) {
        await db
          .insertInto('metric_series')
          .values(
            unique.slice(i, i + ROWS_PER_INSERT).map(([query_key, points]) => ({
              account_id: accountId, region, query_key, start_time: start, end_time: end, points: JSON.stringify(points), fetched_at: at,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['account_id', 'region', 'query_key', 'start_time', 'end_time']).doUpdateSet((eb) => ({
              points: eb.ref('excluded.points'),
              fetched_at: eb.ref('excluded.fetched_at'),
            })),
          )
          .execute();
      }
    },
  };
}

/** Drops cached series whose window ended before `before` (they can never be asked for again). */
export function pruneMetricSeries(sqlite: BetterSqlite3.Database, before: Date): number {
  return sqlite.prepare('DELETE FROM metric_series WHERE end_time < ?').run(before.toISOString()).changes;
}
