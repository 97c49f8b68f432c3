/**
 * TEST-ONLY host process (run with tsx by app-process.ts): the AWS simulator, AWS config files pointing a profile at
 * it, a migrated SQLite file, the real main-side services (createAppServices) and the browser harness serving the
 * built renderer. A separate process because the simulator is ESM (import.meta) while Playwright loads specs as CJS,
 * and so the services read AWS_CONFIG_FILE from their own environment, as the app does on a user's machine.
 *
 * Protocol: argv[2] = JSON HostOptions. stdout: `READY {url, endpoint, dir, accountId}`, then `RES {id, ok, value|error}`
 * per command. stdin: one JSON command per line `{id, cmd, args}`. Logs go to stderr.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startSimulator, type Faults } from '../aws-sim/index';
import { startHarness } from '../harness/server';
import { testKeychain } from '../harness/test-keychain';
import { teamStoreFile, urlWithoutPassword } from '../../src/main/app/team-store-config';
import { createAppServices } from '../../src/main/app/app-services';
import { openAndMigrate } from '../../src/main/db/database';
import { migratePostgres } from '../../src/main/db/migrator';
import { openPostgres } from '../../src/main/db/postgres';
import type { AppDb } from '../../src/main/db/store';
import { freshDatabase, olderDatabase, startPostgres, type PostgresServer } from '../../src/main/test-support/postgres-server';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { upsertAccount } from '../../src/main/db/repos/accounts';
import { fillLocalHistory } from '../../src/main/test-support/upload-fixture';
import { MFA_PROFILE, SIM_PROFILE, SSO_PROFILE } from './profile-names';
import { seedFindings } from './seed-findings';
import { acquireLease, releaseLease, type LeaseKind, type LeaseOwner } from '../../src/main/db/repos/run-leases';

/** The other process of holdLeaseElsewhere: alice's laptop. */
const ELSEWHERE: LeaseOwner = { id: 'e2e-elsewhere', host: 'alice-laptop', user: 'alice', pid: 4242 };

export interface HostOptions {
  /** Seed this many synthetic findings for the simulator's account before the services start. */
  seedFindings?: number;
  faults?: Faults;
  /**
   * Scale Cost Explorer's daily costs of these services (e.g. `{ "Amazon Virtual Private Cloud": 0.25 }`): a bill lower
   * than the resources imply, so the bill reconciliation has something to warn about. The sample account as shipped is
   * consistent.
   */
  costScale?: Record<string, number>;
  /** false: the sample account belongs to no AWS Organization (ListAccounts answers AWSOrganizationsNotInUseException). */
  organization?: false;
  /**
   * The app on a PostgreSQL team store (issue #21) instead of its SQLite file: a throwaway server on 127.0.0.1, started
   * here; the `cliScan` command scans the simulator into it with the CLI, in a process of its own.
   */
  teamStore?: true;
}


/**
 * TEST-ONLY: days passing for everything in this process at once — the app's services (their "today": audit times,
 * the Cost Explorer period of a refresh, the cost history's end) and the simulator (its clock is the fixture's time
 * plus the wall time since loading). Installed on the first advance only, so other specs run on the real clock.
 */
let clockOffsetMs = 0;
function advanceProcessClock(ms: number): Date {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`advanceClock: ${ms} ms is not a forward move`);
  if ((Date as unknown as { shifted?: boolean }).shifted !== true) {
    const RealDate = Date;
    class ShiftedDate extends RealDate {
      static shifted = true;
      constructor(...args: unknown[]) {
        if (args.length === 0) super(RealDate.now() + clockOffsetMs);
        else super(...(args as [string | number]));
      }
      static override now(): number {
        return RealDate.now() + clockOffsetMs;
      }
    }
    globalThis.Date = ShiftedDate as unknown as DateConstructor;
  }
  clockOffsetMs += ms;
  return new Date();
}

function awsFiles(endpoint: string): { config: string; credentials: string } {
  const config = [
    `[profile ${SIM_PROFILE}]`,
    'region = us-east-1',
    `endpoint_url = ${endpoint}`,
    '',
    `[profile ${MFA_PROFILE}]`,
    'role_arn = arn:aws:iam::123456789012:role/cleanup',
    `source_profile = ${SIM_PROFILE}`,
    'mfa_serial = arn:aws:iam::123456789012:mfa/demo',
    'region = us-east-1',
    `endpoint_url = ${endpoint}`,
    '',
    `[profile ${SSO_PROFILE}]`,
    'sso_session = sim-sso',
    'sso_account_id = 123456789012',
    'sso_role_name = ReadOnly',
    'region = us-east-1',
    '',
    '[sso-session sim-sso]',
    'sso_start_url = https://example.awsapps.com/start',
    'sso_region = us-east-1',
    'sso_registration_scopes = sso:account:access',
    '',
  ].join('\n');
  const credentials = [`[${SIM_PROFILE}]`, 'aws_access_key_id = AKIDSIMTEST', 'aws_secret_access_key = sim-secret-for-tests', ''].join('\n');
  return { config, credentials };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as HostOptions;
  const dir = await mkdtemp(path.join(tmpdir(), 'cc-e2e-'));
  const sim = await startSimulator({ ...(opts.faults ? { faults: opts.faults } : {}), ...(opts.organization === false ? { organization: false as const } : {}) });
  for (const [service, factor] of Object.entries(opts.costScale ?? {})) {
    for (const c of sim.state.costs) if (c.service === service) c.amount = (Number(c.amount) * factor).toFixed(10);
  }
  const files = awsFiles(sim.endpoint);
  await writeFile(path.join(dir, 'config'), files.config);
  await writeFile(path.join(dir, 'credentials'), files.credentials);
  Object.assign(process.env, {
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // An empty home: no real ~/.aws, no SSO token cache.
    HOME: dir,
  });
  for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_REGION']) delete process.env[k];

  let pgServer: PostgresServer | null = null;
  let databaseUrl: string | null = null;
  let db: AppDb;
  if (opts.teamStore) {
    pgServer = await startPostgres();
    databaseUrl = await freshDatabase(pgServer.url);
    const pg = await openPostgres({ url: databaseUrl });
    await migratePostgres(pg);
    db = pg;
  } else {
    db = await openAndMigrate({ file: path.join(dir, 'cloud-cleaner.db') });
  }
  if (opts.seedFindings) {
    if (db.dialect !== 'sqlite') throw new Error('seedFindings writes a SQLite file');
    const acct = sim.state;
    await upsertAccount(db.db, { id: acct.accountId, alias: acct.alias, partition: 'aws', arn: acct.arn, profile: SIM_PROFILE });
    const t0 = performance.now();
    seedFindings(db.sqlite, acct.accountId, opts.seedFindings);
    process.stderr.write(`seeded ${opts.seedFindings} findings in ${Math.round(performance.now() - t0)} ms\n`);
  }
  const opened: string[] = [];
  // The app's data folder (the saved choice of store lives there), with a TEST-ONLY keychain in place of safeStorage.
  const configDir = path.join(dir, 'userData');
  await mkdir(configDir, { recursive: true });
  const services = createAppServices({
    db,
    openExternal: async (url) => void opened.push(url),
    keychain: testKeychain,
    configDir,
    localDbFile: path.join(dir, 'cloud-cleaner.db'),
    ...(databaseUrl ? { currentStoreUrl: urlWithoutPassword(databaseUrl) } : {}),
  });
  const harness = await startHarness({ services, rendererDir: path.resolve('out/renderer'), logger: { error: (m, ...meta) => console.error(m, ...meta) } });

  const reply = (id: number, body: { ok: true; value: unknown } | { ok: false; error: string }): void => {
    process.stdout.write(`RES ${JSON.stringify({ id, ...body })}\n`);
  };
  const commands: Record<string, (args: Record<string, string>) => unknown> = {
    setFaults: (a) => sim.setFaults(a as unknown as Faults),
    /**
     * The CLI (its own process, the same AWS profile files) scans the simulator into the team store the app is on:
     * answers the CLI's JSON (its findings). Only with `teamStore`.
     */
    cliScan: async () => {
      if (!databaseUrl) throw new Error('cliScan needs the teamStore option');
      const { stdout } = await promisify(execFile)(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), path.resolve('src/main/cli/main.ts'), 'scan', '--profile', SIM_PROFILE, '--database-url', databaseUrl, '--json'], {
        env: process.env,
        maxBuffer: 64 * 1024 * 1024,
      });
      return JSON.parse(stdout) as unknown;
    },
    /**
     * A history (every uploaded table: test-support/upload-fixture.ts) in the app's local SQLite file, which the app on
     * a team store does not use: what "Upload my history" copies. Only with `teamStore`.
     */
    writeLocalHistory: async () => {
      if (!databaseUrl) throw new Error('writeLocalHistory needs the teamStore option');
      const local = await openAndMigrate({ file: path.join(dir, 'cloud-cleaner.db') });
      try {
        await fillLocalHistory(local);
      } finally {
        await local.close();
      }
      return true;
    },
    /** The saved choice of store as written on disk (raw text), or null when none is saved. */
    teamStoreConfigText: () => readFile(teamStoreFile(configDir), 'utf8').catch(() => null),
    /**
     * A new database on a team-store server (the teamStore option's, else one started here on first use): empty, or
     * with `schema: 'older'` at every migration but the last (an older app's). Answers its URL, password included
     * (test data only).
     */
    freshTeamStoreDatabase: async ({ schema = 'empty' }) => {
      pgServer ??= await startPostgres();
      const url = schema === 'older' ? await olderDatabase(pgServer.url) : await freshDatabase(pgServer.url);
      return url;
    },
    counts: () => sim.counts(),
    opened: () => opened,
    /** Days pass (the app's and the simulator's clock; see advanceProcessClock): answers the new time. */
    advanceClock: ({ days = '0' }) => advanceProcessClock(Number(days) * 86_400_000).toISOString(),
    /** The MFA code the simulated STS accepts, and what AssumeRole was asked (codes included: test data only). */
    mfaCode: () => sim.state.mfaCode,
    assumeRoleRequests: () => sim.state.assumeRoleRequests.map((r) => ({ roleArn: r.roleArn, serialNumber: r.serialNumber, tokenCode: r.tokenCode, outcome: r.outcome })),
    /**
     * Another process (alice's app, a CLI job) takes the account's scan or cleanup lease on the same database, or lets
     * go of it: what the app shows and refuses meanwhile.
     */
    holdLeaseElsewhere: async ({ kind = 'scan' }) => {
      const got = await acquireLease(db.db, { accountId: sim.state.accountId, kind: kind as LeaseKind, owner: ELSEWHERE });
      if (!got.ok) throw new Error(`the lease is held by ${got.holder.host}`);
      return true;
    },
    releaseLeaseElsewhere: async ({ kind = 'scan' }) => {
      await releaseLease(db.db, { accountId: sim.state.accountId, kind: kind as LeaseKind, owner: ELSEWHERE });
      return true;
    },
    /** Attach an unused volume to an instance behind the app's back ("changed since the scan"). */
    attachVolume: ({ region = '', volumeId = '', instanceId = '' }) => {
      const v = sim.state.region(region).volumes.get(volumeId);
      if (!v) throw new Error(`no volume ${volumeId}`);
      v.state = 'in-use';
      v.attachments.push({ instanceId, device: '/dev/sdf', deleteOnTermination: false, attachTime: new Date() });
    },
    /** What the simulated account still holds: state of a resource, or null when it is gone. */
    resource: ({ region = '', kind = '', id = '' }) => {
      const r = sim.state.region(region);
      switch (kind) {
        case 'volume':
          return r.volumes.get(id)?.state ?? null;
        case 'address':
          return r.addresses.has(id) ? 'present' : null;
        case 'snapshot':
          return r.snapshots.has(id) ? 'present' : null;
        case 'image':
          return r.images.has(id) ? 'present' : null;
        case 'instance':
          return r.instances.get(id)?.state ?? null;
        case 'db-instance':
          return r.rds.instances.get(id)?.status ?? null;
        case 'db-snapshots':
          // The DB snapshots of an instance (a final snapshot taken by a cleanup among them), by id.
          return [...r.rds.snapshots.values()].filter((x) => x.instanceId === id).map((x) => x.id).sort();
        case 'log-group-retention': {
          const g = r.logs.groups.get(id);
          return g ? (g.retentionInDays ?? 'never expires') : null;
        }
        case 'kms-key':
          return r.kms.keys.get(id)?.state ?? null;
        case 'secret': {
          const x = r.secretsManager.find(id);
          return x ? (x.deletionDate ? `deletion scheduled ${x.deletionDate.toISOString()}` : 'active') : null;
        }
        case 'ecr-image': {
          const [repo = '', digest = ''] = id.split('@');
          return r.ecr.repositories.get(repo)?.images.has(digest) ? 'present' : null;
        }
        default:
          throw new Error(`unknown kind ${kind}`);
      }
    },
  };

  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const { id, cmd, args } = JSON.parse(line) as { id: number; cmd: string; args?: Record<string, string> };
    if (cmd === 'close') {
      void (async () => {
        // Each step is bounded: a connection left open (an event stream, an SDK keep-alive socket) must not keep
        // this process alive after the test.
        const bounded = (p: Promise<unknown>): Promise<unknown> => Promise.race([p.catch((e: unknown) => console.error(e)), new Promise((r) => setTimeout(r, 1500))]);
        await bounded(harness.close());
        await bounded(sim.close());
        await bounded(db.close());
        if (pgServer) await bounded(pgServer.stop());
        await bounded(rm(dir, { recursive: true, force: true }));
        reply(id, { ok: true, value: null });
        process.exit(0);
      })();
      return;
    }
    // A command may answer at once or with a promise (one that touches the database).
    void (async () => {
      const fn = commands[cmd];
      if (!fn) throw new Error(`unknown command ${cmd}`);
      return (await fn(args ?? {})) ?? null;
    })().then(
      (value) => reply(id, { ok: true, value }),
      (e: unknown) => reply(id, { ok: false, error: (e as Error).message }),
    );
  });
  rl.on('close', () => process.exit(0));

  process.stdout.write(`READY ${JSON.stringify({ url: harness.url, endpoint: sim.endpoint, dir, accountId: sim.state.accountId })}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
