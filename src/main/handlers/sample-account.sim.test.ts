/**
 * Every handler against the simulator's sample account (real SDK clients over HTTP): exactly the resources that are
 * unused by definition (the simulator's independent oracle), each with the monthly cost AWS's published prices give.
 * The expected costs are written out by hand from the price pages (us-east-1 as in AWS-FACTS.md; eu-west-1 and
 * ap-northeast-1 from AWS's regional EBS prices), not computed with the app's own pricing code. The database kinds'
 * prices are the us-east-1 values the price modules bundle with their dated sources (src/main/pricing/keys/rds.ts,
 * elasticache.ts, redshift.ts; OpenSearch bundles none): where no price is bundled, the expected cost is null — unknown,
 * and the finding must say so, never guess.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unusedByDefinition } from '../../../e2e/aws-sim/unused-oracle';
import { reconcile } from '../db/repos/services';
import { lookupService } from '../discovery/service-catalog';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { createBundledPriceBook } from '../pricing/price-book';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS, RESOURCE_TYPES, type Finding, type ResourceType } from './handler';
import { priceKeysOf } from './registry';
import { applyParts, itemSavings } from './parts';
import { RegionInventory, TAG_LISTINGS } from './region-inventory';

const EXPECTED_COST: Record<string, number | null> = {
  // Stopped instances: their volumes (+ an Elastic IP), never compute.
  'i-0a100000000000002': 16 * 0.08 + 500 * 0.08 + 3000 * 0.005 + 125 * 0.04 + 730 * 0.005, // gp3 16 + gp3 500 (6k IOPS, 250 MiB/s) + EIP
  'i-0a100000000000005': 20 * 0.08 + 200 * 0.125 + 5000 * 0.065, // gp3 20 + io1 200 GiB, 5,000 IOPS
  'i-0a100000000000007': 8 * 0.08,
  'i-0a100000000000008': 8 * 0.08, // its root volume is tagged to keep: protected through its part
  'i-0a10000000000000d': 8 * 0.1 + 100 * 0.1 + 730 * 0.005, // gp2 8 (deleted with it) + gp2 100 (kept) + EIP (kept)
  'i-0e100000000000002': 200 * 0.088, // eu-west-1 gp3
  'i-0e100000000000003': 40 * 0.11, // eu-west-1 gp2
  // Unattached volumes.
  'vol-0a100000000000010': 100 * 0.08 + 1000 * 0.005 + 75 * 0.04, // gp3, 4,000 IOPS, 200 MiB/s
  'vol-0a100000000000011': 50 * 0.1, // gp2
  'vol-0a100000000000012': 64 * 0.125 + 16000 * 0.065, // io2 first IOPS tier
  'vol-0a100000000000013': 500 * 0.045, // st1
  'vol-0a100000000000014': 1000 * 0.015, // sc1
  'vol-0a100000000000015': 20 * 0.05, // magnetic storage (I/O is usage-based)
  'vol-0a100000000000016': 20 * 0.08,
  'vol-0a100000000000017': 10 * 0.1,
  'vol-0e100000000000010': 250 * 0.088, // eu-west-1 gp3, baseline IOPS/throughput
  'vol-0e100000000000011': 1000 * 0.05, // eu-west-1 st1
  'vol-0c100000000000010': 2000 * 0.018, // ap-northeast-1 sc1
  'vol-0c100000000000011': 100 * 0.142 + 32000 * 0.074 + 8000 * 0.0518, // ap-northeast-1 io2, two IOPS tiers
  // Idle Elastic IPs: 730 h × $0.005.
  'eipalloc-0a100000000000003': 3.65,
  'eipalloc-0a100000000000004': 3.65,
  'eipalloc-0a100000000000006': 3.65,
  'eipalloc-0e100000000000002': 3.65,
  'eipalloc-0c100000000000001': 3.65,
  // Orphaned snapshots: full size (upper bound) × standard, or × archive.
  'snap-0a100000000000002': 4 * 0.05,
  'snap-0a100000000000003': 100 * 0.0125,
  'snap-0a100000000000004': 50 * 0.05, // no FullSnapshotSizeInBytes: the volume size
  'snap-0a100000000000009': 40 * 0.05,
  'snap-0a100000000000010': 2 * 0.05,
  'snap-0e100000000000001': 140 * 0.0125,
  'snap-0c100000000000001': 20 * 0.05,
  // Unused AMIs: their own snapshots.
  'ami-0a100000000000002': 8 * 0.05,
  'ami-0a100000000000004': 8 * 0.05,
  'ami-0a100000000000005': 8 * 0.05,
  'ami-0a100000000000006': 8 * 0.05,
  'ami-0a100000000000007': 3 * 0.05, // full snapshot size 3 GiB; the snapshot is tagged to keep
  'ami-0a100000000000008': 2 * 0.05, // public
  'ami-0a100000000000009': 2 * 0.05, // shared with another account (seen at re-check)
  'ami-0e100000000000002': 20 * 0.05,
  'ami-0c100000000000001': 20 * 0.05,
  // Idle NAT gateways: 730 h × the hourly price (us-east-1 $0.045, eu-west-1 $0.048); their Elastic IPs are parts that stay.
  'nat-0a100000000000003': 730 * 0.045,
  'nat-0e100000000000001': 730 * 0.048,
  // Unused interface endpoint: 1 AZ × 730 h × $0.01.
  'vpce-0a100000000000001': 730 * 0.01,
  // Load balancers: 730 h × $0.0225 (ALB) or $0.025 (Classic) + one public IPv4 per AZ (internet-facing, 2 AZs).
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orphan-alb/0000000000000002': 730 * 0.0225 + 2 * 730 * 0.005,
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-ingress-alb/0000000000000004': 730 * 0.0225 + 2 * 730 * 0.005,
  'legacy-clb': 730 * 0.025 + 2 * 730 * 0.005,
  // Idle RDS DB instances: 730 h × the On-Demand hourly price (PostgreSQL Single-AZ, [RDS-RI-2024]) + gp3 storage
  // $0.115/GB-month (Single-AZ, [RUNBOOK-2026]); gp3 under 400 GiB at its included 3,000 IOPS / 125 MiB/s adds nothing.
  'orders-db': 730 * 0.072 + 100 * 0.115, // postgres db.t3.medium + gp3 100 GiB
  'ledger-db': 730 * 0.018 + 20 * 0.115, // postgres db.t3.micro + gp3 20 GiB (deletion protection on: stop only)
  'reporting-db': 20 * 0.115, // stopped: its gp3 20 GiB only, no instance hours
  // Idle Aurora cluster: its one member's hours (Aurora PostgreSQL db.r6g.large $0.26, [PG-2026]) + the cluster volume
  // (VolumeBytesUsed 20 GiB) × Aurora Standard storage $0.10/GB-month ([PG-2026]).
  'analytics-aurora': 730 * 0.26 + 20 * 0.1,
  // Orphaned manual DB snapshots: AllocatedStorage × RDS backup storage $0.095/GB-month ([RUNBOOK-2026]).
  'old-orders-final': 50 * 0.095,
  'partner-copy': 30 * 0.095, // copied from another account: protected
  // Idle ElastiCache replication group: primary + replica, 2 × 730 h × Redis cache.t3.micro $0.017 ([EC-RI-2024]).
  sessions: 2 * 730 * 0.017,
  // Idle Redshift cluster: its RA3 managed storage has no bundled price, so its cost is unknown (never a partial sum);
  // the node hours alone (2 × 730 h × ra3.xlplus $1.086, [RS-RI-2024]) are what a pause saves, checked below.
  warehouse: null,
  // Idle OpenSearch domain: no OpenSearch price is bundled (the price module found no dated source) → unknown.
  'logs-search': null,
  // Log groups: stored GB (2^30 bytes) × CloudWatch Logs Standard storage $0.03/GB-month (us-east-1, src/main/pricing/keys/logs.ts).
  '/app/orders-api': 48 * 0.03,
  '/aws/lambda/resize-images': 3 * 0.03,
  '/app/audit': 12 * 0.03,
  '/app/new-service': (50_000_000 / 2 ** 30) * 0.03,
  '/app/compliance-archive': 20 * 0.03,
  '/app/forgotten-batch': 8 * 0.03,
  '/aws/lambda/legacy-cron': 5 * 0.03,
  '/ecs/old-worker': 1 * 0.03,
  // Incomplete multipart uploads: their parts' GB × the storage class's price (S3 Standard $0.023, Standard-IA $0.0125).
  'cc-sample-media-uploads': 3 * 0.023 + 1 * 0.0125,
  'cc-sample-backups-covered': 2 * 0.023,
  'cc-sample-keep-uploads': 0.5 * 0.023,
  // ECR storage and the Secrets Manager secret price: no dated us-east-1 source was found → unknown until a Price List refresh.
  'web-frontend@sha256:4559e04755ab0dbfa7c43a32116030ed1933d6eddb4213a36c79b33089ab8396': null,
  'web-frontend@sha256:40bf2cceb76b0e9a1c601fb23209924e7b184403d8f9cfc73280d3ea0c1cf62b': null,
  'legacy/batch-worker@sha256:683a0be03658c277b4a550b799081d30c3454875ea01fce267ae1033d23826e3': null,
  'legacy/batch-worker@sha256:10e73dbd32697d44e3eb6992511fccd06ff376fbe8d90f8033914850d94d35f7': null,
  'base-images@sha256:f04938280005e8da823a4a2fca1e46eaa70a3b87095192bbe8082c44d3b56fc4': null,
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:old/partner-ftp-password-6WDjJ0': null,
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/never-used-token-3x4K1I': null,
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:break-glass/root-recovery-F2uQx9': null,
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/replicated-config-IA4YM0': null,
  // Empty EKS clusters: 730 h × $0.10 (standard support) or $0.60 (extended support: Kubernetes 1.31) ([EKSP]).
  'sandbox-old': 730 * 0.1,
  'legacy-platform': 730 * 0.6,
  'keep-dr': 730 * 0.1,
  // SageMaker: ml.m5.large hosting $0.115/h; ml.g5.xlarge hosting has no bundled price → unknown; notebooks
  // ml.t3.medium $0.05/h and ml.g4dn.xlarge $0.736/h + ML storage $0.14/GB-month (src/main/pricing/keys/sagemaker.ts).
  'churn-model-staging': 730 * 0.115,
  'recsys-ab-test': 2 * 730 * 0.115,
  'demo-llm-keep': null,
  'ana-exploration': 730 * 0.05 + 20 * 0.14,
  'shared-gpu-nb': 730 * 0.736 + 100 * 0.14,
  // Disabled customer managed KMS keys: $1 per key-month, + $1 per rotated backing key (the first two).
  '1a2b3c4d-0000-4000-8000-00000000d001': 2 * 1,
  '1a2b3c4d-0000-4000-8000-00000000d002': 1,
};

const PROTECTED = new Set([
  'i-0a100000000000007',
  'i-0e100000000000002',
  'vol-0a100000000000016',
  'eipalloc-0a100000000000004',
  'snap-0a100000000000009',
  'ami-0a100000000000006',
  'i-0a100000000000008', // its DeleteOnTermination root volume is tagged cloud-cleaner:keep
  'ami-0a100000000000007', // its own snapshot is tagged cloud-cleaner:keep
  'ami-0a100000000000008', // public
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-ingress-alb/0000000000000004', // the EKS controller's
  // ledger-db's deletion protection is not here: it refuses the delete actions, not a stop (checked below).
  'partner-copy', // copied from another account (444455556666): someone else's backup
  // Housekeeping kinds: tagged cloud-cleaner:keep=true (compliance-archive's deletion protection refuses its delete,
  // not a retention: checked below).
  '/app/audit',
  'cc-sample-keep-uploads',
  'base-images@sha256:f04938280005e8da823a4a2fca1e46eaa70a3b87095192bbe8082c44d3b56fc4',
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:break-glass/root-recovery-F2uQx9',
  'keep-dr',
  'demo-llm-keep',
  'shared-gpu-nb',
  '1a2b3c4d-0000-4000-8000-00000000d002',
]);

let s: SimSession;
const billing = (t: string): string | undefined => s.registry.get(t as ResourceType)?.billingServiceCode;
const found = new Map<ResourceType, Finding[]>();
// The same scans through a region inventory (as the scanner runs them), and the listings each one read.
const foundShared = new Map<ResourceType, Finding[]>();
const listingsRead = new Map<ResourceType, Set<string>>();

class RecordingInventory extends RegionInventory {
  readonly keys = new Set<string>();
  override memo<T>(key: string, make: () => T): T {
    this.keys.add(key);
    return super.memo(key, make);
  }
}

beforeAll(async () => {
  s = await openSimSession();
  // One clock for both passes: a log group's retention estimate moves with time (by ~1e-6 dollars in ~30 s).
  const now = new Date();
  const prices = createBundledPriceBook(priceKeysOf(s.registry));
  for (const type of RESOURCE_TYPES) {
    const handler = s.registry.get(type)!;
    // Only the prices the kind declares: a price it reads without declaring it would be unknown here, and its cost
    // would miss the published one (the second pass, with every key, must then give the very same findings).
    const own = createBundledPriceBook(handler.priceKeys ?? []);
    const all: Finding[] = [];
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) {
      const ctx = {
        region,
        accountId: s.accountId,
        // Every service from the factory: without Auto Scaling the AMI handler cannot see launch configurations and
        // (rightly) protects every candidate AMI.
        client: <C extends Destroyable>(ctor: SdkClientClass<C>) => s.clients.client(ctor, region),
        prices: own.forRegion(region),
        settings: DEFAULT_HANDLER_SETTINGS,
        now,
      };
      // As the scanner stores them: with the dependency model applied (protected parts, savings).
      for await (const page of handler.scan(ctx)) all.push(...page.map((f) => applyParts(handler, f, DEFAULT_HANDLER_SETTINGS, billing)));
    }
    found.set(type, all);
  }
  for (const type of RESOURCE_TYPES) {
    const handler = s.registry.get(type)!;
    const all: Finding[] = [];
    const read = new Set<string>();
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) {
      const inventory = new RecordingInventory();
      const ctx = {
        region,
        accountId: s.accountId,
        client: <C extends Destroyable>(ctor: SdkClientClass<C>) => s.clients.client(ctor, region),
        prices: prices.forRegion(region),
        settings: DEFAULT_HANDLER_SETTINGS,
        now,
        inventory,
      };
      // As the scanner stores them: with the dependency model applied (protected parts, savings).
      for await (const page of handler.scan(ctx)) all.push(...page.map((f) => applyParts(handler, f, DEFAULT_HANDLER_SETTINGS, billing)));
      for (const k of inventory.keys) read.add(k);
    }
    foundShared.set(type, all);
    listingsRead.set(type, read);
  }
});
afterAll(async () => {
  await s.close();
});

describe('each handler against the sample account', () => {
  it.each(RESOURCE_TYPES)('%s: exactly the unused resources, at the published monthly price, protection honoured', (type) => {
    const expected = unusedByDefinition(s.sim.state).filter((u) => u.type === type).map((u) => u.id).sort();
    const unused = found.get(type)!.filter((f) => f.unused);
    expect(unused.map((f) => f.resourceId).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    for (const f of unused) {
      const cost = EXPECTED_COST[f.resourceId];
      expect(cost, f.resourceId).toBeDefined();
      if (cost === null) {
        // Expected unknown: no published price is bundled for it, and the finding names what is missing.
        expect(f.monthlyCost, `${f.resourceId}: ${f.costBasis}`).toBeNull();
        expect(f.costBasis).toMatch(/unknown/i);
      } else {
        expect(f.monthlyCost, `${f.resourceId}: ${f.costBasis}`).toBeCloseTo(cost!, 6);
        expect(f.costBasis).toMatch(/\$/);
      }
      expect(f.protected, f.resourceId).toBe(PROTECTED.has(f.resourceId));
      expect(f.unusedReason).toBeTruthy();
    }
  });

  it.each(RESOURCE_TYPES)('%s: the same findings through the region inventory, reading only the listings it declares', (type) => {
    // checkedAt and S3's cutoff come from each pass's own clock.
    const strip = (fs: Finding[]) => fs.map((f) => ({ ...f, details: { ...f.details, checkedAt: undefined, cutoff: undefined } })).sort((a, b) => a.resourceId.localeCompare(b.resourceId));
    expect(strip(foundShared.get(type)!)).toEqual(strip(found.get(type)!));
    // Tag types declared (`tagTypes`) stand for the shared tag listings.
    const kind = s.registry.get(type)!;
    const declared = new Set<string>([...(kind.listings ?? []), ...((kind.tagTypes?.length ?? 0) > 0 ? [TAG_LISTINGS] : [])]);
    expect([...listingsRead.get(type)!].filter((k) => !declared.has(k))).toEqual([]);
    // A kind that declares shared listings reads them (the network kinds list their own resources).
    if (declared.size > 0) expect(listingsRead.get(type)!.size).toBeGreaterThan(0);
  });

  it('savings count only what a delete removes: a stopped instance saves its DeleteOnTermination volumes, not what stays', () => {
    const byId = new Map([...found.values()].flat().map((f) => [f.resourceId, f]));
    // legacy-batch: the gp3 16 GiB root goes; the 500 GiB data volume and the Elastic IP stay.
    expect(byId.get('i-0a100000000000002')?.monthlySavings).toBeCloseTo(16 * 0.08, 6);
    // old-reporting: the 8 GiB gp2 root ($0.80) goes; the 100 GiB data volume ($10) and the address ($3.65) stay.
    expect(byId.get('i-0a10000000000000d')?.monthlySavings).toBeCloseTo(0.8, 6);
    expect(byId.get('i-0a10000000000000d')?.monthlyCost).toBeCloseTo(14.45, 6);
    // A volume, snapshot or address saves what it costs.
    for (const id of ['vol-0a100000000000010', 'snap-0a100000000000002', 'eipalloc-0a100000000000003']) {
      expect(byId.get(id)?.monthlySavings, id).toBeCloseTo(byId.get(id)!.monthlyCost!, 6);
    }
    expect(byId.get('ami-0a100000000000007')?.protectedReason).toBe('its snapshot snap-0a100000000000013 is tagged cloud-cleaner:keep=true');
    expect(byId.get('i-0a100000000000008')?.protectedReason).toBe('its volume vol-0a100000000000019 is tagged cloud-cleaner:keep=true');
    expect(byId.get('ami-0a100000000000008')?.protectedReason).toBe('Public AMI: may be launched by others');
    // An idle NAT gateway saves its hours; its Elastic IP stays allocated (a kept part, $3.65) unless added.
    const nat = byId.get('nat-0e100000000000001')!;
    expect(nat.monthlySavings).toBeCloseTo(730 * 0.048, 6);
    expect(s.registry.get('ec2:nat-gateway')!.parts(nat, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toEqual([
      expect.objectContaining({ resourceId: 'eipalloc-0e100000000000003', fate: 'kept', addable: true, monthlyCost: 3.65 }),
    ]);
  });

  it('databases: deletion protection refuses the deletes (not a stop), a copy from another account is protected, unknown prices named', () => {
    const byId = new Map([...found.values()].flat().map((f) => [f.resourceId, f]));
    const rds = s.registry.get('rds:db-instance')!;
    const ledger = byId.get('ledger-db')!;
    expect(ledger.unusedReason).toContain('deletion protection is on');
    expect(rds.actionRefusal?.(ledger, 'delete')).toMatch(/deletion protection is on/);
    expect(rds.actionRefusal?.(ledger, 'delete-without-snapshot')).toMatch(/deletion protection is on/);
    expect(rds.actionRefusal?.(ledger, 'stop')).toBeNull();
    expect(rds.actionRefusal?.(byId.get('orders-db')!, 'delete')).toBeNull();
    // reporting-db was stopped 3 days ago: AWS starts it again 7 days after the stop.
    const restart = Date.parse(String(byId.get('reporting-db')!.details['automaticRestartTime']));
    expect((restart - Date.now()) / 86_400_000).toBeCloseTo(4, 1);
    expect(rds.actionRefusal?.(byId.get('reporting-db')!, 'stop')).not.toBeNull();
    expect(byId.get('partner-copy')!.protectedReason).toContain('444455556666');
    // Not unused: app-db has connections, app-db-weekly's source exists, app-search is searched.
    for (const id of ['app-db', 'app-db-weekly', 'app-search']) expect(byId.get(id)?.unused, id).toBe(false);
    // Redshift: RA3 managed storage has no bundled price, so the cost is unknown and names it; a pause saves the node
    // hours (known), a delete's savings are unknown.
    const warehouse = byId.get('warehouse')!;
    expect(warehouse.costBasis).toMatch(/^Cost unknown: RA3 managed storage .* no managed storage price for us-east-1; the nodes alone: 2 ra3\.xlplus nodes × 730 h × \$1\.086/);
    const redshift = s.registry.get('redshift:cluster')!;
    const pause = itemSavings(redshift.parts(warehouse, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false, action: 'pause' }));
    expect(pause.savings).toBeCloseTo(2 * 730 * 1.086, 6);
    expect(itemSavings(redshift.parts(warehouse, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false })).savings).toBeNull();
    expect(byId.get('logs-search')!.costBasis).toMatch(/^Cost unknown: no OpenSearch price for r6g\.large\.search instance hours/);
  });

  it('housekeeping: deletion protection refuses a log group\'s delete, not a retention; the newest image and a replicated secret are refused', () => {
    const byId = new Map([...found.values()].flat().map((f) => [f.resourceId, f]));
    const dead = s.registry.get('logs:dead-log-group')!;
    const archive = byId.get('/app/compliance-archive')!;
    expect(dead.actionRefusal?.(archive, 'delete')).toMatch(/deletion protection is on/i);
    expect(dead.actionRefusal?.(archive, 'retention-365')).toBeNull();
    const ecr = s.registry.get('ecr:image')!;
    const newest = byId.get('legacy/batch-worker@sha256:10e73dbd32697d44e3eb6992511fccd06ff376fbe8d90f8033914850d94d35f7')!;
    expect(ecr.actionRefusal?.(newest, 'delete')).toMatch(/newest image/);
    expect(ecr.actionRefusal?.(newest, 'delete-newest')).toBeNull();
    const secrets = s.registry.get('secretsmanager:secret')!;
    expect(secrets.actionRefusal?.(byId.get('arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/replicated-config-IA4YM0')!, 'delete')).toMatch(/RemoveRegionsFromReplication/);
  });

  it("the bill cross-check: no service's estimated waste is above its Cost Explorer spend (the sample account as shipped)", () => {
    // What the scan stores per finding (details.costByService), summed per service over the unused findings.
    const waste = new Map<string, number>();
    for (const f of [...found.values()].flat().filter((x) => x.unused)) {
      for (const [code, cost] of Object.entries(f.details['costByService'] as Record<string, number>)) waste.set(code, (waste.get(code) ?? 0) + cost);
    }
    // The fixture's 30 days of usage (last = yesterday), per service as discovery names it.
    const spend = new Map<string, number>();
    const days = new Set<string>();
    for (const c of s.sim.state.costs.filter((x) => x.recordType === 'Usage')) {
      const code = lookupService(c.service).code;
      spend.set(code, (spend.get(code) ?? 0) + Number(c.amount));
      days.add(c.date);
    }
    expect(days.size).toBe(30);
    const [first, last] = [[...days].sort()[0]!, [...days].sort().at(-1)!];
    const end = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (const code of ['AmazonRDS', 'AmazonElastiCache']) expect(waste.get(code), code).toBeGreaterThan(0);
    for (const [code, monthly] of waste) {
      const r = reconcile({ period_cost: spend.get(code) ?? 0, period_start: first, period_end: end }, monthly);
      expect(r?.exceedsSpend, `${code}: waste ${monthly} a month, spend ${r?.monthlyRunRate}`).toBe(false);
    }
  });

  it('no part is counted twice: what one finding deletes with it is never a finding of its own', () => {
    const all = [...found.values()].flat();
    const findings = new Set(all.filter((f) => f.unused).map((f) => f.resourceId));
    const removedWith = all.filter((f) => f.unused).flatMap((f) =>
      s.registry.get(f.resourceType)!.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts.filter((p) => p.fate === 'deleted').map((p) => p.resourceId),
    );
    expect(removedWith.length).toBeGreaterThan(5);
    expect(removedWith.filter((id) => findings.has(id))).toEqual([]);
    expect(new Set(removedWith).size).toBe(removedWith.length);
  });

  it('covers every expected finding of the account (85) and no other', () => {
    const all = [...found.values()].flat().filter((f) => f.unused).map((f) => f.resourceId).sort();
    expect(all).toEqual(Object.keys(EXPECTED_COST).sort());
  });
});
