/**
 * Issue #21: the CLI scans the simulator into a PostgreSQL team store (--database-url or CLOUD_CLEANER_DATABASE_URL)
 * and reads the findings back, the same findings as into the SQLite file. A real server on 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { unusedByDefinition } from '../../../e2e/aws-sim/unused-oracle';
import { MIGRATIONS } from '../../../migrations';
import { postgresMigrationStatus } from '../db/migrator';
import { openPostgres } from '../db/postgres';
import { postgresFixture } from '../test-support/dialects';
import { olderDatabase } from '../test-support/postgres-server';
import { DATABASE_URL_ENV } from './cli-db';
import { runCli } from './main';

let sim: Simulator;
let dir: string;
const saved: Record<string, string | undefined> = {};
const pg = postgresFixture();

function setEnv(k: string, v: string | undefined): void {
  if (!(k in saved)) saved[k] = process.env[k];
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
}

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-cli-pg-'));
  fs.writeFileSync(path.join(dir, 'config'), `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), `[sim]\naws_access_key_id = AKIDCLITEST\naws_secret_access_key = cli-secret-not-real\n`);
  setEnv('AWS_CONFIG_FILE', path.join(dir, 'config'));
  setEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_PROFILE', DATABASE_URL_ENV]) setEnv(k, undefined);
});

afterAll(async () => {
  await sim?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface ScanJson {
  scan: { status: string; findingsCount: number; monthlySavings: number };
  discovery: { ceRequests: number; services: { name: string; cost: number }[] } | null;
  savings: unknown;
  findings: Array<{ id: number; resourceId: string; type: string; region: string } & Record<string, unknown>>;
}
/**
 * Dollars to the cent: a log group's savings from a retention are estimated from its age at scan time, so two scans a
 * second apart differ in the sixth decimal.
 */
const cents = <T>(v: T): T => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isInteger(x) ? Math.round(x * 100) / 100 : x))) as T;
const withoutIds = (j: ScanJson) =>
  cents(j.findings.map(({ id: _id, ...f }) => f).sort((a, b) => `${a.type}|${a.region}|${a.resourceId}`.localeCompare(`${b.type}|${b.region}|${b.resourceId}`)));

describe('the CLI with a PostgreSQL team store', () => {
  it('scans the simulator into PostgreSQL: the expected findings, the same as into SQLite, read back by findings; a re-scan keeps them', async () => {
    const url = await pg.url();
    const r = await cli(['scan', '--profile', 'sim', '--database-url', url, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as ScanJson;
    expect(j.scan.status).toBe('succeeded');
    expect(j.discovery?.services.length).toBeGreaterThanOrEqual(5);
    const expected = unusedByDefinition(sim.state).map((u) => `${u.type}|${u.region}|${u.id}`).sort();
    expect(j.findings.map((f) => `${f.type}|${f.region}|${f.resourceId}`).sort()).toEqual(expected);

    // The same scan into a SQLite file: the same findings, prices, reasons, protection and savings.
    const file = await cli(['scan', '--profile', 'sim', '--db', path.join(dir, 'same.db'), '--json']);
    expect(file.code).toBe(0);
    const k = JSON.parse(file.out) as ScanJson;
    expect(withoutIds(j)).toEqual(withoutIds(k));
    expect(cents(j.savings)).toEqual(cents(k.savings));
    expect(j.scan.monthlySavings).toBeCloseTo(k.scan.monthlySavings, 2);

    // findings reads them back from the server.
    const f = await cli(['findings', '--database-url', url, '--json']);
    expect(f.code).toBe(0);
    expect(withoutIds(JSON.parse(f.out) as ScanJson)).toEqual(withoutIds(j));

    // A second scan of the unchanged account: the same findings, same ids (upserted, not duplicated).
    const again = await cli(['scan', '--profile', 'sim', '--database-url', url, '--json']);
    expect(again.code).toBe(0);
    const j2 = JSON.parse(again.out) as ScanJson;
    expect(j2.findings.map((x) => x.id).sort()).toEqual(j.findings.map((x) => x.id).sort());
    const h = await openPostgres({ url });
    try {
      const n = await h.db.selectFrom('resources').select((e) => e.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
      expect(Number(n.n)).toBeGreaterThanOrEqual(expected.length);
      const dup = await h.db.selectFrom('resources').select(['resource_id']).groupBy(['account_id', 'resource_type', 'region', 'resource_id']).having((e) => e.fn.countAll(), '>', 1).execute();
      expect(dup).toEqual([]);
      const scans = await h.db.selectFrom('scans').select(['status']).where('kind', '=', 'resources').execute();
      expect(scans.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    } finally {
      await h.close();
    }
  });

  it('CLOUD_CLEANER_DATABASE_URL is the default store; --db overrides it; --db with --database-url is refused', async () => {
    const url = await pg.url();
    setEnv(DATABASE_URL_ENV, url);
    try {
      const r = await cli(['scan', '--profile', 'sim', '--regions', 'us-east-1', '--json']);
      expect(r.code).toBe(0);
      const h = await openPostgres({ url });
      try {
        expect((await h.db.selectFrom('scans').select('id').execute()).length).toBeGreaterThan(0);
      } finally {
        await h.close();
      }
      const file = path.join(dir, 'override.db');
      expect((await cli(['scan', '--profile', 'sim', '--regions', 'us-east-1', '--db', file, '--json'])).code).toBe(0);
      expect(fs.existsSync(file)).toBe(true);
      const both = await cli(['findings', '--db', file, '--database-url', url]);
      expect(both.code).toBe(2);
      expect(both.err).toMatch(/Choose one of --db FILE and --database-url URL/);
    } finally {
      setEnv(DATABASE_URL_ENV, undefined);
    }
  });

  it('an older team store is updated only with --migrate-database, which says no backup was taken; a wrong password names no password', async () => {
    // A database at an older schema (all but the last migration).
    const url = await olderDatabase(pg.server().url);
    const older = new URL(url);
    const refused = await cli(['findings', '--database-url', url, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/older schema/);
    expect(refused.err).toMatch(/--migrate-database/);
    expect(refused.err).toMatch(/No backup is taken/);
    const h = await openPostgres({ url });
    try {
      expect((await postgresMigrationStatus(h)).pending).toEqual([MIGRATIONS.at(-1)![0]]);
    } finally {
      await h.close();
    }
    const migrated = await cli(['scan', '--profile', 'sim', '--regions', 'us-east-1', '--database-url', url, '--migrate-database', '--json']);
    expect(migrated.code).toBe(0);
    expect(migrated.err).toMatch(/updated PostgreSQL database ".*" on 127\.0\.0\.1:\d+ to schema \d+\. No backup is taken/);

    older.password = 'not-the-password-xyz';
    const wrong = await cli(['findings', '--database-url', older.toString()]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/password/i);
    expect(wrong.err).not.toContain('not-the-password-xyz');
  });
  it('upload-history copies a local history into the team store once: the same findings there; a second upload copies nothing', async () => {
    const url = await pg.url();
    const file = path.join(dir, 'upload.db');
    expect((await cli(['scan', '--profile', 'sim', '--db', file, '--json'])).code).toBe(0);
    const up = await cli(['upload-history', '--db', file, '--database-url', url, '--json']);
    expect(up.err).toBe('');
    expect(up.code).toBe(0);
    const first = JSON.parse(up.out) as { tables: Record<string, { copied: number; updated: number; alreadyThere: number }> };
    expect(first.tables.resources!.copied).toBeGreaterThan(0);
    expect(first.tables.scans!.copied).toBeGreaterThan(0);
    const local = JSON.parse((await cli(['findings', '--db', file, '--json'])).out) as ScanJson;
    const server = JSON.parse((await cli(['findings', '--database-url', url, '--json'])).out) as ScanJson;
    expect(server.findings.length).toBe(local.findings.length);
    expect(withoutIds(server)).toEqual(withoutIds(local));

    const again = JSON.parse((await cli(['upload-history', '--db', file, '--database-url', url, '--json'])).out) as typeof first;
    for (const [table, r] of Object.entries(again.tables)) expect([table, r.copied, r.updated], table).toEqual([table, 0, 0]);
    expect(again.tables.resources!.alreadyThere).toBe(first.tables.resources!.copied);
    const plain = await cli(['upload-history', '--db', file, '--database-url', url]);
    expect(plain.out).toMatch(/^resources\tcopied 0\tupdated 0\talready there \d+/m);
    expect((await cli(['upload-history', '--db', file])).err).toMatch(/needs the team store/);
  });

  // Last: it deletes from the simulator's account.
  it('clean deletes through the team store: audited there before and after the call, the finding marked deleted', async () => {
    const url = await pg.url();
    const scan = JSON.parse((await cli(['scan', '--profile', 'sim', '--regions', 'us-east-1', '--database-url', url, '--json'])).out) as ScanJson;
    const vol = scan.findings.find((f) => f.resourceId === 'vol-0a100000000000011')!;
    const ok = await cli(['clean', '--profile', 'sim', '--database-url', url, '--finding', String(vol.id), '--confirm-account', sim.state.accountId]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/deleted/);
    expect(sim.state.region('us-east-1').volumes.has('vol-0a100000000000011')).toBe(false);
    const h = await openPostgres({ url });
    try {
      const audit = await h.db.selectFrom('deletions').select(['dry_run', 'outcome', 'completed_at']).where('resource_id', '=', 'vol-0a100000000000011').orderBy('id').execute();
      // The dry run's calls, then the delete's: each completed (none left pending).
      expect(audit.at(-1)).toMatchObject({ dry_run: 0, outcome: 'succeeded' });
      expect(audit.slice(0, -1).every((a) => a.dry_run === 1 && a.outcome === 'dry-run-ok')).toBe(true);
      expect(audit.every((a) => a.completed_at !== null)).toBe(true);
      const row = await h.db.selectFrom('resources').select(['status']).where('id', '=', vol.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('deleted');
    } finally {
      await h.close();
    }
  });
});
