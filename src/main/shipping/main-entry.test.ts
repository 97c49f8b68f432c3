/**
 * Runs the real main entry (src/main/index.ts) against a fake `electron` that records what main asks of it, so the
 * security set-up is tested where it is wired, not only in its helpers: the permission request and check handlers,
 * the guards on every webContents, app:// with its CSP, the dev server's CSP, the window's web preferences, the IPC
 * sender check, the developer tools, and the update check. Removing any of those calls from index.ts fails a test
 * here. The database, services and logger are replaced (their own tests cover them); the order is kept: the
 * database is opened before any window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

/** The fake Electron and everything it recorded; reset before each boot. */
const fake = vi.hoisted(() => {
  const state = {
    isPackaged: false,
    singleInstance: true,
    userData: '',
    events: [] as string[],
    appListeners: new Map<string, Listener[]>(),
    privilegedSchemes: [] as unknown[],
    permissionRequestHandler: null as Listener | null,
    permissionCheckHandler: null as Listener | null,
    protocolHandlers: new Map<string, (request: { url: string; method?: string }) => Promise<Response>>(),
    headerListeners: [] as Array<{ filter: { urls: string[] }; listener: Listener }>,
    windows: [] as Array<{ options: Record<string, unknown>; loadedUrl: string | null }>,
    menuTemplate: null as MenuItemConstructorOptions[] | null,
    applicationMenuSet: false,
    quit: 0,
    exitCodes: [] as number[],
    errorBoxes: [] as string[],
    bindIpcOptions: null as null | { isTrustedUrl: (url: string) => boolean },
    updateChecks: 0,
    webContentsListeners: [] as [string, () => void][],
    rendererReloads: 0,
  };

  class FakeBrowserWindow {
    static getAllWindows = () => state.windows;
    readonly webContents = {
      send: () => undefined,
      isDestroyed: () => false,
      on: (event: string, fn: () => void) => {
        state.webContentsListeners.push([event, fn]);
      },
    };
    private readonly rec: { options: Record<string, unknown>; loadedUrl: string | null };
    constructor(options: Record<string, unknown>) {
      this.rec = { options, loadedUrl: null };
      state.windows.push(this.rec);
      state.events.push('window');
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    maximize() {}
    isDestroyed() {
      return false;
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 800 };
    }
    loadURL(url: string) {
      this.rec.loadedUrl = url;
      return Promise.resolve();
    }
  }

  const electron = {
    app: {
      get isPackaged() {
        return state.isPackaged;
      },
      getPath: (name: string) => {
        if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
        return state.userData;
      },
      getVersion: () => '0.0.0-test',
      getAppPath: () => state.userData,
      requestSingleInstanceLock: () => state.singleInstance,
      on: (event: string, listener: Listener) => {
        state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), listener]);
      },
      whenReady: () => {
        state.events.push('whenReady');
        return Promise.resolve();
      },
      quit: () => void state.quit++,
      exit: (code: number) => void state.exitCodes.push(code),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        state.events.push('registerSchemesAsPrivileged');
        state.privilegedSchemes.push(...schemes);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => void (state.permissionRequestHandler = h),
        setPermissionCheckHandler: (h: Listener) => void (state.permissionCheckHandler = h),
        protocol: {
          handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) => void state.protocolHandlers.set(scheme, handler),
        },
        webRequest: {
          onHeadersReceived: (filter: { urls: string[] }, listener: Listener) => void state.headerListeners.push({ filter, listener }),
        },
      },
    },
    BrowserWindow: FakeBrowserWindow,
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => {
        state.menuTemplate = template;
        return { template };
      },
      setApplicationMenu: () => void (state.applicationMenuSet = true),
    },
    ipcMain: { handle: () => undefined, removeHandler: () => undefined },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    dialog: { showErrorBox: (title: string, body: string) => void state.errorBoxes.push(`${title}: ${body}`) },
    shell: { openExternal: () => Promise.resolve() },
    // No team store is saved in these tests: the keychain is never asked.
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: () => {
        throw new Error('unexpected safeStorage.encryptString');
      },
      decryptString: () => {
        throw new Error('unexpected safeStorage.decryptString');
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));
vi.mock('electron-updater', () => {
  const autoUpdater = {
    logger: null,
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checkForUpdatesAndNotify: () => {
      fake.state.updateChecks++;
      return Promise.resolve(null);
    },
  };
  return { autoUpdater, default: { autoUpdater } };
});
vi.mock('../log/logger', () => {
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return { setUpMainLog: () => ({ logger, logFile: '/dev/null' }) };
});
vi.mock('../db/native-binding', () => ({ electronNativeBindingPath: () => '/fake/better_sqlite3.node' }));
vi.mock('../db/database', () => ({
  openAndMigrate: () => {
    fake.state.events.push('openAndMigrate');
    return Promise.resolve({ file: ':fake:', migration: {}, db: {}, close: () => Promise.resolve() });
  },
}));
vi.mock('../app/recovery', () => ({ recoverAfterCrash: () => Promise.resolve({ interruptedScans: 0, interruptedPlans: [], pendingCalls: [] }) }));
vi.mock('../app/app-services', () => ({
  createAppServices: () => ({
    rendererReloaded: () => {
      fake.state.rendererReloads += 1;
    },
  }),
}));
vi.mock('../ipc/router', () => ({ createRouter: () => ({ handle: () => undefined, onEvent: () => () => undefined }) }));
vi.mock('../ipc/electron-ipc', () => ({
  bindIpc: (opts: { isTrustedUrl: (url: string) => boolean }) => {
    fake.state.bindIpcOptions = opts;
    return () => undefined;
  },
}));

const savedRendererUrl = process.env.ELECTRON_RENDERER_URL;
const tempDirs: string[] = [];

async function boot(opts: { isPackaged: boolean; rendererUrl?: string; singleInstance?: boolean }): Promise<typeof fake.state> {
  const s = fake.state;
  Object.assign(s, {
    isPackaged: opts.isPackaged,
    singleInstance: opts.singleInstance ?? true,
    userData: tempDirs[tempDirs.push(mkdtempSync(path.join(os.tmpdir(), 'cc-main-entry-'))) - 1],
    events: [],
    appListeners: new Map(),
    privilegedSchemes: [],
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    protocolHandlers: new Map(),
    headerListeners: [],
    windows: [],
    menuTemplate: null,
    applicationMenuSet: false,
    quit: 0,
    exitCodes: [],
    errorBoxes: [],
    bindIpcOptions: null,
    updateChecks: 0,
    webContentsListeners: [],
    rendererReloads: 0,
  });
  if (opts.rendererUrl) process.env.ELECTRON_RENDERER_URL = opts.rendererUrl;
  else delete process.env.ELECTRON_RENDERER_URL;
  vi.resetModules();
  await import('../index');
  if (s.singleInstance) {
    await vi.waitFor(() => {
      expect(s.errorBoxes).toEqual([]);
      expect(s.windows).toHaveLength(1);
    });
    // Let the update check (started after the window) settle.
    await new Promise((r) => setTimeout(r, 10));
  }
  return s;
}

beforeEach(() => {
  delete process.env.ELECTRON_RENDERER_URL;
});
afterEach(() => {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  if (savedRendererUrl === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = savedRendererUrl;
});

/** Every role anywhere in a menu template. */
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((m) => [...(m.role ? [m.role] : []), ...(Array.isArray(m.submenu) ? roles(m.submenu) : [])]);
}

/** A webContents as the guards see it, recording its listeners. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  return {
    listeners,
    openHandler: () => openHandler,
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return this;
    },
    setWindowOpenHandler(h: (details: { url: string }) => { action: string }) {
      openHandler = h;
    },
  };
}

function preventable() {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
  return e;
}

describe.each([
  { run: 'packaged build', isPackaged: true },
  { run: 'development run', isPackaged: false },
])('main entry, $run', ({ isPackaged }) => {
  it('registers app:// as a privileged scheme before ready, and serves it with the CSP', async () => {
    const s = await boot({ isPackaged });
    expect(s.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(s.events.indexOf('registerSchemesAsPrivileged')).toBeLessThan(s.events.indexOf('whenReady'));
    const serve = s.protocolHandlers.get('app');
    expect(serve, 'protocol.handle("app", …)').toBeTypeOf('function');
    const res = await serve!({ url: 'app://cloud-cleaner/index.html', method: 'GET' });
    expect(res.status).toBe(200);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect((await serve!({ url: 'app://cloud-cleaner/../../package.json', method: 'GET' })).status).toBe(400);
  });

  it('denies every permission request and check', async () => {
    const s = await boot({ isPackaged });
    expect(s.permissionRequestHandler, 'setPermissionRequestHandler').toBeTypeOf('function');
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const granted = vi.fn();
      s.permissionRequestHandler!({}, permission, granted, {});
      expect(granted).toHaveBeenCalledExactlyOnceWith(false);
    }
    expect(s.permissionCheckHandler, 'setPermissionCheckHandler').toBeTypeOf('function');
    for (const permission of ['media', 'notifications', 'clipboard-sanitized-write']) {
      expect(s.permissionCheckHandler!({}, permission, 'app://cloud-cleaner', {})).toBe(false);
    }
  });

  it('guards every webContents: no navigation away, no new windows, no webviews', async () => {
    const s = await boot({ isPackaged });
    const created = s.appListeners.get('web-contents-created') ?? [];
    expect(created, 'app.on("web-contents-created")').toHaveLength(1);
    const contents = fakeContents();
    created[0]!(preventable(), contents);

    const away = preventable();
    contents.listeners.get('will-navigate')!(away, 'https://evil.example/');
    expect(away.prevented).toBe(true);
    const inside = preventable();
    contents.listeners.get('will-navigate')!(inside, 'app://cloud-cleaner/index.html#/findings');
    expect(inside.prevented).toBe(false);
    const redirect = preventable();
    contents.listeners.get('will-redirect')!(redirect, 'https://evil.example/');
    expect(redirect.prevented).toBe(true);
    const webview = preventable();
    contents.listeners.get('will-attach-webview')!(webview);
    expect(webview.prevented).toBe(true);
    expect(contents.openHandler()!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler()!({ url: 'app://cloud-cleaner/index.html' })).toEqual({ action: 'deny' });
  });

  it('opens the database before the one window, whose web preferences are locked down', async () => {
    const s = await boot({ isPackaged });
    expect(s.events.indexOf('openAndMigrate')).toBeGreaterThan(-1);
    expect(s.events.indexOf('openAndMigrate')).toBeLessThan(s.events.indexOf('window'));
    const prefs = s.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toMatch(/[\\/]preload[\\/]index\.js$/);
    expect(s.windows[0]!.loadedUrl).toBe('app://cloud-cleaner/index.html');
  });

  it('ends waiting MFA prompts when the page reloads or goes away', async () => {
    const s = await boot({ isPackaged });
    const fire = (event: string): void => {
      for (const [e, fn] of s.webContentsListeners) if (e === event) fn();
    };
    expect(s.rendererReloads).toBe(0);
    fire('did-start-loading');
    expect(s.rendererReloads).toBe(1);
    fire('destroyed');
    expect(s.rendererReloads).toBe(2);
  });

  it('lets only the app’s own page call main over IPC', async () => {
    const s = await boot({ isPackaged });
    const trusted = s.bindIpcOptions?.isTrustedUrl;
    expect(trusted, 'bindIpc').toBeTypeOf('function');
    expect(trusted!('app://cloud-cleaner/index.html')).toBe(true);
    expect(trusted!('https://evil.example/')).toBe(false);
    expect(trusted!('file:///etc/passwd')).toBe(false);
  });

  it(`${isPackaged ? 'has no' : 'has'} developer tools, in the menu and the window`, async () => {
    const s = await boot({ isPackaged });
    expect(s.applicationMenuSet).toBe(true);
    const menuRoles = roles(s.menuTemplate ?? []);
    expect(menuRoles.includes('toggleDevTools') || menuRoles.includes('viewMenu')).toBe(!isPackaged);
    expect((s.windows[0]!.options.webPreferences as Record<string, unknown>).devTools).toBe(!isPackaged);
  });

  it(`${isPackaged ? 'checks' : 'does not check'} for updates`, async () => {
    const s = await boot({ isPackaged });
    expect(s.updateChecks).toBe(isPackaged ? 1 : 0);
  });
});

describe('main entry, the development server', () => {
  const devUrl = 'http://localhost:5173';

  it('a development run loads it and sends its pages with the CSP as a header', async () => {
    const s = await boot({ isPackaged: false, rendererUrl: devUrl });
    expect(s.windows[0]!.loadedUrl).toBe(devUrl);
    expect(s.headerListeners).toHaveLength(1);
    expect(s.headerListeners[0]!.filter.urls).toEqual([`${devUrl}/*`]);
    const callback = vi.fn();
    s.headerListeners[0]!.listener({ responseHeaders: { 'X-Other': ['1'] } }, callback);
    const headers = (callback.mock.calls[0]![0] as { responseHeaders: Record<string, string[]> }).responseHeaders;
    expect(headers['X-Other']).toEqual(['1']);
    expect(headers['Content-Security-Policy']![0]).toMatch(/default-src 'none'/);
    expect(headers['Content-Security-Policy']![0]).not.toMatch(/unsafe-eval/);
    // The dev server is the app in a development run (navigation and IPC), nothing else is.
    expect(s.bindIpcOptions!.isTrustedUrl(`${devUrl}/index.html`)).toBe(true);
    expect(s.bindIpcOptions!.isTrustedUrl('http://localhost:5174/')).toBe(false);
  });

  it('a packaged build ignores ELECTRON_RENDERER_URL: it loads only app:// and trusts no dev server', async () => {
    const s = await boot({ isPackaged: true, rendererUrl: devUrl });
    expect(s.windows[0]!.loadedUrl).toBe('app://cloud-cleaner/index.html');
    expect(s.headerListeners).toHaveLength(0);
    expect(s.bindIpcOptions!.isTrustedUrl(`${devUrl}/index.html`)).toBe(false);
    const contents = fakeContents();
    s.appListeners.get('web-contents-created')![0]!(preventable(), contents);
    const nav = preventable();
    contents.listeners.get('will-navigate')!(nav, `${devUrl}/`);
    expect(nav.prevented).toBe(true);
  });
});

describe('main entry, a second instance', () => {
  it('quits without opening a window or the database', async () => {
    const s = await boot({ isPackaged: true, singleInstance: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(s.quit).toBe(1);
    expect(s.windows).toHaveLength(0);
    expect(s.events).not.toContain('openAndMigrate');
  });
});
