/**
 * The simulator's Resource Groups Tagging API (GetResources, JSON 1.1) against the real
 * `@aws-sdk/client-resource-groups-tagging-api`: resources of every service state in the region, resource-type and
 * tag filters, ARN lists, paging and its bounds, never-tagged resources left out, and AWS's error shapes.
 */
import {
  GetResourcesCommand,
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
  type GetResourcesCommandInput,
  type ResourceTagMapping,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, Simulator } from './index';
import { startSimulator } from './index';
import type { OpenSearchDomainFixture } from './opensearch-state';
import type { SimTaggedResource } from './state';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');
const domainArn = (name: string, region = REGION): string => `arn:aws:es:${region}:${ACCOUNT}:domain/${name}`;

/** Seven tagged domains (four tags each), one never tagged. */
const TAGGED = Array.from({ length: 7 }, (_, i): OpenSearchDomainFixture => ({
  name: `dom-${i}`,
  tags: { team: i % 2 === 0 ? 'search' : 'logs', env: i < 3 ? 'prod' : 'dev', owner: `o${i}`, cost: 'c' },
}));

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: REGION }, { name: 'us-east-1' }],
  resources: {
    [REGION]: { opensearch: { domains: [...TAGGED, { name: 'untagged' }] } },
    'us-east-1': { opensearch: { domains: [{ name: 'elsewhere', tags: { team: 'search' } }] } },
  },
};

/** Other services' resources, as their states would list them (those states are other modules'). */
const OTHERS: SimTaggedResource[] = [
  { arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:cache-1`, resourceType: 'elasticache:cluster', tags: [{ key: 'team', value: 'search' }] },
  { arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:rg-1`, resourceType: 'elasticache:replicationgroup', tags: [{ key: 'team', value: 'web' }] },
  { arn: `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:cache-bare`, resourceType: 'elasticache:cluster', tags: [] },
];
const RDS: SimTaggedResource[] = [{ arn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:db-1`, resourceType: 'rds:db', tags: [{ key: 'env', value: 'prod' }] }];

let sim: Simulator;
const clients: ResourceGroupsTaggingAPIClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ fixture: FIXTURE, now: NOW });
  const region = sim.state.region(REGION);
  region.elasticache.taggedResources = () => OTHERS.map((r) => ({ ...r, tags: [...r.tags] }));
  region.rds.taggedResources = () => RDS.map((r) => ({ ...r, tags: [...r.tags] }));
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function tagging(s: Simulator = sim, region = REGION): ResourceGroupsTaggingAPIClient {
  if (!s.endpoint.startsWith('http://127.0.0.1:')) throw new Error('non-local endpoint');
  const c = new ResourceGroupsTaggingAPIClient({ endpoint: s.endpoint, region, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function all(input: GetResourcesCommandInput, s: Simulator = sim): Promise<ResourceTagMapping[]> {
  const out: ResourceTagMapping[] = [];
  for await (const page of paginateGetResources({ client: tagging(s) }, input)) out.push(...(page.ResourceTagMappingList ?? []));
  return out;
}

const arns = (list: ResourceTagMapping[]): string[] => list.map((m) => m.ResourceARN ?? '');

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

describe('GetResources over the region', () => {
  it('lists the tagged resources of every service, ordered by ARN, with their tags; never-tagged ones are absent', async () => {
    const out = await tagging().send(new GetResourcesCommand({}));
    expect(out.PaginationToken).toBe('');
    const list = out.ResourceTagMappingList ?? [];
    expect(arns(list)).toEqual([
      `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:cache-1`,
      `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:rg-1`,
      ...TAGGED.map((d) => domainArn(d.name)),
      `arn:aws:rds:${REGION}:${ACCOUNT}:db:db-1`,
    ]);
    expect(list[2]?.Tags).toEqual([
      { Key: 'team', Value: 'search' },
      { Key: 'env', Value: 'prod' },
      { Key: 'owner', Value: 'o0' },
      { Key: 'cost', Value: 'c' },
    ]);
    expect(arns(list)).not.toContain(domainArn('untagged'));
    expect(arns(list)).not.toContain(`arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:cache-bare`);
  });

  it('is regional: another region lists its own resources only', async () => {
    const out = await tagging(sim, 'us-east-1').send(new GetResourcesCommand({}));
    expect(arns(out.ResourceTagMappingList ?? [])).toEqual([domainArn('elsewhere', 'us-east-1')]);
  });

  it('ResourceTypeFilters: `service` matches all its types, `service:type` exactly; any of several', async () => {
    expect(arns(await all({ ResourceTypeFilters: ['es:domain'] }))).toEqual(TAGGED.map((d) => domainArn(d.name)));
    expect(arns(await all({ ResourceTypeFilters: ['elasticache'] }))).toEqual([
      `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:cache-1`,
      `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:rg-1`,
    ]);
    expect(arns(await all({ ResourceTypeFilters: ['elasticache:replicationgroup', 'rds:db'] }))).toEqual([
      `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:rg-1`,
      `arn:aws:rds:${REGION}:${ACCOUNT}:db:db-1`,
    ]);
    // `es` is a service, not a prefix of `elasticache`.
    expect(arns(await all({ ResourceTypeFilters: ['es'] }))).toHaveLength(7);
    expect(await all({ ResourceTypeFilters: ['redshift:cluster'] })).toEqual([]);
  });

  it('a resource type filter not of the form service[:resourceType] is an InvalidParameterException', async () => {
    const e = await errorOf(tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ['es:domain:extra'] })));
    expect(e).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    expect(await errorOf(tagging().send(new GetResourcesCommand({ ResourceTypeFilters: Array<string>(101).fill('es') })))).toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('TagFilters: every filter must match; a filter\'s values are alternatives; no values = any value of the key', async () => {
    expect(arns(await all({ TagFilters: [{ Key: 'team', Values: ['search'] }], ResourceTypeFilters: ['es'] }))).toEqual(
      ['dom-0', 'dom-2', 'dom-4', 'dom-6'].map((n) => domainArn(n)),
    );
    expect(arns(await all({ TagFilters: [{ Key: 'team', Values: ['search'] }, { Key: 'env', Values: ['prod'] }] }))).toEqual(
      ['dom-0', 'dom-2'].map((n) => domainArn(n)),
    );
    expect(arns(await all({ TagFilters: [{ Key: 'team', Values: ['web', 'logs'] }] }))).toEqual([
      `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:rg-1`,
      ...['dom-1', 'dom-3', 'dom-5'].map((n) => domainArn(n)),
    ]);
    expect(arns(await all({ TagFilters: [{ Key: 'env' }] }))).toEqual([...TAGGED.map((d) => domainArn(d.name)), `arn:aws:rds:${REGION}:${ACCOUNT}:db:db-1`]);
    expect(await all({ TagFilters: [{ Key: 'Team', Values: ['search'] }] })).toEqual([]); // keys are case-sensitive
  });

  it('ResourceARNList: only those ARNs (unknown ones are no error); not with paging parameters', async () => {
    const out = await tagging().send(new GetResourcesCommand({ ResourceARNList: [domainArn('dom-3'), domainArn('gone'), domainArn('untagged')] }));
    expect(arns(out.ResourceTagMappingList ?? [])).toEqual([domainArn('dom-3')]);
    expect(out.PaginationToken).toBe('');
    const e = await errorOf(tagging().send(new GetResourcesCommand({ ResourceARNList: [domainArn('dom-3')], ResourcesPerPage: 10 })));
    expect(e).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });
});

describe('GetResources over the other services\' own states', () => {
  it('lists tagged ElastiCache, RDS and Redshift resources from their fixtures beside OpenSearch domains', async () => {
    const fixture: AccountFixture = {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      resources: {
        [REGION]: {
          opensearch: { domains: [{ name: 'search', tags: { team: 'a' } }] },
          elasticache: {
            replicationGroups: [{ id: 'sessions', tags: { team: 'b' } }],
            cacheClusters: [{ id: 'memo', tags: { team: 'c' } }, { id: 'bare' }],
          },
          rds: { instances: [{ id: 'orders', tags: { team: 'd' } }] },
          redshift: { clusters: [{ id: 'warehouse', tags: { team: 'e' } }] },
        },
      },
    };
    const s = await startSimulator({ fixture, now: NOW });
    try {
      const list = await all({}, s);
      const team = new Map(list.map((m) => [m.ResourceARN ?? '', m.Tags?.find((t) => t.Key === 'team')?.Value]));
      expect(team).toEqual(
        new Map([
          [`arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:memo`, 'c'],
          [`arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:sessions`, 'b'],
          [domainArn('search'), 'a'],
          [`arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`, 'd'],
          [`arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:warehouse`, 'e'],
        ]),
      );
      expect(arns(await all({ ResourceTypeFilters: ['elasticache:cluster', 'elasticache:replicationgroup'] }, s))).toEqual([
        `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:memo`,
        `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:sessions`,
      ]);
      expect(arns(await all({ ResourceTypeFilters: ['redshift', 'rds:db'] }, s))).toEqual([
        `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders`,
        `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:warehouse`,
      ]);
    } finally {
      await s.close();
    }
  });
});

describe('GetResources paging', () => {
  it('ResourcesPerPage pages with an opaque token; the last page answers an empty token', async () => {
    sim.resetCounts();
    const c = tagging();
    const first = await c.send(new GetResourcesCommand({ ResourceTypeFilters: ['es:domain'], ResourcesPerPage: 3 }));
    expect(arns(first.ResourceTagMappingList ?? [])).toEqual(['dom-0', 'dom-1', 'dom-2'].map((n) => domainArn(n)));
    expect(first.PaginationToken).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.PaginationToken).not.toContain('dom-2');
    const pages: string[][] = [];
    for await (const page of paginateGetResources({ client: c, pageSize: 3 }, { ResourceTypeFilters: ['es:domain'] })) {
      pages.push(arns(page.ResourceTagMappingList ?? []));
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(TAGGED.map((d) => domainArn(d.name)));
    expect(sim.counts().byOperation['tagging:GetResources']).toBe(4);
  });

  it('a token is bound to the request it came from: another request, or junk, is an InvalidParameterException', async () => {
    const first = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ['es:domain'], ResourcesPerPage: 3 }));
    const other = await errorOf(
      tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ['elasticache'], ResourcesPerPage: 3, PaginationToken: first.PaginationToken })),
    );
    expect(other).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    expect(await errorOf(tagging().send(new GetResourcesCommand({ PaginationToken: 'not-a-token' })))).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('ResourcesPerPage is 1–100 and TagsPerPage 100–500: outside is an InvalidParameterException', async () => {
    for (const input of [{ ResourcesPerPage: 0 }, { ResourcesPerPage: 101 }, { TagsPerPage: 99 }, { TagsPerPage: 501 }]) {
      const e = await errorOf(tagging().send(new GetResourcesCommand(input)));
      expect(e, JSON.stringify(input)).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    }
    expect((await tagging().send(new GetResourcesCommand({ ResourcesPerPage: 100 }))).ResourceTagMappingList).toHaveLength(10);
  });

  it('TagsPerPage counts tags (a resource\'s tags never split across pages)', async () => {
    const many: AccountFixture = {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      resources: {
        [REGION]: {
          opensearch: { domains: Array.from({ length: 30 }, (_, i) => ({ name: `d-${String(i).padStart(2, '0')}`, tags: { a: '1', b: '2', c: '3', d: '4' } })) },
        },
      },
    };
    const s = await startSimulator({ fixture: many, now: NOW });
    try {
      const pages: number[] = [];
      for await (const page of paginateGetResources({ client: tagging(s) }, { TagsPerPage: 100 })) pages.push(page.ResourceTagMappingList?.length ?? 0);
      expect(pages).toEqual([25, 5]);
    } finally {
      await s.close();
    }
  });
});

describe('GetResources errors', () => {
  it('a denied tag:GetResources is AccessDeniedException naming the IAM action', async () => {
    const s = await startSimulator({ fixture: { ...FIXTURE, deny: ['tag:GetResources'] }, now: NOW });
    try {
      const e = await errorOf(tagging(s).send(new GetResourcesCommand({ ResourceTypeFilters: ['es:domain'] })));
      expect(e).toMatchObject({ name: 'AccessDeniedException', status: 400 });
      expect(e.message).toContain('is not authorized to perform: tag:GetResources');
    } finally {
      await s.close();
    }
  });

  it('throttling is the model\'s ThrottledException, retried by the SDK', async () => {
    const s = await startSimulator({ fixture: FIXTURE, now: NOW });
    try {
      s.setFaults({ throttleRate: 1 });
      const e = await errorOf(tagging(s).send(new GetResourcesCommand({})));
      expect(e).toMatchObject({ name: 'ThrottledException', status: 400 });
      s.setFaults({ throttleRate: 0.5, seed: 7 });
      const retrying = new ResourceGroupsTaggingAPIClient({ endpoint: s.endpoint, region: REGION, credentials: SIM_CREDENTIALS, maxAttempts: 10 });
      clients.push(retrying);
      expect((await retrying.send(new GetResourcesCommand({ ResourceTypeFilters: ['es'] }))).ResourceTagMappingList).toHaveLength(7);
    } finally {
      await s.close();
    }
  });
});
