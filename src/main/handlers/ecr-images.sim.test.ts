/**
 * The stale ECR image kind against the simulator (real ECR SDK client over HTTP): stale by last pull or never pulled
 * and old, young never-pulled images kept out, untagged first, the newest image (and the one tagged latest) kept by the
 * default action and deletable only by the explicit one, repository protection, the scan's call budget, the re-check
 * and the audited BatchDeleteImage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import { fixtureDigest } from '../../../e2e/aws-sim/ecr-state';
import { ECR_STORAGE_GB_MONTH } from '../pricing/keys/ecr';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { ecrImagesHandler as h, ECR_STALE_DAYS_SETTING } from './ecr-images';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext } from './handler';
import { findingById as byId, kindContext, scanAll, storedFinding as stored, withOutcomes } from './sim-kind-harness';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const GIB = 1024 ** 3;
const MANY = 12;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      ecr: {
        repositories: [
          {
            name: 'web',
            images: [
              { pushedDaysAgo: 200, sizeBytes: 2 * GIB },
              { imageTags: ['v1'], pushedDaysAgo: 150, lastPulledDaysAgo: 100 },
              { imageTags: ['v2'], pushedDaysAgo: 120, lastPulledDaysAgo: 5 },
              { imageTags: ['v3'], pushedDaysAgo: 30 },
              { imageTags: ['v4'], pushedDaysAgo: 10, lastPulledDaysAgo: 1 },
            ],
          },
          {
            name: 'team/old-app',
            images: [
              { imageTags: ['v1'], pushedDaysAgo: 300, lastPulledDaysAgo: 200 },
              { imageTags: ['latest', 'v2'], pushedDaysAgo: 250 },
              { pushedDaysAgo: 260 },
            ],
          },
          { name: 'keep-me', tags: { 'cloud-cleaner:keep': 'true' }, images: [{ pushedDaysAgo: 400 }, { imageTags: ['x'], pushedDaysAgo: 300 }] },
          { name: 'to-delete', images: [{ pushedDaysAgo: 200 }, { imageTags: ['v9'], pushedDaysAgo: 150, lastPulledDaysAgo: 120 }, { pushedDaysAgo: 190 }] },
        ],
      },
    },
    'eu-west-1': {
      ecr: {
        repositories: Array.from({ length: MANY }, (_, i) => ({
          name: `svc-${String(i).padStart(2, '0')}`,
          images: [{ pushedDaysAgo: 200 }, { imageTags: ['a'], pushedDaysAgo: 100, lastPulledDaysAgo: 2 }, { imageTags: ['b'], pushedDaysAgo: 50 }],
        })),
      },
    },
  },
};

// A test rate (ECR's widely quoted $0.10 per GB-month), written out by hand.
const PRICES = regionPrices('us-east-1', [[ECR_STORAGE_GB_MONTH, 0.1]]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === 'us-east-1' ? PRICES : null, now: NOW, ...over });
}

function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(h, ctxFor(region, over));
}

const id = (repo: string, index: number): string => `${repo}@${fixtureDigest(repo, index)}`;
const repo = (name: string) => s.sim.state.region('us-east-1').ecr.repositories.get(name)!;

/** A delete context whose audit log also records each call's outcome (as the cleanup's audit rows do). */
const auditing = (action?: string) => withOutcomes(recordingDeleteContext({ ...ctxFor('us-east-1'), ...(action ? { action } : {}) }));

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('ecr:image scan', () => {
  it('lists every image of every repository, one finding each, id <repository>@<digest>', () => {
    expect(east).toHaveLength(13);
    expect(byId(east, id('web', 0)).details).toMatchObject({ repositoryName: 'web', imageDigest: fixtureDigest('web', 0) });
  });

  it('never pulled and pushed more than 90 days ago: stale, untagged said first; priced at most its size', () => {
    const f = byId(east, id('web', 0));
    expect(f).toMatchObject({ unused: true, unusedReason: 'Untagged; never pulled; pushed 200 days ago (2026-05-09)', protected: false, name: null });
    expect(f.details).toMatchObject({ untagged: true, newest: false, sizeGB: 2 });
    expect(f.monthlyCost).toBeCloseTo(0.2, 6);
    expect(f.costBasis).toBe('At most 2 GB (imageSizeInBytes) × $0.10 per GB-month (us-east-1): layers shared with other images stay stored, so the saving may be less');
    expect(f.unusedSince).toBe(f.createdAt);
  });

  it('not pulled for more than 90 days: stale, since its last pull; pulled recently or young and never pulled: not', () => {
    const v1 = byId(east, id('web', 1));
    expect(v1).toMatchObject({ unused: true, unusedReason: 'Not pulled since 2026-08-17 (100 days)', name: 'v1' });
    expect(v1.unusedSince).toBe(v1.details['lastPulledAt']);
    expect(byId(east, id('web', 2))).toMatchObject({ unused: false, unusedReason: null });
    expect(byId(east, id('web', 3))).toMatchObject({ unused: false });
    expect(byId(east, id('web', 3)).details['judgement']).toBe('Never pulled, but pushed only 30 days ago (flagged from 90)');
  });

  it('untagged images come first within their repository', () => {
    const oldApp = east.filter((f) => f.details['repositoryName'] === 'team/old-app');
    expect(oldApp.map((f) => f.details['untagged'])).toEqual([true, false, false]);
  });

  it('the newest image and the one tagged latest are flagged but kept by the default action', () => {
    const newest = byId(east, id('web', 4));
    expect(newest.details['newest']).toBe(true);
    const latest = byId(east, id('team/old-app', 1));
    expect(latest).toMatchObject({ unused: true });
    expect(latest.details).toMatchObject({ newest: true, taggedLatest: true });
    expect(h.actionRefusal?.(latest, 'delete')).toBe('the newest image of team/old-app: choose “Delete, including the newest image” to remove it');
    expect(h.actionRefusal?.(latest, 'delete-newest')).toBeNull();
    expect(h.actionRefusal?.(byId(east, id('web', 1)), 'delete-newest')).toMatch(/^Not the newest image of web/);
    expect(h.actions?.find((a) => a.id === 'delete-newest')?.explicit).toBe(true);
  });

  it('a protected repository protects its images (one tag:GetResources listing)', () => {
    for (const f of east.filter((x) => x.details['repositoryName'] === 'keep-me')) {
      expect(f).toMatchObject({ unused: true, protected: true, protectedReason: 'Repository keep-me: Tagged cloud-cleaner:keep=true' });
    }
  });

  it('the age is a kind setting; unknown prices are unknown', async () => {
    const found = await scan('us-east-1', { prices: null, settings: { ...DEFAULT_HANDLER_SETTINGS, kinds: { [ECR_STALE_DAYS_SETTING]: 20 } } });
    expect(byId(found, id('web', 3))).toMatchObject({ unused: true, monthlyCost: null, costBasis: 'Cost unknown: no ECR storage price (us-east-1)' });
  });

  it('a scan lists repositories (paged), each repository’s images once, and the tags once', async () => {
    s.sim.resetCounts();
    const found = await scan('eu-west-1', { pageSize: 5 });
    expect(found).toHaveLength(MANY * 3);
    expect(found.filter((f) => f.unused)).toHaveLength(MANY);
    expect(s.sim.counts().byOperation).toEqual({ 'ecr:DescribeRepositories': 3, 'ecr:DescribeImages': MANY, 'tagging:GetResources': 1 });
  });

  it('a denied ecr:DescribeRepositories fails the scan naming the action', async () => {
    s.sim.state.deny.add('ecr:DescribeRepositories');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/ecr:DescribeRepositories/);
    } finally {
      s.sim.state.deny.delete('ecr:DescribeRepositories');
    }
  });
});

describe('ecr:image re-check and delete', () => {
  it('re-checks unchanged; a pull since the review changes it', async () => {
    const f = byId(east, id('web', 1));
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'unchanged' });
    const img = repo('web').images.get(fixtureDigest('web', 1))!;
    const before = img.lastPulledAt;
    img.lastPulledAt = new Date(NOW.getTime() - 86_400_000);
    try {
      expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'changed', reason: 'Pulled since the review (last recorded pull 2026-11-24)' });
    } finally {
      img.lastPulledAt = before;
    }
  });

  it('an image that became the newest is refused again at the re-check', async () => {
    const f = byId(east, id('to-delete', 2));
    expect(f.details['newest']).toBe(false);
    const r = repo('to-delete');
    const newer = r.images.get(fixtureDigest('to-delete', 1))!;
    r.images.delete(newer.digest);
    try {
      expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({
        status: 'changed',
        reason: 'the newest image of to-delete: choose “Delete, including the newest image” to remove it',
      });
    } finally {
      r.images.set(newer.digest, newer);
    }
  });

  it('a protected repository is protected at the re-check', async () => {
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, id('keep-me', 0))))).toMatchObject({ status: 'protected' });
  });

  it('a dry run sends nothing', async () => {
    s.sim.resetCounts();
    expect(await h.delete(auditing(), stored(byId(east, id('to-delete', 0))), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(s.sim.counts().total).toBe(0);
  });

  it('deletes exactly that image through the audit log; again: already gone (ImageNotFound); the re-check then says gone', async () => {
    const f = byId(east, id('to-delete', 0));
    const ctx = auditing();
    expect(await h.delete(ctx, stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: [`BatchDeleteImage ${f.resourceId}`] });
    expect(ctx.rows).toEqual([{ call: { action: 'BatchDeleteImage', target: f.resourceId, dryRun: false }, outcome: 'succeeded' }]);
    expect([...repo('to-delete').images.keys()].sort()).toEqual([fixtureDigest('to-delete', 1), fixtureDigest('to-delete', 2)].sort());
    expect(repo('web').images.size).toBe(5);
    expect(await h.delete(auditing(), stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: [`BatchDeleteImage ${f.resourceId} (already gone)`] });
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'gone' });
  });

  it('the newest image: refused by the default action, deleted by the explicit one', async () => {
    const f = byId(east, id('to-delete', 1));
    expect(f.details['newest']).toBe(true);
    const refused = auditing();
    expect(await h.delete(refused, stored(f), { dryRun: false })).toMatchObject({ kind: 'refused' });
    expect(refused.log).toEqual([]);
    const ctx = auditing('delete-newest');
    expect(await h.recheck({ ...ctxFor('us-east-1'), action: 'delete-newest' }, stored(f))).toMatchObject({ status: 'unchanged' });
    expect(await h.delete(ctx, stored(f), { dryRun: false })).toMatchObject({ kind: 'deleted' });
    expect(repo('to-delete').images.has(fixtureDigest('to-delete', 1))).toBe(false);
  });

  it('refuses a protected image without sending anything; a denied BatchDeleteImage is unauthorized and audited', async () => {
    s.sim.resetCounts();
    expect(await h.delete(auditing(), stored(byId(east, id('keep-me', 0))), { dryRun: false })).toMatchObject({ kind: 'refused', reason: 'Repository keep-me: Tagged cloud-cleaner:keep=true' });
    expect(s.sim.counts().total).toBe(0);
    s.sim.state.deny.add('ecr:BatchDeleteImage');
    try {
      const ctx = auditing();
      expect(await h.delete(ctx, stored(byId(east, id('web', 0))), { dryRun: false })).toMatchObject({ kind: 'unauthorized', code: 'AccessDeniedException' });
      expect(ctx.rows.map((r) => r.outcome)).toEqual(['failed AccessDeniedException']);
      expect(repo('web').images.size).toBe(5);
    } finally {
      s.sim.state.deny.delete('ecr:BatchDeleteImage');
    }
  });
});
