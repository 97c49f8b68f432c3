/**
 * Builds `CloudCleanerApi` from the contract over any transport: Electron IPC in the preload, HTTP + SSE in the
 * browser test harness. Channel strings are never written here: names come from the contract's keys.
 */
import { ERROR_CODES, type AppErrorDto, type ErrorCode } from '../errors';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  type ChannelName,
  type CloudCleanerApi,
  type EventName,
  type IpcResult,
  type Unsubscribe,
} from './contract';

export interface ApiTransport {
  invoke(channel: ChannelName, input: unknown): Promise<IpcResult<unknown>>;
  subscribe(event: EventName, cb: (payload: unknown) => void): Unsubscribe;
}

/** The error an API call rejects with: the stable code and the user-facing message of main's AppError. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(dto: AppErrorDto) {
    super(dto.message);
    this.name = 'IpcError';
    this.code = dto.code;
    if (dto.details !== undefined) this.details = dto.details;
  }
}

export interface BuildApiOptions {
  /**
   * How calls reject. `error` (default): an `IpcError`. `plain`: a plain `{ name: 'IpcError', code, message,
   * details? }` object — for functions exposed through Electron's contextBridge, which copies a thrown Error with its
   * message only (the code would be lost) but copies plain objects whole. The browser harness uses `plain` too, so
   * the renderer sees in tests exactly what it sees in the app. Normalize either with `toIpcError`.
   */
  rejectWith?: 'error' | 'plain';
}

function camel(s: string): string {
  return s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function split(name: string): [domain: string, action: string] {
  const i = name.indexOf(':');
  return [name.slice(0, i), camel(name.slice(i + 1))];
}

/** Where a channel lives on the API: `cleanup:dry-run` → ['cleanup', 'dryRun']. */
export function channelPath(name: ChannelName): [string, string] {
  return split(name);
}

/** Where an event's subscriber lives: `scans:progress` → ['scans', 'onProgress']. */
export function eventPath(name: EventName): [string, string] {
  const [domain, action] = split(name);
  return [domain, `on${action.charAt(0).toUpperCase()}${action.slice(1)}`];
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** Anything a call rejected with (IpcError, its plain copy, a transport failure) as an IpcError. */
export function toIpcError(reason: unknown): IpcError {
  if (reason instanceof IpcError) return reason;
  if (typeof reason === 'object' && reason !== null) {
    const r = reason as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof r.code === 'string' && KNOWN_CODES.has(r.code) && typeof r.message === 'string') {
      const details = typeof r.details === 'object' && r.details !== null ? (r.details as Record<string, unknown>) : undefined;
      return new IpcError({ code: r.code as ErrorCode, message: r.message, ...(details ? { details } : {}) });
    }
    if (typeof r.message === 'string') return new IpcError({ code: 'internal', message: r.message });
  }
  return new IpcError({ code: 'internal', message: 'Unexpected error.' });
}

function isResult(v: unknown): v is IpcResult<unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { ok?: unknown; error?: unknown };
  return r.ok === true || (r.ok === false && typeof r.error === 'object' && r.error !== null);
}

export function buildApi(transport: ApiTransport, options: BuildApiOptions = {}): CloudCleanerApi {
  const plain = options.rejectWith === 'plain';
  const fail = (dto: AppErrorDto): never => {
    if (plain) {
      throw { name: 'IpcError', code: dto.code, message: dto.message, ...(dto.details ? { details: dto.details } : {}) };
    }
    throw new IpcError(dto);
  };
  const api: Record<string, Record<string, unknown>> = {};
  const group = (domain: string): Record<string, unknown> => (api[domain] ??= {});

  for (const name of CHANNEL_NAMES) {
    const [domain, action] = channelPath(name);
    group(domain)[action] = async (input?: unknown): Promise<unknown> => {
      let result: unknown;
      try {
        result = await transport.invoke(name, input);
      } catch (e) {
        // The transport itself failed (IPC torn down, harness server gone): no AppError behind it.
        const err = toIpcError(e);
        return fail(err.code === 'internal' ? { code: 'internal', message: `The call ${name} failed: ${err.message}` } : err);
      }
      if (!isResult(result)) return fail({ code: 'internal', message: `The call ${name} returned a malformed result.` });
      if (result.ok) return result.value;
      return fail(toIpcError(result.error));
    };
  }
  for (const name of EVENT_NAMES) {
    const [domain, key] = eventPath(name);
    group(domain)[key] = (cb: (payload: unknown) => void): Unsubscribe => {
      if (typeof cb !== 'function') throw new TypeError(`${domain}.${key} expects a callback`);
      return transport.subscribe(name, (payload) => cb(payload));
    };
  }
  for (const domain of Object.values(api)) Object.freeze(domain);
  return Object.freeze(api) as unknown as CloudCleanerApi;
}
