/**
 * AWS JSON 1.0 (Cost Explorer covers 1.1 through the real SDK): a CloudWatch-like toy, `awsQueryCompatible` as
 * CloudWatch is, read back with plain fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api-error';
import { startSimulator } from '../index';
import type { Simulator } from '../index';
import { simFetch } from '../test-clients';
import { jsonService } from './json';

const values = new Map<string, number[]>();

const toyMetrics = jsonService({
  name: 'Toy Metrics',
  signingName: 'toymetrics',
  version: '2026-01-01',
  jsonVersion: '1.0',
  targetPrefix: 'ToyMetricsService_20260101',
  queryCompatible: true,
  operations: {
    PutValue: (_ctx, input) => {
      if (typeof input.Name !== 'string' || typeof input.Value !== 'number') throw new ApiError('InvalidParameterValue', 'Name and Value are required');
      values.set(input.Name, [...(values.get(input.Name) ?? []), input.Value]);
      return {};
    },
    GetValues: (_ctx, input) => {
      const name = String(input.Name);
      const v = values.get(name);
      if (!v) throw new ApiError('ResourceNotFound', `No metric named ${name}`);
      return { Name: name, Values: v };
    },
  },
});

let sim: Simulator;
const call = (operation: string, body: string, service: string | undefined = 'toymetrics'): Promise<Response> =>
  simFetch(sim.endpoint, {
    service,
    method: 'POST',
    headers: { 'x-amz-target': `ToyMetricsService_20260101.${operation}`, 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-mode': 'true' },
    body,
  });

beforeAll(async () => {
  sim = await startSimulator({ services: [toyMetrics] });
});
afterAll(() => sim.close());

describe('AWS JSON 1.0 protocol (toy service)', () => {
  it('dispatches on X-Amz-Target and answers JSON with its content type', async () => {
    expect((await call('PutValue', JSON.stringify({ Name: 'cpu', Value: 12.5 }))).status).toBe(200);
    const res = await call('GetValues', JSON.stringify({ Name: 'cpu' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await res.json()).toEqual({ Name: 'cpu', Values: [12.5] });
  });

  it('errors as {"__type", "message"} + x-amzn-errortype, and the Query-compatible code in x-amzn-query-error', async () => {
    const missing = await call('GetValues', JSON.stringify({ Name: 'disk' }));
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFound');
    expect(missing.headers.get('x-amzn-query-error')).toBe('ResourceNotFound;Sender');
    expect(await missing.json()).toEqual({ __type: 'ResourceNotFound', message: 'No metric named disk' });

    const unknown = await call('DeleteEverything', '{}');
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const malformed = await call('PutValue', '{');
    expect(malformed.headers.get('x-amzn-errortype')).toBe('SerializationException');

    sim.setFaults({ serverErrorRate: 1 });
    try {
      const failed = await call('GetValues', JSON.stringify({ Name: 'cpu' }));
      expect(failed.status).toBe(500);
      expect(failed.headers.get('x-amzn-query-error')).toBe('InternalFailure;Receiver');
    } finally {
      sim.setFaults({});
    }
  });

  it('an unsigned request is still attributed by its target (counted under the signing name, region us-east-1)', async () => {
    sim.resetCounts();
    const res = await call('GetValues', JSON.stringify({ Name: 'cpu' }), undefined);
    expect(res.status).toBe(200);
    expect(sim.counts().byOperationAndRegion).toEqual({ 'toymetrics:GetValues': { 'us-east-1': 1 } });
  });
});
