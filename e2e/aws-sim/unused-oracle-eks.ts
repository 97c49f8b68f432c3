/**
 * The empty EKS cluster kind's definition of "unused" (handlers/eks-clusters.ts header), evaluated on the simulator
 * state (unused-oracle.ts calls it per region). Written from the rule, not from the handler's code. Protection (the
 * tag, deletion protection) is not considered: a protected cluster is still unused.
 *
 * - `eks:cluster` (id = cluster name): status ACTIVE, created at least 7 days before now (the default grace period), not
 *   EKS Auto Mode, no managed node group, no Fargate profile, and no EC2 instance of the region that is not
 *   `terminated` carrying the tag key `kubernetes.io/cluster/<name>`.
 */
import type { UnusedResource } from './generator';
import type { SimRegion } from './state';

const GRACE_DAYS = 7;
const DAY_MS = 86_400_000;

export function eksUnused(r: SimRegion, _accountId: string, now: Date, out: UnusedResource[]): void {
  const tagged = new Set<string>();
  for (const i of r.instances.values()) {
    if (i.state === 'terminated') continue;
    for (const t of i.tags) if (t.key.startsWith('kubernetes.io/cluster/')) tagged.add(t.key.slice('kubernetes.io/cluster/'.length));
  }
  for (const c of r.eks.clusters.values()) {
    if (c.status !== 'ACTIVE' || c.autoMode) continue;
    if (now.getTime() - c.createdAt.getTime() < GRACE_DAYS * DAY_MS) continue;
    if (c.nodegroups.length > 0 || c.fargateProfiles.length > 0 || tagged.has(c.name)) continue;
    out.push({ type: 'eks:cluster', region: r.name, id: c.name });
  }
}
