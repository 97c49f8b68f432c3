/** EC2 Describe* operations. Each returns the inner XML of its `<XxxResponse>`. */
import { ApiError } from '../../api-error';
import type { QueryParams } from '../../protocols/query-params';
import type { SimAccount, SimAddress, SimAttachment, SimInstance, SimLaunchTemplate, SimLaunchTemplateVersion, SimRegion } from '../../state';
import { el, itemSet, node } from '../../protocols/xml';
import { hashHex } from '../../resolve-fixture';
import { applyFilters } from './filters';
import { settleImages } from './images';
import { paginate } from './paging';
import {
  addressXml,
  imageXml,
  instanceXml,
  launchTemplateVersionXml,
  launchTemplateXml,
  natGatewayXml,
  routeTableXml,
  snapshotXml,
  STATE_CODES,
  volumeXml,
  vpcEndpointXml,
} from './render';

export interface Ec2Context {
  account: SimAccount;
  region: SimRegion;
  p: QueryParams;
}

function notFound(code: string, kind: string, missing: string[]): ApiError {
  const plural = missing.length > 1;
  return new ApiError(code, `The ${kind}${plural ? 's' : ''} '${missing.join(', ')}' ${plural ? 'do' : 'does'} not exist`);
}

function pick<T>(all: Map<string, T>, ids: string[], code: string, kind: string): T[] {
  const missing = ids.filter((id) => !all.has(id));
  if (missing.length > 0) throw notFound(code, kind, missing);
  return [...new Set(ids)].map((id) => all.get(id) as T);
}

const nextToken = (t: string | undefined): string => el('nextToken', t);

/** Pending snapshots made by CreateSnapshot complete once their (wall-clock) delay has passed. */
export function settleSnapshots(region: SimRegion): void {
  const t = Date.now();
  for (const s of region.snapshots.values()) {
    if (s.state === 'pending' && s.completesAtMs !== undefined && t >= s.completesAtMs) {
      s.state = 'completed';
      s.completesAtMs = undefined;
    }
  }
}

export function describeRegions({ account, p }: Ec2Context): string {
  const names = p.list('RegionName');
  const all = p.bool('AllRegions');
  let regions = account.regionInfo.filter((r) => all || r.optInStatus !== 'not-opted-in');
  if (names.length > 0) {
    const missing = names.filter((n) => !regions.some((r) => r.name === n));
    if (missing.length > 0) throw new ApiError('InvalidParameterValue', `Invalid region names: '${missing.join(', ')}'`);
    regions = regions.filter((r) => names.includes(r.name));
  }
  regions = applyFilters(regions, p.filters(), {
    'region-name': (r) => [r.name],
    endpoint: (r) => [`ec2.${r.name}.amazonaws.com`],
    'opt-in-status': (r) => [r.optInStatus],
  });
  return itemSet(
    'regionInfo',
    regions.map((r) => el('regionName', r.name) + el('regionEndpoint', `ec2.${r.name}.amazonaws.com`) + el('optInStatus', r.optInStatus)),
  );
}

function attachmentIndex(region: SimRegion): { byInstance: Map<string, SimAttachment[]>; volumeIdOf: Map<SimAttachment, string> } {
  const byInstance = new Map<string, SimAttachment[]>();
  const volumeIdOf = new Map<SimAttachment, string>();
  for (const v of region.volumes.values()) {
    for (const a of v.attachments) {
      volumeIdOf.set(a, v.volumeId);
      const list = byInstance.get(a.instanceId);
      if (list) list.push(a);
      else byInstance.set(a.instanceId, [a]);
    }
  }
  return { byInstance, volumeIdOf };
}

export function describeInstances({ account, region, p }: Ec2Context): string {
  const ids = p.list('InstanceId');
  const base = ids.length > 0 ? pick(region.instances, ids, 'InvalidInstanceID.NotFound', 'instance ID') : [...region.instances.values()];
  const { byInstance, volumeIdOf } = attachmentIndex(region);
  const eipByInstance = new Map<string, SimAddress>();
  for (const a of region.addresses.values()) if (a.instanceId) eipByInstance.set(a.instanceId, a);
  const filtered = applyFilters(
    base,
    p.filters(),
    {
      'instance-state-name': (i) => [i.state],
      'instance-state-code': (i) => [STATE_CODES[i.state]],
      'instance-id': (i) => [i.instanceId],
      'image-id': (i) => [i.imageId],
      'instance-type': (i) => [i.instanceType],
      'availability-zone': (i) => [i.availabilityZone],
      'reservation-id': (i) => [i.reservationId],
      'vpc-id': (i) => [i.vpcId],
      'subnet-id': (i) => [i.subnetId],
      'root-device-name': (i) => [i.rootDeviceName],
      'block-device-mapping.volume-id': (i) => (byInstance.get(i.instanceId) ?? []).map((a) => volumeIdOf.get(a)),
      'block-device-mapping.delete-on-termination': (i) => (byInstance.get(i.instanceId) ?? []).map((a) => a.deleteOnTermination),
      'ip-address': (i) => [eipByInstance.get(i.instanceId)?.publicIp],
    },
    (i) => i.tags,
  );
  // MaxResults counts instances; the page is then grouped into reservations, as EC2 does.
  const { page, nextToken: tok } = paginate(filtered, (i) => i.instanceId, p, { min: 5, max: 1000, idsParam: 'instancesSet', idsGiven: ids.length > 0 });
  const groups = new Map<string, SimInstance[]>();
  for (const i of page) {
    const g = groups.get(i.reservationId);
    if (g) g.push(i);
    else groups.set(i.reservationId, [i]);
  }
  const reservations = [...groups.entries()].map(([rid, insts]) =>
    [
      el('reservationId', rid),
      el('ownerId', account.accountId),
      '<groupSet/>',
      itemSet(
        'instancesSet',
        insts.map((i) =>
          instanceXml(i, { attachments: byInstance.get(i.instanceId) ?? [], volumeIdOf, elasticIp: eipByInstance.get(i.instanceId), ownerId: account.accountId }),
        ),
      ),
    ].join(''),
  );
  return itemSet('reservationSet', reservations) + nextToken(tok);
}

export function describeInstanceAttribute({ region, p }: Ec2Context): string {
  const id = p.get('InstanceId') ?? '';
  const i = region.instances.get(id);
  if (!i) throw notFound('InvalidInstanceID.NotFound', 'instance ID', [id]);
  const attr = p.get('Attribute') ?? '';
  const value = (v: string | boolean): string => node(attr, el('value', v));
  switch (attr) {
    case 'disableApiTermination':
      return el('instanceId', id) + value(i.disableApiTermination);
    case 'disableApiStop':
      return el('instanceId', id) + value(false);
    case 'instanceType':
      return el('instanceId', id) + value(i.instanceType);
    case 'rootDeviceName':
      return el('instanceId', id) + value(i.rootDeviceName);
    default:
      throw new ApiError('InvalidParameterValue', `Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
  }
}

/** DescribeImageAttribute: launchPermission (who else may launch the AMI) and description. */
export function describeImageAttribute({ region, p }: Ec2Context): string {
  const id = p.get('ImageId') ?? '';
  const im = region.images.get(id);
  if (!im || im.state === 'deregistered') throw notFound('InvalidAMIID.NotFound', 'image id', [id]);
  const attr = p.get('Attribute') ?? '';
  switch (attr) {
    case 'launchPermission':
      return (
        el('imageId', id) +
        itemSet(
          'launchPermission',
          (im.launchPermissions ?? []).map(
            (lp) => el('group', lp.group) + el('userId', lp.userId) + el('organizationArn', lp.organizationArn) + el('organizationalUnitArn', lp.organizationalUnitArn),
          ),
        )
      );
    case 'description':
      return el('imageId', id) + node('description', el('value', im.description));
    default:
      throw new ApiError('InvalidParameterValue', `Value (${attr}) for parameter attribute is invalid. Unknown attribute.`);
  }
}

export function describeVolumes({ account, region, p }: Ec2Context): string {
  const ids = p.list('VolumeId');
  const base = ids.length > 0 ? pick(region.volumes, ids, 'InvalidVolume.NotFound', 'volume') : [...region.volumes.values()];
  const filtered = applyFilters(
    base,
    p.filters(),
    {
      status: (v) => [v.state],
      'volume-id': (v) => [v.volumeId],
      'volume-type': (v) => [v.volumeType],
      size: (v) => [v.size],
      'snapshot-id': (v) => [v.snapshotId],
      'availability-zone': (v) => [v.availabilityZone],
      encrypted: (v) => [v.encrypted],
      'create-time': (v) => [v.createTime.toISOString()],
      'attachment.instance-id': (v) => v.attachments.map((a) => a.instanceId),
      'attachment.device': (v) => v.attachments.map((a) => a.device),
      'attachment.status': (v) => v.attachments.map(() => 'attached'),
      'attachment.delete-on-termination': (v) => v.attachments.map((a) => a.deleteOnTermination),
    },
    (v) => v.tags,
  );
  const { page, nextToken: tok } = paginate(filtered, (v) => v.volumeId, p, { min: 5, max: 500, idsParam: 'volumeIds', idsGiven: ids.length > 0 });
  const arnPrefix = `arn:aws:ec2:${region.name}:${account.accountId}:volume/`;
  return itemSet('volumeSet', page.map((v) => volumeXml(v, arnPrefix))) + nextToken(tok);
}

/** OwnerIds: 'self' or the account id match this account's resources; anything else owns nothing here. */
function ownedBySelf(account: SimAccount, owners: string[]): boolean {
  return owners.length === 0 || owners.some((o) => o === 'self' || o === account.accountId);
}

export function describeSnapshots({ account, region, p }: Ec2Context): string {
  settleSnapshots(region);
  const ids = p.list('SnapshotId');
  const base = ids.length > 0 ? pick(region.snapshots, ids, 'InvalidSnapshot.NotFound', 'snapshot') : [...region.snapshots.values()];
  const owned = ownedBySelf(account, p.list('Owner')) ? base : [];
  const filtered = applyFilters(
    owned,
    p.filters(),
    {
      status: (s) => [s.state],
      'snapshot-id': (s) => [s.snapshotId],
      'volume-id': (s) => [s.volumeId],
      'volume-size': (s) => [s.volumeSize],
      'owner-id': () => [account.accountId],
      'storage-tier': (s) => [s.storageTier],
      description: (s) => [s.description],
      encrypted: (s) => [s.encrypted],
      'start-time': (s) => [s.startTime.toISOString()],
    },
    (s) => s.tags,
  );
  const { page, nextToken: tok } = paginate(filtered, (s) => s.snapshotId, p, { min: 5, max: 1000, idsParam: 'snapshotIds', idsGiven: ids.length > 0 });
  return itemSet('snapshotSet', page.map((s) => snapshotXml(s, account.accountId))) + nextToken(tok);
}

export function describeImages({ account, region, p }: Ec2Context): string {
  settleImages(region);
  const ids = p.list('ImageId');
  const missing = ids.filter((id) => !region.images.has(id));
  if (missing.length > 0) throw new ApiError('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
  const base = ids.length > 0 ? [...new Set(ids)].map((id) => region.images.get(id)!) : [...region.images.values()];
  // Disabled AMIs are left out unless IncludeDisabled=true (API_DescribeImages: "IncludeDisabled").
  const visible = base.filter((im) => im.state !== 'disabled' || p.bool('IncludeDisabled'));
  const owned = ownedBySelf(account, p.list('Owner')) ? visible : [];
  const filtered = applyFilters(
    owned,
    p.filters(),
    {
      'image-id': (im) => [im.imageId],
      state: (im) => [im.state],
      name: (im) => [im.name],
      description: (im) => [im.description],
      'owner-id': () => [account.accountId],
      'is-public': () => [false],
      'root-device-name': (im) => [im.rootDeviceName],
      'block-device-mapping.snapshot-id': (im) => im.devices.map((d) => d.snapshotId),
      'block-device-mapping.volume-type': (im) => im.devices.map((d) => d.volumeType),
      'creation-date': (im) => [im.creationDate.toISOString()],
    },
    (im) => im.tags,
  );
  const { page, nextToken: tok } = paginate(filtered, (im) => im.imageId, p, { min: 5, max: 1000, idsParam: 'imagesSet', idsGiven: ids.length > 0 });
  return itemSet('imagesSet', page.map((im) => imageXml(im, account.accountId))) + nextToken(tok);
}

export function describeAddresses({ account, region, p }: Ec2Context): string {
  const allocs = p.list('AllocationId');
  const ips = p.list('PublicIp');
  let base = [...region.addresses.values()];
  if (allocs.length > 0) {
    const missing = allocs.filter((a) => !region.addresses.has(a));
    if (missing.length > 0) throw new ApiError('InvalidAllocationID.NotFound', `The allocation IDs '${missing.join(', ')}' do not exist`);
    base = base.filter((a) => allocs.includes(a.allocationId));
  }
  if (ips.length > 0) {
    const missing = ips.filter((ip) => !base.some((a) => a.publicIp === ip));
    if (missing.length > 0) throw new ApiError('InvalidAddress.NotFound', `Address '${missing.join(', ')}' not found.`);
    base = base.filter((a) => ips.includes(a.publicIp));
  }
  const filtered = applyFilters(
    base,
    p.filters(),
    {
      'allocation-id': (a) => [a.allocationId],
      'association-id': (a) => [a.associationId],
      'instance-id': (a) => [a.instanceId],
      'public-ip': (a) => [a.publicIp],
      'network-interface-id': (a) => [a.networkInterfaceId],
      'private-ip-address': (a) => [a.privateIpAddress],
      domain: () => ['vpc'],
      'service-managed': (a) => [a.serviceManaged],
    },
    (a) => a.tags,
  );
  return itemSet('addressesSet', filtered.map((a) => addressXml(a, account.accountId)));
}

/**
 * DescribeRouteTables (MaxResults 5–100). Filters: route-table-id, vpc-id, owner-id, route.* (nat-gateway-id,
 * gateway-id, destination-cidr-block, destination-prefix-list-id, state, origin, …), association.* and tags.
 */
export function describeRouteTables({ account, region, p }: Ec2Context): string {
  const ids = p.list('RouteTableId');
  const missing = ids.filter((id) => !region.routeTables.has(id));
  if (missing.length > 0) throw new ApiError('InvalidRouteTableID.NotFound', `The routeTable ID '${missing.join(', ')}' does not exist`);
  const base = ids.length > 0 ? [...new Set(ids)].map((id) => region.routeTables.get(id)!) : [...region.routeTables.values()];
  const assocId = (rtId: string, subnet: string | undefined): string => `rtbassoc-${hashHex(`${rtId}/${subnet ?? 'main'}`, 17)}`;
  const filtered = applyFilters(
    base,
    p.filters(),
    {
      'route-table-id': (t) => [t.routeTableId],
      'vpc-id': (t) => [t.vpcId],
      'owner-id': () => [account.accountId],
      'route.nat-gateway-id': (t) => t.routes.map((r) => r.natGatewayId),
      'route.gateway-id': (t) => t.routes.map((r) => r.gatewayId),
      'route.instance-id': (t) => t.routes.map((r) => r.instanceId),
      'route.destination-cidr-block': (t) => t.routes.map((r) => r.destinationCidrBlock),
      'route.destination-ipv6-cidr-block': (t) => t.routes.map((r) => r.destinationIpv6CidrBlock),
      'route.destination-prefix-list-id': (t) => t.routes.map((r) => r.destinationPrefixListId),
      'route.state': (t) => t.routes.map((r) => r.state),
      'route.origin': (t) => t.routes.map((r) => r.origin),
      'association.subnet-id': (t) => t.subnetIds,
      'association.main': (t) => [t.main],
      'association.route-table-id': (t) => (t.main || t.subnetIds.length > 0 ? [t.routeTableId] : []),
      'association.route-table-association-id': (t) => [...(t.main ? [assocId(t.routeTableId, undefined)] : []), ...t.subnetIds.map((sn) => assocId(t.routeTableId, sn))],
    },
    (t) => t.tags,
  );
  const { page, nextToken: tok } = paginate(filtered, (t) => t.routeTableId, p, { min: 5, max: 100 });
  return itemSet('routeTableSet', page.map((t) => routeTableXml(t, account.accountId))) + nextToken(tok);
}

/**
 * DescribeVpcEndpoints (MaxResults 5–1,000; above 1,000 serves 1,000, as documented). Filters: vpc-endpoint-id,
 * vpc-endpoint-type, vpc-endpoint-state (lower-case states), vpc-id, service-name, ip-address-type and tags.
 */
export function describeVpcEndpoints({ account, region, p }: Ec2Context): string {
  const ids = p.list('VpcEndpointId');
  const missing = ids.filter((id) => !region.vpcEndpoints.has(id));
  if (missing.length > 0) throw new ApiError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${missing.join(', ')}' does not exist`);
  const base = ids.length > 0 ? [...new Set(ids)].map((id) => region.vpcEndpoints.get(id)!) : [...region.vpcEndpoints.values()];
  const filtered = applyFilters(
    base,
    p.filters(),
    {
      'vpc-endpoint-id': (e) => [e.vpcEndpointId],
      'vpc-endpoint-type': (e) => [e.type],
      'vpc-endpoint-state': (e) => [e.state],
      'vpc-id': (e) => [e.vpcId],
      'service-name': (e) => [e.serviceName],
      'service-region': () => [region.name],
      'ip-address-type': () => ['ipv4'],
    },
    (e) => e.tags,
  );
  const { page, nextToken: tok } = paginate(filtered, (e) => e.vpcEndpointId, p, { min: 5, max: 1000, clampAboveMax: true });
  const tablesOf = (vpce: string): string[] =>
    [...region.routeTables.values()].filter((t) => t.routes.some((r) => r.gatewayId === vpce)).map((t) => t.routeTableId).sort();
  return (
    itemSet(
      'vpcEndpointSet',
      page.map((e) => vpcEndpointXml(e, { ownerId: account.accountId, region: region.name, routeTableIds: e.type === 'Interface' ? [] : tablesOf(e.vpcEndpointId) })),
    ) + nextToken(tok)
  );
}

export function describeNatGateways({ region, p }: Ec2Context): string {
  const ids = p.list('NatGatewayId');
  const missing = ids.filter((id) => !region.natGateways.has(id));
  if (missing.length > 0) throw new ApiError('NatGatewayNotFound', `The Nat Gateway ${missing.join(', ')} was not found`);
  const base = ids.length > 0 ? [...region.natGateways.values()].filter((n) => ids.includes(n.natGatewayId)) : [...region.natGateways.values()];
  const filtered = applyFilters(
    base,
    p.filters('Filter'),
    {
      'nat-gateway-id': (n) => [n.natGatewayId],
      state: (n) => [n.state],
      'subnet-id': (n) => [n.subnetId],
      'vpc-id': (n) => [n.vpcId],
    },
    (n) => n.tags,
  );
  const { page, nextToken: tok } = paginate(filtered, (n) => n.natGatewayId, p, { min: 5, max: 1000 });
  return itemSet('natGatewaySet', page.map(natGatewayXml)) + nextToken(tok);
}

export function describeLaunchTemplates({ account, region, p }: Ec2Context): string {
  const ids = p.list('LaunchTemplateId');
  const names = p.list('LaunchTemplateName');
  let base = [...region.launchTemplates.values()];
  if (ids.length > 0) {
    const missing = ids.filter((id) => !region.launchTemplates.has(id));
    if (missing.length > 0) throw new ApiError('InvalidLaunchTemplateId.NotFound', `At least one of the launch templates specified in the request does not exist.`);
    base = base.filter((lt) => ids.includes(lt.launchTemplateId));
  }
  if (names.length > 0) {
    const missing = names.filter((n) => !base.some((lt) => lt.launchTemplateName === n));
    if (missing.length > 0) throw new ApiError('InvalidLaunchTemplateName.NotFoundException', `At least one of the launch templates specified in the request does not exist.`);
    base = base.filter((lt) => names.includes(lt.launchTemplateName));
  }
  const filtered = applyFilters(
    base,
    p.filters(),
    { 'launch-template-name': (lt) => [lt.launchTemplateName], 'create-time': (lt) => [lt.createTime.toISOString()] },
    (lt) => lt.tags,
  );
  const { page, nextToken: tok } = paginate(filtered, (lt) => lt.launchTemplateId, p, { min: 1, max: 200 });
  return itemSet('launchTemplates', page.map((lt) => launchTemplateXml(lt, account.arn))) + nextToken(tok);
}

/**
 * DescribeLaunchTemplateVersions: one template (id or name) → all its versions, or the listed ones;
 * no template → only `$Latest`/`$Default` across all templates (API_DescribeLaunchTemplateVersions).
 */
export function describeLaunchTemplateVersions({ account, region, p }: Ec2Context): string {
  const id = p.get('LaunchTemplateId');
  const name = p.get('LaunchTemplateName');
  const versions = p.list('LaunchTemplateVersion');
  let templates: SimLaunchTemplate[];
  if (id !== undefined || name !== undefined) {
    const lt = id !== undefined ? region.launchTemplates.get(id) : [...region.launchTemplates.values()].find((t) => t.launchTemplateName === name);
    if (!lt) {
      throw id !== undefined
        ? new ApiError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`)
        : new ApiError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
    }
    templates = [lt];
  } else {
    if (versions.length === 0 || versions.some((v) => v !== '$Latest' && v !== '$Default')) {
      throw new ApiError('MissingParameter', 'The request must contain the parameter launchTemplateName or launchTemplateId');
    }
    templates = [...region.launchTemplates.values()];
  }
  const minV = p.int('MinVersion');
  const maxV = p.int('MaxVersion');
  const rows: { lt: SimLaunchTemplate; v: SimLaunchTemplateVersion }[] = [];
  for (const lt of templates) {
    const latest = Math.max(...lt.versions.map((v) => v.versionNumber));
    let wanted: SimLaunchTemplateVersion[];
    if (versions.length === 0) wanted = lt.versions;
    else {
      const nums = versions.map((v) => (v === '$Latest' ? latest : v === '$Default' ? lt.defaultVersionNumber : Number(v)));
      const bad = versions.filter((_, i) => !lt.versions.some((v) => v.versionNumber === nums[i]));
      if (bad.length > 0) {
        throw new ApiError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${bad.join(', ')} for template ${lt.launchTemplateId}`);
      }
      wanted = lt.versions.filter((v) => nums.includes(v.versionNumber));
    }
    for (const v of wanted) {
      if (minV !== undefined && v.versionNumber < minV) continue;
      if (maxV !== undefined && v.versionNumber > maxV) continue;
      rows.push({ lt, v });
    }
  }
  const filtered = applyFilters(rows, p.filters(), {
    'is-default-version': (r) => [r.v.versionNumber === r.lt.defaultVersionNumber],
    'image-id': (r) => [r.v.imageId],
    'instance-type': (r) => [r.v.instanceType],
  });
  const key = (r: { lt: SimLaunchTemplate; v: SimLaunchTemplateVersion }): string => `${r.lt.launchTemplateId}:${String(r.v.versionNumber).padStart(10, '0')}`;
  const { page, nextToken: tok } = paginate(filtered, key, p, { min: 1, max: 200 });
  return itemSet('launchTemplateVersionSet', page.map((r) => launchTemplateVersionXml(r.lt, r.v, account.arn))) + nextToken(tok);
}
