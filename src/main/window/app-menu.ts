/** The application menu: the platform's standard roles plus Help links that go through the openExternal allowlist. */
import type { MenuItemConstructorOptions } from 'electron';
import { PROJECT_GITHUB_URL } from './security';

export const DOCS_URL = `${PROJECT_GITHUB_URL}#readme`;
export const ISSUES_URL = `${PROJECT_GITHUB_URL}/issues`;

export function appMenuTemplate(opts: { isMac: boolean; openExternal: (url: string) => void }): MenuItemConstructorOptions[] {
  return [
    ...(opts.isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
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
