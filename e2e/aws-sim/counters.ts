/** Request counters per operation (`ec2:DescribeVolumes`, `ce:GetCostAndUsage`, …) and region. Every request counts, faulted ones too. */

export interface RequestCounts {
  total: number;
  byOperation: Record<string, number>;
  byRegion: Record<string, number>;
  /** `byOperationAndRegion['ec2:DescribeVolumes']['us-east-1']` */
  byOperationAndRegion: Record<string, Record<string, number>>;
}

export class Counters {
  private data: RequestCounts = Counters.empty();
  /** The same counts per account the request ran against (the management account's id for the base credentials). */
  private perAccount = new Map<string, RequestCounts>();

  private static empty(): RequestCounts {
    return { total: 0, byOperation: {}, byRegion: {}, byOperationAndRegion: {} };
  }

  add(operation: string, region: string, accountId?: string): void {
    Counters.addTo(this.data, operation, region);
    if (accountId === undefined) return;
    let per = this.perAccount.get(accountId);
    if (!per) {
      per = Counters.empty();
      this.perAccount.set(accountId, per);
    }
    Counters.addTo(per, operation, region);
  }

  private static addTo(d: RequestCounts, operation: string, region: string): void {
    d.total += 1;
    d.byOperation[operation] = (d.byOperation[operation] ?? 0) + 1;
    d.byRegion[region] = (d.byRegion[region] ?? 0) + 1;
    const per = (d.byOperationAndRegion[operation] ??= {});
    per[region] = (per[region] ?? 0) + 1;
  }

  /** A deep copy, so callers can keep snapshots. */
  snapshot(): RequestCounts {
    return structuredClone(this.data);
  }

  /** `{ [accountId]: RequestCounts }`, a deep copy; an account with no request is absent. */
  byAccount(): Record<string, RequestCounts> {
    return structuredClone(Object.fromEntries(this.perAccount));
  }

  reset(): void {
    this.data = Counters.empty();
    this.perAccount = new Map();
  }
}
