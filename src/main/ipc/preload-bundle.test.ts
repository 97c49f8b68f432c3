// Lives here, not in src/preload: it reads the built file with Node APIs, which the preload lint rules forbid.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bundle = path.resolve('out/preload/index.js');
const built = existsSync(bundle);
if (!built) console.log(`skipping the preload bundle check: ${bundle} is missing (run \`npx electron-vite build\` first)`);

describe.skipIf(!built)('the built preload', () => {
  it('is one CommonJS file that requires only electron and reads no environment', () => {
    const js = readFileSync(bundle, 'utf8');
    const requires = [...js.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['electron']);
    expect(js).not.toMatch(/\bimport\s*\(|^\s*import\s|^\s*export\s/m);
    expect(js).not.toContain('process.env');
    expect(js).toContain('exposeInMainWorld');
    expect(js).not.toMatch(/\.invoke\(\s*["'`]/); // channels come from the contract, never a literal at a call site
  });
});
