/**
 * package.json as the install sees it: every dependency with an install script is reviewed in `allowScripts`
 * (npm 11 runs unreviewed ones with a warning today; a stricter npm skips them, which would leave better-sqlite3
 * unbuilt), and `engines.node` promises no Node that an installed package itself declares it does not support.
 * Both read package-lock.json, which records `hasInstallScript` and `engines` for every package.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './builder-config';

// semver ships with npm's tree (no types of its own here): the same range maths npm uses for `engines`.
const semver = createRequire(__filename)('semver') as { subset(sub: string, dom: string): boolean; validRange(r: string): string | null };

interface LockPackage {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
  engines?: { node?: string } | string[];
}
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
  dependencies: Record<string, string>;
};
const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
const installed = Object.entries(lock.packages)
  .filter(([key]) => key !== '')
  .map(([key, p]) => ({ name: key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), ...p }));

/** npm's matching: a name-only key covers every version, `name@range` the versions in that range. */
function decision(name: string, version: string | undefined): boolean | undefined {
  for (const [key, allowed] of Object.entries(pkg.allowScripts ?? {})) {
    const at = key.lastIndexOf('@');
    const [keyName, range] = at > 0 ? [key.slice(0, at), key.slice(at + 1)] : [key, '*'];
    if (keyName === name && (range === '*' || (version !== undefined && semver.subset(version, range)))) return allowed;
  }
  return undefined;
}

describe('allowScripts', () => {
  it('reviews every installed package that has an install script', () => {
    const unreviewed = installed.filter((p) => p.hasInstallScript && decision(p.name, p.version) === undefined).map((p) => `${p.name}@${p.version}`);
    expect(unreviewed).toEqual([]);
  });

  it('allows the scripts the project needs: better-sqlite3 (the Node build for tests and the CLI), esbuild, electron', () => {
    expect(installed.some((p) => p.name === 'better-sqlite3' && p.hasInstallScript)).toBe(true);
    for (const name of ['better-sqlite3', 'esbuild', 'electron']) expect(decision(name, undefined), name).toBe(true);
  });
});

describe('engines.node', () => {
  const ours = pkg.engines.node;

  it('is a valid range', () => {
    expect(semver.validRange(ours)).not.toBeNull();
  });

  it('promises no Node version that an installed package declares it does not support', () => {
    const conflicts = installed
      .filter((p) => !Array.isArray(p.engines) && typeof p.engines?.node === 'string')
      .filter((p) => !semver.subset(ours, (p.engines as { node: string }).node))
      .map((p) => `${p.name}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(conflicts).toEqual([]);
  });
});

describe('dependencies', () => {
  /** The main build keeps packages external (electron.vite.config.ts), and electron-builder packs only `dependencies`. */
  it('every package the main process imports at run time is a production dependency', () => {
    const files = ['src/main', 'src/shared', 'migrations'].flatMap((dir) =>
      (fs.readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true }) as string[])
        .map((f) => path.join(dir, f))
        // Tests and test support (test-support/, test-support.ts, shipping/: tests and their helpers) are not in the app.
        .filter((f) => /\.tsx?$/.test(f) && !/\.test\.ts$/.test(f) && !/[\\/](shipping|test-support)([\\/]|\.ts$)/.test(f)),
    );
    expect(files.length).toBeGreaterThan(50);
    const imported = new Set<string>();
    for (const f of files) {
      const src = fs.readFileSync(path.join(PROJECT_ROOT, f), 'utf8');
      for (const m of src.matchAll(/^import (?!type\b)[^;]*?from '([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/gm)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('node:') || spec === 'electron') continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(imported).toContain('electron-updater');
    expect([...imported].filter((name) => !(name in pkg.dependencies)).sort()).toEqual([]);
  });
});
