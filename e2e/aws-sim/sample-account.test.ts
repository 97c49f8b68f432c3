import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeRouteTablesCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { loadSampleAccount, startSimulator } from './index';
import { cloudWatchClient, ec2Client } from './test-clients';
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
  'us-east-1 ec2:nat-gateway nat-0a100000000000003',
  'us-east-1 ec2:vpc-endpoint vpce-0a100000000000001',
  'us-east-1 elb:load-balancer arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orphan-alb/0000000000000002',
  'us-east-1 elb:load-balancer arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-ingress-alb/0000000000000004',
  'us-east-1 elb:load-balancer legacy-clb',
  'us-east-1 rds:db-instance orders-db',
  'us-east-1 rds:db-instance reporting-db',
  'us-east-1 rds:db-instance ledger-db',
  'us-east-1 rds:db-cluster analytics-aurora',
  'us-east-1 rds:snapshot old-orders-final',
  'us-east-1 rds:snapshot partner-copy',
  'us-east-1 elasticache:cluster sessions',
  'us-east-1 redshift:cluster warehouse',
  'us-east-1 opensearch:domain logs-search',
  'eu-west-1 ec2:instance i-0e100000000000002',
  'eu-west-1 ec2:instance i-0e100000000000003',
  'eu-west-1 ec2:volume vol-0e100000000000010',
  'eu-west-1 ec2:volume vol-0e100000000000011',
  'eu-west-1 ec2:elastic-ip eipalloc-0e100000000000002',
  'eu-west-1 ec2:snapshot snap-0e100000000000001',
  'eu-west-1 ec2:image ami-0e100000000000002',
  'eu-west-1 ec2:nat-gateway nat-0e100000000000001',
  'ap-northeast-1 ec2:volume vol-0c100000000000010',
  'ap-northeast-1 ec2:volume vol-0c100000000000011',
  'ap-northeast-1 ec2:elastic-ip eipalloc-0c100000000000001',
  'ap-northeast-1 ec2:snapshot snap-0c100000000000001',
  'ap-northeast-1 ec2:image ami-0c100000000000001',
  // The housekeeping kinds (#18): log groups, S3 uploads, ECR images, secrets, EKS clusters, KMS keys.
  'us-east-1 logs:log-group /app/orders-api',
  'us-east-1 logs:log-group /aws/lambda/resize-images',
  'us-east-1 logs:log-group /app/audit',
  'us-east-1 logs:dead-log-group /aws/lambda/legacy-cron',
  'us-east-1 logs:dead-log-group /ecs/old-worker',
  'us-east-1 logs:dead-log-group /app/compliance-archive',
  'us-east-1 logs:log-group /app/new-service',
  'us-east-1 logs:dead-log-group /app/forgotten-batch',
  'us-east-1 s3:incomplete-uploads cc-sample-media-uploads',
  'us-east-1 s3:incomplete-uploads cc-sample-backups-covered',
  'us-east-1 s3:incomplete-uploads cc-sample-keep-uploads',
  'us-east-1 ecr:image web-frontend@sha256:4559e04755ab0dbfa7c43a32116030ed1933d6eddb4213a36c79b33089ab8396',
  'us-east-1 ecr:image web-frontend@sha256:40bf2cceb76b0e9a1c601fb23209924e7b184403d8f9cfc73280d3ea0c1cf62b',
  'us-east-1 ecr:image legacy/batch-worker@sha256:683a0be03658c277b4a550b799081d30c3454875ea01fce267ae1033d23826e3',
  'us-east-1 ecr:image legacy/batch-worker@sha256:10e73dbd32697d44e3eb6992511fccd06ff376fbe8d90f8033914850d94d35f7',
  'us-east-1 ecr:image base-images@sha256:f04938280005e8da823a4a2fca1e46eaa70a3b87095192bbe8082c44d3b56fc4',
  'us-east-1 secretsmanager:secret arn:aws:secretsmanager:us-east-1:123456789012:secret:old/partner-ftp-password-6WDjJ0',
  'us-east-1 secretsmanager:secret arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/never-used-token-3x4K1I',
  'us-east-1 secretsmanager:secret arn:aws:secretsmanager:us-east-1:123456789012:secret:break-glass/root-recovery-F2uQx9',
  'us-east-1 secretsmanager:secret arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/replicated-config-IA4YM0',
  'us-east-1 eks:cluster sandbox-old',
  'us-east-1 eks:cluster legacy-platform',
  'us-east-1 eks:cluster keep-dr',
  'us-east-1 sagemaker:endpoint churn-model-staging',
  'us-east-1 sagemaker:endpoint recsys-ab-test',
  'us-east-1 sagemaker:endpoint demo-llm-keep',
  'us-east-1 sagemaker:notebook-instance ana-exploration',
  'us-east-1 sagemaker:notebook-instance shared-gpu-nb',
  'us-east-1 kms:key 1a2b3c4d-0000-4000-8000-00000000d001',
  'us-east-1 kms:key 1a2b3c4d-0000-4000-8000-00000000d002',
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

  it('has 30 days of costs for eighteen services, with sub-cent amounts, a credit and a tax record', async () => {
    const account = resolveFixture(await loadSampleAccount(), new Date('2026-11-25T12:00:00Z'));
    const services = new Set(account.costs.filter((c) => c.recordType === 'Usage').map((c) => c.service));
    expect(services.size).toBe(18);
    for (const db of ['Amazon Relational Database Service', 'Amazon ElastiCache', 'Amazon Redshift', 'Amazon OpenSearch Service']) expect(services).toContain(db);
    expect(new Set(account.costs.map((c) => c.date)).size).toBe(30);
    expect(account.costs.some((c) => c.recordType === 'Credit')).toBe(true);
    expect(account.costs.some((c) => c.recordType === 'Tax')).toBe(true);
    expect(account.costs.some((c) => Number(c.amount) > 0 && Number(c.amount) < 0.01)).toBe(true);
    expect(account.costs.map((c) => c.date).sort().at(-1)).toBe('2026-11-24');
  });

  it('answers the network kinds over the wire as expected.md says (routes, endpoints, 30-day metric window)', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const sim = await startSimulator({ now });
    const ec2 = ec2Client(sim.endpoint);
    const cw = cloudWatchClient(sim.endpoint);
    try {
      const routed = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.nat-gateway-id', Values: ['nat-*'] }] }));
      expect(routed.RouteTables?.flatMap((t) => t.Routes?.map((r) => r.NatGatewayId) ?? []).filter(Boolean).sort()).toEqual(['nat-0a100000000000001', 'nat-0a100000000000003']);
      const eps = await ec2.send(new DescribeVpcEndpointsCommand({}));
      expect(eps.VpcEndpoints?.map((e) => [e.VpcEndpointId, e.VpcEndpointType, e.State])).toEqual([
        ['vpce-0a100000000000001', 'Interface', 'available'],
        ['vpce-0a100000000000002', 'Interface', 'available'],
        ['vpce-0a100000000000003', 'Gateway', 'available'],
      ]);
      const window = { StartTime: new Date('2026-10-26T00:00:00Z'), EndTime: new Date('2026-11-25T00:00:00Z') };
      const q = (id: string, ns: string, metric: string, dims: Record<string, string>): MetricDataQuery => ({
        Id: id,
        MetricStat: { Metric: { Namespace: ns, MetricName: metric, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: 86_400, Stat: 'Sum' },
      });
      const out = await cw.send(
        new GetMetricDataCommand({
          ...window,
          MetricDataQueries: [
            q('standby', 'AWS/NATGateway', 'BytesOutToDestination', { NatGatewayId: 'nat-0a100000000000003' }),
            q('inuse', 'AWS/NATGateway', 'BytesOutToDestination', { NatGatewayId: 'nat-0a100000000000001' }),
            q('idlevpce', 'AWS/PrivateLinkEndpoints', 'BytesProcessed', {
              'VPC Id': 'vpc-0sim00000000000001',
              'VPC Endpoint Id': 'vpce-0a100000000000001',
              'Endpoint Type': 'Interface',
              'Service Name': 'com.amazonaws.us-east-1.ssm',
            }),
          ],
        }),
      );
      const values = (id: string) => out.MetricDataResults?.find((r) => r.Id === id)?.Values ?? [];
      expect(values('standby')).toEqual(Array<number>(30).fill(0));
      expect(values('inuse').every((v) => v > 0) && values('inuse').length === 30).toBe(true);
      expect(values('idlevpce')).toEqual([]);
      // The idle endpoint's missing days count as zero: the shape is confirmed by the endpoint in use.
      const shape = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/PrivateLinkEndpoints', MetricName: 'BytesProcessed', Dimensions: [{ Name: 'VPC Endpoint Id' }] }));
      expect(shape.Metrics?.map((m) => m.Dimensions?.find((d) => d.Name === 'VPC Endpoint Id')?.Value)).toEqual(['vpce-0a100000000000002']);
    } finally {
      ec2.destroy();
      cw.destroy();
      await sim.close();
    }
  });
});
