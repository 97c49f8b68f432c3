/**
 * The SageMaker notebook-instance kind against the simulator (real SDK clients over HTTP): running past the threshold
 * found (and never called idle), younger or stopped not, protection by tag, costs by hand (the volume read only for
 * candidates), call counts, the re-check, stop and stop-then-delete with their audit rows, and the wait's time limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import type { UnusedResource } from '../../../e2e/aws-sim/generator';
import type { SageMakerNotebookFixture } from '../../../e2e/aws-sim/sagemaker-state';
import { sagemakerUnused } from '../../../e2e/aws-sim/unused-oracle-sagemaker';
import { SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH, sageMakerNotebookHourKey } from '../pricing/keys/sagemaker';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext } from './handler';
import { RUNNING_DAYS_SETTING, sageMakerNotebooksHandler as handler } from './sagemaker-notebooks';
import { findingById as byName, kindContext, scanAll, storedFinding as stored } from './sim-kind-harness';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';

const NOTEBOOKS: SageMakerNotebookFixture[] = [
  { name: 'forgotten', instanceType: 'ml.t3.medium', createdDaysAgo: 200, lastModifiedDaysAgo: 40, volumeSizeInGB: 20 },
  { name: 'started-today', createdDaysAgo: 200, lastModifiedDaysAgo: 0 },
  { name: 'ten-days', lastModifiedDaysAgo: 10 },
  { name: 'stopped', status: 'Stopped' },
  { name: 'kept-nb', tags: { 'cloud-cleaner:keep': 'true', team: 'ml' } },
  { name: 'gpu-nb', instanceType: 'ml.p3.8xlarge', volumeSizeInGB: 50 },
  { name: 'to-delete', volumeSizeInGB: 5 },
  { name: 'slow-stop' },
];
const MANY = 7;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': { sagemaker: { notebooks: NOTEBOOKS } },
    'eu-west-1': { sagemaker: { notebooks: Array.from({ length: MANY }, (_, i) => ({ name: `nb-${i}`, lastModifiedDaysAgo: i < 4 ? 30 : 1 })) } },
  },
};

const PRICES = regionPrices('us-east-1', [
  [sageMakerNotebookHourKey('ml.t3.medium')!, 0.05],
  [SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH, 0.14],
]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === 'us-east-1' ? PRICES : null, now: NOW, ...over });
}

function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(handler, ctxFor(region, over));
}

const nbs = () => s.sim.state.region('us-east-1').sagemaker.notebooks;

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('sagemaker:notebook-instance scan', () => {
  it('lists InService notebook instances only', () => {
    expect(east.map((f) => f.resourceId).sort()).toEqual(NOTEBOOKS.filter((n) => n.status === undefined).map((n) => n.name).sort());
  });

  it('InService and unchanged for 14 days or more is reported as running since at least LastModifiedTime, never as idle', () => {
    const f = byName(east, 'forgotten');
    expect(f).toMatchObject({ unused: true, unusedSince: null, state: 'InService', protected: false, createdAt: '2026-05-09T12:00:00.000Z' });
    expect(f.unusedReason).toBe(
      'Running since at least 2026-10-16T12:00:00.000Z: InService, and its LastModifiedTime (the last change to the instance, such as its last start) is 14 or more days ago. SageMaker reports no notebook activity, so whether anyone uses it is not known',
    );
    expect(f.unusedReason).not.toMatch(/idle/i);
    expect(f.details).toMatchObject({ runningSinceAtLeast: '2026-10-16T12:00:00.000Z', volumeSizeInGB: 20, instanceType: 'ml.t3.medium' });
  });

  it('started recently is not reported; the threshold is a setting', async () => {
    expect(byName(east, 'started-today')).toMatchObject({ unused: false, unusedReason: null });
    expect(byName(east, 'ten-days').unused).toBe(false);
    const seven = await scan('us-east-1', { settings: { ...DEFAULT_HANDLER_SETTINGS, kinds: { [RUNNING_DAYS_SETTING]: 7 } } });
    expect(byName(seven, 'ten-days').unused).toBe(true);
    expect(byName(seven, 'ten-days').unusedReason).toMatch(/is 7 or more days ago/);
  });

  it('costs: instance hours × 730 + its ML storage volume; a candidate only has its volume read', () => {
    const f = byName(east, 'forgotten');
    expect(f.monthlyCost).toBeCloseTo(730 * 0.05 + 20 * 0.14, 6);
    expect(f.costBasis).toBe('ml.t3.medium notebook × 730 h × $0.05 + ML storage 20 GB × $0.14/GB-mo (us-east-1)');
    const young = byName(east, 'started-today');
    expect(young.monthlyCost).toBeNull();
    expect(young.details['volumeSizeInGB']).toBeNull();
    expect(young.costBasis).toMatch(/^Cost unknown: ML storage volume size not read .*; the instance hours alone: ml.t3.medium notebook × 730 h × \$0.05 \(us-east-1\)$/);
    expect(byName(east, 'gpu-nb')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no SageMaker notebook price for ml.p3.8xlarge (us-east-1)' });
  });

  it('parts: a stop saves the instance hours only (the volume keeps billing); a delete saves both', () => {
    const f = byName(east, 'forgotten');
    const stop = handler.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'stop' });
    expect(stop.own.monthlyCost).toBeCloseTo(730 * 0.05, 6);
    expect(stop.own.costBasis).toBe('ml.t3.medium notebook × 730 h × $0.05 (us-east-1); stays billed: ML storage 20 GB × $0.14/GB-mo');
    expect(handler.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'delete' }).own.monthlyCost).toBe(f.monthlyCost);
  });

  it('agrees with the oracle (unused-oracle-sagemaker.ts)', () => {
    const out: UnusedResource[] = [];
    sagemakerUnused(s.sim.state.region('us-east-1'), ACCOUNT, NOW, out);
    const oracle = out.filter((u) => u.type === 'sagemaker:notebook-instance').map((u) => u.id).sort();
    expect(east.filter((f) => f.unused).map((f) => f.resourceId).sort()).toEqual(oracle);
    expect(oracle).toContain('forgotten');
  });

  it('the protection tag protects; other tags are kept', () => {
    expect(byName(east, 'kept-nb')).toMatchObject({ unused: true, protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true', tags: { team: 'ml' } });
  });

  it('declares the kind: stop by default (removes nothing), delete with the storage warning', () => {
    expect(handler).toMatchObject({ type: 'sagemaker:notebook-instance', category: 'Machine Learning', deleteOrder: 77, serviceCodes: ['AmazonSageMaker'] });
    expect(handler.actions?.map((a) => [a.id, a.removes])).toEqual([
      ['stop', false],
      ['delete', true],
    ]);
    expect(handler.actions?.[1]?.warning).toMatch(/ML storage volume is deleted/);
  });

  it('calls: ListNotebookInstances paged, DescribeNotebookInstance for candidates only, one tagging listing', async () => {
    s.sim.resetCounts();
    const found = await scan('eu-west-1', { pageSize: 3 });
    expect(found).toHaveLength(MANY);
    expect(found.filter((f) => f.unused)).toHaveLength(4);
    const ops = s.sim.counts().byOperation;
    expect(ops['sagemaker:ListNotebookInstances']).toBe(Math.ceil(MANY / 3));
    expect(ops['sagemaker:DescribeNotebookInstance']).toBe(4);
    expect(ops['tagging:GetResources']).toBe(1);
  });

  it('a denied sagemaker:ListNotebookInstances fails the scan naming the action', async () => {
    s.sim.state.deny.add('sagemaker:ListNotebookInstances');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/not authorized to perform: sagemaker:ListNotebookInstances/);
    } finally {
      s.sim.state.deny.delete('sagemaker:ListNotebookInstances');
    }
  });
});

describe('sagemaker:notebook-instance re-check and actions', () => {
  it('re-check: unchanged, then changed once restarted, gone once deleted', async () => {
    const f = byName(east, 'forgotten');
    expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'unchanged' });
    const n = nbs().get('forgotten')!;
    const saved = n.lastModified;
    n.lastModified = new Date(NOW.getTime() - 3600_000);
    try {
      expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'changed', reason: expect.stringMatching(/^It changed since the scan/) });
    } finally {
      n.lastModified = saved;
    }
    expect(await handler.recheck(ctxFor('us-east-1'), { ...stored(f), resourceId: 'no-such-notebook' })).toEqual({ status: 'gone', reason: 'The notebook instance no longer exists' });
  });

  it('refuses a protected notebook; a dry run sends nothing', async () => {
    s.sim.resetCounts();
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    expect(await handler.delete(ctx, stored(byName(east, 'kept-nb')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=true' });
    expect(await handler.delete(ctx, stored(byName(east, 'forgotten')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('stop: one audited StopNotebookInstance; the notebook is Stopped and still exists; the re-check says so', async () => {
    const f = byName(east, 'forgotten');
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1'), action: 'stop' });
    expect(await handler.delete(ctx, stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['StopNotebookInstance forgotten'] });
    expect(ctx.log).toEqual([{ action: 'StopNotebookInstance', target: 'forgotten', dryRun: false }]);
    expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'changed', reason: 'The notebook instance is Stopped, no longer InService' });
    expect(nbs().get('forgotten')?.status).toBe('Stopped');
  });

  it('delete: stop, wait until Stopped, then DeleteNotebookInstance, both audited', async () => {
    s.sim.configure({ sageMakerStopDelayMs: 150 });
    try {
      s.sim.resetCounts();
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1'), action: 'delete', pollMs: 50, waitMs: 10_000 });
      const out = await handler.delete(ctx, stored(byName(east, 'to-delete')), { dryRun: false });
      expect(out).toEqual({ kind: 'deleted', calls: ['StopNotebookInstance to-delete', 'DeleteNotebookInstance to-delete'] });
      expect(ctx.log).toEqual([
        { action: 'StopNotebookInstance', target: 'to-delete', dryRun: false },
        { action: 'DeleteNotebookInstance', target: 'to-delete', dryRun: false },
      ]);
      expect(s.sim.counts().byOperation['sagemaker:DescribeNotebookInstance']).toBeGreaterThanOrEqual(2);
      expect(nbs().has('to-delete')).toBe(false);
    } finally {
      s.sim.configure({ sageMakerStopDelayMs: 0 });
    }
  });

  it('delete gives up when the stop takes longer than the wait: failed, not deleted', async () => {
    s.sim.configure({ sageMakerStopDelayMs: 60_000 });
    try {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1'), action: 'delete', pollMs: 20, waitMs: 100 });
      const out = await handler.delete(ctx, stored(byName(east, 'slow-stop')), { dryRun: false });
      expect(out).toMatchObject({ kind: 'failed', code: 'NotebookNotStopped', message: expect.stringMatching(/did not stop within .* it was NOT deleted/) });
      expect(ctx.log).toEqual([{ action: 'StopNotebookInstance', target: 'slow-stop', dryRun: false }]);
      expect(nbs().get('slow-stop')?.status).toBe('Stopping');
    } finally {
      s.sim.configure({ sageMakerStopDelayMs: 0 });
    }
  });

  it('AWS refuses DeleteNotebookInstance of a running notebook (the simulator as SageMaker answers)', async () => {
    const { DeleteNotebookInstanceCommand, SageMakerClient } = await import('@aws-sdk/client-sagemaker');
    await expect(s.clients.client(SageMakerClient, 'us-east-1').send(new DeleteNotebookInstanceCommand({ NotebookInstanceName: 'gpu-nb' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^Status \(InService\) not in \(\[Stopped, Failed\]\)\. Unable to transition to \(Deleting\)/),
    });
  });
});
