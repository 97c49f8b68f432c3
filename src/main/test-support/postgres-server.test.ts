import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPostgresBinaries } from './postgres-server';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-pgbin-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function fakeVersion(v: string): string {
  const bin = path.join(dir, v, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'initdb'), '');
  return bin;
}

describe('findPostgresBinaries', () => {
  it('takes the highest Debian version that has initdb (numerically: 15 over 9.6)', async () => {
    fakeVersion('9.6');
    const v15 = fakeVersion('15');
    fs.mkdirSync(path.join(dir, '16', 'bin'), { recursive: true }); // client-only: no initdb
    await expect(findPostgresBinaries({ root: dir, pgConfig: path.join(dir, 'no-pg_config') })).resolves.toBe(v15);
  });

  it('fails, saying what to install, when there are no server binaries (a missing server is never a skip)', async () => {
    await expect(findPostgresBinaries({ root: path.join(dir, 'none'), pgConfig: path.join(dir, 'no-pg_config') })).rejects.toThrow(
      "install Debian's postgresql package (.ci/run does)",
    );
  });
});
