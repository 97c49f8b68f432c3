import { bundledFrom, rateIn } from '../price-key';
import type { PriceListProduct, RatePriceKey } from '../types';

/*
 * Interface VPC endpoint (AWS PrivateLink) prices, declared once: the unused interface endpoint kind imports them.
 * An interface endpoint bills per hour in each Availability Zone it is provisioned in, plus per GB processed. Gateway
 * endpoints (S3, DynamoDB) are free and have no key.
 *
 * VPC_ENDPOINT_GB is a rate, the first tier. AWS tiers endpoint data processing (first 1 PB a month, next 4 PB,
 * above 5 PB: $0.01 / $0.006 / $0.004 per GB in us-east-1) and applies the tiers to the total processed by all
 * interface endpoints in a Region in the month, not per endpoint ([PL-0929], quoting the PrivateLink pricing page). A
 * single endpoint's share cannot be placed on that ladder without the account's regional total, which a scan does
 * not know; an endpoint the app reports is one that processes next to nothing, well inside the first tier. The first
 * tier is exact below 1 PB a month per Region and overstates only above it.
 *
 * Sources of the bundled values (a region a source does not name has no value from it):
 *  [PL-0929] search-tool file id 71085696288, a pricing note researched 2026-09-29 from the AmazonVPC offer files
 *      (publicationDate 2026-09-17T19:05:28Z): USE1-VpcEndpoint-Hours $0.01 and ap-southeast-5 $0.0117 per hour;
 *      VpcEndpoint-Bytes tiers 0-1048576 GB $0.01, 1048576-5242880 GB $0.006, above $0.004 in both regions.
 *  [SEL-2026] search-tool file id 70096080417 (see ebs-bundled.ts), offer files for ap-northeast-2 read 2026-10-01
 *      (AmazonVPC published 2026-09-17): APN2-VpcEndpoint-Hours $0.013 per hour per AZ, APN2-VpcEndpoint-Bytes $0.01
 *      per GB up to 1 PB.
 *  [LON-OCT-2026] search-tool file id 70202682113 (see elb.ts), eu-west-2 offer files read 2026-10-06 (AmazonVPC
 *      published 2026-09-17): EUW2-VpcEndpoint-Hours $0.011, EUW2-VpcEndpoint-Bytes $0.01 per GB (first 1 PB).
 *  [TYO-2026] search-tool file id 71235691455 (see elb.ts), the Tokyo Price List read 2026-10-10: interface endpoint
 *      $0.014 per endpoint per AZ per hour (APN1-VpcEndpoint-Hours), data processed $0.01 per GB up to 1 PB.
 *  [USW2-2026] search-tool file id 71631573162, a deployment guide's price table checked 2026-10-06: $0.01 per
 *      endpoint-AZ hour (USW2-VpcEndpoint-Hours, "AWS Pricing API") and $0.01 per GB processed.
 *  [FRA-2026] search-tool file id 71014389131, a benchmark report's price card, entry done 2026-09-22: Price List API,
 *      AmazonVPC / VpcEndpoint / EUC1-VpcEndpoint-Bytes / endpointType PrivateLink, first tier $0.01 per GB; the same
 *      family prices EUC1-VpcEndpoint-Hours at $0.012 per hour (cross-checked there against the account's CUR).
 *  [SIN-2026] search-tool file id 65849972716 (see elb.ts), ap-southeast-1 rates queried from the AWS Pricing API on
 *      2026-08-21: interface endpoint $0.013 per hour per AZ (APS1-VpcEndpoint-Hours). No per-GB rate given.
 *  Every other region is unknown (no dated per-region record found; regional prices differ, as the sources show).
 *  Not used: an ap-south-1 $0.013 per hour from an undated account review (file id 61934606297), an eu-west-1 rate
 *  implied by a bill (cost ÷ endpoint-hours, file id 55024172321), and notes that assume us-east-1's $0.01 elsewhere.
 *
 * Price List: service AmazonVPC, product family VpcEndpoint (operation VpcEndpoint, group VPCE:VpcEndpoint,
 * endpointType PrivateLink), usage types VpcEndpoint-Hours (Hrs) and VpcEndpoint-Bytes (GB, one product whose
 * dimensions are the three tiers); USE1- prefixed in us-east-1 ([PL-0929]). Neighbours in the same offer that must not
 * match: VpcEndpoint-GWLBE-Hours / VpcEndpoint-GWLBE-Bytes (Gateway Load Balancer endpoints, $0.01 per hour and
 * $0.0035 per GB in us-east-1) and the VpcResourceConsumer rows (resource endpoints), both in [PL-0929]; the public
 * IPv4 rows (ipv4.ts). As in ipv4.ts the query filters on the region alone (the same query, fetched once).
 */

const VPC = 'AmazonVPC';
const HOURS = 'VpcEndpoint-Hours';
const BYTES = 'VpcEndpoint-Bytes';

/** The hourly rate of an interface endpoint product. */
function hourRate(p: PriceListProduct): number | undefined {
  return p.usage === HOURS ? rateIn(p, ['Hrs']) : undefined;
}

/** The first-tier (from 0 GB) rate of the data-processing product; a product holding only a higher tier gives none. */
function firstTierGbRate(p: PriceListProduct): number | undefined {
  if (p.usage !== BYTES) return undefined;
  return p.dimensions.find((d) => d.unit === 'GB' && d.beginRange === 0 && d.usd > 0)?.usd;
}

export const VPC_ENDPOINT_HOUR: RatePriceKey = {
  key: 'vpcEndpointHour',
  shape: 'rate',
  unit: 'Hrs',
  description: 'An interface VPC endpoint (AWS PrivateLink), per hour in each Availability Zone it is provisioned in',
  priceList: { serviceCode: VPC, filters: {}, match: hourRate },
  bundled: bundledFrom(
    { asOf: '2026-10-10', source: '[TYO-2026]', values: { 'ap-northeast-1': 0.014 } },
    { asOf: '2026-10-06', source: '[LON-OCT-2026]', values: { 'eu-west-2': 0.011 } },
    { asOf: '2026-10-06', source: '[USW2-2026]', values: { 'us-west-2': 0.01 } },
    { asOf: '2026-10-01', source: '[SEL-2026]', values: { 'ap-northeast-2': 0.013 } },
    { asOf: '2026-09-29', source: '[PL-0929]', values: { 'us-east-1': 0.01, 'ap-southeast-5': 0.0117 } },
    { asOf: '2026-09-22', source: '[FRA-2026]', values: { 'eu-central-1': 0.012 } },
    { asOf: '2026-08-21', source: '[SIN-2026]', values: { 'ap-southeast-1': 0.013 } },
  ),
};

export const VPC_ENDPOINT_GB: RatePriceKey = {
  key: 'vpcEndpointGb',
  shape: 'rate',
  unit: 'GB',
  description: 'Data processed by interface VPC endpoints, per GB, first tier (the first 1 PB a month in a Region)',
  priceList: { serviceCode: VPC, filters: {}, match: firstTierGbRate },
  bundled: bundledFrom(
    { asOf: '2026-10-10', source: '[TYO-2026]', values: { 'ap-northeast-1': 0.01 } },
    { asOf: '2026-10-06', source: '[LON-OCT-2026]', values: { 'eu-west-2': 0.01 } },
    { asOf: '2026-10-06', source: '[USW2-2026]', values: { 'us-west-2': 0.01 } },
    { asOf: '2026-10-01', source: '[SEL-2026]', values: { 'ap-northeast-2': 0.01 } },
    { asOf: '2026-09-29', source: '[PL-0929]', values: { 'us-east-1': 0.01, 'ap-southeast-5': 0.01 } },
    { asOf: '2026-09-22', source: '[FRA-2026]', values: { 'eu-central-1': 0.01 } },
  ),
};

/** Every interface VPC endpoint key. */
export const VPC_ENDPOINT_PRICE_KEYS: readonly RatePriceKey[] = Object.freeze([VPC_ENDPOINT_HOUR, VPC_ENDPOINT_GB]);
