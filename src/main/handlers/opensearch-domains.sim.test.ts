/**
 * The OpenSearch domain kind against the simulator (real SDK clients over HTTP: OpenSearch, the Resource Groups Tagging
 * API, CloudWatch): idle found, search-only and index-only domains in use, unknown never idle, protection through the
 * tagging API, costs written out by hand, the scan's call budget (listings and batched metrics only), the re-check's
 * exact reads and the audited delete.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, MetricSeriesFixture } from '../../../e2e/aws-sim/index';
import { metricKey, putDailySeries } from '../../../e2e/aws-sim/metrics-state';
import type { OpenSearchDomainFixture } from '../../../e2e/aws-sim/opensearch-state';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { lookupService } from '../discovery/service-catalog';
import { MetricsEngine } from '../metrics/engine';
import { metricsWindow } from '../metrics/window';
import { openSearchInstanceHourKey, openSearchStorageKey } from '../pricing/keys/opensearch';
import { regionPrices } from '../pricing/price-key';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { DESCRIBE_BATCH, domainCost, openSearchDomainsHandler as handler, shapeOf } from './opensearch-domains';
import { recordingDeleteContext } from './test-support';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const DAYS = 30;
const every = (v: number | null): (number | null)[] => Array<number | null>(DAYS).fill(v);
const series = (domain: string, metricName: string, daily: (number | null)[]): MetricSeriesFixture => ({
  namespace: 'AWS/ES',
  metricName,
  dimensions: { DomainName: domain, ClientId: ACCOUNT },
  daily,
});
/** SearchRate and IndexingRate of a domain. */
const rates = (domain: string, search: (number | null)[], indexing: (number | null)[]): MetricSeriesFixture[] => [
  series(domain, 'SearchRate', search),
  series(domain, 'IndexingRate', indexing),
];
const idle = (domain: string): MetricSeriesFixture[] => rates(domain, every(0), every(0));

/** Enough domains in one region for three DescribeDomains batches. */
const MANY = 12;

const DOMAINS: OpenSearchDomainFixture[] = [
  { name: 'idle-app', instanceCount: 2, ebs: { volumeType: 'gp3', volumeSize: 100 } },
  { name: 'search-only' },
  { name: 'logs' },
  { name: 'gappy' },
  { name: 'young' },
  { name: 'silent' },
  { name: 'kept', tags: { 'cloud-cleaner:keep': 'true', team: 'search' } },
  { name: 'tagged', tags: { team: 'search' } },
  { name: 'warm-busy', warm: { type: 'ultrawarm1.medium.search', count: 2 } },
  { name: 'warm-quiet', warm: { type: 'ultrawarm1.medium.search', count: 2 } },
  { name: 'creating', status: 'Creating' },
  {
    name: 'legacy',
    engineVersion: 'Elasticsearch_7.10',
    instanceType: 'm5.large.search',
    dedicatedMaster: { type: 'm5.large.search', count: 3 },
    ebs: { volumeType: 'gp2', volumeSize: 20 },
  },
  { name: 'piops', ebs: { volumeType: 'io1', volumeSize: 100, iops: 3000 } },
  { name: 'local-disk', instanceType: 'r6g.large.search', ebs: false },
];

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      opensearch: { domains: DOMAINS },
      metrics: [
        ...idle('idle-app'),
        ...rates('search-only', [...every(0).slice(1), 12], every(0)),
        // A log domain: ingests every day, never searched.
        ...rates('logs', every(0), every(5000)),
        ...rates('gappy', every(0).map((v, i) => (i % 9 === 4 ? null : v)), every(0)),
        // Created ten days ago: no datapoint before.
        ...rates('young', [...every(null).slice(10), ...every(0).slice(20)], [...every(null).slice(10), ...every(0).slice(20)]),
        ...idle('kept'),
        ...idle('tagged'),
        ...idle('warm-busy'),
        series('warm-busy', 'WarmSearchRate', [...every(0).slice(1), 3]),
        ...idle('warm-quiet'),
        ...idle('legacy'),
        ...idle('piops'),
        ...idle('local-disk'),
      ],
    },
    'eu-west-1': {
      opensearch: { domains: Array.from({ length: MANY }, (_, i) => ({ name: `many-${String(i).padStart(2, '0')}`, tags: { n: String(i) } })) },
      metrics: Array.from({ length: MANY }, (_, i) => idle(`many-${String(i).padStart(2, '0')}`)).flat(),
    },
  },
};

/** Test prices (the shape of AWS's us-east-1 rates), on the kind's own declared keys. */
const PRICES = regionPrices('us-east-1', [
  [openSearchInstanceHourKey('r6g.large.search')!, 0.167],
  [openSearchInstanceHourKey('m5.large.search')!, 0.142],
  [openSearchStorageKey('gp3')!, 0.122],
  [openSearchStorageKey('gp2')!, 0.135],
  [openSearchStorageKey('io1')!, 0.169],
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
  for await (const page of handler.scan(ctxFor(region, over))) out.push(...page);
  return out;
}

const byName = (list: Finding[], name: string): Finding => {
  const f = list.find((x) => x.resourceId === name);
  if (f === undefined) throw new Error(`no finding ${name}`);
  return f;
};
const stored = (f: Finding): StoredFinding => ({ ...f, id: 1 });
const verdictOf = (f: Finding): string | undefined => (f.details['metrics'] as { verdict?: string } | undefined)?.verdict;

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  east = await scan('us-east-1');
});

afterAll(async () => {
  await s?.close();
});

describe('opensearch:domain scan', () => {
  it('lists every domain of the region by name, with no creation time (AWS reports none)', () => {
    expect(east.map((f) => f.resourceId).sort()).toEqual(DOMAINS.map((d) => d.name).sort());
    for (const f of east) expect(f.createdAt).toBeNull();
    expect(byName(east, 'idle-app').details).toMatchObject({
      arn: `arn:aws:es:us-east-1:${ACCOUNT}:domain/idle-app`,
      domainId: `${ACCOUNT}/idle-app`,
      engineVersion: 'OpenSearch_2.11',
      engineType: 'OpenSearch',
      dataNodes: '2 × r6g.large.search',
      dedicatedMasters: null,
      storage: 'gp3 100 GiB per data node, 3,000 IOPS, 125 MiB/s',
    });
    expect(byName(east, 'legacy').details).toMatchObject({ engineType: 'Elasticsearch', dedicatedMasters: '3 × m5.large.search' });
  });

  it('a domain with neither searches nor indexing on any day of the lookback is idle, since the window\'s first day', () => {
    const f = byName(east, 'idle-app');
    expect(f).toMatchObject({ unused: true, state: 'Active', protected: false });
    expect(f.unusedReason).toBe(
      'No search or indexing for 30 days: SearchRate, IndexingRate 0 every day from 2026-10-26 to 2026-11-24 (idle at least since 2026-10-26)',
    );
    expect(f.unusedSince).toBe('2026-10-26T00:00:00.000Z');
    expect(verdictOf(f)).toBe('idle');
    const m = f.details['metrics'] as { series: { metricName: string; stat: string; dimensions: Record<string, string>; sparse: boolean }[] };
    expect(m.series.map((x) => [x.metricName, x.stat, x.sparse])).toEqual([
      ['SearchRate', 'Sum', false],
      ['IndexingRate', 'Sum', false],
    ]);
    expect(m.series[0]?.dimensions).toEqual({ DomainName: 'idle-app', ClientId: ACCOUNT });
  });

  it('searched but never indexed is in use; a log domain that ingests but is never searched is in use', () => {
    const search = byName(east, 'search-only');
    expect(search.unused).toBe(false);
    expect(search.details['activity']).toBe('In use: SearchRate 12 search requests on 2026-11-24');
    const logs = byName(east, 'logs');
    expect(logs.unused).toBe(false);
    expect(verdictOf(logs)).toBe('active');
    expect(logs.details['activity']).toBe('In use: IndexingRate 5000 indexing operations on 2026-11-24');
  });

  it('missing days are unknown, never idle: gaps, a domain younger than the window, no series at all', () => {
    for (const name of ['gappy', 'young', 'silent']) {
      const f = byName(east, name);
      expect(f, name).toMatchObject({ unused: false, unusedReason: null, unusedSince: null });
      expect(verdictOf(f), name).toBe('unknown');
    }
    expect(byName(east, 'gappy').details['activity']).toMatch(/^Unknown: .*SearchRate \(Sum\) has no datapoints on 3 of 30 days/);
    expect(byName(east, 'young').details['activity']).toMatch(/has no datapoints on 20 of 30 days/);
    expect(byName(east, 'silent').details['activity']).toMatch(/has no datapoints on 30 of 30 days/);
  });

  it('UltraWarm searches count: WarmSearchRate is read for domains with warm nodes (and missing, is unknown)', () => {
    expect(byName(east, 'warm-busy')).toMatchObject({ unused: false });
    expect(byName(east, 'warm-busy').details['activity']).toBe('In use: WarmSearchRate 3 warm search requests on 2026-11-24');
    expect(verdictOf(byName(east, 'warm-quiet'))).toBe('unknown');
    expect(byName(east, 'warm-quiet').details['activity']).toMatch(/WarmSearchRate \(Sum\) has no datapoints/);
    expect((byName(east, 'idle-app').details['metrics'] as { series: unknown[] }).series).toHaveLength(2);
  });

  it('a domain being created is not judged', () => {
    const f = byName(east, 'creating');
    expect(f).toMatchObject({ state: 'Creating', unused: false });
    expect(f.details['activity']).toBe('Not judged: the domain is Creating');
    expect(f.details['metrics']).toBeUndefined();
  });

  it('the protection tag, read through the tagging API, protects; other tags are kept on the finding', () => {
    expect(byName(east, 'kept')).toMatchObject({ unused: true, protected: true, protectedReason: 'Tagged cloud-cleaner:keep=true' });
    expect(byName(east, 'tagged')).toMatchObject({ unused: true, protected: false, tags: { team: 'search' } });
    expect(byName(east, 'idle-app').tags).toEqual({});
  });

  it('costs: data nodes, dedicated masters and EBS per data node at 730 h', () => {
    const app = byName(east, 'idle-app');
    expect(app.monthlyCost).toBeCloseTo(2 * 730 * 0.167 + 100 * 2 * 0.122, 6);
    expect(app.costBasis).toBe(
      '2 × r6g.large.search (data nodes) × 730 h × $0.167 + gp3 100 GiB × 2 data node(s) × $0.122/GB-mo (us-east-1); gp3 IOPS and throughput provisioned above the baseline billed apart (not priced)',
    );
    const legacy = byName(east, 'legacy');
    expect(legacy.monthlyCost).toBeCloseTo(730 * 0.142 + 3 * 730 * 0.142 + 20 * 0.135, 6);
    expect(legacy.costBasis).toContain('3 × m5.large.search (dedicated masters) × 730 h × $0.142');
    const local = byName(east, 'local-disk');
    expect(local.monthlyCost).toBeCloseTo(730 * 0.167, 6);
    expect(local.costBasis).toContain('instance storage (included in the instance hours)');
  });

  it('what it cannot price is unknown, never a partial sum: io1 IOPS, UltraWarm nodes, a region without prices', async () => {
    expect(byName(east, 'piops')).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no OpenSearch price for io1 provisioned IOPS (us-east-1)' });
    expect(byName(east, 'warm-busy').monthlyCost).toBeNull();
    expect(byName(east, 'warm-busy').costBasis).toContain('ultrawarm1.medium.search instance hours');
    const eu = await scan('eu-west-1');
    expect(eu[0]).toMatchObject({ monthlyCost: null, costBasis: 'Cost unknown: no OpenSearch price for r6g.large.search instance hours, gp3 storage (eu-west-1)' });
  });

  it('parts: its own cost, nothing stays behind', () => {
    const f = byName(east, 'idle-app');
    expect(handler.parts(f, DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false })).toEqual({
      own: { monthlyCost: f.monthlyCost, costBasis: f.costBasis },
      parts: [],
    });
    expect(domainCost(shapeOf({ DomainId: 'x', DomainName: 'x', ARN: 'x', ClusterConfig: { InstanceType: 'r6g.large.search', InstanceCount: 1 } }), null, 'us-east-1').monthlyCost).toBeNull();
  });

  it('declares the Cost Explorer service both names of OpenSearch map to', () => {
    expect(lookupService('Amazon OpenSearch Service').code).toBe(handler.billingServiceCode);
    expect(lookupService('Amazon Elasticsearch Service').code).toBe(handler.billingServiceCode);
    expect(handler.serviceCodes).toEqual([handler.billingServiceCode]);
    expect(handler).toMatchObject({ type: 'opensearch:domain', category: 'Analytics', deleteOrder: 55 });
  });

  it('one action, delete, verified by a permission check, with the snapshot warning', () => {
    expect(handler.verification.method).toBe('permission-check');
    expect(handler.actions?.map((a) => a.id)).toEqual(['delete']);
    const del = handler.actions![0]!;
    expect(del).toMatchObject({ removes: true, iam: ['es:DeleteDomain', 'es:DescribeDomain', 'es:ListTags'] });
    expect(del.explicit).toBeUndefined();
    expect(del.warning).toMatch(/automated snapshots/);
    expect(del.warning).toMatch(/_snapshot API with a snapshot repository registered/);
  });

  it('a scan makes listing calls and batched metric calls only: DescribeDomains 5 names at a time, one tagging listing', async () => {
    s.sim.resetCounts();
    const engine = new MetricsEngine({ client: (r) => s.clients.client(CloudWatchClient, r), window: metricsWindow(NOW) });
    const found = await scan('eu-west-1', { metrics: engine.forRegion('eu-west-1') });
    expect(found).toHaveLength(MANY);
    expect(found.every((f) => f.unused)).toBe(true);
    const ops = s.sim.counts().byOperation;
    expect(ops['es:ListDomainNames']).toBe(1);
    // DescribeDomains is the API's batch read (≤ 5 names): listing calls, ⌈12 / 5⌉ = 3.
    expect(ops['es:DescribeDomains']).toBe(Math.ceil(MANY / DESCRIBE_BATCH));
    expect(ops['tagging:GetResources']).toBe(1);
    expect(ops['es:DescribeDomain']).toBeUndefined();
    expect(ops['es:ListTags']).toBeUndefined();
    expect(engine.meter.metricsRequested).toBe(MANY * 2);
    expect(ops['monitoring:GetMetricData']).toBe(1);
    expect(ops['monitoring:ListMetrics']).toBeUndefined();
  });

  it('a region without domains makes one call', async () => {
    s.sim.resetCounts();
    expect(await scan('ap-south-1')).toEqual([]);
    expect(s.sim.counts().total).toBe(1);
  });

  for (const action of ['es:ListDomainNames', 'es:DescribeDomains', 'tag:GetResources']) {
    it(`a denied ${action} fails the scan with an error naming the action`, async () => {
      s.sim.state.deny.add(action);
      try {
        await expect(scan('us-east-1')).rejects.toThrow(new RegExp(`not authorized to perform: ${action}`));
      } finally {
        s.sim.state.deny.delete(action);
      }
    });
  }
});

describe('opensearch:domain re-check and delete', () => {
  const domains = () => s.sim.state.region('us-east-1').opensearch.domains;

  it('re-checks with exact reads: unchanged when still idle', async () => {
    s.sim.resetCounts();
    const r = await handler.recheck(ctxFor('us-east-1'), stored(byName(east, 'idle-app')));
    expect(r).toMatchObject({ status: 'unchanged', current: { unused: true } });
    const ops = s.sim.counts().byOperation;
    expect(ops['es:DescribeDomain']).toBe(1);
    expect(ops['es:ListTags']).toBe(1);
    expect(ops['tagging:GetResources']).toBeUndefined();
  });

  it('a search on the latest day changes an idle finding', async () => {
    const metrics = s.sim.state.region('us-east-1').metrics;
    const dims = [
      { name: 'DomainName', value: 'idle-app' },
      { name: 'ClientId', value: ACCOUNT },
    ];
    const saved = metrics.get(metricKey('AWS/ES', 'SearchRate', dims));
    putDailySeries(metrics, { namespace: 'AWS/ES', metricName: 'SearchRate', dimensions: dims, daily: [...every(0).slice(1), 4] }, NOW);
    try {
      const r = await handler.recheck(ctxFor('us-east-1'), stored(byName(east, 'idle-app')));
      expect(r).toMatchObject({ status: 'changed', reason: 'No longer idle: In use: SearchRate 4 search requests on 2026-11-24' });
    } finally {
      metrics.set(metricKey('AWS/ES', 'SearchRate', dims), saved!);
    }
  });

  it('a protection tag added since the scan protects (ListTags at re-check)', async () => {
    const d = domains().get('tagged')!;
    d.tags.push({ key: 'cloud-cleaner:keep', value: 'yes' });
    try {
      const r = await handler.recheck(ctxFor('us-east-1'), stored(byName(east, 'tagged')));
      expect(r).toMatchObject({ status: 'protected', reason: 'Tagged cloud-cleaner:keep=yes' });
    } finally {
      d.tags.pop();
    }
  });

  it('a domain processing a change is not acted on', async () => {
    const d = domains().get('idle-app')!;
    d.status = 'Modifying';
    try {
      const r = await handler.recheck(ctxFor('us-east-1'), stored(byName(east, 'idle-app')));
      expect(r).toMatchObject({ status: 'changed', reason: expect.stringMatching(/^The domain is Modifying: a change is in progress/) });
    } finally {
      d.status = 'Active';
    }
  });

  it('refuses a protected domain and sends nothing; a dry run sends nothing either', async () => {
    s.sim.resetCounts();
    const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
    expect(await handler.delete(ctx, stored(byName(east, 'kept')), { dryRun: false })).toEqual({ kind: 'refused', reason: 'Tagged cloud-cleaner:keep=true' });
    expect(await handler.delete(ctx, stored(byName(east, 'idle-app')), { dryRun: true })).toMatchObject({ kind: 'checked', calls: [] });
    expect(ctx.log).toEqual([]);
    expect(s.sim.counts().total).toBe(0);
  });

  it('a denied es:DeleteDomain is unauthorized, audited, and the domain stays', async () => {
    s.sim.state.deny.add('es:DeleteDomain');
    try {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
      const out = await handler.delete(ctx, stored(byName(east, 'legacy')), { dryRun: false });
      expect(out).toMatchObject({ kind: 'unauthorized', code: 'AccessDeniedException', message: expect.stringContaining('es:DeleteDomain') });
      expect(ctx.log).toEqual([{ action: 'DeleteDomain', target: 'legacy', dryRun: false }]);
      expect(domains().get('legacy')?.deleted).toBe(false);
    } finally {
      s.sim.state.deny.delete('es:DeleteDomain');
    }
  });

  it('deletes through the audit log; the domain answers Deleted, then is gone, and the re-check says so', async () => {
    const f = byName(east, 'idle-app');
    s.sim.configure({ openSearchDeletionDelayMs: 60_000 });
    try {
      const ctx = recordingDeleteContext({ ...ctxFor('us-east-1') });
      let inside = false;
      const audited = ctx.audited.bind(ctx);
      ctx.audited = (call, fn) => audited(call, async () => ((inside = ctx.inside()), fn()));
      const out = await handler.delete(ctx, stored(f), { dryRun: false });
      expect(out).toEqual({ kind: 'deleted', calls: ['DeleteDomain idle-app'] });
      expect(inside).toBe(true);
      expect(ctx.log).toEqual([{ action: 'DeleteDomain', target: 'idle-app', dryRun: false }]);
      expect(domains().get('idle-app')?.deleted).toBe(true);
      expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toEqual({ status: 'gone', reason: 'The domain is being deleted' });
      domains().get('idle-app')!.removesAtMs = Date.now() - 1;
      expect(await handler.recheck(ctxFor('us-east-1'), stored(f))).toEqual({ status: 'gone', reason: 'The domain no longer exists' });
      expect(domains().has('idle-app')).toBe(false);
      // Deleting what is already gone is what the call was for.
      const again = await handler.delete(recordingDeleteContext({ ...ctxFor('us-east-1') }), stored(f), { dryRun: false });
      expect(again).toEqual({ kind: 'deleted', calls: ['DeleteDomain idle-app (already gone)'] });
    } finally {
      s.sim.configure({ openSearchDeletionDelayMs: 0 });
    }
  });
});
