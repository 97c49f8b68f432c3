import { DescribeLaunchConfigurationsCommand } from '@aws-sdk/client-auto-scaling';
import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { startLocalAwsServer } from './__fixtures__/local-aws-server';
import type { LocalAwsServer } from './__fixtures__/local-aws-server';
import { AWS_ENV_CLEARED, setEnv } from './__fixtures__/test-env';
import { createClientFactory } from './clients';
import type { ClientFactory } from './clients';
import { clearCredentialCache } from './credentials';
import { toAppError } from './errors';
import { ENVIRONMENT_PROFILE } from './types';

let a: LocalAwsServer;
let b: LocalAwsServer;
let c: LocalAwsServer;
let dir: string;
let restoreEnv: () => void;
const factories: ClientFactory[] = [];

beforeAll(async () => {
  [a, b, c] = await Promise.all([startLocalAwsServer('a'), startLocalAwsServer('b'), startLocalAwsServer('c')]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close(), c.close()]);
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cc-clients-'));
  restoreEnv = setEnv({
    ...AWS_ENV_CLEARED,
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  for (const s of [a, b, c]) s.requests.length = 0;
  await writeFile(
    join(dir, 'credentials'),
    ['p', 'services-user', 'ignorer', 'default', 'broken-services'].map((n) => `[${n}]\naws_access_key_id = AKIDTEST${n.length}\naws_secret_access_key = test-secret\n`).join('\n'),
  );
});
afterEach(async () => {
  for (const f of factories.splice(0)) f.destroy();
  clearCredentialCache();
  restoreEnv();
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(text: string): Promise<void> {
  await writeFile(join(dir, 'config'), text);
}

async function factory(profile: string, extra: Partial<Parameters<typeof createClientFactory>[0]> = {}): Promise<ClientFactory> {
  const f = await createClientFactory({ profile, ...extra });
  factories.push(f);
  return f;
}

/** Which local server answered (the fixture puts its name in the ARN / region name). */
async function stsAnsweredBy(f: ClientFactory): Promise<string | undefined> {
  const out = await f.sts().send(new GetCallerIdentityCommand({}));
  return out.Arn?.split('/').pop();
}
async function ec2AnsweredBy(f: ClientFactory, region = 'eu-west-1'): Promise<string | undefined> {
  const out = await f.ec2(region).send(new DescribeRegionsCommand({}));
  return out.Regions?.[0]?.RegionName?.replace(/-region$/, '');
}

const CONFIG = () => `
[default]
endpoint_url = ${c.url}

[profile p]
region = eu-west-1
endpoint_url = ${a.url}

[profile services-user]
region = eu-west-1
services = local
endpoint_url = ${c.url}

[services local]
ec2 =
  endpoint_url = ${b.url}
cost_explorer =
  endpoint_url = ${a.url}

[profile ignorer]
endpoint_url = ${a.url}
ignore_configured_endpoint_urls = true

[profile broken-services]
services = missing
`;

describe('configured endpoints', () => {
  it("follows the chosen profile's endpoint_url, not the default profile's", async () => {
    await writeConfig(CONFIG());
    const f = await factory('p');
    expect(await stsAnsweredBy(f)).toBe('a');
    expect(await ec2AnsweredBy(f)).toBe('a');
    expect(c.requests).toHaveLength(0);
  });

  it('uses the services section for a service it names, and endpoint_url for the others', async () => {
    await writeConfig(CONFIG());
    const f = await factory('services-user');
    expect(await ec2AnsweredBy(f)).toBe('b');
    expect(await stsAnsweredBy(f)).toBe('c');
    await f.costExplorer().send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-01-01', End: '2026-02-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] }));
    expect(a.requests.map((r) => r.target)).toEqual(['AWSInsightsIndexService.GetCostAndUsage']);
  });

  it('AWS_ENDPOINT_URL beats the config file; AWS_ENDPOINT_URL_EC2 beats AWS_ENDPOINT_URL', async () => {
    await writeConfig(CONFIG());
    restoreEnv = chain(restoreEnv, setEnv({ AWS_ENDPOINT_URL: c.url }));
    const f1 = await factory('services-user');
    expect(await ec2AnsweredBy(f1)).toBe('c');
    expect(await stsAnsweredBy(f1)).toBe('c');

    restoreEnv = chain(restoreEnv, setEnv({ AWS_ENDPOINT_URL_EC2: a.url }));
    const f2 = await factory('p');
    expect(await ec2AnsweredBy(f2)).toBe('a');
    expect(await stsAnsweredBy(f2)).toBe('c');
  });

  it('AWS_ENDPOINT_URL_COST_EXPLORER reaches Cost Explorer, which signs for us-east-1 whatever the profile region', async () => {
    await writeConfig(CONFIG());
    restoreEnv = chain(restoreEnv, setEnv({ AWS_ENDPOINT_URL_COST_EXPLORER: b.url }));
    const f = await factory('p');
    expect(f.defaultRegion).toBe('eu-west-1');
    await f.costExplorer().send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-01-01', End: '2026-02-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] }));
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0]?.headers.authorization).toMatch(/Credential=AKIDTEST1\/\d{8}\/us-east-1\/ce\/aws4_request/);
    // The same profile's EC2 request is signed for its own region (so the check above can fail).
    await ec2AnsweredBy(f, 'eu-west-1');
    expect(a.requests.at(-1)?.headers.authorization).toMatch(/\/eu-west-1\/ec2\/aws4_request/);
  });

  it("Auto Scaling follows the profile's endpoint_url, and AWS_ENDPOINT_URL_AUTO_SCALING beats it", async () => {
    // The local servers do not know Auto Scaling: this one answers DescribeLaunchConfigurations with its name.
    const asg = await startLocalAwsServer('asg', {
      override: (req) =>
        req.action === 'DescribeLaunchConfigurations'
          ? {
              status: 200,
              contentType: 'text/xml',
              body: `<DescribeLaunchConfigurationsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeLaunchConfigurationsResult><LaunchConfigurations><member><LaunchConfigurationName>lc-asg</LaunchConfigurationName><ImageId>ami-0123456789abcdef0</ImageId><InstanceType>t3.micro</InstanceType><CreatedTime>2026-01-01T00:00:00Z</CreatedTime></member></LaunchConfigurations></DescribeLaunchConfigurationsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeLaunchConfigurationsResponse>`,
            }
          : undefined,
    });
    try {
      await writeConfig(`[profile p]\nregion = eu-west-1\nendpoint_url = ${asg.url}\n`);
      const f = await factory('p');
      const out = await f.autoScaling('eu-west-1').send(new DescribeLaunchConfigurationsCommand({ MaxRecords: 100 }));
      expect(out.LaunchConfigurations?.[0]?.LaunchConfigurationName).toBe('lc-asg');
      expect(asg.requests).toHaveLength(1);
      expect(asg.requests[0]?.params.get('Version')).toBe('2011-01-01');
      expect(asg.requests[0]?.headers.authorization).toMatch(/\/eu-west-1\/autoscaling\/aws4_request/);
      expect(f.autoScaling('eu-west-1')).toBe(f.autoScaling('eu-west-1'));
      expect(((await f.autoScaling('eu-west-1').config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');

      // The service's own variable (from the SDK service id `Auto Scaling`) wins over the profile's endpoint_url.
      restoreEnv = chain(restoreEnv, setEnv({ AWS_ENDPOINT_URL_AUTO_SCALING: a.url }));
      const g = await factory('p');
      await g.autoScaling('eu-west-1').send(new DescribeLaunchConfigurationsCommand({})).catch(() => undefined);
      expect(a.requests.map((r) => r.action)).toEqual(['DescribeLaunchConfigurations']);
      expect(asg.requests).toHaveLength(1);
    } finally {
      await asg.close();
    }
  });

  it('ignore_configured_endpoint_urls and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS send requests to AWS itself', async () => {
    await writeConfig(CONFIG());
    restoreEnv = chain(restoreEnv, setEnv({ AWS_ENDPOINT_URL: b.url }));
    const ignorer = await factory('ignorer', { defaultRegion: 'eu-west-1' });
    expect(await hostWithoutSending(ignorer)).toBe('ec2.eu-west-1.amazonaws.com');

    restoreEnv = chain(restoreEnv, setEnv({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }));
    const p = await factory('p');
    expect(await hostWithoutSending(p)).toBe('ec2.eu-west-1.amazonaws.com');
    expect(a.requests.length + b.requests.length + c.requests.length).toBe(0);
  });

  it('S3 uses path-style addressing on a configured endpoint (one host), and virtual-hosted addressing on AWS', async () => {
    await writeConfig(`[profile p]\nregion = eu-west-1\nendpoint_url = http://localhost:9\n`);
    const onEndpoint = await factory('p');
    expect(await s3RequestWithoutSending(onEndpoint)).toEqual({ hostname: 'localhost', path: '/my-bucket/' });

    await writeConfig(`[profile p]\nregion = eu-west-1\n`);
    const onAws = await factory('p');
    expect(await s3RequestWithoutSending(onAws)).toEqual({ hostname: 'my-bucket.s3.eu-west-1.amazonaws.com', path: '/' });
  });

  it('refuses a profile whose services section does not exist (the SDK would silently call AWS)', async () => {
    await writeConfig(CONFIG());
    const err = await createClientFactory({ profile: 'broken-services' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'aws.config_malformed', message: expect.stringContaining('"missing"') });
  });

  it('the environment choice uses environment credentials and only environment endpoint settings', async () => {
    await writeConfig(CONFIG());
    restoreEnv = chain(restoreEnv, setEnv({ AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_ENDPOINT_URL_STS: b.url }));
    const f = await factory(ENVIRONMENT_PROFILE, { defaultRegion: 'us-west-2' });
    expect(await stsAnsweredBy(f)).toBe('b');
    expect(b.requests[0]?.headers.authorization).toMatch(/Credential=AKIDFROMENV\/\d{8}\/us-west-2\/sts\//);
    // The default profile's endpoint_url (server c) does not apply to the environment choice.
    expect(await hostWithoutSending(f)).toBe('ec2.eu-west-1.amazonaws.com');
  });
});

describe('client settings', () => {
  it('caches one client per service and region, and destroys them', async () => {
    await writeConfig(CONFIG());
    const f = await factory('p');
    expect(f.ec2('eu-west-1')).toBe(f.ec2('eu-west-1'));
    expect(f.ec2('eu-west-1')).not.toBe(f.ec2('us-east-1'));
    expect(f.costExplorer()).toBe(f.costExplorer());
    expect(f.partition).toBe('aws');
    f.destroy();
    expect(() => f.ec2('eu-west-1')).toThrow(/destroy/);
  });

  it('EC2 retries adaptively with more attempts; Cost Explorer uses standard retries', async () => {
    await writeConfig(CONFIG());
    const f = await factory('p');
    const ec2Strategy = await f.ec2('eu-west-1').config.retryStrategy();
    const ceStrategy = await f.costExplorer().config.retryStrategy();
    expect((ec2Strategy as { mode?: string }).mode).toBe('adaptive');
    // After a throttle the limiter never drops below EC2's slowest documented Describe refill (10/s).
    expect((ec2Strategy as unknown as { rateLimiter: { minFillRate: number } }).rateLimiter.minFillRate).toBe(10);
    // The attempts the strategy really makes (not just the client's config value).
    expect(await (ec2Strategy as unknown as { standardRetryStrategy: { getMaxAttempts(): Promise<number> } }).standardRetryStrategy.getMaxAttempts()).toBe(8);
    expect(await f.ec2('eu-west-1').config.maxAttempts()).toBe(8);
    expect((ceStrategy as { mode?: string }).mode).toBe('standard');
    expect(await f.costExplorer().config.maxAttempts()).toBe(3);
    expect(await f.costExplorer().config.region()).toBe('us-east-1');
  });

  it('picks the partition from the home region', async () => {
    await writeConfig(CONFIG());
    const f = await factory('p', { defaultRegion: 'cn-north-1' });
    expect(f.partition).toBe('aws-cn');
    expect(await f.costExplorer().config.region()).toBe('cn-northwest-1');
    const g = await factory('p', { defaultRegion: 'us-gov-east-1' });
    expect(await g.costExplorer().config.region()).toBe('us-gov-west-1');
  });

  it('an aborted in-flight request rejects promptly and maps to cancelled', async () => {
    const slow = await startLocalAwsServer('slow', { hang: true });
    try {
      await writeConfig(`[profile p]\nregion = eu-west-1\nendpoint_url = ${slow.url}\n`);
      const f = await factory('p');
      const controller = new AbortController();
      const started = Date.now();
      const pending = f.ec2('eu-west-1').send(new DescribeRegionsCommand({}), { abortSignal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const err = await pending.catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(slow.requests).toHaveLength(1);
      expect(toAppError(err).code).toBe('cancelled');
    } finally {
      await slow.close();
    }
  });

  it('a refused connection maps to aws.network naming the endpoint host', async () => {
    await writeConfig(`[profile p]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:9\n`);
    const f = await factory('p', { maxAttemptsEc2: 1 });
    const err = await f.ec2('eu-west-1').send(new DescribeRegionsCommand({})).catch((e: unknown) => e);
    const mapped = toAppError(err, { service: 'ec2', region: 'eu-west-1' });
    expect(mapped.code).toBe('aws.network');
    expect(mapped.message).toContain('127.0.0.1:9');
  });
});

function chain(first: () => void, second: () => void): () => void {
  return () => {
    second();
    first();
  };
}

/** The host an EC2 request would go to, found by stopping the request before it is sent. */
async function s3RequestWithoutSending(f: ClientFactory): Promise<{ hostname: string; path: string }> {
  const client = f.client(S3Client, 'eu-west-1');
  let seen = { hostname: '', path: '' };
  client.middlewareStack.add(
    () => async (args) => {
      const req = args.request as { hostname: string; path: string };
      seen = { hostname: req.hostname, path: req.path };
      throw new Error('stopped before sending');
    },
    { step: 'build', name: 'testStopBeforeSend' },
  );
  await expect(client.send(new ListMultipartUploadsCommand({ Bucket: 'my-bucket' }))).rejects.toThrow('stopped before sending');
  return seen;
}

async function hostWithoutSending(f: ClientFactory): Promise<string> {
  const client = f.ec2('eu-west-1');
  let host = '';
  client.middlewareStack.add(
    () => async (args) => {
      host = (args.request as { hostname: string }).hostname;
      throw new Error('stopped before sending');
    },
    { step: 'build', name: 'testStopBeforeSend' },
  );
  await expect(client.send(new DescribeRegionsCommand({}))).rejects.toThrow('stopped before sending');
  client.middlewareStack.remove('testStopBeforeSend');
  return host;
}
