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

  it('writes byte for byte the SQL of the frozen migrations (the normalised snapshot above ignores whitespace)', async () => {
    // migrations/dialect.ts lets the migrations also speak PostgreSQL: this proves the SQLite text did not move by one
    // byte (recorded before the migrations were refactored). Never update it to make a refactoring pass.
    const file = path.join(dir, 'exact.db');
    const h = await openAndMigrate({ file });
    const rows = h.sqlite
      .prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
      .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
    await h.close();
    const text = rows.map((r) => `-- ${r.type} ${r.name} on ${r.tbl_name}\n${r.sql ?? ''}\n`).join('\n');
    await expect(text).toMatchFileSnapshot('./__snapshots__/schema.exact.sql.txt');
  });

  it('writes byte for byte the SQL of the frozen migrations at every version, tables later rebuilt included', async () => {
    // An old file keeps what each migration wrote then (0001's `deletions` until 0004 rebuilds it): recorded after the
    // dialect refactoring and compared with the output of the migrations before it (identical, 81,601 bytes).
    const parts: string[] = [];
    for (let k = 1; k <= MIGRATIONS.length; k++) {
      const h = openDatabase({ file: ':memory:' });
      await migrateToLatest(h, MIGRATIONS.slice(0, k));
      const rows = h.sqlite.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all() as {
        type: string;
        name: string;
        tbl_name: string;
        sql: string | null;
      }[];
      await h.close();
      parts.push(`== after ${MIGRATIONS[k - 1]![0]}\n${rows.map((r) => `-- ${r.type} ${r.name} on ${r.tbl_name}\n${r.sql ?? ''}\n`).join('\n')}`);
    }
    await expect(parts.join('\n')).toMatchFileSnapshot('./__snapshots__/schema.by-version.sql.txt');
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

  it('0003 → 0004 keeps every audit row (ids and indices too), adds run owners, and refuses to delete an account that has audit rows', async () => {
    const file = path.join(dir, 'v3.db');
    const h1 = openDatabase({ file });
    await migrateToLatest(h1, MIGRATIONS.slice(0, 3));
    const s1 = h1.sqlite;
    s1.prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x'), ('444455556666', 'aws', 'x', 'x')`).run();
    s1.prepare(
      `INSERT INTO resources (id, account_id, resource_type, region, resource_id, service_code, unused, first_seen, last_seen)
       VALUES (7, '111122223333', 'ec2:volume', 'eu-west-1', 'vol-1', 'AmazonEC2Other', 1, 'x', 'x')`,
    ).run();
    s1.prepare(`INSERT INTO scans (id, account_id, kind, status, started_at) VALUES (3, '111122223333', 'resources', 'running', 'x')`).run();
    s1.prepare(`INSERT INTO cleanup_plans (id, account_id, created_at, status, items) VALUES ('p1', '111122223333', 'x', 'running', '{}')`).run();
    const insert = s1.prepare(
      `INSERT INTO deletions (id, account_id, plan_id, resource_pk, resource_type, region, resource_id, action, target, dry_run,
         dry_run_result, outcome, error_code, error_message, requested_at, completed_at, details)
       VALUES (?, '111122223333', 'p1', ?, 'ec2:volume', 'eu-west-1', 'vol-1', ?, 'vol-1', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run(5, 7, 'DeleteVolume', 1, 'DryRunOperation', 'dry-run-ok', null, null, '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', '{"requestId":"r1"}');
    insert.run(9, 7, 'DeleteVolume', 0, null, 'pending', null, null, '2026-01-01T00:00:02Z', null, '{}');
    insert.run(12, null, 'Refuse', 0, null, 'refused', 'Protected', 'Tagged keep', '2026-01-01T00:00:03Z', '2026-01-01T00:00:03Z', '{}');
    const before = s1.prepare('SELECT * FROM deletions ORDER BY id').all();
    await h1.close();

    const h2 = await openAndMigrate({ file });
    expect(h2.migration.applied).toEqual(MIGRATIONS.slice(3).map(([name]) => name));
    const s2 = h2.sqlite;
    expect(s2.prepare('SELECT * FROM deletions ORDER BY id').all()).toEqual(before);
    expect(s2.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deletions' ORDER BY name`).all()).toEqual([
      { name: 'deletions_account' },
      { name: 'deletions_account_plan' }, // added by 0007
      { name: 'deletions_plan' },
      { name: 'deletions_resource' },
    ]);
    expect(s2.pragma('foreign_key_check')).toEqual([]);
    // Runs from before 0004 have no owner: recovery treats them as orphaned.
    expect(s2.prepare('SELECT owner_pid, owner_start FROM scans').get()).toEqual({ owner_pid: null, owner_start: null });
    expect(s2.prepare('SELECT owner_pid, owner_start FROM cleanup_plans').get()).toEqual({ owner_pid: null, owner_start: null });

    // The audit log outlives nothing: deleting its account is refused (it used to cascade), and nothing changes.
    expect(() => s2.prepare(`DELETE FROM accounts WHERE id = '111122223333'`).run()).toThrow(/FOREIGN KEY constraint failed/);
    expect(s2.prepare('SELECT COUNT(*) AS n FROM deletions').get()).toEqual({ n: 3 });
    expect(s2.prepare(`SELECT COUNT(*) AS n FROM resources`).get()).toEqual({ n: 1 });
    // An account without audit rows can still go.
    s2.prepare(`DELETE FROM accounts WHERE id = '444455556666'`).run();
    // The rebuilt table still follows its other key: a resource deleted leaves its audit rows, unlinked.
    s2.prepare('DELETE FROM resources WHERE id = 7').run();
    expect(s2.prepare('SELECT COUNT(*) AS n FROM deletions WHERE resource_pk IS NULL').get()).toEqual({ n: 3 });
    await h2.close();
  });

  it('0004 → 0005 meters existing scans at 0 and caches series per account (removed with it)', async () => {
    const file = path.join(dir, 'v4.db');
    const h1 = openDatabase({ file });
    await migrateToLatest(h1, MIGRATIONS.slice(0, 4));
    h1.sqlite.prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`).run();
    h1.sqlite.prepare(`INSERT INTO scans (id, account_id, kind, status, started_at, requests) VALUES (3, '111122223333', 'resources', 'succeeded', 'x', 4)`).run();
    await h1.close();
    const h2 = await openAndMigrate({ file });
    expect(h2.migration.applied).toEqual(MIGRATIONS.slice(4).map(([name]) => name));
    const s2 = h2.sqlite;
    expect(s2.prepare('SELECT requests, metrics_requested, metric_calls, metrics_cached, list_metrics_calls FROM scans').get()).toEqual({
      requests: 4,
      metrics_requested: 0,
      metric_calls: 0,
      metrics_cached: 0,
      list_metrics_calls: 0,
    });
    s2.prepare(
      `INSERT INTO metric_series (account_id, region, query_key, start_time, end_time, points, fetched_at) VALUES ('111122223333', 'eu-west-1', 'k', 's', 'e', '[]', 'x')`,
    ).run();
    expect(() =>
      s2.prepare(`INSERT INTO metric_series (account_id, region, query_key, start_time, end_time, points, fetched_at) VALUES ('111122223333', 'eu-west-1', 'k', 's', 'e', '[]', 'y')`).run(),
    ).toThrow(/UNIQUE/);
    await h2.close();
  });

  it('0005 → 0006 fills each finding\'s reason category from its reason; rows without a reason stay null', async () => {
    const file = path.join(dir, 'v5.db');
    const h1 = openDatabase({ file });
    await migrateToLatest(h1, MIGRATIONS.slice(0, 5));
    h1.sqlite.prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`).run();
    const insert = h1.sqlite.prepare(
      `INSERT INTO resources (account_id, resource_type, region, resource_id, service_code, unused, unused_reason, first_seen, last_seen) VALUES ('111122223333', 'ec2:instance', 'eu-west-1', ?, 'AmazonEC2', ?, ?, 'x', 'x')`,
    );
    insert.run('i-1', 1, 'Stopped by the user 45 days ago');
    insert.run('i-2', 1, 'Stopped by the user 120 days ago');
    insert.run('i-3', 0, null);
    await h1.close();
    const h2 = await openAndMigrate({ file });
    expect(h2.migration.applied).toEqual(MIGRATIONS.slice(5).map(([name]) => name));
    expect(h2.sqlite.prepare('SELECT resource_id, reason_category FROM resources ORDER BY resource_id').all()).toEqual([
      { resource_id: 'i-1', reason_category: 'Stopped by the user N days ago' },
      { resource_id: 'i-2', reason_category: 'Stopped by the user N days ago' },
      { resource_id: 'i-3', reason_category: null },
    ]);
    await h2.close();
  });

  it('0007 → 0008 adds snoozes: one per finding identity or tag, a reason required, the scope\'s columns only, gone with the account', async () => {
    const file = path.join(dir, 'v7.db');
    const h1 = openDatabase({ file });
    await migrateToLatest(h1, MIGRATIONS.slice(0, 7));
    h1.sqlite.prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`).run();
    await h1.close();
    const h2 = await openAndMigrate({ file });
    expect(h2.migration.applied).toEqual(MIGRATIONS.slice(7).map(([name]) => name));
    const s = h2.sqlite;
    const finding = s.prepare(
      `INSERT INTO snoozes (account_id, scope, resource_type, region, resource_id, until, reason, created_at) VALUES ('111122223333', 'finding', 'ec2:volume', 'eu-west-1', ?, ?, ?, 'x')`,
    );
    const tag = s.prepare(`INSERT INTO snoozes (account_id, scope, tag_key, tag_value, reason, created_at) VALUES ('111122223333', 'tag', ?, ?, ?, 'x')`);
    finding.run('vol-1', null, 'kept for the audit');
    tag.run('env', 'dev', 'dev is cleaned by its team');
    expect(() => finding.run('vol-1', '2030-01-01T00:00:00.000Z', 'again')).toThrow(/UNIQUE/);
    expect(() => tag.run('env', 'dev', 'again')).toThrow(/UNIQUE/);
    expect(() => finding.run('vol-2', null, '   ')).toThrow(/CHECK/);
    expect(() => finding.run('vol-3', null, 'x'.repeat(501))).toThrow(/CHECK/);
    // A tag snooze names no finding, and a finding snooze no tag.
    expect(() =>
      s.prepare(`INSERT INTO snoozes (account_id, scope, resource_type, region, resource_id, tag_key, tag_value, reason, created_at) VALUES ('111122223333', 'tag', 'ec2:volume', 'eu-west-1', 'vol-4', 'env', 'prod', 'r', 'x')`).run(),
    ).toThrow(/CHECK/);
    expect(() => s.prepare(`INSERT INTO snoozes (account_id, scope, reason, created_at) VALUES ('111122223333', 'finding', 'r', 'x')`).run()).toThrow(/CHECK/);
    expect(s.prepare('SELECT COUNT(*) AS n FROM snoozes').get()).toEqual({ n: 2 });
    s.prepare(`DELETE FROM accounts WHERE id = '111122223333'`).run();
    expect(s.prepare('SELECT COUNT(*) AS n FROM snoozes').get()).toEqual({ n: 0 });
    await h2.close();
  });

  it('0008 → 0009 adds the accounts a home account reaches: one row per account, never itself, gone with the home account', async () => {
    const file = path.join(dir, 'v8.db');
    const h1 = openDatabase({ file });
    await migrateToLatest(h1, MIGRATIONS.slice(0, 8));
    h1.sqlite.prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`).run();
    await h1.close();
    const h2 = await openAndMigrate({ file });
    expect(h2.migration.applied).toEqual(MIGRATIONS.slice(8).map(([name]) => name));
    const s = h2.sqlite;
    s.prepare(`INSERT INTO org_homes (home_account_id, default_role_name) VALUES ('111122223333', 'OrganizationAccountAccessRole')`).run();
    const add = s.prepare(`INSERT INTO org_accounts (home_account_id, account_id, source, created_at) VALUES ('111122223333', ?, ?, 'x')`);
    add.run('222233334444', 'organization');
    add.run('333344445555', 'manual');
    expect(() => add.run('222233334444', 'manual')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => add.run('111122223333', 'manual')).toThrow(/CHECK/);
    expect(() => add.run('12345', 'manual')).toThrow(/CHECK/);
    expect(() => add.run('12345678901a', 'manual')).toThrow(/CHECK/);
    expect(() => add.run('444455556666', 'guessed')).toThrow(/CHECK/);
    expect(s.prepare('SELECT COUNT(*) AS n FROM org_accounts').get()).toEqual({ n: 2 });
    s.prepare(`DELETE FROM accounts WHERE id = '111122223333'`).run();
    expect(s.prepare('SELECT (SELECT COUNT(*) FROM org_accounts) + (SELECT COUNT(*) FROM org_homes) AS n').get()).toEqual({ n: 0 });
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
