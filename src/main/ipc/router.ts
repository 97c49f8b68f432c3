/**
 * Transport-agnostic dispatch: channel name → zod parse → AppServices method → result envelope. Electron IPC
 * (electron-ipc.ts) and the browser test harness (e2e/harness/server.ts) both serve this same router.
 */
import type { z } from 'zod';
import { AppError, isAppError } from '../../shared/errors';
import {
  channels,
  isChannelName,
  type ChannelName,
  type EventName,
  type EventPayload,
  type IpcResult,
  type Unsubscribe,
} from '../../shared/ipc/contract';
import { serviceMethodName, type AppServices } from './app-services';

export interface RouterLogger {
  error(message: string, ...meta: unknown[]): void;
  warn?(message: string, ...meta: unknown[]): void;
}

export interface Router {
  handle(channel: string, rawInput: unknown): Promise<IpcResult<unknown>>;
  onEvent(cb: <E extends EventName>(event: E, payload: EventPayload<E>) => void): Unsubscribe;
}

const MAX_ISSUES = 5;

/** A short, user-readable summary of zod issues: `limit: Too big: expected number to be <=1000; …`. */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_ISSUES).map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  const more = issues.length > MAX_ISSUES ? ` (+${issues.length - MAX_ISSUES} more)` : '';
  return parts.join('; ') + more;
}

export function createRouter(services: AppServices, logger: RouterLogger = console): Router {
  async function dispatch(channel: ChannelName, rawInput: unknown): Promise<unknown> {
    const schema: z.ZodType = channels[channel].input;
    const parsed = schema.safeParse(rawInput);
    if (!parsed.success) {
      throw new AppError('validation', `Invalid input for ${channel}: ${summarizeIssues(parsed.error.issues)}`, {
        issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })),
      });
    }
    const method = services[serviceMethodName(channel)] as (input: unknown) => Promise<unknown>;
    if (typeof method !== 'function') throw new Error(`AppServices has no method for ${channel}`);
    return method.call(services, parsed.data);
  }

  return {
    async handle(channel, rawInput) {
      if (!isChannelName(channel)) {
        return { ok: false, error: { code: 'validation', message: `Unknown channel: ${String(channel).slice(0, 100)}` } };
      }
      try {
        // `undefined` for void channels: structured clone and JSON both carry it as "no value".
        const value = await dispatch(channel, rawInput);
        return { ok: true, value };
      } catch (e) {
        if (isAppError(e)) return { ok: false, error: e.toDto() };
        // The stack stays in the log; the renderer gets a generic message.
        logger.error(`IPC ${channel} failed`, e);
        return { ok: false, error: { code: 'internal', message: 'Something went wrong inside Cloud Cleaner. The log has the details.' } };
      }
    },
    onEvent(cb) {
      return services.events.on(cb);
    },
  };
}
