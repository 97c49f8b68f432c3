#!/usr/bin/env node
// The `cloud-cleaner` command: runs the built CLI (out/cli/main.mjs, made by `npm run build` with
// scripts/build-cli.mjs) with plain Node, passing the arguments and the exit code. The installers ship this same file
// at <resources>/cli/bin/ with out/cli/ and better-sqlite3's Node build beside it (electron-builder.yml
// extraResources), so a symlink to it on PATH works: Node resolves the link to this file's real location.
import fs from 'node:fs';

const built = new URL('../out/cli/main.mjs', import.meta.url);
if (!fs.existsSync(built)) {
  process.stderr.write('cloud-cleaner: the command line is not built (out/cli/main.mjs is missing); run: npm run build\n');
  process.exit(1);
}
const { runCli } = await import(built.href);
process.exitCode = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(`${s}\n`),
  err: (s) => process.stderr.write(`${s}\n`),
});
