/** Playwright globalSetup: build the app once when the renderer bundle is missing. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export default function globalSetup(): void {
  const root = path.resolve(__dirname, '../..');
  if (existsSync(path.join(root, 'out/renderer/index.html'))) return;
  console.log('global setup: out/renderer/index.html is missing, running electron-vite build');
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status ?? r.signal})`);
}
