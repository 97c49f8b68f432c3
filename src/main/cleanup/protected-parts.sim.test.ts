/**
 * Protection on what goes WITH a resource, at every stage (scan → plan → re-check → immediately before the call), and
 * savings that count only what a plan removes. Against the simulator's sample account:
 * - ami-…07: unused, its own snapshot snap-…13 is tagged cloud-cleaner:keep=true
 * - ami-…08: unused and public; ami-…09: unused, shared with account 444455556666 (launch permission)
 * - i-…08: stopped 90 days, its DeleteOnTermination root vol-…19 is tagged cloud-cleaner:keep=true
 * - i-…0d: stopped 60 days, root vol-…1a (gp2 8 GiB, deleted with it), data vol-…1b (gp2 100 GiB, kept), EIP
 *   eipalloc-…08 (kept)
 * Each stage's check has a test here that fails without it (checked by removing each check in turn).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import type { DeleteContext, StoredFinding } from '../handlers/handler';
import { guardedDelete } from '../handlers/parts';
import { runPlan } from './cleanup';
import { ACCOUNT, createCleanupEnv } from './cleanup-test-env';
import type { CleanupEnv } from './cleanup-test-env';
import { createPlan, reviewedFinding } from './plan';
import { getResource } from '../db/repos/resources';

let env: CleanupEnv;
afterEach(async () => {
  await env?.close();
});

const KEEP = 'cloud-cleaner:keep';
const US = 'us-east-1';

function plan(e: CleanupEnv, ids: string[], o: { settings?: typeof DEFAULT_HANDLER_SETTINGS; addParts?: { findingId: number; resourceId: string }[] } = {}) {
  return createPlan(
    { db: e.h, registry: e.registry, settings: o.settings ?? DEFAULT_HANDLER_SETTINGS },
    { accountId: ACCOUNT, findingIds: ids.map(e.idOf), snapshotVolumes: false, ...(o.addParts ? { addParts: o.addParts } : {}) },
  );
}

function tag(e: CleanupEnv, kind: 'volumes' | 'snapshots', id: string, key = KEEP, value = 'true'): void {
  const r = e.sim.state.region(US)[kind].get(id);
  if (r === undefined) throw new Error(`${id} not in the simulator`);
  r.tags.push({ key, value });
}

describe('stage 1 — the scan: a protected part protects the finding, with the part named', () => {
  it('stores the AMI with a kept snapshot, the instance with a kept root volume and the public AMI as protected', async () => {
    env = await createCleanupEnv();
    const row = (id: string) => env.h.sqlite.prepare('SELECT protected, protected_reason FROM resources WHERE resource_id = ?').get(id);
    expect(row('ami-0a100000000000007')).toEqual({ protected: 1, protected_reason: `its snapshot snap-0a100000000000013 is tagged ${KEEP}=true` });
    expect(row('i-0a100000000000008')).toEqual({ protected: 1, protected_reason: `its volume vol-0a100000000000019 is tagged ${KEEP}=true` });
    expect(row('ami-0a100000000000008')).toEqual({ protected: 1, protected_reason: 'Public AMI: may be launched by others' });
    // The part's own protection: the kept snapshot is not a finding (it backs a registered AMI), so only its AMI shows it.
    const p = await plan(env, ['ami-0a100000000000007', 'i-0a100000000000008', 'ami-0a100000000000008', 'ami-0a100000000000004']);
    expect(p.items.map((i) => i.resourceId)).toEqual(['ami-0a100000000000004']);
    expect(p.refused.map((r) => [r.resourceId, r.reason])).toEqual([
      ['ami-0a100000000000007', `protected: its snapshot snap-0a100000000000013 is tagged ${KEEP}=true`],
      ['i-0a100000000000008', `protected: its volume vol-0a100000000000019 is tagged ${KEEP}=true`],
      ['ami-0a100000000000008', 'protected: Public AMI: may be launched by others'],
    ]);
  });
});

describe('stage 2 — the plan: parts are checked again with the settings in force', () => {
  it('refuses what a scan stored without the part check (an older version, a failed check)', async () => {
    env = await createCleanupEnv({ withoutScanPartCheck: true });
    expect(env.h.sqlite.prepare('SELECT protected FROM resources WHERE resource_id = ?').get('ami-0a100000000000007')).toEqual({ protected: 0 });
    const p = await plan(env, ['ami-0a100000000000007', 'i-0a100000000000008']);
    expect(p.items).toEqual([]);
    expect(p.refused.map((r) => r.reason)).toEqual([
      `protected: its snapshot snap-0a100000000000013 is tagged ${KEEP}=true`,
      `protected: its volume vol-0a100000000000019 is tagged ${KEEP}=true`,
    ]);
    // Refusals are audited.
    expect(env.h.sqlite.prepare("SELECT COUNT(*) AS n FROM deletions WHERE action = 'Refuse'").get()).toEqual({ n: 2 });
  });

  it('a protection key changed since the scan counts, matched case-insensitively', async () => {
    env = await createCleanupEnv({ beforeScan: (sim) => sim.state.region(US).volumes.get('vol-0a10000000000001a')!.tags.push({ key: 'Team:DoNotDelete', value: 'yes' }) });
    expect((await plan(env, ['i-0a10000000000000d'])).items).toHaveLength(1);
    const p = await plan(env, ['i-0a10000000000000d'], { settings: { ...DEFAULT_HANDLER_SETTINGS, protectionTagKey: 'team:donotdelete' } });
    expect(p.refused[0]?.reason).toBe('protected: its volume vol-0a10000000000001a is tagged Team:DoNotDelete=yes');
  });
});

describe('stage 3 — the re-check: parts read from AWS again and compared with the review', () => {
  it('refuses an AMI whose snapshot was tagged after the plan, an instance whose root volume was, and a shared AMI', async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['ami-0a100000000000004', 'i-0a10000000000000d', 'ami-0a100000000000009']);
    expect(p.items).toHaveLength(3);
    tag(env, 'snapshots', 'snap-0a100000000000008');
    tag(env, 'volumes', 'vol-0a10000000000001a', 'Cloud-Cleaner:Keep');
    const res = await runPlan(env.deps(), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    const by = new Map(res.items.map((i) => [i.resourceId, i]));
    expect(by.get('ami-0a100000000000004')).toMatchObject({ outcome: 'refused', recheck: 'protected', reason: `protected: its snapshot snap-0a100000000000008 is tagged ${KEEP}=true` });
    expect(by.get('i-0a10000000000000d')).toMatchObject({ outcome: 'refused', recheck: 'protected', reason: 'protected: its volume vol-0a10000000000001a is tagged Cloud-Cleaner:Keep=true' });
    expect(by.get('ami-0a100000000000009')).toMatchObject({ outcome: 'refused', recheck: 'protected', reason: 'protected: Shared with 444455556666: may be launched by others' });
    expect(env.mutatingRequests()).toBe(0);
    expect(env.sim.state.region(US).images.has('ami-0a100000000000004')).toBe(true);
  });

  it('refuses as changed when an instance volume set or DeleteOnTermination flag differs from the review', async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['i-0a10000000000000d']);
    const att = env.sim.state.region(US).volumes.get('vol-0a10000000000001b')!.attachments[0]!;
    att.deleteOnTermination = true; // the data volume would now go with it: not what the user reviewed
    const res = await runPlan(env.deps(), { planId: p.id, mode: 'dry-run' });
    expect(res.items[0]).toMatchObject({ outcome: 'refused', recheck: 'changed', reason: expect.stringContaining('What goes with it changed since the review') });
    expect(res.items[0]?.reason).toContain('vol-0a10000000000001b');
  });
});

describe('stage 4 — immediately before the call: the reviewed parts are checked once more', () => {
  it('no delete call is sent for an item whose part is protected, whatever the handler does', async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['i-0a10000000000000d']);
    const item = p.items[0]!;
    const stored: StoredFinding = reviewedFinding({ ...item, resourceType: 'ec2:instance' });
    const vols = stored.details['volumes'] as { volumeId: string; tags: Record<string, string> }[];
    vols.find((v) => v.volumeId === 'vol-0a10000000000001a')!.tags = { [KEEP]: '' };
    const ctx: DeleteContext = {
      region: US,
      accountId: ACCOUNT,
      client: (ctor) => env.deps().clients.client(ctor, US),
      prices: null,
      settings: DEFAULT_HANDLER_SETTINGS,
      now: new Date(),
      planId: p.id,
      audited: (_call, fn) => fn(),
    };
    for (const dryRun of [true, false]) {
      expect(await guardedDelete(env.registry.get('ec2:instance')!, ctx, stored, { dryRun })).toEqual({
        kind: 'refused',
        reason: `protected: its volume vol-0a10000000000001a is tagged ${KEEP}`,
      });
    }
    expect(env.mutatingRequests()).toBe(0);
    expect(env.sim.state.region(US).instances.get('i-0a10000000000000d')?.state).toBe('stopped');
  });
});

describe('savings: what the plan deletes, never what stays', () => {
  it("a stopped instance saves its DeleteOnTermination root only; 'add to this plan' releases its address too", async () => {
    env = await createCleanupEnv();
    const p = await plan(env, ['i-0a10000000000000d']);
    const item = p.items[0]!;
    expect(item.monthlyCost).toBeCloseTo(14.45, 6);
    expect(item.savings).toBeCloseTo(0.8, 6);
    expect(p.monthlySavings).toBeCloseTo(0.8, 6);
    expect(item.related.map((r) => [r.resourceId, r.fate, r.monthlyCost, r.addable])).toEqual([
      ['vol-0a10000000000001a', 'deleted', 0.8, false],
      ['vol-0a10000000000001b', 'kept', 10, true],
      ['eipalloc-0a100000000000008', 'kept', 3.65, true],
    ]);

    const findingId = env.idOf('i-0a10000000000000d');
    const withEip = await plan(env, ['i-0a10000000000000d'], { addParts: [{ findingId, resourceId: 'eipalloc-0a100000000000008' }] });
    expect(withEip.items[0]?.savings).toBeCloseTo(4.45, 6);
    expect(withEip.items[0]?.related[2]).toMatchObject({ resourceId: 'eipalloc-0a100000000000008', fate: 'deleted', added: true });
    await expect(plan(env, ['i-0a10000000000000d'], { addParts: [{ findingId, resourceId: 'vol-0a10000000000001a' }] })).rejects.toMatchObject({ code: 'validation' });

    const dry = await runPlan(env.deps(), { planId: withEip.id, mode: 'dry-run' });
    expect(dry.items[0]).toMatchObject({ outcome: 'dry-run-ok', calls: ['TerminateInstances i-0a10000000000000d (dry run)', 'ReleaseAddress eipalloc-0a100000000000008 (dry run)'] });
    const res = await runPlan(env.deps(), { planId: withEip.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(res.items[0]).toMatchObject({ outcome: 'deleted', calls: ['TerminateInstances i-0a10000000000000d', 'ReleaseAddress eipalloc-0a100000000000008'] });
    const region = env.sim.state.region(US);
    expect(region.addresses.has('eipalloc-0a100000000000008')).toBe(false);
    expect(region.volumes.has('vol-0a10000000000001a')).toBe(false);
    // The data volume was not added: it stays (detached, billing), as the plan said.
    expect(region.volumes.get('vol-0a10000000000001b')?.state).toBe('available');
    expect(env.audit(withEip.id).filter((a) => !a.dry_run).map((a) => [a.action, a.target, a.outcome])).toEqual([
      ['TerminateInstances', 'i-0a10000000000000d', 'succeeded'],
      ['ReleaseAddress', 'eipalloc-0a100000000000008', 'succeeded'],
    ]);
    expect((await getResource(env.h.db, ACCOUNT, findingId))?.status).toBe('deleted');
  });
});
