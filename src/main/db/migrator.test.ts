import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Migration } from 'kysely/migration';
import { MIGRATIONS } from '../../../migrations/index';
import { openDatabase } from './connection';
import { openAndMigrate } from './database';
import { migrateToLatest } from './migrator';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-migrate-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function schemaOf(file: string): string {
  const h = openDatabase({ file, readonly: true });
  const rows = h.sqlite
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
    .all() as { type: string; name: string; sql: string | null }[];
  h.sqlite.close();
  return rows.map((r) => `${r.type} ${r.name}\n${(r.sql ?? '').replace(/\s+/g, ' ')}`).join('\n\n');
}

describe('migrations', () => {
  it('takes an empty database to the latest schema, with WAL, foreign keys and user_version', async () => {
    const file = path.join(dir, 'app.db');
    const h = await openAndMigrate({ file });
    expect(h.migration.applied).toEqual(MIGRATIONS.map(([n]) => n));
    expect(h.migration.backupFile).toBeNull(); // nothing to back up in a new file
    expect(h.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(h.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(h.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    await h.close();
    // Re-opening applies nothing.
    const again = await openAndMigrate({ file });
    expect(again.migration.applied).toEqual([]);
    await again.close();
  });

  it('matches the schema snapshot (a migration that changes the schema must update it on purpose)', async () => {
    const file = path.join(dir, 'snap.db');
    const h = await openAndMigrate({ file });
    await h.close();
    await expect(schemaOf(file)).toMatchFileSnapshot('./__snapshots__/schema.sql.txt');
  });

  it('0001 → 0002 keeps the data written under 0001, and backs the file up first', async () => {
    const file = path.join(dir, 'old.db');
    const first = MIGRATIONS.slice(0, 1);
    const h1 = openDatabase({ file });
    await migrateToLatest(h1, first);
    h1.sqlite
      .prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`)
      .run();
    h1.sqlite
      .prepare(
        `INSERT INTO services (account_id, code, display_name, category, first_seen, last_seen) VALUES ('111122223333', 'AmazonEC2', 'EC2', 'Compute', 'x', 'x')`,
      )
      .run();
    await h1.close();

    const h2 = await openAndMigrate({ file });
    expect(h2.migration.applied).toEqual(MIGRATIONS.slice(1).map(([name]) => name));
    expect(h2.migration.backupFile).not.toBeNull();
    const backup = h2.migration.backupFile!;
    expect(fs.existsSync(backup)).toBe(true);
    expect(h2.sqlite.prepare('SELECT COUNT(*) AS n FROM services').get()).toEqual({ n: 1 });
    // The new tables work and reference the old rows.
    h2.sqlite.prepare(`INSERT INTO ce_requests (account_id, day, requests) VALUES ('111122223333', '2026-11-25', 1)`).run();
    await h2.close();

    // The backup is the pre-migration database: 0001 only, with the data.
    const b = openDatabase({ file: backup, readonly: true });
    expect(b.sqlite.prepare('SELECT name FROM kysely_migration').all()).toEqual([{ name: '0001_initial' }]);
    expect(b.sqlite.prepare('SELECT COUNT(*) AS n FROM services').get()).toEqual({ n: 1 });
    b.sqlite.close();
  });

  it('0002 → 0003 adds resources.monthly_savings as unknown (NULL) for the rows already stored', async () => {
    const file = path.join(dir, 'v2.db');
    const h1 = openDatabase({ file });
    await migrateToLatest(h1, MIGRATIONS.slice(0, 2));
    h1.sqlite.prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`).run();
    h1.sqlite
      .prepare(
        `INSERT INTO resources (account_id, resource_type, region, resource_id, service_code, unused, monthly_cost, first_seen, last_seen)
         VALUES ('111122223333', 'ec2:volume', 'eu-west-1', 'vol-1', 'AmazonEC2Other', 1, 8, 'x', 'x')`,
      )
      .run();
    await h1.close();
    const h2 = await openAndMigrate({ file });
    expect(h2.migration.applied[0]).toBe('0003_item_savings');
    expect(h2.sqlite.prepare('SELECT monthly_cost, monthly_savings FROM resources').get()).toEqual({ monthly_cost: 8, monthly_savings: null });
    await h2.close();
  });

  it('refuses a database written by a newer version and leaves the file byte-for-byte unchanged', async () => {
    const file = path.join(dir, 'newer.db');
    const future: [string, Migration] = ['9999_from_the_future', { up: async () => {} }];
    const h = openDatabase({ file });
    await migrateToLatest(h, [...MIGRATIONS, future]);
    await h.close();
    const before = fs.readFileSync(file);

    await expect(openAndMigrate({ file })).rejects.toMatchObject({
      code: 'db.newer_version',
      message: expect.stringContaining('newer version of Cloud Cleaner'),
    });
    expect(Buffer.compare(fs.readFileSync(file), before)).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.backup-'))).toEqual([]);
  });

  it('refuses a file that is not a database with db.corrupt naming the file, and does not touch it', async () => {
    const file = path.join(dir, 'garbage.db');
    const garbage = Buffer.from('this is not an sqlite database, but it is long enough to have a header'.repeat(20));
    fs.writeFileSync(file, garbage);
    await expect(openAndMigrate({ file })).rejects.toMatchObject({
      code: 'db.corrupt',
      message: expect.stringContaining(file),
    });
    expect(Buffer.compare(fs.readFileSync(file), garbage)).toBe(0);
  });

  it('a failing migration rolls back entirely (no half schema) and reports which one failed', async () => {
    const file = path.join(dir, 'fail.db');
    const broken: [string, Migration] = [
      '0003_broken',
      {
        up: async (db) => {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          throw new Error('boom');
        },
      },
    ];
    const h = openDatabase({ file });
    await expect(migrateToLatest(h, [...MIGRATIONS, broken])).rejects.toMatchObject({
      code: 'db.migration_failed',
      message: expect.stringContaining('0003_broken'),
    });
    const tables = h.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as { name: string }[];
    expect(tables.map((t) => t.name)).not.toContain('half_done');
    await h.close();
  });
});
