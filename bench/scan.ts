/**
 * bench:scan — a full scan of a generated large account (17 regions × 1,000 instances, 3,000 volumes, 3,000
 * snapshots, 300 Elastic IPs, 200 AMIs) served by the simulator in a child process with 20 ms of latency per
 * request, through the same code the app uses (client factory → runScan → SQLite file). Two runs: no throttling,
 * then 10% of requests throttled. One JSON object per run on its own line.
 *
 * lower_bound_ms = (longest chain of sequential requests of one task, measured in the unthrottled run) × latency
 *                  + the time to ingest the same findings into SQLite alone.
 * sdk_only_* (unthrottled run): the scan's own EC2 requests, recorded, then made again through the same clients with
 *                  the scanner's concurrency and nothing done with the answers — the floor the AWS SDK alone sets here.
 * BENCH_SCALE (default 1) scales the per-region counts down for a quick look.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { plainInsertFloorMs } from './synthetic-findings';
import path from 'node:path';
import * as ec2Commands from '@aws-sdk/client-ec2';
import { type EC2Client } from '@aws-sdk/client-ec2';
import { generateAccount } from '../e2e/aws-sim/generator';
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
import { DEFAULT_SCAN_SETTINGS, runScan } from '../src/main/scan/scanner';

const LATENCY_MS = 20;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const root = path.resolve(__dirname, '..');

interface Interval {
  start: number;
  end: number;
}

async function startSimChild(fixtureFile: string, throttleRate: number): Promise<{ endpoint: string; child: ChildProcess }> {
  const args = [require.resolve('tsx/cli'), path.join(root, 'e2e/aws-sim/cli.ts'), '--fixture', fixtureFile, '--latency', String(LATENCY_MS)];
  if (throttleRate > 0) args.push('--throttle-rate', String(throttleRate), '--seed', '11');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** CPU time (user + system) of a process and its descendants so far, from /proc (Linux), in ms; NaN elsewhere. */
function childCpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    let ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      for (const c of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) ms += childCpuMs(Number(c));
    }
    return ms;
  } catch {
    return Number.NaN;
  }
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

async function runOnce(fixtureFile: string, expected: Set<string>, throttleRate: number) {
  const { endpoint, child } = await startSimChild(fixtureFile, throttleRate);
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
  let recording = throttleRate === 0;
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

  const cpu0 = process.cpuUsage();
  const simCpu0 = childCpuMs(child.pid!);
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 25);
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
      prices: createBundledPriceBook(priceKeysOf(registry)),
      settings: {
        ...DEFAULT_SCAN_SETTINGS,
        ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
        ...(process.env.BENCH_PAGE_SIZE ? { pageSize: Number(process.env.BENCH_PAGE_SIZE) } : {}),
        stoppedInstanceDays: 30,
        protectionTagKey: 'cloud-cleaner:keep',
      },
    },
    { regions: 'all' },
  );
  const wallMs = performance.now() - t0;
  const meter = (await getScan(db.db, out.scanId))?.metrics ?? null;
  const cpu = process.cpuUsage(cpu0);
  const simCpuMs = childCpuMs(child.pid!) - simCpu0;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

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
  child.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    status: out.status,
    error: out.error?.message ?? out.failures[0]?.message,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    simCpuMs,
    byOperation,
    attempts,
    throttled,
    chain: Math.max(...taskIntervals.map(longestChain)),
    ingestMs,
    floorMs,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
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
  const scaled = (n: number) => Math.max(1, Math.round(n * SCALE));
  const g = generateAccount({ regions: 17, instances: scaled(1000), volumes: scaled(3000), snapshots: scaled(3000), addresses: scaled(300), images: scaled(200) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-fixture-'));
  const fixtureFile = path.join(dir, 'account.json');
  fs.writeFileSync(fixtureFile, JSON.stringify(g.fixture));
  const expected = new Set(g.unused.map((u) => `${u.type}|${u.region}|${u.id}`));
  let lowerChain: number | null = null;
  let unthrottledWallMs: number | null = null;
  for (const throttleRate of [0, 0.1]) {
    const r = await runOnce(fixtureFile, expected, throttleRate);
    lowerChain ??= r.chain; // the request chain is a property of the account and the code, not of the faults
    const lowerBound = lowerChain * LATENCY_MS + r.ingestMs;
    unthrottledWallMs ??= r.wallMs;
    const requests = Object.values(r.byOperation).reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify({
        run: throttleRate === 0 ? 'no-throttling' : 'throttled-10pct',
        status: r.status,
        ...(r.error ? { error: r.error } : {}),
        wall_ms: Math.round(r.wallMs),
        requests: r.byOperation,
        attempts: r.attempts,
        lower_bound_ms: Math.round(lowerBound),
        longest_chain: lowerChain,
        ingest_ms: Math.round(r.ingestMs),
        ratio: Number((r.wallMs / lowerBound).toFixed(2)),
        // Wall ÷ (chain × latency + the plain-INSERT floor of the same rows): the scan against this machine's floor.
        floor_ratio: Number((r.wallMs / (lowerChain * LATENCY_MS + r.floorMs)).toFixed(2)),
        plain_insert_floor_ms: Math.round(r.floorMs),
        cpu_count: os.cpus().length,
        // Regions run on the main thread (no worker pool yet): 0 workers.
        workers: 0,
        requests_per_resource: Number((requests / Math.max(1, r.resources)).toFixed(4)),
        throttled_over_unthrottled: Number((r.wallMs / unthrottledWallMs).toFixed(2)),
        scanner_cpu_ms: Math.round(r.cpuMs),
        simulator_cpu_ms: Math.round(r.simCpuMs),
        peak_rss_mb: Math.round(r.peakRssMb),
        peak_heap_used_mb: Math.round(r.peakHeapMb),
        resources_seen: r.resources,
        findings_found: r.expectedFound,
        findings_expected: expected.size,
        findings_unexpected: r.unexpected,
        findings_by_kind: r.byKind,
        cloudwatch: r.meter,
        throttle_rate: r.attempts ? Number((r.throttled / r.attempts).toFixed(3)) : 0,
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
