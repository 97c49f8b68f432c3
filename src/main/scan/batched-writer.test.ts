import { describe, expect, it, vi } from 'vitest';
import type { Finding } from '../handlers/handler';
import { BatchedWriter } from './batched-writer';

const f = (i: number) => ({ resourceId: `r-${i}` }) as Finding;

describe('BatchedWriter', () => {
  it('commits when the buffer is full, and on flush; never loses or repeats a row', () => {
    const write = vi.fn();
    const b = new BatchedWriter({ write }, 7, () => new Date(0), 10, 60_000);
    b.add([f(1), f(2), f(3)]);
    expect(write).not.toHaveBeenCalled();
    b.add(Array.from({ length: 8 }, (_, i) => f(10 + i)));
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]![0]).toHaveLength(11);
    expect(write.mock.calls[0]![1]).toBe(7);
    b.add([f(99)]);
    b.flush();
    b.flush();
    expect(write).toHaveBeenCalledTimes(2);
    expect(write.mock.calls[1]![0]).toEqual([f(99)]);
  });

  it('commits a partial buffer after maxDelayMs', async () => {
    const write = vi.fn();
    const b = new BatchedWriter({ write }, 1, () => new Date(0), 1000, 20);
    b.add([f(1)]);
    await new Promise((r) => setTimeout(r, 60));
    expect(write).toHaveBeenCalledTimes(1);
  });
});

describe('BatchedWriter on an asynchronous store', () => {
  it('writes batches one after another, in order, and flush waits for all of them', async () => {
    const log: string[] = [];
    let running = 0;
    const write = vi.fn(async (rows: readonly Finding[]) => {
      running++;
      expect(running).toBe(1); // never two at once
      await new Promise((r) => setTimeout(r, 15));
      log.push(rows.map((r) => r.resourceId).join(','));
      running--;
    });
    const b = new BatchedWriter({ write }, 1, () => new Date(0), 2, 60_000);
    const first = b.add([f(1), f(2)]);
    expect(first).toBeInstanceOf(Promise);
    expect(b.add([f(3)])).toBeUndefined(); // buffered
    b.add([f(4)]);
    b.add([f(5)]);
    await b.flush();
    expect(log).toEqual(['r-1,r-2', 'r-3,r-4', 'r-5']);
    expect(b.flush()).toBeUndefined(); // nothing left, nothing running
  });

  it('a failed batch fails every later flush (a task must not mark unwritten rows gone)', async () => {
    const write = vi.fn(async (rows: readonly Finding[]) => {
      if (rows.some((r) => r.resourceId === 'r-2')) throw new Error('connection lost');
    });
    const b = new BatchedWriter({ write }, 1, () => new Date(0), 1, 60_000);
    await b.add([f(1)]);
    await expect(b.add([f(2)])).rejects.toThrow('connection lost');
    await expect(b.flush()).rejects.toThrow('connection lost');
    b.add([f(3)])?.catch(() => {});
    await expect(b.flush()).rejects.toThrow('connection lost');
  });

  it('a timed flush of an asynchronous store that fails is reported at the next flush, not as an unhandled rejection', async () => {
    const write = vi.fn(async () => {
      throw new Error('disk full');
    });
    const b = new BatchedWriter({ write }, 1, () => new Date(0), 1000, 10);
    b.add([f(1)]);
    await new Promise((r) => setTimeout(r, 40));
    expect(write).toHaveBeenCalledTimes(1);
    await expect(b.flush()).rejects.toThrow('disk full');
  });

  it('afterWrites runs after every write so far and before any later one; a failing fn fails no write', async () => {
    const log: string[] = [];
    let running = 0;
    const write = vi.fn(async (rows: readonly Finding[]) => {
      running++;
      await new Promise((r) => setTimeout(r, 15));
      log.push(rows.map((r) => r.resourceId).join(','));
      running--;
    });
    const b = new BatchedWriter({ write }, 1, () => new Date(0), 2, 60_000);
    b.add([f(1), f(2)]);
    b.add([f(3)]); // buffered: afterWrites writes it first
    const done = b.afterWrites(() => {
      expect(running).toBe(0); // no write in flight: on SQLite the thread holds no lock
      log.push('end of task');
      return 42;
    });
    b.add([f(4), f(5)]); // sent while the task's end waits: written after it
    expect(await done).toBe(42);
    await b.flush();
    expect(log).toEqual(['r-1,r-2', 'r-3', 'end of task', 'r-4,r-5']);

    await expect(b.afterWrites(() => Promise.reject(new Error('markGone failed')))).rejects.toThrow('markGone failed');
    b.add([f(6), f(7)]);
    await expect(b.flush()).resolves.toBeUndefined();
    expect(log.at(-1)).toBe('r-6,r-7');
  });

  it('afterWrites does not run fn after a failed write, and rejects with its error', async () => {
    const write = vi.fn(async () => {
      throw new Error('disk full');
    });
    const b = new BatchedWriter({ write }, 1, () => new Date(0), 10, 60_000);
    b.add([f(1)]);
    const fn = vi.fn();
    await expect(b.afterWrites(fn)).rejects.toThrow('disk full');
    expect(fn).not.toHaveBeenCalled();
  });

  it('afterQueued runs at once when no write is running; on a synchronous store a failed write fails only its caller', async () => {
    let fail = true;
    const write = vi.fn(() => {
      if (fail) throw new Error('disk full');
    });
    const b = new BatchedWriter({ write }, 1, () => new Date(0), 10, 60_000);
    let ran = false;
    const p = b.afterQueued(() => (ran = true));
    expect(ran).toBe(true); // nothing queued: run in the same turn
    await p;
    b.add([f(1)]);
    await expect(b.afterWrites(() => 'not run')).rejects.toThrow('disk full');
    // The failure is not kept: the next write and task end go on.
    fail = false;
    b.add([f(2)]);
    await expect(b.afterWrites(() => 'ran')).resolves.toBe('ran');
    expect(write).toHaveBeenCalledTimes(2);
  });
});

