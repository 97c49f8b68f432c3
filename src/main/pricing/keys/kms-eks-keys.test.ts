import { describe, expect, it } from 'vitest';
import { createBundledPriceBook } from '../price-book';
import { collectPriceKeys, price } from '../price-key';
import { parseProduct, priceListQueries } from '../price-list';
import type { PriceListProduct, RatePriceKey } from '../types';
import { EKS_CLUSTER_EXTENDED_HOUR, EKS_CLUSTER_HOUR, EKS_PRICE_KEYS } from './eks';
import { KMS_KEY_MONTH, KMS_PRICE_KEYS } from './kms';

/*
 * The KMS and EKS keys: Price List matches on products built in the GetProducts shape (usage types as the notes in
 * kms.ts and eks.ts give them, region-prefixed outside us-east-1), neighbours that must not match, and the bundled
 * us-east-1 values against their cited sources (KMS pricing page $1/key-month; the EKS blog's $0.10 and $0.60/h).
 */

function entry(serviceCode: string, sku: string, productFamily: string, usagetype: string, unit: string, usd: string): string {
  const term = `${sku}.JRTCKXETXF`;
  const rateCode = `${term}.6YS6EN2CT7`;
  return JSON.stringify({
    product: { productFamily, attributes: { locationType: 'AWS Region', servicecode: serviceCode, usagetype, regionCode: 'eu-west-1' }, sku },
    serviceCode,
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

function matchOf(key: RatePriceKey, serviceCode: string, json: string): number | undefined {
  const p: PriceListProduct | undefined = parseProduct(serviceCode, json) ?? undefined;
  if (!p || !key.priceList) throw new Error('unparseable fixture or no spec');
  return key.priceList.match(p);
}

describe('KMS and EKS keys', () => {
  it('are distinct, collect without conflict, one Price List query per service', () => {
    const all = [...KMS_PRICE_KEYS, ...EKS_PRICE_KEYS];
    expect(new Set(all.map((k) => k.key)).size).toBe(all.length);
    expect(collectPriceKeys([KMS_PRICE_KEYS, EKS_PRICE_KEYS, KMS_PRICE_KEYS])).toHaveLength(all.length);
    const queries = priceListQueries(all);
    expect(queries.map((q) => q.serviceCode).sort()).toEqual(['AmazonEKS', 'awskms']);
  });

  it('bundle the published us-east-1 values and nothing for other regions (unknown, never 0)', () => {
    const book = createBundledPriceBook([...KMS_PRICE_KEYS, ...EKS_PRICE_KEYS]);
    const east = book.forRegion('us-east-1');
    expect(east && price(east, KMS_KEY_MONTH)).toBe(1);
    expect(east && price(east, EKS_CLUSTER_HOUR)).toBe(0.1);
    expect(east && price(east, EKS_CLUSTER_EXTENDED_HOUR)).toBe(0.6);
    const eu = book.forRegion('eu-west-1');
    expect(eu === null || price(eu, KMS_KEY_MONTH) === null).toBe(true);
    expect(eu === null || price(eu, EKS_CLUSTER_HOUR) === null).toBe(true);
    expect(KMS_KEY_MONTH.bundled['us-east-1']).toMatchObject({ asOf: '2026-03-14', source: '[KMSP]' });
    expect(EKS_CLUSTER_EXTENDED_HOUR.bundled['us-east-1']).toMatchObject({ asOf: '2024-04-01', source: '[EKSP]' });
  });

  it('EKS: the standard and extended cluster-hour rows each match only their own key', () => {
    const std = entry('AmazonEKS', 'SKU1', 'Compute', 'EUW1-AmazonEKS-Hours:perCluster', 'Hrs', '0.1000000000');
    const ext = entry('AmazonEKS', 'SKU2', 'Compute', 'EUW1-AmazonEKS-Hours:perClusterExtended', 'Hrs', '0.6000000000');
    expect(matchOf(EKS_CLUSTER_HOUR, 'AmazonEKS', std)).toBe(0.1);
    expect(matchOf(EKS_CLUSTER_EXTENDED_HOUR, 'AmazonEKS', std)).toBeUndefined();
    expect(matchOf(EKS_CLUSTER_EXTENDED_HOUR, 'AmazonEKS', ext)).toBe(0.6);
    expect(matchOf(EKS_CLUSTER_HOUR, 'AmazonEKS', ext)).toBeUndefined();
    // A neighbour of the same service (EKS Anywhere, hybrid nodes) is never taken.
    expect(matchOf(EKS_CLUSTER_HOUR, 'AmazonEKS', entry('AmazonEKS', 'SKU3', 'Compute', 'EUW1-AmazonEKS-Hours:hybridNodes', 'Hrs', '0.02'))).toBeUndefined();
  });

  it('KMS: the key-month row matches; request rows never do', () => {
    expect(matchOf(KMS_KEY_MONTH, 'awskms', entry('awskms', 'SKU4', 'Encryption Key', 'EUW1-KMS-Keys', 'Keys', '1.0000000000'))).toBe(1);
    expect(matchOf(KMS_KEY_MONTH, 'awskms', entry('awskms', 'SKU5', 'Encryption Key', 'EUW1-KMS-Requests', 'Requests', '0.0000030000'))).toBeUndefined();
  });
});
