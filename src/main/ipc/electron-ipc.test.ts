import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/ipc/contract';
import { isAppUrl } from '../window/security';
import { bindIpc, createInvokeHandler, type InvokeEventLike, type IpcMainLike } from './electron-ipc';
import { createRouter } from './router';
import { createTestServices } from './test-services';

const appFrame = (url = 'app://cloud-cleaner/index.html'): InvokeEventLike => ({ senderFrame: { url } });

function setup() {
  const settingsGet = vi.fn(async () => ({
    lookbackDays: 30,
    minServiceCost: 0.01,
    stoppedInstanceDays: 30,
    protectionTagKey: 'cloud-cleaner:keep',
    ceCacheHours: 12,
    metricsLookbackDays: 30,
    metricsCacheHours: 12,
    scanConcurrency: 8,
    theme: 'system' as const,
    lastProfile: null,
  }));
  const services = createTestServices({ settingsGet });
  const router = createRouter(services, { error: vi.fn() });
  const warn = vi.fn();
  const handler = createInvokeHandler({ router, isTrustedUrl: (u) => isAppUrl(u), logger: { warn } });
  return { services, router, handler, settingsGet, warn };
}

describe('IPC wrapper', () => {
  it('passes valid input from the app page', async () => {
    const { handler, settingsGet } = setup();
    expect(await handler('settings:get', appFrame(), undefined)).toMatchObject({ ok: true, value: { lookbackDays: 30 } });
    expect(settingsGet).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a foreign page', { senderFrame: { url: 'https://evil.com/' } }],
    ['a file:// page', { senderFrame: { url: 'file:///tmp/x.html' } }],
    ['a look-alike host', { senderFrame: { url: 'app://cloud-cleaner.evil/index.html' } }],
    ['an iframe of the app', { senderFrame: { url: 'app://cloud-cleaner/index.html', parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('rejects %s with validation, without calling the service', async (_name, event) => {
    const { handler, settingsGet, warn } = setup();
    const r = await handler('settings:get', event as InvokeEventLike, undefined);
    expect(r).toEqual({ ok: false, error: { code: 'validation', message: expect.any(String) } });
    expect(settingsGet).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
  });

  it('rejects invalid input with validation', async () => {
    const { handler } = setup();
    expect(await handler('settings:update', appFrame(), { lookbackDays: 0 })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('binds every contract channel, forwards events to the window, and unbinds', () => {
    const { router, services } = setup();
    const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
    const send = vi.fn();
    let destroyed = false;
    const off = bindIpc({ ipcMain, router, isTrustedUrl: (u) => isAppUrl(u), target: () => ({ isDestroyed: () => destroyed, send }) });
    expect([...handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    services.events.emit('discovery:done', { scanId: 1 } as never);
    expect(send).toHaveBeenCalledWith('discovery:done', { scanId: 1 });
    destroyed = true;
    services.events.emit('discovery:done', { scanId: 2 } as never);
    expect(send).toHaveBeenCalledTimes(1);
    off();
    expect(handlers.size).toBe(0);
  });

  it('routes through the bound handler with the sender check', async () => {
    const { router } = setup();
    const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => Promise<unknown>>();
    bindIpc({
      ipcMain: { handle: (c, l) => void handlers.set(c, l), removeHandler: () => undefined },
      router,
      isTrustedUrl: (u) => isAppUrl(u),
      target: () => null,
    });
    expect(await handlers.get('settings:get')!(appFrame(), undefined)).toMatchObject({ ok: true });
    expect(await handlers.get('settings:get')!(appFrame('https://evil.com'), undefined)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
