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
    expect([r?.instances?.length, r?.volumes?.length, r?.snapshots?.length, r?.addresses?.length, r?.images?.length]).toEqual([1000, 3000, 3000, 300, 200]);
    const count = (type: string): number => unused.filter((u) => u.type === type && u.region === 'us-east-1').length;
    expect([count('ec2:instance'), count('ec2:volume'), count('ec2:snapshot'), count('ec2:elastic-ip'), count('ec2:image')]).toEqual([300, 1200, 900, 90, 60]);
    expect(unused).toHaveLength(17 * (300 + 1200 + 900 + 90 + 60));
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = generateAccount({ regions: 2, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 5 });
    const b = generateAccount({ regions: 2, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 5 });
    const c = generateAccount({ regions: 2, instances: 50, volumes: 120, snapshots: 100, addresses: 20, images: 20, seed: 6 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
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
