import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundledPriceBook } from '../price-book';
import { price } from '../price-key';
import { parsePriceListItems, parseProduct } from '../price-list';
import type { PriceListProduct, RatePriceKey } from '../types';
import { ALB_HOUR, ALB_LCU_HOUR, CLB_GB, CLB_HOUR, ELB_PRICE_KEYS, GWLB_HOUR, GWLB_LCU_HOUR, NLB_HOUR, NLB_LCU_HOUR } from './elb';
import { NAT_GATEWAY_GB, NAT_GATEWAY_HOUR, NAT_GATEWAY_PRICE_KEYS } from './nat-gateway';
import { VPC_ENDPOINT_GB, VPC_ENDPOINT_HOUR, VPC_ENDPOINT_PRICE_KEYS } from './vpc-endpoint';

/*
 * The NAT gateway, load balancer and interface endpoint keys: their Price List matches on products built like the
 * GetProducts entries of price-list.test.ts (real usage types, families and operations, with region prefixes), and
 * their bundled values.
 */

/** The commercial regions the app scans (ipv4.ts ANNOUNCED_REGIONS plus il-central-1). */
const SCANNED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'mx-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ap-south-1', 'ap-south-2', 'ap-east-1', 'me-south-1',
  'me-central-1', 'af-south-1', 'il-central-1',
];

interface Dim {
  unit: string;
  usd: string;
  beginRange?: string;
  endRange?: string;
}

/** One GetProducts PriceList entry (a JSON string), in the shape the Price List Query API returns. */
function entry(
  serviceCode: string,
  sku: string,
  productFamily: string,
  attributes: Record<string, string>,
  dims: Dim[],
  locationType = 'AWS Region',
): string {
  const term = `${sku}.JRTCKXETXF`;
  const priceDimensions = Object.fromEntries(
    dims.map((d, i) => {
      const rateCode = `${term}.${['6YS6EN2CT7', '2TG2D8R56U', 'RFXJ2X4CRE'][i] ?? '6YS6EN2CT7'}`;
      return [
        rateCode,
        { unit: d.unit, endRange: d.endRange ?? 'Inf', beginRange: d.beginRange ?? '0', rateCode, appliesTo: [], pricePerUnit: { USD: d.usd } },
      ];
    }),
  );
  return JSON.stringify({
    product: { productFamily, attributes: { locationType, servicecode: serviceCode, ...attributes }, sku },
    serviceCode,
    terms: { OnDemand: { [term]: { priceDimensions, sku, offerTermCode: 'JRTCKXETXF', effectiveDate: '2026-09-01T00:00:00Z', termAttributes: {} } } },
    version: '20260911124544',
    publicationDate: '2026-09-11T12:45:44Z',
  });
}

function product(serviceCode: string, json: string): PriceListProduct {
  const p = parseProduct(serviceCode, json);
  if (!p) throw new Error('unparseable fixture');
  return p;
}

/** An AWSELB product of eu-west-2 (prefix EUW2-) unless a usagetype with another prefix is given. */
function elb(sku: string, family: string, usagetype: string, operation: string, unit: string, usd: string, extra: Record<string, string> = {}): string {
  return entry('AWSELB', sku, family, { usagetype, operation, regionCode: 'eu-west-2', location: 'EU (London)', group: 'ELB:Balancing', ...extra }, [{ unit, usd }]);
}

/*
 * The eu-west-2 AWSELB offer as recorded (family, usage type, operation, unit; see elb.ts): the real rates where a dated
 * record gives one, and for the rest distinct made-up rates (in the 0.00x range) so a cross-match would show.
 */
const ELB_PRODUCTS = {
  albHour: elb('ALBH', 'Load Balancer-Application', 'EUW2-LoadBalancerUsage', 'LoadBalancing:Application', 'Hrs', '0.0264600000', { groupDescription: 'LoadBalancer hourly usage by Application Load Balancer' }),
  albLcu: elb('ALBL', 'Load Balancer-Application', 'EUW2-LCUUsage', 'LoadBalancing:Application', 'LCU-Hrs', '0.0084000000', { groupDescription: 'Used Application Load Balancer capacity units-hr' }),
  nlbHour: elb('NLBH', 'Load Balancer-Network', 'EUW2-LoadBalancerUsage', 'LoadBalancing:Network', 'Hrs', '0.0264700000'),
  nlbLcu: elb('NLBL', 'Load Balancer-Network', 'EUW2-LCUUsage', 'LoadBalancing:Network', 'LCU-Hrs', '0.0063000000'),
  gwlbHour: elb('GWLH', 'Load Balancer-Gateway', 'EUW2-LoadBalancerUsage', 'LoadBalancing:Gateway', 'Hrs', '0.0147000000'),
  gwlbLcu: elb('GWLL', 'Load Balancer-Gateway', 'EUW2-LCUUsage', 'LoadBalancing:Gateway', 'GLCU-Hrs', '0.0042000000'),
  clbHour: elb('CLBH', 'Load Balancer', 'EUW2-LoadBalancerUsage', 'LoadBalancing', 'Hrs', '0.0294000000'),
  clbGb: elb('CLBG', 'Load Balancer', 'EUW2-DataProcessing-Bytes', 'LoadBalancing', 'GB', '0.0085000000'),
};

/** Neighbours in the same offer that are none of the keys. */
const ELB_DECOYS = {
  trustStore: elb('ALBT', 'Load Balancer-Application', 'EUW2-TS-LoadBalancerUsage', 'LoadBalancing:Application', 'Hrs', '0.0059000000'),
  reservedLcu: elb('ALBR', 'Load Balancer-Application', 'EUW2-ReservedLCUUsage', 'LoadBalancing:Application', 'ReservedLCU-Hr', '0.0084000000'),
  idleLcu: elb('ALBI', 'Load Balancer-Application', 'EUW2-IdleProvisionedLBCapacity', 'LoadBalancing:Application', 'IdleLCU-Hr', '0.0084000000'),
  outpostsLcu: elb('ALBO', 'Load Balancer-Application', 'EUW2-Outposts-LCUUsage', 'LoadBalancing:Application', 'LCU-Hrs', '0.0000000000'),
  outpostsHour: entry(
    'AWSELB', 'ALBP', 'Load Balancer-Application',
    { usagetype: 'EUW2-Outposts-LoadBalancerUsage', operation: 'LoadBalancing:Application', regionCode: 'eu-west-2' },
    [{ unit: 'Hrs', usd: '0.0264600000' }], 'AWS Outposts',
  ),
  // us-east-1 ELB usage types carry no prefix: the price service's strip turns the trust store's into LoadBalancerUsage.
  trustStoreUse1: elb('ALBU', 'Load Balancer-Application', 'TS-LoadBalancerUsage', 'LoadBalancing:Application', 'Hrs', '0.0050000000', { regionCode: 'us-east-1' }),
};

const ELB_OWN: ReadonlyArray<readonly [RatePriceKey, keyof typeof ELB_PRODUCTS, number]> = [
  [ALB_HOUR, 'albHour', 0.02646],
  [ALB_LCU_HOUR, 'albLcu', 0.0084],
  [NLB_HOUR, 'nlbHour', 0.02647],
  [NLB_LCU_HOUR, 'nlbLcu', 0.0063],
  [GWLB_HOUR, 'gwlbHour', 0.0147],
  [GWLB_LCU_HOUR, 'gwlbLcu', 0.0042],
  [CLB_HOUR, 'clbHour', 0.0294],
  [CLB_GB, 'clbGb', 0.0085],
];

function ec2(sku: string, usagetype: string, operation: string, unit: string, usd: string): string {
  return entry('AmazonEC2', sku, 'NAT Gateway', { usagetype, operation, regionCode: 'eu-west-1', location: 'EU (Ireland)', group: 'NGW:NatGateway' }, [{ unit, usd }]);
}

const NAT = {
  hours: ec2('NATH', 'EU-NatGateway-Hours', 'NatGateway', 'Hrs', '0.0480000000'),
  bytes: ec2('NATB', 'EU-NatGateway-Bytes', 'NatGateway', 'GB', '0.0481000000'),
  regionalHours: ec2('NATR', 'EU-RegionalNatGateway-Hours', 'RegionalNatGateway', 'Hrs', '0.0700000000'),
  regionalBytes: ec2('NATS', 'EU-RegionalNatGateway-Bytes', 'RegionalNatGateway', 'GB', '0.0490000000'),
  provisioned: ec2('NATP', 'EU-NatGateway-Prvd-Bytes', 'NatGateway', 'GB', '0.0000000000'),
};

function vpc(sku: string, family: string, usagetype: string, operation: string, dims: Dim[]): string {
  return entry('AmazonVPC', sku, family, { usagetype, operation, regionCode: 'ap-northeast-1', location: 'Asia Pacific (Tokyo)', endpointType: 'PrivateLink' }, dims);
}

const VPCE = {
  hours: vpc('VPCH', 'VpcEndpoint', 'APN1-VpcEndpoint-Hours', 'VpcEndpoint', [{ unit: 'Hrs', usd: '0.0140000000' }]),
  bytes: vpc('VPCB', 'VpcEndpoint', 'APN1-VpcEndpoint-Bytes', 'VpcEndpoint', [
    { unit: 'GB', usd: '0.0100000000', beginRange: '0', endRange: '1048576' },
    { unit: 'GB', usd: '0.0060000000', beginRange: '1048576', endRange: '5242880' },
    { unit: 'GB', usd: '0.0040000000', beginRange: '5242880' },
  ]),
  gwlbeHours: vpc('VPGH', 'VpcEndpoint', 'APN1-VpcEndpoint-GWLBE-Hours', 'VpcEndpoint', [{ unit: 'Hrs', usd: '0.0141000000' }]),
  gwlbeBytes: vpc('VPGB', 'VpcEndpoint', 'APN1-VpcEndpoint-GWLBE-Bytes', 'VpcEndpoint', [{ unit: 'GB', usd: '0.0035000000' }]),
  ipv4: vpc('VPIP', 'VPCPublicIPv4Address', 'APN1-PublicIPv4:InUseAddress', '', [{ unit: 'Hrs', usd: '0.0050000000' }]),
};

describe('load balancer keys (AWSELB)', () => {
  const all = [...Object.values(ELB_PRODUCTS), ...Object.values(ELB_DECOYS)];

  it('each key matches its own product and no other (ALB, NLB, GWLB and Classic share usage types)', () => {
    for (const [key, own, value] of ELB_OWN) {
      expect(key.priceList?.match(product('AWSELB', ELB_PRODUCTS[own])), key.key).toBe(value);
      for (const other of all) {
        if (other === ELB_PRODUCTS[own]) continue;
        expect(key.priceList?.match(product('AWSELB', other)), `${key.key} on ${other.slice(0, 120)}`).toBeUndefined();
      }
    }
  });

  it('ignores the bare us-east-1 trust-store usage type, which the prefix strip makes look like LoadBalancerUsage', () => {
    const ts = product('AWSELB', ELB_DECOYS.trustStoreUse1);
    expect(ts.usage).toBe('LoadBalancerUsage');
    expect(ALB_HOUR.priceList?.match(ts)).toBeUndefined();
    const alb = product('AWSELB', elb('ALBV', 'Load Balancer-Application', 'LoadBalancerUsage', 'LoadBalancing:Application', 'Hrs', '0.0225000000'));
    expect(ALB_HOUR.priceList?.match(alb)).toBe(0.0225);
  });

  it('takes the type from the product family when a product has no operation', () => {
    const bare = product('AWSELB', entry('AWSELB', 'NLBX', 'Load Balancer-Network', { usagetype: 'EU-LoadBalancerUsage', regionCode: 'eu-west-1' }, [{ unit: 'Hrs', usd: '0.0252000000' }]));
    expect(NLB_HOUR.priceList?.match(bare)).toBe(0.0252);
    expect(ALB_HOUR.priceList?.match(bare)).toBeUndefined();
  });

  it('parses a whole region of the offer into one value per key (one query, Outposts and decoys left out)', () => {
    const found = parsePriceListItems(ELB_PRICE_KEYS, 'AWSELB', [...all].reverse());
    expect(found).toEqual(Object.fromEntries(ELB_OWN.map(([k, , v]) => [k.key, v])));
    expect(new Set(ELB_PRICE_KEYS.map((k) => JSON.stringify([k.priceList?.serviceCode, k.priceList?.filters])))).toEqual(new Set([JSON.stringify(['AWSELB', {}])]));
  });
});

describe('NAT gateway keys (AmazonEC2)', () => {
  it('hours and bytes match their own usage type only, not the regional or provisioned rows', () => {
    expect(NAT_GATEWAY_HOUR.priceList?.match(product('AmazonEC2', NAT.hours))).toBe(0.048);
    expect(NAT_GATEWAY_GB.priceList?.match(product('AmazonEC2', NAT.bytes))).toBe(0.0481);
    expect(NAT_GATEWAY_HOUR.priceList?.match(product('AmazonEC2', NAT.bytes))).toBeUndefined();
    expect(NAT_GATEWAY_GB.priceList?.match(product('AmazonEC2', NAT.hours))).toBeUndefined();
    for (const other of [NAT.regionalHours, NAT.regionalBytes, NAT.provisioned]) {
      for (const key of NAT_GATEWAY_PRICE_KEYS) expect(key.priceList?.match(product('AmazonEC2', other))).toBeUndefined();
    }
    expect(parsePriceListItems(NAT_GATEWAY_PRICE_KEYS, 'AmazonEC2', Object.values(NAT))).toEqual({ natGatewayHour: 0.048, natGatewayGb: 0.0481 });
  });

  it('queries the NAT Gateway product family of AmazonEC2', () => {
    for (const k of NAT_GATEWAY_PRICE_KEYS) expect(k.priceList).toMatchObject({ serviceCode: 'AmazonEC2', filters: { productFamily: 'NAT Gateway' } });
  });
});

describe('interface VPC endpoint keys (AmazonVPC)', () => {
  it('the hour key takes VpcEndpoint-Hours, the GB key the first tier of VpcEndpoint-Bytes; GWLB endpoints and IPv4 are ignored', () => {
    expect(VPC_ENDPOINT_HOUR.priceList?.match(product('AmazonVPC', VPCE.hours))).toBe(0.014);
    expect(VPC_ENDPOINT_GB.priceList?.match(product('AmazonVPC', VPCE.bytes))).toBe(0.01);
    expect(VPC_ENDPOINT_HOUR.priceList?.match(product('AmazonVPC', VPCE.bytes))).toBeUndefined();
    expect(VPC_ENDPOINT_GB.priceList?.match(product('AmazonVPC', VPCE.hours))).toBeUndefined();
    for (const other of [VPCE.gwlbeHours, VPCE.gwlbeBytes, VPCE.ipv4]) {
      for (const key of VPC_ENDPOINT_PRICE_KEYS) expect(key.priceList?.match(product('AmazonVPC', other))).toBeUndefined();
    }
    expect(parsePriceListItems(VPC_ENDPOINT_PRICE_KEYS, 'AmazonVPC', Object.values(VPCE).reverse())).toEqual({ vpcEndpointHour: 0.014, vpcEndpointGb: 0.01 });
  });

  it('reads no GB rate from a product holding only a higher tier', () => {
    const tier2 = vpc('VPC2', 'VpcEndpoint', 'APN1-VpcEndpoint-Bytes', 'VpcEndpoint', [{ unit: 'GB', usd: '0.0060000000', beginRange: '1048576', endRange: '5242880' }]);
    expect(VPC_ENDPOINT_GB.priceList?.match(product('AmazonVPC', tier2))).toBeUndefined();
  });
});

const FILES: ReadonlyArray<readonly [string, readonly RatePriceKey[]]> = [
  ['nat-gateway.ts', NAT_GATEWAY_PRICE_KEYS],
  ['elb.ts', ELB_PRICE_KEYS],
  ['vpc-endpoint.ts', VPC_ENDPOINT_PRICE_KEYS],
];

describe('bundled values', () => {
  it('are the published us-east-1 prices', () => {
    const p = createBundledPriceBook(FILES.flatMap(([, keys]) => keys)).forRegion('us-east-1')!;
    expect(
      Object.fromEntries(FILES.flatMap(([, keys]) => keys).map((k) => [k.key, price(p, k)])),
    ).toEqual({
      natGatewayHour: 0.045,
      natGatewayGb: 0.045,
      albHour: 0.0225,
      albLcuHour: 0.008,
      nlbHour: 0.0225,
      nlbLcuHour: 0.006,
      gwlbHour: 0.0125,
      gwlbLcuHour: 0.004,
      clbHour: 0.025,
      clbGb: 0.008,
      vpcEndpointHour: 0.01,
      vpcEndpointGb: 0.01,
    });
  });

  it('differ by region where the sources say so', () => {
    const at = (k: RatePriceKey, r: string): number | undefined => k.bundled[r]?.value;
    expect(at(NAT_GATEWAY_HOUR, 'sa-east-1')).toBe(0.093);
    expect(at(NAT_GATEWAY_HOUR, 'ap-northeast-1')).toBe(0.062);
    expect(at(ALB_HOUR, 'eu-west-2')).toBe(0.02646);
    expect(at(ALB_LCU_HOUR, 'eu-west-2')).toBe(0.0084);
    expect(at(VPC_ENDPOINT_HOUR, 'ap-northeast-1')).toBe(0.014);
  });

  it('each has a date and a source named in its module’s notes, is positive, and is for a scanned region', () => {
    for (const [file, keys] of FILES) {
      const text = readFileSync(join(import.meta.dirname, file), 'utf8');
      const notes = text.slice(0, text.indexOf('*/'));
      for (const k of keys) {
        expect(Object.keys(k.bundled).length, k.key).toBeGreaterThan(0);
        for (const [region, b] of Object.entries(k.bundled)) {
          const where = `${k.key} ${region}`;
          expect(SCANNED_REGIONS, where).toContain(region);
          expect(b.value, where).toBeGreaterThan(0);
          expect(Number.isFinite(b.value), where).toBe(true);
          expect(b.asOf, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(Number.isNaN(Date.parse(b.asOf)), where).toBe(false);
          const cited = b.source.match(/\[[A-Z0-9-]+\]/g) ?? [];
          expect(cited.length, where).toBeGreaterThan(0);
          for (const s of cited) expect(notes, `${where}: ${s} not in the notes of ${file}`).toContain(`${s} `);
        }
      }
    }
  });

  it('leave the regions no source covers unknown', () => {
    for (const r of ['ca-west-1', 'mx-central-1', 'eu-central-2', 'ap-southeast-7']) {
      for (const [, keys] of FILES) for (const k of keys) expect(Object.hasOwn(k.bundled, r), `${k.key} ${r}`).toBe(false);
    }
    expect(Object.hasOwn(CLB_GB.bundled, 'eu-west-2')).toBe(false);
  });
});
