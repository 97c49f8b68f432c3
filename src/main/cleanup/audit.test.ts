import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteVolumeCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db/connection';
import { openAndMigrate, openMemoryDatabase } from '../db/database';
import { upsertAccount } from '../db/repos/accounts';
import { insertDecision, listDeletions, pendingDeletions } from '../db/repos/deletions';
import { createAudited } from './audit';

const ACCOUNT = '111122223333';
const ec2Mock = mockClient(EC2Client);
const awsError = (code: string, message = code) =>
  new EC2ServiceException({ name: code, $fault: 'client', $metadata: { requestId: `req-${code}`, attempts: 1 }, message });

let h: DbHandle;
let ec2: EC2Client;
let clock: number;
beforeEach(async () => {
  h = await openMemoryDatabase();
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
  ec2Mock.reset();
  ec2 = new EC2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  clock = Date.parse('2026-11-20T10:00:00.000Z');
});
afterEach(async () => {
  ec2.destroy();
  await h.close();
});

const audited = () =>
  createAudited({
    sqlite: h.sqlite,
    subject: { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-1' },
    // Each reading moves the clock a second on: requested_at and completed_at differ.
    now: () => new Date((clock += 1000)),
  });
const rows = () => listDeletions(h.db, { accountId: ACCOUNT, limit: 100, offset: 0 });
const deleteVolume = (dryRun: boolean) => () => ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-1', DryRun: dryRun }));

describe('audited', () => {
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
      const disk = await openAndMigrate({ file });
      await upsertAccount(disk.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
      const auditedOnDisk = createAudited({
        sqlite: disk.sqlite,
        subject: { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-1' },
        now: () => new Date(),
      });
      // The process dies while the call is in flight: the connection goes, the UPDATE can never run.
      const dying = async (): Promise<never> => {
        await disk.close();
        throw new Error('killed');
      };
      await expect(auditedOnDisk({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, dying)).rejects.toThrow();
      const reopened = await openAndMigrate({ file });
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

  it('commits every audit write with synchronous = FULL, and only those (the rest of the database stays at NORMAL)', async () => {
    // A temporary trigger reads the setting inside each statement that writes an audit row.
    h.sqlite.exec(`
      CREATE TEMP TABLE sync_seen (op TEXT, value INTEGER);
      CREATE TEMP TRIGGER audit_insert_sync AFTER INSERT ON main.deletions
        BEGIN INSERT INTO sync_seen SELECT 'insert', synchronous FROM pragma_synchronous; END;
      CREATE TEMP TRIGGER audit_update_sync AFTER UPDATE ON main.deletions
        BEGIN INSERT INTO sync_seen SELECT 'update', synchronous FROM pragma_synchronous; END;`);
    const seen = () => h.sqlite.prepare('SELECT op, value FROM sync_seen ORDER BY rowid').all();
    const NORMAL = 1;
    const FULL = 2;
    expect(h.sqlite.pragma('synchronous', { simple: true })).toBe(NORMAL);

    let duringCall: unknown;
    ec2Mock.on(DeleteVolumeCommand).callsFake(async () => {
      // While AWS works, the connection is back at NORMAL: a scan writing meanwhile pays no sync.
      duringCall = h.sqlite.pragma('synchronous', { simple: true });
      return { $metadata: {} };
    });
    await audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, deleteVolume(false));
    insertDecision(
      h.sqlite,
      { accountId: ACCOUNT, planId: 'plan-1', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-2', action: 'Refuse', dryRun: false, outcome: 'refused', message: 'Protected' },
      new Date(clock).toISOString(),
    );
    expect(seen()).toEqual([
      { op: 'insert', value: FULL },
      { op: 'update', value: FULL },
      { op: 'insert', value: FULL },
    ]);
    expect(duringCall).toBe(NORMAL);
    expect(h.sqlite.pragma('synchronous', { simple: true })).toBe(NORMAL);

    // The probe tells the two apart: an audit row written outside the audit functions is committed at NORMAL.
    h.sqlite.prepare(`UPDATE deletions SET details = '{}' WHERE resource_id = 'vol-2'`).run();
    expect(seen().at(-1)).toEqual({ op: 'update', value: NORMAL });
  });

  it('refuses to write inside an open transaction, whose rollback would erase the record', async () => {
    let called = false;
    h.sqlite.exec('BEGIN');
    await expect(
      audited()({ action: 'DeleteVolume', target: 'vol-1', dryRun: false }, async () => {
        called = true;
      }),
    ).rejects.toThrow(/transaction/);
    h.sqlite.exec('ROLLBACK');
    expect(called).toBe(false);
  });
});
