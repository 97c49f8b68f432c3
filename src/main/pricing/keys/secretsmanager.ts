import { bundledFrom, rateIn } from '../price-key';
import type { RatePriceKey } from '../types';

/*
 * AWS Secrets Manager price keys, declared once: the unused secret kind imports them. A secret bills per secret-month
 * (prorated by the hour) in each Region it is stored in: a replica is a secret of its own Region and bills there. API
 * calls ($0.05 per 10,000) are billed apart and not declared (an unused secret makes none).
 *
 * Price List: service AWSSecretsManager, product family "Secret", usage type AWSSecretsManager-Secrets (region prefix
 * stripped: USE1-/EUW2-AWSSecretsManager-Secrets), unit "Secrets". Neighbour that must not match:
 * AWSSecretsManagerAPIRequest (the API calls).
 *  Where seen: infracost's filter (product family Secret, usage type /.*-AWSSecretsManager-Secrets/, unit Secrets;
 *  search-tool file id 31304098012); a Cost Explorer record with usage code USE1-AWSSecretsManager-Secrets in unit
 *  "Secrets" (file id 67351043990); [LON-OCT-2026] (below).
 *
 * Sources of the bundled values:
 *  [LON-OCT-2026] search-tool file id 70202682113 (see elb.ts), eu-west-2 offer files read 2026-10-06: "$0.40 per
 *      secret-month", usage type EUW2-AWSSecretsManager-Secrets.
 *  us-east-1: no dated record of the rate was found ($0.40 is widely quoted, undated), so it is Price List only
 *  (unknown until the Price List refresh), as is every other region.
 */

const SM = 'AWSSecretsManager';
const SECRETS = 'AWSSecretsManager-Secrets';

export const SECRET_MONTH: RatePriceKey = {
  key: 'secretsManagerSecretMonth',
  shape: 'rate',
  unit: 'Secrets',
  description: 'One Secrets Manager secret (or replica), per month it is stored',
  priceList: {
    serviceCode: SM,
    filters: { productFamily: 'Secret' },
    match: (p) => (p.usage === SECRETS ? rateIn(p, ['Secrets']) : undefined),
  },
  bundled: bundledFrom({ asOf: '2026-10-06', source: '[LON-OCT-2026]', values: { 'eu-west-2': 0.4 } }),
};

/** Every Secrets Manager key. */
export const SECRETS_MANAGER_PRICE_KEYS: readonly RatePriceKey[] = Object.freeze([SECRET_MONTH]);
