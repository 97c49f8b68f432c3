/**
 * The metrics engine's vocabulary: what a kind asks CloudWatch (a metric, its statistic, and whether CloudWatch
 * publishes it only when non-zero), the window every metric-based verdict is judged over, and the verdict itself.
 */

export type MetricStat = 'Sum' | 'Maximum' | 'Average' | 'Minimum' | 'SampleCount';

/** One metric a kind reads, declared once per kind (the drawer and the verdict name it exactly). */
export interface MetricSpec {
  namespace: string;
  metricName: string;
  stat: MetricStat;
  /**
   * CloudWatch publishes it only when non-zero (ALB RequestCount): a missing day may then count as zero, under the
   * engine's conditions. Not sparse (NAT gateway metrics, published every minute): a missing day is unknown.
   */
  sparse: boolean;
  /** The unit for people: "connections", "bytes", "requests". */
  unit: string;
}

/** One series: a metric of one resource (its exact dimension set). */
export interface MetricQuery {
  spec: MetricSpec;
  dimensions: Readonly<Record<string, string>>;
}

/** The lookback: `days` whole UTC days, `start` inclusive, `end` exclusive (end = today 00:00 UTC). */
export interface MetricsWindow {
  start: Date;
  end: Date;
  days: number;
}

export type { DayPoint } from '../../shared/dto/metrics';
import type { ActivityDto, DayPoint, SeriesDetailDto } from '../../shared/dto/metrics';

export interface MetricSeries {
  query: MetricQuery;
  /** Ascending by day; days without a datapoint are absent. */
  points: DayPoint[];
  /** CloudWatch's own status for the series: only `Complete` is judged. */
  status: string;
  fromCache: boolean;
}

/** A series as the finding stores it (the drawer draws it). */
export type SeriesDetail = SeriesDetailDto;
export type ActivityVerdict = ActivityDto['verdict'];
/** The verdict over one resource's series, and everything needed to show it. */
export type Activity = ActivityDto;

/** What a scan's metric calls cost (GetMetricData bills per metric requested). */
export interface MetricsMeter {
  /** Metrics requested from GetMetricData (each query of each call, continuation pages included): what AWS bills. */
  metricsRequested: number;
  getMetricDataCalls: number;
  /** Series answered from the local cache (no request, no charge). */
  metricsFromCache: number;
  listMetricsCalls: number;
}

/** $0.01 per 1,000 metrics requested (CloudWatch pricing, GetMetricData; no free tier). */
export const USD_PER_METRIC_REQUESTED = 0.01 / 1000;

export const DEFAULT_METRICS_LOOKBACK_DAYS = 30;
export const MIN_METRICS_LOOKBACK_DAYS = 14;
export const DEFAULT_METRICS_CACHE_HOURS = 12;
