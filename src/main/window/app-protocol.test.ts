import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppPath } from './app-protocol';

const root = path.resolve('/srv/renderer');

describe('resolveAppPath', () => {
  it('maps app URLs to files inside the root', () => {
    expect(resolveAppPath(root, 'app://cloud-cleaner/')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://cloud-cleaner')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://cloud-cleaner/index.html?x=1#y')).toEqual({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://cloud-cleaner/assets/index-abc.js')).toEqual({ ok: true, file: path.join(root, 'assets/index-abc.js') });
    expect(resolveAppPath(root, 'app://cloud-cleaner/assets/my%20font.woff2')).toEqual({ ok: true, file: path.join(root, 'assets/my font.woff2') });
  });

  it.each([
    'app://cloud-cleaner/../etc/passwd',
    'app://cloud-cleaner/assets/../../etc/passwd',
    'app://cloud-cleaner/%2e%2e/etc/passwd',
    'app://cloud-cleaner/%2E%2E%2Fetc%2Fpasswd',
    'app://cloud-cleaner/assets/%2e%2e/%2e%2e/secret',
    'app://cloud-cleaner/..%5c..%5cwindows',
    'app://cloud-cleaner/..\\..\\windows',
    'app://cloud-cleaner/index.html%00.png',
    'app://cloud-cleaner//etc/passwd%00',
    'app://cloud-cleaner/C:/Windows/win.ini',
    'app://cloud-cleaner/%E0%A4%A',
    'app://cloud-cleaner.evil/index.html',
    'app://cloud-cleaner:80/index.html',
    'app://other/index.html',
    'file:///etc/passwd',
  ])('rejects %s', (url) => {
    const r = resolveAppPath(root, url);
    expect(r.ok).toBe(false);
  });

  it('keeps doubled slashes inside the root', () => {
    expect(resolveAppPath(root, 'app://cloud-cleaner//etc/passwd')).toEqual({ ok: true, file: path.join(root, 'etc/passwd') });
  });
});

describe('createAppProtocolHandler', () => {
  const files: Record<string, string> = {
    [path.join(root, 'index.html')]: '<html><head><script type="module" src="./assets/a.js"></script></head><body></body></html>',
    [path.join(root, 'assets/a.js')]: 'console.log(1)',
  };
  const handler = createAppProtocolHandler({
    rootDir: root,
    readFile: async (f) => {
      const body = files[f];
      if (body === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return Buffer.from(body);
    },
    createNonce: () => 'bm9uY2Utbm9uY2Utbm9uY2U=',
  });

  it('serves index.html with the CSP header and the nonce meta', async () => {
    const res = await handler({ url: 'app://cloud-cleaner/' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self' 'nonce-bm9uY2Utbm9uY2Utbm9uY2U='");
    expect(await res.text()).toContain('<meta name="csp-nonce" content="bm9uY2Utbm9uY2Utbm9uY2U=">');
  });

  it('serves assets with their type, 404s missing files, 400s traversal, 405s writes', async () => {
    const js = await handler({ url: 'app://cloud-cleaner/assets/a.js' });
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await handler({ url: 'app://cloud-cleaner/nope.js' })).status).toBe(404);
    expect((await handler({ url: 'app://cloud-cleaner/%2e%2e/x' })).status).toBe(400);
    expect((await handler({ url: 'app://cloud-cleaner/', method: 'POST' })).status).toBe(405);
  });

  const built = path.resolve('out/renderer/index.html');
  if (!existsSync(built)) console.log(`skipping the built-page CSP test: ${built} is missing (run \`npx electron-vite build\` first)`);
  it.skipIf(!existsSync(built))('serves the BUILT renderer with a strict CSP (no unsafe-eval) and a nonce', async () => {
    const real = createAppProtocolHandler({ rootDir: path.resolve('out/renderer') });
    const res = await real({ url: 'app://cloud-cleaner/' });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
    const html = await res.text();
    const nonce = /<meta name="csp-nonce" content="([^"]+)">/.exec(html)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain(`'nonce-${nonce}'`);
    // Every script of the built page is same-origin (script-src 'self' admits it): no inline script.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\.?\/assets\//);
      expect(body!.trim()).toBe('');
    }
    const asset = /src="\.?\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    const js = await real({ url: `app://cloud-cleaner/${asset}` });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });
});
