/**
 * CloudWatch Logs in the simulated account: each region's log groups (`sim.state.region('eu-west-1').logs`), the
 * fixture section `resources[region].logs` and its loader. services/logs.ts answers the JSON 1.1 API from it;
 * `taggedResources()` feeds the Resource Groups Tagging API (resource type `logs:log-group`, the ARN without `:*`).
 *
 * Ingestion is not kept here: a group's `AWS/Logs` IncomingBytes {LogGroupName} series lives in the region's `metrics`
 * fixture section (CloudWatch, metrics-state.ts), sparse as AWS publishes it (a day without ingestion has no datapoint).
 */
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

export type SimLogGroupClass = 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';

/** PutRetentionPolicy's accepted values (the API reference and the SDK's LogGroup.retentionInDays). */
export const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** A log group name as AWS accepts it: 1–512 of [.-_/#A-Za-z0-9]. */
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

export interface SimLogGroup {
  name: string;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>` (no trailing `:*`: DescribeLogGroups adds it to `arn`). */
  arn: string;
  /** ms since the epoch, as the API answers it. */
  creationTime: number;
  /** Absent: never expire. */
  retentionInDays?: number;
  storedBytes: number;
  metricFilterCount: number;
  logGroupClass: SimLogGroupClass;
  deletionProtectionEnabled: boolean;
  kmsKeyId?: string;
  tags: SimTag[];
}

export interface LogGroupFixture {
  name: string;
  /** Default 400. */
  createdDaysAgo?: number;
  /** ISO; wins over createdDaysAgo. */
  createTime?: string;
  /** One of RETENTION_DAYS; absent: never expire. */
  retentionInDays?: number;
  /** Default 0. */
  storedBytes?: number;
  metricFilterCount?: number;
  /** Default STANDARD. */
  logGroupClass?: SimLogGroupClass;
  deletionProtection?: boolean;
  kmsKeyId?: string;
  tags?: FixtureTags;
}

/** The fixture section `resources[region].logs`. */
export interface LogsRegionFixture {
  logGroups?: LogGroupFixture[];
}

export function logGroupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
}

export class SimLogsRegion {
  /** Log groups by name (unique per account and region). */
  readonly groups = new Map<string, SimLogGroup>();

  /** The groups ordered by name, as DescribeLogGroups lists them. */
  sorted(): SimLogGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [...this.groups.values()].map((g) => ({ arn: g.arn, resourceType: 'logs:log-group', tags: g.tags.map((t) => ({ ...t })) }));
  }
}

export function loadLogsFixture(into: SimLogsRegion, fx: LogsRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  for (const g of fx.logGroups ?? []) {
    if (!LOG_GROUP_NAME.test(g.name)) throw new Error(`fixture: log group name ${g.name} breaks AWS's rule [.-_/#A-Za-z0-9]{1,512}`);
    if (into.groups.has(g.name)) throw new Error(`fixture: log group ${g.name} appears twice in ${ctx.region}`);
    if (g.retentionInDays !== undefined && !RETENTION_DAYS.includes(g.retentionInDays)) {
      throw new Error(`fixture: log group ${g.name} has retention ${g.retentionInDays}, not one of AWS's values`);
    }
    const created = g.createTime !== undefined ? Date.parse(g.createTime) : ctx.now.getTime() - (g.createdDaysAgo ?? 400) * 86_400_000;
    into.groups.set(g.name, {
      name: g.name,
      arn: logGroupArn(ctx.region, ctx.accountId, g.name),
      creationTime: created,
      ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
      storedBytes: g.storedBytes ?? 0,
      metricFilterCount: g.metricFilterCount ?? 0,
      logGroupClass: g.logGroupClass ?? 'STANDARD',
      deletionProtectionEnabled: g.deletionProtection ?? false,
      ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
      tags: Object.entries(g.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
  }
}
