/**
 * The orphaned DB snapshot kind against the simulator (real RDS SDK client over HTTP): manual DB and cluster snapshots
 * whose source is gone and that are old enough, copies and sharing, the kind's age setting, costs written out by hand
 * from AWS's published us-east-1 backup prices, the scan's call budget, the re-check's sharing read and the audited
 * delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { AURORA_BACKUP_GB_MONTH, RDS_BACKUP_GB_MONTH } from '../pricing/keys/rds';
import { regionPrices } from '../pricing/price-key';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { itemSavings, partsOf } from './parts';
import { rdsSnapshotsHandler as h, ORPHAN_DAYS_SETTING, SHARING_AT_RECHECK } from './rds-snapshots';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const OTHER = '999988887777';
const KEEP = { 'cloud-cleaner:keep': 'true' };

const MANY_DB = 250;
const MANY_CLUSTER = 120;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      rds: {
        instances: [{ id: 'plain-db', allocatedStorage: 100 }, { id: 'live-cluster-w', clusterId: 'live-cluster' }],
        clusters: [{ id: 'live-cluster' }],
        snapshots: [
          { id: 'orphan-old', instanceId: 'gone-db', allocatedStorage: 100, createdDaysAgo: 40 },
          { id: 'live-source', instanceId: 'plain-db', createdDaysAgo: 60 },
          { id: 'orphan-young', instanceId: 'gone-db', createdDaysAgo: 10 },
          { id: 'orphan-shared', instanceId: 'gone-db', createdDaysAgo: 50, sharedWith: ['444455556666'] },
          { id: 'orphan-public', instanceId: 'gone-db', createdDaysAgo: 50, sharedWith: ['all'] },
          { id: 'copied-foreign', instanceId: 'gone-db', copiedFrom: `arn:aws:rds:us-east-1:${OTHER}:snapshot:theirs` },
          { id: 'copied-region', instanceId: 'gone-db', copiedFrom: `arn:aws:rds:eu-west-1:${ACCOUNT}:snapshot:mine` },
          { id: 'cc-final', instanceId: 'gone-db', createdDaysAgo: 45, tags: { 'cloud-cleaner:plan': 'abcd1234-5678' } },
          { id: 'orphan-keep', instanceId: 'gone-db', tags: KEEP },
          { id: 'auto-gone', instanceId: 'gone-db', type: 'automated' },
          { id: 'to-delete', instanceId: 'gone-db' },
          { id: 'collide', instanceId: 'gone-db' },
          { id: 'theirs-shared', instanceId: 'their-db', ownerAccountId: OTHER, sharedWith: [ACCOUNT] },
        ],
        clusterSnapshots: [
          { id: 'cl-orphan', clusterId: 'gone-cluster', allocatedStorage: 200 },
          { id: 'cl-live', clusterId: 'live-cluster', allocatedStorage: 200 },
          { id: 'cl-orphan-1', clusterId: 'gone-cluster' },
          { id: 'collide', clusterId: 'gone-cluster', allocatedStorage: 10 },
          { id: 'cl-shared', clusterId: 'gone-cluster', allocatedStorage: 10, sharedWith: ['444455556666'] },
          { id: 'docs-snap', clusterId: 'gone-docs', engine: 'docdb', allocatedStorage: 10 },
          { id: 'maz-snap', clusterId: 'gone-maz', engine: 'postgres', allocatedStorage: 300 },
          { id: 'cl-to-delete', clusterId: 'gone-cluster', allocatedStorage: 10 },
        ],
      },
    },
    'eu-west-1': {
      rds: {
        instances: [{ id: 'eu-db' }],
        clusters: [{ id: 'eu-cluster' }],
        snapshots: Array.from({ length: MANY_DB }, (_, i) => ({ id: `db-snap-${i}`, instanceId: i % 2 === 0 ? 'eu-db' : `gone-${i}` })),
        clusterSnapshots: Array.from({ length: MANY_CLUSTER }, (_, i) => ({ id: `cl-snap-${i}`, clusterId: i % 2 === 0 ? 'eu-cluster' : `gone-${i}` })),
      },
    },
  },
};

// AWS's published us-east-1 backup storage prices, written out by hand.
const PRICES = regionPrices('us-east-1', [
  [RDS_BACKUP_GB_MONTH, 0.095],
  [AURORA_BACKUP_GB_MONTH['aurora-postgresql'], 0.021],
]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return {
    region,
    accountId: ACCOUNT,
    client: <C extends Destroyable>(ctor: SdkClientClass<C>) => s.clients.client(ctor, region),
    prices: region === 'us-east-1' ? PRICES : null,
    settings: DEFAULT_HANDLER_SETTINGS,
    now: NOW,
    ...over,
  };
}

async function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const page of h.scan(ctxFor(region, over))) out.push(...page);
  return out;
}

const byId = (list: Finding[], id: string): Finding => {
  const f = list.find((x) => x.resourceId === id);
  if (f === undefined) throw new Error(`no finding ${id}`);
  return f;
};
const stored = (f: Finding): StoredFinding => ({ ...f, id: 1 });
const rds = () => s.sim.state.region('us-east-1').rds;
const del = () => recordingDeleteContext({ ...ctxFor('us-east-1') });

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('rds:snapshot scan', () => {
  it('lists manual DB and cluster snapshots only (automated, shared-with-me and DocumentDB ones left out); ids unique', () => {
    const ids = east.map((f) => f.resourceId).sort();
    expect(ids).toEqual(
      [
        'cc-final',
        'cl-live',
        'cl-orphan',
        'cl-orphan-1',
        'cl-shared',
        'cl-to-delete',
        'cluster-snapshot:collide',
        'collide',
        'copied-foreign',
        'copied-region',
        'live-source',
        'maz-snap',
        'orphan-keep',
        'orphan-old',
        'orphan-public',
        'orphan-shared',
        'orphan-young',
        'to-delete',
      ].sort(),
    );
    expect(byId(east, 'cluster-snapshot:collide').details).toMatchObject({ snapshotType: 'cluster', snapshotIdentifier: 'collide' });
    expect(byId(east, 'collide').details).toMatchObject({ snapshotType: 'db', snapshotIdentifier: 'collide' });
  });

  it('a manual DB snapshot of a deleted instance older than 30 days is orphaned, priced fully billable; since unknown', () => {
    const f = byId(east, 'orphan-old');
    expect(f).toMatchObject({
      unused: true,
      unusedReason: 'Its source DB instance gone-db no longer exists; the snapshot is 40 days old',
      unusedSince: null,
      protected: false,
    });
    expect(f.monthlyCost).toBeCloseTo(100 * 0.095, 6);
    expect(f.costBasis).toBe(
      'RDS backup storage 100 GB (AllocatedStorage as AWS reports it) × $0.095 (us-east-1); fully billable: the free backup allowance comes from the storage of the region’s databases, and its source is gone',
    );
    expect(f.details).toMatchObject({ snapshotType: 'db', sourceId: 'gone-db', sourceExists: false, sharing: SHARING_AT_RECHECK, ageDays: 40 });
    expect(itemSavings(partsOf(h, f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false })).savings).toBeCloseTo(9.5, 6);
  });

  it('a snapshot whose source exists is not orphaned; one younger than 30 days is not either', () => {
    expect(byId(east, 'live-source')).toMatchObject({ unused: false });
    expect(byId(east, 'live-source').details['judgement']).toBe('Its source DB instance plain-db exists');
    expect(byId(east, 'orphan-young')).toMatchObject({ unused: false });
    expect(byId(east, 'orphan-young').details['judgement']).toBe('Its source DB instance gone-db is gone, but it is 10 days old (flagged from 30)');
  });

  it('the age is a kind setting', async () => {
    expect(h.settings?.map((x) => [x.key, x.default])).toEqual([[ORPHAN_DAYS_SETTING, 30]]);
    const found = await scan('us-east-1', { settings: { ...DEFAULT_HANDLER_SETTINGS, kinds: { [ORPHAN_DAYS_SETTING]: 5 } } });
    expect(byId(found, 'orphan-young')).toMatchObject({ unused: true });
  });

  it('a copy from another account is protected in the scan; a copy from another Region is not judged', () => {
    expect(byId(east, 'copied-foreign')).toMatchObject({
      unused: true,
      protected: true,
      protectedReason: `Copied from account ${OTHER} (arn:aws:rds:us-east-1:${OTHER}:snapshot:theirs): another account’s backup`,
    });
    expect(byId(east, 'copied-region')).toMatchObject({ unused: false, protected: false });
    expect(byId(east, 'copied-region').details['judgement']).toBe('Not judged: copied from eu-west-1, where its source lives');
  });

  it('shared snapshots are flagged in the scan with sharing left to the re-check', () => {
    expect(byId(east, 'orphan-shared')).toMatchObject({ unused: true, protected: false });
    expect(byId(east, 'orphan-shared').details['sharing']).toBe('Checked when you plan a cleanup');
  });

  it('Cloud Cleaner’s own final snapshot is flagged, saying what it is; since = its creation', () => {
    const f = byId(east, 'cc-final');
    expect(f.unused).toBe(true);
    expect(f.unusedReason).toMatch(/Cloud Cleaner’s final snapshot from plan abcd1234-5678: the undo of that cleanup/);
    expect(f.unusedSince).toBe(f.createdAt);
    expect(f.details['finalSnapshotOfPlan']).toBe('abcd1234-5678');
  });

  it('the protection tag protects', () => {
    expect(byId(east, 'orphan-keep')).toMatchObject({ protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
  });

  it('cluster snapshots: Aurora at the Aurora backup price when AWS gives a size, unknown for its placeholder 1; Multi-AZ at the RDS price', () => {
    const a = byId(east, 'cl-orphan');
    expect(a).toMatchObject({ unused: true, unusedReason: 'Its source DB cluster gone-cluster no longer exists; the snapshot is 40 days old' });
    expect(a.monthlyCost).toBeCloseTo(200 * 0.021, 6);
    expect(a.costBasis).toMatch(/^Aurora backup storage 200 GB \(AllocatedStorage as AWS reports it\) × \$0.021 \(us-east-1\)/);
    const one = byId(east, 'cl-orphan-1');
    expect(one).toMatchObject({ unused: true, monthlyCost: null });
    expect(one.costBasis).toBe('Cost unknown: AWS reports AllocatedStorage 1 for this Aurora cluster snapshot, not its billed size');
    expect(byId(east, 'maz-snap').monthlyCost).toBeCloseTo(300 * 0.095, 6);
    expect(byId(east, 'cl-live')).toMatchObject({ unused: false });
  });

  it('unknown prices are unknown, never $0', async () => {
    const found = await scan('us-east-1', { prices: null });
    expect(byId(found, 'orphan-old')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no RDS backup storage price (us-east-1)' });
  });

  it('a scan makes listings only: never a sharing, tag or source read per snapshot', async () => {
    s.sim.resetCounts();
    const found = await scan('eu-west-1');
    expect(found).toHaveLength(MANY_DB + MANY_CLUSTER);
    // Every other one has a source that is gone (40 days old by default).
    expect(found.filter((f) => f.unused)).toHaveLength(MANY_DB / 2 + MANY_CLUSTER / 2);
    const ops = s.sim.counts().byOperation;
    expect(ops).toEqual({
      'rds:DescribeDBSnapshots': Math.ceil(MANY_DB / 100),
      'rds:DescribeDBClusterSnapshots': Math.ceil(MANY_CLUSTER / 100),
      'rds:DescribeDBInstances': 1,
      'rds:DescribeDBClusters': 1,
    });
  });

  it('a denied rds:DescribeDBSnapshots fails the scan with an error naming the action', async () => {
    s.sim.state.deny.add('rds:DescribeDBSnapshots');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/rds:DescribeDBSnapshots/);
    } finally {
      s.sim.state.deny.delete('rds:DescribeDBSnapshots');
    }
  });
});

describe('rds:snapshot re-check and delete', () => {
  it('re-checks with one sharing read per item: unchanged when orphaned and not shared', async () => {
    s.sim.resetCounts();
    const r = await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'orphan-old')));
    expect(r.status).toBe('unchanged');
    if (r.status === 'unchanged') expect(r.current.details['sharing']).toBe('Not shared');
    expect(s.sim.counts().byOperation['rds:DescribeDBSnapshotAttributes']).toBe(1);
  });

  it('a snapshot shared with another account is protected at the re-check (DB and cluster snapshots); a public one too', async () => {
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'orphan-shared')))).toMatchObject({
      status: 'protected',
      reason: 'Shared with account(s) 444455556666',
    });
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'orphan-public')))).toMatchObject({
      status: 'protected',
      reason: 'Public: shared with every AWS account (restore attribute "all")',
    });
    s.sim.resetCounts();
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'cl-shared')))).toMatchObject({ status: 'protected', reason: 'Shared with account(s) 444455556666' });
    expect(s.sim.counts().byOperation['rds:DescribeDBClusterSnapshotAttributes']).toBe(1);
  });

  it('a source that exists now changes the finding', async () => {
    const f = byId(east, 'live-source');
    const r = await h.recheck(ctxFor('us-east-1'), stored({ ...f, unused: true }));
    expect(r).toMatchObject({ status: 'changed', reason: 'No longer orphaned: Its source DB instance plain-db exists' });
  });

  it('a dry run sends nothing: verified by the re-check and a permission check', async () => {
    s.sim.resetCounts();
    const ctx = del();
    expect(await h.delete(ctx, stored(byId(east, 'to-delete')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(s.sim.counts().total).toBe(0);
    expect(h.verification.method).toBe('permission-check');
  });

  it('deletes a DB snapshot through the audit log; again: already gone; the re-check then says gone', async () => {
    const f = byId(east, 'to-delete');
    const ctx = del();
    expect(await h.delete(ctx, stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteDBSnapshot to-delete'] });
    expect(ctx.log).toEqual([{ action: 'DeleteDBSnapshot', target: 'to-delete', dryRun: false }]);
    expect(rds().snapshots.has('to-delete')).toBe(false);
    expect(await h.delete(del(), stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteDBSnapshot to-delete (already gone)'] });
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'gone' });
  });

  it('deletes a cluster snapshot by its identifier (the unique id of a name a DB snapshot also uses)', async () => {
    const f = byId(east, 'cluster-snapshot:collide');
    const ctx = del();
    expect(await h.delete(ctx, stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteDBClusterSnapshot collide'] });
    expect(ctx.log).toEqual([{ action: 'DeleteDBClusterSnapshot', target: 'collide', dryRun: false }]);
    expect(rds().clusterSnapshots.has('collide')).toBe(false);
    expect(rds().snapshots.has('collide')).toBe(true);
  });

  it('refuses protected snapshots without sending anything', async () => {
    s.sim.resetCounts();
    for (const id of ['orphan-keep', 'copied-foreign']) {
      const ctx = del();
      expect(await h.delete(ctx, stored(byId(east, id)), { dryRun: false })).toMatchObject({ kind: 'refused' });
      expect(ctx.log).toEqual([]);
    }
    expect(s.sim.counts().total).toBe(0);
  });

  it('a denied DeleteDBClusterSnapshot is unauthorized', async () => {
    s.sim.state.deny.add('rds:DeleteDBClusterSnapshot');
    try {
      expect(await h.delete(del(), stored(byId(east, 'cl-to-delete')), { dryRun: false })).toMatchObject({ kind: 'unauthorized', code: 'AccessDenied' });
      expect(rds().clusterSnapshots.has('cl-to-delete')).toBe(true);
    } finally {
      s.sim.state.deny.delete('rds:DeleteDBClusterSnapshot');
    }
  });
});
