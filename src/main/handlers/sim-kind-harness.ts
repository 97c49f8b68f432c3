/**
 * Shared pieces of the handler tests against the simulator (`*.sim.test.ts`; test-only: no production module imports
 * it). Unlike test-support.ts, importing it mocks nothing: every client talks to the session's simulator over HTTP.
 */
import type { Destroyable, SdkClientClass } from '../aws/clients';
import type { SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { AuditedCall, DeleteContext, Finding, HandlerContext, ResourceHandler, StoredFinding } from './handler';

/** A scan context in `region` whose clients talk to the session's simulator (default settings unless `base` says). */
export function kindContext(s: SimSession, region: string, base: Pick<HandlerContext, 'accountId' | 'prices' | 'now'> & Partial<HandlerContext>): HandlerContext {
  return {
    region,
    client: <C extends Destroyable>(ctor: SdkClientClass<C>) => s.clients.client(ctor, region),
    settings: DEFAULT_HANDLER_SETTINGS,
    ...base,
  };
}

/** Every finding of a scan, its pages joined. */
export async function scanAll(handler: Pick<ResourceHandler, 'scan'>, ctx: HandlerContext): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const page of handler.scan(ctx)) out.push(...page);
  return out;
}

/** The finding with this resource id; throws when there is none. */
export function findingById(list: Finding[], id: string): Finding {
  const f = list.find((x) => x.resourceId === id);
  if (f === undefined) throw new Error(`no finding ${id}`);
  return f;
}

/** A finding as the database hands it back to a re-check or a delete. */
export const storedFinding = (f: Finding, id = 1): StoredFinding => ({ ...f, id });

/** A delete context (plan `plan-1` unless `ctx` names one) recording each audited call in `log`. */
export function loggingDeleteContext(ctx: HandlerContext & { planId?: string }, log: AuditedCall[] = []): DeleteContext & { log: AuditedCall[] } {
  return {
    planId: 'plan-1',
    ...ctx,
    log,
    async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
      log.push(call);
      return fn();
    },
  };
}

export interface OutcomeRow {
  call: AuditedCall;
  outcome: string;
}

/** `ctx` whose audit log also records each call's outcome in `rows` (as the cleanup's audit rows do). */
export function withOutcomes<X extends DeleteContext & { log: AuditedCall[] }>(ctx: X): X & { rows: OutcomeRow[] } {
  const rows: OutcomeRow[] = [];
  return {
    ...ctx,
    rows,
    async audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T> {
      ctx.log.push(call);
      try {
        const v = await fn();
        rows.push({ call, outcome: 'succeeded' });
        return v;
      } catch (err) {
        rows.push({ call, outcome: `failed ${(err as Error).name}` });
        throw err;
      }
    },
  };
}
