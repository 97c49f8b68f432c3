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

  private static empty(): RequestCounts {
    return { total: 0, byOperation: {}, byRegion: {}, byOperationAndRegion: {} };
  }

  add(operation: string, region: string): void {
    const d = this.data;
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

  reset(): void {
    this.data = Counters.empty();
  }
}
