import { GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DeleteVolumeCommand, ReleaseAddressCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { volumeMonthly } from './billing';
import { loadSampleAccount, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { ceClient, ec2Client } from './test-clients';

const NOW = new Date('2026-11-25T12:00:00Z'); // the fixture's last day is 2026-11-24
const DAY = 86_400_000;
let sim: Simulator;
let ce: CostExplorerClient;
let ec2: EC2Client;
let sample: AccountFixture;

beforeEach(async () => {
  sample = await loadSampleAccount();
  sim = await startSimulator({ fixture: sample, now: NOW });
  ce = ceClient(sim.endpoint);
  ec2 = ec2Client(sim.endpoint);
});
afterEach(async () => {
  ce.destroy();
  ec2.destroy();
  await sim.close();
});

const series = (service: string): (string | null)[] => sample.costExplorer?.series?.find((s) => s.service === service && (s.recordType ?? 'Usage') === 'Usage')?.daily ?? [];

async function daily(start: string, end: string, service: string): Promise<Map<string, { amount: number; estimated: boolean }>> {
  const out = await ce.send(
    new GetCostAndUsageCommand({
      TimePeriod: { Start: start, End: end },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    }),
  );
  const m = new Map<string, { amount: number; estimated: boolean }>();
  for (const r of out.ResultsByTime ?? []) {
    const g = r.Groups?.find((x) => x.Keys?.[0] === service);
    if (g) m.set(r.TimePeriod?.Start ?? '', { amount: Number(g.Metrics?.UnblendedCost?.Amount), estimated: r.Estimated === true });
  }
  return m;
}

describe('the simulated bill after a cleanup', () => {
  it('answers nothing after the fixture until the clock moves, then repeats its last week with what was deleted taken off', async () => {
    expect([...(await daily('2026-11-24', '2026-12-10', 'EC2 - Other')).keys()]).toEqual(['2026-11-24']);
    // The io2 volume: 64 GiB × $0.125 + 16,000 IOPS × $0.065 = $1,048 a month.
    const io2 = sim.state.region('us-east-1').volumes.get('vol-0a100000000000012');
    expect(io2 && volumeMonthly('us-east-1', io2)).toBeCloseTo(1048, 6);
    sim.state.advanceClock(6 * 3_600_000); // 18:00 on the 25th
    await ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0a100000000000012' }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId: 'eipalloc-0a100000000000003' }));
    sim.state.advanceClock(8 * DAY); // now 2026-12-03 18:00: full days up to 2026-12-02

    const ebs = await daily('2026-11-18', '2026-12-10', 'EC2 - Other');
    const fixture = series('EC2 - Other');
    const last = fixture.length - 1; // index of 2026-11-24
    const perDay = (1048 * 24) / 730;
    const dates = [...ebs.keys()];
    expect(dates.at(0)).toBe('2026-11-18');
    expect(dates.at(-1)).toBe('2026-12-02');
    // The 25th: the fixture's amount of the 18th, less a quarter day of the volume (deleted at 18:00).
    // (to the milli-dollar: the wall time the test takes moves the clock too)
    expect(ebs.get('2026-11-25')?.amount).toBeCloseTo(Number(fixture[last - 6]) - perDay / 4, 3);
    // The days after: the same weekday of the fixture's last week, less the whole day.
    expect(ebs.get('2026-11-26')?.amount).toBeCloseTo(Number(fixture[last - 5]) - perDay, 6);
    expect(ebs.get('2026-12-02')?.amount).toBeCloseTo(Number(fixture[last - 6]) - perDay, 6);
    // Before the cleanup, nothing changed.
    expect(ebs.get('2026-11-24')?.amount).toBe(Number(fixture[last]));
    // CE's lag: the last two days are estimates.
    expect([...ebs.entries()].filter(([, v]) => v.estimated).map(([d]) => d)).toEqual(['2026-12-01', '2026-12-02']);

    const vpc = await daily('2026-11-26', '2026-12-03', 'Amazon Virtual Private Cloud');
    const ipDay = 0.005 * 24;
    expect(vpc.get('2026-11-27')?.amount).toBeCloseTo(1.32 - ipDay, 9);
    // A service nothing was deleted from keeps its fixture rhythm.
    const rds = await daily('2026-11-26', '2026-12-03', 'Amazon Relational Database Service');
    expect(rds.get('2026-11-26')?.amount).toBe(Number(series('Amazon Relational Database Service')[last - 5]));
  });

  it('a dry run or a refused call changes nothing in the bill', async () => {
    await expect(ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0a100000000000012', DryRun: true }))).rejects.toThrow();
    await expect(ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-missing' }))).rejects.toThrow();
    sim.state.advanceClock(3 * DAY);
    const ebs = await daily('2026-11-25', '2026-11-28', 'EC2 - Other');
    const fixture = series('EC2 - Other');
    expect(ebs.get('2026-11-26')?.amount).toBe(Number(fixture[fixture.length - 6]));
    expect(sim.state.billing.every((b) => b.daily['EC2 - Other'] === sim.state.billing[0]?.daily['EC2 - Other'])).toBe(true);
  });

  it('the clock only moves forward', () => {
    expect(() => sim.state.advanceClock(-1)).toThrow(/not a forward move/);
  });
});
