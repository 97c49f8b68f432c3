import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      // Runtime dependencies (AWS SDK, kysely, better-sqlite3, electron-log, zod) stay in node_modules and are
      // packaged as is (electron-builder `files`); only src/ is bundled.
      externalizeDeps: true,
      // scan-worker: a scan's region workers (src/main/scan/region-pool.ts), started from out/main/scan-worker.js.
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts'), 'scan-worker': resolve(__dirname, 'src/main/scan/region-worker.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload must be ONE CommonJS file whose only require is 'electron': bundle everything it
      // imports (the contract, with zod for its schemas). Minified because it is parsed on every page load.
      externalizeDeps: false,
      isolatedEntries: true,
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // Relative asset URLs: the same build is served from app://cloud-cleaner/ and from the browser harness.
    base: './',
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
