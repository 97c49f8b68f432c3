/**
 * The stale ECR image kind's definition of "unused", evaluated directly on the simulator state (unused-oracle.ts calls
 * it per region). Written from ecr-images.ts's header comment, not from its code. Protection (repository tags) and the
 * newest-image rule (kept by the default action, still flagged) are NOT considered here: such images are still unused.
 *
 * - `ecr:image` (`<repositoryName>@<imageDigest>`): an image whose last recorded pull is more than 90 days before now,
 *   or that was never pulled and was pushed more than 90 days before now.
 */
import type { UnusedResource } from './generator';
import type { SimRegion } from './state';

/** ecr:image's default staleness (days). */
const STALE_DAYS = 90;
const DAY_MS = 86_400_000;

export function ecrUnused(r: SimRegion, _accountId: string, now: Date, out: UnusedResource[]): void {
  const cutoff = now.getTime() - STALE_DAYS * DAY_MS;
  for (const repo of r.ecr.repositories.values()) {
    for (const i of repo.images.values()) {
      const last = i.lastPulledAt ?? i.pushedAt;
      if (last.getTime() < cutoff) out.push({ type: 'ecr:image', region: r.name, id: `${repo.name}@${i.digest}` });
    }
  }
}
