import { describe, expect, it } from 'vitest';
import { createLimiter, mapLimit } from './limiter';

describe('createLimiter', () => {
  it('never runs more than max at once and runs everything', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 1 + (i % 3)));
          active--;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('releases its slot when a task throws', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => { throw new Error('x'); })).rejects.toThrow('x');
    await expect(limit(async () => 42)).resolves.toBe(42);
  });
});

describe('mapLimit', () => {
  it('runs at most `limit` at once and answers in the items’ order, whatever order they finish in', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit([50, 10, 40, 0, 30, 20, 5, 25, 15, 35], 3, async (ms) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, ms));
      active--;
      return ms * 2;
    });
    expect(out).toEqual([100, 20, 80, 0, 60, 40, 10, 50, 30, 70]);
    expect(peak).toBe(3);
  });
});
