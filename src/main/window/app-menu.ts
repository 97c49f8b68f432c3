/**
 * The application menu: the platform's standard roles plus Help links that go through the openExternal allowlist.
 * The View menu is spelt out (not the `viewMenu` role, which always includes Toggle Developer Tools) so a packaged
 * build can leave the developer tools out (window/dev-tools.ts).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { PROJECT_GITHUB_URL } from './security';

export const DOCS_URL = `${PROJECT_GITHUB_URL}#readme`;
export const ISSUES_URL = `${PROJECT_GITHUB_URL}/issues`;

export function viewMenu(devTools: boolean): MenuItemConstructorOptions {
  return {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
}

export function appMenuTemplate(opts: { isMac: boolean; devTools: boolean; openExternal: (url: string) => void }): MenuItemConstructorOptions[] {
  return [
    ...(opts.isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    viewMenu(opts.devTools),
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Cloud Cleaner Documentation', click: () => opts.openExternal(DOCS_URL) },
        { label: 'Report an Issue', click: () => opts.openExternal(ISSUES_URL) },
        { label: 'AWS Cost Explorer Pricing', click: () => opts.openExternal('https://aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/') },
      ],
    },
  ];
}
