/**
 * The empty EKS cluster kind against the simulator (real EKS and EC2 SDK clients over HTTP): clusters with no node
 * group, Fargate profile or tagged instance found; clusters with any of them, young, not ACTIVE or in Auto Mode not;
 * the standard / extended support rates; the protection tag and EKS deletion protection; the scan's call budget; the
 * re-check when a node group appears; the audited DeleteCluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import type { EksClusterFixture } from '../../../e2e/aws-sim/eks-state';
import type { UnusedResource } from '../../../e2e/aws-sim/generator';
import { eksUnused } from '../../../e2e/aws-sim/unused-oracle-eks';
import { EKS_CLUSTER_EXTENDED_HOUR, EKS_CLUSTER_HOUR } from '../pricing/keys/eks';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { EKS_ACTIONS, EKS_GRACE_SETTING, emptyEksClustersHandler as h } from './eks-clusters';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext } from './handler';
import { findingById as byId, kindContext, loggingDeleteContext, scanAll, storedFinding as stored } from './sim-kind-harness';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const KEEP = { 'cloud-cleaner:keep': 'true' };

const EAST: EksClusterFixture[] = [
  { name: 'empty-std', version: '1.33' },
  { name: 'empty-ext', version: '1.31' },
  { name: 'empty-policy-std', version: '1.31', supportType: 'STANDARD' },
  { name: 'with-ng', nodegroups: ['ng-1', 'ng-2'] },
  { name: 'with-fargate', fargateProfiles: ['fp-default'] },
  { name: 'karpenter' },
  { name: 'stopped-node' },
  { name: 'dead-node' },
  { name: 'young', createdDaysAgo: 2 },
  { name: 'creating', status: 'CREATING' },
  { name: 'auto', autoMode: true },
  { name: 'kept', tags: KEEP },
  { name: 'guarded', deletionProtection: true },
  { name: 'tiered', tier: 'tier-xl' },
  { name: 'to-delete' },
  { name: 'grows' },
  { name: 'guard-later' },
];

const inst = (id: string, cluster: string, state: 'running' | 'stopped' | 'terminated') => ({ id, state, tags: { [`kubernetes.io/cluster/${cluster}`]: 'owned' } });

const MANY_NG = 30;
const MANY_FG = 30;
const MANY_EMPTY = 150;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      eks: { clusters: EAST },
      instances: [inst('i-0000000000000000a', 'karpenter', 'running'), inst('i-0000000000000000b', 'stopped-node', 'stopped'), inst('i-0000000000000000c', 'dead-node', 'terminated')],
    },
    'eu-west-1': {
      eks: {
        clusters: [
          ...Array.from({ length: MANY_NG }, (_, i) => ({ name: `ng-${i}`, nodegroups: ['ng'] })),
          ...Array.from({ length: MANY_FG }, (_, i) => ({ name: `fg-${i}`, fargateProfiles: ['fp'] })),
          ...Array.from({ length: MANY_EMPTY }, (_, i) => ({ name: `empty-${i}` })),
        ],
      },
      instances: [inst('i-0000000000000001a', 'empty-7', 'running'), inst('i-0000000000000001b', 'empty-140', 'running')],
    },
  },
};

const PRICES = regionPrices('us-east-1', [
  [EKS_CLUSTER_HOUR, 0.1],
  [EKS_CLUSTER_EXTENDED_HOUR, 0.6],
]);

let s: SimSession;
let east: Finding[];

function ctxFor(region: string, over: Partial<HandlerContext> = {}): HandlerContext {
  return kindContext(s, region, { accountId: ACCOUNT, prices: region === 'us-east-1' ? PRICES : null, now: NOW, ...over });
}

function scan(region: string, over: Partial<HandlerContext> = {}): Promise<Finding[]> {
  return scanAll(h, ctxFor(region, over));
}

const eks = () => s.sim.state.region('us-east-1').eks;
/** A delete context recording its audited calls (test-support.ts is not imported: it mocks every EC2Client). */
const del = () => loggingDeleteContext(ctxFor('us-east-1'));

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('eks:cluster scan', () => {
  it('reports every cluster', () => {
    expect(east.map((f) => f.resourceId).sort()).toEqual(EAST.map((c) => c.name).sort());
  });

  it('the empty clusters are exactly the oracle’s (unused-oracle-eks.ts)', () => {
    const want: UnusedResource[] = [];
    eksUnused(s.sim.state.region('us-east-1'), ACCOUNT, NOW, want);
    expect(east.filter((f) => f.unused).map((f) => f.resourceId).sort()).toEqual(want.map((u) => u.id).sort());
    expect(want.length).toBeGreaterThan(3);
  });

  it('an ACTIVE cluster with no node group, Fargate profile or tagged live instance is empty; since unknown', () => {
    expect(byId(east, 'empty-std')).toMatchObject({
      unused: true,
      unusedReason: 'Nothing to run: No node group, no Fargate profile and no instance tagged kubernetes.io/cluster/empty-std; the cluster is 100 days old',
      unusedSince: null,
      protected: false,
    });
    // A terminated node does not count.
    expect(byId(east, 'dead-node')).toMatchObject({ unused: true });
  });

  it('node groups, Fargate profiles and tagged instances (running or stopped) keep a cluster in use', () => {
    expect(byId(east, 'with-ng')).toMatchObject({ unused: false });
    expect(byId(east, 'with-ng').details['judgement']).toBe('Has 2 node group(s): ng-1, ng-2');
    expect(byId(east, 'with-fargate').details['judgement']).toBe('Has 1 Fargate profile(s): fp-default');
    expect(byId(east, 'karpenter').details['judgement']).toBe('Has 1 instance(s) tagged kubernetes.io/cluster/karpenter: i-0000000000000000a');
    expect(byId(east, 'stopped-node')).toMatchObject({ unused: false });
  });

  it('young, not ACTIVE and Auto Mode clusters are not judged; the grace period is a setting', async () => {
    expect(byId(east, 'young').details['judgement']).toBe('Not judged: created 2 days ago (judged from 7)');
    expect(byId(east, 'creating').details['judgement']).toBe('Not judged: the cluster is CREATING');
    expect(byId(east, 'auto').details['judgement']).toBe('Not judged: EKS Auto Mode makes nodes on demand');
    for (const id of ['young', 'creating', 'auto']) expect(byId(east, id).unused).toBe(false);
    const found = await scan('us-east-1', { settings: { ...DEFAULT_HANDLER_SETTINGS, kinds: { [EKS_GRACE_SETTING]: 1 } } });
    expect(byId(found, 'young').unused).toBe(true);
  });

  it('cost: standard support $0.10/h, extended support $0.60/h, support type STANDARD at the standard rate; a provisioned tier unknown', () => {
    expect(byId(east, 'empty-std')).toMatchObject({ monthlyCost: 73, costBasis: '730 h × $0.10 per cluster-hour (Kubernetes 1.33 in standard support) (us-east-1)' });
    expect(byId(east, 'empty-ext')).toMatchObject({ monthlyCost: 438, costBasis: '730 h × $0.60 per cluster-hour (Kubernetes 1.31 in extended support) (us-east-1)' });
    expect(byId(east, 'empty-policy-std').monthlyCost).toBe(73);
    expect(byId(east, 'tiered')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: provisioned control plane tier tier-xl is billed apart and not priced here' });
  });

  it('a denied DescribeClusterVersions leaves the cost unknown, naming both rates', async () => {
    s.sim.state.deny.add('eks:DescribeClusterVersions');
    try {
      const found = await scan('us-east-1');
      expect(byId(found, 'empty-ext')).toMatchObject({
        monthlyCost: null,
        costBasis: 'Cost unknown: $0.10/h in standard support or $0.60/h in extended support, and the support status of Kubernetes 1.31 is not known (Not read (eks:DescribeClusterVersions denied))',
      });
      expect(byId(found, 'empty-policy-std').monthlyCost).toBe(73);
    } finally {
      s.sim.state.deny.delete('eks:DescribeClusterVersions');
    }
  });

  it('the protection tag and EKS deletion protection protect', () => {
    expect(byId(east, 'kept')).toMatchObject({ unused: true, protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
    expect(byId(east, 'guarded')).toMatchObject({ unused: true, protected: true, protectedReason: 'EKS deletion protection is on (Cloud Cleaner never turns it off)' });
  });

  it('calls: per-cluster reads only where needed, one DescribeInstances per 100 bare clusters, one version listing', async () => {
    s.sim.resetCounts();
    const found = await scan('eu-west-1', { pageSize: 100 });
    expect(found).toHaveLength(MANY_NG + MANY_FG + MANY_EMPTY);
    expect(found.filter((f) => f.unused).map((f) => f.resourceId)).toHaveLength(MANY_EMPTY - 2);
    expect(byId(found, 'empty-140').unused).toBe(false);
    const total = MANY_NG + MANY_FG + MANY_EMPTY;
    expect(s.sim.counts().byOperation).toEqual({
      'eks:ListClusters': Math.ceil(total / 100),
      'eks:DescribeCluster': total,
      'eks:ListNodegroups': total,
      'eks:ListFargateProfiles': MANY_FG + MANY_EMPTY,
      'eks:DescribeClusterVersions': 1,
      'ec2:DescribeInstances': Math.ceil(MANY_EMPTY / 100),
    });
  });

  it('a denied eks:ListClusters fails the scan naming the action', async () => {
    s.sim.state.deny.add('eks:ListClusters');
    try {
      await expect(scan('us-east-1')).rejects.toThrow(/eks:ListClusters/);
    } finally {
      s.sim.state.deny.delete('eks:ListClusters');
    }
  });
});

describe('eks:cluster re-check and delete', () => {
  it('the action: delete, warning that controller-made load balancers and volumes stay', () => {
    expect(EKS_ACTIONS.map((a) => a.id)).toEqual(['delete']);
    expect(EKS_ACTIONS[0]?.warning).toMatch(/Load balancers, EBS volumes .* are not deleted with it/);
    expect(h.verification.method).toBe('permission-check');
  });

  it('re-check: unchanged while empty; changed when a node group appears', async () => {
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'grows')))).toMatchObject({ status: 'unchanged' });
    eks().clusters.get('grows')!.nodegroups.push('late-ng');
    expect(await h.recheck(ctxFor('us-east-1'), stored(byId(east, 'grows')))).toMatchObject({ status: 'changed', reason: 'No longer empty: Has 1 node group(s): late-ng' });
  });

  it('deletion protection turned on after the scan: the re-check says protected, and EKS’s own refusal is refused', async () => {
    eks().clusters.get('guard-later')!.deletionProtection = true;
    const f = byId(east, 'guard-later');
    expect(f.protected).toBe(false);
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'protected', reason: 'EKS deletion protection is on (Cloud Cleaner never turns it off)' });
    const ctx = del();
    const out = await h.delete(ctx, stored(f), { dryRun: false });
    expect(out).toMatchObject({ kind: 'refused' });
    expect(out.kind === 'refused' ? out.reason : '').toMatch(/^EKS refused: .*deletion protection/);
    expect(ctx.log).toEqual([{ action: 'DeleteCluster', target: 'guard-later', dryRun: false }]);
    expect(eks().clusters.get('guard-later')?.status).toBe('ACTIVE');
  });

  it('a dry run sends nothing; a protected cluster is refused without a call', async () => {
    s.sim.resetCounts();
    expect(await h.delete(del(), stored(byId(east, 'to-delete')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    const ctx = del();
    expect(await h.delete(ctx, stored(byId(east, 'kept')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=true' });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('deletes through the audit log (DELETING, then gone); again: already gone; the re-check then says gone', async () => {
    const f = byId(east, 'to-delete');
    const ctx = del();
    expect(await h.delete(ctx, stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteCluster to-delete'] });
    expect(ctx.log).toEqual([{ action: 'DeleteCluster', target: 'to-delete', dryRun: false }]);
    expect(eks().clusters.get('to-delete')?.status).toBe('DELETING');
    expect(await h.delete(del(), stored(f), { dryRun: false })).toEqual({ kind: 'deleted', calls: ['DeleteCluster to-delete (already gone)'] });
    expect(await h.recheck(ctxFor('us-east-1'), stored(f))).toMatchObject({ status: 'gone' });
  });

  it('EKS refuses a cluster whose node groups appeared (ResourceInUseException): refused, nothing deleted', async () => {
    const out = await h.delete(del(), stored(byId(east, 'grows')), { dryRun: false });
    expect(out).toEqual({ kind: 'refused', reason: 'EKS refused: Cluster has nodegroups attached' });
    expect(eks().clusters.get('grows')?.status).toBe('ACTIVE');
  });

  it('a denied DeleteCluster is unauthorized', async () => {
    s.sim.state.deny.add('eks:DeleteCluster');
    try {
      expect(await h.delete(del(), stored(byId(east, 'empty-std')), { dryRun: false })).toMatchObject({ kind: 'unauthorized', code: 'AccessDeniedException' });
      expect(eks().clusters.has('empty-std')).toBe(true);
    } finally {
      s.sim.state.deny.delete('eks:DeleteCluster');
    }
  });
});
