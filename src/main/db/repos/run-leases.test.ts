/** The lease rules on SQLite: two connections to one database file, as the app and a CLI job would have. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DbHandle } from '../connection';
import { openAndMigrate } from '../database';
import { upsertAccount } from './accounts';
import { ACCOUNT, expiredLeaseIsTakenOver, holdLeaseRefusesWithTheOwnersName, racingWritersGetOneLease, type TwoWriters } from '../../test-support/run-leases-contract';

let dir: string;
let handles: DbHandle[] = [];
let w: TwoWriters;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-leases-'));
  const file = path.join(dir, 'shared.db');
  const a = await openAndMigrate({ file });
  await upsertAccount(a.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'test' });
  const b = await openAndMigrate({ file });
  handles = [a, b];
  w = { a: a.db, b: b.db };
});
afterEach(async () => {
  await Promise.all(handles.map((h) => h.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

it('two writers racing for a scan lease: exactly one wins each round, the other is told who holds it', () => racingWritersGetOneLease(w));
it('a lease its holder stops renewing expires and is taken over; the old holder cannot renew or free it', () => expiredLeaseIsTakenOver(w));
it('holdLease refuses a second holder with the owner\'s host and user, and releases even when the work throws', () => holdLeaseRefusesWithTheOwnersName(w));

it('each run is an owner of its own: a second run of the account in this process is refused, and ends only its own lease', async () => {
  const { holdLease, currentLeases, THIS_PROCESS } = await import('./run-leases');
  await holdLease(w.a, { accountId: ACCOUNT, kind: 'cleanup' }, async () => {
    await expect(holdLease(w.a, { accountId: ACCOUNT, kind: 'cleanup' }, async () => 'second')).rejects.toMatchObject({
      code: 'conflict',
      details: { holder: { pid: process.pid } },
    });
    // This process's runs are not "elsewhere".
    expect(await currentLeases(w.b, ACCOUNT, new Date(), THIS_PROCESS)).toEqual([]);
    expect(await currentLeases(w.b, ACCOUNT)).toHaveLength(1);
  });
  expect(await currentLeases(w.b, ACCOUNT)).toEqual([]);
});

it('a run whose lease is taken from it is stopped: its signal aborts at the next renewal', async () => {
  const { holdLease } = await import('./run-leases');
  const h = handles[0]!;
  const aborted = await holdLease(w.a, { accountId: ACCOUNT, kind: 'scan', ttlMs: 3000 }, async (signal) => {
    // Another machine takes the lease (as if ours had expired while this process was asleep).
    h.sqlite.prepare(`UPDATE run_leases SET owner_id = 'someone-else', owner_host = 'other-host' WHERE account_id = ? AND kind = 'scan'`).run(ACCOUNT);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return signal.reason as Error;
  });
  expect(aborted).toMatchObject({ code: 'conflict', message: expect.stringContaining('lost its lease to another process') });
  // Its end did not remove the other holder's lease.
  expect(h.sqlite.prepare(`SELECT owner_host FROM run_leases WHERE account_id = ?`).pluck().all(ACCOUNT)).toEqual(['other-host']);
}, 15_000);

it("a lease of this host whose process is gone (a crash, then a restart) is taken over at once, not after it expires", async () => {
  const { acquireLease } = await import('./run-leases');
  const { spawnSync } = await import('node:child_process');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  expect(deadPid).toBeGreaterThan(0);
  const crashed = { id: 'crashed-run', host: os.hostname(), user: 'me', pid: deadPid };
  expect((await acquireLease(w.a, { accountId: ACCOUNT, kind: 'scan', owner: crashed })).ok).toBe(true);
  expect((await acquireLease(w.b, { accountId: ACCOUNT, kind: 'scan', owner: { ...crashed, id: 'restarted', pid: process.pid } })).ok).toBe(true);
  // Another host's holder with the same (dead here) pid is not judged from this machine: refused.
  const remote = { id: 'remote-run', host: 'elsewhere', user: 'x', pid: deadPid };
  await handles[0]!.db.deleteFrom('run_leases').execute();
  expect((await acquireLease(w.a, { accountId: ACCOUNT, kind: 'scan', owner: remote })).ok).toBe(true);
  expect((await acquireLease(w.b, { accountId: ACCOUNT, kind: 'scan', owner: { ...crashed, id: 'restarted', pid: process.pid } })).ok).toBe(false);
});
