/**
 * The recovery channels (issue #22), spread into THE contract (contract.ts). Same rules as there: `domain:action`
 * names, a zod input schema, an explicit output type.
 */
import { recoveryListInput, type RecoveryPageDto } from '../dto/recovery';
import { channel } from './channel-def';

export const recoveryChannels = {
  /** The account's recovery points (copies kept by cleanups, scheduled deletions still restorable), newest first. */
  'recovery:list': channel<RecoveryPageDto>()(recoveryListInput),
} as const;
