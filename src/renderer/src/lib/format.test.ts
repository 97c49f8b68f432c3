import { describe, expect, it } from 'vitest';
import { formatRelative, lastDayOf } from './format';

describe('lastDayOf', () => {
  it("gives the day before Cost Explorer's exclusive end, across months and years", () => {
    expect(lastDayOf('2026-12-06')).toBe('2026-12-05');
    expect(lastDayOf('2026-03-01')).toBe('2026-02-28');
    expect(lastDayOf('2027-01-01')).toBe('2026-12-31');
    expect(lastDayOf('not a day')).toBe('not a day');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const ago = (s: number) => formatRelative(new Date(now - s * 1000).toISOString(), now);
  it('counts whole units down, in days up to 90 days (as the reasons do), months to two years, then years', () => {
    expect(ago(10)).toBe('just now');
    expect(ago(90)).toBe('1 minute ago');
    expect(ago(3 * 3600 + 1800)).toBe('3 hours ago');
    expect(ago(45 * 86_400)).toBe('45 days ago');
    expect(ago(89 * 86_400 + 3600)).toBe('89 days ago');
    expect(ago(100 * 86_400)).toBe('3 months ago');
    expect(ago(800 * 86_400)).toBe('2 years ago');
    expect(formatRelative(new Date(now + 2 * 3600 * 1000 + 60_000).toISOString(), now)).toBe('in 2 hours');
  });
});
