/**
 * The store the app keeps its data in (issue #21): the local SQLite file, or a PostgreSQL team store chosen in Settings.
 * A URL typed with a password goes in; no password ever comes back (the URL is shown without it).
 */
import { z } from 'zod';

export interface StoreRefDto {
  kind: 'local' | 'postgres';
  /** The local file's path, or `PostgreSQL database "x" on host:port`. */
  name: string;
  /** The team store's URL without its password; null for the local file. */
  url: string | null;
}

export interface StoreInfoDto {
  /** The store the app is on now. */
  current: StoreRefDto;
  /** The store saved for the next start. */
  saved: StoreRefDto;
  /** The local SQLite file (the app's store off a team store; what "Upload my history" reads). */
  localFile: string;
  /**
   * The saved team store could not be opened at this start, or its file cannot be read (the app runs on the local
   * database): why. Null otherwise.
   */
  savedProblem: string | null;
  /** The saved choice differs from the current store: a restart switches. */
  restartNeeded: boolean;
  /** Whether the OS keychain can keep a password (null when it can; otherwise why not). */
  keychainProblem: string | null;
}

/**
 * What a connection test found: an empty database (set up at the next start), one up to date, an older one (updated
 * only with the user's confirmation; no backup is taken), or a newer one (refused: update the app).
 */
export type StoreTestState = 'empty' | 'current' | 'older' | 'newer';

export interface StoreTestResultDto {
  /** `PostgreSQL database "x" on host:port` */
  server: string;
  /** The URL tested, without its password. */
  url: string;
  state: StoreTestState;
  /** older: the updates saving would apply at the next start. */
  pending: string[];
  /** newer: the schema changes this version does not know. */
  unknown: string[];
  /** The state in words. */
  message: string;
}

export interface StoreSaveResultDto {
  info: StoreInfoDto;
  /** What happens next ("Restart Cloud Cleaner to switch"). */
  message: string;
}

const url = z.string().trim().min(1, 'Enter a connection string.').max(4096);

export const storeTestInput = z.strictObject({ url });
export const storeSaveInput = z.strictObject({ url, confirmOlder: z.boolean().optional() });

/** One table of an upload of the local history into the team store (src/main/db/upload-history.ts). */
export interface StoreUploadTableDto {
  table: string;
  /** Rows the team store did not have. */
  copied: number;
  /** Rows it had, replaced by a newer local version. */
  updated: number;
  /** Rows it already had in this or a newer version. */
  alreadyThere: number;
  /** Rows not uploaded (e.g. a scan still running here), with why: reason → rows. */
  skipped: number;
  reasons: Record<string, number>;
}

/** What "Upload my history" did: per table, in total, and in words. */
export interface StoreUploadResultDto {
  /** The local file read. */
  from: string;
  /** The team store: `PostgreSQL database "x" on host:port`. */
  to: string;
  tables: StoreUploadTableDto[];
  totals: { copied: number; updated: number; alreadyThere: number; skipped: number };
  /** Team store resources marked gone: a later local scan of their task did not see them. */
  markedGone: number;
  ms: number;
  /** "12,345 rows copied, 0 updated, 0 already there" */
  message: string;
}

/** The upload copies into a shared database: the renderer sends it only after the user confirmed. */
export const storeUploadHistoryInput = z.strictObject({ confirm: z.literal(true) });
