/**
 * TEST-ONLY browser host (never shipped): serves the built renderer and the SAME router as the Electron app on
 * 127.0.0.1, so Playwright can drive the real UI and the real main-side services in plain Chromium.
 *
 *   POST /rpc/<channel>   body {"input": …}, header x-harness-token → IpcResult JSON
 *   GET  /events?token=…  Server-Sent Events: `event: <name>` + `data: <json payload>`
 *   GET  /harness-bridge.js  window.cloudCleaner over the two routes above (bridge.ts, bundled with esbuild)
 *   GET  /…               out/renderer through the app-protocol handler (same CSP, nonce meta) + the bridge script
 *
 * The token keeps other local pages out: a custom header forces a CORS preflight this server never approves, and
 * the Host check stops DNS rebinding.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import type { AppServices } from '../../src/main/ipc/app-services';
import { createRouter, type RouterLogger } from '../../src/main/ipc/router';
import { createAppProtocolHandler } from '../../src/main/window/app-protocol';
import { APP_ORIGIN } from '../../src/main/window/security';

export interface HarnessOptions {
  services: AppServices;
  /** The built renderer (electron-vite build): out/renderer. */
  rendererDir?: string;
  /** 0 (default) = a free port. */
  port?: number;
  logger?: RouterLogger;
}

export interface Harness {
  url: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

/** Bundles bridge.ts into one browser script (IIFE): the contract and api-builder, nothing from Node. */
export async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no bridge bundle');
  return out.text;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const token = randomBytes(24).toString('hex');
  const router = createRouter(opts.services, opts.logger ?? console);
  const bridgeJs = await bundleBridge();
  const serveStatic = createAppProtocolHandler({
    rootDir: path.resolve(opts.rendererDir ?? 'out/renderer'),
    beforeScripts: `<meta name="harness-token" content="${token}">\n    <script src="/harness-bridge.js"></script>`,
  });
  const streams = new Set<ServerResponse>();
  const offEvents = router.onEvent((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload ?? null)}\n\n`;
    for (const s of streams) s.write(frame);
  });
  let allowedHosts: Set<string> = new Set();

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!allowedHosts.has(req.headers.host ?? '')) return sendJson(res, 421, { error: 'unknown host' });

      if (url.pathname.startsWith('/rpc/')) {
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
        if (req.headers['x-harness-token'] !== token) return sendJson(res, 403, { error: 'bad token' });
        let input: unknown;
        try {
          const text = await readBody(req);
          input = text === '' ? undefined : (JSON.parse(text) as { input?: unknown }).input;
        } catch {
          return sendJson(res, 400, { ok: false, error: { code: 'validation', message: 'The request body is not JSON.' } });
        }
        const channel = decodeURIComponent(url.pathname.slice('/rpc/'.length));
        return sendJson(res, 200, await router.handle(channel, input));
      }

      if (url.pathname === '/events') {
        if (url.searchParams.get('token') !== token) return sendJson(res, 403, { error: 'bad token' });
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }

      if (url.pathname === '/harness-bridge.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
        return res.end(bridgeJs);
      }

      // Everything else is the renderer, through the app's own protocol handler (same resolver, CSP, nonce). The raw
      // request path goes to the resolver: WHATWG URL parsing would silently fold `%2e%2e` segments first.
      const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
      const response = await serveStatic({ url: `${APP_ORIGIN}${rawPath.startsWith('/') ? rawPath : '/'}`, method: req.method ?? 'GET' });
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k] = v));
      res.writeHead(response.status, headers);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((e: unknown) => {
      (opts.logger ?? console).error('harness request failed', e);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    async close() {
      offEvents();
      for (const s of streams) s.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
