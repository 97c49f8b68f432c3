/**
 * The recovery channels (issue #22), spread into THE contract (contract.ts). Same rules as there: `domain:action`
 * names, a zod input schema, an explicit output type. Empty until the feature lands.
 */
// import { channel, noInput } from './channel-def';
export const recoveryChannels = {} as const;
