/** runPlan against the local AWS simulator: deletes, dry runs, permissions, ordering, throttling. */
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimRegion } from '../../../e2e/aws-sim/index';
import { getPlan } from '../db/repos/cleanup-plans';
import { listDeletions } from '../db/repos/deletions';
import { runPlan } from './cleanup';
import { ACCOUNT, createCleanupEnv } from './cleanup-test-env';
import type { CleanupEnv } from './cleanup-test-env';
import { createPlan } from './plan';
import type { CleanupProgressEvent } from './types';

/** One unused, unprotected resource per handler in the sample account (us-east-1), and how to see it gone. */
const CASES = [
  {
    type: 'ec2:instance',
    id: 'i-0a100000000000002',
    action: 'TerminateInstances',
    exists: (r: SimRegion) => r.instances.get('i-0a100000000000002')?.state !== 'terminated',
  },
  { type: 'ec2:image', id: 'ami-0a100000000000004', action: 'DeregisterImage', exists: (r: SimRegion) => r.images.has('ami-0a100000000000004') },
  { type: 'ec2:snapshot', id: 'snap-0a100000000000002', action: 'DeleteSnapshot', exists: (r: SimRegion) => r.snapshots.has('snap-0a100000000000002') },
  { type: 'ec2:volume', id: 'vol-0a100000000000010', action: 'DeleteVolume', exists: (r: SimRegion) => r.volumes.has('vol-0a100000000000010') },
  { type: 'ec2:elastic-ip', id: 'eipalloc-0a100000000000003', action: 'ReleaseAddress', exists: (r: SimRegion) => r.addresses.has('eipalloc-0a100000000000003') },
] as const;

let env: CleanupEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const useast = (e: CleanupEnv): SimRegion => e.sim.state.region('us-east-1');

async function planFor(e: CleanupEnv, ids: string[], snapshotVolumes = false) {
  return createPlan({ db: e.h, registry: e.registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: ACCOUNT, findingIds: ids.map(e.idOf), snapshotVolumes });
}

describe('runPlan: execute', () => {
  it.each(CASES)('deletes a $type: gone from the account, deleted in the database, audit rows complete', async (c) => {
    env = await createCleanupEnv();
    const plan = await planFor(env, [c.id]);
    expect(c.exists(useast(env))).toBe(true);

    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ` ${ACCOUNT} ` });

    expect(res.items).toEqual([expect.objectContaining({ resourceId: c.id, outcome: 'deleted' })]);
    expect(res.status).toBe('completed');
    expect(c.exists(useast(env))).toBe(false);
    expect(env.statusOf(c.id)).toBe('deleted');
    expect((await getPlan(env.h.db, plan.id))?.status).toBe('completed');
    const rows = env.audit(plan.id);
    const real = rows.filter((r) => r.dry_run === 0);
    expect(real.length).toBeGreaterThan(0);
    expect(real[0]).toMatchObject({ action: c.action, target: c.id, outcome: 'succeeded', resource_pk: env.idOf(c.id) });
    for (const r of rows) {
      expect(r.outcome).toBe(r.dry_run === 1 ? 'dry-run-ok' : 'succeeded');
      expect(r.completed_at).not.toBeNull();
      expect(r.completed_at! >= r.requested_at).toBe(true);
    }
    // The dry run of every call came first.
    expect(rows.filter((r) => r.dry_run === 1).map((r) => r.action)).toEqual(real.map((r) => r.action));
    expect(Math.max(...rows.filter((r) => r.dry_run === 1).map((r) => r.id))).toBeLessThan(Math.min(...real.map((r) => r.id)));
  });

  it('takes what goes with an item: an AMI its own snapshot, an instance its DeleteOnTermination volume', async () => {
    env = await createCleanupEnv();
    const plan = await planFor(env, ['ami-0a100000000000004', 'i-0a100000000000002']);
    expect(plan.items.find((i) => i.resourceId === 'i-0a100000000000002')?.related).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resourceId: 'vol-0a100000000000002', fate: 'deleted' }),
        expect.objectContaining({ resourceId: 'vol-0a100000000000003', fate: 'kept' }),
      ]),
    );
    await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    const r = useast(env);
    expect(r.snapshots.has('snap-0a100000000000008')).toBe(false);
    expect(r.volumes.has('vol-0a100000000000002')).toBe(false);
    expect(r.volumes.get('vol-0a100000000000003')?.state).toBe('available');
  });

  it('runs instances → AMIs → snapshots → volumes → addresses, each group finished before the next starts', async () => {
    env = await createCleanupEnv();
    const ids = [
      'eipalloc-0a100000000000003',
      'vol-0a100000000000011',
      'vol-0a100000000000010',
      'snap-0a100000000000003',
      'snap-0a100000000000002',
      'ami-0a100000000000004',
      'ami-0a100000000000005',
      'i-0a100000000000002',
    ];
    const plan = await planFor(env, ids);
    expect(plan.items.map((i) => i.resourceType)).toEqual([
      'ec2:instance', 'ec2:image', 'ec2:image', 'ec2:snapshot', 'ec2:snapshot', 'ec2:volume', 'ec2:volume', 'ec2:elastic-ip',
    ]);
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.counts.deleted).toBe(ids.length);

    const real = env.audit(plan.id).filter((r) => r.dry_run === 0);
    const group = (action: string) => real.filter((r) => r.action === action);
    const amiSnapshots = new Set(['snap-0a100000000000008', 'snap-0a100000000000011']);
    const steps = [
      group('TerminateInstances'),
      group('DeregisterImage'),
      group('DeleteSnapshot').filter((r) => !amiSnapshots.has(r.target)),
      group('DeleteVolume'),
      group('ReleaseAddress'),
    ];
    for (let k = 0; k + 1 < steps.length; k++) {
      const before = steps[k]!;
      const after = steps[k + 1]!;
      expect(before.length).toBeGreaterThan(0);
      // Written and completed before the next group's first call was even written.
      expect(Math.max(...before.map((r) => r.id))).toBeLessThan(Math.min(...after.map((r) => r.id)));
      expect(before.every((r) => after.every((a) => r.completed_at! <= a.requested_at))).toBe(true);
    }
    // Each AMI's own snapshot went right after that AMI was deregistered.
    for (const ami of ['ami-0a100000000000004', 'ami-0a100000000000005']) {
      const own = real.filter((r) => r.resource_id === ami).map((r) => r.action);
      expect(own).toEqual(['DeregisterImage', 'DeleteSnapshot']);
    }
  });

  it('survives throttling: with 30% of requests throttled, every item is still deleted (adaptive retries)', async () => {
    env = await createCleanupEnv();
    // Three regions, three clients. Kept small: after a throttle, the adaptive client-side limiter of a fresh
    // client drops to 0.5 requests/s, as it would against AWS.
    const ids = ['vol-0a100000000000010', 'eipalloc-0e100000000000002', 'snap-0c100000000000001'];
    const plan = await planFor(env, ids);
    // The dice are seeded: whatever the interleaving, the n-th request gets the n-th roll, so the number of
    // throttled requests is the same every run.
    env.sim.setFaults({ throttleRate: 0.3, seed: 2 });
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items.map((i) => i.outcome)).toEqual(ids.map(() => 'deleted'));
    const rows = env.audit(plan.id);
    expect(rows.every((r) => r.outcome === (r.dry_run ? 'dry-run-ok' : 'succeeded'))).toBe(true);
    // More requests reached the simulator than the clients sent: the throttled ones were retried by the SDK.
    expect(env.sim.counts().total).toBeGreaterThan(env.sends());
    for (const id of ids) expect(env.statusOf(id)).toBe('deleted');
  }, 60_000);

  it('reports termination protection as OperationNotPermitted and never switches it off', async () => {
    env = await createCleanupEnv();
    const id = 'i-0a100000000000002';
    const plan = await planFor(env, [id]);
    // Turned on after the scan, while the app cannot read the attribute: only TerminateInstances can tell.
    useast(env).instances.get(id)!.disableApiTermination = true;
    env.sim.state.deny.add('ec2:DescribeInstanceAttribute');
    const res = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items[0]).toMatchObject({ outcome: 'failed', errorCode: 'OperationNotPermitted' });
    expect(useast(env).instances.get(id)).toMatchObject({ state: 'stopped', disableApiTermination: true });
    expect(Object.keys(env.sim.counts().byOperation).filter((op) => op.includes('Modify'))).toEqual([]);
    expect(env.statusOf(id)).toBe('active');
    expect(env.audit(plan.id).at(-1)).toMatchObject({ action: 'TerminateInstances', outcome: 'failed', error_code: 'OperationNotPermitted' });
  });
});

describe('runPlan: dry run', () => {
  it('asks AWS about every call and changes nothing: account, resources and plan items untouched', async () => {
    env = await createCleanupEnv();
    const before = JSON.stringify([...env.sim.state.regions.values()].map((r) => [r.name, [...r.instances], [...r.volumes], [...r.snapshots], [...r.images], [...r.addresses]]));
    const resourcesBefore = env.h.sqlite.prepare('SELECT * FROM resources ORDER BY id').all();
    const plan = await planFor(env, CASES.map((c) => c.id), true);
    const events: CleanupProgressEvent[] = [];

    const res = await runPlan(env.deps({ emit: (e) => events.push(e) }), { planId: plan.id, mode: 'dry-run' });

    expect(res.status).toBe('dry-run');
    expect(res.items.map((i) => i.outcome)).toEqual(CASES.map(() => 'dry-run-ok'));
    expect(res.items.find((i) => i.resourceType === 'ec2:volume')?.calls).toEqual([
      'CreateSnapshot vol-0a100000000000010 (dry run)',
      'DeleteVolume vol-0a100000000000010 (dry run)',
    ]);
    const after = JSON.stringify([...env.sim.state.regions.values()].map((r) => [r.name, [...r.instances], [...r.volumes], [...r.snapshots], [...r.images], [...r.addresses]]));
    expect(after).toBe(before);
    expect(env.h.sqlite.prepare('SELECT * FROM resources ORDER BY id').all()).toEqual(resourcesBefore);
    const rows = env.audit(plan.id);
    expect(rows.length).toBeGreaterThanOrEqual(CASES.length);
    expect(rows.every((r) => r.dry_run === 1 && r.outcome === 'dry-run-ok' && r.dry_run_result === 'DryRunOperation')).toBe(true);
    expect(events.filter((e) => e.phase === 'done')).toHaveLength(CASES.length);
    expect(events.some((e) => e.phase === 'delete')).toBe(false);
    // A dry run leaves the plan runnable.
    const again = await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(again.counts.deleted).toBe(CASES.length);
  });
});

describe('runPlan: missing permissions', () => {
  it.each(CASES)('reports $action UnauthorizedOperation before anything is deleted; the rest proceeds', async (c) => {
    env = await createCleanupEnv();
    const plan = await planFor(env, CASES.map((x) => x.id));
    env.sim.state.deny.add(`ec2:${c.action}`);
    const events: CleanupProgressEvent[] = [];

    const res = await runPlan(env.deps({ emit: (e) => events.push(e) }), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });

    const denied = res.items.find((i) => i.resourceId === c.id);
    expect(denied).toMatchObject({ outcome: 'unauthorized', errorCode: 'UnauthorizedOperation' });
    expect(c.exists(useast(env))).toBe(true);
    expect(env.statusOf(c.id)).toBe('active');
    // The AMI's snapshots need DeleteSnapshot too: denying it stops the AMI as well, and nothing else.
    const alsoDenied = c.action === 'DeleteSnapshot' ? ['ami-0a100000000000004'] : [];
    for (const other of CASES.filter((x) => x.id !== c.id)) {
      const want = alsoDenied.includes(other.id) ? 'unauthorized' : 'deleted';
      expect(res.items.find((i) => i.resourceId === other.id)?.outcome).toBe(want);
    }
    const rows = env.audit(plan.id);
    const unauthorized = rows.filter((r) => r.outcome === 'unauthorized');
    expect(unauthorized.length).toBeGreaterThan(0);
    expect(unauthorized.every((r) => r.dry_run === 1 && r.error_code === 'UnauthorizedOperation')).toBe(true);
    // Reported before the first real call was even written, and before the first delete event.
    const firstReal = rows.find((r) => r.dry_run === 0)!;
    expect(Math.max(...unauthorized.map((r) => r.id))).toBeLessThan(firstReal.id);
    const reported = events.findIndex((e) => e.findingId === env!.idOf(c.id) && e.outcome === 'unauthorized');
    expect(reported).toBeGreaterThanOrEqual(0);
    expect(reported).toBeLessThan(events.findIndex((e) => e.phase === 'delete'));
    expect(rows.some((r) => r.action === c.action && r.dry_run === 0)).toBe(false);
  });
});

describe('runPlan: audit log queries', () => {
  it('lists a plan newest first and by finding', async () => {
    env = await createCleanupEnv();
    const plan = await planFor(env, ['vol-0a100000000000010', 'eipalloc-0a100000000000003']);
    await runPlan(env.deps(), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
    const all = await listDeletions(env.h.db, { accountId: ACCOUNT, planId: plan.id, limit: 100, offset: 0 });
    expect(all.map((d) => d.id)).toEqual(env.audit(plan.id).map((r) => r.id).reverse());
    const vol = await listDeletions(env.h.db, { accountId: ACCOUNT, resourcePk: env.idOf('vol-0a100000000000010'), limit: 10, offset: 0 });
    expect(vol.map((d) => `${d.action}${d.dryRun ? ' (dry run)' : ''}`)).toEqual(['DeleteVolume', 'DeleteVolume (dry run)']);
  });
});
