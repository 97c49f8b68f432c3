import { describe, expect, it } from 'vitest';
import { createBundledPriceBook } from '../price-book';
import { collectPriceKeys, price } from '../price-key';
import { parsePriceListItems, priceListQueries } from '../price-list';
import { ECR_PRICE_KEYS, ECR_STORAGE_GB_MONTH } from './ecr';
import { SECRET_MONTH, SECRETS_MANAGER_PRICE_KEYS } from './secretsmanager';

/*
 * The ECR storage and Secrets Manager secret keys: their Price List matches on products built in the GetProducts shape
 * (usage types with region prefixes, as the offers write them; see each module's notes), the neighbours that must not
 * match, and the bundled values against their cited source ([LON-OCT-2026], eu-west-2 only).
 */

interface Dim {
  unit: string;
  usd: string;
}

/** One GetProducts PriceList entry (a JSON string), in the shape the Price List Query API returns. */
function entry(serviceCode: string, sku: string, productFamily: string, attributes: Record<string, string>, dim: Dim): string {
  const term = `${sku}.JRTCKXETXF`;
  const rateCode = `${term}.6YS6EN2CT7`;
  return JSON.stringify({
    product: { productFamily, attributes: { locationType: 'AWS Region', servicecode: serviceCode, ...attributes }, sku },
    serviceCode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: { [rateCode]: { unit: dim.unit, endRange: 'Inf', beginRange: '0', rateCode, appliesTo: [], pricePerUnit: { USD: dim.usd } } },
          sku,
          offerTermCode: 'JRTCKXETXF',
          effectiveDate: '2026-09-01T00:00:00Z',
          termAttributes: {},
        },
      },
    },
  });
}

describe('ECR and Secrets Manager keys', () => {
  it('are declared once each, collect without conflict, one Price List query per service', () => {
    const all = [...ECR_PRICE_KEYS, ...SECRETS_MANAGER_PRICE_KEYS];
    expect(all.map((k) => k.key)).toEqual(['ecrStorageGbMonth', 'secretsManagerSecretMonth']);
    expect(collectPriceKeys([ECR_PRICE_KEYS, SECRETS_MANAGER_PRICE_KEYS, ECR_PRICE_KEYS])).toHaveLength(2);
    const queries = priceListQueries(all);
    expect(queries.map((q) => q.serviceCode).sort()).toEqual(['AWSSecretsManager', 'AmazonECR']);
    expect(queries.find((q) => q.serviceCode === 'AWSSecretsManager')?.filters).toEqual({ productFamily: 'Secret' });
  });

  it('ECR storage matches TimedStorage-ByteHrs in GB-Mo (region prefix stripped), not data transfer', () => {
    const rows = [
      entry('AmazonECR', 'S1', 'EC2 Container Registry', { usagetype: 'EUW2-TimedStorage-ByteHrs', regionCode: 'eu-west-2' }, { unit: 'GB-Mo', usd: '0.1000000000' }),
      entry('AmazonECR', 'T1', 'Data Transfer', { usagetype: 'EUW2-DataTransfer-Out-Bytes', regionCode: 'eu-west-2' }, { unit: 'GB', usd: '0.0900000000' }),
    ];
    expect(parsePriceListItems(ECR_PRICE_KEYS, 'AmazonECR', rows)).toEqual({ ecrStorageGbMonth: 0.1 });
    // The same usage type of another service is never offered to the key (the query is by service code).
    expect(parsePriceListItems(ECR_PRICE_KEYS, 'AmazonS3', [entry('AmazonS3', 'X', 'Storage', { usagetype: 'EUW2-TimedStorage-ByteHrs' }, { unit: 'GB-Mo', usd: '0.0240000000' })])).toEqual({});
  });

  it('a secret matches AWSSecretsManager-Secrets in Secrets, not the API requests', () => {
    const rows = [
      entry('AWSSecretsManager', 'S1', 'Secret', { usagetype: 'USE1-AWSSecretsManager-Secrets', regionCode: 'us-east-1' }, { unit: 'Secrets', usd: '0.4000000000' }),
      entry('AWSSecretsManager', 'A1', 'API Request', { usagetype: 'USE1-AWSSecretsManagerAPIRequest', regionCode: 'us-east-1' }, { unit: 'API Requests', usd: '0.0000050000' }),
    ];
    expect(parsePriceListItems(SECRETS_MANAGER_PRICE_KEYS, 'AWSSecretsManager', rows)).toEqual({ secretsManagerSecretMonth: 0.4 });
  });

  it('bundle only what [LON-OCT-2026] dates (eu-west-2); us-east-1 and the rest are unknown until the Price List refresh', () => {
    expect(ECR_STORAGE_GB_MONTH.bundled).toEqual({ 'eu-west-2': { value: 0.1, asOf: '2026-10-06', source: '[LON-OCT-2026]' } });
    expect(SECRET_MONTH.bundled).toEqual({ 'eu-west-2': { value: 0.4, asOf: '2026-10-06', source: '[LON-OCT-2026]' } });
    const book = createBundledPriceBook([...ECR_PRICE_KEYS, ...SECRETS_MANAGER_PRICE_KEYS]);
    const london = book.forRegion('eu-west-2');
    expect(london && price(london, ECR_STORAGE_GB_MONTH)).toBe(0.1);
    expect(london && price(london, SECRET_MONTH)).toBe(0.4);
    const virginia = book.forRegion('us-east-1');
    expect(virginia === null ? null : price(virginia, SECRET_MONTH)).toBeNull();
    expect(virginia === null ? null : price(virginia, ECR_STORAGE_GB_MONTH)).toBeNull();
  });
});
