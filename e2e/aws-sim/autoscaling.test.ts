import { AutoScalingClient, DescribeLaunchConfigurationsCommand } from '@aws-sdk/client-auto-scaling';
import type { LaunchConfiguration } from '@aws-sdk/client-auto-scaling';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { SIM_CREDENTIALS } from './test-clients';

let sim: Simulator;
const clients: AutoScalingClient[] = [];

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

/** A real SDK client pointed at a simulator (one attempt: errors surface as answered). */
function autoScaling(s: Simulator, region = 'eu-west-1'): AutoScalingClient {
  const c = new AutoScalingClient({ region, endpoint: s.endpoint, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
  clients.push(c);
  return c;
}

/** An account with `n` launch configurations in eu-west-1, named lc-000 … */
function manyLaunchConfigurations(n: number, deny: string[] = []): AccountFixture {
  return {
    accountId: '111122223333',
    regions: [{ name: 'eu-west-1' }],
    deny,
    resources: {
      'eu-west-1': {
        launchConfigurations: Array.from({ length: n }, (_, i) => ({
          name: `lc-${String(i).padStart(3, '0')}`,
          imageId: `ami-0${String(i).padStart(16, '0')}`,
          createdDaysAgo: 10,
        })),
      },
    },
  };
}

describe('Auto Scaling DescribeLaunchConfigurations', () => {
  it("lists the region's launch configurations with every field the SDK reads", async () => {
    const out = await autoScaling(sim).send(new DescribeLaunchConfigurationsCommand({}));
    expect(out.LaunchConfigurations).toHaveLength(1);
    const lc = out.LaunchConfigurations?.[0] as LaunchConfiguration;
    expect(lc).toMatchObject({ LaunchConfigurationName: 'eu-workers-lc', ImageId: 'ami-0e100000000000003', InstanceType: 'c5.large' });
    expect(lc.LaunchConfigurationARN).toMatch(
      /^arn:aws:autoscaling:eu-west-1:123456789012:launchConfiguration:[0-9a-f-]{36}:launchConfigurationName\/eu-workers-lc$/,
    );
    expect(lc.CreatedTime).toBeInstanceOf(Date);
    expect(out.NextToken).toBeUndefined();
    // Launch configurations are regional: another region has none.
    expect((await autoScaling(sim, 'us-east-1').send(new DescribeLaunchConfigurationsCommand({}))).LaunchConfigurations).toEqual([]);
    expect(sim.counts().byOperationAndRegion['autoscaling:DescribeLaunchConfigurations']).toMatchObject({ 'eu-west-1': 1, 'us-east-1': 1 });
  });

  it('pages with MaxRecords/NextToken (default 50), every item exactly once, in name order', async () => {
    const s = await startSimulator({ fixture: manyLaunchConfigurations(230) });
    try {
      const c = autoScaling(s);
      const names: string[] = [];
      const sizes: number[] = [];
      let token: string | undefined;
      do {
        const out = await c.send(new DescribeLaunchConfigurationsCommand({ MaxRecords: 100, NextToken: token }));
        sizes.push(out.LaunchConfigurations?.length ?? 0);
        names.push(...(out.LaunchConfigurations ?? []).map((l) => l.LaunchConfigurationName ?? ''));
        token = out.NextToken;
      } while (token);
      expect(sizes).toEqual([100, 100, 30]);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(230);

      const first = await c.send(new DescribeLaunchConfigurationsCommand({}));
      expect(first.LaunchConfigurations).toHaveLength(50);
      expect(first.NextToken).toBeDefined();
      // A token belongs to its own listing.
      await expect(
        c.send(new DescribeLaunchConfigurationsCommand({ NextToken: first.NextToken, LaunchConfigurationNames: ['lc-001'] })),
      ).rejects.toMatchObject({ name: 'InvalidNextToken', $metadata: { httpStatusCode: 400 } });
      const named = await c.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: ['lc-007', 'lc-nope', 'lc-003'] }));
      expect(named.LaunchConfigurations?.map((l) => l.LaunchConfigurationName)).toEqual(['lc-003', 'lc-007']);
    } finally {
      await s.close();
    }
  });

  it('MaxRecords outside 1–100 is a ValidationError (Sender, 400)', async () => {
    const c = autoScaling(sim);
    for (const bad of [0, 101]) {
      await expect(c.send(new DescribeLaunchConfigurationsCommand({ MaxRecords: bad }))).rejects.toMatchObject({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: expect.stringContaining("at 'maxRecords'"),
      });
    }
    for (const ok of [1, 100]) {
      expect((await c.send(new DescribeLaunchConfigurationsCommand({ MaxRecords: ok }))).LaunchConfigurations).toHaveLength(1);
    }
  });

  it("the fixture's deny list answers AccessDenied (403) and is counted", async () => {
    const s = await startSimulator({ fixture: manyLaunchConfigurations(3, ['autoscaling:DescribeLaunchConfigurations']) });
    try {
      const err = await autoScaling(s).send(new DescribeLaunchConfigurationsCommand({})).catch((e: unknown) => e);
      expect(err).toMatchObject({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: expect.stringContaining('autoscaling:DescribeLaunchConfigurations'),
      });
      expect(s.counts().byOperation['autoscaling:DescribeLaunchConfigurations']).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('throttling faults answer Auto Scaling\'s own Throttling code, which the SDK retries', async () => {
    const s = await startSimulator({ fixture: manyLaunchConfigurations(2), faults: { throttleRate: 1 } });
    try {
      await expect(autoScaling(s).send(new DescribeLaunchConfigurationsCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
      s.setFaults({});
      const c = new AutoScalingClient({ region: 'eu-west-1', endpoint: s.endpoint, credentials: SIM_CREDENTIALS, maxAttempts: 3 });
      clients.push(c);
      expect((await c.send(new DescribeLaunchConfigurationsCommand({}))).LaunchConfigurations).toHaveLength(2);
    } finally {
      await s.close();
    }
  });
});
