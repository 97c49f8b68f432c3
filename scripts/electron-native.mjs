#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI, beside (not instead of) the Node build in node_modules.
 *
 * Why: tests and the CLI load better-sqlite3 under Node; the app loads it under Electron, whose ABI differs.
 * Rebuilding node_modules in place would break one or the other. So node_modules keeps the Node build, and this
 * script puts an Electron build at build/native/<os>-<arch>/better_sqlite3.node (+ abi.txt); the main process
 * passes that path to better-sqlite3's `nativeBinding` option (src/main/db/native-binding.ts). `npm run dev` and
 * `npm run package` run this first; it does nothing when the right build is already there.
 *
 * How: prebuild-install fetches better-sqlite3's published Electron prebuild; if there is none, node-gyp compiles
 * it against Electron's headers. Both need network access to their download hosts.
 * Usage: node scripts/electron-native.mjs [--arch x64|arm64] [--force]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const arch = args.includes('--arch') ? args[args.indexOf('--arch') + 1] : process.arch;
const force = args.includes('--force');
const osName = { darwin: 'mac', win32: 'win', linux: 'linux' }[process.platform] ?? process.platform;

const electronVersion = require('electron/package.json').version;
const abi = fs.readFileSync(path.join(root, 'node_modules/electron/abi_version'), 'utf8').trim();
const outDir = path.join(root, 'build/native', `${osName}-${arch}`);
const outFile = path.join(outDir, 'better_sqlite3.node');
const abiFile = path.join(outDir, 'abi.txt');
const stamp = `electron ${electronVersion} abi ${abi} better-sqlite3 ${require('better-sqlite3/package.json').version}`;

if (!force && fs.existsSync(outFile) && fs.existsSync(abiFile) && fs.readFileSync(abiFile, 'utf8').trim() === stamp) {
  console.log(`electron-native: ${path.relative(root, outFile)} is up to date (${stamp})`);
  process.exit(0);
}

const src = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-electron-native-'));
fs.cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`) });
const bin = (name) => path.join(root, 'node_modules/.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (cmd, argv) => spawnSync(cmd, argv, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;

console.log(`electron-native: building better-sqlite3 for ${stamp} (${osName}-${arch})`);
let ok = run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--verbose']);
if (!ok) {
  console.log('electron-native: no prebuild available, compiling against Electron headers with node-gyp');
  ok = run('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers']);
}
const built = path.join(work, 'build/Release/better_sqlite3.node');
if (!ok || !fs.existsSync(built)) {
  console.error('electron-native: could not build better-sqlite3 for Electron (needs network access to GitHub or electronjs.org).');
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(built, outFile);
fs.writeFileSync(abiFile, `${stamp}\n`);
fs.rmSync(work, { recursive: true, force: true });
console.log(`electron-native: wrote ${path.relative(root, outFile)}`);
