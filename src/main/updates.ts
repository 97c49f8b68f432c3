/**
 * Auto-update with electron-updater from the project's GitHub releases (electron-builder.yml `publish`, which
 * writes app-update.yml into the packaged app). Only a packaged build checks: a development run has no
 * app-update.yml and must never replace itself. The updater is loaded lazily, and only then, so development and
 * tests never load it. A failed check (offline, rate-limited, no release yet) is logged and changes nothing.
 */
import type { AppLogger } from './log/logger';

/** electron-updater's Logger (its `debug` is optional; the app's AppLogger fits). */
export interface UpdaterLogger {
  info(message?: unknown): void;
  warn(message?: unknown): void;
  error(message?: unknown): void;
  debug?(message: string): void;
}

/** The slice of electron-updater's `autoUpdater` used here. */
export interface UpdaterLike {
  logger: UpdaterLogger | null;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** Checks, downloads in the background and, once downloaded, shows a notification; installs on quit. */
  checkForUpdatesAndNotify(): Promise<unknown>;
}

/** Set to 1 (e.g. by an administrator who deploys updates another way) to never check. */
export const DISABLE_UPDATES_ENV = 'CLOUD_CLEANER_DISABLE_UPDATES';

export type UpdateDecision = { check: true } | { check: false; reason: string };

export function updateDecision(opts: { isPackaged: boolean; env: Record<string, string | undefined> }): UpdateDecision {
  if (!opts.isPackaged) return { check: false, reason: 'not a packaged build' };
  if (opts.env[DISABLE_UPDATES_ENV] === '1') return { check: false, reason: `${DISABLE_UPDATES_ENV}=1` };
  return { check: true };
}

/**
 * The object that carries electron-updater's `autoUpdater`. electron-updater is CommonJS and defines `autoUpdater`
 * with an arrow getter, which Node's `import()` does not detect as a named export: from a real `import()` it is
 * only on `default` (what the built main process gets); a bundler's or test runner's interop may put it on the
 * namespace. The getter is not called here (it builds the platform's updater).
 */
export function updaterHolder(mod: object): { autoUpdater: UpdaterLike } {
  if ('autoUpdater' in mod) return mod as { autoUpdater: UpdaterLike };
  const def = (mod as { default?: unknown }).default;
  if (def && typeof def === 'object' && 'autoUpdater' in def) return def as { autoUpdater: UpdaterLike };
  throw new Error('electron-updater has no autoUpdater');
}

export interface AutoUpdateDeps {
  isPackaged: boolean;
  env: Record<string, string | undefined>;
  /** `async () => updaterHolder(await import('electron-updater')).autoUpdater` in the app. */
  loadUpdater: () => Promise<UpdaterLike>;
  log: AppLogger;
}

/** Never throws: the app starts the same with or without a reachable update server. */
export async function startAutoUpdates(deps: AutoUpdateDeps): Promise<UpdateDecision> {
  const decision = updateDecision(deps);
  if (!decision.check) {
    deps.log.info(`updates: not checking (${decision.reason})`);
    return decision;
  }
  try {
    const updater = await deps.loadUpdater();
    // The app's logger: electron-log with the redaction hook (log/configure.ts).
    updater.logger = deps.log;
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    await updater.checkForUpdatesAndNotify();
  } catch (e) {
    deps.log.warn(`updates: check failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return decision;
}
