/**
 * Live progress of the current many-account scan, fed by `org:progress` and kept outside React so it survives leaving
 * the Accounts page (and the end is noticed wherever the user is). One entry per account, in the order first seen.
 */
import { useSyncExternalStore } from 'react';
import type { OrgScanProgressEvent, OrgScanStatus } from '../../../../shared/dto/org';

export interface LiveOrgScan {
  runId: string;
  /** True once main sent the run's last event (`done`). */
  done: boolean;
  accounts: ReadonlyMap<string, OrgScanProgressEvent>;
}

type Listener = () => void;

export interface OrgScanStore {
  get(): LiveOrgScan | null;
  subscribe(l: Listener): () => void;
  /** A run was started here: show its accounts as queued before their first event arrives. */
  begin(runId: string, accountIds: readonly string[]): void;
  /** Applies one event; returns true when it ended the run. */
  apply(e: OrgScanProgressEvent): boolean;
  clear(): void;
}

export const ORG_SCAN_ENDED: ReadonlySet<OrgScanStatus> = new Set(['succeeded', 'partial', 'failed', 'cancelled']);

function queued(runId: string, accountId: string): OrgScanProgressEvent {
  return { runId, accountId, status: 'queued', scanId: null, findings: 0, monthlySavings: 0, tasksDone: 0, tasksTotal: 0, error: null, done: false };
}

export function createOrgScanStore(): OrgScanStore {
  let current: LiveOrgScan | null = null;
  const listeners = new Set<Listener>();
  const emit = (): void => listeners.forEach((l) => l());
  return {
    get: () => current,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    begin(runId, accountIds) {
      if (current?.runId === runId) return;
      current = { runId, done: false, accounts: new Map(accountIds.map((id) => [id, queued(runId, id)])) };
      emit();
    },
    apply(e) {
      // A new run replaces an ended one; events of another run while one is going, or after the end, are ignored.
      const same = current?.runId === e.runId;
      if (current && !same && !current.done) return false;
      if (same && current?.done) return false;
      const accounts = new Map(same && current ? current.accounts : []);
      accounts.set(e.accountId, e);
      current = { runId: e.runId, done: e.done, accounts };
      emit();
      return e.done;
    },
    clear() {
      current = null;
      emit();
    },
  };
}

export const orgScanStore = createOrgScanStore();

export function useLiveOrgScan(): LiveOrgScan | null {
  return useSyncExternalStore(orgScanStore.subscribe, orgScanStore.get);
}

/** A run is still going until main says it is done. */
export function isRunning(run: LiveOrgScan | null): boolean {
  return run !== null && !run.done;
}

/** How the accounts of a run ended, for the end notification: counts by final status. */
export function runSummary(run: LiveOrgScan): Record<OrgScanStatus, number> {
  const counts: Record<OrgScanStatus, number> = { queued: 0, connecting: 0, running: 0, succeeded: 0, partial: 0, failed: 0, cancelled: 0 };
  for (const e of run.accounts.values()) counts[e.status] += 1;
  return counts;
}
