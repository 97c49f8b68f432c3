/**
 * The security baseline as small pure functions (Electron objects are injected): which URLs are the app, which may
 * open in the system browser, the navigation / new-window / permission guards, and the Content-Security-Policy.
 */
import { randomBytes } from 'node:crypto';

export const APP_SCHEME = 'app';
export const APP_HOST = 'cloud-cleaner';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The project's source and issue tracker (the Help menu links there). */
export const PROJECT_GITHUB_URL = 'https://github.com/cloud-cleaner/cloud-cleaner';

export interface AppOriginOptions {
  /** electron-vite's dev server (ELECTRON_RENDERER_URL) in development; unset in a built app. */
  devServerUrl?: string | undefined;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True for a page of the app itself: `app://cloud-cleaner/…`, or in development the dev server's origin.
 * (Custom schemes have an opaque `origin` ("null") in WHATWG URL, so scheme and host are compared instead.)
 */
export function isAppUrl(url: string, opts: AppOriginOptions = {}): boolean {
  const u = parse(url);
  if (!u || u.username !== '' || u.password !== '') return false;
  if (u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST) return true;
  if (opts.devServerUrl) {
    const dev = parse(opts.devServerUrl);
    if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && u.origin === dev.origin) return true;
  }
  return false;
}

const EXACT_HOSTS: ReadonlySet<string> = new Set([
  'console.aws.amazon.com',
  'docs.aws.amazon.com',
  'aws.amazon.com',
  // The consoles of the China and GovCloud partitions (accounts there are supported).
  'console.amazonaws.cn',
  'console.amazonaws-us-gov.com',
]);

/** Regional consoles: `eu-west-1.console.aws.amazon.com` (one label, no deeper nesting). */
const REGIONAL_CONSOLE = /^[a-z0-9-]+\.console\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)$/;

/**
 * The openExternal allowlist: https only, no credentials in the URL, default port, and one of the AWS console /
 * documentation hosts or the project's GitHub. Anything else is refused (never handed to the OS).
 */
export function isAllowedExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  const host = u.hostname.toLowerCase();
  if (EXACT_HOSTS.has(host) || REGIONAL_CONSOLE.test(host)) return true;
  if (host === 'github.com') {
    const project = new URL(PROJECT_GITHUB_URL).pathname;
    return u.pathname === project || u.pathname.startsWith(`${project}/`);
  }
  return false;
}

/** Opens an allowlisted URL in the system browser; returns false (and opens nothing) otherwise. */
export async function openExternalSafely(url: string, openExternal: (url: string) => Promise<void>): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  await openExternal(url);
  return true;
}

// ---- guards, wired onto a webContents by installContentGuards ----

export interface PreventableEvent {
  preventDefault(): void;
}

/** will-navigate / will-redirect: the app's page never navigates away from the app. */
export function guardNavigation(event: PreventableEvent, url: string, opts: AppOriginOptions): boolean {
  if (isAppUrl(url, opts)) return true;
  event.preventDefault();
  return false;
}

/** setWindowOpenHandler: no new windows ever; allowlisted https links open in the system browser instead. */
export function windowOpenHandler(openExternal: (url: string) => Promise<void>, onRefused?: (url: string) => void) {
  return (details: { url: string }): { action: 'deny' } => {
    if (isAllowedExternalUrl(details.url)) void openExternal(details.url).catch(() => onRefused?.(details.url));
    else onRefused?.(details.url);
    return { action: 'deny' };
  };
}

/** setPermissionRequestHandler: camera, notifications, geolocation, … — all denied. */
export function denyAllPermissions(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export interface WebContentsGuardTarget {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardOptions extends AppOriginOptions {
  openExternal: (url: string) => Promise<void>;
  log?: (message: string) => void;
}

export function installContentGuards(contents: WebContentsGuardTarget, opts: GuardOptions): void {
  const refuse = (what: string) => (url: string) => opts.log?.(`${what} refused: ${url.slice(0, 200)}`);
  contents.on('will-navigate', (e, url) => {
    if (!guardNavigation(e, url, opts)) refuse('navigation')(url);
  });
  contents.on('will-redirect', (e, url) => {
    if (!guardNavigation(e, url, opts)) refuse('redirect')(url);
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(windowOpenHandler(opts.openExternal, refuse('new window')));
}

// ---- Content-Security-Policy ----

/** A fresh nonce (base64, 128 bits) for one served page. */
export function createNonce(random: (n: number) => Buffer = randomBytes): string {
  return random(16).toString('base64');
}

export interface CspOptions {
  /** Allows Mantine's runtime <style> tags (MantineProvider getStyleNonce). */
  nonce: string;
  /** Development only: the dev server (its scripts, inline React-refresh preamble and HMR socket). */
  devServerUrl?: string | undefined;
}

/** The app's CSP. Never `unsafe-eval`; `unsafe-inline` only for the development server. */
export function buildCsp(opts: CspOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(opts.nonce)) throw new Error('CSP nonce must be base64 of at least 16 characters');
  const dev = opts.devServerUrl ? new URL(opts.devServerUrl) : null;
  const devWs = dev ? `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}` : '';
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...(dev ? [dev.origin, "'unsafe-inline'"] : [])]],
    // The dev server injects CSS as inline <style> tags without a nonce; with a nonce present, browsers would ignore
    // 'unsafe-inline', so development drops the nonce instead.
    ['style-src', dev ? ["'self'", dev.origin, "'unsafe-inline'"] : ["'self'", `'nonce-${opts.nonce}'`]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...(dev ? [dev.origin, devWs] : [])]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/**
 * Puts the nonce where the renderer can read it (`<meta name="csp-nonce">`, for MantineProvider's getStyleNonce)
 * and any extra head markup (the harness bridge script) before the first script of the page.
 */
export function injectIntoHtml(html: string, nonce: string, beforeScripts = ''): string {
  const meta = `<meta name="csp-nonce" content="${nonce}">`;
  const withMeta = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (m) => `${m}\n    ${meta}`) : `${meta}\n${html}`;
  if (!beforeScripts) return withMeta;
  const firstScript = withMeta.search(/<script\b/i);
  if (firstScript >= 0) return `${withMeta.slice(0, firstScript)}${beforeScripts}\n    ${withMeta.slice(firstScript)}`;
  return withMeta.replace(/<\/head>/i, `${beforeScripts}\n  </head>`);
}
