import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronNativeBindingPath } from './native-binding';

describe('electronNativeBindingPath', () => {
  it('finds the dev build under build/native/<os>-<arch> and the packaged one under resources/native', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-native-'));
    const dev = path.join(dir, 'build/native/mac-arm64/better_sqlite3.node');
    fs.mkdirSync(path.dirname(dev), { recursive: true });
    fs.writeFileSync(dev, '');
    expect(electronNativeBindingPath({ isPackaged: false, appPath: dir, resourcesPath: '/x', platform: 'darwin', arch: 'arm64' })).toBe(dev);
    const packaged = path.join(dir, 'res/native/better_sqlite3.node');
    fs.mkdirSync(path.dirname(packaged), { recursive: true });
    fs.writeFileSync(packaged, '');
    expect(electronNativeBindingPath({ isPackaged: true, appPath: '/x', resourcesPath: path.join(dir, 'res') })).toBe(packaged);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says how to build it when it is missing', () => {
    expect(() => electronNativeBindingPath({ isPackaged: false, appPath: '/nonexistent', resourcesPath: '/x', platform: 'linux', arch: 'x64' })).toThrow(
      /node scripts\/electron-native\.mjs/,
    );
  });
});
