import { describe, expect, it, vi } from 'vitest';
import type { ResourceWriter } from '../db/repos/resources';
import type { Finding } from '../handlers/handler';
import { BatchedWriter } from './batched-writer';

const f = (i: number) => ({ resourceId: `r-${i}` }) as Finding;

describe('BatchedWriter', () => {
  it('commits when the buffer is full, and on flush; never loses or repeats a row', () => {
    const write = vi.fn();
    const b = new BatchedWriter({ write } as unknown as ResourceWriter, 7, () => new Date(0), 10, 60_000);
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
    const b = new BatchedWriter({ write } as unknown as ResourceWriter, 1, () => new Date(0), 1000, 20);
    b.add([f(1)]);
    await new Promise((r) => setTimeout(r, 60));
    expect(write).toHaveBeenCalledTimes(1);
  });
});
