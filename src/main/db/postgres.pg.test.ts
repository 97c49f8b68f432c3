/**
 * openPostgres against a real server on 127.0.0.1 (Debian's binaries, started for this file) that also accepts TLS
 * with a self-signed certificate: the errors a user can meet (wrong password, nothing listening, TLS refused or
 * unverifiable, a bad address) and the TLS modes that work. Never skipped: without the binaries it fails and says why.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate, startPostgres, type PostgresServer } from '../test-support/postgres-server';
import { openPostgres, parsePostgresUrl, type PostgresHandle } from './postgres';

let server: PostgresServer;
let dir: string;
const open: PostgresHandle[] = [];

beforeAll(async () => {
  server = await startPostgres({ tls: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-pg-tls-'));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

function urlWith(change: (u: URL) => void): string {
  const u = new URL(server.url);
  change(u);
  return u.toString();
}

async function openOk(url: string): Promise<PostgresHandle> {
  const h = await openPostgres({ url });
  open.push(h);
  return h;
}

async function encrypted(h: PostgresHandle): Promise<boolean> {
  const { rows } = await sql<{ ssl: boolean }>`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`.execute(h.db);
  return rows[0]!.ssl;
}

const password = (): string => decodeURIComponent(new URL(server.url).password);
const port = (): string => new URL(server.url).port;

describe('openPostgres', () => {
  it('connects with the URL, plain by default, and names the database (never the password) in `server`', async () => {
    const h = await openOk(server.url);
    expect(h.dialect).toBe('postgres');
    expect(await encrypted(h)).toBe(false);
    expect(h.server).toBe(`database "cloudcleaner" on 127.0.0.1:${port()}`);
    await h.close();
    await h.close(); // twice is harmless
  });

  it('encrypts with sslmode=require (certificate not checked, as libpq does)', async () => {
    const h = await openOk(urlWith((u) => u.searchParams.set('sslmode', 'require')));
    expect(await encrypted(h)).toBe(true);
  });

  it('verifies the server with sslmode=verify-full and sslrootcert, or with the ssl option', async () => {
    const h = await openOk(urlWith((u) => {
      u.searchParams.set('sslmode', 'verify-full');
      u.searchParams.set('sslrootcert', server.caFile!);
    }));
    expect(await encrypted(h)).toBe(true);
    const h2 = await openPostgres({ url: server.url, ssl: { mode: 'verify-full', caFile: server.caFile! } });
    open.push(h2);
    expect(await encrypted(h2)).toBe(true);
  });

  it('refuses a certificate it cannot verify with db.tls (another CA, or the system CAs for a self-signed one)', async () => {
    const otherCa = await selfSignedCertificate(dir, 'other');
    for (const caFile of [otherCa, undefined]) {
      await expect(
        openPostgres({ url: server.url, ssl: caFile ? { mode: 'verify-full', caFile } : { mode: 'verify-full' } }),
      ).rejects.toMatchObject({ code: 'db.tls', message: expect.stringContaining(`127.0.0.1:${port()}`) });
    }
  });

  it('checks the host name only with verify-full; verify-ca and require with a CA check the CA only (libpq\'s meaning)', async () => {
    // The certificate is for IP 127.0.0.1; `localhost` is the same server under a name it was not issued for.
    const viaName = (mode: 'verify-full' | 'verify-ca' | 'require', caFile: string) =>
      openPostgres({ url: urlWith((u) => (u.hostname = 'localhost')), ssl: { mode, caFile } });
    await expect(viaName('verify-full', server.caFile!)).rejects.toMatchObject({
      code: 'db.tls',
      details: { server: `localhost:${port()}`, cause: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    });
    for (const mode of ['verify-ca', 'require'] as const) {
      const h = await viaName(mode, server.caFile!);
      open.push(h);
      expect(await encrypted(h)).toBe(true);
      await expect(viaName(mode, await selfSignedCertificate(dir, `other-${mode}`))).rejects.toMatchObject({ code: 'db.tls' });
    }
  });

  it('reports a wrong password as db.auth, naming the server and user but no password', async () => {
    const wrong = 'not-the-password-42';
    const err = await openPostgres({ url: urlWith((u) => (u.password = wrong)) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'db.auth', details: { server: `127.0.0.1:${port()}`, user: 'cloudcleaner', database: 'cloudcleaner' } });
    const text = `${(err as Error).message} ${JSON.stringify((err as { details: unknown }).details)}`;
    expect(text).toContain(`127.0.0.1:${port()}`);
    expect(text).toContain('"cloudcleaner"');
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(password());
  });

  it('reports a closed port as db.unreachable, naming host:port', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const err = await openPostgres({ url: urlWith((u) => (u.port = String(closed))) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'db.unreachable', details: { server: `127.0.0.1:${closed}`, cause: 'ECONNREFUSED' } });
    expect((err as Error).message).toContain(`Cannot reach the PostgreSQL server 127.0.0.1:${closed}`);
    expect((err as Error).message).not.toContain(password());
  });

  it('reports a missing database, a bad address or a missing CA file as db.config, with the password masked', async () => {
    await expect(openPostgres({ url: urlWith((u) => (u.pathname = '/nope')) })).rejects.toMatchObject({
      code: 'db.config',
      message: expect.stringContaining('no database "nope"'),
    });
    for (const url of [
      urlWith((u) => u.searchParams.set('sslmode', 'prefer')),
      urlWith((u) => u.searchParams.set('sslcert', '/x.crt')),
      urlWith((u) => (u.protocol = 'mysql:')),
    ]) {
      const err = await openPostgres({ url }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'db.config' });
      expect((err as Error).message).not.toContain(password());
    }
    await expect(openPostgres({ url: server.url, ssl: { mode: 'verify-full', caFile: path.join(dir, 'missing.crt') } })).rejects.toMatchObject({
      code: 'db.config',
      message: expect.stringContaining('missing.crt'),
    });
  });

  it('parses libpq-style URLs: percent-encoded user and password, default port, IPv6 host, connect_timeout', () => {
    expect(parsePostgresUrl('postgresql://me%40corp:p%3Ass@[::1]/store?connect_timeout=3&sslmode=verify-ca&sslrootcert=/ca.pem')).toEqual({
      host: '::1',
      port: 5432,
      user: 'me@corp',
      password: 'p:ss',
      database: 'store',
      ssl: { mode: 'verify-ca', caFile: '/ca.pem' },
      connectTimeoutMs: 3000,
      applicationName: 'Cloud Cleaner',
    });
  });
});
