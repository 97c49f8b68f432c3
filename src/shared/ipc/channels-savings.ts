/**
 * The savings channels (issue #22), spread into THE contract (contract.ts). Same rules as there: `domain:action`
 * names, a zod input schema, an explicit output type.
 */
import type { SavingsRealisedDto } from '../dto/savings';
import { channel, noInput } from './channel-def';

export const savingsChannels = {
  /** What the executed cleanups were expected to save and what the stored daily costs show (no AWS call). */
  'savings:realised': channel<SavingsRealisedDto>()(noInput),
} as const;
