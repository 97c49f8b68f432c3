/**
 * The unused secret kind against the simulator (real Secrets Manager SDK client over HTTP): unused by last access or
 * never accessed and old, secrets of other services and those scheduled for deletion not judged, replicas and
 * replicated primaries refused, protection, the scan's call budget, the re-check, and the audited DeleteSecret with
 * its recovery window (restorable afterwards).
 */
import { RestoreSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import { secretArn } from '../../../e2e/aws-sim/secretsmanager-state';
import { SECRET_MONTH } from '../pricing/keys/secretsmanager';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext } from './handler';
import { SECRET_RECOVERY_DAYS_SETTING, SECRET_UNUSED_DAYS_SETTING, unusedSecretsHandler as h } from './secrets-unused';
import { findingById, kindContext, scanAll, storedFinding as stored, withOutcomes } from './sim-kind-harness';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const MANY = 230;
const KEEP = { 'cloud-cleaner:keep': 'true' };

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      secretsManager: {
        secrets: [
          { name: 'old-unused', lastAccessedDaysAgo: 120 },
          { name: 'recent', lastAccessedDaysAgo: 10 },
          { name: 'never-old', createdDaysAgo: 200 },
          { name: 'never-young', createdDaysAgo: 30 },
          { name: 'rds!db-1234', owningService: 'rds', createdDaysAgo: 300 },
          { name: 'pending', deletedDaysAgo: 5, createdDaysAgo: 300 },
          { name: 'keep', lastAccessedDaysAgo: 200, tags: KEEP },
          { name: 'primary-repl', createdDaysAgo: 300, replicaRegions: ['eu-west-1'] },
          { name: 'replica-of', primaryOf: 'us-west-2', lastAccessedDaysAgo: 100 },
          { name: 'to-delete', lastAccessedDaysAgo: 150 },
          { name: 'to-delete-7', lastAccessedDaysAgo: 150 },
        ],
      },
    },
    'eu-west-1': {
      secretsManager: { secrets: Array.from({ length: MANY }, (_, i) => ({ name: `app/s-${i}`, ...(i % 2 === 0 ? { lastAccessedDaysAgo: 3 } : {}) })) },
    },
  },
};

// A test rate (the widely quoted $0.40 per secret-month), written out by hand.
const PRICES = regionPrices('us-east-1', [[SECRET_MONTH, 0.4]]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === 'us-east-1' ? PRICES : null, now: NOW, ...over });
}

function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(h, ctxFor(region, over));
}

const arn = (name: string): string => secretArn('us-east-1', ACCOUNT, name);
const byName = (list: Finding[], name: string): Finding => findingById(list, arn(name));
const secret = (name: string) => s.sim.state.region('us-east-1').secretsManager.secrets.get(name)!;

/** A delete context whose audit log also records each call's outcome (as the cleanup's audit rows do). */
const auditing = (over: Partial<HandlerContext> = {}) => withOutcomes(recordingDeleteContext({ ...ctxFor('us-east-1', over) }));

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('secretsmanager:secret scan', () => {
  it('lists every secret but those scheduled for deletion; the id is the ARN', () => {
    expect(east.map((f) => f.name).sort()).toEqual(
      ['keep', 'never-old', 'never-young', 'old-unused', 'primary-repl', 'rds!db-1234', 'recent', 'replica-of', 'to-delete', 'to-delete-7'].sort(),
    );
    expect(byName(east, 'recent').resourceId).toMatch(/^arn:aws:secretsmanager:us-east-1:111122223333:secret:recent-[A-Za-z0-9]{6}$/);
  });

  it('not accessed for more than 90 days: unused since that date; priced one secret-month', () => {
    const f = byName(east, 'old-unused');
    expect(f).toMatchObject({ unused: true, unusedReason: 'Not accessed since 2026-07-28 (120 days)', unusedSince: '2026-07-28T00:00:00.000Z', protected: false });
    expect(f.monthlyCost).toBeCloseTo(0.4, 6);
    expect(f.costBasis).toBe('1 secret × $0.40 per month (us-east-1)');
    expect(byName(east, 'recent')).toMatchObject({ unused: false, unusedReason: null });
  });

  it('never accessed: unused when created more than 90 days ago, not when young', () => {
    expect(byName(east, 'never-old')).toMatchObject({ unused: true, unusedReason: 'Never accessed; created 200 days ago (2026-05-09)' });
    expect(byName(east, 'never-young')).toMatchObject({ unused: false });
    expect(byName(east, 'never-young').details['judgement']).toBe('Never accessed, but created only 30 days ago (flagged from 90)');
  });

  it('a secret another service owns is not judged', () => {
    const f = byName(east, 'rds!db-1234');
    expect(f).toMatchObject({ unused: false });
    expect(f.details).toMatchObject({ owningService: 'rds', judgement: 'Not judged: managed by rds, which created it' });
  });

  it('the protection tag protects', () => {
    expect(byName(east, 'keep')).toMatchObject({ unused: true, protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
  });

  it('a replicated primary and a replica are flagged but their delete is refused with the reason', () => {
    const p = byName(east, 'primary-repl');
    expect(p).toMatchObject({ unused: true });
    expect(p.details['replicaRegions']).toEqual(['eu-west-1']);
    expect(p.costBasis).toBe('1 secret × $0.40 per month (us-east-1); its replicas (eu-west-1) bill separately in their Regions');
    expect(h.actionRefusal?.(p, 'delete')).toMatch(/^Replicated to eu-west-1: AWS deletes a primary only after RemoveRegionsFromReplication/);
    const r = byName(east, 'replica-of');
    expect(r).toMatchObject({ unused: true });
    expect(h.actionRefusal?.(r, 'delete')).toMatch(/^A replica of the secret in us-west-2/);
    expect(h.actionRefusal?.(byName(east, 'old-unused'), 'delete')).toBeNull();
  });

  it('the age is a kind setting; unknown prices are unknown', async () => {
    const found = await scan('us-east-1', { prices: null, settings: { ...DEFAULT_HANDLER_SETTINGS, kinds: { [SECRET_UNUSED_DAYS_SETTING]: 20 } } });
    expect(byName(found, 'never-young')).toMatchObject({ unused: true, monthlyCost: null, costBasis: 'Cost unknown: no Secrets Manager secret price (us-east-1)' });
  });

  it('a scan pages ListSecrets (≤ 100) and describes only unused primaries of the Region', async () => {
    s.sim.resetCounts();
    await scan('us-east-1');
    expect(s.sim.counts().byOperation).toEqual({ 'secretsmanager:ListSecrets': 1, 'secretsmanager:DescribeSecret': 1 });
    s.sim.resetCounts();
    const found = await scan('eu-west-1');
    expect(found).toHaveLength(MANY);
    expect(found.filter((f) => f.unused)).toHaveLength(MANY / 2);
    expect(s.sim.counts().byOperation).toEqual({ 'secretsmanager:ListSecrets': Math.ceil(MANY / 100) });
  });

  it('a denied secretsmanager:ListSecrets fails the scan naming the action', async () => {
    s.sim.state.deny.add('secretsmanager:ListSecrets');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/secretsmanager:ListSecrets/);
    } finally {
      s.sim.state.deny.delete('secretsmanager:ListSecrets');
    }
  });
});

describe('secretsmanager:secret re-check and delete', () => {
  it('re-checks unchanged; an access since the review changes it', async () => {
    const f = byName(east, 'old-unused');
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'unchanged' });
    const sec = secret('old-unused');
    const before = sec.lastAccessedAt;
    sec.lastAccessedAt = new Date('2026-11-25T00:00:00Z');
    try {
      expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'changed', reason: 'Accessed since the review (on 2026-11-25)' });
    } finally {
      sec.lastAccessedAt = before;
    }
  });

  it('a replicated primary is refused again at the re-check; a protected one is protected', async () => {
    expect(await h.recheck(ctxFor('us-east-1'), stored(byName(east, 'primary-repl')))).toMatchObject({ status: 'changed', reason: expect.stringMatching(/^Replicated to eu-west-1/) });
    expect(await h.recheck(ctxFor('us-east-1'), stored(byName(east, 'keep')))).toMatchObject({ status: 'protected' });
  });

  it('a dry run sends nothing; refused secrets send nothing', async () => {
    s.sim.resetCounts();
    expect(await h.delete(auditing(), stored(byName(east, 'to-delete')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    for (const n of ['keep', 'primary-repl', 'replica-of']) {
      const ctx = auditing();
      expect(await h.delete(ctx, stored(byName(east, n)), { dryRun: false })).toMatchObject({ kind: 'refused' });
      expect(ctx.log).toEqual([]);
    }
    expect(s.sim.counts().total).toBe(0);
  });

  it('schedules deletion with a 30-day window through the audit log, restorable until then; nothing else changes', async () => {
    const f = byName(east, 'to-delete');
    const ctx = auditing();
    expect(await h.delete(ctx, stored(f), { dryRun: false })).toEqual({
      kind: 'deleted',
      calls: [`DeleteSecret ${f.resourceId} (30-day recovery window: restorable until 2026-12-25)`],
    });
    expect(ctx.rows).toEqual([{ call: { action: 'DeleteSecret', target: f.resourceId, dryRun: false }, outcome: 'succeeded' }]);
    const sec = secret('to-delete');
    expect(sec.deletedAt).not.toBeNull();
    expect(sec.deletionDate!.getTime() - sec.deletedAt!.getTime()).toBe(30 * 86_400_000);
    expect([...s.sim.state.region('us-east-1').secretsManager.secrets.values()].filter((x) => x.deletedAt !== null).map((x) => x.name).sort()).toEqual(['pending', 'to-delete']);
    // Gone from the listing, gone for the re-check; a second delete: already scheduled.
    expect((await scan('us-east-1')).some((x) => x.resourceId === f.resourceId)).toBe(false);
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'gone', reason: expect.stringMatching(/^Already scheduled for deletion/) });
    expect(await h.delete(auditing(), stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: [`DeleteSecret ${f.resourceId} (already scheduled for deletion)`] });
    // Restorable.
    await s.clients.client(SecretsManagerClient, 'us-east-1').send(new RestoreSecretCommand({ SecretId: f.resourceId }));
    expect(secret('to-delete').deletedAt).toBeNull();
  });

  it('the recovery window is a setting (7–30)', async () => {
    const f = byName(east, 'to-delete-7');
    const settings = { ...DEFAULT_HANDLER_SETTINGS, kinds: { [SECRET_RECOVERY_DAYS_SETTING]: 7 } };
    expect(await h.delete(auditing({ settings }), stored(f), { dryRun: false })).toEqual({
      kind: 'deleted',
      calls: [`DeleteSecret ${f.resourceId} (7-day recovery window: restorable until 2026-12-02)`],
    });
    const sec = secret('to-delete-7');
    expect(sec.deletionDate!.getTime() - sec.deletedAt!.getTime()).toBe(7 * 86_400_000);
  });

  it('a denied DeleteSecret is unauthorized and audited as failed', async () => {
    s.sim.state.deny.add('secretsmanager:DeleteSecret');
    try {
      const ctx = auditing();
      expect(await h.delete(ctx, stored(byName(east, 'old-unused')), { dryRun: false })).toMatchObject({ kind: 'unauthorized', code: 'AccessDeniedException' });
      expect(ctx.rows.map((r) => r.outcome)).toEqual(['failed AccessDeniedException']);
      expect(secret('old-unused').deletedAt).toBeNull();
    } finally {
      s.sim.state.deny.delete('secretsmanager:DeleteSecret');
    }
  });
});
