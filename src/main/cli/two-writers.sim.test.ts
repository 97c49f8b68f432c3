/**
 * Issue #21, many writers: two processes working on one account in one PostgreSQL team store. While one scans, a
 * second scan is refused with the first one's host, user and pid; a cleanup runs beside the scan (its own lease);
 * afterwards no row is lost or duplicated and the audit is complete. Real processes (the CLI under tsx), a real
 * server, the simulator with added latency so the runs overlap.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { openPostgres } from '../db/postgres';
import { postgresFixture } from '../test-support/dialects';

let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;
const pg = postgresFixture();

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-two-writers-'));
  fs.writeFileSync(path.join(dir, 'config'), `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), `[sim]\naws_access_key_id = AKIDCLITEST\naws_secret_access_key = cli-secret-not-real\n`);
  env = { ...process.env, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') };
  for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_PROFILE', 'CLOUD_CLEANER_DATABASE_URL']) delete env[k];
});

afterAll(async () => {
  await sim?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  done: Promise<{ code: number | null; out: string; err: string }>;
}

/** The CLI in a process of its own. */
function cliProcess(args: string[]): Run {
  const c = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'main.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  c.stdout.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { done: new Promise((resolve) => c.once('exit', (code) => resolve({ code, out, err }))) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('a second scan is refused with the running one\'s owner; a cleanup runs beside it; no row lost or duplicated', async () => {
  const url = await pg.url();
  // A first scan (in its own process) gives the findings to clean.
  const first = await cliProcess(['scan', '--profile', 'sim', '--regions', 'us-east-1', '--database-url', url, '--json']).done;
  expect(first.err).toBe('');
  expect(first.code).toBe(0);
  const findings = (JSON.parse(first.out) as { findings: { id: number; resourceId: string }[] }).findings;
  const vol = findings.find((f) => f.resourceId === 'vol-0a100000000000011')!;
  const accountId = sim.state.accountId;
  const h = await openPostgres({ url });
  try {
    const before = await h.db.selectFrom('resources').select(['account_id', 'resource_type', 'region', 'resource_id', 'id']).execute();

    // Slow AWS: the next scan runs for many seconds (1 s a request: ~15 s here, against ~5 s for the refused scan's
    // start). The refusal below shows the two overlapped.
    sim.setFaults({ latencyMs: 1000 });
    const a = cliProcess(['scan', '--profile', 'sim', '--database-url', url, '--json']);
    const lease = await until('the scan lease', async () =>
      (await h.db.selectFrom('run_leases').selectAll().where('account_id', '=', accountId).where('kind', '=', 'scan').executeTakeFirst()) ?? undefined,
    );
    // (tsx runs the CLI in a child process of its own: the lease names that one's pid.)
    expect(lease.owner_host).toBe(os.hostname());

    const [b, c] = await Promise.all([
      cliProcess(['scan', '--profile', 'sim', '--regions', 'us-east-1', '--database-url', url]).done,
      cliProcess(['clean', '--profile', 'sim', '--database-url', url, '--finding', String(vol.id), '--confirm-account', accountId]).done,
    ]);
    // The second scan: refused, naming the first one's host and pid; nothing of it recorded.
    expect(b.code).toBe(1);
    expect(b.err).toContain(`A scan of ${accountId} is running on ${os.hostname()}`);
    expect(b.err).toContain(`pid ${lease.owner_pid}`);
    // The cleanup ran, under its own lease: a running scan does not block it (whether it ends before or after the
    // scan depends on the machine's load).
    expect(c.err).toBe('');
    expect(c.code).toBe(0);

    const ra = await a.done;
    expect(ra.code).toBe(0);
    sim.setFaults({});

    // No lost or duplicated row: every resource of the first scan still has its row (same id), each key once.
    const after = await h.db.selectFrom('resources').select(['account_id', 'resource_type', 'region', 'resource_id', 'id']).execute();
    const key = (r: { account_id: string; resource_type: string; region: string; resource_id: string }) => `${r.account_id}|${r.resource_type}|${r.region}|${r.resource_id}`;
    expect(new Set(after.map(key)).size).toBe(after.length);
    const afterIds = new Map(after.map((r) => [key(r), r.id]));
    for (const r of before) expect(afterIds.get(key(r)), key(r)).toBe(r.id);
    // The audit: the dry run's and the delete's calls, both completed; the volume is gone from AWS.
    const audit = await h.db.selectFrom('deletions').select(['outcome']).where('resource_id', '=', 'vol-0a100000000000011').orderBy('id').execute();
    expect(audit.at(-1)?.outcome).toBe('succeeded');
    expect(audit.slice(0, -1).every((x) => x.outcome === 'dry-run-ok')).toBe(true);
    expect(sim.state.region('us-east-1').volumes.has('vol-0a100000000000011')).toBe(false);
    // Scans: the first and the long one succeeded; the refused one left no scan behind; no lease is left.
    const scans = await h.db.selectFrom('scans').select(['status']).where('kind', '=', 'resources').orderBy('id').execute();
    expect(scans.map((x) => x.status)).toEqual(['succeeded', 'succeeded']);
    expect(await h.db.selectFrom('run_leases').selectAll().execute()).toEqual([]);
    // The next scan settles the deleted volume: not active.
    const next = await cliProcess(['scan', '--profile', 'sim', '--regions', 'us-east-1', '--database-url', url]).done;
    expect(next.code).toBe(0);
    const row = await h.db.selectFrom('resources').select('status').where('id', '=', vol.id).executeTakeFirstOrThrow();
    expect(row.status).not.toBe('active');
  } finally {
    await h.close();
  }
}, 180_000);
