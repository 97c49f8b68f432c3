#!/usr/bin/env node
// Runs the TypeScript CLI (src/main/cli/main.ts) from a checkout with tsx, passing arguments and the exit code.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = require.resolve('tsx/cli');
const r = spawnSync(process.execPath, [tsx, path.join(root, 'src/main/cli/main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(r.status ?? 1);
