import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import type { AppLogger } from './log/logger';
import { DISABLE_UPDATES_ENV, startAutoUpdates, updateDecision, updaterHolder, type UpdaterLike } from './updates';

function fakeLog(): AppLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

function fakeUpdater(check: () => Promise<unknown> = async () => null): UpdaterLike & { checks: number } {
  const u = {
    logger: null,
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checks: 0,
    checkForUpdatesAndNotify: async () => {
      u.checks++;
      return check();
    },
  };
  return u;
}

describe('updateDecision', () => {
  it('checks only in a packaged build, unless switched off by the environment', () => {
    expect(updateDecision({ isPackaged: true, env: {} })).toEqual({ check: true });
    expect(updateDecision({ isPackaged: false, env: {} })).toEqual({ check: false, reason: 'not a packaged build' });
    expect(updateDecision({ isPackaged: true, env: { [DISABLE_UPDATES_ENV]: '1' } }).check).toBe(false);
    expect(updateDecision({ isPackaged: true, env: { [DISABLE_UPDATES_ENV]: '0' } }).check).toBe(true);
  });
});

describe('startAutoUpdates', () => {
  it('in a packaged build: loads the updater, logs through the app logger, checks once', async () => {
    const updater = fakeUpdater();
    const log = fakeLog();
    const load = vi.fn(async () => updater);
    expect(await startAutoUpdates({ isPackaged: true, env: {}, loadUpdater: load, log })).toEqual({ check: true });
    expect(load).toHaveBeenCalledTimes(1);
    expect(updater.checks).toBe(1);
    expect(updater.logger).toBe(log);
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  it('in a development run: never loads the updater, says why in the log', async () => {
    const load = vi.fn(async () => fakeUpdater());
    const log = fakeLog();
    expect((await startAutoUpdates({ isPackaged: false, env: {}, loadUpdater: load, log })).check).toBe(false);
    expect(load).not.toHaveBeenCalled();
    expect(log.lines).toEqual(['info updates: not checking (not a packaged build)']);
  });

  it('a failed check (offline, no release) is logged and does not throw', async () => {
    const updater = fakeUpdater(async () => {
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    });
    const log = fakeLog();
    await expect(startAutoUpdates({ isPackaged: true, env: {}, loadUpdater: async () => updater, log })).resolves.toEqual({ check: true });
    expect(log.lines).toEqual(['warn updates: check failed: net::ERR_INTERNET_DISCONNECTED']);
  });

  it('an updater that cannot load (e.g. an unsupported Linux package) is logged and does not throw', async () => {
    const log = fakeLog();
    await startAutoUpdates({ isPackaged: true, env: {}, loadUpdater: () => Promise.reject(new Error('no app-update.yml')), log });
    expect(log.lines).toEqual(['warn updates: check failed: no app-update.yml']);
  });
});

describe('updaterHolder', () => {
  it('finds autoUpdater on electron-updater as Node itself imports it (only on `default`), without building it', () => {
    // Node's own import() (as in the built main process; vitest's interop differs, so ask a plain node).
    const probe = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('electron-updater'); process.stdout.write(JSON.stringify({ named: 'autoUpdater' in m, onDefault: typeof Object.getOwnPropertyDescriptor(m.default, 'autoUpdater')?.get }))"],
      { cwd: __dirname, encoding: 'utf8' },
    );
    expect(JSON.parse(probe.stdout)).toEqual({ named: false, onDefault: 'function' });
    // The same shape, with the real module object: the holder is electron-updater's exports, getter untouched.
    const cjs = createRequire(__filename)('electron-updater') as object;
    const holder = updaterHolder({ default: cjs });
    expect(holder).toBe(cjs);
    expect(typeof Object.getOwnPropertyDescriptor(holder, 'autoUpdater')?.get).toBe('function');
  });

  it('takes a named export when an interop provides one, and refuses a module without it', () => {
    const updater = fakeUpdater();
    expect(updaterHolder({ autoUpdater: updater }).autoUpdater).toBe(updater);
    expect(updaterHolder({ default: { autoUpdater: updater } }).autoUpdater).toBe(updater);
    expect(() => updaterHolder({ default: {} })).toThrow(/no autoUpdater/);
  });
});
