/**
 * Test support: run the same tests on both stores — an in-memory SQLite database and a database on a real
 * PostgreSQL server (one server per test file, started on 127.0.0.1; each test gets its own database, copied from a
 * template migrated once). Issue #21: the repository tests run on both dialects, with no mock of either.
 */
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { openMemoryDatabase } from '../db/database';
import { migratePostgres } from '../db/migrator';
import { openPostgres } from '../db/postgres';
import type { AppDb, Dialect } from '../db/store';
import { databaseOf, freshDatabase, startPostgres, type PostgresServer } from './postgres-server';

export interface DialectFixture {
  dialect: Dialect;
  /** A new database at the latest schema; closed after the test. */
  open(): Promise<AppDb>;
  /** PostgreSQL only: the URL of a new database at the latest schema (for a second process or a CLI). */
  url(): Promise<string>;
  /**
   * `it` for a test that concerns one store only (SQLite's synchronous=FULL, PostgreSQL's synchronous_commit): on the
   * other store it is not registered at all — not a skipped test, since there is nothing there to test.
   */
  only(dialect: Dialect): typeof it;
}

function onlyOn(current: Dialect): (dialect: Dialect) => typeof it {
  const none = (() => undefined) as unknown as typeof it;
  return (dialect) => (dialect === current ? it : none);
}

/** `describe(title)` twice: once per store. `body` registers its tests with the fixture of that store. */
export function describeEachDialect(title: string, body: (f: DialectFixture) => void): void {
  describe(`${title} [sqlite]`, () => {
    const opened: AppDb[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((h) => h.close()));
    });
    body({
      dialect: 'sqlite',
      async open() {
        const h = await openMemoryDatabase();
        opened.push(h);
        return h;
      },
      url: () => Promise.reject(new Error('url() is for the PostgreSQL fixture')),
      only: onlyOn('sqlite'),
    });
  });
  describe(`${title} [postgres]`, () => {
    const pg = postgresFixture();
    body(pg);
  });
}

/** The PostgreSQL half alone (for tests that only concern the team store). Registers its own hooks. */
export function postgresFixture(): DialectFixture & { server(): PostgresServer } {
  let server: PostgresServer | undefined;
  let template: string | undefined;
  const opened: AppDb[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((h) => h.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });
  const url = async (): Promise<string> => {
    if (!server) throw new Error('the PostgreSQL server did not start');
    if (template === undefined) {
      const first = await freshDatabase(server.url);
      const h = await openPostgres({ url: first });
      try {
        await migratePostgres(h);
      } finally {
        await h.close();
      }
      template = databaseOf(first);
    }
    return freshDatabase(server.url, { template });
  };
  return {
    dialect: 'postgres',
    url,
    only: onlyOn('postgres'),
    async open() {
      const h = await openPostgres({ url: await url() });
      opened.push(h);
      return h;
    },
    server() {
      if (!server) throw new Error('the PostgreSQL server did not start');
      return server;
    },
  };
}

