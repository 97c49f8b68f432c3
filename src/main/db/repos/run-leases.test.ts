/** The lease rules on SQLite: two connections to one database file, as the app and a CLI job would have. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, it } from 'vitest';
import type { DbHandle } from '../connection';
import { openAndMigrate } from '../database';
import { upsertAccount } from './accounts';
import { ACCOUNT, expiredLeaseIsTakenOver, holdLeaseRefusesWithTheOwnersName, racingWritersGetOneLease, type TwoWriters } from './run-leases.contract';

let dir: string;
let handles: DbHandle[] = [];
let w: TwoWriters;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-leases-'));
  const file = path.join(dir, 'shared.db');
  const a = await openAndMigrate({ file });
  await upsertAccount(a.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'test' });
  const b = await openAndMigrate({ file });
  handles = [a, b];
  w = { a: a.db, b: b.db };
});
afterEach(async () => {
  await Promise.all(handles.map((h) => h.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

it('two writers racing for a scan lease: exactly one wins each round, the other is told who holds it', () => racingWritersGetOneLease(w));
it('a lease its holder stops renewing expires and is taken over; the old holder cannot renew or free it', () => expiredLeaseIsTakenOver(w));
it('holdLease refuses a second holder with the owner\'s host and user, and releases even when the work throws', () => holdLeaseRefusesWithTheOwnersName(w));
