import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/** electron-builder's ${os} names, which scripts/electron-native.mjs uses for its output folder. */
function builderOs(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'mac' : platform === 'win32' ? 'win' : platform;
}

/**
 * Where the Electron-ABI build of better-sqlite3 is (see scripts/electron-native.mjs and the README):
 * packaged → `<resources>/native/better_sqlite3.node`; dev → `<app>/build/native/<os>-<arch>/better_sqlite3.node`.
 */
export function electronNativeBindingPath(opts: {
  isPackaged: boolean;
  appPath: string;
  resourcesPath: string;
  platform?: NodeJS.Platform;
  arch?: string;
}): string {
  const file = opts.isPackaged
    ? path.join(opts.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(opts.appPath, 'build', 'native', `${builderOs(opts.platform ?? process.platform)}-${opts.arch ?? process.arch}`, 'better_sqlite3.node');
  if (!fs.existsSync(file)) {
    throw new AppError(
      'db.corrupt',
      opts.isPackaged
        ? `The app is missing its SQLite module (${file}). Reinstall Cloud Cleaner.`
        : `The Electron build of better-sqlite3 is missing (${file}). Run: node scripts/electron-native.mjs`,
      { file },
    );
  }
  return file;
}
