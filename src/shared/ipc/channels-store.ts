/**
 * The store channels (issue #21: a PostgreSQL team store chosen in Settings), spread into THE contract (contract.ts).
 * Same rules as there: `domain:action` names, a zod input schema, an explicit output type.
 */
import { storeSaveInput, storeTestInput, type StoreInfoDto, type StoreSaveResultDto, type StoreTestResultDto } from '../dto/store';
import { channel, noInput } from './channel-def';

export const storeChannels = {
  /** The store the app is on now, and the one saved for the next start (never a password). */
  'store:get': channel<StoreInfoDto>()(noInput),
  /** Connects to a PostgreSQL URL, reads its schema state without changing anything, and closes. */
  'store:test': channel<StoreTestResultDto>()(storeTestInput),
  /** Tests again and saves the team store for the next start (an older database only with confirmOlder; a newer one never). */
  'store:save': channel<StoreSaveResultDto>()(storeSaveInput),
  /** Forgets the team store: the next start opens the local database. */
  'store:use-local': channel<StoreSaveResultDto>()(noInput),
} as const;
