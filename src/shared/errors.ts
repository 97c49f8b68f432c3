/**
 * Stable error codes. They cross IPC as `{ ok: false, error: { code, message, details? } }` and the CLI prints
 * `message`. Add codes; never rename one (the renderer and scripts key on them).
 */
export const ERROR_CODES = [
  // input
  'validation',
  // AWS configuration and credentials
  'aws.config_malformed',
  'aws.profile_not_found',
  'aws.credentials_missing',
  'aws.credentials_invalid',
  'aws.sso_expired',
  'aws.mfa_required',
  'aws.mfa_cancelled',
  'aws.mfa_invalid',
  // The profile's credentials now belong to another account than the one selected.
  'aws.account_changed',
  'aws.access_denied',
  'aws.region_disabled',
  'aws.throttled',
  'aws.network',
  'aws.service_error',
  // Cost Explorer
  'ce.not_enabled',
  'ce.access_denied',
  'ce.data_unavailable',
  'ce.limit_exceeded',
  'ce.bill_expired',
  // local data
  'db.newer_version',
  'db.corrupt',
  'db.migration_failed',
  'db.busy',
  // a shared PostgreSQL store (issue #21)
  'db.auth',
  'db.unreachable',
  'db.tls',
  'db.config',
  // An existing server database is older than the app: migrating it needs the user's go-ahead (no backup is taken).
  'db.needs_migration',
  // The saved team store's password: the OS keychain (Electron safeStorage) is missing, or the saved file cannot be read.
  'store.keychain_unavailable',
  'store.config_unreadable',
  // app
  'not_found',
  'conflict',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorDto {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** An error with a stable code and a message fit to show a user as is. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toDto(): AppErrorDto {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
