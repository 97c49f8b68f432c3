/**
 * `cloud-cleaner scan --profile P --all-accounts [--role NAME] [--accounts ID,ID] [--json]` (issue #20): the profile's
 * own account and every ACTIVE account of its organization (or the accounts named), each reached by assuming a role,
 * scanned together. Exit 0 when every account succeeded, 3 when some failed or were partial, 1 when none could be
 * scanned (or the organization could not be listed and no accounts were named).
 */
import type { AppErrorDto } from '../../shared/errors';
import { AppError, isAppError } from '../../shared/errors';
import { openAccountSession } from '../app/account-session';
import { loadScanSettings } from '../app/settings';
import { toAppError } from '../aws/errors';
import { listOrgAccounts, saveAccount, saveListing, saveListingFailure } from '../db/repos/org-accounts';
import { listFindings, type ResourceDto } from '../db/repos/resources';
import type { HandlerRegistry } from '../handlers/registry';
import { priceKeysOf } from '../handlers/registry';
import { listOrganizationAccounts } from '../org/list-accounts';
import { openMemberSession } from '../org/member-session';
import { runOrgScan, type OrgScanTarget } from '../org/org-scan';
import { createPriceService } from '../pricing/prices';
import { openCliDatabase, type CliStore } from './cli-db';
import { findingJson, money } from './findings-command';
import type { CliIo } from './main';

export interface ScanAllInput {
  profile: string;
  regions: 'all' | string[];
  /** The SQLite file or team store (cli-db.ts). */
  store: CliStore;
  json: boolean;
  /** The role to assume in every member this run (default: each account's role, else the stored default). */
  role?: string;
  /** Only these accounts (listed, or added by hand to the list when the organization cannot be read). */
  accounts?: string[];
  registry?: HandlerRegistry;
  /** The region workers' module; with the app's own kinds (no `registry`), each account's regions run on workers. */
  workerScript?: string;
  /** Region workers in all (--workers), divided among the accounts scanned at once; default the machine's count. */
  workers?: number;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export async function scanAllCommand(input: ScanAllInput, io: CliIo): Promise<number> {
  if (input.role !== undefined && !ROLE_NAME.test(input.role)) throw new AppError('validation', `--role: "${input.role}" is not an IAM role name.`);
  const handle = await openCliDatabase(input.store, { recover: true, notice: io.err });
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let home;
  try {
    home = await openAccountSession({ db: handle, profile: input.profile, ...(input.registry ? { registry: input.registry } : {}) });
    const homeId = home.account.id;
    let listError: AppErrorDto | null = null;
    try {
      await saveListing(handle.db, homeId, await listOrganizationAccounts(home.clients, { partition: home.identity.partition, accountId: homeId, profile: input.profile, signal: controller.signal }));
    } catch (err) {
      const e = isAppError(err) ? err : toAppError(err, { service: 'organizations' });
      if (e.code === 'cancelled') throw e;
      listError = e.toDto();
      await saveListingFailure(handle.db, homeId, { code: e.code, message: e.message });
      if (!input.accounts) throw new AppError(e.code, `${e.message} (or name them: --accounts ID,ID)`, e.details);
      io.err(`warning: ${e.message}`);
    }
    let listed = await listOrgAccounts(handle.db, homeId);
    for (const id of input.accounts ?? []) {
      if (id !== homeId && !listed.some((a) => a.accountId === id)) await saveAccount(handle.db, homeId, { accountId: id, roleName: null });
    }
    listed = await listOrgAccounts(handle.db, homeId);
    const chosen = input.accounts ? listed.filter((a) => input.accounts!.includes(a.accountId)) : listed;
    const targets: OrgScanTarget[] = chosen.map((a) => ({
      accountId: a.accountId,
      name: a.name,
      roleName: a.source === 'home' ? null : (input.role ?? a.roleName),
    }));
    const settings = await loadScanSettings(handle, home.registry);
    const h = home;
    const prices = createPriceService({ db: handle.db, pricingClient: () => h.clients.pricing(), priceKeys: () => priceKeysOf(h.registry) });
    const out = await runOrgScan(
      {
        db: handle,
        home: h,
        settings,
        prices: prices.book(),
        ...(input.workerScript && !input.registry ? { workerScript: input.workerScript, ...(input.workers ? { workers: input.workers } : {}) } : {}),
        openMember: async (t, signal) => {
          const s = await openMemberSession({ db: handle, home: h, accountId: t.accountId, roleName: t.roleName!, signal });
          return { session: s, release: () => s.close() };
        },
        ...(input.json
          ? {}
          : {
              onAccount: (p) => {
                if (p.status === 'failed' && p.error) io.err(`warning: account ${p.accountId}: ${p.error.message}`);
              },
            }),
      },
      targets,
      { regions: input.regions, signal: controller.signal },
    );

    const accounts = [];
    for (const a of out.accounts) {
      const findings: ResourceDto[] = [];
      if (a.scanId !== null) {
        for (let offset = 0; ; offset += 1000) {
          const page = await listFindings(handle.db, { accountId: a.accountId, scanId: a.scanId, limit: 1000, offset });
          findings.push(...page.rows);
          if (page.rows.length < 1000) break;
        }
      }
      accounts.push({ accountId: a.accountId, name: a.name, status: a.status, error: a.error, scanId: a.scanId, monthlySavings: a.monthlySavings, findings });
    }
    if (input.json) {
      io.out(
        JSON.stringify(
          {
            home: { accountId: homeId, profile: input.profile },
            status: out.status,
            organization: { listError },
            costExplorer: { organizationRequests: out.orgCostRequests, error: out.orgCostError },
            accounts: accounts.map((a) => ({ ...a, findings: a.findings.map(findingJson) })),
          },
          null,
          2,
        ),
      );
    } else {
      for (const a of accounts) {
        io.out([a.accountId, a.name ?? '', a.status, String(a.findings.length), `${money(a.monthlySavings)}/month`, a.error?.message ?? ''].join('\t'));
      }
      const ok = accounts.filter((a) => a.status === 'succeeded').length;
      io.out(`${accounts.length} accounts, ${ok} scanned in full; Cost Explorer requests for the organization: ${out.orgCostRequests}`);
    }
    if (out.status === 'cancelled' || out.status === 'failed') return 1;
    return out.status === 'partial' ? 3 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    home?.close();
    await handle.close();
  }
}
