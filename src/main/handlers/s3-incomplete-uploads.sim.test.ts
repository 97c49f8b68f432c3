/**
 * The incomplete S3 multipart upload kind against the simulator (real S3 and tagging clients over HTTP, path-style):
 * stale uploads found per bucket in the bucket's region, young or no uploads not found, protection by tag, costs by
 * hand, the scan's call budget per operation, denied listings naming S3's IAM actions, the re-check, both actions'
 * effects (only the reviewed, still-stale uploads aborted; lifecycle rules merged with the existing ones intact) and the
 * audit of each call with its plan action through the real cleanup pipeline.
 */
import { GetBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import type { S3BucketFixture } from '../../../e2e/aws-sim/s3-state';
import { runPlan } from '../cleanup/cleanup';
import { createPlan } from '../cleanup/plan';
import { S3_STORAGE_GB_MONTH } from '../pricing/keys/s3';
import { regionPrices } from '../pricing/price-key';
import { runScan } from '../scan/scanner';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { AuditedCall, DeleteContext, Finding, HandlerContext } from './handler';
import { createHandlerRegistry } from './registry';
import { ABORT_RULE_ID } from './s3-lifecycle';
import { s3IncompleteUploadsHandler as handler } from './s3-incomplete-uploads';
import { findingById as byId, kindContext, loggingDeleteContext, scanAll, storedFinding as stored } from './sim-kind-harness';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const R = 'us-east-1';
const GIB = 1024 ** 3;
const EXISTING_RULES =
  '<Rule><ID>logs-to-ia</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>' +
  '<Expiration><Days>365</Days></Expiration></Rule>' +
  '<Rule><ID>tmp-aborts</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>' +
  '<Rule><ID>versions</ID><Filter><And><Prefix>data/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter><Status>Disabled</Status>' +
  '<NoncurrentVersionExpiration><NoncurrentDays>90</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>';

const BUCKETS: S3BucketFixture[] = [
  {
    name: 'old-uploads',
    lifecycleRules: EXISTING_RULES,
    uploads: [
      { key: 'video/a.mp4', initiatedDaysAgo: 30, partSizes: [GIB, GIB], uploadId: 'old-1' },
      { key: 'backup/b.tar', initiatedDaysAgo: 10, storageClass: 'STANDARD_IA', partSizes: [GIB / 2], uploadId: 'old-2' },
      { key: 'video/c.mp4', initiatedDaysAgo: 2, partSizes: [GIB], uploadId: 'young-1' },
    ],
  },
  { name: 'young-only', uploads: [{ key: 'x', initiatedDaysAgo: 6, partSizes: [100] }, { key: 'y', initiatedDaysAgo: 0 }] },
  { name: 'no-uploads', lifecycleRules: EXISTING_RULES },
  { name: 'kept', tags: { 'cloud-cleaner:keep': 'true' }, uploads: [{ key: 'k', initiatedDaysAgo: 40, partSizes: [10] }] },
  {
    name: 'covered',
    lifecycleRules: '<Rule><ID>theirs</ID><Filter></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>30</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>',
    uploads: [{ key: 'c', initiatedDaysAgo: 20, partSizes: [GIB] }],
  },
  { name: 'glacier', tags: { team: 'archive' }, uploads: [{ key: 'g', initiatedDaysAgo: 9, storageClass: 'GLACIER', partSizes: [GIB] }] },
  { name: 'many', uploads: Array.from({ length: 101 }, (_, i) => ({ key: `m/${String(i).padStart(3, '0')}`, initiatedDaysAgo: 8 })) },
];

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: R }, { name: 'eu-west-1' }],
  resources: {
    [R]: { s3: { buckets: BUCKETS } },
    'eu-west-1': { s3: { buckets: [{ name: 'euro-old', uploads: [{ key: 'e', initiatedDaysAgo: 50, partSizes: [GIB] }] }] } },
  },
};

const PRICES = regionPrices(R, [
  [S3_STORAGE_GB_MONTH.STANDARD, 0.023],
  [S3_STORAGE_GB_MONTH.STANDARD_IA, 0.0125],
]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === R ? PRICES : null, now: NOW, ...over });
}

function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(handler, ctxFor(region, over));
}

const deleteCtx = (action: string, log: AuditedCall[], over: Partial<HandlerContext> = {}): DeleteContext =>
  loggingDeleteContext({ ...ctxFor(R, over), action, planId: 'plan-s3' }, log);

const bucket = (name: string, region = R) => s.sim.state.region(region).s3.buckets.get(name)!;
const rulesOf = async (name: string) => (await s.clients.client(S3Client, R).send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }))).Rules;

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  s.sim.resetCounts();
  east = await scan(R);
});

afterAll(async () => {
  await s?.close();
});

describe('s3:incomplete-uploads scan', () => {
  it('finds the buckets of the region with uploads older than 7 days; young or no uploads, and other regions, are not findings', () => {
    expect(east.map((f) => f.resourceId).sort()).toEqual(['covered', 'glacier', 'kept', 'many', 'old-uploads']);
    const f = byId(east, 'old-uploads');
    expect(f).toMatchObject({ resourceType: 's3:incomplete-uploads', region: R, unused: true, protected: false, state: null });
    expect(f.unusedReason).toBe(
      "2 incomplete multipart uploads started more than 7 days ago (the oldest on 2026-10-26): their parts bill as storage but never appear among the bucket's objects",
    );
    expect(f.unusedSince).toBe('2026-10-26T12:00:00.000Z');
    expect(f.createdAt).toBe('2025-11-25T12:00:00.000Z');
    expect(f.details).toMatchObject({
      staleUploads: 2,
      youngerUploads: 1,
      oldestInitiated: '2026-10-26T12:00:00.000Z',
      bytes: 2.5 * GIB,
      gb: 2.5,
      storageClasses: 'STANDARD, STANDARD_IA',
      ageDays: 7,
      cutoff: '2026-11-18T12:00:00.000Z',
      lifecycleAbortRule: 'None of its lifecycle rules aborts incomplete uploads for the whole bucket',
      lifecycleCovered: false,
    });
    expect((f.details['uploads'] as { uploadId: string }[]).map((u) => u.uploadId)).toEqual(['old-1', 'old-2']);
  });

  it('prices the parts by storage class: 2 GB Standard × $0.023 + 0.5 GB Standard-IA × $0.0125', () => {
    const f = byId(east, 'old-uploads');
    expect(f.monthlyCost).toBe(0.05225);
    expect(f.costBasis).toBe(
      'Parts of 2 stale uploads: 2 GB S3 Standard (first 50 TB tier) × $0.023 per GB-month + 0.5 GB S3 Standard-IA × $0.0125 per GB-month (us-east-1)',
    );
    expect(byId(east, 'glacier')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no GLACIER storage price (us-east-1)' });
    expect(byId(east, 'many')).toMatchObject({
      monthlyCost: null,
      costBasis: 'Cost unknown: 101 stale uploads, more than the 100 Cloud Cleaner sizes per bucket (one ListParts listing each)',
    });
    expect(byId(east, 'many').details['bytes']).toBeNull();
  });

  it('protects a bucket by its tag (read from the tagging API); reads whether a lifecycle rule already aborts uploads', () => {
    expect(byId(east, 'kept')).toMatchObject({ protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
    expect(byId(east, 'glacier').tags).toEqual({ team: 'archive' });
    const covered = byId(east, 'covered');
    expect(covered.details).toMatchObject({ lifecycleAbortRule: 'Rule "theirs" aborts them after 30 days', lifecycleCovered: true });
    expect(handler.actionRefusal?.(covered, 'add-lifecycle-rule')).toBe(
      'Its lifecycle configuration already aborts incomplete uploads (Rule "theirs" aborts them after 30 days): abort them instead',
    );
    expect(handler.actionRefusal?.(covered, 'abort')).toBeNull();
    expect(handler.actionRefusal?.(byId(east, 'old-uploads'), 'add-lifecycle-rule')).toBeNull();
  });

  it('makes one bucket listing, one upload listing per bucket, and per candidate only its parts and lifecycle reads', () => {
    const by = s.sim.counts().byOperation;
    expect(by['s3:ListBuckets']).toBe(1);
    expect(by['s3:ListMultipartUploads']).toBe(BUCKETS.length);
    // old-uploads 2 + kept 1 + covered 1 + glacier 1; "many" has more than 100 and is not sized.
    expect(by['s3:ListParts']).toBe(5);
    expect(by['s3:GetBucketLifecycleConfiguration']).toBe(5);
    expect(by['tagging:GetResources']).toBe(1);
    expect(by['s3:GetBucketTagging']).toBeUndefined();
    expect(by['s3:AbortMultipartUpload']).toBeUndefined();
  });

  it('pages every listing the same way (one bucket and one upload a page)', async () => {
    s.sim.resetCounts();
    const paged = await scan(R, { pageSize: 1 });
    expect(paged).toEqual(east);
    const by = s.sim.counts().byOperation;
    expect(by['s3:ListBuckets']).toBe(BUCKETS.length);
    // Each bucket's uploads one per page (+1 for the empty bucket).
    expect(by['s3:ListMultipartUploads']).toBe(3 + 2 + 1 + 1 + 1 + 1 + 101);
  });

  it('finds a bucket in its own region only, with unknown cost where no price is known', async () => {
    const eu = await scan('eu-west-1');
    expect(eu.map((f) => [f.resourceId, f.region, f.monthlyCost])).toEqual([['euro-old', 'eu-west-1', null]]);
    expect(eu[0]?.costBasis).toBe('Cost unknown: no S3 Standard (first 50 TB tier) storage price (eu-west-1)');
  });

  it('the age limit is a setting', async () => {
    const twelve = await scan(R, { settings: { ...DEFAULT_HANDLER_SETTINGS, kinds: { s3IncompleteUploadDays: 12 } } });
    expect(twelve.map((f) => f.resourceId).sort()).toEqual(['covered', 'kept', 'old-uploads']);
    expect(byId(twelve, 'old-uploads').details['staleUploads']).toBe(1);
  });

  it.each([
    ['s3:ListAllMyBuckets', 1],
    ['s3:ListBucketMultipartUploads', 1],
  ])('a denied %s fails only this kind\'s task, naming the IAM action', async (action) => {
    s.sim.state.deny.add(action);
    try {
      await expect(scan(R)).rejects.toThrow(action);
      const registry = createHandlerRegistry();
      registry.register(handler);
      const out = await runScan(s.scanDeps({ registry, now: () => NOW }), { regions: [R], skipDiscovery: true });
      expect(out.failures.map((x) => [x.region, x.handler])).toEqual([[R, 's3:incomplete-uploads']]);
      expect(out.failures[0]!.message).toContain(action);
    } finally {
      s.sim.state.deny.delete(action);
    }
  });
});

describe('s3:incomplete-uploads re-check', () => {
  it('lists the uploads again and reads tags and lifecycle: unchanged; the cost stays the scan\'s', async () => {
    s.sim.resetCounts();
    const r = await handler.recheck(ctxFor(R, { action: 'abort' }), stored(byId(east, 'old-uploads')));
    expect(r.status).toBe('unchanged');
    if (r.status === 'unchanged') expect(r.current.monthlyCost).toBe(0.05225);
    const by = s.sim.counts().byOperation;
    expect([by['s3:ListMultipartUploads'], by['s3:GetBucketTagging'], by['s3:GetBucketLifecycleConfiguration'], by['s3:ListParts']]).toEqual([1, 1, 1, undefined]);
  });

  it('protected when tagged since the scan; changed when a lifecycle rule no longer leaves anything to add', async () => {
    bucket('glacier').tags.push({ key: 'Cloud-Cleaner:Keep', value: 'yes' });
    try {
      expect(await handler.recheck(ctxFor(R), stored(byId(east, 'glacier')))).toMatchObject({ status: 'protected', reason: 'Tagged Cloud-Cleaner:Keep=yes' });
    } finally {
      bucket('glacier').tags.pop();
    }
    const covered = { ...stored(byId(east, 'covered')), details: { ...byId(east, 'covered').details, lifecycleCovered: false } };
    expect(await handler.recheck(ctxFor(R, { action: 'add-lifecycle-rule' }), covered)).toMatchObject({ status: 'changed', reason: expect.stringContaining('already aborts') });
  });

  it('gone when the reviewed uploads are gone, or the bucket is', async () => {
    const g = bucket('glacier');
    const saved = new Map(g.uploads);
    g.uploads.clear();
    expect(await handler.recheck(ctxFor(R), stored(byId(east, 'glacier')))).toMatchObject({ status: 'gone' });
    for (const [k, v] of saved) g.uploads.set(k, v);
    s.sim.state.region(R).s3.buckets.delete('glacier');
    expect(await handler.recheck(ctxFor(R), stored(byId(east, 'glacier')))).toEqual({ status: 'gone', reason: 'The bucket no longer exists' });
    s.sim.state.region(R).s3.buckets.set('glacier', g);
  });
});

describe('s3:incomplete-uploads actions', () => {
  it('abort: aborts the reviewed stale uploads only — never one younger than the limit, nor one started after the review', async () => {
    const later = new Date(NOW.getTime() + 10 * 86_400_000);
    const b = bucket('old-uploads');
    // Started a day after the review: 9 days old when the abort runs, older than the limit, but never reviewed.
    b.uploads.set('after-review', { uploadId: 'after-review', key: 'video/d.mp4', initiated: new Date(NOW.getTime() + 86_400_000), storageClass: 'STANDARD', parts: [] });
    const log: AuditedCall[] = [];
    const dry = await handler.delete(deleteCtx('abort', log, { now: later }), stored(byId(east, 'old-uploads')), { dryRun: true });
    expect(dry.kind).toBe('checked');
    expect(log).toEqual([]);
    const out = await handler.delete(deleteCtx('abort', log, { now: later }), stored(byId(east, 'old-uploads')), { dryRun: false });
    expect(out).toEqual({
      kind: 'deleted',
      calls: ['AbortMultipartUpload s3://old-uploads/video/a.mp4 (upload old-1)', 'AbortMultipartUpload s3://old-uploads/backup/b.tar (upload old-2)'],
    });
    expect(log.map((c) => [c.action, c.target, c.dryRun])).toEqual([
      ['AbortMultipartUpload', 's3://old-uploads/video/a.mp4 (upload old-1)', false],
      ['AbortMultipartUpload', 's3://old-uploads/backup/b.tar (upload old-2)', false],
    ]);
    expect([...b.uploads.keys()].sort()).toEqual(['after-review', 'young-1']);
    // The lifecycle configuration is untouched by an abort.
    expect((await rulesOf('old-uploads'))?.map((r) => r.ID)).toEqual(['logs-to-ia', 'tmp-aborts', 'versions']);
  });

  it('refuses a protected bucket without a call', async () => {
    const log: AuditedCall[] = [];
    expect(await handler.delete(deleteCtx('abort', log), stored(byId(east, 'kept')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=true' });
    expect(log).toEqual([]);
    expect(bucket('kept').uploads.size).toBe(1);
  });

  it('add-lifecycle-rule: the whole configuration written back with every rule intact and the abort rule added; uploads left to AWS', async () => {
    const before = await rulesOf('no-uploads');
    const f = { ...byId(east, 'old-uploads'), resourceId: 'no-uploads' };
    const log: AuditedCall[] = [];
    const out = await handler.delete(deleteCtx('add-lifecycle-rule', log), stored(f), { dryRun: false });
    expect(out).toEqual({ kind: 'deleted', calls: [`PutBucketLifecycleConfiguration no-uploads (3 existing rules kept, "${ABORT_RULE_ID}" added)`] });
    expect(log).toEqual([{ action: 'PutBucketLifecycleConfiguration', target: 'no-uploads', dryRun: false }]);
    const after = await rulesOf('no-uploads');
    expect(after?.slice(0, 3)).toEqual(before);
    expect(after?.[3]).toEqual({ ID: ABORT_RULE_ID, Filter: { Prefix: '' }, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } });
    // A second run adds nothing and says why.
    expect(await handler.delete(deleteCtx('add-lifecycle-rule', log), stored(f), { dryRun: false })).toEqual({
      kind: 'refused',
      reason: `Its lifecycle rule "${ABORT_RULE_ID}" already aborts incomplete uploads after 7 days for the whole bucket`,
    });
    expect(log).toHaveLength(1);
    expect(handler.actions?.map((a) => [a.id, a.removes, a.label])).toEqual([
      ['abort', true, 'Abort the stale uploads'],
      ['add-lifecycle-rule', false, 'Add a lifecycle rule that aborts incomplete uploads after 7 days'],
    ]);
  });

  it('through the cleanup pipeline: each call audited with its plan action; the lifecycle item stays, the aborted one is deleted', async () => {
    const registry = createHandlerRegistry();
    registry.register(handler);
    const deps = s.scanDeps({ registry, now: () => NOW });
    await runScan(deps, { regions: [R], skipDiscovery: true });
    const idOf = (rid: string): number => (s.db.sqlite.prepare('SELECT id FROM resources WHERE resource_id = ?').get(rid) as { id: number }).id;
    const plan = await createPlan(
      { db: s.db, registry, settings: DEFAULT_HANDLER_SETTINGS },
      { accountId: ACCOUNT, findingIds: [idOf('covered'), idOf('glacier')], snapshotVolumes: false, actions: [{ findingId: idOf('glacier'), action: 'add-lifecycle-rule' }] },
    );
    expect(plan.items.map((i) => [i.resourceId, i.action])).toEqual([
      ['covered', 'abort'],
      ['glacier', 'add-lifecycle-rule'],
    ]);
    const res = await runPlan(
      { db: s.db, accountId: ACCOUNT, registry, clients: s.clients, prices: deps.prices, settings: DEFAULT_HANDLER_SETTINGS, dryRunFreshnessMs: null },
      { planId: plan.id, mode: 'execute', confirmAccountId: ACCOUNT },
    );
    expect(res.items.map((i) => [i.resourceId, i.outcome])).toEqual([
      ['covered', 'deleted'],
      ['glacier', 'deleted'],
    ]);
    const audit = (s.db.sqlite.prepare('SELECT action, target, details FROM deletions WHERE plan_id = ? AND dry_run = 0 ORDER BY id').all(plan.id) as { action: string; target: string; details: string }[])
      .filter((r) => r.action !== 'Refuse')
      .map((r) => [r.action, r.target, (JSON.parse(r.details) as { planAction?: string }).planAction]);
    expect(audit).toEqual([
      ['AbortMultipartUpload', expect.stringMatching(/^s3:\/\/covered\/c \(upload /), 'abort'],
      ['PutBucketLifecycleConfiguration', 'glacier', 'add-lifecycle-rule'],
    ]);
    const status = (rid: string): string => (s.db.sqlite.prepare('SELECT status FROM resources WHERE resource_id = ?').get(rid) as { status: string }).status;
    expect(status('covered')).toBe('deleted');
    expect(status('glacier')).not.toBe('deleted');
    expect(bucket('covered').uploads.size).toBe(0);
    expect(bucket('glacier').uploads.size).toBe(1);
    expect((await rulesOf('glacier'))?.map((r) => r.ID)).toEqual([ABORT_RULE_ID]);
  });
});
