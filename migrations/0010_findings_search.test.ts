/** 0009 → 0010: the findings search's narrow table, filled from existing rows and kept in step by triggers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../src/main/db/connection';
import { openAndMigrate } from '../src/main/db/database';
import { migrateToLatest } from '../src/main/db/migrator';
import { listFindings } from '../src/main/db/repos/resources';
import { MIGRATIONS } from './index';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-migrate-0010-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const ACCOUNT = '111122223333';

it('fills resource_search from the rows a 0009 database has, then triggers follow every insert, change and delete', async () => {
  const file = path.join(dir, 'v9.db');
  const h1 = openDatabase({ file });
  await migrateToLatest(h1, MIGRATIONS.slice(0, 9));
  h1.sqlite.prepare(`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES (?, 'aws', 'x', 'x')`).run(ACCOUNT);
  const INSERT =
    `INSERT INTO resources (account_id, resource_type, region, resource_id, service_code, unused, unused_reason, tags, first_seen, last_seen)
     VALUES (?, 'ec2:volume', 'eu-west-1', ?, 'AmazonEC2', 1, ?, ?, 'x', 'x')`;
  let add = h1.sqlite.prepare(INSERT);
  add.run(ACCOUNT, 'vol-reason', 'Not attached since the migration', '{}');
  add.run(ACCOUNT, 'vol-tags', null, '{"team":"Blue-Squad"}');
  add.run(ACCOUNT, 'vol-plain', null, '{}');
  await h1.close();

  const h = await openAndMigrate({ file });
  expect(h.migration.applied).toEqual(MIGRATIONS.slice(9).map(([name]) => name));
  const s = h.sqlite;
  const text = (rid: string): string | undefined =>
    s.prepare('SELECT text FROM resource_search WHERE id = (SELECT id FROM resources WHERE resource_id = ?)').pluck().get(rid) as string | undefined;
  // Existing rows: those with a reason or tags, the two apart on their own lines; none for a row with neither.
  expect(text('vol-reason')).toBe('Not attached since the migration\n{}');
  expect(text('vol-tags')).toBe('\n{"team":"Blue-Squad"}');
  expect(text('vol-plain')).toBeUndefined();
  const search = async (q: string) => (await listFindings(h.db, { accountId: ACCOUNT, search: q })).rows.map((r) => r.resourceId).sort();
  expect(await search('since the MIGRATION')).toEqual(['vol-reason']);
  expect(await search('blue-squad')).toEqual(['vol-tags']);
  // Nothing matches across the reason and the tags.
  expect(await search('migration{')).toEqual([]);

  // Insert, change, clear, delete: the table follows.
  add = s.prepare(INSERT);
  add.run(ACCOUNT, 'vol-new', 'Idle for 40 days', '{}');
  expect(await search('40 days')).toEqual(['vol-new']);
  s.prepare(`UPDATE resources SET unused_reason = 'Idle for 41 days' WHERE resource_id = 'vol-new'`).run();
  expect(await search('40 days')).toEqual([]);
  expect(await search('41 days')).toEqual(['vol-new']);
  s.prepare(`UPDATE resources SET tags = '{"env":"green"}' WHERE resource_id = 'vol-plain'`).run();
  expect(await search('green')).toEqual(['vol-plain']);
  s.prepare(`UPDATE resources SET tags = '{}' WHERE resource_id = 'vol-tags'`).run();
  expect(text('vol-tags')).toBeUndefined();
  // A write of other columns (a re-scan's touch) leaves the table alone.
  const before = s.prepare('SELECT COUNT(*) FROM resource_search').pluck().get();
  s.prepare(`UPDATE resources SET last_seen = 'y'`).run();
  expect(s.prepare('SELECT COUNT(*) FROM resource_search').pluck().get()).toBe(before);
  s.prepare(`DELETE FROM resources WHERE resource_id = 'vol-new'`).run();
  expect(await search('41 days')).toEqual([]);
  // The account's removal takes its resources (cascade) and their search rows.
  s.prepare('DELETE FROM accounts WHERE id = ?').run(ACCOUNT);
  expect(s.prepare('SELECT COUNT(*) FROM resource_search').pluck().get()).toBe(0);
  await h.close();
});
