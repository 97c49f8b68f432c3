/**
 * The store channels (issue #21: a PostgreSQL team store chosen in Settings), spread into THE contract (contract.ts).
 * Same rules as there: `domain:action` names, a zod input schema, an explicit output type.
 */
import {
  storeSaveInput, storeTestInput, storeUploadHistoryInput,
  type StoreInfoDto, type StoreSaveResultDto, type StoreTestResultDto, type StoreUploadResultDto,
} from '../dto/store';
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
  /**
   * "Upload my history": copies the local SQLite file's history into the team store the app is on (one way,
   * idempotent: a second run copies nothing). Refused when the app is not on a team store or there is no local file.
   */
  'store:upload-history': channel<StoreUploadResultDto>()(storeUploadHistoryInput),
} as const;
