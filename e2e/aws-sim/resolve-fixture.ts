/** Fixture (relative ages) → live SimAccount (absolute dates), checked for dangling references. */
import { readFile } from 'node:fs/promises';
import { isDecimal } from './decimal';
import type { AccountFixture, FixtureTags, RegionResourcesFixture } from './fixture';
import { loadElastiCacheFixture } from './elasticache-state';
import { loadElbFixture } from './elb-state';
import { loadOpenSearchFixture } from './opensearch-state';
import { loadLogsFixture } from './logs-state';
import { loadS3Fixture } from './s3-state';
import { loadEcrFixture } from './ecr-state';
import { loadSecretsManagerFixture } from './secretsmanager-state';
import { loadKmsFixture } from './kms-state';
import { loadEksFixture } from './eks-state';
import { loadSageMakerFixture } from './sagemaker-state';
import { loadRdsFixture } from './rds-state';
import { loadRedshiftFixture } from './redshift-state';
import { putDailySeries } from './metrics-state';
import { SimAccount, SimSessionStore } from './state';
import type { SimInstance, SimRegion, SimRoute, SimTag } from './state';

const DAY_MS = 86_400_000;

export async function loadFixture(path: string): Promise<AccountFixture> {
  return JSON.parse(await readFile(path, 'utf8')) as AccountFixture;
}

export function toTags(tags: FixtureTags | undefined): SimTag[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));
}

function when(now: Date, iso: string | undefined, daysAgo: number | undefined, fallbackDays: number): Date {
  if (iso !== undefined) return new Date(iso);
  return new Date(now.getTime() - (daysAgo ?? fallbackDays) * DAY_MS);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `User initiated (YYYY-MM-DD HH:MM:SS GMT)` — the exact form EC2 writes for a user stop. */
export function userInitiatedReason(at: Date): string {
  const d = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const t = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `User initiated (${d} ${t} GMT)`;
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Small stable hash so derived ids (reservations, IPs) do not depend on load order. */
export function hashHex(s: string, len: number): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < len; round++) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, len);
}

/** A stable role unique id (AROA + 17 characters) for a role ARN. */
export function defaultRoleId(roleArn: string): string {
  return `AROA${hashHex(roleArn, 17).toUpperCase()}`;
}

/**
 * The account alone; its `organization` (if any) is resolved by resolveOrganization (org-state.ts), which gives the
 * members the same `sessionStore`.
 */
export function resolveFixture(fx: AccountFixture, now: Date = new Date(), sessionStore: SimSessionStore = new SimSessionStore()): SimAccount {
  const account = new SimAccount(
    fx.accountId,
    fx.arn ?? `arn:aws:iam::${fx.accountId}:user/sim-user`,
    fx.userId ?? 'AIDASIMULATORUSER01',
    fx.alias ?? null,
    now,
    sessionStore,
  );
  for (const r of fx.regions) account.regionInfo.push({ name: r.name, optInStatus: r.optInStatus ?? 'opt-in-not-required' });
  for (const d of fx.deny ?? []) account.deny.add(d.includes(':') ? d : `ec2:${d}`);
  for (const [regionName, res] of Object.entries(fx.resources ?? {})) resolveRegion(account.region(regionName), res, now, fx.accountId);
  if (fx.mfaCode !== undefined) {
    if (!/^\d{6}$/.test(fx.mfaCode)) throw new Error(`fixture: mfaCode '${fx.mfaCode}' is not 6 digits`);
    account.mfaCode = fx.mfaCode;
  }
  if (fx.roles) {
    account.roles = new Map();
    for (const r of fx.roles) {
      const path = r.path ?? '/';
      if (!path.startsWith('/') || !path.endsWith('/')) throw new Error(`fixture: role ${r.name} path '${path}' must start and end with '/'`);
      const arn = `arn:aws:iam::${fx.accountId}:role${path}${r.name}`;
      account.roles.set(arn, {
        arn,
        roleName: r.name,
        roleId: r.roleId ?? defaultRoleId(arn),
        requireMfa: r.requireMfa ?? false,
        maxSessionDurationSeconds: r.maxSessionDurationSeconds ?? 3600,
        ...(r.trustedAccountIds ? { trustedAccountIds: [...r.trustedAccountIds] } : {}),
      });
    }
  }

  const ce = fx.costExplorer ?? {};
  account.costExplorerEnabled = ce.enabled ?? true;
  const yesterday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - DAY_MS;
  for (const s of ce.series ?? []) {
    const n = s.daily.length;
    s.daily.forEach((amount, i) => {
      if (amount === null) return;
      if (!isDecimal(amount)) throw new Error(`fixture: cost '${amount}' for ${s.service} is not a plain decimal string`);
      account.costs.push({
        date: isoDay(new Date(yesterday - (n - 1 - i) * DAY_MS)),
        service: s.service,
        recordType: s.recordType ?? 'Usage',
        amount,
        usageQuantity: s.usageQuantity?.[i] ?? '0',
      });
    });
  }
  return account;
}

/** A stable UUID-shaped id derived from a string (launch configuration ARNs carry one). */
function uuidOf(s: string): string {
  const h = hashHex(s, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function resolveRegion(region: SimRegion, res: RegionResourcesFixture, now: Date, accountId: string): void {
  const az = `${region.name}a`;
  for (const v of res.volumes ?? []) {
    region.volumes.set(v.id, {
      volumeId: v.id,
      volumeType: v.type,
      size: v.sizeGiB,
      iops: v.iops ?? defaultIops(v.type, v.sizeGiB),
      throughput: v.throughput ?? (v.type === 'gp3' ? 125 : undefined),
      state: v.state === 'in-use' ? 'available' : (v.state ?? 'available'), // 'in-use' only via an instance
      createTime: when(now, v.createTime, v.createdDaysAgo, 100),
      snapshotId: v.snapshotId ?? '',
      encrypted: v.encrypted ?? false,
      availabilityZone: v.availabilityZone ?? az,
      attachments: [],
      tags: toTags(v.tags),
    });
  }
  for (const i of res.instances ?? []) {
    const launchTime = when(now, i.launchTime, i.launchedDaysAgo, 200);
    const stoppedAt = i.stoppedDaysAgo === undefined ? undefined : new Date(now.getTime() - i.stoppedDaysAgo * DAY_MS);
    const userStop = stoppedAt !== undefined && i.stateTransitionReason === undefined;
    const inst: SimInstance = {
      instanceId: i.id,
      reservationId: `r-${hashHex(i.id, 17)}`,
      instanceType: i.type ?? 't3.micro',
      state: i.state,
      launchTime,
      stateTransitionReason: i.stateTransitionReason ?? (stoppedAt ? userInitiatedReason(stoppedAt) : ''),
      stateReason:
        i.stateReason ??
        (userStop ? { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' } : undefined),
      imageId: i.imageId ?? 'ami-0sim00000000000000',
      disableApiTermination: i.terminationProtection ?? false,
      rootDeviceName: i.rootDeviceName ?? '/dev/xvda',
      availabilityZone: i.availabilityZone ?? az,
      privateIpAddress: `10.0.${parseInt(hashHex(i.id, 2), 16)}.${parseInt(hashHex(`${i.id}#`, 2), 16) % 250 + 4}`,
      subnetId: 'subnet-0sim0000000000001',
      vpcId: 'vpc-0sim00000000000001',
      tags: toTags(i.tags),
    };
    region.instances.set(i.id, inst);
    for (const bd of i.volumes ?? []) {
      const vol = region.volumes.get(bd.volumeId);
      if (!vol) throw new Error(`fixture: instance ${i.id} lists volume ${bd.volumeId}, which is not in region ${region.name}`);
      if (i.state === 'terminated') throw new Error(`fixture: terminated instance ${i.id} cannot hold volumes`);
      vol.state = 'in-use';
      vol.attachments.push({
        instanceId: i.id,
        device: bd.device,
        deleteOnTermination: bd.deleteOnTermination ?? bd.device === inst.rootDeviceName,
        attachTime: launchTime,
      });
    }
  }
  for (const a of res.addresses ?? []) {
    if (a.instanceId && !region.instances.has(a.instanceId)) {
      throw new Error(`fixture: address ${a.allocationId} is associated with unknown instance ${a.instanceId}`);
    }
    const associated = a.instanceId !== undefined || a.networkInterfaceId !== undefined;
    region.addresses.set(a.allocationId, {
      allocationId: a.allocationId,
      publicIp: a.publicIp,
      associationId: associated ? (a.associationId ?? `eipassoc-${hashHex(a.allocationId, 17)}`) : undefined,
      instanceId: a.instanceId,
      networkInterfaceId: associated ? (a.networkInterfaceId ?? `eni-${hashHex(a.allocationId, 17)}`) : undefined,
      privateIpAddress: associated ? (a.privateIp ?? region.instances.get(a.instanceId ?? '')?.privateIpAddress ?? '10.0.0.10') : undefined,
      serviceManaged: a.serviceManaged,
      tags: toTags(a.tags),
    });
  }
  for (const s of res.snapshots ?? []) {
    region.snapshots.set(s.id, {
      snapshotId: s.id,
      volumeId: s.volumeId,
      volumeSize: s.volumeSizeGiB,
      fullSnapshotSizeInBytes: s.fullSnapshotSizeInBytes,
      storageTier: s.storageTier ?? 'standard',
      startTime: when(now, s.startTime, s.startedDaysAgo, 100),
      state: s.state ?? 'completed',
      description: s.description ?? '',
      encrypted: s.encrypted ?? false,
      tags: toTags(s.tags),
    });
  }
  for (const im of res.images ?? []) {
    for (const d of im.devices ?? []) {
      if (!region.snapshots.has(d.snapshotId)) throw new Error(`fixture: image ${im.id} uses unknown snapshot ${d.snapshotId}`);
    }
    region.images.set(im.id, {
      imageId: im.id,
      name: im.name,
      state: im.state ?? 'available',
      creationDate: when(now, im.creationDate, im.createdDaysAgo, 100),
      description: im.description,
      rootDeviceName: im.rootDeviceName ?? '/dev/xvda',
      devices: (im.devices ?? []).map((d) => ({
        device: d.device,
        snapshotId: d.snapshotId,
        volumeSize: d.volumeSizeGiB,
        volumeType: d.volumeType ?? 'gp3',
        deleteOnTermination: d.deleteOnTermination ?? true,
      })),
      tags: toTags(im.tags),
      launchPermissions: (im.launchPermissions ?? []).map((lp) => ({ ...lp })),
    });
  }
  for (const lt of res.launchTemplates ?? []) {
    const created = when(now, undefined, lt.createdDaysAgo, 100);
    region.launchTemplates.set(lt.id, {
      launchTemplateId: lt.id,
      launchTemplateName: lt.name,
      defaultVersionNumber: lt.defaultVersion ?? 1,
      createTime: created,
      versions: lt.versions.map((v) => ({
        versionNumber: v.number,
        imageId: v.imageId,
        instanceType: v.instanceType,
        description: v.description,
        createTime: v.createdDaysAgo === undefined ? created : when(now, undefined, v.createdDaysAgo, 0),
      })),
      tags: toTags(lt.tags),
    });
  }
  for (const lc of res.launchConfigurations ?? []) {
    if (region.launchConfigurations.has(lc.name)) throw new Error(`fixture: launch configuration ${lc.name} appears twice in region ${region.name}`);
    region.launchConfigurations.set(lc.name, {
      name: lc.name,
      // AWS's form: arn:aws:autoscaling:<region>:<account>:launchConfiguration:<uuid>:launchConfigurationName/<name>.
      arn: `arn:aws:autoscaling:${region.name}:${accountId}:launchConfiguration:${uuidOf(`${region.name}/${lc.name}`)}:launchConfigurationName/${lc.name}`,
      imageId: lc.imageId,
      instanceType: lc.instanceType ?? 't3.micro',
      createdTime: when(now, undefined, lc.createdDaysAgo, 100),
    });
  }
  for (const n of res.natGateways ?? []) {
    region.natGateways.set(n.id, {
      natGatewayId: n.id,
      state: n.state ?? 'available',
      subnetId: n.subnetId ?? 'subnet-0sim0000000000001',
      vpcId: n.vpcId ?? 'vpc-0sim00000000000001',
      connectivityType: n.connectivityType ?? 'public',
      createTime: when(now, undefined, n.createdDaysAgo, 100),
      addresses: n.addresses ?? [],
      tags: toTags(n.tags),
    });
  }
  loadElbFixture(region.elb, res.elb, { region: region.name, accountId, now });
  loadRdsFixture(region.rds, res.rds, { region: region.name, accountId, now });
  loadElastiCacheFixture(region.elasticache, res.elasticache, { region: region.name, accountId, now });
  loadRedshiftFixture(region.redshift, res.redshift, { region: region.name, accountId, now });
  loadOpenSearchFixture(region.opensearch, res.opensearch, { region: region.name, accountId, now });
  loadLogsFixture(region.logs, res.logs, { region: region.name, accountId, now });
  loadS3Fixture(region.s3, res.s3, { region: region.name, accountId, now });
  loadEcrFixture(region.ecr, res.ecr, { region: region.name, accountId, now });
  loadSecretsManagerFixture(region.secretsManager, res.secretsManager, { region: region.name, accountId, now });
  loadKmsFixture(region.kms, res.kms, { region: region.name, accountId, now });
  loadEksFixture(region.eks, res.eks, { region: region.name, accountId, now });
  loadSageMakerFixture(region.sagemaker, res.sagemaker, { region: region.name, accountId, now });
  resolveNetwork(region, res, now);
  resolveMetrics(region, res, now);
}

const DEFAULT_VPC = 'vpc-0sim00000000000001';

function resolveNetwork(region: SimRegion, res: RegionResourcesFixture, now: Date): void {
  for (const e of res.vpcEndpoints ?? []) {
    if (region.vpcEndpoints.has(e.id)) throw new Error(`fixture: VPC endpoint ${e.id} appears twice in region ${region.name}`);
    const type = e.type ?? 'Interface';
    const subnets = type === 'Gateway' ? [] : (e.subnetIds ?? ['subnet-0sim0000000000001']);
    region.vpcEndpoints.set(e.id, {
      vpcEndpointId: e.id,
      type,
      vpcId: e.vpcId ?? DEFAULT_VPC,
      serviceName: e.serviceName ?? `com.amazonaws.${region.name}.${type === 'Gateway' ? 's3' : 'ssm'}`,
      state: e.state ?? 'available',
      subnetIds: subnets,
      networkInterfaceIds: subnets.map((sn) => `eni-${hashHex(`${e.id}/${sn}`, 17)}`),
      privateDnsEnabled: type === 'Interface' ? (e.privateDnsEnabled ?? true) : false,
      requesterManaged: e.requesterManaged ?? false,
      creationTimestamp: when(now, e.creationTimestamp, e.createdDaysAgo, 100),
      tags: toTags(e.tags),
    });
  }
  for (const rt of res.routeTables ?? []) {
    if (region.routeTables.has(rt.id)) throw new Error(`fixture: route table ${rt.id} appears twice in region ${region.name}`);
    const routes: SimRoute[] = rt.routes.map((r) => {
      const gatewayId = r.vpcEndpointId ?? r.gatewayId;
      if (r.vpcEndpointId !== undefined && !region.vpcEndpoints.has(r.vpcEndpointId)) {
        throw new Error(`fixture: route table ${rt.id} routes to unknown VPC endpoint ${r.vpcEndpointId}`);
      }
      let state = r.state;
      if (r.natGatewayId !== undefined) {
        const nat = region.natGateways.get(r.natGatewayId);
        if (!nat && state !== 'blackhole') throw new Error(`fixture: route table ${rt.id} routes to unknown NAT gateway ${r.natGatewayId} (say state 'blackhole' for a deleted one)`);
        state ??= nat && (nat.state === 'deleted' || nat.state === 'failed') ? 'blackhole' : 'active';
      }
      const dest = r.destination;
      return {
        ...(dest.startsWith('pl-') ? { destinationPrefixListId: dest } : dest.includes(':') ? { destinationIpv6CidrBlock: dest } : { destinationCidrBlock: dest }),
        ...(gatewayId !== undefined ? { gatewayId } : {}),
        ...(r.natGatewayId !== undefined ? { natGatewayId: r.natGatewayId } : {}),
        ...(r.instanceId !== undefined ? { instanceId: r.instanceId } : {}),
        state: state ?? 'active',
        origin: gatewayId === 'local' ? 'CreateRouteTable' : 'CreateRoute',
      };
    });
    if (!routes.some((r) => r.gatewayId === 'local')) routes.unshift({ destinationCidrBlock: '10.0.0.0/16', gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' });
    region.routeTables.set(rt.id, {
      routeTableId: rt.id,
      vpcId: rt.vpcId ?? DEFAULT_VPC,
      main: rt.main ?? false,
      subnetIds: rt.subnetIds ?? [],
      routes,
      tags: toTags(rt.tags),
    });
  }
}

/** `{{loadBalancer:NAME}}` / `{{targetGroup:NAME}}` → the ARN suffix CloudWatch uses as the dimension value. */
function resolveDimensionValue(region: SimRegion, value: string): string {
  const m = /^\{\{(loadBalancer|targetGroup):(.+)\}\}$/.exec(value);
  if (!m) return value;
  const [, kind, name] = m;
  const pool = kind === 'loadBalancer' ? region.elb.loadBalancers : region.elb.targetGroups;
  const hit = [...pool.values()].find((x) => x.name === name);
  if (!hit) throw new Error(`fixture: metric dimension ${value} names no ${kind} in region ${region.name}`);
  // arn:aws:elasticloadbalancing:region:account:loadbalancer/app/name/id → app/name/id; …:targetgroup/name/id → itself.
  const resource = hit.arn.split(':').slice(5).join(':');
  return kind === 'loadBalancer' ? resource.replace(/^loadbalancer\//, '') : resource;
}

function resolveMetrics(region: SimRegion, res: RegionResourcesFixture, now: Date): void {
  for (const m of res.metrics ?? []) {
    const dimensions = Object.entries(m.dimensions).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value: resolveDimensionValue(region, value) }]));
    putDailySeries(region.metrics, { namespace: m.namespace, metricName: m.metricName, dimensions, daily: m.daily }, now);
  }
}

/** EC2 reports IOPS for SSD and io volumes; gp2 has a size-derived baseline (3 IOPS/GiB, 100–16,000). */
function defaultIops(type: string, size: number): number | undefined {
  switch (type) {
    case 'gp2':
      return Math.min(16_000, Math.max(100, size * 3));
    case 'gp3':
      return 3000;
    case 'io1':
    case 'io2':
      return 100;
    default:
      return undefined;
  }
}
