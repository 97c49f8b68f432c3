import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteVolumeCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openAndMigrate } from '../db/database';
import { openPostgres } from '../db/postgres';
import { upsertAccount } from '../db/repos/accounts';
import { auditDecision, listDeletions, pendingDeletions } from '../db/repos/deletions';
import { isSqlite, type AppDb } from '../db/store';
import { describeEachDialect } from '../test-support/dialects';
import { createAudited } from './audit';

const ACCOUNT = '111122223333';
const ec2Mock = mockClient(EC2Client);
const awsError = (code: string, message = code) =>
  new EC2ServiceException({ name: code, $fault: 'client', $metadata: { requestId: `req-${code}`, attempts: 1 }, message });

describeEachDialect('audited', (store) => {
  let h: AppDb;
  let ec2: EC2Client;
  let clock: number;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
    ec2Mock.reset();
    ec2 = new EC2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
    clock = Date.parse('2026-11-20T10:00:00.000Z');
  });
  afterEach(() => {
    ec2.destroy();
  });

  const audited = () =>
    createAudited({
      db: h,
      subject: { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-1' },
      // Each reading moves the clock a second on: requested_at and completed_at differ.
      now: () => new Date((clock += 1000)),
    });
  const rows = () => listDeletions(h.db, { accountId: ACCOUNT, limit: 100, offset: 0 });
  const deleteVolume = (dryRun: boolean) => () => ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-1', DryRun: dryRun }));

  it('writes the pending row before the call and completes it after', async () => {
    ec2Mock.on(DeleteVolumeCommand).callsFake(async () => {
      // What a crash at this moment would leave behind.
      const seen = await pendingDeletions(h.db);
      expect(seen).toEqual([expect.objectContaining({ action: 'DeleteVolume', target: 'vol-1', outcome: 'pending', completedAt: null })]);
      return { $metadata: { requestId: 'req-ok', attempts: 3 } };
    });
    await audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, deleteVolume(false));
    const [row] = await rows();
    expect(row).toMatchObject({
      planId: 'plan-1',
      resourceType: 'ec2:volume',
      region: 'us-east-1',
      resourceId: 'vol-1',
      action: 'DeleteVolume',
      dryRun: false,
      outcome: 'succeeded',
      dryRunResult: null,
      errorCode: null,
      requestedAt: '2026-11-20T10:00:01.000Z',
      completedAt: '2026-11-20T10:00:02.000Z',
    });
    expect(row?.details).toMatchObject({ attempts: 3 });
    expect(await pendingDeletions(h.db)).toEqual([]);
  });

  it('records a dry run answered DryRunOperation as dry-run-ok, and rethrows the answer', async () => {
    const answer = awsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
    ec2Mock.on(DeleteVolumeCommand).rejects(answer);
    await expect(audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: true }, deleteVolume(true))).rejects.toBe(answer);
    expect((await rows())[0]).toMatchObject({ dryRun: true, outcome: 'dry-run-ok', dryRunResult: 'DryRunOperation', errorCode: null, details: { requestId: 'req-DryRunOperation' } });
  });

  it.each([
    ['UnauthorizedOperation', true, 'unauthorized'],
    ['UnauthorizedOperation', false, 'unauthorized'],
    ['VolumeInUse', false, 'failed'],
    ['DryRunOperation', false, 'failed'], // not a dry run: the code means nothing good
  ] as const)('records %s (dry run %s) as %s with the code and message', async (code, dryRun, outcome) => {
    ec2Mock.on(DeleteVolumeCommand).rejects(awsError(code, `message of ${code}`));
    await expect(audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun }, deleteVolume(dryRun))).rejects.toMatchObject({ name: code });
    expect((await rows())[0]).toMatchObject({
      outcome,
      errorCode: code,
      errorMessage: `message of ${code}`,
      dryRunResult: dryRun ? code : null,
      completedAt: expect.any(String),
    });
  });

  it('never calls a dry run that returned normally dry-run-ok: the endpoint made the change', async () => {
    ec2Mock.on(DeleteVolumeCommand).resolves({});
    await audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: true }, deleteVolume(true));
    expect((await rows())[0]).toMatchObject({ dryRun: true, outcome: 'succeeded', dryRunResult: 'DryRunIgnored' });
  });

  it('records the snapshot a CreateSnapshot made', async () => {
    await audited()({ action: 'CreateSnapshot', target: 'vol-1', dryRun: false }, async () => ({ SnapshotId: 'snap-9', $metadata: {} }));
    expect((await rows())[0]?.details).toEqual({ snapshotId: 'snap-9' });
  });

  it.each([
    ['CreateImage', { ImageId: 'ami-0abc' }, { imageId: 'ami-0abc' }],
    ['CreateDBSnapshot', { DBSnapshot: { DBSnapshotIdentifier: 'cloud-cleaner-final-db-1-plan1234', Status: 'creating' } }, { dbSnapshotIdentifier: 'cloud-cleaner-final-db-1-plan1234' }],
    ['CreateDBClusterSnapshot', { DBClusterSnapshot: { DBClusterSnapshotIdentifier: 'cloud-cleaner-final-aurora-1-plan1234' } }, { dbClusterSnapshotIdentifier: 'cloud-cleaner-final-aurora-1-plan1234' }],
    ['CreateClusterSnapshot', { Snapshot: { SnapshotIdentifier: 'cloud-cleaner-final-dwh-plan1234', Status: 'creating' } }, { snapshotIdentifier: 'cloud-cleaner-final-dwh-plan1234' }],
    ['CreateSnapshot', { Snapshot: { SnapshotName: 'cloud-cleaner-final-cache-plan1234', SnapshotStatus: 'creating' } }, { snapshotName: 'cloud-cleaner-final-cache-plan1234' }],
  ] as const)('records the id a %s answer names (where the recovery point went)', async (action, answer, recorded) => {
    await audited()({ action, target: 'r-1', dryRun: false }, async () => ({ ...answer, $metadata: {} }));
    expect((await rows())[0]?.details).toEqual(recorded);
  });

  it.each([
    ['an answer that is not an object', 'exists'],
    ['an empty id', { ImageId: '' }],
    ['an id that is not a string', { DBSnapshot: { DBSnapshotIdentifier: 42 } }],
    ['a nested object missing', { Snapshot: null }],
  ] as const)('records no created id for %s', async (_what, answer) => {
    await audited()({ action: 'CreateSnapshot', target: 'r-1', dryRun: false }, async () => answer);
    expect((await rows())[0]?.details).toEqual({});
  });

  it('records when a scheduled deletion happens (DeleteSecret, ScheduleKeyDeletion): restorable until then', async () => {
    const when = new Date('2027-01-05T10:00:00.000Z');
    await audited()({ action: 'ScheduleKeyDeletion', target: 'key-1', dryRun: false }, async () => ({ KeyId: 'key-1', DeletionDate: when, $metadata: {} }));
    expect((await rows())[0]?.details).toEqual({ deletionDate: '2027-01-05T10:00:00.000Z' });
  });

  it('leaves the row pending, on disk, when the run dies after the INSERT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-cleaner-audit-'));
    try {
      const file = join(dir, 'app.sqlite');
      // The same store, opened again after the "crash": the file on SQLite, the database on PostgreSQL.
      const url = store.dialect === 'postgres' ? await store.url() : '';
      const reopen = (): Promise<AppDb> => (store.dialect === 'sqlite' ? openAndMigrate({ file }) : openPostgres({ url }));
      const disk = await reopen();
      await upsertAccount(disk.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
      const auditedOnDisk = createAudited({
        db: disk,
        subject: { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-1' },
        now: () => new Date(),
      });
      // The process dies while the call is in flight: the connection goes, the UPDATE can never run.
      const dying = async (): Promise<never> => {
        await disk.close();
        throw new Error('killed');
      };
      await expect(auditedOnDisk({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, dying)).rejects.toThrow();
      const reopened = await reopen();
      try {
        expect(await pendingDeletions(reopened.db)).toEqual([
          expect.objectContaining({ action: 'DeleteVolume', target: 'vol-1', outcome: 'pending', completedAt: null }),
        ]);
      } finally {
        await reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  store.only('sqlite')('commits every audit write with synchronous = FULL, and only those (the rest of the database stays at NORMAL)', async () => {
    if (!isSqlite(h)) return;
    const { sqlite } = h;
    // A temporary trigger reads the setting inside each statement that writes an audit row.
    sqlite.exec(`
      CREATE TEMP TABLE sync_seen (op TEXT, value INTEGER);
      CREATE TEMP TRIGGER audit_insert_sync AFTER INSERT ON main.deletions
        BEGIN INSERT INTO sync_seen SELECT 'insert', synchronous FROM pragma_synchronous; END;
      CREATE TEMP TRIGGER audit_update_sync AFTER UPDATE ON main.deletions
        BEGIN INSERT INTO sync_seen SELECT 'update', synchronous FROM pragma_synchronous; END;`);
    const seen = () => sqlite.prepare('SELECT op, value FROM sync_seen ORDER BY rowid').all();
    const NORMAL = 1;
    const FULL = 2;
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(NORMAL);

    let duringCall: unknown;
    ec2Mock.on(DeleteVolumeCommand).callsFake(async () => {
      // While AWS works, the connection is back at NORMAL: a scan writing meanwhile pays no sync.
      duringCall = sqlite.pragma('synchronous', { simple: true });
      return { $metadata: {} };
    });
    await audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, deleteVolume(false));
    await auditDecision(
      h,
      { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-2', action: 'Refuse', dryRun: false, outcome: 'refused', message: 'Protected' },
      new Date(clock).toISOString(),
    );
    expect(seen()).toEqual([
      { op: 'insert', value: FULL },
      { op: 'update', value: FULL },
      { op: 'insert', value: FULL },
    ]);
    expect(duringCall).toBe(NORMAL);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(NORMAL);

    // The probe tells the two apart: an audit row written outside the audit functions is committed at NORMAL.
    sqlite.prepare(`UPDATE deletions SET details = '{}' WHERE resource_id = 'vol-2'`).run();
    expect(seen().at(-1)).toEqual({ op: 'update', value: NORMAL });
  });

  store.only('postgres')('commits every audit write on its own, with synchronous_commit = on (a commit is on disk when it returns)', async () => {
    // A temporary trigger reads, inside each statement that writes an audit row, its transaction and the setting.
    await sql`CREATE TABLE sync_seen (n SERIAL, op TEXT, value TEXT, xid BIGINT)`.execute(h.db);
    await sql`CREATE FUNCTION audit_sync_seen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sync_seen (op, value, xid) VALUES (lower(TG_OP), current_setting('synchronous_commit'), txid_current());
        RETURN NULL;
      END $$`.execute(h.db);
    await sql`CREATE TRIGGER audit_sync_seen AFTER INSERT OR UPDATE ON deletions FOR EACH ROW EXECUTE FUNCTION audit_sync_seen()`.execute(h.db);
    const seen = async () => (await sql<{ op: string; value: string; xid: number }>`SELECT op, value, xid FROM sync_seen ORDER BY n`.execute(h.db)).rows;

    let duringCall: unknown;
    ec2Mock.on(DeleteVolumeCommand).callsFake(async () => {
      // While AWS works, the pending row is committed: its transaction is over (no transaction is held open).
      duringCall = (await sql<{ n: number }>`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`.execute(h.db)).rows[0]?.n;
      return { $metadata: {} };
    });
    await audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, deleteVolume(false));
    await auditDecision(
      h,
      { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-2', action: 'Refuse', dryRun: false, outcome: 'refused', message: 'Protected' },
      new Date(clock).toISOString(),
    );
    const rows = await seen();
    expect(rows.map((r) => [r.op, r.value])).toEqual([
      ['insert', 'on'],
      ['update', 'on'],
      ['insert', 'on'],
    ]);
    expect(new Set(rows.map((r) => r.xid)).size).toBe(3);
    expect(duringCall).toBe(0);

    // The probe tells the two apart: the test server runs with synchronous_commit = off (test-support/postgres-server.ts),
    // and an audit row written outside the audit functions is committed that way.
    await h.db.updateTable('deletions').set({ details: '{}' }).where('resource_id', '=', 'vol-2').execute();
    expect((await seen()).map((r) => [r.op, r.value]).at(-1)).toEqual(['update', 'off']);
  });

  it('refuses to write inside an open transaction, whose rollback would erase the record', async () => {
    let called = false;
    const call = async () => {
      called = true;
    };
    if (isSqlite(h)) {
      h.sqlite.exec('BEGIN');
      await expect(audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, call)).rejects.toThrow(/transaction/);
      h.sqlite.exec('ROLLBACK');
    }
    // A kysely transaction's handle, on either store.
    const subject = { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-1' };
    await expect(
      h.db.transaction().execute((tx) => createAudited({ db: { ...h, db: tx }, subject, now: () => new Date() })({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, call)),
    ).rejects.toThrow(/transaction/);
    expect(called).toBe(false);
    expect(await rows()).toEqual([]);
  });
});
