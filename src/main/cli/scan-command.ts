import { openAccountSession } from '../app/account-session';
import { loadScanSettings } from '../app/settings';
import { priceKeysOf, type HandlerRegistry } from '../handlers/registry';
import { listFindings, type ResourceDto } from '../db/repos/resources';
import type { SavingsTotalsDto } from '../../shared/dto/findings';
import { getScan } from '../db/repos/scans';
import { createPriceService } from '../pricing/prices';
import { runScan } from '../scan/scanner';
import { openCliDatabase, type CliStore } from './cli-db';
import { findingJson, money } from './findings-command';
import type { CliIo } from './main';

export interface ScanCommandInput {
  profile: string;
  regions: 'all' | string[];
  /** The SQLite file or team store (cli-db.ts). */
  store: CliStore;
  json: boolean;
  /** The resource kinds (default: the ones that ship with the app). */
  registry?: HandlerRegistry;
  /** The region workers' module; with the app's own kinds (no `registry`), the regions run on worker threads. */
  workerScript?: string;
  /** How many (--workers); default the pool's own count for this machine. */
  workers?: number;
}

/** A full scan (discovery from cache unless stale + every region × handler), then a summary or one JSON object. */
export async function scanCommand(input: ScanCommandInput, io: CliIo): Promise<number> {
  const handle = await openCliDatabase(input.store, { recover: true, notice: io.err });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let session;
  try {
    session = await openAccountSession({ db: handle, profile: input.profile, ...(input.registry ? { registry: input.registry } : {}) });
    const settings = await loadScanSettings(handle, session.registry);
    const prices = createPriceService({ db: handle.db, pricingClient: () => session!.clients.pricing(), priceKeys: () => priceKeysOf(session!.registry) });
    const s = session;
    const out = await runScan(
      {
        db: handle,
        accountId: s.account.id,
        clients: s.clients,
        costExplorer: () => s.clients.costExplorer(),
        homeRegion: s.clients.defaultRegion,
        registry: s.registry,
        prices: prices.book(),
        settings,
        ...(input.workerScript && !input.registry
          ? { workers: { script: input.workerScript, clients: s.clients.replica, ...(input.workers ? { size: input.workers } : {}) } }
          : {}),
        ...(input.json
          ? {}
          : {
              emit: (ev) => {
                if (ev.task?.status === 'failed') io.err(`warning: ${ev.task.region} ${ev.task.resourceType}: ${ev.task.error?.message ?? 'failed'}`);
              },
            }),
      },
      { regions: input.regions, signal: controller.signal },
    );
    // The findings of a database file are written on a worker thread; where they could not be, say why (stderr).
    if (out.writer?.fallbackReason) io.err(`note: the findings were written on the scanning thread: ${out.writer.fallbackReason}`);
    if (out.regionWorkers?.fallbackReason) io.err(`note: the regions were scanned on the main thread, not on worker threads: ${out.regionWorkers.fallbackReason}`);
    const scan = await getScan(handle.db, out.scanId);
    const findings: ResourceDto[] = [];
    let savings: SavingsTotalsDto | null = null;
    for (let offset = 0; ; offset += 1000) {
      const page = await listFindings(handle.db, { accountId: s.account.id, scanId: out.scanId, limit: 1000, offset });
      findings.push(...page.rows);
      // Potential savings, the one definition the app shows (unprotected findings' savings; protected apart).
      savings ??= page.savings;
      if (page.rows.length < 1000) break;
    }
    if (input.json) {
      io.out(
        JSON.stringify(
          {
            account: { id: s.account.id, alias: s.account.alias },
            scan,
            discovery: out.discovery
              ? {
                  status: out.discovery.status,
                  fromCache: out.discovery.fromCache,
                  ceRequests: out.discovery.requests,
                  period: out.discovery.period,
                  totalCost: out.discovery.totalCost,
                  error: out.discovery.error ?? null,
                  services: out.discovery.services.map((x) => ({
                    code: x.code,
                    name: x.displayName,
                    category: x.category,
                    cost: x.periodCost,
                    active: x.active,
                    covered: x.covered,
                  })),
                }
              : null,
            savings,
            // How the scan ran: its regions on worker threads (how many, or why not), its findings' writer thread.
            threads: {
              regionWorkers: out.regionWorkers ?? { workers: 0 },
              writer: out.writer ?? null,
            },
            findings: findings.map(findingJson),
          },
          null,
          2,
        ),
      );
    } else {
      if (out.discovery?.error) io.err(`warning: ${out.discovery.error.message}`);
      for (const f of findings) io.out([f.id, f.resourceType, f.region, f.resourceId, money(f.monthlyCost), f.protected ? 'protected' : '', f.unusedReason ?? ''].join('\t'));
      io.out(
        `scan ${out.scanId} ${out.status}: ${out.regions.length} regions, ${out.resourcesSeen} resources, ${out.findings} findings, ${money(out.monthlySavings)}/month to save` +
          (out.discovery ? `; Cost Explorer requests this run: ${out.discovery.requests}` : ''),
      );
    }
    if (out.status === 'failed') {
      if (out.error) io.err(`cloud-cleaner: ${out.error.message}`);
      return 1;
    }
    if (out.status === 'cancelled') return 1;
    return out.status === 'partial' ? 3 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    session?.close();
    await handle.close();
  }
}
