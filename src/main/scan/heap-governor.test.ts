import { describe, expect, it } from 'vitest';
import { fullCollector, heapGovernorStats, holdHeapGovernor, type HeapGovernorOptions } from './heap-governor';

const MB = 2 ** 20;
const OPTS: HeapGovernorOptions = { everyMs: 250, floorBytes: 150 * MB, growth: 1.5 };

/** A heap whose size the test sets, a collector that drops it to what "survives", and a timer the test ticks. */
function fakeRuntime(survives: () => number) {
  const rt = {
    used: 0,
    ticks: [] as (() => void)[],
    cleared: 0,
    collections: 0,
    usedBytes: () => rt.used,
    collect: () => {
      rt.collections++;
      rt.used = survives();
    },
    setInterval: (fn: () => void) => {
      rt.ticks.push(fn);
      return { unref: () => {} };
    },
    clearInterval: () => {
      rt.cleared++;
    },
    tick: () => rt.ticks.at(-1)!(),
  };
  return rt;
}

describe('heap governor', () => {
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
    rt.used = 160 * MB;
    rt.tick();
    rt.used = 140 * MB; // over 1.5 × 10 MB, under the floor
    rt.tick();
    expect(rt.collections).toBe(1);
    release();
  });

  it('one timer for scans at once; the last release stops it; a second release of one scan does nothing', () => {
    const rt = fakeRuntime(() => 0);
    const a = holdHeapGovernor(OPTS, rt);
    const b = holdHeapGovernor(OPTS, rt);
    expect(rt.ticks).toHaveLength(1);
    a();
    a();
    expect(rt.cleared).toBe(0); // b still scanning
    b();
    expect(rt.cleared).toBe(1);
    const c = holdHeapGovernor(OPTS, rt);
    expect(rt.ticks).toHaveLength(2);
    c();
    expect(rt.cleared).toBe(2);
  });

  it('does nothing where no collector can be had', () => {
    const rt = { ...fakeRuntime(() => 0), collect: null };
    const release = holdHeapGovernor(OPTS, rt);
    expect(rt.ticks).toHaveLength(0);
    release();
    expect(rt.cleared).toBe(0);
  });

  it("gets V8's full collection in this runtime without leaving `gc` on the global object", () => {
    const gc = fullCollector();
    expect(typeof gc).toBe('function');
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    const before = heapGovernorStats();
    gc!(); // callable: a full collection
    expect(heapGovernorStats()).toEqual(before); // only the governor's own collections count
  });
});
