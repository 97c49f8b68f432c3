/**
 * TEST-ONLY. The lease rules, written once and run on both dialects (db/repos/run-leases.test.ts on SQLite, run-leases.pg.test.ts on a
 * real PostgreSQL): two writers, each with its own connection to the same database, as two processes would be.
 */
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { acquireLease, currentLeases, holdLease, releaseLease, renewLease, type LeaseOwner } from '../db/repos/run-leases';

export const ALICE: LeaseOwner = { id: 'owner-alice', host: 'alice-laptop', user: 'alice', pid: 4242 };
export const CRON: LeaseOwner = { id: 'owner-cron', host: 'build-runner', user: 'ci', pid: 77 };
export const ACCOUNT = '111122223333';

/** Two connections to one migrated database holding ACCOUNT. */
export interface TwoWriters {
  a: Kysely<Database>;
  b: Kysely<Database>;
}

export async function racingWritersGetOneLease({ a, b }: TwoWriters): Promise<void> {
  // 20 rounds of both asking at once: exactly one wins each time, the other is told who.
  for (let round = 0; round < 20; round++) {
    const [ra, rb] = await Promise.all([
      acquireLease(a, { accountId: ACCOUNT, kind: 'scan', owner: ALICE }),
      acquireLease(b, { accountId: ACCOUNT, kind: 'scan', owner: CRON }),
    ]);
    expect([ra.ok, rb.ok].filter(Boolean), `round ${round}`).toHaveLength(1);
    const loser = ra.ok ? rb : ra;
    expect(loser.ok).toBe(false);
    if (!loser.ok) expect(loser.holder.host).toBe(ra.ok ? 'alice-laptop' : 'build-runner');
    await releaseLease(a, { accountId: ACCOUNT, kind: 'scan', owner: ALICE });
    await releaseLease(b, { accountId: ACCOUNT, kind: 'scan', owner: CRON });
  }
  // A scan and a cleanup are different leases: both can run.
  expect((await acquireLease(a, { accountId: ACCOUNT, kind: 'scan', owner: ALICE })).ok).toBe(true);
  expect((await acquireLease(b, { accountId: ACCOUNT, kind: 'cleanup', owner: CRON })).ok).toBe(true);
  expect((await currentLeases(a, ACCOUNT)).map((l) => `${l.kind}:${l.host}`)).toEqual(['cleanup:build-runner', 'scan:alice-laptop']);
}

export async function expiredLeaseIsTakenOver({ a, b }: TwoWriters): Promise<void> {
  const t0 = new Date('2026-12-07T10:02:00.000Z');
  expect((await acquireLease(a, { accountId: ACCOUNT, kind: 'scan', owner: ALICE, ttlMs: 60_000, now: t0 })).ok).toBe(true);
  // Alice renews within her time: still hers at +90 s.
  expect(await renewLease(a, { accountId: ACCOUNT, kind: 'scan', owner: ALICE, ttlMs: 60_000, now: new Date(t0.getTime() + 40_000) })).toBe(true);
  const refused = await acquireLease(b, { accountId: ACCOUNT, kind: 'scan', owner: CRON, now: new Date(t0.getTime() + 90_000) });
  expect(refused).toEqual({ ok: false, holder: { host: 'alice-laptop', user: 'alice', pid: 4242, since: t0.toISOString(), expiresAt: '2026-12-07T10:03:40.000Z' } });
  // Alice's process dies (no renewal): at +101 s the lease has expired and the job takes it.
  expect((await acquireLease(b, { accountId: ACCOUNT, kind: 'scan', owner: CRON, now: new Date(t0.getTime() + 101_000) })).ok).toBe(true);
  // Alice, back, cannot renew what she lost, and her release does not free the job's lease.
  expect(await renewLease(a, { accountId: ACCOUNT, kind: 'scan', owner: ALICE, now: new Date(t0.getTime() + 102_000) })).toBe(false);
  await releaseLease(a, { accountId: ACCOUNT, kind: 'scan', owner: ALICE });
  expect((await currentLeases(a, ACCOUNT, new Date(t0.getTime() + 103_000))).map((l) => l.host)).toEqual(['build-runner']);
}

export async function holdLeaseRefusesWithTheOwnersName({ a, b }: TwoWriters): Promise<void> {
  let inside = false;
  const first = holdLease(a, { accountId: ACCOUNT, kind: 'cleanup', owner: ALICE }, async () => {
    inside = true;
    // While Alice holds it, the job is refused with her name and host.
    await expect(holdLease(b, { accountId: ACCOUNT, kind: 'cleanup', owner: CRON }, async () => 'ran')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^A cleanup of 111122223333 is running on alice-laptop \(alice, pid 4242\) since \d{4}-\d\d-\d\d \d\d:\d\d UTC/),
      details: { reason: 'cleanup_running_elsewhere', holder: { host: 'alice-laptop', user: 'alice' } },
    });
    throw new Error('the cleanup failed');
  });
  await expect(first).rejects.toThrow('the cleanup failed');
  expect(inside).toBe(true);
  // Released although it threw: the job now gets it.
  expect(await holdLease(b, { accountId: ACCOUNT, kind: 'cleanup', owner: CRON }, async () => 'ran')).toBe('ran');
  expect(await currentLeases(a, ACCOUNT)).toEqual([]);
}
