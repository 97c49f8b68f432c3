import { useEffect, useState } from 'react';
import type { CleanupProgressEvent } from '../../../../shared/dto/cleanup';
import { api } from '../../api/client';

/** The latest progress event per finding of one plan (dry run and execution both report through it). */
export function useCleanupProgress(planId: string | null): { byFinding: ReadonlyMap<number, CleanupProgressEvent>; done: number; total: number; reset: () => void } {
  const [state, setState] = useState<{ byFinding: Map<number, CleanupProgressEvent>; done: number; total: number }>({ byFinding: new Map(), done: 0, total: 0 });
  useEffect(() => {
    if (!planId) return;
    return api().cleanup.onProgress((e) => {
      if (e.planId !== planId) return;
      setState((s) => {
        const byFinding = new Map(s.byFinding);
        byFinding.set(e.findingId, e);
        return { byFinding, done: e.done, total: e.total };
      });
    });
  }, [planId]);
  return { ...state, reset: () => setState({ byFinding: new Map(), done: 0, total: 0 }) };
}
