import { bundledFrom, rateIn } from '../price-key';
import type { PriceKey, RatePriceKey } from '../types';

/*
 * AWS KMS price keys: the disabled-key kind (handlers/kms-keys.ts) imports them.
 *
 * What a customer managed key costs: "Each AWS KMS key that you create in KMS costs $1/month. The $1/month charge is
 * the same for symmetric keys, asymmetric keys, each multi-Region key (each primary and each replica), keys with
 * imported key material, and keys in custom key stores. If you enable automatic key rotation, each newly generated
 * backing key costs an additional $1/month" (aws.amazon.com/kms/pricing, "Key Storage"). Keys scheduled for deletion
 * are not charged; AWS managed keys are free. Since AWS's rotation pricing change of April 2024 only the first and
 * second rotation of a key add $1/month each; later rotations add nothing (announced 2024-04-12 as cited by
 * canglad.com "Simple Math of AWS KMS Key Rotation Costs"; "the May 2024 key rotation pricing update" in
 * cloudburn.io/blog/aws-kms-pricing of 2026-03-14). The kind prices each of at most two rotated backing keys at the
 * same per-key-month rate.
 *
 * Source of the bundled value [KMSP]: aws.amazon.com/kms/pricing as quoted by cloudburn.io/blog/aws-kms-pricing,
 * dated 2026-03-14 ("All pricing data is sourced from the official AWS KMS pricing page and current as of March
 * 2026"): $1 per key-month. Bundled for us-east-1 only; other regions come from the Price List (unknown until then).
 *
 * Price List: service code `awskms`. The key-storage usage type is taken to be `KMS-Keys` (region-prefixed outside
 * us-east-1, `EUW1-KMS-Keys`): NOT verified against a recorded GetProducts answer here, so `match` accepts only that
 * exact usage (after the region prefix is stripped) with a per-key unit; request rows (`KMS-Requests`, per 10,000)
 * never match. If the Price List names it otherwise the key stays at its bundled value (us-east-1) or unknown.
 */

const KMS = 'awskms';

export const KMS_KEY_MONTH: RatePriceKey = {
  key: 'kmsKeyMonth',
  shape: 'rate',
  unit: 'Keys',
  description: 'A customer managed KMS key (or one rotated backing key of it), per month it exists and is not pending deletion',
  priceList: {
    serviceCode: KMS,
    filters: {},
    match: (p) => (p.usage === 'KMS-Keys' ? rateIn(p, ['Keys', 'Key-Mo', 'Mo', 'Keys-Mo']) : undefined),
  },
  bundled: bundledFrom({ asOf: '2026-03-14', source: '[KMSP]', values: { 'us-east-1': 1 } }),
};

export const KMS_PRICE_KEYS: readonly PriceKey[] = Object.freeze([KMS_KEY_MONTH]);
