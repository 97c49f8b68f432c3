/**
 * The account fixture format (see README.md). Ages are relative to the simulator's clock ("now") so a fixture
 * stays meaningful whenever it is loaded; absolute ISO timestamps are accepted wherever an age is.
 * `resolve-fixture.ts` turns a fixture into the live `SimAccount` state.
 */
import type { ElastiCacheRegionFixture } from './elasticache-state';
import type { ElbRegionFixture } from './elb-state';
import type { OpenSearchRegionFixture } from './opensearch-state';
import type { LogsRegionFixture } from './logs-state';
import type { S3RegionFixture } from './s3-state';
import type { EcrRegionFixture } from './ecr-state';
import type { SecretsManagerRegionFixture } from './secretsmanager-state';
import type { KmsRegionFixture } from './kms-state';
import type { EksRegionFixture } from './eks-state';
import type { SageMakerRegionFixture } from './sagemaker-state';
import type { RdsRegionFixture } from './rds-state';
import type { RedshiftRegionFixture } from './redshift-state';

/** Tags are written as a plain object in fixtures: `{ "Name": "web", "cloud-cleaner:keep": "true" }`. */
export type FixtureTags = Record<string, string>;

export type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface RegionFixture {
  name: string;
  optInStatus?: OptInStatus; // default 'opt-in-not-required'
}

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceVolumeFixture {
  volumeId: string;
  device: string; // e.g. '/dev/xvda'
  deleteOnTermination?: boolean; // default: true for the root device, false otherwise
}

export interface InstanceFixture {
  id: string;
  type?: string; // default 't3.micro'
  state: InstanceStateName;
  launchedDaysAgo?: number;
  launchTime?: string; // ISO; wins over launchedDaysAgo
  /** A user stop: StateTransitionReason becomes `User initiated (YYYY-MM-DD HH:MM:SS GMT)`. */
  stoppedDaysAgo?: number;
  /** Raw StateTransitionReason, used verbatim (e.g. '' or a non-user reason). Wins over stoppedDaysAgo. */
  stateTransitionReason?: string;
  /** StateReason {Code, Message}; defaults to Client.UserInitiatedShutdown for user stops. */
  stateReason?: { code: string; message: string };
  imageId?: string; // default 'ami-0sim00000000000000'
  terminationProtection?: boolean;
  rootDeviceName?: string; // default '/dev/xvda'
  volumes?: InstanceVolumeFixture[];
  availabilityZone?: string; // default `${region}a`
  tags?: FixtureTags;
}

export type VolumeType = 'gp2' | 'gp3' | 'io1' | 'io2' | 'st1' | 'sc1' | 'standard';

export interface VolumeFixture {
  id: string;
  type: VolumeType;
  sizeGiB: number;
  iops?: number;
  throughput?: number; // MiB/s, gp3 only
  /** Ignored when an instance lists this volume (then it is 'in-use'); default 'available'. */
  state?: 'creating' | 'available' | 'in-use' | 'deleting' | 'error';
  createdDaysAgo?: number;
  createTime?: string;
  snapshotId?: string;
  encrypted?: boolean;
  availabilityZone?: string;
  tags?: FixtureTags;
}

export type ServiceManaged = 'alb' | 'nlb' | 'rds' | 'rnat';

export interface AddressFixture {
  allocationId: string;
  publicIp: string;
  /** Associated with this instance (AssociationId is generated when not given). */
  instanceId?: string;
  /** Associated with a network interface that is not an instance's (e.g. a NAT gateway's). */
  networkInterfaceId?: string;
  associationId?: string;
  privateIp?: string;
  serviceManaged?: ServiceManaged;
  tags?: FixtureTags;
}

export interface SnapshotFixture {
  id: string;
  volumeId: string; // may name a volume that no longer exists
  volumeSizeGiB: number;
  fullSnapshotSizeInBytes?: number;
  storageTier?: 'standard' | 'archive'; // default 'standard'
  startedDaysAgo?: number;
  startTime?: string;
  state?: 'pending' | 'completed' | 'error' | 'recoverable' | 'recovering'; // default 'completed'
  description?: string;
  encrypted?: boolean;
  tags?: FixtureTags;
}

export interface ImageDeviceFixture {
  device: string;
  snapshotId: string;
  volumeSizeGiB: number;
  volumeType?: VolumeType; // default 'gp3'
  deleteOnTermination?: boolean; // default true
}

export interface ImageFixture {
  id: string;
  name: string;
  state?: 'pending' | 'available' | 'invalid' | 'deregistered' | 'transient' | 'failed' | 'error' | 'disabled';
  createdDaysAgo?: number;
  creationDate?: string;
  description?: string;
  rootDeviceName?: string; // default '/dev/xvda'
  devices?: ImageDeviceFixture[];
  tags?: FixtureTags;
  /** Who else may launch it (DescribeImageAttribute launchPermission); `{ group: 'all' }` makes it public. */
  launchPermissions?: LaunchPermissionFixture[];
}

export interface LaunchPermissionFixture {
  group?: 'all';
  userId?: string;
  organizationArn?: string;
  organizationalUnitArn?: string;
}

export interface LaunchTemplateVersionFixture {
  number: number;
  imageId?: string;
  instanceType?: string;
  description?: string;
  createdDaysAgo?: number;
}

export interface LaunchTemplateFixture {
  id: string;
  name: string;
  defaultVersion?: number; // default 1
  createdDaysAgo?: number;
  versions: LaunchTemplateVersionFixture[];
  tags?: FixtureTags;
}

/** An Auto Scaling launch configuration: its AMI counts as used (an Auto Scaling group launches from it). */
export interface LaunchConfigurationFixture {
  name: string;
  /** Any AMI id (it need not be the account's own, as in AWS). */
  imageId: string;
  instanceType?: string; // default 't3.micro'
  createdDaysAgo?: number;
}

export interface NatGatewayFixture {
  id: string;
  state?: 'pending' | 'failed' | 'available' | 'deleting' | 'deleted'; // default 'available'
  subnetId?: string;
  vpcId?: string;
  connectivityType?: 'public' | 'private';
  createdDaysAgo?: number;
  addresses?: { allocationId?: string; publicIp?: string; privateIp: string; networkInterfaceId: string }[];
  tags?: FixtureTags;
}

/** One route: `destination` is an IPv4 CIDR, an IPv6 CIDR (has a ':') or a prefix list id (`pl-…`). */
export interface RouteFixture {
  destination: string;
  natGatewayId?: string;
  /** `igw-…`, `vgw-…`, `local`, or a gateway endpoint's `vpce-…` (as AWS writes endpoint routes). */
  gatewayId?: string;
  /** Sugar for a (gateway) endpoint route: written to GatewayId, as DescribeRouteTables answers. */
  vpcEndpointId?: string;
  instanceId?: string;
  /** Default 'active'; 'blackhole' when the NAT gateway named is deleted or failed. A route to a NAT gateway missing from the fixture must say 'blackhole'. */
  state?: 'active' | 'blackhole';
}

export interface RouteTableFixture {
  id: string;
  vpcId?: string; // default 'vpc-0sim00000000000001'
  /** The VPC's main route table (default false). */
  main?: boolean;
  /** Explicitly associated subnets. */
  subnetIds?: string[];
  /** The local route (`10.0.0.0/16` → `local`, origin CreateRouteTable) is added first unless one is given. */
  routes: RouteFixture[];
  tags?: FixtureTags;
}

export type VpcEndpointStateFixture = 'pendingAcceptance' | 'pending' | 'available' | 'deleting' | 'deleted' | 'rejected' | 'failed' | 'expired' | 'partial';

export interface VpcEndpointFixture {
  id: string;
  type?: 'Interface' | 'Gateway' | 'GatewayLoadBalancer'; // default 'Interface'
  vpcId?: string; // default 'vpc-0sim00000000000001'
  /** Default `com.amazonaws.<region>.ssm` (Interface), `com.amazonaws.<region>.s3` (Gateway). */
  serviceName?: string;
  state?: VpcEndpointStateFixture; // default 'available' (DescribeVpcEndpoints' lower-case values)
  /** Interface / GWLB endpoints (default one subnet); each gets a network interface. */
  subnetIds?: string[];
  createdDaysAgo?: number; // default 100
  creationTimestamp?: string; // ISO; wins over createdDaysAgo
  requesterManaged?: boolean;
  privateDnsEnabled?: boolean; // default true for Interface endpoints
  tags?: FixtureTags;
}

/**
 * A CloudWatch metric series: one value per UTC day, the LAST element being the day before the clock's day
 * ("yesterday"); `null` = no datapoint that day (sparse metrics are published only when non-zero). The value is that
 * day's aggregate and is answered for every statistic. A dimension value `{{loadBalancer:NAME}}` or
 * `{{targetGroup:NAME}}` stands for the ARN suffix (`app/NAME/…`, `targetgroup/NAME/…`) of this region's ELBv2 load
 * balancer or target group by that name, so fixtures need not know the generated ARN ids.
 */
export interface MetricSeriesFixture {
  namespace: string;
  metricName: string;
  /** Name → value (an undefined value is no dimension). */
  dimensions: Record<string, string | undefined>;
  daily: (number | null)[];
}

export interface RegionResourcesFixture {
  instances?: InstanceFixture[];
  volumes?: VolumeFixture[];
  addresses?: AddressFixture[];
  snapshots?: SnapshotFixture[];
  images?: ImageFixture[];
  launchTemplates?: LaunchTemplateFixture[];
  natGateways?: NatGatewayFixture[];
  launchConfigurations?: LaunchConfigurationFixture[];
  /** Elastic Load Balancing: load balancers, target groups, Classic load balancers (elb-state.ts). */
  elb?: ElbRegionFixture;
  routeTables?: RouteTableFixture[];
  vpcEndpoints?: VpcEndpointFixture[];
  /** RDS and Aurora: instances, clusters, snapshots (rds-state.ts). */
  rds?: RdsRegionFixture;
  /** ElastiCache: replication groups, cache clusters, snapshots (elasticache-state.ts). */
  elasticache?: ElastiCacheRegionFixture;
  /** Redshift provisioned clusters and snapshots (redshift-state.ts). */
  redshift?: RedshiftRegionFixture;
  /** OpenSearch Service domains (opensearch-state.ts). */
  opensearch?: OpenSearchRegionFixture;
  /** CloudWatch Logs (logs-state.ts). */
  logs?: LogsRegionFixture;
  /** S3 (s3-state.ts). */
  s3?: S3RegionFixture;
  /** ECR (ecr-state.ts). */
  ecr?: EcrRegionFixture;
  /** Secrets Manager (secretsmanager-state.ts). */
  secretsManager?: SecretsManagerRegionFixture;
  /** KMS (kms-state.ts). */
  kms?: KmsRegionFixture;
  /** EKS (eks-state.ts). */
  eks?: EksRegionFixture;
  /** SageMaker (sagemaker-state.ts). */
  sagemaker?: SageMakerRegionFixture;
  /** CloudWatch metric series (GetMetricData, ListMetrics). */
  metrics?: MetricSeriesFixture[];
}

export type RecordType = 'Usage' | 'Credit' | 'Tax' | 'Refund' | 'DiscountedUsage' | 'SavingsPlanCoveredUsage';

/** One cost line: a CE SERVICE display name, a record type and one amount per day. */
export interface CostSeriesFixture {
  service: string; // CE display name, e.g. 'EC2 - Other'
  recordType?: RecordType; // default 'Usage'
  /** Decimal strings, oldest first; the LAST element is yesterday (relative to the clock). Kept verbatim. null: no record that day. */
  daily: (string | null)[];
  /** Optional UsageQuantity per day (same length as daily); default '0'. */
  usageQuantity?: string[];
}

export interface CostExplorerFixture {
  /** false → every CE call answers AccessDeniedException "User not enabled for cost explorer access". */
  enabled?: boolean;
  series?: CostSeriesFixture[];
}

/** An IAM role STS AssumeRole can assume (`arn:aws:iam::<accountId>:role/<path><name>`). */
export interface RoleFixture {
  name: string;
  path?: string; // default '/'
  /** The trust policy demands `aws:MultiFactorAuthPresent`: AssumeRole needs SerialNumber + the right TokenCode. */
  requireMfa?: boolean;
  /** The role's unique id (AROA…); default derived from the ARN. */
  roleId?: string;
  /** Upper bound of AssumeRole's DurationSeconds (3,600–43,200; default 3,600). */
  maxSessionDurationSeconds?: number;
  /**
   * The accounts the trust policy names: a caller from another account is not authorized. Default: any caller (the
   * management account's roles); a member's roles default to trusting the management account.
   */
  trustedAccountIds?: string[];
}

export interface AccountFixture {
  accountId: string;
  arn?: string; // default arn:aws:iam::<accountId>:user/sim-user
  userId?: string; // default AIDASIMULATORUSER01
  alias?: string | null;
  regions: RegionFixture[];
  /**
   * Denied actions: EC2 action names ('TerminateInstances' or 'ec2:TerminateInstances'), 'iam:ListAccountAliases',
   * 'sts:AssumeRole', 'autoscaling:DescribeLaunchConfigurations', 'monitoring:GetMetricData' (or its IAM spelling
   * 'cloudwatch:GetMetricData').
   */
  deny?: string[];
  /**
   * Roles STS AssumeRole accepts (this account's). Absent: any well-formed role ARN is assumable without MFA unless
   * the request names an MFA device (then its TokenCode must be right).
   */
  roles?: RoleFixture[];
  /** The one MFA code AssumeRole accepts (6 digits; default '123456'); `sim.state.mfaCode` changes it at runtime. */
  mfaCode?: string;
  resources?: Record<string, RegionResourcesFixture>;
  costExplorer?: CostExplorerFixture;
  /** This account is the management account of this organization (see OrganizationFixture). */
  organization?: OrganizationFixture;
}

export type OrgAccountStatus = 'ACTIVE' | 'SUSPENDED';

/**
 * A member account's own simulated account (what its credentials see): the account fixture without its id (the
 * member's) and without an organization. `roles` absent: `OrganizationAccountAccessRole`, trusting the management
 * account (what AWS creates in an account made in the organization); `roles: []`: no role at all.
 */
export type MemberAccountFixture = Omit<AccountFixture, 'accountId' | 'organization'>;

export interface OrgMemberFixture {
  accountId: string;
  name: string;
  email: string;
  status: OrgAccountStatus;
  joinedMethod?: 'INVITED' | 'CREATED'; // default 'CREATED'
  joinedDaysAgo?: number; // default 365
  /** ACTIVE members only (a suspended account cannot be reached). Absent: an empty account with the default role. */
  account?: MemberAccountFixture;
}

/** An AWS Organization whose management account is the fixture's account. */
export interface OrganizationFixture {
  /** `o-` + 10 lowercase letters or digits. */
  id: string;
  /** The management account's name and email in ListAccounts (default: its alias / `aws+management@example.com`). */
  managementName?: string;
  managementEmail?: string;
  /** The management account's JoinedTimestamp (it "joined" when it created the organization); default 730 days ago. */
  createdDaysAgo?: number;
  members: OrgMemberFixture[];
}
