/**
 * Binds the router to Electron's ipcMain through ONE handler wrapper (sender check → router) and forwards the
 * router's events to the main window. Electron objects are injected so this stays unit-testable without Electron.
 */
import { CHANNEL_NAMES, type EventName, type IpcResult, type Unsubscribe } from '../../shared/ipc/contract';
import type { Router } from './router';

/** The slice of Electron's IpcMainInvokeEvent the check needs. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent?: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface BindOptions {
  ipcMain: IpcMainLike;
  router: Router;
  /** True for a URL of the app's own page (see security.ts `isAppUrl`). */
  isTrustedUrl: (url: string) => boolean;
  /** The window that receives events (null while there is none). */
  target: () => WebContentsLike | null;
  logger?: { warn(message: string, ...meta: unknown[]): void };
}

/** Only the app's own top-level page may call main: not an iframe, not a page navigated elsewhere. */
export function isTrustedSender(event: InvokeEventLike, isTrustedUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent) return false;
  return isTrustedUrl(frame.url);
}

/** The one wrapper every channel goes through. */
export function createInvokeHandler(opts: Pick<BindOptions, 'router' | 'isTrustedUrl' | 'logger'>) {
  return async (channel: string, event: InvokeEventLike, input: unknown): Promise<IpcResult<unknown>> => {
    if (!isTrustedSender(event, opts.isTrustedUrl)) {
      opts.logger?.warn(`IPC ${channel} refused: sender ${event.senderFrame?.url ?? '(no frame)'} is not the app`);
      return { ok: false, error: { code: 'validation', message: 'This page may not call Cloud Cleaner.' } };
    }
    return opts.router.handle(channel, input);
  };
}

/** Registers every contract channel on ipcMain and forwards events; returns a function that undoes both. */
export function bindIpc(opts: BindOptions): Unsubscribe {
  const handler = createInvokeHandler(opts);
  for (const channel of CHANNEL_NAMES) {
    opts.ipcMain.handle(channel, (event, input) => handler(channel, event, input));
  }
  const off = opts.router.onEvent((event: EventName, payload) => {
    const wc = opts.target();
    if (wc && !wc.isDestroyed()) wc.send(event, payload);
  });
  return () => {
    off();
    for (const channel of CHANNEL_NAMES) opts.ipcMain.removeHandler(channel);
  };
}
