/**
 * The two log-group kinds against the simulator (real SDK clients over HTTP: CloudWatch Logs, the Resource Groups
 * Tagging API, CloudWatch): never-expire found / not found / protected, dead found / unknown / protected, no group in
 * both, costs and retention estimates written out by hand, the scan's call budget (listings and batched metrics only),
 * the re-check's exact reads, the retention actions (retention set, nothing else changed) and the delete (deletion
 * protection refused, never switched off), each through the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/index';
import type { LogGroupFixture, SimLogGroup } from '../../../e2e/aws-sim/logs-state';
import { metricKey, putDailySeries } from '../../../e2e/aws-sim/metrics-state';
import { logsUnused } from '../../../e2e/aws-sim/unused-oracle-logs';
import type { UnusedResource } from '../../../e2e/aws-sim/generator';
import { lookupService } from '../discovery/service-catalog';
import { LOGS_STORAGE_GB_MONTH } from '../pricing/keys/logs';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext } from './handler';
import { deadLogGroupsHandler as dead, logGroupsNoRetentionHandler as never } from './logs-groups';
import { findingById as byName, kindContext, scanAll, storedFinding as stored } from './sim-kind-harness';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
/** The ingestion window at the default 90 dead days: 180 days, 2026-05-29 … 2026-11-24. */
const W = 180;
const GIB = 1024 ** 3;
const days = (v: number | null, n = W): (number | null)[] => Array<number | null>(n).fill(v);
const incoming = (name: string, daily: (number | null)[]): MetricSeriesFixture => ({ namespace: 'AWS/Logs', metricName: 'IncomingBytes', dimensions: { LogGroupName: name }, daily });
/** Ingesting on the first 60 days of the window only: last datapoint 2026-07-27. */
const stoppedEarly = [...days(5000, 60), ...days(null, W - 60)];

const GROUPS: LogGroupFixture[] = [
  { name: '/app/never', storedBytes: 10 * GIB },
  { name: '/app/kept-30', retentionInDays: 30, storedBytes: GIB },
  { name: '/aws/lambda/old-fn', storedBytes: 2 * GIB },
  { name: '/app/dead-protected', storedBytes: GIB, deletionProtection: true },
  { name: '/app/tagged', storedBytes: GIB, tags: { 'cloud-cleaner:keep': 'yes', team: 'core' } },
  { name: '/app/young', createdDaysAgo: 30, storedBytes: 1000 },
  { name: '/app/silent-old', storedBytes: GIB },
  { name: '/ecs/dead-svc', retentionInDays: 90, storedBytes: GIB },
  { name: '/app/ia', logGroupClass: 'INFREQUENT_ACCESS', storedBytes: GIB },
  { name: '/app/dp-never', storedBytes: GIB, deletionProtection: true, metricFilterCount: 2 },
  { name: '/app/recent-stop', createdDaysAgo: 100, storedBytes: GIB },
];

const MANY = 120;
const many = (i: number): string => `/svc/many-${String(i).padStart(3, '0')}`;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      logs: { logGroups: GROUPS },
      metrics: [
        incoming('/app/never', days(1e6)),
        incoming('/app/kept-30', days(1e6)),
        incoming('/aws/lambda/old-fn', stoppedEarly),
        incoming('/app/dead-protected', stoppedEarly),
        incoming('/app/tagged', days(1e6)),
        incoming('/ecs/dead-svc', stoppedEarly),
        incoming('/app/ia', days(1e6)),
        incoming('/app/dp-never', days(1e6)),
        // Written until 50 days ago: not dead (90-day window).
        incoming('/app/recent-stop', [...days(null, 80), ...days(7, 50), ...days(null, 50)]),
      ],
    },
    'eu-west-1': {
      logs: { logGroups: Array.from({ length: MANY }, (_, i) => ({ name: many(i), storedBytes: GIB, ...(i % 40 === 0 ? { tags: { n: String(i) } } : {}) })) },
      metrics: Array.from({ length: MANY }, (_, i) => incoming(many(i), days(100))),
    },
  },
};

const PRICES = regionPrices('us-east-1', [[LOGS_STORAGE_GB_MONTH, 0.03]]);

let s: SimSession;
let open: Finding[];
let all: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === 'us-east-1' ? PRICES : null, now: NOW, ...over });
}

function scan(h: typeof never, region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(h, ctxFor(region, over));
}

const groups = (region = 'us-east-1'): Map<string, SimLogGroup> => s.sim.state.region(region).logs.groups;
const snapshot = (region = 'us-east-1'): Record<string, SimLogGroup> => structuredClone(Object.fromEntries(groups(region)));

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  open = await scan(never, 'us-east-1');
  all = await scan(dead, 'us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('logs:log-group (never expire)', () => {
  it('lists the groups with no retention that are not dead; a retention set or a dead group is not listed', () => {
    expect(open.map((f) => f.resourceId).sort()).toEqual(['/app/dp-never', '/app/ia', '/app/never', '/app/recent-stop', '/app/tagged', '/app/young']);
    for (const f of open) expect(f).toMatchObject({ resourceType: 'logs:log-group', unused: true, state: 'never-expire', unusedSince: null });
    expect(byName(open, '/app/never').unusedReason).toBe('Never expires: no retention is set, so every event ever written is stored and billed');
  });

  it('costs storedBytes × the storage price; another log class or region is unknown, never $0', async () => {
    const f = byName(open, '/app/never');
    expect(f.monthlyCost).toBeCloseTo(10 * 0.03, 9);
    expect(f.costBasis).toBe('10 GB stored (storedBytes 10,737,418,240; 1 GB = 2^30 bytes) × $0.03 per GB-month (us-east-1)');
    expect(byName(open, '/app/ia')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no storage price is declared for the INFREQUENT_ACCESS log class' });
    const eu = await scan(never, 'eu-west-1');
    expect(eu[0]).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no CloudWatch Logs storage price for eu-west-1' });
  });

  it('the protection tag protects; deletion protection does not (a retention is not a delete)', () => {
    expect(byName(open, '/app/tagged')).toMatchObject({ protected: true, protectedReason: 'Tagged cloud-cleaner:keep=yes', tags: { team: 'core' } });
    expect(byName(open, '/app/dp-never')).toMatchObject({ protected: false, details: { deletionProtection: true, metricFilterCount: 2 } });
  });

  it('three retention actions, 365 days first, none removes; savings are the labelled estimate', () => {
    expect(never.actions?.map((a) => [a.id, a.removes])).toEqual([['retention-365', false], ['retention-90', false], ['retention-30', false]]);
    expect(never.verification.method).toBe('permission-check');
    const f = byName(open, '/app/never');
    // Created 400 days ago, written until now: 35/400, 310/400 and 370/400 of 10 GB are older than the limits.
    const p365 = never.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false });
    expect(p365.parts).toEqual([]);
    expect(p365.own.monthlyCost).toBeCloseTo(10 * (35 / 400) * 0.03, 9);
    expect(p365.own.costBasis).toBe(
      'ESTIMATE: stored data older than 365 days, taking ingestion as uniform from its creation (2025-10-21) to now: 8.8% of 10 GB × $0.03 per GB-month; the events it keeps stay billed',
    );
    expect(never.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'retention-90' }).own.monthlyCost).toBeCloseTo(10 * (310 / 400) * 0.03, 9);
    expect(never.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'retention-30' }).own.monthlyCost).toBeCloseTo(10 * (370 / 400) * 0.03, 9);
    // Younger than the limit: nothing to expire yet (an estimate of $0, not unknown).
    expect(never.parts(byName(open, '/app/young'), DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'retention-90' }).own.monthlyCost).toBe(0);
  });

  it('declares the CloudWatch service, Management, order 70', () => {
    expect(lookupService('AmazonCloudWatch').code).toBe(never.billingServiceCode);
    expect(never).toMatchObject({ type: 'logs:log-group', category: 'Management', deleteOrder: 70, serviceCodes: ['AmazonCloudWatch'] });
  });
});

describe('logs:dead-log-group', () => {
  it('lists every group; dead when older than 90 days with no ingestion on the last 90, since the day after the last', () => {
    expect(all.map((f) => f.resourceId).sort()).toEqual(GROUPS.map((g) => g.name).sort());
    const f = byName(all, '/aws/lambda/old-fn');
    expect(f).toMatchObject({ resourceType: 'logs:dead-log-group', unused: true, unusedSince: '2026-07-28T00:00:00.000Z', protected: false });
    expect(f.unusedReason).toBe(
      'No ingestion for 90 days: the last IncomingBytes datapoint is on 2026-07-27, none from 2026-07-28 to 2026-11-24. Written by Lambda: it is recreated, again with no retention, on its next write',
    );
    expect(byName(all, '/ecs/dead-svc')).toMatchObject({ unused: true, details: { recreatedBy: 'ECS', retentionInDays: 90 } });
  });

  it('no datapoint in the window is dead only under the sparse rule (older than the window, metric listed in the region)', () => {
    const f = byName(all, '/app/silent-old');
    expect(f).toMatchObject({ unused: true, unusedSince: '2026-05-29T00:00:00.000Z' });
    expect(f.unusedReason).toMatch(/^No ingestion in the whole 180-day window from 2026-05-29/);
  });

  it('ingesting, stopped less than 90 days ago, or too young: not dead; young stays unknown', () => {
    for (const name of ['/app/never', '/app/kept-30', '/app/recent-stop', '/app/young']) expect(byName(all, name).unused, name).toBe(false);
    expect(byName(all, '/app/recent-stop').details['ingestion']).toBe('Ingesting: IncomingBytes on 2026-10-05 (last 90 days from 2026-08-27)');
    expect(byName(all, '/app/young').details['ingestion']).toMatch(/^Ingestion unknown: .*too young/);
    expect((byName(all, '/app/young').details['metrics'] as { verdict: string }).verdict).toBe('unknown');
  });

  it('deletion protection refuses a dead group\'s delete, not a retention (as an RDS instance\'s refuses its delete, not a stop)', () => {
    const f = byName(all, '/app/dead-protected');
    expect(f).toMatchObject({ unused: true, protected: false, unusedReason: expect.stringContaining('deletion protection is on: it can be given a retention, not deleted') });
    expect(dead.actionRefusal?.(f, 'delete')).toBe('Deletion protection is on: AWS refuses DeleteLogGroup (Cloud Cleaner never switches it off)');
    expect(dead.actionRefusal?.(f, 'retention-90')).toBeNull();
  });

  it('no group is unused in both kinds (no double counting)', () => {
    const deadNames = new Set(all.filter((f) => f.unused).map((f) => f.resourceId));
    expect([...deadNames].sort()).toEqual(['/app/dead-protected', '/app/silent-old', '/aws/lambda/old-fn', '/ecs/dead-svc']);
    for (const f of open) expect(deadNames.has(f.resourceId), f.resourceId).toBe(false);
  });

  it('agrees with the oracle (the rules read independently from the header) on both kinds', () => {
    const expected: UnusedResource[] = [];
    logsUnused(s.sim.state.region('us-east-1'), ACCOUNT, NOW, expected);
    const key = (t: string, id: string): string => `${t} ${id}`;
    const got = [...open, ...all].filter((f) => f.unused).map((f) => key(f.resourceType, f.resourceId));
    expect(got.sort()).toEqual(expected.map((u) => key(u.type, u.id)).sort());
  });

  it('delete saves all it stores; a retention on a dead group assumes ingestion stopped at its last datapoint', () => {
    const f = byName(all, '/aws/lambda/old-fn');
    expect(dead.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false })).toEqual({ own: { monthlyCost: f.monthlyCost, costBasis: f.costBasis }, parts: [] });
    expect(f.monthlyCost).toBeCloseTo(2 * 0.03, 9);
    // Last ingestion ends 2026-07-28 00:00, 120.5 days ago: all of it is older than 90 days; 35 of its 279.5 written days older than 365.
    expect(dead.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'retention-90' }).own.monthlyCost).toBeCloseTo(2 * 0.03, 9);
    expect(dead.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'retention-365' }).own.monthlyCost).toBeCloseTo(2 * (35 / 279.5) * 0.03, 6);
    expect(dead.actions?.map((a) => a.id)).toEqual(['delete', 'retention-365', 'retention-90', 'retention-30']);
    expect(dead.actionRefusal?.(byName(all, '/ecs/dead-svc'), 'retention-30')).toBe('It already has a retention of 90 days');
    expect(dead.actionRefusal?.(f, 'retention-30')).toBeNull();
  });
});

describe('the scan call budget', () => {
  it('listings and batched metrics only: DescribeLogGroups pages of 50, one tagging listing, one GetMetricData per 500 groups', async () => {
    for (const h of [never, dead]) {
      s.sim.resetCounts();
      const found = await scan(h, 'eu-west-1');
      expect(found, h.type).toHaveLength(MANY);
      const ops = s.sim.counts().byOperation;
      expect(ops['logs:DescribeLogGroups'], h.type).toBe(Math.ceil(MANY / 50));
      expect(ops['tagging:GetResources'], h.type).toBe(1);
      expect(ops['monitoring:GetMetricData'], h.type).toBe(1);
      expect(ops['logs:DescribeLogStreams']).toBeUndefined();
      expect(ops['logs:ListTagsForResource']).toBeUndefined();
      expect(ops['monitoring:ListMetrics']).toBeUndefined();
      expect(found.find((f) => f.resourceId === many(40))?.tags).toEqual({ n: '40' });
    }
  });

  it('a region without groups makes one call', async () => {
    s.sim.resetCounts();
    expect(await scan(dead, 'ap-south-1')).toEqual([]);
    expect(s.sim.counts().total).toBe(1);
  });

  for (const action of ['logs:DescribeLogGroups', 'tag:GetResources', 'cloudwatch:GetMetricData']) {
    it(`a denied ${action} fails the scan with an error naming the action`, async () => {
      s.sim.state.deny.add(action);
      try {
        await expect(scan(dead, 'us-east-1')).rejects.toThrow(new RegExp(`not authorized to perform: ${action}`));
      } finally {
        s.sim.state.deny.delete(action);
      }
    });
  }
});

describe('re-check', () => {
  it('reads the group by name and its tags; unchanged when nothing changed', async () => {
    s.sim.resetCounts();
    expect(await never.recheck(ctxFor('us-east-1'), stored(byName(open, '/app/never')))).toMatchObject({ status: 'unchanged' });
    const ops = s.sim.counts().byOperation;
    expect(ops['logs:DescribeLogGroups']).toBe(1);
    expect(ops['logs:ListTagsForResource']).toBe(1);
    expect(ops['tagging:GetResources']).toBeUndefined();
    expect(await dead.recheck(ctxFor('us-east-1'), stored(byName(all, '/aws/lambda/old-fn')))).toMatchObject({ status: 'unchanged' });
  });

  it('a retention set since the scan changes it; a tag added protects; a gone group is gone', async () => {
    const g = groups().get('/app/never')!;
    g.retentionInDays = 14;
    try {
      expect(await never.recheck(ctxFor('us-east-1'), stored(byName(open, '/app/never')))).toMatchObject({ status: 'changed', reason: 'Retention changed from never expire to 14 days' });
    } finally {
      delete g.retentionInDays;
    }
    g.tags.push({ key: 'Cloud-Cleaner:Keep', value: 'true' });
    try {
      expect(await never.recheck(ctxFor('us-east-1'), stored(byName(open, '/app/never')))).toMatchObject({ status: 'protected', reason: 'Tagged Cloud-Cleaner:Keep=true' });
    } finally {
      g.tags.pop();
    }
    const ghost = { ...stored(byName(open, '/app/never')), resourceId: '/app/nev' };
    expect(await never.recheck(ctxFor('us-east-1'), ghost)).toEqual({ status: 'gone', reason: 'The log group no longer exists' });
  });

  it('fresh ingestion changes a dead finding; deletion protection turned on since the scan protects it', async () => {
    const metrics = s.sim.state.region('us-east-1').metrics;
    const dims = [{ name: 'LogGroupName', value: '/aws/lambda/old-fn' }];
    const saved = metrics.get(metricKey('AWS/Logs', 'IncomingBytes', dims))!;
    putDailySeries(metrics, { namespace: 'AWS/Logs', metricName: 'IncomingBytes', dimensions: dims, daily: [...stoppedEarly.slice(1), 42] }, NOW);
    try {
      const r = await dead.recheck(ctxFor('us-east-1'), stored(byName(all, '/aws/lambda/old-fn')));
      expect(r).toMatchObject({ status: 'changed', reason: 'No longer dead: Ingesting: IncomingBytes on 2026-11-24 (last 90 days from 2026-08-27)' });
    } finally {
      metrics.set(metricKey('AWS/Logs', 'IncomingBytes', dims), saved);
    }
    const g = groups().get('/app/silent-old')!;
    g.deletionProtectionEnabled = true;
    try {
      expect(await dead.recheck(ctxFor('us-east-1'), stored(byName(all, '/app/silent-old')))).toMatchObject({ status: 'protected', reason: expect.stringMatching(/^Deletion protection is on/) });
    } finally {
      g.deletionProtectionEnabled = false;
    }
  });
});

describe('actions', () => {
  it('refuses a protected finding and sends nothing; a dry run sends nothing either', async () => {
    s.sim.resetCounts();
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    expect(await never.delete(ctx, stored(byName(open, '/app/tagged')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=yes' });
    expect(await dead.delete(ctx, stored(byName(all, '/app/dead-protected')), { dryRun: false })).toMatchObject({ kind: 'refused' });
    expect(await never.delete(ctx, stored(byName(open, '/app/never')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('retention-90 sets the retention through the audit log, and changes nothing else on any group', async () => {
    const before = snapshot();
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1'), action: 'retention-90' });
    let inside = false;
    const audited = ctx.audited.bind(ctx);
    ctx.audited = (call, fn) => audited(call, async () => ((inside = ctx.inside()), fn()));
    const out = await never.delete(ctx, stored(byName(open, '/app/dp-never')), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: ['PutRetentionPolicy /app/dp-never (90 days)'] });
    expect(inside).toBe(true);
    expect(ctx.log).toEqual([{ action: 'PutRetentionPolicy', target: '/app/dp-never', dryRun: false }]);
    const after = snapshot();
    expect(after['/app/dp-never']).toEqual({ ...before['/app/dp-never'], retentionInDays: 90 });
    expect({ ...after, '/app/dp-never': null }).toEqual({ ...before, '/app/dp-never': null });
    // The next re-check sees it, and another retention is refused.
    expect(await never.recheck(ctxFor('us-east-1', { action: 'retention-30' }), stored(byName(open, '/app/dp-never')))).toMatchObject({ status: 'changed' });
    const again = await never.delete(recordingDeleteContext({ ...ctxFor('us-east-1'), action: 'retention-30' }), stored({ ...byName(open, '/app/dp-never'), details: { ...byName(open, '/app/dp-never').details, retentionInDays: 90 } }), { dryRun: false });
    expect(again).toEqual({ kind: 'refused', reason: 'It already has a retention of 90 days' });
  });

  it('deletes a dead group through the audit log; deleting it again is already gone', async () => {
    const f = byName(all, '/aws/lambda/old-fn');
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    expect(await dead.delete(ctx, stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteLogGroup /aws/lambda/old-fn'] });
    expect(ctx.log).toEqual([{ action: 'DeleteLogGroup', target: '/aws/lambda/old-fn', dryRun: false }]);
    expect(groups().has('/aws/lambda/old-fn')).toBe(false);
    expect(groups().has('/app/never')).toBe(true);
    expect(await dead.recheck(ctxFor('us-east-1'), stored(f))).toEqual({ status: 'gone', reason: 'The log group no longer exists' });
    expect(await dead.delete(recordingDeleteContext({ ...ctxFor('us-east-1') }), stored(f), { dryRun: false })).toEqual({
      kind: 'deleted',
      calls: ['DeleteLogGroup /aws/lambda/old-fn (already gone)'],
    });
  });

  it("AWS's refusal of a deletion-protected group is reported as refused, audited, and protection stays on", async () => {
    // Protection turned on after the scan (and after the re-check): AWS itself refuses.
    const g = groups().get('/app/silent-old')!;
    g.deletionProtectionEnabled = true;
    try {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
      const out = await dead.delete(ctx, stored(byName(all, '/app/silent-old')), { dryRun: false });
      expect(out).toEqual({ kind: 'refused', reason: 'AWS refused: Cannot delete log group with deletion protection enabled. Disable deletion protection first.' });
      expect(ctx.log).toEqual([{ action: 'DeleteLogGroup', target: '/app/silent-old', dryRun: false }]);
      expect(groups().get('/app/silent-old')?.deletionProtectionEnabled).toBe(true);
    } finally {
      g.deletionProtectionEnabled = false;
    }
  });

  it('a denied logs:PutRetentionPolicy is unauthorized and the group keeps no retention', async () => {
    s.sim.state.deny.add('logs:PutRetentionPolicy');
    try {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1'), action: 'retention-365' });
      const out = await never.delete(ctx, stored(byName(open, '/app/young')), { dryRun: false });
      expect(out).toMatchObject({ kind: 'unauthorized', code: 'AccessDeniedException', message: expect.stringContaining('logs:PutRetentionPolicy') });
      expect(groups().get('/app/young')?.retentionInDays).toBeUndefined();
    } finally {
      s.sim.state.deny.delete('logs:PutRetentionPolicy');
    }
  });
});
