import { describe, expect, it, vi } from 'vitest';
import { buildApi, channelPath, eventPath, IpcError, toIpcError, type ApiTransport } from './api-builder';
import { CHANNEL_NAMES, EVENT_NAMES, type ChannelName, type EventName, type IpcResult } from './contract';

function fakeTransport(reply: (channel: ChannelName, input: unknown) => IpcResult<unknown> | Promise<IpcResult<unknown>>) {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const invoke = vi.fn(async (channel: ChannelName, input: unknown) => reply(channel, input));
  const transport: ApiTransport = {
    invoke,
    subscribe(event, cb) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => set.delete(cb);
    },
  };
  const fire = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { transport, invoke, fire };
}

describe('buildApi', () => {
  it('exposes exactly one named function per channel and one subscriber per event, nothing generic', () => {
    const { transport } = fakeTransport(() => ({ ok: true, value: null }));
    const api = buildApi(transport) as unknown as Record<string, Record<string, unknown>>;
    const keys = Object.entries(api).flatMap(([d, g]) => Object.keys(g).map((k) => `${d}.${k}`));
    expect(keys).toHaveLength(CHANNEL_NAMES.length + EVENT_NAMES.length);
    for (const c of CHANNEL_NAMES) {
      const [d, a] = channelPath(c);
      expect(typeof api[d]![a]).toBe('function');
    }
    for (const e of EVENT_NAMES) {
      const [d, a] = eventPath(e);
      expect(typeof api[d]![a]).toBe('function');
    }
    expect(api.cleanup!.dryRun).toBeTypeOf('function');
    expect(api.costs!.ceUsage).toBeTypeOf('function');
    expect(api.shell!.openExternal).toBeTypeOf('function');
    expect(api.scans!.onProgress).toBeTypeOf('function');
    expect(api.auth!.onMfaRequest).toBeTypeOf('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.scans)).toBe(true);
  });

  it('sends the channel from the contract and unwraps ok results', async () => {
    const { transport, invoke } = fakeTransport((c) => ({ ok: true, value: c === 'scans:start' ? { scanId: 7 } : null }));
    const api = buildApi(transport);
    await expect(api.scans.start({ regions: ['eu-west-1'] })).resolves.toEqual({ scanId: 7 });
    expect(invoke).toHaveBeenLastCalledWith('scans:start', { regions: ['eu-west-1'] });
    await api.cleanup.dryRun({ planId: 'p1' });
    expect(invoke).toHaveBeenLastCalledWith('cleanup:dry-run', { planId: 'p1' });
    await api.app.info();
    expect(invoke).toHaveBeenLastCalledWith('app:info', undefined);
  });

  it('throws an IpcError carrying code, message and details for error results', async () => {
    const { transport } = fakeTransport(() => ({
      ok: false,
      error: { code: 'aws.sso_expired', message: 'Run aws sso login.', details: { profile: 'dev' } },
    }));
    const err = await buildApi(transport).profiles.select({ profile: 'dev' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'aws.sso_expired', message: 'Run aws sso login.', details: { profile: 'dev' } });
  });

  it('rejects with a plain cloneable object in plain mode (what survives contextBridge)', async () => {
    const { transport } = fakeTransport(() => ({ ok: false, error: { code: 'validation', message: 'bad' } }));
    const err = await buildApi(transport, { rejectWith: 'plain' }).settings.get().catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(Error);
    expect(structuredClone(err)).toEqual({ name: 'IpcError', code: 'validation', message: 'bad' });
    expect(toIpcError(err)).toMatchObject({ code: 'validation', message: 'bad' });
  });

  it('maps transport failures and malformed replies to internal', async () => {
    const broken = fakeTransport(() => {
      throw new Error('socket closed');
    });
    await expect(buildApi(broken.transport).app.info()).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('socket closed') });
    const malformed = fakeTransport(() => 'nope' as unknown as IpcResult<unknown>);
    await expect(buildApi(malformed.transport).app.info()).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const { transport, fire } = fakeTransport(() => ({ ok: true, value: null }));
    const api = buildApi(transport);
    const seen: unknown[] = [];
    const off = api.scans.onProgress((p) => seen.push(p));
    const other: unknown[] = [];
    api.cleanup.onProgress((p) => other.push(p));
    fire('scans:progress', { scanId: 1 });
    off();
    fire('scans:progress', { scanId: 2 });
    expect(seen).toEqual([{ scanId: 1 }]);
    expect(other).toEqual([]);
    expect(() => (api.scans.onProgress as (cb: unknown) => unknown)('x')).toThrow(TypeError);
  });
});

describe('toIpcError', () => {
  it('keeps known codes and falls back to internal', () => {
    expect(toIpcError({ code: 'not_found', message: 'gone' })).toMatchObject({ code: 'not_found', message: 'gone' });
    expect(toIpcError({ code: 'made.up', message: 'x' })).toMatchObject({ code: 'internal', message: 'x' });
    expect(toIpcError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
    expect(toIpcError(42)).toMatchObject({ code: 'internal' });
  });
});
