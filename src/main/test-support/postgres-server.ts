/**
 * Test support: a real, throwaway PostgreSQL server (Debian's binaries) in a temporary folder, on 127.0.0.1 only,
 * with a password (scram-sha-256), fsync off. One per test file (beforeAll/afterAll); `freshDatabase` gives each test
 * its own empty database on it. PostgreSQL refuses to run as root: as root, the server runs as the `postgres` OS user.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { MIGRATIONS } from '../../../migrations';
import { migratePostgres } from '../db/migrator';
import { openPostgres } from '../db/postgres';

const run = promisify(execFile);

export interface PostgresServer {
  /** `postgres://` URL (user, password, 127.0.0.1, port) of an empty database on the server. */
  url: string;
  /** With `tls`: the server's self-signed certificate (for 127.0.0.1), to trust as the CA (`sslrootcert=`). */
  caFile: string | null;
  /** How long initdb + start + CREATE DATABASE took. */
  startMs: number;
  /** Stops the server (pg_ctl stop -m fast) and removes its folder. */
  stop(): Promise<void>;
}

const USER = 'cloudcleaner';

/**
 * The folder of initdb/pg_ctl/postgres: Debian's highest /usr/lib/postgresql/<v>/bin, else `pg_config --bindir`.
 * (`where` only for this function's own test.)
 */
export async function findPostgresBinaries(where: { root?: string; pgConfig?: string } = {}): Promise<string> {
  const root = where.root ?? '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
  }
  try {
    const bin = (await run(where.pgConfig ?? 'pg_config', ['--bindir'])).stdout.trim();
    if (bin && fs.existsSync(path.join(bin, 'initdb'))) return bin;
  } catch {
    // no pg_config either
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in /usr/lib/postgresql/*/bin or `pg_config --bindir`: install Debian\'s postgresql package (.ci/run does)',
  );
}

interface RunAs {
  /** Runs `bin` with `args` as the server's OS user. */
  exec(bin: string, args: string[], cwd: string): Promise<void>;
  /** Gives `target` to that user. */
  own(target: string): void;
}

async function runAs(): Promise<RunAs> {
  const plain: RunAs = {
    exec: async (bin, args, cwd) => void (await run(bin, args, { cwd })),
    own: () => {},
  };
  if (process.getuid?.() !== 0) return plain;
  let uid: number, gid: number;
  try {
    uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  } catch {
    throw new Error('Running as root, and PostgreSQL refuses root: no `postgres` OS user to run it as. Install Debian\'s postgresql package (.ci/run does)');
  }
  // setpriv (util-linux) drops to the user without a login session; the cwd must be readable by it.
  return {
    exec: async (bin, args, cwd) =>
      void (await run('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', bin, ...args], { cwd })),
    own: (target) => fs.chownSync(target, uid, gid),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function failure(what: string, e: unknown, log?: string): Error {
  const err = e as { stderr?: string; stdout?: string; message?: string };
  const tail = log && fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
  return new Error(`${what} failed: ${err.message ?? String(e)}\n${err.stderr ?? ''}${tail ? `\nserver log:\n${tail}` : ''}`, { cause: e });
}

/**
 * Writes a self-signed certificate for IP 127.0.0.1 and its key (`<name>.crt`, `<name>.key`) into `dir` with openssl.
 * Returns the certificate's path.
 */
export async function selfSignedCertificate(dir: string, name: string): Promise<string> {
  const crt = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  try {
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', crt,
    ]);
  } catch (e) {
    throw failure('openssl req (install Debian\'s openssl package; .ci/run does)', e);
  }
  fs.chmodSync(key, 0o600);
  return crt;
}

/**
 * Starts a server; the caller stops it (afterAll). `tls`: the server also accepts TLS (ssl=on) with a self-signed
 * certificate for 127.0.0.1 (`caFile`); plain connections still work.
 */
export async function startPostgres(opts: { tls?: boolean; sharedBuffers?: string } = {}): Promise<PostgresServer> {
  const t0 = Date.now();
  const bin = await findPostgresBinaries();
  const as = await runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const password = randomBytes(12).toString('hex');
  let started = false;
  const pgCtl = (args: string[]): Promise<void> => as.exec(path.join(bin, 'pg_ctl'), ['-D', data, ...args], dir);
  const stop = async (): Promise<void> => {
    try {
      if (started) await pgCtl(['stop', '-m', 'fast', '-w']);
    } finally {
      started = false;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    fs.chmodSync(dir, 0o700);
    fs.writeFileSync(path.join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
    as.own(dir);
    as.own(path.join(dir, 'pwfile'));
    let caFile: string | null = null;
    let tlsOptions = '';
    if (opts.tls) {
      caFile = await selfSignedCertificate(dir, 'server');
      as.own(caFile);
      as.own(path.join(dir, 'server.key'));
      tlsOptions = ` -c ssl=on -c ssl_cert_file=${caFile} -c ssl_key_file=${path.join(dir, 'server.key')}`;
    }
    try {
      await as.exec(
        path.join(bin, 'initdb'),
        ['-D', data, '-U', USER, '--auth=scram-sha-256', `--pwfile=${path.join(dir, 'pwfile')}`, '-E', 'UTF8', '--locale=C', '--no-sync'],
        dir,
      );
    } catch (e) {
      throw failure('initdb', e);
    }
    // A free port can be taken between the probe and the bind: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir}`,
        '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40',
        `-c shared_buffers=${opts.sharedBuffers ?? '16MB'}`,
      ].join(' ') + tlsOptions;
      try {
        await pgCtl(['start', '-w', '-t', '60', '-l', log, '-o', options]);
        started = true;
      } catch (e) {
        if (attempt < 3) continue;
        throw failure('pg_ctl start', e, log);
      }
      const base = `postgres://${USER}:${password}@127.0.0.1:${port}`;
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query('CREATE DATABASE cloudcleaner');
      } finally {
        await client.end();
      }
      return { url: `${base}/cloudcleaner`, caFile, startMs: Date.now() - t0, stop };
    }
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
}

/**
 * A new database on the server of `serverUrl` (CREATE DATABASE t_<random>); returns its URL. Empty, or a copy of
 * `template` (a database on the same server that nobody is connected to), or empty with an ICU default collation.
 */
export async function freshDatabase(serverUrl: string, opts: { template?: string; icuLocale?: string } = {}): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // `icuLocale`: the database's default collation is that ICU locale's (a team server created with en_US, say).
    const locale = opts.icuLocale
      ? ` TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE ${pg.escapeLiteral(opts.icuLocale)}`
      : '';
    await client.query(`CREATE DATABASE ${name}${opts.template ? ` TEMPLATE ${pg.escapeIdentifier(opts.template)}` : ''}${locale}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database name of a `postgres://` URL. */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** A new database on the server of `serverUrl` at the schema before the latest migration (an older team store). */
export async function olderDatabase(serverUrl: string): Promise<string> {
  const url = await freshDatabase(serverUrl);
  const h = await openPostgres({ url });
  try {
    await migratePostgres(h, { list: MIGRATIONS.slice(0, -1) });
  } finally {
    await h.close();
  }
  return url;
}
