/**
 * TEST-ONLY: window.cloudCleaner in a plain browser — the same contract and api-builder as the preload, over
 * the harness's HTTP (calls) and Server-Sent Events (events). Bundled by server.ts; runs before the app script.
 */
import { buildApi, type ApiTransport } from '../../src/shared/ipc/api-builder';
import type { EventName, IpcResult } from '../../src/shared/ipc/contract';

// The slice of the DOM used here, declared locally: this file is type-checked with the Node config (no DOM lib).
interface EventSourceLike {
  addEventListener(type: string, cb: (msg: { data: string }) => void): void;
}
interface BrowserGlobals {
  document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
  EventSource: new (url: string) => EventSourceLike;
}
const browser = globalThis as unknown as BrowserGlobals;

const token = browser.document.querySelector('meta[name="harness-token"]')?.getAttribute('content') ?? '';

let source: EventSourceLike | null = null;
const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

function ensureListening(event: EventName): void {
  source ??= new browser.EventSource(`/events?token=${encodeURIComponent(token)}`);
  if (listeners.has(event)) return;
  listeners.set(event, new Set());
  source.addEventListener(event, (msg) => {
    const payload: unknown = JSON.parse(msg.data);
    for (const cb of [...(listeners.get(event) ?? [])]) cb(payload);
  });
}

const transport: ApiTransport = {
  async invoke(channel, input) {
    const res = await fetch(`/rpc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-harness-token': token },
      body: JSON.stringify({ input }),
    });
    if (!res.ok) throw new Error(`harness HTTP ${res.status}`);
    return (await res.json()) as IpcResult<unknown>;
  },
  subscribe(event, cb) {
    ensureListening(event);
    listeners.get(event)!.add(cb);
    return () => {
      listeners.get(event)?.delete(cb);
    };
  },
};

// `plain` like the preload, so the renderer sees in tests exactly the rejections it sees in Electron.
Object.defineProperty(globalThis, 'cloudCleaner', {
  value: buildApi(transport, { rejectWith: 'plain' }),
  writable: false,
  configurable: false,
  enumerable: true,
});
