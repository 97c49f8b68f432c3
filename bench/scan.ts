/**
 * bench:scan — a full scan of a generated large account (17 regions × 1,000 instances, 3,000 volumes, 3,000
 * snapshots, 300 Elastic IPs, 200 AMIs) served by the simulator in a child process with 20 ms of latency per
 * request, through the same code the app uses (client factory → runScan → SQLite file). Two runs: no throttling,
 * then 10% of requests throttled; then the same two with the regions on worker threads (the app's region pool, as
 * many workers as the app would start here, or BENCH_WORKERS; 0 skips them). One JSON object per run on its own line.
 *
 * Each mode runs in its OWN FRESH PROCESS (bench/scan-run.ts), so the throttled run no longer inherits the first
 * run's heap (until this change both ran in one process and the second run's peak RSS was an upper bound only).
 * This parent only orchestrates: it generates the account, starts a simulator per mode (its own process tree,
 * never measured as the scan's memory), starts the mode's child, and prints the JSON from what the child reports.
 *
 * peak_rss_mb    = the scan's peak resident memory, whole process tree: the larger of (a) the sum of VmRSS over the
 *                  scanning child and all its descendants, sampled by this parent from /proc every 50 ms from just
 *                  before the scan starts to just after it ends, and (b) the child's own getrusage maxRSS read at
 *                  the end of the scan (exact for that process, catches peaks between samples; the child does
 *                  nothing big before the scan). Worker threads live in the child's process, so both cover them;
 *                  `rss_tree_processes` says how many processes the tree had at most (1 = no child processes).
 *                  Not included: the simulator, the SDK-only replay and the ingest timing after the scan.
 * lower_bound_ms = (longest chain of sequential requests of one task, measured in the unthrottled run) × latency
 *                  + the time to ingest the same findings into SQLite alone.
 * sdk_only_* (unthrottled run): the scan's own EC2 requests, recorded, then made again through the same clients with
 *                  the scanner's concurrency and nothing done with the answers — the floor the AWS SDK alone sets here.
 * BENCH_SCALE (default 1) scales the per-region counts down for a quick look. BENCH_NODE_ARGS: extra Node flags for
 * the scanning child, space-separated (`--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the scan).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestCounts } from '../e2e/aws-sim/counters';
import { generateAccount } from '../e2e/aws-sim/generator';
import { workerCount } from '../src/main/scan/region-pool';
import { sampleTreeRss, treeCpuMs } from './proc-tree';
import type { RunResult } from './scan-run';

const LATENCY_MS = 20;
const RSS_SAMPLE_MS = 50;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const root = path.resolve(__dirname, '..');

async function startSimChild(fixtureFile: string, throttleRate: number): Promise<{ endpoint: string; child: ChildProcess }> {
  const args = [require.resolve('tsx/cli'), path.join(root, 'e2e/aws-sim/cli.ts'), '--fixture', fixtureFile, '--latency', String(LATENCY_MS)];
  if (throttleRate > 0) args.push('--throttle-rate', String(throttleRate), '--seed', '11');
  // The IPC channel: the requests it counted (simCounts), which is how the worker modes' requests are counted.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^endpoint=(\S+)/m.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { endpoint, child };
}

/** The requests the simulator counted so far (every attempt, throttled ones included). */
function simCounts(child: ChildProcess): Promise<RequestCounts> {
  return new Promise((resolve) => {
    const on = (m: { type?: string; counts?: RequestCounts }): void => {
      if (m.type !== 'counts') return;
      child.off('message', on);
      resolve(m.counts!);
    };
    child.on('message', on);
    child.send({ type: 'counts' });
  });
}

interface ModeOutcome {
  result: RunResult;
  /** The simulator's count of the scan's requests. */
  simRequests: RequestCounts;
  simCpuMs: number;
  peakRssBytes: number;
  sampledPeakBytes: number;
  maxRssBytes: number;
  treeProcesses: number;
  samples: number;
}

type ChildMessage =
  | { type: 'ready' }
  | { type: 'scan-end'; maxRssBytes: number }
  | { type: 'result'; result: RunResult };

/** One mode in a fresh process: `node --import tsx bench/scan-run.ts` (one process, no tsx wrapper process). */
async function runMode(fixtureFile: string, expectedFile: string, throttleRate: number, workers: number, workerScript: string): Promise<ModeOutcome> {
  const sim = await startSimChild(fixtureFile, throttleRate);
  try {
    const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(/\s+/).filter(Boolean) : []), '--import', 'tsx', path.join(__dirname, 'scan-run.ts')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        BENCH_ENDPOINT: sim.endpoint,
        BENCH_FIXTURE: fixtureFile,
        BENCH_EXPECTED: expectedFile,
        BENCH_THROTTLE_RATE: String(throttleRate),
        BENCH_WORKERS: String(workers),
        BENCH_WORKER_SCRIPT: workerScript,
      },
    });
    return await new Promise<ModeOutcome>((resolve, reject) => {
      let sampler: ReturnType<typeof sampleTreeRss> | null = null;
      let simCpu0 = 0;
      let simCpuMs = Number.NaN;
      let sampled: ReturnType<ReturnType<typeof sampleTreeRss>['stop']> | null = null;
      let maxRssBytes = Number.NaN;
      let result: RunResult | null = null;
      let simRequests: RequestCounts | null = null;
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') {
          simCpu0 = treeCpuMs(sim.child.pid!);
          sampler = sampleTreeRss(child.pid!, RSS_SAMPLE_MS);
          child.send({ type: 'go' });
        } else if (m.type === 'scan-end') {
          sampled = sampler?.stop() ?? null;
          simCpuMs = treeCpuMs(sim.child.pid!) - simCpu0;
          maxRssBytes = m.maxRssBytes;
          void simCounts(sim.child).then((c) => {
            simRequests = c;
            child.send({ type: 'ack' });
          });
        } else if (m.type === 'result') {
          result = m.result;
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        if (result === null || sampled === null || simRequests === null) {
          reject(new Error(`scan child (throttle ${throttleRate}) exited with ${code} before reporting`));
          return;
        }
        const s = sampled as { peakBytes: number; maxProcesses: number; samples: number };
        resolve({
          result,
          simRequests,
          simCpuMs,
          peakRssBytes: Math.max(s.peakBytes, Number.isNaN(maxRssBytes) ? 0 : maxRssBytes),
          sampledPeakBytes: s.peakBytes,
          maxRssBytes,
          treeProcesses: s.maxProcesses,
          samples: s.samples,
        });
      });
    });
  } finally {
    sim.child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
  const g = generateAccount({ regions: 17, instances: scaled(1000), volumes: scaled(3000), snapshots: scaled(3000), addresses: scaled(300), images: scaled(200) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-fixture-'));
  const fixtureFile = path.join(dir, 'account.json');
  fs.writeFileSync(fixtureFile, JSON.stringify(g.fixture));
  const expected = new Set(g.unused.map((u) => `${u.type}|${u.region}|${u.id}`));
  const expectedFile = path.join(dir, 'expected.json');
  fs.writeFileSync(expectedFile, JSON.stringify([...expected]));
  let lowerChain: number | null = null;
  // The regions on the scanning thread, then on the region pool's workers (BENCH_WORKERS, default the app's own count
  // for this machine; 0 skips the worker modes).
  const poolSize = process.env.BENCH_WORKERS !== undefined ? Number(process.env.BENCH_WORKERS) : workerCount();
  // BENCH_ONLY_WORKERS=1 (a quick look at the worker modes): no lower bound then (it needs the first mode's chain).
  const onlyWorkers = process.env.BENCH_ONLY_WORKERS === '1' && poolSize > 0;
  // The workers run the shipped worker (the CLI build's out/cli/scan-worker.mjs, built now), not the TypeScript source
  // through tsx, which keeps every module's source text in each worker's heap.
  if (poolSize > 0) {
    const built = spawnSync(process.execPath, [path.join(root, 'scripts/build-cli.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('scripts/build-cli.mjs failed');
  }
  const workerScript = path.join(root, 'out/cli/scan-worker.mjs');
  const modes = [...(onlyWorkers ? [] : [0]), ...(poolSize > 0 ? [poolSize] : [])].flatMap((workers) => [0, 0.1].map((throttleRate) => ({ workers, throttleRate })));
  const unthrottledWallMs = new Map<number, number>();
  for (const { workers, throttleRate } of modes) {
    const mode = await runMode(fixtureFile, expectedFile, throttleRate, workers, workerScript);
    const r = mode.result;
    // The request chain is a property of the account and the code, not of the faults or the threads: measured where
    // the tasks run on the scanning thread (the first mode).
    lowerChain ??= r.chain;
    if (lowerChain === null && !onlyWorkers) throw new Error('the first mode measured no request chain');
    const lowerBound = lowerChain === null ? Number.NaN : lowerChain * LATENCY_MS + r.ingestMs;
    if (throttleRate === 0) unthrottledWallMs.set(workers, r.wallMs);
    const unthrottled = unthrottledWallMs.get(workers) ?? r.wallMs;
    // On the scanning thread, the SDK's own attempts (instrumented); with workers, the simulator's count of them.
    const byOperation = workers > 0 ? mode.simRequests.byOperation : r.byOperation;
    const requests = Object.values(byOperation).reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify({
        run: `${throttleRate === 0 ? 'no-throttling' : 'throttled-10pct'}${workers > 0 ? `-workers-${workers}` : ''}`,
        status: r.status,
        ...(r.error ? { error: r.error } : {}),
        wall_ms: Math.round(r.wallMs),
        requests: byOperation,
        attempts: workers > 0 ? requests : r.attempts,
        simulator_requests: mode.simRequests.total,
        lower_bound_ms: Math.round(lowerBound),
        longest_chain: lowerChain,
        ingest_ms: Math.round(r.ingestMs),
        ratio: Number((r.wallMs / lowerBound).toFixed(2)),
        // Wall ÷ (chain × latency + the plain-INSERT floor of the same rows): the scan against this machine's floor.
        floor_ratio: lowerChain === null ? null : Number((r.wallMs / (lowerChain * LATENCY_MS + r.floorMs)).toFixed(2)),
        plain_insert_floor_ms: Math.round(r.floorMs),
        cpu_count: os.cpus().length,
        // Worker threads the regions ran on (src/main/scan/region-pool.ts); 0 = the scanning thread.
        workers: r.regionWorkers?.workers ?? 0,
        ...(r.regionWorkers?.fallbackReason ? { workers_fallback: r.regionWorkers.fallbackReason } : {}),
        // The largest heap of one worker (peak_heap_used_mb is the scanning thread's own).
        ...(r.regionWorkers?.peakHeapMb !== undefined ? { worker_peak_heap_mb: r.regionWorkers.peakHeapMb } : {}),
        // SQLite's findings writer: on its own worker thread (the default) or on the scanning thread (BENCH_WRITER=inline),
        // as the scan reported it (a fallback says why).
        writer_thread: r.writer?.thread ?? false,
        ...(r.writer?.fallbackReason ? { writer_fallback: r.writer.fallbackReason } : {}),
        requests_per_resource: Number((requests / Math.max(1, r.resources)).toFixed(4)),
        throttled_over_unthrottled: Number((r.wallMs / unthrottled).toFixed(2)),
        scanner_cpu_ms: Math.round(r.cpuMs),
        simulator_cpu_ms: Math.round(mode.simCpuMs),
        // Whole process tree of this mode's own fresh process (see the top of this file).
        peak_rss_mb: Math.round(mode.peakRssBytes / 2 ** 20),
        peak_rss_sampled_mb: Math.round(mode.sampledPeakBytes / 2 ** 20),
        peak_rss_maxrss_mb: Math.round(mode.maxRssBytes / 2 ** 20),
        rss_tree_processes: mode.treeProcesses,
        rss_samples: mode.samples,
        peak_heap_used_mb: Math.round(r.peakHeapMb),
        // The scan's own full collections (src/main/scan/heap-governor.ts) and their time, inside wall_ms.
        forced_gcs: r.forcedGcs,
        forced_gc_ms: Math.round(r.forcedGcMs),
        // The scanning thread's event-loop delay during the scan (perf_hooks, 5 ms resolution): how long the app's main
        // process could not answer (IPC, progress) at the median, the 99th percentile and worst.
        // The scanning thread's busy time during the scan (event-loop utilization × wall): what the thread that, in the
        // app, also answers the window had to do; the rest of scanner_cpu_ms ran on other threads (writer, GC, libuv).
        main_thread_busy_ms: Math.round(r.mainThreadBusyMs),
        event_loop_delay_ms: {
          p50: Number(r.loopDelayMs.p50.toFixed(1)),
          p99: Number(r.loopDelayMs.p99.toFixed(1)),
          max: Number(r.loopDelayMs.max.toFixed(1)),
        },
        resources_seen: r.resources,
        findings_found: r.expectedFound,
        findings_expected: expected.size,
        findings_unexpected: r.unexpected,
        findings_by_kind: r.byKind,
        cloudwatch: r.meter,
        // Counted by the instrumentation on the scanning thread only.
        throttle_rate: workers > 0 ? null : r.attempts ? Number((r.throttled / r.attempts).toFixed(3)) : 0,
        ...(r.replay
          ? {
              sdk_only_wall_ms: Math.round(r.replay.wallMs),
              sdk_only_cpu_ms: Math.round(r.replay.cpuMs),
              sdk_only_requests: r.replay.requests,
              sdk_only_ratio: Number((r.replay.wallMs / lowerBound).toFixed(2)),
            }
          : {}),
      }),
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
