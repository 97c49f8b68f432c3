/** createPlan: built from stored findings only (the sample account scanned by the real handlers). */
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { afterEach, describe, expect, it } from 'vitest';
import { upsertAccount } from '../db/repos/accounts';
import { getPlan, listPlans } from '../db/repos/cleanup-plans';
import { ResourceWriter } from '../db/repos/resources';
import type { Finding } from '../handlers/handler';
import { runPlan } from './cleanup';
import { ACCOUNT, createCleanupEnv } from './cleanup-test-env';
import type { CleanupEnv } from './cleanup-test-env';
import { createPlan, planProtectionReader } from './plan';

let env: CleanupEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const plan = (e: CleanupEnv, findingIds: number[], snapshotVolumes = false) =>
  createPlan(
    {
      db: e.h,
      registry: e.registry,
      settings: DEFAULT_HANDLER_SETTINGS,
      now: () => new Date('2026-11-20T10:00:00.000Z'),
      // As the app plans: what the scan leaves to plan time (termination protection) is read from AWS for the items.
      readPlanProtection: planProtectionReader({ clients: e.deps().clients, accountId: ACCOUNT, settings: DEFAULT_HANDLER_SETTINGS }),
    },
    { accountId: ACCOUNT, findingIds, snapshotVolumes },
  );

describe('createPlan', () => {
  it('reads termination protection for the instances of a plan only (the scan reads none): one call each, a protected one refused', async () => {
    env = await createCleanupEnv();
    // The scan made no per-instance call and left the attribute for the plan.
    const stored = env.h.sqlite.prepare(`SELECT protected, details FROM resources WHERE resource_id = 'i-0a100000000000005'`).get() as { protected: number; details: string };
    expect(stored.protected).toBe(0);
    expect(JSON.parse(stored.details).terminationProtection).toBeNull();
    env.sim.resetCounts();
    const p = await plan(env, ['i-0a100000000000005', 'i-0a100000000000002', 'vol-0a100000000000010'].map(env.idOf));
    expect(p.items.map((i) => i.resourceId)).toEqual(['i-0a100000000000002', 'vol-0a100000000000010']);
    expect(p.refused).toEqual([expect.objectContaining({ resourceId: 'i-0a100000000000005', reason: 'protected: Termination protection is on' })]);
    expect(env.sim.counts().byOperation).toEqual({ 'ec2:DescribeInstanceAttribute': 2 });
    // Without AWS (no reader), the plan cannot know it: the re-check reads it before anything runs.
    const offline = await createPlan({ db: env.h, registry: env.registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: ACCOUNT, findingIds: [env.idOf('i-0a100000000000005')], snapshotVolumes: false });
    expect(offline.items.map((i) => i.resourceId)).toEqual(['i-0a100000000000005']);
    const res = await runPlan(env.deps(), { planId: offline.id, mode: 'dry-run' });
    expect(res.items[0]).toMatchObject({ outcome: 'refused', recheck: 'protected', reason: 'protected: Termination protection is on' });
  });

  it('lists each item from the database, in cleanup order, with cost, related resources and the total', async () => {
    env = await createCleanupEnv();
    const ids = ['eipalloc-0a100000000000003', 'vol-0a100000000000010', 'snap-0a100000000000002', 'ami-0a100000000000004', 'i-0a100000000000002', 'vol-0e100000000000010'];
    const p = await plan(env, ids.map(env.idOf), true);

    expect(p.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p).toMatchObject({ accountId: ACCOUNT, status: 'planned', createdAt: '2026-11-20T10:00:00.000Z', options: { snapshotVolumes: true }, refused: [] });
    expect(p.items.map((i) => [i.resourceType, i.region, i.resourceId])).toEqual([
      ['ec2:instance', 'us-east-1', 'i-0a100000000000002'],
      ['ec2:image', 'us-east-1', 'ami-0a100000000000004'],
      ['ec2:snapshot', 'us-east-1', 'snap-0a100000000000002'],
      ['ec2:volume', 'eu-west-1', 'vol-0e100000000000010'],
      ['ec2:volume', 'us-east-1', 'vol-0a100000000000010'],
      ['ec2:elastic-ip', 'us-east-1', 'eipalloc-0a100000000000003'],
    ]);
    const stored = env.h.sqlite.prepare('SELECT id, name, monthly_cost, cost_basis FROM resources WHERE resource_id = ?');
    for (const item of p.items) {
      const row = stored.get(item.resourceId) as { id: number; name: string | null; monthly_cost: number | null; cost_basis: string };
      expect(item).toMatchObject({ findingId: row.id, name: row.name, monthlyCost: row.monthly_cost, costBasis: row.cost_basis });
    }
    const instance = p.items[0]!;
    expect(instance.related).toEqual([
      expect.objectContaining({ resourceType: 'ec2:volume', resourceId: 'vol-0a100000000000002', fate: 'deleted' }),
      expect.objectContaining({ resourceType: 'ec2:volume', resourceId: 'vol-0a100000000000003', fate: 'kept' }),
      expect.objectContaining({ resourceType: 'ec2:elastic-ip', resourceId: 'eipalloc-0a100000000000002', fate: 'kept' }),
    ]);
    expect(p.items[1]?.related).toEqual([expect.objectContaining({ resourceId: 'snap-0a100000000000008', fate: 'deleted' })]);
    // Savings = what the plan deletes: the instance saves its DeleteOnTermination root volume only; the data volume
    // and the Elastic IP stay and keep billing (priced and listed, not counted).
    const [root, data, eip] = instance.related;
    expect(root?.monthlyCost).toBeGreaterThan(0);
    expect(data?.monthlyCost).toBeGreaterThan(0);
    expect(eip?.monthlyCost).toBeGreaterThan(0);
    expect(instance.ownMonthlyCost).toBe(0);
    expect(instance.savings).toBeCloseTo(root!.monthlyCost!, 6);
    expect(instance.monthlyCost).toBeCloseTo(root!.monthlyCost! + data!.monthlyCost! + eip!.monthlyCost!, 6);
    // The AMI saves its own snapshot; the volume saves itself minus the safety snapshot it takes first.
    expect(p.items[1]?.savings).toBeCloseTo(p.items[1]!.related[0]!.monthlyCost!, 6);
    const volume = p.items.find((i) => i.resourceId === 'vol-0a100000000000010')!;
    const safety = volume.related.find((r) => r.created === true)!;
    expect(safety).toMatchObject({ fate: 'kept', resourceType: 'ec2:snapshot' });
    expect(volume.savings).toBeCloseTo(volume.monthlyCost! - safety.monthlyCost!, 6);
    const savings = p.items.map((i) => i.savings ?? 0);
    expect(p.monthlySavings).toBeCloseTo(savings.reduce((a, b) => a + b, 0), 6);
    expect(p.monthlySavings).toBeLessThan(p.items.reduce((a, i) => a + (i.monthlyCost ?? 0), 0));
    expect(p.monthlySavings).toBeGreaterThan(0);
    expect(await getPlan(env.h.db, p.id)).toEqual(p);
    expect((await listPlans(env.h.db, { accountId: ACCOUNT })).map((x) => x.id)).toEqual([p.id]);
  });

  it("keeps an AMI's snapshot that another AMI shares, and says so", async () => {
    env = await createCleanupEnv({
      beforeScan: (sim) => {
        sim.state.region('us-east-1').images.set('ami-0a1000000000000bb', {
          imageId: 'ami-0a1000000000000bb',
          name: 'shares-a-snapshot',
          state: 'available',
          creationDate: new Date('2026-01-01T00:00:00Z'),
          rootDeviceName: '/dev/xvda',
          devices: [{ device: '/dev/xvda', snapshotId: 'snap-0a100000000000008', volumeSize: 8, volumeType: 'gp3', deleteOnTermination: true }],
          tags: [],
        });
      },
    });
    const p = await plan(env, [env.idOf('ami-0a100000000000004')]);
    expect(p.items[0]?.related).toEqual([
      expect.objectContaining({ resourceId: 'snap-0a100000000000008', fate: 'kept', note: expect.stringContaining('ami-0a1000000000000bb') }),
    ]);
    const res = await runPlan(env.deps(), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items[0]?.outcome).toBe('deleted');
    expect(env.sim.state.region('us-east-1').snapshots.has('snap-0a100000000000008')).toBe(true);
  });

  it('refuses at plan time what is unknown, in use, protected or already handled, with the reason', async () => {
    env = await createCleanupEnv();
    await upsertAccount(env.h.db, { id: '999999999999', alias: null, partition: 'aws', arn: null, profile: 'other' });
    const foreign: Finding = {
      resourceType: 'ec2:volume', resourceId: 'vol-0ffff00000000000f', region: 'us-east-1', name: null, state: 'available', tags: {},
      createdAt: null, unused: true, unusedReason: 'Not attached to any instance', unusedSince: null, monthlyCost: 1, costBasis: 'x',
      protected: false, protectedReason: null, details: {},
    };
    new ResourceWriter(env.h.sqlite, '999999999999', () => 'AmazonEC2Other').write([foreign], null);
    const foreignId = (env.h.sqlite.prepare('SELECT id FROM resources WHERE resource_id = ?').get(foreign.resourceId) as { id: number }).id;
    env.h.sqlite.prepare(`UPDATE resources SET status = 'deleted' WHERE resource_id = 'vol-0a100000000000013'`).run();
    env.h.sqlite.prepare(`UPDATE resources SET status = 'gone' WHERE resource_id = 'vol-0a100000000000014'`).run();

    const ok = env.idOf('vol-0a100000000000010');
    const p = await plan(env, [
      ok,
      ok, // a duplicate is one item
      env.idOf('vol-0a100000000000016'), // tagged cloud-cleaner:keep
      env.idOf('i-0a100000000000005'), // termination protection
      env.idOf('eipalloc-0a100000000000004'), // tagged
      env.idOf('vol-0a100000000000001'), // attached
      env.idOf('vol-0a100000000000013'),
      env.idOf('vol-0a100000000000014'),
      foreignId,
      987_654,
      -1,
    ]);
    expect(p.items.map((i) => i.resourceId)).toEqual(['vol-0a100000000000010']);
    expect(p.refused.map((r) => [r.resourceId, r.reason])).toEqual([
      ['vol-0a100000000000016', 'protected: Tagged cloud-cleaner:keep=true'],
      ['i-0a100000000000005', 'protected: Termination protection is on'],
      ['eipalloc-0a100000000000004', 'protected: Tagged cloud-cleaner:keep=true'],
      ['vol-0a100000000000001', 'In use: not an unused-resource finding'],
      ['vol-0a100000000000013', 'Already deleted by Cloud Cleaner'],
      ['vol-0a100000000000014', 'No longer seen in the account (not found by the last scan)'],
      [null, 'Not a finding of this account'],
      [null, 'Not a finding of this account'],
      [null, 'Not a finding of this account'],
    ]);
    expect(p.refused.at(-3)?.findingId).toBe(foreignId);
    expect(p.monthlySavings).toBe(p.items[0]?.monthlyCost);
    // Refusals of this account's findings are in the audit log; ids that name nothing are not.
    const rows = env.audit(p.id);
    expect(rows.map((r) => [r.action, r.outcome, r.resource_id])).toEqual(p.refused.filter((r) => r.resourceId !== null).map((r) => ['Refuse', 'refused', r.resourceId]));
    // Nothing is sent to AWS but the one read the scan leaves to plan time: the planned instance's termination protection.
    expect(env.sim.counts().byOperation).toEqual({ 'ec2:DescribeInstanceAttribute': 1 });
  });

  it('validates its input', async () => {
    env = await createCleanupEnv();
    await expect(plan(env, [])).rejects.toMatchObject({ code: 'validation' });
    await expect(
      createPlan({ db: env.h, registry: env.registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: '000000000000', findingIds: [1], snapshotVolumes: false }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a newer scan that finds an item protected or in use stops it at run time, before any AWS call for it', async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['vol-0a100000000000010', 'vol-0a100000000000011'].map(env.idOf));
    env.h.sqlite.prepare(`UPDATE resources SET protected = 1, protected_reason = 'Tagged cloud-cleaner:keep' WHERE resource_id = 'vol-0a100000000000010'`).run();
    env.h.sqlite.prepare(`UPDATE resources SET unused = 0 WHERE resource_id = 'vol-0a100000000000011'`).run();
    const res = await runPlan(env.deps(), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items.map((i) => [i.outcome, i.reason])).toEqual([
      ['refused', 'protected: Tagged cloud-cleaner:keep'],
      ['refused', 'In use: not an unused-resource finding'],
    ]);
    expect(env.sim.counts().total).toBe(0);
  });
});
