import { describe, expect, it } from 'vitest';
import { isDecimal, sumDecimals } from './decimal';

describe('sumDecimals', () => {
  it('adds exactly, at the largest scale, keeping a single amount verbatim', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['0.0000041667', '1.5', '-0.5000000000'])).toBe('1.0000041667');
    expect(sumDecimals(['-3.25', '1.00'])).toBe('-2.25');
    expect(sumDecimals(['0.84', '0.84', '0.84'])).toBe('2.52');
    expect(sumDecimals(['0.0000000001', '-0.0000000002'])).toBe('-0.0000000001');
    expect(sumDecimals(['12.3400'])).toBe('12.3400');
    expect(sumDecimals([])).toBe('0');
    expect(sumDecimals(['7', '3'])).toBe('10');
  });

  it('rejects non-decimal strings', () => {
    expect(isDecimal('1e-7')).toBe(false);
    expect(isDecimal('-0.5')).toBe(true);
    expect(() => sumDecimals(['1', 'abc'])).toThrow();
  });
});
