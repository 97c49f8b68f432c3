/**
 * Serves the built renderer (out/renderer) over `app://cloud-cleaner/` instead of file:// — a real origin for CSP
 * `'self'` and for the IPC sender check, and no access to the rest of the file system. The path resolver is pure
 * and rejects traversal; index.html gets a fresh CSP nonce per response.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME, buildCsp, createNonce, injectIntoHtml } from './security';

/** For protocol.registerSchemesAsPrivileged, before app `ready`. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

export type ResolvedPath = { ok: true; file: string } | { ok: false; status: 400 | 404; reason: string };

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * `app://cloud-cleaner/<path>` → a file inside `rootDir`. Works on the raw string (before any URL normalization
 * could hide a `..`): rejects other hosts, `..` segments plain or percent-encoded, backslashes, NUL, absolute or
 * drive paths, malformed escapes; `/` serves index.html.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): ResolvedPath {
  const prefix = `${APP_SCHEME}://${APP_HOST}`;
  if (!requestUrl.toLowerCase().startsWith(prefix)) return { ok: false, status: 400, reason: 'not the app origin' };
  const rest = requestUrl.slice(prefix.length);
  if (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?') && !rest.startsWith('#')) {
    return { ok: false, status: 400, reason: 'not the app origin' }; // app://cloud-cleaner.evil/…, app://cloud-cleaner:80/…
  }
  const rawPath = rest.split(/[?#]/, 1)[0] ?? '';
  if (/%00|\0|\\|%5c/i.test(rawPath)) return { ok: false, status: 400, reason: 'forbidden character' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed escape' };
  }
  if (/[\0\\]/.test(decoded)) return { ok: false, status: 400, reason: 'forbidden character' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, status: 400, reason: 'path traversal' };
  const relative = segments.filter((s) => s !== '').join('/');
  if (/^[a-zA-Z]:/.test(relative) || path.isAbsolute(relative)) return { ok: false, status: 400, reason: 'absolute path' };
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative === '' ? 'index.html' : relative);
  if (file !== root && !file.startsWith(root + path.sep)) return { ok: false, status: 400, reason: 'outside the renderer' };
  return { ok: true, file };
}

export interface AppProtocolOptions {
  /** The built renderer: out/renderer. */
  rootDir: string;
  readFile?: (file: string) => Promise<Buffer>;
  createNonce?: () => string;
  /** Markup injected before the first script of index.html (the harness's bridge; nothing in the app). */
  beforeScripts?: string;
}

/** The protocol.handle callback (also usable with any Request/Response, e.g. in tests and the harness). */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: { url: string; method?: string }) => Promise<Response> {
  const read = opts.readFile ?? fsReadFile;
  const nonceOf = opts.createNonce ?? (() => createNonce());
  return async (request) => {
    if (request.method && request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405 });
    }
    const resolved = resolveAppPath(opts.rootDir, request.url);
    if (!resolved.ok) return new Response(resolved.reason, { status: resolved.status });
    const nonce = nonceOf();
    const headers = new Headers({
      'Content-Type': mimeTypeFor(resolved.file),
      'Content-Security-Policy': buildCsp({ nonce }),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    let body: Buffer;
    try {
      body = await read(resolved.file);
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
    if (resolved.file.endsWith('.html')) {
      return new Response(injectIntoHtml(body.toString('utf8'), nonce, opts.beforeScripts), { status: 200, headers });
    }
    return new Response(new Uint8Array(body), { status: 200, headers });
  };
}
