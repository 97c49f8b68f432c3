import { describe, expect, it } from 'vitest';
import { EBS_GB_MONTH, IO2_IOPS_TIERS } from './keys/ebs';
import { BUNDLED_PRICES_AS_OF, createBundledPriceBook, priceItems } from './price-book';
import { price } from './price-key';
import { SHIPPED_KEYS, view, type PricesView } from './test-support';
import type { PriceTier, RegionPrices } from './types';

/*
 * Expected numbers are AWS's published on-demand prices as found in public copies of AWS price data
 * (details and links in keys/ebs-bundled.ts and keys/ipv4.ts):
 *  - us-east-1, eu-west-1: AWS's EBS pricing feed (meteredUnitMaps/ec2/USD/current/ebs.json) vendored by
 *    jimgarrett123/rosa-calculator (2023-02-20); us-east-1 also matches /work/shared/AWS-FACTS.md.
 *  - ap-northeast-1: Price List API rates with SKUs (APN1-EBS:*) retrieved 2026-09-13; Magnetic from
 *    cloudkeep-io/ebs-pricing (Price List dump, 2021-10-22).
 *  - eu-central-1, eu-west-2, ap-northeast-2, sa-east-1: volume prices from cloudkeep-io/ebs-pricing
 *    docs/ebs_pricing.json (Price List dump, 2021-10-26); snapshot prices from 2026 copies of AWS's ebs.json feed
 *    (Frankfurt) and of the eu-west-2 / ap-northeast-2 Price List offer files.
 *  - snapshot standard/archive of the older regions, io2 of sa-east-1 and ap-northeast-3, and every EBS item of
 *    eu-central-2, eu-south-2, ap-south-2, ap-southeast-4, me-central-1: AWS's full ebs.json feed of 2023-02-16
 *    vendored by jimgarrett123/rosa-calculator (price/data/ebs.json); standard snapshot rates confirmed by the
 *    2026-09-03 feed copy in iammanis/ec2-vps (_data/rates.json), which is also the source for il-central-1.
 *  - public IPv4: AWS's announcement, $0.005 per IP per hour from 2024-02-01.
 */

const LISTED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'eu-west-1',
  'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-southeast-5', 'ap-south-1', 'ap-south-2', 'ap-east-1', 'me-south-1', 'me-central-1',
  'il-central-1', 'af-south-1', 'mx-central-1', 'ap-southeast-7',
];

function bundled(region: string): RegionPrices {
  const p = createBundledPriceBook(SHIPPED_KEYS).forRegion(region);
  if (!p) throw new Error(`no bundled prices for ${region}`);
  return p;
}

function prices(region: string): PricesView {
  return view(bundled(region));
}

describe('bundled price book', () => {
  it('gives the published us-east-1 prices', () => {
    const p = prices('us-east-1');
    expect(p.source).toBe('bundled');
    expect(p.ebsGbMonth).toEqual({ gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 });
    expect(p.gp3IopsMonth).toBe(0.005);
    expect(p.gp3ThroughputMibpsMonth).toBe(0.04);
    expect(p.io1IopsMonth).toBe(0.065);
    expect(p.io2IopsTiers).toEqual([
      { upTo: 32_000, pricePerIopsMonth: 0.065 },
      { upTo: 64_000, pricePerIopsMonth: 0.0455 },
      { upTo: null, pricePerIopsMonth: 0.03185 },
    ]);
    expect(p.standardIoPerMillion).toBe(0.05);
    expect(p.snapshotStandardGbMonth).toBe(0.05);
    expect(p.snapshotArchiveGbMonth).toBe(0.0125);
    expect(p.publicIpv4Hour).toBe(0.005);
  });

  it('gives the published eu-west-1 prices', () => {
    const p = prices('eu-west-1');
    expect(p.ebsGbMonth).toEqual({ gp2: 0.11, gp3: 0.088, io1: 0.138, io2: 0.138, st1: 0.05, sc1: 0.0168, standard: 0.055 });
    expect(p.gp3IopsMonth).toBe(0.0055);
    expect(p.gp3ThroughputMibpsMonth).toBe(0.044); // 45.056 per GiBps-mo
    expect(p.io1IopsMonth).toBe(0.072);
    expect(p.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.072, 0.0504, 0.03528]);
    expect(p.standardIoPerMillion).toBe(0.055);
    expect(p.snapshotStandardGbMonth).toBe(0.05);
    expect(p.snapshotArchiveGbMonth).toBe(0.0125);
    expect(p.publicIpv4Hour).toBe(0.005);
  });

  it('gives the published ap-northeast-1 prices', () => {
    const p = prices('ap-northeast-1');
    expect(p.ebsGbMonth).toEqual({ gp2: 0.12, gp3: 0.096, io1: 0.142, io2: 0.142, st1: 0.054, sc1: 0.018, standard: 0.08 });
    expect(p.gp3IopsMonth).toBe(0.006);
    expect(p.gp3ThroughputMibpsMonth).toBe(0.048); // 49.152 per GiBps-mo
    expect(p.io1IopsMonth).toBe(0.074);
    expect(p.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.074, 0.0518, 0.03626]);
    expect(p.standardIoPerMillion).toBe(0.08);
    expect(p.snapshotStandardGbMonth).toBe(0.05);
    expect(p.snapshotArchiveGbMonth).toBe(0.0125);
    expect(p.publicIpv4Hour).toBe(0.005);
  });

  it('gives the published eu-central-1 prices', () => {
    const p = prices('eu-central-1');
    expect(p.asOf).toBe('2021-10-26');
    expect(p.ebsGbMonth).toEqual({ gp2: 0.119, gp3: 0.0952, io1: 0.149, io2: 0.149, st1: 0.054, sc1: 0.018, standard: 0.059 });
    expect(p.gp3IopsMonth).toBe(0.006);
    expect(p.gp3ThroughputMibpsMonth).toBe(0.0476); // 48.7424 per GiBps-mo
    expect(p.io1IopsMonth).toBe(0.078);
    expect(p.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.078, 0.0546, 0.03822]);
    expect(p.standardIoPerMillion).toBe(0.059);
    expect(p.snapshotStandardGbMonth).toBe(0.054);
    expect(p.snapshotArchiveGbMonth).toBe(0.0135);
    expect(p.publicIpv4Hour).toBe(0.005);
  });

  it('gives the published eu-west-2 and ap-northeast-2 prices', () => {
    const lon = prices('eu-west-2');
    expect(lon.ebsGbMonth).toEqual({ gp2: 0.116, gp3: 0.0928, io1: 0.145, io2: 0.145, st1: 0.053, sc1: 0.0174, standard: 0.058 });
    expect(lon.gp3ThroughputMibpsMonth).toBe(0.0464); // 47.5136 per GiBps-mo
    expect(lon.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.076, 0.0532, 0.03724]);
    expect(lon.snapshotStandardGbMonth).toBe(0.053);
    expect(lon.snapshotArchiveGbMonth).toBe(0.01325);
    const sel = prices('ap-northeast-2');
    expect(sel.ebsGbMonth.gp3).toBe(0.0912);
    expect(sel.gp3IopsMonth).toBe(0.0057);
    expect(sel.gp3ThroughputMibpsMonth).toBe(0.0456); // 46.6944 per GiBps-mo
    expect(sel.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.0666, 0.04662, 0.032634]);
    expect(sel.snapshotStandardGbMonth).toBe(0.05);
    expect(sel.snapshotArchiveGbMonth).toBe(0.0125);
  });

  it('gives the published snapshot prices of the older regions (2023 feed, standard tier confirmed in 2026)', () => {
    const expected: Record<string, [number, number]> = {
      'us-east-2': [0.05, 0.0125],
      'us-west-2': [0.05, 0.0125],
      'sa-east-1': [0.068, 0.017],
      'eu-west-3': [0.053, 0.01325],
      'eu-south-1': [0.0525, 0.013125],
      'ap-east-1': [0.055, 0.01375],
      'ap-northeast-3': [0.05, 0.0125],
      'ap-south-1': [0.05, 0.0125],
      'ap-southeast-2': [0.055, 0.01375],
      'ap-southeast-3': [0.05, 0.0125],
      'af-south-1': [0.0595, 0.014875],
    };
    for (const [r, [standard, archive]] of Object.entries(expected)) {
      expect(prices(r).snapshotStandardGbMonth, r).toBe(standard);
      expect(prices(r).snapshotArchiveGbMonth, r).toBe(archive);
    }
  });

  it('gives the published io2 prices of sa-east-1 and ap-northeast-3', () => {
    const sao = prices('sa-east-1');
    expect(sao.ebsGbMonth.gp3).toBe(0.152);
    expect(sao.gp3ThroughputMibpsMonth).toBe(0.076); // 77.824 per GiBps-mo
    expect(sao.ebsGbMonth.io2).toBe(0.238);
    expect(sao.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.091, 0.0637, 0.04459]);
    const kix = prices('ap-northeast-3');
    expect(kix.ebsGbMonth.io2).toBe(0.142);
    expect(kix.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.074, 0.0518, 0.03626]);
  });

  it('gives the published prices of regions first found in the 2023 feed', () => {
    const zrh = prices('eu-central-2');
    expect(zrh.asOf).toBe('2023-02-16');
    expect(zrh.ebsGbMonth).toEqual({ gp2: 0.143, gp3: 0.1142, io1: 0.179, io2: null, st1: 0.065, sc1: 0.022, standard: 0.071 });
    expect(zrh.gp3IopsMonth).toBe(0.007);
    expect(zrh.gp3ThroughputMibpsMonth).toBe(0.0571200195); // 58.4909 per GiBps-mo
    expect(zrh.io1IopsMonth).toBe(0.094);
    expect(zrh.io2IopsTiers).toBeNull();
    expect(zrh.standardIoPerMillion).toBe(0.071);
    expect(zrh.snapshotStandardGbMonth).toBe(0.059);
    expect(zrh.snapshotArchiveGbMonth).toBe(0.01475);

    const mad = prices('eu-south-2');
    expect(mad.ebsGbMonth).toEqual({ gp2: 0.11, gp3: 0.088, io1: 0.138, io2: 0.138, st1: 0.05, sc1: 0.0168, standard: 0.055 });
    expect(mad.gp3ThroughputMibpsMonth).toBe(0.044);
    expect(mad.io2IopsTiers).toBeNull(); // the feed has no tier 3 for Spain
    expect(mad.snapshotArchiveGbMonth).toBe(0.0125);

    const hyd = prices('ap-south-2');
    expect(hyd.ebsGbMonth.gp3).toBe(0.0912);
    expect(hyd.io1IopsMonth).toBe(0.068);
    expect(hyd.standardIoPerMillion).toBe(0.08);

    const mel = prices('ap-southeast-4');
    expect(mel.ebsGbMonth.io2).toBe(0.138);
    expect(mel.snapshotStandardGbMonth).toBe(0.055);
    expect(mel.snapshotArchiveGbMonth).toBe(0.01375);

    const uae = prices('me-central-1');
    expect(uae.ebsGbMonth).toEqual({ gp2: 0.121, gp3: 0.0968, io1: 0.1518, io2: 0.1518, st1: 0.055, sc1: 0.01848, standard: 0.0605 });
    expect(uae.gp3IopsMonth).toBe(0.0061);
    expect(uae.gp3ThroughputMibpsMonth).toBe(0.0484); // 49.5616 per GiBps-mo
    expect(uae.io2IopsTiers?.map((t) => t.pricePerIopsMonth)).toEqual([0.0792, 0.05544, 0.038808]);
    expect(uae.standardIoPerMillion).toBe(0.0605);
    expect(uae.snapshotStandardGbMonth).toBe(0.055);
    expect(uae.snapshotArchiveGbMonth).toBe(0.01375);
  });

  it('gives the published il-central-1 prices from the 2026 feed, the rest unknown', () => {
    const tlv = prices('il-central-1');
    expect(tlv.asOf).toBe('2026-09-03');
    expect(tlv.ebsGbMonth).toEqual({ gp2: 0.132, gp3: 0.1056, io1: null, io2: null, st1: 0.06, sc1: 0.0202, standard: 0.066 });
    expect(tlv.gp3IopsMonth).toBe(0.0066);
    expect(tlv.gp3ThroughputMibpsMonth).toBe(0.0528); // 54.0672 per GiBps-mo
    expect(tlv.io1IopsMonth).toBeNull();
    expect(tlv.io2IopsTiers).toBeNull();
    expect(tlv.standardIoPerMillion).toBeNull();
    expect(tlv.snapshotStandardGbMonth).toBe(0.06);
    expect(tlv.snapshotArchiveGbMonth).toBeNull();
  });

  it('prefers the newer feed where sources disagree (af-south-1 sc1)', () => {
    expect(prices('af-south-1').ebsGbMonth.sc1).toBe(0.0199);
  });

  it('keeps unsourced items null (io2 where no feed lists it, EBS in regions newer than every source)', () => {
    const par = prices('eu-west-3');
    expect(par.ebsGbMonth.io2).toBeNull();
    expect(par.io2IopsTiers).toBeNull();
    for (const r of ['eu-south-1', 'ap-southeast-3', 'af-south-1']) expect(prices(r).io2IopsTiers, r).toBeNull();
    for (const r of ['ca-west-1', 'ap-southeast-5', 'ap-southeast-7', 'mx-central-1']) {
      // EBS and public IPv4 (the network kinds' keys have their own sources: see network-keys.test.ts).
      expect(priceItems(bundled(r)).filter(([k, v]) => v !== null && !/^(nat|alb|nlb|gwlb|clb|vpcEndpoint)/.test(k)), r).toEqual([['publicIpv4Hour', 0.005]]);
    }
  });

  it('prices differ per item between regions, not by one factor', () => {
    const use1 = prices('us-east-1');
    const euw1 = prices('eu-west-1');
    // gp3 is 10% dearer in Ireland, snapshots are not.
    expect(euw1.ebsGbMonth.gp3! / use1.ebsGbMonth.gp3!).toBeCloseTo(1.1, 10);
    expect(euw1.snapshotStandardGbMonth).toBe(use1.snapshotStandardGbMonth);
  });

  it('has an entry for every region the app scans', () => {
    const book = createBundledPriceBook(SHIPPED_KEYS);
    for (const r of LISTED_REGIONS) {
      const p = book.forRegion(r);
      expect(p, r).not.toBeNull();
      expect(p?.region).toBe(r);
      expect(p?.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('never prices anything at 0 (unknown is null)', () => {
    const book = createBundledPriceBook(SHIPPED_KEYS);
    for (const r of LISTED_REGIONS) {
      for (const [item, value] of priceItems(book.forRegion(r)!)) {
        if (value !== null) expect(value, `${r} ${item}`).toBeGreaterThan(0);
      }
    }
  });

  it('returns null for a region it has no prices for', () => {
    expect(createBundledPriceBook(SHIPPED_KEYS).forRegion('xx-nowhere-9')).toBeNull();
    expect(createBundledPriceBook(SHIPPED_KEYS).forRegion('toString')).toBeNull();
  });

  it('hands out copies, so a caller cannot corrupt the book', () => {
    const book = createBundledPriceBook(SHIPPED_KEYS);
    const p = book.forRegion('us-east-1')!;
    p.values[EBS_GB_MONTH.gp3.key] = 999;
    (p.values[IO2_IOPS_TIERS.key] as PriceTier[])[0]!.price = 999;
    expect(price(book.forRegion('us-east-1')!, EBS_GB_MONTH.gp3)).toBe(0.08);
    expect(price(book.forRegion('us-east-1')!, IO2_IOPS_TIERS)?.[0]?.price).toBe(0.065);
  });

  it('dates the book by its oldest source', () => {
    expect(BUNDLED_PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const r of LISTED_REGIONS) expect(prices(r).asOf >= BUNDLED_PRICES_AS_OF).toBe(true);
  });
});
