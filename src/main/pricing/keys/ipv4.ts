import { bundledFrom, rateIn } from '../price-key';
import type { RatePriceKey } from '../types';

/*
 * The public IPv4 price, declared once: idle Elastic IPs and the addresses left on stopped instances use it.
 *
 * Sources of the bundled values:
 *  [IPV4-2024] AWS announcement "New – AWS Public IPv4 Address Charge + Public IP Insights" (2023-07-28): $0.005 per
 *      IP per hour for all public IPv4 addresses from 2024-02-01. It names one price and no regional variation; per-region
 *      records were found for eu-central-1, eu-west-2 and ap-northeast-2 ([FRA-2026], [LON-2026], [SEL-2026] in
 *      ebs-bundled.ts, all $0.005) and, in [V26]'s copy of AWS's vpc.json feed (2026-08-31), for 23 regions (all $0.005
 *      in use and idle); for the regions neither covers (ca-west-1, eu-central-2, eu-south-2, ap-south-2,
 *      ap-southeast-4/5/7, me-central-1, mx-central-1) this item rests on the announcement rather than a per-region
 *      record.
 *  [V26] github.com/iammanis/ec2-vps _data/rates.json (see ebs-bundled.ts), generated 2026-09-03: the source of every
 *      other il-central-1 price, so that region's entry is dated by it.
 *
 * Price List: service AmazonVPC, usage types PublicIPv4:InUseAddress and PublicIPv4:IdleAddress (both $0.005 Hrs);
 * the in-use rate is preferred when both are published. The VPC offer is small per region, and matching on usage type
 * avoids depending on its product-family name, so the query filters on the region alone.
 */

const IPV4_HOUR = 0.005;
const IN_USE = 'PublicIPv4:InUseAddress';
const IDLE = 'PublicIPv4:IdleAddress';

/** The commercial (aws partition) regions the app scans, but il-central-1 (dated by [V26] above). */
const ANNOUNCED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'mx-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ap-south-1', 'ap-south-2', 'ap-east-1', 'me-south-1',
  'me-central-1', 'af-south-1',
];

export const PUBLIC_IPV4_HOUR: RatePriceKey = {
  key: 'publicIpv4Hour',
  shape: 'rate',
  unit: 'Hrs',
  description: 'A public IPv4 address (idle or in use), per hour',
  priceList: {
    serviceCode: 'AmazonVPC',
    filters: {},
    match: (p) => (p.usage === IN_USE || p.usage === IDLE ? rateIn(p, ['Hrs']) : undefined),
    rank: (p) => (p.usage === IN_USE ? 1 : 0),
  },
  bundled: bundledFrom(
    { asOf: '2026-09-03', source: '[V26]', values: { 'il-central-1': IPV4_HOUR } },
    { asOf: '2024-02-01', source: '[IPV4-2024]', values: Object.fromEntries(ANNOUNCED_REGIONS.map((r) => [r, IPV4_HOUR])) },
  ),
};
