import { describe, expect, it } from 'vitest';
import { createBundledPriceBook } from '../price-book';
import { collectPriceKeys, price } from '../price-key';
import { parseProduct, priceListQueries } from '../price-list';
import type { PriceListProduct, RatePriceKey } from '../types';
import {
  SAGEMAKER_ENDPOINT_PRICE_KEYS,
  SAGEMAKER_NOTEBOOK_PRICE_KEYS,
  SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH,
  SAGEMAKER_PRICE_KEYS,
  sageMakerHostingHourKey,
  sageMakerNotebookHourKey,
} from './sagemaker';

/*
 * The SageMaker keys: the functions the kinds call, the Price List matches on products in the GetProducts shape (the
 * instance type in the usage type, region prefix stripped), and the bundled us-east-1 values against their sources.
 */

const SM = 'AmazonSageMaker';

function entry(sku: string, productFamily: string, usagetype: string, unit: string, usd: string): string {
  const term = `${sku}.JRTCKXETXF`;
  const rateCode = `${term}.6YS6EN2CT7`;
  return JSON.stringify({
    product: { productFamily, attributes: { locationType: 'AWS Region', servicecode: SM, regionCode: 'us-east-1', usagetype }, sku },
    serviceCode: SM,
    terms: { OnDemand: { [term]: { priceDimensions: { [rateCode]: { unit, endRange: 'Inf', beginRange: '0', rateCode, appliesTo: [], pricePerUnit: { USD: usd } } }, sku, offerTermCode: 'JRTCKXETXF', effectiveDate: '2026-09-01T00:00:00Z', termAttributes: {} } } },
  });
}

function product(json: string): PriceListProduct {
  const p = parseProduct(SM, json);
  if (!p) throw new Error('unparseable fixture');
  return p;
}

const matchOf = (key: RatePriceKey | undefined, json: string): number | undefined => key!.priceList!.match(product(json));

describe('SageMaker price keys', () => {
  it('have unique ids, collect without conflict, AmazonSageMaker Price List specs, two queries (ML Instance, Storage)', () => {
    expect(new Set(SAGEMAKER_PRICE_KEYS.map((k) => k.key)).size).toBe(SAGEMAKER_PRICE_KEYS.length);
    expect(collectPriceKeys([SAGEMAKER_ENDPOINT_PRICE_KEYS, SAGEMAKER_NOTEBOOK_PRICE_KEYS, SAGEMAKER_PRICE_KEYS])).toHaveLength(SAGEMAKER_PRICE_KEYS.length);
    for (const k of SAGEMAKER_PRICE_KEYS) {
      expect(k.shape).toBe('rate');
      expect(k.priceList?.serviceCode).toBe(SM);
    }
    const queries = priceListQueries(SAGEMAKER_PRICE_KEYS);
    expect(queries.map((q) => q.filters['productFamily']).sort()).toEqual(['ML Instance', 'Storage']);
  });

  it('map instance types to hosting and notebook keys; undefined for what is not declared', () => {
    expect(sageMakerHostingHourKey('ml.m5.large')?.key).toBe('sageMakerHostingHour.ml.m5.large');
    expect(sageMakerHostingHourKey(' ML.M5.LARGE ')).toBe(sageMakerHostingHourKey('ml.m5.large'));
    expect(sageMakerNotebookHourKey('ml.t3.medium')?.key).toBe('sageMakerNotebookHour.ml.t3.medium');
    for (const t of ['ml.p4d.24xlarge', 'm5.large', 'ml.t3.medium', 'toString', '__proto__', '']) {
      expect(sageMakerHostingHourKey(t), t).toBeUndefined();
    }
    expect(sageMakerNotebookHourKey('ml.p4d.24xlarge')).toBeUndefined();
  });

  it('Price List: Host and Notebk rows of the same instance go to their own keys; Train, Processing and Studio rows to none', () => {
    const host = entry('H1', 'ML Instance', 'USE1-Host:ml.m5.xlarge', 'Hrs', '0.2300000000');
    const nb = entry('N1', 'ML Instance', 'USE1-Notebk:ml.t2.medium', 'Hrs', '0.0464000000');
    expect(matchOf(sageMakerHostingHourKey('ml.m5.xlarge'), host)).toBe(0.23);
    expect(matchOf(sageMakerNotebookHourKey('ml.m5.xlarge'), host)).toBeUndefined();
    expect(matchOf(sageMakerNotebookHourKey('ml.t2.medium'), nb)).toBe(0.0464);
    expect(matchOf(sageMakerHostingHourKey('ml.t2.medium'), nb)).toBeUndefined();
    for (const u of ['USE1-Train:ml.m5.large', 'USE1-TrSpt:ml.m5.large', 'USE1-Processing:ml.m5.large', 'USE1-Tsform:ml.m5.large', 'USE1-Studio:JupyterLab-ml.m5.large']) {
      expect(matchOf(sageMakerHostingHourKey('ml.m5.large'), entry('X', 'ML Instance', u, 'Hrs', '0.2')), u).toBeUndefined();
    }
    const storage = entry('S1', 'Storage', 'USE1-Notebk:VolumeUsage.gp2', 'GB-Mo', '0.1400000000');
    expect(matchOf(SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH, storage)).toBe(0.14);
    expect(matchOf(SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH, entry('S2', 'Storage', 'USE1-Studio:VolumeUsage.gp2', 'GB-Mo', '0.16'))).toBeUndefined();
    // A free (0) rate is never a price.
    expect(matchOf(sageMakerHostingHourKey('ml.m5.large'), entry('H0', 'ML Instance', 'USE1-Host:ml.m5.large', 'Hrs', '0.0000000000'))).toBeUndefined();
  });

  it('bundled: us-east-1 only, the values of their dated sources; everything else Price List only', () => {
    const book = createBundledPriceBook(SAGEMAKER_PRICE_KEYS).forRegion('us-east-1')!;
    expect(price(book, sageMakerHostingHourKey('ml.m5.large')!)).toBe(0.115);
    expect(price(book, sageMakerNotebookHourKey('ml.t3.medium')!)).toBe(0.05);
    expect(price(book, sageMakerNotebookHourKey('ml.g5.xlarge')!)).toBe(1.41);
    expect(price(book, SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH)).toBe(0.14);
    expect(price(book, sageMakerHostingHourKey('ml.g5.xlarge')!)).toBeNull();
    expect(sageMakerHostingHourKey('ml.m5.large')?.bundled['us-east-1']).toMatchObject({ asOf: '2026-07-30' });
    expect(sageMakerNotebookHourKey('ml.t3.medium')?.bundled['us-east-1']).toMatchObject({ asOf: '2026-09-24' });
    expect(SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH.bundled['us-east-1']).toMatchObject({ asOf: '2026-10-01' });
    for (const k of SAGEMAKER_PRICE_KEYS) {
      expect(Object.keys(k.bundled).filter((r) => r !== 'us-east-1'), k.key).toEqual([]);
      for (const b of Object.values(k.bundled)) expect(b.source, k.key).toMatch(/file id \d+/);
    }
    expect(SAGEMAKER_PRICE_KEYS.filter((k) => Object.hasOwn(k.bundled, 'us-east-1'))).toHaveLength(9);
  });
});
