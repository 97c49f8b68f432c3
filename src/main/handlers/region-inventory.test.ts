import { describe, expect, it } from 'vitest';
import { RegionInventory, ReplayablePages } from './region-inventory';

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of it) out.push(page);
  return out;
}

describe('ReplayablePages', () => {
  it('runs its source once; every consumer, early, concurrent or late, sees every page in order', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const pages = new ReplayablePages<number>(async function* () {
      runs++;
      yield [1, 2];
      await gate;
      yield [3];
    });
    expect(pages.startedAt).toBeNull();
    const first = collect(pages);
    const second = collect(pages);
    await new Promise((r) => setTimeout(r, 5));
    expect(pages.startedAt).toBeInstanceOf(Date);
    release();
    expect(await first).toEqual([[1, 2], [3]]);
    expect(await second).toEqual([[1, 2], [3]]);
    expect(await collect(pages)).toEqual([[1, 2], [3]]);
    expect(runs).toBe(1);
  });

  it('gives every consumer the pages before a failure, then the failure itself', async () => {
    const boom = Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' });
    const pages = new ReplayablePages<string>(async function* () {
      yield ['a'];
      throw boom;
    });
    for (let i = 0; i < 2; i++) {
      const seen: string[][] = [];
      await expect(
        (async () => {
          for await (const p of pages) seen.push(p);
        })(),
      ).rejects.toBe(boom);
      expect(seen).toEqual([['a']]);
    }
  });

  it('a consumer that stops early does not stop the others', async () => {
    const pages = new ReplayablePages<number>(async function* () {
      yield [1];
      yield [2];
      yield [3];
    });
    for await (const p of pages) {
      expect(p).toEqual([1]);
      break;
    }
    expect(await collect(pages)).toEqual([[1], [2], [3]]);
  });
});

describe('RegionInventory', () => {
  it('makes a value once per key and peeks without making', () => {
    const inv = new RegionInventory();
    expect(inv.peek('x')).toBeUndefined();
    let made = 0;
    const a = inv.memo('x', () => ++made);
    const b = inv.memo('x', () => ++made);
    expect([a, b, made]).toEqual([1, 1, 1]);
    expect(inv.peek('x')).toBe(1);
  });

  it('frees a listing when every declaring task released it; undeclared keys stay', () => {
    const inv = new RegionInventory(new Map([['volumes', 2]]));
    inv.memo('volumes', () => 'listing');
    inv.memo('other', () => 'kept');
    inv.release('volumes');
    expect(inv.peek('volumes')).toBe('listing');
    inv.release('volumes');
    expect(inv.peek('volumes')).toBeUndefined();
    inv.release('other');
    expect(inv.peek('other')).toBe('kept');
    // Read again after it was freed: listed again, not an error.
    expect(inv.memo('volumes', () => 'again')).toBe('again');
  });
});
