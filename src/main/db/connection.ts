import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver } from 'kysely';
import { AppError } from '../../shared/errors';
import type { Database } from './schema';

/**
 * SQLite does run DDL inside transactions; kysely's adapter says it does not, which would make its migrator run
 * migrations outside a transaction (a crash mid-migration would leave half a schema). Say the truth.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * A transaction takes the write lock when it begins (BEGIN IMMEDIATE), not at its first write. The findings of a scan
 * are written by a second connection (resource-writer-thread.ts), and other processes may share the file (the CLI):
 * a deferred transaction that read before another connection committed could not upgrade to a write and would fail at
 * once with SQLITE_BUSY, without waiting (busy_timeout does not apply to a stale snapshot). Every transaction the app
 * opens through kysely writes.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class AppSqliteDialect extends SqliteDialect {
  constructor(private readonly config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }
}

export interface OpenOptions {
  /** Path of the database file, or ':memory:'. */
  file: string;
  /**
   * Path of a better-sqlite3 native addon built for the running ABI. The Electron app passes the
   * Electron-ABI build (scripts/electron-native.mjs); Node (tests, CLI) uses the one in node_modules.
   */
  nativeBinding?: string;
  readonly?: boolean;
}

export interface DbHandle {
  /** Which store this is (a PostgreSQL team store is a PostgresHandle: see store.ts). */
  dialect: 'sqlite';
  /** kysely over the connection: typed queries for everything but the hottest paths. */
  db: Kysely<Database>;
  /** The raw connection: prepared statements for bulk upserts, transactions, pragmas. */
  sqlite: BetterSqlite3.Database;
  file: string;
  /** The Electron-ABI addon the connection was opened with (a second connection, on a worker thread, needs it too). */
  nativeBinding?: string;
  readonly?: boolean;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the database with the app's pragmas. Does not migrate: see migrator.ts.
 * A file that is not an SQLite database raises `db.corrupt` naming the file; the file is left untouched.
 */
export function openDatabase(opts: OpenOptions): DbHandle {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(opts.file, {
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      ...(opts.readonly ? { readonly: true, fileMustExist: true } : {}),
    });
  } catch (e) {
    throw new AppError('db.corrupt', `Cannot open the database ${opts.file}: ${(e as Error).message}`, { file: opts.file }, { cause: e });
  }
  try {
    // The first read of the header fails on a file that is not a database ("file is not a database").
    sqlite.pragma('schema_version');
    if (!opts.readonly) {
      // WAL: readers never block the writer (the UI pages findings while a scan writes).
      if (opts.file !== ':memory:') sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
    }
    // 64 MiB of page cache (the default is 2 MiB): a scan's upserts touch index pages all over the file, and
    // re-reading them for every batch doubled the cost of writing 100k findings.
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (e) {
    sqlite.close();
    throw new AppError(
      'db.corrupt',
      `The database ${opts.file} is not a readable Cloud Cleaner database (${(e as Error).message}). It was left untouched; move it away to start fresh.`,
      { file: opts.file },
      { cause: e },
    );
  }
  const db = new Kysely<Database>({ dialect: new AppSqliteDialect({ database: sqlite }) });
  let closed = false;
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    file: opts.file,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.readonly ? { readonly: true } : {}),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes the better-sqlite3 connection too
    },
  };
}

/**
 * Runs `fn` — writes in autocommit on the raw connection — with `synchronous = FULL`, then restores the setting.
 * The database runs at NORMAL (WAL): every commit is atomic, but one made just before a power loss may be rolled
 * back, because the WAL is synced only at checkpoints. FULL syncs the WAL at each commit, so when `fn` returns its
 * rows are on disk (and every commit before them). The audit log writes this way: its `pending` row must survive
 * whatever happens after the AWS call it announces. Scans and settings stay at NORMAL: FULL for the whole database
 * would sync every small write too (bench/audit-durability.ts measures both). Synchronous on one connection, so no
 * other statement runs while the setting is switched. Inside an open transaction it changes nothing: the commit
 * (and its durability) belongs to whoever opened it.
 */
export function durably<T>(sqlite: BetterSqlite3.Database, fn: () => T): T {
  const previous = sqlite.pragma('synchronous', { simple: true }) as number;
  if (previous >= SYNCHRONOUS_FULL || sqlite.inTransaction) return fn();
  sqlite.pragma('synchronous = FULL');
  try {
    return fn();
  } finally {
    sqlite.pragma(`synchronous = ${previous}`);
  }
}

/** `PRAGMA synchronous` values: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
export const SYNCHRONOUS_FULL = 2;

/** Runs `fn` in one IMMEDIATE transaction on the raw connection (synchronous, so nothing interleaves). */
export function inTransaction<T>(sqlite: BetterSqlite3.Database, fn: () => T): T {
  return sqlite.transaction(fn).immediate();
}

export function nowIso(): string {
  return new Date().toISOString();
}
