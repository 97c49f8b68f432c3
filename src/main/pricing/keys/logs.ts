import { bundledFrom, rateIn } from '../price-key';
import type { PriceKey, RatePriceKey } from '../types';

/*
 * CloudWatch Logs price keys, declared once: the log-group kinds (handlers/logs-groups.ts) import them.
 *
 * What is declared: the storage ("archival") of log data of the Standard log class, per GB-month. Ingestion is not
 * declared (the kinds price what a group stores, which is what a retention policy or a delete stops billing). The
 * Infrequent Access class bills storage under its own usage type (TimedStorage-IA-ByteHrs) and is not declared: an
 * Infrequent Access group's cost is unknown, never priced at the Standard rate.
 *
 * Price List (service AmazonCloudWatch): product family "Storage Snapshot", usage type TimedStorage-ByteHrs (a region
 * prefix such as USE1- is stripped by the price service), unit GB-Mo. Neighbours that must not match:
 * TimedStorage-IA-ByteHrs and TimedStorage-AIA-ByteHrs (the other log classes), and anything else the family holds.
 *  Where seen: infracost's filter (github.com/infracost/infracost internal/resources/aws/cloudwatch_log_group.go, search
 *  tool file id 37932918475: service AmazonCloudWatch, family "Storage Snapshot", usagetype /-TimedStorage-ByteHrs/);
 *  the CloudWatch Logs guide naming TimedStorage-ByteHrs (Standard), TimedStorage-IA-ByteHrs (Infrequent Access) and
 *  TimedStorage-AIA-ByteHrs as the storage usage types (file id 58568239144).
 *
 * Source of the bundled value (us-east-1 only; every other region is Price List only):
 *  [CWLP-2026-06] c3x.dev/blog/cloudwatch-logs-cost-optimization, "The complete CloudWatch Logs pricing, us-east-1,
 *      June 2026": Standard log class storage $0.03 per GB-month (the CWLP source of AWS-FACTS-BEYOND-EC2.md, kind 5).
 */

const CLOUDWATCH = 'AmazonCloudWatch';
const FAMILY = 'Storage Snapshot';

export const LOGS_STORAGE_GB_MONTH: RatePriceKey = {
  key: 'logsStorageGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: 'CloudWatch Logs stored log data of the Standard log class, per GB-month',
  priceList: {
    serviceCode: CLOUDWATCH,
    filters: { productFamily: FAMILY },
    match: (p) => (p.productFamily === FAMILY && p.usage === 'TimedStorage-ByteHrs' ? rateIn(p, ['GB-Mo', 'GB-month']) : undefined),
  },
  bundled: bundledFrom({ asOf: '2026-06-01', source: '[CWLP-2026-06]', values: { 'us-east-1': 0.03 } }),
};

/** The storage price of a log class; undefined (unknown) for the classes without a declared key. */
export function logsStorageKey(logGroupClass: string | null | undefined): RatePriceKey | undefined {
  return logGroupClass === undefined || logGroupClass === null || logGroupClass === 'STANDARD' ? LOGS_STORAGE_GB_MONTH : undefined;
}

export const LOGS_PRICE_KEYS: readonly PriceKey[] = Object.freeze([LOGS_STORAGE_GB_MONTH]);
