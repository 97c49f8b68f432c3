/**
 * KMS in the simulated account: each region's keys and aliases (`sim.state.region('eu-west-1').kms`), the fixture
 * section `resources[region].kms` and its loader. services/kms.ts answers the API (TrentService) from it;
 * `taggedResources()` feeds the Resource Groups Tagging API (resource type `kms:key`).
 *
 * AWS managed keys are modelled as keys with KeyManager AWS and an `alias/aws/<service>` alias, as KMS shows them.
 * Multi-Region keys (ids `mrk-…`) carry their role; a primary lists its replicas' Regions (the replicas themselves live
 * in those Regions' states only when the fixture declares them there too).
 */
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

/** KeyMetadata.KeyState (the SDK's KeyState enum). */
export type SimKeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export interface SimKmsKey {
  keyId: string;
  arn: string;
  manager: 'CUSTOMER' | 'AWS';
  state: SimKeyState;
  createdAt: Date;
  description: string;
  keySpec: string;
  keyUsage: string;
  origin: 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  /** Dates of completed rotations of the key material (ListKeyRotations), oldest first. */
  rotations: Date[];
  multiRegion: { role: 'PRIMARY' | 'REPLICA'; primaryRegion: string; replicaRegions: string[] } | null;
  /** Set while PendingDeletion. */
  deletionDate?: Date;
  /** Set while PendingDeletion / PendingReplicaDeletion. */
  pendingWindowInDays?: number;
  tags: SimTag[];
}

export interface SimKmsAlias {
  name: string;
  targetKeyId: string;
  createdAt: Date;
}

export interface KmsKeyFixture {
  /** A key id (UUID form; `mrk-<32 hex>` for a multi-Region key). */
  id: string;
  /** Default CUSTOMER. AWS: give it an `alias/aws/<service>` alias. */
  manager?: 'CUSTOMER' | 'AWS';
  /** Default Enabled. PendingDeletion gets a deletion date 30 days after the fixture's `now`. */
  state?: Exclude<SimKeyState, 'Creating' | 'Updating'>;
  createdDaysAgo?: number; // default 400
  description?: string;
  keySpec?: string; // default SYMMETRIC_DEFAULT
  keyUsage?: string; // default ENCRYPT_DECRYPT
  origin?: SimKmsKey['origin'];
  /** Completed rotations of its key material (each `daysAgo` before now; default one a year). */
  rotations?: number;
  aliases?: string[];
  /** A multi-Region key: its role, and for a primary the Regions of its replicas. */
  multiRegion?: { role: 'PRIMARY' | 'REPLICA'; primaryRegion?: string; replicaRegions?: string[] };
  tags?: FixtureTags;
}

export interface KmsRegionFixture {
  keys?: KmsKeyFixture[];
}

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

export class SimKmsRegion {
  /** Keys by key id. */
  readonly keys = new Map<string, SimKmsKey>();
  /** Aliases by name (`alias/…`). */
  readonly aliases = new Map<string, SimKmsAlias>();

  /** Every key with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [...this.keys.values()].map((k) => ({ arn: k.arn, resourceType: 'kms:key', tags: k.tags.map((t) => ({ ...t })) }));
  }
}

export function loadKmsFixture(into: SimKmsRegion, fx: KmsRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  for (const k of fx.keys ?? []) {
    if (!KEY_ID.test(k.id)) throw new Error(`fixture: KMS key id ${k.id} is not a key id (UUID, or mrk-<32 hex> for a multi-Region key)`);
    if (k.id.startsWith('mrk-') !== (k.multiRegion !== undefined)) throw new Error(`fixture: KMS key ${k.id}: multi-Region keys, and only they, have mrk- ids`);
    if (into.keys.has(k.id)) throw new Error(`fixture: KMS key ${k.id} appears twice in ${ctx.region}`);
    const createdAt = new Date(ctx.now.getTime() - (k.createdDaysAgo ?? 400) * 86_400_000);
    const state = k.state ?? 'Enabled';
    const rotations = Array.from({ length: k.rotations ?? 0 }, (_, i) => new Date(createdAt.getTime() + (i + 1) * 365 * 86_400_000));
    into.keys.set(k.id, {
      keyId: k.id,
      arn: keyArn(ctx.region, ctx.accountId, k.id),
      manager: k.manager ?? 'CUSTOMER',
      state,
      createdAt,
      description: k.description ?? '',
      keySpec: k.keySpec ?? 'SYMMETRIC_DEFAULT',
      keyUsage: k.keyUsage ?? 'ENCRYPT_DECRYPT',
      origin: k.origin ?? 'AWS_KMS',
      rotations,
      multiRegion: k.multiRegion
        ? { role: k.multiRegion.role, primaryRegion: k.multiRegion.primaryRegion ?? ctx.region, replicaRegions: [...(k.multiRegion.replicaRegions ?? [])] }
        : null,
      ...(state === 'PendingDeletion' ? { deletionDate: new Date(ctx.now.getTime() + 30 * 86_400_000), pendingWindowInDays: 30 } : {}),
      ...(state === 'PendingReplicaDeletion' ? { pendingWindowInDays: 30 } : {}),
      tags: Object.entries(k.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    for (const a of k.aliases ?? []) {
      if (!a.startsWith('alias/')) throw new Error(`fixture: KMS alias ${a} must start with alias/`);
      if (into.aliases.has(a)) throw new Error(`fixture: KMS alias ${a} appears twice in ${ctx.region}`);
      into.aliases.set(a, { name: a, targetKeyId: k.id, createdAt });
    }
  }
}
