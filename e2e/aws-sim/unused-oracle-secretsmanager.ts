/**
 * The unused secret kind's definition of "unused", evaluated directly on the simulator state (unused-oracle.ts calls it
 * per region). Written from secrets-unused.ts's header comment, not from its code. Protection (tags) and the refusal of
 * replicas and replicated primaries are NOT considered here: such secrets are still unused.
 *
 * - `secretsmanager:secret` (ARN): not scheduled for deletion, no owning service, and either last accessed (a UTC day)
 *   more than 90 whole days before today (UTC), or never accessed and created more than 90 whole days before today.
 */
import type { UnusedResource } from './generator';
import type { SimRegion } from './state';

/** secretsmanager:secret's default (days). */
const UNUSED_DAYS = 90;
const DAY_MS = 86_400_000;

export function secretsManagerUnused(r: SimRegion, _accountId: string, now: Date, out: UnusedResource[]): void {
  const today = Math.floor(now.getTime() / DAY_MS);
  const daysAgo = (d: Date): number => today - Math.floor(d.getTime() / DAY_MS);
  for (const s of r.secretsManager.secrets.values()) {
    if (s.deletedAt !== null || s.owningService !== undefined) continue;
    const last = s.lastAccessedAt ?? s.createdAt;
    if (daysAgo(last) > UNUSED_DAYS) out.push({ type: 'secretsmanager:secret', region: r.name, id: s.arn });
  }
}
