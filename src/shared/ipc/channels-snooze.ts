/**
 * The snooze channels (issue #22: ignore findings with a reason, until a date or for good, per finding or per tag),
 * spread into THE contract (contract.ts). Same rules as there: `domain:action` names, a zod input schema, an explicit
 * output type.
 */
import { snoozeRemoveInput, snoozeSetInput, type SnoozeDto, type SnoozeSetResultDto } from '../dto/snooze';
import { channel, noInput } from './channel-def';

export const snoozeChannels = {
  /** Ignores findings (by id; stored by identity, so re-scans keep it) or every finding with a tag; replaces an existing one. */
  'snooze:set': channel<SnoozeSetResultDto>()(snoozeSetInput),
  /** The account's snoozes, current first, each with how many active findings it covers now. */
  'snooze:list': channel<SnoozeDto[]>()(noInput),
  /** Stops ignoring (the snooze goes; its findings are back in the totals at once). */
  'snooze:remove': channel<void>()(snoozeRemoveInput),
} as const;
