/**
 * bench:scan's child: ONE scan mode in its own fresh process (started by bench/scan.ts, which owns the simulator and
 * measures this process's tree). Talks to the parent over the IPC channel:
 *   child → {type:'ready'}        parent starts sampling this process tree's RSS and the simulator's CPU
 *   parent → {type:'go'}          the scan starts
 *   child → {type:'scan-end', maxRssBytes}   parent stops sampling (before the SDK-only replay and the ingest timing)
 *   parent → {type:'ack'}
 *   child → {type:'result', result}          then the child exits
 * Input through the environment: BENCH_ENDPOINT, BENCH_FIXTURE (the account JSON), BENCH_EXPECTED (a JSON array of
 * `type|region|id`), BENCH_THROTTLE_RATE (0 records the EC2 requests for the SDK-only replay).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import * as ec2Commands from '@aws-sdk/client-ec2';
import { type EC2Client } from '@aws-sdk/client-ec2';
import { plainInsertFloorMs } from './synthetic-findings';
import { createClientFactory } from '../src/main/aws/clients';
import { ENVIRONMENT_PROFILE } from '../src/main/aws/types';
import { openAndMigrate } from '../src/main/db/database';
import { upsertAccount } from '../src/main/db/repos/accounts';
import { getScan } from '../src/main/db/repos/scans';
import { ResourceWriter, toResourceDto } from '../src/main/db/repos/resources';
import type { ResourceRow } from '../src/main/db/schema';
import type { Finding, ResourceType } from '../src/main/handlers/handler';
import { registerBuiltinHandlers } from '../src/main/handlers/builtin';
import { createHandlerRegistry, priceKeysOf } from '../src/main/handlers/registry';
import { createBundledPriceBook } from '../src/main/pricing/price-book';
import { createLimiter } from '../src/main/scan/limiter';
import { heapGovernorStats } from '../src/main/scan/heap-governor';
import { DEFAULT_SCAN_SETTINGS, runScan } from '../src/main/scan/scanner';

interface Interval {
  start: number;
  end: number;
}

type ParentMessage = { type: 'go' } | { type: 'ack' };

function send(message: object): void {
  if (!process.send) throw new Error('bench/scan-run.ts runs as a child of bench/scan.ts (no IPC channel)');
  process.send(message);
}

function waitFor(type: ParentMessage['type']): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: ParentMessage): void => {
      if (m.type !== type) return;
      process.off('message', on);
      resolve();
    };
    process.on('message', on);
  });
}

/** Longest chain of requests where each starts after the previous ended (an interval order's longest chain). */
function longestChain(iv: Interval[]): number {
  const xs = [...iv].sort((a, b) => a.start - b.start);
  const best: number[] = [];
  let max = 0;
  for (let i = 0; i < xs.length; i++) {
    let b = 1;
    for (let j = 0; j < i; j++) if (xs[j]!.end <= xs[i]!.start && best[j]! + 1 > b) b = best[j]! + 1;
    best.push(b);
    if (b > max) max = b;
  }
  return max;
}

export type RunResult = Awaited<ReturnType<typeof runOnce>>;

async function runOnce(endpoint: string, fixtureFile: string, expected: Set<string>, throttleRate: number, workers: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-scan-'));
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  const clients = await createClientFactory({
    profile: ENVIRONMENT_PROFILE,
    credentials: async () => ({ accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' }),
  });
  const db = await openAndMigrate({ file: path.join(dir, 'bench.db') });
  // The generated account's own id: kinds compare ARNs and metric dimensions (OpenSearch's ClientId) with it.
  const accountId = (JSON.parse(fs.readFileSync(fixtureFile, 'utf8')) as { accountId: string }).accountId;
  await upsertAccount(db.db, { id: accountId, alias: null, partition: 'aws', arn: null, profile: 'bench' });
  const builtin = createHandlerRegistry();
  registerBuiltinHandlers(builtin);
  const registry = createHandlerRegistry();

  const byOperation: Record<string, number> = {};
  let attempts = 0;
  let throttled = 0;
  const taskIntervals: Interval[][] = [];
  // Every EC2 request of the scan (region, operation, input), replayed afterwards through the SDK alone.
  const recorded: { region: string; op: string; input: object }[] = [];
  // The SDK-only replay needs this thread's instrumentation: not with BENCH_WORKERS (the requests are in the workers).
  let recording = throttleRate === 0 && workers === 0;
  let replaying = false;
  // Requests are attributed to their (region × handler) task through AsyncLocalStorage: the app's shared
  // per-region clients stay exactly as in the app.
  const als = new AsyncLocalStorage<Interval[]>();
  const instrumented = new Set<object>();
  // Every service's clients (EC2, CloudWatch, Elastic Load Balancing, …) count their attempts; only EC2's requests
  // are recorded for the SDK-only replay.
  const instrument = <C extends object>(client: C, region: string, service: string): C => {
    if (instrumented.has(client)) return client;
    instrumented.add(client);
    const stack = (client as unknown as { middlewareStack: EC2Client['middlewareStack'] }).middlewareStack;
    stack.add(
      (next, ctx) => async (args) => {
        if (replaying) return next(args);
        const start = performance.now();
        attempts++;
        const name = (ctx as { commandName?: string }).commandName?.replace(/Command$/, '') ?? 'unknown';
        const op = service === 'EC2' ? name : `${service}:${name}`;
        byOperation[op] = (byOperation[op] ?? 0) + 1;
        if (recording && service === 'EC2') recorded.push({ region, op: name, input: structuredClone((args as { input: object }).input) });
        try {
          return await next(args);
        } catch (e) {
          if (/RequestLimitExceeded|Throttling/.test((e as Error).name)) throttled++;
          throw e;
        } finally {
          als.getStore()?.push({ start, end: performance.now() });
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchAttempts' },
    );
    return client;
  };
  for (const h of builtin.list()) {
    registry.register({
      ...h,
      scan(ctx) {
        const intervals: Interval[] = [];
        taskIntervals.push(intervals);
        const it = h.scan(ctx)[Symbol.asyncIterator]();
        return { [Symbol.asyncIterator]: () => ({ next: () => als.run(intervals, () => it.next()) }) };
      },
    });
  }

  send({ type: 'ready' });
  await waitFor('go');
  const cpu0 = process.cpuUsage();
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 25);
  const gc0 = heapGovernorStats();
  // How long the scanning thread kept its event loop from running (in the app: IPC, the window's requests).
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const out = await runScan(
    {
      db,
      accountId,
      // The app's factory, with EC2's clients instrumented (same cached instances the handlers get).
      clients: {
        client: (ctor, region) => {
          const c = clients.client(ctor, region);
          const service = (c as unknown as { config?: { serviceId?: string } }).config?.serviceId ?? ctor.name;
          return instrument(c, region, service);
        },
      },
      costExplorer: () => clients.costExplorer(),
      homeRegion: 'us-east-1',
      registry,
      // BENCH_WORKERS=n: the regions on n worker threads (the app's region pool). Their requests are not seen by the
      // instrumentation above (it lives on this thread): the parent counts them at the simulator.
      ...(workers > 0
        ? { workers: { script: process.env.BENCH_WORKER_SCRIPT ?? path.join(__dirname, '../src/main/scan/region-worker.ts'), clients: clients.replica, size: workers } }
        : {}),
      prices: createBundledPriceBook(priceKeysOf(registry)),
      settings: {
        ...DEFAULT_SCAN_SETTINGS,
        ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
        ...(process.env.BENCH_PAGE_SIZE ? { pageSize: Number(process.env.BENCH_PAGE_SIZE) } : {}),
        // BENCH_WRITER=inline: the findings written on the scanning thread, as before the writer thread (for comparison).
        ...(process.env.BENCH_WRITER === 'inline' ? { writerThread: false } : {}),
        stoppedInstanceDays: 30,
        protectionTagKey: 'cloud-cleaner:keep',
      },
    },
    { regions: 'all' },
  );
  const wallMs = performance.now() - t0;
  loopDelay.disable();
  // The scanning thread's own busy time (JavaScript, GC, synchronous native calls such as SQLite's), not the process's.
  const elu = performance.eventLoopUtilization(elu0);
  const gc1 = heapGovernorStats();
  const meter = (await getScan(db.db, out.scanId))?.metrics ?? null;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  // getrusage's peak resident set of this process so far (KiB): nothing but the scan ran in it at its size.
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  send({ type: 'scan-end', maxRssBytes });
  await waitFor('ack');

  recording = false;

  // The SDK alone: the same EC2 requests, same clients, same per-region and global concurrency, responses dropped.
  // No handler logic, no SQLite: what this machine needs just to make the scan's requests through the SDK.
  let replay: { wallMs: number; cpuMs: number; requests: number } | null = null;
  if (recorded.length > 0) {
    replaying = true;
    const global = createLimiter(DEFAULT_SCAN_SETTINGS.concurrency);
    const perRegion = new Map<string, ReturnType<typeof createLimiter>>();
    const c0 = process.cpuUsage();
    const r0 = performance.now();
    await Promise.all(
      recorded.map((r) => {
        let lim = perRegion.get(r.region);
        if (!lim) perRegion.set(r.region, (lim = createLimiter(DEFAULT_SCAN_SETTINGS.perRegionConcurrency)));
        const Command = (ec2Commands as unknown as Record<string, new (input: object) => Parameters<EC2Client['send']>[0]>)[`${r.op}Command`];
        if (Command === undefined) throw new Error(`no EC2 command for ${r.op}`);
        return global(() => lim(() => clients.ec2(r.region).send(new Command(r.input))));
      }),
    );
    const c = process.cpuUsage(c0);
    replaying = false;
    replay = { wallMs: performance.now() - r0, cpuMs: (c.user + c.system) / 1000, requests: recorded.length };
  }

  const rows = db.sqlite.prepare(`SELECT * FROM resources WHERE status = 'active'`).all() as ResourceRow[];
  const found = new Set(rows.filter((r) => r.unused === 1).map((r) => `${r.resource_type}|${r.region}|${r.resource_id}`));
  let hit = 0;
  for (const k of found) if (expected.has(k)) hit++;

  // Ingest alone: the same resources written again into a fresh database, in pages as a scan writes them.
  const ingestDb = await openAndMigrate({ file: path.join(dir, 'ingest.db') });
  await upsertAccount(ingestDb.db, { id: accountId, alias: null, partition: 'aws', arn: null, profile: 'bench' });
  const findings: Finding[] = rows.map((r) => {
    const d = toResourceDto(r);
    return { ...d, resourceType: d.resourceType as ResourceType };
  });
  const writer = new ResourceWriter(ingestDb.sqlite, accountId, () => 'AmazonEC2Other');
  const ti = performance.now();
  for (let i = 0; i < findings.length; i += 500) writer.write(findings.slice(i, i + 500), null);
  const ingestMs = performance.now() - ti;
  // The machine's floor for the same rows: plain INSERTs into an index-free table (bench/synthetic-findings.ts).
  const floorMs = plainInsertFloorMs(dir, 'floor.db', findings, 500);

  clients.destroy();
  await db.close();
  await ingestDb.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    status: out.status,
    error: out.error?.message ?? out.failures[0]?.message,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    byOperation,
    attempts,
    throttled,
    // Measured only where the tasks run on this thread (not with BENCH_WORKERS).
    chain: taskIntervals.length > 0 ? Math.max(...taskIntervals.map(longestChain)) : null,
    regionWorkers: out.regionWorkers ?? null,
    ingestMs,
    floorMs,
    maxRssBytes,
    peakHeapMb: peakHeap / 2 ** 20,
    forcedGcs: gc1.collections - gc0.collections,
    forcedGcMs: gc1.ms - gc0.ms,
    mainThreadBusyMs: elu.active,
    writer: out.writer ?? null,
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    replay,
    resources: rows.length,
    meter,
    byKind: Object.fromEntries(
      [...new Set(rows.map((r) => r.resource_type))].map((t) => [t, rows.filter((r) => r.resource_type === t && r.unused === 1).length]),
    ),
    found: found.size,
    expectedFound: hit,
    unexpected: found.size - hit,
  };
}


async function main(): Promise<void> {
  const env = (name: string): string => {
    const v = process.env[name];
    if (v === undefined) throw new Error(`${name} is not set`);
    return v;
  };
  const expected = new Set(JSON.parse(fs.readFileSync(env('BENCH_EXPECTED'), 'utf8')) as string[]);
  const result = await runOnce(env('BENCH_ENDPOINT'), env('BENCH_FIXTURE'), expected, Number(env('BENCH_THROTTLE_RATE')), Number(process.env.BENCH_WORKERS ?? 0));
  send({ type: 'result', result });
  process.disconnect?.();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
