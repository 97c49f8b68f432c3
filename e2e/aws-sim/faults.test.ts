import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DescribeRegionsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import type { Simulator } from './index';
import { ec2Client, SIM_CREDENTIALS, stsClient } from './test-clients';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: new Date('2026-11-25T12:00:00Z') });
});
afterEach(() => {
  sim.setFaults({});
  sim.resetCounts();
});
afterAll(async () => {
  await sim.close();
});

/** The SDK's own retry strategy with a 1 ms backoff, so retried throttling stays fast in tests. */
const fastRetries = (maxAttempts: number) => ({ retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 1) });

describe('throttling', () => {
  it('EC2 RequestLimitExceeded (503) surfaces with maxAttempts 1', async () => {
    sim.setFaults({ throttleRate: 1 });
    const ec2 = ec2Client(sim.endpoint);
    await expect(ec2.send(new DescribeVolumesCommand({}))).rejects.toMatchObject({ name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } });
    ec2.destroy();
  });

  it('is survived by the SDK retries when maxAttempts is higher (seeded, reproducible)', async () => {
    const run = async (): Promise<number> => {
      sim.setFaults({ throttleRate: 0.5, seed: 7 });
      sim.resetCounts();
      const ec2 = new EC2Client({ region: 'us-east-1', endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, ...fastRetries(10) });
      for (let i = 0; i < 10; i++) {
        const out = await ec2.send(new DescribeVolumesCommand({}));
        expect(out.Volumes?.length).toBe(20);
      }
      ec2.destroy();
      return sim.counts().byOperation['ec2:DescribeVolumes'] ?? 0;
    };
    const first = await run();
    expect(first).toBeGreaterThan(10); // some requests were throttled and retried
    expect(await run()).toBe(first); // same seed, same dice
  });

  it('CE ThrottlingException and STS Throttling are retried too', async () => {
    sim.setFaults({ throttleRate: 0.6, seed: 3 });
    const ce = new CostExplorerClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, ...fastRetries(10) });
    const out = await ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-01', End: '2026-11-03' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] }));
    expect(out.ResultsByTime?.length).toBe(2);
    const sts = new STSClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, ...fastRetries(10) });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    ce.destroy();
    sts.destroy();
    sim.setFaults({ throttleRate: 1 });
    const ce1 = new CostExplorerClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    await expect(ce1.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-01', End: '2026-11-03' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    const sts1 = stsClient(sim.endpoint);
    await expect(sts1.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
    ce1.destroy();
    sts1.destroy();
  });
});

describe('other faults', () => {
  it('AuthFailure for every EC2 call in the listed regions only', async () => {
    sim.setFaults({ authFailureRegions: ['eu-west-1'] });
    const eu = ec2Client(sim.endpoint, { region: 'eu-west-1' });
    const us = ec2Client(sim.endpoint, { region: 'us-east-1' });
    await expect(eu.send(new DescribeRegionsCommand({}))).rejects.toMatchObject({ name: 'AuthFailure', $metadata: { httpStatusCode: 401 } });
    await expect(eu.send(new DescribeVolumesCommand({}))).rejects.toMatchObject({ name: 'AuthFailure' });
    expect((await us.send(new DescribeVolumesCommand({}))).Volumes?.length).toBe(20);
    eu.destroy();
    us.destroy();
  });

  it('5xx: InternalError (500) for EC2, InternalServerException for CE', async () => {
    sim.setFaults({ serverErrorRate: 1 });
    const ec2 = ec2Client(sim.endpoint);
    await expect(ec2.send(new DescribeVolumesCommand({}))).rejects.toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    const ce = new CostExplorerClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    await expect(ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-01', End: '2026-11-03' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] }))).rejects.toMatchObject({
      name: 'InternalServerException',
      $metadata: { httpStatusCode: 500 },
    });
    ec2.destroy();
    ce.destroy();
  });

  it('adds latency per request, and faults can be cleared at runtime', async () => {
    const ec2 = ec2Client(sim.endpoint);
    await ec2.send(new DescribeRegionsCommand({})); // warm the connection
    sim.setFaults({ latencyMs: 300 });
    const t0 = performance.now();
    await ec2.send(new DescribeRegionsCommand({}));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
    sim.setFaults({});
    const t1 = performance.now();
    await ec2.send(new DescribeRegionsCommand({}));
    expect(performance.now() - t1).toBeLessThan(250);
    expect(sim.faults()).toEqual({});
    ec2.destroy();
  });
});

describe('counters', () => {
  it('count per operation and region; resetCounts clears them', async () => {
    const us = ec2Client(sim.endpoint, { region: 'us-east-1' });
    const ap = ec2Client(sim.endpoint, { region: 'ap-northeast-1' });
    await us.send(new DescribeVolumesCommand({}));
    await ap.send(new DescribeVolumesCommand({}));
    await ap.send(new DescribeVolumesCommand({}));
    const c = sim.counts();
    expect(c.total).toBe(3);
    expect(c.byOperationAndRegion['ec2:DescribeVolumes']).toEqual({ 'us-east-1': 1, 'ap-northeast-1': 2 });
    expect(c.byRegion).toEqual({ 'us-east-1': 1, 'ap-northeast-1': 2 });
    sim.resetCounts();
    expect(sim.counts()).toEqual({ total: 0, byOperation: {}, byRegion: {}, byOperationAndRegion: {} });
    us.destroy();
    ap.destroy();
  });
});
