/**
 * The disabled KMS key kind's definition of "unused" (handlers/kms-keys.ts header), evaluated on the simulator state
 * (unused-oracle.ts calls it per region). Written from the rule, not from the handler's code. Protection (the tag) is
 * not considered: a protected key is still unused.
 *
 * - `kms:key` (id = key id): KeyManager CUSTOMER and KeyState `Disabled`. AWS managed keys never; keys pending deletion
 *   (PendingDeletion, PendingReplicaDeletion) are free and not findings; Enabled keys are in use.
 */
import type { UnusedResource } from './generator';
import type { SimRegion } from './state';

export function kmsUnused(r: SimRegion, _accountId: string, _now: Date, out: UnusedResource[]): void {
  for (const k of r.kms.keys.values()) {
    if (k.manager === 'CUSTOMER' && k.state === 'Disabled') out.push({ type: 'kms:key', region: r.name, id: k.keyId });
  }
}
