/**
 * Amazon CloudWatch over AWS JSON 1.0 with awsQueryCompatible (signing name `monitoring`, target prefix
 * `GraniteServiceVersion20100801`, API 2010-08-01 — as @aws-sdk/client-cloudwatch 3.1164 declares it: it sends
 * `X-Amz-Target: GraniteServiceVersion20100801.GetMetricData`, `x-amzn-query-mode: true`, and reads the Query error
 * code from `x-amzn-query-error: Code;Sender`). GetMetricData and ListMetrics over the region's daily metric series
 * (metrics-state.ts). https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 *
 * Simplifications (documented in README.md): a series holds one value per UTC day, answered for every statistic;
 * Period must be a multiple of 86,400 (a k-day period aggregates k days: Sum/SampleCount add, Maximum/Minimum take
 * the extreme, Average averages the days that have a value); Expression queries are refused.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import { DAY_MS, hasDataSince, LIST_METRICS_LOOKBACK_DAYS, metricKey, utcDay } from '../metrics-state';
import type { SimDimension, SimMetricSeries } from '../metrics-state';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import { notAuthorizedMessage } from '../protocols/protocol';
import type { SimAccount, SimRegion } from '../state';

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801';
export const CLOUDWATCH_VERSION = '2010-08-01';

/** GetMetricData limits: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html */
export const MAX_METRIC_DATA_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;
const LIST_METRICS_PAGE = 500;
const STATS = ['Sum', 'Maximum', 'Minimum', 'Average', 'SampleCount'] as const;
type Stat = (typeof STATS)[number];
const ID_RE = /^[a-z][a-zA-Z0-9_]*$/;

// Query-compatible error codes (the SDK maps them to InvalidParameterValueException, ValidationException, …).
const validation = (message: string): ApiError => new ApiError('ValidationError', message);
const invalidValue = (message: string): ApiError => new ApiError('InvalidParameterValue', message);
const missing = (name: string): ApiError => validation(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);

export const cloudWatchService = jsonService({
  name: 'CloudWatch',
  signingName: 'monitoring',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: CLOUDWATCH_VERSION,
  jsonVersion: '1.0',
  targetPrefix: CLOUDWATCH_TARGET_PREFIX,
  queryCompatible: true,
  // CloudWatch's Query codes: `Throttling` (400, retried by the SDK as throttling), `InternalServiceError` (500).
  faultErrors: {
    throttling: new ApiError('Throttling', 'Rate exceeded', 400),
    serverError: new ApiError('InternalServiceError', 'Internal service error', 500),
  },
  // Signing name `monitoring`, IAM action `cloudwatch:GetMetricData`: AccessDenied 403 names the IAM action.
  accessDenied: (ctx, action) => new ApiError('AccessDenied', notAuthorizedMessage(ctx.callerArn, `cloudwatch:${action}`), 403),
  operations: {
    GetMetricData: (ctx, input) => getMetricData(ctx.account, ctx.region, input),
    ListMetrics: (ctx, input) => listMetrics(ctx.account, ctx.region, input),
  },
});

// ---------------------------------------------------------------------------------------------------------------
// helpers

function obj(v: unknown, what: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw validation(`${what} must be a structure`);
  return v as JsonObject;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw validation(`${what} must be a string`);
  return v;
}

/** The JSON protocol's timestamps: epoch seconds (what the SDK sends), or an ISO string. */
function timestamp(v: unknown, what: string): number {
  if (v === undefined || v === null) throw missing(what);
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw validation(`${what} is not a valid timestamp`);
  return ms;
}

function fingerprint(input: JsonObject, exclude: string[]): string {
  const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !exclude.includes(k)));
  return createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 16);
}

function encodeToken(f: string, o: number): string {
  return Buffer.from(JSON.stringify({ f, o })).toString('base64url');
}

/** The offset a NextToken continues at; the token must come from the same request (else InvalidNextToken). */
function decodeToken(raw: unknown, f: string): number {
  if (raw === undefined || raw === null || raw === '') return 0;
  let tok: { f?: unknown; o?: unknown } | undefined;
  try {
    tok = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as { f?: unknown; o?: unknown };
  } catch {
    tok = undefined;
  }
  if (!tok || tok.f !== f || typeof tok.o !== 'number' || tok.o < 0) throw new ApiError('InvalidNextToken', 'The service returned an invalid NextToken.');
  return tok.o;
}

function dimensionsOf(v: unknown, what: string): SimDimension[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw validation(`${what} must be a list`);
  if (v.length > 30) throw invalidValue(`The collection ${what} must not have a size greater than 30.`);
  return v.map((d, i) => {
    const o = obj(d, `${what}.member.${i + 1}`);
    return { name: str(o.Name, `${what}.member.${i + 1}.Name`), value: str(o.Value, `${what}.member.${i + 1}.Value`) };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// GetMetricData

interface Query {
  id: string;
  label: string;
  returnData: boolean;
  series: SimMetricSeries | undefined;
  periodDays: number;
  stat: Stat;
}

function aggregate(values: number[], stat: Stat): number {
  switch (stat) {
    case 'Sum':
    case 'SampleCount':
      return values.reduce((a, b) => a + b, 0);
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

/** A query's datapoints, oldest first: one per period bucket (aligned at the first UTC midnight ≥ start) that has data. */
function datapoints(q: Query, startMs: number, endMs: number): [number, number][] {
  if (!q.series) return [];
  const first = utcDay(startMs) === startMs ? startMs : utcDay(startMs) + DAY_MS;
  const out: [number, number][] = [];
  const step = q.periodDays * DAY_MS;
  for (let bucket = first; bucket < endMs; bucket += step) {
    const vals: number[] = [];
    for (let d = bucket; d < bucket + step && d < endMs; d += DAY_MS) {
      const v = q.series.days.get(d);
      if (v !== undefined) vals.push(v);
    }
    if (vals.length > 0) out.push([bucket, aggregate(vals, q.stat)]);
  }
  return out;
}

function parseQueries(region: SimRegion, raw: unknown): Query[] {
  if (raw === undefined || raw === null) throw missing('metricDataQueries');
  if (!Array.isArray(raw)) throw validation('MetricDataQueries must be a list');
  if (raw.length === 0) throw validation('The collection MetricDataQueries must not be empty.');
  if (raw.length > MAX_METRIC_DATA_QUERIES) {
    throw validation(`The collection MetricDataQueries must not have a size greater than ${MAX_METRIC_DATA_QUERIES}.`);
  }
  const seen = new Set<string>();
  return raw.map((r, i): Query => {
    const at = `MetricDataQueries.member.${i + 1}`;
    const q = obj(r, at);
    const id = q.Id;
    if (typeof id !== 'string' || !ID_RE.test(id)) {
      throw validation(`The value ${String(id)} for parameter ${at}.Id is invalid: it must start with a lower-case letter and contain only letters, digits and underscores.`);
    }
    if (seen.has(id)) throw validation(`The value ${id} for parameter ${at}.Id is duplicated: each query Id must be unique.`);
    seen.add(id);
    if (q.Expression !== undefined) {
      throw validation(`${at}: Expression queries are not simulated (aws-sim answers MetricStat queries only).`);
    }
    if (q.MetricStat === undefined) throw validation(`${at}: exactly one of MetricStat and Expression must be given.`);
    const ms = obj(q.MetricStat, `${at}.MetricStat`);
    const metric = obj(ms.Metric, `${at}.MetricStat.Metric`);
    const namespace = str(metric.Namespace, `${at}.MetricStat.Metric.Namespace`);
    const metricName = str(metric.MetricName, `${at}.MetricStat.Metric.MetricName`);
    const dims = dimensionsOf(metric.Dimensions, `${at}.MetricStat.Metric.Dimensions`);
    const period = ms.Period;
    if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 20, 30].includes(period))) {
      throw validation(`The value ${String(period)} for parameter ${at}.MetricStat.Period is invalid: it must be 1, 5, 10, 20, 30 or a multiple of 60.`);
    }
    if (period % 86_400 !== 0) {
      throw validation(`${at}.MetricStat.Period ${period}: aws-sim keeps one value per day and answers only multiples of 86400.`);
    }
    const stat = ms.Stat;
    if (typeof stat !== 'string') throw missing(`${at}.MetricStat.Stat`);
    if (!(STATS as readonly string[]).includes(stat)) {
      throw validation(`${at}.MetricStat.Stat ${stat}: aws-sim answers ${STATS.join(', ')} only.`);
    }
    return {
      id,
      label: typeof q.Label === 'string' ? q.Label : metricName,
      returnData: q.ReturnData !== false,
      series: region.metrics.get(metricKey(namespace, metricName, dims)),
      periodDays: period / 86_400,
      stat: stat as Stat,
    };
  });
}

/**
 * GetMetricData: datapoints of the days whose UTC midnight is in [StartTime, EndTime). Dimension matching is exact; a
 * metric that does not exist answers an empty series with StatusCode Complete, as CloudWatch does. MaxDatapoints
 * (default 100,800) bounds the datapoints of one response over all queries; beyond it the unfinished queries say
 * `PartialData` and a NextToken continues (the same request only). Every query appears on every page.
 */
function getMetricData(account: SimAccount, region: SimRegion, input: JsonObject): JsonObject {
  const queries = parseQueries(region, input.MetricDataQueries);
  const startMs = timestamp(input.StartTime, 'startTime');
  const endMs = timestamp(input.EndTime, 'endTime');
  if (startMs >= endMs) throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = input.ScanBy ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') {
    throw validation(`The value ${String(scanBy)} for parameter ScanBy is invalid: TimestampDescending or TimestampAscending.`);
  }
  const maxDatapoints = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (typeof maxDatapoints !== 'number' || !Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
    throw validation(`The value ${String(maxDatapoints)} for parameter MaxDatapoints is invalid.`);
  }
  const fp = fingerprint(input, ['NextToken']);
  const offset = decodeToken(input.NextToken, fp);

  account.metricQueriesRequested += queries.length;
  region.metricQueriesRequested += queries.length;

  const returned = queries.filter((q) => q.returnData);
  const points = returned.map((q) => {
    const p = datapoints(q, startMs, endMs);
    return scanBy === 'TimestampDescending' ? p.reverse() : p;
  });
  const total = points.reduce((a, p) => a + p.length, 0);
  const pageEnd = offset + maxDatapoints;
  let before = 0;
  const results = returned.map((q, i) => {
    const p = points[i] ?? [];
    const from = Math.max(0, offset - before);
    const to = Math.max(0, Math.min(p.length, pageEnd - before));
    const slice = from < to ? p.slice(from, to) : [];
    const complete = before + p.length <= pageEnd;
    before += p.length;
    return {
      Id: q.id,
      Label: q.label,
      Timestamps: slice.map(([t]) => t / 1000),
      Values: slice.map(([, v]) => v),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: [],
    };
  });
  return {
    MetricDataResults: results,
    ...(total > pageEnd ? { NextToken: encodeToken(fp, pageEnd) } : {}),
    Messages: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// ListMetrics

/**
 * ListMetrics: metrics with a datapoint in the past 14 days (`RecentlyActive: 'PT3H'`: a datapoint on the last day,
 * yesterday, the finest this daily model has), filtered by Namespace, MetricName and Dimensions (a filter with only a
 * Name matches any value; a metric may have more dimensions than the filters name). 500 per page, NextToken.
 */
function listMetrics(account: SimAccount, region: SimRegion, input: JsonObject): JsonObject {
  const namespace = input.Namespace === undefined ? undefined : str(input.Namespace, 'Namespace');
  const metricName = input.MetricName === undefined ? undefined : str(input.MetricName, 'MetricName');
  const rawFilters = input.Dimensions ?? [];
  if (!Array.isArray(rawFilters)) throw validation('Dimensions must be a list');
  if (rawFilters.length > 10) throw invalidValue('The collection Dimensions must not have a size greater than 10.');
  const filters = rawFilters.map((f, i) => {
    const o = obj(f, `Dimensions.member.${i + 1}`);
    return { name: str(o.Name, `Dimensions.member.${i + 1}.Name`), value: o.Value === undefined ? undefined : str(o.Value, `Dimensions.member.${i + 1}.Value`) };
  });
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') {
    throw invalidValue(`The value ${String(input.RecentlyActive)} for parameter RecentlyActive is invalid: PT3H is the only valid value.`);
  }
  const today = utcDay(account.currentTime());
  const since = input.RecentlyActive === 'PT3H' ? today - DAY_MS : today - LIST_METRICS_LOOKBACK_DAYS * DAY_MS;
  const keys = [...region.metrics.keys()].sort();
  const matching: SimMetricSeries[] = [];
  for (const k of keys) {
    const s = region.metrics.get(k);
    if (!s) continue;
    if (namespace !== undefined && s.namespace !== namespace) continue;
    if (metricName !== undefined && s.metricName !== metricName) continue;
    if (!filters.every((f) => s.dimensions.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value)))) continue;
    if (!hasDataSince(s, since)) continue;
    matching.push(s);
  }
  const fp = fingerprint(input, ['NextToken']);
  const offset = decodeToken(input.NextToken, fp);
  const page = matching.slice(offset, offset + LIST_METRICS_PAGE);
  return {
    Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions.map((d) => ({ Name: d.name, Value: d.value })) })),
    ...(offset + LIST_METRICS_PAGE < matching.length ? { NextToken: encodeToken(fp, offset + LIST_METRICS_PAGE) } : {}),
  };
}
