import fs from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../../shared/errors';
import type { Database } from './schema';

/**
 * A shared team store on PostgreSQL (issue #21), beside the embedded SQLite default: kysely's PostgresDialect over a
 * `pg` Pool. The schema is the same (migrations/dialect.ts); so are the conventions (ISO 8601 TEXT timestamps, 0/1
 * integer booleans, TEXT JSON), and 64-bit integers come back as numbers as they do from SQLite.
 *
 * Errors while connecting become AppErrors whose messages name the server (host:port), the user and the database,
 * never the password: `db.auth`, `db.unreachable`, `db.tls`, `db.config`.
 */

/**
 * libpq's modes, with libpq's meaning (pg's own URL parser treats `require` as `verify-full`):
 * - `disable`: plain TCP;
 * - `require`: TLS, the certificate not checked — unless a CA is given, which makes it `verify-ca` (as libpq does);
 * - `verify-ca`: TLS, the certificate signed by the CA (the system's, or `sslrootcert`), any host name;
 * - `verify-full`: TLS, signed by the CA and issued for the host name.
 * `prefer` and `allow` (fall back to plain TCP) are not offered: a team store is either encrypted or it is not.
 */
export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];

export interface PostgresSsl {
  mode: SslMode;
  /** Path of a PEM file of the CA certificate(s) to trust (`sslrootcert=` in the URL). */
  caFile?: string;
}

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…&connect_timeout=<s>&application_name=…` */
  url: string;
  /** Overrides the URL's sslmode / sslrootcert. */
  ssl?: PostgresSsl;
  /** Connections kept by the pool (default 5). */
  maxConnections?: number;
}

export interface PostgresHandle {
  db: Kysely<Database>;
  dialect: 'postgres';
  /** For messages: `database "<name>" on <host>:<port>` (no user, no password). */
  server: string;
  close(): Promise<void>;
}

/**
 * The app's sessions plan for what its queries are: pages of one account's findings, read from the browse index
 * (migration 0013). `random_page_cost` 1.1: SSD storage, as every managed PostgreSQL has (the server's default, 4, is
 * for spinning disks, and makes the planner read the whole table rather than the index: a page's totals of 100,000
 * findings took 101 ms by table, 51 ms by index, measured). No parallel workers: starting them costs more than they
 * save on one account's rows (the same totals: 60 ms without, 101 ms with, on a 2-core machine).
 */
const SESSION_SETTINGS = 'SET random_page_cost = 1.1; SET max_parallel_workers_per_gather = 0';

interface Target {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: PostgresSsl;
  connectTimeoutMs: number;
  applicationName: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Parses the URL. Its password never appears in an error: a bad URL is shown with the password masked. */
export function parsePostgresUrl(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AppError('db.config', 'The PostgreSQL address is not a URL: write it as postgres://user:password@host:5432/database.');
  }
  const shown = maskPassword(u);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new AppError('db.config', `The PostgreSQL address ${shown} must start with postgres:// or postgresql://.`, { url: shown });
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(u.username);
  if (!u.hostname || !database || !user) {
    throw new AppError('db.config', `The PostgreSQL address ${shown} needs a host, a user and a database (postgres://user:password@host:5432/database).`, { url: shown });
  }
  let mode: SslMode = 'disable';
  let caFile: string | undefined;
  let connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  let applicationName = 'Cloud Cleaner';
  for (const [key, value] of u.searchParams) {
    if (key === 'sslmode') {
      if (!(SSL_MODES as readonly string[]).includes(value)) {
        throw new AppError('db.config', `sslmode=${value} is not supported: use ${SSL_MODES.join(', ')}.`, { url: shown });
      }
      mode = value as SslMode;
    } else if (key === 'sslrootcert') caFile = value;
    else if (key === 'connect_timeout' && /^\d+$/.test(value) && Number(value) > 0) connectTimeoutMs = Number(value) * 1000;
    else if (key === 'application_name') applicationName = value;
    else throw new AppError('db.config', `The PostgreSQL address ${shown} has a parameter Cloud Cleaner does not support: ${key}.`, { url: shown });
  }
  return {
    // [::1] → ::1 for net.connect.
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 5432,
    user,
    password: decodeURIComponent(u.password),
    database,
    ssl: caFile === undefined ? { mode } : { mode, caFile },
    connectTimeoutMs,
    applicationName,
  };
}

function maskPassword(u: URL): string {
  const copy = new URL(u.toString());
  if (copy.password) copy.password = '***';
  // libpq also takes the password (and other secrets) as parameters: no parameter value is shown, only its name.
  for (const key of [...copy.searchParams.keys()]) copy.searchParams.set(key, '***');
  return copy.toString();
}

/** node's TLS options for a mode (pg passes them to tls.connect). */
function tlsOptions(ssl: PostgresSsl, serverName: string): pg.ClientConfig['ssl'] {
  if (ssl.mode === 'disable') return false;
  let ca: string | undefined;
  if (ssl.caFile !== undefined) {
    try {
      ca = fs.readFileSync(ssl.caFile, 'utf8');
    } catch (e) {
      throw new AppError('db.config', `Cannot read the CA certificate ${ssl.caFile} (sslrootcert) for ${serverName}: ${(e as Error).message}`, { caFile: ssl.caFile }, { cause: e });
    }
  }
  if (ssl.mode === 'require' && ca === undefined) return { rejectUnauthorized: false };
  const anyHost = { checkServerIdentity: () => undefined };
  if (ssl.mode === 'verify-full') return ca === undefined ? {} : { ca };
  return ca === undefined ? anyHost : { ca, ...anyHost };
}

/** A 64-bit integer as a number, as SQLite returns it (ids and counts stay far below 2^53). */
const parseInt8 = (v: string): number => Number(v);
// NUMERIC only comes from aggregates here (SUM of a BIGINT, AVG): SQLite returns those as numbers too.
const parseNumeric = (v: string): number => Number(v);
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return parseInt8;
    if (oid === pg.types.builtins.NUMERIC) return parseNumeric;
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens a pool to the server and checks that it answers (so a wrong password or an unreachable host is reported now,
 * with its code, not at the first query). Does not migrate: see migratePostgres in migrator.ts.
 */
export async function openPostgres(opts: PostgresOptions): Promise<PostgresHandle> {
  const target = parsePostgresUrl(opts.url);
  if (opts.ssl) target.ssl = opts.ssl;
  const server = `database "${target.database}" on ${hostPort(target)}`;
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl: tlsOptions(target.ssl, hostPort(target)),
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: target.applicationName,
    max: opts.maxConnections ?? 5,
    // Idle connections kept 5 minutes (pg's default is 10 s): a new server process pays a page fault for each shared
    // buffer it first touches (a page's totals of 100,000 findings: 128 ms on a fresh connection, 51 ms after), so
    // someone browsing findings keeps warm ones.
    idleTimeoutMillis: 300_000,
    // TCP keepalive on those idle connections: a network device that drops idle ones (some load balancers after 4
    // minutes) would otherwise leave a dead socket for the next query to hang on.
    keepAlive: true,
    keepAliveInitialDelayMillis: 60_000,
    types: TYPES,
  });
  // An idle connection the server drops (restart, network) is discarded by the pool and the next query reconnects;
  // without a listener the pool's 'error' event would end the process.
  pool.on('error', () => {});
  // Queued on each new connection before anything else it runs; a server or proxy that refuses them keeps its own.
  pool.on('connect', (client) => void client.query(SESSION_SETTINGS).catch(() => {}));
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT 1');
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => {});
    throw postgresError(e, target);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    server,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // ends the pool
    },
  };
}

function hostPort(t: Pick<Target, 'host' | 'port'>): string {
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

function codeOf(e: unknown): string | undefined {
  const err = e as { code?: unknown; errors?: unknown[] };
  if (typeof err?.code === 'string') return err.code;
  // node's happy-eyeballs connect (a name with IPv4 and IPv6 addresses) fails with an AggregateError.
  if (Array.isArray(err?.errors)) return err.errors.map(codeOf).find((c) => c !== undefined);
  return undefined;
}

/**
 * Maps an error from connecting (or a connection lost later) to an AppError; returns other errors unchanged.
 * Messages name host:port, user and database — never the password.
 */
export function postgresError(e: unknown, t: Pick<Target, 'host' | 'port' | 'user' | 'database' | 'ssl'>): unknown {
  if (e instanceof AppError) return e;
  const code = codeOf(e);
  const message = (e as Error)?.message ?? String(e);
  const where = hostPort(t);
  const details = { server: where, user: t.user, database: t.database, ...(code ? { cause: code } : {}) };
  const make = (c: 'db.auth' | 'db.unreachable' | 'db.tls' | 'db.config', text: string): AppError =>
    new AppError(c, text, details, { cause: e });
  // SQLSTATE 28P01 invalid_password; 28000 invalid_authorization_specification (no pg_hba.conf entry, e.g. TLS required).
  if (code === '28P01') return make('db.auth', `The PostgreSQL server ${where} refused the password of user "${t.user}".`);
  if (code === '28000') return make('db.auth', `The PostgreSQL server ${where} does not let user "${t.user}" connect to database "${t.database}": ${message}`);
  if (code === '3D000') return make('db.config', `The PostgreSQL server ${where} has no database "${t.database}".`);
  if (message === 'The server does not support SSL connections') {
    return make('db.tls', `The PostgreSQL server ${where} does not accept TLS connections, and sslmode=${t.ssl.mode} requires TLS.`);
  }
  if (/certificate|self[- ]signed|ERR_TLS|CERT_|SSL/i.test(`${code ?? ''} ${message}`)) {
    return make('db.tls', `The TLS connection to the PostgreSQL server ${where} failed (sslmode=${t.ssl.mode}): ${message}`);
  }
  if ((code && NETWORK_CODES.has(code)) || /timeout|terminated/i.test(message)) {
    return make('db.unreachable', `Cannot reach the PostgreSQL server ${where} (${code ?? message}). Check the address, and that the server accepts connections from this computer.`);
  }
  return e;
}
