import fs from 'node:fs';
import path from 'node:path';
import type { Configuration, FuseOptionsV1, MacConfiguration, TargetConfiguration, WindowsConfiguration } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_GITHUB_URL } from '../window/security';
import { BUILDER_CONFIG_FILE, cliResourceEntries, loadBuilderConfig, PROJECT_ROOT, validateBuilderConfig } from './builder-config';

let config: Configuration;

beforeAll(async () => {
  config = await loadBuilderConfig();
});

const targets = (c: MacConfiguration | WindowsConfiguration | null | undefined): TargetConfiguration[] =>
  ((c?.target ?? []) as Array<string | TargetConfiguration>).map((t) => (typeof t === 'string' ? { target: t } : t));

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder (its own schema: a misspelt option fails here)', async () => {
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
    // The schema does catch a misspelt fuse: the check above is not vacuous.
    await expect(validateBuilderConfig({ ...config, electronFuses: { runAsnode: false } as FuseOptionsV1 })).rejects.toThrow(/electronFuses/);
  });

  it('flips the Electron fuses: no run-as-node, NODE_OPTIONS or --inspect; only the integrity-checked app.asar', () => {
    const f = config.electronFuses;
    expect(f, 'electronFuses').toBeTruthy();
    expect(f!.runAsNode).toBe(false);
    expect(f!.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(f!.enableNodeCliInspectArguments).toBe(false);
    expect(f!.enableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(f!.onlyLoadAppFromAsar).toBe(true);
    expect(f!.enableCookieEncryption).toBe(true);
    expect(f!.grantFileProtocolExtraPrivileges).toBe(false);
    // onlyLoadAppFromAsar and the integrity check mean nothing without an asar.
    expect(config.asar).toBe(true);
  });

  it('signs macOS builds with the hardened runtime and a minimal entitlements file, and notarizes when APPLE_* is set', () => {
    const mac = config.mac!;
    expect(mac.hardenedRuntime).toBe(true);
    // Notarization is not switched off; electron-builder runs it only when the APPLE_* variables are present.
    expect(mac.notarize).toBe(true);
    // The identity comes from the environment (CSC_LINK / keychain): none written here, so unsigned builds work.
    expect(mac.identity).toBeUndefined();
    for (const file of [mac.entitlements, mac.entitlementsInherit]) {
      expect(file).toBe('resources/entitlements.mac.plist');
    }
    const plist = fs.readFileSync(path.join(PROJECT_ROOT, mac.entitlements!), 'utf8');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
    expect(plist.match(/<key>/g)).toHaveLength(1);
  });

  it('signs Windows builds from the environment only (sha256, timestamped), never with a certificate in the file', () => {
    const win = config.win!;
    expect(win.signtoolOptions?.signingHashAlgorithms).toEqual(['sha256']);
    expect(win.signtoolOptions?.rfc3161TimeStampServer).toMatch(/^https?:\/\//);
    expect(win.signtoolOptions?.certificateFile).toBeUndefined();
    expect(win.signtoolOptions?.certificatePassword).toBeUndefined();
    expect(win.verifyUpdateCodeSignature).not.toBe(false);
    expect(fs.readFileSync(BUILDER_CONFIG_FILE, 'utf8')).not.toMatch(/password\s*:|CSC_KEY_PASSWORD\s*:|GH_TOKEN\s*:/i);
  });

  it('publishes to the project’s GitHub releases, and builds the targets electron-updater updates from', () => {
    const publish = (Array.isArray(config.publish) ? config.publish[0] : config.publish) as { provider: string; owner: string; repo: string };
    expect(publish.provider).toBe('github');
    expect(`https://github.com/${publish.owner}/${publish.repo}`).toBe(PROJECT_GITHUB_URL);
    // Squirrel.Mac updates from the zip; on Windows from the NSIS installer; on Linux from the AppImage.
    const mac = targets(config.mac);
    expect(mac.map((t) => t.target)).toEqual(expect.arrayContaining(['dmg', 'zip']));
    expect(mac.find((t) => t.target === 'zip')!.arch).toEqual(mac.find((t) => t.target === 'dmg')!.arch);
    expect(targets(config.win).map((t) => t.target)).toContain('nsis');
    expect(targets(config.linux as WindowsConfiguration).map((t) => t.target)).toContain('AppImage');
  });

  it('ships the command line outside app.asar: bin, the built CLI and the Node build of better-sqlite3', () => {
    const entries = cliResourceEntries(config);
    expect(entries).toEqual(
      expect.arrayContaining([
        { from: 'bin', to: 'cli/bin' },
        { from: 'out/cli', to: 'cli/out/cli' },
        { from: 'node_modules/better-sqlite3/build/Release/better_sqlite3.node', to: 'cli/node_modules/better-sqlite3/build/Release/better_sqlite3.node' },
      ]),
    );
    // The app's own (Electron) build of better-sqlite3 is a different file, shipped elsewhere.
    expect(entries.some((e) => e.from.startsWith('build/native'))).toBe(false);
  });
});

describe('package.json scripts', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

  it('`npm run build` builds the CLI too, and packaging builds first', () => {
    expect(scripts.build).toMatch(/electron-vite build/);
    expect(scripts.build).toMatch(/scripts\/build-cli\.mjs/);
    for (const s of ['package', 'release']) expect(scripts[s], s).toMatch(/^npm run build && node scripts\/electron-native\.mjs && electron-builder --config electron-builder\.yml /);
  });

  it('`npm run package` never publishes; only `npm run release` does', () => {
    expect(scripts.package).toMatch(/--publish never$/);
    expect(scripts.release).toMatch(/--publish always$/);
  });
});
