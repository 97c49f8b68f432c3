/**
 * The scan's and the cleanup's writes to `resources` on either store (store.ts): SQLite's synchronous writer
 * (resource-writer.ts) or PostgreSQL's set statements (resource-writer-pg.ts), behind one small interface.
 */
import { sql } from 'kysely';
import type { Finding } from '../../handlers/handler';
import { isSqlite, type AppDb } from '../store';
import { ResourceWriter, markDeleted, markGone, type SqlStatement } from './resource-writer';
import { ThreadedResourceWriter } from './resource-writer-thread';
import { PostgresResourceWriter, markDeletedPostgres, markGonePostgres } from './resource-writer-pg';

export interface FindingsWriter {
  /**
   * One batch, atomically. Returns the write's promise where it runs elsewhere (PostgreSQL; SQLite's writer thread),
   * nothing where it ran synchronously (SQLite on the calling thread).
   */
  write(rows: readonly Finding[], scanId: number | null, now?: string): void | Promise<void>;
  /** Waits for the writes sent and releases what the writer holds (SQLite's writer thread). */
  close?(): Promise<void>;
  /** SQLite's writer thread: whether every batch went through it, and if not, why. */
  describe?(): WriterReport;
  /**
   * SQLite's writer thread: other statements of the scan (the metrics cache), in one transaction on the thread after
   * what was sent before them, so that the scanning thread does not wait for the thread's write lock.
   */
  exec?(statements: readonly SqlStatement[]): number[] | Promise<number[]>;
}

export interface WriterReport {
  thread: boolean;
  fallbackReason: string | null;
}

export interface FindingsWriterOptions {
  /** SQLite: write on a worker thread (resource-writer-thread.ts) where the database allows it. Default true. */
  thread?: boolean;
}

export function findingsWriter(h: AppDb, accountId: string, serviceCodeFor: (f: Finding) => string, opts: FindingsWriterOptions = {}): FindingsWriter {
  if (!isSqlite(h)) return new PostgresResourceWriter(h, accountId, serviceCodeFor);
  return opts.thread === false ? new ResourceWriter(h.sqlite, accountId, serviceCodeFor) : new ThreadedResourceWriter(h, accountId, serviceCodeFor);
}

export type GoneQuery = Parameters<typeof markGone>[1];

/** markGone on either store. */
export async function markTaskGone(h: AppDb, q: GoneQuery, now = new Date().toISOString()): Promise<number> {
  return isSqlite(h) ? markGone(h.sqlite, q, now) : markGonePostgres(h.db, q, now);
}

/** markDeleted on either store. */
export async function markResourceDeleted(h: AppDb, id: number, now = new Date().toISOString()): Promise<void> {
  if (isSqlite(h)) markDeleted(h.sqlite, id, now);
  else await markDeletedPostgres(h.db, id, now);
}

/**
 * After a scan wrote its findings: on PostgreSQL, VACUUM (ANALYZE) of what the pages read — fresh planner statistics
 * (a first scan of 100,000 findings left the planner guessing until autovacuum came by: the default page took 359 ms,
 * 73 ms after ANALYZE, measured), and the visibility map that lets a page and its totals read the browse index alone
 * (migration 0013): without it every index entry costs a visit to its row. Outside any transaction (VACUUM cannot run
 * in one). SKIP_LOCKED: a table another session is vacuuming or indexing is left to it, so a scan's end never waits on
 * a teammate's. A role that does not own the tables gets a warning from the server, not an error. SQLite plans from its
 * indexes alone: nothing to do.
 */
export async function refreshStatistics(h: AppDb): Promise<void> {
  if (isSqlite(h)) return;
  await sql`VACUUM (ANALYZE, SKIP_LOCKED) resources, resource_tasks, resource_search`.execute(h.db);
}
