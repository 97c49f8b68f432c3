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
    expect(unused).toHaveLength(17 * (300 + 1200 + 900 + 90 + 60 + 6 + 9 + 12));
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
