import type { GetCostAndUsageCommandInput, GetCostAndUsageCommandOutput, ResultByTime } from '@aws-sdk/client-cost-explorer';

/**
 * Test-only: a synthetic Cost Explorer account (daily costs per SERVICE display name) and the GetCostAndUsage
 * pages AWS would return for it. Amounts are built from integer units of 1e-10 USD so a test can compute exact
 * expected totals with BigInt, independently of the code under test.
 */

export const UNIT_DIGITS = 10;

export interface FixtureService {
  name: string;
  /** Daily amount in 1e-10 USD units, by day index (0 = first day of the period). */
  units: (day: number) => bigint;
  usage?: (day: number) => string;
  usageUnit?: string;
}

export interface CeFixture {
  days: string[];
  /** Days (dates) CE marks Estimated. */
  estimated: Set<string>;
  services: FixtureService[];
}

export function unitsToText(units: bigint): string {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(UNIT_DIGITS + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -UNIT_DIGITS)}.${s.slice(-UNIT_DIGITS)}`;
}

export function daysBetween(start: string, endExclusive: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t < Date.parse(`${endExclusive}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Ten services over the period, one of them unknown to the catalog and one with sub-cent costs only. */
export function tenServiceFixture(start: string, endExclusive: string, estimatedLastDays = 2): CeFixture {
  const days = daysBetween(start, endExclusive);
  const services: FixtureService[] = [
    { name: 'Amazon Elastic Compute Cloud - Compute', units: (d) => 41_234_567_891n + BigInt(d) * 1_000_000_007n, usage: () => '24', usageUnit: 'Hrs' },
    { name: 'EC2 - Other', units: (d) => 8_000_000_001n + BigInt(d % 3) * 33_333_333n, usage: () => '3.2258', usageUnit: 'GB-Mo' },
    { name: 'Amazon Virtual Private Cloud', units: () => 1_200_000_000n, usage: () => '24', usageUnit: 'Hrs' },
    { name: 'Amazon Simple Storage Service', units: (d) => 123_456_789n + BigInt(d) },
    { name: 'Amazon Relational Database Service', units: (d) => 99_999_999_999n - BigInt(d) * 7n },
    { name: 'AWS Lambda', units: (d) => 45_000n * BigInt(d + 1) },
    { name: 'Amazon DynamoDB', units: () => 2_500_000_000n },
    { name: 'AmazonCloudWatch', units: (d) => 3_000_000_000n + BigInt(d) * 5n },
    // Far below a cent over the whole period: inactive at the default minimum.
    { name: 'AWS Key Management Service', units: () => 12_345n },
    { name: 'Amazon Quantum Widget Service', units: (d) => 7_770_000_000n + BigInt(d) },
  ];
  return { days, estimated: new Set(days.slice(-estimatedLastDays)), services };
}

export function dayAmountText(s: FixtureService, day: number): string {
  return unitsToText(s.units(day));
}

export function serviceTotalUnits(f: CeFixture, name: string): bigint {
  const s = f.services.find((x) => x.name === name);
  if (!s) throw new Error(`no fixture service ${name}`);
  return f.days.reduce((a, _d, i) => a + s.units(i), 0n);
}

export function totalUnits(f: CeFixture): bigint {
  return f.services.reduce((a, s) => a + serviceTotalUnits(f, s.name), 0n);
}

/**
 * The pages of a GROUP BY SERVICE DAILY result, split into `pages` pages over the flat (day, group) list — so
 * one day's groups can straddle two pages, as they do in real results. Tokens are `page-2`, `page-3`, …
 */
export function cePages(f: CeFixture, pages = 1): GetCostAndUsageCommandOutput[] {
  const flat: { day: number; s: FixtureService }[] = [];
  f.days.forEach((_d, day) => f.services.forEach((s) => flat.push({ day, s })));
  const size = Math.ceil(flat.length / pages);
  const out: GetCostAndUsageCommandOutput[] = [];
  for (let p = 0; p < pages; p++) {
    const chunk = flat.slice(p * size, (p + 1) * size);
    const byDay = new Map<number, ResultByTime>();
    for (const { day, s } of chunk) {
      const date = f.days[day] as string;
      let r = byDay.get(day);
      if (!r) {
        const next = f.days[day + 1] ?? new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        r = { TimePeriod: { Start: date, End: next }, Total: {}, Groups: [], Estimated: f.estimated.has(date) };
        byDay.set(day, r);
      }
      r.Groups?.push({
        Keys: [s.name],
        Metrics: {
          UnblendedCost: { Amount: dayAmountText(s, day), Unit: 'USD' },
          UsageQuantity: { Amount: s.usage ? s.usage(day) : '1', Unit: s.usageUnit ?? 'N/A' },
        },
      });
    }
    out.push({
      $metadata: {},
      ResultsByTime: [...byDay.values()],
      GroupDefinitions: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      DimensionValueAttributes: [],
      ...(p < pages - 1 ? { NextPageToken: `page-${p + 2}` } : {}),
    });
  }
  return out;
}

/** Answers a GetCostAndUsage input from pre-built pages by its NextPageToken (unknown token: throws). */
export function pageFor(pages: GetCostAndUsageCommandOutput[], input: GetCostAndUsageCommandInput): GetCostAndUsageCommandOutput {
  const token = input.NextPageToken;
  const index = token === undefined ? 0 : Number(/^page-(\d+)$/.exec(token)?.[1] ?? NaN) - 1;
  const page = pages[index];
  if (!page) throw new Error(`unexpected NextPageToken ${String(token)}`);
  return page;
}
