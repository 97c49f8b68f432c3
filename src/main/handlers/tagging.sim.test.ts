/**
 * tagsByArn against the simulator's Resource Groups Tagging API (real SDK client over HTTP): one paged listing per
 * call, only the resource types asked for, never-tagged resources absent (read as "no tags"), a denied
 * tag:GetResources thrown with the IAM action's name. The one shape the simulator never answers (a resource whose
 * tags were all removed, listed with `Tags: []`) and a token answered twice are checked with a mocked client.
 * In a scan (a region inventory): one listing shared by the kinds that ask, each getting only its own types' ARNs.
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture } from '../../../e2e/aws-sim/index';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { DEFAULT_HANDLER_SETTINGS } from './handler';
import type { HandlerContext } from './handler';
import { RegionInventory } from './region-inventory';
import { arnIsOfType, tagsByArn } from './tagging';

const NOW = new Date('2026-11-25T12:00:00Z');
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const domainArn = (name: string): string => `arn:aws:es:${REGION}:${ACCOUNT}:domain/${name}`;
const CACHE = `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:cache-1`;
const GROUP = `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:rg-1`;

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: REGION }, { name: 'us-east-1' }],
  resources: {
    [REGION]: {
      opensearch: {
        domains: [
          ...Array.from({ length: 7 }, (_, i) => ({ name: `dom-${i}`, tags: { team: `t${i}` } })),
          { name: 'keep', tags: { 'cloud-cleaner:keep': 'true', Name: 'kept' } },
          { name: 'untagged' },
        ],
      },
    },
  },
};

let s: SimSession;

function ctxFor(region = REGION, over: Partial<HandlerContext> = {}): HandlerContext {
  return {
    region,
    accountId: ACCOUNT,
    client: <C extends Destroyable>(ctor: SdkClientClass<C>) => s.clients.client(ctor, region),
    prices: null,
    settings: DEFAULT_HANDLER_SETTINGS,
    now: NOW,
    ...over,
  };
}

beforeAll(async () => {
  s = await openSimSession({ fixture: FIXTURE, now: NOW });
  // ElastiCache's own state is another module's: stand in for it with what it would list.
  s.sim.state.region(REGION).elasticache.taggedResources = () => [
    { arn: CACHE, resourceType: 'elasticache:cluster', tags: [{ key: 'team', value: 'cache' }] },
    { arn: GROUP, resourceType: 'elasticache:replicationgroup', tags: [{ key: 'cloud-cleaner:keep', value: 'yes' }] },
  ];
});

afterAll(async () => {
  await s?.close();
});

describe('tagsByArn', () => {
  it('reads the tags of every resource of the types asked, page after page', async () => {
    s.sim.resetCounts();
    const tags = await tagsByArn(ctxFor(REGION, { pageSize: 2 }), ['es:domain']);
    expect([...tags.keys()].sort()).toEqual([...Array.from({ length: 7 }, (_, i) => domainArn(`dom-${i}`)), domainArn('keep')].sort());
    expect(tags.get(domainArn('dom-3'))).toEqual({ team: 't3' });
    expect(tags.get(domainArn('keep'))).toEqual({ 'cloud-cleaner:keep': 'true', Name: 'kept' });
    // 8 tagged domains, 2 per page.
    expect(s.sim.counts().byOperation['tagging:GetResources']).toBe(4);
  });

  it('a domain never tagged is absent: the caller reads it as no tags', async () => {
    const tags = await tagsByArn(ctxFor(), ['es:domain']);
    expect(tags.has(domainArn('untagged'))).toBe(false);
    expect(tags.get(domainArn('untagged')) ?? {}).toEqual({});
  });

  it('lists only the types asked for, in one call at the default page size (100)', async () => {
    s.sim.resetCounts();
    const caches = await tagsByArn(ctxFor(), ['elasticache:cluster', 'elasticache:replicationgroup']);
    expect([...caches]).toEqual([
      [CACHE, { team: 'cache' }],
      [GROUP, { 'cloud-cleaner:keep': 'yes' }],
    ]);
    const domains = await tagsByArn(ctxFor(), ['es:domain']);
    expect([...domains.keys()].some((a) => a.includes(':elasticache:'))).toBe(false);
    expect(s.sim.counts().byOperation['tagging:GetResources']).toBe(2);
  });

  it('asks nothing for no type, and finds nothing in a region without such resources', async () => {
    s.sim.resetCounts();
    expect(await tagsByArn(ctxFor(), [])).toEqual(new Map());
    expect(s.sim.counts().total).toBe(0);
    expect(await tagsByArn(ctxFor('us-east-1'), ['es:domain'])).toEqual(new Map());
  });

  it('a denied tag:GetResources is thrown, naming the IAM action', async () => {
    s.sim.state.deny.add('tag:GetResources');
    try {
      await expect(tagsByArn(ctxFor(), ['es:domain'])).rejects.toThrow(/not authorized to perform: tag:GetResources/);
    } finally {
      s.sim.state.deny.delete('tag:GetResources');
    }
  });
});

const CACHE_TYPES = ['elasticache:cluster', 'elasticache:replicationgroup'];
const DOMAIN_ARNS = [...Array.from({ length: 7 }, (_, i) => domainArn(`dom-${i}`)), domainArn('keep')].sort();

describe('tagsByArn in a scan (region inventory)', () => {
  it('one listing covers the declared types of the kinds still running: each kind gets only its own ARNs', async () => {
    const inventory = new RegionInventory(new Map(), new Map([['elasticache:cluster', CACHE_TYPES], ['opensearch:domain', ['es:domain']]]));
    s.sim.resetCounts();
    const caches = await tagsByArn(ctxFor(REGION, { inventory }), CACHE_TYPES);
    const domains = await tagsByArn(ctxFor(REGION, { inventory }), ['es:domain']);
    expect([...caches.keys()]).toEqual([CACHE, GROUP]);
    expect([...domains.keys()].sort()).toEqual(DOMAIN_ARNS);
    expect(s.sim.counts().byOperation['tagging:GetResources']).toBe(1);
  });

  it('a kind that finished without asking is not listed for; a type no listing covers gets its own listing', async () => {
    const inventory = new RegionInventory(new Map(), new Map([['elasticache:cluster', CACHE_TYPES], ['opensearch:domain', ['es:domain']]]));
    inventory.finish('opensearch:domain');
    s.sim.resetCounts();
    expect([...(await tagsByArn(ctxFor(REGION, { inventory }), CACHE_TYPES)).keys()]).toEqual([CACHE, GROUP]);
    expect(s.sim.counts().byOperation['tagging:GetResources']).toBe(1);
    // Not covered by the first listing (its kind had finished): a second one, for that type only.
    expect([...(await tagsByArn(ctxFor(REGION, { inventory, pageSize: 100 }), ['es:domain'])).keys()].sort()).toEqual(DOMAIN_ARNS);
    expect(s.sim.counts().byOperation['tagging:GetResources']).toBe(2);
    // Both covered now: no third.
    await tagsByArn(ctxFor(REGION, { inventory }), ['elasticache:replicationgroup', 'es:domain']);
    expect(s.sim.counts().byOperation['tagging:GetResources']).toBe(2);
  });

  it('a denied tag:GetResources fails every kind that asks, naming the IAM action', async () => {
    const inventory = new RegionInventory(new Map(), new Map([['elasticache:cluster', CACHE_TYPES], ['opensearch:domain', ['es:domain']]]));
    s.sim.state.deny.add('tag:GetResources');
    try {
      await expect(tagsByArn(ctxFor(REGION, { inventory }), CACHE_TYPES)).rejects.toThrow(/not authorized to perform: tag:GetResources/);
      await expect(tagsByArn(ctxFor(REGION, { inventory }), ['es:domain'])).rejects.toThrow(/not authorized to perform: tag:GetResources/);
    } finally {
      s.sim.state.deny.delete('tag:GetResources');
    }
  });

  it('tells the types of the ARNs GetResources answers apart', () => {
    expect(arnIsOfType(CACHE, 'elasticache:cluster')).toBe(true);
    expect(arnIsOfType(CACHE, 'elasticache:replicationgroup')).toBe(false);
    expect(arnIsOfType(CACHE, 'elasticache')).toBe(true);
    expect(arnIsOfType(domainArn('d'), 'es:domain')).toBe(true);
    expect(arnIsOfType('arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/x', 'logs:log-group')).toBe(true);
    expect(arnIsOfType('arn:aws:kms:eu-west-1:1:key/1234', 'kms:key')).toBe(true);
    expect(arnIsOfType('arn:aws:ecr:eu-west-1:1:repository/app/web', 'ecr:repository')).toBe(true);
    expect(arnIsOfType('arn:aws:s3:::my-bucket', 's3:bucket')).toBe(true);
    expect(arnIsOfType('arn:aws:s3:::my-bucket/key', 's3:bucket')).toBe(false);
    expect(arnIsOfType('arn:aws:sagemaker:eu-west-1:1:endpoint/e', 'sagemaker:endpoint')).toBe(true);
    expect(arnIsOfType('arn:aws:sagemaker:eu-west-1:1:endpoint-config/e', 'sagemaker:endpoint')).toBe(false);
    expect(arnIsOfType('arn:aws:sagemaker:eu-west-1:1:endpoint-config/e', 'sagemaker:endpoint-config')).toBe(true);
    expect(arnIsOfType('not-an-arn', 'es:domain')).toBe(false);
  });
});

describe('tagsByArn with shapes the simulator does not answer', () => {
  function mocked(): { ctx: HandlerContext; mock: ReturnType<typeof mockClient> } {
    const client = new ResourceGroupsTaggingAPIClient({
      region: REGION,
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    });
    const mock = mockClient(client);
    return { ctx: ctxFor(REGION, { client: <C extends Destroyable>() => client as unknown as C }), mock };
  }

  it('a resource listed with Tags: [] (its tags were removed) has no tags, like an absent one', async () => {
    const { ctx, mock } = mocked();
    mock.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [{ ResourceARN: domainArn('was-tagged'), Tags: [] }], PaginationToken: '' });
    const tags = await tagsByArn(ctx, ['es:domain']);
    expect(tags.get(domainArn('was-tagged'))).toEqual({});
    expect(mock.commandCalls(GetResourcesCommand)[0]?.args[0].input).toEqual({ ResourceTypeFilters: ['es:domain'], ResourcesPerPage: 100 });
  });

  it('a token answered twice fails instead of looping or dropping tags', async () => {
    const { ctx, mock } = mocked();
    mock.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: 'same' });
    await expect(tagsByArn(ctx, ['es:domain'])).rejects.toThrow(/same PaginationToken twice/);
    expect(mock.commandCalls(GetResourcesCommand)).toHaveLength(2);
  });
});
