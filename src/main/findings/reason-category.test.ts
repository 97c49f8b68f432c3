import { describe, expect, it } from 'vitest';
import { reasonCategory } from './reason-category';

describe('reasonCategory', () => {
  it('groups the reasons that differ only by numbers, dates and ids, keeping the first clause', () => {
    const cases: [string, string][] = [
      ['Stopped by the user 45 days ago', 'Stopped by the user N days ago'],
      ['Stopped by the user 120 days ago', 'Stopped by the user N days ago'],
      ['No traffic for 30 days: RequestCount 0 every day from 2026-11-06 to 2026-12-05 (idle at least since 2026-11-06)', 'No traffic for N days'],
      ['Source volume vol-0a1dead0000000001 no longer exists and no AMI uses this snapshot', 'Source volume … no longer exists and no AMI uses this snapshot'],
      ['Not pulled since 2026-02-09 (300 days)', 'Not pulled since a date'],
      ['Never pulled; pushed 600 days ago (2025-04-15)', 'Never pulled'],
      ['Running since at least 2026-11-06T23:59:10.350Z: InService, and its LastModifiedTime is 14 or more days ago', 'Running since at least a date'],
      ['Stopped: billed for its storage while stopped (20 GiB gp3); AWS starts it again automatically on 2026-12-10 23:59 UTC', 'Stopped'],
      ['Not attached to any instance', 'Not attached to any instance'],
      ['Never expires: no retention is set, so every event ever written is stored and billed. Written by Lambda: …', 'Never expires'],
    ];
    for (const [reason, category] of cases) expect(reasonCategory(reason), reason).toBe(category);
    expect(reasonCategory(null)).toBeNull();
  });

  it('caps a long first clause', () => {
    const c = reasonCategory('x'.repeat(200))!;
    expect(c.length).toBe(80);
    expect(c.endsWith('…')).toBe(true);
  });
});
