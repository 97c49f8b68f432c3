import type { KindSettingDto, ResourceKindDto } from '../../shared/dto/kinds';
import { collectPriceKeys } from '../pricing/price-key';
import type { PriceKey } from '../pricing/types';
import { actionsOf } from './actions';
import type { ResourceHandler, ResourceType } from './handler';

export interface HandlerRegistry {
  /** Adds a handler; returns a function that removes it again. Registering a type twice throws. */
  register(handler: ResourceHandler): () => void;
  get(type: ResourceType): ResourceHandler | undefined;
  /** Every handler, in cleanup order (`deleteOrder` ascending; ties by type for a stable order). */
  list(): ResourceHandler[];
  has(type: ResourceType): boolean;
}

/** A registry that knows nothing about any specific service: handlers bring everything themselves. */
export function createHandlerRegistry(): HandlerRegistry {
  const handlers = new Map<ResourceType, ResourceHandler>();

  return {
    register(handler) {
      const actions = handler.actions ?? [];
      if (actions.length > 0 && actions[0]?.explicit === true) {
        throw new Error(`${handler.type}: the first action is the default and cannot be explicit`);
      }
      if (new Set(actions.map((a) => a.id)).size !== actions.length) throw new Error(`${handler.type}: two actions share an id`);
      if (handlers.has(handler.type)) {
        throw new Error(`A handler for ${handler.type} is already registered`);
      }
      handlers.set(handler.type, handler);
      return () => {
        // Only remove what this registration added: a later re-registration of the type stays.
        if (handlers.get(handler.type) === handler) handlers.delete(handler.type);
      };
    },
    get(type) {
      return handlers.get(type);
    },
    list() {
      return [...handlers.values()].sort(
        (a, b) => a.deleteOrder - b.deleteOrder || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
      );
    },
    has(type) {
      return handlers.has(type);
    },
  };
}

/** The kinds covering a Cost Explorer service code (empty: the app cannot clean this service up yet). */
export type Coverage = (serviceCode: string) => string[];

/** Discovery coverage, from what each kind declares (never a table of its own). */
export function coverageOf(registry: HandlerRegistry): Coverage {
  return (code) => registry.list().filter((h) => h.serviceCodes.includes(code)).map((h) => h.type);
}

/**
 * The price keys of the registered kinds, each once (a key several kinds share is one declaration), in cleanup order
 * of the first kind that declares it. The price service prices exactly these (pass `() => priceKeysOf(registry)`, so a
 * kind registered later is priced too). Two different declarations of one key id throw.
 */
export function priceKeysOf(registry: HandlerRegistry): PriceKey[] {
  return collectPriceKeys(registry.list().map((h) => h.priceKeys));
}

/** What a kind declares, as the renderer, the CLI and the cleanup review see it. */
export function describeKind(h: ResourceHandler): ResourceKindDto {
  return {
    type: h.type,
    label: h.label,
    noun: h.noun,
    category: h.category,
    serviceCodes: [...h.serviceCodes],
    consoleUrl: h.consoleUrl,
    iam: { scan: [...h.iam.scan], action: [...h.iam.action] },
    actionLabel: h.actionLabel,
    verification: { ...h.verification },
    planOptions: (h.planOptions ?? []).map((o) => ({ ...o })),
    settings: (h.settings ?? []).map((o) => ({ ...o })),
    detailFields: h.detailFields.map((f) => ({ ...f })),
    actions: actionsOf(h).map((a) => ({ ...a, iam: [...a.iam] })),
  };
}

export function describeKinds(registry: HandlerRegistry): ResourceKindDto[] {
  return registry.list().map(describeKind);
}

/** Every setting the registered kinds declare (one per key: the first declaration wins). */
export function kindSettingsOf(registry: HandlerRegistry): KindSettingDto[] {
  const seen = new Map<string, KindSettingDto>();
  for (const h of registry.list()) for (const s of h.settings ?? []) if (!seen.has(s.key)) seen.set(s.key, { ...s });
  return [...seen.values()];
}
