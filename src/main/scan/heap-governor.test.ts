import { afterEach, describe, expect, it } from 'vitest';
import { fullCollector, heapGovernorHolders, heapGovernorStats, holdHeapGovernor, type HeapGovernorOptions } from './heap-governor';

const MB = 2 ** 20;
const OPTS: HeapGovernorOptions = { everyMs: 250, floorBytes: 150 * MB, growth: 1.5, spacing: 10 };

/**
 * A heap whose size the test sets, a collector that drops it to what "survives" and takes `gcMs` of the test's clock,
 * and a timer the test ticks.
 */
function fakeRuntime(survives: () => number, gcMs = 0) {
  const rt = {
    used: 0,
    clock: 0,
    ticks: [] as (() => void)[],
    cleared: 0,
    collections: 0,
    usedBytes: () => rt.used,
    now: () => rt.clock,
    collect: (() => {
      rt.collections++;
      rt.clock += gcMs;
      rt.used = survives();
    }) as (() => void) | null,
    setInterval: (fn: () => void) => {
      rt.ticks.push(fn);
      return { unref: () => {} };
    },
    clearInterval: () => {
      rt.cleared++;
    },
    tick: () => {
      rt.clock += 250;
      rt.ticks.at(-1)!();
    },
  };
  return rt;
}

describe('heap governor', () => {
  afterEach(() => {
    // Every test lets go of what it held: the next one starts with no scan holding the governor.
    expect(heapGovernorHolders()).toBe(0);
  });

  it('collects only past the floor, then only once the heap is 1.5× what survived', () => {
    const rt = fakeRuntime(() => 200 * MB);
    const release = holdHeapGovernor(OPTS, rt);
    try {
      rt.used = 149 * MB;
      rt.tick();
      expect(rt.collections).toBe(0);
      rt.used = 151 * MB;
      rt.tick();
      expect(rt.collections).toBe(1); // 200 MB survived: the next is at 300 MB
      rt.used = 290 * MB;
      rt.tick();
      expect(rt.collections).toBe(1);
      rt.used = 301 * MB;
      rt.tick();
      expect(rt.collections).toBe(2);
    } finally {
      release();
    }
    expect(rt.cleared).toBe(1);
  });

  it('never sets the bar under the floor when little survives', () => {
    const rt = fakeRuntime(() => 10 * MB);
    const release = holdHeapGovernor(OPTS, rt);
    try {
      rt.used = 160 * MB;
      rt.tick();
      rt.used = 140 * MB; // over 1.5 × 10 MB, under the floor
      rt.tick();
      expect(rt.collections).toBe(1);
    } finally {
      release();
    }
  });

  it('spends at most a tenth of the time collecting, however much survives', () => {
    // Every collection takes 400 ms and leaves the heap over the next bar at once (a heap that only grows).
    const rt = fakeRuntime(() => rt.used, 400);
    const starts: number[] = [];
    const collect = rt.collect!;
    rt.collect = () => {
      starts.push(rt.clock);
      collect();
    };
    const release = holdHeapGovernor({ ...OPTS, growth: 1 }, rt);
    try {
      rt.used = 500 * MB;
      for (let i = 0; i < 80; i++) rt.tick(); // 20 s of ticks, every one over the bar
      expect(starts.length).toBeGreaterThanOrEqual(4);
      // After a collection of 400 ms, none for 4 s: the next starts 4.4 s or more after the last one started.
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(4400);
    } finally {
      release();
    }
  });

  it('one timer for scans at once; the last release stops it; a second release of one scan does nothing', () => {
    const rt = fakeRuntime(() => 0);
    const a = holdHeapGovernor(OPTS, rt);
    const b = holdHeapGovernor(OPTS, rt);
    try {
      expect(rt.ticks).toHaveLength(1);
      expect(heapGovernorHolders()).toBe(2);
      a();
      a();
      expect(heapGovernorHolders()).toBe(1);
      expect(rt.cleared).toBe(0); // b still scanning
    } finally {
      a();
      b();
    }
    expect(rt.cleared).toBe(1);
    const c = holdHeapGovernor(OPTS, rt);
    expect(rt.ticks).toHaveLength(2);
    c();
    expect(rt.cleared).toBe(2);
  });

  it('does nothing where no collector can be had', () => {
    const rt = fakeRuntime(() => 0);
    rt.collect = null;
    const release = holdHeapGovernor(OPTS, rt);
    release();
    expect(rt.ticks).toHaveLength(0);
    expect(rt.cleared).toBe(0);
  });

  it("gets V8's full collection in this runtime and leaves the global object as it was", () => {
    const before = (globalThis as { gc?: unknown }).gc;
    const gc = fullCollector();
    expect(typeof gc).toBe('function');
    expect((globalThis as { gc?: unknown }).gc).toBe(before);
    const stats = heapGovernorStats();
    gc!(); // callable: a full collection
    expect(heapGovernorStats()).toEqual(stats); // only the governor's own collections count
  });
});
