/**
 * REST-JSON, which no built-in service uses yet (EKS and OpenSearch will): a toy service registered here, like a
 * handler, answered over HTTP and read back with plain fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api-error';
import { registerService, startSimulator } from '../index';
import type { Simulator } from '../index';
import { simFetch } from '../test-clients';
import type { RawRequest } from '../test-clients';
import type { JsonObject } from './json';
import { restJsonService } from './rest-json';

interface ToyCluster {
  name: string;
  version: string;
  createdAt: string;
}

const clusters = new Map<string, ToyCluster>();

const toyClusters = restJsonService({
  name: 'Toy Clusters',
  signingName: 'toyclusters',
  version: '2026-01-01',
  operations: {
    CreateCluster: {
      method: 'POST',
      path: '/clusters',
      status: 201,
      handler: (ctx, { body }) => {
        const name = typeof body.name === 'string' ? body.name : '';
        if (name === '') throw new ApiError('InvalidParameterException', 'name is required');
        if (clusters.has(name)) throw new ApiError('ResourceInUseException', `Cluster already exists with name: ${name}`, 409);
        const c = { name, version: typeof body.version === 'string' ? body.version : '1.31', createdAt: ctx.account.now.toISOString() };
        clusters.set(name, c);
        return { cluster: { ...c, region: ctx.regionName } };
      },
    },
    ListClusters: {
      method: 'GET',
      path: '/clusters',
      handler: (_ctx, { query }) => {
        const max = Number(query.get('maxResults') ?? '100');
        const names = [...clusters.keys()].sort();
        return { clusters: names.slice(0, max), ...(names.length > max ? { nextToken: String(max) } : {}) };
      },
    },
    DescribeCluster: {
      method: 'GET',
      path: '/clusters/{name}',
      handler: (_ctx, { labels }): JsonObject => {
        const c = clusters.get(labels.name ?? '');
        if (!c) throw new ApiError('ResourceNotFoundException', `No cluster found for name: ${labels.name ?? ''}.`, 404);
        return { cluster: { ...c } };
      },
    },
    DeleteCluster: {
      method: 'DELETE',
      path: '/clusters/{name}',
      status: 204,
      handler: (_ctx, { labels }) => {
        if (!clusters.delete(labels.name ?? '')) throw new ApiError('ResourceNotFoundException', `No cluster found for name: ${labels.name ?? ''}.`, 404);
        return undefined;
      },
    },
  },
});

let sim: Simulator;
let unregister: () => void;
const call = (r: RawRequest): Promise<Response> => simFetch(sim.endpoint, { service: 'toyclusters', region: 'eu-west-1', ...r });
const json = (body: unknown): Pick<RawRequest, 'headers' | 'body'> => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  unregister = registerService(toyClusters);
  sim = await startSimulator({ now: new Date('2026-11-25T12:00:00Z') });
});
afterAll(async () => {
  await sim.close();
  unregister();
});

describe('REST-JSON protocol (toy service)', () => {
  it('routes by method + path template: 201 with a JSON body, labels decoded, query parameters read', async () => {
    const created = await call({ method: 'POST', path: '/clusters', ...json({ name: 'web prod', version: '1.30' }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(created.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await created.json()).toEqual({ cluster: { name: 'web prod', version: '1.30', createdAt: '2026-11-25T12:00:00.000Z', region: 'eu-west-1' } });
    await call({ method: 'POST', path: '/clusters', ...json({ name: 'batch' }) });

    const described = await call({ path: '/clusters/web%20prod' });
    expect(described.status).toBe(200);
    expect(await described.json()).toMatchObject({ cluster: { name: 'web prod', version: '1.30' } });

    const listed = await call({ path: '/clusters?maxResults=1' });
    expect(await listed.json()).toEqual({ clusters: ['batch'], nextToken: '1' });
  });

  it('answers errors in its shape: the code in x-amzn-errortype, {"message"} in the body, the error status', async () => {
    const missing = await call({ path: '/clusters/nope' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await missing.json()).toEqual({ message: 'No cluster found for name: nope.' });

    const conflict = await call({ method: 'POST', path: '/clusters', ...json({ name: 'batch' }) });
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('x-amzn-errortype')).toBe('ResourceInUseException');

    const malformed = await call({ method: 'POST', path: '/clusters', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-amzn-errortype')).toBe('SerializationException');

    const unrouted = await call({ method: 'PATCH', path: '/clusters/batch/upgrade' });
    expect(unrouted.status).toBe(404);
    expect(unrouted.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('204 with an empty body; the deny list applies by signing name + operation (AccessDeniedException 403)', async () => {
    sim.state.deny.add('toyclusters:DeleteCluster');
    const denied = await call({ method: 'DELETE', path: '/clusters/batch' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(((await denied.json()) as { message: string }).message).toContain('toyclusters:DeleteCluster');
    sim.state.deny.delete('toyclusters:DeleteCluster');

    const deleted = await call({ method: 'DELETE', path: '/clusters/batch' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await call({ path: '/clusters/batch' })).status).toBe(404);
  });

  it('counts per operation and region, and throttles with its protocol default (ThrottlingException 429)', async () => {
    sim.resetCounts();
    sim.setFaults({ throttleRate: 1 });
    try {
      const throttled = await call({ path: '/clusters' });
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    } finally {
      sim.setFaults({});
    }
    await call({ path: '/clusters/web%20prod' });
    expect(sim.counts().byOperation).toEqual({ 'toyclusters:ListClusters': 1, 'toyclusters:DescribeCluster': 1 });
    expect(sim.counts().byRegion).toEqual({ 'eu-west-1': 2 });
  });

  it('unregistering removes it: the signing name is unknown again', async () => {
    const other = await startSimulator();
    try {
      unregister();
      const res = await simFetch(other.endpoint, { service: 'toyclusters', path: '/clusters' });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    } finally {
      unregister = registerService(toyClusters);
      await other.close();
    }
  });
});
