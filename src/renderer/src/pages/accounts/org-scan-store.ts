/**
 * Live progress of the current many-account scan, fed by `org:progress` and kept outside React so it survives leaving
 * the Accounts page (and the end is noticed wherever the user is). One entry per account, in the order first seen.
 */
import { useSyncExternalStore } from 'react';
import type { OrgScanProgressEvent, OrgScanStatus } from '../../../../shared/dto/org';

export interface LiveOrgScan {
  runId: string;
  /** True once every account of the run got its final event (main sends one per account, `done`, at the end). */
  done: boolean;
  accounts: ReadonlyMap<string, OrgScanProgressEvent>;
}

type Listener = () => void;

export interface OrgScanStore {
  get(): LiveOrgScan | null;
  subscribe(l: Listener): () => void;
  /** A run was started here: show its accounts as queued before their first event arrives. */
  begin(runId: string, accountIds: readonly string[]): void;
  /** Applies one event; returns true when it ended the run (the last account's final event). */
  apply(e: OrgScanProgressEvent): boolean;
  clear(): void;
}

export const ORG_SCAN_ENDED: ReadonlySet<OrgScanStatus> = new Set(['succeeded', 'partial', 'failed', 'cancelled']);

function queued(runId: string, accountId: string): OrgScanProgressEvent {
  return { runId, accountId, status: 'queued', scanId: null, findings: 0, monthlySavings: 0, tasksDone: 0, tasksTotal: 0, error: null, lastTask: null, done: false };
}

const allFinal = (accounts: ReadonlyMap<string, OrgScanProgressEvent>): boolean => accounts.size > 0 && [...accounts.values()].every((e) => e.done);

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
      // Events may arrive before the start call returns: keep them, add the accounts not heard of yet as queued.
      const accounts = new Map(current?.runId === runId ? current.accounts : []);
      for (const id of accountIds) if (!accounts.has(id)) accounts.set(id, queued(runId, id));
      current = { runId, done: allFinal(accounts), accounts };
      emit();
    },
    apply(e) {
      const same = current?.runId === e.runId;
      // Another run's events while one is going are ignored; a new run replaces an ended one.
      if (current && !same && !current.done) return false;
      const before = same && current ? current.accounts : new Map<string, OrgScanProgressEvent>();
      // An account's final event is final: a late progress event does not undo it.
      if (before.get(e.accountId)?.done) return false;
      const accounts = new Map(before);
      accounts.set(e.accountId, e);
      const done = allFinal(accounts);
      current = { runId: e.runId, done, accounts };
      emit();
      return done;
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
