import { useEffect, useState } from 'react';
import type { CleanupPhase, CleanupProgressEvent } from '../../../../shared/dto/cleanup';
import { api } from '../../api/client';

/** How far along an item is when it enters a phase (main re-checks every item, then dry-runs every item, then deletes). */
const PHASE_SHARE: Record<CleanupPhase, number> = { queued: 0, recheck: 0.2, 'dry-run': 0.5, snapshot: 0.7, delete: 0.8, done: 1 };

export interface CleanupProgress {
  /** The latest event per finding. */
  byFinding: ReadonlyMap<number, CleanupProgressEvent>;
  /** Items with an outcome, and in the run (the plan's item count until the first event says). */
  done: number;
  total: number;
  /** Items that reached at least the re-check / the dry run (one count per item, from its latest phase). */
  rechecked: number;
  dryRun: number;
  /** 0–100: each item weighs its phase, so the bar moves from the first re-check, not only when an item ends. */
  percent: number;
  reset: () => void;
}

/** Pure: the progress of a run from the latest event per item. */
export function summarizeProgress(byFinding: ReadonlyMap<number, CleanupProgressEvent>, done: number, total: number): Omit<CleanupProgress, 'byFinding' | 'reset'> {
  let share = 0;
  let rechecked = 0;
  let dryRun = 0;
  for (const e of byFinding.values()) {
    share += PHASE_SHARE[e.phase];
    if (PHASE_SHARE[e.phase] >= PHASE_SHARE.recheck) rechecked += 1;
    if (PHASE_SHARE[e.phase] >= PHASE_SHARE['dry-run']) dryRun += 1;
  }
  const percent = total > 0 ? Math.min(100, (100 * share) / total) : 0;
  return { done, total, rechecked, dryRun, percent };
}

/**
 * The progress of one plan's run (dry run and execution both report through it). `expectedTotal`: the plan's item
 * count, shown as "0 of N" before the first event arrives.
 */
export function useCleanupProgress(planId: string | null, expectedTotal = 0): CleanupProgress {
  const [state, setState] = useState<{ byFinding: Map<number, CleanupProgressEvent>; done: number; total: number | null }>({ byFinding: new Map(), done: 0, total: null });
  useEffect(() => {
    if (!planId) return;
    return api().cleanup.onProgress((e) => {
      if (e.planId !== planId) return;
      setState((s) => {
        const byFinding = new Map(s.byFinding);
        byFinding.set(e.findingId, e);
        // Events of concurrent items may arrive out of order: the count never goes back.
        return { byFinding, done: Math.max(s.done, e.done), total: e.total };
      });
    });
  }, [planId]);
  const total = state.total ?? expectedTotal;
  return { byFinding: state.byFinding, ...summarizeProgress(state.byFinding, state.done, total), reset: () => setState({ byFinding: new Map(), done: 0, total: null }) };
}
