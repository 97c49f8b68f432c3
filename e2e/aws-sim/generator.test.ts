import { describe, expect, it } from 'vitest';
import { generateAccount } from './generator';
import { resolveFixture } from './resolve-fixture';
import { resourceKey, unusedByDefinition } from './unused-oracle';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('generateAccount', () => {
  it('builds the benchmark account (17 regions × 7,500 resources) in well under 2 s', () => {
    const t0 = performance.now();
    const { fixture, unused } = generateAccount();
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2000);
    expect(fixture.regions).toHaveLength(17);
    const r = fixture.resources?.['us-east-1'];
    // 300 addresses + one Elastic IP per NAT gateway.
    expect([r?.instances?.length, r?.volumes?.length, r?.snapshots?.length, r?.addresses?.length, r?.images?.length]).toEqual([1000, 3000, 3000, 320, 200]);
    expect([r?.natGateways?.length, r?.vpcEndpoints?.length, r?.elb?.loadBalancers?.length, r?.elb?.classicLoadBalancers?.length]).toEqual([20, 40, 30, 10]);
    expect(r?.vpcEndpoints?.filter((e) => e.type === 'Gateway')).toHaveLength(10);
    const count = (type: string): number => unused.filter((u) => u.type === type && u.region === 'us-east-1').length;
    expect([count('ec2:instance'), count('ec2:volume'), count('ec2:snapshot'), count('ec2:elastic-ip'), count('ec2:image')]).toEqual([300, 1200, 900, 90, 60]);
    // 6 NAT gateways, 9 of the 30 interface endpoints, 9 ELBv2 + 3 Classic load balancers.
    expect([count('ec2:nat-gateway'), count('ec2:vpc-endpoint'), count('elb:load-balancer')]).toEqual([6, 9, 12]);
    // Databases: 20 RDS instances (+ the Aurora members), 5 Aurora clusters, 20 DB snapshots, 10 caches, 5 + 5.
    expect(r?.rds?.instances?.filter((i) => i.clusterId === undefined)).toHaveLength(20);
    expect([r?.rds?.clusters?.length, (r?.rds?.snapshots?.length ?? 0) + (r?.rds?.clusterSnapshots?.length ?? 0)]).toEqual([5, 20]);
    expect((r?.elasticache?.replicationGroups?.length ?? 0) + (r?.elasticache?.cacheClusters?.length ?? 0)).toBe(10);
    expect([r?.redshift?.clusters?.length, r?.opensearch?.domains?.length]).toEqual([5, 5]);
    // 30 % of each: 6 + 2 + 6 + 3 + 2 + 2.
    expect(['rds:db-instance', 'rds:db-cluster', 'rds:snapshot', 'elasticache:cluster', 'redshift:cluster', 'opensearch:domain'].map(count)).toEqual([6, 2, 6, 3, 2, 2]);
    expect(unused).toHaveLength(17 * (300 + 1200 + 900 + 90 + 60 + 6 + 9 + 12 + 21));
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = generateAccount({ regions: 2, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 5 });
    const b = generateAccount({ regions: 2, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 5 });
    const c = generateAccount({ regions: 2, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 6 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('keeps the EC2 resources of a seed as they were before the network kinds (own random stream)', () => {
    const small = { regions: 1, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 5 };
    const a = generateAccount(small).fixture.resources?.['us-east-1'];
    const b = generateAccount({ ...small, natGateways: 0, vpcEndpoints: 0, loadBalancers: 0, classicLoadBalancers: 0 }).fixture.resources?.['us-east-1'];
    expect(JSON.stringify([a?.instances, a?.volumes, a?.snapshots, a?.images])).toBe(JSON.stringify([b?.instances, b?.volumes, b?.snapshots, b?.images]));
  });

  it('keeps the EC2 and network resources and their costs of a seed as they were before the database kinds (own random stream)', () => {
    const small = { regions: 2, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 5 };
    const none = { rdsInstances: 0, dbClusters: 0, dbSnapshots: 0, cacheClusters: 0, redshiftClusters: 0, openSearchDomains: 0 };
    const a = generateAccount(small);
    const b = generateAccount({ ...small, ...none });
    const strip = (g: typeof a) =>
      JSON.stringify([
        Object.values(g.fixture.resources ?? {}).map(({ rds: _r, elasticache: _e, redshift: _s, opensearch: _o, metrics, ...rest }) => ({
          ...rest,
          metrics: metrics?.filter((m) => !/^AWS\/(RDS|ElastiCache|Redshift|ES)$/.test(m.namespace)),
        })),
        g.fixture.costExplorer?.series?.slice(0, 6),
        g.unused.filter((u) => /^(ec2|elb):/.test(u.type)),
      ]);
    expect(strip(a)).toBe(strip(b));
    expect(a.unused.length).toBeGreaterThan(b.unused.length);
  });

  it('database kinds: the unused list matches the definitions for every case, small and odd sizes included', () => {
    for (const o of [
      {},
      { rdsInstances: 20, dbClusters: 5, dbSnapshots: 20, cacheClusters: 10, redshiftClusters: 5, openSearchDomains: 5 },
      { rdsInstances: 1, dbClusters: 1, dbSnapshots: 1, cacheClusters: 1, redshiftClusters: 1, openSearchDomains: 1, unusedDatabaseRatio: 1 },
      { rdsInstances: 13, dbClusters: 7, dbSnapshots: 17, cacheClusters: 11, redshiftClusters: 6, openSearchDomains: 9, unusedDatabaseRatio: 0.6 },
    ]) {
      const regions = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
      const { fixture, unused } = generateAccount({ regions, instances: 20, volumes: 40, snapshots: 30, addresses: 5, images: 5, seed: 3, ...o });
      for (const now of [NOW, new Date('2026-11-25T23:59:00Z'), new Date('2026-11-25T00:00:01Z')]) {
        const oracle = unusedByDefinition(resolveFixture(fixture, now), now).map(resourceKey).sort();
        expect(unused.map(resourceKey).sort()).toEqual(oracle);
      }
    }
    // A small account (3 of each per region) still has unused ones of every database kind, and not only unused ones.
    const { fixture, unused } = generateAccount({ regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'], instances: 20, volumes: 40, snapshots: 30, addresses: 5, images: 5 });
    const kinds = ['rds:db-instance', 'rds:db-cluster', 'rds:snapshot', 'elasticache:cluster', 'redshift:cluster', 'opensearch:domain'];
    expect(kinds.map((t) => unused.filter((u) => u.type === t).length)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(fixture.resources?.['us-east-1']?.redshift?.clusters).toHaveLength(3);
  });

  it('database kinds: every case appears, protected ones included (the edge cases are not unused)', () => {
    const { fixture, unused } = generateAccount({ regions: 3, instances: 1000, volumes: 10, snapshots: 10, addresses: 1, images: 5, natGateways: 0, vpcEndpoints: 0, loadBalancers: 0, classicLoadBalancers: 0 });
    const account = resolveFixture(fixture, NOW);
    const flagged = new Set(unused.map(resourceKey));
    const rds = [...account.regions.values()].flatMap((r) => [...r.rds.instances.values()].map((i) => ({ r: r.name, i })));
    const standalone = rds.filter(({ i }) => i.clusterId === undefined);
    const isUnused = (region: string, type: string, id: string): boolean => flagged.has(`${region} ${type} ${id}`);
    expect(standalone.some(({ r, i }) => i.status === 'stopped' && isUnused(r, 'rds:db-instance', i.id))).toBe(true);
    expect(standalone.some(({ r, i }) => i.deletionProtection && isUnused(r, 'rds:db-instance', i.id))).toBe(true);
    expect(standalone.some(({ r, i }) => i.readReplicaOf !== undefined && !isUnused(r, 'rds:db-instance', i.id))).toBe(true);
    expect(standalone.some(({ r, i }) => i.status === 'modifying' && !isUnused(r, 'rds:db-instance', i.id))).toBe(true);
    expect(unused.some((u) => u.id.startsWith('cluster-snapshot:'))).toBe(true);
    const clusters = [...account.regions.values()].flatMap((r) => [...r.rds.clusters.values()].map((c) => ({ r: r.name, c, members: r.rds.membersOf(c.id).length })));
    expect(clusters.some(({ r, c }) => c.status === 'stopped' && isUnused(r, 'rds:db-cluster', c.id))).toBe(true);
    expect(clusters.some(({ r, c, members }) => members === 0 && c.engineMode === 'provisioned' && isUnused(r, 'rds:db-cluster', c.id))).toBe(true);
    expect(clusters.some(({ r, c }) => c.engineMode === 'serverless' && !isUnused(r, 'rds:db-cluster', c.id))).toBe(true);
    const redshift = [...account.regions.values()].flatMap((r) => [...r.redshift.clusters.values()].map((c) => ({ r: r.name, c })));
    expect(redshift.filter(({ c }) => c.status === 'paused').map(({ r, c }) => isUnused(r, 'redshift:cluster', c.id))).toEqual(expect.arrayContaining([true, false]));
    const domains = [...account.regions.values()].flatMap((r) => [...r.opensearch.domains.values()].map((d) => ({ r: r.name, d })));
    expect(domains.filter(({ d }) => d.clusterConfig.warmEnabled).map(({ r, d }) => isUnused(r, 'opensearch:domain', d.domainName))).toEqual(expect.arrayContaining([true, false]));
    const caches = [...account.regions.values()].flatMap((r) => [...r.elasticache.cacheClusters.values()]);
    expect(caches.some((c) => c.engine === 'memcached')).toBe(true);
    expect([...account.regions.values()].some((r) => [...r.elasticache.replicationGroups.values()].some((g) => g.clusterMode))).toBe(true);
    // Some unused ones are protected by the keep tag (still unused by definition).
    const tagged = [...account.regions.values()].flatMap((r) => [
      ...[...r.rds.instances.values()].filter((i) => i.tags.some((t) => t.key === 'cloud-cleaner:keep')).map((i) => `${r.name} rds:db-instance ${i.id}`),
      ...[...r.redshift.clusters.values()].filter((c) => c.tags.some((t) => t.key === 'cloud-cleaner:keep')).map((c) => `${r.name} redshift:cluster ${c.id}`),
    ]);
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((k) => flagged.has(k))).toBe(true);
  });

  it('network kinds: the unused list matches the definitions for every case, small and odd sizes included', () => {
    for (const o of [
      { natGateways: 20, vpcEndpoints: 40, loadBalancers: 30, classicLoadBalancers: 10 },
      { natGateways: 1, vpcEndpoints: 2, loadBalancers: 1, classicLoadBalancers: 1, unusedNatGatewayRatio: 1, unusedVpcEndpointRatio: 1, unusedLoadBalancerRatio: 1 },
      { natGateways: 7, vpcEndpoints: 9, loadBalancers: 13, classicLoadBalancers: 4, unusedLoadBalancerRatio: 0.9, unusedVpcEndpointRatio: 0.8 },
    ]) {
      const { fixture, unused } = generateAccount({ regions: ['us-east-1', 'eu-west-1'], instances: 20, volumes: 40, snapshots: 30, addresses: 5, images: 5, seed: 3, ...o });
      for (const now of [NOW, new Date('2026-11-25T23:59:00Z')]) {
        const oracle = unusedByDefinition(resolveFixture(fixture, now), now).map(resourceKey).sort();
        expect(unused.map(resourceKey).sort()).toEqual(oracle);
      }
    }
  });

  it('its unused list is exactly what the definitions find in the resolved account', () => {
    const { fixture, unused } = generateAccount({ regions: ['us-east-1', 'eu-west-1'], instances: 200, volumes: 600, snapshots: 600, addresses: 60, images: 40, seed: 9 });
    const account = resolveFixture(fixture, NOW);
    const oracle = unusedByDefinition(account, NOW).map(resourceKey).sort();
    expect(unused.map(resourceKey).sort()).toEqual(oracle);
    // Instances stopped "long ago" are > 30 days, the others run; attached volumes include the roots.
    const region = account.region('us-east-1');
    const stopped = [...region.instances.values()].filter((i) => i.state === 'stopped');
    expect(stopped).toHaveLength(60);
    expect(stopped.every((i) => /^User initiated \(/.test(i.stateTransitionReason))).toBe(true);
    expect([...region.volumes.values()].filter((v) => v.state === 'in-use')).toHaveLength(360);
    expect([...region.instances.values()].every((i) => [...region.volumes.values()].some((v) => v.attachments.some((a) => a.instanceId === i.instanceId)))).toBe(true);
    // Some used AMIs are referenced only by a launch template version.
    const byInstance = new Set([...region.instances.values()].map((i) => i.imageId));
    const ltOnly = [...region.launchTemplates.values()].flatMap((lt) => lt.versions.map((v) => v.imageId)).filter((id) => id && !byInstance.has(id));
    expect(ltOnly.length).toBeGreaterThan(0);
  });
});
