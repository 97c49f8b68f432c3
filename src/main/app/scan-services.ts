/** Resource scans: one at a time, started after the account is asked again, progress streamed as events. */
import { AppError } from '../../shared/errors';
import { currentLeases, THIS_PROCESS } from '../db/repos/run-leases';
import { getScan, listScans } from '../db/repos/scans';
import type { AppServices } from '../ipc/app-services';
import { runScan } from '../scan/scanner';
import type { AppState } from './app-state';
import { loadScanSettings } from './settings';

export type ScanServices = Pick<AppServices, 'scansStart' | 'scansCancel' | 'scansList' | 'scansGet' | 'runsElsewhere'>;

export function scanServices(st: AppState): ScanServices {
  const { db, events } = st;
  return {
    async scansStart({ regions }) {
      const s = st.requireSession();
      // A many-account scan counts too: it may be scanning this very account.
      const busy = st.scanStarting !== null || [...st.scans.values(), ...st.orgRuns.values()].some((r) => !r.controller.signal.aborted);
      if (busy) throw new AppError('conflict', 'A scan is already running.');
      // Registered before the first await: a second scans:start (a double click, two windows) gets `conflict`.
      const controller = new AbortController();
      st.scanStarting = controller;
      try {
        // The credentials may point at another account by now: refuse before anything is written under this one.
        await s.verifyAccount(controller.signal);
        const settings = await loadScanSettings(db, st.registry);
        if (controller.signal.aborted) throw new AppError('cancelled', 'The scan was cancelled before it started.');
        let resolveId!: (id: number) => void;
        const started = new Promise<number>((r) => (resolveId = r));
        const done = runScan(
          {
            db,
            accountId: s.account.id,
            clients: s.clients,
            costExplorer: () => s.clients.costExplorer(),
            homeRegion: s.clients.defaultRegion,
            registry: s.registry,
            prices: st.priceService(s).book(),
            settings,
            // A worker builds the app's own kinds: a registry given by a test keeps its tasks on this thread.
            ...(st.deps.scanWorkerScript && !st.deps.registry
              ? { workers: { script: st.deps.scanWorkerScript, clients: s.clients.replica } }
              : {}),
            emit: (ev) =>
              events.emit('scans:progress', {
                scanId: ev.scanId,
                ...(ev.task
                  ? {
                      task: {
                        region: ev.task.region,
                        resourceType: ev.task.resourceType,
                        status: ev.task.status === 'cancelled' ? 'failed' : ev.task.status,
                        found: ev.task.found,
                        findings: ev.task.findings,
                        monthlySavings: ev.task.monthlySavings,
                        ...(ev.task.error ? { error: ev.task.error } : {}),
                      },
                    }
                  : {}),
                totals: { tasksDone: ev.totals.tasksDone, tasksTotal: ev.totals.tasksTotal, findings: ev.totals.findings, monthlySavings: ev.totals.monthlySavings },
                status: ev.status ?? 'running',
              }),
          },
          { regions, signal: controller.signal, onStarted: (id) => resolveId(id) },
        );
        const scanId = await Promise.race([started, done.then((o) => o.scanId)]);
        st.scans.set(scanId, { controller, done });
        void done.finally(() => st.scans.delete(scanId)).catch(() => undefined);
        // The findings go through a writer thread where the database allows it (resource-writer-thread.ts); where they
        // could not, the scan still ran: the log says why (an in-memory database, a thread that died, …).
        void done.then(
          (o) => {
            const workers = o.regionWorkers?.fallbackReason;
            if (workers) st.deps.logger?.warn(`Scan ${o.scanId}: its regions ran on the main thread, not on worker threads: ${workers}`);
            const reason = o.writer?.fallbackReason;
            if (!reason) return;
            const message = `Scan ${o.scanId}: its findings were written on the main thread, not the writer thread: ${reason}`;
            // An in-memory database (the browser harness, tests) cannot be shared with a thread: expected, not a warning.
            if (db.dialect === 'sqlite' && db.file === ':memory:') st.deps.logger?.info(message);
            else st.deps.logger?.warn(message);
          },
          () => undefined,
        );
        return { scanId };
      } finally {
        if (st.scanStarting === controller) st.scanStarting = null;
      }
    },

    async scansCancel({ scanId }) {
      const r = st.scans.get(scanId);
      if (!r) throw new AppError('not_found', `Scan ${scanId} is not running.`);
      r.controller.abort();
      await r.done.catch(() => undefined);
    },

    async scansList(input) {
      const s = st.requireSession();
      return listScans(db.db, { accountId: s.account.id, limit: input?.limit ?? 50, offset: input?.offset ?? 0 });
    },

    async runsElsewhere() {
      const s = st.requireSession();
      return currentLeases(db.db, s.account.id, new Date(), THIS_PROCESS);
    },

    async scansGet({ scanId }) {
      const s = st.requireSession();
      const scan = await getScan(db.db, scanId);
      if (!scan || scan.accountId !== s.account.id) throw new AppError('not_found', `No scan ${scanId} for this account.`);
      return scan;
    },
  };
}
