import { GetProductsCommand, PricingClient, PricingServiceException } from '@aws-sdk/client-pricing';
import type { GetProductsCommandInput } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../db/database';
import { getCachedPrices, putCachedPrices } from '../db/repos/price-cache';
import { EC2_STORAGE, VPC_PUBLIC_IPV4 } from './__fixtures__/price-list-us-east-1';
import { EBS_GB_MONTH } from './keys/ebs';
import { createBundledPriceBook } from './price-book';
import { withPrices } from './price-key';
import { HOURS_PER_MONTH, createPriceService } from './prices';
import { SHIPPED_KEYS, view } from './test-support';
import type { RegionPrices } from './types';

const pricingMock = mockClient(PricingClient);
const DAY = 24 * 3600 * 1000;
let handle: Awaited<ReturnType<typeof openMemoryDatabase>>;
let clock: Date;

function client(): PricingClient {
  return new PricingClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
}

function service(withClient = true) {
  const warnings: unknown[] = [];
  const svc = createPriceService({
    db: handle.db,
    priceKeys: () => SHIPPED_KEYS,
    ...(withClient ? { pricingClient: client } : {}),
    now: () => clock,
    logger: { warn: (m, d) => warnings.push([m, d]) },
  });
  return { svc, warnings };
}

/** A Price List that only knows us-east-1 gp3 storage at `gp3` and public IPv4: the rest is missing. */
function priceListWithGp3(gp3: string): void {
  pricingMock.on(GetProductsCommand).callsFake((input: GetProductsCommandInput) => {
    if (input.ServiceCode === 'AmazonVPC') return { PriceList: VPC_PUBLIC_IPV4 };
    const family = input.Filters?.find((f) => f.Field === 'productFamily')?.Value;
    return { PriceList: family === 'Storage' ? [EC2_STORAGE[0]!.replace('"0.0800000000"', `"${gp3}"`)] : [] };
  });
}

function denied(): PricingServiceException {
  return new PricingServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'User is not authorized to perform: pricing:GetProducts',
  });
}

beforeEach(async () => {
  pricingMock.reset();
  handle = await openMemoryDatabase();
  clock = new Date('2026-06-01T00:00:00Z');
});
afterEach(async () => {
  await handle.close();
});

describe('price service', () => {
  it('uses 730 hours a month', () => {
    expect(HOURS_PER_MONTH).toBe(730);
  });

  it('starts on the bundled book and gives null for an unknown region', () => {
    const { svc } = service();
    expect(svc.book().forRegion('eu-west-1')).toEqual(createBundledPriceBook(SHIPPED_KEYS).forRegion('eu-west-1'));
    expect(svc.book().forRegion('xx-nowhere-9')).toBeNull();
  });

  it('refreshes from the Price List, caches, and merges fetched prices over the bundled ones', async () => {
    priceListWithGp3('0.0790000000');
    const { svc } = service();
    const res = await svc.refresh(['us-east-1']);
    expect(res).toEqual({ refreshed: ['us-east-1'], cached: [], fallback: [] });
    const p = view(svc.book().forRegion('us-east-1')!);
    expect(p.source).toBe('price-list');
    expect(p.asOf).toBe('2026-06-01');
    expect(p.ebsGbMonth.gp3).toBe(0.079); // fetched
    expect(p.ebsGbMonth.gp2).toBe(0.1); // not in the fetch: bundled
    expect(p.snapshotArchiveGbMonth).toBe(0.0125);
    expect(p.publicIpv4Hour).toBe(0.005);
    expect(view((await getCachedPrices(handle.db, 'us-east-1', 7 * DAY, clock))!.prices).ebsGbMonth.gp3).toBe(0.079);
  });

  it('does not call the API while the cache is fresh, and refetches once it is a week old', async () => {
    priceListWithGp3('0.0790000000');
    await service().svc.refresh(['us-east-1']);
    const calls = pricingMock.commandCalls(GetProductsCommand).length;

    clock = new Date(clock.getTime() + 6 * DAY);
    const { svc } = service(); // a new app start: the book comes from SQLite
    expect(await svc.refresh(['us-east-1'])).toEqual({ refreshed: [], cached: ['us-east-1'], fallback: [] });
    expect(pricingMock.commandCalls(GetProductsCommand)).toHaveLength(calls);
    expect(view(svc.book().forRegion('us-east-1')!).ebsGbMonth.gp3).toBe(0.079);

    clock = new Date(clock.getTime() + 2 * DAY);
    expect(svc.book().forRegion('us-east-1')?.source).toBe('bundled'); // stale: no longer trusted
    priceListWithGp3('0.0780000000');
    expect((await svc.refresh(['us-east-1'])).refreshed).toEqual(['us-east-1']);
    expect(view(svc.book().forRegion('us-east-1')!).ebsGbMonth.gp3).toBe(0.078);
  });

  it('refetches a fresh region when forced', async () => {
    priceListWithGp3('0.0790000000');
    const { svc } = service();
    await svc.refresh(['us-east-1']);
    priceListWithGp3('0.0770000000');
    expect((await svc.refresh(['us-east-1'], { force: true })).refreshed).toEqual(['us-east-1']);
    expect(view(svc.book().forRegion('us-east-1')!).ebsGbMonth.gp3).toBe(0.077);
  });

  it('falls back to bundled prices on AccessDeniedException, once, without throwing', async () => {
    pricingMock.on(GetProductsCommand).rejects(denied());
    const { svc, warnings } = service();
    const res = await svc.refresh(['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1']);
    expect(res.refreshed).toEqual([]);
    expect(res.fallback.map((f) => f.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1']);
    for (const f of res.fallback) expect(f.reason).toMatch(/access denied \(AccessDeniedException\)/);
    // Permissions are account-wide: at most one call per worker, not one per region and family.
    expect(pricingMock.commandCalls(GetProductsCommand).length).toBeLessThanOrEqual(3);
    expect(warnings.length).toBeGreaterThan(0);
    expect(svc.book().forRegion('eu-west-1')).toEqual(createBundledPriceBook(SHIPPED_KEYS).forRegion('eu-west-1'));
    expect(await getCachedPrices(handle.db, 'us-east-1', 7 * DAY, clock)).toBeNull();
  });

  it('falls back to bundled prices on a network error, without throwing', async () => {
    pricingMock.on(GetProductsCommand).rejects(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    );
    const { svc } = service();
    const res = await svc.refresh(['us-east-1', 'eu-west-1']);
    expect(res.refreshed).toEqual([]);
    expect(res.fallback).toHaveLength(2);
    for (const f of res.fallback) expect(f.reason).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(svc.book().forRegion('us-east-1')?.source).toBe('bundled');
  });

  it('keeps stale-but-cached and bundled apart: a failed refresh does not resurrect an old cache row', async () => {
    const old: RegionPrices = { ...createBundledPriceBook(SHIPPED_KEYS).forRegion('us-east-1')!, source: 'price-list', asOf: '2026-05-01' };
    await putCachedPrices(handle.db, withPrices(old, [[EBS_GB_MONTH.gp3, 0.5]]), new Date('2026-05-01T00:00:00Z'));
    pricingMock.on(GetProductsCommand).rejects(denied());
    const { svc } = service();
    expect((await svc.refresh(['us-east-1'])).fallback).toHaveLength(1);
    expect(view(svc.book().forRegion('us-east-1')!).ebsGbMonth.gp3).toBe(0.08);
  });

  it('ignores a cached row of the shape before prices were keyed, and refetches it', async () => {
    // What the cache held before: named fields, no `values`.
    const oldShape = {
      region: 'us-east-1', source: 'price-list', asOf: '2026-05-31',
      ebsGbMonth: { gp2: 0.1, gp3: 0.5, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 },
      gp3IopsMonth: 0.005, gp3ThroughputMibpsMonth: 0.04, io1IopsMonth: 0.065, io2IopsTiers: null,
      standardIoPerMillion: 0.05, snapshotStandardGbMonth: 0.05, snapshotArchiveGbMonth: 0.0125, publicIpv4Hour: 0.005,
    };
    handle.sqlite
      .prepare('INSERT INTO price_cache (region, prices, fetched_at) VALUES (?, ?, ?)')
      .run('us-east-1', JSON.stringify(oldShape), clock.toISOString());
    const { svc } = service();
    expect(view(svc.book().forRegion('us-east-1')!).ebsGbMonth.gp3).toBe(0.08); // bundled, never the old row
    priceListWithGp3('0.0790000000');
    expect(await svc.refresh(['us-east-1'])).toEqual({ refreshed: ['us-east-1'], cached: [], fallback: [] });
    expect(view(svc.book().forRegion('us-east-1')!).ebsGbMonth.gp3).toBe(0.079);
    // The row is overwritten in the current shape: the next start finds it.
    expect(await service().svc.refresh(['us-east-1'])).toEqual({ refreshed: [], cached: ['us-east-1'], fallback: [] });
  });

  it('drops a cached value that is not a usable price (0), so the bundled one completes it', async () => {
    const fetched: RegionPrices = { ...createBundledPriceBook(SHIPPED_KEYS).forRegion('us-east-1')!, source: 'price-list', asOf: '2026-06-01' };
    await putCachedPrices(handle.db, withPrices(fetched, [[EBS_GB_MONTH.gp3, 0]]), clock);
    const { svc } = service();
    expect((await svc.refresh(['us-east-1'])).cached).toEqual(['us-east-1']);
    expect(view(svc.book().forRegion('us-east-1')!).ebsGbMonth.gp3).toBe(0.08);
  });

  it('falls back when no Price List client is configured, or the region has no prices', async () => {
    expect((await service(false).svc.refresh(['us-east-1'])).fallback).toEqual([
      { region: 'us-east-1', reason: 'no Price List client configured' },
    ]);
    pricingMock.on(GetProductsCommand).resolves({ PriceList: [] });
    const res = await service().svc.refresh(['xx-nowhere-9']);
    expect(res.fallback[0]?.region).toBe('xx-nowhere-9');
    expect(res.refreshed).toEqual([]);
  });

  it('gives price-list prices for a region the bundled book lacks once fetched', async () => {
    priceListWithGp3('0.1000000000');
    const { svc } = service();
    await svc.refresh(['xx-new-1']);
    const p = view(svc.book().forRegion('xx-new-1')!);
    expect(p?.ebsGbMonth.gp3).toBe(0.1);
    expect(p?.ebsGbMonth.gp2).toBeNull();
  });

  it('rethrows a cancellation instead of reporting it as a fallback', async () => {
    const ac = new AbortController();
    pricingMock.on(GetProductsCommand).callsFake(() => {
      ac.abort(new Error('cancelled'));
      return { PriceList: [], NextToken: 'more' };
    });
    await expect(service().svc.refresh(['us-east-1'], { signal: ac.signal })).rejects.toThrow('cancelled');
  });
});
