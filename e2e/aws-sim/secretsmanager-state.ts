/**
 * Secrets Manager in the simulated account: each region's secrets (`sim.state.region('eu-west-1').secretsManager`), the
 * fixture section `resources[region].secretsManager` and its loader. services/secretsmanager.ts answers the JSON 1.1 API
 * from it; `taggedResources()` feeds the Resource Groups Tagging API (`secretsmanager:secret`).
 *
 * - `lastAccessedAt` is kept at AWS's granularity: the UTC day (LastAccessedDate is "rounded to the date").
 * - Replication: a primary lists its replica Regions (`replicaRegions`); a replica is a secret of its own Region whose
 *   `primaryRegion` names another. The loader reads one Region at a time, so a fixture lists the replica in the replica's
 *   Region itself (same name, `primaryRegion` set) when a test needs it there.
 * - A secret scheduled for deletion keeps answering (with DeletedDate) until its deletion date; the simulator never
 *   removes it by itself.
 */
import { createHash } from 'node:crypto';
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

export interface SimSecret {
  name: string;
  arn: string;
  description?: string;
  createdAt: Date;
  lastChangedAt: Date;
  /** The UTC day of the last access, or null: never retrieved in this Region. */
  lastAccessedAt: Date | null;
  /** Set by DeleteSecret: when it was scheduled for deletion. */
  deletedAt: Date | null;
  /** When a scheduled secret is deleted for good. */
  deletionDate: Date | null;
  owningService?: string;
  /** Set on a primary that has replicas (its own Region) and on a replica (the primary's Region). */
  primaryRegion?: string;
  /** A primary's replica Regions. */
  replicaRegions: string[];
  rotationEnabled: boolean;
  tags: SimTag[];
}

export interface SecretFixture {
  /** 1–512 characters of letters, digits and /_+=.@- . */
  name: string;
  description?: string;
  createdDaysAgo?: number; // default 200
  /** Days since the last access (its UTC day); absent or null: never accessed. */
  lastAccessedDaysAgo?: number | null;
  /** A secret another service created and manages (`rds`, `appflow`, …). */
  owningService?: string;
  /** This secret is a primary replicated to these Regions. */
  replicaRegions?: string[];
  /** This secret is a replica whose primary lives in this Region. */
  primaryOf?: string;
  /** Already scheduled for deletion this many days ago (with a 30-day window). */
  deletedDaysAgo?: number;
  rotationEnabled?: boolean;
  tags?: FixtureTags;
}

/** The fixture section `resources[region].secretsManager`. */
export interface SecretsManagerRegionFixture {
  secrets?: SecretFixture[];
}

// Letters, digits and /_+=.@- (services name their own with `!` too: RDS-managed `rds!db-…`).
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
const DAY_MS = 86_400_000;

/** The UTC day of a time (LastAccessedDate's granularity). */
export function utcDayOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
}

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`: AWS appends six random characters. */
export function secretArn(region: string, accountId: string, name: string): string {
  const suffix = createHash('sha256').update(`${accountId}/${name}`).digest('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6);
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

export class SimSecretsManagerRegion {
  /** Secrets by name (unique per account and Region). */
  readonly secrets = new Map<string, SimSecret>();

  /** A secret by ARN or name. */
  find(id: string): SimSecret | undefined {
    return this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.arn === id);
  }

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [...this.secrets.values()].map((s) => ({ arn: s.arn, resourceType: 'secretsmanager:secret', tags: s.tags.map((t) => ({ ...t })) }));
  }
}

export function loadSecretsManagerFixture(
  into: SimSecretsManagerRegion,
  fx: SecretsManagerRegionFixture | undefined,
  ctx: { region: string; accountId: string; now: Date },
): void {
  if (fx === undefined) return;
  const ago = (days: number): Date => new Date(ctx.now.getTime() - days * DAY_MS);
  for (const s of fx.secrets ?? []) {
    if (!NAME_PATTERN.test(s.name)) throw new Error(`fixture: secret name ${s.name} breaks AWS's rule`);
    if (into.secrets.has(s.name)) throw new Error(`fixture: secret ${s.name} appears twice in ${ctx.region}`);
    if (s.replicaRegions !== undefined && s.primaryOf !== undefined) throw new Error(`fixture: secret ${s.name} cannot be a primary and a replica`);
    const createdAt = ago(s.createdDaysAgo ?? 200);
    const deletedAt = s.deletedDaysAgo === undefined ? null : ago(s.deletedDaysAgo);
    into.secrets.set(s.name, {
      name: s.name,
      arn: secretArn(ctx.region, ctx.accountId, s.name),
      ...(s.description !== undefined ? { description: s.description } : {}),
      createdAt,
      lastChangedAt: createdAt,
      lastAccessedAt: s.lastAccessedDaysAgo === undefined || s.lastAccessedDaysAgo === null ? null : utcDayOf(ago(s.lastAccessedDaysAgo)),
      deletedAt,
      deletionDate: deletedAt === null ? null : new Date(deletedAt.getTime() + 30 * DAY_MS),
      ...(s.owningService !== undefined ? { owningService: s.owningService } : {}),
      ...(s.replicaRegions?.length ? { primaryRegion: ctx.region } : s.primaryOf !== undefined ? { primaryRegion: s.primaryOf } : {}),
      replicaRegions: [...(s.replicaRegions ?? [])],
      rotationEnabled: s.rotationEnabled ?? false,
      tags: Object.entries(s.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
  }
}
