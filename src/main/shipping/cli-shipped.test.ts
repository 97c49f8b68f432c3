/**
 * The command line as the installers ship it: scripts/build-cli.mjs builds it (into a temp folder, so a concurrent
 * `npm run build` is not disturbed), then exactly the electron-builder.yml `extraResources` entries for <resources>/cli/
 * are copied into a fresh folder — no checkout, no tsx, no node_modules but what those entries ship — and the CLI
 * is run there through bin/cloud-cleaner.mjs with plain `node` (this Node, so the Node-ABI better-sqlite3 build from
 * node_modules, which scripts/electron-native.mjs never touches), against the local AWS simulator.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { unusedByDefinition } from '../../../e2e/aws-sim/unused-oracle';
import { cliResourceEntries, loadBuilderConfig, PROJECT_ROOT } from './builder-config';

let dir: string;
let resources: string;
let sim: Simulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-cli-shipped-'));
  const built = path.join(dir, 'build');
  const b = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts/build-cli.mjs'), '--out-dir', built], { encoding: 'utf8' });
  expect(b.status, b.stderr).toBe(0);

  resources = path.join(dir, 'resources');
  for (const e of cliResourceEntries(await loadBuilderConfig())) {
    // out/cli is what `npm run build` writes; the test uses its own fresh build of it.
    const from = e.from === 'out/cli' ? built : path.join(PROJECT_ROOT, e.from);
    fs.cpSync(from, path.join(resources, e.to), { recursive: true });
  }

  sim = await startSimulator();
  fs.writeFileSync(path.join(dir, 'config'), `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), `[sim]\naws_access_key_id = AKIDSHIPPED\naws_secret_access_key = shipped-secret-not-real\n`);
  // A clean environment: nothing from this test process (no NODE_OPTIONS, no AWS_* safety-net values) leaks in.
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    USERPROFILE: dir,
    XDG_CONFIG_HOME: path.join(dir, 'xdg'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
  };
}, 120_000);

afterAll(async () => {
  await sim?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Async (not spawnSync): the simulator answers from this process's event loop. */
function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const bin = path.join(resources, 'cli/bin/cloud-cleaner.mjs');
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 }, (error, out, err) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}

describe('the shipped command line (<resources>/cli, plain node)', () => {
  it('is self-contained: only better-sqlite3 and its loader come from node_modules', () => {
    expect(fs.readdirSync(path.join(resources, 'cli/node_modules')).sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path']);
    expect(fs.existsSync(path.join(resources, 'cli/out/cli/main.mjs'))).toBe(true);
  });

  it('--help prints the usage and exits 0; bad usage exits 2', async () => {
    const help = await cli(['--help']);
    expect(help.err).toBe('');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage:\n {2}cloud-cleaner profiles/);
    const bad = await cli(['scan', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')[0]).toMatch(/^cloud-cleaner: /);
  });

  it('profiles lists the profiles of AWS_CONFIG_FILE', async () => {
    const r = await cli(['profiles']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/sim\tstatic\tus-east-1/);
  });

  it('scan and findings work end to end: the bundled AWS SDK, the migrations, the native SQLite module', async () => {
    const db = path.join(dir, 'shipped.db');
    const scan = await cli(['scan', '--profile', 'sim', '--db', db, '--json']);
    expect(scan.err).toBe('');
    expect(scan.code).toBe(0);
    const j = JSON.parse(scan.out) as {
      scan: { status: string };
      threads: { regionWorkers: { workers: number; fallbackReason?: string } };
      findings: { type: string; region: string; resourceId: string }[];
    };
    expect(j.scan.status).toBe('succeeded');
    // The regions ran on the shipped region worker (cli/out/cli/scan-worker.mjs, beside main.mjs).
    expect(j.threads.regionWorkers.fallbackReason).toBeUndefined();
    expect(j.threads.regionWorkers.workers).toBeGreaterThanOrEqual(1);
    const expected = unusedByDefinition(sim.state).map((u) => `${u.type}|${u.region}|${u.id}`).sort();
    expect(j.findings.map((f) => `${f.type}|${f.region}|${f.resourceId}`).sort()).toEqual(expected);

    const f = await cli(['findings', '--db', db, '--json']);
    expect(f.code).toBe(0);
    expect((JSON.parse(f.out) as { findings: unknown[] }).findings).toHaveLength(expected.length);
  });
});
