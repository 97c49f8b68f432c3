/**
 * Leases: at most one scan and one cleanup per account at a time, whoever runs it — this app, a CLI job on the same
 * database file, or (with the shared PostgreSQL store) another person's machine. Portable SQL only (kysely), so the
 * same code runs on both dialects; migration 0011 has the table.
 *
 * A lease is taken with one INSERT … ON CONFLICT DO NOTHING (atomic: two writers racing cannot both win), after
 * removing an expired one. Its holder renews it while it works (`holdLease` does, every third of its time to live) and
 * removes it when done. A holder that crashed frees the account when its lease expires.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/errors';
import type { Database } from '../schema';

export type LeaseKind = 'scan' | 'cleanup';

export interface LeaseOwner {
  /** Unique per process (a pid alone repeats across machines). */
  id: string;
  host: string;
  user: string | null;
  pid: number | null;
}

export interface LeaseHolder {
  host: string;
  user: string | null;
  pid: number | null;
  since: string;
  expiresAt: string;
}

function osUser(): string | null {
  try {
    return os.userInfo().username || null;
  } catch {
    return null;
  }
}

/** This process as a lease owner. */
export const THIS_PROCESS: LeaseOwner = { id: crypto.randomUUID(), host: os.hostname(), user: osUser(), pid: process.pid };

/**
 * One run of this process as a lease owner: this process's host, user and pid, an id of its own (`<process id>:<run>`),
 * so that a second run of the same account in this process is refused like any other, and its end frees only its own
 * lease. `ownedByThisProcess` tells this process's runs apart from others'.
 */
/** The runs of this process that hold (or are taking) a lease now: one of ours not in here is a leftover. */
const liveRuns = new Set<string>();

export function runOwner(): LeaseOwner {
  return { ...THIS_PROCESS, id: `${THIS_PROCESS.id}:${crypto.randomUUID()}` };
}

/** Whether a process of this host is alive (a signal-0 probe: ESRCH = gone; EPERM = alive, another user's). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How long a lease lives without renewal: a crashed holder blocks its account at most this long. */
export const LEASE_TTL_MS = 60_000;

export type AcquireResult = { ok: true } | { ok: false; holder: LeaseHolder };

/**
 * Takes the account's `kind` lease for `owner`, or says who holds it. Taking a lease one already holds renews it.
 */
export async function acquireLease(
  db: Kysely<Database>,
  q: { accountId: string; kind: LeaseKind; owner?: LeaseOwner; ttlMs?: number; now?: Date },
): Promise<AcquireResult> {
  const owner = q.owner ?? THIS_PROCESS;
  const now = q.now ?? new Date();
  const iso = now.toISOString();
  const expires = new Date(now.getTime() + (q.ttlMs ?? LEASE_TTL_MS)).toISOString();
  // Single statements, each atomic on its own (no transaction: two SQLite connections of one process would wait on
  // each other's open transaction): remove an expired lease, try to insert ours, and if another row won, read it.
  for (let attempt = 0; attempt < 3; attempt++) {
    await db.deleteFrom('run_leases').where('account_id', '=', q.accountId).where('kind', '=', q.kind).where('expires_at', '<=', iso).execute();
    const inserted = await db
      .insertInto('run_leases')
      .values({
        account_id: q.accountId,
        kind: q.kind,
        owner_id: owner.id,
        owner_host: owner.host,
        owner_user: owner.user,
        owner_pid: owner.pid,
        acquired_at: iso,
        renewed_at: iso,
        expires_at: expires,
      })
      .onConflict((oc) => oc.columns(['account_id', 'kind']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { ok: true };
    const row = await db.selectFrom('run_leases').selectAll().where('account_id', '=', q.accountId).where('kind', '=', q.kind).executeTakeFirst();
    if (row === undefined) continue; // released between the two statements: try again
    if (row.owner_id === owner.id) {
      // Ours already: taking it again renews it.
      if (await renewLease(db, { ...q, owner, now })) return { ok: true };
      continue;
    }
    // A leftover is taken over at once, not when it expires: a run of this very process that is no longer running (its
    // end could not remove its lease: the database went away under it), or a holder of this host whose process is gone
    // (the app crashed and was started again; a pid reused since then keeps it until it expires: the safe side).
    const leftover =
      (row.owner_id.startsWith(`${THIS_PROCESS.id}:`) && !liveRuns.has(row.owner_id)) ||
      (row.owner_host === owner.host && row.owner_pid !== null && row.owner_pid !== process.pid && !pidAlive(row.owner_pid));
    if (leftover) {
      await db.deleteFrom('run_leases').where('account_id', '=', q.accountId).where('kind', '=', q.kind).where('owner_id', '=', row.owner_id).execute();
      continue;
    }
    return { ok: false, holder: { host: row.owner_host, user: row.owner_user, pid: row.owner_pid, since: row.acquired_at, expiresAt: row.expires_at } };
  }
  throw new AppError('conflict', `The ${q.kind} lease of ${q.accountId} changed hands three times while it was being taken; try again.`);
}

/** Extends the lease if `owner` still holds it; false when it was lost (expired and taken by someone else). */
export async function renewLease(
  db: Kysely<Database>,
  q: { accountId: string; kind: LeaseKind; owner?: LeaseOwner; ttlMs?: number; now?: Date },
): Promise<boolean> {
  const owner = q.owner ?? THIS_PROCESS;
  const now = q.now ?? new Date();
  const res = await db
    .updateTable('run_leases')
    .set({ renewed_at: now.toISOString(), expires_at: new Date(now.getTime() + (q.ttlMs ?? LEASE_TTL_MS)).toISOString() })
    .where('account_id', '=', q.accountId)
    .where('kind', '=', q.kind)
    .where('owner_id', '=', owner.id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function releaseLease(db: Kysely<Database>, q: { accountId: string; kind: LeaseKind; owner?: LeaseOwner }): Promise<void> {
  const owner = q.owner ?? THIS_PROCESS;
  await db.deleteFrom('run_leases').where('account_id', '=', q.accountId).where('kind', '=', q.kind).where('owner_id', '=', owner.id).execute();
}

/** The current (unexpired) holders of an account's leases, for the UI ("Scan running on alice-laptop since 10:02"). */
export async function currentLeases(
  db: Kysely<Database>,
  accountId: string,
  now: Date = new Date(),
  exceptOwner?: LeaseOwner,
): Promise<Array<LeaseHolder & { kind: LeaseKind }>> {
  let q = db.selectFrom('run_leases').selectAll().where('account_id', '=', accountId).where('expires_at', '>', now.toISOString());
  // Leaving out an owner leaves out its runs too (`<owner id>:<run>`, runOwner).
  if (exceptOwner) q = q.where('owner_id', '<>', exceptOwner.id).where('owner_id', 'not like', `${exceptOwner.id}:%`);
  const rows = await q.orderBy('kind').execute();
  return rows.map((r) => ({ kind: r.kind, host: r.owner_host, user: r.owner_user, pid: r.owner_pid, since: r.acquired_at, expiresAt: r.expires_at }));
}

/** "A scan of 111122223333 is running on alice-laptop (alice, pid 4242) since 2026-12-07 10:02 UTC." */
export function leaseHeldMessage(kind: LeaseKind, accountId: string, h: LeaseHolder): string {
  const who = [h.user, h.pid !== null ? `pid ${h.pid}` : null].filter((x) => x !== null).join(', ');
  const since = `${h.since.slice(0, 10)} ${h.since.slice(11, 16)} UTC`;
  return `A ${kind} of ${accountId} is running on ${h.host}${who ? ` (${who})` : ''} since ${since}. Try again when it ends (a crashed run frees the account by ${h.expiresAt.slice(11, 16)} UTC).`;
}

/**
 * Runs `fn` holding the account's `kind` lease, as a run of its own (runOwner: a second run of the same account, in this
 * process or another, is refused with a `conflict` error naming the holder). The lease is renewed every third of its
 * time to live while `fn` runs, and released after, whatever `fn` does. If it is lost — renewal finds it taken, or
 * fails until the lease has expired — `fn`'s signal aborts: two runs must never go on at once.
 */
export async function holdLease<T>(
  db: Kysely<Database>,
  q: { accountId: string; kind: LeaseKind; owner?: LeaseOwner; ttlMs?: number },
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const lease = { ...q, owner: q.owner ?? runOwner() };
  liveRuns.add(lease.owner.id);
  let got: AcquireResult;
  try {
    got = await acquireLease(db, lease);
  } catch (e) {
    liveRuns.delete(lease.owner.id);
    throw e;
  }
  if (!got.ok) {
    liveRuns.delete(lease.owner.id);
    throw new AppError('conflict', leaseHeldMessage(q.kind, q.accountId, got.holder), { reason: `${q.kind}_running_elsewhere`, holder: got.holder });
  }
  const ttl = q.ttlMs ?? LEASE_TTL_MS;
  const lost = new AbortController();
  let renewedAt = Date.now();
  const renew = async (): Promise<void> => {
    try {
      if (await renewLease(db, lease)) renewedAt = Date.now();
      else lost.abort(new AppError('conflict', `The ${q.kind} of ${q.accountId} lost its lease to another process; it was stopped.`));
    } catch {
      if (Date.now() - renewedAt >= ttl) lost.abort(new AppError('conflict', `The ${q.kind} of ${q.accountId} could not renew its lease before it expired; it was stopped.`));
    }
  };
  const timer = setInterval(() => void renew(), Math.max(1000, Math.floor(ttl / 3)));
  timer.unref();
  try {
    return await fn(lost.signal);
  } finally {
    clearInterval(timer);
    liveRuns.delete(lease.owner.id);
    await releaseLease(db, lease).catch(() => undefined);
  }
}
