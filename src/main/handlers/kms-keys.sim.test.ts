/**
 * The disabled KMS key kind against the simulator (real KMS SDK client over HTTP): disabled customer keys found, enabled
 * and pending-deletion keys not, AWS managed keys never listed (and never described), the protection tag, rotations in
 * the cost, the scan's call budget (DescribeKey only for keys no `alias/aws/*` alias names, ListKeyRotations only for
 * disabled keys), the re-check, the refused multi-Region primary and the audited 30-day ScheduleKeyDeletion.
 */
import { CancelKeyDeletionCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import type { KmsKeyFixture } from '../../../e2e/aws-sim/kms-state';
import type { UnusedResource } from '../../../e2e/aws-sim/generator';
import { kmsUnused } from '../../../e2e/aws-sim/unused-oracle-kms';
import { KMS_KEY_MONTH } from '../pricing/keys/kms';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import type { Finding, HandlerContext } from './handler';
import { disabledKmsKeysHandler as h, KMS_ACTIONS, MULTI_REGION_PRIMARY_REFUSAL } from './kms-keys';
import { findingById as byId, kindContext, scanAll, storedFinding as stored } from './sim-kind-harness';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const KEEP = { 'cloud-cleaner:keep': 'true' };
const kid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const mrk = (n: number): string => `mrk-${n.toString(16).padStart(32, '0')}`;

const DISABLED = kid(1);
const ENABLED = kid(2);
const AWS_EBS = kid(3);
const PENDING = kid(4);
const KEPT = kid(5);
const ROTATED = kid(6);
const ASYM = kid(7);
const PRIMARY = mrk(8);
const REPLICA = mrk(9);
const TO_SCHEDULE = kid(10);
const RE_ENABLED = kid(11);

const MANY = 150;
const MANY_AWS = 30;
const MANY_DISABLED = 50;

const EAST_KEYS: KmsKeyFixture[] = [
  { id: DISABLED, state: 'Disabled', aliases: ['alias/old-app'] },
  { id: ENABLED, aliases: ['alias/live'] },
  { id: AWS_EBS, manager: 'AWS', aliases: ['alias/aws/ebs'], state: 'Disabled' },
  { id: PENDING, state: 'PendingDeletion' },
  { id: KEPT, state: 'Disabled', tags: KEEP },
  { id: ROTATED, state: 'Disabled', rotations: 3 },
  { id: ASYM, state: 'Disabled', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' },
  { id: PRIMARY, state: 'Disabled', multiRegion: { role: 'PRIMARY', replicaRegions: ['eu-west-1'] } },
  { id: REPLICA, state: 'Disabled', multiRegion: { role: 'REPLICA', primaryRegion: 'eu-west-1' } },
  { id: TO_SCHEDULE, state: 'Disabled', rotations: 1 },
  { id: RE_ENABLED, state: 'Disabled' },
];

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': { kms: { keys: EAST_KEYS } },
    'eu-west-1': {
      kms: {
        keys: Array.from({ length: MANY }, (_, i) => ({
          id: kid(1000 + i),
          ...(i < MANY_AWS ? { manager: 'AWS' as const, aliases: [`alias/aws/svc${i}`] } : {}),
          ...(i >= MANY_AWS && i < MANY_AWS + MANY_DISABLED ? { state: 'Disabled' as const } : {}),
        })),
      },
    },
  },
};

const PRICES = regionPrices('us-east-1', [[KMS_KEY_MONTH, 1]]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === 'us-east-1' ? PRICES : null, now: NOW, ...over });
}

function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(h, ctxFor(region, over));
}

const kms = () => s.sim.state.region('us-east-1').kms;
const del = () => recordingDeleteContext({ ...ctxFor('us-east-1') });

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('kms:key scan', () => {
  it('reports customer managed keys only (AWS managed keys never)', () => {
    expect(east.map((f) => f.resourceId).sort()).toEqual(EAST_KEYS.filter((k) => k.manager !== 'AWS').map((k) => k.id).sort());
  });

  it('the unused keys are exactly the oracle’s (unused-oracle-kms.ts)', () => {
    const want: UnusedResource[] = [];
    kmsUnused(s.sim.state.region('us-east-1'), ACCOUNT, NOW, want);
    expect(east.filter((f) => f.unused).map((f) => f.resourceId).sort()).toEqual(want.map((u) => u.id).sort());
    expect(want.length).toBeGreaterThan(3);
  });

  it('a disabled customer key is unused, priced $1/month; since unknown; named by its alias', () => {
    expect(byId(east, DISABLED)).toMatchObject({
      unused: true,
      unusedReason: 'A customer managed key that is disabled: nothing can encrypt or decrypt with it, and it still bills',
      unusedSince: null,
      state: 'Disabled',
      name: 'alias/old-app',
      monthlyCost: 1,
      costBasis: '1 × $1.00 per key-month (the key; no rotated backing keys) (us-east-1)',
      protected: false,
    });
  });

  it('rotated backing keys add $1 each for the first two rotations only; a key that cannot rotate has none', () => {
    expect(byId(east, ROTATED)).toMatchObject({ monthlyCost: 3, costBasis: '3 × $1.00 per key-month (the key; 3 rotations, 2 billed (only the first two rotations add a charge)) (us-east-1)' });
    expect(byId(east, ROTATED).details['rotations']).toBe(3);
    expect(byId(east, ASYM)).toMatchObject({ unused: true, monthlyCost: 1 });
  });

  it('an enabled key is in use (not priced); a key pending deletion is not unused and free', () => {
    expect(byId(east, ENABLED)).toMatchObject({ unused: false, monthlyCost: null, state: 'Enabled' });
    expect(byId(east, PENDING)).toMatchObject({ unused: false, monthlyCost: 0, state: 'PendingDeletion' });
    expect(byId(east, PENDING).details['deletionDate']).not.toBeNull();
  });

  it('the protection tag protects (tags from one tag:GetResources listing)', () => {
    expect(byId(east, KEPT)).toMatchObject({ unused: true, protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
  });

  it('unknown prices are unknown, never $0', async () => {
    const found = await scan('us-east-1', { prices: null });
    expect(byId(found, DISABLED)).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no KMS key-month price for us-east-1' });
  });

  it('calls: ListAliases and ListKeys paged, DescribeKey only for keys no alias/aws/* names, ListKeyRotations only for disabled keys', async () => {
    s.sim.resetCounts();
    const found = await scan('eu-west-1', { pageSize: 100 });
    expect(found).toHaveLength(MANY - MANY_AWS);
    expect(found.filter((f) => f.unused)).toHaveLength(MANY_DISABLED);
    expect(s.sim.counts().byOperation).toEqual({
      'kms:ListAliases': 1,
      'kms:ListKeys': 2,
      'kms:DescribeKey': MANY - MANY_AWS,
      'kms:ListKeyRotations': MANY_DISABLED,
      'tagging:GetResources': 1,
    });
  });

  it('a denied kms:ListKeys fails the scan naming the action', async () => {
    s.sim.state.deny.add('kms:ListKeys');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/kms:ListKeys/);
    } finally {
      s.sim.state.deny.delete('kms:ListKeys');
    }
  });

  it('a denied kms:ListKeyRotations leaves the cost unknown, naming the read', async () => {
    s.sim.state.deny.add('kms:ListKeyRotations');
    try {
      const found = await scan('us-east-1');
      expect(byId(found, DISABLED).monthlyCost).toBeNull();
      expect(byId(found, DISABLED).costBasis).toMatch(/its rotations could not be read \(kms:ListKeyRotations\)/);
    } finally {
      s.sim.state.deny.delete('kms:ListKeyRotations');
    }
  });
});

describe('kms:key re-check and schedule deletion', () => {
  it('the one action: schedule deletion in 30 days, with the warning', () => {
    expect(KMS_ACTIONS.map((a) => [a.id, a.label])).toEqual([['schedule-deletion', 'Schedule deletion in 30 days']]);
    expect(KMS_ACTIONS[0]?.warning).toMatch(/^Data encrypted with this key \(snapshots, objects, secrets\) becomes unreadable once the key is deleted; CancelKeyDeletion undoes it until/);
    expect(h.verification.method).toBe('permission-check');
  });

  it('re-check: unchanged while disabled; changed when enabled again; protected by tag', async () => {
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, DISABLED)))).toMatchObject({ status: 'unchanged' });
    kms().keys.get(RE_ENABLED)!.state = 'Enabled';
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, RE_ENABLED)))).toMatchObject({ status: 'changed', reason: 'The key is Enabled now, not Disabled' });
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, KEPT)))).toMatchObject({ status: 'protected', reason: 'Tagged cloud-cleaner:keep=true' });
  });

  it('a multi-Region primary with replicas is refused with the reason (plan, re-check and delete); its replica is not', async () => {
    const f = byId(east, PRIMARY);
    expect(h.actionRefusal?.(f, 'schedule-deletion')).toBe(MULTI_REGION_PRIMARY_REFUSAL(['eu-west-1']));
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'changed', reason: MULTI_REGION_PRIMARY_REFUSAL(['eu-west-1']) });
    const ctx = del();
    expect(await h.delete(ctx, stored(f), { dryRun: false })).toEqual({ kind: 'refused', reason: MULTI_REGION_PRIMARY_REFUSAL(['eu-west-1']) });
    expect(ctx.log).toEqual([]);
    expect(h.actionRefusal?.(byId(east, REPLICA), 'schedule-deletion')).toBeNull();
  });

  it('a dry run sends nothing', async () => {
    s.sim.resetCounts();
    expect(await h.delete(del(), stored(byId(east, TO_SCHEDULE)), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(s.sim.counts().total).toBe(0);
  });

  it('schedules deletion with a 30-day window through the audit log; the outcome names the date; CancelKeyDeletion undoes it', async () => {
    const f = byId(east, TO_SCHEDULE);
    const ctx = del();
    const before = Date.now();
    const out = await h.delete(ctx, stored(f), { dryRun: false });
    expect(ctx.log).toEqual([{ action: 'ScheduleKeyDeletion', target: TO_SCHEDULE, dryRun: false }]);
    const k = kms().keys.get(TO_SCHEDULE)!;
    expect(k.state).toBe('PendingDeletion');
    expect(k.pendingWindowInDays).toBe(30);
    const days = (k.deletionDate!.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(30);
    expect(days).toBeLessThan(30.01);
    expect(out).toEqual({
      kind: 'deleted',
      calls: [`ScheduleKeyDeletion ${TO_SCHEDULE} (30-day window; deletion on ${k.deletionDate!.toISOString()}; CancelKeyDeletion undoes it until then)`],
    });
    // The re-check now says gone (pending deletion is free and on its way out); a second run is "already pending".
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'gone' });
    expect(await h.delete(del(), stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: [`ScheduleKeyDeletion ${TO_SCHEDULE} (30-day window; already pending deletion)`] });
    // Restorable: CancelKeyDeletion brings it back, disabled.
    const client = s.clients.client(KMSClient, 'us-east-1');
    await client.send(new CancelKeyDeletionCommand({ KeyId: TO_SCHEDULE }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: TO_SCHEDULE }))).KeyMetadata?.KeyState).toBe('Disabled');
  });

  it('refuses a protected key without sending anything', async () => {
    s.sim.resetCounts();
    const ctx = del();
    expect(await h.delete(ctx, stored(byId(east, KEPT)), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=true' });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('a denied ScheduleKeyDeletion is unauthorized and leaves the key as it was', async () => {
    s.sim.state.deny.add('kms:ScheduleKeyDeletion');
    try {
      expect(await h.delete(del(), stored(byId(east, DISABLED)), { dryRun: false })).toMatchObject({ kind: 'unauthorized', code: 'AccessDeniedException' });
      expect(kms().keys.get(DISABLED)?.state).toBe('Disabled');
    } finally {
      s.sim.state.deny.delete('kms:ScheduleKeyDeletion');
    }
  });

  it('a key deleted meanwhile is gone at the re-check', async () => {
    kms().keys.delete(ASYM);
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, ASYM)))).toMatchObject({ status: 'gone', reason: 'The key no longer exists' });
  });
});
