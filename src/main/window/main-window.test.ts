import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './main-window';

describe('mainWindowOptions', () => {
  it('fixes the security-relevant web preferences', () => {
    const o = mainWindowOptions({ width: 1300, height: 900, x: 5, y: 6, maximized: false }, '/app/out/preload/index.js');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(o).toMatchObject({ width: 1300, height: 900, x: 5, y: 6, show: false, title: 'Cloud Cleaner' });
  });

  it('leaves the position to the OS when none is remembered', () => {
    const o = mainWindowOptions({ width: 1300, height: 900, maximized: false }, '/p.js');
    expect('x' in o).toBe(false);
    expect('y' in o).toBe(false);
  });
});
