/**
 * cloud-cleaner — the headless command line over the same services as the app (for scripts and cron).
 *
 *   cloud-cleaner profiles [--json]
 *   cloud-cleaner scan --profile P [--regions all|r1,r2] [--workers N] [--db FILE] [--json]
 *   cloud-cleaner scan --profile P --all-accounts [--role NAME] [--accounts ID,ID] [--regions …] [--db FILE] [--json]
 *   cloud-cleaner findings [--db FILE] [--profile P | --account ID] [--ignored exclude|include|only] [--json|--csv]
    --ignored: findings you ignored (snoozed) are left out by default; include them, or list only them
 *   cloud-cleaner clean --profile P [--db FILE] --finding ID [--finding ID…] [--action ID=ACTION…] --confirm-account ACCOUNT
 *                       [--dry-run] [--snapshot-volumes]
 *
 * Exit codes: 0 success, 1 failure, 2 bad usage (or a wrong confirmation), 3 partial (some tasks or items failed).
 * Errors are one clear line on stderr.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError, isAppError } from '../../shared/errors';
import { toAppError } from '../aws/errors';
import { listProfiles } from '../aws/profiles';
import { runCleanupCommand } from './clean-command';
import { cliStore, openCliDatabase, resolveAccountId } from './cli-db';
import { uploadCommand } from './upload-command';
import { findingsCommand } from './findings-command';
import { scanAllCommand } from './scan-all-command';
import { scanCommand } from './scan-command';
import { MAX_WORKERS } from '../scan/region-pool';
import { IGNORED_MODES, type IgnoredMode } from '../../shared/dto/snooze';

/**
 * The region workers' module (scan/region-pool.ts): beside this file in the build (out/cli/scan-worker.mjs, made by
 * scripts/build-cli.mjs), the TypeScript source when this runs from source (tests, through tsx).
 */
const REGION_WORKER_SCRIPT = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../scan/region-worker.ts' : './scan-worker.mjs', import.meta.url));

export const EXIT = { ok: 0, failure: 1, usage: 2, partial: 3 } as const;

export class UsageError extends Error {}

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

const USAGE = `usage:
  cloud-cleaner profiles [--json]
  cloud-cleaner scan --profile P [--regions all|r1,r2] [--workers N] [--db FILE] [--json]
    --workers N: worker threads for the regions (default: one per core but one, at most 4; 0: the main thread only)
  cloud-cleaner scan --profile P --all-accounts [--role NAME] [--accounts ID,ID] [--regions all|r1,r2] [--db FILE] [--json]
    --all-accounts: the profile's account and its organization's accounts, each through a role (default OrganizationAccountAccessRole)
  cloud-cleaner findings [--db FILE] [--profile P | --account ID] [--json|--csv]
  cloud-cleaner clean --profile P [--db FILE] --finding ID [--finding ID...] [--action ID=ACTION...] --confirm-account ACCOUNT [--dry-run] [--snapshot-volumes]
    --action ID=ACTION: the action for one finding (stop, pause, delete-without-snapshot, …; default: its kind's first)
  cloud-cleaner upload-history [--db FILE] --database-url URL [--json]
    copies the local history (scans, findings, costs, audit, snoozes) into the team store; run again, it copies only what is new
  store (every command but profiles): the app's database by default; --db FILE for another SQLite file;
    --database-url postgres://USER:PASSWORD@HOST:PORT/DB[?sslmode=require|verify-ca|verify-full&sslrootcert=CA.pem]
    (or CLOUD_CLEANER_DATABASE_URL) for a team store; --migrate-database to update an older team store's schema`;

/** --workers N: 0 (the main thread only) to MAX_WORKERS; absent: the pool's own count for this machine. */
function parseWorkers(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > MAX_WORKERS) throw new UsageError(`--workers: a whole number from 0 to ${MAX_WORKERS} (not "${v}")`);
  return n;
}

const OPTIONS = {
  profile: { type: 'string' },
  regions: { type: 'string' },
  db: { type: 'string' },
  'database-url': { type: 'string' },
  'migrate-database': { type: 'boolean' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  account: { type: 'string' },
  ignored: { type: 'string' },
  'all-accounts': { type: 'boolean' },
  workers: { type: 'string' },
  role: { type: 'string' },
  accounts: { type: 'string' },
  finding: { type: 'string', multiple: true },
  action: { type: 'string', multiple: true },
  'confirm-account': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'snapshot-volumes': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALLOWED: Record<string, readonly string[]> = {
  profiles: ['json'],
  scan: ['profile', 'regions', 'workers', 'db', 'database-url', 'migrate-database', 'json', 'all-accounts', 'role', 'accounts'],
  findings: ['db', 'database-url', 'migrate-database', 'profile', 'account', 'ignored', 'json', 'csv'],
  'upload-history': ['db', 'database-url', 'migrate-database', 'json'],
  clean: ['profile', 'db', 'database-url', 'migrate-database', 'finding', 'action', 'confirm-account', 'dry-run', 'snapshot-volumes', 'json'],
};

export function parseRegions(v: string | undefined): 'all' | string[] {
  if (v === undefined || v === 'all') return 'all';
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((r) => !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(r));
  if (list.length === 0 || bad.length > 0) throw new UsageError(`--regions: not a region name: ${bad.join(', ') || '(empty)'}`);
  return list;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  try {
    if (!(command in ALLOWED)) throw new UsageError(`unknown command "${command}"`);
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: false });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    if (v.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    const extra = Object.keys(v).filter((k) => !ALLOWED[command]!.includes(k));
    if (extra.length) throw new UsageError(`${command} does not take --${extra.join(', --')}`);
    if (v.json && v.csv) throw new UsageError('choose one of --json and --csv');

    switch (command) {
      case 'profiles': {
        const list = await listProfiles();
        for (const p of list.problems) io.err(`warning: ${p.message}`);
        if (v.json) io.out(JSON.stringify(list, null, 2));
        else for (const p of list.profiles) io.out(`${p.isDefault ? '*' : ' '} ${p.name}\t${p.kind}\t${p.region ?? '-'}${p.mfaRequired ? '\tmfa' : ''}${p.customEndpoint ? '\tcustom-endpoint' : ''}`);
        return EXIT.ok;
      }
      case 'scan': {
        if (!v.profile) throw new UsageError('scan needs --profile P');
        const regions = parseRegions(v.regions);
        const workers = parseWorkers(v.workers);
        // --workers 0: no region workers; N: that many (with --all-accounts, divided among the accounts scanned at once).
        const threads = { ...(workers === 0 ? {} : { workerScript: REGION_WORKER_SCRIPT }), ...(workers ? { workers } : {}) };
        if (!v['all-accounts']) {
          if (v.role !== undefined || v.accounts !== undefined) throw new UsageError('--role and --accounts go with --all-accounts');
          return await scanCommand(
            { profile: v.profile, regions, store: cliStore(v), json: v.json === true, ...threads },
            io,
          );
        }
        let accounts: string[] | undefined;
        if (v.accounts !== undefined) {
          accounts = [...new Set(v.accounts.split(',').map((s) => s.trim()).filter(Boolean))];
          const bad = accounts.filter((a) => !/^\d{12}$/.test(a));
          if (accounts.length === 0 || bad.length > 0) throw new UsageError(`--accounts: not a 12-digit account id: ${bad.join(', ') || '(empty)'}`);
        }
        return await scanAllCommand(
          { profile: v.profile, regions, store: cliStore(v), json: v.json === true, ...threads, ...(v.role !== undefined ? { role: v.role } : {}), ...(accounts ? { accounts } : {}) },
          io,
        );
      }
      case 'findings': {
        const ignoredMode = v.ignored ?? 'exclude';
        if (!(IGNORED_MODES as readonly string[]).includes(ignoredMode)) throw new UsageError(`--ignored: one of ${IGNORED_MODES.join(', ')} (not "${ignoredMode}")`);
        const handle = await openCliDatabase(cliStore(v), { notice: io.err });
        try {
          const accountId = await resolveAccountId(handle, { profile: v.profile, account: v.account });
          return await findingsCommand(handle, accountId, v.csv ? 'csv' : v.json ? 'json' : 'table', io, ignoredMode as IgnoredMode);
        } finally {
          await handle.close();
        }
      }
      case 'clean': {
        if (!v.profile) throw new UsageError('clean needs --profile P');
        const ids = (v.finding ?? []).map((s) => {
          if (!/^\d+$/.test(s) || Number(s) <= 0) throw new UsageError(`--finding: not a finding id: ${s}`);
          return Number(s);
        });
        if (ids.length === 0) throw new UsageError('clean needs at least one --finding ID (ids as printed by scan --json)');
        const actions = (v.action ?? []).map((s) => {
          const m = /^(\d+)=([a-z][a-z0-9-]*)$/.exec(s);
          if (m === null || Number(m[1]) <= 0) throw new UsageError(`--action: expected FINDING_ID=ACTION (e.g. 12=stop), got ${s}`);
          if (!ids.includes(Number(m[1]))) throw new UsageError(`--action ${s}: finding ${m[1]} is not one of the --finding ids`);
          return { findingId: Number(m[1]), action: m[2] as string };
        });
        const confirm = v['confirm-account'];
        if (!v['dry-run'] && !confirm) throw new UsageError('clean needs --confirm-account ACCOUNT (the 12-digit account id) unless --dry-run');
        return await runCleanupCommand(
          {
            profile: v.profile,
            store: cliStore(v),
            findingIds: ids,
            actions,
            confirmAccountId: confirm,
            dryRun: v['dry-run'] === true,
            snapshotVolumes: v['snapshot-volumes'] === true,
            json: v.json === true,
          },
          io,
        );
      }
      case 'upload-history': {
        // --db names the local file here (the source), --database-url the team store (the target).
        return await uploadCommand({ file: v.db, store: cliStore({ 'database-url': v['database-url'], 'migrate-database': v['migrate-database'] }), json: v.json === true }, io);
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cloud-cleaner: ${e.message}`);
      io.err(USAGE);
      return EXIT.usage;
    }
    const app = isAppError(e) ? e : e instanceof AppError ? e : toAppError(e);
    io.err(`cloud-cleaner: ${app.message}`);
    return app.code === 'validation' ? EXIT.usage : EXIT.failure;
  }
}

// Run when executed directly (bin/cloud-cleaner.mjs or `npm run cli --`), not when imported by tests.
if (process.argv[1] && /cli[\\/]main\.(ts|js|mjs)$/.test(process.argv[1])) {
  void runCli(process.argv.slice(2), { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
