/**
 * The migrations on a real PostgreSQL server (Debian's binaries, started for this file on 127.0.0.1; each test gets
 * its own empty database). Without the binaries this file fails and says what to install: it is never skipped.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { MIGRATIONS } from '../../../migrations/index';
import { freshDatabase, startPostgres, type PostgresServer } from '../test-support/postgres-server';
import { postgresSchemaText, postgresShape, sqliteShape } from '../test-support/schema-shape';
import { openMemoryDatabase } from './database';
import { migratePostgres, postgresMigrationStatus } from './migrator';
import { openPostgres, type PostgresHandle } from './postgres';

let server: PostgresServer;
const open: PostgresHandle[] = [];

beforeAll(async () => {
  server = await startPostgres();
  console.log(`PostgreSQL test server started in ${server.startMs} ms`);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

async function fresh(): Promise<PostgresHandle> {
  const h = await openPostgres({ url: await freshDatabase(server.url) });
  open.push(h);
  return h;
}

const names = (list: ReadonlyArray<readonly [string, Migration]>): string[] => list.map(([n]) => n);

/** Every table's row count and the schema: what "left untouched" means. */
async function fingerprint(h: PostgresHandle): Promise<string> {
  const tables = Object.keys((await postgresShape(h.db)).tables).sort();
  const counts: string[] = [];
  for (const t of tables) {
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(t)}`.execute(h.db);
    counts.push(`${t}=${rows[0]!.n}`);
  }
  return `${counts.join(' ')}\n${await postgresSchemaText(h.db)}`;
}

const ACCOUNT = sql`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`;

describe('migrations on PostgreSQL', () => {
  it('take an empty database to the latest schema; a second run applies nothing', async () => {
    const h = await fresh();
    const report = await migratePostgres(h);
    expect(report).toEqual({ applied: names(MIGRATIONS), backupFile: null, version: MIGRATIONS.length, note: null });
    expect(await migratePostgres(h)).toEqual({ applied: [], backupFile: null, version: MIGRATIONS.length, note: null });
    expect(await postgresMigrationStatus(h)).toEqual({ applied: [...names(MIGRATIONS)].sort(), pending: [], unknown: [] });
  });

  it('match the PostgreSQL schema snapshot (a migration that changes the schema must update it on purpose)', async () => {
    const h = await fresh();
    await migratePostgres(h);
    await expect(await postgresSchemaText(h.db)).toMatchFileSnapshot('./__snapshots__/schema.pg.txt');
  });

  it('give PostgreSQL the schema SQLite has: tables, columns in order with their types and nullability, indices, foreign keys', async () => {
    const h = await fresh();
    await migratePostgres(h);
    const lite = await openMemoryDatabase();
    try {
      const expected = sqliteShape(lite.sqlite);
      const actual = await postgresShape(h.db);
      expect(Object.keys(actual.tables).sort()).toEqual(Object.keys(expected.tables).sort());
      for (const t of Object.keys(expected.tables)) expect({ [t]: actual.tables[t] }).toEqual({ [t]: expected.tables[t] });
      expect(actual.indexes).toEqual(expected.indexes);
      expect(actual.foreignKeys).toEqual(expected.foreignKeys);
      expect(expected.foreignKeys).toContain('deletions(account_id) → accounts(id) ON DELETE RESTRICT');
    } finally {
      await lite.close();
    }
  });

  it('keep the app\'s conventions: 64-bit ids and counts as numbers, doubles as doubles, the CHECKs and keys of SQLite', async () => {
    const h = await fresh();
    await migratePostgres(h);
    await ACCOUNT.execute(h.db);
    const { rows } = await sql<{ id: number; period_cost: number }>`
      INSERT INTO services (account_id, code, display_name, category, period_cost, first_seen, last_seen)
      VALUES ('111122223333', 'AmazonEC2', 'EC2', 'Compute', 1234.567890123456, 'x', 'x') RETURNING id, period_cost`.execute(h.db);
    expect(rows).toEqual([{ id: 1, period_cost: 1234.567890123456 }]); // a 4-byte REAL would round it
    const count = await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM services`.execute(h.db);
    expect(count.rows[0]!.n).toBe(1); // bigint, as a number
    // Booleans are 0/1 integers.
    await expect(sql`UPDATE services SET active = 2`.execute(h.db)).rejects.toMatchObject({ code: '23514' });
    // 0009's digits-only account id (GLOB on SQLite, a regular expression here).
    const add = (id: string) =>
      sql`INSERT INTO org_accounts (home_account_id, account_id, source, created_at) VALUES ('111122223333', ${id}, 'manual', 'x')`.execute(h.db);
    await add('222233334444');
    for (const bad of ['12345', '12345678901a', '1234 5678901', '111122223333']) await expect(add(bad)).rejects.toMatchObject({ code: '23514' });
    // 0008's snooze reason and scope checks.
    const snooze = (scope: string, reason: string) =>
      sql`INSERT INTO snoozes (account_id, scope, resource_type, region, resource_id, reason, created_at)
          VALUES ('111122223333', ${scope}, 'ec2:volume', 'eu-west-1', 'vol-1', ${reason}, 'x')`.execute(h.db);
    await expect(snooze('finding', '   ')).rejects.toMatchObject({ code: '23514' });
    await expect(snooze('tag', 'r')).rejects.toMatchObject({ code: '23514' });
    await snooze('finding', 'kept');
    await expect(snooze('finding', 'again')).rejects.toMatchObject({ code: '23505' });
  });

  it('0003 → 0004 keeps every audit row and its id, adds run owners, and makes the audit log outlive its account', async () => {
    const h = await fresh();
    await migratePostgres(h, { list: MIGRATIONS.slice(0, 3) });
    await sql`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x'), ('444455556666', 'aws', 'x', 'x')`.execute(h.db);
    await sql`INSERT INTO resources (id, account_id, resource_type, region, resource_id, service_code, unused, first_seen, last_seen)
              VALUES (7, '111122223333', 'ec2:volume', 'eu-west-1', 'vol-1', 'AmazonEC2Other', 1, 'x', 'x')`.execute(h.db);
    await sql`INSERT INTO scans (id, account_id, kind, status, started_at) VALUES (3, '111122223333', 'resources', 'running', 'x')`.execute(h.db);
    await sql`INSERT INTO deletions (id, account_id, plan_id, resource_pk, resource_type, region, resource_id, action, target, dry_run, outcome, requested_at)
              VALUES (5, '111122223333', 'p1', 7, 'ec2:volume', 'eu-west-1', 'vol-1', 'DeleteVolume', 'vol-1', 1, 'dry-run-ok', 't1'),
                     (9, '111122223333', 'p1', NULL, 'ec2:volume', 'eu-west-1', 'vol-1', 'Refuse', 'vol-1', 0, 'refused', 't2')`.execute(h.db);
    const before = (await sql`SELECT * FROM deletions ORDER BY id`.execute(h.db)).rows;

    const report = await migratePostgres(h, { confirmOlder: true });
    expect(report.applied).toEqual(names(MIGRATIONS.slice(3)));
    expect((await sql`SELECT * FROM deletions ORDER BY id`.execute(h.db)).rows).toEqual(before);
    expect((await sql`SELECT owner_pid, owner_start FROM scans`.execute(h.db)).rows).toEqual([{ owner_pid: null, owner_start: null }]);
    await expect(sql`DELETE FROM accounts WHERE id = '111122223333'`.execute(h.db)).rejects.toMatchObject({ code: '23503' });
    await sql`DELETE FROM accounts WHERE id = '444455556666'`.execute(h.db);
    await sql`DELETE FROM resources WHERE id = 7`.execute(h.db);
    expect((await sql`SELECT COUNT(*) AS n FROM deletions WHERE resource_pk IS NULL`.execute(h.db)).rows).toEqual([{ n: 2 }]);
  });

  it('refuse a database written by a newer version (db.newer_version) and leave it untouched', async () => {
    const h = await fresh();
    await migratePostgres(h);
    await ACCOUNT.execute(h.db);
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(h.db);
    const before = await fingerprint(h);
    await expect(migratePostgres(h)).rejects.toMatchObject({
      code: 'db.newer_version',
      message: expect.stringContaining('newer version of Cloud Cleaner'),
      details: expect.objectContaining({ unknownMigrations: ['9999_from_the_future'] }),
    });
    await expect(migratePostgres(h, { confirmOlder: true })).rejects.toMatchObject({ code: 'db.newer_version' });
    expect(await fingerprint(h)).toBe(before);
  });

  it('report an older database and migrate it only when the caller confirms (no backup: the message says so)', async () => {
    const h = await fresh();
    expect(await migratePostgres(h, { list: MIGRATIONS.slice(0, 5) })).toMatchObject({ note: null }); // empty: no question
    await ACCOUNT.execute(h.db);
    const before = await fingerprint(h);
    const pending = names(MIGRATIONS.slice(5));
    expect((await postgresMigrationStatus(h)).pending).toEqual(pending);

    const refused = migratePostgres(h);
    await expect(refused).rejects.toMatchObject({ code: 'db.needs_migration', details: expect.objectContaining({ pending, backup: null }) });
    const message = ((await refused.catch((e: unknown) => e)) as Error).message;
    for (const name of pending) expect(message).toContain(name);
    expect(message).toContain('No backup is taken');
    expect(await fingerprint(h)).toBe(before);

    const report = await migratePostgres(h, { confirmOlder: true });
    expect(report.applied).toEqual(pending);
    expect(report.backupFile).toBeNull();
    expect(report.note).toContain('No backup is taken');
    expect((await sql`SELECT id FROM accounts`.execute(h.db)).rows).toEqual([{ id: '111122223333' }]);
  });

  it('roll a failing migration back entirely (no half schema) and say which one failed', async () => {
    const h = await fresh();
    const broken: [string, Migration] = [
      '9998_broken',
      {
        up: async (db) => {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          throw new Error('boom');
        },
      },
    ];
    await expect(migratePostgres(h, { list: [...MIGRATIONS, broken] })).rejects.toMatchObject({
      code: 'db.migration_failed',
      message: expect.stringContaining('9998_broken'),
    });
    // One transaction for all pending migrations: not even 0001 stayed.
    expect(Object.keys((await postgresShape(h.db)).tables).sort()).toEqual(['kysely_migration', 'kysely_migration_lock']);
  });

  it('refuse sslmode=require on a server without TLS with db.tls', async () => {
    const url = new URL(server.url);
    url.searchParams.set('sslmode', 'require');
    await expect(openPostgres({ url: url.toString() })).rejects.toMatchObject({
      code: 'db.tls',
      message: expect.stringContaining(`does not accept TLS connections`),
    });
  });
});
