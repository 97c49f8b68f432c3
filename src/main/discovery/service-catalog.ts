import { SERVICE_EBS, SERVICE_EC2_COMPUTE, SERVICE_EC2_OTHER, SERVICE_VPC } from '../handlers/ec2-common';

export { SERVICE_EBS };

/**
 * Cost Explorer SERVICE display names → stable service codes and categories.
 *
 * AWS publishes no name → code table. Display names are the literal SERVICE dimension values seen in public
 * Cost Explorer output and code; codes are the Price List service codes where one exists (AmazonEC2, AWSELB,
 * awskms, AmazonStates, …), so prices and services join on one key. `AmazonEC2Other` is ours: "EC2 - Other"
 * (EBS, snapshots, NAT gateways, data transfer) has no price-list code of its own.
 */

export const SERVICE_CATEGORIES = [
  'Compute',
  'Storage',
  'Networking',
  'Database',
  'Analytics',
  'Management',
  'Security',
  'Application Integration',
  'Machine Learning',
  'Developer Tools',
  'Containers',
  'Media',
  'Business Applications',
  'Billing',
  'Other',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export interface CatalogEntry {
  code: string;
  /** The SERVICE value Cost Explorer returns today. */
  displayName: string;
  category: ServiceCategory;
  /** Other spellings CE has used for the same service (renames, older names). */
  aliases?: readonly string[];
}

/** Code of the Elastic Block Store line some accounts see instead of EBS inside "EC2 - Other". */

export const CATALOG: readonly CatalogEntry[] = [
  // Compute
  { code: SERVICE_EC2_COMPUTE, displayName: 'Amazon Elastic Compute Cloud - Compute', category: 'Compute' },
  { code: SERVICE_EC2_OTHER, displayName: 'EC2 - Other', category: 'Compute' },
  { code: 'AWSLambda', displayName: 'AWS Lambda', category: 'Compute' },
  { code: 'AmazonLightsail', displayName: 'Amazon Lightsail', category: 'Compute' },
  { code: 'AWSAppRunner', displayName: 'AWS App Runner', category: 'Compute' },
  // Containers
  { code: 'AmazonECS', displayName: 'Amazon Elastic Container Service', category: 'Containers', aliases: ['Amazon EC2 Container Service'] },
  { code: 'AmazonEKS', displayName: 'Amazon Elastic Container Service for Kubernetes', category: 'Containers' },
  { code: 'AmazonECR', displayName: 'Amazon EC2 Container Registry (ECR)', category: 'Containers', aliases: ['Amazon Elastic Container Registry'] },
  { code: 'AmazonECRPublic', displayName: 'Amazon Elastic Container Registry Public', category: 'Containers' },
  // Storage
  { code: 'AmazonS3', displayName: 'Amazon Simple Storage Service', category: 'Storage' },
  { code: SERVICE_EBS, displayName: 'Amazon Elastic Block Store', category: 'Storage' },
  { code: 'AmazonEFS', displayName: 'Amazon Elastic File System', category: 'Storage' },
  { code: 'AmazonFSx', displayName: 'Amazon FSx', category: 'Storage' },
  { code: 'AmazonGlacier', displayName: 'Amazon Glacier', category: 'Storage' },
  { code: 'AWSBackup', displayName: 'AWS Backup', category: 'Storage' },
  { code: 'AWSTransfer', displayName: 'AWS Transfer Family', category: 'Storage' },
  { code: 'AWSDataSync', displayName: 'AWS DataSync', category: 'Storage' },
  // Networking
  { code: SERVICE_VPC, displayName: 'Amazon Virtual Private Cloud', category: 'Networking' },
  { code: 'AWSELB', displayName: 'Amazon Elastic Load Balancing', category: 'Networking' },
  { code: 'AmazonCloudFront', displayName: 'Amazon CloudFront', category: 'Networking' },
  { code: 'AmazonRoute53', displayName: 'Amazon Route 53', category: 'Networking' },
  { code: 'AmazonApiGateway', displayName: 'Amazon API Gateway', category: 'Networking' },
  { code: 'AWSGlobalAccelerator', displayName: 'AWS Global Accelerator', category: 'Networking' },
  { code: 'AWSNetworkFirewall', displayName: 'AWS Network Firewall', category: 'Networking' },
  { code: 'AWSCloudMap', displayName: 'AWS Cloud Map', category: 'Networking' },
  // Database
  { code: 'AmazonRDS', displayName: 'Amazon Relational Database Service', category: 'Database' },
  { code: 'AmazonDynamoDB', displayName: 'Amazon DynamoDB', category: 'Database' },
  { code: 'AmazonElastiCache', displayName: 'Amazon ElastiCache', category: 'Database' },
  { code: 'AmazonMemoryDB', displayName: 'Amazon MemoryDB', category: 'Database' },
  { code: 'AmazonDocDB', displayName: 'Amazon DocumentDB (with MongoDB compatibility)', category: 'Database' },
  { code: 'AmazonNeptune', displayName: 'Amazon Neptune', category: 'Database' },
  { code: 'AmazonTimestream', displayName: 'Amazon Timestream', category: 'Database' },
  { code: 'AmazonMCS', displayName: 'Amazon Keyspaces (for Apache Cassandra)', category: 'Database', aliases: ['Amazon Keyspaces'] },
  { code: 'AWSDatabaseMigrationSvc', displayName: 'AWS Database Migration Service', category: 'Database' },
  // Analytics
  { code: 'AmazonRedshift', displayName: 'Amazon Redshift', category: 'Analytics' },
  { code: 'AmazonAthena', displayName: 'Amazon Athena', category: 'Analytics' },
  { code: 'AWSGlue', displayName: 'AWS Glue', category: 'Analytics' },
  { code: 'AmazonES', displayName: 'Amazon OpenSearch Service', category: 'Analytics', aliases: ['Amazon Elasticsearch Service'] },
  { code: 'ElasticMapReduce', displayName: 'Amazon Elastic MapReduce', category: 'Analytics', aliases: ['Amazon EMR'] },
  { code: 'AmazonKinesis', displayName: 'Amazon Kinesis', category: 'Analytics' },
  { code: 'AmazonKinesisFirehose', displayName: 'Amazon Kinesis Firehose', category: 'Analytics' },
  { code: 'AmazonKinesisAnalytics', displayName: 'Amazon Kinesis Analytics', category: 'Analytics' },
  { code: 'AmazonMSK', displayName: 'Amazon Managed Streaming for Apache Kafka', category: 'Analytics' },
  { code: 'AmazonQuickSight', displayName: 'Amazon QuickSight', category: 'Analytics' },
  // Application integration
  { code: 'AmazonSNS', displayName: 'Amazon Simple Notification Service', category: 'Application Integration' },
  { code: 'AWSQueueService', displayName: 'Amazon Simple Queue Service', category: 'Application Integration' },
  { code: 'AmazonStates', displayName: 'AWS Step Functions', category: 'Application Integration' },
  { code: 'AWSEvents', displayName: 'Amazon EventBridge', category: 'Application Integration', aliases: ['CloudWatch Events'] },
  { code: 'AmazonMQ', displayName: 'Amazon MQ', category: 'Application Integration' },
  { code: 'AWSAppSync', displayName: 'AWS AppSync', category: 'Application Integration' },
  { code: 'AmazonSES', displayName: 'Amazon Simple Email Service', category: 'Business Applications' },
  { code: 'AmazonConnect', displayName: 'Amazon Connect', category: 'Business Applications' },
  // Management and governance
  { code: 'AmazonCloudWatch', displayName: 'AmazonCloudWatch', category: 'Management', aliases: ['Amazon CloudWatch'] },
  { code: 'AWSCloudTrail', displayName: 'AWS CloudTrail', category: 'Management' },
  { code: 'AWSConfig', displayName: 'AWS Config', category: 'Management' },
  { code: 'AWSSystemsManager', displayName: 'AWS Systems Manager', category: 'Management' },
  { code: 'AWSCloudFormation', displayName: 'AWS CloudFormation', category: 'Management' },
  { code: 'AmazonManagedGrafana', displayName: 'Amazon Managed Grafana', category: 'Management' },
  { code: 'AmazonPrometheus', displayName: 'Amazon Managed Service for Prometheus', category: 'Management' },
  // Security
  { code: 'awskms', displayName: 'AWS Key Management Service', category: 'Security' },
  { code: 'AWSSecretsManager', displayName: 'AWS Secrets Manager', category: 'Security' },
  { code: 'awswaf', displayName: 'AWS WAF', category: 'Security' },
  { code: 'AmazonGuardDuty', displayName: 'Amazon GuardDuty', category: 'Security' },
  { code: 'AWSSecurityHub', displayName: 'AWS Security Hub', category: 'Security' },
  { code: 'AmazonInspector', displayName: 'Amazon Inspector', category: 'Security' },
  { code: 'AmazonMacie', displayName: 'Amazon Macie', category: 'Security' },
  { code: 'AmazonCognito', displayName: 'Amazon Cognito', category: 'Security' },
  { code: 'AWSCertificateManager', displayName: 'AWS Certificate Manager', category: 'Security' },
  // Machine learning
  { code: 'AmazonSageMaker', displayName: 'Amazon SageMaker', category: 'Machine Learning' },
  { code: 'AmazonBedrock', displayName: 'Amazon Bedrock', category: 'Machine Learning' },
  { code: 'AmazonRekognition', displayName: 'Amazon Rekognition', category: 'Machine Learning' },
  { code: 'AmazonKendra', displayName: 'Amazon Kendra', category: 'Machine Learning' },
  { code: 'AmazonLex', displayName: 'Amazon Lex', category: 'Machine Learning' },
  // Developer tools
  { code: 'CodeBuild', displayName: 'AWS CodeBuild', category: 'Developer Tools' },
  { code: 'AWSCodePipeline', displayName: 'AWS CodePipeline', category: 'Developer Tools' },
  { code: 'AWSCodeCommit', displayName: 'AWS CodeCommit', category: 'Developer Tools' },
  { code: 'AWSXRay', displayName: 'AWS X-Ray', category: 'Developer Tools' },
  { code: 'AWSAmplify', displayName: 'AWS Amplify', category: 'Developer Tools' },
  // Media
  { code: 'AmazonETS', displayName: 'Amazon Elastic Transcoder', category: 'Media' },
  { code: 'AmazonIVS', displayName: 'Amazon Interactive Video Service', category: 'Media' },
  // Billing lines that are not services one can clean up
  { code: 'AWSCostExplorer', displayName: 'AWS Cost Explorer', category: 'Billing' },
  { code: 'Tax', displayName: 'Tax', category: 'Billing' },
  { code: 'AWSSupportBusiness', displayName: 'AWS Support (Business)', category: 'Billing' },
  { code: 'AWSSupportDeveloper', displayName: 'AWS Support (Developer)', category: 'Billing' },
  { code: 'AWSSupportEnterprise', displayName: 'AWS Support (Enterprise)', category: 'Billing' },
  { code: 'ComputeSavingsPlans', displayName: 'Savings Plans for AWS Compute usage', category: 'Billing' },
  { code: 'AWSMarketplace', displayName: 'AWS Marketplace', category: 'Billing' },
];

export interface ServiceInfo {
  code: string;
  /** The name as Cost Explorer sent it (not the catalog's canonical spelling). */
  displayName: string;
  category: ServiceCategory;
  /** false: not in the catalog, the code was derived from the name. */
  known: boolean;
}

/** CE has been seen sending doubled spaces ("Savings Plans for  Compute usage"): match loosely. */
function normalize(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

const BY_NAME: ReadonlyMap<string, CatalogEntry> = (() => {
  const m = new Map<string, CatalogEntry>();
  for (const e of CATALOG) {
    for (const n of [e.displayName, ...(e.aliases ?? [])]) m.set(normalize(n), e);
  }
  return m;
})();

const BY_CODE: ReadonlyMap<string, CatalogEntry> = new Map(CATALOG.map((e) => [e.code, e]));

/** Stable code for a name the catalog does not know: `ce:` + slug (the same name always gives the same code). */
export function derivedServiceCode(displayName: string): string {
  const slug = normalize(displayName)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `ce:${slug === '' ? 'unnamed' : slug}`;
}

export function lookupService(displayName: string): ServiceInfo {
  const e = BY_NAME.get(normalize(displayName));
  if (e) return { code: e.code, displayName, category: e.category, known: true };
  return { code: derivedServiceCode(displayName), displayName, category: 'Other', known: false };
}

export function catalogEntry(code: string): CatalogEntry | undefined {
  return BY_CODE.get(code);
}

