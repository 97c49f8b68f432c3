/**
 * What main must provide behind the IPC contract: one method per channel (parsed input → output) and an event
 * sink. Implemented by src/main/app/app-services.ts (createAppServices); the router only validates and dispatches.
 */
import type {
  ChannelName,
  ChannelOutput,
  ChannelParsedInput,
  EventName,
  EventPayload,
  Unsubscribe,
} from '../../shared/ipc/contract';

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** `scans:start` → `scansStart`, `cleanup:dry-run` → `cleanupDryRun`. */
export type ServiceMethodName<C extends ChannelName> = C extends `${infer D}:${infer A}` ? `${D}${Capitalize<Camel<A>>}` : never;

export type ServiceMethods = {
  [C in ChannelName as ServiceMethodName<C>]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>;
};

/** Typed events from the services to whoever listens (Electron IPC, the harness's SSE stream). */
export interface AppEvents {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  on(listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): Unsubscribe;
}

export interface AppServices extends ServiceMethods {
  readonly events: AppEvents;
}

/** The method name of a channel, at runtime (mirrors ServiceMethodName). */
export function serviceMethodName<C extends ChannelName>(channel: C): ServiceMethodName<C> {
  const [domain = '', action = ''] = channel.split(':');
  const camel = action.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return `${domain}${camel.charAt(0).toUpperCase()}${camel.slice(1)}` as ServiceMethodName<C>;
}

/** A small in-process implementation of AppEvents (listeners that throw are isolated from each other). */
export function createAppEvents(onListenerError: (e: unknown) => void = () => undefined): AppEvents {
  type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  const listeners = new Set<Listener>();
  return {
    emit(event, payload) {
      for (const l of [...listeners]) {
        try {
          l(event, payload);
        } catch (e) {
          onListenerError(e);
        }
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
