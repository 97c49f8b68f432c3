import { describe, expect, it } from 'vitest';
import { protectsNote, recoverySummary, retentionText } from './recovery-words';

const NOW = Date.parse('2026-12-10T12:00:00.000Z');

describe('recovery words', () => {
  it('says how long a point is kept', () => {
    expect(retentionText({ retention: { kind: 'until-deleted' } }, NOW)).toBe('Kept until you delete it: it bills every month');
    expect(retentionText({ retention: { kind: 'until-date', date: '2027-01-06T10:09:00.000Z' } }, NOW)).toBe('Restorable until Jan 6, 2027 (in 26 days)');
  });

  it('sums the copies, naming an unknown cost, never as $0', () => {
    const base = { copies: 2, copiesMonthlyCost: 3.18, copiesUnknownCost: 0, restorable: 0 };
    expect(recoverySummary(base)).toBe('These 2 copies cost $3.18/month; delete them in the console when you no longer need them.');
    expect(recoverySummary({ ...base, copies: 1, copiesMonthlyCost: 0.8 })).toBe('This copy costs $0.80/month; delete it in the console when you no longer need it.');
    expect(recoverySummary({ ...base, copies: 3, copiesUnknownCost: 1 })).toBe(
      'These 3 copies cost $3.18/month plus 1 copy of unknown cost; delete them in the console when you no longer need them.',
    );
    expect(recoverySummary({ ...base, copies: 1, copiesMonthlyCost: 0, copiesUnknownCost: 1 })).toBe(
      'This copy costs an unknown amount each month; delete it in the console when you no longer need it.',
    );
  });

  it('counts the scheduled deletions still restorable, alone or after the copies', () => {
    expect(recoverySummary({ copies: 0, copiesMonthlyCost: 0, copiesUnknownCost: 0, restorable: 2 })).toBe('2 scheduled deletions can still be undone before AWS deletes for good.');
    expect(recoverySummary({ copies: 1, copiesMonthlyCost: 1, copiesUnknownCost: 0, restorable: 1 })).toMatch(/need it\. 1 scheduled deletion can still be undone/);
  });

  it('warns when a copy was kept but its resource is still there', () => {
    expect(protectsNote({ isCopy: true, resourceRemoved: false })).toMatch(/still there/);
    expect(protectsNote({ isCopy: true, resourceRemoved: true })).toBeNull();
    expect(protectsNote({ isCopy: false, resourceRemoved: true })).toBeNull();
  });
});
