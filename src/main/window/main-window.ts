/**
 * Creates the one application window with the security baseline, restoring and remembering its bounds. Electron
 * is injected (type-only import) so the options can be tested without the Electron binary.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { MIN_HEIGHT, MIN_WIDTH, saveWindowState, type WindowState, type WindowStateIo } from './window-state';

export const WINDOW_TITLE = 'Cloud Cleaner';

/**
 * The constructor options: everything that matters for security is fixed here, not configurable — except the
 * developer tools, which only a development run has (window/dev-tools.ts).
 */
export function mainWindowOptions(state: WindowState, preloadPath: string, opts: { devTools: boolean }): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    backgroundColor: '#1a1b1e',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: opts.devTools,
    },
  };
}

export interface CreateMainWindowDeps {
  BrowserWindow: typeof BrowserWindow;
  state: WindowState;
  preloadPath: string;
  /** False in a packaged build: the window cannot open the developer tools. */
  devTools: boolean;
  /** app://cloud-cleaner/index.html, or the dev server URL. */
  startUrl: string;
  userDataDir: string;
  io: WindowStateIo;
  log: (message: string) => void;
}

export function createMainWindow(deps: CreateMainWindowDeps): BrowserWindow {
  const win = new deps.BrowserWindow(mainWindowOptions(deps.state, deps.preloadPath, { devTools: deps.devTools }));
  if (deps.state.maximized) win.maximize();
  // Navigation / new-window guards are installed app-wide on every webContents (index.ts, web-contents-created).
  win.once('ready-to-show', () => win.show());

  // Remember the normal (un-maximized) bounds, debounced: resize fires continuously while dragging.
  let timer: NodeJS.Timeout | undefined;
  const persist = (): void => {
    if (win.isDestroyed()) return;
    const b: Rectangle = win.getNormalBounds();
    void saveWindowState(deps.userDataDir, deps.io, { ...b, maximized: win.isMaximized() }).catch((e: unknown) =>
      deps.log(`window state not saved: ${String(e)}`),
    );
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(persist, 500);
  };
  win.on('resize', schedule);
  win.on('move', schedule);
  win.on('maximize', schedule);
  win.on('unmaximize', schedule);
  win.on('close', () => {
    clearTimeout(timer);
    persist();
  });
  // Keep the app's title (the page's <title> could change it).
  win.on('page-title-updated', (e) => e.preventDefault());

  void win.loadURL(deps.startUrl);
  return win;
}
