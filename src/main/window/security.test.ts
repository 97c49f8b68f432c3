import { describe, expect, it, vi } from 'vitest';
import {
  buildCsp,
  createNonce,
  denyAllPermissions,
  guardNavigation,
  injectIntoHtml,
  installContentGuards,
  isAllowedExternalUrl,
  isAppUrl,
  openExternalSafely,
  windowOpenHandler,
  type WebContentsGuardTarget,
} from './security';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://console.aws.amazon.com/ec2/home',
    'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Volumes:',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ebs-volumes.html',
    'https://aws.amazon.com/ebs/pricing/',
    'https://github.com/cloud-cleaner/cloud-cleaner/issues',
    'https://CONSOLE.AWS.AMAZON.COM/',
  ])('allows %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    'https://console.aws.amazon.com.evil.com/',
    'http://console.aws.amazon.com/',
    'javascript:alert(1)',
    'https://console.aws.amazon.com@evil.com/',
    'https://user:pw@console.aws.amazon.com/',
    'https://evil.com/?u=https://console.aws.amazon.com',
    'https://evilconsole.aws.amazon.com/',
    'https://a.b.console.aws.amazon.com/',
    'https://console.aws.amazon.com:8443/',
    'https://github.com/someone-else/repo',
    'https://github.com/cloud-cleaner/cloud-cleaner-evil',
    'file:///etc/passwd',
    'data:text/html,<script>1</script>',
    'app://cloud-cleaner/index.html',
    'not a url',
    '',
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false));

  it('opens only allowlisted URLs', async () => {
    const open = vi.fn(async () => undefined);
    expect(await openExternalSafely('https://evil.com', open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(await openExternalSafely('https://docs.aws.amazon.com/', open)).toBe(true);
    expect(open).toHaveBeenCalledWith('https://docs.aws.amazon.com/');
  });
});

describe('isAppUrl', () => {
  it('accepts the app scheme and the dev server only', () => {
    expect(isAppUrl('app://cloud-cleaner/index.html')).toBe(true);
    expect(isAppUrl('app://cloud-cleaner.evil/index.html')).toBe(false);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///work/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/#/findings', { devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5174/', { devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isAppUrl('https://evil.com/', { devServerUrl: 'http://localhost:5173' })).toBe(false);
  });
});

describe('guards', () => {
  it('denies navigation away from the app', () => {
    const ev = { preventDefault: vi.fn() };
    expect(guardNavigation(ev, 'app://cloud-cleaner/other.html', {})).toBe(true);
    expect(ev.preventDefault).not.toHaveBeenCalled();
    expect(guardNavigation(ev, 'https://console.aws.amazon.com/', {})).toBe(false);
    expect(ev.preventDefault).toHaveBeenCalledTimes(1);
  });

  it('denies every new window; allowlisted links go to the system browser', () => {
    const open = vi.fn(async () => undefined);
    const refused = vi.fn();
    const handler = windowOpenHandler(open, refused);
    expect(handler({ url: 'https://docs.aws.amazon.com/x' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledWith('https://docs.aws.amazon.com/x');
    expect(handler({ url: 'https://evil.com/' })).toEqual({ action: 'deny' });
    expect(open).toHaveBeenCalledTimes(1);
    expect(refused).toHaveBeenCalledWith('https://evil.com/');
  });

  it('denies every permission request', () => {
    const cb = vi.fn();
    denyAllPermissions({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('installs navigation, redirect, webview and window-open guards on a webContents', () => {
    const listeners = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
    const contents = {
      on: (name: string, l: (e: { preventDefault(): void }, url?: string) => void) => listeners.set(name, l),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => (openHandler = h),
    } as unknown as WebContentsGuardTarget;
    installContentGuards(contents, { openExternal: async () => undefined });
    const ev = { preventDefault: vi.fn() };
    listeners.get('will-navigate')!(ev, 'https://evil.com');
    listeners.get('will-redirect')!(ev, 'http://127.0.0.1:9/');
    listeners.get('will-attach-webview')!(ev);
    expect(ev.preventDefault).toHaveBeenCalledTimes(3);
    expect(openHandler!({ url: 'https://evil.com' })).toEqual({ action: 'deny' });
  });
});

describe('CSP', () => {
  it('is strict, carries the nonce and never allows eval', () => {
    const nonce = createNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(nonce);
    const csp = buildCsp({ nonce });
    expect(csp).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; font-src 'self' data:; ` +
        `connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(csp).not.toContain('unsafe');
    const dev = buildCsp({ nonce, devServerUrl: 'http://localhost:5173' });
    expect(dev).not.toContain('unsafe-eval');
    expect(dev).toContain('connect-src \'self\' http://localhost:5173 ws://localhost:5173');
    expect(() => buildCsp({ nonce: "x' 'unsafe-eval" })).toThrow();
  });

  it('injects the nonce meta and extra markup before the first script', () => {
    const html = '<!doctype html><html><head><title>t</title><script type="module" src="./a.js"></script></head><body></body></html>';
    const out = injectIntoHtml(html, 'NONCE', '<script src="/harness-bridge.js"></script>');
    expect(out).toContain('<meta name="csp-nonce" content="NONCE">');
    expect(out.indexOf('/harness-bridge.js')).toBeLessThan(out.indexOf('./a.js'));
    expect(out.indexOf('csp-nonce')).toBeLessThan(out.indexOf('/harness-bridge.js'));
  });
});
