/**
 * EC2 XML for each resource kind. Element names are the `xmlName`s in the SDK's EC2 schema
 * (node_modules/@aws-sdk/client-ec2/dist-cjs/index.js, e.g. Instance.State → `instanceState`,
 * Instance.StateTransitionReason → `reason`, Volume.State → `status`), which follow the EC2 API reference.
 */
import type {
  SimAddress,
  SimAttachment,
  SimImage,
  SimInstance,
  SimLaunchTemplate,
  SimLaunchTemplateVersion,
  SimNatGateway,
  SimRouteTable,
  SimSnapshot,
  SimVolume,
  SimVpcEndpoint,
} from '../../state';
import { hashHex } from '../../resolve-fixture';
import { el, esc, itemSet, node, tagSet } from '../../protocols/xml';
import { imageSourceInstance, imageStateReason, rootDeviceTypeOf } from './images';

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html */
export const STATE_CODES = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 } as const;

export function instanceStateXml(name: string, state: keyof typeof STATE_CODES): string {
  return node(name, el('code', STATE_CODES[state]), el('name', state));
}

export interface InstanceContext {
  attachments: SimAttachment[];
  volumeIdOf: Map<SimAttachment, string>;
  elasticIp?: SimAddress;
  ownerId: string;
}

export function instanceXml(i: SimInstance, ctx: InstanceContext): string {
  const live = i.state !== 'terminated';
  const privateDns = live ? `ip-${i.privateIpAddress.replace(/\./g, '-')}.ec2.internal` : '';
  const publicIp = live ? ctx.elasticIp?.publicIp : undefined;
  return [
    el('instanceId', i.instanceId),
    el('imageId', i.imageId),
    instanceStateXml('instanceState', i.state),
    el('privateDnsName', privateDns),
    el('dnsName', publicIp ? `ec2-${publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com` : ''),
    el('reason', i.stateTransitionReason), // empty element when empty, as EC2 writes it
    el('amiLaunchIndex', 0),
    '<productCodes/>',
    el('instanceType', i.instanceType),
    el('launchTime', i.launchTime),
    node('placement', el('availabilityZone', i.availabilityZone), '<groupName/>', el('tenancy', 'default')),
    node('monitoring', el('state', 'disabled')),
    live ? el('subnetId', i.subnetId) + el('vpcId', i.vpcId) + el('privateIpAddress', i.privateIpAddress) : '',
    el('ipAddress', publicIp),
    el('sourceDestCheck', true),
    '<groupSet/>',
    i.stateReason ? node('stateReason', el('code', i.stateReason.code), el('message', i.stateReason.message)) : '',
    el('architecture', 'x86_64'),
    el('rootDeviceType', rootDeviceTypeOf(i)),
    el('rootDeviceName', i.rootDeviceName),
    itemSet(
      'blockDeviceMapping',
      ctx.attachments.map((a) =>
        el('deviceName', a.device) +
        node(
          'ebs',
          el('volumeId', ctx.volumeIdOf.get(a)),
          el('status', 'attached'),
          el('attachTime', a.attachTime),
          el('deleteOnTermination', a.deleteOnTermination),
        ),
      ),
    ),
    el('virtualizationType', 'hvm'),
    '<clientToken/>',
    tagSet(i.tags),
    el('hypervisor', 'xen'),
    '<networkInterfaceSet/>',
    el('ebsOptimized', false),
    el('enaSupport', true),
    node('cpuOptions', el('coreCount', 1), el('threadsPerCore', 2)),
    el('bootMode', 'uefi-preferred'),
    el('platformDetails', 'Linux/UNIX'),
    el('usageOperation', 'RunInstances'),
    el('currentInstanceBootMode', 'legacy-bios'),
  ].join('');
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Volume.html — iops only for SSD/io types, throughput only for gp3. */
export function volumeXml(v: SimVolume, volumeArnPrefix: string): string {
  return [
    el('volumeId', v.volumeId),
    el('size', v.size),
    el('snapshotId', v.snapshotId),
    el('availabilityZone', v.availabilityZone),
    el('status', v.state),
    el('createTime', v.createTime),
    itemSet(
      'attachmentSet',
      v.attachments.map(
        (a) =>
          el('volumeId', v.volumeId) +
          el('instanceId', a.instanceId) +
          el('device', a.device) +
          el('status', 'attached') +
          el('attachTime', a.attachTime) +
          el('deleteOnTermination', a.deleteOnTermination),
      ),
    ),
    tagSet(v.tags),
    el('volumeType', v.volumeType),
    el('iops', v.iops),
    el('encrypted', v.encrypted),
    el('multiAttachEnabled', false),
    el('throughput', v.throughput),
    el('volumeArn', `${volumeArnPrefix}${v.volumeId}`),
  ].join('');
}

export function snapshotXml(s: SimSnapshot, ownerId: string): string {
  const done = s.state === 'completed';
  return [
    el('snapshotId', s.snapshotId),
    el('volumeId', s.volumeId),
    el('status', s.state),
    el('startTime', s.startTime),
    el('progress', done ? '100%' : '0%'),
    el('ownerId', ownerId),
    el('volumeSize', s.volumeSize),
    el('description', s.description),
    el('encrypted', s.encrypted),
    tagSet(s.tags),
    el('storageTier', s.storageTier),
    el('fullSnapshotSizeInBytes', s.fullSnapshotSizeInBytes),
  ].join('');
}

export function imageXml(im: SimImage, ownerId: string): string {
  const reason = imageStateReason(im);
  return [
    el('imageId', im.imageId),
    el('imageLocation', `${ownerId}/${im.name}`),
    el('imageState', im.state),
    el('imageOwnerId', ownerId),
    el('creationDate', im.creationDate),
    el('isPublic', (im.launchPermissions ?? []).some((lp) => lp.group === 'all')),
    el('architecture', 'x86_64'),
    el('imageType', 'machine'),
    el('name', im.name),
    el('description', im.description),
    el('rootDeviceType', 'ebs'),
    el('rootDeviceName', im.rootDeviceName),
    itemSet(
      'blockDeviceMapping',
      im.devices.map(
        (d) =>
          el('deviceName', d.device) +
          node(
            'ebs',
            el('snapshotId', d.snapshotId),
            el('volumeSize', d.volumeSize),
            el('deleteOnTermination', d.deleteOnTermination),
            el('volumeType', d.volumeType),
            el('encrypted', false),
          ),
      ),
    ),
    el('virtualizationType', 'hvm'),
    reason ? node('stateReason', el('code', reason.code), el('message', reason.message)) : '',
    tagSet(im.tags),
    el('hypervisor', 'xen'),
    el('sourceInstanceId', imageSourceInstance(im)),
    el('platformDetails', 'Linux/UNIX'),
    el('usageOperation', 'RunInstances'),
  ].join('');
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Address.html — no associationId when unassociated. */
export function addressXml(a: SimAddress, ownerId: string): string {
  return [
    el('publicIp', a.publicIp),
    el('allocationId', a.allocationId),
    el('domain', 'vpc'),
    el('instanceId', a.instanceId),
    el('associationId', a.associationId),
    el('networkInterfaceId', a.networkInterfaceId),
    el('networkInterfaceOwnerId', a.networkInterfaceId ? ownerId : undefined),
    el('privateIpAddress', a.privateIpAddress),
    tagSet(a.tags),
    el('publicIpv4Pool', 'amazon'),
    el('networkBorderGroup', undefined),
    el('serviceManaged', a.serviceManaged),
  ].join('');
}

export function natGatewayXml(n: SimNatGateway): string {
  return [
    el('createTime', n.createTime),
    itemSet(
      'natGatewayAddressSet',
      n.addresses.map(
        (a, i) =>
          el('allocationId', a.allocationId) +
          el('networkInterfaceId', a.networkInterfaceId) +
          el('privateIp', a.privateIp) +
          el('publicIp', a.publicIp) +
          el('isPrimary', i === 0) +
          el('status', 'succeeded'),
      ),
    ),
    el('natGatewayId', n.natGatewayId),
    el('deleteTime', n.state === 'deleted' ? n.deleteTime : undefined),
    el('state', n.state),
    el('subnetId', n.subnetId),
    el('vpcId', n.vpcId),
    tagSet(n.tags),
    el('connectivityType', n.connectivityType),
  ].join('');
}

export function launchTemplateXml(lt: SimLaunchTemplate, createdBy: string): string {
  const latest = Math.max(0, ...lt.versions.map((v) => v.versionNumber));
  return [
    el('launchTemplateId', lt.launchTemplateId),
    el('launchTemplateName', lt.launchTemplateName),
    el('createTime', lt.createTime),
    el('createdBy', createdBy),
    el('defaultVersionNumber', lt.defaultVersionNumber),
    el('latestVersionNumber', latest),
    tagSet(lt.tags),
  ].join('');
}

export function launchTemplateVersionXml(lt: SimLaunchTemplate, v: SimLaunchTemplateVersion, createdBy: string): string {
  return [
    el('launchTemplateId', lt.launchTemplateId),
    el('launchTemplateName', lt.launchTemplateName),
    el('versionNumber', v.versionNumber),
    el('versionDescription', v.description),
    el('createTime', v.createTime),
    el('createdBy', createdBy),
    el('defaultVersion', v.versionNumber === lt.defaultVersionNumber),
    node('launchTemplateData', el('imageId', v.imageId), el('instanceType', v.instanceType)),
  ].join('');
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RouteTable.html (associationSet, routeSet, tagSet). */
export function routeTableXml(rt: SimRouteTable, ownerId: string): string {
  const assoc = (subnetId: string | undefined): string =>
    el('main', subnetId === undefined) +
    el('routeTableAssociationId', `rtbassoc-${hashHex(`${rt.routeTableId}/${subnetId ?? 'main'}`, 17)}`) +
    el('routeTableId', rt.routeTableId) +
    el('subnetId', subnetId) +
    node('associationState', el('state', 'associated'));
  return [
    itemSet('associationSet', [...(rt.main ? [assoc(undefined)] : []), ...rt.subnetIds.map(assoc)]),
    '<propagatingVgwSet/>',
    el('routeTableId', rt.routeTableId),
    itemSet(
      'routeSet',
      rt.routes.map(
        (r) =>
          el('destinationCidrBlock', r.destinationCidrBlock) +
          el('destinationIpv6CidrBlock', r.destinationIpv6CidrBlock) +
          el('destinationPrefixListId', r.destinationPrefixListId) +
          el('gatewayId', r.gatewayId) +
          el('instanceId', r.instanceId) +
          el('natGatewayId', r.natGatewayId) +
          el('origin', r.origin) +
          el('state', r.state),
      ),
    ),
    tagSet(rt.tags),
    el('vpcId', rt.vpcId),
    el('ownerId', ownerId),
  ].join('');
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html — element names from the SDK schema. */
export function vpcEndpointXml(e: SimVpcEndpoint, ctx: { ownerId: string; region: string; routeTableIds: string[] }): string {
  const iface = e.type !== 'Gateway';
  const short = e.vpcEndpointId.replace(/^vpce-/, '');
  const service = e.serviceName.split('.').slice(3).join('.') || e.serviceName;
  const dns = e.type === 'Interface' && e.state !== 'deleted'
    ? [
        { dnsName: `${e.vpcEndpointId}-${hashHex(short, 8)}.${service}.${ctx.region}.vpce.amazonaws.com`, hostedZoneId: 'Z7HUB22UULQXV' },
        ...(e.privateDnsEnabled ? [{ dnsName: `${service}.${ctx.region}.amazonaws.com`, hostedZoneId: `Z${hashHex(e.vpcEndpointId, 20).toUpperCase()}` }] : []),
      ]
    : [];
  return [
    el('vpcEndpointId', e.vpcEndpointId),
    el('vpcEndpointType', e.type),
    el('vpcId', e.vpcId),
    el('serviceName', e.serviceName),
    el('state', e.state),
    e.type === 'Gateway' ? el('policyDocument', '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}') : '',
    itemSet('routeTableIdSet', ctx.routeTableIds.map(esc)),
    itemSet('subnetIdSet', e.subnetIds.map(esc)),
    iface ? itemSet('groupSet', [el('groupId', `sg-${hashHex(e.vpcEndpointId, 17)}`) + el('groupName', 'default')]) : '<groupSet/>',
    el('ipAddressType', 'ipv4'),
    e.type === 'Interface' ? node('dnsOptions', el('dnsRecordIpType', 'ipv4')) : '',
    el('privateDnsEnabled', e.privateDnsEnabled),
    el('requesterManaged', e.requesterManaged),
    itemSet('networkInterfaceIdSet', e.networkInterfaceIds.map(esc)),
    itemSet('dnsEntrySet', dns.map((d) => el('dnsName', d.dnsName) + el('hostedZoneId', d.hostedZoneId))),
    el('creationTimestamp', e.creationTimestamp),
    tagSet(e.tags),
    el('ownerId', ctx.ownerId),
  ].join('');
}
