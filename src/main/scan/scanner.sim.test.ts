import { afterEach, describe, expect, it } from 'vitest';
import { generateAccount, type GeneratedAccount } from '../../../e2e/aws-sim/index';
import { listFindings } from '../db/repos/resources';
import { createScan, getScan, markInterruptedScans } from '../db/repos/scans';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { runScan, type ScanProgressEvent } from './scanner';

const SMALL = { regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'], instances: 20, volumes: 40, snapshots: 30, addresses: 10, images: 10 };

let s: SimSession | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

async function storedFindings(session: SimSession): Promise<Set<string>> {
  const page = await listFindings(session.db.db, { accountId: session.accountId, limit: 1000 });
  expect(page.total).toBeLessThanOrEqual(1000);
  return new Set(page.rows.map((r) => `${r.resourceType}|${r.region}|${r.resourceId}`));
}
const expectedSet = (g: GeneratedAccount, regions?: string[]) =>
  new Set(g.unused.filter((u) => !regions || regions.includes(u.region)).map((u) => `${u.type}|${u.region}|${u.id}`));

describe('scanner against the simulator', () => {
  it('scans three regions and stores exactly the expected findings, with progress and a succeeded record', async () => {
    const g = generateAccount(SMALL);
    s = await openSimSession({ fixture: g.fixture });
    const events: ScanProgressEvent[] = [];
    const out = await runScan(s.scanDeps({ emit: (e) => events.push(e) }), { regions: SMALL.regions });
    expect(out.status).toBe('succeeded');
    // 3 regions × 15 kinds: the generated account's Cost Explorer bills EC2, VPC and S3 (not CloudWatch, ECR, EKS,
    // Secrets Manager, KMS or SageMaker), so discovery runs the EC2, network and database kinds and S3 uploads.
    expect(out.tasksTotal).toBe(45);
    expect(out.discovery?.requests).toBe(1);
    expect(await storedFindings(s)).toEqual(expectedSet(g));
    expect(out.findings).toBe(g.unused.length);
    const rec = await getScan(s.db.db, out.scanId);
    expect(rec).toMatchObject({ status: 'succeeded', findingsCount: g.unused.length, tasksFailed: 0, regions: SMALL.regions });
    expect(rec!.monthlySavings).toBeCloseTo(out.monthlySavings, 6);
    // Every task went queued → running → done, and the last event carries the final status.
    expect(events.filter((e) => e.task?.status === 'done')).toHaveLength(45);
    expect(events.at(-1)?.status).toBe('succeeded');
  });

  it('reads each listing once per region for all handlers (volumes, instances, AMIs, addresses), with the same findings', async () => {
    // 1,200 volumes = 3 pages of 500; 1,500 instances = 2 pages of 1,000.
    const g = generateAccount({ regions: ['us-east-1', 'eu-west-1'], instances: 1500, volumes: 1200, snapshots: 40, addresses: 10, images: 10 });
    s = await openSimSession({ fixture: g.fixture });
    const out = await runScan(s.scanDeps(), { regions: ['us-east-1', 'eu-west-1'] });
    expect(out.status).toBe('succeeded');
    const rows = s.db.sqlite
      .prepare(`SELECT resource_type || '|' || region || '|' || resource_id FROM resources WHERE status = 'active' AND unused = 1`)
      .pluck()
      .all() as string[];
    expect(new Set(rows)).toEqual(expectedSet(g));
    const c = s.sim.counts().byOperationAndRegion;
    for (const region of ['us-east-1', 'eu-west-1']) {
      // Listings (MaxResults) only: explicit-id calls (describeSnapshotFacts) are not listings.
      expect(c['ec2:DescribeVolumes']?.[region]).toBe(3);
      expect(c['ec2:DescribeInstances']?.[region]).toBe(2);
      expect(c['ec2:DescribeImages']?.[region]).toBe(1);
      expect(c['ec2:DescribeAddresses']?.[region]).toBe(1);
    }
  }, 60_000);

  it('makes ONE listing per region of what several kinds read: DB instances, DB clusters, tags (GetResources), snapshots', async () => {
    // Small enough for one page per listing (RDS 100, GetResources 100, DescribeSnapshots 1,000): each count below is
    // the number of listings. Without sharing: DescribeDBInstances 3 (instances, clusters' members, snapshots'
    // sources), DescribeDBClusters 2, GetResources 2 (ElastiCache, OpenSearch), DescribeSnapshots 2 (+ AMIs' by id).
    const regions = ['us-east-1', 'eu-west-1'];
    const g = generateAccount({ ...SMALL, regions });
    s = await openSimSession({ fixture: g.fixture });
    s.sim.resetCounts();
    const out = await runScan(s.scanDeps(), { regions });
    expect(out.status).toBe('succeeded');
    expect(await storedFindings(s)).toEqual(expectedSet(g));
    // The kinds that read each listing did run and find something in every region (or the counts would prove nothing).
    for (const region of regions) {
      for (const type of ['rds:db-instance', 'rds:db-cluster', 'rds:snapshot', 'elasticache:cluster', 'opensearch:domain', 'ec2:image', 'ec2:snapshot']) {
        expect(g.unused.some((u) => u.type === type && u.region === region), `${type} in ${region}`).toBe(true);
      }
    }
    const c = s.sim.counts().byOperationAndRegion;
    for (const region of regions) {
      expect(c['rds:DescribeDBInstances']?.[region], region).toBe(1);
      expect(c['rds:DescribeDBClusters']?.[region], region).toBe(1);
      expect(c['tagging:GetResources']?.[region], region).toBe(1);
      expect(c['ec2:DescribeSnapshots']?.[region], region).toBe(1);
      expect(c['ec2:DescribeVolumes']?.[region], region).toBe(1);
    }
  });

  it("'all' scans every enabled region from DescribeRegions and skips not-opted-in ones", async () => {
    const g = generateAccount({ ...SMALL, regions: ['us-east-1', 'eu-west-1'] });
    s = await openSimSession({ fixture: g.fixture });
    const out = await runScan(s.scanDeps(), { regions: 'all' });
    expect(out.status).toBe('succeeded');
    const enabled = s.sim.state.regionInfo.filter((r) => r.optInStatus !== 'not-opted-in').map((r) => r.name).sort();
    expect([...out.regions].sort()).toEqual(enabled);
    expect(await storedFindings(s)).toEqual(expectedSet(g));
  });

  it('one region answering AuthFailure → partial; the others stored; the failure recorded with the AWS code', async () => {
    const g = generateAccount(SMALL);
    s = await openSimSession({ fixture: g.fixture, faults: { authFailureRegions: ['eu-west-1'] } });
    const out = await runScan(s.scanDeps(), { regions: SMALL.regions });
    expect(out.status).toBe('partial');
    expect(out.tasksFailed).toBe(15); // every kind discovery runs (15) fails in that region
    expect(await storedFindings(s)).toEqual(expectedSet(g, ['us-east-1', 'ap-northeast-1']));
    const rec = await getScan(s.db.db, out.scanId);
    expect(rec!.failures).toHaveLength(15);
    expect(new Set(rec!.failures.map((f) => `${f.region}|${f.errorCode}`))).toEqual(new Set(['eu-west-1|AuthFailure']));
  });

  it('survives throttling (adaptive retries) with the same findings', async () => {
    const g = generateAccount(SMALL);
    s = await openSimSession({ fixture: g.fixture, faults: { throttleRate: 0.1, seed: 7 } });
    const out = await runScan(s.scanDeps({ settings: { ...s.scanDeps().settings, pageSize: 10 } }), { regions: SMALL.regions, skipDiscovery: true });
    expect(out.failures).toEqual([]);
    expect(out.status).toBe('succeeded');
    expect(await storedFindings(s)).toEqual(expectedSet(g));
  });

  it('cancel mid-scan → cancelled, and what was stored is consistent (every stored row is a real resource)', async () => {
    const g = generateAccount(SMALL);
    s = await openSimSession({ fixture: g.fixture, faults: { latencyMs: 30 } });
    const ac = new AbortController();
    const p = runScan(s.scanDeps({ settings: { ...s.scanDeps().settings, pageSize: 5, concurrency: 2 } }), {
      regions: SMALL.regions,
      skipDiscovery: true,
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 250);
    const out = await p;
    expect(out.status).toBe('cancelled');
    const rec = await getScan(s.db.db, out.scanId);
    expect(rec!.status).toBe('cancelled');
    const stored = await storedFindings(s);
    const expected = expectedSet(g);
    for (const k of stored) expect(expected.has(k)).toBe(true);
    expect(stored.size).toBeLessThan(expected.size);
  });

  it('a resource removed between two scans is marked gone only when its task succeeded', async () => {
    const g = generateAccount(SMALL);
    s = await openSimSession({ fixture: g.fixture });
    await runScan(s.scanDeps(), { regions: SMALL.regions, skipDiscovery: true });
    const vol = g.unused.find((u) => u.type === 'ec2:volume' && u.region === 'eu-west-1')!;
    const vol2 = g.unused.find((u) => u.type === 'ec2:volume' && u.region === 'us-east-1')!;
    s.sim.state.region('eu-west-1').volumes.delete(vol.id);
    s.sim.state.region('us-east-1').volumes.delete(vol2.id);
    // eu-west-1 fails this time: its data must stay untouched; us-east-1 succeeds: its removed volume is gone.
    s.sim.setFaults({ authFailureRegions: ['eu-west-1'] });
    const out = await runScan(s.scanDeps(), { regions: SMALL.regions, skipDiscovery: true });
    expect(out.status).toBe('partial');
    const status = (region: string, id: string) =>
      (s!.db.sqlite.prepare(`SELECT status FROM resources WHERE region = ? AND resource_id = ?`).get(region, id) as { status: string }).status;
    expect(status('eu-west-1', vol.id)).toBe('active');
    expect(status('us-east-1', vol2.id)).toBe('gone');
  });

  it('Cost Explorer not enabled: discovery fails, every handler still runs', async () => {
    const g = generateAccount(SMALL);
    s = await openSimSession({ fixture: g.fixture, faults: { costExplorerError: 'AccessDeniedException' } });
    const out = await runScan(s.scanDeps(), { regions: SMALL.regions });
    expect(out.discovery?.status).toBe('failed');
    expect(out.discovery?.error?.code).toBe('ce.not_enabled');
    expect(out.handlers).toHaveLength(23); // no Cost Explorer: every kind runs
    expect(out.status).toBe('succeeded');
    expect(await storedFindings(s)).toEqual(expectedSet(g));
  });

  it('makes no call per resource: ten times the resources costs no extra request but listing pages', async () => {
    // Every kind, three regions; the same account shape at 1× and 10× (pages of up to 1,000 / 500 / 100 per listing).
    const requests = async (scale: number): Promise<{ byOperation: Record<string, number>; total: number; resources: number }> => {
      const g = generateAccount({ ...SMALL, instances: 20 * scale, volumes: 40 * scale, snapshots: 30 * scale, addresses: 10 * scale, images: 10 * scale });
      s = await openSimSession({ fixture: g.fixture });
      s.sim.resetCounts();
      const out = await runScan(s.scanDeps(), { regions: SMALL.regions });
      expect(out.status).toBe('succeeded');
      const counts = s.sim.counts();
      const resources = (s.db.sqlite.prepare('SELECT COUNT(*) AS n FROM resources').get() as { n: number }).n;
      await s.close();
      s = null;
      return { byOperation: counts.byOperation, total: counts.total, resources };
    };
    const one = await requests(1);
    const ten = await requests(10);
    expect(ten.resources).toBeGreaterThan(8 * one.resources);
    // The one-resource-at-a-time reads are left to plan time and the re-check.
    for (const op of ['ec2:DescribeInstanceAttribute', 'ec2:DescribeImageAttribute', 'rds:DescribeDBSnapshotAttributes', 'rds:ListTagsForResource', 'elasticache:ListTagsForResource', 'es:ListTags', 'es:DescribeDomain']) {
      expect(ten.byOperation[op], op).toBeUndefined();
    }
    // 10× the resources: only listing pages are added (a few per region), never one request per resource.
    console.log(JSON.stringify({ noPerResourceCalls: { resources: [one.resources, ten.resources], requests: [one.total, ten.total] } }));
    expect(ten.total - one.total).toBeLessThan(0.01 * (ten.resources - one.resources));
  }, 120_000);

  it('a scan left running by a crash is marked interrupted at the next start', async () => {
    const g = generateAccount({ ...SMALL, regions: ['us-east-1'] });
    s = await openSimSession({ fixture: g.fixture });
    const id = await createScan(s.db.db, { accountId: s.accountId, kind: 'resources' });
    expect(await markInterruptedScans(s.db.db)).toBe(1);
    expect((await getScan(s.db.db, id))!.status).toBe('interrupted');
  });
});
