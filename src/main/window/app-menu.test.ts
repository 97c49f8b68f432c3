import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate } from './app-menu';
import { isAllowedExternalUrl } from './security';

describe('appMenuTemplate', () => {
  it('has the standard roles, appMenu only on macOS', () => {
    const roles = (isMac: boolean) => appMenuTemplate({ isMac, openExternal: () => undefined }).map((m) => m.role);
    expect(roles(true)).toEqual(['appMenu', 'fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'help']);
    expect(roles(false)).toEqual(['fileMenu', 'editMenu', 'viewMenu', 'windowMenu', 'help']);
  });

  it('opens only allowlisted help links', () => {
    const open = vi.fn();
    const help = appMenuTemplate({ isMac: false, openExternal: open }).find((m) => m.role === 'help')!;
    const items = help.submenu as Array<{ click: () => void }>;
    for (const item of items) item.click();
    expect(open).toHaveBeenCalledTimes(items.length);
    for (const [url] of open.mock.calls) expect(isAllowedExternalUrl(url as string)).toBe(true);
  });
});
