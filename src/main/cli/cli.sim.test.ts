import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { unusedByDefinition } from '../../../e2e/aws-sim/unused-oracle';
import { runCli } from './main';

let sim: Simulator;
let dir: string;
const saved: Record<string, string | undefined> = {};

function setEnv(k: string, v: string | undefined): void {
  if (!(k in saved)) saved[k] = process.env[k];
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
}

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-cli-'));
  // A profile pointed at the simulator exactly as a user points the AWS CLI at an emulator.
  fs.writeFileSync(
    path.join(dir, 'config'),
    `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`,
  );
  fs.writeFileSync(path.join(dir, 'credentials'), `[sim]\naws_access_key_id = AKIDCLITEST\naws_secret_access_key = cli-secret-not-real\n`);
  setEnv('AWS_CONFIG_FILE', path.join(dir, 'config'));
  setEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  setEnv('AWS_ENDPOINT_URL', undefined);
  setEnv('AWS_ACCESS_KEY_ID', undefined);
  setEnv('AWS_SECRET_ACCESS_KEY', undefined);
  setEnv('AWS_REGION', undefined);
  setEnv('AWS_PROFILE', undefined);
});

afterAll(async () => {
  await sim.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cloud-cleaner CLI against the simulator', () => {
  it('scan --json prints the scan, discovery and exactly the expected findings with prices', async () => {
    const db = path.join(dir, 'scan.db');
    const r = await cli(['scan', '--profile', 'sim', '--db', db, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      scan: { status: string; findingsCount: number };
      discovery: { ceRequests: number; services: { name: string; cost: number }[] };
      findings: { id: number; resourceId: string; type: string; region: string; reason: string; since: string | null; monthlyCost: number | null; costBasis: string; protected: boolean }[];
      threads: { regionWorkers: { workers: number; fallbackReason?: string }; writer: { thread: boolean } };
    };
    expect(j.scan.status).toBe('succeeded');
    // From source, the regions ran on the region worker's TypeScript (through tsx), the findings on the writer thread.
    expect(j.threads.regionWorkers.fallbackReason).toBeUndefined();
    expect(j.threads.regionWorkers.workers).toBeGreaterThanOrEqual(1);
    expect(j.threads.writer.thread).toBe(true);
    expect(j.discovery.ceRequests).toBe(1);
    expect(j.discovery.services.length).toBeGreaterThanOrEqual(5);
    // Coverage from the kinds: EC2 - Other is covered, DynamoDB is not (no kind declares it).
    const svc = (name: string) => (j.discovery.services as { name: string; covered?: boolean }[]).find((x) => x.name === name);
    expect(svc('EC2 - Other')?.covered).toBe(true);
    expect(svc('Amazon DynamoDB')?.covered).toBe(false);
    const expected = unusedByDefinition(sim.state).map((u) => `${u.type}|${u.region}|${u.id}`).sort();
    expect(j.findings.map((f) => `${f.type}|${f.region}|${f.resourceId}`).sort()).toEqual(expected);
    for (const f of j.findings) {
      expect(f.id).toBeGreaterThan(0);
      expect(typeof f.reason).toBe('string');
      expect(f.costBasis).not.toBe('');
    }
    const byId = new Map(j.findings.map((f) => [f.resourceId, f]));
    // gp2 50 GiB in us-east-1: 50 × $0.10.
    expect(byId.get('vol-0a100000000000011')!.monthlyCost).toBeCloseTo(5, 6);
    // gp3 100 GiB, 4,000 IOPS, 200 MiB/s: 100 × $0.08 + 1,000 × $0.005 + 75 × $0.04.
    expect(byId.get('vol-0a100000000000010')!.monthlyCost).toBeCloseTo(16, 6);
    // An idle Elastic IP: 730 h × $0.005.
    expect(byId.get('eipalloc-0a100000000000003')!.monthlyCost).toBeCloseTo(3.65, 6);
    // Protection tag honoured, `false` does not protect; termination protection is read when a cleanup is planned (one
    // call per instance), not by the scan.
    expect(byId.get('vol-0a100000000000016')!.protected).toBe(true);
    expect(byId.get('vol-0a100000000000017')!.protected).toBe(false);
    expect(byId.get('i-0a100000000000005')!.protected).toBe(false);

    // findings reads the same back from the database.
    const f = await cli(['findings', '--db', db, '--json']);
    expect(f.code).toBe(0);
    expect((JSON.parse(f.out) as { findings: unknown[] }).findings).toHaveLength(expected.length);
    const csv = await cli(['findings', '--db', db, '--csv']);
    expect(csv.out.split('\r\n').length).toBe(expected.length + 1);
    // Nothing is ignored in a fresh database: --ignored include lists the same, --ignored only none.
    expect((JSON.parse((await cli(['findings', '--db', db, '--json', '--ignored', 'include'])).out) as { findings: unknown[] }).findings).toHaveLength(expected.length);
    expect((JSON.parse((await cli(['findings', '--db', db, '--json', '--ignored', 'only'])).out) as { findings: unknown[] }).findings).toHaveLength(0);
  });

  it('clean: a wrong confirmation exits 2 and deletes nothing; the right one deletes and exits 0', async () => {
    const db = path.join(dir, 'clean.db');
    const scan = JSON.parse((await cli(['scan', '--profile', 'sim', '--db', db, '--json'])).out) as {
      findings: { id: number; resourceId: string; type: string }[];
    };
    const vol = scan.findings.find((f) => f.resourceId === 'vol-0a100000000000011')!;
    const eip = scan.findings.find((f) => f.resourceId === 'eipalloc-0a100000000000003')!;
    sim.resetCounts();
    const wrong = await cli(['clean', '--profile', 'sim', '--db', db, '--finding', String(vol.id), '--confirm-account', '999999999999']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/not the account/);
    const mutations = Object.keys(sim.counts().byOperation).filter((op) => /Delete|Release|Terminate|Deregister|Create/.test(op));
    expect(mutations).toEqual([]);

    const dry = await cli(['clean', '--profile', 'sim', '--db', db, '--finding', String(vol.id), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/dry-run ok/);
    expect(dry.out).toMatch(/would save \$5\.00\/month/);
    expect(sim.state.region('us-east-1').volumes.has('vol-0a100000000000011')).toBe(true);

    const ok = await cli(['clean', '--profile', 'sim', '--db', db, '--finding', String(vol.id), '--finding', String(eip.id), '--confirm-account', sim.state.accountId]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/deleted/);
    expect(sim.state.region('us-east-1').volumes.has('vol-0a100000000000011')).toBe(false);
    expect(sim.state.region('us-east-1').addresses.has('eipalloc-0a100000000000003')).toBe(false);

    // A protected finding is refused: exit 3.
    const prot = scan.findings.find((f) => f.resourceId === 'vol-0a100000000000016')!;
    const refused = await cli(['clean', '--profile', 'sim', '--db', db, '--finding', String(prot.id), '--confirm-account', sim.state.accountId]);
    expect(refused.code).toBe(3);
    expect(refused.out).toMatch(/refused/);
  });

  it('clean --dry-run --json: each item with its savings and its parts (what is deleted, what stays, priced, protection)', async () => {
    const db = path.join(dir, 'clean-json.db');
    const scan = JSON.parse((await cli(['scan', '--profile', 'sim', '--db', db, '--json'])).out) as {
      scan: { monthlySavings: number };
      savings: { monthlySavings: number; protectedFindings: number };
      findings: { id: number; resourceId: string }[];
    };
    // The scan summary and the potential savings of its findings are the same figure (one definition).
    expect(scan.savings.monthlySavings).toBeCloseTo(scan.scan.monthlySavings, 6);
    expect(scan.savings.protectedFindings).toBeGreaterThan(0);
    const id = (rid: string): string => String(scan.findings.find((f) => f.resourceId === rid)!.id);
    const r = await cli(['clean', '--profile', 'sim', '--db', db, '--finding', id('i-0a10000000000000d'), '--finding', id('ami-0a100000000000004'), '--dry-run', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      plan: {
        items: { findingId: number; resourceId: string; savings: number | null; related: { resourceId: string; resourceType: string; fate: string; monthlyCost: number | null; protected: boolean }[] }[];
        totalMonthlySavings: number;
      };
      run: { status: string; monthlySavings: number };
    };
    const instance = j.plan.items.find((i) => i.resourceId === 'i-0a10000000000000d')!;
    expect(instance.savings).toBeCloseTo(0.8, 6);
    expect(instance.related).toEqual([
      expect.objectContaining({ resourceId: 'vol-0a10000000000001a', resourceType: 'ec2:volume', fate: 'deleted', monthlyCost: 0.8, protected: false }),
      expect.objectContaining({ resourceId: 'vol-0a10000000000001b', resourceType: 'ec2:volume', fate: 'kept', monthlyCost: 10, protected: false }),
      expect.objectContaining({ resourceId: 'eipalloc-0a100000000000008', resourceType: 'ec2:elastic-ip', fate: 'kept', monthlyCost: 3.65, protected: false }),
    ]);
    const ami = j.plan.items.find((i) => i.resourceId === 'ami-0a100000000000004')!;
    expect(ami.related).toEqual([expect.objectContaining({ resourceId: 'snap-0a100000000000008', fate: 'deleted', monthlyCost: 0.4 })]);
    expect(j.plan.totalMonthlySavings).toBeCloseTo(0.8 + 0.4, 6);
    expect(j.run).toMatchObject({ status: 'dry-run' });
    expect(j.run.monthlySavings).toBeCloseTo(1.2, 6);
  });

  it('scan --workers 0 keeps the regions on the main thread; --workers 2 starts two', async () => {
    const db = path.join(dir, 'workers.db');
    type Threads = { threads: { regionWorkers: { workers: number; fallbackReason?: string } } };
    const none = JSON.parse((await cli(['scan', '--profile', 'sim', '--db', db, '--workers', '0', '--json'])).out) as Threads;
    expect(none.threads.regionWorkers).toEqual({ workers: 0 });
    const two = JSON.parse((await cli(['scan', '--profile', 'sim', '--db', db, '--workers', '2', '--json'])).out) as Threads;
    expect(two.threads.regionWorkers).toMatchObject({ workers: 2 });
    expect(two.threads.regionWorkers.fallbackReason).toBeUndefined();
  });

  it('bad usage exits 2 with one clear line and the usage', async () => {
    for (const args of [['scan'], ['scan', '--profile', 'sim', '--bogus'], ['scan', '--profile', 'sim', '--regions', 'mars-1'], ['scan', '--profile', 'sim', '--workers', '9'], ['scan', '--profile', 'sim', '--workers', 'two'], ['nope'], ['clean', '--profile', 'sim', '--finding', 'x'], ['findings', '--json', '--csv'], ['findings', '--ignored', 'sometimes']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n')[0]).toMatch(/^cloud-cleaner: /);
    }
  });

  it('the bin entry runs the CLI with Node and passes the exit code', () => {
    const bin = path.resolve(__dirname, '../../../bin/cloud-cleaner.mjs');
    const r = spawnSync(process.execPath, [bin, 'scan', '--bogus'], { encoding: 'utf8', env: { ...process.env } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cloud-cleaner: /);
    const p = spawnSync(process.execPath, [bin, 'profiles'], { encoding: 'utf8', env: { ...process.env } });
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/sim\tstatic\tus-east-1/);
  });
});
