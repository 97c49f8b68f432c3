import { bundledFrom, rateIn } from '../price-key';
import type { RatePriceKey } from '../types';

/*
 * Amazon ECR price keys, declared once: the stale ECR image kind imports them. ECR bills private repository storage per
 * GB-month (prorated by the hour, as "TimedStorage-ByteHrs"); data transfer and enhanced scanning are billed apart and
 * not declared. Images moved to the ECR archive storage class bill at another rate, not declared (unknown).
 *
 * Price List: service AmazonECR, usage type TimedStorage-ByteHrs (region prefix stripped: EUW2-TimedStorage-ByteHrs),
 * unit GB-Mo. The same usage type exists in other services (S3, EFS, CloudWatch): the query is by service code, so
 * only AmazonECR products are offered to this key.
 *  Where seen: [LON-OCT-2026] (below) lists ECR "$0.10 per GB-month" with usage type `EUW2-TimedStorage-ByteHrs`; a
 *  Cost Explorer fixture names "Amazon EC2 Container Registry (ECR)" with usage type TimedStorage-ByteHrs (search-tool
 *  file id 71333350755).
 *
 * Sources of the bundled values:
 *  [LON-OCT-2026] search-tool file id 70202682113 (see elb.ts), eu-west-2 offer files read 2026-10-06: ECR $0.10 per
 *      GB-month.
 *  us-east-1: no dated record of the rate was found (the $0.10 seen in tutorials is undated), so it is Price List only
 *  (unknown until the Price List refresh), as is every other region.
 */

const ECR = 'AmazonECR';
const STORAGE = 'TimedStorage-ByteHrs';

export const ECR_STORAGE_GB_MONTH: RatePriceKey = {
  key: 'ecrStorageGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: 'Amazon ECR private repository storage, per GB-month',
  priceList: {
    serviceCode: ECR,
    filters: {},
    match: (p) => (p.usage === STORAGE ? rateIn(p, ['GB-Mo']) : undefined),
  },
  bundled: bundledFrom({ asOf: '2026-10-06', source: '[LON-OCT-2026]', values: { 'eu-west-2': 0.1 } }),
};

/** Every ECR key. */
export const ECR_PRICE_KEYS: readonly RatePriceKey[] = Object.freeze([ECR_STORAGE_GB_MONTH]);
