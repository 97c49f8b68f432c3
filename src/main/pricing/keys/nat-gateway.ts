import { bundledFrom, rateIn } from '../price-key';
import type { RatePriceKey } from '../types';

/*
 * NAT gateway prices, declared once: the idle NAT gateway kind (and any kind that counts NAT traffic) imports them.
 * A (zonal, public) NAT gateway bills per hour it exists plus per GB it processes; its Elastic IP is billed apart
 * (publicIpv4Hour, ipv4.ts).
 *
 * Sources of the bundled values:
 *  [V26] github.com/iammanis/ec2-vps _data/rates.json (commit 01472877; search-tool file id 67128407378; see
 *      ebs-bundled.ts), written by its tools/build_pricing.py from AWS's NAT gateway pricing-page feed
 *      b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/ec2/USD/current/natgateway.json, keys "Hourly charge for NAT
 *      Gateways" (nat_hr) and "Charge for per GB data processed by NatGateways" (nat_gb). _data/meta.json of the same
 *      commit: generated 2026-09-03T19:28:36Z, natgateway feed published 2026-09-03T16:32:44Z. 23 regions; in every one
 *      the hourly and the per-GB rate are equal. Newer dated records agree wherever they overlap: eu-west-2 $0.05/$0.05
 *      (Price List CSV rows of 2026-09-11, search-tool file id 69613379798, and an eu-west-2 offer-file read of
 *      2026-10-06, file id 70202682113), ap-northeast-2 $0.059/$0.059 (offer files read 2026-10-01, file id
 *      70096080417), ap-southeast-1 $0.059 (Pricing API, 2026-08-21, file id 65849972716), af-south-1 $0.057/$0.057
 *      (AmazonEC2 SKUs U73HRB9YKHATEZNY and VJUNJK7THUCUPZ5C, 2026-09-07, file id 66441926499).
 *  Unknown (no dated per-region record found): ca-west-1, mx-central-1, eu-central-2, eu-south-2, ap-south-2,
 *  ap-southeast-4, ap-southeast-5, ap-southeast-7, me-central-1. Searched without result: usage types CAN2-, MEC1-,
 *  EUC2-, APS5-, APS7-NatGateway. Cost Explorer unit costs for eu-south-2 (cost ÷ quantity, file ids 71444333431,
 *  71142054931) were not used: they are an account's billed averages, not published rates.
 *
 * Price List: service AmazonEC2, product family "NAT Gateway" (operation NatGateway), usage types NatGateway-Hours
 * (Hrs) and NatGateway-Bytes (GB); in us-east-1 they carry no region prefix. Neighbours in the same family that must not
 * match: RegionalNatGateway-Hours / RegionalNatGateway-Bytes (regional NAT gateways, priced separately) and the
 * provisioned-bandwidth rows (a $0 per-GB rate, never a price here). Seen in recorded eu-west-2 and us-east-1 rows
 * (file ids 69613379798, 67185914767) and in Price List query code naming the family and groupDescriptions "Hourly
 * charge for NAT Gateways" / "Charge for per GB data processed by NatGateways" (file ids 66549593760, 68833981550).
 * The EC2 offer is large, so the query filters on the product family.
 */

const EC2 = 'AmazonEC2';
const FAMILY = 'NAT Gateway';
const HOURS = 'NatGateway-Hours';
const BYTES = 'NatGateway-Bytes';

/** [V26]: the hourly rate, which equals the per-GB rate in every region it lists. */
const V26_RATE: Readonly<Record<string, number>> = {
  'us-east-1': 0.045,
  'us-east-2': 0.045,
  'us-west-1': 0.048,
  'us-west-2': 0.045,
  'ca-central-1': 0.05,
  'sa-east-1': 0.093,
  'eu-west-1': 0.048,
  'eu-west-2': 0.05,
  'eu-west-3': 0.05,
  'eu-central-1': 0.052,
  'eu-north-1': 0.046,
  'eu-south-1': 0.05,
  'ap-northeast-1': 0.062,
  'ap-northeast-2': 0.059,
  'ap-northeast-3': 0.062,
  'ap-southeast-1': 0.059,
  'ap-southeast-2': 0.059,
  'ap-southeast-3': 0.059,
  'ap-south-1': 0.056,
  'ap-east-1': 0.065,
  'me-south-1': 0.0528,
  'af-south-1': 0.057,
  'il-central-1': 0.0504,
};

export const NAT_GATEWAY_HOUR: RatePriceKey = {
  key: 'natGatewayHour',
  shape: 'rate',
  unit: 'Hrs',
  description: 'A NAT gateway, per hour it exists (data processed and its public IPv4 address are billed apart)',
  priceList: {
    serviceCode: EC2,
    filters: { productFamily: FAMILY },
    match: (p) => (p.usage === HOURS ? rateIn(p, ['Hrs']) : undefined),
  },
  bundled: bundledFrom({ asOf: '2026-09-03', source: '[V26]', values: V26_RATE }),
};

export const NAT_GATEWAY_GB: RatePriceKey = {
  key: 'natGatewayGb',
  shape: 'rate',
  unit: 'GB',
  description: 'Data processed by a NAT gateway, per GB',
  priceList: {
    serviceCode: EC2,
    filters: { productFamily: FAMILY },
    match: (p) => (p.usage === BYTES ? rateIn(p, ['GB']) : undefined),
  },
  bundled: bundledFrom({ asOf: '2026-09-03', source: '[V26]', values: V26_RATE }),
};

/** Every NAT gateway key. */
export const NAT_GATEWAY_PRICE_KEYS: readonly RatePriceKey[] = Object.freeze([NAT_GATEWAY_HOUR, NAT_GATEWAY_GB]);
