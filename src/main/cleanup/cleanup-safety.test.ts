/** runPlan's safety rules against the local AWS simulator: re-checks, protection, confirmation, cancel. */
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimRegion } from '../../../e2e/aws-sim/index';
import { AppError } from '../../shared/errors';
import { getPlan } from '../db/repos/cleanup-plans';
import { runPlan } from './cleanup';
import { ACCOUNT, createCleanupEnv } from './cleanup-test-env';
import type { CleanupEnv } from './cleanup-test-env';
import { createPlan } from './plan';
import type { CleanupProgressEvent } from './types';

let env: CleanupEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const useast = (e: CleanupEnv): SimRegion => e.sim.state.region('us-east-1');
const KEEP = { key: 'cloud-cleaner:keep', value: 'true' };
/** Stays in every plan below and must be deleted whatever happens to the other item. */
const BYSTANDER = 'vol-0a100000000000011';

async function planFor(e: CleanupEnv, ids: string[], snapshotVolumes = false) {
  return createPlan({ db: e.h, registry: e.registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: ACCOUNT, findingIds: ids.map(e.idOf), snapshotVolumes });
}

/** Per handler: a change made in the account after the scan that makes the item unsafe to delete. */
const CHANGES = [
  {
    id: 'i-0a100000000000002',
    change: (r: SimRegion) => {
      r.instances.get('i-0a100000000000002')!.state = 'running';
    },
    reason: /stopped to running/,
    tags: (r: SimRegion) => r.instances.get('i-0a100000000000002')!.tags,
  },
  {
    id: 'ami-0a100000000000004',
    change: (r: SimRegion) => {
      r.instances.get('i-0a100000000000001')!.imageId = 'ami-0a100000000000004';
    },
    reason: /i-0a100000000000001/,
    tags: (r: SimRegion) => r.images.get('ami-0a100000000000004')!.tags,
  },
  {
    id: 'snap-0a100000000000002',
    change: (r: SimRegion) => {
      r.images.set('ami-0a1000000000000aa', {
        imageId: 'ami-0a1000000000000aa',
        name: 'registered-after-the-scan',
        state: 'available',
        creationDate: new Date(),
        rootDeviceName: '/dev/xvda',
        devices: [{ device: '/dev/xvda', snapshotId: 'snap-0a100000000000002', volumeSize: 8, volumeType: 'gp3', deleteOnTermination: true }],
        tags: [],
      });
    },
    reason: /ami-0a1000000000000aa/,
    tags: (r: SimRegion) => r.snapshots.get('snap-0a100000000000002')!.tags,
  },
  {
    id: 'vol-0a100000000000010',
    change: (r: SimRegion) => {
      const v = r.volumes.get('vol-0a100000000000010')!;
      v.attachments = [{ instanceId: 'i-0a100000000000001', device: '/dev/sdg', deleteOnTermination: false, attachTime: new Date() }];
      v.state = 'in-use';
    },
    reason: /Now attached to i-0a100000000000001/,
    tags: (r: SimRegion) => r.volumes.get('vol-0a100000000000010')!.tags,
  },
  {
    id: 'eipalloc-0a100000000000003',
    change: (r: SimRegion) => {
      const a = r.addresses.get('eipalloc-0a100000000000003')!;
      a.associationId = 'eipassoc-0a1000000000000aa';
      a.instanceId = 'i-0a100000000000001';
    },
    reason: /Now associated with i-0a100000000000001/,
    tags: (r: SimRegion) => r.addresses.get('eipalloc-0a100000000000003')!.tags,
  },
];

function expectUntouched(e: CleanupEnv, planId: string, id: string, reason: RegExp): void {
  const rows = e.audit(planId).filter((r) => r.resource_id === id);
  expect(rows.map((r) => [r.action, r.outcome])).toEqual([['Refuse', 'refused']]);
  expect(rows[0]?.error_message).toMatch(reason);
  expect(e.statusOf(id)).toBe('active');
}

describe('runPlan: re-check', () => {
  it.each(CHANGES)('refuses $id when it changed since the scan; the rest of the plan proceeds', async (c) => {
    env = await createCleanupEnv();
    const plan = await planFor(env, [c.id, BYSTANDER]);
    c.change(useast(env));
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items.find((i) => i.resourceId === c.id)).toMatchObject({ outcome: 'refused', recheck: 'changed', reason: expect.stringMatching(c.reason) });
    expect(res.items.find((i) => i.resourceId === BYSTANDER)).toMatchObject({ outcome: 'deleted', recheck: 'unchanged' });
    expect(useast(env).volumes.has(BYSTANDER)).toBe(false);
    expectUntouched(env, plan.id, c.id, c.reason);
  });

  it.each(CHANGES)('refuses $id when it was tagged for protection after the scan', async (c) => {
    env = await createCleanupEnv();
    const plan = await planFor(env, [c.id, BYSTANDER]);
    c.tags(useast(env)).push({ ...KEEP });
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    const reason = /^protected: Tagged cloud-cleaner:keep=true/;
    expect(res.items.find((i) => i.resourceId === c.id)).toMatchObject({ outcome: 'refused', recheck: 'protected', reason: expect.stringMatching(reason) });
    expect(res.items.find((i) => i.resourceId === BYSTANDER)?.outcome).toBe('deleted');
    expectUntouched(env, plan.id, c.id, reason);
  });

  it('refuses an item that is gone, and one that cannot be re-checked (Describe denied), touching neither', async () => {
    env = await createCleanupEnv();
    const plan = await planFor(env, ['snap-0a100000000000002', 'vol-0a100000000000010', 'eipalloc-0a100000000000003']);
    useast(env).snapshots.delete('snap-0a100000000000002');
    env.sim.state.deny.add('ec2:DescribeVolumes');
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items.map((i) => [i.resourceId, i.outcome])).toEqual([
      ['snap-0a100000000000002', 'refused'],
      ['vol-0a100000000000010', 'unauthorized'],
      ['eipalloc-0a100000000000003', 'deleted'],
    ]);
    expect(res.items[0]?.recheck).toBe('gone');
    expect(res.items[1]).toMatchObject({ errorCode: 'UnauthorizedOperation', reason: expect.stringMatching(/re-check/) });
    expect(res.items[1]?.recheck).toBeUndefined();
    expect(useast(env).volumes.has('vol-0a100000000000010')).toBe(true);
    const vol = env.audit(plan.id).filter((r) => r.resource_id === 'vol-0a100000000000010');
    expect(vol.map((r) => [r.action, r.outcome, r.error_code])).toEqual([['Recheck', 'unauthorized', 'UnauthorizedOperation']]);
  });
});

describe('runPlan: confirmation', () => {
  it.each([['a wrong account id', '123456789013'], ['an empty confirmation', ''], ['no confirmation', undefined]])(
    'refuses the whole plan on %s: not one request to AWS',
    async (_label, confirmAccountId) => {
      env = await createCleanupEnv();
      const plan = await planFor(env, ['i-0a100000000000002', 'vol-0a100000000000010', 'eipalloc-0a100000000000003']);
      env.sim.resetCounts();
      const res = await runPlan(env.deps(), {
        planId: plan.id,
        mode: 'execute',
        ...(confirmAccountId === undefined ? {} : { confirmAccountId }),
      });
      expect(env.sim.counts().total).toBe(0);
      expect(res.status).toBe('refused');
      expect(res.counts).toMatchObject({ refused: 3, deleted: 0 });
      expect(res.items.every((i) => i.outcome === 'refused' && /confirmation/.test(i.reason ?? ''))).toBe(true);
      expect((await getPlan(env.h.db, plan.id))?.status).toBe('refused');
      const rows = env.audit(plan.id);
      expect(rows.map((r) => [r.action, r.outcome])).toEqual(res.items.map(() => ['Refuse', 'refused']));
      expect(useast(env).volumes.has('vol-0a100000000000010')).toBe(true);
      // Final: a refused plan is not run again (a new plan re-reads the findings).
      await expect(runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT })).rejects.toMatchObject({ code: 'conflict' });
      expect(env.sim.counts().total).toBe(0);
    },
  );

  it('refuses to run a plan with credentials of another account, or twice', async () => {
    env = await createCleanupEnv();
    const plan = await planFor(env, ['eipalloc-0a100000000000003']);
    const other = runPlan(env.deps({ accountId: '999999999999' }), { planId: plan.id, mode: 'execute', confirmAccountId: '999999999999' });
    await expect(other).rejects.toBeInstanceOf(AppError);
    await expect(other).rejects.toMatchObject({ code: 'conflict' });
    await expect(runPlan(env.deps(), { planId: 'no-such-plan', mode: 'dry-run' })).rejects.toMatchObject({ code: 'not_found' });
    expect(env.sim.counts().total).toBe(0);
    await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    await expect(runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('runPlan: safety snapshot', () => {
  it('snapshots a volume (tagged with volume and plan), waits until it completes, then deletes the volume', async () => {
    env = await createCleanupEnv({ snapshotCompletionDelayMs: 150 });
    const id = 'vol-0a100000000000010';
    const plan = await planFor(env, [id], true);
    expect(plan.options.snapshotVolumes).toBe(true);
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });

    const item = res.items[0]!;
    expect(item.outcome).toBe('deleted');
    const snap = useast(env).snapshots.get(item.safetySnapshotId ?? '');
    expect(snap).toBeDefined();
    expect(snap?.tags).toEqual(expect.arrayContaining([
      { key: 'cloud-cleaner:source-volume', value: id },
      { key: 'cloud-cleaner:plan', value: plan.id },
    ]));
    expect(snap?.state).toBe('completed');
    expect(useast(env).volumes.has(id)).toBe(false);

    const real = env.audit(plan.id).filter((r) => r.dry_run === 0);
    expect(real.map((r) => [r.action, r.outcome])).toEqual([['CreateSnapshot', 'succeeded'], ['DeleteVolume', 'succeeded']]);
    expect(JSON.parse(real[0]!.details)).toMatchObject({ snapshotId: item.safetySnapshotId });
    // The volume was deleted only after the snapshot had completed.
    expect(Date.parse(real[1]!.requested_at) - Date.parse(real[0]!.requested_at)).toBeGreaterThanOrEqual(140);
    expect(env.sim.counts().byOperation['ec2:DescribeSnapshots']).toBeGreaterThanOrEqual(2);
  });
});

describe('runPlan: cancel', () => {
  it('stops between items: the one in flight finishes, the others are cancelled and untouched', async () => {
    env = await createCleanupEnv();
    const ids = ['vol-0a100000000000010', 'vol-0a100000000000011', 'vol-0a100000000000012', 'vol-0a100000000000013'];
    const plan = await planFor(env, ids);
    const ac = new AbortController();
    const events: CleanupProgressEvent[] = [];
    const emit = (e: CleanupProgressEvent): void => {
      events.push(e);
      if (e.phase === 'done' && e.outcome === 'deleted') ac.abort();
    };
    const res = await runPlan(env.deps({ emit, concurrencyPerRegion: 1 }), {
      planId: plan.id,
      mode: 'execute',
      confirmAccountId: ACCOUNT,
      signal: ac.signal,
    });
    expect(res.status).toBe('cancelled');
    expect(res.counts).toMatchObject({ deleted: 1, cancelled: 3 });
    expect((await getPlan(env.h.db, plan.id))?.status).toBe('cancelled');
    const [first, ...rest] = res.items;
    expect(useast(env).volumes.has(first!.resourceId)).toBe(false);
    for (const r of rest) {
      expect(useast(env).volumes.has(r.resourceId)).toBe(true);
      expect(env.statusOf(r.resourceId)).toBe('active');
      expect(env.audit(plan.id).filter((a) => a.resource_id === r.resourceId && a.dry_run === 0)).toEqual([]);
    }
    expect(events.filter((e) => e.phase === 'done').map((e) => e.outcome)).toEqual(['deleted', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('cancelled before it starts: nothing is sent, and the plan can be run again later', async () => {
    env = await createCleanupEnv();
    const plan = await planFor(env, ['vol-0a100000000000010']);
    const ac = new AbortController();
    ac.abort();
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT, signal: ac.signal });
    expect(res.items.map((i) => i.outcome)).toEqual(['cancelled']);
    expect(env.sim.counts().total).toBe(0);
    const again = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(again.items.map((i) => i.outcome)).toEqual(['deleted']);
  });
});
