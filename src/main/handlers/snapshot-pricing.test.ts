import { describe, expect, it } from 'vitest';
import { SNAPSHOT_ARCHIVE_GB_MONTH, SNAPSHOT_STANDARD_GB_MONTH } from '../pricing/keys/ebs';
import { regionPrices, withPrices } from '../pricing/price-key';
import { priceSnapshot, priceSnapshotTerms } from './snapshot-pricing';

const PRICES = regionPrices('us-east-1', [
  [SNAPSHOT_STANDARD_GB_MONTH, 0.05],
  [SNAPSHOT_ARCHIVE_GB_MONTH, 0.0125],
]);
const GIB = 2 ** 30;

describe('priceSnapshot', () => {
  it('prices a standard snapshot from FullSnapshotSizeInBytes, labelled an upper bound', () => {
    const p = priceSnapshot({ sizeGiB: 500, fullSnapshotSizeBytes: 100 * GIB, storageTier: 'standard' }, PRICES);
    expect(p.monthlyCost).toBe(5);
    expect(p.costBasis).toBe(
      '≤ 100 GiB full size × $0.05 standard snapshot (upper bound: billing is incremental) (us-east-1)',
    );
  });

  it('converts bytes to GiB with 2^30 (not 10^9)', () => {
    const p = priceSnapshot({ sizeGiB: 8, fullSnapshotSizeBytes: 1.5 * GIB }, PRICES);
    expect(p.monthlyCost).toBeCloseTo(0.075, 10);
    expect(p.costBasis).toContain('≤ 1.5 GiB full size');
  });

  it('falls back to the volume size (also an upper bound) when the full size is absent or not positive', () => {
    for (const full of [undefined, null, 0]) {
      const p = priceSnapshot({ sizeGiB: 100, fullSnapshotSizeBytes: full }, PRICES);
      expect(p.monthlyCost).toBe(5);
      expect(p.costBasis).toBe(
        '≤ 100 GiB volume size × $0.05 standard snapshot (upper bound: billing is incremental) (us-east-1)',
      );
    }
  });

  it('prices the archive tier at the archive rate on the full size, naming the 90-day minimum', () => {
    const p = priceSnapshot({ sizeGiB: 500, fullSnapshotSizeBytes: 200 * GIB, storageTier: 'archive' }, PRICES);
    expect(p.monthlyCost).toBe(2.5);
    expect(p.costBasis).toBe(
      '200 GiB full size × $0.0125 archive snapshot (archive bills the full snapshot, 90-day minimum) (us-east-1)',
    );
  });

  it('archive without a full size uses the volume size as an upper bound', () => {
    const p = priceSnapshot({ sizeGiB: 40, storageTier: 'archive' }, PRICES);
    expect(p.monthlyCost).toBe(0.5);
    expect(p.costBasis.startsWith('≤ 40 GiB volume size × $0.0125 archive snapshot')).toBe(true);
  });

  it('unknown when prices are null, never $0', () => {
    const p = priceSnapshot({ sizeGiB: 100 }, null);
    expect(p.monthlyCost).toBeNull();
    expect(p.costBasis).toBe('Cost unknown: no prices for this region');
  });

  it('unknown when the tier price is missing, naming the region', () => {
    const noArchive = withPrices(PRICES, [[SNAPSHOT_ARCHIVE_GB_MONTH, null]]);
    const p = priceSnapshot({ sizeGiB: 100, storageTier: 'archive' }, noArchive);
    expect(p).toEqual({ monthlyCost: null, costBasis: 'Cost unknown: no archive snapshot price (us-east-1)' });
    const noStandard = withPrices(PRICES, [[SNAPSHOT_STANDARD_GB_MONTH, null]]);
    expect(priceSnapshot({ sizeGiB: 100 }, noStandard).monthlyCost).toBeNull();
  });

  it('unknown for an unknown tier or no size at all', () => {
    expect(priceSnapshot({ sizeGiB: 100, storageTier: 'glacier' }, PRICES)).toEqual({
      monthlyCost: null,
      costBasis: 'Cost unknown: storage tier glacier has no known price (us-east-1)',
    });
    expect(priceSnapshot({ sizeGiB: null }, PRICES).monthlyCost).toBeNull();
  });

  it('terms omit the region so an AMI can sum several snapshots', () => {
    const t = priceSnapshotTerms({ sizeGiB: 8 }, PRICES);
    expect(t.monthlyCost).toBe(0.4);
    expect(t.terms).not.toContain('us-east-1');
  });
});
