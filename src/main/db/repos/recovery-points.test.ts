import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import { isAllowedExternalUrl } from '../../window/security';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { insertPlan } from './cleanup-plans';
import type { PlanItemDto, PlanRelatedDto } from './cleanup-plans';
import { auditComplete, auditDecision, auditPending } from './deletions';
import type { DeletionCompletion } from './deletions';
import { listRecoveryPoints, RECOVERY_KIND_DEFS } from './recovery-points';

const A = '111122223333';
const B = '444455556666';
const NOW = new Date('2026-12-10T12:00:00.000Z');

const kept = (resourceId: string, monthlyCost: number | null, costBasis = `basis of ${resourceId}`): PlanRelatedDto => ({
  resourceType: 'x:snapshot',
  resourceId,
  fate: 'kept',
  note: '',
  monthlyCost,
  costBasis,
  tags: {},
  protected: false,
  protectedReason: null,
  addable: false,
  created: true,
});

const item = (findingId: number, resourceType: string, resourceId: string, related: PlanRelatedDto[], name: string | null = null, region = 'us-east-1'): PlanItemDto => ({
  findingId,
  resourceType,
  region,
  resourceId,
  name,
  monthlyCost: 10,
  costBasis: '',
  ownMonthlyCost: 10,
  savings: 10,
  savingsBasis: '',
  unusedReason: null,
  deleteOrder: 40,
  action: 'delete',
  actionLabel: 'Delete',
  actionRemoves: true,
  related,
  reviewed: { state: null, tags: {}, createdAt: null, unused: true, unusedReason: null, unusedSince: null, protected: false, protectedReason: null, details: {} },
});

describeEachDialect('recovery points', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    for (const id of [A, B]) await upsertAccount(h.db, { id, alias: null, partition: 'aws', arn: null, profile: null });
  });

  const plan = (id: string, items: PlanItemDto[], accountId = A) =>
    insertPlan(h.db, { id, accountId, createdAt: '2026-12-01T00:00:00.000Z', items, refused: [], monthlySavings: 0, options: { snapshotVolumes: true } });

  const done = (details: Record<string, unknown> = {}): DeletionCompletion => ({ outcome: 'succeeded', details });

  /** One audited call as the pipeline writes it: pending first, then completed. */
  async function call(planId: string, it: PlanItemDto, action: string, at: string, c: DeletionCompletion, o: { target?: string; dryRun?: boolean; accountId?: string } = {}): Promise<void> {
    const id = await auditPending(
      h,
      { accountId: o.accountId ?? A, planId, resourcePk: null, resourceType: it.resourceType, region: it.region, resourceId: it.resourceId, action, target: o.target ?? it.resourceId, dryRun: o.dryRun ?? false },
      at,
    );
    await auditComplete(h, id, c, at);
  }

  const list = (o: { limit?: number; offset?: number; accountId?: string } = {}) => listRecoveryPoints(h.db, { accountId: o.accountId ?? A, now: NOW, ...o });

  const VOL = item(1, 'ec2:volume', 'vol-1', [kept('safety snapshot of vol-1', 0.8, 'EBS snapshot storage $0.05/GB-month × 16 GiB (upper bound)')], 'data-disk');
  const DB = item(2, 'rds:db-instance', 'orders-db', [kept('final snapshot of orders-db', 2.38)]);
  const AURORA = item(3, 'rds:db-cluster', 'aurora-1', [kept('final snapshot of aurora-1', 4.2)]);
  const DWH = item(4, 'redshift:cluster', 'dwh', [kept('final snapshot of dwh', null, 'Cost unknown: its size is not known before it is taken')]);
  const CACHE = item(5, 'elasticache:cluster', 'sessions', [kept('final snapshot of sessions', 0.34)]);
  const INSTANCE = item(6, 'ec2:instance', 'i-1', [kept('image of i-1', 1.5), kept('snapshots of the image of i-1', 0.5)]);
  const SECRET = item(7, 'secretsmanager:secret', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:old-AbC123', []);
  const KEY = item(8, 'kms:key', '1a2b3c4d-0000-4000-8000-00000000d001', []);

  it('lists each kind of point with its id, what it protects, its cost, retention and restore page, newest first', async () => {
    await plan('p1', [VOL, DB, AURORA, DWH, CACHE, INSTANCE, SECRET, KEY]);
    await call('p1', VOL, 'CreateSnapshot', '2026-12-07T10:00:00.000Z', done({ snapshotId: 'snap-0abc' }));
    await call('p1', VOL, 'DeleteVolume', '2026-12-07T10:00:05.000Z', done());
    await call('p1', DB, 'CreateDBSnapshot', '2026-12-07T10:01:00.000Z', done({ dbSnapshotIdentifier: 'cloud-cleaner-final-orders-db-p1' }));
    await call('p1', DB, 'DeleteDBInstance', '2026-12-07T10:05:00.000Z', done());
    await call('p1', AURORA, 'CreateDBClusterSnapshot', '2026-12-07T10:02:00.000Z', done({ dbClusterSnapshotIdentifier: 'cloud-cleaner-final-aurora-1-p1' }));
    await call('p1', AURORA, 'DeleteDBCluster', '2026-12-07T10:06:00.000Z', { outcome: 'failed', errorCode: 'InvalidDBClusterStateFault' });
    await call('p1', DWH, 'CreateClusterSnapshot', '2026-12-07T10:03:00.000Z', done({ snapshotIdentifier: 'cloud-cleaner-final-dwh-p1' }), { target: 'cloud-cleaner-final-dwh-p1' });
    await call('p1', DWH, 'DeleteCluster', '2026-12-07T10:07:00.000Z', done());
    await call('p1', CACHE, 'CreateSnapshot', '2026-12-07T10:04:00.000Z', done({ snapshotName: 'cloud-cleaner-final-sessions-p1' }), { target: 'cloud-cleaner-final-sessions-p1' });
    await call('p1', INSTANCE, 'CreateImage', '2026-12-07T10:04:30.000Z', done({ imageId: 'ami-0def' }));
    await call('p1', INSTANCE, 'TerminateInstances', '2026-12-07T10:08:00.000Z', done());
    await call('p1', SECRET, 'DeleteSecret', '2026-12-07T10:09:00.000Z', done({ deletionDate: '2027-01-06T10:09:00.000Z' }));
    await call('p1', KEY, 'ScheduleKeyDeletion', '2026-12-07T10:10:00.000Z', done({ deletionDate: '2027-01-06T10:10:00.000Z' }));

    const page = await list();
    expect(page.rows.map((r) => [r.kind, r.id])).toEqual([
      ['kms-key-pending-deletion', KEY.resourceId],
      ['secret-pending-deletion', SECRET.resourceId],
      ['ami', 'ami-0def'],
      ['elasticache-snapshot', 'cloud-cleaner-final-sessions-p1'],
      ['redshift-snapshot', 'cloud-cleaner-final-dwh-p1'],
      ['rds-cluster-snapshot', 'cloud-cleaner-final-aurora-1-p1'],
      ['rds-snapshot', 'cloud-cleaner-final-orders-db-p1'],
      ['ebs-snapshot', 'snap-0abc'],
    ]);
    const by = new Map(page.rows.map((r) => [r.kind, r]));
    expect(by.get('ebs-snapshot')).toEqual({
      kind: 'ebs-snapshot',
      kindLabel: 'EBS snapshot',
      isCopy: true,
      id: 'snap-0abc',
      idHint: null,
      region: 'us-east-1',
      resourceType: 'ec2:volume',
      resourceId: 'vol-1',
      resourceName: 'data-disk',
      resourceRemoved: true,
      planId: 'p1',
      createdAt: '2026-12-07T10:00:00.000Z',
      monthlyCost: 0.8,
      costBasis: 'EBS snapshot storage $0.05/GB-month × 16 GiB (upper bound)',
      retention: { kind: 'until-deleted' },
      restoreUrlTemplate: RECOVERY_KIND_DEFS['ebs-snapshot'].restore,
      restoreHint: RECOVERY_KIND_DEFS['ebs-snapshot'].hint,
    });
    // The AMI's cost is every part its action created and kept (the image and its snapshots).
    expect(by.get('ami')).toMatchObject({ monthlyCost: 2, resourceRemoved: true, retention: { kind: 'until-deleted' } });
    // The cluster's delete failed: the snapshot bills, and the cluster is still there too.
    expect(by.get('rds-cluster-snapshot')).toMatchObject({ monthlyCost: 4.2, resourceRemoved: false });
    // An unpriced part is an unknown cost, never $0.
    expect(by.get('redshift-snapshot')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: its size is not known before it is taken' });
    // A scheduled deletion is not a copy: no cost, restorable until its date.
    expect(by.get('secret-pending-deletion')).toMatchObject({ isCopy: false, monthlyCost: null, retention: { kind: 'until-date', date: '2027-01-06T10:09:00.000Z' } });
    expect(by.get('kms-key-pending-deletion')).toMatchObject({ isCopy: false, retention: { kind: 'until-date', date: '2027-01-06T10:10:00.000Z' } });

    expect(page).toMatchObject({ total: 8, copies: 6, copiesUnknownCost: 1, restorable: 2 });
    expect(page.copiesMonthlyCost).toBeCloseTo(0.8 + 2.38 + 4.2 + 0.34 + 2, 9);
  });

  it('reads the cost as unknown when the plan recorded no kept part, or the plan is missing', async () => {
    const bare = item(1, 'ec2:volume', 'vol-9', []);
    await plan('p1', [bare]);
    await call('p1', bare, 'CreateSnapshot', '2026-12-07T10:00:00.000Z', done({ snapshotId: 'snap-9' }));
    await call('p2-gone', VOL, 'CreateSnapshot', '2026-12-07T11:00:00.000Z', done({ snapshotId: 'snap-10' }));
    const page = await list();
    expect(page.rows.map((r) => [r.id, r.monthlyCost, r.costBasis])).toEqual([
      ['snap-10', null, 'Cost unknown: the plan recorded no price for it'],
      ['snap-9', null, 'Cost unknown: the plan recorded no price for it'],
    ]);
    expect(page).toMatchObject({ copies: 2, copiesMonthlyCost: 0, copiesUnknownCost: 2 });
  });

  it('recovers the id of older rows from the request (Redshift, ElastiCache name it), and never invents an RDS one', async () => {
    await plan('p1', [DB, DWH, CACHE]);
    await call('p1', DB, 'CreateDBSnapshot', '2026-12-07T10:01:00.000Z', done());
    await call('p1', DWH, 'CreateClusterSnapshot', '2026-12-07T10:02:00.000Z', done(), { target: 'cloud-cleaner-final-dwh-p1' });
    await call('p1', CACHE, 'CreateSnapshot', '2026-12-07T10:03:00.000Z', done(), { target: 'cloud-cleaner-final-sessions-p1' });
    const by = new Map((await list()).rows.map((r) => [r.kind, r]));
    expect(by.get('redshift-snapshot')?.id).toBe('cloud-cleaner-final-dwh-p1');
    expect(by.get('elasticache-snapshot')?.id).toBe('cloud-cleaner-final-sessions-p1');
    const rds = by.get('rds-snapshot');
    expect(rds).toMatchObject({ id: null, monthlyCost: 2.38, restoreUrlTemplate: RECOVERY_KIND_DEFS['rds-snapshot'].list });
    expect(rds?.idHint).toMatch(/cloud-cleaner:plan = p1/);
  });

  it('leaves out dry runs, failed and pending calls, refusals, other calls, and deletions past their date', async () => {
    await plan('p1', [VOL, DB, SECRET, KEY]);
    await call('p1', VOL, 'CreateSnapshot', '2026-12-07T10:00:00.000Z', { outcome: 'dry-run-ok', dryRunResult: 'DryRunOperation' }, { dryRun: true });
    await call('p1', VOL, 'DeleteVolume', '2026-12-07T10:00:01.000Z', done());
    await call('p1', DB, 'CreateDBSnapshot', '2026-12-07T10:01:00.000Z', { outcome: 'failed', errorCode: 'SnapshotQuotaExceeded' });
    await auditPending(h, { accountId: A, planId: 'p1', resourcePk: null, resourceType: DB.resourceType, region: DB.region, resourceId: DB.resourceId, action: 'CreateDBSnapshot', target: DB.resourceId, dryRun: false }, '2026-12-07T10:02:00.000Z');
    await auditDecision(h, { accountId: A, planId: 'p1', resourcePk: null, resourceType: DB.resourceType, region: DB.region, resourceId: DB.resourceId, action: 'Refuse', dryRun: false, outcome: 'refused', message: 'Protected' }, '2026-12-07T10:03:00.000Z');
    await call('p1', SECRET, 'DeleteSecret', '2026-11-01T10:00:00.000Z', done({ deletionDate: '2026-12-01T10:00:00.000Z' })); // past: gone for good
    await call('p1', KEY, 'ScheduleKeyDeletion', '2026-12-07T10:00:00.000Z', done({ note: 'already gone' })); // no date: nothing to restore
    expect(await list()).toMatchObject({ rows: [], total: 0, copies: 0, copiesMonthlyCost: 0, copiesUnknownCost: 0, restorable: 0 });
  });

  it('is one point per plan and resource when a retried cleanup reused its copy (the earliest call, the recorded id)', async () => {
    await plan('p1', [AURORA]);
    await call('p1', AURORA, 'CreateDBClusterSnapshot', '2026-12-07T10:00:00.000Z', done({ dbClusterSnapshotIdentifier: 'cloud-cleaner-final-aurora-1-p1' }));
    await call('p1', AURORA, 'DeleteDBCluster', '2026-12-07T10:01:00.000Z', { outcome: 'failed', errorCode: 'Throttling' });
    // The retry: CreateDBClusterSnapshot answered "exists" (no id in its answer), then the delete went through.
    await call('p1', AURORA, 'CreateDBClusterSnapshot', '2026-12-07T11:00:00.000Z', done());
    await call('p1', AURORA, 'DeleteDBCluster', '2026-12-07T11:01:00.000Z', done());
    const page = await list();
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ id: 'cloud-cleaner-final-aurora-1-p1', createdAt: '2026-12-07T10:00:00.000Z', resourceRemoved: true });
  });

  it('pages in SQL, newest first, with the totals of every page', async () => {
    const vols = Array.from({ length: 7 }, (_, i) => item(i + 1, 'ec2:volume', `vol-${i}`, [kept(`safety snapshot of vol-${i}`, 1)]));
    await plan('p1', vols);
    for (const [i, v] of vols.entries()) await call('p1', v, 'CreateSnapshot', `2026-12-07T10:0${i}:00.000Z`, done({ snapshotId: `snap-${i}` }));
    const first = await list({ limit: 3 });
    const third = await list({ limit: 3, offset: 6 });
    expect(first.rows.map((r) => r.id)).toEqual(['snap-6', 'snap-5', 'snap-4']);
    expect(third.rows.map((r) => r.id)).toEqual(['snap-0']);
    for (const p of [first, third]) expect(p).toMatchObject({ total: 7, copies: 7, copiesMonthlyCost: 7, copiesUnknownCost: 0 });
  });

  it("is the account's own: another account's points and plans never show", async () => {
    await plan('p1', [VOL]);
    await plan('pb', [DB], B);
    await call('p1', VOL, 'CreateSnapshot', '2026-12-07T10:00:00.000Z', done({ snapshotId: 'snap-a' }));
    await call('pb', DB, 'CreateDBSnapshot', '2026-12-07T10:00:00.000Z', done({ dbSnapshotIdentifier: 'snap-of-b' }), { accountId: B });
    // A row of account A that names B's plan id gets no price from B's plan.
    await call('pb', DB, 'CreateDBSnapshot', '2026-12-07T11:00:00.000Z', done({ dbSnapshotIdentifier: 'odd' }));
    const a = await list();
    expect(a.rows.map((r) => [r.id, r.monthlyCost])).toEqual([
      ['odd', null],
      ['snap-a', 0.8],
    ]);
    expect((await list({ accountId: B })).rows.map((r) => [r.id, r.monthlyCost])).toEqual([['snap-of-b', 2.38]]);
  });
});

describe('recovery kinds', () => {
  it('builds restore pages on console hosts the openExternal allowlist accepts, in every partition', () => {
    for (const [kind, def] of Object.entries(RECOVERY_KIND_DEFS)) {
      for (const host of ['eu-west-1.console.aws.amazon.com', 'console.amazonaws.cn', 'console.amazonaws-us-gov.com']) {
        for (const t of [def.restore, def.list]) {
          const url = t.replace('{host}', host).replace('{region}', 'eu-west-1').replace('{id}', encodeURIComponent('snap-0abc'));
          expect(isAllowedExternalUrl(url), `${kind} ${url}`).toBe(true);
        }
      }
    }
  });
});
