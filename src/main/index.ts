/**
 * Lifecycle only: single-instance lock → security baseline → database opened and migrated (before any window) →
 * services → IPC → window and menu → update check (packaged builds). Everything with logic lives in window/, ipc/,
 * log/, app/ and updates.ts. src/main/shipping/main-entry.test.ts runs this file against a fake Electron.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell } from 'electron';
import { isAppError } from '../shared/errors';
import { createAppServices } from './app/app-services';
import { DB_FILE_NAME } from './app/paths';
import { recoverAfterCrash } from './app/recovery';
import { electronNativeBindingPath } from './db/native-binding';
import type { DbHandle } from './db/connection';
import { openAndMigrate } from './db/database';
import type { AppDb } from './db/store';
import { loadTeamStore, urlWithoutPassword } from './app/team-store-config';
import { openTeamStore } from './app/team-store-open';
import { bindIpc } from './ipc/electron-ipc';
import { createRouter } from './ipc/router';
import { setUpMainLog, type AppLogger } from './log/logger';
import { startAutoUpdates, updaterHolder } from './updates';
import { appMenuTemplate } from './window/app-menu';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './window/app-protocol';
import { devToolsEnabled } from './window/dev-tools';
import { createMainWindow } from './window/main-window';
import {
  APP_ORIGIN,
  APP_SCHEME,
  buildCsp,
  createNonce,
  denyAllPermissions,
  installContentGuards,
  isAppUrl,
  openExternalSafely,
} from './window/security';
import { loadWindowState, type WindowStateIo } from './window/window-state';

// Only a dev build (not packaged) may load the electron-vite dev server.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
// Developer tools (menu item and window preference) only in a development run.
const devTools = devToolsEnabled({ isPackaged: app.isPackaged });

// Must happen before `ready`: app:// behaves like https (standard, secure, fetch) for CSP 'self' and modules.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let mainWindow: BrowserWindow | null = null;
let db: AppDb | null = null;

const windowStateIo: WindowStateIo = {
  readText: (file) => readFile(file, 'utf8').catch(() => null),
  writeText: async (file, text) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  },
};

const openExternal = async (url: string): Promise<void> => {
  await openExternalSafely(url, (u) => shell.openExternal(u));
};

function fatal(title: string, body: string): void {
  dialog.showErrorBox(title, body);
  app.exit(1);
}

function setUpSecurity(log: AppLogger): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(denyAllPermissions);
  ses.setPermissionCheckHandler(() => false);
  // Guards on every webContents ever created (not just the main window's).
  app.on('web-contents-created', (_e, contents) => {
    installContentGuards(contents, { devServerUrl, openExternal, log: (m) => log.warn(m) });
  });
  void ses.protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: path.join(__dirname, '../renderer') }));
  if (devServerUrl) {
    // The dev server's HTML does not pass through app://, so its CSP comes as a response header here.
    const csp = buildCsp({ nonce: createNonce(), devServerUrl });
    ses.webRequest.onHeadersReceived({ urls: [`${new URL(devServerUrl).origin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
  }
}

async function openDatabase(log: AppLogger): Promise<DbHandle | null> {
  const file = path.join(app.getPath('userData'), DB_FILE_NAME);
  let nativeBinding: string;
  try {
    nativeBinding = electronNativeBindingPath({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath });
  } catch (e) {
    fatal('Cloud Cleaner cannot start', isAppError(e) ? e.message : String(e));
    return null;
  }
  try {
    const handle = await openAndMigrate({ file, nativeBinding });
    log.info(`database ${file}: ${JSON.stringify(handle.migration)}`);
    const recovered = await recoverAfterCrash(handle);
    if (recovered.interruptedScans || recovered.interruptedPlans.length || recovered.pendingCalls.length) {
      log.warn(`recovered after an unclean stop: ${JSON.stringify(recovered)}`);
    }
    return handle;
  } catch (e) {
    log.error('database open failed', e);
    const reason = isAppError(e) ? e.message : `Unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    // The file is left as it is: a newer or damaged database is never migrated, repaired or replaced.
    fatal('Cloud Cleaner cannot open its database', `${reason}\n\nDatabase file: ${file}`);
    return null;
  }
}

/**
 * The team store saved in Settings (issue #21), opened and migrated as far as confirmed; null when none is saved or it
 * cannot be opened — then a dialog says why and that this start uses the local database (the choice stays saved).
 */
async function openSavedTeamStore(log: AppLogger): Promise<{ db: AppDb; url: string } | { error: string } | null> {
  const userData = app.getPath('userData');
  try {
    const choice = loadTeamStore(userData, safeStorage);
    if (!choice) return null;
    const { handle, report } = await openTeamStore(choice);
    log.info(`team store ${handle.server}: ${JSON.stringify(report)}`);
    try {
      await recoverAfterCrash(handle);
    } catch (e) {
      await handle.close();
      throw e;
    }
    return { db: handle, url: urlWithoutPassword(choice.url) };
  } catch (e) {
    // AppErrors of the team store never carry the password; anything else is logged by its message only.
    log.error(`team store open failed: ${isAppError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}`);
    const reason = isAppError(e) ? e.message : 'Unexpected error: see the log.';
    const body = `${reason}\n\nThis time Cloud Cleaner starts on the local database (${path.join(userData, DB_FILE_NAME)}). The team store stays saved: fix it, or choose the local database, in Settings.`;
    dialog.showErrorBox('Cloud Cleaner cannot open the team store', body);
    return { error: body };
  }
}

async function start(): Promise<void> {
  const { logger: log, logFile } = setUpMainLog({ dev: !app.isPackaged });
  log.info(`Cloud Cleaner ${app.getVersion()} starting (${process.platform}-${process.arch}, Electron ${process.versions.electron})`);
  setUpSecurity(log);

  const team = await openSavedTeamStore(log);
  const opened = team && 'db' in team ? team : null;
  db = opened?.db ?? (await openDatabase(log));
  if (!db) return;

  const services = createAppServices({
    db,
    appInfo: { version: app.getVersion(), logFile },
    logger: log,
    openExternal,
    keychain: safeStorage,
    configDir: app.getPath('userData'),
    localDbFile: path.join(app.getPath('userData'), DB_FILE_NAME),
    scanWorkerScript: path.join(__dirname, 'scan-worker.js'),
    ...(opened ? { currentStoreUrl: opened.url } : {}),
    ...(team && 'error' in team ? { teamStoreStartError: team.error } : {}),
  });
  onRendererGone = () => services.rendererReloaded();
  const router = createRouter(services, log);
  bindIpc({
    ipcMain,
    router,
    isTrustedUrl: (url) => isAppUrl(url, { devServerUrl }),
    target: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null),
    logger: log,
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate({ isMac: process.platform === 'darwin', devTools, openExternal: (url) => void openExternal(url) })),
  );
  await openWindow(log);
  void startAutoUpdates({
    isPackaged: app.isPackaged,
    env: process.env,
    loadUpdater: async () => updaterHolder(await import('electron-updater')).autoUpdater,
    log,
  });
}

/** Set once the services exist: ends the MFA prompts waiting on a renderer that reloaded or went away. */
let onRendererGone: (() => void) | null = null;

async function openWindow(log: AppLogger): Promise<void> {
  const userDataDir = app.getPath('userData');
  const state = await loadWindowState(
    userDataDir,
    windowStateIo,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  mainWindow = createMainWindow({
    BrowserWindow,
    state,
    preloadPath: path.join(__dirname, '../preload/index.js'),
    devTools,
    startUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    userDataDir,
    io: windowStateIo,
    log: (m) => log.warn(m),
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  // A reload (or a closed page) leaves nobody to answer a waiting MFA prompt: those prompts fail at once.
  const contents = mainWindow.webContents;
  contents.on('did-start-loading', () => onRendererGone?.());
  contents.on('destroyed', () => onRendererGone?.());
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (db && BrowserWindow.getAllWindows().length === 0) void openWindow(setUpMainLog({ dev: !app.isPackaged }).logger);
  });
  app.on('will-quit', () => {
    void db?.close();
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => fatal('Cloud Cleaner cannot start', e instanceof Error ? (e.stack ?? e.message) : String(e)));
}
