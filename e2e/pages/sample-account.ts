/**
 * TEST-ONLY oracle for the sample account (e2e/aws-sim/fixtures/sample-account.json): the 85 unused resources of
 * sample-account.expected.md, and the monthly costs that follow from AWS's public us-east-1 / eu-west-1 /
 * ap-northeast-1 prices, computed here by hand (730 hours a month) — independent of the app's price book. The database
 * costs use the us-east-1 prices the app bundles with dated sources (src/main/pricing/keys/*.ts); the idle OpenSearch
 * domain logs-search and the Redshift cluster warehouse (its RA3 managed storage) have no bundled price (their cost is
 * "unknown") and are not listed here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ACCOUNT_ID = '123456789012';

/** sample-account.expected.md, "Unused (85)": region → ids. */
export const UNUSED: Record<string, string[]> = {
  'us-east-1': [
    'i-0a100000000000002', 'i-0a100000000000005', 'i-0a100000000000007', 'i-0a100000000000008', 'i-0a10000000000000d',
    'vol-0a100000000000010', 'vol-0a100000000000011', 'vol-0a100000000000012', 'vol-0a100000000000013',
    'vol-0a100000000000014', 'vol-0a100000000000015', 'vol-0a100000000000016', 'vol-0a100000000000017',
    'eipalloc-0a100000000000003', 'eipalloc-0a100000000000004', 'eipalloc-0a100000000000006',
    'snap-0a100000000000002', 'snap-0a100000000000003', 'snap-0a100000000000004', 'snap-0a100000000000009', 'snap-0a100000000000010',
    'ami-0a100000000000002', 'ami-0a100000000000004', 'ami-0a100000000000005', 'ami-0a100000000000006',
    'ami-0a100000000000007', 'ami-0a100000000000008', 'ami-0a100000000000009',
    'nat-0a100000000000003', 'vpce-0a100000000000001', 'legacy-clb',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orphan-alb/0000000000000002',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-ingress-alb/0000000000000004',
    'orders-db', 'reporting-db', 'ledger-db', 'analytics-aurora', 'old-orders-final', 'partner-copy',
    'sessions', 'warehouse', 'logs-search',
    // housekeeping kinds (#18)
    '/app/orders-api',
    '/aws/lambda/resize-images',
    '/app/audit',
    '/aws/lambda/legacy-cron',
    '/ecs/old-worker',
    '/app/compliance-archive',
    '/app/new-service',
    '/app/forgotten-batch',
    'cc-sample-media-uploads',
    'cc-sample-backups-covered',
    'cc-sample-keep-uploads',
    'web-frontend@sha256:4559e04755ab0dbfa7c43a32116030ed1933d6eddb4213a36c79b33089ab8396',
    'web-frontend@sha256:40bf2cceb76b0e9a1c601fb23209924e7b184403d8f9cfc73280d3ea0c1cf62b',
    'legacy/batch-worker@sha256:683a0be03658c277b4a550b799081d30c3454875ea01fce267ae1033d23826e3',
    'legacy/batch-worker@sha256:10e73dbd32697d44e3eb6992511fccd06ff376fbe8d90f8033914850d94d35f7',
    'base-images@sha256:f04938280005e8da823a4a2fca1e46eaa70a3b87095192bbe8082c44d3b56fc4',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:old/partner-ftp-password-6WDjJ0',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/never-used-token-3x4K1I',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:break-glass/root-recovery-F2uQx9',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/replicated-config-IA4YM0',
    'sandbox-old',
    'legacy-platform',
    'keep-dr',
    '1a2b3c4d-0000-4000-8000-00000000d001',
    '1a2b3c4d-0000-4000-8000-00000000d002',
    'churn-model-staging',
    'recsys-ab-test',
    'demo-llm-keep',
    'ana-exploration',
    'shared-gpu-nb',
  ],
  'eu-west-1': ['i-0e100000000000002', 'i-0e100000000000003', 'vol-0e100000000000010', 'vol-0e100000000000011', 'eipalloc-0e100000000000002', 'snap-0e100000000000001', 'ami-0e100000000000002', 'nat-0e100000000000001'],
  'ap-northeast-1': ['vol-0c100000000000010', 'vol-0c100000000000011', 'eipalloc-0c100000000000001', 'snap-0c100000000000001', 'ami-0c100000000000001'],
};

export const ALL_UNUSED = Object.values(UNUSED).flat();

const EIP_MONTH = 0.005 * 730; // $0.005 per idle public IPv4 address-hour

/** Monthly costs (USD) from the public price lists, per GiB-month / IOPS-month / MiB/s-month. */
export const EXPECTED_COST: Record<string, number> = {
  // us-east-1: gp3 $0.08/GiB + $0.005 per IOPS over 3,000 + $0.04 per MiB/s over 125
  'vol-0a100000000000010': 100 * 0.08 + 1000 * 0.005 + 75 * 0.04,
  'vol-0a100000000000011': 50 * 0.1, // gp2 $0.10
  'vol-0a100000000000012': 64 * 0.125 + 16000 * 0.065, // io2 $0.125/GiB + $0.065/IOPS (first 32,000)
  'vol-0a100000000000013': 500 * 0.045, // st1
  'vol-0a100000000000014': 1000 * 0.015, // sc1
  'vol-0a100000000000017': 10 * 0.1, // gp2
  'eipalloc-0a100000000000003': EIP_MONTH,
  'eipalloc-0a100000000000006': EIP_MONTH,
  'nat-0a100000000000003': 730 * 0.045, // NAT gateway hours
  'vpce-0a100000000000001': 730 * 0.01, // one AZ of an interface endpoint
  'legacy-clb': 730 * 0.025 + 2 * EIP_MONTH, // Classic hours + a public IPv4 per AZ
  // us-east-1 databases: RDS PostgreSQL Single-AZ hours + gp3 $0.115/GB-month; MySQL stopped: storage only
  'orders-db': 730 * 0.072 + 100 * 0.115, // db.t3.medium + 100 GiB
  'ledger-db': 730 * 0.018 + 20 * 0.115, // db.t3.micro + 20 GiB
  'reporting-db': 20 * 0.115, // stopped
  'analytics-aurora': 730 * 0.26 + 20 * 0.1, // Aurora PostgreSQL db.r6g.large + 20 GiB Standard storage
  'old-orders-final': 50 * 0.095, // RDS backup storage
  'partner-copy': 30 * 0.095,
  sessions: 2 * 730 * 0.017, // Redis cache.t3.micro primary + replica
  // eu-west-1: gp3 $0.088, st1 $0.05
  'vol-0e100000000000010': 250 * 0.088,
  'vol-0e100000000000011': 1000 * 0.05,
  'eipalloc-0e100000000000002': EIP_MONTH,
  'nat-0e100000000000001': 730 * 0.048,
  // ap-northeast-1: sc1 $0.018
  'vol-0c100000000000010': 2000 * 0.018,
  'eipalloc-0c100000000000001': EIP_MONTH,
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const formatUsd = (n: number): string => usd.format(n);

/**
 * The fixture's 30-day costs per Cost Explorer service (usage records only: the app leaves Credit, Refund and Tax
 * out, as Cost Explorer's console does by default), and their total over services above the $0.01 minimum.
 */
export function fixtureCosts(): { services: Map<string, number>; total: number } {
  const file = path.join(__dirname, '..', 'aws-sim', 'fixtures', 'sample-account.json');
  const f = JSON.parse(readFileSync(file, 'utf8')) as { costExplorer: { series: { service: string; recordType?: string; daily: (string | null)[] }[] } };
  const services = new Map<string, number>();
  for (const s of f.costExplorer.series) {
    if (s.recordType && s.recordType !== 'Usage') continue;
    // Sum in integer units of 1e-10 dollars: exact for the fixture's 10-decimal amounts.
    const units = s.daily.reduce((sum, d) => sum + (d === null ? 0n : BigInt(d.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1')) * 10n ** BigInt(10 - (d.split('.')[1]?.length ?? 0))), 0n);
    services.set(s.service, (services.get(s.service) ?? 0) + Number(units) / 1e10);
  }
  const active = [...services.entries()].filter(([, v]) => v >= 0.01);
  return { services: new Map(active), total: active.reduce((a, [, v]) => a + v, 0) };
}
