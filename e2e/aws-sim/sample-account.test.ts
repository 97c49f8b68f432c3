import { describe, expect, it } from 'vitest';
import { loadSampleAccount } from './index';
import { resolveFixture } from './resolve-fixture';
import { resourceKey, unusedByDefinition } from './unused-oracle';

// Keep in sync with fixtures/sample-account.expected.md: this test is what guards that document.
const UNUSED = [
  'us-east-1 ec2:instance i-0a100000000000002',
  'us-east-1 ec2:instance i-0a100000000000005',
  'us-east-1 ec2:instance i-0a100000000000007',
  'us-east-1 ec2:instance i-0a100000000000008',
  'us-east-1 ec2:instance i-0a10000000000000d',
  'us-east-1 ec2:volume vol-0a100000000000010',
  'us-east-1 ec2:volume vol-0a100000000000011',
  'us-east-1 ec2:volume vol-0a100000000000012',
  'us-east-1 ec2:volume vol-0a100000000000013',
  'us-east-1 ec2:volume vol-0a100000000000014',
  'us-east-1 ec2:volume vol-0a100000000000015',
  'us-east-1 ec2:volume vol-0a100000000000016',
  'us-east-1 ec2:volume vol-0a100000000000017',
  'us-east-1 ec2:elastic-ip eipalloc-0a100000000000003',
  'us-east-1 ec2:elastic-ip eipalloc-0a100000000000004',
  'us-east-1 ec2:elastic-ip eipalloc-0a100000000000006',
  'us-east-1 ec2:snapshot snap-0a100000000000002',
  'us-east-1 ec2:snapshot snap-0a100000000000003',
  'us-east-1 ec2:snapshot snap-0a100000000000004',
  'us-east-1 ec2:snapshot snap-0a100000000000009',
  'us-east-1 ec2:snapshot snap-0a100000000000010',
  'us-east-1 ec2:image ami-0a100000000000002',
  'us-east-1 ec2:image ami-0a100000000000004',
  'us-east-1 ec2:image ami-0a100000000000005',
  'us-east-1 ec2:image ami-0a100000000000006',
  'us-east-1 ec2:image ami-0a100000000000007',
  'us-east-1 ec2:image ami-0a100000000000008',
  'us-east-1 ec2:image ami-0a100000000000009',
  'eu-west-1 ec2:instance i-0e100000000000002',
  'eu-west-1 ec2:instance i-0e100000000000003',
  'eu-west-1 ec2:volume vol-0e100000000000010',
  'eu-west-1 ec2:volume vol-0e100000000000011',
  'eu-west-1 ec2:elastic-ip eipalloc-0e100000000000002',
  'eu-west-1 ec2:snapshot snap-0e100000000000001',
  'eu-west-1 ec2:image ami-0e100000000000002',
  'ap-northeast-1 ec2:volume vol-0c100000000000010',
  'ap-northeast-1 ec2:volume vol-0c100000000000011',
  'ap-northeast-1 ec2:elastic-ip eipalloc-0c100000000000001',
  'ap-northeast-1 ec2:snapshot snap-0c100000000000001',
  'ap-northeast-1 ec2:image ami-0c100000000000001',
];
const PROTECTED = ['i-0a100000000000007', 'vol-0a100000000000016', 'vol-0a100000000000019', 'snap-0a100000000000013', 'eipalloc-0a100000000000004', 'snap-0a100000000000009', 'ami-0a100000000000006', 'i-0e100000000000002'];

describe('sample account', () => {
  it('has exactly the unused resources listed in sample-account.expected.md, whatever the load date', async () => {
    const fx = await loadSampleAccount();
    for (const now of [new Date('2026-11-25T12:00:00Z'), new Date('2031-02-03T00:00:00Z')]) {
      const got = unusedByDefinition(resolveFixture(fx, now), now).map(resourceKey).sort();
      expect(got).toEqual([...UNUSED].sort());
    }
  });

  it('protects exactly the resources tagged cloud-cleaner:keep=true (not =false)', async () => {
    const account = resolveFixture(await loadSampleAccount());
    const tagged: string[] = [];
    for (const r of account.regions.values()) {
      for (const m of [r.instances, r.volumes, r.addresses, r.snapshots, r.images] as Map<string, { tags: { key: string; value: string }[] }>[]) {
        for (const [id, res] of m) if (res.tags.some((t) => t.key === 'cloud-cleaner:keep' && t.value === 'true')) tagged.push(id);
      }
    }
    expect(tagged.sort()).toEqual([...PROTECTED].sort());
  });

  it('has 30 days of costs for about ten services, with sub-cent amounts, a credit and a tax record', async () => {
    const account = resolveFixture(await loadSampleAccount(), new Date('2026-11-25T12:00:00Z'));
    const services = new Set(account.costs.filter((c) => c.recordType === 'Usage').map((c) => c.service));
    expect(services.size).toBe(10);
    expect(new Set(account.costs.map((c) => c.date)).size).toBe(30);
    expect(account.costs.some((c) => c.recordType === 'Credit')).toBe(true);
    expect(account.costs.some((c) => c.recordType === 'Tax')).toBe(true);
    expect(account.costs.some((c) => Number(c.amount) > 0 && Number(c.amount) < 0.01)).toBe(true);
    expect(account.costs.map((c) => c.date).sort().at(-1)).toBe('2026-11-24');
  });
});
