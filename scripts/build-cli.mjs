#!/usr/bin/env node
/**
 * Builds the command line (src/main/cli/main.ts) into out/cli/main.mjs: one ES module for plain `node`, with every
 * JavaScript dependency (AWS SDK, kysely, zod, …) bundled in. Only better-sqlite3 stays outside: it is a native
 * addon, loaded from node_modules (a checkout, `npm install -g`) or from the copy the installers ship beside the
 * CLI (electron-builder.yml `extraResources` → <resources>/cli/). Why bundled: the installers' node_modules live
 * inside app.asar, which plain Node cannot read, so the shipped CLI must not need them.
 *
 * Run by `npm run build` (after electron-vite), `npm run cli` and `npm test`; src/main/shipping/cli-shipped.test.ts
 * runs the result as the installers ship it.
 * Usage: node scripts/build-cli.mjs [--out-dir DIR]
 */
import path from 'node:path';
import { build } from 'vite';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const outDir = args.includes('--out-dir') ? path.resolve(args[args.indexOf('--out-dir') + 1]) : path.join(root, 'out/cli');
const nodeMajor = process.versions.node.split('.')[0];

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  // No `public/` copy, no .env loading: this is a Node program.
  publicDir: false,
  envDir: false,
  ssr: {
    // Everything is bundled but the native module (and Node's own modules, which an SSR build never bundles).
    noExternal: true,
    external: ['better-sqlite3'],
    target: 'node',
  },
  build: {
    // The CLI, and its scans' region workers (src/main/scan/region-pool.ts starts scan-worker.mjs beside main.mjs).
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: `node${nodeMajor}`,
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: { main: path.join(root, 'src/main/cli/main.ts'), 'scan-worker': path.join(root, 'src/main/scan/region-worker.ts') },
      output: {
        format: 'es',
        // main.mjs: the name the CLI's own "run when executed directly" check (cli/main.ts) recognizes.
        entryFileNames: '[name].mjs',
        chunkFileNames: 'chunks/[name]-[hash].mjs',
      },
    },
  },
});
// stderr: `npm run cli -- … --json` builds first, and its stdout must stay the CLI's own.
console.error(`build-cli: wrote ${path.join(path.relative(root, outDir) || outDir, 'main.mjs')} and scan-worker.mjs`);
