/**
 * One scan of one region reads each full listing once, whichever handlers need it.
 *
 * Without sharing, a region's scan listed every volume three times (the volume handler, the snapshot handler's
 * "does the source volume exist", the instance handler's "what does a stopped instance still bill"), every
 * instance twice and every AMI three times: in bench:scan (127,500 resources) 429 listing pages instead of 153,
 * the bulk of the response parsing, and more calls against EC2's request buckets.
 *
 * A listing is a replayable stream of pages: the first consumer starts it, every consumer sees every page in
 * order, the first as it arrives and later ones from the buffer. The scanner makes one inventory per region and
 * drops it when that region's tasks are done. Outside a scan (recheck, delete) there is no inventory and each
 * handler lists what it needs itself.
 *
 * The same holds beyond EC2: the RDS kinds share DescribeDBInstances and DescribeDBClusters (rds-common.ts), and the
 * kinds that read tags from the Resource Groups Tagging API share one GetResources listing (tagging.ts) covering the
 * resource types the region's kinds declare (`tagTypes`), of those kinds still running when the first one asks.
 */
import { DescribeAddressesCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Address, Image, Instance, Snapshot, Volume } from '@aws-sdk/client-ec2';
import { clampPageSize } from './ec2-common';
import type { HandlerContext, ResourceHandler } from './handler';

/** A page stream that any number of consumers can read from the start, fetched once. */
export class ReplayablePages<T> {
  private readonly pages: T[][] = [];
  private finished = false;
  private failure: { error: unknown } | null = null;
  private waiting: (() => void)[] = [];
  private started: Date | null = null;

  constructor(private readonly source: () => AsyncIterable<T[]>) {}

  /** When the listing started (null before the first consumer): what it saw is bounded below by this. */
  get startedAt(): Date | null {
    return this.started;
  }

  private start(): void {
    if (this.started !== null) return;
    this.started = new Date();
    void (async () => {
      try {
        for await (const page of this.source()) {
          this.pages.push(page);
          this.wake();
        }
      } catch (error) {
        this.failure = { error };
      }
      this.finished = true;
      this.wake();
    })();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) f();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T[]> {
    this.start();
    let i = 0;
    for (;;) {
      if (i < this.pages.length) {
        yield this.pages[i++]!;
        continue;
      }
      if (this.finished) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }
}

/** The shared listings. */
export const REGION_LISTINGS = ['volumes', 'instances', 'images', 'addresses', 'snapshots', 'db-instances', 'db-clusters'] as const;
export type RegionListing = (typeof REGION_LISTINGS)[number];

/** The inventory key of the shared tag listings (tagging.ts); held by every kind that declares `tagTypes`. */
export const TAG_LISTINGS = 'tags';

/**
 * A scan's inventories, one per region (made at its first task), for the given kinds: a listing is freed when the last
 * task that declared it ends, a region's inventory when its last task ends (`release`).
 */
export class RegionInventories {
  private readonly holders = new Map<string, number>();
  private readonly tagTypes: Map<string, readonly string[]>;
  private readonly regions = new Map<string, { inventory: RegionInventory; pending: number }>();

  constructor(private readonly kinds: ReadonlyArray<Pick<ResourceHandler, 'type' | 'listings' | 'tagTypes'>>) {
    for (const h of kinds) for (const l of h.listings ?? []) this.holders.set(l, (this.holders.get(l) ?? 0) + 1);
    this.tagTypes = new Map(kinds.map((h) => [h.type as string, h.tagTypes ?? []]));
  }

  of(region: string): RegionInventory {
    return this.entry(region).inventory;
  }

  /** A task of `handler` in `region` ended (done, failed or cancelled), or will not run here. */
  release(region: string, handler: Pick<ResourceHandler, 'type' | 'listings'>): void {
    const entry = this.entry(region);
    for (const l of handler.listings ?? []) entry.inventory.release(l);
    entry.inventory.finish(handler.type);
    if (--entry.pending === 0) this.regions.delete(region);
  }

  private entry(region: string): { inventory: RegionInventory; pending: number } {
    let entry = this.regions.get(region);
    if (entry === undefined) {
      entry = { inventory: new RegionInventory(this.holders, this.tagTypes), pending: this.kinds.length };
      this.regions.set(region, entry);
    }
    return entry;
  }
}

/** Per (scan, region): memoized listings and lookups, keyed by name. */
export class RegionInventory {
  private readonly entries = new Map<string, unknown>();
  private readonly holders: Map<string, number>;
  private readonly declared: ReadonlyMap<string, number>;
  private readonly tagKinds: Map<string, readonly string[]>;

  /**
   * `holders`: how many tasks declared each listing. When all of them have released it, it is freed (a later read,
   * which a declaration would have prevented, lists again rather than fail). `tagTypes`: by kind, the Resource Groups
   * Tagging API types its scan may ask tags for (each such kind holds the shared tag listings until it `finish`es).
   */
  constructor(holders: ReadonlyMap<string, number> = new Map(), tagTypes: ReadonlyMap<string, readonly string[]> = new Map()) {
    this.holders = new Map(holders);
    this.tagKinds = new Map([...tagTypes].filter(([, types]) => types.length > 0));
    if (this.tagKinds.size > 0) this.holders.set(TAG_LISTINGS, (this.holders.get(TAG_LISTINGS) ?? 0) + this.tagKinds.size);
    this.declared = new Map(this.holders);
  }

  /** How many tasks declared `key` at the start (whether a listing is made anyway by another kind). */
  declaredBy(key: string): number {
    return this.declared.get(key) ?? 0;
  }

  /** The kind's task is done: its tag types are no longer worth listing, and it no longer holds the tag listings. */
  finish(kind: string): void {
    if (this.tagKinds.delete(kind)) this.release(TAG_LISTINGS);
  }

  /** The tag types of the kinds still running (declared, not finished): what a shared tag listing covers. */
  pendingTagTypes(): string[] {
    return [...new Set([...this.tagKinds.values()].flat())];
  }

  /** One declaring task is done with `key`. */
  release(key: string): void {
    const n = this.holders.get(key);
    if (n === undefined) return;
    if (n <= 1) {
      this.holders.delete(key);
      this.entries.delete(key);
    } else this.holders.set(key, n - 1);
  }

  /** The value for `key`, made by `make` the first time. */
  memo<T>(key: string, make: () => T): T {
    if (!this.entries.has(key)) this.entries.set(key, make());
    return this.entries.get(key) as T;
  }

  /** The value for `key` if it was made, without making it. */
  peek<T>(key: string): T | undefined {
    return this.entries.get(key) as T | undefined;
  }
}

/** In a scan, the region's one replayable stream of `source` under `key`; outside a scan, `source` itself. */
export function sharedPages<T>(ctx: HandlerContext, key: string, source: () => AsyncIterable<T[]>): AsyncIterable<T[]> {
  return ctx.inventory ? ctx.inventory.memo(key, () => new ReplayablePages(source)) : source();
}

/** Every volume of the region (DescribeVolumes, paged 5–500), `deleted` ones included as AWS lists them. */
export function volumePages(ctx: HandlerContext): AsyncIterable<Volume[]> {
  return sharedPages(ctx, 'volumes', async function* () {
    let token: string | undefined;
    do {
      const out = await ctx.client(EC2Client).send(
        new DescribeVolumesCommand({ MaxResults: clampPageSize(ctx.pageSize, 5, 500), NextToken: token }),
        { abortSignal: ctx.signal },
      );
      yield out.Volumes ?? [];
      token = out.NextToken;
    } while (token);
  });
}

/** Every snapshot the account owns in the region (DescribeSnapshots OwnerIds self, paged 5–1000). */
export function snapshotPages(ctx: HandlerContext): AsyncIterable<Snapshot[]> {
  return sharedPages(ctx, 'snapshots', async function* () {
    let token: string | undefined;
    do {
      const out = await ctx.client(EC2Client).send(
        new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: clampPageSize(ctx.pageSize, 5, 1000), NextToken: token }),
        { abortSignal: ctx.signal },
      );
      yield out.Snapshots ?? [];
      token = out.NextToken;
    } while (token);
  });
}

/** When the shared volume listing started, if this scan shares one. */
export function volumeListingStartedAt(ctx: HandlerContext): Date | null {
  const pages = ctx.inventory?.peek<unknown>('volumes');
  return pages instanceof ReplayablePages ? pages.startedAt : null;
}

/** Every instance of the region, any state (DescribeInstances, paged 5–1000), flattened out of reservations. */
export function instancePages(ctx: HandlerContext): AsyncIterable<Instance[]> {
  return sharedPages(ctx, 'instances', async function* () {
    let token: string | undefined;
    do {
      const out = await ctx.client(EC2Client).send(
        new DescribeInstancesCommand({ MaxResults: clampPageSize(ctx.pageSize, 5, 1000), NextToken: token }),
        { abortSignal: ctx.signal },
      );
      yield (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      token = out.NextToken;
    } while (token);
  });
}

/** The account's AMIs of the region as pages; `source` lists them (see ec2-usage-index.ts). */
export function imagePages(ctx: HandlerContext, source: () => AsyncIterable<Image[]>): AsyncIterable<Image[]> {
  return sharedPages(ctx, 'images', source);
}

/** Every Elastic IP of the region: DescribeAddresses is not paginated, one call lists them all. */
export function regionAddresses(ctx: HandlerContext): Promise<Address[]> {
  const load = async (): Promise<Address[]> =>
    (await ctx.client(EC2Client).send(new DescribeAddressesCommand({}), { abortSignal: ctx.signal })).Addresses ?? [];
  return ctx.inventory ? ctx.inventory.memo('addresses', load) : load();
}
