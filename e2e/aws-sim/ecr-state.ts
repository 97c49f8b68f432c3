/**
 * ECR in the simulated account: each region's private repositories and their images (`sim.state.region('eu-west-1').ecr`),
 * the fixture section `resources[region].ecr` and its loader. services/ecr.ts answers the JSON 1.1 API from it;
 * `taggedResources()` feeds the Resource Groups Tagging API (repositories only: images have no tags of their own in
 * AWS, only image *tags*, which are names).
 *
 * An image is identified by its digest (`sha256:<64 hex>`) and may carry several image tags (`latest`, `v1.2`); an image
 * with none is "untagged". `lastPulledAt` is ECR's `lastRecordedPullTime` (absent: never pulled, or pulled before ECR
 * recorded pulls).
 */
import { createHash } from 'node:crypto';
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

export interface SimEcrImage {
  digest: string;
  /** Image tags (names), in the order they were pushed; empty: untagged. */
  imageTags: string[];
  sizeBytes: number;
  pushedAt: Date;
  /** ECR's lastRecordedPullTime; null: never recorded. */
  lastPulledAt: Date | null;
}

export interface SimEcrRepository {
  name: string;
  arn: string;
  uri: string;
  createdAt: Date;
  tags: SimTag[];
  /** Images by digest. */
  images: Map<string, SimEcrImage>;
}

export interface EcrImageFixture {
  /** Default: a digest derived from the repository name and the image's position. */
  digest?: string;
  /** Image tags (names); default none (untagged). */
  imageTags?: string[];
  /** Default 50 MiB. */
  sizeBytes?: number;
  /** Default 200. */
  pushedDaysAgo?: number;
  /** Days since the last recorded pull; absent or null: never pulled. */
  lastPulledDaysAgo?: number | null;
}

export interface EcrRepositoryFixture {
  /** 2–256 characters: lower-case letters, digits and `._-/` (AWS's rule, simplified). */
  name: string;
  createdDaysAgo?: number; // default 400
  tags?: FixtureTags;
  images?: EcrImageFixture[];
}

/** The fixture section `resources[region].ecr`. */
export interface EcrRegionFixture {
  repositories?: EcrRepositoryFixture[];
}

export const REPOSITORY_NAME_PATTERN = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DAY_MS = 86_400_000;

export function ecrRepositoryArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
}

/** A deterministic digest for a fixture image without one. */
export function fixtureDigest(repository: string, index: number): string {
  return `sha256:${createHash('sha256').update(`${repository}#${index}`).digest('hex')}`;
}

export class SimEcrRegion {
  /** Repositories by name. */
  readonly repositories = new Map<string, SimEcrRepository>();

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [...this.repositories.values()].map((r) => ({ arn: r.arn, resourceType: 'ecr:repository', tags: r.tags.map((t) => ({ ...t })) }));
  }
}

export function loadEcrFixture(into: SimEcrRegion, fx: EcrRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  const ago = (days: number): Date => new Date(ctx.now.getTime() - days * DAY_MS);
  for (const r of fx.repositories ?? []) {
    if (!REPOSITORY_NAME_PATTERN.test(r.name)) throw new Error(`fixture: ECR repository name ${r.name} breaks AWS's naming rule`);
    if (into.repositories.has(r.name)) throw new Error(`fixture: ECR repository ${r.name} appears twice in ${ctx.region}`);
    const images = new Map<string, SimEcrImage>();
    (r.images ?? []).forEach((i, n) => {
      const digest = i.digest ?? fixtureDigest(r.name, n);
      if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`fixture: ECR image digest ${digest} is not sha256:<64 hex>`);
      if (images.has(digest)) throw new Error(`fixture: ECR image ${digest} appears twice in ${r.name}`);
      images.set(digest, {
        digest,
        imageTags: [...(i.imageTags ?? [])],
        sizeBytes: i.sizeBytes ?? 50 * 1024 * 1024,
        pushedAt: ago(i.pushedDaysAgo ?? 200),
        lastPulledAt: i.lastPulledDaysAgo === undefined || i.lastPulledDaysAgo === null ? null : ago(i.lastPulledDaysAgo),
      });
    });
    // An image tag names one image in a repository.
    const seen = new Set<string>();
    for (const img of images.values()) {
      for (const t of img.imageTags) {
        if (seen.has(t)) throw new Error(`fixture: ECR image tag ${t} names two images in ${r.name}`);
        seen.add(t);
      }
    }
    into.repositories.set(r.name, {
      name: r.name,
      arn: ecrRepositoryArn(ctx.region, ctx.accountId, r.name),
      uri: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${r.name}`,
      createdAt: ago(r.createdDaysAgo ?? 400),
      tags: Object.entries(r.tags ?? {}).map(([key, value]) => ({ key, value })),
      images,
    });
  }
}
