/** TEST-ONLY: deterministic synthetic findings (no imports at runtime: specs use them as the sort/filter oracle). */
import type { Finding, ResourceType } from '../../src/main/handlers/handler';

const TYPES: { type: ResourceType; prefix: string; reason: string }[] = [
  { type: 'ec2:volume', prefix: 'vol-', reason: 'Not attached to any instance (state available)' },
  { type: 'ec2:snapshot', prefix: 'snap-', reason: 'Its source volume no longer exists and no AMI uses it' },
  { type: 'ec2:elastic-ip', prefix: 'eipalloc-', reason: 'Not associated with any instance or network interface' },
  { type: 'ec2:image', prefix: 'ami-', reason: 'No instance or launch template uses it' },
  { type: 'ec2:instance', prefix: 'i-', reason: 'Stopped by the user more than 30 days ago' },
];
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2', 'sa-east-1'];

/** Deterministic: finding i always has the same id, region, type, cost and age. */
export function syntheticFinding(i: number, now = Date.parse('2026-11-25T12:00:00Z')): Finding {
  const t = TYPES[i % TYPES.length]!;
  const region = REGIONS[Math.floor(i / TYPES.length) % REGIONS.length]!;
  const ageDays = 1 + ((i * 7919) % 900);
  const unknownCost = i % 97 === 0;
  return {
    resourceType: t.type,
    resourceId: `${t.prefix}${(0x100000000000 + i).toString(16).padStart(17, '0')}`,
    region,
    name: i % 3 === 0 ? `seed-${i}` : null,
    state: t.type === 'ec2:instance' ? 'stopped' : 'available',
    tags: i % 3 === 0 ? { Name: `seed-${i}`, team: `team-${i % 11}` } : {},
    createdAt: new Date(now - (ageDays + 10) * 86_400_000).toISOString(),
    unused: true,
    unusedReason: t.reason,
    unusedSince: new Date(now - ageDays * 86_400_000).toISOString(),
    monthlyCost: unknownCost ? null : Math.round(((i * 2654435761) % 100_000) / 10) / 100,
    costBasis: unknownCost ? 'No price for this configuration' : 'synthetic',
    protected: i % 50 === 0,
    protectedReason: i % 50 === 0 ? 'Tag cloud-cleaner:keep=true' : null,
    details: { seeded: true, index: i },
  };
}

