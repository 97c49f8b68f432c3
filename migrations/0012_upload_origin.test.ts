/** 0012 on both stores: one store id each, and origins that go with their rows. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../src/main/test-support/dialects';

describeEachDialect('0012 upload origins', (store) => {
  it('gives the store one random id and keeps each origin with its row (removed with it, never two for one row)', async () => {
    const h = await store.open();
    const ids = (await sql<{ id: string }>`SELECT id FROM store_identity`.execute(h.db)).rows;
    expect(ids).toHaveLength(1);
    expect(ids[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    await sql`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES ('111122223333', 'aws', 'x', 'x')`.execute(h.db);
    await sql`INSERT INTO scans (id, account_id, kind, status, started_at) VALUES (7, '111122223333', 'resources', 'succeeded', 'x'), (8, '111122223333', 'resources', 'succeeded', 'y')`.execute(h.db);
    await sql`INSERT INTO scan_origins (origin, scan_id) VALUES ('store/1@x', 7)`.execute(h.db);
    await expect(sql`INSERT INTO scan_origins (origin, scan_id) VALUES ('store/1@x', 8)`.execute(h.db)).rejects.toThrow();
    await expect(sql`INSERT INTO scan_origins (origin, scan_id) VALUES ('store/2@y', 7)`.execute(h.db)).rejects.toThrow();
    await expect(sql`INSERT INTO scan_origins (origin, scan_id) VALUES ('store/3@z', 99)`.execute(h.db)).rejects.toThrow();
    await sql`DELETE FROM scans WHERE id = 7`.execute(h.db);
    expect((await sql`SELECT * FROM scan_origins`.execute(h.db)).rows).toEqual([]);
  });
});
