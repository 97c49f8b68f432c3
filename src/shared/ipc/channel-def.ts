/** The building blocks of THE contract (contract.ts) and of the per-feature channel files it spreads in. */
import { z } from 'zod';

/** Type-only carrier of a channel's output type (never present at runtime). */
declare const OUTPUT: unique symbol;
declare const PAYLOAD: unique symbol;

export interface ChannelDef<S extends z.ZodType, O> {
  readonly input: S;
  readonly [OUTPUT]?: O;
}

export interface EventDef<P> {
  readonly [PAYLOAD]?: P;
}

/** `channel<Output>()(inputSchema)`: curried so the output type is explicit and the schema type inferred. */
export function channel<O>() {
  return <S extends z.ZodType>(input: S): ChannelDef<S, O> => ({ input });
}

export function event<P>(): EventDef<P> {
  return {};
}

/** Channels that take no input accept `undefined` only (a stray argument is a renderer bug worth seeing). */
export const noInput = z.undefined();
