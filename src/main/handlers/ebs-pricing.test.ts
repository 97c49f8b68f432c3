import { describe, expect, it } from 'vitest';
import { EBS_GB_MONTH, GP3_IOPS_MONTH, GP3_THROUGHPUT_MIBPS_MONTH, IO2_IOPS_TIERS } from '../pricing/keys/ebs';
import { withPrices } from '../pricing/price-key';
import type { RegionPrices } from '../pricing/types';
import { priceVolume } from './ebs-pricing';
import { US_EAST_1_PRICES } from './test-support';

// us-east-1 as published (AWS-FACTS.md).
const US_EAST_1 = US_EAST_1_PRICES;

const EU_WEST_1: RegionPrices = withPrices({ ...US_EAST_1, region: 'eu-west-1' }, [
  [EBS_GB_MONTH.gp3, 0.088],
  [GP3_IOPS_MONTH, 0.0055],
  [GP3_THROUGHPUT_MIBPS_MONTH, 0.044],
]);

describe('priceVolume', () => {
  it('gp3 bills only IOPS and throughput above the free baseline', () => {
    expect(priceVolume({ type: 'gp3', sizeGiB: 100, iops: 3000, throughputMiBps: 125 }, US_EAST_1)).toEqual({
      monthlyCost: 8,
      costBasis: 'gp3 100 GiB × $0.08 (us-east-1)',
    });
    expect(priceVolume({ type: 'gp3', sizeGiB: 500, iops: 4000, throughputMiBps: 250 }, US_EAST_1)).toEqual({
      monthlyCost: 50, // 40 + 1,000 × 0.005 + 125 × 0.04
      costBasis:
        'gp3 500 GiB × $0.08 + 1,000 IOPS over baseline × $0.005 + 125 MiB/s over baseline × $0.04 (us-east-1)',
    });
  });

  it('uses the region’s own prices and names the region', () => {
    expect(priceVolume({ type: 'gp3', sizeGiB: 500, iops: 4000, throughputMiBps: 125 }, EU_WEST_1)).toEqual({
      monthlyCost: 49.5,
      costBasis: 'gp3 500 GiB × $0.088 + 1,000 IOPS over baseline × $0.0055 (eu-west-1)',
    });
  });

  it('io1 bills every provisioned IOPS', () => {
    expect(priceVolume({ type: 'io1', sizeGiB: 100, iops: 5000 }, US_EAST_1)).toEqual({
      monthlyCost: 337.5,
      costBasis: 'io1 100 GiB × $0.125 + 5,000 IOPS × $0.065 (us-east-1)',
    });
  });

  it('io2 bills IOPS per tier', () => {
    expect(priceVolume({ type: 'io2', sizeGiB: 100, iops: 20_000 }, US_EAST_1).monthlyCost).toBe(1312.5);
    const r = priceVolume({ type: 'io2', sizeGiB: 100, iops: 80_000 }, US_EAST_1);
    // 12.5 + 32,000 × 0.065 + 32,000 × 0.0455 + 16,000 × 0.03185
    expect(r.monthlyCost).toBeCloseTo(4058.1, 6);
    expect(r.costBasis).toBe(
      'io2 100 GiB × $0.125 + 32,000 IOPS × $0.065 + 32,000 IOPS × $0.0455 + 16,000 IOPS × $0.03185 (us-east-1)',
    );
  });

  it('gp2, st1 and sc1 bill storage only', () => {
    expect(priceVolume({ type: 'gp2', sizeGiB: 8, iops: 100 }, US_EAST_1)).toEqual({
      monthlyCost: 0.8,
      costBasis: 'gp2 8 GiB × $0.10 (us-east-1)',
    });
    expect(priceVolume({ type: 'st1', sizeGiB: 500 }, US_EAST_1).monthlyCost).toBe(22.5);
    expect(priceVolume({ type: 'sc1', sizeGiB: 500 }, US_EAST_1).monthlyCost).toBe(7.5);
  });

  it('standard bills storage and says its I/O is usage-based and not estimated', () => {
    const r = priceVolume({ type: 'standard', sizeGiB: 10 }, US_EAST_1);
    expect(r.monthlyCost).toBe(0.5);
    expect(r.costBasis).toBe(
      'standard 10 GiB × $0.05 + I/O requests at $0.05 per million (usage-based, not estimated) (us-east-1)',
    );
  });

  it('an unknown or missing type is unknown, never $0', () => {
    const r = priceVolume({ type: 'gp9', sizeGiB: 10 }, US_EAST_1);
    expect(r.monthlyCost).toBeNull();
    expect(r.costBasis).toContain('gp9');
    expect(priceVolume({ type: undefined, sizeGiB: 10 }, US_EAST_1).monthlyCost).toBeNull();
  });

  it('no prices for the region → unknown', () => {
    const r = priceVolume({ type: 'gp2', sizeGiB: 10 }, null);
    expect(r.monthlyCost).toBeNull();
    expect(r.costBasis).toMatch(/no prices/);
  });

  it('a missing price makes the cost unknown only when that price is needed', () => {
    const noGp3Iops: RegionPrices = withPrices(US_EAST_1, [[GP3_IOPS_MONTH, null], [EBS_GB_MONTH.st1, null]]);
    expect(priceVolume({ type: 'gp3', sizeGiB: 100, iops: 3000 }, noGp3Iops).monthlyCost).toBe(8);
    const r = priceVolume({ type: 'gp3', sizeGiB: 100, iops: 3001 }, noGp3Iops);
    expect(r.monthlyCost).toBeNull();
    expect(r.costBasis).toMatch(/gp3 IOPS/);
    expect(priceVolume({ type: 'st1', sizeGiB: 100 }, noGp3Iops).monthlyCost).toBeNull();
    expect(priceVolume({ type: 'io1', sizeGiB: 100 }, US_EAST_1).monthlyCost).toBeNull(); // IOPS not reported
  });

  it('io2 tiers that do not reach the provisioned IOPS → unknown', () => {
    const capped: RegionPrices = withPrices(US_EAST_1, [[IO2_IOPS_TIERS, [{ upTo: 64_000, price: 0.065 }]]]);
    expect(priceVolume({ type: 'io2', sizeGiB: 10, iops: 70_000 }, capped).monthlyCost).toBeNull();
    expect(priceVolume({ type: 'io2', sizeGiB: 10, iops: 64_000 }, capped).monthlyCost).toBeCloseTo(4161.25, 6);
  });
});
