import { bundledFrom } from '../price-key';
import type { PriceListProduct, RatePriceKey } from '../types';

/*
 * Amazon S3 storage price keys, declared once: the incomplete multipart upload kind imports them. The parts of an
 * upload that was never completed bill as storage of the upload's storage class until it is completed or aborted.
 *
 * What is declared: storage per GB-month of S3 Standard, Standard-IA, One Zone-IA and Glacier Instant Retrieval.
 * S3 Standard is tiered by the account's total Standard storage in the region (first 50 TB, next 450 TB, over 500 TB);
 * what a few stale uploads add is priced at the first tier's rate (an account storing more than 50 TB pays up to 9%
 * less per GB: the cost basis says so). Intelligent-Tiering, Glacier Flexible Retrieval, Deep Archive, Reduced
 * Redundancy and Express One Zone are not declared: an upload of those classes has an unknown cost.
 *
 * Price List: service AmazonS3, product family Storage, usage types (region prefix stripped) TimedStorage-ByteHrs
 * (Standard), TimedStorage-SIA-ByteHrs, TimedStorage-ZIA-ByteHrs, TimedStorage-GIR-ByteHrs, unit GB-Mo; the rate is the
 * dimension that begins at 0. Neighbours that must not match: the small-object and staging rows
 * (TimedStorage-GIR-SmObjects, TimedStorage-GDA-Staging), Intelligent-Tiering's TimedStorage-INT-*-ByteHrs.
 *  Where seen: AWS's usage-type list for S3 billing reports (search-tool file id 52170003532: region-TimedStorage-GIR-
 *  ByteHrs, -GIR-SmObjects, -GDA-Staging), a usage type → storage class table (file id 55158438733: TimedStorage-ByteHrs
 *  STANDARD, -SIA- Standard-IA, -ZIA- One Zone-IA, -GIR- Glacier Instant Retrieval).
 *
 * Sources of the bundled values:
 *  [S3-USE1-OCT-2025] search-tool file id 40499591429: "Amazon S3 Pricing Data (US East - N. Virginia)", read from the
 *      AWS Pricing API (service code AmazonS3) on 2025-10-28, effective 2025-10-01: Standard first 50 TB $0.023 per
 *      GB-month (next 450 TB $0.022, over 500 TB $0.021), Standard-IA $0.0125, One Zone-IA $0.01, Glacier Instant
 *      Retrieval $0.004.
 *  Every other region: Price List only (unknown until the Price List refresh).
 */

const S3 = 'AmazonS3';
const FAMILY = 'Storage';
const SOURCE = { asOf: '2025-10-28', source: '[S3-USE1-OCT-2025]' } as const;

/** The storage classes with a declared key, by the name S3's APIs use (ListMultipartUploads' StorageClass). */
export const S3_PRICED_STORAGE_CLASSES = ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR'] as const;
export type S3PricedStorageClass = (typeof S3_PRICED_STORAGE_CLASSES)[number];

const USAGE: Readonly<Record<S3PricedStorageClass, string>> = {
  STANDARD: 'TimedStorage-ByteHrs',
  STANDARD_IA: 'TimedStorage-SIA-ByteHrs',
  ONEZONE_IA: 'TimedStorage-ZIA-ByteHrs',
  GLACIER_IR: 'TimedStorage-GIR-ByteHrs',
};

const LABEL: Readonly<Record<S3PricedStorageClass, string>> = {
  STANDARD: 'S3 Standard (first 50 TB tier)',
  STANDARD_IA: 'S3 Standard-IA',
  ONEZONE_IA: 'S3 One Zone-IA',
  GLACIER_IR: 'S3 Glacier Instant Retrieval',
};

const US_EAST_1: Readonly<Record<S3PricedStorageClass, number>> = {
  STANDARD: 0.023,
  STANDARD_IA: 0.0125,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.004,
};

/** The rate of the dimension that begins at 0 (Standard's first tier; the only one of the other classes). */
function firstTierRate(p: PriceListProduct): number | undefined {
  return p.dimensions.find((d) => d.beginRange === 0 && (d.unit === 'GB-Mo' || d.unit === 'GB-month') && d.usd > 0)?.usd;
}

function storageKey(cls: S3PricedStorageClass): RatePriceKey {
  return {
    key: `s3StorageGbMonth.${cls}`,
    shape: 'rate',
    unit: 'GB-Mo',
    description: `${LABEL[cls]} storage, per GB-month`,
    priceList: {
      serviceCode: S3,
      filters: { productFamily: FAMILY },
      match: (p) => (p.productFamily === FAMILY && p.usage === USAGE[cls] ? firstTierRate(p) : undefined),
    },
    bundled: bundledFrom({ ...SOURCE, values: { 'us-east-1': US_EAST_1[cls] } }),
  };
}

export const S3_STORAGE_GB_MONTH: Readonly<Record<S3PricedStorageClass, RatePriceKey>> = Object.freeze(
  Object.fromEntries(S3_PRICED_STORAGE_CLASSES.map((c) => [c, storageKey(c)])) as Record<S3PricedStorageClass, RatePriceKey>,
);

/** The storage label of a class (`S3 Standard (first 50 TB tier)`), or the class itself when it has no key. */
export function s3StorageLabel(storageClass: string): string {
  return (S3_PRICED_STORAGE_CLASSES as readonly string[]).includes(storageClass) ? LABEL[storageClass as S3PricedStorageClass] : storageClass;
}

/** Storage per GB-month of an S3 storage class (absent from ListMultipartUploads = STANDARD); undefined: not declared. */
export function s3StorageKey(storageClass: string | undefined): RatePriceKey | undefined {
  const c = (storageClass ?? 'STANDARD').trim().toUpperCase();
  return (S3_PRICED_STORAGE_CLASSES as readonly string[]).includes(c) ? S3_STORAGE_GB_MONTH[c as S3PricedStorageClass] : undefined;
}

/** Every S3 key. */
export const S3_PRICE_KEYS: readonly RatePriceKey[] = Object.freeze(S3_PRICED_STORAGE_CLASSES.map((c) => S3_STORAGE_GB_MONTH[c]));
