import { GetProductsCommand, PricingClient, PricingServiceException } from '@aws-sdk/client-pricing';
import type { GetProductsCommandInput } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EC2_ALL,
  EC2_PROVISIONED_THROUGHPUT,
  EC2_STORAGE,
  EC2_STORAGE_SNAPSHOT,
  EC2_SYSTEM_OPERATION,
  RECORDED_AF_SOUTH_1_GP3,
  VPC_PUBLIC_IPV4,
} from './__fixtures__/price-list-us-east-1';
import { createBundledPriceBook } from './price-book';
import { fetchRegionPrices, parsePriceListItems as parseFor, toRegionPrices } from './price-list';
import { EC2_FAMILY_KEYS, foundView, view } from './test-support';
import type { RegionPrices } from './types';

/** A parse over the shipped kinds' keys, read by price name. */
function parsePriceListItems(serviceCode: string, items: readonly string[]): ReturnType<typeof foundView> {
  return foundView(parseFor(EC2_FAMILY_KEYS, serviceCode, items));
}

const pricingMock = mockClient(PricingClient);

function client(): PricingClient {
  return new PricingClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
  });
}

function withoutOrigin(p: RegionPrices): Omit<RegionPrices, 'source' | 'asOf'> {
  const { source: _s, asOf: _a, ...rest } = p;
  return rest;
}

function filterValue(input: GetProductsCommandInput, field: string): string | undefined {
  return input.Filters?.find((f) => f.Field === field)?.Value;
}

const BY_FAMILY: Record<string, string[]> = {
  Storage: EC2_STORAGE,
  'System Operation': EC2_SYSTEM_OPERATION,
  'Provisioned Throughput': EC2_PROVISIONED_THROUGHPUT,
  'Storage Snapshot': EC2_STORAGE_SNAPSHOT,
};

beforeEach(() => pricingMock.reset());

describe('parsePriceListItems', () => {
  it('parses the us-east-1 price list into the same prices as the bundled book', () => {
    const ec2 = parseFor(EC2_FAMILY_KEYS, 'AmazonEC2', EC2_ALL);
    const vpc = parseFor(EC2_FAMILY_KEYS, 'AmazonVPC', VPC_PUBLIC_IPV4);
    const parsed = toRegionPrices('us-east-1', EC2_FAMILY_KEYS, { ...ec2, ...vpc }, '2026-06-01');
    const bundled = createBundledPriceBook(EC2_FAMILY_KEYS).forRegion('us-east-1')!;
    expect(withoutOrigin(parsed)).toEqual(withoutOrigin(bundled));
    expect(parsed.source).toBe('price-list');
  });

  it('converts gp3 throughput from GiB/s-month to MiB/s-month and I/O to per million', () => {
    const p = parsePriceListItems('AmazonEC2', [...EC2_PROVISIONED_THROUGHPUT, ...EC2_SYSTEM_OPERATION]);
    expect(p.gp3ThroughputMibpsMonth).toBe(0.04);
    expect(p.standardIoPerMillion).toBe(0.05);
  });

  it('ignores Outposts entries that share a usage type with the region', () => {
    const outposts = EC2_STORAGE_SNAPSHOT.filter((s) => s.includes('AWS Outposts'));
    expect(outposts).toHaveLength(1);
    expect(parsePriceListItems('AmazonEC2', outposts).snapshotStandardGbMonth).toBeUndefined();
    // Order must not matter either: the Outposts entry after the regional one does not override it.
    expect(parsePriceListItems('AmazonEC2', [...EC2_STORAGE_SNAPSHOT].reverse()).snapshotStandardGbMonth).toBe(0.05);
  });

  it('reads a recorded entry with a region-prefixed usage type (af-south-1 gp3)', () => {
    const p = parsePriceListItems('AmazonEC2', [RECORDED_AF_SOUTH_1_GP3]);
    expect(p.ebsGbMonth).toEqual({ gp3: 0.1047 });
    expect(view(createBundledPriceBook(EC2_FAMILY_KEYS).forRegion('af-south-1')!).ebsGbMonth.gp3).toBe(0.1047);
  });

  it('builds io2 tiers from ranged dimensions when the offer publishes them in one entry', () => {
    const doc = JSON.parse(EC2_SYSTEM_OPERATION[2]!) as {
      terms: { OnDemand: Record<string, { priceDimensions: Record<string, unknown> }> };
    };
    const term = Object.values(doc.terms.OnDemand)[0]!;
    term.priceDimensions = {
      a: { unit: 'IOPS-Mo', beginRange: '0', endRange: '32000', pricePerUnit: { USD: '0.065' } },
      b: { unit: 'IOPS-Mo', beginRange: '32000', endRange: '64000', pricePerUnit: { USD: '0.0455' } },
      c: { unit: 'IOPS-Mo', beginRange: '64000', endRange: 'Inf', pricePerUnit: { USD: '0.03185' } },
    };
    expect(parsePriceListItems('AmazonEC2', [JSON.stringify(doc)]).io2IopsTiers).toEqual([
      { upTo: 32_000, pricePerIopsMonth: 0.065 },
      { upTo: 64_000, pricePerIopsMonth: 0.0455 },
      { upTo: null, pricePerIopsMonth: 0.03185 },
    ]);
  });

  it('leaves an incomplete io2 ladder, malformed entries and zero rates out', () => {
    const p = parsePriceListItems('AmazonEC2', ['not json', '{}', EC2_SYSTEM_OPERATION[2]!]);
    expect(p.io2IopsTiers).toBeUndefined(); // tier 1 alone would undercharge above 32,000 IOPS
    const zero = EC2_STORAGE[0]!.replace('"0.0800000000"', '"0.0000000000"');
    expect(parsePriceListItems('AmazonEC2', [zero]).ebsGbMonth.gp3).toBeUndefined();
  });
});

describe('fetchRegionPrices', () => {
  it('queries each EBS product family and AmazonVPC for the region and returns full prices', async () => {
    pricingMock.on(GetProductsCommand).callsFake((input: GetProductsCommandInput) => {
      if (input.ServiceCode === 'AmazonVPC') return { PriceList: VPC_PUBLIC_IPV4 };
      return { PriceList: BY_FAMILY[filterValue(input, 'productFamily') ?? ''] ?? [] };
    });
    const p = await fetchRegionPrices(client(), 'us-east-1', EC2_FAMILY_KEYS, { now: new Date('2026-06-01T10:00:00Z') });
    expect(p.source).toBe('price-list');
    expect(p.asOf).toBe('2026-06-01');
    expect(withoutOrigin(p)).toEqual(withoutOrigin(createBundledPriceBook(EC2_FAMILY_KEYS).forRegion('us-east-1')!));
    const calls = pricingMock.commandCalls(GetProductsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(5);
    for (const input of calls) expect(filterValue(input, 'regionCode')).toBe('us-east-1');
    expect(calls.filter((c) => c.ServiceCode === 'AmazonEC2').map((c) => filterValue(c, 'productFamily'))).toEqual([
      'Storage',
      'System Operation',
      'Provisioned Throughput',
      'Storage Snapshot',
    ]);
  });

  it('reads every page (NextToken) of a query', async () => {
    pricingMock.on(GetProductsCommand).callsFake((input: GetProductsCommandInput) => {
      if (input.ServiceCode === 'AmazonVPC') return { PriceList: [] };
      if (filterValue(input, 'productFamily') !== 'Storage') return { PriceList: [] };
      // Three pages: the gp3 entry only on the last one.
      if (!input.NextToken) return { PriceList: EC2_STORAGE.slice(1, 3), NextToken: 'page-2' };
      if (input.NextToken === 'page-2') return { PriceList: EC2_STORAGE.slice(3), NextToken: 'page-3' };
      return { PriceList: EC2_STORAGE.slice(0, 1) };
    });
    const p = view(await fetchRegionPrices(client(), 'us-east-1', EC2_FAMILY_KEYS));
    expect(p.ebsGbMonth).toEqual({ gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 });
    expect(p.snapshotStandardGbMonth).toBeNull();
    const storageTokens = pricingMock
      .commandCalls(GetProductsCommand)
      .map((c) => c.args[0].input)
      .filter((i) => filterValue(i, 'productFamily') === 'Storage')
      .map((i) => i.NextToken);
    expect(storageTokens).toEqual([undefined, 'page-2', 'page-3']);
  });

  it('passes the abort signal to the SDK and stops when aborted', async () => {
    const ac = new AbortController();
    pricingMock.on(GetProductsCommand).callsFake(() => {
      ac.abort(new Error('cancelled'));
      return { PriceList: [], NextToken: 'more' };
    });
    await expect(fetchRegionPrices(client(), 'us-east-1', EC2_FAMILY_KEYS, { signal: ac.signal })).rejects.toThrow('cancelled');
    expect(pricingMock.commandCalls(GetProductsCommand)).toHaveLength(1);
    // aws-sdk-client-mock types only the command argument; the options object is the second one actually passed.
    const args = pricingMock.commandCalls(GetProductsCommand)[0]?.args as unknown[] | undefined;
    expect(args?.[1]).toMatchObject({ abortSignal: ac.signal });
  });

  it('lets access-denied errors through for the caller to handle', async () => {
    pricingMock.on(GetProductsCommand).rejects(
      new PricingServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'no' }),
    );
    await expect(fetchRegionPrices(client(), 'us-east-1', EC2_FAMILY_KEYS)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
