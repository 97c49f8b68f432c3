import {
  DeleteLoadBalancerCommand as DeleteClassicCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancerAttributesCommand as DescribeClassicAttributesCommand,
  DescribeLoadBalancersCommand as DescribeClassicCommand,
  DescribeTagsCommand as DescribeClassicTagsCommand,
  type ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ElbRegionFixture } from './elb-state';
import { elbClassicClient, elbv2Client } from './elb-test-clients';
import { startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { simFetch } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');
const DAY_MS = 86_400_000;

function account(elb: ElbRegionFixture, extra: Partial<AccountFixture> = {}): AccountFixture {
  return {
    accountId: ACCOUNT,
    regions: [{ name: REGION }, { name: 'us-east-1' }],
    ...extra,
    resources: {
      [REGION]: {
        elb,
        instances: [
          { id: 'i-0run', state: 'running' },
          { id: 'i-0stop', state: 'stopped', stoppedDaysAgo: 40 },
        ],
      },
    },
  };
}

/** The main fixture: an ALB (protected) and an NLB (not), three target groups, two Classic load balancers. */
const MAIN: ElbRegionFixture = {
  loadBalancers: [
    { name: 'web', createdDaysAgo: 200, deletionProtection: true, tags: { team: 'web', env: 'prod' } },
    { name: 'tcp', type: 'network', scheme: 'internal', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], vpcId: 'vpc-0aaa' },
  ],
  targetGroups: [
    {
      name: 'web-tg',
      loadBalancers: ['web'],
      targets: [
        { id: 'i-0run', health: 'healthy' },
        { id: 'i-0bad', port: 8080, health: 'unhealthy', reason: 'Target.Timeout' },
        { id: 'i-0stop' },
      ],
      tags: { team: 'web' },
    },
    { name: 'tcp-tg', protocol: 'TCP', port: 443, loadBalancers: ['tcp'], targetType: 'ip', targets: [{ id: '10.0.0.5', health: 'initial' }] },
    { name: 'orphan-tg', targets: [{ id: 'i-0run' }] },
  ],
  classicLoadBalancers: [
    {
      name: 'legacy',
      createdDaysAgo: 900,
      instances: [{ instanceId: 'i-0run' }, { instanceId: 'i-0gone', state: 'OutOfService' }, { instanceId: 'i-0stop' }],
      listeners: [{ protocol: 'HTTPS', loadBalancerPort: 443, instanceProtocol: 'HTTP', instancePort: 8080, sslCertificateId: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' }],
      crossZoneLoadBalancing: true,
      tags: { owner: 'ops' },
    },
    { name: 'idle-classic', scheme: 'internal' },
  ],
};

let sim: Simulator;
const clients: (ElasticLoadBalancingV2Client | ElasticLoadBalancingClient)[] = [];

beforeAll(async () => {
  sim = await startSimulator({ fixture: account(MAIN), now: NOW });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function v2(s: Simulator = sim, region = REGION, maxAttempts = 1): ElasticLoadBalancingV2Client {
  const c = elbv2Client(s.endpoint, { region, maxAttempts });
  clients.push(c);
  return c;
}

function classic(s: Simulator = sim, region = REGION): ElasticLoadBalancingClient {
  const c = elbClassicClient(s.endpoint, { region });
  clients.push(c);
  return c;
}

/** A fresh simulator for tests that change state. */
async function withSim(fixture: AccountFixture, fn: (s: Simulator) => Promise<void>): Promise<void> {
  const s = await startSimulator({ fixture, now: NOW });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function allLoadBalancers(c: ElasticLoadBalancingV2Client): Promise<LoadBalancer[]> {
  return (await c.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
}

async function lbArn(c: ElasticLoadBalancingV2Client, name: string): Promise<string> {
  const lb = (await allLoadBalancers(c)).find((l) => l.LoadBalancerName === name);
  if (lb?.LoadBalancerArn === undefined) throw new Error(`no load balancer ${name}`);
  return lb.LoadBalancerArn;
}

async function tg(c: ElasticLoadBalancingV2Client, name: string): Promise<TargetGroup> {
  const found = (await c.send(new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups?.[0];
  if (found === undefined) throw new Error(`no target group ${name}`);
  return found;
}

const ARN_PREFIX = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;

describe('ELBv2 DescribeLoadBalancers', () => {
  it('answers every field the app reads, for application and network load balancers', async () => {
    const out = await v2().send(new DescribeLoadBalancersCommand({}));
    expect(out.NextMarker).toBeUndefined();
    const [tcp, web] = out.LoadBalancers ?? []; // name order
    expect(web).toMatchObject({
      LoadBalancerName: 'web',
      Type: 'application',
      Scheme: 'internet-facing',
      State: { Code: 'active' },
      VpcId: 'vpc-0sim00000000000001',
      IpAddressType: 'ipv4',
      CanonicalHostedZoneId: 'Z32O12XQLNTSW2', // AWS's eu-west-1 zone for application load balancers
      AvailabilityZones: [
        { ZoneName: 'eu-west-1a', SubnetId: expect.stringMatching(/^subnet-/) },
        { ZoneName: 'eu-west-1b', SubnetId: expect.stringMatching(/^subnet-/) },
      ],
      SecurityGroups: [expect.stringMatching(/^sg-/)],
    });
    expect(web?.LoadBalancerArn).toMatch(new RegExp(`^${ARN_PREFIX}:loadbalancer/app/web/[0-9a-f]{16}$`));
    expect(web?.DNSName).toMatch(/^web-\d+\.eu-west-1\.elb\.amazonaws\.com$/);
    expect(web?.CreatedTime).toEqual(new Date(NOW.getTime() - 200 * DAY_MS));

    expect(tcp).toMatchObject({ LoadBalancerName: 'tcp', Type: 'network', Scheme: 'internal', VpcId: 'vpc-0aaa', CanonicalHostedZoneId: 'Z2IFOLAFXWLO4F' });
    expect(tcp?.LoadBalancerArn).toMatch(new RegExp(`^${ARN_PREFIX}:loadbalancer/net/tcp/[0-9a-f]{16}$`));
    expect(tcp?.DNSName).toMatch(/^tcp-[0-9a-f]{16}\.elb\.eu-west-1\.amazonaws\.com$/);
    expect(tcp?.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(tcp?.SecurityGroups).toBeUndefined();

    // Regional: another region has none.
    expect(await allLoadBalancers(v2(sim, 'us-east-1'))).toEqual([]);
  });

  it('looks up by ARN or name; unknown ones are LoadBalancerNotFound as AWS words it', async () => {
    const c = v2();
    const web = await lbArn(c, 'web');
    expect((await c.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [web] }))).LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['web']);
    expect((await c.send(new DescribeLoadBalancersCommand({ Names: ['tcp', 'web'] }))).LoadBalancers).toHaveLength(2);

    await expect(c.send(new DescribeLoadBalancersCommand({ Names: ['web', 'nope'] }))).rejects.toMatchObject({
      name: 'LoadBalancerNotFoundException',
      Code: 'LoadBalancerNotFound',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: "Load balancers '[nope]' not found",
    });
    await expect(c.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [web.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff')] }))).rejects.toMatchObject({
      name: 'LoadBalancerNotFoundException',
      message: 'One or more load balancers not found',
    });
    await expect(c.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: ['arn:aws:ec2:eu-west-1:1:instance/i-1'] }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: "'arn:aws:ec2:eu-west-1:1:instance/i-1' is not a valid load balancer ARN",
    });
    const many = Array.from({ length: 21 }, () => web);
    await expect(c.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: many }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("at 'loadBalancerArns' failed to satisfy constraint: Member must have length less than or equal to 20"),
    });
  });

  it('pages with PageSize (1–400) and Marker/NextMarker: every load balancer exactly once, in name order', async () => {
    const lbs = Array.from({ length: 450 }, (_, i) => ({ name: `lb-${String(i).padStart(3, '0')}` }));
    await withSim(account({ loadBalancers: lbs }), async (s) => {
      const c = v2(s);
      const sizes: number[] = [];
      const names: string[] = [];
      let marker: string | undefined;
      do {
        const out = await c.send(new DescribeLoadBalancersCommand({ PageSize: 200, Marker: marker }));
        sizes.push(out.LoadBalancers?.length ?? 0);
        names.push(...(out.LoadBalancers ?? []).map((l) => l.LoadBalancerName ?? ''));
        marker = out.NextMarker;
      } while (marker);
      expect(sizes).toEqual([200, 200, 50]);
      expect(names).toEqual(lbs.map((l) => l.name));

      // No PageSize: 400 (the maximum), then the rest; the SDK's paginator follows the markers (its pageSize option is
      // not wired to PageSize for this operation, so the input carries it).
      const first = await c.send(new DescribeLoadBalancersCommand({}));
      expect(first.LoadBalancers).toHaveLength(400);
      expect(first.NextMarker).toBeDefined();
      const viaPaginator: number[] = [];
      for await (const page of paginateDescribeLoadBalancers({ client: c }, { PageSize: 77 })) viaPaginator.push(page.LoadBalancers?.length ?? 0);
      expect(viaPaginator).toEqual([77, 77, 77, 77, 77, 65]);

      // A marker continues only its own listing.
      await expect(c.send(new DescribeLoadBalancersCommand({ Marker: first.NextMarker, Names: ['lb-001'] }))).rejects.toMatchObject({ name: 'ValidationError' });
      for (const bad of [0, 401]) {
        await expect(c.send(new DescribeLoadBalancersCommand({ PageSize: bad }))).rejects.toMatchObject({
          name: 'ValidationError',
          $metadata: { httpStatusCode: 400 },
          message: expect.stringContaining("at 'pageSize' failed to satisfy constraint"),
        });
      }
      expect((await c.send(new DescribeLoadBalancersCommand({ PageSize: 1 }))).LoadBalancers).toHaveLength(1);
    });
  });
});

describe('ELBv2 target groups and target health', () => {
  it('DescribeTargetGroups lists the region, with the load balancers each group is attached to', async () => {
    const c = v2();
    const [webArn, tcpArn] = [await lbArn(c, 'web'), await lbArn(c, 'tcp')];
    const all = (await c.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    expect(all.map((g) => g.TargetGroupName)).toEqual(['orphan-tg', 'tcp-tg', 'web-tg']);
    const web = all.find((g) => g.TargetGroupName === 'web-tg');
    expect(web).toMatchObject({
      Protocol: 'HTTP',
      Port: 80,
      TargetType: 'instance',
      VpcId: 'vpc-0sim00000000000001',
      LoadBalancerArns: [webArn],
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/',
      HealthCheckEnabled: true,
      Matcher: { HttpCode: '200' },
    });
    expect(web?.TargetGroupArn).toMatch(new RegExp(`^${ARN_PREFIX}:targetgroup/web-tg/[0-9a-f]{16}$`));
    expect(all.find((g) => g.TargetGroupName === 'tcp-tg')).toMatchObject({ Protocol: 'TCP', Port: 443, TargetType: 'ip', VpcId: 'vpc-0aaa', LoadBalancerArns: [tcpArn], HealthCheckProtocol: 'TCP' });
    expect(all.find((g) => g.TargetGroupName === 'orphan-tg')?.LoadBalancerArns).toEqual([]);

    // Filtered by load balancer, by ARN, by name.
    const byLb = await c.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: tcpArn }));
    expect(byLb.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['tcp-tg']);
    const byArn = await c.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [web?.TargetGroupArn ?? ''] }));
    expect(byArn.TargetGroups?.map((g) => g.TargetGroupName)).toEqual(['web-tg']);

    await expect(c.send(new DescribeTargetGroupsCommand({ Names: ['nope'] }))).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
      Code: 'TargetGroupNotFound',
      message: 'One or more target groups not found',
    });
    await expect(c.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: webArn.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff') }))).rejects.toMatchObject({
      name: 'LoadBalancerNotFoundException',
    });
  });

  it('DescribeTargetGroups pages like DescribeLoadBalancers', async () => {
    const groups = Array.from({ length: 30 }, (_, i) => ({ name: `tg-${String(i).padStart(2, '0')}` }));
    await withSim(account({ targetGroups: groups }), async (s) => {
      const names: string[] = [];
      for await (const page of paginateDescribeTargetGroups({ client: v2(s) }, { PageSize: 7 })) {
        expect(page.TargetGroups?.length).toBeLessThanOrEqual(7);
        names.push(...(page.TargetGroups ?? []).map((g) => g.TargetGroupName ?? ''));
      }
      expect(names).toEqual(groups.map((g) => g.name));
    });
  });

  it('DescribeTargetHealth reports each target with AWS reason codes (stopped instances, unused groups)', async () => {
    const c = v2();
    const web = await tg(c, 'web-tg');
    const out = await c.send(new DescribeTargetHealthCommand({ TargetGroupArn: web.TargetGroupArn }));
    expect(out.TargetHealthDescriptions).toEqual([
      { Target: { Id: 'i-0run', Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'healthy' } },
      {
        Target: { Id: 'i-0bad', Port: 8080 },
        HealthCheckPort: '8080',
        TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' },
      },
      {
        Target: { Id: 'i-0stop', Port: 80 },
        HealthCheckPort: '80',
        TargetHealth: { State: 'unused', Reason: 'Target.InvalidState', Description: 'Target is in the stopped state' },
      },
    ]);
    // A group no load balancer uses: its targets are unused / Target.NotInUse.
    const orphan = await c.send(new DescribeTargetHealthCommand({ TargetGroupArn: (await tg(c, 'orphan-tg')).TargetGroupArn }));
    expect(orphan.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unused',
      Reason: 'Target.NotInUse',
      Description: 'Target group is not configured to receive traffic from the load balancer',
    });
    const tcp = await c.send(new DescribeTargetHealthCommand({ TargetGroupArn: (await tg(c, 'tcp-tg')).TargetGroupArn }));
    expect(tcp.TargetHealthDescriptions?.[0]).toMatchObject({ Target: { Id: '10.0.0.5', Port: 443 }, TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress' } });
    // Asking for a target that is not registered.
    const asked = await c.send(new DescribeTargetHealthCommand({ TargetGroupArn: web.TargetGroupArn, Targets: [{ Id: 'i-0run' }, { Id: 'i-0nope' }] }));
    expect(asked.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State, d.TargetHealth?.Reason])).toEqual([
      ['i-0run', 'healthy', undefined],
      ['i-0nope', 'unused', 'Target.NotRegistered'],
    ]);

    await expect(
      c.send(new DescribeTargetHealthCommand({ TargetGroupArn: web.TargetGroupArn?.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff') })),
    ).rejects.toMatchObject({ name: 'TargetGroupNotFoundException', Code: 'TargetGroupNotFound', $metadata: { httpStatusCode: 400 } });
    await expect(c.send(new DescribeTargetHealthCommand({ TargetGroupArn: undefined }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("Value null at 'targetGroupArn'"),
    });
  });
});

describe('ELBv2 attributes and tags', () => {
  it('DescribeLoadBalancerAttributes answers deletion_protection.enabled and the type\'s usual keys', async () => {
    const c = v2();
    const attrs = async (name: string): Promise<Record<string, string>> =>
      Object.fromEntries(
        ((await c.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: await lbArn(c, name) }))).Attributes ?? []).map((a) => [a.Key, a.Value]),
      );
    const web = await attrs('web');
    expect(web).toMatchObject({ 'deletion_protection.enabled': 'true', 'idle_timeout.timeout_seconds': '60', 'access_logs.s3.enabled': 'false', 'access_logs.s3.bucket': '' });
    const tcp = await attrs('tcp');
    expect(tcp).toMatchObject({ 'deletion_protection.enabled': 'false', 'load_balancing.cross_zone.enabled': 'false' });
    expect(tcp['idle_timeout.timeout_seconds']).toBeUndefined();
    await expect(
      c.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: `${ARN_PREFIX}:loadbalancer/app/gone/ffffffffffffffff` })),
    ).rejects.toMatchObject({ name: 'LoadBalancerNotFoundException' });
  });

  it('DescribeTags answers load balancers and target groups in request order (up to 20 ARNs)', async () => {
    const c = v2();
    const [web, tcp, webTg] = [await lbArn(c, 'web'), await lbArn(c, 'tcp'), (await tg(c, 'web-tg')).TargetGroupArn ?? ''];
    const out = await c.send(new DescribeTagsCommand({ ResourceArns: [webTg, web, tcp] }));
    expect(out.TagDescriptions).toEqual([
      { ResourceArn: webTg, Tags: [{ Key: 'team', Value: 'web' }] },
      { ResourceArn: web, Tags: [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'prod' }] },
      { ResourceArn: tcp, Tags: [] },
    ]);
    await expect(c.send(new DescribeTagsCommand({ ResourceArns: [web, `${ARN_PREFIX}:loadbalancer/net/gone/ffffffffffffffff`] }))).rejects.toMatchObject({
      name: 'LoadBalancerNotFoundException',
    });
    await expect(c.send(new DescribeTagsCommand({ ResourceArns: [`${ARN_PREFIX}:targetgroup/gone/ffffffffffffffff`] }))).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
    });
    await expect(c.send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => web) }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20"),
    });
  });
});

describe('ELBv2 deletes', () => {
  it('DeleteLoadBalancer refuses a protected load balancer with OperationNotPermitted and leaves it in place', async () => {
    await withSim(account(MAIN), async (s) => {
      const c = v2(s);
      const web = await lbArn(c, 'web');
      await expect(c.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: web }))).rejects.toMatchObject({
        name: 'OperationNotPermittedException',
        Code: 'OperationNotPermitted',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: `Load balancer '${web}' cannot be deleted because deletion protection is enabled`,
      });
      expect(s.state.region(REGION).elb.loadBalancers.has(web)).toBe(true);
      expect((await tg(c, 'web-tg')).LoadBalancerArns).toEqual([web]);
    });
  });

  it('DeleteLoadBalancer removes an unprotected one, detaches it from its target groups (which stay), and is idempotent', async () => {
    await withSim(account(MAIN), async (s) => {
      const c = v2(s);
      const tcp = await lbArn(c, 'tcp');
      const out = await c.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: tcp }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect((await allLoadBalancers(c)).map((l) => l.LoadBalancerName)).toEqual(['web']);
      await expect(c.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [tcp] }))).rejects.toMatchObject({ name: 'LoadBalancerNotFoundException' });

      const group = await tg(c, 'tcp-tg');
      expect(group.LoadBalancerArns).toEqual([]);
      const health = await c.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn }));
      expect(health.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State, d.TargetHealth?.Reason])).toEqual([
        ['10.0.0.5', 'unused', 'Target.NotInUse'],
      ]);

      // Already deleted, or never existed: success, as AWS documents.
      await expect(c.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: tcp }))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      await expect(
        c.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: `${ARN_PREFIX}:loadbalancer/app/never/0123456789abcdef` })),
      ).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      await expect(c.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: 'not-an-arn' }))).rejects.toMatchObject({ name: 'ValidationError' });
      expect(s.counts().byOperation['elasticloadbalancing:DeleteLoadBalancer']).toBe(4);
    });
  });

  it('DeleteTargetGroup refuses a group in use (ResourceInUse), deletes a free one, and is idempotent', async () => {
    await withSim(account(MAIN), async (s) => {
      const c = v2(s);
      const webTg = (await tg(c, 'web-tg')).TargetGroupArn ?? '';
      await expect(c.send(new DeleteTargetGroupCommand({ TargetGroupArn: webTg }))).rejects.toMatchObject({
        name: 'ResourceInUseException',
        Code: 'ResourceInUse',
        message: `Target group '${webTg}' is currently in use by a listener or a rule`,
      });
      const orphan = (await tg(c, 'orphan-tg')).TargetGroupArn ?? '';
      await c.send(new DeleteTargetGroupCommand({ TargetGroupArn: orphan }));
      await expect(c.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [orphan] }))).rejects.toMatchObject({ name: 'TargetGroupNotFoundException' });
      await expect(c.send(new DeleteTargetGroupCommand({ TargetGroupArn: orphan }))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    });
  });
});

describe('Classic ELB', () => {
  it('DescribeLoadBalancers answers the description fields, listeners and instances', async () => {
    const out = await classic().send(new DescribeClassicCommand({}));
    expect(out.NextMarker).toBeUndefined();
    const [idle, legacy] = out.LoadBalancerDescriptions ?? [];
    expect(legacy).toMatchObject({
      LoadBalancerName: 'legacy',
      Scheme: 'internet-facing',
      VPCId: 'vpc-0sim00000000000001',
      AvailabilityZones: ['eu-west-1a', 'eu-west-1b'],
      Subnets: [expect.stringMatching(/^subnet-/), expect.stringMatching(/^subnet-/)],
      Instances: [{ InstanceId: 'i-0run' }, { InstanceId: 'i-0gone' }, { InstanceId: 'i-0stop' }],
      ListenerDescriptions: [
        {
          Listener: { Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 8080, SSLCertificateId: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' },
          PolicyNames: [],
        },
      ],
      HealthCheck: { Target: 'HTTP:8080/index.html', Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10 },
      CanonicalHostedZoneNameID: 'Z32O12XQLNTSW2',
      SourceSecurityGroup: { OwnerAlias: ACCOUNT },
    });
    expect(legacy?.DNSName).toMatch(/^legacy-\d+\.eu-west-1\.elb\.amazonaws\.com$/);
    expect(legacy?.CreatedTime).toEqual(new Date(NOW.getTime() - 900 * DAY_MS));
    expect(idle).toMatchObject({
      LoadBalancerName: 'idle-classic',
      Scheme: 'internal',
      Instances: [],
      ListenerDescriptions: [{ Listener: { Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 80 } }],
    });
    expect(idle?.DNSName).toMatch(/^internal-idle-classic-\d+\.eu-west-1\.elb\.amazonaws\.com$/);

    await expect(classic().send(new DescribeClassicCommand({ LoadBalancerNames: ['legacy', 'nope'] }))).rejects.toMatchObject({
      name: 'AccessPointNotFoundException', // the SDK's name for LoadBalancerNotFound
      Code: 'LoadBalancerNotFound',
      $metadata: { httpStatusCode: 400 },
      message: "There is no ACTIVE Load Balancer named 'nope'",
    });
    expect(await classic(sim, 'us-east-1').send(new DescribeClassicCommand({}))).toMatchObject({ LoadBalancerDescriptions: [] });
  });

  it('pages with PageSize (1–400) and Marker/NextMarker', async () => {
    const lbs = Array.from({ length: 25 }, (_, i) => ({ name: `c-${String(i).padStart(2, '0')}` }));
    await withSim(account({ classicLoadBalancers: lbs }), async (s) => {
      const c = classic(s);
      const names: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const out = await c.send(new DescribeClassicCommand({ PageSize: 10, Marker: marker }));
        names.push(...(out.LoadBalancerDescriptions ?? []).map((d) => d.LoadBalancerName ?? ''));
        marker = out.NextMarker;
        pages++;
      } while (marker);
      expect(pages).toBe(3);
      expect(names).toEqual(lbs.map((l) => l.name));
      await expect(c.send(new DescribeClassicCommand({ PageSize: 401 }))).rejects.toMatchObject({ name: 'ValidationError' });
    });
  });

  it('DescribeInstanceHealth answers InService / OutOfService with AWS reason codes and descriptions', async () => {
    const out = await classic().send(new DescribeInstanceHealthCommand({ LoadBalancerName: 'legacy' }));
    expect(out.InstanceStates).toEqual([
      { InstanceId: 'i-0run', State: 'InService', ReasonCode: 'N/A', Description: 'N/A' },
      {
        InstanceId: 'i-0gone',
        State: 'OutOfService',
        ReasonCode: 'Instance',
        Description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
      },
      { InstanceId: 'i-0stop', State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance is in stopped state.' },
    ]);
    expect(await classic().send(new DescribeInstanceHealthCommand({ LoadBalancerName: 'idle-classic' }))).toMatchObject({ InstanceStates: [] });
    const asked = await classic().send(new DescribeInstanceHealthCommand({ LoadBalancerName: 'legacy', Instances: [{ InstanceId: 'i-0other' }] }));
    expect(asked.InstanceStates).toEqual([
      { InstanceId: 'i-0other', State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance is not currently registered with the LoadBalancer.' },
    ]);
    await expect(classic().send(new DescribeInstanceHealthCommand({ LoadBalancerName: 'nope' }))).rejects.toMatchObject({ Code: 'LoadBalancerNotFound' });
  });

  it('DescribeTags and DescribeLoadBalancerAttributes (no deletion protection in Classic)', async () => {
    const tags = await classic().send(new DescribeClassicTagsCommand({ LoadBalancerNames: ['legacy', 'idle-classic'] }));
    expect(tags.TagDescriptions).toEqual([
      { LoadBalancerName: 'legacy', Tags: [{ Key: 'owner', Value: 'ops' }] },
      { LoadBalancerName: 'idle-classic', Tags: [] },
    ]);
    await expect(classic().send(new DescribeClassicTagsCommand({ LoadBalancerNames: ['nope'] }))).rejects.toMatchObject({ Code: 'LoadBalancerNotFound' });
    await expect(
      classic().send(new DescribeClassicTagsCommand({ LoadBalancerNames: Array.from({ length: 21 }, () => 'legacy') })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining("at 'loadBalancerNames'") });

    const attrs = await classic().send(new DescribeClassicAttributesCommand({ LoadBalancerName: 'legacy' }));
    expect(attrs.LoadBalancerAttributes).toEqual({
      CrossZoneLoadBalancing: { Enabled: true },
      AccessLog: { Enabled: false },
      ConnectionDraining: { Enabled: false, Timeout: 300 },
      ConnectionSettings: { IdleTimeout: 60 },
      AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
    });
    expect((await classic().send(new DescribeClassicAttributesCommand({ LoadBalancerName: 'idle-classic' }))).LoadBalancerAttributes?.CrossZoneLoadBalancing).toEqual({
      Enabled: false,
    });
  });

  it('DeleteLoadBalancer removes it and succeeds again for a name that no longer exists', async () => {
    await withSim(account(MAIN), async (s) => {
      const c = classic(s);
      await c.send(new DeleteClassicCommand({ LoadBalancerName: 'legacy' }));
      expect([...s.state.region(REGION).elb.classic.keys()]).toEqual(['idle-classic']);
      await expect(c.send(new DeleteClassicCommand({ LoadBalancerName: 'legacy' }))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      await expect(c.send(new DeleteClassicCommand({ LoadBalancerName: 'never-was' }))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
      // The ELBv2 load balancers are untouched.
      expect(await allLoadBalancers(v2(s))).toHaveLength(2);
    });
  });
});

describe('one signing name, two APIs', () => {
  it('a Classic and a v2 request signed as elasticloadbalancing reach their own service (by Version)', async () => {
    await withSim(account(MAIN), async (s) => {
      const [fromV2, fromClassic] = await Promise.all([v2(s).send(new DescribeLoadBalancersCommand({})), classic(s).send(new DescribeClassicCommand({}))]);
      expect(fromV2.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual(['tcp', 'web']);
      expect(fromClassic.LoadBalancerDescriptions?.map((d) => d.LoadBalancerName)).toEqual(['idle-classic', 'legacy']);
      expect(s.counts().byOperation['elasticloadbalancing:DescribeLoadBalancers']).toBe(2);

      // The raw responses carry each API's namespace; an action of the other API is unknown to it.
      const post = (body: string): Promise<Response> =>
        simFetch(s.endpoint, { service: 'elasticloadbalancing', region: REGION, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      const v2Body = await (await post('Action=DescribeLoadBalancers&Version=2015-12-01')).text();
      expect(v2Body).toContain('xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"');
      expect(v2Body).toContain('<LoadBalancers><member>');
      const classicBody = await (await post('Action=DescribeLoadBalancers&Version=2012-06-01')).text();
      expect(classicBody).toContain('xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"');
      expect(classicBody).toContain('<LoadBalancerDescriptions><member>');
      const wrong = await post('Action=DescribeTargetHealth&Version=2012-06-01');
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('<Code>InvalidAction</Code>');
    });
  });

  it("the deny list answers AccessDenied (403) for the named action only, in both APIs' shared namespace", async () => {
    await withSim(account(MAIN, { deny: ['elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags'] }), async (s) => {
      const c = v2(s);
      const webTg = (await tg(c, 'web-tg')).TargetGroupArn;
      const err = await c.send(new DescribeTargetHealthCommand({ TargetGroupArn: webTg })).catch((e: unknown) => e);
      expect(err).toMatchObject({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: expect.stringContaining('elasticloadbalancing:DescribeTargetHealth'),
      });
      // IAM has one elasticloadbalancing:DescribeTags action for both APIs.
      await expect(classic(s).send(new DescribeClassicTagsCommand({ LoadBalancerNames: ['legacy'] }))).rejects.toMatchObject({ name: 'AccessDenied' });
      expect((await classic(s).send(new DescribeInstanceHealthCommand({ LoadBalancerName: 'legacy' }))).InstanceStates).toHaveLength(3);
      expect(s.counts().byOperation['elasticloadbalancing:DescribeTargetHealth']).toBe(1);
    });
  });

  it('throttling faults answer ELB\'s Throttling code, which the SDK retries', async () => {
    await withSim(account(MAIN), async (s) => {
      s.setFaults({ throttleRate: 1 });
      await expect(v2(s).send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
      await expect(classic(s).send(new DescribeClassicCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
      s.setFaults({ throttleRate: 0.5, seed: 8 });
      s.resetCounts();
      expect(await allLoadBalancers(v2(s, REGION, 10))).toHaveLength(2);
      expect(s.counts().byOperation['elasticloadbalancing:DescribeLoadBalancers']).toBeGreaterThan(1); // retried
    });
  });
});
