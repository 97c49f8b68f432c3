import { describe, expect, it } from 'vitest';
import { isDecimalString, normalizeDecimalString, sumDecimalStrings } from './decimal';

describe('decimal strings', () => {
  it('sums exactly where doubles drift', () => {
    expect(sumDecimalStrings(['0.1', '0.2'])).toBe('0.3');
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimalStrings(Array.from({ length: 1000 }, () => '0.0000012345'))).toBe('0.0012345');
    expect(sumDecimalStrings(['12.3456789012345678', '0.0000000000000001'])).toBe('12.3456789012345679');
  });

  it('handles signs, zeros, integers and exponent notation', () => {
    expect(sumDecimalStrings([])).toBe('0');
    expect(sumDecimalStrings(['-1.5', '1.5'])).toBe('0');
    expect(sumDecimalStrings(['-0.25', '0.05'])).toBe('-0.2');
    expect(sumDecimalStrings(['3', '4.000'])).toBe('7');
    expect(normalizeDecimalString('1.2E-7')).toBe('0.00000012');
    expect(normalizeDecimalString('-5e2')).toBe('-500');
    expect(normalizeDecimalString('.5')).toBe('0.5');
  });

  it('rejects what is not a number', () => {
    expect(isDecimalString('abc')).toBe(false);
    expect(isDecimalString('')).toBe(false);
    expect(isDecimalString('.')).toBe(false);
    expect(isDecimalString('1,5')).toBe(false);
    expect(() => sumDecimalStrings(['1', 'NaN'])).toThrow(/Not a decimal/);
  });
});
