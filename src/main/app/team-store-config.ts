/**
 * The saved choice of store (issue #21): a small JSON file in the app's data folder — not in the database, since the
 * database may be the team store itself. It holds the PostgreSQL URL without its password, and the password encrypted
 * by the OS keychain (Electron's safeStorage implements `Keychain`), as base64. Never the password in clear: when the
 * keychain is missing, saving a password is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/** What Electron's `safeStorage` offers (and a test keychain imitates). */
export interface Keychain {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /**
   * Linux only (Electron): 'basic_text' means no secret service was found and safeStorage would "encrypt" with a key
   * written in Chromium's source — as good as plain text, so it counts as no keychain.
   */
  getSelectedStorageBackend?(): string;
}

export const TEAM_STORE_FILE = 'team-store.json';

/** The choice as main uses it: the full URL (password included), and the schema updates the user agreed to. */
export interface TeamStoreChoice {
  url: string;
  /** Pending migrations the user confirmed when saving an older database (applied at the next start). */
  confirmedMigrations: string[];
}

interface TeamStoreFile {
  version: 1;
  /** The URL without its password. */
  url: string;
  /** The password encrypted by the keychain, base64; absent when the URL has none. */
  encryptedPassword?: string;
  confirmedMigrations: string[];
  savedAt: string;
}

export function teamStoreFile(dir: string): string {
  return path.join(dir, TEAM_STORE_FILE);
}

/** The URL with its password removed (for the file, the renderer, messages). A URL that does not parse is refused. */
export function urlWithoutPassword(url: string): string {
  const u = parseUrl(url);
  u.password = '';
  return u.toString();
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new AppError('db.config', 'The PostgreSQL address is not a URL: write it as postgres://user:password@host:5432/database.');
  }
}

function keychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'Windows DPAPI (the user profile\'s data protection)';
  return 'a Secret Service keychain (libsecret, e.g. GNOME Keyring, or KWallet)';
}

/** Whether the keychain can protect a password; otherwise the clear reason. */
export function keychainProblem(keychain: Keychain | undefined, platform: NodeJS.Platform = process.platform): string | null {
  const missing = `Cloud Cleaner keeps the team store's password in the OS keychain, and ${keychainName(platform)} is not available`;
  if (!keychain || !keychain.isEncryptionAvailable()) {
    return platform === 'linux' ? `${missing}: install and unlock libsecret (GNOME Keyring) or KWallet, then try again.` : `${missing}.`;
  }
  if (platform === 'linux' && keychain.getSelectedStorageBackend?.() === 'basic_text') {
    return `${missing} (Electron found no secret service, so it would store the password in a form anyone can read): install and unlock libsecret (GNOME Keyring) or KWallet, then try again.`;
  }
  return null;
}

function unreadable(file: string, why: string, cause?: unknown): AppError {
  return new AppError(
    'store.config_unreadable',
    `The saved team store choice (${file}) cannot be read: ${why}. The file was left as it is; choose the team store again in Settings, or use the local database.`,
    { file },
    cause === undefined ? undefined : { cause },
  );
}

function readFile(dir: string): TeamStoreFile | null {
  const file = teamStoreFile(dir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw unreadable(file, (e as Error).message, e);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw unreadable(file, 'it is not valid JSON', e);
  }
  const d = data as Partial<TeamStoreFile> | null;
  if (
    typeof d !== 'object' || d === null || d.version !== 1 || typeof d.url !== 'string' ||
    (d.encryptedPassword !== undefined && typeof d.encryptedPassword !== 'string') ||
    !Array.isArray(d.confirmedMigrations) || !d.confirmedMigrations.every((m) => typeof m === 'string')
  ) {
    throw unreadable(file, 'it is not a team store choice this version understands');
  }
  return d as TeamStoreFile;
}

/** The saved URL without its password (no keychain needed), or null when the local database is the choice. */
export function savedTeamStoreUrl(dir: string): string | null {
  return readFile(dir)?.url ?? null;
}

/** The saved choice with its password decrypted, or null. A file that cannot be read or decrypted: a clear error, the file untouched. */
export function loadTeamStore(dir: string, keychain: Keychain | undefined, platform: NodeJS.Platform = process.platform): TeamStoreChoice | null {
  const f = readFile(dir);
  if (!f) return null;
  const file = teamStoreFile(dir);
  const u = parseUrl(f.url);
  if (f.encryptedPassword !== undefined) {
    const problem = keychainProblem(keychain, platform);
    if (problem) throw new AppError('store.keychain_unavailable', `${problem} (The saved team store ${file} needs it to read its password.)`, { file });
    let password: string;
    try {
      password = keychain!.decryptString(Buffer.from(f.encryptedPassword, 'base64'));
    } catch (e) {
      throw unreadable(file, 'the keychain cannot decrypt its password (saved by another user or computer, or the keychain was reset)', e);
    }
    u.password = encodeURIComponent(password);
  }
  return { url: u.toString(), confirmedMigrations: [...f.confirmedMigrations] };
}

/**
 * Saves the choice (atomically: a temporary file renamed over the old one). A URL with a password needs the keychain;
 * without one it is refused — never written in clear.
 */
export function saveTeamStore(dir: string, choice: TeamStoreChoice, keychain: Keychain | undefined, platform: NodeJS.Platform = process.platform): void {
  const u = parseUrl(choice.url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const data: TeamStoreFile = { version: 1, url: u.toString(), confirmedMigrations: [...choice.confirmedMigrations], savedAt: new Date().toISOString() };
  if (password !== '') {
    const problem = keychainProblem(keychain, platform);
    if (problem) throw new AppError('store.keychain_unavailable', `${problem} The team store was not saved.`);
    data.encryptedPassword = keychain!.encryptString(password).toString('base64');
  }
  fs.mkdirSync(dir, { recursive: true });
  const file = teamStoreFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Forgets the choice: the next start opens the local database. */
export function clearTeamStore(dir: string): void {
  fs.rmSync(teamStoreFile(dir), { force: true });
}
