/**
 * CloudWatch log groups (AWS-FACTS-BEYOND-EC2.md, kind 5), two kinds over one listing:
 *
 * - `logs:log-group`, "Log groups that never expire": DescribeLogGroups shows no `retentionInDays` (Thrifty's rule), and
 *   the group is not dead (a dead group is reported by the dead kind only: never counted twice). A group with a
 *   retention set is not listed by this kind. Cost: what it stores now, storedBytes × the storage price. Its actions
 *   set a retention (365 days by default, 90, 30: PutRetentionPolicy); none deletes. A retention leaves the group and
 *   its newer events; expired events stop billing once marked (AWS deletes them within 72 hours).
 * - `logs:dead-log-group`, "Dead log groups": no ingestion for N days (setting, default 90). Every group is listed.
 *   Ingestion is `AWS/Logs` IncomingBytes {LogGroupName}, daily Sum, published only when there is ingestion (sparse),
 *   read through the metrics engine in batched GetMetricData calls over a longer window (2 × N days, at most 455: the
 *   retention of hourly data) so the last ingestion is seen. Dead when the group is older than N days and either
 *   (a) IncomingBytes has a datapoint in the window and none on the last N days — since = the day after the last one; or
 *   (b) the engine's sparse rule calls the whole window idle (the group is older than the window and CloudWatch lists
 *   IncomingBytes with the LogGroupName dimension in the region) — since = at least the window's first day.
 *   No evidence (no datapoint and the sparse rule not met, a group younger than the window) → unknown, never dead.
 *   Cost: storedBytes × the storage price (a delete stops it all). Actions: delete (default), or a retention when it
 *   has none. Deletion protection (`deletionProtectionEnabled`) refuses the delete (plan, re-check, and AWS's own
 *   refusal, a ValidationException, reported as refused) but not a retention; it is never switched off.
 *
 * Groups named /aws/lambda/…, /ecs/… or /aws/ecs/… are recreated by Lambda or ECS on their next write (with no
 * retention): the finding says so. Protection tag: through the Resource Groups Tagging API (`logs:log-group`, one
 * paged listing per region); the re-check reads ListTagsForResource for its group.
 *
 * A scan makes listing calls and batched metric calls only: DescribeLogGroups (paged, limit 50), tag:GetResources
 * (paged), GetMetricData (≤ 500 series per call; ListMetrics once to confirm the shape when nothing ingests). Never
 * DescribeLogStreams. Both kinds judge deadness (the never-expire kind to leave dead groups out): within one scan they
 * share one long-window engine, so the series are fetched once. CloudWatch Logs has no DryRun: the cleanup verifies by
 * the re-check and an IAM permission check.
 *
 * Size: storedBytes as AWS reports it, in GB of 2^30 bytes. Retention savings are an ESTIMATE from storedBytes and the
 * creation time alone: ingestion is taken as uniform from creation to the last ingestion (now, for a group still
 * written), so the share older than the limit is (cutoff − created) / (last − created), clamped to 0–1.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand, type LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { standaloneMetrics, type RegionMetrics } from '../metrics/engine';
import type { Activity, MetricSpec } from '../metrics/types';
import { isoDay, metricsWindow } from '../metrics/window';
import { logsStorageKey } from '../pricing/keys/logs';
import { price } from '../pricing/price-key';
import type { RegionPrices } from '../pricing/types';
import { clampPageSize } from './ec2-common';
import { num, protectionByTag, roundCost, usd } from './handler';
import type { Finding, HandlerContext } from './handler';
import { dayAfter } from './metric-verdict';
import { tagsByArn } from './tagging';

/** The tagging types of a log group's tags (both log-group kinds declare them as `tagTypes`). */
export const LOG_GROUP_TAG_TYPES = ['logs:log-group'];

export const LOG_GROUP_TYPE = 'logs:log-group';
export const DEAD_LOG_GROUP_TYPE = 'logs:dead-log-group';
/** Cost Explorer's "AmazonCloudWatch" (CloudWatch Logs bills under CloudWatch). */
export const SERVICE_CLOUDWATCH = 'AmazonCloudWatch';
export const DEAD_DAYS_SETTING = 'logsDeadDays';
export const DEFAULT_DEAD_DAYS = 90;
/** Hourly CloudWatch data (what a daily period is built from beyond 63 days) is kept 455 days. */
const MAX_WINDOW_DAYS = 455;
export const RETENTION_CHOICES = [365, 90, 30] as const;
const DAY_MS = 86_400_000;
const GIB = 1024 ** 3;

export const INCOMING_BYTES: MetricSpec = { namespace: 'AWS/Logs', metricName: 'IncomingBytes', stat: 'Sum', sparse: true, unit: 'bytes' };

export interface GroupFacts {
  name: string;
  /** Without the trailing `:*` (the form the tagging calls take). */
  arn: string;
  createdAt: Date | null;
  retentionInDays: number | null;
  retentionPolicyName: string | null;
  storedBytes: number | null;
  logGroupClass: string | null;
  deletionProtection: boolean;
  metricFilterCount: number | null;
  kmsKeyId: string | null;
  tags: Record<string, string>;
}

export function groupArn(ctx: HandlerContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`;
}

export function factsOf(ctx: HandlerContext, g: LogGroup, tags: Record<string, string>): GroupFacts {
  const name = g.logGroupName ?? '';
  return {
    name,
    arn: g.logGroupArn ?? g.arn?.replace(/:\*$/, '') ?? groupArn(ctx, name),
    createdAt: g.creationTime !== undefined ? new Date(g.creationTime) : null,
    retentionInDays: g.retentionInDays ?? null,
    retentionPolicyName: g.retentionPolicyName ?? null,
    storedBytes: g.storedBytes ?? null,
    logGroupClass: g.logGroupClass ?? null,
    deletionProtection: g.deletionProtectionEnabled === true,
    metricFilterCount: g.metricFilterCount ?? null,
    kmsKeyId: g.kmsKeyId ?? null,
    tags,
  };
}

/** Lambda and ECS write their groups again, creating them with no retention, after a delete. */
export function recreatedBy(name: string): string | null {
  if (name.startsWith('/aws/lambda/')) return 'Lambda';
  if (name.startsWith('/ecs/') || name.startsWith('/aws/ecs/')) return 'ECS';
  return null;
}

export function deadDaysOf(ctx: Pick<HandlerContext, 'settings'>): number {
  const v = ctx.settings.kinds?.[DEAD_DAYS_SETTING];
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : DEFAULT_DEAD_DAYS;
}

// ---- reading AWS ----

/** DescribeLogGroups pages; with `name`, only the groups whose name starts with it (the re-check filters the exact one). */
export async function* groupPages(ctx: HandlerContext, name?: string): AsyncIterable<LogGroup[]> {
  let token: string | undefined;
  do {
    const out = await ctx.client(CloudWatchLogsClient).send(
      new DescribeLogGroupsCommand({
        limit: clampPageSize(ctx.pageSize, 1, 50),
        ...(name !== undefined ? { logGroupNamePrefix: name } : {}),
        ...(token !== undefined ? { nextToken: token } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    yield out.logGroups ?? [];
    const next = out.nextToken || undefined;
    if (next !== undefined && next === token) throw new Error('logs:DescribeLogGroups answered the same nextToken twice');
    token = next;
  } while (token !== undefined);
}

/** One group by exact name, with its tags (ListTagsForResource), or null when it is gone. */
export async function describeGroup(ctx: HandlerContext, name: string): Promise<GroupFacts | null> {
  let found: LogGroup | undefined;
  for await (const page of groupPages(ctx, name)) {
    found ??= page.find((g) => g.logGroupName === name);
    if (found !== undefined) break;
  }
  if (found === undefined) return null;
  const arn = found.logGroupArn ?? found.arn?.replace(/:\*$/, '') ?? groupArn(ctx, name);
  const out = await ctx.client(CloudWatchLogsClient).send(new ListTagsForResourceCommand({ resourceArn: arn }), { abortSignal: ctx.signal });
  return factsOf(ctx, found, out.tags ?? {});
}

/** Every group of the region, page by page, with tags from one tagging listing (read when a page first has groups). */
export async function* factPages(ctx: HandlerContext): AsyncIterable<GroupFacts[]> {
  let tags: Promise<Map<string, Record<string, string>>> | undefined;
  for await (const page of groupPages(ctx)) {
    ctx.signal?.throwIfAborted();
    const groups = page.filter((g) => g.logGroupName);
    if (groups.length === 0) continue;
    tags ??= tagsByArn(ctx, LOG_GROUP_TAG_TYPES);
    const byArn = await tags;
    yield groups.map((g) => {
      const f = factsOf(ctx, g, {});
      return { ...f, tags: byArn.get(f.arn) ?? {} };
    });
  }
}

/** GetMetricData's queries per call: the groups of several listing pages are judged together, up to this many. */
const JUDGE_BATCH = 500;

/** The region's groups in batches of up to 500 (≈ 10 listing pages), so each batch is one GetMetricData call. */
export async function* factBatches(ctx: HandlerContext): AsyncIterable<GroupFacts[]> {
  let batch: GroupFacts[] = [];
  for await (const page of factPages(ctx)) {
    batch.push(...page);
    if (batch.length >= JUDGE_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

// ---- ingestion ----

/** The ingestion window: twice the dead window (to see the last ingestion before it), at most 455 days. */
export function ingestionWindowDays(deadDays: number): number {
  return Math.min(MAX_WINDOW_DAYS, Math.max(deadDays + 14, deadDays * 2));
}

/**
 * An engine over the ingestion window. In a scan: the scan's engine over that window (batched on its own, shared by
 * both log kinds so the series are fetched once, and metered with the scan's GetMetricData calls). Outside a scan
 * (re-check): a fresh one.
 */
export function ingestionMetrics(ctx: HandlerContext, deadDays: number): RegionMetrics {
  const window = metricsWindow(ctx.now, ingestionWindowDays(deadDays));
  if (ctx.metrics !== undefined) return ctx.metrics.withWindow(window);
  return standaloneMetrics(ctx.client(CloudWatchClient), ctx.region, window, ctx.signal);
}

export interface Ingestion {
  verdict: 'dead' | 'alive' | 'unknown';
  /** The last day with ingestion seen, or null. */
  lastDay: string | null;
  /** Dead since (ISO instant), or null. */
  since: string | null;
  /** The verdict in a sentence. */
  text: string;
  activity: Activity;
}

export function ingestionVerdict(f: GroupFacts, a: Activity, deadDays: number, now: Date): Ingestion {
  const end = Date.parse(`${a.window.end}T00:00:00.000Z`);
  const cutoffDay = isoDay(new Date(end - deadDays * DAY_MS));
  const oldEnough = f.createdAt !== null && f.createdAt.getTime() <= now.getTime() - deadDays * DAY_MS;
  const young = `created ${f.createdAt === null ? 'at an unknown time' : isoDay(f.createdAt)}, less than ${deadDays} days ago`;
  if (a.verdict === 'active' && a.lastActiveDay !== null) {
    const last = a.lastActiveDay;
    if (last >= cutoffDay) return { verdict: 'alive', lastDay: last, since: null, text: `Ingesting: IncomingBytes on ${last} (last ${deadDays} days from ${cutoffDay})`, activity: a };
    if (!oldEnough) return { verdict: 'unknown', lastDay: last, since: null, text: `Last ingestion ${last}, but ${young}`, activity: a };
    return {
      verdict: 'dead',
      lastDay: last,
      since: dayAfter(last),
      text: `No ingestion for ${deadDays} days: the last IncomingBytes datapoint is on ${last}, none from ${isoDay(new Date(Date.parse(`${last}T00:00:00.000Z`) + DAY_MS))} to ${isoDay(new Date(end - DAY_MS))}`,
      activity: a,
    };
  }
  if (a.verdict === 'idle') {
    if (!oldEnough) return { verdict: 'unknown', lastDay: null, since: null, text: `No ingestion seen, but ${young}`, activity: a };
    return {
      verdict: 'dead',
      lastDay: null,
      since: `${a.window.start}T00:00:00.000Z`,
      text: `No ingestion in the whole ${a.window.days}-day window from ${a.window.start} (IncomingBytes has no datapoint; CloudWatch lists the metric in this region and the group is older than the window): dead at least since ${a.window.start}`,
      activity: a,
    };
  }
  return { verdict: 'unknown', lastDay: null, since: null, text: `Ingestion unknown: ${a.reason}`, activity: a };
}

/** The ingestion verdict of each group, in one batched request. */
export async function judgeIngestion(ctx: HandlerContext, list: readonly GroupFacts[]): Promise<Ingestion[]> {
  if (list.length === 0) return [];
  const days = deadDaysOf(ctx);
  const activities = await ingestionMetrics(ctx, days).activity(
    list.map((f) => ({ createdAt: f.createdAt, queries: [{ spec: INCOMING_BYTES, dimensions: { LogGroupName: f.name } }], activity: 'ingestion' })),
  );
  return list.map((f, i) => ingestionVerdict(f, activities[i]!, days, ctx.now));
}

// ---- cost ----

export interface Cost {
  monthlyCost: number | null;
  costBasis: string;
}

const gbOf = (bytes: number): number => bytes / GIB;

/** What the group's stored data bills a month. */
export function storageCost(f: GroupFacts, prices: RegionPrices | null, region: string): Cost & { rate: number | null } {
  if (f.storedBytes === null) return { monthlyCost: null, costBasis: 'Cost unknown: AWS reports no storedBytes for the group', rate: null };
  const key = logsStorageKey(f.logGroupClass);
  if (key === undefined) return { monthlyCost: null, costBasis: `Cost unknown: no storage price is declared for the ${f.logGroupClass ?? 'unknown'} log class`, rate: null };
  const rate = prices === null ? null : price(prices, key);
  if (rate === null) return { monthlyCost: null, costBasis: `Cost unknown: no CloudWatch Logs storage price for ${region}`, rate: null };
  return {
    monthlyCost: roundCost(gbOf(f.storedBytes) * rate),
    costBasis: `${num(gbOf(f.storedBytes))} GB stored (storedBytes ${num(f.storedBytes)}; 1 GB = 2^30 bytes) × ${usd(rate)} per GB-month (${region})`,
    rate,
  };
}

/** Share of the data older than `limitDays`, ingestion taken as uniform from `created` to `last`. */
export function olderThanShare(createdMs: number, lastMs: number, nowMs: number, limitDays: number): number {
  const cutoff = nowMs - limitDays * DAY_MS;
  if (lastMs <= cutoff) return 1;
  if (createdMs >= cutoff || lastMs <= createdMs) return 0;
  return (cutoff - createdMs) / (lastMs - createdMs);
}

/** The estimated saving of each retention choice (stored in `details.retentionSavings`, read by `parts`). */
export function retentionSavings(f: GroupFacts, ingest: Ingestion | null, cost: ReturnType<typeof storageCost>, now: Date): Record<string, Cost> {
  const out: Record<string, Cost> = {};
  for (const days of RETENTION_CHOICES) {
    const id = `retention-${days}`;
    if (f.createdAt === null || f.storedBytes === null) {
      out[id] = { monthlyCost: null, costBasis: 'Estimate unknown: AWS gives no creation time or stored size' };
      continue;
    }
    const last =
      ingest?.verdict === 'dead'
        ? ingest.lastDay !== null
          ? Date.parse(`${ingest.lastDay}T00:00:00.000Z`) + DAY_MS
          : Date.parse(`${ingest.activity.window.start}T00:00:00.000Z`)
        : now.getTime();
    const share = olderThanShare(f.createdAt.getTime(), last, now.getTime(), days);
    const rule =
      `ESTIMATE: stored data older than ${days} days, taking ingestion as uniform from its creation (${isoDay(f.createdAt)}) ` +
      `to ${ingest?.verdict === 'dead' ? `its last ingestion (${isoDay(new Date(last - DAY_MS))} at the latest)` : 'now'}: ${Math.round(share * 1000) / 10}% of ${num(gbOf(f.storedBytes))} GB`;
    out[id] =
      cost.rate === null
        ? { monthlyCost: null, costBasis: `${rule}; ${cost.costBasis}` }
        : { monthlyCost: roundCost(gbOf(f.storedBytes) * share * cost.rate), costBasis: `${rule} × ${usd(cost.rate)} per GB-month; the events it keeps stay billed` };
  }
  return out;
}

// ---- the finding ----

export function toFinding(ctx: HandlerContext, kind: 'never-expire' | 'dead', f: GroupFacts, ingest: Ingestion | null): Finding {
  const cost = storageCost(f, ctx.prices, ctx.region);
  const tagged = protectionByTag(f.tags, ctx.settings.protectionTagKey);
  // Deletion protection stops a delete, not a retention: it refuses the dead kind's delete (actionRefusal), as an RDS
  // instance's does, and leaves the retention actions available. Only the tag keeps a group out of every plan.
  const dp = kind === 'dead' && f.deletionProtection ? '; deletion protection is on: it can be given a retention, not deleted' : '';
  const reasons = [tagged].filter((r): r is string => r !== null);
  const writer = recreatedBy(f.name);
  const recreated = writer === null ? '' : `. Written by ${writer}: it is recreated, again with no retention, on its next write`;
  let unused = false;
  let unusedReason: string | null = null;
  let unusedSince: string | null = null;
  if (kind === 'never-expire') {
    unused = f.retentionInDays === null;
    unusedReason = unused ? `Never expires: no retention is set, so every event ever written is stored and billed${recreated}` : null;
  } else if (ingest?.verdict === 'dead') {
    unused = true;
    unusedReason = `${ingest.text}${dp}${recreated}`;
    unusedSince = ingest.since;
  }
  return {
    resourceType: kind === 'dead' ? DEAD_LOG_GROUP_TYPE : LOG_GROUP_TYPE,
    resourceId: f.name,
    region: ctx.region,
    name: f.tags['Name'] ?? null,
    state: f.retentionInDays === null ? 'never-expire' : `retention-${f.retentionInDays}`,
    tags: f.tags,
    createdAt: f.createdAt?.toISOString() ?? null,
    unused,
    unusedReason,
    unusedSince,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: reasons.length > 0,
    protectedReason: reasons.length > 0 ? reasons.join('; ') : null,
    details: {
      arn: f.arn,
      retentionInDays: f.retentionInDays,
      retentionPolicyName: f.retentionPolicyName,
      storedBytes: f.storedBytes,
      storedGB: f.storedBytes === null ? null : Math.round(gbOf(f.storedBytes) * 1000) / 1000,
      logGroupClass: f.logGroupClass,
      deletionProtection: f.deletionProtection,
      metricFilterCount: f.metricFilterCount,
      kmsKeyId: f.kmsKeyId,
      recreatedBy: writer,
      ingestion: ingest?.text ?? null,
      lastIngestionDay: ingest?.lastDay ?? null,
      retentionSavings: retentionSavings(f, ingest, cost, ctx.now),
      ...(ingest !== null ? { metrics: ingest.activity } : {}),
    },
  };
}
