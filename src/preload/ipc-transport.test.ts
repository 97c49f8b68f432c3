import { describe, expect, it, vi } from 'vitest';
import { createIpcTransport } from './ipc-transport';

describe('createIpcTransport', () => {
  it('invokes channels and hands only the payload to subscribers, until they unsubscribe', async () => {
    const listeners = new Map<string, (e: unknown, p: unknown) => void>();
    const ipc = {
      invoke: vi.fn(async () => ({ ok: true, value: 1 })),
      on: vi.fn((c: string, l: (e: unknown, p: unknown) => void) => listeners.set(c, l)),
      removeListener: vi.fn((c: string) => listeners.delete(c)),
    };
    const t = createIpcTransport(ipc as never);
    expect(await t.invoke('app:info', undefined)).toEqual({ ok: true, value: 1 });
    expect(ipc.invoke).toHaveBeenCalledWith('app:info', undefined);
    const cb = vi.fn();
    const off = t.subscribe('scans:progress', cb);
    listeners.get('scans:progress')!({ sender: 'secret' }, { scanId: 3 });
    expect(cb).toHaveBeenCalledWith({ scanId: 3 });
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith('scans:progress', expect.any(Function));
    expect(listeners.size).toBe(0);
  });
});
