/**
 * Cancelling a plan while an instance's image is being made: the runner's cancel reaches the handler's wait, the image
 * is kept and the instance is not terminated.
 *
 * An item that fails after its last call succeeded — here an instance imaged before its terminate, whose image fails:
 * CreateImage succeeded, TerminateInstances was never sent — reads as failed everywhere the audit is read (the
 * deletion history by plan, savings realised), never as done from the CreateImage row.
 */
import { afterEach, expect, it } from 'vitest';
import { listDeletionPlans } from '../db/repos/deletion-plans';
import { IMAGE_THEN_TERMINATE } from '../handlers/ec2-instance-actions';
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { runPlan } from './cleanup';
import { ACCOUNT, createCleanupEnv, type CleanupEnv } from './cleanup-test-env';
import { createPlan, planProtectionReader } from './plan';

const REPORTING = 'i-0a10000000000000d';

let env: CleanupEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** A plan of one item: the reporting instance, imaged then terminated. */
function planImageThenTerminate(e: CleanupEnv) {
  return createPlan(
    {
      db: e.h,
      registry: e.registry,
      settings: DEFAULT_HANDLER_SETTINGS,
      readPlanProtection: planProtectionReader({ clients: e.deps().clients, accountId: ACCOUNT, settings: DEFAULT_HANDLER_SETTINGS }),
    },
    { accountId: ACCOUNT, findingIds: [e.idOf(REPORTING)], snapshotVolumes: false, actions: [{ findingId: e.idOf(REPORTING), action: IMAGE_THEN_TERMINATE }] },
  );
}

it('a failed image: the item is failed in the audit (an Outcome row after the CreateImage that succeeded), not done', async () => {
  const e = (env = await createCleanupEnv());
  e.sim.configure({ imageCreationFailure: 'Internal error while snapshotting' });
  const plan = await planImageThenTerminate(e);
  const run = await runPlan(e.deps({ dryRunFreshnessMs: null }), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT });
  expect(run.items).toEqual([expect.objectContaining({ resourceId: REPORTING, outcome: 'failed', errorCode: 'ImageFailed' })]);
  expect(e.sim.state.region('us-east-1').instances.get(REPORTING)?.state).toBe('stopped');

  const real = e.audit(plan.id).filter((r) => r.dry_run === 0);
  expect(real.map((r) => [r.action, r.outcome])).toEqual([
    ['CreateImage', 'succeeded'],
    ['Outcome', 'failed'],
  ]);
  const history = await listDeletionPlans(e.h.db, { accountId: ACCOUNT });
  const item = history.rows.find((p) => p.planId === plan.id)?.items.find((i) => i.resourceId === REPORTING);
  expect(item).toMatchObject({ outcome: 'failed', errorCode: 'ImageFailed' });
}, 60_000);

it('cancelled while the image is made: the wait notices at its next poll, the image is kept, no TerminateInstances', async () => {
  const e = (env = await createCleanupEnv({ snapshotCompletionDelayMs: 120_000 }));
  const plan = await planImageThenTerminate(e);
  const cancel = new AbortController();
  const timer = setTimeout(() => cancel.abort(), 1_000);
  const run = await runPlan(e.deps({ dryRunFreshnessMs: null }), { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT, signal: cancel.signal });
  clearTimeout(timer);
  expect(run.items).toEqual([expect.objectContaining({ resourceId: REPORTING, outcome: 'refused', reason: expect.stringMatching(/^Cancelled while waiting for the image: image ami-\w+ was kept/) })]);
  expect(e.sim.state.region('us-east-1').instances.get(REPORTING)?.state).toBe('stopped');
  expect(e.audit(plan.id).filter((r) => r.dry_run === 0).map((r) => r.action)).not.toContain('TerminateInstances');
}, 60_000);
