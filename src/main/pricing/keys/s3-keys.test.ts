import { describe, expect, it } from 'vitest';
import { createBundledPriceBook } from '../price-book';
import { collectPriceKeys, price } from '../price-key';
import { parseProduct, priceListQueries } from '../price-list';
import type { PriceListProduct } from '../types';
import { S3_PRICE_KEYS, S3_STORAGE_GB_MONTH, s3StorageKey } from './s3';

/*
 * The S3 storage keys: the Price List match on products in the GetProducts shape (usage types as S3's billing reports
 * name them, see s3.ts; Standard's three tiers in one product), the storage classes they price, and the bundled
 * us-east-1 values against their cited source.
 */

interface Dim {
  usd: string;
  beginRange?: string;
  endRange?: string;
}

function entry(sku: string, productFamily: string, usagetype: string, dims: Dim[]): string {
  const term = `${sku}.JRTCKXETXF`;
  const priceDimensions = Object.fromEntries(
    dims.map((d, i) => {
      const rateCode = `${term}.${['6YS6EN2CT7', '2TG2D8R56U', 'RFXJ2X4CRE'][i] ?? 'X'}`;
      return [rateCode, { unit: 'GB-Mo', endRange: d.endRange ?? 'Inf', beginRange: d.beginRange ?? '0', rateCode, appliesTo: [], pricePerUnit: { USD: d.usd } }];
    }),
  );
  return JSON.stringify({
    product: { productFamily, attributes: { locationType: 'AWS Region', servicecode: 'AmazonS3', usagetype, regionCode: 'eu-west-1' }, sku },
    serviceCode: 'AmazonS3',
    terms: { OnDemand: { [term]: { priceDimensions, sku, offerTermCode: 'JRTCKXETXF', effectiveDate: '2026-09-01T00:00:00Z', termAttributes: {} } } },
  });
}

function product(json: string): PriceListProduct {
  const p = parseProduct('AmazonS3', json);
  if (!p) throw new Error('unparseable fixture');
  return p;
}

describe('S3 storage keys', () => {
  it('are declared once, of service AmazonS3, one query on the Storage family', () => {
    expect(collectPriceKeys([S3_PRICE_KEYS, S3_PRICE_KEYS])).toHaveLength(4);
    const queries = priceListQueries(S3_PRICE_KEYS);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ serviceCode: 'AmazonS3', filters: { productFamily: 'Storage' } });
  });

  it("match their own class's row (Standard: the first tier of its ladder) and none of the neighbours", () => {
    const std = S3_STORAGE_GB_MONTH.STANDARD.priceList!;
    const ladder = entry('A', 'Storage', 'EU-TimedStorage-ByteHrs', [
      { usd: '0.0230000000', beginRange: '0', endRange: '51200' },
      { usd: '0.0220000000', beginRange: '51200', endRange: '512000' },
      { usd: '0.0210000000', beginRange: '512000' },
    ]);
    expect(std.match(product(ladder))).toBe(0.023);
    // The ladder in another order in the offer: still the tier that begins at 0.
    const shuffled = entry('B', 'Storage', 'TimedStorage-ByteHrs', [{ usd: '0.0210000000', beginRange: '512000' }, { usd: '0.0240000000', beginRange: '0', endRange: '51200' }]);
    expect(std.match(product(shuffled))).toBe(0.024);
    expect(S3_STORAGE_GB_MONTH.STANDARD_IA.priceList!.match(product(entry('C', 'Storage', 'EU-TimedStorage-SIA-ByteHrs', [{ usd: '0.0125' }])))).toBe(0.0125);
    expect(S3_STORAGE_GB_MONTH.ONEZONE_IA.priceList!.match(product(entry('D', 'Storage', 'EU-TimedStorage-ZIA-ByteHrs', [{ usd: '0.01' }])))).toBe(0.01);
    expect(S3_STORAGE_GB_MONTH.GLACIER_IR.priceList!.match(product(entry('E', 'Storage', 'EU-TimedStorage-GIR-ByteHrs', [{ usd: '0.004' }])))).toBe(0.004);
    for (const usage of ['EU-TimedStorage-GIR-SmObjects', 'EU-TimedStorage-GDA-Staging', 'EU-TimedStorage-INT-FA-ByteHrs', 'EU-TimedStorage-SIA-ByteHrs']) {
      expect(std.match(product(entry('F', 'Storage', usage, [{ usd: '0.02' }]))), usage).toBeUndefined();
    }
    expect(std.match(product(entry('G', 'Fee', 'EU-TimedStorage-ByteHrs', [{ usd: '0.02' }])))).toBeUndefined();
    // A free row is never a price.
    expect(std.match(product(entry('H', 'Storage', 'EU-TimedStorage-ByteHrs', [{ usd: '0.0000000000' }])))).toBeUndefined();
  });

  it('map ListMultipartUploads storage classes to keys; none means STANDARD; undeclared classes are unknown', () => {
    expect(s3StorageKey(undefined)).toBe(S3_STORAGE_GB_MONTH.STANDARD);
    expect(s3StorageKey('STANDARD')).toBe(S3_STORAGE_GB_MONTH.STANDARD);
    expect(s3StorageKey('GLACIER_IR')).toBe(S3_STORAGE_GB_MONTH.GLACIER_IR);
    for (const c of ['INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'REDUCED_REDUNDANCY', 'EXPRESS_ONEZONE', 'toString', '']) {
      expect(s3StorageKey(c), c).toBeUndefined();
    }
  });

  it('bundle us-east-1 only, from their dated source', () => {
    expect(S3_STORAGE_GB_MONTH.STANDARD.bundled).toEqual({ 'us-east-1': { value: 0.023, asOf: '2025-10-28', source: '[S3-USE1-OCT-2025]' } });
    const book = createBundledPriceBook(S3_PRICE_KEYS);
    const east = book.forRegion('us-east-1')!;
    expect(S3_PRICE_KEYS.map((k) => price(east, k))).toEqual([0.023, 0.0125, 0.01, 0.004]);
    const eu = book.forRegion('eu-west-1');
    expect(eu === null ? null : price(eu, S3_STORAGE_GB_MONTH.STANDARD)).toBeNull();
  });
});
