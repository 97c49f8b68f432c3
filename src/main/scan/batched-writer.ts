import type { ResourceWriter } from '../db/repos/resources';
import type { Finding } from '../handlers/handler';

/**
 * Gathers the pages of all running tasks into transactions of up to `maxRows` rows, committed at the latest
 * `maxDelayMs` after the first buffered row. Fewer, larger transactions write each touched index page once per
 * commit instead of once per page (at 100k findings that was most of the ingest time); a crash loses at most the
 * uncommitted buffer, never consistency. Callers flush before acting on what was written (marking `gone`).
 */
export class BatchedWriter {
  private buffer: Finding[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly writer: ResourceWriter,
    private readonly scanId: number,
    private readonly now: () => Date,
    private readonly maxRows = 5000,
    private readonly maxDelayMs = 250,
  ) {}

  add(rows: readonly Finding[]): void {
    for (const r of rows) this.buffer.push(r);
    if (this.buffer.length >= this.maxRows) this.flush();
    else if (this.timer === null && this.buffer.length > 0) {
      this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.writer.write(rows, this.scanId, this.now().toISOString());
  }
}
