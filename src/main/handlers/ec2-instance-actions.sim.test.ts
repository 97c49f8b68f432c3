/**
 * "Create an image (AMI), then terminate" on the simulator's sample account, through the real cleanup pipeline (plan →
 * dry run → execute → audit) and the handler's delete: the image is available before TerminateInstances, the image and
 * its snapshots carry the plan's tag, the kept part is priced, a retry finds the image its first attempt made, a failed
 * or late image leaves the instance un-terminated, termination protection and an instance-store root are refused.
 *
 * i-…0d (old-reporting, stopped 60 days): root vol-…1a gp2 8 GiB (deleted on termination), data vol-…1b gp2 100 GiB
 * (kept), Elastic IP eipalloc-…08 (kept). i-…05: termination protection on. us-east-1 prices: gp2 $0.10, snapshots $0.05.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import type { DescribeImagesCommandOutput } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { runPlan } from '../cleanup/cleanup';
import { ACCOUNT, createCleanupEnv, TEST_CREDENTIALS } from '../cleanup/cleanup-test-env';
import type { CleanupEnv, EnvOptions } from '../cleanup/cleanup-test-env';
import { createPlan, planProtectionReader, reviewedFinding } from '../cleanup/plan';
import { listRecoveryPoints } from '../db/repos/recovery-points';
import { createHandlerContext } from './context';
import { IMAGE_THEN_TERMINATE } from './ec2-instance-actions';
import { stoppedInstancesHandler as h } from './ec2-instances-stopped';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { AuditedCall, DeleteContext, StoredFinding } from './handler';

const US = 'us-east-1';
const REPORTING = 'i-0a10000000000000d';
const BATCH = 'i-0a100000000000002';
const PROTECTED = 'i-0a100000000000005';
const PLAN_TAG = 'cloud-cleaner:plan';

let env: CleanupEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function open(o: EnvOptions = {}): Promise<CleanupEnv> {
  env = await createCleanupEnv(o);
  return env;
}

const region = (e: CleanupEnv) => e.sim.state.region(US);
const imagesOf = (e: CleanupEnv, instanceId: string) =>
  [...region(e).images.values()].filter((im) => im.tags.some((t) => t.key === 'cloud-cleaner:source-instance' && t.value === instanceId));

function plan(e: CleanupEnv, items: [string, string?][]) {
  return createPlan(
    {
      db: e.h,
      registry: e.registry,
      settings: DEFAULT_HANDLER_SETTINGS,
      readPlanProtection: planProtectionReader({ clients: e.deps().clients, accountId: ACCOUNT, settings: DEFAULT_HANDLER_SETTINGS }),
    },
    {
      accountId: ACCOUNT,
      findingIds: items.map(([id]) => e.idOf(id)),
      snapshotVolumes: false,
      actions: items.filter(([, a]) => a !== undefined).map(([id, a]) => ({ findingId: e.idOf(id), action: a! })),
    },
  );
}

/** The plan's item for `resourceId` as the cleanup hands it to the handler, and a delete context recording each call. */
async function itemContext(e: CleanupEnv, resourceId: string, o: { planId?: string; pollMs?: number; waitMs?: number } = {}) {
  const p = await plan(e, [[resourceId, IMAGE_THEN_TERMINATE]]);
  const item = p.items.find((i) => i.resourceId === resourceId);
  if (item === undefined) throw new Error(`${resourceId} not planned: ${JSON.stringify(p.refused)}`);
  const stored: StoredFinding = reviewedFinding({ ...item, resourceType: 'ec2:instance' });
  const log: (AuditedCall & { imageStates: string[] })[] = [];
  const ctx: DeleteContext = {
    ...createHandlerContext({ region: US, accountId: ACCOUNT, clients: e.deps().clients, prices: e.deps().prices.forRegion(US), settings: DEFAULT_HANDLER_SETTINGS, now: new Date() }),
    planId: o.planId ?? p.id,
    action: IMAGE_THEN_TERMINATE,
    pollMs: o.pollMs ?? 20,
    waitMs: o.waitMs ?? 5_000,
    // Each call with the states of the instance's images as AWS (the simulator) holds them when it is made.
    async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
      log.push({ ...call, imageStates: imagesOf(e, resourceId).map((im) => im.state) });
      return fn();
    },
  };
  return { plan: p, stored, ctx, log };
}

describe('image-then-terminate through the cleanup pipeline', () => {
  it('plans the image as a part created and kept, priced at most at the volumes’ sizes; dry-runs both calls; executes image first', async () => {
    const e = await open();
    const p = await plan(e, [[REPORTING, IMAGE_THEN_TERMINATE], [BATCH]]);
    expect(p.refused).toEqual([]);
    const item = p.items.find((i) => i.resourceId === REPORTING)!;
    expect([item.action, item.actionLabel]).toEqual([IMAGE_THEN_TERMINATE, 'Create an image (AMI), then terminate']);
    const image = item.related.find((r) => r.resourceType === 'ec2:image')!;
    expect(image).toMatchObject({ resourceId: `image of ${REPORTING}`, fate: 'kept', created: true, monthlyCost: 5.4 });
    expect(image.costBasis).toBe(
      'At most 8 + 100 = 108 GiB of volumes × $0.05 standard snapshot storage (snapshots hold only the used blocks, compressed: usually less) (us-east-1)',
    );
    // Truthful savings: the root volume stops billing ($0.80), the image's snapshots start (at most $5.40).
    expect(item.savings).toBeCloseTo(0.8 - 5.4, 6);
    expect(item.savingsBasis).toContain('− new AMI image of i-0a10000000000000d $5.40');
    // The other instance keeps the default, with no image part.
    const batch = p.items.find((i) => i.resourceId === BATCH)!;
    expect([batch.action, batch.related.some((r) => r.resourceType === 'ec2:image')]).toEqual(['delete', false]);

    const dry = await runPlan(e.deps(), { planId: p.id, mode: 'dry-run' });
    expect(dry.items.map((i) => [i.resourceId, i.outcome])).toEqual(expect.arrayContaining([[REPORTING, 'dry-run-ok'], [BATCH, 'dry-run-ok']]));
    const dryCalls = e.audit(p.id).filter((r) => r.dry_run === 1 && r.resource_id === REPORTING).map((r) => [r.action, r.outcome]);
    expect(dryCalls).toEqual([['CreateImage', 'dry-run-ok'], ['TerminateInstances', 'dry-run-ok']]);
    expect(imagesOf(e, REPORTING)).toEqual([]); // a dry run makes nothing

    const run = await runPlan(e.deps(), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    const done = run.items.find((i) => i.resourceId === REPORTING)!;
    expect(done.outcome).toBe('deleted');
    const [made] = imagesOf(e, REPORTING);
    expect(done.safetySnapshotId).toBe(made?.imageId);
    expect(done.calls).toEqual([`CreateImage ${made?.imageId} of ${REPORTING}`, `TerminateInstances ${REPORTING}`]);

    // The audit: CreateImage (with the image id it answered) before TerminateInstances, both succeeded.
    const rows = e.audit(p.id).filter((r) => r.dry_run === 0 && r.resource_id === REPORTING);
    expect(rows.map((r) => [r.action, r.target, r.outcome])).toEqual([
      ['CreateImage', REPORTING, 'succeeded'],
      ['TerminateInstances', REPORTING, 'succeeded'],
    ]);
    expect(JSON.parse(rows[0]!.details ?? '{}')).toMatchObject({ planAction: IMAGE_THEN_TERMINATE, imageId: made?.imageId });

    // What AWS shows now: the image available, named after the instance and the plan, it and its snapshots tagged.
    expect(made).toMatchObject({ state: 'available', name: `cloud-cleaner-${REPORTING}-${p.id}` });
    expect(made?.tags).toEqual(
      expect.arrayContaining([{ key: PLAN_TAG, value: p.id }, { key: 'cloud-cleaner:source-instance', value: REPORTING }, { key: 'Name', value: 'old-reporting (image before termination)' }]),
    );
    const snaps = made!.devices.map((d) => region(e).snapshots.get(d.snapshotId)!);
    expect(snaps.map((s) => [s.volumeId, s.volumeSize, s.state])).toEqual([
      ['vol-0a10000000000001a', 8, 'completed'],
      ['vol-0a10000000000001b', 100, 'completed'],
    ]);
    for (const s of snaps) expect(s.tags).toContainEqual({ key: PLAN_TAG, value: p.id });
    expect(region(e).instances.get(REPORTING)?.state).toBe('terminated');
    expect(region(e).volumes.has('vol-0a10000000000001a')).toBe(false);
    expect(region(e).volumes.get('vol-0a10000000000001b')?.state).toBe('available'); // kept, as the review said
    expect(e.statusOf(REPORTING)).toBe('deleted');

    // The recovery list shows the image: its id from the audit, its price from the plan's part created and kept.
    const recovery = await listRecoveryPoints(e.h.db, { accountId: ACCOUNT, now: new Date() });
    expect(recovery.rows.filter((r) => r.resourceId === REPORTING).map((r) => [r.kind, r.id, r.monthlyCost, r.resourceRemoved])).toEqual([
      ['ami', made?.imageId, 5.4, true],
    ]);
  }, 60_000);

  it('refuses both actions for a termination-protected instance at plan time, and at the re-check when it is switched on later', async () => {
    const e = await open();
    const p = await plan(e, [[PROTECTED, IMAGE_THEN_TERMINATE], [REPORTING, IMAGE_THEN_TERMINATE]]);
    expect(p.refused.map((r) => [r.resourceId, r.reason])).toEqual([[PROTECTED, 'protected: Termination protection is on']]);
    const q = await plan(e, [[PROTECTED]]);
    expect(q.refused.map((r) => r.reason)).toEqual(['protected: Termination protection is on']);

    region(e).instances.get(REPORTING)!.disableApiTermination = true;
    const run = await runPlan(e.deps(), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(run.items.map((i) => [i.resourceId, i.outcome, i.reason])).toEqual([[REPORTING, 'refused', 'protected: Termination protection is on']]);
    expect(e.sim.counts().byOperation['ec2:CreateImage'] ?? 0).toBe(0);
    expect(imagesOf(e, REPORTING)).toEqual([]);
  }, 60_000);

  it('refuses the image for an instance whose root is an instance store volume (DescribeInstances says so); terminate still applies', async () => {
    const e = await open({ beforeScan: (sim) => Object.assign(sim.state.region(US).instances.get(REPORTING)!, { rootDeviceType: 'instance-store' }) });
    const p = await plan(e, [[REPORTING, IMAGE_THEN_TERMINATE]]);
    expect(p.refused.map((r) => r.reason)).toEqual([
      'Its root device is an instance store volume: CreateImage only images an EBS-backed instance. Terminate it without an image instead',
    ]);
    expect((await plan(e, [[REPORTING]])).items.map((i) => i.action)).toEqual(['delete']);
  }, 60_000);

  it('a denied CreateImage fails the dry run (unauthorized) and nothing is made', async () => {
    const e = await open();
    e.sim.state.deny.add('ec2:CreateImage');
    const p = await plan(e, [[REPORTING, IMAGE_THEN_TERMINATE]]);
    const dry = await runPlan(e.deps(), { planId: p.id, mode: 'dry-run' });
    expect(dry.items.map((i) => [i.outcome, i.errorCode])).toEqual([['unauthorized', 'UnauthorizedOperation']]);
    expect(imagesOf(e, REPORTING)).toEqual([]);
  }, 60_000);
});

describe('image-then-terminate: the handler’s delete', () => {
  it('waits until the image is available, and only then terminates', async () => {
    const e = await open({ snapshotCompletionDelayMs: 150 });
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    e.sim.resetCounts();
    const out = await h.delete(ctx, stored, { dryRun: false });
    expect(out.kind).toBe('deleted');
    expect(log.map((c) => [c.action, c.imageStates])).toEqual([
      ['CreateImage', []],
      ['TerminateInstances', ['available']],
    ]);
    // It was seen pending at least once before it was available.
    expect(e.sim.counts().byOperation['ec2:DescribeImages']).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('an image not ready in time leaves the instance stopped and says the image was kept; a retry finds that image and finishes', async () => {
    const e = await open({ snapshotCompletionDelayMs: 60_000 });
    const first = await itemContext(e, REPORTING, { waitMs: 100 });
    const out = await h.delete(first.ctx, first.stored, { dryRun: false });
    const [made] = imagesOf(e, REPORTING);
    expect(out).toMatchObject({ kind: 'failed', code: 'ImageTimeout' });
    expect(out.kind === 'failed' && out.message).toMatch(
      new RegExp(`^Image ${made!.imageId} of ${REPORTING} was still pending after 1 s; its snapshots were at 0%, 0%: instance ${REPORTING} was NOT terminated\\. The image was kept`),
    );
    expect(first.log.map((c) => c.action)).toEqual(['CreateImage']);
    expect(region(e).instances.get(REPORTING)?.state).toBe('stopped');

    // The retried run of the same plan: the image its first attempt made is found by name, never made twice.
    for (const d of made!.devices) region(e).snapshots.get(d.snapshotId)!.completesAtMs = Date.now();
    const again = await h.delete({ ...first.ctx, waitMs: 5_000 }, first.stored, { dryRun: false });
    expect(again).toMatchObject({ kind: 'deleted', safetySnapshotId: made!.imageId });
    expect(again.kind === 'deleted' && again.calls[0]).toBe(`CreateImage ${REPORTING} (not repeated: ${made!.imageId} was made by an earlier attempt of this plan)`);
    expect(first.log.map((c) => c.action)).toEqual(['CreateImage', 'TerminateInstances']);
    expect(imagesOf(e, REPORTING)).toHaveLength(1);
    expect(region(e).instances.get(REPORTING)?.state).toBe('terminated');
  }, 60_000);

  it('a failed image leaves the instance stopped, un-terminated, and names the failed image to clean up', async () => {
    const e = await open();
    e.sim.configure({ imageCreationFailure: 'Internal error while snapshotting' });
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    const out = await h.delete(ctx, stored, { dryRun: false });
    const [made] = imagesOf(e, REPORTING);
    expect(out).toMatchObject({ kind: 'failed', code: 'ImageFailed' });
    expect(out.kind === 'failed' && out.message).toBe(
      `Image ${made!.imageId} of ${REPORTING} is failed (Internal error while snapshotting): instance ${REPORTING} was NOT terminated. ` +
        `The failed image was kept (tagged ${PLAN_TAG}=${ctx.planId}): deregister it, and delete any snapshots tagged with the plan. Calls made: CreateImage ${made!.imageId} of ${REPORTING}`,
    );
    expect(log.map((c) => c.action)).toEqual(['CreateImage']);
    expect(region(e).instances.get(REPORTING)?.state).toBe('stopped');
  }, 60_000);

  it('termination protection switched on after the re-check: refused before any image is made', async () => {
    const e = await open();
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    region(e).instances.get(REPORTING)!.disableApiTermination = true;
    expect(await h.delete(ctx, stored, { dryRun: false })).toEqual({ kind: 'refused', reason: 'Termination protection is on' });
    expect(log).toEqual([]);
    expect(imagesOf(e, REPORTING)).toEqual([]);
  }, 60_000);

  it('a lost CreateImage answer (the name is taken by our own image) is recovered by name, not made twice', async () => {
    const e = await open();
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    // The first attempt's image exists but the lookup before CreateImage missed it (eventual consistency): simulated
    // by giving it the plan's name only after the lookup, through the audit hook.
    const audited = ctx.audited;
    let made = '';
    const out = await h.delete(
      {
        ...ctx,
        async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
          if (call.action === 'CreateImage') {
            const { EC2Client, CreateImageCommand } = await import('@aws-sdk/client-ec2');
            const r = await ctx.client(EC2Client).send(new CreateImageCommand({ InstanceId: REPORTING, Name: `cloud-cleaner-${REPORTING}-${ctx.planId}` }));
            made = r.ImageId ?? '';
          }
          return audited(call, fn);
        },
      },
      stored,
      { dryRun: false },
    );
    expect(out).toMatchObject({ kind: 'deleted', safetySnapshotId: made });
    expect(log.map((c) => c.action)).toEqual(['CreateImage', 'TerminateInstances']);
    const named = [...region(e).images.values()].filter((im) => im.name === `cloud-cleaner-${REPORTING}-${ctx.planId}`);
    expect(named.map((im) => [im.imageId, im.state])).toEqual([[made, 'available']]);
  }, 60_000);
});

/** Runs `change` right after CreateImage is answered, while the image is still being made (the wait). */
function duringTheWait(ctx: DeleteContext, change: () => void): DeleteContext {
  return {
    ...ctx,
    async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
      const out = await ctx.audited(call, fn);
      if (call.action === 'CreateImage') change();
      return out;
    },
  };
}

const notTerminated = (imageId: string, planId: string) =>
  `image ${imageId} was kept (tagged ${PLAN_TAG}=${planId}) and instance ${REPORTING} was NOT terminated`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('image-then-terminate: the instance is checked again after the image wait', () => {
  const instance = (e: CleanupEnv) => region(e).instances.get(REPORTING)!;
  const changes: [string, (e: CleanupEnv) => void, string][] = [
    ['the protection tag is added', (e) => instance(e).tags.push({ key: 'cloud-cleaner:keep', value: 'true' }), 'protected: Tagged cloud-cleaner:keep=true'],
    ['it is started', (e) => Object.assign(instance(e), { state: 'running' }), 'Changed while waiting for the image: State changed from stopped to running'],
    ['termination protection is switched on', (e) => Object.assign(instance(e), { disableApiTermination: true }), 'protected: Termination protection is on'],
    [
      'its kept data volume is set to be deleted on termination',
      (e) => Object.assign(region(e).volumes.get('vol-0a10000000000001b')!.attachments[0]!, { deleteOnTermination: true }),
      'Changed while waiting for the image: What goes with it changed since the review',
    ],
  ];
  it.each(changes)('%s while the image is made: not terminated, the image kept and named', async (_what, change, reason) => {
    const e = await open({ snapshotCompletionDelayMs: 150 });
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    const out = await h.delete(duringTheWait(ctx, () => change(e)), stored, { dryRun: false });
    const [made] = imagesOf(e, REPORTING);
    expect(made?.state).toBe('available');
    expect(out.kind).toBe('refused');
    expect(out.kind === 'refused' && out.reason).toMatch(new RegExp(`^${esc(reason)}.*: ${esc(notTerminated(made!.imageId, ctx.planId))}$`));
    expect(log.map((c) => c.action)).toEqual(['CreateImage']);
    expect(region(e).instances.get(REPORTING)?.state).not.toBe('terminated');
  }, 60_000);

  it('CreateImage is sent with NoReboot (an instance started meanwhile is never rebooted by it)', async () => {
    const e = await open();
    const { stored, ctx } = await itemContext(e, REPORTING);
    const inputs: Record<string, unknown>[] = [];
    e.ec2(US).middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'CreateImageCommand') inputs.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'initialize', name: 'recordCreateImage' },
    );
    await h.delete(ctx, stored, { dryRun: true });
    expect(await h.delete(ctx, stored, { dryRun: false })).toMatchObject({ kind: 'deleted' });
    expect(inputs.map((i) => [i['DryRun'] ?? false, i['NoReboot']])).toEqual([[true, true], [false, true]]);
  }, 60_000);
});

describe('image-then-terminate: cancelled while the image is made', () => {
  it('cancelled during the wait: the wait ends, the image is kept, the instance is not terminated', async () => {
    const e = await open({ snapshotCompletionDelayMs: 60_000 });
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    const cancel = new AbortController();
    const out = await h.delete(duringTheWait({ ...ctx, signal: cancel.signal }, () => setTimeout(() => cancel.abort(), 100)), stored, { dryRun: false });
    const [made] = imagesOf(e, REPORTING);
    expect(out).toEqual({ kind: 'refused', reason: `Cancelled while waiting for the image: ${notTerminated(made!.imageId, ctx.planId)}` });
    expect(log.map((c) => c.action)).toEqual(['CreateImage']);
    expect(region(e).instances.get(REPORTING)?.state).toBe('stopped');
  }, 60_000);

  it('cancelled as the image becomes available: checked again before TerminateInstances, which is not sent', async () => {
    const e = await open({ snapshotCompletionDelayMs: 100 });
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    const cancel = new AbortController();
    e.ec2(US).middlewareStack.add(
      (next, context) => async (args) => {
        const res = await next(args);
        const images = context.commandName === 'DescribeImagesCommand' ? (res.output as DescribeImagesCommandOutput).Images : undefined;
        if (images?.[0]?.State === 'available') cancel.abort();
        return res;
      },
      { step: 'initialize', name: 'cancelWhenAvailable' },
    );
    const out = await h.delete({ ...ctx, signal: cancel.signal }, stored, { dryRun: false });
    const [made] = imagesOf(e, REPORTING);
    expect(made?.state).toBe('available');
    expect(out).toEqual({ kind: 'refused', reason: `Cancelled while waiting for the image: ${notTerminated(made!.imageId, ctx.planId)}` });
    expect(log.map((c) => c.action)).toEqual(['CreateImage']);
    expect(region(e).instances.get(REPORTING)?.state).toBe('stopped');
  }, 60_000);
});

describe('image-then-terminate: DescribeImages failing is an outcome, never an exception, never a terminate', () => {
  it('denied before CreateImage: unauthorized, naming ec2:DescribeImages; nothing made or terminated', async () => {
    const e = await open();
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    e.sim.state.deny.add('ec2:DescribeImages');
    const out = await h.delete(ctx, stored, { dryRun: false });
    expect(out).toMatchObject({ kind: 'unauthorized', code: 'UnauthorizedOperation' });
    expect(out.kind === 'unauthorized' && out.message).toMatch(
      new RegExp(`^ec2:DescribeImages is not allowed\\. DescribeImages failed \\(.+\\): no image was made, and instance ${REPORTING} was NOT terminated$`),
    );
    expect(log).toEqual([]);
    expect(imagesOf(e, REPORTING)).toEqual([]);
    expect(region(e).instances.get(REPORTING)?.state).toBe('stopped');
  }, 60_000);

  it('server errors during the wait (retries spent): failed, the image kept, the instance not terminated', async () => {
    const e = await open({ snapshotCompletionDelayMs: 60_000 });
    const { stored, ctx, log } = await itemContext(e, REPORTING);
    // One attempt per call: the simulator's 5xx is retried by the SDK, and this shows what happens once retries are spent.
    const once = new EC2Client({ region: US, endpoint: e.sim.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const ctxOnce = { ...ctx, client: (() => once) as DeleteContext['client'] };
      const out = await h.delete(duringTheWait(ctxOnce, () => e.sim.setFaults({ serverErrorRate: 1 })), stored, { dryRun: false });
      e.sim.setFaults({});
      const [made] = imagesOf(e, REPORTING);
      expect(out.kind).toBe('failed');
      expect(out.kind === 'failed' && out.message).toMatch(
        new RegExp(`^DescribeImages failed \\(.+\\): ${esc(`${notTerminated(made!.imageId, ctx.planId)}. Calls made: CreateImage ${made!.imageId} of ${REPORTING}`)}$`),
      );
      expect(log.map((c) => c.action)).toEqual(['CreateImage']);
      expect(region(e).instances.get(REPORTING)?.state).toBe('stopped');
    } finally {
      once.destroy();
    }
  }, 60_000);
});
