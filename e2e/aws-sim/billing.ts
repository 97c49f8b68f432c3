/**
 * The simulated bill's reaction to what the account holds: the daily cost, per Cost Explorer service, of the
 * resources the simulator knows how to price (EBS volumes under "EC2 - Other", public IPv4 addresses under
 * "Amazon Virtual Private Cloud"), recorded after every call that changes the account (server.ts). Cost Explorer
 * (services/cost-explorer.ts) continues the fixture's history into the days after it was loaded and takes off, for
 * each day, what was deleted before or during it — so a cleanup shows in the bill from the day after it, as it does
 * on AWS. Resources of other kinds are not priced here: deleting them leaves the simulated bill as it was.
 *
 * Prices are AWS's published on-demand USD (the same published values the app bundles: EBS per GB-month, gp3 IOPS
 * above 3,000 and throughput above 125 MiB/s, io1/io2 provisioned IOPS by tier; public IPv4 $0.005 an hour), for
 * the regions of the sample account. A region not listed bills nothing here (unknown, never guessed).
 */
import type { SimAccount, SimVolume } from './state';

export const EBS_SERVICE = 'EC2 - Other';
export const IPV4_SERVICE = 'Amazon Virtual Private Cloud';

const HOURS_PER_MONTH = 730;
const IPV4_HOUR = 0.005;

interface EbsPrices {
  gbMonth: Record<SimVolume['volumeType'], number>;
  gp3IopsMonth: number;
  /** Per MiB/s-month (AWS publishes per GiBps-month: ÷ 1024). */
  gp3MibpsMonth: number;
  io1IopsMonth: number;
  /** io2 provisioned IOPS: up to 32,000, 32,001–64,000, above 64,000. */
  io2Tiers: [number, number, number];
}

const EBS: Record<string, EbsPrices> = {
  'us-east-1': {
    gbMonth: { gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 },
    gp3IopsMonth: 0.005,
    gp3MibpsMonth: 40.96 / 1024,
    io1IopsMonth: 0.065,
    io2Tiers: [0.065, 0.0455, 0.03185],
  },
  'eu-west-1': {
    gbMonth: { gp2: 0.11, gp3: 0.088, io1: 0.138, io2: 0.138, st1: 0.05, sc1: 0.0168, standard: 0.055 },
    gp3IopsMonth: 0.0055,
    gp3MibpsMonth: 45.056 / 1024,
    io1IopsMonth: 0.072,
    io2Tiers: [0.072, 0.0504, 0.03528],
  },
  'ap-northeast-1': {
    gbMonth: { gp2: 0.12, gp3: 0.096, io1: 0.142, io2: 0.142, st1: 0.054, sc1: 0.018, standard: 0.08 },
    gp3IopsMonth: 0.006,
    gp3MibpsMonth: 49.152 / 1024,
    io1IopsMonth: 0.074,
    io2Tiers: [0.074, 0.0518, 0.03626],
  },
};

/** A volume's monthly price (730 hours), or 0 where the region is not priced here. */
export function volumeMonthly(region: string, v: Pick<SimVolume, 'volumeType' | 'size' | 'iops' | 'throughput'>): number {
  const p = EBS[region];
  if (!p) return 0;
  let m = p.gbMonth[v.volumeType] * v.size;
  const iops = v.iops ?? 0;
  if (v.volumeType === 'gp3') m += Math.max(0, iops - 3000) * p.gp3IopsMonth + Math.max(0, (v.throughput ?? 125) - 125) * p.gp3MibpsMonth;
  if (v.volumeType === 'io1') m += iops * p.io1IopsMonth;
  if (v.volumeType === 'io2') {
    const [t1, t2, t3] = p.io2Tiers;
    m += Math.min(iops, 32_000) * t1 + Math.max(0, Math.min(iops, 64_000) - 32_000) * t2 + Math.max(0, iops - 64_000) * t3;
  }
  return m;
}

/** What the priced resources cost per day now, by Cost Explorer service. */
export function billableDaily(account: SimAccount): Record<string, number> {
  let ebs = 0;
  let ipv4 = 0;
  for (const [name, r] of account.regions) {
    for (const v of r.volumes.values()) if (v.state !== 'deleted' && v.state !== 'deleting') ebs += volumeMonthly(name, v);
    ipv4 += r.addresses.size * IPV4_HOUR * HOURS_PER_MONTH;
  }
  const perDay = (monthly: number): number => (monthly * 24) / HOURS_PER_MONTH;
  return { [EBS_SERVICE]: perDay(ebs), [IPV4_SERVICE]: perDay(ipv4) };
}

/** Operations that only read: no need to look at the bill after them. */
const READ_ONLY = /^(Describe|List|Get|Search|Lookup|Simulate|BatchGet|Check|Decode|Validate|Head|Select|AssumeRole)/;

/**
 * Records the bill after a call that may have changed the account (server.ts calls it around each operation). The
 * first change also records the bill as loaded, at the fixture's clock.
 */
export function trackBilling(account: SimAccount, operation: string, phase: 'before' | 'after'): void {
  if (operation === '' || READ_ONLY.test(operation)) return;
  if (phase === 'before') {
    if (account.billing.length === 0) account.billing.push({ atMs: account.now.getTime(), daily: billableDaily(account) });
    return;
  }
  const daily = billableDaily(account);
  const last = account.billing.at(-1)?.daily ?? {};
  const changed = Object.keys(daily).some((k) => Math.abs((daily[k] ?? 0) - (last[k] ?? 0)) > 1e-12);
  if (changed) account.billing.push({ atMs: account.currentTime().getTime(), daily });
}

const DAY_MS = 86_400_000;

/**
 * How much less `service` cost on the UTC day starting at `dayStartMs` than as loaded: the time-weighted difference
 * over the day (a deletion at noon takes half a day's cost off that day, and all of it off the days after). Negative
 * when the account bills more (a safety snapshot is not priced here, a created volume is).
 */
export function removedOnDay(account: SimAccount, service: string, dayStartMs: number): number {
  const log = account.billing;
  const base = log[0]?.daily[service];
  if (base === undefined) return 0;
  const dayEnd = dayStartMs + DAY_MS;
  let removed = 0;
  for (let i = 0; i < log.length; i++) {
    const from = Math.max(log[i]?.atMs ?? 0, dayStartMs);
    const to = Math.min(log[i + 1]?.atMs ?? Infinity, dayEnd);
    if (to > from) removed += (base - (log[i]?.daily[service] ?? 0)) * ((to - from) / DAY_MS);
  }
  return removed;
}
