import { describe, expect, it } from 'vitest';
import { devToolsEnabled } from './dev-tools';
import { mainWindowOptions } from './main-window';

describe('mainWindowOptions', () => {
  it('fixes the security-relevant web preferences', () => {
    const o = mainWindowOptions({ width: 1300, height: 900, x: 5, y: 6, maximized: false }, '/app/out/preload/index.js', { devTools: false });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(o).toMatchObject({ width: 1300, height: 900, x: 5, y: 6, show: false, title: 'Cloud Cleaner' });
  });

  it('lets only a development run open the developer tools', () => {
    const state = { width: 1300, height: 900, maximized: false };
    expect(mainWindowOptions(state, '/p.js', { devTools: devToolsEnabled({ isPackaged: true }) }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions(state, '/p.js', { devTools: devToolsEnabled({ isPackaged: false }) }).webPreferences?.devTools).toBe(true);
  });

  it('leaves the position to the OS when none is remembered', () => {
    const o = mainWindowOptions({ width: 1300, height: 900, maximized: false }, '/p.js', { devTools: true });
    expect('x' in o).toBe(false);
    expect('y' in o).toBe(false);
  });
});
