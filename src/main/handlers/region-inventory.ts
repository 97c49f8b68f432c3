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
 */
import { DescribeAddressesCommand, DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { Address, Image, Instance, Volume } from '@aws-sdk/client-ec2';
import { clampPageSize } from './ec2-common';
import type { HandlerContext } from './handler';

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
export const REGION_LISTINGS = ['volumes', 'instances', 'images', 'addresses'] as const;
export type RegionListing = (typeof REGION_LISTINGS)[number];

/** Per (scan, region): memoized listings and lookups, keyed by name. */
export class RegionInventory {
  private readonly entries = new Map<string, unknown>();
  private readonly holders: Map<string, number>;

  /**
   * `holders`: how many tasks declared each listing. When all of them have released it, it is freed (a later read,
   * which a declaration would have prevented, lists again rather than fail).
   */
  constructor(holders: ReadonlyMap<string, number> = new Map()) {
    this.holders = new Map(holders);
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

function sharedPages<T>(ctx: HandlerContext, key: string, source: () => AsyncIterable<T[]>): AsyncIterable<T[]> {
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
