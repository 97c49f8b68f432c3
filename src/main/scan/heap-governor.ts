/**
 * Keeps a scan's heap close to what it holds (issue #19's memory bound).
 *
 * A scan parses ~130 MB of AWS XML for a large account; almost all of it is garbage a moment later. Left alone, V8
 * lets that garbage pile up: bench:scan's process peaked at 531–581 MB resident with a peak heap of 280–304 MB,
 * while a heap snapshot in the middle of the scan held 104 MB. Capping the heap (`--max-old-space-size=200…320`)
 * kept the same scan at 354–361 MB: V8 collects eagerly when it must. The app's main process cannot be capped from
 * inside (V8 reads the limit at start-up), and a cap would crash the whole app on a large page rather than slow a
 * scan. So while a scan runs, this asks for a full collection when the heap has grown a quarter past what survived
 * the last one (never under 128 MB). Measured with these settings (bench:scan, 2 cores, both modes, two runs): 13–15
 * collections taking 1.2–1.5 s in all, peak 354–380 MB; the scan's wall time stayed within its run-to-run noise.
 *
 * A forced collection stops everything else in the process while it runs (90–100 ms each in bench:scan): in the app,
 * IPC and progress events wait. So the collections may take at most a sixth of the time — after one that took d ms,
 * none for 5·d ms — whatever survives (three concurrent scans, a large page held by the app). (With a tenth, the one run
 * made peaked at 396 MB.)
 *
 * Shared by the scans of one process (a many-account run scans three accounts at once): one timer while any runs.
 * The collector is made available at run time through V8's flags: the runtimes this app runs on (Node for the CLI and
 * the tests, Electron's main process) allow flags after start-up; where no collector results, the governor does
 * nothing.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export interface HeapGovernorOptions {
  /** How often the heap is looked at. */
  everyMs: number;
  /** No collection while the heap is under this many bytes. */
  floorBytes: number;
  /** After a collection, the next comes when the heap is this many times what survived it (or the floor). */
  growth: number;
  /** After a collection that took d ms, none for `spacing` × d ms: collections take at most 1/spacing of the time. */
  spacing: number;
}

export const DEFAULT_HEAP_GOVERNOR: HeapGovernorOptions = { everyMs: 250, floorBytes: 128 * 2 ** 20, growth: 1.25, spacing: 5 };

export interface HeapGovernorStats {
  /** Full collections asked for, and the time they took (ms), since the process started. */
  collections: number;
  ms: number;
}

interface Runtime {
  usedBytes: () => number;
  now: () => number;
  collect: (() => void) | null;
  setInterval: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval: (t: unknown) => void;
}

let collector: (() => void) | null | undefined;

/**
 * V8's full collection: the `gc` a runtime started with --expose-gc has, else one made available now (the flag is
 * set for a fresh context only, then unset). null when neither works.
 */
export function fullCollector(): (() => void) | null {
  if (collector !== undefined) return collector;
  collector = null;
  try {
    const own = (globalThis as { gc?: unknown }).gc;
    if (typeof own === 'function') {
      collector = own as () => void;
    } else {
      v8.setFlagsFromString('--expose-gc');
      try {
        const gc = vm.runInNewContext('gc') as unknown;
        if (typeof gc === 'function') collector = gc as () => void;
      } finally {
        v8.setFlagsFromString('--no-expose-gc');
      }
    }
  } catch {
    collector = null;
  }
  return collector;
}

const stats: HeapGovernorStats = { collections: 0, ms: 0 };
let holders = 0;
let timer: unknown = null;

/** Cumulative: what the governor has done in this process. */
export function heapGovernorStats(): HeapGovernorStats {
  return { ...stats };
}

/** How many scans hold the governor now (0 when none runs: tests check that every scan lets go). */
export function heapGovernorHolders(): number {
  return holders;
}

const REAL: Runtime = {
  usedBytes: () => v8.getHeapStatistics().used_heap_size,
  now: () => performance.now(),
  get collect() {
    return fullCollector();
  },
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (t) => clearInterval(t as NodeJS.Timeout),
};

/**
 * Starts governing (or joins the scans already governed); the returned release ends this scan's share, and the last
 * one stops the timer. Calling a release again does nothing.
 */
export function holdHeapGovernor(opts: HeapGovernorOptions = DEFAULT_HEAP_GOVERNOR, rt: Runtime = REAL): () => void {
  holders++;
  if (holders === 1) {
    const collect = rt.collect;
    if (collect) {
      let threshold = opts.floorBytes;
      let notBefore = -Infinity;
      const t = rt.setInterval(() => {
        if (rt.usedBytes() < threshold || rt.now() < notBefore) return;
        const t0 = rt.now();
        collect();
        const t1 = rt.now();
        stats.ms += t1 - t0;
        stats.collections++;
        threshold = Math.max(opts.floorBytes, rt.usedBytes() * opts.growth);
        notBefore = t1 + opts.spacing * (t1 - t0);
      }, opts.everyMs);
      t.unref?.();
      timer = t;
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0 && timer !== null) {
      rt.clearInterval(timer);
      timer = null;
    }
  };
}
