import { describe, expect, it } from 'vitest';
import type { CleanupPhase, CleanupProgressEvent } from '../../../../shared/dto/cleanup';
import { summarizeProgress } from './use-cleanup-progress';

const events = (...phases: CleanupPhase[]): Map<number, CleanupProgressEvent> =>
  new Map(phases.map((phase, i) => [i + 1, { planId: 'p', findingId: i + 1, phase, done: 0, total: phases.length }]));

describe('summarizeProgress', () => {
  it('moves the bar during the re-checks, before any item is done', () => {
    const p = summarizeProgress(events('recheck', 'recheck', 'queued', 'queued'), 0, 4);
    expect(p.done).toBe(0);
    expect(p.rechecked).toBe(2);
    expect(p.dryRun).toBe(0);
    expect(p.percent).toBeGreaterThan(0);
    expect(p.percent).toBeLessThan(25);
  });

  it('counts an item in every phase it has passed, and reaches 100 when all are done', () => {
    const mid = summarizeProgress(events('done', 'dry-run', 'delete', 'recheck'), 1, 4);
    expect(mid).toMatchObject({ done: 1, rechecked: 4, dryRun: 3 });
    expect(summarizeProgress(events('done', 'done'), 2, 2)).toMatchObject({ done: 2, percent: 100 });
  });

  it('is empty, not NaN, before the first event', () => {
    expect(summarizeProgress(new Map(), 0, 0)).toEqual({ done: 0, total: 0, rechecked: 0, dryRun: 0, percent: 0 });
    expect(summarizeProgress(new Map(), 0, 7).percent).toBe(0);
  });
});
