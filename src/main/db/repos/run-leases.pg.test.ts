/** The lease rules on a real PostgreSQL server (127.0.0.1): two pools to one database, as two machines would have. */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, it } from 'vitest';
import { freshDatabase, startPostgres, type PostgresServer } from '../../test-support/postgres-server';
import { migratePostgres } from '../migrator';
import { openPostgres, type PostgresHandle } from '../postgres';
import { ACCOUNT, expiredLeaseIsTakenOver, holdLeaseRefusesWithTheOwnersName, racingWritersGetOneLease, type TwoWriters } from '../../test-support/run-leases-contract';

let server: PostgresServer;
let handles: PostgresHandle[] = [];
let w: TwoWriters;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  const url = await freshDatabase(server.url);
  const a = await openPostgres({ url });
  await migratePostgres(a);
  await sql`INSERT INTO accounts (id, partition, first_seen, last_seen) VALUES (${ACCOUNT}, 'aws', 'x', 'x')`.execute(a.db);
  const b = await openPostgres({ url });
  handles = [a, b];
  w = { a: a.db, b: b.db };
});
afterEach(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

it('two writers racing for a scan lease: exactly one wins each round, the other is told who holds it', () => racingWritersGetOneLease(w));
it('a lease its holder stops renewing expires and is taken over; the old holder cannot renew or free it', () => expiredLeaseIsTakenOver(w));
it('holdLease refuses a second holder with the owner\'s host and user, and releases even when the work throws', () => holdLeaseRefusesWithTheOwnersName(w));
