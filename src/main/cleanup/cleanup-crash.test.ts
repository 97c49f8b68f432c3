/** A run that dies between the audit INSERT and its UPDATE leaves a `pending` row, found again at the next start. */
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openAndMigrate } from '../db/database';
import { getPlan } from '../db/repos/cleanup-plans';
import { pendingDeletions } from '../db/repos/deletions';
import { markInterruptedPlans, runPlan } from './cleanup';
import { ACCOUNT, createCleanupEnv } from './cleanup-test-env';
import type { CleanupEnv } from './cleanup-test-env';
import { createPlan } from './plan';

let env: CleanupEnv | undefined;
let dir: string | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Resolves once `check` returns true (polled; the database is read synchronously). */
async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('keeps a pending audit row for a call in flight when the run dies, and marks the plan interrupted', async () => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-cleaner-crash-'));
  const file = join(dir, 'app.sqlite');
  env = await createCleanupEnv({ dbFile: file });
  const id = 'vol-0a100000000000010';
  const plan = await createPlan({ db: env.h, registry: env.registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: ACCOUNT, findingIds: [env.idOf(id)], snapshotVolumes: false });
  // Every request now takes a while: the DeleteVolume call is still in flight when the database goes away.
  env.sim.setFaults({ latencyMs: 250 });
  const h = env.h;
  const run = runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
  const outcome = run.then(
    () => 'resolved',
    (e: unknown) => e,
  );

  const inFlight = h.sqlite.prepare(`SELECT COUNT(*) AS n FROM deletions WHERE dry_run = 0 AND outcome = 'pending'`);
  await until(() => (inFlight.get() as { n: number }).n === 1);
  // The crash: the connection is gone before the call returns, so the row can never be completed.
  await h.close();
  expect(await outcome).toBeInstanceOf(Error);

  const reopened = await openAndMigrate({ file });
  try {
    const pending = await pendingDeletions(reopened.db);
    expect(pending).toEqual([
      expect.objectContaining({ planId: plan.id, action: 'DeleteVolume', target: id, dryRun: false, outcome: 'pending', completedAt: null }),
    ]);
    expect(await pendingDeletions(reopened.db, '999999999999')).toEqual([]);
    // The dry run before it was completed normally.
    const dry = reopened.sqlite.prepare(`SELECT outcome FROM deletions WHERE plan_id = ? AND dry_run = 1`).all(plan.id);
    expect(dry).toEqual([{ outcome: 'dry-run-ok' }]);

    expect((await getPlan(reopened.db, plan.id))?.status).toBe('running');
    expect(await markInterruptedPlans(reopened)).toEqual([plan.id]);
    expect((await getPlan(reopened.db, plan.id))?.status).toBe('interrupted');
    expect(await markInterruptedPlans(reopened)).toEqual([]);

    // The call did reach AWS: "pending" means unknown, and the next run finds it gone instead of guessing.
    await until(() => !env!.sim.state.region('us-east-1').volumes.has(id));
    env.sim.setFaults({});
    const again = await runPlan({ ...env.deps(), db: reopened }, { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(again.items[0]).toMatchObject({ outcome: 'refused', reason: 'The volume no longer exists' });
  } finally {
    await reopened.close();
  }
});
