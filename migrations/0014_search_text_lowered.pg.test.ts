/**
 * 0014 on PostgreSQL: the search table's text is lowered (ASCII letters only) — what was there when the migration ran,
 * and what the triggers write after it. A real server on 127.0.0.1. (SQLite keeps 0010's text: nothing to test there.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS } from './index';
import { migratePostgres } from '../src/main/db/migrator';
import { openPostgres } from '../src/main/db/postgres';
import { freshDatabase, startPostgres, type PostgresServer } from '../src/main/test-support/postgres-server';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

it('lowers the text already there and the text the triggers write, ASCII letters only', async () => {
  const h = await openPostgres({ url: await freshDatabase(server.url) });
  try {
    const at = MIGRATIONS.findIndex(([name]) => name === '0014_search_text_lowered');
    expect(at).toBeGreaterThan(0);
    await migratePostgres(h, { list: MIGRATIONS.slice(0, at) });
    await sql`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`.execute(h.db);
    const add = (rid: string, reason: string | null, tags: string) =>
      sql`INSERT INTO resources (account_id, resource_type, region, resource_id, service_code, unused, unused_reason, tags, first_seen, last_seen)
          VALUES ('111122223333', 'ec2:volume', 'eu-west-1', ${rid}, 'AmazonEC2', 1, ${reason}, ${tags}, 'x', 'x')`.execute(h.db);
    const text = async (rid: string) =>
      (await sql<{ text: string }>`SELECT s.text FROM resource_search s JOIN resources r ON r.id = s.id WHERE r.resource_id = ${rid}`.execute(h.db)).rows[0]?.text;
    await add('vol-before', 'Idle SINCE Été', '{"Team":"ÉQUIPE Blue"}');
    expect(await text('vol-before')).toBe('Idle SINCE Été\n{"Team":"ÉQUIPE Blue"}'); // 0010's text, as written

    await migratePostgres(h, { confirmOlder: true });
    expect(await text('vol-before')).toBe('idle since Été\n{"team":"Équipe blue"}'); // É is not ASCII: it stays
    await add('vol-after', 'Stopped FOR 40 Days', '{}');
    expect(await text('vol-after')).toBe('stopped for 40 days\n{}');
    await sql`UPDATE resources SET tags = '{"Owner":"ZOË"}' WHERE resource_id = 'vol-after'`.execute(h.db);
    expect(await text('vol-after')).toBe('stopped for 40 days\n{"owner":"zoË"}');
    await sql`UPDATE resources SET unused_reason = NULL, tags = '{}' WHERE resource_id = 'vol-after'`.execute(h.db);
    expect(await text('vol-after')).toBeUndefined();
  } finally {
    await h.close();
  }
}, 60_000);
