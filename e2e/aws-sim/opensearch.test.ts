/**
 * The simulator's OpenSearch Service (REST-JSON, API 2021-01-01) against the real `@aws-sdk/client-opensearch`:
 * ListDomainNames, DescribeDomains (≤ 5 names), DescribeDomain, DeleteDomain (Deleted, then gone after the configured
 * delay), ListTags, and the model's errors (ResourceNotFoundException 409, ValidationException 400,
 * AccessDeniedException 403).
 */
import {
  DeleteDomainCommand,
  DescribeDomainCommand,
  DescribeDomainsCommand,
  ListDomainNamesCommand,
  ListTagsCommand,
  OpenSearchClient,
  type DomainStatus,
} from '@aws-sdk/client-opensearch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, Simulator } from './index';
import { startSimulator } from './index';
import type { OpenSearchRegionFixture } from './opensearch-state';
import { resolveFixture } from './resolve-fixture';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');

const DOMAINS: OpenSearchRegionFixture = {
  domains: [
    {
      name: 'logs',
      instanceType: 'r6g.large.search',
      instanceCount: 3,
      dedicatedMaster: { type: 'm6g.large.search', count: 3 },
      zones: 3,
      ebs: { volumeType: 'gp3', volumeSize: 200, iops: 4000, throughput: 250 },
      tags: { team: 'ops', 'cloud-cleaner:keep': 'true' },
    },
    { name: 'legacy-es', engineVersion: 'Elasticsearch_7.10', instanceType: 'm5.large.search', ebs: { volumeType: 'gp2', volumeSize: 50 } },
    { name: 'warm', warm: { type: 'ultrawarm1.medium.search', count: 2 }, ebs: false },
    { name: 'new-one', status: 'Creating', ebs: { volumeType: 'io1', volumeSize: 100, iops: 1000 } },
    { name: 'app-a' },
    { name: 'app-b' },
  ],
};

function account(os: OpenSearchRegionFixture, extra: Partial<AccountFixture> = {}): AccountFixture {
  return { accountId: ACCOUNT, regions: [{ name: REGION }, { name: 'us-east-1' }], ...extra, resources: { [REGION]: { opensearch: os } } };
}

let sim: Simulator;
const clients: OpenSearchClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ fixture: account(DOMAINS), now: NOW });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function os(s: Simulator = sim, region = REGION): OpenSearchClient {
  if (!s.endpoint.startsWith('http://127.0.0.1:')) throw new Error('non-local endpoint');
  const c = new OpenSearchClient({ endpoint: s.endpoint, region, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function withSim(fixture: AccountFixture, fn: (s: Simulator) => Promise<void>): Promise<void> {
  const s = await startSimulator({ fixture, now: NOW });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

describe('OpenSearch ListDomainNames', () => {
  it('lists every domain of the region with its engine type, by name', async () => {
    const out = await os().send(new ListDomainNamesCommand({}));
    expect(out.DomainNames).toEqual([
      { DomainName: 'app-a', EngineType: 'OpenSearch' },
      { DomainName: 'app-b', EngineType: 'OpenSearch' },
      { DomainName: 'legacy-es', EngineType: 'Elasticsearch' },
      { DomainName: 'logs', EngineType: 'OpenSearch' },
      { DomainName: 'new-one', EngineType: 'OpenSearch' },
      { DomainName: 'warm', EngineType: 'OpenSearch' },
    ]);
    expect(sim.counts().byOperation['es:ListDomainNames']).toBeGreaterThan(0);
  });

  it('filters by EngineType; another region is empty', async () => {
    const es = await os().send(new ListDomainNamesCommand({ EngineType: 'Elasticsearch' }));
    expect(es.DomainNames?.map((d) => d.DomainName)).toEqual(['legacy-es']);
    expect((await os(sim, 'us-east-1').send(new ListDomainNamesCommand({}))).DomainNames).toEqual([]);
  });

  it('an unknown EngineType is a ValidationException', async () => {
    const e = await errorOf(os().send(new ListDomainNamesCommand({ EngineType: 'Solr' as never })));
    expect(e).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(e.message).toContain("'Solr' at 'engineType'");
  });
});

describe('OpenSearch DescribeDomains and DescribeDomain', () => {
  it('answers DomainStatus as the SDK reads it: ids, ARN, flags, engine, cluster and EBS configuration', async () => {
    const out = await os().send(new DescribeDomainsCommand({ DomainNames: ['logs', 'legacy-es'] }));
    const [logs, legacy] = out.DomainStatusList ?? [];
    expect(logs).toMatchObject({
      DomainId: `${ACCOUNT}/logs`,
      DomainName: 'logs',
      ARN: `arn:aws:es:${REGION}:${ACCOUNT}:domain/logs`,
      Created: true,
      Deleted: false,
      Processing: false,
      UpgradeProcessing: false,
      EngineVersion: 'OpenSearch_2.11',
      DomainProcessingStatus: 'Active',
      ClusterConfig: {
        InstanceType: 'r6g.large.search',
        InstanceCount: 3,
        DedicatedMasterEnabled: true,
        DedicatedMasterType: 'm6g.large.search',
        DedicatedMasterCount: 3,
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
        WarmEnabled: false,
        MultiAZWithStandbyEnabled: false,
      },
      EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 200, Iops: 4000, Throughput: 250 },
    });
    expect(logs?.Endpoint).toMatch(/^search-logs-[a-z0-9]+\.eu-west-1\.es\.amazonaws\.com$/);
    expect(legacy).toMatchObject({ EngineVersion: 'Elasticsearch_7.10', EBSOptions: { EBSEnabled: true, VolumeType: 'gp2', VolumeSize: 50 } });
    expect(legacy?.EBSOptions?.Iops).toBeUndefined();
  });

  it('has no creation time: DomainStatus carries no date at all', async () => {
    const out = await os().send(new DescribeDomainCommand({ DomainName: 'app-a' }));
    const dated = Object.entries(out.DomainStatus ?? {}).filter(([, v]) => v instanceof Date);
    expect(dated).toEqual([]);
    expect(sim.state.region(REGION).opensearch.domains.get('app-a')?.createdAt).toEqual(new Date(NOW.getTime() - 100 * 86_400_000));
  });

  it('UltraWarm, instance storage, and a domain being created', async () => {
    const out = await os().send(new DescribeDomainsCommand({ DomainNames: ['warm', 'new-one'] }));
    const byName = new Map((out.DomainStatusList ?? []).map((d): [string, DomainStatus] => [d.DomainName ?? '', d]));
    expect(byName.get('warm')).toMatchObject({
      ClusterConfig: { WarmEnabled: true, WarmType: 'ultrawarm1.medium.search', WarmCount: 2 },
      EBSOptions: { EBSEnabled: false },
    });
    const creating = byName.get('new-one');
    expect(creating).toMatchObject({ Created: false, Processing: true, DomainProcessingStatus: 'Creating', EBSOptions: { VolumeType: 'io1', Iops: 1000 } });
    expect(creating?.Endpoint).toBeUndefined();
  });

  it('leaves out names that do not exist (no error), in the order asked', async () => {
    const out = await os().send(new DescribeDomainsCommand({ DomainNames: ['app-b', 'nope', 'app-a'] }));
    expect(out.DomainStatusList?.map((d) => d.DomainName)).toEqual(['app-b', 'app-a']);
  });

  it('takes one to five names: six, or none, is a ValidationException', async () => {
    const six = await errorOf(os().send(new DescribeDomainsCommand({ DomainNames: ['app-a', 'app-b', 'logs', 'warm', 'new-one', 'legacy-es'] })));
    expect(six).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(six.message).toContain('maximum of 5');
    expect(await errorOf(os().send(new DescribeDomainsCommand({ DomainNames: [] })))).toMatchObject({ name: 'ValidationException', status: 400 });
  });

  it('DescribeDomain of an unknown domain: ResourceNotFoundException (409); a malformed name: ValidationException', async () => {
    expect(await errorOf(os().send(new DescribeDomainCommand({ DomainName: 'nope' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Domain not found: nope',
      status: 409,
    });
    expect(await errorOf(os().send(new DescribeDomainCommand({ DomainName: 'Bad_Name' })))).toMatchObject({ name: 'ValidationException', status: 400 });
  });
});

describe('OpenSearch ListTags', () => {
  it('lists a domain\'s tags by ARN; an unknown domain is ResourceNotFoundException; a malformed ARN a ValidationException', async () => {
    const out = await os().send(new ListTagsCommand({ ARN: `arn:aws:es:${REGION}:${ACCOUNT}:domain/logs` }));
    expect(out.TagList).toEqual([
      { Key: 'team', Value: 'ops' },
      { Key: 'cloud-cleaner:keep', Value: 'true' },
    ]);
    expect((await os().send(new ListTagsCommand({ ARN: `arn:aws:es:${REGION}:${ACCOUNT}:domain/app-a` }))).TagList).toEqual([]);
    expect(await errorOf(os().send(new ListTagsCommand({ ARN: `arn:aws:es:${REGION}:${ACCOUNT}:domain/nope` })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 409,
    });
    expect(await errorOf(os().send(new ListTagsCommand({ ARN: 'not-an-arn' })))).toMatchObject({ name: 'ValidationException', status: 400 });
  });
});

describe('OpenSearch DeleteDomain', () => {
  it('answers Deleted: true; the domain stays listed as deleting for the configured delay, then is gone', async () => {
    await withSim(account(DOMAINS), async (s) => {
      s.configure({ openSearchDeletionDelayMs: 60_000 });
      const out = await os(s).send(new DeleteDomainCommand({ DomainName: 'app-a' }));
      expect(out.DomainStatus).toMatchObject({ DomainName: 'app-a', Deleted: true, Processing: true, DomainProcessingStatus: 'Deleting' });
      const during = await os(s).send(new DescribeDomainCommand({ DomainName: 'app-a' }));
      expect(during.DomainStatus).toMatchObject({ Deleted: true, DomainProcessingStatus: 'Deleting' });
      expect((await os(s).send(new ListDomainNamesCommand({}))).DomainNames?.map((d) => d.DomainName)).toContain('app-a');
      // Deleting again while it is deleting answers the same status.
      expect((await os(s).send(new DeleteDomainCommand({ DomainName: 'app-a' }))).DomainStatus?.Deleted).toBe(true);
      // The delay runs out (wall clock): gone from every answer.
      s.state.region(REGION).opensearch.domains.get('app-a')!.removesAtMs = Date.now() - 1;
      expect(await errorOf(os(s).send(new DescribeDomainCommand({ DomainName: 'app-a' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 409 });
      expect((await os(s).send(new ListDomainNamesCommand({}))).DomainNames?.map((d) => d.DomainName)).not.toContain('app-a');
      expect((await os(s).send(new DescribeDomainsCommand({ DomainNames: ['app-a'] }))).DomainStatusList).toEqual([]);
    });
  });

  it('by default the domain is gone by the next call; deleting an unknown domain is ResourceNotFoundException', async () => {
    await withSim(account(DOMAINS), async (s) => {
      await os(s).send(new DeleteDomainCommand({ DomainName: 'app-b' }));
      expect(s.state.region(REGION).opensearch.taggedResources({ region: REGION, accountId: ACCOUNT }).map((r) => r.arn)).not.toContain(
        `arn:aws:es:${REGION}:${ACCOUNT}:domain/app-b`,
      );
      expect(await errorOf(os(s).send(new DeleteDomainCommand({ DomainName: 'app-b' })))).toMatchObject({ name: 'ResourceNotFoundException', status: 409 });
    });
  });

  it('a denied action is AccessDeniedException (403) naming es:<Action>, for that action only', async () => {
    await withSim(account(DOMAINS, { deny: ['es:DeleteDomain', 'es:DescribeDomains'] }), async (s) => {
      const del = await errorOf(os(s).send(new DeleteDomainCommand({ DomainName: 'app-a' })));
      expect(del).toMatchObject({ name: 'AccessDeniedException', status: 403 });
      expect(del.message).toContain('is not authorized to perform: es:DeleteDomain');
      expect((await errorOf(os(s).send(new DescribeDomainsCommand({ DomainNames: ['app-a'] })))).message).toContain('es:DescribeDomains');
      expect((await os(s).send(new ListDomainNamesCommand({}))).DomainNames).toHaveLength(6);
      expect(s.state.region(REGION).opensearch.domains.get('app-a')?.deleted).toBe(false);
    });
  });
});

describe('OpenSearch fixture', () => {
  it('refuses a domain name AWS would refuse, and a name twice', () => {
    expect(() => resolveFixture(account({ domains: [{ name: 'Logs' }] }), NOW)).toThrow(/breaks AWS's rule/);
    expect(() => resolveFixture(account({ domains: [{ name: 'ab' }] }), NOW)).toThrow(/breaks AWS's rule/);
    expect(() => resolveFixture(account({ domains: [{ name: 'dup' }, { name: 'dup' }] }), NOW)).toThrow(/appears twice/);
  });
});
