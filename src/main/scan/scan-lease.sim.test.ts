/**
 * Two processes, one database file, one account: while another process holds the account's scan (or cleanup) lease,
 * a scan here is refused with that process's host, user and pid, and nothing is written; once it lets go, the scan
 * runs. (The same lease rules run on PostgreSQL in db/repos/run-leases.pg.test.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { generateAccount } from '../../../e2e/aws-sim/index';
import { openAndMigrate } from '../db/database';
import type { DbHandle } from '../db/connection';
import { upsertAccount } from '../db/repos/accounts';
import { currentLeases } from '../db/repos/run-leases';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { heapGovernorHolders } from './heap-governor';
import { runScan } from './scanner';

let s: SimSession | null = null;
let h: DbHandle | null = null;
let child: ChildProcess | null = null;
let dir = '';
afterEach(async () => {
  child?.stdin?.end();
  child?.kill();
  await h?.close();
  await s?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  s = h = child = null;
});

function holdInChild(file: string, accountId: string, kind: 'scan' | 'cleanup'): Promise<{ child: ChildProcess; pid: number }> {
  const c = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'fixtures/hold-lease.ts'), file, accountId, kind], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /held pid=(\d+)/.exec(out);
      if (m) resolve({ child: c, pid: Number(m[1]) });
    });
    c.once('exit', (code) => reject(new Error(`the lease holder exited with ${code}: ${out}`)));
  });
}

it('a scan of an account another process is scanning is refused with its host and pid; it runs once that one ends', async () => {
  const g = generateAccount({ regions: ['us-east-1'], instances: 5, volumes: 5, snapshots: 5, addresses: 2, images: 2 });
  s = await openSimSession({ fixture: g.fixture });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-scan-lease-'));
  const file = path.join(dir, 'shared.db');
  h = await openAndMigrate({ file });
  await upsertAccount(h.db, { id: s.accountId, alias: null, partition: 'aws', arn: null, profile: 'sim' });
  const held = await holdInChild(file, s.accountId, 'scan');
  child = held.child;

  const deps = s.scanDeps({ db: h });
  const refused = runScan(deps, { regions: ['us-east-1'], skipDiscovery: true });
  await expect(refused).rejects.toMatchObject({
    code: 'conflict',
    message: expect.stringContaining(`is running on ${os.hostname()} (`),
    details: { reason: 'scan_running_elsewhere', holder: { pid: held.pid, host: os.hostname() } },
  });
  await expect(refused).rejects.toThrow(`pid ${held.pid}`);
  // Nothing was written: no scan record, no finding.
  expect(h.sqlite.prepare('SELECT COUNT(*) FROM scans').pluck().get()).toBe(0);
  expect((await currentLeases(h.db, s.accountId)).map((l) => [l.kind, l.pid])).toEqual([['scan', held.pid]]);
  // The refused scan let go of the heap governor too (heap-governor.ts): no timer is left running for it.
  expect(heapGovernorHolders()).toBe(0);

  // The holder lets go of the scan lease: the scan runs.
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.stdin!.end();
  await exited;
  child = null;
  const out = await runScan(deps, { regions: ['us-east-1'], skipDiscovery: true });
  expect(out.status).toBe('succeeded');
  expect(out.findings).toBe(g.unused.length);
  // A database file: the findings went through the writer thread, every batch (resource-writer-thread.ts).
  expect(out.writer).toEqual({ thread: true, fallbackReason: null });
  // And the scan let go of its own lease, and of the heap governor, when it ended.
  expect(await currentLeases(h.db, s.accountId)).toEqual([]);
  expect(heapGovernorHolders()).toBe(0);
}, 60_000);
