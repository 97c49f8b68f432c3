/**
 * Recovery interrupts only the runs whose process is gone: a scan or cleanup another live process (the CLI, the app)
 * is running is left alone, and so are its pending audit rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/connection';
import { openMemoryDatabase } from '../db/database';
import { upsertAccount } from '../db/repos/accounts';
import { claimPlan, getPlan, insertPlan } from '../db/repos/cleanup-plans';
import { insertPendingDeletion } from '../db/repos/deletions';
import { createScan, getScan } from '../db/repos/scans';
import { currentRunOwner, defaultStartProbe, isOwnerGone, processStart, type RunOwner } from '../db/run-owner';
import { recoverAfterCrash } from './recovery';

const ACCOUNT = '111122223333';
let h: DbHandle;
const children: ChildProcess[] = [];

/** A process that stays alive until the test ends (or `end()`). */
async function liveProcess(): Promise<RunOwner & { end(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  const pid = child.pid!;
  const exited = once(child, 'exit');
  return {
    pid,
    start: processStart(pid),
    async end() {
      child.kill();
      await exited;
    },
  };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid!;
  await once(child, 'exit');
  return pid;
}

beforeEach(async () => {
  h = await openMemoryDatabase();
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill();
  await h.close();
});

async function plan(id: string, owner: RunOwner | null): Promise<void> {
  await insertPlan(h.db, { id, accountId: ACCOUNT, createdAt: 'x', items: [], refused: [], monthlySavings: 0, options: { snapshotVolumes: false } });
  await h.db
    .updateTable('cleanup_plans')
    .set({ status: 'running', owner_pid: owner?.pid ?? null, owner_start: owner?.start ?? null })
    .where('id', '=', id)
    .execute();
}

describe('run owners', () => {
  it('a new scan and a claimed plan record this process as their owner', async () => {
    const me = currentRunOwner();
    expect(me.pid).toBe(process.pid);
    if (defaultStartProbe() !== 'none') expect(me.start).toEqual(expect.any(String));
    const scanId = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    expect(await h.db.selectFrom('scans').select(['owner_pid', 'owner_start']).where('id', '=', scanId).executeTakeFirst()).toEqual({
      owner_pid: me.pid,
      owner_start: me.start,
    });
    await insertPlan(h.db, { id: 'p', accountId: ACCOUNT, createdAt: 'x', items: [], refused: [], monthlySavings: 0, options: { snapshotVolumes: false } });
    expect(await claimPlan(h.db, 'p', ['planned'])).toBe(true);
    expect(await h.db.selectFrom('cleanup_plans').select(['owner_pid', 'owner_start']).where('id', '=', 'p').executeTakeFirst()).toEqual({
      owner_pid: me.pid,
      owner_start: me.start,
    });
  });

  it('tells a live owner, a dead pid, a reused pid and an unknown owner apart', async () => {
    const live = await liveProcess();
    expect(isOwnerGone({ owner_pid: live.pid, owner_start: live.start })).toBe(false);
    expect(isOwnerGone({ owner_pid: await deadPid(), owner_start: 'x' })).toBe(true);
    expect(isOwnerGone({ owner_pid: null, owner_start: null })).toBe(true);
    if (defaultStartProbe() === 'none') {
      console.log('skipped the reused-pid check: this platform reports no process start');
      return;
    }
    // Same pid, another start: the pid now belongs to another process.
    expect(isOwnerGone({ owner_pid: live.pid, owner_start: `${live.start}-before` })).toBe(true);
    expect(isOwnerGone({ owner_pid: process.pid, owner_start: 'an earlier process with my pid' })).toBe(true);
  });

  it.each(['proc', 'ps'] as const)('%s: reads a stable start for a live pid and none for a dead one', async (probe) => {
    if (probe === 'proc' && process.platform !== 'linux') {
      console.log('skipped: /proc exists on Linux only');
      return;
    }
    if (probe === 'ps' && process.platform === 'win32') {
      console.log('skipped: Windows has no ps');
      return;
    }
    const live = await liveProcess();
    const a = processStart(live.pid, probe);
    expect(a).toEqual(expect.any(String));
    expect(processStart(live.pid, probe)).toBe(a);
    expect(processStart(await deadPid(), probe)).toBeNull();
    expect(isOwnerGone({ owner_pid: live.pid, owner_start: a }, probe)).toBe(false);
  });
});

describe('recoverAfterCrash', () => {
  it("interrupts only runs whose process is gone, and reports only those runs' pending calls", async () => {
    const live = await liveProcess();
    const dead = { pid: await deadPid(), start: 'gone' };
    const reused = { pid: live.pid, start: 'the process that had this pid before' };
    const liveOwner = { pid: live.pid, start: live.start };
    const liveScan = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources', owner: liveOwner });
    const ownScan = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    const deadScan = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources', owner: dead });
    const reusedScan = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources', owner: reused });
    const legacyScan = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await h.db.updateTable('scans').set({ owner_pid: null, owner_start: null }).where('id', '=', legacyScan).execute();
    await plan('live-plan', liveOwner);
    await plan('dead-plan', dead);
    await plan('legacy-plan', null);
    const call = (planId: string) => ({ accountId: ACCOUNT, planId, resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-1', action: 'DeleteVolume', target: 'vol-1', dryRun: false });
    insertPendingDeletion(h.sqlite, call('live-plan'), 'x');
    const deadCall = insertPendingDeletion(h.sqlite, call('dead-plan'), 'x');

    const report = await recoverAfterCrash(h);
    const reusedGone = defaultStartProbe() !== 'none';
    expect(report.interruptedScans).toBe(reusedGone ? 3 : 2);
    expect(report.interruptedPlans.sort()).toEqual(['dead-plan', 'legacy-plan']);
    expect(report.pendingCalls.map((c) => c.id)).toEqual([deadCall]);
    expect(report.livePlans).toEqual(['live-plan']);
    expect(report.liveScans).toEqual(reusedGone ? [liveScan, ownScan] : [liveScan, ownScan, reusedScan]);

    const status = async (id: number) => (await getScan(h.db, id))?.status;
    expect(await status(liveScan)).toBe('running');
    expect(await status(ownScan)).toBe('running');
    expect(await status(deadScan)).toBe('interrupted');
    expect(await status(legacyScan)).toBe('interrupted');
    if (reusedGone) expect(await status(reusedScan)).toBe('interrupted');
    expect((await getPlan(h.db, 'live-plan'))?.status).toBe('running');
    expect((await getPlan(h.db, 'dead-plan'))?.status).toBe('interrupted');

    // Once the live owner ends, the next recovery takes its runs too (and only then reports its pending call).
    await live.end();
    const after = await recoverAfterCrash(h);
    expect(after.interruptedPlans).toEqual(['live-plan']);
    expect(after.liveScans).toEqual([ownScan]);
    expect(await status(liveScan)).toBe('interrupted');
  });
});
