import { describe, expect, it } from 'vitest';
import type { SavingsMeasurementDto } from '../../../../shared/dto/savings';
import { verdictWords } from './savings-realised';

const m = (over: Partial<SavingsMeasurementDto>): SavingsMeasurementDto => ({
  serviceCode: 'AmazonRDS',
  displayName: 'Amazon Relational Database Service',
  planIds: ['p1'],
  cleanupDay: '2026-12-07',
  expectedMonthly: 54.56,
  unknownCount: 0,
  before: null,
  after: null,
  observedMonthly: 0,
  dailyNoise: 0.4,
  verdict: 'not-dropped',
  series: [],
  ...over,
});

describe('savings realised: the verdict in words', () => {
  it('says "no change" for a flat bill, never "-$0.00", and signs a rise and a fall', () => {
    expect(verdictWords(m({ observedMonthly: -0.001 }), 3)).toBe('Your bill did not drop (no change): other use of this service may have grown.');
    expect(verdictWords(m({ observedMonthly: -12.5 }), 3)).toBe('Your bill did not drop (+$12.50/month): other use of this service may have grown.');
    expect(verdictWords(m({ verdict: 'unknown-expected', expectedMonthly: null, observedMonthly: 3.2 }), 3)).toBe('The saving could not be priced; the bill shows −$3.20/month.');
    expect(verdictWords(m({ verdict: 'unknown-expected', expectedMonthly: null, observedMonthly: null }), 3)).toBe('The saving could not be priced; the bill shows an unknown change.');
  });
});
