import { describe, expect, it } from 'vitest';
import { lastDayOf } from './format';

describe('lastDayOf', () => {
  it("gives the day before Cost Explorer's exclusive end, across months and years", () => {
    expect(lastDayOf('2026-12-06')).toBe('2026-12-05');
    expect(lastDayOf('2026-03-01')).toBe('2026-02-28');
    expect(lastDayOf('2027-01-01')).toBe('2026-12-31');
    expect(lastDayOf('not a day')).toBe('not a day');
  });
});
