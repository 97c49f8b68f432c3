/**
 * The live simulated account: what Describe* reads and mutations change. Tests may read it directly
 * (`sim.state.region('us-east-1').volumes.get('vol-…')`). Maps keep insertion order; paging sorts by id.
 */
import { SimElbRegion } from './elb-state';
import type { InstanceStateName, OptInStatus, RecordType, ServiceManaged, VolumeType } from './fixture';

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
  /** Every AssumeRole request, oldest first. */
  readonly assumeRoleRequests: SimAssumeRoleRequest[] = [];
  /** Sessions issued by AssumeRole, by access key id. */
  readonly sessions = new Map<string, SimSession>();
  private readonly loadedAtMs = Date.now();
  private idCounter = 0;

  constructor(
    readonly accountId: string,
    readonly arn: string,
    readonly userId: string,
    public alias: string | null,
    /** The clock the fixture was resolved against; CE's "today" is its UTC date. */
    readonly now: Date,
  ) {}

  /** The region's resources; regions never mentioned in the fixture are empty (created on first use). */
  region(name: string): SimRegion {
    let r = this.regions.get(name);
    if (!r) {
      r = new SimRegion(name);
      this.regions.set(name, r);
    }
    return r;
  }

  /** The simulated clock: the fixture's "now" advanced by the wall time elapsed since loading. */
  currentTime(): Date {
    return new Date(this.now.getTime() + (Date.now() - this.loadedAtMs));
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

  /** Is `signingName:action` (`ec2:DeleteVolume`, `iam:ListAccountAliases`) on the fixture's deny list? */
  isDenied(signingName: string, action: string): boolean {
    return this.deny.has(`${signingName}:${action}`);
  }
}
