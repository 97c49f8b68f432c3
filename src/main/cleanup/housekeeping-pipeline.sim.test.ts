/**
 * The housekeeping kinds (#18) through the real cleanup pipeline on the simulator's sample account: scan → plan (one
 * action per item, protected and inapplicable ones refused with the reason) → execute (re-check, then the audited
 * calls) → what AWS shows afterwards. Each action's effect is checked on the simulator's state, and each call's audit
 * row (pending before, completed after) carries the plan action.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScan } from '../scan/scanner';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { runPlan } from './cleanup';
import { createPlan } from './plan';

const R = 'us-east-1';
const SECRET = (name: string, suffix: string) => `arn:aws:secretsmanager:${R}:123456789012:secret:${name}-${suffix}`;
const OLD_IMAGE = 'web-frontend@sha256:4559e04755ab0dbfa7c43a32116030ed1933d6eddb4213a36c79b33089ab8396';
const NEWEST_IMAGE = 'legacy/batch-worker@sha256:10e73dbd32697d44e3eb6992511fccd06ff376fbe8d90f8033914850d94d35f7';

let s: SimSession;
beforeAll(async () => {
  s = await openSimSession();
  const out = await runScan(s.scanDeps(), { regions: [R], skipDiscovery: true });
  expect(out.status).toBe('succeeded');
});
afterAll(async () => {
  await s.close();
});

// The finding (unused = 1): a log group is listed by both log kinds, as unused by at most one of them.
const idOf = (rid: string): number => (s.db.sqlite.prepare('SELECT id FROM resources WHERE resource_id = ? AND unused = 1').get(rid) as { id: number }).id;
const statusOf = (rid: string): string => (s.db.sqlite.prepare('SELECT status FROM resources WHERE id = ?').get(idOf(rid)) as { status: string }).status;

describe('housekeeping kinds through the cleanup pipeline', () => {
  it('plans one action per item, refuses protected and inapplicable ones, and each call is audited with its plan action', async () => {
    const region = s.sim.state.region(R);
    const before = { ...region.logs.groups.get('/app/orders-api')! };
    const chosen: [string, string | undefined][] = [
      ['/app/orders-api', 'retention-90'],
      ['/aws/lambda/legacy-cron', undefined],
      ['/app/compliance-archive', undefined],
      ['cc-sample-media-uploads', undefined],
      [OLD_IMAGE, undefined],
      [NEWEST_IMAGE, undefined],
      [SECRET('old/partner-ftp-password', '6WDjJ0'), undefined],
      [SECRET('shared/replicated-config', 'IA4YM0'), undefined],
      ['sandbox-old', undefined],
      ['churn-model-staging', undefined],
      ['ana-exploration', undefined],
      ['1a2b3c4d-0000-4000-8000-00000000d001', undefined],
    ];
    const plan = await createPlan(
      { db: s.db, registry: s.registry, settings: DEFAULT_HANDLER_SETTINGS },
      {
        accountId: s.accountId,
        findingIds: chosen.map(([rid]) => idOf(rid)),
        snapshotVolumes: false,
        actions: chosen.filter(([, a]) => a !== undefined).map(([rid, a]) => ({ findingId: idOf(rid), action: a! })),
      },
    );
    // Refused at plan time, with the reason: deletion protection (reported, never switched off), the newest image of a
    // repository (only by its explicit action), a replicated secret (its replica first).
    const refused = new Map(plan.refused.map((r) => [r.resourceId, r.reason]));
    expect([...refused.keys()].sort()).toEqual(['/app/compliance-archive', NEWEST_IMAGE, SECRET('shared/replicated-config', 'IA4YM0')].sort());
    expect(refused.get('/app/compliance-archive')).toMatch(/deletion protection/i);
    expect(refused.get(NEWEST_IMAGE)).toMatch(/newest image/i);
    expect(refused.get(SECRET('shared/replicated-config', 'IA4YM0'))).toMatch(/RemoveRegionsFromReplication|replica/i);
    expect(plan.items.map((i) => [i.resourceId, i.action])).toEqual(
      expect.arrayContaining([
        ['/app/orders-api', 'retention-90'],
        ['/aws/lambda/legacy-cron', 'delete'],
        ['cc-sample-media-uploads', 'abort'],
        [OLD_IMAGE, 'delete'],
        [SECRET('old/partner-ftp-password', '6WDjJ0'), 'delete'],
        ['sandbox-old', 'delete'],
        ['churn-model-staging', 'delete'],
        ['ana-exploration', 'stop'],
        ['1a2b3c4d-0000-4000-8000-00000000d001', 'schedule-deletion'],
      ]),
    );
    expect(plan.items).toHaveLength(9);

    const run = await runPlan(
      { db: s.db, accountId: s.accountId, registry: s.registry, clients: s.clients, prices: s.scanDeps().prices, settings: DEFAULT_HANDLER_SETTINGS, dryRunFreshnessMs: null },
      { planId: plan.id, mode: 'execute', confirmAccountId: s.accountId },
    );
    expect(run.items.map((i) => [i.resourceId, i.outcome]).sort()).toEqual(plan.items.map((i) => [i.resourceId, 'deleted']).sort());

    // The audit: every call written before it is made and completed after it, with the plan's action.
    const rows = s.db.sqlite
      .prepare(`SELECT action, target, outcome, completed_at, details FROM deletions WHERE plan_id = ? AND dry_run = 0 AND action != 'Refuse' ORDER BY id`)
      .all(plan.id) as { action: string; target: string; outcome: string; completed_at: string | null; details: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(9);
    expect(rows.filter((r) => r.outcome !== 'succeeded' || r.completed_at === null)).toEqual([]);
    const calls = rows.map((r) => [r.action, (JSON.parse(r.details) as { planAction?: string }).planAction]);
    expect(calls).toEqual(
      expect.arrayContaining([
        ['PutRetentionPolicy', 'retention-90'],
        ['DeleteLogGroup', 'delete'],
        ['AbortMultipartUpload', 'abort'],
        ['BatchDeleteImage', 'delete'],
        ['DeleteSecret', 'delete'],
        ['DeleteCluster', 'delete'],
        ['DeleteEndpoint', 'delete'],
        ['StopNotebookInstance', 'stop'],
        ['ScheduleKeyDeletion', 'schedule-deletion'],
      ]),
    );

    // A scheduled deletion's date is in its audit row: restorable (CancelKeyDeletion, RestoreSecret) until then.
    for (const action of ['DeleteSecret', 'ScheduleKeyDeletion']) {
      const row = rows.find((r) => r.action === action)!;
      const until = Date.parse((JSON.parse(row.details) as { deletionDate: string }).deletionDate);
      expect((until - Date.now()) / 86_400_000, action).toBeGreaterThan(29.9);
    }

    // The effects, as AWS (the simulator) shows them now.
    const after = region.logs.groups.get('/app/orders-api')!;
    expect(after.retentionInDays).toBe(90);
    expect({ ...after, retentionInDays: undefined }).toEqual({ ...before, retentionInDays: undefined }); // nothing else changed
    expect(region.logs.groups.has('/aws/lambda/legacy-cron')).toBe(false);
    expect(region.logs.groups.get('/app/compliance-archive')?.deletionProtectionEnabled).toBe(true); // never switched off
    const uploads = region.s3.buckets.get('cc-sample-media-uploads')!.uploads;
    expect([...uploads.values()].every((u) => Date.now() - u.initiated.getTime() < 7 * 86_400_000)).toBe(true);
    expect(region.ecr.repositories.get('web-frontend')!.images.has(OLD_IMAGE.split('@')[1]!)).toBe(false);
    expect(region.ecr.repositories.get('legacy/batch-worker')!.images.has(NEWEST_IMAGE.split('@')[1]!)).toBe(true);
    const secret = region.secretsManager.find(SECRET('old/partner-ftp-password', '6WDjJ0'))!;
    expect(secret.deletedAt).not.toBeNull();
    expect((secret.deletionDate!.getTime() - secret.deletedAt!.getTime()) / 86_400_000).toBeCloseTo(30, 5); // the recovery window
    const key = region.kms.keys.get('1a2b3c4d-0000-4000-8000-00000000d001')!;
    expect(key.state).toBe('PendingDeletion');
    expect((key.deletionDate!.getTime() - Date.now()) / 86_400_000).toBeGreaterThan(29.9); // the longest window, never immediate
    region.eks.settle();
    expect(region.eks.clusters.get('sandbox-old')?.status ?? 'gone').toMatch(/DELETING|gone/);
    region.sagemaker.settle();
    expect(region.sagemaker.endpoints.has('churn-model-staging')).toBe(false);
    expect(region.sagemaker.notebooks.get('ana-exploration')?.status).toMatch(/Stopping|Stopped/);

    // Removing actions mark their findings deleted; the ones short of deleting leave them for the next scan.
    expect(statusOf('/aws/lambda/legacy-cron')).toBe('deleted');
    expect(statusOf(OLD_IMAGE)).toBe('deleted');
    expect(statusOf('/app/orders-api')).toBe('active');
    expect(statusOf('ana-exploration')).toBe('active');
  }, 60_000);

  it('a log group whose delete AWS protects can still be given a retention: planned, executed, audited; protection left on', async () => {
    const id = idOf('/app/compliance-archive');
    const plan = await createPlan({ db: s.db, registry: s.registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: s.accountId, findingIds: [id], snapshotVolumes: false, actions: [{ findingId: id, action: 'retention-365' }] });
    expect(plan.refused).toEqual([]);
    expect(plan.items.map((i) => i.action)).toEqual(['retention-365']);
    const run = await runPlan(
      { db: s.db, accountId: s.accountId, registry: s.registry, clients: s.clients, prices: s.scanDeps().prices, settings: DEFAULT_HANDLER_SETTINGS, dryRunFreshnessMs: null },
      { planId: plan.id, mode: 'execute', confirmAccountId: s.accountId },
    );
    expect(run.items.map((i) => i.outcome)).toEqual(['deleted']);
    const g = s.sim.state.region(R).logs.groups.get('/app/compliance-archive')!;
    expect([g.retentionInDays, g.deletionProtectionEnabled]).toEqual([365, true]);
    const calls = s.db.sqlite.prepare(`SELECT action FROM deletions WHERE plan_id = ? AND dry_run = 0 AND action != 'Refuse'`).pluck().all(plan.id);
    expect(calls).toEqual(['PutRetentionPolicy']);
  }, 60_000);
});
