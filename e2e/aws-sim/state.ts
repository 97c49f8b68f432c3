/**
 * The live simulated account: what Describe* reads and mutations change. Tests may read it directly
 * (`sim.state.region('us-east-1').volumes.get('vol-…')`). Maps keep insertion order; paging sorts by id.
 */
import { SimElastiCacheRegion } from './elasticache-state';
import { SimLogsRegion } from './logs-state';
import { SimS3Region } from './s3-state';
import { SimEcrRegion } from './ecr-state';
import { SimSecretsManagerRegion } from './secretsmanager-state';
import { SimKmsRegion } from './kms-state';
import { SimEksRegion } from './eks-state';
import { SimSageMakerRegion } from './sagemaker-state';
import { SimElbRegion } from './elb-state';
import { SimOpenSearchRegion } from './opensearch-state';
import { SimRdsRegion } from './rds-state';
import { SimRedshiftRegion } from './redshift-state';
import type { SimMetricSeries } from './metrics-state';
import type { SimOrganization } from './org-state';
import type { InstanceStateName, OptInStatus, RecordType, ServiceManaged, VolumeType } from './fixture';

/** One taggable resource as the Resource Groups Tagging API lists it (each service's state lists its own). */
export interface SimTaggedResource {
  arn: string;
  /** The tagging API's resource type filter value: `elasticache:cluster`, `es:domain`, `rds:db`, … */
  resourceType: string;
  tags: SimTag[];
}

export interface SimTag {
  key: string;
  value: string;
}

export interface SimInstance {
  instanceId: string;
  reservationId: string;
  instanceType: string;
  state: InstanceStateName;
  launchTime: Date;
  stateTransitionReason: string;
  stateReason?: { code: string; message: string };
  imageId: string;
  disableApiTermination: boolean;
  rootDeviceName: string;
  /** Absent: `ebs` (every stoppable instance is EBS-backed). */
  rootDeviceType?: 'ebs' | 'instance-store';
  availabilityZone: string;
  privateIpAddress: string;
  subnetId: string;
  vpcId: string;
  tags: SimTag[];
}

export interface SimAttachment {
  instanceId: string;
  device: string;
  deleteOnTermination: boolean;
  attachTime: Date;
}

export interface SimVolume {
  volumeId: string;
  volumeType: VolumeType;
  size: number;
  iops?: number;
  throughput?: number;
  state: 'creating' | 'available' | 'in-use' | 'deleting' | 'deleted' | 'error';
  createTime: Date;
  snapshotId: string;
  encrypted: boolean;
  availabilityZone: string;
  attachments: SimAttachment[];
  tags: SimTag[];
}

export interface SimAddress {
  allocationId: string;
  publicIp: string;
  associationId?: string;
  instanceId?: string;
  networkInterfaceId?: string;
  privateIpAddress?: string;
  serviceManaged?: ServiceManaged;
  tags: SimTag[];
}

export interface SimSnapshot {
  snapshotId: string;
  volumeId: string;
  volumeSize: number;
  fullSnapshotSizeInBytes?: number;
  storageTier: 'standard' | 'archive';
  startTime: Date;
  state: 'pending' | 'completed' | 'error' | 'recoverable' | 'recovering';
  /** Wall-clock ms (Date.now()) at which a pending snapshot created by CreateSnapshot completes. */
  completesAtMs?: number;
  description: string;
  encrypted: boolean;
  tags: SimTag[];
}

export interface SimImageDevice {
  device: string;
  snapshotId: string;
  volumeSize: number;
  volumeType: VolumeType;
  deleteOnTermination: boolean;
}

export interface SimImage {
  imageId: string;
  name: string;
  state: 'pending' | 'available' | 'invalid' | 'deregistered' | 'transient' | 'failed' | 'error' | 'disabled';
  creationDate: Date;
  description?: string;
  rootDeviceName: string;
  devices: SimImageDevice[];
  tags: SimTag[];
  /** Launch permissions beyond the owner: `group: 'all'` is public. */
  launchPermissions?: { group?: 'all'; userId?: string; organizationArn?: string; organizationalUnitArn?: string }[];
}

export interface SimLaunchTemplateVersion {
  versionNumber: number;
  imageId?: string;
  instanceType?: string;
  description?: string;
  createTime: Date;
}

export interface SimLaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  defaultVersionNumber: number;
  createTime: Date;
  versions: SimLaunchTemplateVersion[];
  tags: SimTag[];
}

/** An Auto Scaling launch configuration (legacy launch templates); only what the app reads. */
export interface SimLaunchConfiguration {
  name: string;
  arn: string;
  imageId: string;
  instanceType: string;
  createdTime: Date;
}

export interface SimNatGateway {
  natGatewayId: string;
  state: 'pending' | 'failed' | 'available' | 'deleting' | 'deleted';
  subnetId: string;
  vpcId: string;
  connectivityType: 'public' | 'private';
  createTime: Date;
  addresses: { allocationId?: string; publicIp?: string; privateIp: string; networkInterfaceId: string }[];
  tags: SimTag[];
  /** Set by DeleteNatGateway: when the deletion finished (or finishes). */
  deleteTime?: Date;
  /** Wall-clock ms (Date.now()) at which a `deleting` gateway becomes `deleted` (see settleNetwork in ec2/mutate.ts). */
  deletesAtMs?: number;
}

/**
 * A route. Gateway (and Gateway Load Balancer) endpoint routes carry the endpoint's `vpce-…` id in `gatewayId`, as
 * DescribeRouteTables answers (the Route shape has no endpoint member); the local route has `gatewayId: 'local'`.
 */
export interface SimRoute {
  destinationCidrBlock?: string;
  destinationIpv6CidrBlock?: string;
  destinationPrefixListId?: string;
  gatewayId?: string;
  natGatewayId?: string;
  instanceId?: string;
  state: 'active' | 'blackhole';
  origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
}

export interface SimRouteTable {
  routeTableId: string;
  vpcId: string;
  /** The VPC's main route table (associated with every subnet that has no explicit association). */
  main: boolean;
  /** Explicit subnet associations. */
  subnetIds: string[];
  routes: SimRoute[];
  tags: SimTag[];
}

/** DescribeVpcEndpoints' lower-case states (the Smithy enum spells them capitalised; the service answers these). */
export type VpcEndpointState = 'pendingAcceptance' | 'pending' | 'available' | 'deleting' | 'deleted' | 'rejected' | 'failed' | 'expired' | 'partial';

export interface SimVpcEndpoint {
  vpcEndpointId: string;
  type: 'Interface' | 'Gateway' | 'GatewayLoadBalancer';
  vpcId: string;
  serviceName: string;
  state: VpcEndpointState;
  /** Interface / GWLB endpoints: one network interface per subnet. */
  subnetIds: string[];
  networkInterfaceIds: string[];
  // Gateway endpoints' RouteTableIds are derived: the tables with a route whose gatewayId is this endpoint.
  privateDnsEnabled: boolean;
  requesterManaged: boolean;
  creationTimestamp: Date;
  tags: SimTag[];
  /** Wall-clock ms at which a `deleting` endpoint becomes `deleted`. */
  deletesAtMs?: number;
}

export class SimRegion {
  readonly instances = new Map<string, SimInstance>();
  readonly volumes = new Map<string, SimVolume>();
  readonly addresses = new Map<string, SimAddress>();
  readonly snapshots = new Map<string, SimSnapshot>();
  readonly images = new Map<string, SimImage>();
  readonly launchTemplates = new Map<string, SimLaunchTemplate>();
  readonly natGateways = new Map<string, SimNatGateway>();
  /** Auto Scaling launch configurations, by name (names are unique per region). */
  readonly launchConfigurations = new Map<string, SimLaunchConfiguration>();
  /** Elastic Load Balancing (v2 and Classic): elb-state.ts. */
  readonly elb = new SimElbRegion();
  readonly routeTables = new Map<string, SimRouteTable>();
  /** RDS and Aurora: rds-state.ts. */
  readonly rds = new SimRdsRegion();
  /** ElastiCache: elasticache-state.ts. */
  readonly elasticache = new SimElastiCacheRegion();
  /** Redshift: redshift-state.ts. */
  readonly redshift = new SimRedshiftRegion();
  /** OpenSearch Service: opensearch-state.ts. */
  readonly opensearch = new SimOpenSearchRegion();
  /** CloudWatch Logs: logs-state.ts. */
  readonly logs = new SimLogsRegion();
  /** S3: s3-state.ts. */
  readonly s3 = new SimS3Region();
  /** ECR: ecr-state.ts. */
  readonly ecr = new SimEcrRegion();
  /** Secrets Manager: secretsmanager-state.ts. */
  readonly secretsManager = new SimSecretsManagerRegion();
  /** KMS: kms-state.ts. */
  readonly kms = new SimKmsRegion();
  /** EKS: eks-state.ts. */
  readonly eks = new SimEksRegion();
  /** SageMaker: sagemaker-state.ts. */
  readonly sagemaker = new SimSageMakerRegion();
  readonly vpcEndpoints = new Map<string, SimVpcEndpoint>();
  /** CloudWatch metric series by `metricKey(namespace, metricName, dimensions)` (metrics-state.ts). */
  readonly metrics = new Map<string, SimMetricSeries>();
  /** MetricStat queries GetMetricData answered in this region (each page of a continued request counts again). */
  metricQueriesRequested = 0;

  constructor(readonly name: string) {}
}

export interface SimCostRecord {
  date: string; // YYYY-MM-DD
  service: string;
  recordType: RecordType;
  amount: string;
  usageQuantity: string;
}

export interface SimRole {
  arn: string;
  roleName: string;
  roleId: string;
  requireMfa: boolean;
  maxSessionDurationSeconds: number;
  /** The accounts its trust policy names (a caller of another account is not authorized); undefined: any caller. */
  trustedAccountIds?: readonly string[];
}

/** Temporary credentials issued by AssumeRole; GetCallerIdentity signed with `accessKeyId` answers this identity. */
export interface SimSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Wall clock (the SDK compares it with its own clock), not the simulated one. */
  expiration: Date;
  accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  arn: string;
  /** `AROA…:<session>` */
  userId: string;
  roleArn: string;
}

/** One AssumeRole request as received (recorded before any check, so failed ones are visible too). */
export interface SimAssumeRoleRequest {
  roleArn?: string;
  roleSessionName?: string;
  serialNumber?: string;
  tokenCode?: string;
  durationSeconds?: number;
  /** The caller's ARN (the base user, or an assumed role when chaining). */
  callerArn: string;
  /** 'ok' or the error code answered. */
  outcome: string;
  /** The issued access key id when outcome is 'ok'. */
  accessKeyId?: string;
}

/**
 * What AssumeRole issued and received, shared by every account of one simulator (an organization's accounts): a
 * session issued for a member is recognised whatever account it is used in.
 */
export class SimSessionStore {
  /** Sessions issued by AssumeRole, by access key id. */
  readonly sessions = new Map<string, SimSession>();
  /** Every AssumeRole request, oldest first. */
  readonly assumeRoleRequests: SimAssumeRoleRequest[] = [];

  /**
   * Test-only: makes the sessions issued for `accountId` (all sessions when omitted) expired now; their next call
   * fails with ExpiredToken. Returns how many were expired.
   */
  expireSessions(accountId?: string): number {
    const past = new Date(Date.now() - 1000);
    let n = 0;
    for (const s of this.sessions.values()) {
      if (accountId !== undefined && s.accountId !== accountId) continue;
      if (s.expiration.getTime() > past.getTime()) s.expiration = past;
      n += 1;
    }
    return n;
  }
}

/** Signing names whose IAM action prefix differs (and back). */
const IAM_PREFIX_ALIASES: Record<string, string | undefined> = { monitoring: 'cloudwatch', cloudwatch: 'monitoring', tagging: 'tag', tag: 'tagging' };

export class SimAccount {
  readonly regions = new Map<string, SimRegion>();
  readonly regionInfo: { name: string; optInStatus: OptInStatus }[] = [];
  readonly deny = new Set<string>();
  costExplorerEnabled = true;
  costs: SimCostRecord[] = [];
  /** Roles AssumeRole accepts, by ARN; null: any well-formed role ARN (none requires MFA). */
  roles: Map<string, SimRole> | null = null;
  /** The MFA code AssumeRole accepts; tests may change it at runtime. */
  mfaCode = '123456';
  /**
   * The organization this account belongs to (its management account or a member), null when none. Set by
   * resolveOrganization (org-state.ts).
   */
  organization: SimOrganization | null = null;
  /**
   * MetricStat queries GetMetricData answered, all regions (what CloudWatch bills: $0.01 per 1,000 metrics requested;
   * every page of a continued request counts again). Tests may reset it (`sim.state.metricQueriesRequested = 0`).
   */
  metricQueriesRequested = 0;
  /**
   * The bill of the resources billing.ts prices, per Cost Explorer service per day, as it stood from `atMs` (simulated
   * clock): the state as loaded first, then after each call that changed it. Cost Explorer subtracts what went.
   */
  readonly billing: { atMs: number; daily: Record<string, number> }[] = [];
  private readonly loadedAtMs = Date.now();
  /** Time moved forward by `advanceClock` (days pass for the simulated account without waiting for them). */
  private clockOffsetMs = 0;
  private idCounter = 0;

  constructor(
    readonly accountId: string,
    readonly arn: string,
    readonly userId: string,
    public alias: string | null,
    /** The clock the fixture was resolved against; CE's "today" is its UTC date. */
    readonly now: Date,
    /** Shared by the accounts of one simulator (an organization's). */
    readonly sessionStore: SimSessionStore = new SimSessionStore(),
  ) {}

  /** Every AssumeRole request the simulator received (all its accounts), oldest first. */
  get assumeRoleRequests(): SimAssumeRoleRequest[] {
    return this.sessionStore.assumeRoleRequests;
  }

  /** Sessions issued by AssumeRole (for any account of the simulator), by access key id. */
  get sessions(): Map<string, SimSession> {
    return this.sessionStore.sessions;
  }

  /** Test-only: expires the sessions issued for `accountId` (all when omitted); see SimSessionStore.expireSessions. */
  expireSessions(accountId?: string): number {
    return this.sessionStore.expireSessions(accountId);
  }

  /** This account is its organization's management account. */
  get isManagementAccount(): boolean {
    return this.organization?.managementAccountId === this.accountId;
  }

  /** The region's resources; regions never mentioned in the fixture are empty (created on first use). */
  region(name: string): SimRegion {
    let r = this.regions.get(name);
    if (!r) {
      r = new SimRegion(name);
      this.regions.set(name, r);
    }
    return r;
  }

  /** The simulated clock: the fixture's "now" advanced by the wall time elapsed since loading (and by advanceClock). */
  currentTime(): Date {
    return new Date(this.now.getTime() + (Date.now() - this.loadedAtMs) + this.clockOffsetMs);
  }

  /**
   * Moves the simulated clock forward (tests, demos): Cost Explorer then answers for the days that passed, with what
   * was deleted taken off them (billing.ts). Only forward: a bill already seen does not change.
   */
  advanceClock(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`advanceClock: ${ms} ms is not a forward move`);
    this.clockOffsetMs += ms;
    // One clock for an organization: the management account's moves its members' too.
    if (this.isManagementAccount) for (const m of this.organization?.memberAccounts() ?? []) m.clockOffsetMs += ms;
    return this.currentTime();
  }

  /** A fresh id such as `snap-0a1b…` (17 hex digits, as EC2's long ids). */
  newId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}-0${this.idCounter.toString(16).padStart(16, 'f')}`;
  }

  /** The last AssumeRole request received, if any. */
  get lastAssumeRole(): SimAssumeRoleRequest | undefined {
    return this.assumeRoleRequests.at(-1);
  }

  /**
   * Is `signingName:action` (`ec2:DeleteVolume`, `iam:ListAccountAliases`) on the fixture's deny list? CloudWatch signs
   * as `monitoring` while its IAM actions are `cloudwatch:…`: either spelling denies.
   */
  isDenied(signingName: string, action: string): boolean {
    if (this.deny.has(`${signingName}:${action}`)) return true;
    const alias = IAM_PREFIX_ALIASES[signingName];
    return alias !== undefined && this.deny.has(`${alias}:${action}`);
  }
}
