import { describe, expect, it } from 'vitest';
import { createBundledPriceBook } from '../price-book';
import { collectPriceKeys, price } from '../price-key';
import { parseProduct, priceListQueries } from '../price-list';
import type { PriceListProduct } from '../types';
import { LOGS_PRICE_KEYS, LOGS_STORAGE_GB_MONTH, logsStorageKey } from './logs';

/*
 * The CloudWatch Logs storage key: the Price List match on products in the GetProducts shape (usage types and family
 * as infracost's filter and the CloudWatch Logs guide name them, see logs.ts), the log classes it prices, and its one
 * bundled value against its cited source.
 */

/** One GetProducts PriceList entry (a JSON string), in the shape the Price List Query API returns. */
function entry(sku: string, productFamily: string, usagetype: string, unit: string, usd: string): string {
  const term = `${sku}.JRTCKXETXF`;
  const rateCode = `${term}.6YS6EN2CT7`;
  return JSON.stringify({
    product: { productFamily, attributes: { locationType: 'AWS Region', servicecode: 'AmazonCloudWatch', usagetype, regionCode: 'eu-west-1' }, sku },
    serviceCode: 'AmazonCloudWatch',
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: { [rateCode]: { unit, endRange: 'Inf', beginRange: '0', rateCode, appliesTo: [], pricePerUnit: { USD: usd } } },
          sku,
          offerTermCode: 'JRTCKXETXF',
          effectiveDate: '2026-09-01T00:00:00Z',
          termAttributes: {},
        },
      },
    },
  });
}

function product(json: string): PriceListProduct {
  const p = parseProduct('AmazonCloudWatch', json);
  if (!p) throw new Error('unparseable fixture');
  return p;
}

const match = (json: string): number | undefined => LOGS_STORAGE_GB_MONTH.priceList!.match(product(json));

describe('CloudWatch Logs storage key', () => {
  it('is declared once, of service AmazonCloudWatch, one query on its product family', () => {
    expect(collectPriceKeys([LOGS_PRICE_KEYS, LOGS_PRICE_KEYS])).toEqual([LOGS_STORAGE_GB_MONTH]);
    const queries = priceListQueries(LOGS_PRICE_KEYS);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ serviceCode: 'AmazonCloudWatch', filters: { productFamily: 'Storage Snapshot' } });
  });

  it('matches the Standard class storage row, region prefix stripped, and none of its neighbours', () => {
    expect(match(entry('S1', 'Storage Snapshot', 'EU-TimedStorage-ByteHrs', 'GB-Mo', '0.0300000000'))).toBe(0.03);
    expect(match(entry('S2', 'Storage Snapshot', 'TimedStorage-ByteHrs', 'GB-Mo', '0.0300000000'))).toBe(0.03);
    expect(match(entry('S3', 'Storage Snapshot', 'EU-TimedStorage-IA-ByteHrs', 'GB-Mo', '0.0300000000'))).toBeUndefined();
    expect(match(entry('S4', 'Storage Snapshot', 'EU-TimedStorage-AIA-ByteHrs', 'GB-Mo', '0.0100000000'))).toBeUndefined();
    expect(match(entry('S5', 'Data Payload', 'EU-DataProcessing-Bytes', 'GB', '0.5700000000'))).toBeUndefined();
    // A free row is never a price.
    expect(match(entry('S6', 'Storage Snapshot', 'EU-TimedStorage-ByteHrs', 'GB-Mo', '0.0000000000'))).toBeUndefined();
  });

  it('prices the Standard class (and a group that names no class); the other classes have no key (unknown)', () => {
    expect(logsStorageKey('STANDARD')).toBe(LOGS_STORAGE_GB_MONTH);
    expect(logsStorageKey(undefined)).toBe(LOGS_STORAGE_GB_MONTH);
    expect(logsStorageKey('INFREQUENT_ACCESS')).toBeUndefined();
    expect(logsStorageKey('DELIVERY')).toBeUndefined();
  });

  it('bundles us-east-1 only, $0.03 per GB-month from its dated source', () => {
    expect(LOGS_STORAGE_GB_MONTH.bundled).toEqual({ 'us-east-1': { value: 0.03, asOf: '2026-06-01', source: '[CWLP-2026-06]' } });
    const book = createBundledPriceBook(LOGS_PRICE_KEYS);
    expect(price(book.forRegion('us-east-1')!, LOGS_STORAGE_GB_MONTH)).toBe(0.03);
    const eu = book.forRegion('eu-west-1');
    expect(eu === null ? null : price(eu, LOGS_STORAGE_GB_MONTH)).toBeNull();
  });
});
