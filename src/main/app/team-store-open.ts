/**
 * Reaching a PostgreSQL team store (issue #21) for Settings and for the app's start: a probe that reads the schema's
 * state without changing anything, and the opening at start, which migrates an older database only as far as the user
 * confirmed when saving it.
 */
import { AppError } from '../../shared/errors';
import type { StoreTestResultDto } from '../../shared/dto/store';
import { migratePostgres, postgresMigrationStatus, type PostgresMigrationReport } from '../db/migrator';
import { openPostgres, parsePostgresUrl, type PostgresHandle } from '../db/postgres';
import { urlWithoutPassword, type TeamStoreChoice } from './team-store-config';

const NO_BACKUP = 'No backup is taken: a server database is not a file Cloud Cleaner can copy. Back it up first (pg_dump, or a snapshot of the server).';

/** `PostgreSQL database "x" on host:port`, from the URL alone (as storeName names an open one). */
export function teamStoreName(url: string): string {
  const t = parsePostgresUrl(url);
  const hp = t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
  return `PostgreSQL database "${t.database}" on ${hp}`;
}

/** Connects, reads the schema's state (nothing written), closes. Connection problems: the AppErrors of openPostgres. */
export async function probeTeamStore(url: string): Promise<StoreTestResultDto> {
  const h = await openPostgres({ url, maxConnections: 1 });
  try {
    const s = await postgresMigrationStatus(h);
    const server = `PostgreSQL ${h.server}`;
    const base = { server, url: urlWithoutPassword(url), pending: s.pending, unknown: s.unknown };
    if (s.unknown.length > 0) {
      return { ...base, state: 'newer', message: `The ${server} was written by a newer version of Cloud Cleaner (schema changes ${s.unknown.join(', ')} this version does not know). Update the app to use it; the database was not changed.` };
    }
    if (s.applied.length === 0) return { ...base, state: 'empty', message: `The ${server} is empty: Cloud Cleaner will set it up at the next start.` };
    if (s.pending.length === 0) return { ...base, state: 'current', message: `The ${server} is up to date.` };
    return {
      ...base,
      state: 'older',
      message: `The ${server} has an older schema: using it applies ${s.pending.join(', ')} at the next start, and every app using it must then be this version or newer. ${NO_BACKUP}`,
    };
  } finally {
    await h.close();
  }
}

/**
 * Opens the saved team store at start and brings it to the latest schema: an empty database is set up; an older one is
 * updated only if every pending migration is one the user confirmed when saving (a later app update asks again); a
 * newer one is refused untouched. The handle is closed on failure.
 */
export async function openTeamStore(choice: TeamStoreChoice): Promise<{ handle: PostgresHandle; report: PostgresMigrationReport }> {
  const handle = await openPostgres({ url: choice.url });
  try {
    const status = await postgresMigrationStatus(handle);
    const confirmOlder = status.pending.every((m) => choice.confirmedMigrations.includes(m));
    const report = await migratePostgres(handle, { confirmOlder });
    return { handle, report };
  } catch (e) {
    await handle.close();
    if (e instanceof AppError && e.code === 'db.needs_migration') {
      throw new AppError(e.code, `${e.message} Confirm the update in Settings → Team store (test the connection again), then restart.`, e.details);
    }
    throw e;
  }
}
