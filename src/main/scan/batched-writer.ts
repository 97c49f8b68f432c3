import type { FindingsWriter } from '../db/repos/findings-store';
import type { Finding } from '../handlers/handler';

/**
 * Gathers the pages of all running tasks into transactions of up to `maxRows` rows, committed at the latest
 * `maxDelayMs` after the first buffered row. Fewer, larger transactions write each touched index page once per
 * commit instead of once per page (at 100k findings that was most of the ingest time); a crash loses at most the
 * uncommitted buffer, never consistency. Callers flush (and await it) before acting on what was written (marking
 * `gone`).
 *
 * SQLite's writer on the calling thread is synchronous: a batch is written inside `add`/`flush`. SQLite's writer thread
 * and a PostgreSQL writer return a promise: batches are written one after another, in order; `add` returns the pending
 * write when the buffer filled (the task awaits it: a scan cannot run ahead of its store by more than a batch), and a
 * failed batch fails every later flush — a task must not mark rows gone when rows it saw may be missing.
 */
export class BatchedWriter {
  private buffer: Finding[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The last asynchronous write still running, if any. */
  private tail: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly writer: FindingsWriter,
    private readonly scanId: number,
    private readonly now: () => Date,
    private readonly maxRows = 5000,
    private readonly maxDelayMs = 250,
  ) {}

  /** Buffers rows; when the buffer is full, writes it and returns the write's promise if the store is asynchronous. */
  add(rows: readonly Finding[]): Promise<void> | undefined {
    for (const r of rows) this.buffer.push(r);
    if (this.buffer.length >= this.maxRows) return this.flush();
    if (this.timer === null && this.buffer.length > 0) {
      this.timer = setTimeout(() => void this.flush()?.catch(() => {}), this.maxDelayMs);
      this.timer.unref();
    }
    return undefined;
  }

  /**
   * Writes what is buffered. Returns undefined when everything is written (a synchronous store), otherwise a promise
   * that settles when every write so far is done (rejected if any failed).
   */
  flush(): Promise<void> | undefined {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.buffer.length > 0) {
      const rows = this.buffer;
      this.buffer = [];
      const write = (): void | Promise<void> => this.writer.write(rows, this.scanId, this.now().toISOString());
      const result = this.tail === null ? write() : this.tail.then(write);
      if (result instanceof Promise) this.track(result);
    }
    return this.tail === null ? undefined : this.tail.then(() => {
      if (this.failure) throw this.failure.error;
    });
  }

  /**
   * Writes what is buffered, then runs `fn` after every write so far (afterQueued). A task's end (markGone) on SQLite
   * then finds the writer thread idle — the metrics cache's writes go through this queue too — and takes the write
   * lock without waiting in SQLite's busy handler on the scanning thread, which stops everything while it waits.
   */
  afterWrites<T>(fn: () => T | Promise<T>): Promise<T> {
    try {
      void this.flush()?.catch(() => {});
    } catch (e) {
      return Promise.reject(e); // a synchronous store's write failed
    }
    return this.afterQueued(fn);
  }

  /**
   * Runs `fn` once every write queued so far is done, before any later write starts (at once when none is running).
   * Rejects if a write so far failed (`fn` not run) or if `fn` fails; a failed `fn` fails no write.
   */
  afterQueued<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.tail === null) {
      try {
        return Promise.resolve(fn());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const result = this.tail.then(() => {
      if (this.failure) throw this.failure.error;
      return fn();
    });
    const settled: Promise<void> = result.then(
      () => {
        if (this.tail === settled) this.tail = null;
      },
      () => {
        if (this.tail === settled) this.tail = null;
      },
    );
    this.tail = settled;
    return result;
  }

  /** Flushes, waits for every write, and closes the store's writer (its thread, if it has one). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.writer.close?.();
    }
  }

  private track(p: Promise<void>): void {
    const t: Promise<void> = p.then(
      () => {
        if (this.tail === t) this.tail = null;
      },
      (error: unknown) => {
        this.failure ??= { error };
        if (this.tail === t) this.tail = null;
      },
    );
    this.tail = t;
  }
}
