/** EC2 network calls through the real @aws-sdk/client-ec2: route tables, VPC endpoints, DeleteNatGateway / DeleteRoute / DeleteVpcEndpoints. */
import {
  CreateTagsCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteVpcEndpointsCommand,
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointsCommand,
  paginateDescribeRouteTables,
  paginateDescribeVpcEndpoints,
} from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { ec2Client } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z');

const fixture = (): AccountFixture => ({
  accountId: '123456789012',
  regions: [{ name: 'us-east-1' }],
  resources: {
    'us-east-1': {
      addresses: [
        { allocationId: 'eipalloc-0n1', publicIp: '203.0.113.50', networkInterfaceId: 'eni-0n1', privateIp: '10.0.1.5' },
        { allocationId: 'eipalloc-0n2', publicIp: '203.0.113.51', networkInterfaceId: 'eni-0n2', privateIp: '10.0.2.5' },
      ],
      natGateways: [
        { id: 'nat-0n1', createdDaysAgo: 90, addresses: [{ allocationId: 'eipalloc-0n1', publicIp: '203.0.113.50', privateIp: '10.0.1.5', networkInterfaceId: 'eni-0n1' }] },
        { id: 'nat-0n2', createdDaysAgo: 90, addresses: [{ allocationId: 'eipalloc-0n2', publicIp: '203.0.113.51', privateIp: '10.0.2.5', networkInterfaceId: 'eni-0n2' }] },
      ],
      vpcEndpoints: [
        { id: 'vpce-0if1', serviceName: 'com.amazonaws.us-east-1.ssm', subnetIds: ['subnet-a', 'subnet-b'], createdDaysAgo: 40, tags: { team: 'ops' } },
        { id: 'vpce-0if2', serviceName: 'com.amazonaws.us-east-1.kms', state: 'pending', createdDaysAgo: 1, privateDnsEnabled: false },
        { id: 'vpce-0gw1', type: 'Gateway', serviceName: 'com.amazonaws.us-east-1.s3' },
        ...Array.from({ length: 9 }, (_, i) => ({ id: `vpce-0x${i}`, vpcId: 'vpc-other', requesterManaged: true })),
      ],
      routeTables: [
        { id: 'rtb-0main', main: true, routes: [{ destination: '0.0.0.0/0', gatewayId: 'igw-0a' }] },
        {
          id: 'rtb-0priv',
          subnetIds: ['subnet-a'],
          routes: [
            { destination: '0.0.0.0/0', natGatewayId: 'nat-0n1' },
            { destination: 'pl-63a5400a', vpcEndpointId: 'vpce-0gw1' },
          ],
          tags: { Name: 'private-a' },
        },
        { id: 'rtb-0old', subnetIds: ['subnet-c'], routes: [{ destination: '0.0.0.0/0', natGatewayId: 'nat-0gone', state: 'blackhole' }] },
        ...Array.from({ length: 9 }, (_, i) => ({ id: `rtb-0x${i}`, vpcId: 'vpc-other', routes: [] })),
      ],
    },
  },
});

let sim: Simulator;
let ec2: EC2Client;
beforeEach(async () => {
  await sim?.close();
  ec2?.destroy();
  sim = await startSimulator({ fixture: fixture(), now: NOW });
  ec2 = ec2Client(sim.endpoint);
});
afterAll(async () => {
  ec2.destroy();
  await sim.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('DescribeRouteTables', () => {
  it('answers routes (NAT, gateway endpoint as GatewayId, local, blackhole) and associations, filtered as EC2 does', async () => {
    const out = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.nat-gateway-id', Values: ['nat-0n1'] }] }));
    expect(out.RouteTables?.map((t) => t.RouteTableId)).toEqual(['rtb-0priv']);
    const t = out.RouteTables?.[0];
    expect(t?.VpcId).toBe('vpc-0sim00000000000001');
    expect(t?.OwnerId).toBe('123456789012');
    expect(t?.Tags).toEqual([{ Key: 'Name', Value: 'private-a' }]);
    expect(t?.Routes).toEqual([
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0n1', Origin: 'CreateRoute', State: 'active' },
      { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-0gw1', Origin: 'CreateRoute', State: 'active' },
    ]);
    expect(t?.Associations).toMatchObject([{ Main: false, SubnetId: 'subnet-a', RouteTableId: 'rtb-0priv', AssociationState: { State: 'associated' } }]);

    const ids = async (Filters: { Name: string; Values: string[] }[]) => (await ec2.send(new DescribeRouteTablesCommand({ Filters }))).RouteTables?.map((x) => x.RouteTableId);
    expect(await ids([{ Name: 'association.main', Values: ['true'] }])).toEqual(['rtb-0main']);
    expect(await ids([{ Name: 'association.subnet-id', Values: ['subnet-c'] }])).toEqual(['rtb-0old']);
    expect(await ids([{ Name: 'route.state', Values: ['blackhole'] }])).toEqual(['rtb-0old']);
    expect(await ids([{ Name: 'route.nat-gateway-id', Values: ['nat-*'] }, { Name: 'vpc-id', Values: ['vpc-0sim00000000000001'] }])).toEqual(['rtb-0old', 'rtb-0priv']);
    expect(await ids([{ Name: 'route-table-id', Values: ['rtb-0main', 'rtb-0old'] }])).toEqual(['rtb-0main', 'rtb-0old']);
    expect(await ids([{ Name: 'tag:Name', Values: ['private-a'] }])).toEqual(['rtb-0priv']);
    await expect(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0nope'] }))).rejects.toMatchObject({ name: 'InvalidRouteTableID.NotFound' });
  });

  it('pages with MaxResults 5–100', async () => {
    const sizes: number[] = [];
    for await (const page of paginateDescribeRouteTables({ client: ec2, pageSize: 5 }, {})) sizes.push(page.RouteTables?.length ?? 0);
    expect(sizes).toEqual([5, 5, 2]);
    await expect(ec2.send(new DescribeRouteTablesCommand({ MaxResults: 4 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new DescribeRouteTablesCommand({ MaxResults: 101 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('DescribeVpcEndpoints', () => {
  it('answers interface and gateway endpoints with lower-case states, network interfaces, route tables and DNS entries', async () => {
    const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0if1', 'vpce-0gw1'] }));
    const [gw, iface] = out.VpcEndpoints ?? [];
    expect(iface).toMatchObject({
      VpcEndpointId: 'vpce-0if1',
      VpcEndpointType: 'Interface',
      State: 'available',
      ServiceName: 'com.amazonaws.us-east-1.ssm',
      SubnetIds: ['subnet-a', 'subnet-b'],
      RouteTableIds: [],
      PrivateDnsEnabled: true,
      RequesterManaged: false,
      Tags: [{ Key: 'team', Value: 'ops' }],
      OwnerId: '123456789012',
    });
    expect(iface?.NetworkInterfaceIds).toHaveLength(2);
    expect(iface?.DnsEntries?.[0]?.DnsName).toMatch(/^vpce-0if1-[0-9a-f]{8}\.ssm\.us-east-1\.vpce\.amazonaws\.com$/);
    expect(iface?.CreationTimestamp?.toISOString()).toBe(new Date(NOW.getTime() - 40 * 86_400_000).toISOString());
    expect(gw).toMatchObject({ VpcEndpointId: 'vpce-0gw1', VpcEndpointType: 'Gateway', State: 'available', RouteTableIds: ['rtb-0priv'], SubnetIds: [], NetworkInterfaceIds: [] });

    const ids = async (Filters: { Name: string; Values: string[] }[]) => (await ec2.send(new DescribeVpcEndpointsCommand({ Filters }))).VpcEndpoints?.map((e) => e.VpcEndpointId);
    expect(await ids([{ Name: 'vpc-endpoint-type', Values: ['Interface'] }, { Name: 'vpc-id', Values: ['vpc-0sim00000000000001'] }])).toEqual(['vpce-0if1', 'vpce-0if2']);
    expect(await ids([{ Name: 'vpc-endpoint-state', Values: ['pending'] }])).toEqual(['vpce-0if2']);
    expect(await ids([{ Name: 'service-name', Values: ['*.s3'] }])).toEqual(['vpce-0gw1']);
    expect(await ids([{ Name: 'tag:team', Values: ['ops'] }])).toEqual(['vpce-0if1']);
    expect(await ids([{ Name: 'vpc-endpoint-id', Values: ['vpce-0if2'] }])).toEqual(['vpce-0if2']);
    await expect(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0nope'] }))).rejects.toMatchObject({ name: 'InvalidVpcEndpointId.NotFound' });
  });

  it('pages with MaxResults (5–1,000; more serves 1,000)', async () => {
    const sizes: number[] = [];
    for await (const page of paginateDescribeVpcEndpoints({ client: ec2, pageSize: 5 }, {})) sizes.push(page.VpcEndpoints?.length ?? 0);
    expect(sizes).toEqual([5, 5, 2]);
    expect((await ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 5000 }))).VpcEndpoints).toHaveLength(12);
    await expect(ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 2 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});

describe('DeleteNatGateway', () => {
  it('DryRun checks permissions only; unknown ids are NatGatewayNotFound', async () => {
    await expect(ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-0n1', DryRun: true }))).rejects.toMatchObject({ name: 'DryRunOperation', $metadata: { httpStatusCode: 412 } });
    sim.state.deny.add('ec2:DeleteNatGateway');
    await expect(ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-0n1', DryRun: true }))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    sim.state.deny.clear();
    expect(sim.state.region('us-east-1').natGateways.get('nat-0n1')?.state).toBe('available');
    await expect(ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-0nope' }))).rejects.toMatchObject({ name: 'NatGatewayNotFound' });
  });

  it('deleting → deleted after the delay; the EIP stays allocated but disassociated; its routes become blackhole', async () => {
    sim.configure({ networkDeletionDelayMs: 150 });
    const out = await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-0n1' }));
    expect(out.NatGatewayId).toBe('nat-0n1');
    const state = async () => (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-0n1'] }))).NatGateways?.[0];
    expect((await state())?.State).toBe('deleting');
    const natRoute = async () => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0priv'] }))).RouteTables?.[0]?.Routes?.find((r) => r.NatGatewayId);
    expect((await natRoute())?.State).toBe('active');
    await sleep(200);
    const done = await state();
    expect(done?.State).toBe('deleted');
    expect(done?.DeleteTime).toBeInstanceOf(Date);
    expect((await natRoute())?.State).toBe('blackhole');
    const eip = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: ['eipalloc-0n1'] }))).Addresses?.[0];
    expect(eip).toMatchObject({ AllocationId: 'eipalloc-0n1', PublicIp: '203.0.113.50' });
    expect(eip?.AssociationId).toBeUndefined();
    expect(eip?.NetworkInterfaceId).toBeUndefined();
    // The other gateway's EIP is untouched; a deleted gateway cannot be deleted again.
    expect((await ec2.send(new DescribeAddressesCommand({ AllocationIds: ['eipalloc-0n2'] }))).Addresses?.[0]?.AssociationId).toBeDefined();
    await expect(ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: 'nat-0n1' }))).rejects.toMatchObject({ name: 'NatGatewayNotFound' });
  });
});

describe('DeleteRoute and DeleteVpcEndpoints', () => {
  it('DeleteRoute removes a route by destination; unknown ones are InvalidRoute.NotFound', async () => {
    await ec2.send(new DeleteRouteCommand({ RouteTableId: 'rtb-0old', DestinationCidrBlock: '0.0.0.0/0' }));
    expect(sim.state.region('us-east-1').routeTables.get('rtb-0old')?.routes.map((r) => r.gatewayId)).toEqual(['local']);
    await expect(ec2.send(new DeleteRouteCommand({ RouteTableId: 'rtb-0old', DestinationCidrBlock: '0.0.0.0/0' }))).rejects.toMatchObject({ name: 'InvalidRoute.NotFound' });
    await expect(ec2.send(new DeleteRouteCommand({ RouteTableId: 'rtb-0nope', DestinationCidrBlock: '0.0.0.0/0' }))).rejects.toMatchObject({ name: 'InvalidRouteTableID.NotFound' });
  });

  it('deletes a batch; unknown ids come back as Unsuccessful InvalidVpcEndpointId.NotFound; gateway endpoint routes go', async () => {
    await expect(ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0if1'], DryRun: true }))).rejects.toMatchObject({ name: 'DryRunOperation' });
    const out = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0if1', 'vpce-0nope', 'vpce-0gw1'] }));
    expect(out.Unsuccessful).toEqual([{ ResourceId: 'vpce-0nope', Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: "The Vpc Endpoint Id 'vpce-0nope' does not exist" } }]);
    const after = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0if1', 'vpce-0gw1'] }));
    expect(after.VpcEndpoints?.map((e) => [e.VpcEndpointId, e.State])).toEqual([
      ['vpce-0gw1', 'deleted'],
      ['vpce-0if1', 'deleted'],
    ]);
    const rtb = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0priv'] }))).RouteTables?.[0];
    expect(rtb?.Routes?.some((r) => r.GatewayId === 'vpce-0gw1')).toBe(false);
    const again = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0if1'] }));
    expect(again.Unsuccessful?.[0]?.Error?.Code).toBe('InvalidVpcEndpointId.NotFound');
  });

  it('CreateTags reaches route tables and VPC endpoints', async () => {
    await ec2.send(new CreateTagsCommand({ Resources: ['rtb-0main', 'vpce-0if2'], Tags: [{ Key: 'cloud-cleaner:keep', Value: 'true' }] }));
    const r = sim.state.region('us-east-1');
    expect(r.routeTables.get('rtb-0main')?.tags).toEqual([{ key: 'cloud-cleaner:keep', value: 'true' }]);
    expect(r.vpcEndpoints.get('vpce-0if2')?.tags).toEqual([{ key: 'cloud-cleaner:keep', value: 'true' }]);
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['vpce-0nope'], Tags: [{ Key: 'a', Value: 'b' }] }))).rejects.toMatchObject({ name: 'InvalidVpcEndpointId.NotFound' });
  });
});
