/** Execute is bound to the dry run the user saw: only the items it cleared, and only while it is fresh. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { getPlan } from '../db/repos/cleanup-plans';
import { DRY_RUN_FRESHNESS_MS, runPlan } from './cleanup';
import { ACCOUNT, createCleanupEnv } from './cleanup-test-env';
import type { CleanupEnv } from './cleanup-test-env';
import { createPlan } from './plan';

let env: CleanupEnv;
afterEach(async () => {
  await env?.close();
});

const plan = (e: CleanupEnv, ids: string[]) =>
  createPlan({ db: e.h, registry: e.registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: ACCOUNT, findingIds: ids.map(e.idOf), snapshotVolumes: false });

describe('execute is bound to the latest dry run', () => {
  it('without a dry run, execute is refused and the plan stays runnable; nothing is sent', async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['vol-0a100000000000011']);
    await expect(runPlan(env.deps({ dryRunFreshnessMs: DRY_RUN_FRESHNESS_MS }), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Run a dry run'),
    });
    expect((await getPlan(env.h.db, p.id))?.status).toBe('planned');
    expect(env.sim.counts().total).toBe(0);
  });

  it('deletes only the items the dry run cleared: one that failed it (denied) is not deleted even if it would pass now', async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['vol-0a100000000000011', 'eipalloc-0a100000000000003']);
    env.sim.state.deny.add('ec2:ReleaseAddress');
    const dry = await runPlan(env.deps({ dryRunFreshnessMs: DRY_RUN_FRESHNESS_MS }), { planId: p.id, mode: 'dry-run' });
    expect(dry.items.map((i) => [i.resourceId, i.outcome])).toEqual([
      ['vol-0a100000000000011', 'dry-run-ok'],
      ['eipalloc-0a100000000000003', 'unauthorized'],
    ]);
    expect((await getPlan(env.h.db, p.id))?.options.lastDryRun?.passed).toEqual([env.idOf('vol-0a100000000000011')]);
    env.sim.state.deny.clear(); // permission granted since: still not what the user saw pass
    const res = await runPlan(env.deps({ dryRunFreshnessMs: DRY_RUN_FRESHNESS_MS }), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items.map((i) => [i.resourceId, i.outcome, i.reason ?? null])).toEqual([
      ['vol-0a100000000000011', 'deleted', null],
      ['eipalloc-0a100000000000003', 'refused', 'It did not pass the latest dry run: run a new dry run to include it'],
    ]);
    expect(env.sim.state.region('us-east-1').addresses.has('eipalloc-0a100000000000003')).toBe(true);
  });

  it('a dry run older than the limit (15 minutes) is refused: run it again', async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['vol-0a100000000000011']);
    let t = Date.now();
    const deps = env.deps({ dryRunFreshnessMs: DRY_RUN_FRESHNESS_MS, now: () => new Date(t) });
    await runPlan(deps, { planId: p.id, mode: 'dry-run' });
    t += DRY_RUN_FRESHNESS_MS + 60_000;
    await expect(runPlan(deps, { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/16 minutes old \(the limit is 15\)/),
    });
    expect(env.sim.state.region('us-east-1').volumes.has('vol-0a100000000000011')).toBe(true);
    await runPlan(deps, { planId: p.id, mode: 'dry-run' });
    expect((await runPlan(deps, { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT })).items[0]?.outcome).toBe('deleted');
  });
});
