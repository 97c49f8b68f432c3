/**
 * SQLite's findings writer on a worker thread (issue #19): a scan's upserts run on a second connection to the same
 * file, in a worker, so the thread that parses AWS's answers (in the app, Electron's main process, which also answers
 * the window) never stops for a 5,000-row transaction, and the writes use the machine's other core.
 *
 * The worker runs exactly what ResourceWriter runs (the same UPSERT_SQL, one transaction per batch, the parents
 * checked once per batch); the rows are turned into their column values here (findingValues), so both writers store
 * the same bytes. It also runs other statements of the scan (exec: the metrics cache) in order with the batches,
 * so the scanning thread does not stand in SQLite's busy handler waiting for the worker's write lock there. Readers are unaffected: WAL lets them read while the worker writes, and the totals cache notices
 * another connection's writes (`data_version`, resources.ts).
 *
 * The worker loads the very better-sqlite3 the app has loaded (found in the module cache by its exports), with the
 * same native addon. Where that cannot be had — an in-memory or read-only database, a module not found, a worker that
 * fails to start or dies — the writer falls back to ResourceWriter on the calling thread; batches the worker had not
 * confirmed are written again there, which is safe because an upsert of the same rows is idempotent (a batch the
 * worker did not commit was rolled back whole).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Finding } from '../../handlers/handler';
import type { DbHandle } from '../connection';
import { ResourceWriter, UPSERT_SQL, findingValues, runStatements, type FindingValues, type SqlStatement } from './resource-writer';

/** The worker: plain JavaScript evaluated as CommonJS (no bundler entry needed in the app, the CLI or the tests). */
const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.module);
const db = new Database(w.file, w.nativeBinding ? { nativeBinding: w.nativeBinding, fileMustExist: true } : { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -65536');
// Waits for the app's own writes (a transaction of the main connection, another process): longer than theirs.
db.pragma('busy_timeout = 30000');
// Parents are checked once per batch, inside its transaction (as ResourceWriter does): not per row.
db.pragma('foreign_keys = OFF');
const upsert = db.prepare(w.upsertSql);
const accountExists = db.prepare('SELECT 1 FROM accounts WHERE id = ?').pluck();
const scanExists = db.prepare('SELECT 1 FROM scans WHERE id = ?').pluck();
const batch = db.transaction((rows, scanId, now) => {
  if (accountExists.get(w.accountId) === undefined) throw new Error('FOREIGN KEY constraint failed: no account ' + w.accountId);
  if (scanId !== null && scanExists.get(scanId) === undefined) throw new Error('FOREIGN KEY constraint failed: no scan ' + scanId);
  for (const v of rows) upsert.run(...v, now, now, scanId);
});
// Other statements of the scan (the metrics cache): one transaction, with foreign-key checks. Switching the setting
// expires the connection's prepared statements (re-prepared at their next run, ~0.25 ms each): a few dozen times a scan.
const prepared = new Map();
const statements = db.transaction((list) => list.map((s) => {
  let st = prepared.get(s.sql);
  if (st === undefined) {
    if (prepared.size >= 64) prepared.clear();
    st = db.prepare(s.sql);
    prepared.set(s.sql, st);
  }
  return st.run(...s.params).changes;
}));
parentPort.on('message', (m) => {
  if (m.close) {
    db.close();
    process.exit(0);
  }
  if (m.exec) {
    db.pragma('foreign_keys = ON');
    try {
      parentPort.postMessage({ id: m.id, changes: statements.immediate(m.exec) });
    } catch (e) {
      parentPort.postMessage({ id: m.id, error: { message: String((e && e.message) || e), code: e && e.code } });
    } finally {
      db.pragma('foreign_keys = OFF');
    }
    return;
  }
  try {
    // IMMEDIATE: the write lock first (waiting for it), so the parents' reads cannot go stale before the writes.
    batch.immediate(m.rows, m.scanId, m.now);
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: String((e && e.message) || e), code: e && e.code } });
  }
});
`;

/** The file of the better-sqlite3 module this process has loaded (the one `connection.ts` imports), or null. */
export function loadedSqliteModule(): string | null {
  // Any absolute path gives a require whose cache is the process's module cache.
  const cache = createRequire(process.execPath).cache;
  for (const m of Object.values(cache)) if (m?.exports === BetterSqlite3) return m.filename;
  return null;
}

/** What was sent to the thread: a batch of findings, or other statements of the scan (exec). */
type Job = { rows: readonly Finding[]; scanId: number | null; now: string } | { statements: readonly SqlStatement[] };

interface Pending {
  job: Job;
  /** The statements' changes (exec); nothing for a batch. */
  resolve: (changes: number[]) => void;
  reject: (e: unknown) => void;
}

export class ThreadedResourceWriter {
  private worker: Worker | null = null;
  private inline: ResourceWriter | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | null = null;
  private readonly values: (f: Finding) => FindingValues;
  /** Why this writer writes on the calling thread (null while the worker does). */
  fallbackReason: string | null = null;

  constructor(
    private readonly handle: DbHandle,
    private readonly accountId: string,
    private readonly serviceCodeFor: (f: Finding) => string,
    opts: { module?: string | null } = {},
  ) {
    this.values = findingValues(accountId, serviceCodeFor);
    const module = opts.module === undefined ? loadedSqliteModule() : opts.module;
    if (handle.file === ':memory:' || handle.file === '' || handle.readonly) {
      this.useInline('an in-memory or read-only database cannot be shared with a worker');
    } else if (handle.sqlite.pragma('journal_mode', { simple: true }) !== 'wal') {
      // Without WAL a second writer would make the app's readers wait for (or fail on) its commits.
      this.useInline('the database is not in WAL mode');
    } else if (module === null) {
      this.useInline('the loaded better-sqlite3 module was not found');
    } else {
      try {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module, file: handle.file, nativeBinding: handle.nativeBinding ?? null, upsertSql: UPSERT_SQL, accountId },
        });
        // The thread keeps the process alive only while it has batches to answer (ref'd in write, unref'd when idle):
        // an idle writer never holds a process open, and a command-line run waiting on a batch is not ended under it.
        worker.unref();
        worker.on('message', (m: { id: number; changes?: number[]; error?: { message: string; code?: string } }) => this.settle(m));
        worker.on('error', (e) => this.lost(worker, `the writer thread failed: ${e.message}`));
        worker.on('exit', (code) => this.lost(worker, `the writer thread exited (code ${code})`));
        this.worker = worker;
      } catch (e) {
        this.useInline(`no worker thread: ${(e as Error).message}`);
      }
    }
  }

  /** Whether every batch so far went to the worker thread, and if not, why (for the scan's outcome and the bench). */
  describe(): { thread: boolean; fallbackReason: string | null } {
    return { thread: this.fallbackReason === null, fallbackReason: this.fallbackReason };
  }

  /** Whether the batches go to the worker thread. */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /** One batch, atomically: on the worker (a promise) or, after a fallback, on this thread. */
  write(rows: readonly Finding[], scanId: number | null, now = new Date().toISOString()): void | Promise<void> {
    if (this.closing !== null) throw new Error('The findings writer is closed.');
    if (rows.length === 0) return;
    if (this.worker === null) {
      if (this.inline === null) throw new Error(`The findings writer cannot write: ${this.fallbackReason ?? 'no connection'}`);
      return this.inline.write(rows, scanId, now);
    }
    const values = rows.map(this.values);
    return this.send({ rows, scanId, now }, { rows: values, scanId, now }).then(() => undefined);
  }

  /**
   * Other statements of the scan (the metrics cache), in one transaction with foreign-key checks, after everything sent
   * before them. On the thread they do not make the calling thread wait for the write lock that the thread's batches
   * hold: it would stand in SQLite's busy handler meanwhile (and under a CPU profiler, whose signals cut that handler's
   * sleeps short, fail at once with "database is locked"). Returns each statement's changes. Only idempotent
   * statements: after a thread died unconfirmed they run again here.
   */
  exec(statements: readonly SqlStatement[]): number[] | Promise<number[]> {
    if (this.closing !== null) throw new Error('The findings writer is closed.');
    if (statements.length === 0) return [];
    if (this.worker === null) return runStatements(this.handle.sqlite, statements);
    return this.send({ statements }, { exec: statements.map((s) => ({ sql: s.sql, params: s.params })) });
  }

  private send(job: Job, message: object): Promise<number[]> {
    const id = this.nextId++;
    return new Promise<number[]>((resolve, reject) => {
      this.pending.set(id, { job, resolve, reject });
      this.worker!.ref();
      this.worker!.postMessage({ id, ...message });
    });
  }

  /**
   * Refuses later writes, waits for the batches sent, then ends the worker (its connection closed). Every call returns
   * the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const settled = [...this.pending.values()].map(
      (p) =>
        new Promise<void>((done) => {
          const { resolve, reject } = p;
          p.resolve = (changes) => (resolve(changes), done());
          p.reject = (e) => (reject(e), done());
        }),
    );
    await Promise.all(settled);
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.ref();
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage({ close: true });
      await exited;
    }
  }

  private settle(m: { id: number; changes?: number[]; error?: { message: string; code?: string } }): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (m.error) p.reject(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
    else p.resolve(m.changes ?? []);
  }

  /** The worker is gone before it was closed: its unconfirmed batches are written here, and so is everything after. */
  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const unconfirmed = [...this.pending.entries()].sort(([a], [b]) => a - b);
    this.pending.clear();
    // Never throws out of the worker's event: a batch that cannot be written here (the app's own connection closed
    // meanwhile, say) is rejected, and so is every later write.
    const inline = this.useInline(reason);
    for (const [, p] of unconfirmed) {
      try {
        if (inline === null) throw new Error(`The findings writer cannot write: ${this.fallbackReason}`);
        if ('statements' in p.job) p.resolve(runStatements(this.handle.sqlite, p.job.statements));
        else {
          inline.write(p.job.rows, p.job.scanId, p.job.now);
          p.resolve([]);
        }
      } catch (e) {
        p.reject(e);
      }
    }
  }

  /** Writes on the calling thread from now on; null if even that cannot be had (its reason is kept). */
  private useInline(reason: string): ResourceWriter | null {
    this.fallbackReason = reason;
    try {
      this.inline ??= new ResourceWriter(this.handle.sqlite, this.accountId, this.serviceCodeFor);
    } catch (e) {
      this.fallbackReason = `${reason}; and the calling thread cannot write either: ${(e as Error).message}`;
    }
    return this.inline;
  }
}
