import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate } from './app-menu';
import { devToolsEnabled } from './dev-tools';
import { isAllowedExternalUrl } from './security';

/** Every role anywhere in the menu tree. */
function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((m) => [...(m.role ? [m.role] : []), ...(Array.isArray(m.submenu) ? roles(m.submenu) : [])]);
}

describe('appMenuTemplate', () => {
  it('has the standard menus, appMenu only on macOS', () => {
    const top = (isMac: boolean) => appMenuTemplate({ isMac, devTools: true, openExternal: () => undefined }).map((m) => m.role ?? m.label);
    expect(top(true)).toEqual(['appMenu', 'fileMenu', 'editMenu', 'View', 'windowMenu', 'help']);
    expect(top(false)).toEqual(['fileMenu', 'editMenu', 'View', 'windowMenu', 'help']);
  });

  it('offers the developer tools in a development run only', () => {
    for (const isMac of [true, false]) {
      const dev = roles(appMenuTemplate({ isMac, devTools: devToolsEnabled({ isPackaged: false }), openExternal: () => undefined }));
      expect(dev).toContain('toggleDevTools');
      const packaged = roles(appMenuTemplate({ isMac, devTools: devToolsEnabled({ isPackaged: true }), openExternal: () => undefined }));
      expect(packaged).not.toContain('toggleDevTools');
      // Nor a role whose default submenu brings them back.
      expect(packaged).not.toContain('viewMenu');
      // The rest of the View menu stays.
      expect(packaged).toEqual(expect.arrayContaining(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']));
    }
  });

  it('opens only allowlisted help links', () => {
    const open = vi.fn();
    const help = appMenuTemplate({ isMac: false, devTools: false, openExternal: open }).find((m) => m.role === 'help')!;
    const items = help.submenu as Array<{ click: () => void }>;
    for (const item of items) item.click();
    expect(open).toHaveBeenCalledTimes(items.length);
    for (const [url] of open.mock.calls) expect(isAllowedExternalUrl(url as string)).toBe(true);
  });
});

describe('devToolsEnabled', () => {
  it('is true in a development run and false in a packaged build', () => {
    expect(devToolsEnabled({ isPackaged: false })).toBe(true);
    expect(devToolsEnabled({ isPackaged: true })).toBe(false);
  });
});
