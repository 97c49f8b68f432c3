/**
 * Live progress of the current scan, fed by `scans:progress` and kept outside React so it survives navigating away
 * from the Scan page (and so a notification can report the end wherever the user is).
 */
import { useSyncExternalStore } from 'react';
import type { ScanProgressEvent, ScanStatus, ScanTaskDto } from '../../../shared/dto/scans';

export interface LiveScan {
  scanId: number;
  status: ScanStatus;
  /** Keyed `region|resourceType`, in first-seen order. */
  tasks: ReadonlyMap<string, ScanTaskDto>;
  totals: ScanProgressEvent['totals'];
}

type Listener = () => void;

export interface ScanProgressStore {
  get(): LiveScan | null;
  subscribe(l: Listener): () => void;
  /** A scan was started here: show it even before its first event arrives. */
  begin(scanId: number): void;
  apply(e: ScanProgressEvent): void;
}

export function createScanProgressStore(): ScanProgressStore {
  let current: LiveScan | null = null;
  const listeners = new Set<Listener>();
  const emit = (): void => listeners.forEach((l) => l());
  return {
    get: () => current,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    begin(scanId) {
      if (current?.scanId === scanId) return;
      current = { scanId, status: 'running', tasks: new Map(), totals: { tasksDone: 0, tasksTotal: 0, findings: 0, monthlySavings: 0 } };
      emit();
    },
    apply(e) {
      // A new scan replaces the old one; stray events of an older scan are ignored.
      if (current && e.scanId < current.scanId) return;
      const tasks = new Map(current?.scanId === e.scanId ? current.tasks : []);
      if (e.task) tasks.set(`${e.task.region}|${e.task.resourceType}`, e.task);
      current = { scanId: e.scanId, status: e.status, tasks, totals: e.totals };
      emit();
    },
  };
}

export const scanProgressStore = createScanProgressStore();

export function useLiveScan(): LiveScan | null {
  return useSyncExternalStore(scanProgressStore.subscribe, scanProgressStore.get);
}
