/**
 * 0010 on PostgreSQL: the search table's triggers (plpgsql functions there, inline on SQLite) follow every insert,
 * change and delete of a resource, as on SQLite (0010_findings_search.test.ts). And 0014, which has that table's text
 * kept lowered there. A real server on 127.0.0.1.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS } from './index';
import { migratePostgres } from '../src/main/db/migrator';
import { openPostgres, type PostgresHandle } from '../src/main/db/postgres';
import { freshDatabase, startPostgres, type PostgresServer } from '../src/main/test-support/postgres-server';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

/** A resource of the test account, written by hand (the triggers do the rest), and its search text. */
function searchRows(h: PostgresHandle) {
  return {
    add: (rid: string, reason: string | null, tags: string) =>
      sql`INSERT INTO resources (account_id, resource_type, region, resource_id, service_code, unused, unused_reason, tags, first_seen, last_seen)
          VALUES ('111122223333', 'ec2:volume', 'eu-west-1', ${rid}, 'AmazonEC2', 1, ${reason}, ${tags}, 'x', 'x')`.execute(h.db),
    text: async (rid: string) =>
      (await sql<{ text: string }>`SELECT s.text FROM resource_search s JOIN resources r ON r.id = s.id WHERE r.resource_id = ${rid}`.execute(h.db)).rows[0]?.text,
  };
}

it('keeps resource_search in step with resources through the triggers', async () => {
  const h = await openPostgres({ url: await freshDatabase(server.url) });
  try {
    await migratePostgres(h);
    await sql`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`.execute(h.db);
    const { add, text } = searchRows(h);
    await add('vol-reason', 'Idle for 40 days', '{}');
    await add('vol-tags', null, '{"team":"blue"}');
    await add('vol-plain', null, '{}');
    // Lowered: the latest schema has 0014 (its own test shows the text before and after it).
    expect(await text('vol-reason')).toBe('idle for 40 days\n{}');
    expect(await text('vol-tags')).toBe('\n{"team":"blue"}');
    expect(await text('vol-plain')).toBeUndefined();
    await sql`UPDATE resources SET unused_reason = 'Idle for 41 days' WHERE resource_id = 'vol-reason'`.execute(h.db);
    expect(await text('vol-reason')).toBe('idle for 41 days\n{}');
    await sql`UPDATE resources SET tags = '{}' WHERE resource_id = 'vol-tags'`.execute(h.db);
    expect(await text('vol-tags')).toBeUndefined();
    await sql`UPDATE resources SET last_seen = 'y'`.execute(h.db);
    await sql`DELETE FROM accounts WHERE id = '111122223333'`.execute(h.db);
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM resource_search`.execute(h.db);
    expect(rows[0]!.n).toBe(0);
  } finally {
    await h.close();
  }
}, 60_000);

// On a server created with a language locale too: lower() there would fold É to é; the triggers' COLLATE "C" keeps it.
for (const icuLocale of [undefined, 'en-US']) {
  it(`0014 lowers the text already there and the text the triggers write, ASCII letters only (${icuLocale ?? 'C'} database)`, async () => {
    const h = await openPostgres({ url: await freshDatabase(server.url, icuLocale ? { icuLocale } : {}) });
    try {
      if (icuLocale) {
        const { rows } = await sql<{ l: string }>`SELECT lower('ÉQUIPE') AS l`.execute(h.db);
        expect(rows[0]!.l).toBe('équipe'); // the database's own collation folds É
      }
      const at = MIGRATIONS.findIndex(([name]) => name === '0014_search_text_lowered');
      expect(at).toBeGreaterThan(0);
      await migratePostgres(h, { list: MIGRATIONS.slice(0, at) });
      await sql`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`.execute(h.db);
      const { add, text } = searchRows(h);
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
}
