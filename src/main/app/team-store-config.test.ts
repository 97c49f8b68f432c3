import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { clearTeamStore, keychainProblem, loadTeamStore, saveTeamStore, savedTeamStoreUrl, teamStoreFile, urlWithoutPassword, type Keychain } from './team-store-config';

/** TEST-ONLY keychain: a reversible transform (XOR), so the file never holds the password's bytes in clear. */
function fakeKeychain(available = true): Keychain & { calls: number } {
  const k = {
    calls: 0,
    isEncryptionAvailable: () => available,
    encryptString(s: string): Buffer {
      k.calls++;
      return Buffer.concat([Buffer.from('FAKE1'), Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)]);
    },
    decryptString(b: Buffer): string {
      if (b.subarray(0, 5).toString() !== 'FAKE1') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(b.subarray(5).map((x) => x ^ 0x5a)).toString('utf8');
    },
  };
  return k;
}

const PASSWORD = 's3cret:p@ss/word%';
const URL_WITH = `postgres://alice:${encodeURIComponent(PASSWORD)}@db.example.com:5433/cloud?sslmode=require`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-team-store-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an error');
}

describe('team store config', () => {
  it('nothing saved: null', () => {
    expect(loadTeamStore(dir, fakeKeychain())).toBeNull();
    expect(savedTeamStoreUrl(dir)).toBeNull();
  });

  it('round trip: the full URL comes back, the file holds the URL without the password and the password encrypted', () => {
    const k = fakeKeychain();
    saveTeamStore(dir, { url: URL_WITH, confirmedMigrations: ['0009_x'] }, k, 'linux');
    expect(loadTeamStore(dir, k, 'linux')).toEqual({ url: URL_WITH, confirmedMigrations: ['0009_x'] });
    expect(savedTeamStoreUrl(dir)).toBe('postgres://alice@db.example.com:5433/cloud?sslmode=require');
    const raw = fs.readFileSync(teamStoreFile(dir));
    for (const needle of [PASSWORD, encodeURIComponent(PASSWORD), 's3cret', Buffer.from(PASSWORD).toString('base64')]) {
      expect(raw.includes(Buffer.from(needle))).toBe(false);
    }
    expect(k.calls).toBe(1);
    // Only this user may read it; no temporary file is left behind.
    if (process.platform !== 'win32') expect(fs.statSync(teamStoreFile(dir)).mode & 0o077).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['team-store.json']);
  });

  it('a URL without a password needs no keychain', () => {
    saveTeamStore(dir, { url: 'postgres://alice@db:5432/cloud', confirmedMigrations: [] }, undefined, 'linux');
    expect(loadTeamStore(dir, undefined, 'linux')).toEqual({ url: 'postgres://alice@db:5432/cloud', confirmedMigrations: [] });
  });

  it('no keychain: a password is refused (never written in clear), naming the missing keychain', () => {
    const linux = thrown(() => saveTeamStore(dir, { url: URL_WITH, confirmedMigrations: [] }, fakeKeychain(false), 'linux'));
    expect(linux.code).toBe('store.keychain_unavailable');
    expect(linux.message).toMatch(/libsecret/);
    expect(linux.message).toMatch(/KWallet/);
    expect(linux.message).not.toContain('s3cret');
    expect(fs.existsSync(teamStoreFile(dir))).toBe(false);
    expect(thrown(() => saveTeamStore(dir, { url: URL_WITH, confirmedMigrations: [] }, undefined, 'darwin')).message).toMatch(/macOS Keychain/);
    // Linux without a secret service: Electron's basic_text backend is as good as plain text.
    const basic = { ...fakeKeychain(), getSelectedStorageBackend: () => 'basic_text' };
    expect(keychainProblem(basic, 'linux')).toMatch(/no secret service/);
    expect(keychainProblem(basic, 'darwin')).toBeNull();
  });

  it('a file the keychain cannot decrypt, or that is not JSON: a clear error, the file untouched', () => {
    saveTeamStore(dir, { url: URL_WITH, confirmedMigrations: [] }, fakeKeychain(), 'linux');
    const file = teamStoreFile(dir);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { encryptedPassword: string };
    data.encryptedPassword = Buffer.from('garbage').toString('base64');
    fs.writeFileSync(file, JSON.stringify(data));
    const before = fs.readFileSync(file);
    const e = thrown(() => loadTeamStore(dir, fakeKeychain(), 'linux'));
    expect(e.code).toBe('store.config_unreadable');
    expect(e.message).toMatch(/cannot decrypt its password/);
    expect(fs.readFileSync(file)).toEqual(before);

    fs.writeFileSync(file, '{ not json');
    expect(thrown(() => loadTeamStore(dir, fakeKeychain(), 'linux')).message).toMatch(/not valid JSON.*left as it is/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{ not json');
    fs.writeFileSync(file, JSON.stringify({ version: 2 }));
    expect(thrown(() => savedTeamStoreUrl(dir)).code).toBe('store.config_unreadable');

    // The keychain gone since saving: said, not guessed around.
    saveTeamStore(dir, { url: URL_WITH, confirmedMigrations: [] }, fakeKeychain(), 'linux');
    expect(thrown(() => loadTeamStore(dir, fakeKeychain(false), 'linux')).code).toBe('store.keychain_unavailable');
  });

  it('clear forgets the choice; urlWithoutPassword drops only the password', () => {
    saveTeamStore(dir, { url: URL_WITH, confirmedMigrations: [] }, fakeKeychain(), 'linux');
    clearTeamStore(dir);
    clearTeamStore(dir);
    expect(loadTeamStore(dir, fakeKeychain())).toBeNull();
    expect(urlWithoutPassword(URL_WITH)).toBe('postgres://alice@db.example.com:5433/cloud?sslmode=require');
  });
});
