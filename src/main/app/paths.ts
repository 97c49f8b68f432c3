import os from 'node:os';
import path from 'node:path';

/** Must equal package.json "productName": Electron names the userData folder after it. */
export const PRODUCT_NAME = 'Cloud Cleaner';
export const DB_FILE_NAME = 'cloud-cleaner.db';

/** Electron's `app.getPath('userData')`, computed without Electron (the CLI shares the app's database). */
export function defaultUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  const appData =
    platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? env.APPDATA ?? path.join(home, 'AppData', 'Roaming')
        : env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  return path.join(appData, PRODUCT_NAME);
}

export function defaultDbFile(): string {
  return path.join(defaultUserDataDir(), DB_FILE_NAME);
}
